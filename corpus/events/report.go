package events

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"attache/corpus"
	"attache/corpus/dates"
	"attache/corpus/summarize"
)

// kind is what a report says of its day.
type kind uint8

const (
	planned   kind = iota + 1 // something will happen then
	happened                  // something happened then
	stale                     // a plan for then that no longer holds
	cancelled                 // an event is called off
	relocated                 // an event moves to another place, on its day: "will now be held in Dakar"
)

// report is one dated statement of an article.
type report struct {
	pos  int // the sentence's index in the article; -1 for the title
	text string
	kind kind
	// start and end are the days (end zero for one day); at is the time
	// of day, when known. A cancellation may have no day.
	start, end, at time.Time
	label, place   string
	// changed reports whether the sentence says the event moved:
	// "postponed until Thursday", "moved from Doha to Muscat", "now".
	changed bool
	// again reports whether the label says the event is another of its
	// kind: "meet again", "the next meeting", "a further round".
	again bool
	// ends reports whether the sentence tells how an event ended: "broke
	// up without agreement", "ending days of talks".
	ends bool
	// nouns are the event nouns of the sentence, terms its content words
	// (summarize.Read).
	nouns, terms []string
}

// leadSentences is how many sentences of an article, after its title,
// may cancel an event without naming its day: "The summit has been called
// off" is news told at the top.
const leadSentences = 3

// extract returns the dated reports of article a: what it says will
// happen and when, what it says happened (for timelines), and the plans
// it says no longer hold or are cancelled, which update the events of
// older reports of the same story. The title counts only to cancel.
func extract(a corpus.Article) []report {
	pub := a.Published
	day := midnight(pub)
	var out []report
	var clocks []clockNote
	lastSubject := ""
	texts := append([]string{a.Title}, passageTexts(a)...)
	for n, text := range texts {
		pos := n - 1
		ms := dates.Find(text, pub)
		lower := lowerASCII(text)
		cancel := pos < leadSentences && containsAny(lower, cancelMarks...)
		changed := containsAny(lower, changeMarks...)
		spans := spansOf(text, ms, changed)
		clock := len(spans) == 0 && mayHaveClock(lower)
		if len(spans) == 0 && !cancel && !clock && !(changed && pos < leadSentences) {
			continue // most sentences: nothing dated
		}
		st := summarize.Read(text, pub)
		st.Events = kinds(st.Events)
		if pos < 0 || len(spans) == 0 {
			switch {
			case pos >= 0 && pos < leadSentences && changed && len(st.Places) > 0 && len(st.Events) > 0 && !cancel:
				out = append(out, report{pos: pos, text: text, kind: relocated, place: st.Places[0], changed: true, nouns: st.Events, terms: st.Terms})
			case cancel:
				r := report{pos: pos, text: text, kind: cancelled, nouns: st.Events, terms: st.Terms}
				if len(spans) > 0 {
					r.start = spans[0].start
				}
				out = append(out, r)
			case pos >= 0 && clock:
				for _, c := range dates.Clocks(text) {
					if c.Zone != "" && len(st.Events) > 0 {
						clocks = append(clocks, clockNote{c, st.Events, firstOf(st.Places)})
						break
					}
				}
			}
			continue
		}
		for _, sp := range spans {
			k := classify(sp, day, st.Stale)
			if k == 0 || sp.mentions[0].Kind == dates.Relative && quoted(text, sp.from) {
				continue // "the decisions we postpone today will be made for us by the ice tomorrow"
			}
			if cancel && k == planned {
				k = cancelled
			}
			cs, ce := clauseOf(text, sp.from, sp.to)
			r := report{
				pos: pos, text: text, kind: k, start: sp.start, end: sp.end,
				changed: changed && changeBefore(lower, cs, sp.from, ms), nouns: st.Events, terms: st.Terms,
			}
			ph := label(text, cs, ce, sp, ms)
			if pronouns[strings.ToLower(ph.subj)] {
				ph.subj = lastSubject // "He will visit …", after "Halloran …"
			} else if ph.subj != "" {
				lastSubject = ph.subj
			}
			r.label = ph.String()
			r.ends = containsAny(lower, endMarks...)
			r.again = containsAny(" "+strings.ToLower(r.label)+" ", " again ", " another ", " further ", " next ", " follow-up ")
			// The kind of event is the label's, when it names one: a
			// sentence may name two ("moved to Saturday to avoid a clash
			// with a summit … on Sunday").
			cl := summarize.Read(text[cs:ce], pub)
			r.nouns, r.terms = kinds(cl.Events), cl.Terms
			if ls := summarize.Read(r.label, pub); len(ls.Events) > 0 {
				r.nouns = kinds(ls.Events)
			}
			// A possessive day's place is in the noun phrase after it:
			// "tomorrow’s talks between … in Alaska".
			ps := cs
			if sp.possessive {
				ps = sp.to
			}
			r.place = firstOf(summarize.Read(text[ps:ce], pub).Places)
			if k == planned && r.end.IsZero() {
				if n := lasts(text[cs:ce]); n > 1 {
					r.end = r.start.AddDate(0, 0, n-1)
				}
			}
			if k == planned {
				for _, c := range dates.Clocks(text[cs:ce]) {
					if at, ok := c.On(r.start); ok {
						r.at = at
						break
					}
				}
			}
			out = append(out, r)
		}
	}
	attachClocks(out, clocks)
	return out
}

// changeBefore reports whether the clause of lower from cs says, before
// the days at from, that something moved to them: a change mark with no
// other date between it and them ("moved to Saturday to avoid a clash with
// a summit on Sunday" moved Saturday, not Sunday).
func changeBefore(lower string, cs, from int, ms []dates.Mention) bool {
	last := cs
	for _, m := range ms {
		if m.End <= from && m.End > last {
			last = m.End
		}
	}
	return containsAny(lower[last:from], changeMarks...) || containsAny(lower[cs:from], " now ", "instead")
}

// kinds turns the event nouns of a sentence (stems, from summarize.Read)
// into kinds of event, so that reports that call one event by two names
// ("negotiations", "talks", "the meeting") are of one kind. The order is
// kept, without repeats.
func kinds(nouns []string) []string {
	var out []string
	for _, n := range nouns {
		k := n
		if c, ok := eventKinds[n]; ok {
			k = c
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// eventKinds maps the stems of event nouns to their kind: rounds of talks
// under all their names, votes, signings.
var eventKinds = func() map[string]string {
	m := map[string]string{}
	for kind, words := range map[string]string{
		"talks":   "talk talks meet meeting round negotiation negotiations session conference summit dialogue consultation",
		"vote":    "vote election referendum",
		"signing": "signing ceremony",
	} {
		for _, w := range strings.Fields(words) {
			m[summarize.Stem(w)] = kind
		}
	}
	return m
}()

// mayHaveClock reports whether lower, a sentence in lower case, may give
// a time of day, which dates.Clocks would find: a cheap test first.
func mayHaveClock(lower string) bool {
	if !strings.ContainsAny(lower, "0123456789") {
		return false
	}
	return containsAny(lower, ":", " am", " pm", "a.m.", "p.m.", "gmt", "utc", "0am", "0pm")
}

// quoted reports whether byte offset i of text is inside a quotation.
func quoted(text string, i int) bool {
	n := strings.Count(text[:i], "“") - strings.Count(text[:i], "”")
	if n > 0 {
		return true
	}
	return strings.Count(text[:i], "\"")%2 == 1
}

// passageTexts returns the sentences of a, in order.
func passageTexts(a corpus.Article) []string {
	ps := a.Passages()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// clockNote is a time of day said without a day: "The meeting in
// Anchorage will start at 11:30 am local time (8.30 pm UK time)".
type clockNote struct {
	clock dates.Clock
	nouns []string
	place string
}

// attachClocks gives the planned reports of an article the times of day
// that its dateless sentences give: to the reports that share an event
// noun with the sentence, or, when there are none, to all of them if they
// are of one day.
func attachClocks(rs []report, clocks []clockNote) {
	for _, c := range clocks {
		var target []int
		days := map[time.Time]bool{}
		for i, r := range rs {
			if r.kind != planned || !r.at.IsZero() {
				continue
			}
			days[r.start] = true
			if shareAny(r.nouns, c.nouns) {
				target = append(target, i)
			}
		}
		if len(target) == 0 && len(days) == 1 {
			for i, r := range rs {
				if r.kind == planned && r.at.IsZero() {
					target = append(target, i)
				}
			}
		}
		for _, i := range target {
			if at, ok := c.clock.On(rs[i].start); ok {
				rs[i].at = at
				if rs[i].place == "" {
					rs[i].place = c.place
				}
			}
		}
	}
}

// span is one day or run of days that a sentence gives, with the mentions
// that give it.
type span struct {
	from, to   int // byte offsets in the sentence, from the first mention to the last
	start, end time.Time
	mentions   []dates.Mention
	possessive bool // "Friday’s summit"
}

// spansOf groups the mentions of a sentence, reporting ones left out, into
// spans: days that share an expression ("14-15 December") or are joined
// by "and", "to" or a dash ("on Monday and Tuesday") are one span. When
// the sentence says an event moved, "from 8 May to 12 May" is a change,
// not a span: the first day is left out.
func spansOf(text string, ms []dates.Mention, changed bool) []span {
	var out []span
	for _, m := range ms {
		if m.Reporting {
			continue
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			prev := last.mentions[len(last.mentions)-1]
			between := strings.ToLower(strings.TrimSpace(text[prev.End:max(prev.End, m.Start)]))
			if m.Text == prev.Text && m.Start == prev.Start || joins(between) && m.Date.After(last.endDay()) && m.Date.Sub(last.start) <= 14*24*time.Hour {
				if changed && (between == "to" || between == "until") && strings.HasSuffix(strings.ToLower(strings.TrimSpace(text[:last.from])), "from") {
					// "extended from 8 May to 12 May": the new day only.
					*last = newSpan(m)
					continue
				}
				last.mentions = append(last.mentions, m)
				last.end = m.Date
				last.to = m.End
				continue
			}
		}
		out = append(out, newSpan(m))
	}
	return out
}

func newSpan(m dates.Mention) span {
	t := strings.ToLower(m.Text)
	return span{
		from: m.Start, to: m.End, start: m.Date, mentions: []dates.Mention{m},
		possessive: strings.HasSuffix(t, "’s") || strings.HasSuffix(t, "'s"),
	}
}

func (sp span) endDay() time.Time {
	if sp.end.IsZero() {
		return sp.start
	}
	return sp.end
}

// joins reports whether the words between two mentions make them one run
// of days.
func joins(between string) bool {
	switch between {
	case "and", "-", "–", "—", "to", "through", "until", "till", "&", ", and", "or":
		return true
	}
	return false
}

// classify returns what a span says of its days, read on day (the
// article's, zero when undated), or 0 for a span that is none of a
// calendar's business: "today", said on the day itself, or a plan for a
// day before the article, which is history told in the future tense.
func classify(sp span, day time.Time, isStale bool) kind {
	tense := dates.Unmarked
	for _, m := range sp.mentions {
		if m.Tense == dates.Future || tense == dates.Unmarked {
			tense = m.Tense
		}
	}
	m := sp.mentions[0]
	if m.Kind == dates.Relative && m.Date.Equal(day) {
		return 0 // "today's agreement", "tonight the world has finished"
	}
	if isStale {
		// "The delegations had been due to meet on Monday": a plan that
		// fell through, whether Monday is past or not.
		return stale
	}
	plan := planned
	if isStale {
		plan = stale
	}
	switch tense {
	case dates.Future:
		if !day.IsZero() && sp.start.Before(day) {
			return 0
		}
		return plan
	case dates.Past:
		return happened
	}
	switch {
	case day.IsZero():
		return 0
	case sp.start.After(day):
		return plan
	case sp.start.Before(day):
		return happened
	}
	return 0
}

// cancelMarks say an event will not take place.
var cancelMarks = []string{"cancelled", "canceled", "called off", "scrapped", "will not take place",
	"will not go ahead", "won't go ahead", "won’t go ahead", "shelved", "postponed indefinitely",
	"indefinitely postponed", "postponed without a new date"}

// endMarks tell how an event ended.
var endMarks = []string{"broke up", "ended", "ending", "concluded", "wrapped up", "collapsed", "without agreement", "outline of a deal", "reached a deal", "reached agreement"}

// changeMarks say an event moved to another day or place.
var changeMarks = []string{"postpone", "delay", "pushed back", "push back", "moved", "brought forward",
	"bring forward", "bringing forward", "reschedul", "put off", "deferred", " now ", "instead",
	"rather than", "switched", "relocat", "no longer", "extended", "shifted"}

// lastsPattern finds how many days an event lasts: "a two-day meeting",
// "three days of talks", "expected to last three days".
var lastsPattern = regexp.MustCompile(`(?i)\b(two|three|four|five|six|seven|2|3|4|5|6|7)[- ]day\b|\b(two|three|four|five|six|seven|2|3|4|5|6|7) days of\b|\blast (two|three|four|five|six|seven|2|3|4|5|6|7) days\b`)

// lasts returns how many days the clause says its event lasts, or 0.
func lasts(clause string) int {
	m := lastsPattern.FindStringSubmatch(clause)
	if m == nil {
		return 0
	}
	for _, g := range m[1:] {
		if g == "" {
			continue
		}
		if n, err := strconv.Atoi(g); err == nil {
			return n
		}
		return slices.Index([]string{"", "one", "two", "three", "four", "five", "six", "seven"}, strings.ToLower(g))
	}
	return 0
}

// midnight returns t's calendar day in UTC at midnight, or zero.
func midnight(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func firstOf(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
