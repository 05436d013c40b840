package corpustest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"attache/corpus"
)

// Planted is a generated corpus with known stories: which articles report
// the same event.
type Planted struct {
	Articles []corpus.Article
	// Story maps each article's ID to the key of the story it belongs to;
	// articles that are no one's update have a story of their own.
	Story map[string]string
}

// Stories returns about n articles made from seed, in which stories of 2
// to 6 reports of one event (the same two countries negotiating the same
// subject over a few days, as the event is postponed, moved or settled)
// are planted among near misses that a grouping must keep apart:
//
//   - the same two countries on another subject, in the same days;
//   - the same subject between other countries, in the same city;
//   - other talks in the same city at the same time;
//   - a later round of the same talks, months on;
//
// and single reports of unrelated talks. Each report of a story is worded
// afresh: its headline, lead and quotes differ from the others'.
func Stories(n int, seed uint64) Planted {
	g := &storyGen{
		r:    rand.New(rand.NewPCG(seed, seed^0x51ed2701f3a5c9b7)),
		used: map[string][]time.Time{},
		out:  Planted{Story: map[string]string{}},
	}
	for len(g.out.Articles) < n {
		g.story()
	}
	return g.out
}

// storyGen holds the state of one call to Stories.
type storyGen struct {
	r       *rand.Rand
	out     Planted
	stories int
	// used holds the days of the talks planted for each pair of
	// countries and subject, so that no unrelated article falls into
	// another's event by chance.
	used map[string][]time.Time
}

// event is one negotiation: who, about what, where and when.
type event struct {
	a, b     string // the two countries
	topic    string
	city     string
	mediator string
	leadA    string // the negotiators
	leadB    string
	day      time.Time // when the talks open, midnight UTC
}

func (g *storyGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *storyGen) person() string { return g.pick(first) + " " + g.pick(last) }

// newEvent draws talks between two countries that no event within
// months has paired on the same subject, opening around day.
func (g *storyGen) newEvent(day time.Time, topic, city string, avoid ...string) event {
	for {
		e := event{
			a: g.pick(countries), b: g.pick(countries), topic: topic, city: city,
			mediator: g.pick(bodies), leadA: g.person(), leadB: g.person(), day: day,
		}
		if e.topic == "" {
			e.topic = g.pick(topics)
		}
		if e.city == "" {
			e.city = g.pick(cities)
		}
		if e.a == e.b || contains(avoid, e.a) || contains(avoid, e.b) {
			continue
		}
		if !g.free(e.key(), day) {
			continue
		}
		g.used[e.key()] = append(g.used[e.key()], day)
		return e
	}
}

// free reports whether no talks of key are planted within four months of
// day.
func (g *storyGen) free(key string, day time.Time) bool {
	for _, t := range g.used[key] {
		if absDays(t.Sub(day)) < 120 {
			return false
		}
	}
	return true
}

// key names the pair of countries and the subject, in either order.
func (e event) key() string {
	a, b := e.a, e.b
	if b < a {
		a, b = b, a
	}
	return a + "|" + b + "|" + e.topic
}

// story plants one story of 2 to 6 reports and its near misses.
func (g *storyGen) story() {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	day := start.AddDate(0, 0, g.r.IntN(300))
	e := g.newEvent(day, "", "")
	g.stories++
	key := fmt.Sprintf("s%04d", g.stories)
	reports := 2 + g.r.IntN(5)
	published := day.AddDate(0, 0, -2).Add(time.Duration(8+g.r.IntN(10)) * time.Hour)
	cur := e
	for i := range reports {
		var text report
		switch {
		case i == 0:
			text = g.announce(cur, published)
		case i == reports-1 && g.r.IntN(2) == 0:
			text = g.outcome(cur, published)
		default:
			next := cur
			switch g.r.IntN(3) {
			case 0:
				next.day = cur.day.AddDate(0, 0, 1+g.r.IntN(3))
			case 1:
				for next.city == cur.city {
					next.city = g.pick(cities)
				}
			default:
				next.day = cur.day.AddDate(0, 0, 2)
				for next.city == cur.city {
					next.city = g.pick(cities)
				}
			}
			text = g.change(cur, next, published)
			cur = next
		}
		g.add(key, text, published)
		published = published.Add(time.Duration(6+g.r.IntN(60)) * time.Hour)
	}

	// The near misses, each a story of its own.
	near := func(e event, at time.Time) {
		g.stories++
		g.add(fmt.Sprintf("s%04d", g.stories), g.announce(e, at), at)
	}
	around := func() time.Time {
		return day.Add(time.Duration(g.r.IntN(5*24)-48) * time.Hour)
	}
	if g.r.IntN(3) > 0 { // same countries, another subject
		other := e
		for other.topic == e.topic {
			other.topic = g.pick(topics)
		}
		if g.free(other.key(), day) {
			g.used[other.key()] = append(g.used[other.key()], day)
			other.city, other.leadA, other.leadB = g.pick(cities), g.person(), g.person()
			near(other, around())
		}
	}
	if g.r.IntN(3) > 0 { // the same subject between others, in the same city
		near(g.newEvent(day, e.topic, e.city, e.a, e.b), around())
	}
	if g.r.IntN(2) > 0 { // other talks in the same city
		near(g.newEvent(day, "", e.city, e.a, e.b), around())
	}
	if g.r.IntN(4) == 0 { // a later round of the same talks
		later := e
		later.day = day.AddDate(0, 4+g.r.IntN(3), 0)
		later.leadA, later.leadB, later.city = g.person(), g.person(), g.pick(cities)
		g.used[later.key()] = append(g.used[later.key()], later.day)
		near(later, later.day.AddDate(0, 0, -1))
	}
	if g.r.IntN(2) > 0 { // unrelated talks
		other := g.newEvent(start.AddDate(0, 0, g.r.IntN(300)), "", "")
		near(other, other.day.AddDate(0, 0, -1))
	}
}

// report is the text of one generated article.
type report struct {
	title string
	paras []string
}

// announce reports talks to come.
func (g *storyGen) announce(e event, at time.Time) report {
	titles := []string{
		"%[1]s and %[2]s to hold %[3]s talks in %[4]s",
		"%[1]s and %[2]s agree to open talks on %[3]s",
		"%[4]s to host %[1]s-%[2]s negotiations on %[3]s",
		"%[5]s invites %[1]s and %[2]s to %[3]s talks",
	}
	leads := []string{
		"Negotiators from %[1]s and %[2]s will meet in %[4]s on %[6]s for talks on %[3]s, %[5]s said on %[7]s.",
		"%[1]s and %[2]s are due to open negotiations on %[3]s in %[4]s on %[6]s, officials in both capitals said.",
		"Delegations from %[2]s and %[1]s are expected in %[4]s on %[6]s for a first round of talks on %[3]s brokered by %[5]s.",
	}
	p := []string{
		g.fill(g.pick(leads), e, at),
		fmt.Sprintf("%s, who will lead the %s delegation, said the talks on %s were %s.", e.leadA, e.a, e.topic, g.pick(moods)),
		fmt.Sprintf("%s's chief negotiator, %s, %s that %s needed %s first.", e.b, e.leadB, g.pick(verbs), e.b, g.pick(demands)),
	}
	return report{title: g.fill(g.pick(titles), e, at), paras: append(p, g.filler(e)...)}
}

// change reports that talks moved to another day, another city or both.
func (g *storyGen) change(was, now event, at time.Time) report {
	var title, lead string
	switch {
	case was.city == now.city:
		title = g.pick([]string{
			"%[1]s-%[2]s %[3]s talks pushed back to %[6]s",
			"Talks between %[1]s and %[2]s on %[3]s postponed until %[6]s",
		})
		lead = fmt.Sprintf("Talks between %s and %s on %s have been postponed until %s, %s said, after a dispute over %s.",
			now.a, now.b, now.topic, weekday(now.day), now.mediator, g.pick(demands))
	case was.day.Equal(now.day):
		title = g.pick([]string{
			"%[1]s and %[2]s move %[3]s talks to %[4]s",
			"%[3]s talks between %[2]s and %[1]s switch from %[8]s to %[4]s",
		})
		lead = fmt.Sprintf("The %s talks between %s and %s will now be held in %s rather than %s, mediators said, citing security concerns.",
			now.topic, now.a, now.b, now.city, was.city)
	default:
		title = "%[1]s-%[2]s talks on %[3]s delayed and moved to %[4]s"
		lead = fmt.Sprintf("Negotiations between %s and %s on %s have been pushed back to %s and moved from %s to %s, %s said.",
			now.a, now.b, now.topic, weekday(now.day), was.city, now.city, now.mediator)
	}
	p := []string{
		lead,
		fmt.Sprintf("The delegations had been due to meet in %s on %s.", was.city, weekday(was.day)),
		fmt.Sprintf("%s, %s's envoy, said the delay was %s.", now.leadA, now.a, g.pick(moods)),
	}
	t := strings.ReplaceAll(title, "%[8]s", was.city)
	return report{title: g.fill(t, now, at), paras: append(p, g.filler(now)...)}
}

// outcome reports how the talks ended.
func (g *storyGen) outcome(e event, at time.Time) report {
	titles := []string{
		"%[1]s and %[2]s reach outline deal on %[3]s",
		"%[3]s talks between %[1]s and %[2]s end without agreement",
	}
	i := g.r.IntN(len(titles))
	leads := []string{
		"%[1]s and %[2]s agreed in %[4]s on %[6]s on the outline of a deal on %[3]s, ending days of talks brokered by %[5]s.",
		"Talks between %[1]s and %[2]s on %[3]s broke up in %[4]s on %[6]s without agreement, both delegations said.",
	}
	p := []string{
		g.fill(leads[i], e, at),
		fmt.Sprintf("%s said %s had refused a compromise on %s put forward by %s.", e.leadA, e.b, g.pick(demands), e.mediator),
		fmt.Sprintf("Foreign ministers of %s and %s are to meet next month to review the talks, %s said.", e.a, e.b, e.leadB),
	}
	return report{title: g.fill(titles[i], e, at), paras: append(p, g.filler(e)...)}
}

// filler returns the body of a report after its first paragraphs:
// background that any talks could have, naming other places and bodies.
func (g *storyGen) filler(e event) []string {
	pool := []string{
		fmt.Sprintf("Trade between %s and %s fell by %d per cent last year, adding urgency to the negotiations.", e.a, e.b, 2+g.r.IntN(38)),
		fmt.Sprintf("Observers from %s said the atmosphere had been tense but businesslike.", g.pick(bodies)),
		fmt.Sprintf("Analysts cautioned that similar talks in %d collapsed over %s.", 2005+g.r.IntN(20), g.pick(topics)),
		fmt.Sprintf("\"We are closer than we were a month ago, but not close enough,\" %s %s.", g.person(), g.pick(verbs)),
		fmt.Sprintf("%s has offered to host a further round in %s if the talks stall.", g.pick(countries), g.pick(cities)),
		fmt.Sprintf("Diplomats in %s said %s had kept in close contact with both sides.", g.pick(cities), g.pick(bodies)),
	}
	g.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:3+g.r.IntN(3)]
}

// fill formats a template with the event: 1 and 2 the countries, 3 the
// topic, 4 the city, 5 the mediator, 6 the weekday of the talks, 7 the
// weekday of publication.
func (g *storyGen) fill(tmpl string, e event, at time.Time) string {
	s := fmt.Sprintf(tmpl, e.a, e.b, e.topic, e.city, e.mediator, weekday(e.day), weekday(at))
	if strings.HasPrefix(s, "the ") {
		s = "The " + s[4:]
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// add appends a report published at to the corpus, in story key.
func (g *storyGen) add(key string, rp report, at time.Time) {
	id := fmt.Sprintf("planted/p%05d.md", len(g.out.Articles))
	sum := sha256.Sum256([]byte(id + rp.title + strings.Join(rp.paras, "\n")))
	g.out.Articles = append(g.out.Articles, corpus.Article{
		ID:         id,
		Title:      rp.title,
		Source:     "Planted Wire",
		URL:        "https://fixtures.invalid/" + strings.TrimSuffix(filepath.Base(id), ".md"),
		Published:  at,
		Paragraphs: rp.paras,
		Hash:       hex.EncodeToString(sum[:]),
	})
	g.out.Story[id] = key
}

var (
	moods   = []string{"constructive", "difficult but necessary", "long overdue", "a test of goodwill", "unlikely to be quick"}
	demands = []string{"the sequencing of any agreement", "guarantees of monitoring", "the make-up of the delegations", "who would chair the sessions", "the release of detainees"}
)

func weekday(t time.Time) string { return t.Weekday().String() }

func absDays(d time.Duration) int {
	if d < 0 {
		d = -d
	}
	return int(d / (24 * time.Hour))
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// BCubed scores a grouping of articles against the planted one by B-cubed
// precision, recall and F1: for each article, the share of its group that
// is in its true story and the share of its true story that is in its
// group, averaged over the articles. got maps each article ID to a group
// key; articles missing from got count as groups of their own.
func (p Planted) BCubed(got map[string]string) (precision, recall, f1 float64) {
	group := func(id string) string {
		if g, ok := got[id]; ok {
			return "g:" + g
		}
		return "alone:" + id
	}
	groupSize, storySize, both := map[string]int{}, map[string]int{}, map[[2]string]int{}
	for id, st := range p.Story {
		g := group(id)
		groupSize[g]++
		storySize[st]++
		both[[2]string{g, st}]++
	}
	for id, st := range p.Story {
		g := group(id)
		n := float64(both[[2]string{g, st}])
		precision += n / float64(groupSize[g])
		recall += n / float64(storySize[st])
	}
	precision /= float64(len(p.Story))
	recall /= float64(len(p.Story))
	return precision, recall, 2 * precision * recall / (precision + recall)
}
