package index

import (
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// withSince returns q limited to the passages of articles published at or
// after since, or q itself when since is zero. Passages do not carry their
// article's date: the manifest knows it once per article, and the filter
// names the articles that qualify. The filter does not change scores.
func (ix *Index) withSince(q query.Query, since time.Time) query.Query {
	if since.IsZero() {
		return q
	}
	f := ix.sinceFilter(since)
	if f == nil {
		return q
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(q)
	bq.AddFilter(f)
	return bq
}

// sinceFilter returns a query matching the passages of the articles
// published at or after since, for use as a filter; nil when every article
// qualifies. An article without a date never qualifies.
func (ix *Index) sinceFilter(since time.Time) query.Query {
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	var ids []string
	for id, m := range articles {
		if !m.Published.IsZero() && !m.Published.Before(since) {
			ids = append(ids, id)
		}
	}
	switch len(ids) {
	case len(articles):
		return nil
	case 0:
		return bleve.NewMatchNoneQuery()
	}
	return bleve.NewDocIDQuery(passageIDs(articles, ids))
}
