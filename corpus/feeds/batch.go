package feeds

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// batchSize is how many items share one transaction: large enough that a
// backlog is not bound by fsync, small enough that a redo is short.
const batchSize = 256

// store writes the candidates' articles and records them, batch by batch:
// look up, journal new file names, write files, then record in one
// transaction. Matching happens under storeMu so two feeds carrying the
// same story at once make one article.
func (m *Manager) store(ctx context.Context, f *Feed, work []*candidate) (ingestStats, error) {
	var st ingestStats
	if len(work) == 0 {
		return st, nil
	}
	m.storeMu.Lock()
	defer m.storeMu.Unlock()
	src := source{FeedID: f.ID, Title: f.Title}
	for start := 0; start < len(work); start += batchSize {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		b := newBatch()
		now := m.cfg.Now()
		err := m.db.View(func(tx *bolt.Tx) error {
			for _, c := range work[start:min(start+batchSize, len(work))] {
				if err := b.resolve(tx, c, src, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return st, fmt.Errorf("look up articles: %w", err)
		}
		paths, err := m.apply(b)
		if err != nil {
			return st, err
		}
		st.new += b.new
		st.updated += b.updated
		st.unchanged += b.unchanged
		st.paths = append(st.paths, paths...)
	}
	return st, nil
}

// apply carries out a resolved batch and returns the paths written.
func (m *Manager) apply(b *batch) ([]string, error) {
	// Journal new names before writing: should the process die between
	// writing a file and recording it, Open deletes the file and the redo
	// writes it again, perhaps under another name if another feed carried
	// the story first.
	if err := m.db.Update(func(tx *bolt.Tx) error {
		pending := tx.Bucket(bucketPending)
		for _, name := range b.order {
			if b.writes[name].isNew {
				if err := pending.Put([]byte(name), []byte("new")); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("journal articles: %w", err)
	}

	paths, err := m.writeFiles(b)
	if err != nil {
		return nil, err
	}
	if len(paths) > 0 {
		if err := syncDir(m.cfg.Dir); err != nil {
			return nil, fmt.Errorf("sync article folder: %w", err)
		}
	}
	if err := m.db.Update(b.commit); err != nil {
		return nil, fmt.Errorf("record items: %w", err)
	}
	return paths, nil
}

// writeWorkers is how many article files are written at once; each write
// waits on its fsync, which overlap well.
const writeWorkers = 8

// writeFiles writes the batch's article files and returns their paths.
func (m *Manager) writeFiles(b *batch) ([]string, error) {
	type job struct {
		path string
		data []byte
	}
	var jobs []job
	for _, name := range b.order {
		w := b.writes[name]
		path := filepath.Join(m.cfg.Dir, name)
		paras := w.paras
		if paras == nil {
			var err error
			if paras, err = readBody(path); err != nil {
				if w.fallback == nil {
					m.log.Warn("article file unreadable; sources not updated", "path", path, "err", err)
					continue
				}
				paras = w.fallback
			}
		}
		data, err := renderArticle(w.art, paras)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, job{path, data})
	}

	var (
		wg     sync.WaitGroup
		hookMu sync.Mutex
		sem    = make(chan struct{}, writeWorkers)
		errs   = make([]error, len(jobs))
		failed atomic.Bool
	)
	for i, j := range jobs {
		sem <- struct{}{}
		if failed.Load() {
			<-sem
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			err := writeFileAtomic(j.path, j.data)
			if err != nil {
				err = fmt.Errorf("write article: %w", err)
			} else if m.afterWrite != nil {
				hookMu.Lock()
				err = m.afterWrite(j.path)
				hookMu.Unlock()
			}
			if err != nil {
				errs[i] = err
				failed.Store(true)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	paths := make([]string, len(jobs))
	for i, j := range jobs {
		paths[i] = j.path
	}
	return paths, nil
}

// recoverPending deletes article files that a crashed poll wrote but never
// recorded; the next poll writes them again.
func (m *Manager) recoverPending() error {
	return m.db.Update(func(tx *bolt.Tx) error {
		pending, articles := tx.Bucket(bucketPending), tx.Bucket(bucketArticles)
		var names []string
		if err := pending.ForEach(func(k, _ []byte) error {
			names = append(names, string(k))
			return nil
		}); err != nil {
			return err
		}
		for _, name := range names {
			if articles.Get([]byte(name)) == nil {
				path := filepath.Join(m.cfg.Dir, name)
				if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
				m.log.Info("removed unrecorded article", "path", path)
			}
			if err := pending.Delete([]byte(name)); err != nil {
				return err
			}
		}
		return nil
	})
}

// batch is the outcome of matching some items against the store, overlaid
// on it until committed.
type batch struct {
	items  map[string]*itemRecord
	urls   map[string]string
	hashes map[string]string
	arts   map[string]*articleRecord
	writes map[string]*articleWrite
	order  []string // keys of writes, in the order first written

	new, updated, unchanged int
}

// articleWrite is a file to (re)write.
type articleWrite struct {
	art *articleRecord
	// paras is the text; nil keeps the text already in the file, or
	// fallback should the file be gone.
	paras, fallback []string
	isNew           bool
}

func newBatch() *batch {
	return &batch{
		items:  make(map[string]*itemRecord),
		urls:   make(map[string]string),
		hashes: make(map[string]string),
		arts:   make(map[string]*articleRecord),
		writes: make(map[string]*articleWrite),
	}
}

// resolve matches a candidate to an article, by its GUID, then its URL,
// then its text, and decides what to write. An article's text follows the
// feed that first carried it; another feed replaces it only with a longer
// text, and otherwise just joins the sources.
func (b *batch) resolve(tx *bolt.Tx, c *candidate, src source, now time.Time) error {
	var name string
	if c.prev != nil {
		name = c.prev.File
	}
	if name == "" && c.urlKey != "" {
		name = b.lookup(tx, bucketURLs, b.urls, c.urlKey)
	}
	hash, hashable := textHash(c.paras)
	if name == "" && hashable {
		name = b.lookup(tx, bucketHashes, b.hashes, hash)
	}

	item := &itemRecord{Print: c.print, Seen: now, Partial: c.wantPage && !c.full}
	if c.prev != nil {
		item.Seen, item.Tries = c.prev.Seen, c.prev.Tries
	}
	switch {
	case c.full:
		item.Tries = 0
	case c.pageFailed:
		item.Tries++
	}
	b.items[c.key] = item

	art, err := b.article(tx, name)
	if err != nil {
		return err
	}
	chars := textLen(c.paras)
	switch {
	case art == nil && len(c.paras) == 0:
		// No text and no article to join: remember the item only.
		b.unchanged++
		return nil
	case art == nil:
		if name == "" {
			if name, err = b.newName(tx, c); err != nil {
				return err
			}
		}
		art = &articleRecord{Title: c.title, URL: c.link, Published: c.published, Sources: []source{src}, Hash: hash, Chars: chars}
		b.write(name, art, c.paras, nil, true)
		b.new++
	default:
		added := art.addSource(src)
		owner := art.Sources[0].FeedID == src.FeedID
		if c.full && chars > 0 && hash != art.Hash && (owner || chars > art.Chars) {
			art.Title, art.Hash, art.Chars = c.title, hash, chars
			if art.URL == "" {
				art.URL = c.link
			}
			b.write(name, art, c.paras, nil, false)
			b.updated++
		} else if added {
			b.write(name, art, nil, c.paras, false)
			b.updated++
		} else {
			b.unchanged++
		}
	}
	item.File = name
	b.arts[name] = art
	if c.urlKey != "" && b.lookup(tx, bucketURLs, b.urls, c.urlKey) == "" {
		b.urls[c.urlKey] = name
	}
	if hashable && b.lookup(tx, bucketHashes, b.hashes, hash) == "" {
		b.hashes[hash] = name
	}
	return nil
}

// lookup reads an index (URLs or hashes), batch first.
func (b *batch) lookup(tx *bolt.Tx, bucket []byte, overlay map[string]string, key string) string {
	if name, ok := overlay[key]; ok {
		return name
	}
	return string(tx.Bucket(bucket).Get([]byte(key)))
}

// article returns the named article's record, batch first; nil when there
// is none.
func (b *batch) article(tx *bolt.Tx, name string) (*articleRecord, error) {
	if name == "" {
		return nil, nil
	}
	if a, ok := b.arts[name]; ok {
		return a, nil
	}
	var a articleRecord
	ok, err := getJSON(tx.Bucket(bucketArticles), name, &a)
	if !ok || err != nil {
		return nil, err
	}
	return &a, nil
}

// newName names a new article. The name depends only on the item, so a
// redo picks it again; a clash with another article takes a longer hash.
func (b *batch) newName(tx *bolt.Tx, c *candidate) (string, error) {
	identity := c.urlKey
	if identity == "" {
		identity = "item:" + c.key
	}
	name := fileName(c.title, identity, 10)
	if a, err := b.article(tx, name); err != nil || a == nil {
		return name, err
	}
	return fileName(c.title, identity, 32), nil
}

// write queues a file write, merging with one queued earlier in the batch.
func (b *batch) write(name string, art *articleRecord, paras, fallback []string, isNew bool) {
	if w, ok := b.writes[name]; ok {
		w.art = art
		if paras != nil {
			w.paras = paras
		}
		if w.fallback == nil {
			w.fallback = fallback
		}
		return
	}
	b.writes[name] = &articleWrite{art: art, paras: paras, fallback: fallback, isNew: isNew}
	b.order = append(b.order, name)
}

// commit records the batch; it runs once its files are on disk.
func (b *batch) commit(tx *bolt.Tx) error {
	items, urls, hashes := tx.Bucket(bucketItems), tx.Bucket(bucketURLs), tx.Bucket(bucketHashes)
	articles, pending := tx.Bucket(bucketArticles), tx.Bucket(bucketPending)
	for k, rec := range b.items {
		if err := putJSON(items, k, rec); err != nil {
			return err
		}
	}
	for k, name := range b.urls {
		if err := urls.Put([]byte(k), []byte(name)); err != nil {
			return err
		}
	}
	for k, name := range b.hashes {
		if err := hashes.Put([]byte(k), []byte(name)); err != nil {
			return err
		}
	}
	for name, w := range b.writes {
		if err := putJSON(articles, name, w.art); err != nil {
			return err
		}
		if err := pending.Delete([]byte(name)); err != nil {
			return err
		}
	}
	return nil
}
