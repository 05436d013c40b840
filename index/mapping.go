package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion names the shape of the index. Bump it whenever the mapping,
// the analyzer or the documents change: an index built with another version
// is rebuilt from the corpus on open.
const mappingVersion = "attache-passages-7"

// analyzerName is the English analysis used for passage text, titles and
// questions alike, so that a question's terms meet the index's terms.
const analyzerName = "attache_en"

// Field names of a passage document.
const (
	fieldText      = "text"      // the sentence: indexed, stored
	fieldTitle     = "title"     // the article's title: indexed only
	fieldNames     = "names"     // the passage's capitalised words: indexed only
	fieldArticle   = "article"   // article ID: keyword, stored
	fieldSource    = "source"    // keyword
	fieldPublished = "published" // datetime
	fieldPosition  = "position"  // sentence index in the article, stored
	fieldPara      = "para"      // paragraph index, stored
)

// passageDoc is what Bleve indexes for one passage.
type passageDoc struct {
	Text      string  `json:"text"`
	Title     string  `json:"title"`
	Names     string  `json:"names"`
	Article   string  `json:"article"`
	Source    string  `json:"source"`
	Published string  `json:"published,omitempty"`
	Position  float64 `json:"position"`
	Para      float64 `json:"para"`
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	err := m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{en.PossessiveName, lowercase.Name, en.StopName, en.SnowballStemmerName},
	})
	if err != nil {
		return nil, fmt.Errorf("define analyzer: %w", err)
	}
	m.DefaultAnalyzer = analyzerName
	// BM25 measured better than tf-idf on the dev questions; see README.
	m.ScoringModel = "bm25"

	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.Store = store
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = true
		f.Index = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	date := bleve.NewDateTimeFieldMapping()
	date.Store = false
	date.IncludeInAll = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, text(true))
	doc.AddFieldMappingsAt(fieldTitle, text(false))
	names := text(false)
	names.IncludeTermVectors = false
	doc.AddFieldMappingsAt(fieldNames, names)
	doc.AddFieldMappingsAt(fieldArticle, kw(true))
	doc.AddFieldMappingsAt(fieldSource, kw(false))
	doc.AddFieldMappingsAt(fieldPublished, date)
	doc.AddFieldMappingsAt(fieldPosition, num())
	doc.AddFieldMappingsAt(fieldPara, num())
	m.DefaultMapping = doc
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}
