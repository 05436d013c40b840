// Package dates finds the time expressions in a news sentence and resolves
// them to calendar days against the article's publication time.
//
// Find recognises three kinds of expression, all precise to the day:
//
//   - Absolute dates: "3 June 2026", "June 3, 2026", "on 18 June 2026",
//     "Dec. 14", "the 14th of December", "2026-06-03", and days sharing a
//     month: "14-15 December", "December 14 and 15" (one Mention a day). A
//     date without a year takes the year that puts it nearest the reference
//     day, so "January 3" in a December article is next January and
//     "December 20" in a January article last December. A weekday written
//     with it ("Friday 15 August") picks among those years, and so does the
//     clause's tense when the nearest year is more than a month off the
//     other way ("the G20 met on 22-23 November" in a June article).
//   - Weekdays: "Friday", "on Monday", "Friday’s summit", "Thursday
//     morning", "next Tuesday", "last Tuesday", "this Friday", "Thursday next
//     week". See Find for how the tense of the sentence places them.
//   - Relative days: "today", "tonight", "this morning", "yesterday", "last
//     night", "tomorrow", "tomorrow’s talks", "the day after tomorrow", "the
//     day before yesterday", "in three days", "in 2 weeks", "two days ago".
//
// Vaguer expressions are skipped rather than rounded to a day: a month or a
// year alone ("in early April", "the end of March", "2017", "the 1990s",
// "second half of 2027"), weeks ("next week", "last week"), weekends, and
// numeric dates other than ISO ("03/06/2026" reads differently in London and
// Washington). So are times of day ("11:30 am"), "may" and "march" as verbs,
// names like "Theresa May", "Good Friday" and "the Sunday Times", and plurals
// like "on Fridays".
package dates

import (
	"sync"
	"time"
)

// Kind says what sort of expression a Mention is.
type Kind uint8

const (
	// Absolute is a day and month, with or without a year: "3 June 2026",
	// "July 14", "Friday 15 August".
	Absolute Kind = iota + 1
	// Weekday is a day of the week placed by tense or a modifier: "on
	// Friday", "next Tuesday".
	Weekday
	// Relative is a day counted from the reference day: "tomorrow", "two days
	// ago".
	Relative
)

// String returns the name of the kind, e.g. "weekday".
func (k Kind) String() string {
	switch k {
	case Absolute:
		return "absolute"
	case Weekday:
		return "weekday"
	case Relative:
		return "relative"
	}
	return "unknown"
}

// Tense says which way the clause of a mention looks from the day it was
// written: back at what happened or ahead to what is planned. It is the
// direction that placed a weekday ("met on Tuesday", "will meet on
// Tuesday"), and it tells apart, on the reference day itself, a meeting
// held ("talks opened on Thursday") from one to come ("talks open on
// Thursday").
type Tense uint8

const (
	// Unmarked is a clause with no marker either way: "the 3 May session".
	Unmarked Tense = iota
	// Past looks back: "met on Tuesday", "two days ago", "entered into
	// force on 15 September 2025".
	Past
	// Future looks ahead: "will meet on Tuesday", "tomorrow’s talks",
	// "postponed until Thursday", "is due to hold its next meeting on 18
	// June 2026".
	Future
)

// String returns the name of the tense, e.g. "future".
func (t Tense) String() string {
	switch t {
	case Past:
		return "past"
	case Future:
		return "future"
	}
	return "unmarked"
}

// Mention is a time expression found in text.
type Mention struct {
	// Text is the expression as written, including a leading "on" and any
	// modifier or part of the day: "on Friday", "next Tuesday", "Friday’s",
	// "Thursday morning", "3 June 2026". Days that share an expression
	// ("14-15 December") share its Text, Start and End.
	Text       string
	Start, End int       // byte offsets of Text in the text
	Date       time.Time // the resolved day, midnight UTC
	Kind       Kind
	// Reporting reports whether the mention dates a statement rather than
	// what the statement is about: "mediators said on Monday", "told
	// reporters on Monday evening", "On Monday, the ministry said".
	Reporting bool
	// Tense is the direction of the mention's clause: for a weekday the
	// one that placed it, for a day counted from the reference day its
	// sign ("tomorrow", "yesterday"), and otherwise what the words around
	// it mark, as for a weekday but without guessing from the rest of the
	// sentence.
	Tense Tense
}

// Find returns the mentions in text, in order, resolved against ref (the
// article's publication time); only ref's calendar date in UTC matters.
// With a zero ref, only expressions that carry their own year resolve.
//
// A weekday on its own is placed by the tense of its clause, decided for
// each expression from the words around it, so that one sentence can point
// both ways ("delegates said on Monday they would reconvene on Thursday").
// Find looks first for a verb just before the weekday ("talks that opened
// on Monday are expected to close"), then just after it ("ambassadors on
// Friday agreed"), then further left to the start of the clause ("was
// settled late on Thursday night", "will meet in Doha on Tuesday"), then
// rightwards to its end ("On Monday, officials said"). Modals and plans
// ("will", "could", "due to", "expected", "scheduled for", "set to", "as
// early as"), present-tense verbs ("ministers, who meet on Monday") and
// deadlines ("the deadline was Friday") mark the future, and so do plans
// and wishes told in the past ("hoped to wrap up on Thursday", "agreed to
// meet on Friday"); past tenses ("said", "met", "began on"), "ago",
// "since" and "earlier" mark the past, except in a condition ("could ...
// if talks failed on Friday"). The day something is moved or extended to
// lies ahead ("has been postponed until Thursday"); told in the simple
// past ("was extended until Saturday", "the meeting was moved to
// Saturday"), as is a plan that fell through ("had hoped to finish on
// Thursday"), it lies ahead unless that is six days off, when it was
// yesterday. "until", and "from" or "by" just before a weekday, lean to the
// future but yield to a verb ("the truce held until Sunday"). A weekday set
// against the one before it ("on Saturday, not Thursday", "instead of
// Friday") is the nearest such day to that one. Without a marker, a
// possessive ("Friday’s summit") is future, and otherwise the weekday is
// past when the sentence has a past marker anywhere and future when it has
// none. Weekdays joined by "and", "to" or a dash share a tense and run
// forwards ("from Monday to Wednesday").
//
// A past weekday is the latest such day on or before ref and a future one
// the earliest on or after it, so a weekday that names ref's own day is ref
// in either tense: wire copy says "on Thursday", never "today", for the day
// it is published. "next Tuesday" is the first Tuesday strictly after ref
// (the coming one, not the one a week later), "last Tuesday" the latest
// strictly before it, and "Tuesday next week" the Tuesday of the Monday-based
// week after ref's.
func Find(text string, ref time.Time) []Mention {
	f := finder{text: text, lower: lowerASCII(text)}
	if !ref.IsZero() {
		y, m, d := ref.UTC().Date()
		f.ref = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	buf := tokenPool.Get().(*[]token)
	f.toks = tokenize((*buf)[:0], text)
	f.run()
	if cap(f.toks) <= maxPooledTokens {
		*buf = f.toks[:0]
		tokenPool.Put(buf)
	}
	return f.out
}

// tokenPool keeps token buffers between calls to Find, which runs on every
// passage; buffers that grew past maxPooledTokens are left to the collector.
var tokenPool = sync.Pool{New: func() any {
	toks := make([]token, 0, 64)
	return &toks
}}

const maxPooledTokens = 4096

// Format returns a mention for display: its text, an arrow and its day, as
// in "Friday → Fri 15 Aug 2025".
func Format(m Mention) string {
	return m.Text + " → " + m.Date.Format("Mon 2 Jan 2006")
}
