package summarize

import (
	"slices"
	"strings"
	"time"
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

// matchMin is the share of a stored story's fingerprint that must be
// among the key words of a current story for them to be the same story,
// when they share no article. On the development articles the Muscat
// report holds 0.5 of the Doha report's fingerprint, and no article
// holds more than 0.3 of another story's.
const matchMin = 0.4

// Match finds the story in prev that cur continues: one that shares an
// article with cur, or else the one whose fingerprint is most (at least
// matchMin) among the terms of cur's titles and first sentences. Those
// terms are wider than cur's own fingerprint, which shifts as a story
// gains articles. It reports whether there was one.
func Match(prev []StoryState, cur Story) (StoryState, bool) {
	ids := make(map[string]bool, len(cur.Links))
	for _, l := range cur.Links {
		ids[l.ID] = true
	}
	terms := cur.terms
	if terms == nil {
		terms = slices.Sorted(slices.Values(cur.Fingerprint))
	}
	best, bestScore := -1, 0.0
	for i, p := range prev {
		score := covered(p.Fingerprint, terms)
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

// covered returns the share of fp that is in the sorted terms.
func covered(fp, terms []string) float64 {
	if len(fp) == 0 {
		return 0
	}
	var n int
	for _, t := range fp {
		if _, ok := slices.BinarySearch(terms, t); ok {
			n++
		}
	}
	return float64(n) / float64(len(fp))
}

// Changes says how cur's facts differ from those of the story as last
// seen. A change of day or place, or both, is one sentence, as a person
// would put it: "The talks were postponed from Tuesday 12 May to Thursday
// 14 May and moved from Doha to Muscat." Days and places that are only new
// make a line each: "New date: Friday 15 August", "New place: Anchorage";
// a change that no one sentence says plainly (two days becoming three)
// makes "Date changed: Tuesday 12 May and Wednesday 13 May → ...". Facts
// that were only dropped make no line, since a lead that stops mentioning
// a place has not moved it.
func Changes(prev StoryState, cur Story) []string {
	if c, ok := newChange(eventNounOf(cur.Lead, cur.Headline), cur.Lead+" "+cur.Headline,
		prev.Dates, cur.Facts.Dates, prev.Places, cur.Facts.Places); ok {
		return []string{c.sentence()}
	}
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
		out = append(out, "Moved from "+strings.Join(goneP, " and ")+" to "+strings.Join(newP, " and "))
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

// eventNounOf returns the first of eventNouns found in the texts, or "".
func eventNounOf(texts ...string) string {
	for _, t := range texts {
		ws := scan(t)
		for _, n := range eventNouns {
			if slices.ContainsFunc(ws, func(w word) bool { return w.lower == n }) {
				return n
			}
		}
	}
	return ""
}
