package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
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
const mappingVersion = "attache-passages-9"

// analyzerName is the English analysis used for passage text, titles and
// questions alike, so that a question's terms meet the index's terms.
const analyzerName = "attache_en"

// fieldText is the one field of a passage document: the sentence,
// indexed and stored. Everything else a passage needs is kept elsewhere,
// for each field of each document costs the build time:
//   - its article and position are in its document ID (passageID);
//   - its paragraph, and the names its article writes capitalised, are in
//     the manifest, once per article (articleMeta.Paragraphs, .Capitals);
//   - where the question's terms stand in it is found again from the
//     stored text when a question is answered (locate), instead of being
//     stored as term vectors for every passage.
const fieldText = "text"

// textOptions are the indexing options of the text field.
const textOptions = index.IndexField | index.StoreField

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
	text analysis.Analyzer
}

func newPassageFields(m *mapping.IndexMappingImpl) passageFields {
	return passageFields{text: m.AnalyzerNamed(analyzerName)}
}

// own returns passage fields whose analysis reuses its tokens from one
// passage to the next, for one goroutine only.
func (pf passageFields) own() passageFields {
	return passageFields{text: reusing(pf.text)}
}

// document returns the analysed document of passage p of article id.
// Analysis happens here, on the goroutines that prepare the next batch
// while Bleve writes the current one; Bleve's own call to Analyze then has
// nothing left to do.
func (pf passageFields) document(id string, p corpus.Passage) *document.Document {
	d := document.NewDocument(passageID(id, p.Position))
	d.AddField(analysed(document.NewTextFieldCustom(fieldText, nil, []byte(p.Text), textOptions, pf.text)))
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
