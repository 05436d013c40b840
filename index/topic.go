package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Sentence is one passage with its article, as summaries and digests
// read them.
type Sentence struct {
	Text     string
	Position int
	// Relevance is the passage's search score for the topic, 0 when the
	// passage does not itself match it.
	Relevance float64
	Article   ArticleInfo
}

// Story is an article with all its sentences in order.
type Story struct {
	Article   ArticleInfo
	Added     time.Time // when the article came into the index
	Changed   time.Time // when its text last changed
	Sentences []string
}

// topicCoverage is the least share of a topic's meaning that an article
// must cover to be about it.
const topicCoverage = 0.6

// maxTopicHits bounds the passages read to find a topic's articles.
const maxTopicHits = 5000

// Topic returns the sentences of the articles about topic published at or
// after since (all of them when since is zero), newest articles first, at
// most maxArticles articles; with few articles every sentence of each, with
// many only those that match. It also returns how many articles matched.
func (ix *Index) Topic(ctx context.Context, topic string, since time.Time, maxArticles int) ([]Sentence, int, error) {
	ids, hits, err := ix.topicArticles(ctx, topic, since)
	if err != nil {
		return nil, 0, err
	}
	total := len(ids)
	if maxArticles > 0 && len(ids) > maxArticles {
		ids = ids[:maxArticles]
	}
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	var out []Sentence
	if len(ids) <= 40 {
		stories, err := ix.stories(ctx, ids, articles)
		if err != nil {
			return nil, 0, err
		}
		for _, st := range stories {
			for pos, text := range st.Sentences {
				out = append(out, Sentence{Text: text, Position: pos, Relevance: hits[passageID(st.Article.ID, pos)].score, Article: st.Article})
			}
		}
		return out, total, nil
	}
	keep := map[string]bool{}
	for _, id := range ids {
		keep[id] = true
	}
	for _, h := range hits {
		if keep[h.article] {
			out = append(out, Sentence{Text: h.text, Position: h.pos, Relevance: h.score, Article: articles[h.article].info(h.article)})
		}
	}
	slices.SortFunc(out, func(a, b Sentence) int {
		return cmp.Or(b.Article.Published.Compare(a.Article.Published), cmp.Compare(a.Article.ID, b.Article.ID), cmp.Compare(a.Position, b.Position))
	})
	return out, total, nil
}

// Stories returns the articles added to the index, or changed, at or after
// since, optionally only those about topic, oldest change first, with
// their sentences.
func (ix *Index) Stories(ctx context.Context, since time.Time, topic string) ([]Story, error) {
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	var ids []string
	if topic != "" {
		matched, _, err := ix.topicArticles(ctx, topic, time.Time{})
		if err != nil {
			return nil, err
		}
		ids = matched
	} else {
		for id := range articles {
			ids = append(ids, id)
		}
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return articles[id].Changed.Before(since) })
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(articles[a].Changed.Compare(articles[b].Changed), cmp.Compare(a, b))
	})
	return ix.stories(ctx, ids, articles)
}

// topicCredit is how much of a topic word a passage holds when it holds
// the word itself, a synonym of the field, or a WordNet relative.
var topicCredit = [...]float64{matchExact: 1, matchSynonym: 0.8, matchLexical: 0.7}

// termClause is one term a topic is searched by, with its boost.
type termClause struct {
	term   string
	weight float64
}

// containsAll reports whether every term is in one of the sets.
func containsAll(terms []string, sets ...map[string]bool) bool {
	for _, t := range terms {
		found := false
		for _, s := range sets {
			found = found || s[t]
		}
		if !found {
			return false
		}
	}
	return true
}

type topicHit struct {
	article string
	text    string
	pos     int
	score   float64
}

// topicArticles finds the articles about topic: those whose matching
// passages and title together cover most of the topic's words. It returns
// their IDs, newest first, and the matching passages by ID.
func (ix *Index) topicArticles(ctx context.Context, topic string, since time.Time) ([]string, map[string]topicHit, error) {
	vocab, err := ix.loadVocabulary()
	if err != nil {
		return nil, nil, err
	}
	// A topic is a question without a question word: the same analysis
	// finds its words, their synonyms and their weights.
	concepts := ix.concepts(parseQuestion(topic), vocab)
	if len(concepts) == 0 {
		return nil, nil, nil
	}
	var should []query.Query
	var clauses []termClause
	for _, c := range concepts {
		for _, a := range c.alts {
			for _, term := range a.terms {
				t := bleve.NewTermQuery(term)
				t.SetField(fieldText)
				t.SetBoost(topicCredit[a.kind])
				should = append(should, t)
				clauses = append(clauses, termClause{term: term, weight: topicCredit[a.kind]})
			}
		}
	}
	if len(should) == 0 {
		return nil, nil, nil
	}
	req := bleve.NewSearchRequestOptions(ix.withSince(bleve.NewDisjunctionQuery(should...), since), maxTopicHits, 0, false)
	req.Fields = []string{fieldText}
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("search topic %q: %w", topic, err)
	}
	terms := make(map[string]bool, len(clauses))
	for _, c := range clauses {
		terms[c.term] = true
	}
	locate(res.Hits, terms)
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	titles := ix.titleTerms(articles)

	hits := map[string]topicHit{}
	found := map[string]map[string]bool{} // article → terms found in its passages
	relevance := newTitleScorer(clauses, articles, titles, vocab)
	for _, h := range res.Hits {
		art, pos, _ := splitPassageID(h.ID)
		text := hitText(h)
		if found[art] == nil {
			found[art] = map[string]bool{}
		}
		for term := range h.Locations[fieldText] {
			found[art][term] = true
		}
		if len(h.Locations[fieldText]) > 0 {
			hits[h.ID] = topicHit{article: art, text: text, pos: pos, score: relevance.score(h.Score, h.Locations[fieldText], art)}
		}
	}
	// An article whose title holds a word of the topic is a candidate
	// even when none of its passages does.
	for id, terms := range titles {
		m, ok := articles[id]
		if !ok || found[id] != nil || !since.IsZero() && (m.Published.IsZero() || m.Published.Before(since)) {
			continue
		}
	title:
		for _, c := range concepts {
			for _, a := range c.alts {
				if containsAll(a.terms, terms) {
					found[id] = map[string]bool{}
					break title
				}
			}
		}
	}
	total := 0.0
	for _, c := range concepts {
		total += c.weight
	}
	var ids []string
	for art, terms := range found {
		cov, missingEntity := 0.0, false
		for _, c := range concepts {
			best := 0.0
			for _, a := range c.alts {
				if containsAll(a.terms, terms, titles[art]) {
					best = max(best, topicCredit[a.kind])
				}
			}
			cov += best * c.weight
			missingEntity = missingEntity || best == 0 && c.entity
		}
		if cov/total >= topicCoverage && !missingEntity {
			ids = append(ids, art)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(articles[b].Published.Compare(articles[a].Published), cmp.Compare(a, b))
	})
	return ids, hits, nil
}

// stories reads the sentences of the given articles.
func (ix *Index) stories(ctx context.Context, ids []string, articles map[string]articleMeta) ([]Story, error) {
	docIDs := passageIDs(articles, ids)
	text := map[string]string{}
	if len(docIDs) > 0 {
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(docIDs), len(docIDs), 0, false)
		req.Fields = []string{fieldText}
		res, err := ix.search(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("read articles: %w", err)
		}
		for _, h := range res.Hits {
			text[h.ID] = hitText(h)
		}
	}
	out := make([]Story, 0, len(ids))
	for _, id := range ids {
		m := articles[id]
		st := Story{Article: m.info(id), Added: m.Added, Changed: m.Changed}
		for pos := range m.Passages {
			if s := text[passageID(id, pos)]; s != "" {
				st.Sentences = append(st.Sentences, s)
			}
		}
		out = append(out, st)
	}
	return out, nil
}

func (m articleMeta) info(id string) ArticleInfo {
	return ArticleInfo{ID: id, Title: m.Title, Source: m.Source, URL: m.URL, Published: m.Published}
}

// titleScorer gives a passage the relevance to a topic that it had when
// every passage carried its article's title in an indexed field (up to
// attache-passages-6), so that summaries rank sentences as they did. The
// topic was then a disjunction of one text and one title clause for each
// of its terms, which Bleve scores as the sum of the clauses' BM25 scores,
// each weighed by its boost, its term's rarity and the query's norm, times
// the share of clauses that match. The text clauses' part comes from the
// search, the title clauses' from the manifest.
type titleScorer struct {
	clauses   []termClause
	articles  map[string]articleMeta
	titles    map[string]map[string]bool
	idfTitle  []float64 // per clause
	normText  float64   // the query norm of the text clauses alone
	normBoth  float64   // … of the text and title clauses together
	avgLength float64   // Bleve's average title length for BM25
	titleBM   map[string]float64
	titleHits map[string]int
}

func newTitleScorer(clauses []termClause, articles map[string]articleMeta, titles map[string]map[string]bool, vocab *vocabulary) *titleScorer {
	n := float64(vocab.docs)
	idf := func(df int) float64 { return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5)) }
	ts := &titleScorer{clauses: clauses, articles: articles, titles: titles, titleBM: map[string]float64{}, titleHits: map[string]int{}}
	// In how many passages each clause's term was in the title field,
	// and how many distinct terms that field held.
	df := make([]int, len(clauses))
	distinct := map[string]bool{}
	for id, terms := range titles {
		m := articles[id]
		if m.Passages == 0 {
			continue
		}
		for t := range terms {
			distinct[t] = true
		}
		for i, c := range clauses {
			if terms[c.term] {
				df[i] += m.Passages
			}
		}
	}
	var sumText, sumTitle float64
	for i, c := range clauses {
		wt := c.weight * idf(vocab.df[c.term])
		sumText += wt * wt
		ts.idfTitle = append(ts.idfTitle, idf(df[i]))
		wti := c.weight * ts.idfTitle[i]
		sumTitle += wti * wti
	}
	if sumText > 0 {
		ts.normText = 1 / math.Sqrt(sumText)
		ts.normBoth = 1 / math.Sqrt(sumText+sumTitle)
	}
	if n > 0 {
		ts.avgLength = math.Ceil(float64(len(distinct)) / n)
	}
	return ts
}

// score returns the former relevance of a passage of article art that
// the text clauses scored textScore, with the text terms found in it.
func (ts *titleScorer) score(textScore float64, inText search.TermLocationMap, art string) float64 {
	matched := 0
	for _, c := range ts.clauses {
		if inText[c.term] != nil {
			matched++
		}
	}
	if matched == 0 || ts.normText == 0 {
		return textScore
	}
	k := float64(len(ts.clauses))
	// textScore is normText × (matched/k) × the clauses' weighed BM25.
	text := textScore * k / (float64(matched) * ts.normText)
	title, titled := ts.title(art)
	return (text + title) * ts.normBoth * float64(matched+titled) / (2 * k)
}

// title returns the weighed BM25 score of an article's title for the
// title clauses, without the query norm, and how many clauses match it.
func (ts *titleScorer) title(art string) (float64, int) {
	if bm, ok := ts.titleBM[art]; ok {
		return bm, ts.titleHits[art]
	}
	var bm float64
	var hits int
	if ts.avgLength > 0 && len(ts.titles[art]) > 0 {
		toks := stems(ts.articles[art].Title)
		freq := map[string]int{}
		for _, t := range toks {
			freq[t]++
		}
		// Bleve keeps a field's length as a float32 norm, 1/√length.
		norm := float64(float32(1 / math.Sqrt(float64(len(toks)))))
		length := 1 / (norm * norm)
		for i, c := range ts.clauses {
			f := freq[c.term]
			if f == 0 {
				continue
			}
			hits++
			tf := math.Sqrt(float64(f))
			idf := ts.idfTitle[i]
			bm += c.weight * idf * idf * tf * search.BM25_k1 /
				(tf + search.BM25_k1*(1-search.BM25_b+search.BM25_b*length/ts.avgLength))
		}
	}
	ts.titleBM[art], ts.titleHits[art] = bm, hits
	return bm, hits
}
