// Package index keeps attache's passages in a Bleve full-text index on disk
// and answers questions from it: building, incremental updates, search and
// ranking. It is the only package that imports Bleve.
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bolt "go.etcd.io/bbolt"

	"attache/corpus"
)

// ErrClosed is returned by the methods of an Index after Close.
var ErrClosed = errors.New("index is closed")

// ErrLocked is returned by Open when another process holds the index.
var ErrLocked = errors.New("the index is in use by another attache process")

// lockWait bounds how long Open waits for another process to let go of
// the index before it gives up with ErrLocked.
const lockWait = 1500 * time.Millisecond

// Internal keys stored beside the documents.
var (
	keyVersion  = []byte("attache.version")
	keyManifest = []byte("attache.manifest")
)

// Options tune Open. The zero value is usable.
type Options struct {
	Logger *slog.Logger
	// Progress, when set, is called while Sync indexes articles.
	Progress func(done, total int)
	// Now reads the clock; time.Now when nil.
	Now func() time.Time
}

// articleMeta is what the index remembers of each article: enough to skip
// it when unchanged, to delete its passages, and to cite it.
type articleMeta struct {
	Hash      string    `json:"h"`
	Title     string    `json:"t,omitempty"`
	Source    string    `json:"s,omitempty"`
	URL       string    `json:"u,omitempty"`
	Published time.Time `json:"p,omitzero"`
	Passages  int       `json:"n"`
	// Added is when the article first came into the index; Changed when
	// its text last changed. Digests report what was added or changed
	// since the previous one.
	Added   time.Time `json:"a,omitzero"`
	Changed time.Time `json:"c,omitzero"`
	// Names are the article's most frequent proper names, for completion.
	Names []string `json:"m,omitempty"`
	// Acronyms maps the acronyms the article's text can stand for (lower
	// case) to the names they abbreviate.
	Acronyms map[string]string `json:"x,omitempty"`
}

// Index is an open passage index. It is safe for concurrent use: searches
// run in parallel with each other and with updates, and every update is
// applied atomically, so a search never sees half an article.
type Index struct {
	path    string
	opts    Options
	log     *slog.Logger
	bleve   bleve.Index
	mapping *mapping.IndexMappingImpl

	write sync.Mutex // serialises updates

	// model holds the ranking and answerability weights: the embedded,
	// fitted ones, or a test's.
	model *model

	mu       sync.RWMutex
	articles map[string]articleMeta
	vocab    *vocabulary // built lazily after updates; nil when stale
	titles   map[string]map[string]bool
	// earlier is the manifest of an index rebuilt for a new mapping,
	// whose times carry over to the same articles.
	earlier map[string]articleMeta
}

// Open opens the index under the data folder dir, creating it when missing
// and rebuilding it when it was made by another version of the mapping.
// It returns ErrLocked when another process has it open.
func Open(ctx context.Context, dir string, opts Options) (*Index, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	ix := &Index{
		path:    filepath.Join(dir, "index.bleve"),
		opts:    opts,
		log:     opts.Logger.With("component", "index"),
		mapping: m,
		model:   theModel(),
	}
	if err := ix.open(ctx); err != nil {
		return nil, err
	}
	return ix, nil
}

func (ix *Index) open(ctx context.Context) error {
	runtime := map[string]any{"bolt_timeout": lockWait.String()}
	b, err := bleve.OpenUsing(ix.path, runtime)
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		return ix.create()
	case err != nil && isLockTimeout(err):
		return fmt.Errorf("open index %s: %w (stop the other attache, or give this one its own --data folder)", ix.path, ErrLocked)
	case err != nil:
		ix.log.Warn("index unreadable, rebuilding it", "path", ix.path, "err", err)
		return ix.recreate()
	}
	version, err := b.GetInternal(keyVersion)
	if err != nil || string(version) != mappingVersion {
		ix.log.Info("index made by another version, rebuilding it", "path", ix.path, "found", string(version), "want", mappingVersion)
		// Keep when each article came in, so that the rebuild does not
		// make the whole archive look new to the next digest.
		if raw, err := b.GetInternal(keyManifest); err == nil && len(raw) > 0 {
			if json.Unmarshal(raw, &ix.earlier) != nil {
				ix.earlier = nil
			}
		}
		b.Close()
		return ix.recreate()
	}
	raw, err := b.GetInternal(keyManifest)
	if err != nil {
		b.Close()
		return fmt.Errorf("read index manifest: %w", err)
	}
	articles := map[string]articleMeta{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &articles); err != nil {
			ix.log.Warn("index manifest unreadable, rebuilding", "err", err)
			b.Close()
			return ix.recreate()
		}
	}
	ix.bleve = b
	ix.articles = articles
	return nil
}

// isLockTimeout reports whether err means that bbolt could not take the
// index's file lock in time: another process holds it.
func isLockTimeout(err error) bool {
	return errors.Is(err, bolt.ErrTimeout) || strings.Contains(err.Error(), bolt.ErrTimeout.Error())
}

func (ix *Index) recreate() error {
	if err := os.RemoveAll(ix.path); err != nil {
		return fmt.Errorf("remove old index: %w", err)
	}
	return ix.create()
}

func (ix *Index) create() error {
	b, err := bleve.NewUsing(ix.path, ix.mapping, scorch.Name, scorch.Name, map[string]any{"bolt_timeout": lockWait.String()})
	if err != nil {
		if isLockTimeout(err) {
			return fmt.Errorf("create index %s: %w", ix.path, ErrLocked)
		}
		return fmt.Errorf("create index %s: %w", ix.path, err)
	}
	if err := b.SetInternal(keyVersion, []byte(mappingVersion)); err != nil {
		b.Close()
		return fmt.Errorf("write index version: %w", err)
	}
	ix.bleve = b
	ix.articles = map[string]articleMeta{}
	return nil
}

// Close closes the index and releases its lock.
func (ix *Index) Close() error {
	ix.write.Lock()
	defer ix.write.Unlock()
	ix.mu.Lock()
	b := ix.bleve
	ix.bleve = nil
	ix.mu.Unlock()
	if b == nil {
		return nil
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}

// SyncStats summarises what Sync did.
type SyncStats struct {
	Articles  int // articles in the index afterwards
	Passages  int // passages in the index afterwards
	Added     int
	Updated   int
	Removed   int
	Unchanged int
	Took      time.Duration
}

// Sync makes the index hold exactly arts: new and changed articles (by
// Hash) are indexed, articles no longer present are removed, unchanged
// ones are left alone.
func (ix *Index) Sync(ctx context.Context, arts []corpus.Article) (SyncStats, error) {
	start := ix.opts.Now()
	ix.write.Lock()
	defer ix.write.Unlock()

	ix.mu.RLock()
	present := make(map[string]bool, len(arts))
	var changed []corpus.Article
	var st SyncStats
	for _, a := range arts {
		present[a.ID] = true
		old, ok := ix.articles[a.ID]
		switch {
		case !ok:
			st.Added++
			changed = append(changed, a)
		case old.Hash != a.Hash:
			st.Updated++
			changed = append(changed, a)
		default:
			st.Unchanged++
		}
	}
	var removed []string
	for id := range ix.articles {
		if !present[id] {
			removed = append(removed, id)
		}
	}
	ix.mu.RUnlock()
	st.Removed = len(removed)

	if err := ix.apply(ctx, changed, removed); err != nil {
		return st, err
	}
	ix.mu.RLock()
	st.Articles = len(ix.articles)
	for _, m := range ix.articles {
		st.Passages += m.Passages
	}
	ix.mu.RUnlock()
	st.Took = ix.opts.Now().Sub(start)
	if len(changed)+len(removed) > 0 {
		ix.log.Info("index updated", "added", st.Added, "updated", st.Updated, "removed", st.Removed, "took", st.Took)
	}
	return st, nil
}

// Put adds or replaces articles without touching the others. Articles
// whose Hash is unchanged are skipped.
func (ix *Index) Put(ctx context.Context, arts ...corpus.Article) error {
	return ix.Apply(ctx, arts, nil)
}

// Apply adds or replaces put and removes the articles with the IDs in
// remove, in batches that each hold whole articles: a search running
// meanwhile sees an article either as it was or as it is, never half.
func (ix *Index) Apply(ctx context.Context, put []corpus.Article, remove []string) error {
	ix.write.Lock()
	defer ix.write.Unlock()
	ix.mu.RLock()
	var changed []corpus.Article
	for _, a := range put {
		if old, ok := ix.articles[a.ID]; !ok || old.Hash != a.Hash {
			changed = append(changed, a)
		}
	}
	ix.mu.RUnlock()
	return ix.apply(ctx, changed, remove)
}

// Delete removes articles by ID; unknown IDs are ignored.
func (ix *Index) Delete(ctx context.Context, ids ...string) error {
	return ix.Apply(ctx, nil, ids)
}

// batchPassages is roughly how many passages go into one Bleve batch:
// large batches index faster, small ones bound memory.
const batchPassages = 4000

// apply indexes changed articles and deletes removed ones, in batches that
// each hold whole articles and the manifest as it stands after them, so
// that a crash between batches leaves a consistent index. Callers hold
// ix.write.
func (ix *Index) apply(ctx context.Context, changed []corpus.Article, removed []string) error {
	if ix.bleve == nil { // callers hold ix.write, which Close takes too
		return ErrClosed
	}
	if len(changed) == 0 && len(removed) == 0 {
		return nil
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
	inBatch := 0
	flush := func() error {
		raw, err := json.Marshal(next)
		if err != nil {
			return fmt.Errorf("encode manifest: %w", err)
		}
		batch.SetInternal(keyManifest, raw)
		if err := ix.bleve.Batch(batch); err != nil {
			return fmt.Errorf("write index batch: %w", err)
		}
		snapshot := make(map[string]articleMeta, len(next))
		for k, v := range next {
			snapshot[k] = v
		}
		ix.mu.Lock()
		ix.articles = snapshot
		ix.vocab = nil
		ix.titles = nil
		ix.mu.Unlock()
		batch.Reset()
		inBatch = 0
		if ix.opts.Progress != nil {
			ix.opts.Progress(done, total)
		}
		return nil
	}

	for _, id := range removed {
		if old, ok := next[id]; ok {
			deletePassages(batch, id, old.Passages, 0)
			delete(next, id)
			inBatch += old.Passages
		}
		done++
	}
	for _, a := range changed {
		if err := ctx.Err(); err != nil {
			return err
		}
		ps := a.Passages()
		old := next[a.ID]
		deletePassages(batch, a.ID, old.Passages, len(ps))
		published := ""
		if !a.Published.IsZero() {
			published = a.Published.UTC().Format(time.RFC3339)
		}
		for _, p := range ps {
			doc := passageDoc{
				Text:      p.Text,
				Title:     a.Title,
				Names:     capitalised(p.Text),
				Article:   a.ID,
				Source:    a.Source,
				Published: published,
				Position:  float64(p.Position),
				Para:      float64(p.Paragraph),
			}
			if err := batch.Index(passageID(a.ID, p.Position), doc); err != nil {
				return fmt.Errorf("index %s: %w", a.ID, err)
			}
		}
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
		next[a.ID] = articleMeta{
			Hash: a.Hash, Title: a.Title, Source: a.Source, URL: a.URL,
			Published: a.Published, Passages: len(ps), Added: added, Changed: changed,
			Names:    names(append([]string{a.Title}, a.Paragraphs...), 12),
			Acronyms: acronyms(append([]string{a.Title}, a.Paragraphs...)),
		}
		inBatch += len(ps)
		done++
		if inBatch >= batchPassages {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// deletePassages queues the deletion of an article's passages from
// position from up to (not including) n.
func deletePassages(b *bleve.Batch, articleID string, n, from int) {
	for pos := from; pos < n; pos++ {
		b.Delete(passageID(articleID, pos))
	}
}

// search runs a request on the open index, or fails with ErrClosed.
func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ix.mu.RLock()
	b := ix.bleve
	ix.mu.RUnlock()
	if b == nil {
		return nil, ErrClosed
	}
	return b.SearchInContext(ctx, req)
}

func passageID(articleID string, pos int) string {
	return articleID + "#" + strconv.Itoa(pos)
}
