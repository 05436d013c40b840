package index

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"attache/corpus"
)

// batchPassages is roughly how many passages go into one Bleve batch. On
// two cores, 5,000 took less CPU than 10,000 or more (smaller in-memory
// segments are cheaper to build, and Bleve merges them in the background)
// and lets the analysis of one batch overlap the writing of the last one
// sooner. Tests make it small to get many batches.
var batchPassages = 5000

// work is one batch of articles on its way into the index: the producer
// splits them into passages, workers analyse the passages, and apply
// writes the batch once done is closed.
type work struct {
	arts  []corpus.Article
	ps    [][]corpus.Passage     // per article
	docs  [][]*document.Document // per article, filled by the workers
	facts []facts                // per article, for the manifest
	done  chan struct{}
}

// facts are what the manifest keeps of an article's text, found while its
// passages are analysed.
type facts struct {
	names      []string          // its most frequent names
	titleTerms []string          // its title's terms
	acronyms   map[string]string // the acronyms its text can stand for
	paragraphs []int             // each passage's paragraph
	capitals   capitalCounts     // the terms its passages write capitalised
}

// factsOf finds the facts of article a, split into passages ps.
func factsOf(a corpus.Article, ps []corpus.Passage) facts {
	// The title and paragraphs are split into words once, for names and
	// acronyms alike.
	words := make([][]string, 0, 1+len(a.Paragraphs))
	words = append(words, strings.Fields(a.Title))
	for _, p := range a.Paragraphs {
		words = append(words, strings.Fields(p))
	}
	f := facts{
		names:      names(words, 12),
		titleTerms: uniqueStems(a.Title),
		acronyms:   acronyms(words),
		paragraphs: make([]int, len(ps)),
	}
	capitals := map[string]int{}
	var terms []string
	for i, p := range ps {
		f.paragraphs[i] = p.Paragraph
		terms = terms[:0]
		eachCapitalised(p.Text, func(w string) {
			for _, t := range capitalTerms.of(w) {
				if !slices.Contains(terms, t) {
					terms = append(terms, t)
				}
			}
		})
		for _, t := range terms {
			capitals[t]++
		}
	}
	f.capitals = newCapitalCounts(capitals)
	return f
}

// prepare splits arts into batches of about batchPassages passages and
// analyses them on every CPU, one batch ahead of the one being written:
// batches come out of the returned channel in order. With withFacts, it
// finds each article's facts too. It stops when ctx is done.
func (ix *Index) prepare(ctx context.Context, arts []corpus.Article, withFacts bool) <-chan *work {
	out := make(chan *work) // with the batch being written, two in memory
	pf := newPassageFields(ix.mapping)
	go func() {
		defer close(out)
		for len(arts) > 0 {
			w := &work{done: make(chan struct{})}
			n := 0
			for len(arts) > 0 && (n == 0 || n < batchPassages) {
				p := arts[0].Passages()
				w.arts = append(w.arts, arts[0])
				w.ps = append(w.ps, p)
				n += len(p)
				arts = arts[1:]
			}
			w.docs = make([][]*document.Document, len(w.arts))
			w.facts = make([]facts, len(w.arts))
			var wg sync.WaitGroup
			workers := runtime.GOMAXPROCS(0)
			for k := range workers {
				wg.Go(func() {
					pf := pf.own()
					for i := k; i < len(w.arts); i += workers {
						a := w.arts[i]
						docs := make([]*document.Document, len(w.ps[i]))
						for j, p := range w.ps[i] {
							docs[j] = pf.document(a.ID, p)
						}
						w.docs[i] = docs
						if withFacts {
							w.facts[i] = factsOf(a, w.ps[i])
						}
					}
				})
			}
			go func() {
				wg.Wait()
				close(w.done)
			}()
			// The analysis of this batch runs while the previous one is
			// written; the next waits until this one is taken.
			select {
			case out <- w:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// eachPrepared prepares arts (see prepare) and calls f with each batch, in
// order, once it is analysed; it stops the preparation and returns when f
// fails or ctx is done.
func (ix *Index) eachPrepared(ctx context.Context, arts []corpus.Article, withFacts bool, f func(*work) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	works := ix.prepare(ctx, arts, withFacts)
	for {
		select {
		case w, ok := <-works:
			if !ok {
				return nil
			}
			select {
			case <-w.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			if err := f(w); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// apply indexes changed articles, deletes removed ones and records the new
// file stamps of restamped ones, in batches that each hold whole articles
// and their manifest entries, so that a crash between batches leaves a
// consistent index. It returns once every batch is on disk. Callers hold
// ix.write.
func (ix *Index) apply(ctx context.Context, changed []corpus.Article, removed []string, restamped []corpus.Article) error {
	if ix.bleve == nil { // callers hold ix.write, which Close takes too
		return ErrClosed
	}
	if len(changed)+len(removed)+len(restamped) == 0 {
		return nil
	}
	for _, a := range changed {
		if a.Unread {
			return fmt.Errorf("index %s: the article was not read", a.ID)
		}
	}
	ix.mu.RLock()
	empty := len(ix.articles) == 0
	ix.mu.RUnlock()
	if empty && len(removed) == 0 && len(changed) >= bulkArticles {
		return ix.bulk(ctx, changed)
	}
	if len(changed) >= bulkArticles {
		defer tuneMemory()()
	}
	// Work on a copy of the manifest so that searches keep a consistent
	// view until each batch is in.
	ix.mu.RLock()
	next := make(map[string]articleMeta, len(ix.articles)+len(changed))
	for k, v := range ix.articles {
		next[k] = v
	}
	ix.mu.RUnlock()

	total := len(changed) + len(removed)
	done := 0
	batch := ix.bleve.NewBatch()
	var entries []string // manifest entries the batch changes
	// Batches are written without waiting for the disk; apply waits for
	// the last one, and with it all before it, at the end.
	var persisted chan error
	flush := func() error {
		chunks := ix.manifest.write(batch, next, entries)
		if batch.Size() == 0 {
			return nil
		}
		persisted = make(chan error, 1)
		ch := persisted
		batch.SetPersistedCallback(func(err error) { ch <- err })
		if err := ix.bleve.Batch(batch); err != nil {
			return fmt.Errorf("write index batch: %w", err)
		}

		ix.manifest.chunks = chunks
		snapshot := make(map[string]articleMeta, len(next))
		for k, v := range next {
			snapshot[k] = v
		}
		ix.mu.Lock()
		titles := make(map[string]map[string]bool, len(snapshot))
		for k, v := range ix.titles {
			titles[k] = v
		}
		for _, id := range entries {
			if m, ok := snapshot[id]; ok {
				titles[id] = termSet(m.TitleTerms)
			} else {
				delete(titles, id)
			}
		}
		ix.articles = snapshot
		ix.vocab = nil
		ix.titles = titles
		ix.mu.Unlock()
		// A new batch, not the old one reset: Scorch may still be reading
		// the old one's operations on a goroutine of its own.
		batch = ix.bleve.NewBatch()
		entries = entries[:0]
		if ix.opts.Progress != nil {
			ix.opts.Progress(done, total)
		}
		return nil
	}

	inBatch := 0
	for _, id := range removed {
		if old, ok := next[id]; ok {
			deletePassages(batch, id, old.Passages, 0)
			delete(next, id)
			entries = append(entries, id)
			inBatch += old.Passages
		}
		done++
	}
	for _, a := range restamped {
		if m, ok := next[a.ID]; ok && m.Hash == a.Hash {
			m.File = a.File
			next[a.ID] = m
			entries = append(entries, a.ID)
		}
	}

	err := ix.eachPrepared(ctx, changed, true, func(w *work) error {
		for i, a := range w.arts {
			old := next[a.ID]
			deletePassages(batch, a.ID, old.Passages, len(w.docs[i]))
			for _, d := range w.docs[i] {
				if err := batch.IndexAdvanced(d); err != nil {
					return fmt.Errorf("index %s: %w", a.ID, err)
				}
			}
			next[a.ID] = ix.entry(a, old, len(w.docs[i]), w.facts[i])
			entries = append(entries, a.ID)
			inBatch += len(w.docs[i])
			done++
		}
		if inBatch < batchPassages {
			return nil
		}
		inBatch = 0
		return flush()
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if persisted == nil {
		return nil
	}
	select {
	case err := <-persisted:
		if err != nil {
			return fmt.Errorf("write index batch: %w", err)
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	if len(changed) >= bulkArticles {
		ix.compact(ctx)
	}
	return nil
}

// compact merges the index's segments into one. After a large build the
// index is left in many segments, and a question costs less in one: on
// 20,000 articles the merge takes a twentieth of the build, and saves a
// tenth of each answer's time and half of its garbage. A failed merge
// only leaves the segments as they were.
func (ix *Index) compact(ctx context.Context) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return
	}
	if err := s.ForceMerge(ctx, nil); err != nil {
		ix.log.Debug("segments not merged", "err", err)
		return
	}
	// Wait until the index on disk is the merged one, lest Close leave
	// the segments as they were.
	if err := setInternal(ix.bleve, keyVersion, []byte(mappingVersion)); err != nil {
		ix.log.Debug("merged segments not recorded", "err", err)
	}
}

// entry is the manifest entry of article a, indexed with n passages, with
// the facts of its text, that replaces old (zero for a new article).
func (ix *Index) entry(a corpus.Article, old articleMeta, n int, f facts) articleMeta {
	now := ix.opts.Now().UTC()
	added, changed := old.Added, now
	if e, ok := ix.earlier[a.ID]; ok && added.IsZero() {
		added = e.Added
		if e.Hash == a.Hash {
			changed = e.Changed
		}
	}
	if added.IsZero() {
		added = now
	}
	return articleMeta{
		Hash: a.Hash, Title: a.Title, Source: a.Source, URL: a.URL,
		Published: a.Published, Passages: n, Added: added, Changed: changed,
		Names: f.names, TitleTerms: f.titleTerms, File: a.File, Acronyms: f.acronyms,
		Paragraphs: f.paragraphs, Capitals: f.capitals,
	}
}

// deletePassages queues the deletion of an article's passages from
// position from up to (not including) n.
func deletePassages(b *bleve.Batch, articleID string, n, from int) {
	for pos := from; pos < n; pos++ {
		b.Delete(passageID(articleID, pos))
	}
}

// bulkArticles is how many articles make a build large enough to tune the
// garbage collector for.
const bulkArticles = 500
