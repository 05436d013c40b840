package index

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"attache/corpus/dates"
)

// Query is a question put to the index.
type Query struct {
	Text string
	// K is how many answers to return at most; 3 when zero.
	K int
	// Since, when set, keeps only articles published at or after it.
	Since time.Time
}

// ArticleInfo describes the article a passage comes from.
type ArticleInfo struct {
	ID        string
	Title     string
	Source    string
	URL       string
	Published time.Time // zero when unknown
}

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
}

// Ranking constants, measured on the dev questions (see README): they
// weigh the share of the question's meaning that a passage covers against
// Bleve's BM25 score and the fit of the passage to the kind of question.
const candidates = 100 // passages re-ranked per question

// Ranking weights, measured on the dev questions (see README): they weigh
// the share of the question's meaning that a passage covers against
// Bleve's BM25 score and the fit of the passage to the kind of question.
// They are variables only so that the tuning test can vary them.
var (
	floor          = 0.6  // least coverage for an answer
	localFloor     = 0.45 // least coverage by the passage and its title alone
	titleCredit    = 0.8  // a question word found in the article's title
	articleCredit  = 0.35 // … elsewhere in the article
	bm25Weight     = 0.1
	typeBonus      = 0.25 // a passage that holds the kind of answer asked for
	wrongSideDate  = 0.0  // … share of it for dates on the other side of the article's day
	pairBonus      = 0.12 // question words that stand together in the passage, at most
	supersededBy   = 0.88 // score factor when a newer article on the same story competes
	sameStorySim   = 0.3  // title similarity of two articles on one story
	sameStoryNames = 0.3  // … or similarity of the names they mention most
	unknownNoun    = 2.0  // weight of an unknown word, relative to the rarest known
	unknownOther   = 0.5  // … when it looks like a verb or adverb ("-ing", "-ed", "-ly")
)

// debugf, when set (by tests), traces how questions are ranked.
var debugf func(format string, args ...any)

// concept is one content word of a question with the terms that can stand
// for it.
type concept struct {
	word   string
	alts   []alt // alts[0] is the word's own term when known
	weight float64
}

// Search answers q, best first. No answers (and a nil error) means the
// corpus does not answer the question.
func (ix *Index) Search(ctx context.Context, q Query) ([]Answer, error) {
	k := q.K
	if k <= 0 {
		k = 3
	}
	vocab, err := ix.loadVocabulary()
	if err != nil {
		return nil, err
	}
	pq := parseQuestion(q.Text)
	concepts := ix.concepts(pq, vocab)
	if debugf != nil {
		debugf("Q %q kind=%s recent=%v", q.Text, pq.kind, pq.recent)
		for _, c := range concepts {
			debugf("  concept %q w=%.2f alts=%v", c.word, c.weight, c.alts)
		}
	}
	if len(concepts) == 0 || vocab.docs == 0 {
		return nil, nil
	}

	res, err := ix.retrieve(ctx, q, concepts, vocab)
	if err != nil {
		return nil, err
	}
	if res == nil || len(res.Hits) == 0 {
		return nil, nil
	}

	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	titles := ix.titleTerms(articles)

	total := 0.0
	for _, c := range concepts {
		total += c.weight
	}
	maxScore := res.Hits[0].Score
	// What the retrieved passages of each article say between them stands
	// for what the article is about: a question's topic words are often
	// in other sentences of the article than the one that answers.
	inArticle := map[string]map[string]bool{}
	for _, h := range res.Hits {
		art, _ := h.Fields[fieldArticle].(string)
		if inArticle[art] == nil {
			inArticle[art] = map[string]bool{}
		}
		for term := range h.Locations[fieldText] {
			inArticle[art][term] = true
		}
	}
	var ranked []scored
	for _, h := range res.Hits {
		text, _ := h.Fields[fieldText].(string)
		art, _ := h.Fields[fieldArticle].(string)
		pos, _ := h.Fields[fieldPosition].(float64)
		meta := articles[art]
		inText := h.Locations[fieldText]
		cov, local, direct, missingEntity := 0.0, 0.0, 0, false
		for _, c := range concepts {
			best, near := 0.0, 0.0
			for _, a := range c.alts {
				switch {
				case inText[a.term] != nil:
					best = max(best, a.weight)
					near = max(near, a.weight)
				case titles[art][a.term]:
					best = max(best, a.weight*titleCredit)
					near = max(near, a.weight*titleCredit)
				case inArticle[art][a.term]:
					best = max(best, a.weight*articleCredit)
				}
			}
			local += c.weight * near
			if best >= 0.79 && hasTextMatch(c, inText) {
				direct++
			}
			if best == 0 && c.entity(vocab) {
				missingEntity = true
			}
			cov += c.weight * best
		}
		cov /= total
		// A passage whose article never names a person, place or body
		// the question names is about something else, however many of the
		// other words it shares; and one that holds, with its headline,
		// less than half of the question leans on the rest of its article.
		if direct == 0 || cov < floor || local/total < localFloor || missingEntity {
			if debugf != nil {
				debugf("  drop cov=%.3f direct=%d %s#%d %.80s", cov, direct, art, int(pos), text)
			}
			continue
		}
		prox := proximity(concepts, inText)
		fit, ok := fitness(pq, text, meta.Published, concepts)
		if !ok {
			continue
		}
		s := cov + bm25Weight*h.Score/maxScore + fit + prox
		if debugf != nil {
			debugf("  %.3f cov=%.3f bm=%.3f fit=%.3f prox=%.3f %s#%d %.90s", s, cov, h.Score/maxScore, fit, prox, art, int(pos), text)
		}
		ranked = append(ranked, scored{hit: h, text: text, article: art, pos: int(pos), score: s, meta: meta})
	}

	supersede(ranked, articles, titles)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score > ranked[j].score })

	var out []Answer
	var paras []float64
	para := func(h *search.DocumentMatch) float64 { p, _ := h.Fields[fieldPara].(float64); return p }
	seen := map[string]bool{}
	for _, r := range ranked {
		if len(out) == k {
			break
		}
		key := strings.ToLower(strings.Join(strings.Fields(r.text), " "))
		if seen[key] {
			continue // the same sentence syndicated in two articles
		}
		seen[key] = true
		a := Answer{
			Passage:  r.text,
			Position: r.pos,
			Score:    r.score,
			Terms:    matchedWords(r.text, concepts),
			Article:  r.meta.info(r.article),
		}
		for _, m := range dates.Find(r.text, r.meta.Published) {
			a.Dates = append(a.Dates, DateMention{Text: m.Text, Date: m.Date})
		}
		out = append(out, a)
		paras = append(paras, para(r.hit))
	}
	ix.neighbourTexts(ctx, out, paras)
	return out, nil
}

// scored is a candidate passage and its score.
type scored struct {
	hit     *search.DocumentMatch
	text    string
	article string
	pos     int
	score   float64
	meta    articleMeta
}

// supersede implements recency: when two articles on the same story both
// answer, the older one's passages give way, so that an update that moves
// talks from Tuesday to Thursday wins over the original. Only the articles
// of the best passages are compared: recency decides among answers, not
// among also-rans.
func supersede(ranked []scored, articles map[string]articleMeta, titles map[string]map[string]bool) {
	const compared = 12
	best := slices.Clone(ranked)
	sort.SliceStable(best, func(i, j int) bool { return best[i].score > best[j].score })
	var arts []string
	seen := map[string]bool{}
	for _, r := range best {
		if len(arts) == compared {
			break
		}
		if !seen[r.article] {
			seen[r.article] = true
			arts = append(arts, r.article)
		}
	}
	older := map[string]bool{}
	for _, a := range arts {
		for _, b := range arts {
			if a != b && articles[b].Published.After(articles[a].Published) && sameStory(articles[a], articles[b], titles[a], titles[b]) {
				older[a] = true
				break
			}
		}
	}
	for i := range ranked {
		if older[ranked[i].article] {
			ranked[i].score *= supersededBy
		}
	}
}

// sameStory reports whether two articles report the same story: their
// headlines share enough words, or the people, places and bodies they name
// most are largely the same (an update's headline often reads otherwise).
func sameStory(a, b articleMeta, titleA, titleB map[string]bool) bool {
	if similarity(titleA, titleB) >= sameStorySim {
		return true
	}
	na, nb := map[string]bool{}, map[string]bool{}
	for _, n := range a.Names {
		na[n] = true
	}
	for _, n := range b.Names {
		nb[n] = true
	}
	return len(na) >= 4 && len(nb) >= 4 && similarity(na, nb) >= sameStoryNames
}

// proximity rewards a passage in which consecutive words of the question
// also stand close together ("led Ukraine's delegation"): a sign that it
// speaks of the same thing, not of the same words.
func proximity(concepts []concept, inText search.TermLocationMap) float64 {
	if len(concepts) < 2 {
		return 0
	}
	positions := func(c concept) []uint64 {
		var ps []uint64
		for _, a := range c.alts {
			for _, l := range inText[a.term] {
				ps = append(ps, l.Pos)
			}
		}
		return ps
	}
	pairs := 0
	prev := positions(concepts[0])
	for _, c := range concepts[1:] {
		cur := positions(c)
	pair:
		for _, p := range prev {
			for _, q := range cur {
				if p != q && (p < q && q-p <= 3 || q < p && p-q <= 3) {
					pairs++
					break pair
				}
			}
		}
		prev = cur
	}
	return pairBonus * float64(pairs) / float64(len(concepts)-1)
}

// commonShare is the share of passages above which a term is too common
// to find candidates with: iterating its postings would cost more than it
// tells. Such terms still count when candidates are ranked.
const commonShare = 0.02

// retrieve finds the candidate passages for a question in two steps. The
// first asks Bleve for the passages best matching the question's rarer
// terms, which is cheap even on a large index; the second asks again for
// just those passages with every term of the question, with where each
// term was found.
func (ix *Index) retrieve(ctx context.Context, q Query, concepts []concept, vocab *vocabulary) (*bleve.SearchResult, error) {
	limit := max(200, int(commonShare*float64(vocab.docs)))
	var find, all []query.Query
	rarest, rarestDF := "", 0
	for _, c := range concepts {
		for _, a := range c.alts {
			df := vocab.df[a.term]
			t := bleve.NewTermQuery(a.term)
			t.SetField(fieldText)
			t.SetBoost(a.weight)
			if df <= limit {
				find = append(find, t)
			}
			if rarest == "" || df < rarestDF {
				rarest, rarestDF = a.term, df
			}
			all = append(all, t)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	if len(find) == 0 {
		t := bleve.NewTermQuery(rarest)
		t.SetField(fieldText)
		find = append(find, t)
	}
	withSince := func(bq query.Query) query.Query {
		if q.Since.IsZero() {
			return bq
		}
		dr := bleve.NewDateRangeQuery(q.Since, time.Time{})
		dr.SetField(fieldPublished)
		return bleve.NewConjunctionQuery(bq, dr)
	}
	first, err := ix.search(ctx, bleve.NewSearchRequestOptions(withSince(bleve.NewDisjunctionQuery(find...)), candidates, 0, false))
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if len(first.Hits) == 0 {
		return nil, nil
	}
	ids := make([]string, len(first.Hits))
	for i, h := range first.Hits {
		ids[i] = h.ID
	}
	bq := bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), bleve.NewDisjunctionQuery(all...))
	req := bleve.NewSearchRequestOptions(bq, len(ids), 0, false)
	req.Fields = []string{fieldText, fieldArticle, fieldPosition, fieldPara}
	req.IncludeLocations = true
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return res, nil
}

func knownSynonym(alts []alt, vocab *vocabulary) bool {
	for _, a := range alts {
		if vocab.df[a.term] > 0 {
			return true
		}
	}
	return false
}

func hasTextMatch(c concept, inText search.TermLocationMap) bool {
	for _, a := range c.alts {
		if inText[a.term] != nil {
			return true
		}
	}
	return false
}

// concepts turns the question's content words into weighted concepts:
// each word's own term (corrected when the index does not know it), its
// synonyms, and a weight from how rare it is.
func (ix *Index) concepts(pq question, vocab *vocabulary) []concept {
	syn := synonymIndex()
	rarest := vocab.idf(1)
	var out []concept
	seen := map[string]bool{}
	for _, w := range pq.words {
		terms := stems(w)
		if len(terms) == 0 {
			continue
		}
		c := concept{word: w}
		for _, t := range terms {
			if seen[t] {
				continue
			}
			seen[t] = true
			own := t
			// Correct a word the index does not know, unless its synonyms
			// stand in for it: "sent" is not a typo of "set".
			if vocab.df[t] == 0 && !knownSynonym(syn[t], vocab) {
				if fixed, ok := vocab.correct(t); ok {
					own = fixed
				}
			}
			if vocab.df[own] > 0 && !hasAlt(c.alts, own) {
				c.alts = append(c.alts, alt{term: own, weight: 1})
			}
			for _, s := range append(syn[t], syn[own]...) {
				if vocab.df[s.term] > 0 && !hasAlt(c.alts, s.term) {
					c.alts = append(c.alts, s)
				}
			}
		}
		if len(c.alts) == 0 {
			// Unknown to the corpus: the question is about something we
			// may not have, which weighs against every passage.
			// A thing the corpus has never heard of ("world cup",
			// "g20") says more than an unknown verb, which is more
			// likely a paraphrase our synonyms lack.
			c.weight = rarest * unknownNoun
			if strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ly") {
				c.weight = rarest * unknownOther
			}
		} else {
			df := vocab.df[c.alts[0].term]
			for _, a := range c.alts {
				if a.weight == 1 {
					df = vocab.df[a.term]
					break
				}
			}
			c.weight = vocab.idf(df)
		}
		if len(c.alts) > 8 {
			c.alts = c.alts[:8]
		}
		out = append(out, c)
	}
	return out
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
		set := map[string]bool{}
		for _, s := range stems(m.Title) {
			set[s] = true
		}
		t[id] = set
	}
	ix.mu.Lock()
	ix.titles = t
	ix.mu.Unlock()
	return t
}

// entity reports whether the concept names a person, place or body the
// corpus knows by name.
func (c concept) entity(v *vocabulary) bool {
	return len(c.alts) > 0 && c.alts[0].weight == 1 && v.entities[c.alts[0].term]
}

// similarity is the Jaccard similarity of two term sets.
func similarity(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for t := range a {
		if b[t] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

var (
	timeRe    = regexp.MustCompile(`(?i)\b\d{1,2}([:.]\d{2})?\s*(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(noon|midnight)\b`)
	whenRe    = regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|tomorrow|yesterday|week|weekend|month|year|spring|summer|autumn|winter|morning|evening|afternoon|night)\b|\b(19|20)\d{2}\b`)
	numberRe  = regexp.MustCompile(`(?i)\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|billion|dozen|dozens|half|third|quarter|fifth|sixth|tenth|twice|double|doubled|triple|tripled|halved|several|few|dozens)\b`)
	placeRe   = regexp.MustCompile(`\b(in|at|to|from|near|outside|inside)\s+(the\s+)?\p{Lu}\p{L}+`)
	reasonRe  = regexp.MustCompile(`(?i)\b(because|due to|as a result|in order to|so that|so as to|aim|aims|aimed|goal|purpose|reason|motive|blamed|over the|amid|after)\b`)
	capWordRe = regexp.MustCompile(`\p{Lu}[\p{L}'’-]+`)
)

// fitness rates how well a passage fits the kind of answer the question
// asks for; ok is false when it cannot answer it at all (a "how many"
// question needs a number).
func fitness(pq question, text string, published time.Time, concepts []concept) (bonus float64, ok bool) {
	switch pq.kind {
	case kindWhen:
		// A date on the side of the article's day that the question's
		// tense points to answers best: "when do they meet" wants the
		// coming meeting, not the one they held on Monday.
		if ms := dates.Find(text, published); len(ms) > 0 {
			if published.IsZero() {
				return typeBonus, true
			}
			day := published.UTC().Truncate(24 * time.Hour)
			for _, m := range ms {
				if pq.past && !m.Date.After(day) || !pq.past && !m.Date.Before(day) {
					return typeBonus, true
				}
			}
			return typeBonus * wrongSideDate, true
		}
		switch {
		case timeRe.MatchString(text):
			return typeBonus, true
		case whenRe.MatchString(text):
			return typeBonus * 0.6, true
		}
		return 0, true
	case kindCount:
		if numberRe.MatchString(text) {
			return typeBonus * 0.5, true
		}
		return 0, false
	case kindWhere:
		if placeRe.MatchString(text) {
			return typeBonus * 0.7, true
		}
	case kindWho:
		switch multi, single := novelNames(text, concepts); {
		case multi > 0:
			return typeBonus * 0.8, true
		case single > 0:
			return typeBonus * 0.4, true
		}
	case kindWhy:
		if reasonRe.MatchString(text) {
			return typeBonus * 0.6, true
		}
	}
	return 0, true
}

// novelNames counts the names in text that are not the question's own
// words, the kind of answer a "who" question is after: runs of two or more
// capitalised words (people, bodies) and single capitalised words past the
// first word (places, countries).
func novelNames(text string, concepts []concept) (multi, single int) {
	locs := capWordRe.FindAllStringIndex(text, -1)
	known := func(w string) bool {
		lw := strings.ToLower(w)
		for _, c := range concepts {
			for _, a := range c.alts {
				if strings.HasPrefix(lw, a.term) {
					return true
				}
			}
		}
		return false
	}
	run := 0
	for i, loc := range locs {
		w := text[loc[0]:loc[1]]
		if known(w) || nameStop[w] || loc[0] == 0 && (i+1 >= len(locs) || locs[i+1][0] != loc[1]+1) {
			run = 0
			continue
		}
		if i > 0 && run > 0 && locs[i-1][1]+1 == loc[0] {
			run++
			if run == 2 {
				multi++
				single--
			}
			continue
		}
		run = 1
		single++
	}
	return multi, single
}

// matchedWords returns the words of text, as written, whose terms stand
// for one of the question's concepts. Words are analysed one by one: the
// analyzer's character folding would shift offsets into the original text.
func matchedWords(text string, concepts []concept) []string {
	want := map[string]bool{}
	for _, c := range concepts {
		for _, a := range c.alts {
			want[a.term] = true
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
// within its paragraph, in one request.
func (ix *Index) neighbourTexts(ctx context.Context, answers []Answer, paras []float64) {
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
	req.Fields = []string{fieldText, fieldPara}
	res, err := ix.search(ctx, req)
	if err != nil {
		ix.log.Debug("neighbouring sentences not found", "err", err)
		return
	}
	byID := map[string]*search.DocumentMatch{}
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	text := func(id string, para float64) string {
		h := byID[id]
		if h == nil {
			return ""
		}
		if p, _ := h.Fields[fieldPara].(float64); p != para {
			return ""
		}
		s, _ := h.Fields[fieldText].(string)
		return s
	}
	for i := range answers {
		a := &answers[i]
		if a.Position > 0 {
			a.Before = text(passageID(a.Article.ID, a.Position-1), paras[i])
		}
		a.After = text(passageID(a.Article.ID, a.Position+1), paras[i])
	}
}
