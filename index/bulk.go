package index

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapx "github.com/blevesearch/zapx/v17"

	"attache/corpus"
)

// A first build, or the rebuild of an index made by another version or
// found damaged, fills an empty index with the whole corpus. Building
// segments directly does that at a fraction of the cost of batches: each
// batch of passages becomes a segment of its own, on every CPU, and the
// segments are merged once at the end, where batches go through Scorch's
// introducer and persister, which write every batch's snapshot (and the
// whole manifest with it) to root.bolt, and through its background
// merges, which write the same passages again and again. Bleve's offline
// builder (scorch.Builder) works the same way but builds its segments one
// after another, which left a core idle; it still writes the index's root
// (see writeRoot).
//
// The index is made in a folder beside the empty one (bulkSuffix), which
// takes the empty one's place only once it is whole: a crash leaves the
// empty index, which the next run fills, and a folder that the next Open
// removes.
const (
	bulkSuffix  = ".build" // the index being built
	emptySuffix = ".empty" // the empty index it replaces, until closed
)

// bulkBatch is how many passages go into each segment. Smaller
// segments are cheaper to build, passage for passage (on 20,000 articles,
// 1,500–2,500 built the index in four fifths of the time 10,000 took),
// and one merge at the end joins them whatever their number.
const bulkBatch = 2000

// segmentPlugin is the segment format of a bulk build: Bleve's default,
// which writeRoot names in the index's root.
var segmentPlugin = &zapx.ZapPlugin{}

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

// bulk indexes arts into the index, which holds no article, as segments
// merged into one, and puts the result in place of the empty index.
// Callers hold ix.write.
//
// The manifest goes into the new index's root with its passages, so that
// the two take the empty index's place at once. The facts the manifest
// keeps of each article are found while the segments merge, which keeps
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
	segs := newSegmentBuilder(ctx)
	defer segs.stop()

	passages := make([][]corpus.Passage, len(arts))
	done := 0
	var pending []*document.Document
	err = ix.eachPrepared(ctx, arts, false, func(w *work) error {
		for i := range w.arts {
			pending = append(pending, w.docs[i]...)
			if len(pending) >= bulkBatch {
				if err := segs.add(pending); err != nil {
					return err
				}
				pending = nil
			}
			passages[done] = w.ps[i]
			done++
		}
		if ix.opts.Progress != nil {
			ix.opts.Progress(done, len(arts))
		}
		return nil
	})
	if err == nil && len(pending) > 0 {
		err = segs.add(pending)
	}
	if err != nil {
		return err
	}
	built, err := segs.wait()
	if err != nil {
		return err
	}

	entries := make(chan map[string]articleMeta, 1)
	go func() { entries <- ix.entries(arts, passages) }()
	if len(built) == 0 {
		// Articles without a passage leave nothing to build: the empty
		// index takes their manifest.
		return ix.writeManifest(ctx, <-entries)
	}
	merged := filepath.Join(dir, "merged.zap")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("start build: %w", err)
	}
	if err := mergeSegments(ctx, built, merged); err != nil {
		return err
	}
	built = nil // merged: the collector may have them
	next := <-entries
	if err := ix.writeRoot(dir, arts, merged, wholeManifest(next)); err != nil {
		return err
	}
	if err := ix.replaceEmpty(dir); err != nil {
		return err
	}
	ix.useManifest(next)
	return nil
}

// segmentBuilder builds segments in memory from batches of analysed
// passages, on every CPU, and keeps them in the order the batches came.
// They are merged straight from memory into the index's one segment
// file: writing each to disk first, as Bleve's builder does, cost a file
// and a sync for every batch.
type segmentBuilder struct {
	jobs    chan segmentJob
	stopped sync.Once
	wg      sync.WaitGroup
	mu      sync.Mutex
	segs    []segment.Segment // by batch
	err     error             // the first failure
}

type segmentJob struct {
	n    int // the batch's place
	docs []*document.Document
}

func newSegmentBuilder(ctx context.Context) *segmentBuilder {
	jobs := make(chan segmentJob)
	b := &segmentBuilder{jobs: jobs}
	for range runtime.GOMAXPROCS(0) {
		b.wg.Go(func() {
			for job := range jobs {
				if err := ctx.Err(); err != nil {
					b.fail(err)
				}
				if b.failed() {
					continue // drain, so that add never blocks
				}
				if err := b.build(job); err != nil {
					b.fail(err)
				}
			}
		})
	}
	return b
}

// fail keeps err if it is the first failure.
func (b *segmentBuilder) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.err = cmp.Or(b.err, err)
}

func (b *segmentBuilder) failed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err != nil
}

// add queues a batch of passages for a segment of its own, and returns
// the first failure so far, so that the caller stops feeding a build that
// failed.
func (b *segmentBuilder) add(docs []*document.Document) error {
	b.mu.Lock()
	n := len(b.segs)
	b.segs = append(b.segs, nil)
	err := b.err
	b.mu.Unlock()
	if err != nil {
		return err
	}
	b.jobs <- segmentJob{n: n, docs: docs}
	return nil
}

// build builds one segment. The passages were analysed when they were
// prepared; their IDs are added and analysed here, as Bleve does before it
// builds a segment.
func (b *segmentBuilder) build(job segmentJob) error {
	docs := make([]index.Document, len(job.docs))
	for i, d := range job.docs {
		d.AddIDField()
		d.Fields[len(d.Fields)-1].Analyze()
		docs[i] = d
	}
	seg, _, err := segmentPlugin.New(docs)
	if err != nil {
		return fmt.Errorf("build segment: %w", err)
	}
	b.mu.Lock()
	b.segs[job.n] = seg
	b.mu.Unlock()
	return nil
}

// wait returns the segments once all are built, and lets go of them.
func (b *segmentBuilder) wait() ([]segment.Segment, error) {
	b.stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	segs := b.segs
	b.segs = nil
	return segs, b.err
}

// stop ends the workers once they are done; it may be called more than
// once, and add may not be called after it.
func (b *segmentBuilder) stop() {
	b.stopped.Do(func() { close(b.jobs) })
	b.wg.Wait()
}

// mergeSegments merges segs into one segment file at path, in their
// order. The merge stops when ctx is done.
func mergeSegments(ctx context.Context, segs []segment.Segment, path string) error {
	cancel := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { close(cancel) })
	defer stop()
	if _, _, err := segmentPlugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), path, cancel, nil); err != nil {
		return fmt.Errorf("merge segments: %w", err)
	}
	return ctx.Err()
}

// writeRoot makes dir a Bleve index whose one segment is the merged file
// and whose internal values are the given ones (the manifest) besides the
// mapping and the index's version. Bleve's builder writes the index's
// root (root.bolt) for a segment of one passage, which the merged file
// then replaces, under the name the root gives it.
func (ix *Index) writeRoot(dir string, arts []corpus.Article, merged string, internal map[string][]byte) error {
	var first *document.Document
	pf := newPassageFields(ix.mapping)
	for _, a := range arts {
		if ps := a.Passages(); len(ps) > 0 {
			first = pf.document(a.ID, ps[0])
			break
		}
	}
	if first == nil {
		return errors.New("write index root: no passage")
	}
	b, err := ix.newBuilder(dir, internal)
	if err != nil {
		return err
	}
	if err := b.Index(first); err != nil {
		return fmt.Errorf("write index root: %w", err)
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("write index root: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(files) != 1 {
		return fmt.Errorf("write index root: the builder left %d segments, want 1", len(files))
	}
	if err := os.Rename(merged, files[0]); err != nil {
		return fmt.Errorf("write index root: %w", err)
	}
	return nil
}

// entries returns the manifest entries of arts, split into the given
// passages, finding their facts on every CPU.
func (ix *Index) entries(arts []corpus.Article, passages [][]corpus.Passage) map[string]articleMeta {
	out := make([]articleMeta, len(arts))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for k := range workers {
		wg.Go(func() {
			for i := k; i < len(arts); i += workers {
				a := arts[i]
				out[i] = ix.entry(a, articleMeta{}, len(passages[i]), factsOf(a, passages[i]))
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
// log's only chunk, and waits until it is on disk.
func (ix *Index) writeManifest(ctx context.Context, next map[string]articleMeta) error {
	b, err := ix.current()
	if err != nil {
		return err
	}
	batch := b.NewBatch()
	for k, v := range wholeManifest(next) {
		batch.SetInternal([]byte(k), v)
	}
	if err := writeBatch(ctx, b, batch); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	ix.useManifest(next)
	return nil
}

// useManifest makes next, written as the log's only chunk, the manifest
// that searches see.
func (ix *Index) useManifest(next map[string]articleMeta) {
	ix.mu.Lock()
	ix.articles = next
	ix.titles = titleSets(next)
	ix.vocab = nil
	ix.manifest = manifestLog{chunks: 1}
	ix.mu.Unlock()
	if ix.opts.Progress != nil {
		ix.opts.Progress(len(next), len(next))
	}
}

// newBuilder starts Bleve's offline builder in dir: an index folder as
// Bleve makes one (its metadata file), whose store the builder fills,
// with the mapping as Bleve keeps it, the version of the index and the
// given internal values.
func (ix *Index) newBuilder(dir string, internal map[string][]byte) (*scorch.Builder, error) {
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
	internal = maps.Clone(internal)
	internal[string(util.MappingInternalKey)] = mapping
	internal[string(keyVersion)] = []byte(mappingVersion)
	b, err := scorch.NewBuilder(map[string]any{
		"path":                store,
		"buildPathPrefix":     dir,
		"forceSegmentType":    segmentPlugin.Type(),
		"forceSegmentVersion": int(segmentPlugin.Version()),
		"internal":            internal,
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
