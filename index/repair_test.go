package index_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"attache/corpus"
	"attache/corpus/corpustest"
	"attache/index"
)

// corruptLargestSegment writes 64 KiB of random bytes into the middle of
// the largest segment file of the index under data, as a failing disk or a
// stray write would, and returns the file's name.
func corruptLargestSegment(tb testing.TB, data string) string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(data, "index.bleve", "store", "*.zap"))
	var largest string
	var size int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Size() > size {
			largest, size = f, fi.Size()
		}
	}
	if largest == "" {
		tb.Fatal("no segment file to corrupt")
	}
	garbage := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	f, err := os.OpenFile(largest, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(garbage, max(0, size/2-int64(len(garbage))/2)); err != nil {
		tb.Fatal(err)
	}
	return filepath.Base(largest)
}

// mustBuild opens an index under data and fills it with 400 generated
// articles, which it returns with the index.
func mustBuild(tb testing.TB, data string) (*index.Index, []corpus.Article) {
	tb.Helper()
	arts := corpustest.Generate(400, 7)
	ix := mustOpen(tb, data)
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		tb.Fatal(err)
	}
	return ix, arts
}

// TestOpenRepairsDamagedSegment checks that a segment with garbage in it
// is found on open, the index moved aside and started afresh, and that a
// Sync from the articles answers as before; an intact index is not
// mistaken for a damaged one.
func TestOpenRepairsDamagedSegment(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	ix, arts := mustBuild(t, data)
	q := index.Query{Text: arts[0].Title, K: 1}
	before, err := ix.Search(ctx, q)
	if err != nil || len(before) == 0 {
		t.Fatalf("Search before: %v, %d answers", err, len(before))
	}
	ix.Close()

	// Reopened intact, twice (the second from the record of checked
	// segments): nothing to repair.
	for range 2 {
		ix = mustOpen(t, data)
		if r, ok := ix.Repaired(); ok {
			t.Fatalf("an intact index was repaired: %v", r.Cause)
		}
		ix.Close()
	}

	seg := corruptLargestSegment(t, data)
	ix = mustOpen(t, data)
	r, ok := ix.Repaired()
	if !ok || !errors.Is(r.Cause, index.ErrDamaged) || !strings.Contains(r.Cause.Error(), seg) {
		t.Fatalf("Repaired = %+v, %v; want the damage to %s", r, ok, seg)
	}
	if _, err := os.Stat(filepath.Join(r.MovedTo, "store", seg)); err != nil {
		t.Errorf("the damaged index was not kept aside: %v", err)
	}
	st, err := ix.Sync(ctx, arts)
	if err != nil || st.Added != len(arts) {
		t.Fatalf("Sync after repair = %+v, %v; want every article added again", st, err)
	}
	after, err := ix.Search(ctx, q)
	if err != nil || len(after) == 0 || after[0].Passage != before[0].Passage {
		t.Fatalf("Search after repair = %v, %v; want %q", after, err, before[0].Passage)
	}
}

// TestRebuild checks that a rebuild asked for starts an empty index that a
// Sync fills again.
func TestRebuild(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	ix := mustOpen(t, data)
	arts := mustLoad(t, "testdata/corpus")
	if _, err := ix.Sync(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if err := ix.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.Repaired(); !ok {
		t.Error("Repaired does not report the rebuild")
	}
	st, err := ix.Sync(ctx, arts)
	if err != nil || st.Added != len(arts) {
		t.Fatalf("Sync after Rebuild = %+v, %v", st, err)
	}
	if res, err := ix.Search(ctx, index.Query{Text: "when is the alaska summit", K: 1}); err != nil || len(res) == 0 {
		t.Fatalf("Search after Rebuild: %v, %d answers", err, len(res))
	}
}

// TestSearchOnDamagedIndex damages a segment under an open index: no
// search panics, each failure wraps ErrDamaged, and after Rebuild and a
// Sync the index answers again.
func TestSearchOnDamagedIndex(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	ix, arts := mustBuild(t, data)
	ix.Close()
	ix = mustOpen(t, data)
	corruptLargestSegment(t, data)
	damaged := 0
	for _, a := range arts[:20] {
		_, err := ix.Search(ctx, index.Query{Text: a.Title, K: 1})
		switch {
		case errors.Is(err, index.ErrDamaged):
			damaged++
		case err != nil:
			// Which error garbage leads to depends on where it falls;
			// what matters is that none panics and the damage is seen.
			t.Logf("Search(%q) = %v, not marked as damage", a.Title, err)
		}
	}
	if damaged == 0 {
		t.Fatal("no search noticed the damage")
	}
	if err := ix.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(ctx, arts); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts[:20] {
		if res, err := ix.Search(ctx, index.Query{Text: a.Title, K: 1}); err != nil || len(res) == 0 {
			t.Fatalf("Search(%q) after Rebuild = %d answers, %v", a.Title, len(res), err)
		}
	}
}
