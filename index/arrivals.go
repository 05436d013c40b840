package index

import "time"

// Started returns when the index took in the earliest of the articles it
// holds (Story.Added), or the zero time when it holds none. An index
// rebuilt for a new mapping keeps its articles' arrival times, so this is
// when the index was first filled; digests use it to tell the archive an
// index began with from articles that arrived later.
func (ix *Index) Started() time.Time {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var first time.Time
	for _, m := range ix.articles {
		if !m.Added.IsZero() && (first.IsZero() || m.Added.Before(first)) {
			first = m.Added
		}
	}
	return first
}
