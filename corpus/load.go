package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// MaxFileSize is the largest article file, in bytes, that Parse and Load
// accept.
const MaxFileSize = 5 << 20

// Reasons an article file is rejected, wrapped in a *FileError; check them
// with errors.Is.
var (
	ErrTooLarge       = errors.New("file too large")
	ErrBinary         = errors.New("binary content")
	ErrEmpty          = errors.New("no body text")
	ErrBadFrontMatter = errors.New("bad front matter")
	ErrBadDate        = errors.New("bad published date")
	// ErrLink reports a symbolic link: links are not followed, so that
	// nothing outside the corpus folder can be read into the index.
	ErrLink = errors.New("symbolic link, not followed")
)

// FileError is an article file that could not be read or parsed.
type FileError struct {
	// Path is the file's ID: its path relative to the corpus root, with
	// forward slashes.
	Path string
	Err  error
}

// Error returns the path and the reason, e.g.
// "sudan.md: bad front matter: yaml: [3:1] …".
func (e *FileError) Error() string {
	if e.Err == nil {
		return e.Path + ": unknown error"
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns the reason, so errors.Is(err, ErrEmpty) and the like work.
func (e *FileError) Unwrap() error { return e.Err }

// Load reads the articles under dir: see LoadFS. The error is non-nil only
// when dir itself cannot be read.
func Load(dir string) ([]Article, []*FileError, error) {
	return LoadWith(dir, LoadOptions{})
}

// LoadOptions tune LoadWith. The zero value reads every file.
type LoadOptions struct {
	// Known, when set, is asked about each file before it is read: it
	// returns the hash of the file id as it was read before, and true, if
	// the file still has the stamp st it had then. Such a file is not read
	// again; its article comes back Unread.
	Known func(id string, st Stamp) (hash string, ok bool)
	// Now reads the clock; time.Now when nil.
	Now func() time.Time
}

// freshFile is how recently a file may have been modified for its stamp to
// be left unknown: a file changed again within its file system's time
// granularity (a second or two on some) could keep its stamp.
const freshFile = 2 * time.Second

// LoadWith is Load with options: files that opts.Known says are unchanged
// are not read, and come back as Unread articles with only ID, Hash and
// File set.
func LoadWith(dir string, opts LoadOptions) ([]Article, []*FileError, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("load corpus: %w", err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("load corpus %q: not a directory", dir)
	}
	arts, bad, err := loadFS(os.DirFS(dir), opts)
	if err != nil {
		return nil, nil, fmt.Errorf("load corpus %q: %w", dir, err)
	}
	return arts, bad, nil
}

// LoadFS reads every article file in fsys, recursively: "*.md" and "*.txt"
// (in any case); other files and hidden files and folders (".git") are
// skipped. Articles come back sorted by ID.
//
// A file that cannot be read or parsed is left out and reported as a
// *FileError instead (sorted by Path); the other files still load. The
// error is non-nil only when the root of fsys cannot be read. Files are
// read concurrently, so fsys must be safe for concurrent use, as
// os.DirFS, embed.FS and fstest.MapFS are.
func LoadFS(fsys fs.FS) ([]Article, []*FileError, error) {
	return loadFS(fsys, LoadOptions{})
}

func loadFS(fsys fs.FS, opts LoadOptions) ([]Article, []*FileError, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	now := opts.Now()
	var ids []string
	var bad []*FileError
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			bad = append(bad, &FileError{Path: p, Err: fmt.Errorf("read: %w", err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if isArticleFile(p) {
				bad = append(bad, &FileError{Path: p, Err: ErrLink})
			}
			return nil
		}
		if !d.IsDir() && isArticleFile(p) {
			ids = append(ids, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read corpus root: %w", err)
	}

	// Reading and parsing is independent per file; spread it over the CPUs
	// because a corpus may hold tens of thousands of files.
	arts := make([]Article, len(ids))
	errs := make([]*FileError, len(ids))
	skip := make([]bool, len(ids))
	var wg sync.WaitGroup
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), len(ids)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ids) {
					return
				}
				arts[i], skip[i], errs[i] = loadFile(fsys, ids[i], now, opts.Known)
			}
		})
	}
	wg.Wait()

	loaded := arts[:0]
	for i := range ids {
		switch {
		case errs[i] != nil:
			bad = append(bad, errs[i])
		case !skip[i]:
			loaded = append(loaded, arts[i])
		}
	}
	// WalkDir visits each folder in name order, which is not the order of
	// whole paths ("a/b.md" comes before "a-c.md"); sort to be sure.
	slices.SortFunc(loaded, func(a, b Article) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(bad, func(a, b *FileError) int { return strings.Compare(a.Path, b.Path) })
	return slices.Clip(loaded), bad, nil
}

// isArticleFile reports whether name has an extension Load reads.
func isArticleFile(name string) bool {
	ext := path.Ext(name)
	return strings.EqualFold(ext, ".md") || strings.EqualFold(ext, ".txt")
}

// loadFile reads and parses the file id of fsys, unless known says that
// it is unchanged since it was last read. It reports skip for things that
// are not regular files (a symbolic link to a folder, a device), which
// Load ignores like other non-article files.
func loadFile(fsys fs.FS, id string, now time.Time, known func(string, Stamp) (string, bool)) (a Article, skip bool, ferr *FileError) {
	if known != nil {
		if info, err := fs.Stat(fsys, id); err == nil && info.Mode().IsRegular() {
			if st := stampOf(info, now); !st.IsZero() {
				if hash, ok := known(id, st); ok {
					return Article{ID: id, Hash: hash, File: st, Unread: true}, false, nil
				}
			}
		}
	}
	f, err := fsys.Open(id)
	if err != nil {
		return Article{}, false, &FileError{Path: id, Err: fmt.Errorf("read: %w", err)}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Article{}, false, &FileError{Path: id, Err: fmt.Errorf("read: %w", err)}
	}
	if !info.Mode().IsRegular() {
		return Article{}, true, nil
	}
	if info.Size() > MaxFileSize {
		return Article{}, false, &FileError{Path: id, Err: tooLarge(info.Size())}
	}
	// Read one byte past the limit so a file that grew since Stat is
	// still caught, into a buffer of the size Stat gave (with room for
	// the read that finds the end), in one read where io.ReadAll took
	// several.
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return Article{}, false, &FileError{Path: id, Err: fmt.Errorf("read: %w", err)}
	}
	data := buf.Bytes()
	a, err = Parse(id, data)
	if err != nil {
		if errors.As(err, &ferr) {
			return Article{}, false, ferr
		}
		return Article{}, false, &FileError{Path: id, Err: err}
	}
	// The stamp is the one taken before reading: if the file changed while
	// it was read, its next stamp differs and it is read again.
	a.File = stampOf(info, now)
	return a, false, nil
}

// stampOf returns the stamp of a file as of now: unknown when the file
// has no modification time (embedded files) or was modified too recently
// to tell a later change by its time (see freshFile).
func stampOf(info fs.FileInfo, now time.Time) Stamp {
	mod := info.ModTime()
	if mod.IsZero() || now.Sub(mod) < freshFile {
		return Stamp{}
	}
	return Stamp{Size: info.Size(), Modified: mod}
}

func tooLarge(size int64) error {
	return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, MaxFileSize)
}

// Parse parses one article file: id names it (and its extension picks the
// format) and data holds its bytes.
//
// A ".md" file may start with YAML front matter between "---" lines, with
// the keys title, source, url and published (RFC 3339, or a date such as
// 2026-05-09, read as midnight UTC), all optional; other keys are ignored.
// If the front matter has no title, a "# Heading" opening the body is the
// title. Without front matter, the first non-blank line is the title,
// without its "#" marks. Any other file is plain text whose first
// non-blank line is the title. In both formats every other non-blank line
// is a paragraph, trimmed; in Markdown, heading marks and thematic breaks
// ("---") are dropped. A UTF-8 byte order mark and CRLF line ends are
// accepted.
//
// Errors are *FileError values wrapping ErrTooLarge, ErrBinary,
// ErrBadFrontMatter, ErrBadDate or ErrEmpty.
func Parse(id string, data []byte) (Article, error) {
	a, err := parse(id, data)
	if err != nil {
		return Article{}, &FileError{Path: id, Err: err}
	}
	return a, nil
}

func parse(id string, data []byte) (Article, error) {
	if len(data) > MaxFileSize {
		return Article{}, tooLarge(int64(len(data)))
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return Article{}, fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
	}
	if !utf8.Valid(data) {
		return Article{}, fmt.Errorf("%w: not valid UTF-8", ErrBinary)
	}
	sum := sha256.Sum256(data)
	a := Article{ID: id, Hash: hex.EncodeToString(sum[:])}

	text := string(bytes.TrimPrefix(data, []byte("\uFEFF")))
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	if strings.TrimSpace(text) == "" {
		return Article{}, fmt.Errorf("%w: file is blank", ErrEmpty)
	}

	var lines []string
	titled := false // whether the title is settled, even if empty
	if strings.EqualFold(path.Ext(id), ".md") {
		body, found, err := a.readFrontMatter(text)
		if err != nil {
			return Article{}, err
		}
		titled = found
		lines = markdownLines(body)
	} else {
		lines = plainLines(text)
	}
	if !titled && len(lines) > 0 {
		a.Title, lines = lines[0], lines[1:]
	}
	if len(lines) == 0 {
		return Article{}, ErrEmpty
	}
	a.Paragraphs = lines
	return a, nil
}

// frontMatter is the YAML header of a Markdown article.
type frontMatter struct {
	Title     string `yaml:"title"`
	Source    string `yaml:"source"`
	URL       string `yaml:"url"`
	Published string `yaml:"published"`
}

// readFrontMatter fills a's metadata from the front matter that text
// starts with, if any (found), and returns the rest of text. When there is
// front matter without a title, a leading "# Heading" in the body is the
// title.
func (a *Article) readFrontMatter(text string) (body string, found bool, err error) {
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimRight(first, " \t") != "---" {
		return text, false, nil
	}
	// The YAML runs from the newline that ends the opening "---", so that
	// line numbers in YAML errors are line numbers in the file.
	yamlStart := len(first)
	for len(rest) > 0 {
		yamlEnd := len(text) - len(rest)
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if strings.TrimRight(line, " \t") == "---" {
			fm, ok := simpleFrontMatter(text[yamlStart:yamlEnd])
			if !ok {
				if err := yaml.Unmarshal([]byte(text[yamlStart:yamlEnd]), &fm); err != nil {
					return "", true, fmt.Errorf("%w: %w", ErrBadFrontMatter, yamlError{err})
				}
			}
			a.Title = strings.TrimSpace(fm.Title)
			a.Source = strings.TrimSpace(fm.Source)
			a.URL = strings.TrimSpace(fm.URL)
			if a.Published, err = parseDate(fm.Published); err != nil {
				return "", true, err
			}
			if a.Title == "" {
				if title, after, ok := leadingHeading(rest); ok {
					a.Title, rest = title, after
				}
			}
			return rest, true, nil
		}
	}
	return "", true, fmt.Errorf("%w: no closing ---", ErrBadFrontMatter)
}

// leadingHeading returns the text of the "# Heading" that is the first
// non-blank line of body, and the body after it.
func leadingHeading(body string) (title, rest string, ok bool) {
	for len(body) > 0 {
		var line string
		line, rest, _ = strings.Cut(body, "\n")
		if line = strings.TrimSpace(line); line != "" {
			if h, ok := strings.CutPrefix(line, "# "); ok {
				return strings.TrimSpace(h), rest, true
			}
			return "", "", false
		}
		body = rest
	}
	return "", "", false
}

// yamlError gives a YAML error a one-line message, without the source
// excerpt the yaml package adds.
type yamlError struct{ err error }

func (e yamlError) Error() string { return "yaml: " + yaml.FormatError(e.err, false, false) }
func (e yamlError) Unwrap() error { return e.err }

// parseDate reads a published date: RFC 3339 or a plain date (midnight
// UTC); the empty string is the zero time.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	const day = "2006-01-02"
	if len(s) == len(day) {
		t, err := time.Parse(day, s)
		if err != nil {
			return time.Time{}, badDate(s)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		// YAML timestamps may put a space between date and time.
		if t2, err2 := time.Parse("2006-01-02 15:04:05Z07:00", s); err2 == nil {
			return t2, nil
		}
		return time.Time{}, badDate(s)
	}
	return t, nil
}

// badDate says that s is not a date parseDate reads, in words rather than
// in Go's time layouts.
func badDate(s string) error {
	return fmt.Errorf("%w %q: write a date such as 2026-05-09, or a date and time such as 2026-05-09T14:30:00Z", ErrBadDate, s)
}

// plainLines returns the non-blank lines of text, trimmed.
func plainLines(text string) []string {
	lines := make([]string, 0, strings.Count(text, "\n")+1)
	for line := range strings.Lines(text) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// markdownLines is plainLines for Markdown: heading marks are dropped
// ("## Background" is the paragraph "Background") and so are thematic
// breaks ("---", "***").
func markdownLines(text string) []string {
	lines := plainLines(text)
	kept := lines[:0]
	for _, line := range lines {
		if isThematicBreak(line) {
			continue
		}
		if h := strings.TrimLeft(line, "#"); len(h) < len(line) && len(line)-len(h) <= 6 &&
			(h == "" || h[0] == ' ' || h[0] == '\t') {
			if line = strings.TrimSpace(h); line == "" {
				continue
			}
		}
		kept = append(kept, line)
	}
	return kept
}

// isThematicBreak reports whether line is a Markdown rule: three or more
// of the same '-', '*' or '_', perhaps spaced.
func isThematicBreak(line string) bool {
	if line == "" || !strings.ContainsRune("-*_", rune(line[0])) {
		return false
	}
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case line[0]:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}
