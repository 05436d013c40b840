package watch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/corpus"
	"attache/corpus/watch"
)

// patience bounds every wait for the watcher: the promise is 5 seconds.
const patience = 5 * time.Second

// testOptions are quick to settle; rescans are left to the test that needs
// them.
func testOptions() watch.Options {
	return watch.Options{Debounce: 30 * time.Millisecond, Rescan: time.Hour}
}

// recorder is an apply function that keeps what it was given.
type recorder struct {
	mu       sync.Mutex
	attempts []watch.Change // every call
	applied  []watch.Change // the calls that succeeded
	failures int            // how many calls to fail before succeeding
}

func (r *recorder) apply(_ context.Context, c watch.Change) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts = append(r.attempts, c)
	if r.failures > 0 {
		r.failures--
		return errors.New("index unavailable")
	}
	r.applied = append(r.applied, c)
	return nil
}

func (r *recorder) changes() []watch.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.applied)
}

// waitFor polls the applied changes until cond holds, failing after
// patience.
func (r *recorder) waitFor(tb testing.TB, what string, cond func([]watch.Change) bool) {
	tb.Helper()
	deadline := time.Now().Add(patience)
	for !cond(r.changes()) {
		if time.Now().After(deadline) {
			tb.Fatalf("after %s, still waiting for %s; applied: %s", patience, what, describe(r.changes()))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// mustStart runs a Watcher over dir until the test ends, and waits until it
// is watching: a file written after mustStart returns is seen by events.
func mustStart(tb testing.TB, dir string, opts watch.Options) *recorder {
	tb.Helper()
	w, err := watch.New(dir, opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	r := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, r.apply) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("Run returned %v, want nil", err)
			}
		case <-time.After(patience):
			tb.Errorf("Run did not return after cancel")
		}
	})
	// A file written now reaches apply only once the first full read is
	// over and the watches are in place.
	ready := fmt.Sprintf("ready-%d.md", time.Now().UnixNano())
	writeFile(tb, dir, ready, article("Ready", "The watcher is ready."))
	r.waitFor(tb, "the readiness file", func(cs []watch.Change) bool { return put(cs, ready) != nil })
	if err := os.Remove(filepath.Join(dir, ready)); err != nil {
		tb.Fatal(err)
	}
	r.waitFor(tb, "the readiness file to go", func(cs []watch.Change) bool { return removed(cs, ready) })
	r.reset()
	return r
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts, r.applied = nil, nil
}

func article(title, body string) string {
	return "---\ntitle: " + title + "\n---\n" + body + "\n"
}

func writeFile(tb testing.TB, dir, name, content string) {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// put returns the last version of article id put in cs, or nil.
func put(cs []watch.Change, id string) *corpus.Article {
	var last *corpus.Article
	for _, c := range cs {
		for i := range c.Put {
			if c.Put[i].ID == id {
				last = &c.Put[i]
			}
		}
	}
	return last
}

func removed(cs []watch.Change, id string) bool {
	for _, c := range cs {
		if slices.Contains(c.Removed, id) {
			return true
		}
	}
	return false
}

func problem(cs []watch.Change, id string) *corpus.FileError {
	for _, c := range cs {
		for _, p := range c.Problems {
			if p.Path == id {
				return p
			}
		}
	}
	return nil
}

// mentions reports whether id is in any part of cs.
func mentions(cs []watch.Change, id string) bool {
	return put(cs, id) != nil || removed(cs, id) || problem(cs, id) != nil
}

func describe(cs []watch.Change) string {
	var b strings.Builder
	for i, c := range cs {
		fmt.Fprintf(&b, "\n  #%d put=[", i)
		for _, a := range c.Put {
			fmt.Fprintf(&b, " %s", a.ID)
		}
		fmt.Fprintf(&b, " ] removed=%v problems=%v", c.Removed, c.Problems)
	}
	return b.String()
}

func TestCreateModifyDelete(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.md", article("Alpha", "First version."))
	r := mustStart(t, dir, testOptions())

	// Same bytes again: nothing to apply. The next file proves that the
	// rewrite has been read, as events come in order.
	writeFile(t, dir, "a.md", article("Alpha", "First version."))
	writeFile(t, dir, "b.txt", "Bravo\nA plain text article.\n")
	r.waitFor(t, "b.txt", func(cs []watch.Change) bool { return put(cs, "b.txt") != nil })
	if cs := r.changes(); mentions(cs, "a.md") {
		t.Fatalf("unchanged rewrite of a.md was applied: %s", describe(cs))
	}
	if a := put(r.changes(), "b.txt"); a.Title != "Bravo" || len(a.Paragraphs) != 1 {
		t.Fatalf("b.txt = %+v, want title Bravo and one paragraph", a)
	}

	writeFile(t, dir, "a.md", article("Alpha", "Second version."))
	r.waitFor(t, "a.md changed", func(cs []watch.Change) bool { return put(cs, "a.md") != nil })
	if got := put(r.changes(), "a.md").Paragraphs; !slices.Equal(got, []string{"Second version."}) {
		t.Fatalf("a.md paragraphs = %q, want the second version", got)
	}

	if err := os.Remove(filepath.Join(dir, "a.md")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "a.md removed", func(cs []watch.Change) bool { return removed(cs, "a.md") })
}

func TestRename(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "old.md", article("Renamed", "Text that moves."))
	r := mustStart(t, dir, testOptions())

	if err := os.Rename(filepath.Join(dir, "old.md"), filepath.Join(dir, "new.md")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "the rename", func(cs []watch.Change) bool { return removed(cs, "old.md") && put(cs, "new.md") != nil })
	// Both halves in one change, so the article is never missing.
	if cs := r.changes(); len(cs) != 1 {
		t.Fatalf("rename took %d changes, want 1: %s", len(cs), describe(cs))
	}

	// Renamed away to a name that is not an article file: removed.
	if err := os.Rename(filepath.Join(dir, "new.md"), filepath.Join(dir, "new.md.bak")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "rename away", func(cs []watch.Change) bool { return removed(cs, "new.md") })
}

// TestEditorSave saves the way vim and others do: a probe file, a backup,
// a swap file, then the real file in bursts of writes.
func TestEditorSave(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "story.md", article("Story", "Version 0."))
	r := mustStart(t, dir, testOptions())

	for _, name := range []string{"4913", "story.md~", ".story.md.swp", ".#story.md", "#story.md#", "notes.pdf", ".hidden/x.md", "sub/.y.txt"} {
		writeFile(t, dir, name, "scratch")
	}
	os.Remove(filepath.Join(dir, "4913"))
	const writes = 20
	for i := 1; i <= writes; i++ {
		writeFile(t, dir, "story.md", article("Story", fmt.Sprintf("Version %d.", i)))
	}
	want := fmt.Sprintf("Version %d.", writes)
	r.waitFor(t, "the last version", func(cs []watch.Change) bool {
		a := put(cs, "story.md")
		return a != nil && a.Paragraphs[0] == want
	})

	cs := r.changes()
	if len(cs) > 3 {
		t.Fatalf("%d writes made %d applies, want at most 3: %s", writes, len(cs), describe(cs))
	}
	for _, c := range cs {
		if len(c.Put)+len(c.Removed)+len(c.Problems) != 1 || len(c.Put) != 1 {
			t.Fatalf("temporary files reached apply: %s", describe(cs))
		}
	}
}

func TestSubfolders(t *testing.T) {
	dir := t.TempDir()
	r := mustStart(t, dir, testOptions())

	// A file written at once into new folders, before any watch on them.
	writeFile(t, dir, "2026/05/talks.md", article("Talks", "Deep down."))
	r.waitFor(t, "2026/05/talks.md", func(cs []watch.Change) bool { return put(cs, "2026/05/talks.md") != nil })
	// Later files in the new folders come through their watches.
	writeFile(t, dir, "2026/summit.md", article("Summit", "One level down."))
	writeFile(t, dir, "2026/05/later.txt", "Later\nWritten after the folder was watched.\n")
	r.waitFor(t, "files in watched subfolders", func(cs []watch.Change) bool {
		return put(cs, "2026/summit.md") != nil && put(cs, "2026/05/later.txt") != nil
	})

	// A folder renamed: its articles move, and its watches follow.
	if err := os.Rename(filepath.Join(dir, "2026"), filepath.Join(dir, "archive")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "the folder rename", func(cs []watch.Change) bool {
		return removed(cs, "2026/05/talks.md") && removed(cs, "2026/summit.md") && removed(cs, "2026/05/later.txt") &&
			put(cs, "archive/05/talks.md") != nil && put(cs, "archive/summit.md") != nil && put(cs, "archive/05/later.txt") != nil
	})
	writeFile(t, dir, "archive/05/new.md", article("New", "In the renamed folder."))
	r.waitFor(t, "a file in the renamed folder", func(cs []watch.Change) bool { return put(cs, "archive/05/new.md") != nil })
	if cs := r.changes(); mentions(cs, "2026/05/new.md") {
		t.Fatalf("event reported under the folder's old name: %s", describe(cs))
	}

	// A folder removed: all its articles go.
	if err := os.RemoveAll(filepath.Join(dir, "archive")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, "the folder removal", func(cs []watch.Change) bool {
		for _, id := range []string{"archive/05/talks.md", "archive/summit.md", "archive/05/later.txt", "archive/05/new.md"} {
			if !removed(cs, id) {
				return false
			}
		}
		return true
	})
}

func TestBrokenFileKeepsPreviousVersion(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.md", article("Alpha", "Good version."))
	var logs syncBuffer
	opts := testOptions()
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	r := mustStart(t, dir, opts)

	broken := "---\ntitle: [unclosed\n---\nHalf saved.\n"
	writeFile(t, dir, "a.md", broken)
	r.waitFor(t, "the problem", func(cs []watch.Change) bool { return problem(cs, "a.md") != nil })
	if p := problem(r.changes(), "a.md"); !errors.Is(p, corpus.ErrBadFrontMatter) {
		t.Fatalf("problem = %v, want ErrBadFrontMatter", p)
	}
	if !strings.Contains(logs.String(), "file=a.md") {
		t.Fatalf("problem not logged with the file name; log:\n%s", logs.String())
	}

	// Broken the same way again, then a sentinel: reported once only.
	writeFile(t, dir, "a.md", broken)
	writeFile(t, dir, "z.md", article("Zulu", "Sentinel."))
	r.waitFor(t, "z.md", func(cs []watch.Change) bool { return put(cs, "z.md") != nil })
	cs := r.changes()
	if removed(cs, "a.md") || put(cs, "a.md") != nil {
		t.Fatalf("broken a.md was removed or put; the previous version must stay: %s", describe(cs))
	}
	n := 0
	for _, c := range cs {
		if problem([]watch.Change{c}, "a.md") != nil {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("a.md reported broken %d times, want 1: %s", n, describe(cs))
	}

	writeFile(t, dir, "a.md", article("Alpha", "Fixed version."))
	r.waitFor(t, "the fix", func(cs []watch.Change) bool { return put(cs, "a.md") != nil })
}

// TestRescan stands in for a network mount that drops events: with
// events off, only the periodic rescan finds changes, and it reports only
// real ones.
func TestRescan(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.md", article("Alpha", "Unchanged."))
	writeFile(t, dir, "b.md", article("Bravo", "To be removed."))
	opts := watch.WithoutEvents(testOptions())
	opts.Rescan = 50 * time.Millisecond
	r := mustStart(t, dir, opts)

	writeFile(t, dir, "a.md", article("Alpha", "Unchanged."))
	writeFile(t, dir, "sub/c.md", article("Charlie", "Found by a rescan."))
	os.Remove(filepath.Join(dir, "b.md"))
	r.waitFor(t, "the rescan", func(cs []watch.Change) bool {
		return put(cs, "sub/c.md") != nil && removed(cs, "b.md")
	})
	if cs := r.changes(); mentions(cs, "a.md") {
		t.Fatalf("rescan reported unchanged a.md: %s", describe(cs))
	}
	// Later rescans find nothing new.
	writeFile(t, dir, "d.md", article("Delta", "Sentinel."))
	r.waitFor(t, "d.md", func(cs []watch.Change) bool { return put(cs, "d.md") != nil })
	cs := r.changes()
	puts, removals := 0, 0
	for _, c := range cs {
		if put([]watch.Change{c}, "sub/c.md") != nil {
			puts++
		}
		if removed([]watch.Change{c}, "b.md") {
			removals++
		}
	}
	if puts != 1 || removals != 1 {
		t.Fatalf("sub/c.md put %d times, b.md removed %d times, want once each: %s", puts, removals, describe(cs))
	}
}

func TestRetryAfterApplyError(t *testing.T) {
	dir := t.TempDir()
	r := mustStart(t, dir, testOptions())
	r.mu.Lock()
	r.failures = 2
	r.mu.Unlock()

	writeFile(t, dir, "a.md", article("Alpha", "Must not be lost."))
	r.waitFor(t, "a.md applied", func(cs []watch.Change) bool { return put(cs, "a.md") != nil })
	r.mu.Lock()
	attempts := slices.Clone(r.attempts)
	r.mu.Unlock()
	if len(attempts) != 3 {
		t.Fatalf("%d attempts, want 3 (2 failed, 1 applied): %s", len(attempts), describe(attempts))
	}
	for i, c := range attempts {
		if put([]watch.Change{c}, "a.md") == nil {
			t.Fatalf("attempt %d lacks a.md: %s", i, describe(attempts))
		}
	}

	// A removal that fails is retried too.
	r.mu.Lock()
	r.failures = 1
	r.mu.Unlock()
	os.Remove(filepath.Join(dir, "a.md"))
	r.waitFor(t, "a.md removed", func(cs []watch.Change) bool { return removed(cs, "a.md") })
}

func TestRunStopsOnCancel(t *testing.T) {
	dir := t.TempDir()
	w, err := watch.New(dir, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, func(context.Context, watch.Change) error { return nil }) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Run did not return within 1s of cancel")
	}
}

func TestSymlinkedFolder(t *testing.T) {
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "corpus")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	r := mustStart(t, link, testOptions())
	writeFile(t, link, "sub/a.md", article("Alpha", "Through a link."))
	r.waitFor(t, "sub/a.md", func(cs []watch.Change) bool { return put(cs, "sub/a.md") != nil })
}

func TestNewMissingFolder(t *testing.T) {
	if _, err := watch.New(filepath.Join(t.TempDir(), "missing"), watch.Options{}); err == nil {
		t.Fatal("New on a missing folder: nil error")
	}
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.md":           article("Alpha", "One."),
		"sub/b.TXT":      "Bravo\nTwo.\n",
		".hidden/c.md":   article("Hidden", "Skipped."),
		"broken.md":      "---\ntitle: [x\n---\nBody.\n",
		"notes.pdf":      "not an article",
		"sub/deep/d.md":  article("Delta", "Four."),
		"sub/.e.md.swp":  "swap",
		"empty/blank.md": "   \n",
	}
	for name, content := range files {
		writeFile(t, dir, name, content)
	}
	got, err := watch.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	arts, _, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, a := range arts {
		want[a.ID] = a.Hash
	}
	if len(got) != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Scan = %v, want %v (as corpus.Load)", got, want)
	}
}

// syncBuffer is a bytes.Buffer safe for the watcher's goroutine and the
// test's.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
