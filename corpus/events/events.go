// Package events finds the dated events that news articles announce (a
// summit, a vote, a round of talks, a deadline, a visit) and the dated
// things they report, and keeps them as a calendar in which a newer report
// of a story updates the events of older ones.
//
// A Book reads each article as it comes in. Each sentence with a day
// that corpus/dates resolves, less the days of statements ("mediators said
// on Monday"), reports a plan (a day ahead of the article's, or its own
// day in the future tense), something that happened, a plan that no
// longer holds ("the talks had been due to open tomorrow") or a
// cancellation; only plans become events. The Book then groups the
// articles into stories with summarize.Events, the one home of "same
// story, newer report wins", and reads each story's reports oldest first:
// a newer report of an event confirms it, moves it to another day or place
// (postponed, moved, brought forward), cancels it, or tells that it took
// place; otherwise it adds an event of its own. A moved event keeps its
// UID, which comes from its story and its kind, not from any sentence, and
// counts its moves in Sequence, so that a calendar that imports it again
// updates it rather than adding a second one.
package events

import (
	"time"

	"attache/corpus"
)

// Article is the article a report comes from, as citations show it.
type Article = corpus.Meta

// Event is something a story's articles say will happen, as its newest
// report has it.
type Event struct {
	// UID names the event for calendars: the same for every report and
	// revision of the event, across runs and rebuilds of the index, e.g.
	// "3f2a…@attache".
	UID string
	// Sequence counts the times a newer report moved the event to another
	// day, time or place: 0 for an event as first announced.
	Sequence int
	// Start is the event's first day, at midnight UTC.
	Start time.Time
	// End is the last day of an event that lasts several days ("a
	// two-day meeting", "14-15 December"); zero for an event of one day.
	End time.Time
	// At is when the event starts, when its report gives a time of day
	// and a time zone ("8.30 pm UK time"); zero otherwise.
	At time.Time
	// Label says what happens, in a few words built from the sentence:
	// "Technical teams to reconvene to finish the inspection protocol".
	Label string
	// Place is where it happens, when the report says: "Muscat".
	Place string
	// Sentence is the report's sentence, and Article its article.
	Sentence string
	Article  Article
	// Story is the ID of the first article of the event's story.
	Story string
	// Was holds the days and places the event had before, oldest first.
	Was []Revision
}

// Revision is a day and place an event had before a newer report moved it.
type Revision struct {
	Start, End time.Time
	At         time.Time
	Place      string
	// ArticleID is the article that said so.
	ArticleID string
}

// Days returns the event's last day: End, or Start for an event of one
// day.
func (e Event) Days() (first, last time.Time) {
	if e.End.IsZero() {
		return e.Start, e.Start
	}
	return e.Start, e.End
}

// Entry is one line of a story's timeline: a dated thing that happened or
// is planned, as the newest report of it tells it.
type Entry struct {
	// Date is the day it happened or happens, End the last day of one of
	// several days, At the time when known; as in Event.
	Date, End, At time.Time
	// Text is the sentence that tells it.
	Text string
	// Planned reports whether it was ahead of the report that tells it:
	// an event, rather than something that had happened.
	Planned bool
	// UID is the event's, for a planned entry.
	UID     string
	Article Article
}
