// Package summarize writes extractive summaries of news about a topic and
// groups articles into stories for digests.
//
// Group puts articles that report the same event together (the same
// parties and subject, close in time), and it is the one place that says
// which reports are of one story, for summaries and digests alike. Changes
// says what is new in a story since the last digest.
//
// Summarize picks a few sentences that together say the most about a
// topic: it ranks candidate sentences by topic-sensitive LexRank over
// their TF-IDF similarities, with a bias towards the first sentences of
// articles and towards newer articles, then picks bullets by maximal
// marginal relevance so that no two say the same thing, for as long as
// they add information. Within a story the newest report wins: plans of
// older reports for days the newer one has overtaken, and statements it
// contradicts (another day or place for the same event), are left out,
// and the bullet that replaces them says what changed in a sentence.
//
// Dates are read by corpus/dates, as answers read them.
package summarize

import (
	"attache/corpus"
	"cmp"
	"math"
	"regexp"
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
	// Articles are the IDs of the articles that report what the bullet
	// says: ArticleID first, then those whose like sentences it stands for.
	Articles []string
	// Dates are the dates the bullet's sentences mention.
	Dates []time.Time
	// Changed is set when the bullet replaces an older report's
	// statement about the same event, and says what changed in a
	// sentence: "The talks were postponed from Tuesday 12 May to Thursday
	// 14 May and moved from Doha to Muscat." A story's change is told
	// once.
	Changed string
}

// Options tune Summarize.
type Options struct {
	// MaxBullets caps the bullets: 7 when 0, and never more than 7. Below
	// that, how many a summary has follows the information: see Summarize.
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
	maxCandidates = 400                 // sentences ranked in the O(n²) graph
	perArticle    = 4                   // sentences of one article among them, at most
	lambda        = 0.7                 // MMR: weight of importance against novelty
	dupSim        = 0.5                 // bullets more similar than this say the same thing
	dupContained  = 0.7                 // ... or when this share of the shorter one's terms is in the other
	sameFactSim   = 0.25                // ... or when they give the same day and place and are this similar
	sameEventSim  = 0.45                // sentences of a story this similar are about the same event
	relatedSim    = 0.15                // ... or this similar when they name the same kind of event
	pairWords     = 70                  // a sentence and its predecessor make one bullet up to this length
	factGain      = 0.15                // MMR: bonus for a bullet that adds a date, time or place
	newestGain    = 1.25                // score factor of the newest report of a story of several
	olderLoss     = 0.85                // ... and of its older reports
	planHorizon   = PlanHorizon         // days after a newer report within which an older report's plans are overtaken
	enoughValue   = 0.3                 // MMR value below which a further bullet adds too little
	logistics     = 1.3                 // quality factor of a sentence that says when and where an event is
	aboutGate     = 0.6                 // an article whose gate is this high is about the topic
	owedShare     = 0.4                 // a story whose best sentence is this important, relative to the best, is owed a bullet
	owedRecency   = 30 * 24 * time.Hour // ... when its newest report is at most this older than the topic's
	storyRepeat   = 0.1                 // MMR: cost of each bullet a story already has
)

// PlanHorizon is how many days after a story's newer report an older
// report's plans count as overtaken by it: once talks have moved, "we
// expect the delegations to arrive on Monday" no longer says where things
// stand. Summaries leave such plans out, and calendars (corpus/events) drop
// the events that an article rescheduling a story does not confirm.
const PlanHorizon = 60

// budget is how many bullets a summary of n articles may have at most,
// before the information runs out: 2 for one article, 3 for two, 5 for
// four, 7 from eleven; a summary is short because its topic is small.
func budget(n int) int {
	if n < 1 {
		return 0
	}
	return 2 + int(1.5*math.Log2(float64(n)))
}

// candidate is a sentence being ranked.
type candidate struct {
	i       int // index into the input
	art     int // article number
	words   []word
	vec     vec
	facts   facts
	prior   float64 // personalisation: how well it matches the topic
	gate    float64 // how well its article matches the topic, relative to the best
	score   float64
	story   int      // the story of its article, an index into stories
	dropped bool     // superseded by a newer report of its story
	was     []change // what this sentence changed of older reports
}

// Summarize writes a summary of sents about topic: the sentences that are
// most central to the topic, without repeats, with what newer reports of a
// story overtook or contradict left out, and with plans for days before
// the topic's newest report left out too. Its length follows the
// information: at most budget(articles) bullets and MaxBullets, fewer when
// the next would add too little (see pick). It works on any number of
// sentences: when there are many it ranks only the most promising few
// hundred (by relevance, topic words and position in the article, a few
// from each article).
func Summarize(topic string, sents []Sentence, opt Options) Summary {
	var sum Summary
	if len(sents) == 0 {
		return sum
	}
	limit := min(7, max(1, cmp.Or(opt.MaxBullets, 7)))

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
	limit = min(limit, budget(sum.Articles))
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
	for k, i := range idx {
		s := sents[i]
		ws := scan(s.Text)
		ref := cmp.Or(s.Published, now)
		cands[k] = candidate{
			i:     i,
			art:   artOf[i],
			words: ws,
			vec:   vecs[i],
			facts: readFacts(s.Text, ws, ref),
			prior: prior[i],
			gate:  gate[i],
		}
	}
	n := len(cands)
	cvecs := make([]vec, n)
	for k := range cands {
		cvecs[k] = cands[k].vec
	}
	sim := simMatrix(cvecs)
	stories := storiesOf(cands, sents, len(arts))
	// The topic's newest report is the newest of the articles about it,
	// not of those that merely touch it.
	var latest time.Time
	for _, c := range cands {
		if p := sents[c.i].Published; c.gate >= aboutGate && p.After(latest) {
			latest = p
		}
	}
	supersede(cands, sents, stories, latest)
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
		// Of a story told more than once, the newest report has the
		// latest word, and what only it says (a refused compromise, a
		// ministers' meeting) is news.
		if st := stories[c.story]; len(st.arts) > 1 {
			if c.art == st.newest {
				c.score *= newestGain
			} else {
				c.score *= olderLoss
			}
		}
	}

	sum.Bullets = pick(cands, sents, sim, bags, stories, latest, limit, sum.Articles > 1)
	// A sentence that several articles carry word for word (a wire copy)
	// was ranked once; all of them are its sources.
	copies := map[string][]string{}
	for _, b := range sum.Bullets {
		for _, i := range b.Sentences {
			copies[strings.TrimSpace(sents[i].Text)] = nil
		}
	}
	for _, s := range sents {
		t := strings.TrimSpace(s.Text)
		if ids, ok := copies[t]; ok && !slices.Contains(ids, s.ArticleID) {
			copies[t] = append(ids, s.ArticleID)
		}
	}
	for n, b := range sum.Bullets {
		for _, i := range b.Sentences {
			for _, id := range copies[strings.TrimSpace(sents[i].Text)] {
				if !slices.Contains(b.Articles, id) {
					b.Articles = append(b.Articles, id)
				}
			}
		}
		sum.Bullets[n] = b
	}
	return sum
}

// storyGroup is a group of the candidates' articles that report one event.
type storyGroup struct {
	arts      []int // article numbers
	newest    int   // the article published last
	published time.Time
}

// storiesOf groups the articles of the candidates into stories as Group
// does, from their titles and first sentences, and sets each candidate's
// story. It returns the stories by number.
func storiesOf(cands []candidate, sents []Sentence, articles int) []storyGroup {
	docs := make([]Doc, articles)
	first := make([]int, articles) // a sentence of each article
	for i := range first {
		first[i] = -1
	}
	positions := make([][]int, articles)
	for k, c := range cands {
		if first[c.art] < 0 {
			first[c.art] = c.i
		}
		positions[c.art] = append(positions[c.art], k)
	}
	for a, ks := range positions {
		if first[a] < 0 {
			continue
		}
		s := sents[first[a]]
		docs[a] = Doc{Meta: corpus.Meta{ID: s.ArticleID, Title: s.Title, Published: s.Published}}
		slices.SortFunc(ks, func(x, y int) int { return sents[cands[x].i].Position - sents[cands[y].i].Position })
		for _, k := range ks[:min(docSentences, len(ks))] {
			docs[a].Sentences = append(docs[a].Sentences, sents[cands[k].i].Text)
		}
	}
	groups := readEvents(docs).events(DefaultThreshold)
	out := make([]storyGroup, len(groups))
	storyOf := make([]int, articles)
	for n, g := range groups {
		out[n] = storyGroup{arts: g, newest: g[0]}
		for _, a := range g {
			storyOf[a] = n
			if docs[a].Published.After(docs[out[n].newest].Published) {
				out[n].newest = a
			}
		}
		out[n].published = docs[out[n].newest].Published
	}
	for k := range cands {
		cands[k].story = storyOf[cands[k].art]
	}
	return out
}

// supersede drops the plans that older reports of a story make for days
// that its newest report has overtaken: once the talks have moved, "we
// expect the delegations to arrive on Monday" is no longer where things
// stand, and neither is what "had been due" to happen. It drops too, in
// any story, plans for days before latest, the topic's newest report.
// What older reports say of the past stays, and so do plans far beyond
// the newest report.
func supersede(cands []candidate, sents []Sentence, stories []storyGroup, latest time.Time) {
	for k := range cands {
		c := &cands[k]
		// A plan for a day before the topic's newest report is history
		// told in the future tense, whatever the story: "will resume talks
		// in Ankara on Saturday", written in January, read in March.
		if slices.ContainsFunc(c.facts.plans, func(d time.Time) bool { return d.Before(day(latest)) }) {
			c.dropped = true
			continue
		}
		st := stories[c.story]
		if len(st.arts) < 2 || c.art == st.newest {
			continue
		}
		newest := st.published
		published := sents[c.i].Published
		if newest.IsZero() || !published.Before(newest) {
			continue
		}
		from := day(newest)
		until := from.AddDate(0, 0, planHorizon)
		if c.facts.stale || slices.ContainsFunc(c.facts.when, func(d time.Time) bool {
			return !d.Before(from) && d.Before(until)
		}) {
			c.dropped = true
		}
	}
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

// resolveConflicts drops each sentence that a newer report of the same
// story contradicts: both are about the same event, but they give
// different dates or places for it. The newer sentence records what
// changed.
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
			if nw.art == old.art || nw.story != old.story || !pn.After(po) || nw.facts.stale {
				continue
			}
			// Within a story, two sentences that name the same kind of
			// event and are somewhat alike are about the same event.
			s := float64(sim[a*n+b])
			if s < sameEventSim && (s < relatedSim || shared(old.facts.events, nw.facts.events) == 0) {
				continue
			}
			// What the older report expected against what the newer
			// one says: the day the talks were to end, not the day
			// they opened.
			of, nf := old.facts, nw.facts
			datesDiffer := len(of.plans) > 0 && len(nf.when) > 0 && !sharesDate(of.plans, nf.when)
			placesDiffer := len(of.where) > 0 && len(nf.where) > 0 && !shareAny(of.where, nf.where)
			if !datesDiffer && !placesDiffer {
				continue
			}
			old.dropped = true
			var oldD, newD []time.Time
			if datesDiffer {
				oldD, newD = of.plans, nf.when
			}
			var oldP, newP []string
			if placesDiffer {
				oldP, newP = of.where, nf.where
			}
			text := sents[nw.i].Text
			if c, ok := newChange(eventNounOf(text, sents[old.i].Text), text, oldD, newD, oldP, newP); ok {
				nw.was = append(nw.was, c)
			}
		}
	}
}

// pick chooses up to limit bullets by maximal marginal relevance, for as
// long as they add enough: past the first bullet (the first three when
// the topic has several articles), one whose value, its importance less
// its likeness to the bullets chosen, falls below enoughValue is left out.
// No bullet says what another says; a like sentence of another article
// adds that article to the bullet's Articles instead. A story whose best
// sentence is at least owedShare as important as the best of all, and
// whose newest report is within owedRecency of latest, gets a bullet while
// the limit allows; each bullet of a story makes its next one cost
// storyRepeat.
func pick(cands []candidate, sents []Sentence, sim []float32, bags [][]int32, stories []storyGroup, latest time.Time, limit int, several bool) []Bullet {
	n := len(cands)
	var maxScore float64
	for _, c := range cands {
		maxScore = math.Max(maxScore, c.score)
	}
	if maxScore == 0 {
		maxScore = 1
	}
	minimum := 1
	if several {
		minimum = min(3, limit)
	}
	// The stories that deserve a bullet of their own.
	owed := map[int]bool{}
	for _, c := range cands {
		if !c.dropped && c.score >= owedShare*maxScore && !stories[c.story].published.Before(latest.Add(-owedRecency)) {
			owed[c.story] = true
		}
	}
	byPos := make(map[[2]int]int, n) // (article, position) → candidate
	for k, c := range cands {
		byPos[[2]int{c.art, sents[c.i].Position}] = k
	}
	used := make([]bool, n)
	var chosen []int // candidates in bullets, pairs' first halves included
	var out []Bullet
	covered := make(map[string]bool)
	told := map[string]bool{} // the days and places whose change a bullet has said
	perStory := map[int]int{} // bullets of each story
	keys := make([][]string, n)
	for k, c := range cands {
		keys[k] = factKeys(c.words, c.facts)
	}
	for len(out) < limit {
		best, bestVal := -1, math.Inf(-1)
		// When the bullets left are as many as the stories still owed one,
		// they go to those stories.
		only := len(owed) > 0 && limit-len(out) <= len(owed)
		for k, c := range cands {
			if c.dropped || used[k] || only && !owed[c.story] {
				continue
			}
			var red float64
			dup := false
			for _, j := range chosen {
				red = math.Max(red, float64(sim[k*n+j]))
				if sameFact(cands, sim, bags, k, j) {
					dup = true
					break
				}
			}
			if dup || red >= dupSim {
				continue
			}
			// Each bullet a story has makes its next one worth less, so
			// that a topic of several stories hears of each.
			v := lambda*c.score/maxScore - (1-lambda)*red - storyRepeat*float64(perStory[c.story])
			// A summary should say when and where: facts not yet told
			// make a bullet worth more, after the first, which is the
			// most important.
			var fresh int
			for _, key := range keys[k] {
				if !covered[key] {
					fresh++
				}
			}
			if len(out) > 0 {
				v += factGain * float64(min(fresh, 2)) / 2
			}
			if v > bestVal || v == bestVal && sents[c.i].Published.After(sents[cands[best].i].Published) {
				best, bestVal = k, v
			}
		}
		if best < 0 || len(out) >= minimum && bestVal < enoughValue && !owed[cands[best].story] {
			break
		}
		used[best] = true
		chosen = append(chosen, best)
		for _, key := range keys[best] {
			covered[key] = true
		}
		c := cands[best]
		delete(owed, c.story)
		perStory[c.story]++
		s := sents[c.i]
		b := Bullet{
			Text:      strings.TrimSpace(s.Text),
			Sentences: []int{c.i},
			ArticleID: s.ArticleID,
			Title:     s.Title,
			URL:       s.URL,
			Published: s.Published,
			Articles:  []string{s.ArticleID},
			Dates:     slices.Clone(c.facts.dates),
		}
		b.Changed = changeNote(b.Text, c.facts.when, c.was, told)
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
	// Other articles that say what a bullet says are its sources too.
	for k, c := range cands {
		if used[k] || c.dropped {
			continue
		}
		for _, j := range chosen {
			if float64(sim[k*len(cands)+j]) < dupSim && !sameFact(cands, sim, bags, k, j) {
				continue
			}
			b := bulletOf(out, cands[j].i)
			if b >= 0 && !slices.Contains(out[b].Articles, sents[c.i].ArticleID) {
				out[b].Articles = append(out[b].Articles, sents[c.i].ArticleID)
			}
			break
		}
	}
	return out
}

// bulletOf returns the index of the bullet that holds sentence i, or -1.
func bulletOf(bs []Bullet, i int) int {
	for n, b := range bs {
		if slices.Contains(b.Sentences, i) {
			return n
		}
	}
	return -1
}

// sameFact reports whether candidates k and j say the same thing in other
// words: most of the terms of the shorter are in the other, or they give
// the same day (and no other place) for what they report and are somewhat
// alike.
func sameFact(cands []candidate, sim []float32, bags [][]int32, k, j int) bool {
	a, b := cands[k], cands[j]
	if contained(bags[a.i], bags[b.i]) >= dupContained {
		return true
	}
	if len(a.facts.when) == 0 || len(b.facts.when) == 0 || float64(sim[k*len(cands)+j]) < sameFactSim {
		return false
	}
	if !slices.EqualFunc(a.facts.when, b.facts.when, time.Time.Equal) {
		return false
	}
	return len(a.facts.where) == 0 || len(b.facts.where) == 0 || shareAny(a.facts.where, b.facts.where)
}

// contained returns the share of the distinct terms of the shorter of two
// sorted bags that are in the other.
func contained(a, b []int32) float64 {
	ua, ub := slices.Compact(slices.Clone(a)), slices.Compact(slices.Clone(b))
	if len(ua) > len(ub) {
		ua, ub = ub, ua
	}
	if len(ua) < 4 {
		return 0 // too short to tell
	}
	var in int
	for _, t := range ua {
		if _, ok := slices.BinarySearch(ub, t); ok {
			in++
		}
	}
	return float64(in) / float64(len(ua))
}

// changeNote returns the sentence that says what a bullet changed of
// older reports, or "" when it changed nothing, when its own text already
// says all of it ("moved from Doha to Muscat"), or when another bullet has
// told of that day or place: each change is said once. It records what it
// tells in told.
func changeNote(text string, when []time.Time, was []change, told map[string]bool) string {
	for _, c := range was {
		from := "date " + c.fromDate.Format(time.DateOnly)
		if c.fromDate.IsZero() {
			from = "place " + c.fromPlace
		}
		if told[from] {
			continue
		}
		if (c.fromPlace == "" || strings.Contains(text, c.fromPlace)) &&
			(c.fromDate.IsZero() || slices.ContainsFunc(when, c.fromDate.Equal)) {
			continue
		}
		told[from] = true
		return c.sentence()
	}
	return ""
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
		!slices.ContainsFunc(ws, func(w word) bool { return saidWords[w.lower] }) {
		// A bare quotation: nobody says who said it.
		q *= 0.75
	}
	if len(f.when) > 0 || slices.ContainsFunc(ws, func(w word) bool { return strings.ContainsAny(w.raw, "0123456789") }) {
		q *= 1.2
	}
	if len(f.where) > 0 {
		q *= 1.15
	}
	// Where things stand is first when and where the event is: "the
	// meeting in Anchorage will start at 11:30 am local time".
	if len(f.events) > 0 && len(f.where) > 0 && (len(f.when) > 0 || clockTime.MatchString(text)) {
		q *= logistics
	}
	return q
}

// clockTime matches a time of day: "11:30 am", "8.30 pm", "9 am".
var clockTime = regexp.MustCompile(`\b\d{1,2}([:.]\d{2})?\s?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b`)

// saidWords say who said something.
var saidWords = set("said say says told announced stated confirmed added reported warned reporters statement")

// danglingStarts are first words that refer back to the sentence before.
var danglingStarts = set("he she they it this that these those instead but however also yet meanwhile his her their its such there then")

// dangles reports whether the sentence starts by leaning on the one
// before it.
func dangles(ws []word) bool {
	return len(ws) > 0 && danglingStarts[ws[0].lower]
}
