package dates

import "time"

// finder holds the state of one call to Find.
type finder struct {
	text  string // as given
	lower string // text with ASCII letters in lower case, at the same offsets
	toks  []token
	ref   time.Time // midnight UTC of the reference day; zero when unknown
	out   []Mention
	prev  weekdayRun
	// lastTok is the last token of the latest mention, lastKind its kind
	// and lastTense the tense of the latest weekday.
	lastTok   int
	lastKind  Kind
	lastTense tense
}

// weekdayRun remembers the last weekday found, so that the next one can
// join it: "on Monday and Tuesday", "from Monday to Wednesday".
type weekdayRun struct {
	ok    bool
	last  int // index of the weekday's last token
	tense tense
	first int // index in out of the run's first mention
}

// modifier is a word before a weekday that places it.
type modifier uint8

const (
	noModifier   modifier = iota
	nextModifier          // "next", "coming", "this coming"
	lastModifier          // "last", "past", "this past"
	thisModifier          // "this": placed by tense like a bare weekday
)

// maxDays bounds the days in one expression ("14, 15 and 16 December").
const maxDays = 8

// run scans the tokens from left to right, taking the longest expression
// that starts at each one.
func (f *finder) run() {
	for i := 0; i < len(f.toks); {
		// Most words start no expression; one switch turns them away.
		if k := f.toks[i].kind; k == punctToken || k == wordToken && !isStarter(f.w(i)) {
			i++
			continue
		}
		if n := f.match(i); n > i {
			i = n
		} else {
			i++
		}
	}
}

// match tries each kind of expression at toks[i] and returns the index just
// past the one it found, or 0. A leading "on" becomes part of the mention.
func (f *finder) match(i int) int {
	j := i
	if f.w(i) == "on" {
		j++
	}
	if n := f.absolute(i, j, -1); n > 0 {
		return n
	}
	if n := f.weekday(i, j); n > 0 {
		return n
	}
	if j == i {
		return f.relative(i)
	}
	return 0
}

// absolute matches a day and month at toks[i], with the mention's text
// starting at toks[first]. wd is a weekday written before the date, or -1.
func (f *finder) absolute(first, i, wd int) int {
	if n := f.iso(first, i); n > 0 {
		return n
	}
	// Month first: "June 3, 2026", "Dec. 14", "December 14 and 15".
	if m, j, ok := f.month(i); ok {
		if f.p(j) == "." && f.joined(j-1, j) && isMonthAbbreviation(f.w(j-1)) {
			j++ // "Dec. 14", but not "in June. 14 people died"
		}
		ds, n, k := f.days(j)
		if n == 0 {
			return 0
		}
		y, k := f.year(k, true)
		f.emitDays(first, k-1, m, ds[:n], y, wd)
		return k
	}
	// Day first: "3 June 2026", "14-15 December", "the 14th of December".
	j := i
	if f.w(j) == "the" {
		if j+1 >= len(f.toks) || f.toks[j+1].kind != ordinalToken {
			return 0 // "the 3 May session" is found from "3"
		}
		j++
	}
	ds, n, k := f.days(j)
	if n == 0 {
		return 0
	}
	if f.w(k) == "of" {
		k++
	}
	m, k, ok := f.month(k)
	if !ok {
		return 0
	}
	y, k := f.year(k, false)
	f.emitDays(first, k-1, m, ds[:n], y, wd)
	return k
}

// iso matches "2026-06-03" at toks[i].
func (f *finder) iso(first, i int) int {
	if !f.number(i, 4) || f.p(i+1) != "-" || !f.number(i+2, 2) || f.p(i+3) != "-" || !f.number(i+4, 2) {
		return 0
	}
	for k := i; k < i+4; k++ {
		if !f.joined(k, k+1) {
			return 0
		}
	}
	d, ok := day(int(f.toks[i].num), time.Month(f.toks[i+2].num), int(f.toks[i+4].num))
	if !ok {
		return 0
	}
	f.emit(first, i+4, d, Absolute, f.direction(f.clauseTense(first, i+4), d))
	return i + 5
}

// month matches a month name at toks[i] and returns the index after it.
func (f *finder) month(i int) (time.Month, int, bool) {
	m, strict, ok := monthOf(f.w(i))
	if !ok || strict && !f.toks[i].upper {
		return 0, i, false
	}
	return m, i + 1, true
}

// days matches one day of the month at toks[i], or several sharing a month:
// "14-15", "14 to 16", "14 and 15", "14, 15 and 16". The days must rise.
// It returns the days, how many there are and the index after them.
func (f *finder) days(i int) (ds [maxDays]int, n, next int) {
	d, ok := f.dayAt(i)
	if !ok {
		return ds, 0, i
	}
	ds[0], n, next = d, 1, i+1
	switch f.p(next) {
	case "-", "–", "—":
		if d2, ok := f.dayAt(next + 1); ok && d2 > d {
			ds[1] = d2
			return ds, 2, next + 2
		}
		return ds, 1, next
	}
	switch f.w(next) {
	case "to", "through", "until":
		if d2, ok := f.dayAt(next + 1); ok && d2 > d {
			ds[1] = d2
			return ds, 2, next + 2
		}
		return ds, 1, next
	}
	// A list counts only when it ends in "and": "June 3, 15 people" is one day.
	list, m, k := ds, 1, next
	for f.p(k) == "," && m < maxDays-1 {
		d2, ok := f.dayAt(k + 1)
		if !ok || d2 <= list[m-1] {
			break
		}
		list[m] = d2
		m, k = m+1, k+2
	}
	if w := f.w(k); w == "and" || w == "or" {
		if d2, ok := f.dayAt(k + 1); ok && d2 > list[m-1] {
			list[m] = d2
			return list, m + 1, k + 2
		}
	}
	return ds, 1, next
}

// dayAt returns the day of the month that toks[i] gives: a number or an
// ordinal from 1 to 31 that is not part of a time, a decimal, a thousand or
// a sum of money.
func (f *finder) dayAt(i int) (int, bool) {
	if i < 0 || i >= len(f.toks) {
		return 0, false
	}
	t := f.toks[i]
	if t.kind != numberToken && t.kind != ordinalToken || t.digits > 2 || t.num < 1 || t.num > 31 {
		return 0, false
	}
	if t.kind == numberToken {
		switch f.p(i + 1) {
		case ":", ".", ",":
			if f.joined(i, i+1) && f.number(i+2, 4) && f.joined(i+1, i+2) {
				return 0, false // "11:30", "3.5", "3,000"
			}
		case "%":
			return 0, false
		}
	}
	switch f.p(i - 1) {
	case ":", ".", ",", "$", "£", "€", "/":
		if f.joined(i-1, i) {
			return 0, false // "11:30", "US$14", "3/14"
		}
	case "-":
		if f.joined(i-1, i) && f.joined(i-2, i-1) && f.toks[i-2].digits > 2 {
			return 0, false // "2025-14"; "14-15" is a range
		}
	}
	return int(t.num), true
}

// year matches a four-digit year at toks[i], after a comma when comma is
// set ("June 3, 2026"). It returns 0 and i when there is none.
func (f *finder) year(i int, comma bool) (int, int) {
	j := i
	if comma && f.p(j) == "," {
		j++
	}
	if !f.number(j, 4) || f.toks[j].digits != 4 {
		return 0, i
	}
	y := int(f.toks[j].num)
	if y < 1900 || y > 2100 {
		return 0, i
	}
	return y, j + 1
}

// emitDays adds a mention for each of the days ds of month m that
// toks[first..last] name. A zero year is inferred from the reference day,
// and the days are dropped when there is none.
func (f *finder) emitDays(first, last int, m time.Month, ds []int, year, wd int) {
	ct := f.clauseTense(first, last)
	if year == 0 {
		if f.ref.IsZero() {
			return
		}
		t, ok := nearestDay(f.ref, m, ds[0], wd, ct)
		if !ok {
			return
		}
		year = t.Year()
	}
	for _, d := range ds {
		if t, ok := day(year, m, d); ok {
			f.emit(first, last, t, Absolute, f.direction(ct, t))
		}
	}
}

// weekday matches a weekday at toks[i], with the mention's text starting at
// toks[first]: "next Tuesday", "Friday’s", "Thursday morning", "Thursday
// next week", or a weekday heading a date, "Friday 15 August".
func (f *finder) weekday(first, i int) int {
	mod, j := f.modifier(i)
	wd, ok := weekdayOf(f.w(j))
	if !ok {
		return 0
	}
	if f.named(j) {
		return j + 1
	}
	k := j + 1
	poss := false
	if f.possessive(k) {
		poss, k = true, k+2
	} else if mod == noModifier {
		c := k
		if f.p(c) == "," {
			c++
		}
		if n := f.absolute(first, c, int(wd)); n > 0 {
			return n
		}
	}
	last := k - 1
	if !poss && isPartOfDay(f.w(k)) {
		last, k = k, k+1
		if f.possessive(k) {
			poss, last, k = true, k+1, k+2
		}
	}
	weeks, inAWeek := 0, false
	if !poss && f.w(k+1) == "week" {
		switch f.w(k) {
		case "next":
			weeks, inAWeek = 1, true
		case "last":
			weeks, inAWeek = -1, true
		case "this":
			inAWeek = true
		}
		if inAWeek {
			last, k = k+1, k+2
		}
	}
	if f.ref.IsZero() {
		return k
	}

	var d time.Time
	var t tense
	joined := false
	switch {
	case inAWeek:
		d = inWeek(f.ref, wd, weeks)
		t = futureTense
		if weeks < 0 {
			t = pastTense
		}
	case mod == nextModifier:
		d, t = onOrAfter(f.ref, wd, true), futureTense
	case mod == lastModifier:
		d, t = onOrBefore(f.ref, wd, true), pastTense
	default:
		joined = f.prev.ok && f.joins(f.prev.last, first)
		var contrast bool
		switch {
		case joined:
			t = f.prev.tense
		default:
			if d, contrast = f.contrast(first, wd); contrast {
				t = f.lastTense
				break
			}
			t = f.tenseOf(first, last, poss)
		}
		if !contrast {
			d = placeWeekday(f.ref, wd, t)
		}
		if joined {
			d = f.order(d, t)
		}
	}
	f.emit(first, last, d, Weekday, f.direction(t, d))
	f.lastTense = t
	run := len(f.out) - 1
	if joined {
		run = f.prev.first
	}
	f.prev = weekdayRun{ok: true, last: last, tense: t, first: run}
	return k
}

// placeWeekday returns the day on wd that a weekday in tense t names,
// read on ref.
func placeWeekday(ref time.Time, wd time.Weekday, t tense) time.Time {
	switch t {
	case pastTense:
		return onOrBefore(ref, wd, false)
	case nearTense:
		// Ahead, unless that is six days off and the day was yesterday.
		if d := onOrAfter(ref, wd, false); d.Sub(ref) < 6*24*time.Hour {
			return d
		}
		return onOrBefore(ref, wd, false)
	}
	return onOrAfter(ref, wd, false)
}

// contrast places a weekday set against the one named before it in the
// sentence ("end on Saturday, not Thursday", "on Saturday instead of
// Thursday", "rather than Thursday") in the same week as that one: the
// nearest such day to it. It reports false when the weekday at toks[first]
// is not such a contrast.
func (f *finder) contrast(first int, wd time.Weekday) (time.Time, bool) {
	switch {
	case f.w(first-1) == "not":
	case f.w(first-2) == "instead" && f.w(first-1) == "of":
	case f.w(first-2) == "rather" && f.w(first-1) == "than":
	default:
		return time.Time{}, false
	}
	if len(f.out) == 0 || f.lastKind != Weekday && f.lastKind != Absolute {
		return time.Time{}, false
	}
	for k := f.lastTok + 1; k < first; k++ {
		if f.sentenceEnd(k) {
			return time.Time{}, false
		}
	}
	other := f.out[len(f.out)-1].Date
	before, after := onOrBefore(other, wd, true), onOrAfter(other, wd, true)
	if after.Sub(other) < other.Sub(before) {
		return after, true
	}
	return before, true
}

// modifier reads a word that places the weekday at toks[i] and returns it
// with the index of the weekday.
func (f *finder) modifier(i int) (modifier, int) {
	switch f.w(i) {
	case "next", "coming":
		return nextModifier, i + 1
	case "last", "past":
		return lastModifier, i + 1
	case "this":
		switch f.w(i + 1) {
		case "coming":
			return nextModifier, i + 2
		case "past":
			return lastModifier, i + 2
		}
		return thisModifier, i + 1
	}
	return noModifier, i
}

// named reports whether the weekday at toks[j] is part of a name: "Good
// Friday", "the Sunday Times".
func (f *finder) named(j int) bool {
	if j > 0 && f.toks[j-1].upper && isFeastPrefix(f.w(j-1)) {
		return true
	}
	return j+1 < len(f.toks) && f.toks[j+1].upper && isTitleSuffix(f.w(j+1))
}

// joins reports whether the tokens between toks[a] and toks[b] join two
// weekdays into a list or a range: "and", "or", "to", "through", a dash or
// a comma, or a comma and "and".
func (f *finder) joins(a, b int) bool {
	switch b - a {
	case 2:
		switch f.w(a + 1) {
		case "and", "or", "to", "through":
			return true
		}
		switch f.p(a + 1) {
		case ",", "-", "–", "—", "/", "&":
			return true
		}
	case 3:
		w := f.w(a + 2)
		return f.p(a+1) == "," && (w == "and" || w == "or")
	}
	return false
}

// order moves d, a weekday joined to the run before it, so that the run
// goes forwards in time: "will meet on Monday and Tuesday" read on a
// Tuesday is next Monday and the Tuesday after it, and "met on Monday and
// Tuesday" read on a Monday is last week's.
func (f *finder) order(d time.Time, t tense) time.Time {
	last := len(f.out) - 1
	if t != pastTense {
		for !d.After(f.out[last].Date) {
			d = d.AddDate(0, 0, 7)
		}
		return d
	}
	next := d
	for k := last; k >= f.prev.first; k-- {
		for !f.out[k].Date.Before(next) {
			f.out[k].Date = f.out[k].Date.AddDate(0, 0, -7)
		}
		next = f.out[k].Date
	}
	return d
}

// relative matches a day counted from the reference day at toks[i]:
// "today", "yesterday’s", "tomorrow night", "this morning", "last night",
// "the day after tomorrow", "in three days", "two weeks ago".
func (f *finder) relative(i int) int {
	off, last := 0, i
	switch f.w(i) {
	case "today", "tonight":
	case "yesterday":
		off = -1
	case "tomorrow":
		off = 1
	case "this":
		if !isPartOfDay(f.w(i + 1)) {
			return 0
		}
		last = i + 1
	case "last":
		if f.w(i+1) != "night" {
			return 0
		}
		off, last = -1, i+1
	case "the":
		switch {
		case f.w(i+1) != "day":
			return 0
		case f.w(i+2) == "after" && f.w(i+3) == "tomorrow":
			off = 2
		case f.w(i+2) == "before" && f.w(i+3) == "yesterday":
			off = -2
		default:
			return 0
		}
		last = i + 3
	case "in":
		n, unit := f.count(i+1), unitDays(f.w(i+2))
		if n == 0 || unit == 0 {
			return 0
		}
		switch f.w(i + 3) {
		case "of", "or", "when", "that", "where", "which", "in":
			return 0 // "in three days of talks", "in a day or two", "in a week when"
		}
		off, last = n*unit, i+2
		switch {
		case f.apostrophe(i+3) && f.w(i+4) == "time":
			last = i + 4 // "in two days’ time"
		case f.possessive(i+3) && f.w(i+5) == "time":
			last = i + 5 // "in a week’s time"
		}
	default:
		n, unit := f.count(i), unitDays(f.w(i+1))
		if n == 0 || unit == 0 || f.w(i+2) != "ago" {
			return 0
		}
		off, last = -n*unit, i+2
	}
	if last == i {
		if isPartOfDay(f.w(i + 1)) {
			last++
		}
		if f.possessive(last + 1) {
			last += 2
		}
	}
	if !f.ref.IsZero() {
		var dir Tense
		switch {
		case off < 0:
			dir = Past
		case off > 0:
			dir = Future
		default: // "today", "tonight", "this morning": the clause says
			dir = f.direction(f.clauseTense(i, last), f.ref)
		}
		f.emit(i, last, f.ref.AddDate(0, 0, off), Relative, dir)
	}
	return last + 1
}

// count returns the number of days or weeks that toks[i] gives, or 0.
func (f *finder) count(i int) int {
	if f.number(i, 3) && f.toks[i].num > 0 {
		return int(f.toks[i].num)
	}
	return countOf(f.w(i))
}

// unitDays returns how many days a unit word stands for, or 0.
func unitDays(w string) int {
	switch w {
	case "day", "days":
		return 1
	case "week", "weeks":
		return 7
	case "fortnight":
		return 14
	}
	return 0
}

// emit adds a mention of toks[first..last].
func (f *finder) emit(first, last int, d time.Time, k Kind, t Tense) {
	s, e := f.toks[first].start, f.toks[last].end
	if f.out == nil {
		f.out = make([]Mention, 0, 4)
	}
	f.out = append(f.out, Mention{Text: f.text[s:e], Start: s, End: e, Date: d, Kind: k, Reporting: f.reporting(first, last), Tense: t})
	f.lastTok, f.lastKind = last, k
}

// direction turns the tense that placed or marked a mention on day d into
// its Tense: a nearTense day that fell back before the reference day (a
// change already played out) looks back.
func (f *finder) direction(t tense, d time.Time) Tense {
	switch t {
	case pastTense:
		return Past
	case futureTense:
		return Future
	case nearTense:
		if !f.ref.IsZero() && d.Before(f.ref) {
			return Past
		}
		return Future
	}
	return Unmarked
}

// w returns toks[i] in lower case when it is a word, or "".
func (f *finder) w(i int) string {
	if i < 0 || i >= len(f.toks) || f.toks[i].kind != wordToken {
		return ""
	}
	return f.lower[f.toks[i].start:f.toks[i].end]
}

// p returns toks[i] when it is punctuation, or "".
func (f *finder) p(i int) string {
	if i < 0 || i >= len(f.toks) || f.toks[i].kind != punctToken {
		return ""
	}
	return f.text[f.toks[i].start:f.toks[i].end]
}

// number reports whether toks[i] is a plain number of at most digits digits.
func (f *finder) number(i, digits int) bool {
	return i >= 0 && i < len(f.toks) && f.toks[i].kind == numberToken &&
		int(f.toks[i].digits) <= digits && f.toks[i].num >= 0
}

// joined reports whether toks[i] and toks[j] touch, with no space between.
func (f *finder) joined(i, j int) bool {
	return i >= 0 && j < len(f.toks) && f.toks[i].end == f.toks[j].start
}

// apostrophe reports whether toks[i] is an apostrophe, straight or curly.
func (f *finder) apostrophe(i int) bool {
	switch f.p(i) {
	case "'", "’", "‘", "ʼ":
		return true
	}
	return false
}

// possessive reports whether toks[i] and toks[i+1] are a possessive "’s"
// joined to the word before.
func (f *finder) possessive(i int) bool {
	return f.apostrophe(i) && f.w(i+1) == "s" && f.joined(i-1, i) && f.joined(i, i+1)
}
