// Package index keeps attache's passages in a Bleve full-text index on disk
// and answers questions from it: building, incremental updates, search and
// ranking. It is the only package that imports Bleve.
package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
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

// keyVersion is the internal key of the mapping version (mappingVersion)
// that the index was made with; the manifest's keys are in manifest.go.
var keyVersion = []byte("attache.version")

// Options tune Open. The zero value is usable.
type Options struct {
	Logger *slog.Logger
	// Progress, when set, is called while Sync indexes articles.
	Progress func(done, total int)
	// Now reads the clock; time.Now when nil.
	Now func() time.Time
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

	manifest manifestLog // guarded by write

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
	// repair is what was done to a damaged index (repair.go).
	repair Repair
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
	// Now that this process holds the index, no other is building it.
	if err := ix.removeBulkLeftovers(); err != nil {
		ix.log.Warn("unfinished build left on disk", "err", err)
	}
	return ix, nil
}

// config is the index's Bleve configuration. Batches do not wait for the
// disk (unsafe_batch): apply waits for the last batch of an update instead,
// so that the disk writes of one batch overlap the building of the next.
// Bleve persists batches in order, each with its manifest chunk, so a
// crash loses whole batches and leaves a consistent index.
func config() map[string]any {
	return map[string]any{"bolt_timeout": lockWait.String(), "unsafe_batch": true, "asyncErrorCallbackName": asyncErrorCallback}
}

func (ix *Index) open(ctx context.Context) error {
	b, err := ix.openBleve()
	switch {
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		return ix.create()
	case err != nil && isLockTimeout(err):
		return fmt.Errorf("open index %s: %w (stop the other attache, or give this one its own --data folder)", ix.path, ErrLocked)
	case err != nil:
		// Bleve's own words ("error parsing mapping JSON" when a segment
		// would not load) mislead about what is wrong: they go to the
		// debug log, and the repair says it plainly.
		ix.log.Debug("bleve could not open the index", "err", err)
		if !errors.Is(err, ErrDamaged) {
			err = fmt.Errorf("%w: its files cannot be read", ErrDamaged)
		}
		return ix.moveAside(err, nil)
	}
	version, err := b.GetInternal(keyVersion)
	if err != nil || string(version) != mappingVersion {
		ix.log.Info("index made by another version, rebuilding it", "path", ix.path, "found", string(version), "want", mappingVersion)
		// Keep when each article came in, so that the rebuild does not
		// make the whole archive look new to the next digest.
		ix.earlier = readEarlierManifest(b)
		b.Close()
		return ix.recreate()
	}
	articles, chunks, err := readManifestGuarded(b)
	if err == nil {
		err = ix.checkSegments(b)
	}
	if errors.Is(err, errManifest) || errors.Is(err, ErrDamaged) {
		if !errors.Is(err, ErrDamaged) {
			err = fmt.Errorf("%w: %w", ErrDamaged, err)
		}
		closeQuietly(b)
		return ix.moveAside(err, articles)
	}
	if err != nil {
		b.Close()
		return err
	}
	if n, err := b.DocCount(); err == nil && n > 0 && len(articles) == 0 {
		// Passages no manifest claims: a bulk build of an earlier
		// attache, which wrote the manifest after putting its passages in
		// place, stopped between the two.
		ix.log.Info("index build unfinished, starting again", "path", ix.path)
		b.Close()
		return ix.recreate()
	}
	ix.bleve = b
	ix.articles = articles
	ix.titles = titleSets(articles)
	ix.manifest = manifestLog{chunks: chunks}
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
	b, err := bleve.NewUsing(ix.path, ix.mapping, scorch.Name, scorch.Name, config())
	if err != nil {
		if isLockTimeout(err) {
			return fmt.Errorf("create index %s: %w", ix.path, ErrLocked)
		}
		return fmt.Errorf("create index %s: %w", ix.path, err)
	}
	if err := setInternal(b, keyVersion, []byte(mappingVersion)); err != nil {
		b.Close()
		return fmt.Errorf("write index version: %w", err)
	}
	ix.bleve = b
	ix.articles = map[string]articleMeta{}
	ix.titles = map[string]map[string]bool{}
	ix.manifest = manifestLog{}
	return nil
}

// setInternal sets an internal value and waits until it is on disk.
func setInternal(b bleve.Index, key, val []byte) error {
	batch := b.NewBatch()
	batch.SetInternal(key, val)
	return writeBatch(context.Background(), b, batch)
}

// writeBatch writes batch to b and waits until it is on disk, or ctx is
// done.
func writeBatch(ctx context.Context, b bleve.Index, batch *bleve.Batch) error {
	persisted := make(chan error, 1)
	batch.SetPersistedCallback(func(err error) { persisted <- err })
	if err := b.Batch(batch); err != nil {
		return err
	}
	select {
	case err := <-persisted:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
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
	var changed, restamped []corpus.Article
	var st SyncStats
	for _, a := range arts {
		present[a.ID] = true
		old, ok := ix.articles[a.ID]
		switch {
		case ok && old.Hash == a.Hash:
			st.Unchanged++
			if !a.File.IsZero() && !a.File.Equal(old.File) {
				restamped = append(restamped, a)
			}
		case a.Unread:
			ix.mu.RUnlock()
			return st, fmt.Errorf("sync %s: the file was not read, and the index does not hold it as it is", a.ID)
		case !ok:
			st.Added++
			changed = append(changed, a)
		default:
			st.Updated++
			changed = append(changed, a)
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

	// A full disk makes Bleve retry for ever: the update ends instead.
	wctx, stop := ix.untilWriteFails(ctx)
	err := writeError(wctx, ix.apply(wctx, changed, removed, restamped))
	stop()
	if err != nil {
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
	wctx, stop := ix.untilWriteFails(ctx)
	defer stop()
	return writeError(wctx, ix.apply(wctx, changed, remove, nil))
}

// Known returns the hash of article id as the index holds it, and true,
// when the index read the article from a file that had the stamp st: the
// file is unchanged and need not be read again. It suits
// corpus.LoadOptions.Known.
func (ix *Index) Known(id string, st corpus.Stamp) (string, bool) {
	ix.mu.RLock()
	m, ok := ix.articles[id]
	ix.mu.RUnlock()
	if !ok || !m.File.Equal(st) {
		return "", false
	}
	return m.Hash, true
}

// Delete removes articles by ID; unknown IDs are ignored.
func (ix *Index) Delete(ctx context.Context, ids ...string) error {
	return ix.Apply(ctx, nil, ids)
}

// search runs a request on the open index, or fails with ErrClosed. A
// panic in Bleve, or an error only damaged files explain, comes back as
// an error wrapping ErrDamaged.
func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest) (res *bleve.SearchResult, err error) {
	b, err := ix.current()
	if err != nil {
		return nil, err
	}
	defer guard(&err)
	return b.SearchInContext(ctx, req)
}

// current returns the Bleve index open now, or ErrClosed.
func (ix *Index) current() (bleve.Index, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bleve == nil {
		return nil, ErrClosed
	}
	return ix.bleve, nil
}
