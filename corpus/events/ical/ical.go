// Package ical writes events as an iCalendar file (RFC 5545), with
// github.com/arran4/golang-ical: the only package that imports it.
//
// Each event is one VEVENT whose UID is the event's, which comes from its
// story, so that a calendar app that imports a newer file updates the
// events it has rather than adding them again; a moved event's SEQUENCE
// is higher than before. An event known only to the day is an all-day
// event (DTSTART;VALUE=DATE, DTEND the day after its last); one with a
// time starts then, in UTC.
package ical

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"

	"attache/corpus/events"

	ics "github.com/arran4/golang-ical"
)

// ProductID names attache as the maker of the files, in PRODID.
const ProductID = "-//attache//upcoming events//EN"

// Write writes evs to w as one VCALENDAR, with CRLF line ends and lines
// folded at 75 octets as RFC 5545 wants. DTSTAMP is when the report that
// last set the event was published, or now when it is undated, so that
// writing the same events again gives the same file.
func Write(w io.Writer, evs []events.Event, name string, now time.Time) error {
	cal := ics.NewCalendarFor("attache")
	cal.SetProductId(ProductID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	if name != "" {
		cal.SetName(clean(name))
		cal.SetXWRCalName(clean(name))
	}
	for _, e := range evs {
		v := cal.AddEvent(e.UID)
		stamp := e.Article.Published
		if stamp.IsZero() {
			stamp = now
		}
		v.SetDtStampTime(stamp)
		v.SetSequence(e.Sequence)
		if e.At.IsZero() {
			_, last := e.Days()
			v.SetAllDayStartAt(e.Start)
			v.SetAllDayEndAt(last.AddDate(0, 0, 1)) // DTEND is exclusive
		} else {
			v.SetStartAt(e.At)
		}
		v.SetSummary(clean(e.Label))
		if e.Place != "" {
			v.SetLocation(clean(e.Place))
		}
		v.SetDescription(description(e))
		if link := webLink(e.Article.URL); link != "" {
			v.SetURL(link)
		}
	}
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// description is the event's sentence and its citation: source, date and
// link.
func description(e events.Event) string {
	var b strings.Builder
	b.WriteString(clean(e.Sentence))
	var cite []string
	if s := clean(e.Article.Source); s != "" {
		cite = append(cite, s)
	}
	if !e.Article.Published.IsZero() {
		cite = append(cite, e.Article.Published.UTC().Format("2 Jan 2006"))
	}
	if t := clean(e.Article.Title); t != "" {
		cite = append([]string{t}, cite...)
	}
	if len(cite) > 0 {
		b.WriteString("\n\n— " + strings.Join(cite, ", "))
	}
	if link := webLink(e.Article.URL); link != "" {
		b.WriteString("\n" + link)
	}
	return b.String()
}

// clean makes text from an article fit a property value: control
// characters, line breaks included, become spaces.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// webLink returns raw when it is an absolute http(s) address, else "".
func webLink(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}
