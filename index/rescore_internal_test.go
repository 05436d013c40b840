package index

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/searcher"

	"attache/corpus"
	"attache/corpus/corpustest"
)

// TestRescoreAsBleve checks that rescore gives the candidates of a search
// the scores Bleve gives them for the full query it stands for, to the
// last bit, on an index of several segments, one of whose articles was
// deleted and another replaced, for random sets of terms, boosts and
// articles.
func TestRescoreAsBleve(t *testing.T) {
	ctx := context.Background()
	ix := mustOpen(t, t.TempDir())
	arts, _, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	generated := corpustest.Generate(120, 3)
	if _, err := ix.Sync(ctx, append(slices.Clone(arts), generated...)); err != nil {
		t.Fatal(err)
	}
	// Deleted and replaced passages stay in the segments' postings until
	// a merge: Bleve's counts keep them, and so must rescore's.
	generated[0].Paragraphs = append(generated[0].Paragraphs, "A new paragraph about the summit in Geneva.")
	generated[0].Hash = "changed"
	if _, err := ix.Sync(ctx, append(slices.Clone(arts), generated[:len(generated)-1]...)); err != nil {
		t.Fatal(err)
	}
	vocab, err := ix.loadVocabulary()
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for term, df := range vocab.df {
		if df > 1 {
			words = append(words, term)
		}
	}
	slices.Sort(words)
	var ids []string
	for id := range ix.articles {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	r := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for range 200 {
		var all []clause
		for range 1 + r.IntN(12) {
			c := clause{term: words[r.IntN(len(words))], boost: 1}
			if r.IntN(3) == 0 {
				c.boost = 0.8
			}
			all = append(all, c)
		}
		if r.IntN(3) == 0 {
			if c, ok := articleClause(ix.articles, ids[r.IntN(len(ids))], 0.5, vocab.docs); ok {
				all = append(all, c)
			}
		}
		req := bleve.NewSearchRequestOptions(disjunction(all), candidates, 0, false)
		req.Fields = []string{fieldText}
		res, err := ix.search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			continue
		}
		hitIDs := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			hitIDs[i] = h.ID
		}
		any := bleve.NewDocIDQuery(hitIDs)
		any.SetBoost(anyBoost)
		full := bleve.NewConjunctionQuery(bleve.NewDocIDQuery(hitIDs), bleve.NewDisjunctionQuery(append(disjunction(all).Disjuncts, any)...))
		wantRes, err := ix.search(ctx, bleve.NewSearchRequestOptions(full, len(hitIDs), 0, false))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{}
		for _, h := range wantRes.Hits {
			want[h.ID] = h.Score
		}
		if err := ix.rescore(ctx, res.Hits, all); err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != len(want) {
			t.Fatalf("%v: rescored %d hits, Bleve %d", all, len(res.Hits), len(want))
		}
		// Bleve sums the scores of more clauses in an order of its own.
		tolerance := 0.0
		if len(all)+1 > searcher.DisjunctionHeapTakeover {
			tolerance = 1e-12
		}
		for i, h := range res.Hits {
			w := want[h.ID]
			if math.Abs(h.Score-w) > tolerance*w {
				t.Fatalf("%v: %s scores %.17g, Bleve %.17g", all, h.ID, h.Score, w)
			}
			if i > 0 && h.Score > res.Hits[i-1].Score {
				t.Fatalf("%v: hits not best first", all)
			}
		}
		checked++
	}
	if checked < 150 {
		t.Fatalf("only %d of 200 searches found anything", checked)
	}
}
