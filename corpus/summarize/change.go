package summarize

import (
	"slices"
	"strings"
	"time"
)

// change is what a newer report of an event says differently from an
// older one: the day it happens on, the place, or both.
type change struct {
	noun               string // the event: "talks", "summit"; "" when unnamed
	how                string // "extended", "postponed", "brought forward" or "moved"
	fromDate, toDate   time.Time
	fromPlace, toPlace string
}

// newChange compares the dates and places an older and a newer report give
// for an event. It reports false when they do not differ, or differ in a
// way no one sentence says plainly: two old days for one new, or a place
// dropped without another named. text is the newer report's, from which
// the kind of change is read ("extended", "postponed").
func newChange(noun, text string, oldDates, newDates []time.Time, oldPlaces, newPlaces []string) (change, bool) {
	c := change{noun: noun}
	lower := strings.ToLower(text)
	extended := containsAny(lower, "extend", "prolong", "overran", "overnight session")
	goneD, addD := diffDates(oldDates, newDates)
	goneP, addP := diffStrings(oldPlaces, newPlaces)
	if extended && len(goneD) > 1 && len(addD) == 1 {
		// Talks that were to run from Monday to Thursday, extended until
		// Saturday, now end on Saturday, not Thursday.
		last := slices.MaxFunc(goneD, time.Time.Compare)
		if last.Before(addD[0]) {
			goneD = []time.Time{last}
		}
	}
	if len(goneD) == 1 && len(addD) == 1 {
		c.fromDate, c.toDate = goneD[0], addD[0]
	}
	if len(goneP) == 1 && len(addP) == 1 {
		c.fromPlace, c.toPlace = goneP[0], addP[0]
	}
	if len(goneD) > 1 || len(addD) > 1 || len(goneP) > 1 || len(addP) > 1 || c.fromDate.IsZero() && c.fromPlace == "" {
		return change{}, false
	}
	switch {
	case c.fromDate.IsZero():
		c.how = "moved"
	case extended:
		c.how = "extended"
	case c.toDate.After(c.fromDate) && containsAny(lower, "postpone", "delay", "pushed back", "put off", "deferred", "adjourned"):
		c.how = "postponed"
	case c.toDate.Before(c.fromDate) && containsAny(lower, "brought forward", "bringing forward", "moved up", "earlier than"):
		c.how = "brought forward"
	default:
		c.how = "moved"
	}
	return c, true
}

// sentence says the change as a person would: "The talks now end on
// Saturday 28 March, not Thursday 26 March." "Talks were postponed from
// Tuesday 12 May to Thursday 14 May and moved from Doha to Muscat."
func (c change) sentence() string {
	subject, plural := "It", false
	if c.noun != "" {
		plural = pluralNoun(c.noun)
		subject = "The " + c.noun
	}
	be := map[bool]string{false: "was", true: "were"}[plural]
	var b strings.Builder
	switch {
	case c.fromDate.IsZero():
		b.WriteString(subject + " " + be + " moved from " + c.fromPlace + " to " + c.toPlace)
	case c.how == "extended":
		end := map[bool]string{false: "ends", true: "end"}[plural]
		b.WriteString(subject + " now " + end + " on " + formatDate(c.toDate) + ", not " + formatDate(c.fromDate))
		if c.fromPlace != "" {
			b.WriteString(", and in " + c.toPlace + " rather than " + c.fromPlace)
		}
	case c.how == "moved" && c.fromPlace != "":
		b.WriteString(subject + " " + be + " moved from " + formatDate(c.fromDate) + " in " + c.fromPlace +
			" to " + formatDate(c.toDate) + " in " + c.toPlace)
	default:
		b.WriteString(subject + " " + be + " " + c.how + " from " + formatDate(c.fromDate) + " to " + formatDate(c.toDate))
		if c.fromPlace != "" {
			b.WriteString(" and moved from " + c.fromPlace + " to " + c.toPlace)
		}
	}
	b.WriteString(".")
	return b.String()
}

// pluralNoun reports whether an event noun takes a plural verb.
func pluralNoun(n string) bool {
	return n == "talks" || n == "negotiations" || strings.HasSuffix(n, "s") && !strings.HasSuffix(n, "ss")
}

func containsAny(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}
