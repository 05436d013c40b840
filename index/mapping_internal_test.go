package index

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"attache/corpus"
)

// TestPassageDocumentAsMapped checks that the documents apply builds by
// hand hold the same fields, with the same options and terms, as the
// mapping makes of the same passage.
func TestPassageDocumentAsMapped(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	p := corpus.Passage{Position: 4, Paragraph: 2, Text: "Mr Trump’s envoy met Vladimir Putin in Alaska on Friday, U.S. officials said."}
	built := newPassageFields(m).document("2026/alaska.md", p)

	mapped := document.NewDocument(built.ID())
	err = m.MapDocument(mapped, struct {
		Text     string  `json:"text"`
		Names    string  `json:"names"`
		Article  string  `json:"article"`
		Position float64 `json:"position"`
		Para     float64 `json:"para"`
	}{p.Text, capitalised(p.Text), "2026/alaska.md", float64(p.Position), float64(p.Paragraph)})
	if err != nil {
		t.Fatal(err)
	}
	type field struct {
		opts  index.FieldIndexingOptions
		value []byte
		terms map[string][]index.TokenLocation
	}
	fields := func(d *document.Document) map[string]field {
		out := map[string]field{}
		for _, f := range d.Fields {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
			terms := map[string][]index.TokenLocation{}
			for term, tf := range f.AnalyzedTokenFrequencies() {
				for _, l := range tf.Locations {
					terms[term] = append(terms[term], index.TokenLocation{Start: l.Start, End: l.End, Position: l.Position})
				}
				if len(tf.Locations) == 0 {
					terms[term] = nil
				}
			}
			out[f.Name()] = field{f.Options(), f.Value(), terms}
		}
		return out
	}
	got, want := fields(built), fields(mapped)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("built document\n%+v\nwant as mapped\n%+v", got, want)
	}
	if len(mapped.CompositeFields) != 0 {
		t.Fatalf("the mapping makes %d composite fields, want none", len(mapped.CompositeFields))
	}
}

// TestStemCache checks that the cached stemmer stems as the Snowball
// stemmer does, the first time a word is seen and after.
func TestStemCache(t *testing.T) {
	arts, _, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, a := range arts {
		words = append(words, strings.Fields(strings.ToLower(a.Text()))...)
	}
	snowball := en.NewEnglishStemmerFilter()
	for range 2 {
		for _, w := range words {
			got := theStems.Filter(tokens(w))[0].Term
			want := snowball.Filter(tokens(w))[0].Term
			if !bytes.Equal(got, want) {
				t.Fatalf("stem of %q = %q, want %q", w, got, want)
			}
		}
	}
}

func tokens(word string) analysis.TokenStream {
	return analysis.TokenStream{{Term: []byte(word), Start: 0, End: len(word), Position: 1}}
}
