package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// clause is one disjunct of a question's query: a term of the text field,
// or a set of passages (ids), with its boost.
type clause struct {
	term  string
	ids   []string
	boost float64
}

// query returns the clause as a Bleve query.
func (c clause) query() query.Query {
	if c.ids != nil {
		q := bleve.NewDocIDQuery(c.ids)
		q.SetBoost(c.boost)
		return q
	}
	q := bleve.NewTermQuery(c.term)
	q.SetField(fieldText)
	q.SetBoost(c.boost)
	return q
}

// disjunction returns the Bleve query that matches any of cs.
func disjunction(cs []clause) *query.DisjunctionQuery {
	qs := make([]query.Query, len(cs))
	for i, c := range cs {
		qs[i] = c.query()
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// anyBoost is the weight of the clause that matches every candidate, so
// that a candidate found through its headline comes back though it holds
// none of the terms.
const anyBoost = 1e-6

// rescore gives each hit the score Bleve gives it for the question's full
// query asked of the hits alone: the conjunction of the hits' IDs and of
// the disjunction of all clauses and of the hits' IDs again (weighted
// anyBoost). It also records where the clauses' terms stand in each hit
// (see locate).
//
// Bleve answers that query by walking the postings of every term up to
// the last hit, which for a common term is most of the index: two fifths
// of what a question cost on 20,000 articles. Here each hit's text is
// analysed again, as locate does anyway, and the terms' frequencies and
// the text's length go into Bleve's formulas: BM25 with Bleve's document
// counts and average length, its query norm, its coordination factor and
// the field length as its segments store it. TestRescoreAsBleve holds the
// two to the same scores.
func (ix *Index) rescore(ctx context.Context, hits search.DocumentMatchCollection, all []clause) error {
	st, err := ix.bm25Stats(ctx, all)
	if err != nil {
		return err
	}
	terms := map[string]bool{}
	for _, c := range all {
		if c.ids == nil {
			terms[c.term] = true
		}
	}
	lengths := locate(hits, terms)

	// The disjunction's clauses: the question's, and every hit.
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	clauses := append(slices.Clip(all), clause{ids: ids, boost: anyBoost})
	sets := make([]map[string]bool, len(clauses))
	idf := make([]float64, len(clauses))
	count := make([]uint64, len(clauses)) // how many passages each matches
	for i, c := range clauses {
		if c.ids != nil {
			sets[i] = make(map[string]bool, len(c.ids))
			for _, id := range c.ids {
				sets[i][id] = true
			}
			count[i] = uint64(len(c.ids))
			continue
		}
		count[i] = st.df[c.term]
		idf[i] = st.idf(count[i])
	}
	// A disjunction of few clauses sorts them by that count and sums
	// their weights and scores in that order; summed in the same order,
	// the scores are the same to the last bit. (A larger one sums in an
	// order its heap decides, which this comes within rounding of.)
	order := countOrder{idx: make([]int, len(clauses)), count: count}
	for i := range order.idx {
		order.idx[i] = i
	}
	if len(clauses) <= searcher.DisjunctionHeapTakeover {
		sort.Sort(order)
	}

	// The query norm: the hits' IDs weigh their boost (1) squared, a term
	// its boost times its idf squared.
	var disjWeight float64
	for _, i := range order.idx {
		w := clauses[i].boost
		if clauses[i].ids == nil {
			w *= idf[i]
		}
		disjWeight += w * w
	}
	norm := 1 / math.Sqrt(1+disjWeight)

	for h, hit := range hits {
		locs := hit.Locations[fieldText]
		// The length as a segment stores it: the norm 1/√length as a
		// float32, turned back into a length.
		n := float64(float32(1 / math.Sqrt(float64(lengths[h]))))
		length := 1 / (n * n)
		sum, matched := 0.0, 0
		for _, i := range order.idx {
			c := clauses[i]
			var s float64
			if c.ids != nil {
				if !sets[i][hit.ID] {
					continue
				}
				s = weighted(1, c.boost*norm)
			} else {
				freq := len(locs[c.term])
				if freq == 0 {
					continue
				}
				tf := math.Sqrt(float64(freq))
				s = idf[i] * (tf * search.BM25_k1) / (tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*length/st.avgLength)))
				s = weighted(s, c.boost*idf[i]*norm)
			}
			sum += s
			matched++
		}
		hit.Score = weighted(1, norm) + sum*(float64(matched)/float64(len(clauses)))
	}
	// Best first, as Bleve returns them (ties keep the first step's order).
	slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	return nil
}

// countOrder sorts clause indices by the count of passages each matches.
type countOrder struct {
	idx   []int
	count []uint64
}

func (o countOrder) Len() int           { return len(o.idx) }
func (o countOrder) Less(i, j int) bool { return o.count[o.idx[i]] < o.count[o.idx[j]] }
func (o countOrder) Swap(i, j int)      { o.idx[i], o.idx[j] = o.idx[j], o.idx[i] }

// weighted multiplies a score by its query weight as Bleve's scorers do,
// which leave it alone at exactly 1.
func weighted(score, weight float64) float64 {
	if weight != 1 {
		return score * weight
	}
	return score
}

// bm25Stats are the index-wide counts Bleve's BM25 scores a term with.
type bm25Stats struct {
	docs      uint64
	avgLength float64
	df        map[string]uint64
}

// idf is Bleve's BM25 inverse document frequency.
func (st bm25Stats) idf(df uint64) float64 {
	return math.Log(1 + (float64(st.docs)-float64(df)+0.5)/(float64(df)+0.5))
}

// bm25Stats reads the counts that score the term clauses of cs, as
// Bleve's term searchers read them.
func (ix *Index) bm25Stats(ctx context.Context, cs []clause) (st bm25Stats, err error) {
	b, err := ix.current()
	if err != nil {
		return st, err
	}
	defer guard(&err)
	adv, err := b.Advanced()
	if err != nil {
		return st, fmt.Errorf("read index statistics: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return st, fmt.Errorf("read index statistics: %w", err)
	}
	defer r.Close()
	if st.docs, err = r.DocCount(); err != nil {
		return st, fmt.Errorf("read index statistics: %w", err)
	}
	if br, ok := r.(index.BM25Reader); ok && st.docs > 0 {
		card, err := br.FieldCardinality(fieldText)
		if err != nil {
			return st, fmt.Errorf("read index statistics: %w", err)
		}
		st.avgLength = math.Ceil(float64(card) / float64(st.docs))
	}
	st.df = map[string]uint64{}
	for _, c := range cs {
		if c.ids != nil {
			continue
		}
		tfr, err := r.TermFieldReader(ctx, []byte(c.term), fieldText, false, false, false)
		if err != nil {
			return st, fmt.Errorf("read index statistics: %w", err)
		}
		st.df[c.term] = tfr.Count()
		tfr.Close()
	}
	return st, nil
}
