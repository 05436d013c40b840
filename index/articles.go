package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
)

// ArticleQuery selects articles for listing.
type ArticleQuery struct {
	Text   string // optional: only articles matching it
	Offset int
	Limit  int // 10 when zero
}

// Articles lists articles newest first (or best match first when Text is
// set) and how many match in all.
func (ix *Index) Articles(ctx context.Context, q ArticleQuery) ([]ArticleInfo, int, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()

	var ids []string
	if strings.TrimSpace(q.Text) == "" {
		for id := range articles {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int {
			if c := articles[b].Published.Compare(articles[a].Published); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
	} else {
		var err error
		if ids, err = ix.matchArticles(ctx, q.Text); err != nil {
			return nil, 0, err
		}
	}
	total := len(ids)
	if q.Offset >= total {
		return nil, total, nil
	}
	ids = ids[max(q.Offset, 0):min(max(q.Offset, 0)+limit, total)]
	out := make([]ArticleInfo, 0, len(ids))
	for _, id := range ids {
		out = append(out, articles[id].info(id))
	}
	return out, total, nil
}

// matchArticles returns the IDs of the articles whose title or text match
// text, best first: an article scores the BM25 scores of its matching
// passages, and for each word of text in its title, three times the word's
// weight for each of its passages.
func (ix *Index) matchArticles(ctx context.Context, text string) ([]string, error) {
	const titleBoost = 3
	body := bleve.NewMatchQuery(text)
	body.SetField(fieldText)
	req := bleve.NewSearchRequestOptions(body, 1000, 0, false)
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search articles %q: %w", text, err)
	}
	score := map[string]float64{}
	var ids []string
	for _, h := range res.Hits {
		id, _, _ := splitPassageID(h.ID)
		if _, ok := score[id]; !ok {
			ids = append(ids, id)
		}
		score[id] += h.Score
	}
	vocab, err := ix.loadVocabulary()
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()
	terms := stems(text)
	for id, title := range ix.titleTerms(articles) {
		m, ok := articles[id]
		if !ok {
			continue
		}
		for _, t := range terms {
			if title[t] {
				if _, ok := score[id]; !ok {
					ids = append(ids, id)
				}
				score[id] += titleBoost * vocab.idf(vocab.df[t]) * float64(m.Passages)
			}
		}
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), strings.Compare(a, b))
	})
	return ids, nil
}

// Suggest returns up to limit completions for prefix drawn from what the
// index holds: names of people, places and bodies that recur across
// articles, and titles. Each is at most 100 characters.
func (ix *Index) Suggest(ctx context.Context, prefix string, limit int) ([]string, error) {
	if limit <= 0 {
		limit = 25
	}
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	ix.mu.RLock()
	articles := ix.articles
	ix.mu.RUnlock()

	count := map[string]int{}
	var titles []string
	for _, m := range articles {
		for _, n := range m.Names {
			count[n]++
		}
		if m.Title != "" && matchesPrefix(m.Title, prefix) {
			titles = append(titles, m.Title)
		}
	}
	var names []string
	for n := range count {
		if matchesPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), strings.Compare(a, b))
	})
	slices.Sort(titles)
	var out []string
	seen := map[string]bool{}
	for _, s := range append(names, titles...) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s = clip(s, 100)
		if len(out) == limit {
			break
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// matchesPrefix reports whether any word of s starts with prefix (or s
// does, for multi-word prefixes).
func matchesPrefix(s, prefix string) bool {
	if prefix == "" {
		return true
	}
	ls := strings.ToLower(s)
	if strings.HasPrefix(ls, prefix) {
		return true
	}
	return strings.Contains(ls, " "+prefix)
}

// clip cuts s to n characters at a word boundary, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := strings.LastIndexFunc(string(r), unicode.IsSpace)
	if cut > n/2 {
		return strings.TrimSpace(string(r)[:cut]) + "…"
	}
	return string(r) + "…"
}

// nameStop are capitalised words that start sentences or name days, not
// people, places or bodies.
var nameStop = setOf("The", "A", "An", "He", "She", "It", "They", "We", "I", "But", "And", "In", "On", "At", "As", "After", "Before",
	"Since", "This", "That", "These", "Those", "His", "Her", "Their", "Our", "Its", "If", "When", "While", "Under", "Following",
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
	"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
	"Mr", "Mrs", "Ms", "Dr", "Sir", "President", "Prime", "Minister", "Foreign", "Deputy", "Vice", "Secretary", "General", "Lieutenant", "Colonel",
	"Every", "Some", "Several", "Many", "Most", "What", "Why", "How", "Who", "Where", "Our", "Today", "Unlike", "Both", "Instead", "Technical", "Western", "Diplomats", "Officials", "Ministers", "Senior", "Ships", "Shipping", "Aid", "Fighting", "Mediators", "Trade", "Analysts", "Observers", "Delegations")

// names extracts the recurring proper names of an article's text:
// sequences of capitalised words, most frequent first, at most max.
func names(paragraphs [][]string, maxNames int) []string {
	count := map[string]int{}
	var order []string
	for _, words := range paragraphs {
		var run []string
		flush := func() {
			for len(run) > 0 && nameStop[run[0]] {
				run = run[1:]
			}
			if len(run) > 0 && len(run) <= 4 {
				n := strings.Join(run, " ")
				if utf8.RuneCountInString(n) >= 3 {
					if count[n] == 0 {
						order = append(order, n)
					}
					count[n]++
				}
			}
			run = run[:0]
		}
		for _, w := range words {
			trimmed := w
			if !plainWord(w) {
				trimmed = strings.TrimRightFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
				trimmed = strings.TrimLeftFunc(trimmed, func(r rune) bool { return !unicode.IsLetter(r) })
				trimmed = strings.TrimSuffix(strings.TrimSuffix(trimmed, "’s"), "'s")
			}
			first, _ := utf8.DecodeRuneInString(trimmed)
			if trimmed != "" && unicode.IsUpper(first) {
				run = append(run, trimmed)
			} else {
				flush()
			}
			if trimmed != w && len(run) > 0 { // punctuation ends a name
				flush()
			}
		}
		flush()
	}
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	if len(order) > maxNames {
		order = order[:maxNames]
	}
	return order
}
