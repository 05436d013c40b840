package index

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"attache/corpus"
)

// TestPassageDocumentAsMapped checks that the documents apply builds by
// hand hold the same fields, with the same options and terms, as the
// mapping makes of the same passage, also when the analysis reuses the
// tokens of a passage before.
func TestPassageDocumentAsMapped(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	p := corpus.Passage{Position: 4, Paragraph: 2, Text: "Mr Trump’s envoy met Vladimir Putin in Alaska on Friday, U.S. officials said."}
	own := newPassageFields(m).own()
	if _, ok := own.text.(*analysis.DefaultAnalyzer).Tokenizer.(*reusingWords); !ok {
		t.Fatalf("own passage fields analyse with %T, want *reusingWords", own.text.(*analysis.DefaultAnalyzer).Tokenizer)
	}
	own.document("2026/alaska.md", corpus.Passage{Text: "A longer passage before, whose tokens the next analysis reuses: talks in Geneva, Doha and Riyadh ended without a deal."})
	built := own.document("2026/alaska.md", p)

	mapped := document.NewDocument(built.ID())
	err = m.MapDocument(mapped, struct {
		Text string `json:"text"`
	}{p.Text})
	if err != nil {
		t.Fatal(err)
	}
	type field struct {
		opts  index.FieldIndexingOptions
		value []byte
		terms map[string][]index.TokenLocation
		freqs map[string]int
	}
	fields := func(d *document.Document) map[string]field {
		out := map[string]field{}
		for _, f := range d.Fields {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
			terms := map[string][]index.TokenLocation{}
			freqs := map[string]int{}
			for term, tf := range f.AnalyzedTokenFrequencies() {
				freqs[term] = tf.Frequency()
				for _, l := range tf.Locations {
					terms[term] = append(terms[term], index.TokenLocation{Start: l.Start, End: l.End, Position: l.Position})
				}
				if len(tf.Locations) == 0 {
					terms[term] = nil
				}
			}
			out[f.Name()] = field{f.Options(), f.Value(), terms, freqs}
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

// TestAnalyzerAsBleve checks that the analyzer, with its own folding and
// stemming filters, makes the same tokens as Bleve's asciifolding and
// Snowball filters would, the first time a word is seen and after.
func TestAnalyzerAsBleve(t *testing.T) {
	stock := bleve.NewIndexMapping()
	err := stock.AddCustomAnalyzer("stock", map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{en.PossessiveName, lowercase.Name, en.StopName, en.SnowballStemmerName},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := stock.AnalyzerNamed("stock")
	arts, _, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"Zelenskyy’s envoy met Mr Trump in Anchorage", "Adré, Tromsø and São Paulo: naïve café talks", "ÆØÅ ﬁnal ½ deal", ""}
	for _, a := range arts {
		texts = append(texts, a.Title)
		texts = append(texts, a.Paragraphs...)
	}
	for range 2 {
		for _, text := range texts {
			got, wanted := analyzer().Analyze([]byte(text)), want.Analyze([]byte(text))
			if len(got) != len(wanted) {
				t.Fatalf("%q: %d tokens, want %d", text, len(got), len(wanted))
			}
			for i := range got {
				g, w := got[i], wanted[i]
				if !bytes.Equal(g.Term, w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position {
					t.Fatalf("%q: token %d = %q %d-%d@%d, want %q %d-%d@%d", text, i, g.Term, g.Start, g.End, g.Position, w.Term, w.Start, w.End, w.Position)
				}
			}
		}
	}
}

// TestASCIIWordsAsUnicode checks that the tokenizer's shortcut for ASCII
// text, alone and reusing its tokens from one text to the next, splits
// random ASCII text into the same tokens as Bleve's unicode tokenizer.
func TestASCIIWordsAsUnicode(t *testing.T) {
	stock := unicode.NewUnicodeTokenizer()
	fast := asciiWords{stock}
	reusing := &reusingWords{asciiWords: fast}
	r := rand.New(rand.NewPCG(1, 2))
	// Mostly word characters and the characters that may join them,
	// with every other ASCII character now and then.
	alphabet := "aaaaaaaAAbbzZ000119__..'',,;;::  \t\n"
	for n := range 50000 {
		b := make([]byte, r.IntN(24))
		for i := range b {
			if r.IntN(8) == 0 {
				b[i] = byte(r.IntN(128))
			} else {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
		}
		want := stock.Tokenize(b)
		for _, tok := range []analysis.Tokenizer{fast, reusing} {
			got := tok.Tokenize(b)
			if len(got) != len(want) {
				t.Fatalf("%T, case %d, %q: %d tokens %v, want %d %v", tok, n, b, len(got), got, len(want), want)
			}
			for i := range got {
				g, w := got[i], want[i]
				if !bytes.Equal(g.Term, w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
					t.Fatalf("%T, case %d, %q: token %d = %v, want %v", tok, n, b, i, g, w)
				}
			}
		}
	}
}
