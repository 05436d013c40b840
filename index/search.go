package index

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"attache/corpus"
)

// Query is a question put to the index.
type Query struct {
	Text string
	// K is how many answers to return at most; 3 when zero.
	K int
	// Since, when set, keeps only articles published at or after it.
	Since time.Time
	// Explain asks for each answer's Explanation, and for the reason of a
	// refusal; it costs nothing when false.
	Explain bool
}

// ArticleInfo describes the article a passage comes from: the metadata
// of corpus.Meta, declared there once.
type ArticleInfo = corpus.Meta

// DateMention is a time expression found in a passage, resolved to a
// calendar date.
type DateMention struct {
	Text string    // as written, e.g. "on Friday"
	Date time.Time // midnight UTC of the resolved day
}

// Answer is one passage that answers a question.
type Answer struct {
	Passage  string
	Position int
	Score    float64
	// Before and After are the neighbouring sentences in the same
	// paragraph, for display; empty at paragraph edges.
	Before, After string
	Dates         []DateMention
	// Terms are the question's words as they occur in Passage, for
	// highlighting.
	Terms   []string
	Article ArticleInfo
	// Confidence is how likely, in 0–1, the passage answers the question,
	// from the calibrated answerability model.
	Confidence float64
	// Explanation, when the query asked for it, tells how Score and
	// Confidence came about.
	Explanation *Explanation
}

// candidates is how many passages the first retrieval step finds.
const candidates = 100

// commonShare is the share of passages above which a term is too common
// to find candidates with: iterating its postings would cost more than it
// tells. Such terms still count when candidates are ranked.
const commonShare = 0.02

// retrieve finds the candidate passages for a question in two steps. The
// first asks Bleve for the passages best matching the question's rarer
// terms, which is cheap even on a large index; the second scores just
// those passages for every term of the question (see rescore), and finds
// where each term stands in them.
func (ix *Index) retrieve(ctx context.Context, q Query, concepts []concept, vocab *vocabulary) (*bleve.SearchResult, error) {
	limit := max(200, int(commonShare*float64(vocab.docs)))
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	var find, all []clause
	rarest, rarestDF := "", 0
	queued := map[string]bool{}
	for _, c := range concepts {
		for _, a := range c.alts {
			for _, term := range a.terms {
				if queued[term] {
					continue
				}
				queued[term] = true
				df := vocab.df[term]
				if df == 0 {
					// A headline's word: the passages of the articles it
					// heads are candidates.
					for _, id := range firstN(vocab.titles[term], 20) {
						if c, ok := articleClause(articles, id, 0.5, vocab.docs); ok {
							find = append(find, c)
						}
					}
					continue
				}
				t := clause{term: term, boost: 1}
				if a.kind != matchExact {
					t.boost = 0.8
				}
				if df <= limit {
					find = append(find, t)
				}
				if rarest == "" || df < rarestDF {
					rarest, rarestDF = term, df
				}
				all = append(all, t)
			}
		}
	}
	if len(find) == 0 && rarest == "" {
		return nil, nil
	}
	if len(find) == 0 {
		find = append(find, clause{term: rarest, boost: 1})
	}
	if len(all) == 0 {
		all = find
	}
	req := bleve.NewSearchRequestOptions(ix.withSince(disjunction(find), q.Since), candidates, 0, false)
	req.Fields = []string{fieldText}
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if len(res.Hits) == 0 {
		return nil, nil
	}
	if err := ix.rescore(ctx, res.Hits, all); err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return res, nil
}

// articleClause matches the passages of an article, each scoring what a
// term query for the article's ID on a keyword field of its own would
// score under BM25 with the given boost: the term is in every passage of
// the article once, in a field one term long, so its score is the same
// constant for each, boost·idf²·k1/(1+k1) before Bleve's query norm. The
// article's passages are named by ID, which costs the index no field.
// false when the manifest does not know the article.
func articleClause(articles map[string]articleMeta, id string, boost float64, docs int) (clause, bool) {
	n := articles[id].Passages
	if n == 0 {
		return clause{}, false
	}
	idf := math.Log(1 + (float64(docs)-float64(n)+0.5)/(float64(n)+0.5))
	return clause{ids: passageIDs(articles, []string{id}), boost: boost * idf * idf * search.BM25_k1 / (1 + search.BM25_k1)}, true
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// titleTerms returns each article's title terms, analysed once per
// manifest.
func (ix *Index) titleTerms(articles map[string]articleMeta) map[string]map[string]bool {
	ix.mu.RLock()
	t := ix.titles
	ix.mu.RUnlock()
	if t != nil {
		return t
	}
	t = make(map[string]map[string]bool, len(articles))
	for id, m := range articles {
		t[id] = termSet(m.titleTerms())
	}
	ix.mu.Lock()
	ix.titles = t
	ix.mu.Unlock()
	return t
}

// matchedWords returns the words of text, as written, whose terms stand
// for one of the question's concepts. Words are analysed one by one: the
// analyzer's character folding would shift offsets into the original text.
func matchedWords(text string, concepts []concept) []string {
	want := map[string]bool{}
	for _, c := range concepts {
		for _, a := range c.alts {
			for _, t := range a.terms {
				want[t] = true
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' }) {
		w = strings.TrimFunc(w, func(r rune) bool { return r == '\'' || r == '’' })
		if w == "" || seen[w] {
			continue
		}
		for _, t := range stems(w) {
			if want[t] {
				seen[w] = true
				out = append(out, trimPossessive(w))
				break
			}
		}
	}
	return out
}

// trimPossessive drops a trailing "'s", so that "Putin’s" highlights as
// "Putin" followed by its possessive.
func trimPossessive(w string) string {
	for _, suffix := range []string{"'s", "’s"} {
		if strings.HasSuffix(w, suffix) {
			return w[:len(w)-len(suffix)]
		}
	}
	return w
}

// neighbourTexts fetches the sentences before and after each answer
// within its paragraph, in one request; metas are the manifest entries of
// the answers' articles, which tell the paragraphs.
func (ix *Index) neighbourTexts(ctx context.Context, answers []Answer, metas []articleMeta) {
	var ids []string
	for _, a := range answers {
		if a.Position > 0 {
			ids = append(ids, passageID(a.Article.ID, a.Position-1))
		}
		ids = append(ids, passageID(a.Article.ID, a.Position+1))
	}
	if len(ids) == 0 {
		return
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fieldText}
	res, err := ix.search(ctx, req)
	if err != nil {
		ix.log.Debug("neighbouring sentences not found", "err", err)
		return
	}
	byID := map[string]string{}
	for _, h := range res.Hits {
		byID[h.ID] = hitText(h)
	}
	for i := range answers {
		a := &answers[i]
		m := metas[i]
		// A neighbour in another paragraph is another thought.
		text := func(pos int) string {
			if m.paragraph(pos) != m.paragraph(a.Position) {
				return ""
			}
			return byID[passageID(a.Article.ID, pos)]
		}
		if a.Position > 0 {
			a.Before = text(a.Position - 1)
		}
		a.After = text(a.Position + 1)
	}
}
