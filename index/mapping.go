package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"attache/corpus"
)

// mappingVersion names the shape of the index. Bump it whenever the mapping,
// the analyzer or the documents change: an index built with another version
// is rebuilt from the corpus on open.
const mappingVersion = "attache-passages-8"

// analyzerName is the English analysis used for passage text, titles and
// questions alike, so that a question's terms meet the index's terms.
const analyzerName = "attache_en"

// Field names of a passage document. A passage carries only what is its
// own; what belongs to its article (title, source, date) is kept once, in
// the manifest.
const (
	fieldText     = "text"     // the sentence: indexed, stored
	fieldNames    = "names"    // the passage's capitalised words: indexed only
	fieldArticle  = "article"  // article ID: keyword, stored
	fieldPosition = "position" // sentence index in the article, stored
	fieldPara     = "para"     // paragraph index, stored
)

// Indexing options of the passage fields, as newMapping declares them.
const (
	textOptions    = index.IndexField | index.StoreField | index.IncludeTermVectors
	namesOptions   = index.IndexField
	articleOptions = index.IndexField | index.StoreField
	numberOptions  = index.StoreField
)

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	err := m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{foldingName},
		"tokenizer":     tokenizerName,
		"token_filters": []string{en.PossessiveName, lowercase.Name, en.StopName, stemmerName},
	})
	if err != nil {
		return nil, fmt.Errorf("define analyzer: %w", err)
	}
	m.DefaultAnalyzer = analyzerName
	// BM25 measured better than tf-idf on the dev questions; see README.
	m.ScoringModel = "bm25"

	field := func(typ string, o index.FieldIndexingOptions, analyzer string) *mapping.FieldMapping {
		f := &mapping.FieldMapping{Type: typ, Analyzer: analyzer}
		f.Index = o.IsIndexed()
		f.Store = o.IsStored()
		f.IncludeTermVectors = o.IncludeTermVectors()
		f.DocValues = o.IncludeDocValues()
		f.IncludeInAll = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, field("text", textOptions, analyzerName))
	doc.AddFieldMappingsAt(fieldNames, field("text", namesOptions, analyzerName))
	doc.AddFieldMappingsAt(fieldArticle, field("text", articleOptions, keyword.Name))
	doc.AddFieldMappingsAt(fieldPosition, field("number", numberOptions, ""))
	doc.AddFieldMappingsAt(fieldPara, field("number", numberOptions, ""))
	// No field goes into _all, and building it costs a pass over every
	// field of every passage.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	m.DefaultMapping = doc
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// passageFields builds passage documents as newMapping maps them, without
// walking a struct by reflection for every passage.
type passageFields struct {
	text, keyword analysis.Analyzer
}

func newPassageFields(m *mapping.IndexMappingImpl) passageFields {
	return passageFields{text: m.AnalyzerNamed(analyzerName), keyword: m.AnalyzerNamed(keyword.Name)}
}

// document returns the analysed document of passage p of article id.
// Analysis happens here, on the goroutines that prepare the next batch
// while Bleve writes the current one; Bleve's own call to Analyze then has
// nothing left to do.
func (pf passageFields) document(id string, p corpus.Passage) *document.Document {
	d := document.NewDocument(passageID(id, p.Position))
	d.AddField(analysed(document.NewTextFieldCustom(fieldText, nil, []byte(p.Text), textOptions, pf.text)))
	d.AddField(analysed(document.NewTextFieldCustom(fieldNames, nil, []byte(capitalised(p.Text)), namesOptions, pf.text)))
	d.AddField(analysed(document.NewTextFieldCustom(fieldArticle, nil, []byte(id), articleOptions, pf.keyword)))
	d.AddField(document.NewNumericFieldWithIndexingOptions(fieldPosition, nil, float64(p.Position), numberOptions))
	d.AddField(document.NewNumericFieldWithIndexingOptions(fieldPara, nil, float64(p.Paragraph), numberOptions))
	return d
}

// analysedText is a text field analysed before it is handed to Bleve.
type analysedText struct {
	*document.TextField
	size int
}

func (analysedText) Analyze() {}

// Size estimates the field's memory for Bleve's statistics, which is all
// Bleve uses it for, without walking every term and location as
// TextField.Size does.
func (f analysedText) Size() int { return f.size }

func analysed(f *document.TextField) analysedText {
	f.Analyze()
	return analysedText{TextField: f, size: 96 + 2*len(f.Value()) + 80*f.AnalyzedLength()}
}
