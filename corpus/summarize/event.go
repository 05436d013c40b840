package summarize

import (
	"container/heap"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Two articles report the same event when they name the same parties
// (the people, countries and bodies in their headline and lead, places
// aside), are about the same subject (the other words of those) and came
// out close in time. eventDocs.sim scores a pair as the product of the
// three, so that none makes up for another: the same two countries on
// another subject, the same subject between others, or the same city, stay
// apart; and it halves the score of two articles whose headlines put their
// events in different places that neither names.
const (
	// sameDays is how far apart two reports of one event may be published
	// at no cost; the time factor then falls linearly to zero at maxGap.
	sameDays = 10 * 24 * time.Hour
	maxGap   = 45 * 24 * time.Hour
	// undatedTime is the time factor of a pair with an undated article.
	undatedTime = 0.6
	// partySentences is how many sentences after the headline name the
	// parties of an article.
	partySentences = 1
	// subjectSentences is how many sentences after the headline tell the
	// subject of an article.
	subjectSentences = 1
	// subjectBackground is how many articles on other subjects the
	// subject IDF assumes besides those grouped, so that two reports alone
	// weigh the words they share as they would among many.
	subjectBackground = 50
	// elsewhereLoss is the factor of the similarity of two articles whose
	// headlines put their events in different places.
	elsewhereLoss = 0.5
	// minParties is the least share of each article's principal parties
	// that the other must name too.
	minParties = 0.7
)

// eventDocs holds what Group compares of each article.
type eventDocs struct {
	at      []time.Time
	parties [][]int32 // ids of the names of the headline and lead, ascending
	// principal are the parties of the headline, or of the lead when the
	// headline names none: who the article is about.
	principal [][]int32
	idf       []float64 // of each name
	subject   []vec     // unit TF-IDF vectors of the other words
	headline  []vec     // ... of those of the headline alone
	// venues are the places the headline puts the event in ("talks in
	// Doha"), and named all the names of the headline and lead, places
	// too.
	venues, named [][]string
	byParty       [][]int // name id → articles naming it
}

// readEvents reads the parties, subject and time of each doc from its
// title and first sentences.
func readEvents(docs []Doc) *eventDocs {
	ev := &eventDocs{
		at:        make([]time.Time, len(docs)),
		parties:   make([][]int32, len(docs)),
		principal: make([][]int32, len(docs)),
		subject:   make([]vec, len(docs)),
	}
	texts := make([][][]word, len(docs)) // title first
	var sentences [][]word
	for i, d := range docs {
		ev.at[i] = d.Published
		texts[i] = append(texts[i], scan(d.Title))
		for _, s := range d.Sentences[:min(docSentences, len(d.Sentences))] {
			ws := scan(s)
			texts[i] = append(texts[i], ws)
			sentences = append(sentences, ws)
		}
	}
	// Names are told by how sentences write them: headlines capitalise
	// words that are no names.
	proper := names(sentences)

	// A name is a run of capitalised words ("Rapid Support Forces"), or a
	// part of a hyphenated word ("Trump-Putin"). One used as a place at
	// least as often as not ("in Doha", "to Muscat") says where, not who.
	type unit struct {
		key   string
		text  int // 0 for the headline
		place bool
	}
	units := make([][]unit, len(docs))
	uses, placeUses := map[string]int{}, map[string]int{}
	svoc := newVocab()
	svoc.background = subjectBackground
	bags := make([][]int32, len(docs))
	heads := make([][]string, len(docs))
	var ts []string
	for i := range docs {
		ts = ts[:0]
		for k, ws := range texts[i] {
			inPlace := placeWords(ws)
			var run []string
			runPlace := false
			flush := func() {
				if len(run) > 0 && k <= partySentences {
					key := strings.Join(run, " ")
					units[i] = append(units[i], unit{key, k, runPlace})
					uses[key]++
					if runPlace {
						placeUses[key]++
					}
				}
				run, runPlace = run[:0], false
			}
			n := len(ts)
			for x, w := range ws {
				parts := strings.FieldsFunc(w.lower, notWordRune)
				if len(parts) != 1 {
					flush()
				}
				for _, part := range parts {
					switch {
					case proper[part]:
						if len(run) == 0 {
							runPlace = inPlace[x]
						}
						run = append(run, part)
						if len(parts) != 1 {
							flush()
						}
						continue
					case k > subjectSentences || isDateWord(part) || strings.IndexFunc(part, unicode.IsDigit) >= 0 ||
						len(part) < 2 || stopWords[part] || genericTerms[stem(part)]:
					default:
						ts = append(ts, stem(part))
					}
					flush()
				}
				if w.brk {
					flush()
				}
			}
			flush()
			if k == 0 {
				heads[i] = slices.Clone(ts[n:])
				ts = append(ts, ts[n:]...) // the headline counts twice
			}
		}
		bags[i] = svoc.add(ts)
	}
	ev.headline = make([]vec, len(docs))
	for i := range docs {
		ev.subject[i] = svoc.vector(bags[i])
		ev.headline[i] = svoc.vector(svoc.lookup(heads[i]))
	}

	ids := map[string]int32{}
	var df []int
	ev.venues = make([][]string, len(docs))
	ev.named = make([][]string, len(docs))
	for i, us := range units {
		seen := map[int32]bool{}
		var head, lead []int32
		for _, u := range us {
			if !slices.Contains(ev.named[i], u.key) {
				ev.named[i] = append(ev.named[i], u.key)
			}
			if 2*placeUses[u.key] >= uses[u.key] {
				if u.text == 0 && u.place && !slices.Contains(ev.venues[i], u.key) {
					ev.venues[i] = append(ev.venues[i], u.key)
				}
				continue
			}
			id, ok := ids[u.key]
			if !ok {
				id = int32(len(df))
				ids[u.key] = id
				df = append(df, 0)
			}
			if !seen[id] {
				seen[id] = true
				df[id]++
				ev.parties[i] = append(ev.parties[i], id)
			}
			if u.text == 0 {
				head = append(head, id)
			} else {
				lead = append(lead, id)
			}
		}
		if len(head) == 0 {
			head = lead
		}
		slices.Sort(ev.parties[i])
		slices.Sort(head)
		ev.principal[i] = slices.Compact(head)
	}
	ev.idf = make([]float64, len(df))
	ev.byParty = make([][]int, len(df))
	for id, n := range df {
		ev.idf[id] = math.Log(1 + float64(len(docs))/float64(n))
	}
	for i, ps := range ev.parties {
		for _, id := range ps {
			ev.byParty[id] = append(ev.byParty[id], i)
		}
	}
	return ev
}

// genericTerms are the stems of the words that any report of talks uses,
// whatever they are about: they tell nothing of an event's subject.
var genericTerms = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`talks talk negotiations negotiation negotiator negotiators
		delegation delegations delegate delegates meeting meet meets met round session sessions
		official officials said say says told statement spokesman spokeswoman spokesperson
		minister ministers ministry foreign envoy envoys mediator mediators mediation side sides
		both two first new week day days month year today tomorrow yesterday agreed agree agreement
		deal host hosts hosted hold held holds postponed postpone delayed delay moved move pushed
		back expected expect due open opened opens begin began start started end ended ends
		government governments country countries capital capitals chief lead leads led will would
		could also after before since now next last instead rather than`) {
		m[stem(w)] = true
	}
	return m
}()

// placeWords marks the words of ws that name where something happens:
// those findPlaces returns.
func placeWords(ws []word) []bool {
	out := make([]bool, len(ws))
	for _, sp := range placeSpans(ws) {
		for k := sp[0]; k < sp[1]; k++ {
			out[k] = true
		}
	}
	return out
}

// sim returns how likely articles i and j report the same event, from 0
// to 1: the product of the time factor, the share of parties they have in
// common and the cosine similarity of their subjects, or 0 when they share
// too few parties.
func (ev *eventDocs) sim(i, j int) float64 {
	t := ev.timeFactor(i, j)
	if t == 0 {
		return 0
	}
	p := ev.partyShare(i, j)
	if p < minParties {
		return 0
	}
	sim := t * p * ev.subjectSim(i, j)
	if ev.elsewhere(i, j) {
		sim *= elsewhereLoss
	}
	return sim
}

// elsewhere reports whether the headlines of articles i and j put their
// events in different places, neither article naming the other's: talks
// in Bern and talks in Hanoi in the same days are two rounds, while a
// report that the talks moved "from Doha to Muscat" names both.
func (ev *eventDocs) elsewhere(i, j int) bool {
	a, b := ev.venues[i], ev.venues[j]
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, v := range a {
		if slices.Contains(ev.named[j], v) {
			return false
		}
	}
	for _, v := range b {
		if slices.Contains(ev.named[i], v) {
			return false
		}
	}
	return true
}

// subjectSim is how alike the subjects of articles i and j are: the
// geometric mean of the cosine similarities of their headlines and of
// their headlines and leads, since a lead can open with boilerplate
// ("Trade between the two fell by 10 per cent") that says nothing of the
// subject, while the headline always says it. When either headline has no
// words but names, the leads decide.
func (ev *eventDocs) subjectSim(i, j int) float64 {
	all := dot(ev.subject[i], ev.subject[j])
	if len(ev.headline[i].ids) == 0 || len(ev.headline[j].ids) == 0 {
		return all
	}
	return math.Sqrt(math.Max(0, dot(ev.headline[i], ev.headline[j])) * all)
}

// timeFactor is 1 for articles published within sameDays of each other,
// falling to 0 at maxGap.
func (ev *eventDocs) timeFactor(i, j int) float64 {
	a, b := ev.at[i], ev.at[j]
	if a.IsZero() || b.IsZero() {
		return undatedTime
	}
	gap := a.Sub(b)
	if gap < 0 {
		gap = -gap
	}
	switch {
	case gap <= sameDays:
		return 1
	case gap >= maxGap:
		return 0
	}
	return 1 - float64(gap-sameDays)/float64(maxGap-sameDays)
}

// partyShare is how far articles i and j name the same parties: the
// least of the shares of each one's principal parties that the other
// names too, rare names weighing more than common ones. Mediators and
// hosts that only one names cost nothing, but a headline's country that
// the other leaves out does: "Latvia and Greece" are not "Denmark and
// Greece".
func (ev *eventDocs) partyShare(i, j int) float64 {
	a, b := ev.principal[i], ev.principal[j]
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	return math.Min(ev.cover(a, ev.parties[j]), ev.cover(b, ev.parties[i]))
}

// cover returns the share of the weight of names that are among the
// sorted ids of others; 1 when there are no names.
func (ev *eventDocs) cover(names, others []int32) float64 {
	var all, found float64
	for _, id := range names {
		all += ev.idf[id]
		if _, ok := slices.BinarySearch(others, id); ok {
			found += ev.idf[id]
		}
	}
	if all == 0 {
		return 1
	}
	return found / all
}

// pairs returns the similarities of the pairs of articles that share a
// party, above zero. Each pair is scored once: seen marks, for article i,
// the articles already compared with it, which is much cheaper than a map
// of every pair when a common party (a big country) links thousands.
func (ev *eventDocs) pairs() map[[2]int]float64 {
	out := map[[2]int]float64{}
	seen := make([]int32, len(ev.parties))
	for i, ps := range ev.parties {
		stamp := int32(i + 1)
		for _, id := range ps {
			for _, j := range ev.byParty[id] {
				if j <= i || seen[j] == stamp {
					continue
				}
				seen[j] = stamp
				if s := ev.sim(i, j); s > 0 {
					out[[2]int{i, j}] = s
				}
			}
		}
	}
	return out
}

// events groups the n articles that ev describes into events by
// average-link agglomerative clustering over their pairwise similarity,
// merging while two groups are on average at least threshold similar.
// Pairs that share no party count as 0, so that a group cannot grow by a
// chain of articles each like the last. Groups hold article indexes in
// ascending order, and come in the order of their first article.
func (ev *eventDocs) events(threshold float64) [][]int {
	n := len(ev.at)
	members := make([][]int, n)
	version := make([]int, n)
	// links[a][b] is the sum of the similarities between groups a and b.
	links := make([]map[int]float64, n)
	for i := range n {
		members[i] = []int{i}
		links[i] = map[int]float64{}
	}
	q := &mergeQueue{}
	for k, s := range ev.pairs() {
		links[k[0]][k[1]] = s
		links[k[1]][k[0]] = s
		if s >= threshold {
			heap.Push(q, merge{avg: s, a: k[0], b: k[1]})
		}
	}
	for q.Len() > 0 {
		m := heap.Pop(q).(merge)
		if members[m.a] == nil || members[m.b] == nil || version[m.a] != m.va || version[m.b] != m.vb {
			continue // one of the groups changed since
		}
		a, b := m.a, m.b
		members[a] = append(members[a], members[b]...)
		members[b] = nil
		version[a]++
		for c, s := range links[b] {
			delete(links[c], b)
			if c == a {
				continue
			}
			links[a][c] += s
			links[c][a] = links[a][c]
		}
		links[b] = nil
		for c, s := range links[a] {
			avg := s / float64(len(members[a])*len(members[c]))
			if avg >= threshold {
				heap.Push(q, merge{avg: avg, a: a, b: c, va: version[a], vb: version[c]})
			}
		}
	}
	var out [][]int
	for _, ms := range members {
		if ms != nil {
			slices.Sort(ms)
			out = append(out, ms)
		}
	}
	slices.SortFunc(out, func(x, y []int) int { return x[0] - y[0] })
	return out
}

// merge is a candidate merge of groups a and b, at the versions they had
// when it was queued.
type merge struct {
	avg    float64
	a, b   int
	va, vb int
}

// mergeQueue is a max-heap of merges by average similarity; ties go to
// the lower group numbers, so that the result does not depend on map
// order.
type mergeQueue []merge

func (q mergeQueue) Len() int { return len(q) }
func (q mergeQueue) Less(i, j int) bool {
	if q[i].avg != q[j].avg {
		return q[i].avg > q[j].avg
	}
	if q[i].a != q[j].a {
		return q[i].a < q[j].a
	}
	return q[i].b < q[j].b
}
func (q mergeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *mergeQueue) Push(x any)   { *q = append(*q, x.(merge)) }
func (q *mergeQueue) Pop() any {
	old := *q
	m := old[len(old)-1]
	*q = old[:len(old)-1]
	return m
}
