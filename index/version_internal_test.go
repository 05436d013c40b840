package index

import (
	"context"
	"testing"
	"time"

	"attache/corpus"
)

func TestRebuildOnMappingChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	arts, _, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sync(ctx, arts); err != nil {
		t.Fatal(err)
	}
	built := time.Now()
	time.Sleep(10 * time.Millisecond)
	// Pretend an older attache built this index.
	if err := setInternal(ix.bleve, keyVersion, []byte("attache-passages-0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix, err = Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Sync(ctx, arts)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != len(arts) {
		t.Fatalf("after a mapping change Sync = %+v, want every article indexed again", st)
	}
	// The rebuild keeps when articles came in: nothing is new to a digest.
	stories, err := ix.Stories(ctx, built, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 0 {
		t.Fatalf("%d stories look new after a rebuild, want 0", len(stories))
	}
}
