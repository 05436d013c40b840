package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/util"

	"attache/corpus"
)

// A first build, or the rebuild of an index made by another version or
// found damaged, fills an empty index with the whole corpus. Bleve's
// offline builder does that at about half the cost of batches: it writes
// each batch as a segment file of its own and merges them all once at the
// end, where batches go through Scorch's introducer and persister, which
// write every batch's snapshot (and the whole manifest with it) to
// root.bolt, and through its background merges, which write the same
// passages again and again.
//
// The builder makes the index in a folder beside the empty one (bulkSuffix),
// which takes the empty one's place only once it is whole: a crash leaves
// the empty index, which the next run fills, and a folder that the next
// Open removes.
const (
	bulkSuffix  = ".build" // the index being built
	emptySuffix = ".empty" // the empty index it replaces, until closed
)

// bulkBatch is how many passages go into each segment file the builder
// writes. Smaller segments are cheaper to build, passage for passage (on
// 20,000 articles, 1,500–2,500 built the index in four fifths of the time
// 10,000 took), and one merge at the end joins them whatever their number.
const bulkBatch = 2000

// bulkMergeMax is how many segment files the builder merges at once: all
// of them, in one pass, rather than merging merged segments again.
const bulkMergeMax = 1 << 20

// removeBulkLeftovers removes what a crashed bulk build left beside the
// index.
func (ix *Index) removeBulkLeftovers() error {
	for _, suffix := range []string{bulkSuffix, emptySuffix} {
		if err := os.RemoveAll(ix.path + suffix); err != nil {
			return fmt.Errorf("remove unfinished build: %w", err)
		}
	}
	return nil
}

// bulk indexes arts into the index, which holds no article, with Bleve's
// builder, and puts the result in place of the empty index. Callers hold
// ix.write.
//
// The manifest is written last, once the passages are in place: a crash
// before leaves passages that no manifest claims, which Open takes for an
// unfinished build (see open). The facts the manifest keeps of each
// article are found while the builder merges its segments, which keeps
// one core busy and leaves the other free.
func (ix *Index) bulk(ctx context.Context, arts []corpus.Article) (err error) {
	defer tuneMemory()()
	dir := ix.path + bulkSuffix
	if err := ix.removeBulkLeftovers(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	b, err := ix.newBuilder(dir)
	if err != nil {
		return err
	}

	passages := make([]int, len(arts))
	done := 0
	err = ix.eachPrepared(ctx, arts, false, func(w *work) error {
		for i, a := range w.arts {
			for _, d := range w.docs[i] {
				if err := b.Index(d); err != nil {
					return fmt.Errorf("index %s: %w", a.ID, err)
				}
			}
			passages[done] = len(w.docs[i])
			done++
		}
		if ix.opts.Progress != nil {
			ix.opts.Progress(done, len(arts))
		}
		return nil
	})
	if err != nil {
		return err
	}

	entries := make(chan map[string]articleMeta, 1)
	go func() { entries <- ix.entries(arts, passages) }()
	if err := b.Close(); err != nil {
		return fmt.Errorf("build index: %w", err)
	}
	next := <-entries
	if err := ix.replaceEmpty(dir); err != nil {
		return err
	}
	return ix.writeManifest(ctx, next)
}

// entries returns the manifest entries of arts, indexed with the given
// numbers of passages, finding their facts on every CPU.
func (ix *Index) entries(arts []corpus.Article, passages []int) map[string]articleMeta {
	out := make([]articleMeta, len(arts))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for k := range workers {
		wg.Go(func() {
			for i := k; i < len(arts); i += workers {
				a := arts[i]
				out[i] = ix.entry(a, articleMeta{}, passages[i], factsOf(a, a.Passages()))
			}
		})
	}
	wg.Wait()
	next := make(map[string]articleMeta, len(arts))
	for i, a := range arts {
		next[a.ID] = out[i]
	}
	return next
}

// writeManifest writes the manifest of an index that has none, as the
// log's only chunk, and waits until it is on disk. Searches see the
// articles from then on.
func (ix *Index) writeManifest(ctx context.Context, next map[string]articleMeta) error {
	ids := make([]string, 0, len(next))
	for id := range next {
		ids = append(ids, id)
	}
	ix.mu.RLock()
	b := ix.bleve
	ix.mu.RUnlock()
	batch := b.NewBatch()
	log := manifestLog{}
	chunks := log.write(batch, next, ids)
	persisted := make(chan error, 1)
	batch.SetPersistedCallback(func(err error) { persisted <- err })
	if err := b.Batch(batch); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	select {
	case err := <-persisted:
		if err != nil {
			return fmt.Errorf("write manifest: %w", err)
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	ix.mu.Lock()
	ix.articles = next
	ix.titles = titleSets(next)
	ix.vocab = nil
	ix.manifest = manifestLog{chunks: chunks}
	ix.mu.Unlock()
	if ix.opts.Progress != nil {
		ix.opts.Progress(len(next), len(next))
	}
	return nil
}

// newBuilder starts a bulk build in dir: an index folder as Bleve makes
// one (its metadata file), whose store the builder fills, with the
// mapping as Bleve keeps it and the version of the index.
func (ix *Index) newBuilder(dir string) (*scorch.Builder, error) {
	empty, err := bleve.NewUsing(dir, ix.mapping, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("start build: %w", err)
	}
	if err := empty.Close(); err != nil {
		return nil, fmt.Errorf("start build: %w", err)
	}
	store := filepath.Join(dir, "store")
	if err := os.RemoveAll(store); err != nil {
		return nil, fmt.Errorf("start build: %w", err)
	}
	mapping, err := json.Marshal(ix.mapping)
	if err != nil {
		return nil, fmt.Errorf("start build: encode mapping: %w", err)
	}
	b, err := scorch.NewBuilder(map[string]any{
		"path":            store,
		"buildPathPrefix": dir, // its segment files, until merged
		"batchSize":       bulkBatch,
		"mergeMax":        bulkMergeMax,
		"internal": map[string][]byte{
			string(util.MappingInternalKey): mapping,
			string(keyVersion):              []byte(mappingVersion),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("start build: %w", err)
	}
	return b, nil
}

// replaceEmpty puts the index built in dir in place of the open, empty
// one. The empty one stays open until the new one is, so that a search
// never finds the index closed.
func (ix *Index) replaceEmpty(dir string) error {
	empty := ix.path + emptySuffix
	if err := os.Rename(ix.path, empty); err != nil {
		return fmt.Errorf("replace the empty index: %w", err)
	}
	if err := os.Rename(dir, ix.path); err != nil {
		return errors.Join(fmt.Errorf("replace the empty index: %w", err), os.Rename(empty, ix.path))
	}
	b, err := ix.openBleve()
	if err != nil {
		// The new index is whole on disk; the next Open will find it, or
		// else rebuild.
		return fmt.Errorf("open the index built: %w", err)
	}
	ix.mu.Lock()
	prev := ix.bleve
	ix.bleve = b
	ix.mu.Unlock()
	if err := prev.Close(); err != nil {
		ix.log.Debug("empty index not closed", "err", err)
	}
	if err := os.RemoveAll(empty); err != nil {
		ix.log.Debug("empty index not removed", "err", err)
	}
	return nil
}
