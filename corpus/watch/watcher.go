// Package watch keeps up with a folder of article files while attache
// runs. A Watcher notices new, changed and removed files through fsnotify,
// with a periodic full rescan as a safety net for file systems that drop
// events, waits for each burst of events to settle, reads only the files
// concerned, and hands the result to a function that applies it, usually
// to the index:
//
//	w, err := watch.New(dir, watch.Options{Logger: logger})
//	...
//	err = w.Run(ctx, func(ctx context.Context, c watch.Change) error {
//		return ix.Apply(ctx, c.Put, c.Removed)
//	})
//
// Article IDs are the ones corpus.Load gives: file paths relative to the
// folder, with forward slashes. Hidden files and folders and files other
// than ".md" and ".txt" are ignored, which covers editors' temporary files
// (".foo.md.swp", "foo.md~", vim's "4913") and the feeds package's.
//
// A file that changes into something that cannot be read or parsed (a
// half-saved edit, broken front matter) is reported in Change.Problems and
// logged, and is neither put nor removed: the version indexed before stays
// until the file is fixed or deleted, so that a bad save never makes an
// article disappear.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"attache/corpus"
)

// Defaults for the zero Options.
const (
	DefaultDebounce = 300 * time.Millisecond
	DefaultRescan   = time.Minute
)

// maxWaitFactor bounds how long a steady stream of events can postpone
// reading: changes are read at the latest maxWaitFactor×Debounce after the
// first of them, however busy the folder.
const maxWaitFactor = 4

// Options tune a Watcher. The zero value is usable.
type Options struct {
	// Debounce is how long the folder must stay quiet before changed files
	// are read: editors save in bursts (a temporary file, a rename,
	// several writes). DefaultDebounce when zero. However busy the
	// folder, changes are read at most 4×Debounce after the first.
	Debounce time.Duration
	// Rescan is how often the whole folder is read again and compared
	// with what the watcher knows, to catch changes whose events were
	// lost (network mounts, an event queue overflow). DefaultRescan when
	// zero; negative turns rescans off.
	Rescan time.Duration
	// Logger receives the watcher's logs, under component=watch; they
	// are discarded when nil.
	Logger *slog.Logger
	// Now reads the clock for the durations that are logged; time.Now
	// when nil. Timers run on the real clock.
	Now func() time.Time

	// noEvents turns fsnotify off, leaving only rescans (for tests).
	noEvents bool
}

// Change is one batch of changes to the folder, read after a burst of
// events settled. Every article in it is whole.
type Change struct {
	// Put holds the articles whose files are new or changed, sorted by
	// ID.
	Put []corpus.Article
	// Removed holds the IDs of articles whose files were deleted or
	// renamed away, or whose folder was, sorted.
	Removed []string
	// Problems are article files that changed but could not be read or
	// parsed, sorted by Path. Their previous version, if any, is in neither Put
	// nor Removed and so stays where it was applied.
	Problems []*corpus.FileError
}

func (c Change) empty() bool {
	return len(c.Put) == 0 && len(c.Removed) == 0 && len(c.Problems) == 0
}

// Watcher follows a folder of article files. Create one with New and
// start it with Run.
type Watcher struct {
	root    string
	opts    Options
	log     *slog.Logger
	running atomic.Bool

	// What the watcher knows of the folder, used only by Run. known maps
	// each article ID to the Hash of the version last applied, or to ""
	// when an apply failed and the applied version is uncertain. bad maps
	// the files last found broken to a fingerprint of that content, so
	// that the same problem is reported once.
	known map[string]string
	bad   map[string]string
}

// New returns a Watcher for the folder dir. It reads the folder once, as
// corpus.Load does, to learn what exists: Run reports only differences
// from that. To be sure not to miss a change, call New before loading the
// corpus for the index's first Sync: a change seen by both is then
// applied twice, which Index.Apply skips as unchanged. New returns an
// error when dir cannot be read.
//
// Files that are broken already when New reads them are not reported
// until they change; corpus.Load reports them at start-up.
func New(dir string, opts Options) (*Watcher, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Rescan == 0 {
		opts.Rescan = DefaultRescan
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	known, problems, err := scan(dir)
	if err != nil {
		return nil, fmt.Errorf("watch corpus: %w", err)
	}
	// Walks do not follow a symbolic link, not even at the top, but
	// corpus.Load does: watch the folder a link points to.
	root := filepath.Clean(dir)
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	w := &Watcher{
		root:  root,
		opts:  opts,
		log:   opts.Logger.With("component", "watch"),
		known: known,
		bad:   map[string]string{},
	}
	// Files broken already are not news: remember them so that Run
	// reports them only once they change.
	for _, p := range problems {
		if f := w.inspect(p.Path); !f.gone {
			w.bad[p.Path] = f.fingerprint()
		}
	}
	return w, nil
}

// Run follows the folder until ctx is cancelled, then closes its file
// system watches and returns nil. After each burst of events settles, and
// after each rescan that finds a difference, it calls apply once with what
// changed. When apply fails the change is not lost: the files concerned
// are read again and retried after a growing delay (Debounce, doubling up
// to Rescan), together with whatever changed meanwhile.
//
// Run first compares the folder with what New found, so that changes made
// before Run started are reported too. It returns an error only when it
// cannot watch at all; it must not be called again while running.
func (w *Watcher) Run(ctx context.Context, apply func(context.Context, Change) error) error {
	if !w.running.CompareAndSwap(false, true) {
		return errors.New("watch: Run is already running")
	}
	defer w.running.Store(false)

	s := &session{w: w, dirs: map[string]bool{}, dirty: map[string]bool{}}
	var (
		events <-chan fsnotify.Event
		errs   <-chan error
	)
	if !w.opts.noEvents {
		fw, err := fsnotify.NewWatcher()
		if err != nil {
			return fmt.Errorf("watch corpus %s: %w", w.root, err)
		}
		defer fw.Close()
		s.fw = fw
		events, errs = fw.Events, fw.Errors
	}
	var rescan <-chan time.Time
	if w.opts.Rescan > 0 {
		t := time.NewTicker(w.opts.Rescan)
		defer t.Stop()
		rescan = t.C
	}
	w.log.Info("watching corpus folder", "dir", w.root, "articles", len(w.known), "events", s.fw != nil)

	// The first read is the whole folder, right away: it sets up the
	// watches and catches what changed since New.
	s.mark(rootKey, time.Now())
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if s.handle(ev) {
				timer.Reset(s.due(time.Now()))
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: only a full read can tell what.
				w.log.Warn("file events lost, rescanning corpus folder", "dir", w.root)
				s.mark(rootKey, time.Now())
				timer.Reset(s.due(time.Now()))
				continue
			}
			w.log.Warn("file watch error", "dir", w.root, "err", err)
		case <-rescan:
			s.mark(rootKey, time.Now())
			timer.Reset(s.due(time.Now()))
		case <-timer.C:
			if !s.flush(ctx, apply) && ctx.Err() == nil {
				timer.Reset(s.due(time.Now()))
			}
		}
	}
}

// Keys of the dirty set: an article ID, or a folder as its path with a
// trailing slash, or rootKey for the whole folder.
const rootKey = ""

// session is the state of one Run.
type session struct {
	w  *Watcher
	fw *fsnotify.Watcher // nil when events are off

	// dirs are the watched folders, relative, with forward slashes; the
	// root is ".".
	dirs map[string]bool
	// dirty holds what to read at the next flush (see rootKey); first is
	// when it became non-empty.
	dirty map[string]bool
	first time.Time
	// After failures, flushes wait until retryAt.
	failures int
	retryAt  time.Time
}

// mark records that key must be read again.
func (s *session) mark(key string, now time.Time) {
	if len(s.dirty) == 0 {
		s.first = now
	}
	s.dirty[key] = true
}

// due returns how long to wait before the next flush: until the folder has
// been quiet for Debounce, but no longer than maxWaitFactor×Debounce after
// the first pending change, and never before a retry is due.
func (s *session) due(now time.Time) time.Duration {
	d := s.w.opts.Debounce
	at := now.Add(d)
	if latest := s.first.Add(maxWaitFactor * d); latest.Before(at) {
		at = latest
	}
	if at.Before(s.retryAt) {
		at = s.retryAt
	}
	return max(at.Sub(now), 0)
}

// handle notes what an event means to read again, and reports whether it
// means anything.
func (s *session) handle(ev fsnotify.Event) bool {
	rel, err := filepath.Rel(s.w.root, ev.Name)
	if err != nil || (rel != "." && !filepath.IsLocal(rel)) {
		return false
	}
	id := filepath.ToSlash(rel)
	now := time.Now()
	if id == "." {
		// The folder itself was removed or moved: a full read finds out,
		// and waits for it to come back when it is gone.
		s.mark(rootKey, now)
		return true
	}
	if hidden(id) {
		return false
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			// Watch the new folder now, before files are written into
			// it; the flush walks it for files already there.
			s.watchTree(id)
			s.mark(id+"/", now)
			return true
		}
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if s.dirs[id] {
			s.unwatchTree(id)
			s.mark(id+"/", now)
			return true
		}
	}
	if isArticleFile(id) {
		s.mark(id, now)
		return true
	}
	return false
}

// watchTree adds watches for the folder dir and the folders under it that
// are not watched yet.
func (s *session) watchTree(dir string) {
	s.walk(dir, func(string) {}, func(d string) { s.watch(d, false) })
}

// watch adds a watch for the folder dir; again, when force is set, even if
// the watcher believes it has one (fsnotify drops the watches of folders
// that went away, and an event about it may have been lost).
func (s *session) watch(dir string, force bool) {
	if s.dirs[dir] && !force {
		return
	}
	s.dirs[dir] = true
	if s.fw == nil {
		return
	}
	if err := s.fw.Add(s.w.abs(dir)); err != nil {
		// Most likely the system's limit on watches; rescans still see
		// the folder's changes.
		s.w.log.Warn("cannot watch folder", "dir", s.w.abs(dir), "err", err)
	}
}

// unwatchTree removes the watches of the folder dir and those under it.
// Removing them before anything is watched under a new name matters:
// inotify would hand a moved folder's watch, with its old name, back.
func (s *session) unwatchTree(dir string) {
	for d := range s.dirs {
		if d == dir || strings.HasPrefix(d, dir+"/") {
			delete(s.dirs, d)
			if s.fw != nil {
				// The watch is often gone already, with the folder.
				_ = s.fw.Remove(s.w.abs(d))
			}
		}
	}
}

// walk visits the folder dir and everything under it that is not hidden,
// calling file with the ID of each article file and folder with each
// folder. Unreadable folders are logged and skipped.
func (s *session) walk(dir string, file, folder func(string)) {
	start := s.w.abs(dir)
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		rel, relErr := filepath.Rel(s.w.root, p)
		if relErr != nil {
			return relErr
		}
		id := filepath.ToSlash(rel)
		if err != nil {
			if p != start || !errors.Is(err, fs.ErrNotExist) {
				s.w.log.Warn("cannot read corpus folder", "dir", p, "err", err)
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != start && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			folder(id)
		case isArticleFile(id):
			file(id)
		}
		return nil
	})
	if err != nil {
		s.w.log.Warn("cannot read corpus folder", "dir", start, "err", err)
	}
}

// flush reads what is dirty and applies the change. It reports false when
// the dirty set must be tried again later.
func (s *session) flush(ctx context.Context, apply func(context.Context, Change) error) bool {
	w := s.w
	if len(s.dirty) == 0 {
		return true
	}
	start := w.opts.Now()
	lag := time.Since(s.first)
	keys := s.dirty
	s.dirty = map[string]bool{}

	if _, err := os.Stat(w.root); err != nil {
		// An unmounted or deleted folder is not a folder without
		// articles: keep everything as it is until it is back.
		w.log.Warn("corpus folder unavailable, keeping the index as it is", "dir", w.root, "err", err)
		s.retry(keys)
		return false
	}

	var ch Change
	broken := map[string]string{} // fingerprints of ch.Problems
	for _, id := range s.expand(keys) {
		if ctx.Err() != nil {
			return false
		}
		f := w.inspect(id)
		old, indexed := w.known[id]
		switch {
		case f.gone:
			delete(w.bad, id)
			if indexed {
				ch.Removed = append(ch.Removed, id)
			}
		case f.err == nil && f.hash == old:
			delete(w.bad, id) // unchanged, or back to the version indexed
		case f.fingerprint() == w.bad[id]:
			// Still broken the same way: reported already.
		default:
			a, err := f.parse(id)
			if err != nil {
				ch.Problems = append(ch.Problems, err)
				broken[id] = f.fingerprint()
				continue
			}
			ch.Put = append(ch.Put, a)
		}
	}
	if ch.empty() {
		s.succeeded()
		return true
	}
	for _, p := range ch.Problems {
		_, indexed := w.known[p.Path]
		w.log.Warn("article file unreadable, keeping the version indexed before", "file", p.Path, "indexed", indexed, "err", p.Err)
	}

	if err := apply(ctx, ch); err != nil {
		if ctx.Err() != nil {
			return false
		}
		// What the index holds of these articles is now uncertain: make
		// sure the next read reports each, whatever it finds.
		for _, a := range ch.Put {
			w.known[a.ID] = ""
		}
		for _, id := range ch.Removed {
			w.known[id] = ""
		}
		retry := map[string]bool{}
		for _, a := range ch.Put {
			retry[a.ID] = true
		}
		for _, id := range ch.Removed {
			retry[id] = true
		}
		for _, p := range ch.Problems {
			retry[p.Path] = true
		}
		s.retry(retry)
		w.log.Error("apply corpus change failed, will retry", "put", len(ch.Put), "removed", len(ch.Removed),
			"failures", s.failures, "retry_in", time.Until(s.retryAt).Round(time.Millisecond), "err", err)
		return false
	}

	for _, a := range ch.Put {
		w.known[a.ID] = a.Hash
		delete(w.bad, a.ID)
	}
	for _, id := range ch.Removed {
		delete(w.known, id)
	}
	for id, fp := range broken {
		w.bad[id] = fp
	}
	s.succeeded()
	w.log.Info("corpus change applied", "put", len(ch.Put), "removed", len(ch.Removed), "problems", len(ch.Problems),
		"lag", lag.Round(time.Millisecond), "took", w.opts.Now().Sub(start).Round(time.Millisecond))
	return true
}

// retry puts keys back into the dirty set and delays the next flush, by
// Debounce after the first failure and twice as long after each next one,
// up to Rescan (DefaultRescan when rescans are off).
func (s *session) retry(keys map[string]bool) {
	now := time.Now()
	for k := range keys {
		s.mark(k, now)
	}
	s.failures++
	limit := s.w.opts.Rescan
	if limit <= 0 {
		limit = DefaultRescan
	}
	delay := min(s.w.opts.Debounce<<min(s.failures-1, 16), limit)
	s.retryAt = now.Add(delay)
}

func (s *session) succeeded() {
	s.failures = 0
	s.retryAt = time.Time{}
}

// expand turns dirty keys into the sorted IDs of the article files to
// read: the files in dirty folders, on disk or known from before.
func (s *session) expand(keys map[string]bool) []string {
	w := s.w
	ids := map[string]bool{}
	file := func(id string) { ids[id] = true }
	if keys[rootKey] {
		// A full read: also (re)watch every folder, and forget those
		// that are gone.
		seen := map[string]bool{}
		s.walk(".", file, func(d string) {
			seen[d] = true
			s.watch(d, true)
		})
		for d := range s.dirs {
			if !seen[d] {
				s.unwatchTree(d)
			}
		}
		for id := range w.known {
			ids[id] = true
		}
		for id := range w.bad {
			ids[id] = true
		}
	} else {
		for key := range keys {
			dir, ok := strings.CutSuffix(key, "/")
			if !ok {
				ids[key] = true
				continue
			}
			if info, err := os.Lstat(w.abs(dir)); err == nil && info.IsDir() {
				s.walk(dir, file, func(d string) { s.watch(d, false) })
			}
			for id := range w.known {
				if strings.HasPrefix(id, key) {
					ids[id] = true
				}
			}
			for id := range w.bad {
				if strings.HasPrefix(id, key) {
					ids[id] = true
				}
			}
		}
	}
	out := make([]string, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// abs returns the file path of a relative, slash-separated path.
func (w *Watcher) abs(rel string) string {
	return filepath.Join(w.root, filepath.FromSlash(rel))
}

// hidden reports whether any element of the slash-separated path id starts
// with a dot, as corpus.Load skips.
func hidden(id string) bool {
	for elem := range strings.SplitSeq(id, "/") {
		if strings.HasPrefix(elem, ".") {
			return true
		}
	}
	return false
}

// isArticleFile reports whether name has an extension corpus.Load reads.
func isArticleFile(name string) bool {
	ext := filepath.Ext(name)
	return strings.EqualFold(ext, ".md") || strings.EqualFold(ext, ".txt")
}
