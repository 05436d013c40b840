package summarize

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// facts is what one sentence says about when and where something happens.
type facts struct {
	// dates are all the dates the sentence mentions.
	dates []time.Time
	// when are the dates of what is reported, without the dates of the
	// reporting itself ("mediators said on Monday").
	when []time.Time
	// where are the places things happen at: "in Doha", "moved ... to
	// Muscat"; not "from Doha".
	where []string
	// event reports whether the sentence names an event: talks, a
	// meeting, a summit.
	event bool
	// stale reports whether the sentence tells of a plan that no longer
	// holds ("had been due to open"), so that it never wins a conflict.
	stale bool
}

// readFacts reads the facts of a sentence written at ref. When given is
// not nil it holds the sentence's dates as resolved by the caller and
// replaces the package's own, simpler resolution; either way dates are
// left out of when if the sentence uses them for its reporting.
func readFacts(text string, ws []word, ref time.Time, given []time.Time) facts {
	var f facts
	ms := findDates(ws, ref)
	if given == nil {
		for _, m := range ms {
			f.dates = appendDate(f.dates, m.date)
			if !m.reporting {
				f.when = appendDate(f.when, m.date)
			}
		}
	} else {
		for _, d := range given {
			d = day(d)
			f.dates = appendDate(f.dates, d)
			reporting := slices.ContainsFunc(ms, func(m mention) bool {
				return m.reporting && m.date.Equal(d)
			})
			if !reporting {
				f.when = appendDate(f.when, d)
			}
		}
	}
	f.where = findPlaces(ws)
	for _, w := range ws {
		if eventTerms[stem(w.lower)] {
			f.event = true
			break
		}
	}
	lower := strings.ToLower(text)
	for _, s := range staleMarks {
		if strings.Contains(lower, s) {
			f.stale = true
			break
		}
	}
	return f
}

// eventTerms are the stems of nouns that name a scheduled event.
var eventTerms = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields("talks meeting meet summit round negotiations session conference visit vote election ceremony hearing") {
		m[stem(w)] = true
	}
	return m
}()

// eventNouns are the nouns that Changes names an event with, preferred
// first.
var eventNouns = []string{"talks", "summit", "meeting", "conference", "negotiations", "session", "visit", "vote", "election", "hearing", "ceremony"}

var staleMarks = []string{"had been due", "had been scheduled", "had been expected", "had been set", "had been planned", "was originally", "were originally", "originally scheduled", "initially scheduled", "previously scheduled"}

var relativeDays = set("today tonight tomorrow yesterday")

// mention is a date found in a sentence.
type mention struct {
	at        int // index of its first word
	date      time.Time
	reporting bool // the date of a statement, not of what it is about
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var months = map[string]time.Month{
	"january": time.January, "february": time.February, "march": time.March, "april": time.April,
	"may": time.May, "june": time.June, "july": time.July, "august": time.August,
	"september": time.September, "october": time.October, "november": time.November, "december": time.December,
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April, "jun": time.June,
	"jul": time.July, "aug": time.August, "sep": time.September, "sept": time.September,
	"oct": time.October, "nov": time.November, "dec": time.December,
}

// Direction words: which way a weekday resolves from the reference date.
var (
	futureCues    = set("will would could can might shall due expect expected expects scheduled schedule set until postponed delayed pushed moved rescheduled planned plan plans upcoming ahead before next to resume reconvene open begin start")
	pastCues      = set("met was were had has have agreed collapsed held signed began ended opened last ago earlier rejected arrived broke did")
	reportingCues = set("said say says told announced stated confirmed added reported warned reporters statement")
)

type direction int

const (
	nearest direction = iota
	future
	past
	after  // "next Tuesday"
	before // "last Tuesday"
)

// findDates finds weekdays, "today", "tomorrow", "yesterday" and
// calendar dates ("3 June 2026", "June 3") in ws, resolved against ref.
// It is a fallback for callers that do not pass resolved dates: a weekday
// resolves to the nearest such day, or the next or last one when the
// words before it point forward ("will", "due", "until") or back ("met",
// "said"). With a zero ref only dates that give their year are found.
func findDates(ws []word, ref time.Time) []mention {
	var ms []mention
	today := day(ref)
	for i, w := range ws {
		var d time.Time
		wd, isWeekday := weekdays[w.lower]
		switch {
		case ref.IsZero() && (isWeekday || relativeDays[w.lower]):
			continue // nothing to count from
		case w.lower == "today" || w.lower == "tonight":
			d = today
		case w.lower == "tomorrow":
			d = today.AddDate(0, 0, 1)
		case w.lower == "yesterday":
			d = today.AddDate(0, 0, -1)
		case isWeekday && w.cap:
			d = weekdayDate(today, wd, dateDirection(ws, i))
		default:
			var ok bool
			if d, ok = calendarDate(ws, i, today); !ok {
				continue
			}
		}
		ms = append(ms, mention{at: i, date: d, reporting: isReporting(ws, i)})
	}
	return ms
}

// calendarDate reads "3 June [2026]" or "June 3[, 2026]" starting at ws[i].
func calendarDate(ws []word, i int, today time.Time) (time.Time, bool) {
	get := func(k int) string {
		if k < len(ws) {
			return ws[k].lower
		}
		return ""
	}
	dayNum := func(s string) int {
		s = strings.TrimRight(s, "stndrh")
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 31 {
			return 0
		}
		return n
	}
	year := func(k int) (int, bool) {
		n, err := strconv.Atoi(get(k))
		return n, err == nil && n >= 1900 && n <= 2200
	}
	var d int
	var m time.Month
	var next int
	if n := dayNum(ws[i].lower); n > 0 && i+1 < len(ws) && ws[i+1].cap && months[ws[i+1].lower] != 0 {
		d, m, next = n, months[ws[i+1].lower], i+2
	} else if ws[i].cap && months[ws[i].lower] != 0 && dayNum(get(i+1)) > 0 && (i == 0 || dayNum(ws[i-1].lower) == 0) {
		d, m, next = dayNum(get(i+1)), months[ws[i].lower], i+2
	} else {
		return time.Time{}, false
	}
	y, ok := year(next)
	if !ok {
		if today.IsZero() {
			return time.Time{}, false
		}
		y = today.Year()
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31 June
	}
	return t, true
}

// dateDirection looks at the words around ws[i] for which way the
// weekday at ws[i] lies from the day of writing.
func dateDirection(ws []word, i int) direction {
	if i > 0 {
		switch ws[i-1].lower {
		case "next":
			return after
		case "last":
			return before
		}
	}
	for k := i - 1; k >= 0 && k >= i-10; k-- {
		if d, ok := cue(ws, k); ok {
			return d
		}
	}
	for k := i + 1; k < len(ws) && k <= i+6; k++ {
		if d, ok := cue(ws, k); ok {
			return d
		}
	}
	return nearest
}

func cue(ws []word, k int) (direction, bool) {
	w := ws[k].lower
	switch {
	case reportingCues[w], pastCues[w]:
		return past, true
	case futureCues[w]:
		return future, true
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		// "could be issued", "will be held": a passive, whose tense is
		// in the words before it.
		if k > 0 && (ws[k-1].lower == "be" || ws[k-1].lower == "being") {
			return nearest, false
		}
		return past, true
	}
	return nearest, false
}

// isReporting reports whether the date at ws[i] is when something was
// said ("mediators said on Monday") rather than when it happens.
func isReporting(ws []word, i int) bool {
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		w := ws[k].lower
		if reportingCues[w] {
			return true
		}
		if _, ok := cue(ws, k); ok {
			return false
		}
	}
	return false
}

func weekdayDate(today time.Time, wd time.Weekday, dir direction) time.Time {
	diff := (int(wd) - int(today.Weekday()) + 7) % 7 // 0..6 days ahead
	switch dir {
	case future:
	case after:
		if diff == 0 {
			diff = 7
		}
	case past:
		if diff > 0 {
			diff -= 7
		}
	case before:
		diff -= 7
	default:
		if diff > 3 {
			diff -= 7
		}
	}
	return today.AddDate(0, 0, diff)
}

// day returns t's calendar day as midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func appendDate(ds []time.Time, d time.Time) []time.Time {
	for _, x := range ds {
		if x.Equal(d) {
			return ds
		}
	}
	return append(ds, d)
}

// placeWords introduce a place: "in Doha", "at Dolmabahçe Palace".
var placeWords = set("in at near outside inside into towards")

// moveWords make the "to" after them introduce a place: "moved to Muscat".
var moveWords = set("moved move moving relocated shifted switched back travel travelled traveled travels go goes went come came return returns returned fly flew flies head headed heading trip visit visits bring brought")

// findPlaces returns the capitalised names that follow a place word:
// "in Doha", "at the ASEAN Secretariat", "moved from Doha to Muscat"
// (Muscat only: a place things move away from is not where they happen).
func findPlaces(ws []word) []string {
	var out []string
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		intro := placeWords[w.lower]
		if w.lower == "to" && i > 0 {
			prev := ws[i-1].lower
			intro = moveWords[prev] || i >= 2 && ws[i-2].lower == "from" && ws[i-1].cap
		}
		if !intro || w.brk {
			continue
		}
		j := i + 1
		if j < len(ws) && ws[j].lower == "the" && !ws[j].brk {
			j++
		}
		k := j
		for k < len(ws) && ws[k].cap && !isDateWord(ws[k].lower) && !stopWords[ws[k].lower] {
			k++
			if ws[k-1].brk {
				break
			}
		}
		if k == j {
			continue
		}
		// "in the Qatari capital": a demonym, not a place.
		last := ws[k-1]
		if k-j == 1 && !last.brk && k < len(ws) && !ws[k].cap && !stopWords[ws[k].lower] && isDemonym(last.lower) {
			continue
		}
		names := make([]string, 0, k-j)
		for _, x := range ws[j:k] {
			names = append(names, x.raw)
		}
		if p := strings.Join(names, " "); !slices.Contains(out, p) {
			out = append(out, p)
		}
		i = k - 1
	}
	return out
}

func isDemonym(w string) bool {
	for _, s := range []string{"i", "an", "ese", "ish"} {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

func isDateWord(w string) bool {
	_, wd := weekdays[w]
	_, m := months[w]
	return wd || m
}

// names finds proper names across a collection of texts: words written
// with a capital in mid-sentence and never in lower case. It returns the
// lower-cased words.
func names(texts [][]word) map[string]bool {
	capped := make(map[string]bool)
	lowered := make(map[string]bool)
	for _, ws := range texts {
		for _, w := range ws {
			if !w.cap {
				lowered[w.lower] = true
			} else if !w.first {
				capped[w.lower] = true
			}
		}
	}
	out := make(map[string]bool, len(capped))
	for w := range capped {
		if !lowered[w] && !stopWords[w] && !isDateWord(w) && len(w) > 1 {
			out[w] = true
		}
	}
	return out
}

// sentenceNames returns the words of ws that are in proper, once each.
func sentenceNames(ws []word, proper map[string]bool) []string {
	var out []string
	for _, w := range ws {
		if proper[w.lower] && !slices.Contains(out, w.lower) {
			out = append(out, w.lower)
		}
	}
	return out
}

// shared returns how many strings of a are also in b.
func shared(a, b []string) int {
	var n int
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return n
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func sharesDate(a, b []time.Time) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Equal(y) {
				return true
			}
		}
	}
	return false
}

// formatDate writes d as "Tuesday 12 May".
func formatDate(d time.Time) string {
	return d.Format("Monday 2 January")
}
