package summarize

import (
	"slices"
	"strings"
	"time"

	"attache/corpus/dates"
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
	// plans are the dates of when that are after the day the sentence
	// was written: what it expects, not what it recounts.
	plans []time.Time
	// events are the stems of the event nouns the sentence uses: "talk",
	// "meet", "summit".
	events []string
	// stale reports whether the sentence tells of a plan that no longer
	// holds ("had been due to open"), so that it never wins a conflict.
	stale bool
}

// readFacts reads the facts of a sentence written at ref, with its dates
// resolved by corpus/dates: those of the reporting itself ("mediators said
// on Monday") are left out of when.
func readFacts(text string, ws []word, ref time.Time) facts {
	var f facts
	ms := dates.Find(text, ref)
	today := day(ref)
	for _, m := range ms {
		f.dates = appendDate(f.dates, m.Date)
		if !m.Reporting {
			f.when = appendDate(f.when, m.Date)
			if !ref.IsZero() && m.Date.After(today) {
				f.plans = appendDate(f.plans, m.Date)
			}
		}
	}
	f.where = findPlaces(ws)
	for _, w := range ws {
		if st := stem(w.lower); eventTerms[st] && !slices.Contains(f.events, st) {
			f.events = append(f.events, st)
		}
	}
	// A plan that "had been due" is stale when it is dated: "the talks
	// had been due to open tomorrow", not "after a rotation that had been
	// due last week was held up".
	lower := strings.ToLower(text)
	for _, s := range staleMarks {
		at := strings.Index(lower, s)
		if at >= 0 && slices.ContainsFunc(ms, func(m dates.Mention) bool {
			return m.Start > at && m.Start-at <= staleReach
		}) {
			f.stale = true
			break
		}
	}
	return f
}

// staleReach is how many bytes after a stale mark its date may come.
const staleReach = 60

// eventTerms are the stems of nouns that name a scheduled event.
var eventTerms = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields("talks meeting meet summit round negotiations session conference visit vote election ceremony hearing signing") {
		m[stem(w)] = true
	}
	return m
}()

// eventNouns are the nouns that a change names an event with, preferred
// first.
var eventNouns = []string{"talks", "summit", "signing", "meeting", "conference", "negotiations", "session", "round", "visit", "vote", "election", "hearing", "ceremony"}

var staleMarks = []string{"had been due", "had been scheduled", "had been expected", "had been set", "had been planned", "was originally", "were originally", "originally scheduled", "initially scheduled", "previously scheduled", "originally planned", "initially planned"}

// dateWords are the names of weekdays and months, which are capitalised
// without being names.
var dateWords = set(`monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec`)

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

// placeIntro introduce a place: "in Doha", "at Dolmabahçe Palace".
var placeIntro = set("in at near outside inside into towards")

// moveWords make the "to" after them introduce a place: "moved to Muscat".
var moveWords = set("moved move moving relocated shifted switched back travel travelled traveled travels go goes went come came return returns returned fly flew flies head headed heading trip visit visits bring brought")

// findPlaces returns the capitalised names that follow a place word:
// "in Doha", "at the ASEAN Secretariat", "moved from Doha to Muscat"
// (Muscat only: a place things move away from is not where they happen).
func findPlaces(ws []word) []string {
	var out []string
	for _, sp := range placeSpans(ws) {
		names := make([]string, 0, sp[1]-sp[0])
		for _, x := range ws[sp[0]:sp[1]] {
			names = append(names, x.raw)
		}
		if p := strings.Join(names, " "); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// placeSpans returns where in ws findPlaces finds places, as the index
// of each place's first word and the index after its last.
func placeSpans(ws []word) [][2]int {
	var out [][2]int
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		intro := placeIntro[w.lower]
		if w.lower == "to" && i > 0 {
			prev := ws[i-1].lower
			intro = moveWords[prev] || ws[i-1].cap && afterFrom(ws, i-1)
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
		// "in the Qatari capital": a demonym, not a place; "to the Kazakh
		// capital, Astana": the place is the name after the comma.
		last := ws[k-1]
		if k-j == 1 && !last.brk && k < len(ws) && !ws[k].cap && !stopWords[ws[k].lower] &&
			(isDemonym(last.lower) || cityWords[ws[k].lower]) {
			if cityWords[ws[k].lower] && ws[k].brk && k+1 < len(ws) && ws[k+1].cap && !isDateWord(ws[k+1].lower) {
				a := k + 1
				b := a
				for b < len(ws) && ws[b].cap && !isDateWord(ws[b].lower) && !stopWords[ws[b].lower] {
					b++
					if ws[b-1].brk {
						break
					}
				}
				out = append(out, [2]int{a, b})
				i = b - 1
			}
			continue
		}
		out = append(out, [2]int{j, k})
		i = k - 1
	}
	return out
}

// afterFrom reports whether the capitalised words that end at ws[j]
// follow "from": "from Abu Dhabi to …".
func afterFrom(ws []word, j int) bool {
	for ; j >= 0 && ws[j].cap; j-- {
		if j < len(ws)-1 && ws[j].brk {
			return false
		}
	}
	return j >= 0 && ws[j].lower == "from"
}

// cityWords, after a demonym, name a city by what it is: "the Kazakh
// capital".
var cityWords = set("capital city port")

func isDemonym(w string) bool {
	for _, s := range []string{"i", "an", "ese", "ish"} {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

func isDateWord(w string) bool { return dateWords[w] }

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
