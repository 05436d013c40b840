package index

import (
	"cmp"
	"slices"

	"attache/corpus/summarize"
)

// supersede sets the superseded feature: when two articles on the same
// story both answer, the older one's passages give way, so that an update
// that moves talks from Tuesday to Thursday wins over the original. Only
// the articles of the best candidates (by how much of the question they
// hold, before any weights) are compared: recency decides among answers,
// not among also-rans. Which articles report one story is
// summarize.SameStory's to say.
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
	reports := make(map[string]summarize.Report, len(arts))
	for _, a := range arts {
		terms := make([]string, 0, len(titles[a]))
		for t := range titles[a] {
			terms = append(terms, t)
		}
		reports[a] = summarize.Report{Terms: terms, Names: articles[a].Names}
	}
	older := map[string]bool{}
	for _, a := range arts {
		for _, b := range arts {
			if a != b && articles[b].Published.After(articles[a].Published) && summarize.SameStory(reports[a], reports[b]) {
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
