package index

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"attache/corpus"
	"attache/corpus/corpustest"
)

// TestBulkAsBatches builds one corpus twice, once in bulk (an empty
// index and enough articles) and once in batches (the same articles added
// to an index that already holds some), and checks that the two hold the
// same manifest, passages and terms. (Their answers may still differ where
// passages tie for the last of a question's candidates: Bleve breaks the
// tie by where each build put them.)
func TestBulkAsBatches(t *testing.T) {
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
	if len(bulk.articles) != len(arts) || len(batches.articles) != len(arts) {
		t.Fatalf("%d articles in bulk, %d in batches, want %d", len(bulk.articles), len(batches.articles), len(arts))
	}
	for id, want := range batches.articles {
		got := bulk.articles[id]
		got.Added, got.Changed = want.Added, want.Changed // when each was built
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: bulk entry %+v, batches' %+v", id, got, want)
		}
	}
	contents := func(ix *Index) (map[string]uint64, map[string]string) {
		dict, err := ix.bleve.FieldDict(fieldText)
		if err != nil {
			t.Fatal(err)
		}
		defer dict.Close()
		terms := map[string]uint64{}
		for e, err := dict.Next(); e != nil || err != nil; e, err = dict.Next() {
			if err != nil {
				t.Fatal(err)
			}
			terms[e.Term] = e.Count
		}
		ids := passageIDs(ix.articles, slices.Collect(maps.Keys(ix.articles)))
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids)+1, 0, false)
		req.Fields = []string{fieldText}
		res, err := ix.bleve.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		texts := map[string]string{}
		for _, h := range res.Hits {
			texts[h.ID] = hitText(h)
		}
		return terms, texts
	}
	gotTerms, gotTexts := contents(bulk)
	wantTerms, wantTexts := contents(batches)
	if !maps.Equal(gotTerms, wantTerms) {
		t.Fatalf("bulk build has %d terms, batches %d, or other counts", len(gotTerms), len(wantTerms))
	}
	if !maps.Equal(gotTexts, wantTexts) || len(gotTexts) == 0 {
		t.Fatalf("bulk build holds %d passages, batches %d, or other texts", len(gotTexts), len(wantTexts))
	}
}

// TestUnfinishedBulkBuildStartsAgain opens an index whose passages are
// in place but whose manifest was never written, as a crash left a bulk
// build of an earlier attache between the two, and checks that it is
// emptied for the next run to fill.
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
	if err := writeBatch(ctx, ix.bleve, batch); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	if passages, articles := reopenedCounts(t, dir); passages != 0 || articles != 0 {
		t.Fatalf("reopened with %d passages and %d articles, want an empty index", passages, articles)
	}
}

// reopenedCounts opens the index in dir and returns how many passages it
// holds and how many articles its manifest names.
func reopenedCounts(t *testing.T, dir string) (passages, articles int) {
	t.Helper()
	ix := mustOpen(t, dir)
	n, err := ix.bleve.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return int(n), len(ix.articles)
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

// TestBulkWithoutPassages checks that a first build of articles without a
// sentence between them writes their manifest to the empty index.
func TestBulkWithoutPassages(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix := mustOpen(t, dir)
	arts := make([]corpus.Article, bulkArticles)
	for i := range arts {
		arts[i] = corpus.Article{ID: fmt.Sprintf("blank-%d.md", i), Title: "Blank", Hash: fmt.Sprint(i), Paragraphs: []string{" "}}
	}
	if _, err := ix.Sync(ctx, arts); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if passages, articles := reopenedCounts(t, dir); passages != 0 || articles != len(arts) {
		t.Fatalf("reopened with %d passages and %d articles, want none and %d", passages, articles, len(arts))
	}
}
