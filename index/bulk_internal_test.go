package index

import (
	"cmp"
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"attache/corpus/corpustest"
)

// TestBulkAnswersAsBatches builds one corpus twice, once in bulk (an
// empty index and enough articles) and once in batches (the same articles
// added to an index that already holds some), and checks that the two
// manifests and the answers to generated questions are the same.
func TestBulkAnswersAsBatches(t *testing.T) {
	ctx := context.Background()
	arts := corpustest.Generate(bulkArticles+100, 1)
	bulk := mustOpen(t, t.TempDir())
	if _, err := bulk.Sync(ctx, arts); err != nil {
		t.Fatal(err)
	}
	batches := mustOpen(t, t.TempDir())
	for _, n := range []int{50, len(arts)} {
		if _, err := batches.Sync(ctx, arts[:n]); err != nil {
			t.Fatal(err)
		}
	}
	if len(bulk.articles) != len(arts) {
		t.Fatalf("bulk build holds %d articles, want %d", len(bulk.articles), len(arts))
	}
	for id, want := range batches.articles {
		got := bulk.articles[id]
		got.Added, got.Changed = want.Added, want.Changed // when each was built
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: bulk entry %+v, batches' %+v", id, got, want)
		}
	}
	for _, q := range corpustest.Questions(60, 3) {
		got, err := bulk.Search(ctx, Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		want, err := batches.Search(ctx, Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		// Bleve may sum a score's parts in another order: the last bits
		// of a float may differ, and two passages that tie may come in
		// either order, with the confidence of their rank.
		if len(got) != len(want) {
			t.Fatalf("%q: %d answers from the bulk build, %d from batches", q, len(got), len(want))
		}
		norm := func(as []Answer) []Answer {
			as = slices.Clone(as)
			for i := range as {
				as[i].Score = math.Round(as[i].Score*1e6) / 1e6
				as[i].Confidence = 0
			}
			slices.SortStableFunc(as, func(a, b Answer) int {
				return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Article.ID, b.Article.ID), cmp.Compare(a.Position, b.Position))
			})
			return as
		}
		if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
			t.Fatalf("%q: bulk build answers %+v, batches %+v", q, g, w)
		}
	}
}

// TestUnfinishedBulkBuildStartsAgain opens an index whose passages are
// in place but whose manifest was never written, as a crash leaves a bulk
// build between the two, and checks that it is emptied for the next run
// to fill.
func TestUnfinishedBulkBuildStartsAgain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	if _, err := ix.Sync(ctx, corpustest.Generate(bulkArticles, 1)); err != nil {
		t.Fatal(err)
	}
	batch := ix.bleve.NewBatch()
	batch.DeleteInternal(keyChunks)
	batch.DeleteInternal(chunkKey(0))
	persisted := make(chan error, 1)
	batch.SetPersistedCallback(func(err error) { persisted <- err })
	if err := ix.bleve.Batch(batch); err != nil {
		t.Fatal(err)
	}
	if err := <-persisted; err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix = mustOpen(t, dir)
	n, err := ix.bleve.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 || len(ix.articles) != 0 {
		t.Fatalf("reopened with %d passages and %d articles, want an empty index", n, len(ix.articles))
	}
}

func mustOpen(tb testing.TB, dir string) *Index {
	tb.Helper()
	ix, err := Open(context.Background(), dir, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}
