package summarize

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// StoryState is what a digest keeps of a story so that the next digest
// can tell what changed. It marshals to and from JSON.
type StoryState struct {
	Fingerprint []string `json:"fingerprint"`
	Headline    string   `json:"headline"`
	// Articles are the IDs of the story's articles.
	Articles  []string    `json:"articles"`
	Dates     []time.Time `json:"dates,omitempty"`
	Places    []string    `json:"places,omitempty"`
	Published time.Time   `json:"published"`
}

// State returns what a digest should keep of s.
func (s Story) State() StoryState {
	st := StoryState{
		Fingerprint: slices.Clone(s.Fingerprint),
		Headline:    s.Headline,
		Dates:       slices.Clone(s.Facts.Dates),
		Places:      slices.Clone(s.Facts.Places),
		Published:   s.Published,
	}
	for _, l := range s.Links {
		st.Articles = append(st.Articles, l.ID)
	}
	return st
}

// matchMin is the share of fingerprint terms (Jaccard) two stories need
// in common to be the same story when they share no article.
const matchMin = 0.3

// Match finds the story in prev that cur continues: one that shares an
// article with cur, or else the one whose fingerprint overlaps cur's
// most, if enough. It reports whether there was one.
func Match(prev []StoryState, cur Story) (StoryState, bool) {
	ids := make(map[string]bool, len(cur.Links))
	for _, l := range cur.Links {
		ids[l.ID] = true
	}
	best, bestScore := -1, 0.0
	for i, p := range prev {
		score := jaccard(p.Fingerprint, cur.Fingerprint)
		if score < matchMin {
			score = 0
		}
		if slices.ContainsFunc(p.Articles, func(id string) bool { return ids[id] }) {
			score += 1
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return StoryState{}, false
	}
	return prev[best], true
}

func jaccard(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	var both int
	for _, x := range a {
		if slices.Contains(b, x) {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// Changes returns one line for each way cur's facts differ from those of
// the story as last seen: "Talks moved from Doha to Muscat", "Date
// changed: Tuesday 12 May → Thursday 14 May", "New date: Friday 15
// August", "New place: Anchorage". Facts that were only dropped make no
// line, since a lead that stops mentioning a place has not moved it.
func Changes(prev StoryState, cur Story) []string {
	var out []string
	goneD, newD := diffDates(prev.Dates, cur.Facts.Dates)
	switch {
	case len(goneD) > 0 && len(newD) > 0:
		out = append(out, "Date changed: "+joinDates(goneD)+" → "+joinDates(newD))
	case len(newD) > 0:
		out = append(out, "New date: "+joinDates(newD))
	}
	goneP, newP := diffStrings(prev.Places, cur.Facts.Places)
	switch {
	case len(goneP) > 0 && len(newP) > 0:
		what := "Moved"
		if noun := eventNoun(cur.Lead, cur.Headline); noun != "" {
			what = noun + " moved"
		}
		out = append(out, what+" from "+strings.Join(goneP, " and ")+" to "+strings.Join(newP, " and "))
	case len(newP) > 0:
		out = append(out, "New place: "+strings.Join(newP, " and "))
	}
	return out
}

func diffDates(old, cur []time.Time) (gone, added []time.Time) {
	for _, d := range old {
		if !slices.ContainsFunc(cur, d.Equal) {
			gone = append(gone, d)
		}
	}
	for _, d := range cur {
		if !slices.ContainsFunc(old, d.Equal) {
			added = append(added, d)
		}
	}
	return gone, added
}

func diffStrings(old, cur []string) (gone, added []string) {
	for _, s := range old {
		if !slices.Contains(cur, s) {
			gone = append(gone, s)
		}
	}
	for _, s := range cur {
		if !slices.Contains(old, s) {
			added = append(added, s)
		}
	}
	return gone, added
}

func joinDates(ds []time.Time) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = formatDate(d)
	}
	return strings.Join(parts, " and ")
}

// eventNoun returns the first of eventNouns found in the texts,
// capitalised: "Talks".
func eventNoun(texts ...string) string {
	for _, t := range texts {
		ws := scan(t)
		for _, n := range eventNouns {
			if slices.ContainsFunc(ws, func(w word) bool { return w.lower == n }) {
				r, size := utf8.DecodeRuneInString(n)
				return string(unicode.ToUpper(r)) + n[size:]
			}
		}
	}
	return ""
}
