package index_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"attache/corpus"
	"attache/index"
)

// TestUnchangedFilesNotRead checks that the index remembers the size and
// modification time of each file, so that the next start reads only the
// files that changed.
func TestUnchangedFilesNotRead(t *testing.T) {
	ctx := context.Background()
	dir := copyCorpus(t)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.Chtimes(filepath.Join(dir, e.Name()), old, old)
	}
	data := t.TempDir()
	ix := mustOpen(t, data)
	if _, err := ix.Sync(ctx, mustLoad(t, dir)); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	load := func(ix interface {
		Known(string, corpus.Stamp) (string, bool)
	}) (unread int, arts []corpus.Article) {
		t.Helper()
		arts, _, err := corpus.LoadWith(dir, corpus.LoadOptions{Known: ix.Known})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			if a.Unread {
				unread++
			}
		}
		return unread, arts
	}
	ix = mustOpen(t, data)
	unread, arts := load(ix)
	if unread != 7 {
		t.Fatalf("%d of 7 files left unread after a restart, want all", unread)
	}
	st, err := ix.Sync(ctx, arts)
	if err != nil {
		t.Fatal(err)
	}
	if st.Unchanged != 7 || st.Passages < 60 {
		t.Fatalf("Sync of unread files = %+v, want 7 unchanged", st)
	}
	if ans, _ := ix.Search(ctx, index.Query{Text: "when is the sudan ceasefire round"}); len(ans) == 0 {
		t.Fatal("no answer after a sync of unread files")
	}

	// A file touched but not changed is read once, and its new time
	// remembered.
	muscat := filepath.Join(dir, "sudan-ceasefire-talks-postponed-muscat.md")
	os.Chtimes(muscat, old.Add(time.Minute), old.Add(time.Minute))
	if unread, arts = load(ix); unread != 6 {
		t.Fatalf("%d files left unread after one was touched, want 6", unread)
	}
	if st, err := ix.Sync(ctx, arts); err != nil || st.Unchanged != 7 {
		t.Fatalf("Sync after a touch = %+v, %v; want 7 unchanged", st, err)
	}
	if unread, _ = load(ix); unread != 7 {
		t.Fatalf("%d files left unread after the touch was synced, want 7", unread)
	}
	ix.Close()
	ix = mustOpen(t, data)
	if unread, _ = load(ix); unread != 7 {
		t.Fatalf("%d files left unread after a restart, want 7", unread)
	}

	// A file whose size changed is read and indexed again.
	b, _ := os.ReadFile(muscat)
	os.WriteFile(muscat, append(b, []byte("Mediators said the venue could change again.\n")...), 0o644)
	os.Chtimes(muscat, old.Add(time.Minute), old.Add(time.Minute))
	if unread, arts = load(ix); unread != 6 {
		t.Fatalf("%d files left unread after one changed, want 6", unread)
	}
	if st, err := ix.Sync(ctx, arts); err != nil || st.Updated != 1 {
		t.Fatalf("Sync after a change = %+v, %v; want 1 updated", st, err)
	}
}

// TestTopicSince checks that a topic's articles can be limited to those
// published since a time, though passages do not carry their dates.
func TestTopicSince(t *testing.T) {
	ctx := context.Background()
	ix := mustOpen(t, t.TempDir())
	if _, err := ix.Sync(ctx, mustLoad(t, "testdata/corpus")); err != nil {
		t.Fatal(err)
	}
	doha := time.Date(2026, 5, 9, 10, 0, 0, 0, time.UTC) // sudan-ceasefire-talks-doha.md
	tests := []struct {
		name  string
		since time.Time
		want  int
	}{
		{"all", time.Time{}, 2},
		{"at the older's time", doha, 2},
		{"after the older", doha.Add(time.Minute), 1},
		{"after both", doha.AddDate(0, 1, 0), 0},
	}
	all, _, err := ix.Topic(ctx, "sudan ceasefire talks", time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	relevance := map[string]float64{}
	for _, s := range all {
		relevance[s.Article.ID+s.Text] = s.Relevance
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents, n, err := ix.Topic(ctx, "sudan ceasefire talks", tt.since, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Fatalf("Topic since %s matched %d articles, want %d", tt.since, n, tt.want)
			}
			for _, s := range sents {
				if s.Article.Published.Before(tt.since) {
					t.Fatalf("Topic since %s gave a sentence of %s, published %s", tt.since, s.Article.ID, s.Article.Published)
				}
				// The filter leaves scores alone.
				if r := relevance[s.Article.ID+s.Text]; s.Relevance != r {
					t.Fatalf("Topic since %s: relevance %v of %q, want %v as without the filter", tt.since, s.Relevance, s.Text, r)
				}
			}
		})
	}
}
