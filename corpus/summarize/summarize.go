// Package summarize writes extractive summaries of news about a topic and
// groups articles into stories for digests.
//
// Summarize picks a few sentences that together say the most about a
// topic: it ranks candidate sentences by topic-sensitive LexRank over
// their TF-IDF similarities, with a bias towards the first sentences of
// articles and towards newer articles, then picks bullets by maximal
// marginal relevance so that no two say the same thing. When a newer
// article gives another date or place for the same event than an older
// one, only the newer statement is kept, and its bullet says what it
// replaced.
//
// Group puts articles about the same story together, and Changes says
// what is new in a story since the last digest.
//
// The package reads dates itself only as a fallback (weekdays resolved
// to the nearest such day, "tomorrow", "3 June 2026"); callers with
// better resolved dates pass them in Sentence.Dates.
package summarize

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentence is a candidate sentence for a summary.
type Sentence struct {
	Text      string
	ArticleID string
	Title     string
	URL       string
	Source    string
	Published time.Time
	// Position is the sentence's index within its article, from 0.
	Position int
	// Relevance is the search score of the sentence for the topic; it may
	// be 0 when there is none.
	Relevance float64
	// Dates are the dates the sentence mentions, resolved against
	// Published. When nil the package finds weekdays and calendar dates
	// itself.
	Dates []time.Time
}

// Bullet is one point of a summary: one sentence, or a sentence and the
// one before it when it cannot stand alone ("Instead, ...").
type Bullet struct {
	Text string
	// Sentences are the indexes of the bullet's sentences in the slice
	// given to Summarize, in article order.
	Sentences []int
	ArticleID string
	Title     string
	URL       string
	Published time.Time
	// Dates are the dates the bullet's sentences mention.
	Dates []time.Time
	// Changed is set when the bullet replaces an older article's
	// conflicting statement about the same event, and says what that
	// statement had: "changed from Tuesday 12 May, Doha".
	Changed string
}

// Options tune Summarize.
type Options struct {
	// MaxBullets is how many bullets to write at most: 5 when 0, and
	// never fewer than 3 or more than 7.
	MaxBullets int
	// Now returns the current time, against which articles count as
	// fresh. When nil the newest Published among the sentences is used.
	Now func() time.Time
}

// Summary is what Summarize returns.
type Summary struct {
	// Bullets are ordered by importance, the most important first:
	// importance already folds in recency, and a reader skimming a
	// summary wants the main point first rather than the oldest.
	Bullets []Bullet
	// Articles is the number of distinct articles among the candidate
	// sentences, and From and To are the first and last of their
	// publication times.
	Articles int
	From, To time.Time
}

// Tuning of Summarize.
const (
	maxCandidates  = 400  // sentences ranked in the O(n²) graph
	perArticle     = 4    // sentences of one article among them, at most
	lambda         = 0.7  // MMR: weight of importance against novelty
	dupSim         = 0.5  // bullets more similar than this say the same thing
	sameEventSim   = 0.45 // sentences this similar are about the same event
	relatedSim     = 0.15 // ... or this similar, name an event and share names:
	sameEventNames = 2    // this many ("Sudan", "Rapid Support Forces" is four)
	pairWords      = 70   // a sentence and its predecessor make one bullet up to this length
	factGain       = 0.15 // MMR: bonus for a bullet that adds a date, time or place
)

// candidate is a sentence being ranked.
type candidate struct {
	i       int // index into the input
	art     int // article number
	words   []word
	vec     vec
	facts   facts
	names   []string
	prior   float64 // personalisation: how well it matches the topic
	gate    float64 // how well its article matches the topic, relative to the best
	score   float64
	dropped bool     // superseded by a newer article
	changes []string // what this sentence superseded
}

// Summarize writes a summary of sents about topic: the sentences that are
// most central to the topic, without repeats, and with older statements
// that newer articles contradict left out. It works on any number of
// sentences: when there are many it ranks only the most promising few
// hundred (by relevance, topic words and position in the article, a few
// from each article).
func Summarize(topic string, sents []Sentence, opt Options) Summary {
	var sum Summary
	if len(sents) == 0 {
		return sum
	}
	limit := min(7, max(3, cmp.Or(opt.MaxBullets, 5)))

	arts := make(map[string]int)
	artOf := make([]int, len(sents))
	for i, s := range sents {
		key := cmp.Or(s.ArticleID, s.URL, s.Title)
		a, ok := arts[key]
		if !ok {
			a = len(arts)
			arts[key] = a
		}
		artOf[i] = a
		if p := s.Published; !p.IsZero() {
			if sum.From.IsZero() || p.Before(sum.From) {
				sum.From = p
			}
			if p.After(sum.To) {
				sum.To = p
			}
		}
	}
	sum.Articles = len(arts)
	now := sum.To
	if opt.Now != nil {
		now = opt.Now()
	}

	// TF-IDF over all sentences, so that rare words weigh the same
	// whether or not their sentence is preselected.
	voc := newVocab()
	bags := make([][]int32, len(sents))
	var buf []string
	var wbuf []word
	for i, s := range sents {
		wbuf = appendWords(wbuf[:0], s.Text)
		buf = terms(buf[:0], wbuf)
		bags[i] = voc.add(buf)
	}
	tv := unit(voc.vector(voc.lookup(textTerms(topic))))
	vecs := make([]vec, len(sents))
	for i := range sents {
		vecs[i] = voc.vector(bags[i])
	}

	// How well each sentence matches the topic, by its words and search
	// score and by those of its article, so that a sentence of an article
	// about the topic counts even when it does not repeat the topic's
	// words ("Instead, the delegations ...").
	var maxRel float64
	for _, s := range sents {
		maxRel = math.Max(maxRel, s.Relevance)
	}
	match := make([]float64, len(sents))
	artMatch := make([]float64, len(arts))
	titled := make([]bool, len(arts))
	for i, s := range sents {
		match[i] = dot(tv, vecs[i])
		if maxRel > 0 {
			match[i] += s.Relevance / maxRel
		}
		a := artOf[i]
		if !titled[a] {
			titled[a] = true
			artMatch[a] = dot(tv, unit(voc.vector(voc.lookup(textTerms(s.Title)))))
		}
		artMatch[a] = math.Max(artMatch[a], match[i])
	}
	maxArt := slices.Max(artMatch)
	prior := make([]float64, len(sents))
	gate := make([]float64, len(sents))
	for i := range sents {
		a := artOf[i]
		prior[i] = 0.5*match[i] + 0.5*artMatch[a]
		gate[i] = 1
		if maxArt > 0 {
			// Articles that hardly touch the topic contribute little,
			// however central their sentences.
			gate[i] = 0.2 + 0.8*artMatch[a]/maxArt
		}
	}

	idx := preselect(sents, artOf, prior, gate, now)
	cands := make([]candidate, len(idx))
	texts := make([][]word, len(idx))
	for k, i := range idx {
		s := sents[i]
		ws := scan(s.Text)
		texts[k] = ws
		ref := cmp.Or(s.Published, now)
		cands[k] = candidate{
			i:     i,
			art:   artOf[i],
			words: ws,
			vec:   vecs[i],
			facts: readFacts(s.Text, ws, ref, s.Dates),
			prior: prior[i],
			gate:  gate[i],
		}
	}
	proper := names(texts)
	for k := range cands {
		cands[k].names = sentenceNames(cands[k].words, proper)
	}

	n := len(cands)
	cvecs := make([]vec, n)
	for k := range cands {
		cvecs[k] = cands[k].vec
	}
	sim := simMatrix(cvecs)
	resolveConflicts(cands, sents, sim)

	keep := make([]bool, n)
	priors := make([]float64, n)
	for k := range cands {
		keep[k] = !cands[k].dropped
		// A small floor lets sentences without topic words still be
		// reached by the walk's jumps.
		priors[k] = 0.05 + cands[k].prior
	}
	cent := lexRank(sim, n, keep, priors)
	var maxCent, maxPrior float64
	for k := range cands {
		if keep[k] {
			maxCent = math.Max(maxCent, cent[k])
			maxPrior = math.Max(maxPrior, cands[k].prior)
		}
	}
	for k := range cands {
		c := &cands[k]
		if c.dropped {
			continue
		}
		s := sents[c.i]
		var ce, pr float64
		if maxCent > 0 {
			ce = cent[k] / maxCent
		}
		if maxPrior > 0 {
			pr = c.prior / maxPrior
		}
		c.score = (0.4*ce + 0.4*pr + 0.2*leadBias(s.Position)) * (0.85 + 0.15*freshness(s.Published, now)) *
			quality(s.Text, c.words, c.facts) * c.gate
	}

	sum.Bullets = pick(cands, sents, sim, limit)
	return sum
}

// preselect returns the indexes of the sentences worth ranking, all of
// them when there are few.
func preselect(sents []Sentence, artOf []int, prior, gate []float64, now time.Time) []int {
	idx := make([]int, 0, min(len(sents), maxCandidates))
	if len(sents) <= maxCandidates {
		// The same sentence twice (a wire copy) is one candidate, from
		// the newer article.
		at := make(map[string]int)
		for i, s := range sents {
			t := strings.TrimSpace(s.Text)
			if t == "" {
				continue
			}
			k, ok := at[t]
			switch {
			case !ok:
				at[t] = len(idx)
				idx = append(idx, i)
			case s.Published.After(sents[idx[k]].Published):
				idx[k] = i
			}
		}
		slices.Sort(idx)
		return idx
	}
	var maxPrior float64
	for _, p := range prior {
		maxPrior = math.Max(maxPrior, p)
	}
	quick := make([]float64, len(sents))
	order := make([]int, len(sents))
	for i, s := range sents {
		var p float64
		if maxPrior > 0 {
			p = prior[i] / maxPrior
		}
		quick[i] = (0.7*p + 0.3*leadBias(s.Position)) * (0.85 + 0.15*freshness(s.Published, now)) * gate[i]
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(quick[b], quick[a]) })
	seen := make(map[string]bool)
	taken := make(map[int]int)
	for _, i := range order {
		if len(idx) == maxCandidates {
			break
		}
		t := strings.TrimSpace(sents[i].Text)
		if t == "" || seen[t] || taken[artOf[i]] == perArticle {
			continue
		}
		seen[t] = true
		taken[artOf[i]]++
		idx = append(idx, i)
	}
	slices.Sort(idx)
	return idx
}

// resolveConflicts drops each sentence that a newer article contradicts:
// both are about the same event, but they give different dates or
// places for it. The newer sentence records what it replaced.
func resolveConflicts(cands []candidate, sents []Sentence, sim []float32) {
	n := len(cands)
	for a := range cands {
		old := &cands[a]
		po := sents[old.i].Published
		if po.IsZero() || (len(old.facts.when) == 0 && len(old.facts.where) == 0) {
			continue
		}
		for b := range cands {
			nw := &cands[b]
			pn := sents[nw.i].Published
			if nw.art == old.art || !pn.After(po) || nw.facts.stale {
				continue
			}
			s := float64(sim[a*n+b])
			same := s >= sameEventSim ||
				s >= relatedSim && old.facts.event && nw.facts.event && shared(old.names, nw.names) >= sameEventNames
			if !same {
				continue
			}
			var was []string
			of, nf := old.facts, nw.facts
			if len(of.when) > 0 && len(nf.when) > 0 && !sharesDate(of.when, nf.when) {
				for _, d := range of.when {
					was = append(was, formatDate(d))
				}
			}
			if len(of.where) > 0 && len(nf.where) > 0 && !shareAny(of.where, nf.where) {
				was = append(was, of.where...)
			}
			if len(was) == 0 {
				continue
			}
			old.dropped = true
			for _, w := range was {
				if !slices.Contains(nw.changes, w) {
					nw.changes = append(nw.changes, w)
				}
			}
		}
	}
}

// pick chooses up to limit bullets by maximal marginal relevance.
func pick(cands []candidate, sents []Sentence, sim []float32, limit int) []Bullet {
	n := len(cands)
	var maxScore float64
	for _, c := range cands {
		maxScore = math.Max(maxScore, c.score)
	}
	if maxScore == 0 {
		maxScore = 1
	}
	byPos := make(map[[2]int]int, n) // (article, position) → candidate
	for k, c := range cands {
		byPos[[2]int{c.art, sents[c.i].Position}] = k
	}
	used := make([]bool, n)
	var chosen []int // candidates in bullets, pairs' first halves included
	var out []Bullet
	covered := make(map[string]bool)
	keys := make([][]string, n)
	for k, c := range cands {
		keys[k] = factKeys(c.words, c.facts)
	}
	for len(out) < limit {
		best, bestVal := -1, math.Inf(-1)
		for k, c := range cands {
			if c.dropped || used[k] {
				continue
			}
			var red float64
			for _, j := range chosen {
				red = math.Max(red, float64(sim[k*n+j]))
			}
			if red >= dupSim {
				continue
			}
			v := lambda*c.score/maxScore - (1-lambda)*red
			// A summary should say when and where: facts not yet told
			// make a bullet worth more.
			var fresh int
			for _, key := range keys[k] {
				if !covered[key] {
					fresh++
				}
			}
			v += factGain * float64(min(fresh, 2)) / 2
			if v > bestVal || v == bestVal && sents[c.i].Published.After(sents[cands[best].i].Published) {
				best, bestVal = k, v
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		chosen = append(chosen, best)
		for _, key := range keys[best] {
			covered[key] = true
		}
		c := cands[best]
		s := sents[c.i]
		b := Bullet{
			Text:      strings.TrimSpace(s.Text),
			Sentences: []int{c.i},
			ArticleID: s.ArticleID,
			Title:     s.Title,
			URL:       s.URL,
			Published: s.Published,
			Dates:     slices.Clone(c.facts.dates),
		}
		if len(c.changes) > 0 {
			b.Changed = "changed from " + strings.Join(c.changes, ", ")
		}
		if p, ok := byPos[[2]int{c.art, s.Position - 1}]; ok && dangles(c.words) && !used[p] && !cands[p].dropped &&
			len(c.words)+len(cands[p].words) <= pairWords {
			// The sentence leans on the one before ("Instead, ..."):
			// the bullet takes both.
			used[p] = true
			chosen = append(chosen, p)
			for _, key := range keys[p] {
				covered[key] = true
			}
			prev := cands[p]
			b.Text = strings.TrimSpace(sents[prev.i].Text) + " " + b.Text
			b.Sentences = []int{prev.i, c.i}
			for _, d := range prev.facts.dates {
				b.Dates = appendDate(b.Dates, d)
			}
		}
		out = append(out, b)
	}
	return out
}

// factKeys names the specific facts a sentence tells: its dates, places
// and numbers ("11:30", "25%").
func factKeys(ws []word, f facts) []string {
	var keys []string
	for _, d := range f.when {
		keys = append(keys, "date "+d.Format(time.DateOnly))
	}
	for _, p := range f.where {
		keys = append(keys, "place "+strings.ToLower(p))
	}
	for _, w := range ws {
		if strings.ContainsAny(w.raw, "0123456789") {
			keys = append(keys, "number "+w.lower)
		}
	}
	return keys
}

// quality weighs how well a sentence does as a bullet: it should stand
// alone, be current and tell something specific (a date, a place, a
// number).
func quality(text string, ws []word, f facts) float64 {
	q := 1.0
	if len(ws) < 8 {
		q *= 0.7
	}
	if f.stale {
		q *= 0.6
	}
	if r, _ := utf8.DecodeRuneInString(text); strings.ContainsRune("\"“‘", r) &&
		!slices.ContainsFunc(ws, func(w word) bool { return reportingCues[w.lower] }) {
		// A bare quotation: nobody says who said it.
		q *= 0.75
	}
	if len(f.when) > 0 || slices.ContainsFunc(ws, func(w word) bool { return strings.ContainsAny(w.raw, "0123456789") }) {
		q *= 1.2
	}
	if len(f.where) > 0 {
		q *= 1.15
	}
	return q
}

// danglingStarts are first words that refer back to the sentence before.
var danglingStarts = set("he she they it this that these those instead but however also yet meanwhile his her their its such there then")

// dangles reports whether the sentence starts by leaning on the one
// before it.
func dangles(ws []word) bool {
	return len(ws) > 0 && danglingStarts[ws[0].lower]
}
