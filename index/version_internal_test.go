package index

import (
	"context"
	"testing"

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
	// Pretend an older attache built this index.
	if err := ix.bleve.SetInternal(keyVersion, []byte("attache-passages-0")); err != nil {
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
}
