package summarize

// Two reports tell one story, judged on the two alone, when their headlines
// share this much (Jaccard of terms), or the names they mention most do.
const (
	sameHeadline = 0.3
	sameNames    = 0.3
	minNames     = 4 // fewer names than this say too little to compare
)

// Report is what SameStory compares of an article: its headline's terms,
// each once, and the names it mentions most.
type Report struct {
	Terms []string
	Names []string
}

// SameStory reports whether two reports tell the same story, judged on the
// two alone: their headlines share enough terms, or the people, places and
// bodies they name most are largely the same (an update's headline often
// reads otherwise). It is how answers tell that a newer report of the same
// story supersedes an older one among the handful of articles they
// compare, where Events needs a corpus to weigh words against.
func SameStory(a, b Report) bool {
	if jaccard(a.Terms, b.Terms) >= sameHeadline {
		return true
	}
	return len(a.Names) >= minNames && len(b.Names) >= minNames && jaccard(a.Names, b.Names) >= sameNames
}

// jaccard is the Jaccard similarity of two lists taken as sets.
func jaccard(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	sa := make(map[string]bool, len(a))
	for _, t := range a {
		sa[t] = true
	}
	sb := make(map[string]bool, len(b))
	for _, t := range b {
		sb[t] = true
	}
	inter := 0
	for t := range sa {
		if sb[t] {
			inter++
		}
	}
	return float64(inter) / float64(len(sa)+len(sb)-inter)
}
