package index

import (
	"cmp"
	"slices"
)

// Story likeness: two articles report one story when their headlines
// share this much (Jaccard of terms), or the names they mention most do.
const (
	sameStorySim   = 0.3
	sameStoryNames = 0.3
)

// supersede sets the superseded feature: when two articles on the same
// story both answer, the older one's passages give way, so that an update
// that moves talks from Tuesday to Thursday wins over the original. Only
// the articles of the best candidates (by how much of the question they
// hold, before any weights) are compared: recency decides among answers,
// not among also-rans.
func supersede(cands []candidate, articles map[string]articleMeta, titles map[string]map[string]bool) {
	const compared = 12
	prelim := func(c *candidate) float64 {
		return c.f[featText] + c.f[featSynonym] + c.f[featLexical] + c.f[featTitle] + 0.1*c.f[featBM25]
	}
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(prelim(&cands[b]), prelim(&cands[a])) })
	var arts []string
	seen := map[string]bool{}
	for _, i := range order {
		if len(arts) == compared {
			break
		}
		if a := cands[i].article; !seen[a] {
			seen[a] = true
			arts = append(arts, a)
		}
	}
	older := map[string]bool{}
	for _, a := range arts {
		for _, b := range arts {
			if a != b && articles[b].Published.After(articles[a].Published) && sameStory(articles[a], articles[b], titles[a], titles[b]) {
				older[a] = true
				break
			}
		}
	}
	for i := range cands {
		if older[cands[i].article] {
			cands[i].f[featSuperseded] = 1
		}
	}
}

// sameStory reports whether two articles report the same story: their
// headlines share enough words, or the people, places and bodies they name
// most are largely the same (an update's headline often reads otherwise).
func sameStory(a, b articleMeta, titleA, titleB map[string]bool) bool {
	if similarity(titleA, titleB) >= sameStorySim {
		return true
	}
	na, nb := map[string]bool{}, map[string]bool{}
	for _, n := range a.Names {
		na[n] = true
	}
	for _, n := range b.Names {
		nb[n] = true
	}
	return len(na) >= 4 && len(nb) >= 4 && similarity(na, nb) >= sameStoryNames
}
