package index

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"attache/corpus"
	"attache/corpus/corpustest"
)

// crashArticles is the size of the corpus the crash test builds; with
// crashBatch passages a batch, a build takes some forty batches.
const (
	crashArticles = 800
	crashBatch    = 300
)

// crashCorpus returns the articles of the crash test's corpus in one of
// two versions: version 1 changes every fifth article of version 0 and
// drops every seventh, so that a build of it also replaces and deletes
// passages.
func crashCorpus(version int) []corpus.Article {
	arts := corpustest.Generate(crashArticles, 1)
	if version == 0 {
		return arts
	}
	edited := corpustest.Generate(crashArticles, 2)
	var out []corpus.Article
	for i, a := range arts {
		switch {
		case i%7 == 3:
			continue
		case i%5 == 0:
			a = edited[i] // the same ID, other text
		}
		out = append(out, a)
	}
	return out
}

// TestCrashMidBuild kills (SIGKILL) a process that is building an index
// at different points of the build, again and again on the same index,
// and checks after each kill that the index opens and that its manifest
// claims exactly the passages it holds, each as the manifest's version of
// the article has it. A last run must then complete the index with every
// article.
func TestCrashMidBuild(t *testing.T) {
	if dir := os.Getenv("ATTACHE_CRASH_CHILD"); dir != "" {
		crashChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("builds an index many times")
	}
	dir := t.TempDir()
	versions := [][]corpus.Article{crashCorpus(0), crashCorpus(1)}
	byHash := map[string]corpus.Article{}
	for _, v := range versions {
		for _, a := range v {
			byHash[a.Hash] = a
		}
	}
	// Kill after the child has reported this many batches, then after
	// this long: right at the start, early and late in the first build
	// (a bulk build, see bulk), while it merges, writes the index's root
	// or puts the index in place, and in builds that replace and delete
	// articles of a whole index.
	kills := []struct {
		version int
		batches int
		after   time.Duration
	}{
		{0, 0, 0},
		{0, 0, 30 * time.Millisecond},
		{0, 2, 0},
		{0, 5, 3 * time.Millisecond},
		{0, 15, 0},
		{0, -1, 0}, // after the last batch
		{0, -1, 5 * time.Millisecond},
		{0, -1, 20 * time.Millisecond},
		{1, 1, 0},
		{1, 4, 7 * time.Millisecond},
		{1, -1, 2 * time.Millisecond},
	}
	killed := 0
	for i, k := range kills {
		if k.version == 1 && kills[i-1].version == 0 {
			// The kills of version 1 stop updates of a whole index.
			completeBuild(t, dir, versions[0])
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashMidBuild$", "-test.v")
		cmd.Env = append(os.Environ(), "ATTACHE_CRASH_CHILD="+dir, "ATTACHE_CRASH_VERSION="+strconv.Itoa(k.version))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		batches, finished := 0, false
		for lines.Scan() {
			line := lines.Text()
			if line == "started" && k.batches == 0 {
				break
			}
			if n, ok := parseProgress(line); ok {
				batches++
				if k.batches > 0 && batches >= k.batches || k.batches < 0 && n {
					break
				}
			}
			if line == "finished" {
				finished = true
				break
			}
		}
		time.Sleep(k.after)
		cmd.Process.Signal(syscall.SIGKILL)
		go func() {
			for lines.Scan() {
			}
		}()
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed++
		} else if !finished && err != nil {
			// A child that finished its build just before the kill
			// (err == nil) is fine: the index must be consistent all
			// the same, and enough of the others are killed mid-way.
			t.Fatalf("kill %d: child failed without being killed: %v", i, err)
		}
		checkConsistent(t, dir, byHash, fmt.Sprintf("after kill %d (%d batches)", i, batches)).Close()
	}
	if killed < len(kills)/2 {
		t.Fatalf("only %d of %d builds were killed mid-way", killed, len(kills))
	}

	// The next run completes the index.
	ctx := context.Background()
	ix, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := versions[1]
	if _, err := ix.Sync(ctx, want); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix = checkConsistent(t, dir, byHash, "after the last run")
	defer ix.Close()
	if len(ix.articles) != len(want) {
		t.Fatalf("%d articles after the last run, want %d", len(ix.articles), len(want))
	}
	for _, a := range want {
		if m := ix.articles[a.ID]; m.Hash != a.Hash {
			t.Fatalf("%s has hash %q after the last run, want %q", a.ID, m.Hash, a.Hash)
		}
	}
	for _, suffix := range []string{bulkSuffix, emptySuffix} {
		if _, err := os.Stat(ix.path + suffix); !os.IsNotExist(err) {
			t.Fatalf("%s left after the last run (%v)", ix.path+suffix, err)
		}
	}
}

// completeBuild brings the index in dir up to date with arts.
func completeBuild(t *testing.T, dir string, arts []corpus.Article) {
	t.Helper()
	ix, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
}

// parseProgress reads a "progress DONE TOTAL" line of the child and
// reports whether it is the last.
func parseProgress(line string) (last, ok bool) {
	var done, total int
	if _, err := fmt.Sscanf(line, "progress %d %d", &done, &total); err != nil {
		return false, false
	}
	return done == total, true
}

// crashChild builds the index in dir from the corpus version the parent
// asks for, reporting each batch on standard output.
func crashChild(t *testing.T, dir string) {
	batchPassages = crashBatch
	version, _ := strconv.Atoi(os.Getenv("ATTACHE_CRASH_VERSION"))
	arts := crashCorpus(version)
	fmt.Println("started")
	ix, err := Open(context.Background(), dir, Options{Progress: func(done, total int) {
		fmt.Printf("progress %d %d\n", done, total)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	fmt.Println("finished")
}

// checkConsistent opens the index in dir and checks that every passage
// its manifest claims is in the index as the claimed version of its
// article has it, and that it holds no other passage. It returns the open
// index.
func checkConsistent(t *testing.T, dir string, byHash map[string]corpus.Article, when string) *Index {
	t.Helper()
	ix, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatalf("%s: open: %v", when, err)
	}
	claimed := 0
	var ids []string
	want := map[string]string{}
	for id, m := range ix.articles {
		a, ok := byHash[m.Hash]
		if !ok {
			t.Fatalf("%s: manifest holds %s with unknown hash %q", when, id, m.Hash)
		}
		ps := a.Passages()
		if m.Passages != len(ps) {
			t.Fatalf("%s: manifest says %s has %d passages, its version has %d", when, id, m.Passages, len(ps))
		}
		for _, p := range ps {
			pid := passageID(id, p.Position)
			ids = append(ids, pid)
			want[pid] = p.Text
		}
		claimed += m.Passages
	}
	count, err := ix.bleve.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if int(count) != claimed {
		t.Fatalf("%s: the index holds %d passages, the manifest claims %d", when, count, claimed)
	}
	if len(ids) > 0 {
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
		req.Fields = []string{fieldText}
		res, err := ix.bleve.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != len(ids) {
			t.Fatalf("%s: %d of the %d passages the manifest claims are in the index", when, len(res.Hits), len(ids))
		}
		for _, h := range res.Hits {
			if text, _ := h.Fields[fieldText].(string); text != want[h.ID] {
				t.Fatalf("%s: passage %s is %q, its article's version says %q", when, h.ID, text, want[h.ID])
			}
		}
	}
	t.Logf("%s: %d articles, %d passages, consistent", when, len(ix.articles), claimed)
	return ix
}
