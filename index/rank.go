package index

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search"

	"attache/corpus/dates"
	"attache/index/lexicon"
)

// Result is what a question gets: the answers, best first, and how sure
// the index is that the corpus answers it.
type Result struct {
	// Answers are empty when the corpus does not answer the question.
	Answers []Answer
	// Confidence is the second stage's confidence, in 0–1, that the
	// corpus answers the question at all (that of its best candidate).
	Confidence float64
	// Refusal, when the query asked for explanations and no answer came,
	// tells why: the best candidate and where it fell short.
	Refusal *Explanation
}

// ranking is the first stage's outcome for one question: every candidate
// with its features, best first once scored.
type ranking struct {
	pq       question
	concepts []concept
	// known is the share of the question's weight in words the corpus
	// holds.
	known float64
	// total is the question's weight, known words or not; unknownWords
	// the part of it in English words the corpus does not use.
	total, unknownWords float64
	cands               []candidate
}

// Search answers q, best first. No answers (and a nil error) means the
// corpus does not answer the question.
func (ix *Index) Search(ctx context.Context, q Query) ([]Answer, error) {
	res, err := ix.Ask(ctx, q)
	return res.Answers, err
}

// Ask answers q in two stages: it ranks every candidate passage on one
// fitted score, then decides once, from the best candidate, whether the
// corpus answers the question at all.
func (ix *Index) Ask(ctx context.Context, q Query) (Result, error) {
	k := q.K
	if k <= 0 {
		k = 3
	}
	r, err := ix.rank(ctx, q)
	if err != nil {
		return Result{}, err
	}
	m := ix.model
	r.order(m)
	if len(r.cands) == 0 {
		var res Result
		if q.Explain {
			res.Refusal = explainEmpty(r)
		}
		return res, nil
	}
	top := answerability(r, 0)
	res := Result{Confidence: m.confidence(&top)}
	if res.Confidence < m.threshold {
		if q.Explain {
			res.Refusal = explainRefusal(r, m, &top, res.Confidence)
		}
		return res, nil
	}
	var metas []articleMeta // of each answer's article, for its neighbours
	for i := range r.cands[:min(k, len(r.cands))] {
		c := &r.cands[i]
		af := answerability(r, i)
		a := Answer{
			Passage:    c.text,
			Position:   c.pos,
			Score:      c.score,
			Terms:      matchedWords(c.text, r.concepts),
			Article:    c.meta.info(c.article),
			Confidence: m.confidence(&af),
		}
		if i == 0 {
			a.Confidence = res.Confidence
		}
		for _, d := range dates.Find(c.text, c.meta.Published) {
			a.Dates = append(a.Dates, DateMention{Text: d.Text, Date: d.Date})
		}
		if q.Explain {
			a.Explanation = explainAnswer(r, c, m, &af, a.Confidence)
		}
		res.Answers = append(res.Answers, a)
		metas = append(metas, c.meta)
	}
	ix.neighbourTexts(ctx, res.Answers, metas)
	return res, nil
}

// rank reads the question, finds its candidate passages and describes
// each by its features. No candidate is thrown away here: deciding whether
// to answer is the second stage's alone.
func (ix *Index) rank(ctx context.Context, q Query) (*ranking, error) {
	vocab, err := ix.loadVocabulary()
	if err != nil {
		return nil, err
	}
	pq := parseQuestion(q.Text)
	r := &ranking{pq: pq, concepts: ix.concepts(pq, vocab)}
	total, known := 0.0, 0.0
	for _, c := range r.concepts {
		total += c.weight
		if c.known() {
			known += c.weight
		} else if lexicon.IsWord(c.word) {
			r.unknownWords += c.weight
		}
	}
	if known == 0 || vocab.docs == 0 {
		return r, nil
	}
	r.known, r.total = known/total, total

	res, err := ix.retrieve(ctx, q, r.concepts, vocab)
	if err != nil || res == nil || len(res.Hits) == 0 {
		return r, err
	}
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	titles := ix.titleTerms(articles)

	// What the retrieved passages of each article say between them stands
	// for what the article is about: a question's topic words are often
	// in other sentences of the article than the one that answers.
	inArticle := map[string]map[string]bool{}
	maxScore := 0.0
	for _, h := range res.Hits {
		art, _, _ := splitPassageID(h.ID)
		if inArticle[art] == nil {
			inArticle[art] = map[string]bool{}
		}
		for term := range h.Locations[fieldText] {
			inArticle[art][term] = true
		}
		maxScore = max(maxScore, h.Score)
	}
	hits := slices.Clone(res.Hits)
	r.cands = make([]candidate, 0, len(hits))
	slices.SortFunc(hits, func(a, b *search.DocumentMatch) int { return strings.Compare(a.ID, b.ID) })
	seen := map[string]bool{}
	for _, h := range hits {
		text := hitText(h)
		// The same sentence syndicated in two articles is one candidate.
		key := strings.ToLower(strings.Join(strings.Fields(text), " "))
		if seen[key] {
			continue
		}
		seen[key] = true
		art, pos, _ := splitPassageID(h.ID)
		c := candidate{hit: h, text: text, article: art, pos: pos, meta: articles[art]}
		bm := 0.0
		if maxScore > 0 {
			bm = h.Score / maxScore
		}
		describe(&c, pq, r.concepts, titles[art], inArticle[art], bm)
		r.cands = append(r.cands, c)
	}
	supersede(r.cands, articles, titles)
	return r, nil
}

// order scores the candidates with the model's weights and sorts them best
// first; equal scores fall back on a stable key (article, position), so
// that two builds of one corpus give the same answers.
func (r *ranking) order(m *model) {
	for i := range r.cands {
		r.cands[i].score = m.score(&r.cands[i].f)
	}
	slices.SortStableFunc(r.cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), byKey(a, b))
	})
}

func byKey(a, b candidate) int {
	return cmp.Or(strings.Compare(a.article, b.article), cmp.Compare(a.pos, b.pos))
}
