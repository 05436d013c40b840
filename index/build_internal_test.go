package index

import (
	"context"
	"math"
	"runtime/debug"
	"testing"

	"attache/corpus/corpustest"
)

func TestTuneMemory(t *testing.T) {
	restore := tuneMemory()
	if gc := debug.SetGCPercent(-1); gc != buildGOGC {
		t.Errorf("GOGC during a build = %d, want %d", gc, buildGOGC)
	}
	if limit := debug.SetMemoryLimit(-1); limit < buildMemoryLimit || limit == math.MaxInt64 {
		t.Errorf("memory limit during a build = %d, want at least %d", limit, buildMemoryLimit)
	}
	restore()
	if gc := debug.SetGCPercent(100); gc != 100 {
		t.Errorf("GOGC after a build = %d, want 100 again", gc)
	}
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		t.Errorf("memory limit after a build = %d, want none again", limit)
	}

	// A program's own settings are left alone.
	debug.SetGCPercent(50)
	defer debug.SetGCPercent(100)
	restore = tuneMemory()
	if gc := debug.SetGCPercent(-1); gc != 50 {
		t.Errorf("GOGC during a build = %d, want the program's 50", gc)
	}
	debug.SetGCPercent(50)
	restore()
}

// TestLargeBuildMerged checks that a large build leaves the index in one
// segment, on disk.
func TestLargeBuildMerged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	batch := batchPassages
	batchPassages = 1000 // several segments to merge
	defer func() { batchPassages = batch }()
	ix, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(ctx, corpustest.Generate(bulkArticles, 1)); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, _ := ix.bleve.StatsMap()["index"].(map[string]any)
	if n, _ := st["num_root_filesegments"].(uint64); n != 1 {
		t.Fatalf("%v segments after a large build, want 1", st["num_root_filesegments"])
	}
}
