package events

import (
	"cmp"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"

	"attache/corpus"
	"attache/corpus/summarize"
)

// Book holds the reports of a corpus and the events and timelines built
// from them. Reports are read when articles are put in (Sync, Apply), and
// the calendar is built then too, so that asking it (Upcoming, Timeline)
// costs next to nothing. It is safe for concurrent use.
type Book struct {
	// update serialises Sync and Apply, which build the calendar anew
	// while readers go on with the one before; mu guards the swap.
	update   sync.Mutex
	mu       sync.RWMutex
	articles map[string]*entry
	built    *built
}

// entry is what a Book keeps of one article.
type entry struct {
	hash    string
	art     Article
	doc     summarize.Doc
	reports []report
}

// built is a calendar built from the reports: the events to come, sorted,
// and each story's timeline.
type built struct {
	events   []Event // not cancelled and not known to have happened, by Start
	storyOf  map[string]string
	timeline map[string][]Entry // by story
}

// New returns an empty Book.
func New() *Book {
	return &Book{articles: map[string]*entry{}, built: &built{storyOf: map[string]string{}, timeline: map[string][]Entry{}}}
}

// Sync makes the Book hold exactly arts: it reads new and changed ones
// (by Hash) and forgets those no longer there, then builds the calendar.
func (b *Book) Sync(arts []corpus.Article) {
	b.update.Lock()
	defer b.update.Unlock()
	present := make(map[string]bool, len(arts))
	for _, a := range arts {
		present[a.ID] = true
	}
	var gone []string
	for id := range b.articles {
		if !present[id] {
			gone = append(gone, id)
		}
	}
	b.apply(arts, gone)
}

// Apply reads the articles put (skipping those whose Hash it has, and
// those left Unread by corpus.LoadWith, which it cannot read) and forgets
// those with the IDs in removed, then builds the calendar again.
func (b *Book) Apply(put []corpus.Article, removed []string) {
	b.update.Lock()
	defer b.update.Unlock()
	b.apply(put, removed)
}

// apply does Apply's work; callers hold b.update, which alone writes
// b.articles.
func (b *Book) apply(put []corpus.Article, removed []string) {
	articles := maps.Clone(b.articles)
	var read []corpus.Article
	for _, a := range put {
		old, ok := articles[a.ID]
		switch {
		case ok && a.Hash != "" && old.hash == a.Hash:
		case a.Unread:
			// Only its hash is known: the text it had is kept, if any.
		default:
			read = append(read, a)
		}
	}
	for i, e := range readAll(read) {
		articles[read[i].ID] = e
	}
	for _, id := range removed {
		delete(articles, id)
	}
	bt := build(articles)
	b.mu.Lock()
	b.articles, b.built = articles, bt
	b.mu.Unlock()
}

// readAll reads arts on every core: each article is read on its own.
func readAll(arts []corpus.Article) []*entry {
	out := make([]*entry, len(arts))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(arts)/64))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i] = newEntry(arts[i])
			}
		})
	}
	for i := range arts {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func newEntry(a corpus.Article) *entry {
	e := &entry{
		hash: a.Hash,
		art:  Article{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published},
		doc:  summarize.Doc{Meta: a.Meta()},
	}
	for _, p := range a.Passages() {
		if len(e.doc.Sentences) == docSentences {
			break
		}
		e.doc.Sentences = append(e.doc.Sentences, p.Text)
	}
	e.reports = extract(a)
	return e
}

// docSentences is how many sentences of an article story grouping reads.
const docSentences = 3

// Len returns how many events to come the Book holds, from any day.
func (b *Book) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.built.events)
}

// Upcoming returns the events that take place on or after from's day and
// before the day days days later (an event of several days that started
// earlier still counts while it lasts), soonest first. With articles, only
// the events of the stories those articles belong to.
func (b *Book) Upcoming(from time.Time, days int, articles []string) []Event {
	b.mu.RLock()
	bt := b.built
	b.mu.RUnlock()
	first := midnight(from)
	until := first.AddDate(0, 0, days)
	var stories map[string]bool
	if articles != nil {
		stories = bt.stories(articles)
	}
	var out []Event
	// Events are sorted by Start: those that start too late are left
	// out at once.
	end, _ := slices.BinarySearchFunc(bt.events, until, func(e Event, t time.Time) int { return e.Start.Compare(t) })
	for _, e := range bt.events[:end] {
		if _, last := e.Days(); last.Before(first) {
			continue
		}
		if stories != nil && !stories[e.Story] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Timeline returns how the stories of articles unfolded: one entry for
// each dated thing that happened or is planned, by the day it happened or
// happens (not the day it was reported), with the newest report's version
// where reports disagree.
func (b *Book) Timeline(articles []string) []Entry {
	b.mu.RLock()
	bt := b.built
	b.mu.RUnlock()
	var out []Entry
	for st := range bt.stories(articles) {
		out = append(out, bt.timeline[st]...)
	}
	sortEntries(out)
	return out
}

// stories returns the stories that articles belong to.
func (bt *built) stories(articles []string) map[string]bool {
	out := map[string]bool{}
	for _, id := range articles {
		if st, ok := bt.storyOf[id]; ok {
			out[st] = true
		}
	}
	return out
}

// build groups the articles that report something into stories and reads
// each story's reports oldest first.
func build(articles map[string]*entry) *built {
	ids := make([]string, 0, len(articles))
	for id, e := range articles {
		if len(e.reports) > 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	docs := make([]summarize.Doc, len(ids))
	for i, id := range ids {
		docs[i] = articles[id].doc
	}
	groups := map[int][]*entry{}
	for i, g := range summarize.Events(docs) {
		groups[g] = append(groups[g], articles[ids[i]])
	}
	bt := &built{storyOf: map[string]string{}, timeline: map[string][]Entry{}}
	for _, members := range groups {
		// Undated articles count as the oldest: what a dated report says
		// is the newer word.
		slices.SortFunc(members, func(a, b *entry) int {
			return cmp.Or(a.art.Published.Compare(b.art.Published), cmp.Compare(a.art.ID, b.art.ID))
		})
		key := members[0].art.ID
		for _, m := range members {
			bt.storyOf[m.art.ID] = key
		}
		evs, tl := readStory(key, members)
		bt.events = append(bt.events, evs...)
		bt.timeline[key] = tl
	}
	slices.SortFunc(bt.events, func(a, b Event) int {
		return cmp.Or(a.Start.Compare(b.Start), a.At.Compare(b.At), cmp.Compare(a.Label, b.Label), cmp.Compare(a.UID, b.UID))
	})
	return bt
}

func sortEntries(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		return cmp.Or(a.Date.Compare(b.Date), a.At.Compare(b.At), a.Article.Published.Compare(b.Article.Published), cmp.Compare(a.Text, b.Text))
	})
}
