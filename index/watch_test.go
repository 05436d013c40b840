package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"attache/corpus"
	"attache/corpus/watch"
	"attache/index"
)

// watchedArticle is the article the test adds: every sentence carries the
// made-up word "Quenvarro", so that a search for it finds every sentence
// or none.
const (
	watchedID      = "quenvarro-accord-reykjavik.md"
	watchedArticle = `---
title: Quenvarro accord signed in Reykjavik
source: Fixture Wire
published: 2026-06-02T09:00:00Z
---
Nordic foreign ministers signed the Quenvarro accord on Arctic shipping lanes in Reykjavik on Tuesday.
The Quenvarro accord sets a common standard for ice-class vessels crossing the northern route.
Iceland's foreign minister said the Quenvarro text had taken two years to negotiate.
Observers from Canada and Japan attended the Quenvarro signing ceremony as guests.
The Quenvarro pact enters into force once four parliaments have ratified it.
`
	muscatID = "sudan-ceasefire-talks-postponed-muscat.md"
	wtoID    = "wto-fisheries-subsidies-dispute-geneva.txt"
)

// TestWatchKeepsIndexCurrent feeds a real index from a Watcher while four
// readers question it without pause, and checks that each change to the
// folder is answerable within 5 seconds and that no reader ever sees part
// of an article.
func TestWatchKeepsIndexCurrent(t *testing.T) {
	ctx := context.Background()
	dir := copyCorpus(t)
	ix := mustOpen(t, t.TempDir())

	// New before the load that feeds Sync, as main does, so that nothing
	// changing in between is missed.
	w, err := watch.New(dir, watch.Options{Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(ctx, mustLoad(t, dir)); err != nil {
		t.Fatal(err)
	}
	runCtx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan error, 1)
	go func() {
		watchDone <- w.Run(runCtx, func(ctx context.Context, c watch.Change) error {
			return ix.Apply(ctx, c.Put, c.Removed)
		})
	}()
	defer func() {
		stopWatch()
		if err := <-watchDone; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()

	added, err := corpus.Parse(watchedID, []byte(watchedArticle))
	if err != nil {
		t.Fatal(err)
	}
	sentences := len(added.Passages())

	// Readers: each round asks the index three ways and checks that what
	// comes back is made of whole articles.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var rounds atomic.Int64
	for range 4 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := checkWhole(ctx, ix, sentences); err != nil {
					t.Error(err)
					return
				}
				rounds.Add(1)
			}
		})
	}
	stopReaders := sync.OnceFunc(func() { close(stop); readers.Wait() })
	defer stopReaders()

	// 1. A new article.
	write := time.Now()
	if err := os.WriteFile(filepath.Join(dir, watchedID), []byte(watchedArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	waitAnswer(t, write, "the new article", func() (bool, error) {
		n, err := countWatched(ctx, ix)
		return n == sentences, err
	})

	// 2. A changed article: the talks move from Thursday to Saturday.
	muscat := filepath.Join(dir, muscatID)
	b, err := os.ReadFile(muscat)
	if err != nil {
		t.Fatal(err)
	}
	write = time.Now()
	if err := os.WriteFile(muscat, []byte(strings.ReplaceAll(string(b), "Thursday", "Saturday")), 0o644); err != nil {
		t.Fatal(err)
	}
	waitAnswer(t, write, "the changed article", func() (bool, error) {
		ans, err := ix.Search(ctx, index.Query{Text: "when are the sudan ceasefire talks happening now"})
		if err != nil || len(ans) == 0 {
			return false, err
		}
		return strings.Contains(ans[0].Passage, "postponed until Saturday"), nil
	})

	// 3. A removed article.
	write = time.Now()
	if err := os.Remove(filepath.Join(dir, wtoID)); err != nil {
		t.Fatal(err)
	}
	waitAnswer(t, write, "the removal", func() (bool, error) {
		ans, err := ix.Search(ctx, index.Query{Text: "when was the wto fisheries dispute panel set up"})
		if err != nil {
			return false, err
		}
		for _, a := range ans {
			if a.Article.ID == wtoID {
				return false, nil
			}
		}
		return true, nil
	})

	stopReaders()
	if n := rounds.Load(); n < 4 {
		t.Fatalf("readers asked %d rounds of questions, want them busy throughout", n)
	}
	t.Logf("readers asked %d rounds of questions", rounds.Load())
}

// waitAnswer polls answered until it reports true, failing when that takes
// more than 5 seconds from the write.
func waitAnswer(tb testing.TB, write time.Time, what string, answered func() (bool, error)) {
	tb.Helper()
	for {
		ok, err := answered()
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
		if ok {
			tb.Logf("%s answerable after %s", what, time.Since(write).Round(time.Millisecond))
			return
		}
		if time.Since(write) > 5*time.Second {
			tb.Fatalf("%s not answerable 5s after the write", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// countWatched returns how many sentences of the added article a search
// for its made-up word finds.
func countWatched(ctx context.Context, ix *index.Index) (int, error) {
	ans, err := ix.Search(ctx, index.Query{Text: "Quenvarro", K: 50})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range ans {
		if a.Article.ID == watchedID {
			n++
		}
	}
	return n, nil
}

// checkWhole asks the index about the articles the test changes and
// reports an error when an answer holds part of an article: some but not
// all of the added article's sentences, or the changed article's old and
// new text together.
func checkWhole(ctx context.Context, ix *index.Index, sentences int) error {
	if n, err := countWatched(ctx, ix); err != nil {
		return err
	} else if n != 0 && n != sentences {
		return fmt.Errorf("search found %d of the new article's %d sentences, want all or none", n, sentences)
	}
	if _, err := ix.Search(ctx, index.Query{Text: "when are the sudan ceasefire talks happening now"}); err != nil {
		return err
	}
	stories, err := ix.Stories(ctx, time.Time{}, "")
	if err != nil {
		return err
	}
	for _, st := range stories {
		text := strings.Join(st.Sentences, " ")
		switch st.Article.ID {
		case muscatID:
			if strings.Contains(text, "Thursday") && strings.Contains(text, "Saturday") {
				return fmt.Errorf("the changed article mixes its old and new text: %q", text)
			}
		case watchedID:
			if n := strings.Count(text, "Quenvarro"); n != 0 && n != sentences {
				return fmt.Errorf("story of the new article has %d of its %d sentences", n, sentences)
			}
		}
	}
	return nil
}
