package events

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"attache/corpus/summarize"
)

// Thresholds of how alike two reports' sentences must be
// (summarize.Similarity of their terms) to be of one event.
const (
	// relatedSim makes two reports of one story that share no event noun
	// reports of one event: "we expect the delegations to arrive on
	// Monday", "the delegations are now expected to reach the Omani
	// capital on Wednesday".
	relatedSim = 0.3
	// conflictSim makes a newer report that names the same kind of event
	// on another day, without saying it moved, the newer word on it.
	conflictSim = 0.45
)

// tracked is an event of a story as its reports are read.
type tracked struct {
	cur     *report // the newest report of it
	art     *entry  // cur's article
	first   *report
	seq     int
	was     []Revision
	done    bool // a newer report told that it took place
	gone    bool // cancelled, or a plan that no longer holds
	touched *entry
	// happened is the report that told it took place, for timelines.
	happened    *report
	happenedArt *entry
}

// readStory reads the reports of one story's articles, oldest first,
// and returns the story's events to come and its timeline. key is the ID
// of its first article.
func readStory(key string, members []*entry) ([]Event, []Entry) {
	var evs []*tracked
	var past []pastReport
	for _, a := range members {
		// What the article says happened first: "the meeting was moved
		// to Saturday" closes the Sunday meeting before "will meet again
		// on 2 August" can be taken for it.
		for i := range a.reports {
			r := &a.reports[i]
			if r.kind != happened {
				continue
			}
			past = append(past, pastReport{r, a})
			if e, sameDay := matchHappened(evs, r); e != nil {
				if !sameDay {
					e.update(r, a) // "the meeting was moved to Saturday", and held
				}
				e.done, e.happened, e.happenedArt = true, r, a
			}
		}
		// "The talks will now be held in Dakar rather than Manila": the
		// event of that kind moves, on its day.
		for i := range a.reports {
			r := &a.reports[i]
			if r.kind != relocated {
				continue
			}
			var best *tracked
			for _, e := range evs {
				if e.art != a && e.touched != a && !e.gone && !e.done && shareAny(r.nouns, e.cur.nouns) && e.cur.place != r.place {
					best = e // the newest of its kind
				}
			}
			if best != nil {
				moved := *best.cur
				moved.text, moved.place, moved.changed, moved.pos = r.text, r.place, true, r.pos
				best.update(&moved, a)
			}
		}
		var made []*tracked // events this article adds
		for i := range a.reports {
			r := &a.reports[i]
			if r.kind != planned {
				continue
			}
			if e := matchOlder(evs, r, a); e != nil {
				e.update(r, a)
				continue
			}
			if e := matchSame(evs, r, a); e != nil {
				e.fill(r)
				continue
			}
			e := &tracked{cur: r, art: a, first: r, touched: a}
			evs = append(evs, e)
			made = append(made, e)
		}
		for i := range a.reports {
			r := &a.reports[i]
			switch r.kind {
			case stale:
				// "The talks had been due to open tomorrow": the event
				// of that day moved to what this article says now, or,
				// when it says nothing of it, no longer holds.
				for _, e := range evs {
					if e.touched == a || e.gone || e.done || !e.cur.start.Equal(r.start) || !related(e.cur, r) {
						continue
					}
					if n := foldInto(&evs, &made, e, r); n {
						continue
					}
					e.gone = true
				}
			case cancelled:
				for _, e := range evs {
					if e.art == a || e.gone || e.done {
						continue
					}
					if !r.start.IsZero() && !e.cur.start.Equal(r.start) {
						continue
					}
					if shareAny(r.nouns, e.cur.nouns) {
						e.gone = true
					}
				}
			}
		}
		if reschedules(a) {
			overtake(evs, a)
		}
	}
	return storyEvents(key, evs, past)
}

// reschedules reports whether article a rewrites its story's schedule: it
// says that something moved, or that a plan no longer holds.
func reschedules(a *entry) bool {
	for _, r := range a.reports {
		if r.kind == stale || r.changed && (r.kind == planned || r.kind == happened) {
			return true
		}
	}
	return false
}

// overtake drops the events of older reports that article a, which
// reschedules their story, does not speak of, for days within
// summarize.PlanHorizon of it: it is where things stand now (the rule
// summaries follow too).
func overtake(evs []*tracked, a *entry) {
	from := midnight(a.art.Published)
	if from.IsZero() {
		return
	}
	until := from.AddDate(0, 0, summarize.PlanHorizon)
	for _, e := range evs {
		if e.touched == a || e.gone || e.done {
			continue
		}
		if !e.cur.start.Before(from) && e.cur.start.Before(until) {
			e.gone = true
		}
	}
}

// pastReport is a report of something that happened, with its article.
type pastReport struct {
	r *report
	a *entry
}

// matchOlder returns the event of an older article that r, a report of
// article a, speaks of, or nil: one on the same day that r is like (a
// confirmation); one that r says moved, that it is like; or one of the
// same kind that r is very like, on another day (the newer word).
func matchOlder(evs []*tracked, r *report, a *entry) *tracked {
	var best *tracked
	bestScore := 0.0
	for _, e := range evs {
		if e.art == a || e.touched == a || e.gone || e.done {
			continue
		}
		sim := summarize.Similarity(r.terms, e.cur.terms)
		noun := shareAny(r.nouns, e.cur.nouns)
		var score float64
		switch {
		case e.cur.start.Equal(r.start) && (noun || sim >= relatedSim):
			score = 3 + sim
		case r.again:
			// "will meet again on 2 August": another event of its kind
		case r.changed && (noun || sim >= relatedSim):
			score = 2 + sim
		case noun && sim >= conflictSim:
			score = 1 + sim
		}
		if score > bestScore {
			best, bestScore = e, score
		}
	}
	return best
}

// matchHappened returns the event that r, a report of something that
// happened, tells took place, or nil: one of its day that r is like, or
// else the nearest within a fortnight of the kind of event that r says
// moved ("the meeting was moved to Saturday") or ended ("broke up without
// agreement"). sameDay says which.
func matchHappened(evs []*tracked, r *report) (e *tracked, sameDay bool) {
	var near *tracked
	var gap time.Duration
	for _, e := range evs {
		if e.gone || e.done || !related(e.cur, r) {
			continue
		}
		first, last := e.cur.start, e.cur.start
		if !e.cur.end.IsZero() {
			last = e.cur.end
		}
		if !r.start.Before(first) && !r.start.After(last) {
			return e, true
		}
		if !(r.changed || r.ends) || !shareAny(r.nouns, e.cur.nouns) {
			continue
		}
		d := e.cur.start.Sub(r.start)
		if d < 0 {
			d = -d
		}
		if d <= 14*24*time.Hour && (near == nil || d < gap) {
			near, gap = e, d
		}
	}
	return near, false
}

// matchSame returns the event that article a already gave r's day, when
// both name an event ("Friday’s summit", "tomorrow’s talks"), or nil.
func matchSame(evs []*tracked, r *report, a *entry) *tracked {
	for _, e := range evs {
		if e.touched != a || e.gone || e.done {
			continue
		}
		if e.cur.start.Equal(r.start) && len(e.cur.nouns) > 0 && len(r.nouns) > 0 {
			return e
		}
		if e.cur.start.Equal(r.start) && summarize.Similarity(e.cur.terms, r.terms) >= 0.5 {
			return e
		}
	}
	return nil
}

// related reports whether two reports can be of one event: they name the
// same kind of event, or are alike enough.
func related(a, b *report) bool {
	return shareAny(a.nouns, b.nouns) || summarize.Similarity(a.terms, b.terms) >= relatedSim
}

// foldInto handles a stale report r of article a that names the day of
// e, an older event: when a added an event like e, that event is e moved,
// and e takes it over, keeping its UID. It reports whether it found one.
func foldInto(evs *[]*tracked, made *[]*tracked, e *tracked, r *report) bool {
	for i, n := range *made {
		if n.gone || !related(n.cur, e.cur) && !related(n.cur, r) {
			continue
		}
		e.update(n.cur, n.art)
		*made = slices.Delete(*made, i, i+1)
		*evs = slices.DeleteFunc(*evs, func(x *tracked) bool { return x == n })
		return true
	}
	return false
}

// update makes r, a report of article a, the newest word on e: when it
// gives another day, time or place, e has moved.
func (e *tracked) update(r *report, a *entry) {
	old := e.cur
	place := r.place
	if place == "" {
		place = old.place
	}
	at := r.at
	if at.IsZero() && r.start.Equal(old.start) {
		at = old.at
	}
	end := r.end
	if end.IsZero() && r.start.Equal(old.start) {
		end = old.end
	}
	if !r.start.Equal(old.start) || !end.Equal(old.end) || !at.Equal(old.at) || place != old.place {
		e.was = append(e.was, Revision{Start: old.start, End: old.end, At: old.at, Place: old.place, ArticleID: e.art.art.ID})
		e.seq++
	}
	nr := *r
	nr.place, nr.at, nr.end = place, at, end
	if nr.label == "" {
		nr.label = old.label
	}
	e.cur, e.art, e.touched = &nr, a, a
}

// fill completes e with what r, another report of the same article on the
// same day, says and e's report does not: a place, a time, a last day.
func (e *tracked) fill(r *report) {
	c := *e.cur
	if c.place == "" {
		c.place = r.place
	}
	if c.at.IsZero() {
		c.at = r.at
	}
	if c.end.IsZero() {
		c.end = r.end
	}
	if len(c.nouns) == 0 {
		c.nouns = r.nouns
	}
	e.cur = &c
}

// storyEvents names the story's events and returns those still to come,
// and its timeline: every event at its day as the newest report has it
// (or as the report that told it took place), then what happened, each day
// and thing once, told by its newest report.
func storyEvents(key string, evs []*tracked, past []pastReport) ([]Event, []Entry) {
	var out []Event
	var tl []Entry
	ordinal := map[string]int{}
	for _, e := range evs {
		k := nounKey(e.first)
		uid := makeUID(key, k, ordinal[k])
		ordinal[k]++
		if e.gone {
			continue
		}
		if e.done {
			if e.happened != nil {
				tl = append(tl, entryOf(e.happened, e.happenedArt, false, uid))
			}
			continue
		}
		c := e.cur
		out = append(out, Event{
			UID: uid, Sequence: e.seq, Start: c.start, End: c.end, At: c.at,
			Label: c.label, Place: c.place, Sentence: c.text, Article: e.art.art,
			Story: key, Was: e.was,
		})
		tl = append(tl, entryOf(c, e.art, true, uid))
	}
	// What happened, once a day and thing: a newer report of the same
	// day that is like an older one replaces it.
	var told []pastReport
	for _, p := range past {
		if slices.ContainsFunc(evs, func(e *tracked) bool { return e.happened == p.r }) {
			continue
		}
		replaced := false
		for i, t := range told {
			if t.r.start.Equal(p.r.start) && related(t.r, p.r) {
				told[i], replaced = p, true // past is oldest first
				break
			}
		}
		if !replaced {
			told = append(told, p)
		}
	}
	for _, p := range told {
		tl = append(tl, entryOf(p.r, p.a, false, ""))
	}
	sortEntries(tl)
	return out, tl
}

func entryOf(r *report, a *entry, plannedEntry bool, uid string) Entry {
	return Entry{Date: r.start, End: r.end, At: r.at, Text: r.text, Planned: plannedEntry, UID: uid, Article: a.art}
}

// nounKey names the kind of an event for its UID, from its first report:
// its first event noun ("talk"), or else the first word of its label.
func nounKey(r *report) string {
	if len(r.nouns) > 0 {
		return r.nouns[0]
	}
	if f := strings.Fields(strings.ToLower(r.label)); len(f) > 0 {
		return f[0]
	}
	return "event"
}

// makeUID derives an event's UID from its story, the kind of event and
// how many events of that kind the story had before it.
func makeUID(story, key string, n int) string {
	sum := sha256.Sum256([]byte(story + "\x00" + key + "\x00" + strconv.Itoa(n)))
	return hex.EncodeToString(sum[:12]) + "@attache"
}
