package index

import (
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

func TestSplitPassageID(t *testing.T) {
	tests := []struct {
		id      string
		article string
		pos     int
		ok      bool
	}{
		{passageID("2026/alaska.md", 0), "2026/alaska.md", 0, true},
		{passageID("a#b.md", 17), "a#b.md", 17, true},
		{"no-position.md", "", 0, false},
		{"a.md#", "", 0, false},
		{"a.md#x", "", 0, false},
		{"a.md#-1", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			art, pos, ok := splitPassageID(tt.id)
			if art != tt.article || pos != tt.pos || ok != tt.ok {
				t.Fatalf("splitPassageID(%q) = %q, %d, %v, want %q, %d, %v", tt.id, art, pos, ok, tt.article, tt.pos, tt.ok)
			}
		})
	}
}

func TestCapitalCounts(t *testing.T) {
	want := map[string]int{"putin": 3, "alaska": 1, "zelenski": 200}
	got := map[string]int{}
	c := newCapitalCounts(want)
	if !c.each(func(term string, n int) { got[term] = n }) || !maps.Equal(got, want) {
		t.Fatalf("counts read back as %v, want %v", got, want)
	}
	if c[:len(c)-1].each(func(string, int) {}) {
		t.Fatal("a truncated encoding reads as whole")
	}
	if !capitalCounts("").each(func(string, int) { t.Fatal("empty counts hold a term") }) {
		t.Fatal("empty counts read as broken")
	}
}

// equivalenceIndex indexes passages in memory with the text field as the
// index had it before attache-passages-9 (term vectors, and the article
// ID in a keyword field of its own), to check that what replaced them
// answers alike.
func equivalenceIndex(t *testing.T, passages map[string][]string) bleve.Index {
	t.Helper()
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	m.DefaultMapping.Properties[fieldText].Fields[0].IncludeTermVectors = true
	art := bleve.NewKeywordFieldMapping()
	art.Analyzer = keyword.Name
	art.IncludeInAll = false
	m.DefaultMapping.AddFieldMappingsAt("article", art)
	// On disk, as attache's index is: Bleve scores BM25 only there.
	b, err := bleve.New(filepath.Join(t.TempDir(), "index.bleve"), m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for id, ps := range passages {
		for pos, p := range ps {
			if err := b.Index(passageID(id, pos), map[string]string{fieldText: p, "article": id}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return b
}

var equivalencePassages = map[string][]string{
	"alaska.md": {
		"Mr Trump’s envoy met Vladimir Putin in Alaska on Friday, U.S. officials said.",
		"The summit in Anchorage will be held on 15 August.",
		"Talks on the ceasefire, the summit and the sanctions went on in Alaska.",
	},
	"geneva.md": {
		"Négociations à Genève: the talks resumed in Geneva.",
		"The ministers said the summit was postponed.",
	},
	"oil.md": {
		"Twelve tankers were blacklisted by the European Union.",
		"The price cap on Russian oil holds.",
		"Oil prices rose after the summit.",
		"Ministers met.",
	},
}

// TestLocateAsTermVectors checks that locate finds the question's terms
// where Bleve's term vectors put them.
func TestLocateAsTermVectors(t *testing.T) {
	b := equivalenceIndex(t, equivalencePassages)
	terms := map[string]bool{}
	var qs []query.Query
	for _, w := range []string{"summit", "alaska", "talk", "genev", "negoti", "oil", "minist"} {
		terms[w] = true
		tq := bleve.NewTermQuery(w)
		tq.SetField(fieldText)
		qs = append(qs, tq)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), 100, 0, false)
	req.Fields = []string{fieldText}
	req.IncludeLocations = true
	res, err := b.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) < 6 {
		t.Fatalf("%d hits, want at least 6", len(res.Hits))
	}
	want := map[string]search.FieldTermLocationMap{}
	for _, h := range res.Hits {
		want[h.ID] = search.FieldTermLocationMap{fieldText: h.Locations[fieldText]}
	}
	locate(res.Hits, terms)
	for _, h := range res.Hits {
		if !reflect.DeepEqual(h.Locations, want[h.ID]) {
			t.Errorf("%s: locate found %s, term vectors %s", h.ID, locString(h.Locations), locString(want[h.ID]))
		}
	}
}

func locString(m search.FieldTermLocationMap) string {
	var out []string
	for term, locs := range m[fieldText] {
		for _, l := range locs {
			out = append(out, fmt.Sprintf("%s@%d[%d:%d]", term, l.Pos, l.Start, l.End))
		}
	}
	slices.Sort(out)
	return fmt.Sprint(out)
}

// TestArticleQueryAsTermQuery checks that articleClause ranks passages as
// a term query for the article's ID in a keyword field did, with every
// score in the same proportion (Bleve's query norm changes).
func TestArticleQueryAsTermQuery(t *testing.T) {
	b := equivalenceIndex(t, equivalencePassages)
	articles := map[string]articleMeta{}
	docs := 0
	for id, ps := range equivalencePassages {
		articles[id] = articleMeta{Passages: len(ps)}
		docs += len(ps)
	}
	scores := func(byArticle func(id string) query.Query) map[string]float64 {
		summit := bleve.NewTermQuery("summit")
		summit.SetField(fieldText)
		res, err := b.Search(bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(summit, byArticle("oil.md"), byArticle("geneva.md")), 100, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, h := range res.Hits {
			out[h.ID] = h.Score
		}
		return out
	}
	want := scores(func(id string) query.Query {
		q := bleve.NewTermQuery(id)
		q.SetField("article")
		q.SetBoost(0.5)
		return q
	})
	got := scores(func(id string) query.Query { c, _ := articleClause(articles, id, 0.5, docs); return c.query() })
	if len(got) != len(want) || len(got) != 8 {
		t.Fatalf("matched %v, want %v", got, want)
	}
	ratio := got["oil.md#0"] / want["oil.md#0"]
	for id, w := range want {
		if math.Abs(got[id]/w-ratio) > 1e-9 {
			t.Errorf("%s scores %g, want %g (in the proportion %g of the others)", id, got[id], w*ratio, ratio)
		}
	}
}
