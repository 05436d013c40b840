package summarize

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Statement is what one sentence says about the events it reports, as
// summaries read it: where they happen, what kind of event they are,
// whether the plan it tells of still holds, and its terms. It is how other
// packages (corpus/events) read sentences the way summaries do, rather
// than with a second reading of their own.
type Statement struct {
	// Places are where things happen: "in Doha", "moved from Doha to
	// Muscat" (Muscat only).
	Places []string
	// Events are the stems of the event nouns the sentence uses, in the
	// order of EventNouns' preference: "talk", "summit", "meet".
	Events []string
	// Stale reports whether the sentence tells of a dated plan that no
	// longer holds: "the talks had been due to open tomorrow".
	Stale bool
	// Terms are the sentence's stemmed content words, without stop words,
	// dates and numbers, for Similarity.
	Terms []string
}

// Read reads sentence text, written at published (which dates its
// relative days, for Stale).
func Read(text string, published time.Time) Statement {
	ws := scan(text)
	f := readFacts(text, ws, published)
	st := Statement{Places: f.where, Stale: f.stale}
	// Dates and numbers change from one report of an event to the next;
	// they say nothing of which event it is.
	for _, t := range terms(nil, ws) {
		if !isDateWord(t) && strings.IndexFunc(t, unicode.IsDigit) < 0 {
			st.Terms = append(st.Terms, t)
		}
	}
	for _, n := range eventNouns {
		if s := stem(n); slices.Contains(f.events, s) && !slices.Contains(st.Events, s) {
			st.Events = append(st.Events, s)
		}
	}
	for _, s := range f.events {
		if !slices.Contains(st.Events, s) {
			st.Events = append(st.Events, s)
		}
	}
	return st
}

// Similarity is the share of the terms of the shorter of two lists that
// the other holds too, from 0 to 1.
func Similarity(a, b []string) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	seen := make(map[string]bool, len(b))
	for _, t := range b {
		seen[t] = true
	}
	var in, n int
	done := make(map[string]bool, len(a))
	for _, t := range a {
		if done[t] {
			continue
		}
		done[t] = true
		n++
		if seen[t] {
			in++
		}
	}
	return float64(in) / float64(n)
}

// Stem returns the light stem that Statement's Events and Terms are made
// of: "talks" and "talk" are "talk", "meeting" is "meet".
func Stem(w string) string { return stem(strings.ToLower(w)) }
