package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"log"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// ErrDamaged is wrapped by the errors of an index whose files are damaged:
// Bleve failed in a way that only broken files explain, or a segment's
// checksum does not match. The articles are the source of truth: Rebuild
// moves the damaged index aside, and a Sync then fills the new one.
var ErrDamaged = errors.New("the index is damaged")

// Repair tells what Open or Rebuild did to a damaged index.
type Repair struct {
	// Cause is what was wrong, wrapping ErrDamaged.
	Cause error
	// MovedTo is where the damaged index now is; "" when it could not be
	// kept and was removed.
	MovedTo string
}

// Repaired returns what was done to a damaged index since Open, and
// whether anything was: the index was moved aside and started afresh, to
// be filled again from the articles.
func (ix *Index) Repaired() (Repair, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.repair, ix.repair.Cause != nil
}

// Rebuild moves the index aside as damaged (cause says why; nil when
// asked for) and starts an empty one in its place, which the next Sync
// fills from the articles. Only the index's own folder is moved: the bot's
// state beside it is left alone. The arrival times of the articles carry
// over, so that a rebuild does not make the archive look new.
func (ix *Index) Rebuild(ctx context.Context, cause error) error {
	if cause == nil {
		cause = fmt.Errorf("%w: rebuild asked for", ErrDamaged)
	}
	ix.write.Lock()
	defer ix.write.Unlock()
	ix.mu.Lock()
	b := ix.bleve
	ix.bleve = nil
	earlier := ix.articles
	ix.mu.Unlock()
	if b == nil {
		return ErrClosed
	}
	if err := closeQuietly(b); err != nil {
		ix.log.Debug("close damaged index", "err", err)
	}
	return ix.moveAside(cause, earlier)
}

// moveAside renames the index folder to <path>.damaged-<time>, creates an
// empty index in its place and records the repair. Callers hold ix.write
// (or own ix alone, in Open).
func (ix *Index) moveAside(cause error, earlier map[string]articleMeta) error {
	aside := ix.path + ".damaged-" + ix.opts.Now().UTC().Format("20060102-150405")
	for n := 2; ; n++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s.damaged-%s-%d", ix.path, ix.opts.Now().UTC().Format("20060102-150405"), n)
	}
	if err := os.Rename(ix.path, aside); err != nil {
		// Keeping it for a post-mortem is a courtesy; a fresh index is
		// what matters.
		aside = ""
		if err := os.RemoveAll(ix.path); err != nil {
			return fmt.Errorf("remove damaged index: %w", err)
		}
	}
	os.Remove(ix.checkedPath())
	ix.log.Info("index damaged, moved aside and rebuilding from the articles", "path", ix.path, "moved_to", aside, "err", cause)
	if err := ix.create(); err != nil {
		return err
	}
	ix.mu.Lock()
	ix.earlier = earlier
	ix.repair = Repair{Cause: cause, MovedTo: aside}
	ix.mu.Unlock()
	return nil
}

// asyncErrorCallback is the name under which writeFailed is registered
// with Bleve, which calls it when writing the index in the background
// fails (a full disk) and then tries again, for ever.
const asyncErrorCallback = "attache"

// failing maps the path of each open index to the cancel of the update in
// progress, if any (see Index.untilWriteFails).
var failing sync.Map // path → *writeWatch

// writeWatch is how the updates of one index learn that Bleve cannot
// write it.
type writeWatch struct {
	mu     sync.Mutex
	cancel map[*int]context.CancelCauseFunc
}

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = writeFailed
}

// writeFailed ends the updates in progress of the index at path with err:
// an update that waits for its batches to be on disk would wait for ever.
func writeFailed(err error, path string) {
	if !errors.Is(err, scorch.ErrPersist) {
		return
	}
	v, ok := failing.Load(filepath.Dir(path))
	if !ok {
		v, ok = failing.Load(path)
	}
	if !ok {
		return
	}
	w := v.(*writeWatch)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, cancel := range w.cancel {
		cancel(fmt.Errorf("write index: %w", err))
	}
}

// untilWriteFails returns ctx, cancelled with the cause when Bleve reports
// that it cannot write the index, and the stop to call when the update is
// over. An update that fails so returns writeError(ctx, err).
func (ix *Index) untilWriteFails(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	v, _ := failing.LoadOrStore(ix.path, &writeWatch{cancel: map[*int]context.CancelCauseFunc{}})
	w := v.(*writeWatch)
	key := new(int)
	w.mu.Lock()
	w.cancel[key] = cancel
	w.mu.Unlock()
	return ctx, func() {
		w.mu.Lock()
		delete(w.cancel, key)
		w.mu.Unlock()
		cancel(nil)
	}
}

// writeError is err, or the cause of ctx when Bleve's failure to write
// cancelled it.
func writeError(ctx context.Context, err error) error {
	if err != nil && errors.Is(err, context.Canceled) {
		if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
			return cause
		}
	}
	return err
}

// openBleve opens the Bleve index at path, turning a panic in Bleve (as
// garbage in its files can cause) into an error that wraps ErrDamaged.
// What Bleve prints with the standard logger meanwhile ("unable to load
// snapshot") goes to ix's log at debug level: the repair says it plainly.
func (ix *Index) openBleve() (b bleve.Index, err error) {
	// The standard logger is the process's: one open at a time borrows it.
	stdLog.Lock()
	defer stdLog.Unlock()
	var printed bytes.Buffer
	w := log.Writer()
	log.SetOutput(&lockedWriter{w: &printed})
	defer func() {
		log.SetOutput(w)
		if printed.Len() > 0 {
			ix.log.Debug("bleve said", "text", strings.TrimSpace(printed.String()))
		}
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("%w: opening it failed: %v", ErrDamaged, r)
			return
		}
		// Scorch skips a snapshot whose segments do not load and opens
		// an older one, or none: what it holds is not what was written.
		if err == nil && strings.Contains(printed.String(), "unable to load snapshot") {
			closeQuietly(b)
			b, err = nil, fmt.Errorf("%w: its segment files cannot be loaded", ErrDamaged)
		}
	}()
	return bleve.OpenUsing(ix.path, config())
}

// stdLog serialises openBleve's borrowing of the standard logger.
var stdLog sync.Mutex

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// readManifestGuarded is readManifest on an index that may be damaged.
func readManifestGuarded(b bleve.Index) (articles map[string]articleMeta, chunks int, err error) {
	defer guard(&err)
	return readManifest(b)
}

// closeQuietly closes b, recovering from a panic of a damaged index.
func closeQuietly(b bleve.Index) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: closing it failed: %v", ErrDamaged, r)
		}
	}()
	return b.Close()
}

// guard turns a panic in Bleve into an error wrapping ErrDamaged, and marks
// as damage the errors that only broken files explain. Deferred by each
// call into Bleve: defer ix.guard(&err).
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v", ErrDamaged, r)
		return
	}
	if *err != nil && !errors.Is(*err, ErrDamaged) && looksDamaged(*err) {
		*err = fmt.Errorf("%w: %w", ErrDamaged, *err)
	}
}

// looksDamaged reports whether err is one Bleve returns for files whose
// content is broken, rather than for a bad request or a closed index.
func looksDamaged(err error) bool {
	// A search reads files that are all there: running out of one is
	// damage.
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"roaring", "unsupported version", "error loading", "corrupt", "invalid", "checksum", "EOF", "vellum", "snappy", "out of range", "varint", "malformed", "decod"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// checkedPath is the file beside the index that lists the segments whose
// checksums checkSegments found right, with their sizes and times.
func (ix *Index) checkedPath() string { return ix.path + ".checked" }

// segmentStamp identifies one version of a segment file.
type segmentStamp struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
}

// checkSegments verifies the checksum of every segment b reads, and
// returns an error wrapping ErrDamaged for the first that does not match.
// Segment files never change once written, so a segment found right
// before, with the same size and modification time, is not read again: on
// an unchanged index the check costs a few stats.
func (ix *Index) checkSegments(b bleve.Index) (err error) {
	defer guard(&err)
	adv, err := b.Advanced()
	if err != nil {
		return fmt.Errorf("check index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("check index: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var known map[string]segmentStamp
	if raw, err := os.ReadFile(ix.checkedPath()); err == nil {
		json.Unmarshal(raw, &known) // a bad file only means checking again
	}
	checked := make(map[string]segmentStamp)
	for _, ss := range snap.Segments() {
		seg, ok := ss.Segment().(interface {
			Path() string
			Data() []byte
			CRC() uint32
		})
		if !ok {
			continue // in memory, or a kind that carries no checksum
		}
		name := filepath.Base(seg.Path())
		fi, err := os.Stat(seg.Path())
		if err != nil {
			return fmt.Errorf("%w: segment %s: %v", ErrDamaged, name, err)
		}
		st := segmentStamp{Size: fi.Size(), ModTime: fi.ModTime().UTC()}
		if k, ok := known[name]; ok && k.Size == st.Size && k.ModTime.Equal(st.ModTime) {
			checked[name] = st
			continue
		}
		if err := checkSum(seg.Data(), seg.CRC()); err != nil {
			return fmt.Errorf("%w: segment %s: %v", ErrDamaged, name, err)
		}
		checked[name] = st
	}
	if raw, err := json.Marshal(checked); err == nil && !maps.EqualFunc(known, checked, func(a, b segmentStamp) bool { return a.Size == b.Size && a.ModTime.Equal(b.ModTime) }) {
		if err := os.WriteFile(ix.checkedPath(), raw, 0o644); err != nil {
			ix.log.Debug("segment checks not recorded", "err", err)
		}
	}
	return nil
}

// checkSum compares the CRC-32 of a segment file's data, up to its last
// four bytes, with the checksum want that its footer holds there.
func checkSum(data []byte, want uint32) error {
	if len(data) < 4 {
		return errors.New("segment file too short")
	}
	if got := crc32.ChecksumIEEE(data[:len(data)-4]); got != want {
		return fmt.Errorf("checksum %08x, footer says %08x", got, want)
	}
	return nil
}
