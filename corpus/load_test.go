package corpus_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"attache/corpus"
)

func TestParse(t *testing.T) {
	date := func(s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name string
		id   string
		data string
		want corpus.Article // Hash and ID are checked apart
	}{
		{
			name: "front matter",
			id:   "sudan.md",
			data: "---\ntitle: Sudan talks resume\nsource: Fixture Wire\nurl: https://fixtures.invalid/sudan\npublished: 2026-05-09T10:00:00Z\n---\nFirst paragraph.\nSecond paragraph.\n",
			want: corpus.Article{
				Title: "Sudan talks resume", Source: "Fixture Wire", URL: "https://fixtures.invalid/sudan",
				Published:  date("2026-05-09T10:00:00Z"),
				Paragraphs: []string{"First paragraph.", "Second paragraph."},
			},
		},
		{
			name: "plain date",
			id:   "a.md",
			data: "---\ntitle: T\npublished: 2026-05-09\n---\nBody.\n",
			want: corpus.Article{Title: "T", Published: date("2026-05-09T00:00:00Z"), Paragraphs: []string{"Body."}},
		},
		{
			name: "date with offset and fraction",
			id:   "a.md",
			data: "---\npublished: 2026-05-09T10:00:00.5+02:00\ntitle: T\n---\nBody.\n",
			want: corpus.Article{Title: "T", Published: date("2026-05-09T08:00:00.5Z"), Paragraphs: []string{"Body."}},
		},
		{
			name: "date with space",
			id:   "a.md",
			data: "---\ntitle: T\npublished: 2026-05-09 10:00:00Z\n---\nBody.\n",
			want: corpus.Article{Title: "T", Published: date("2026-05-09T10:00:00Z"), Paragraphs: []string{"Body."}},
		},
		{
			name: "quoted values, unknown keys, empty published",
			id:   "a.md",
			data: "---\ntitle: \"Envoys meet: a first step\"\nurl: \"\"\npublished: \"\"\nauthor: someone\ntags: [a, b]\n---\nBody.\n",
			want: corpus.Article{Title: "Envoys meet: a first step", Paragraphs: []string{"Body."}},
		},
		{
			name: "empty front matter",
			id:   "a.md",
			data: "---\n---\nFirst.\nSecond.\n",
			want: corpus.Article{Paragraphs: []string{"First.", "Second."}},
		},
		{
			name: "front matter without title takes heading",
			id:   "a.md",
			data: "---\nsource: Wire\n---\n\n# The heading\nBody.\n",
			want: corpus.Article{Title: "The heading", Source: "Wire", Paragraphs: []string{"Body."}},
		},
		{
			name: "front matter without title keeps first line",
			id:   "a.md",
			data: "---\nsource: Wire\n---\nFirst.\nSecond.\n",
			want: corpus.Article{Source: "Wire", Paragraphs: []string{"First.", "Second."}},
		},
		{
			name: "markdown heading without front matter",
			id:   "notes.md",
			data: "# Notes from Geneva\n\nDelegates arrived.\n\nThe chair spoke.\n",
			want: corpus.Article{Title: "Notes from Geneva", Paragraphs: []string{"Delegates arrived.", "The chair spoke."}},
		},
		{
			name: "markdown first line without front matter",
			id:   "notes.MD",
			data: "Notes from Geneva\nDelegates arrived.\n",
			want: corpus.Article{Title: "Notes from Geneva", Paragraphs: []string{"Delegates arrived."}},
		},
		{
			name: "markdown body headings and rules",
			id:   "a.md",
			data: "---\ntitle: T\n---\nIntro.\n\n## Background\n---\n* * *\n#hashtag stays\n####### not a heading\nEnd.\n",
			want: corpus.Article{Title: "T", Paragraphs: []string{"Intro.", "Background", "#hashtag stays", "####### not a heading", "End."}},
		},
		{
			name: "text file",
			id:   "wto.txt",
			data: "\n  WTO sets up panel  \nThe panel was set up.\n\n\tChina objected.\n",
			want: corpus.Article{Title: "WTO sets up panel", Paragraphs: []string{"The panel was set up.", "China objected."}},
		},
		{
			name: "text file ignores front matter",
			id:   "a.txt",
			data: "---\ntitle: x\n",
			want: corpus.Article{Title: "---", Paragraphs: []string{"title: x"}},
		},
		{
			name: "BOM and CRLF",
			id:   "a.md",
			data: "\uFEFF---\r\ntitle: T\r\npublished: 2026-05-09\r\n---\r\nOne.\r\n\r\nTwo.\rThree.\r\n",
			want: corpus.Article{Title: "T", Published: date("2026-05-09T00:00:00Z"), Paragraphs: []string{"One.", "Two.", "Three."}},
		},
		{
			name: "no final newline",
			id:   "a.txt",
			data: "Title\nBody",
			want: corpus.Article{Title: "Title", Paragraphs: []string{"Body"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := corpus.Parse(tt.id, []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got.ID != tt.id {
				t.Errorf("ID=%q, want %q", got.ID, tt.id)
			}
			sum := sha256.Sum256([]byte(tt.data))
			if want := hex.EncodeToString(sum[:]); got.Hash != want {
				t.Errorf("Hash=%q, want %q", got.Hash, want)
			}
			if got.Title != tt.want.Title {
				t.Errorf("Title=%q, want %q", got.Title, tt.want.Title)
			}
			if got.Source != tt.want.Source {
				t.Errorf("Source=%q, want %q", got.Source, tt.want.Source)
			}
			if got.URL != tt.want.URL {
				t.Errorf("URL=%q, want %q", got.URL, tt.want.URL)
			}
			if !got.Published.Equal(tt.want.Published) {
				t.Errorf("Published=%v, want %v", got.Published, tt.want.Published)
			}
			if !slices.Equal(got.Paragraphs, tt.want.Paragraphs) {
				t.Errorf("Paragraphs=%q, want %q", got.Paragraphs, tt.want.Paragraphs)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		data    string
		want    error
		message string // a prefix of the error message
	}{
		{"bad YAML", "sudan.md", "---\ntitle: a: b\n---\nBody.\n", corpus.ErrBadFrontMatter,
			"sudan.md: bad front matter: yaml: [2:8] mapping value is not allowed"},
		{"YAML not a mapping", "a.md", "---\n- a\n- b\n---\nBody.\n", corpus.ErrBadFrontMatter,
			"a.md: bad front matter: yaml: [2:1]"},
		{"YAML wrong type", "a.md", "---\ntitle:\n  nested: map\n---\nBody.\n", corpus.ErrBadFrontMatter,
			"a.md: bad front matter: yaml: "},
		{"unclosed front matter", "a.md", "---\ntitle: T\nBody.\n", corpus.ErrBadFrontMatter,
			"a.md: bad front matter: no closing ---"},
		{"bad date", "a.md", "---\npublished: 2026-13-01\n---\nBody.\n", corpus.ErrBadDate,
			`a.md: bad published date "2026-13-01": write a date such as 2026-05-09`},
		{"date in words", "a.md", "---\npublished: last Friday\n---\nBody.\n", corpus.ErrBadDate,
			`a.md: bad published date "last Friday": write a date such as 2026-05-09`},
		{"NUL byte", "a.txt", "Title\nBo\x00dy\n", corpus.ErrBinary, "a.txt: binary content: NUL byte at offset 8"},
		{"invalid UTF-8", "a.txt", "Caf\xe9\nBody\n", corpus.ErrBinary, "a.txt: binary content: not valid UTF-8"},
		{"empty", "a.md", "", corpus.ErrEmpty, "a.md: no body text"},
		{"blank", "a.txt", " \n\r\n\t\n", corpus.ErrEmpty, "a.txt: no body text"},
		{"only BOM", "a.txt", "\uFEFF", corpus.ErrEmpty, "a.txt: no body text"},
		{"front matter only", "a.md", "---\ntitle: T\n---\n\n", corpus.ErrEmpty, "a.md: no body text"},
		{"heading only", "a.md", "# Title\n", corpus.ErrEmpty, "a.md: no body text"},
		{"title only", "a.txt", "Title\n\n", corpus.ErrEmpty, "a.txt: no body text"},
		{"too large", "big.txt", "Title\n" + strings.Repeat("x", corpus.MaxFileSize), corpus.ErrTooLarge,
			"big.txt: file too large: 5242886 bytes, limit 5242880"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := corpus.Parse(tt.id, []byte(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v, want %v", err, tt.want)
			}
			var ferr *corpus.FileError
			if !errors.As(err, &ferr) || ferr.Path != tt.id {
				t.Fatalf("Parse error = %#v, want a *FileError for %q", err, tt.id)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tt.message) || strings.Contains(msg, "\n") {
				t.Fatalf("Error()=%q, want one line starting %q", msg, tt.message)
			}
			// Go's reference time is jargon to whoever wrote the file.
			if msg := err.Error(); strings.Contains(msg, "2006") || strings.Contains(msg, "parsing time") {
				t.Errorf("Error()=%q speaks in Go time layouts", msg)
			}
		})
	}
}

func TestParseLimit(t *testing.T) {
	// Exactly MaxFileSize bytes is allowed.
	data := []byte("Title\n" + strings.Repeat("x", corpus.MaxFileSize-len("Title\n")))
	if _, err := corpus.Parse("max.txt", data); err != nil {
		t.Fatalf("Parse of %d bytes: %v", len(data), err)
	}
}

func TestLoad(t *testing.T) {
	arts, bad, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	wantIDs := []string{
		"2026/may/crlf-bom.md",
		"2026/notes.md",
		"sudan-ceasefire-talks-doha.md",
		"wto-fisheries-subsidies-dispute-geneva.txt",
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("IDs=%q, want %q", ids, wantIDs)
	}

	wantBad := []struct {
		path string
		err  error
	}{
		{"bad/bad-date.md", corpus.ErrBadDate},
		{"bad/bad-yaml.md", corpus.ErrBadFrontMatter},
		{"bad/binary.txt", corpus.ErrBinary},
		{"bad/empty.md", corpus.ErrEmpty},
		{"bad/front-matter-only.md", corpus.ErrEmpty},
		{"bad/latin1.txt", corpus.ErrBinary},
		{"bad/unclosed.md", corpus.ErrBadFrontMatter},
	}
	if len(bad) != len(wantBad) {
		t.Fatalf("got %d file errors %v, want %d", len(bad), bad, len(wantBad))
	}
	for i, w := range wantBad {
		if bad[i].Path != w.path || !errors.Is(bad[i], w.err) {
			t.Errorf("file error %d = %v, want %s: %v", i, bad[i], w.path, w.err)
		}
	}

	tests := []struct {
		id        string
		title     string
		source    string
		url       string
		published string
		paras     int
	}{
		{"2026/may/crlf-bom.md", "Envoys meet: a first step", "Test Wire", "https://example.invalid/crlf", "2026-05-09T00:00:00Z", 2},
		{"2026/notes.md", "Notes from the Geneva talks", "", "", "", 2},
		{"sudan-ceasefire-talks-doha.md", "Sudan's warring sides to resume ceasefire talks in Doha on Tuesday", "Fixture Wire",
			"https://fixtures.invalid/sudan-ceasefire-talks-doha", "2026-05-09T10:00:00Z", 9},
		{"wto-fisheries-subsidies-dispute-geneva.txt", "WTO sets up first dispute panel under fisheries subsidies pact", "", "", "", 10},
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			a := arts[i]
			if a.Title != tt.title {
				t.Errorf("Title=%q, want %q", a.Title, tt.title)
			}
			if a.Source != tt.source {
				t.Errorf("Source=%q, want %q", a.Source, tt.source)
			}
			if a.URL != tt.url {
				t.Errorf("URL=%q, want %q", a.URL, tt.url)
			}
			if got := formatTime(a.Published); got != tt.published {
				t.Errorf("Published=%q, want %q", got, tt.published)
			}
			if len(a.Paragraphs) != tt.paras {
				t.Errorf("got %d paragraphs %q, want %d", len(a.Paragraphs), a.Paragraphs, tt.paras)
			}
			data, err := os.ReadFile(filepath.Join("testdata/corpus", filepath.FromSlash(a.ID)))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if want := hex.EncodeToString(sum[:]); a.Hash != want {
				t.Errorf("Hash=%q, want %q", a.Hash, want)
			}
		})
	}
}

// formatTime formats t as RFC 3339, or "" when t is zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func TestLoadTooLarge(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "small.md"), "---\ntitle: Small\n---\nBody.\n")
	big := "---\ntitle: Big\n---\n" + strings.Repeat("A sentence of body text.\n", corpus.MaxFileSize/24)
	writeFile(t, filepath.Join(dir, "big.md"), big)

	arts, bad, err := corpus.Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(arts) != 1 || arts[0].ID != "small.md" {
		t.Fatalf("articles=%v, want only small.md", arts)
	}
	if len(bad) != 1 || bad[0].Path != "big.md" || !errors.Is(bad[0], corpus.ErrTooLarge) {
		t.Fatalf("file errors=%v, want big.md too large", bad)
	}
}

func TestLoadRoot(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file.md")
	writeFile(t, file, "Title\nBody.\n")
	tests := []struct {
		name string
		dir  string
		want error // nil to check only that there is an error
	}{
		{"missing", filepath.Join(dir, "missing"), fs.ErrNotExist},
		{"a file", file, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, bad, err := corpus.Load(tt.dir)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Load error = %v, want %v", err, tt.want)
			}
			if arts != nil || bad != nil {
				t.Fatalf("Load returned %v and %v with an error", arts, bad)
			}
		})
	}
}

func TestLoadEmptyDir(t *testing.T) {
	arts, bad, err := corpus.Load(t.TempDir())
	if err != nil || len(arts) != 0 || len(bad) != 0 {
		t.Fatalf("Load of an empty folder = %v, %v, %v; want nothing", arts, bad, err)
	}
}

// failingFS is an fs.FS whose Open fails for the names in fail.
type failingFS struct {
	fs.FS
	fail map[string]bool
}

func (f failingFS) Open(name string) (fs.File, error) {
	if f.fail[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Open(name)
}

func TestLoadFS(t *testing.T) {
	good := &fstest.MapFile{Data: []byte("Title\nBody.\n")}
	fsys := fstest.MapFS{
		"b.md":             good,
		"a/z.txt":          good,
		"a/b/c.md":         good,
		"a-c.md":           good,
		"UPPER.TXT":        good,
		".hidden.md":       good,
		".git/x.md":        good,
		"a/.cache/y.md":    good,
		"notes.markdown":   good,
		"data.json":        good,
		"locked/x.md":      good,
		"unreadable.md":    good,
		"no-extension":     good,
		"dir.md/inside.md": good,
	}
	arts, bad, err := corpus.LoadFS(failingFS{fsys, map[string]bool{"locked": true, "unreadable.md": true}})
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	// Sorted as whole paths: "a-c.md" before "a/b/c.md".
	want := []string{"UPPER.TXT", "a-c.md", "a/b/c.md", "a/z.txt", "b.md", "dir.md/inside.md"}
	if !slices.Equal(ids, want) {
		t.Fatalf("IDs=%q, want %q", ids, want)
	}
	var paths []string
	for _, e := range bad {
		if !errors.Is(e, fs.ErrPermission) {
			t.Errorf("file error %v, want permission denied", e)
		}
		paths = append(paths, e.Path)
	}
	if want := []string{"locked", "unreadable.md"}; !slices.Equal(paths, want) {
		t.Fatalf("file errors for %q, want %q", paths, want)
	}
}

func TestLoadFSUnreadableRoot(t *testing.T) {
	fsys := failingFS{fstest.MapFS{}, map[string]bool{".": true}}
	if _, _, err := corpus.LoadFS(fsys); !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("LoadFS error = %v, want permission denied", err)
	}
}

func TestEmbedded(t *testing.T) {
	arts, bad, err := corpus.LoadFS(corpus.Embedded())
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	if len(bad) != 0 {
		t.Fatalf("file errors: %v", bad)
	}
	i := slices.IndexFunc(arts, func(a corpus.Article) bool { return a.ID == "alaska-summit-starmer-zelensky.md" })
	if i < 0 {
		t.Fatalf("seed article missing from %d embedded articles", len(arts))
	}
	a := arts[i]
	if want := time.Date(2025, 8, 14, 9, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("Published=%v, want %v", a.Published, want)
	}
	if !strings.Contains(a.Title, "Starmer and Zelensky") {
		t.Errorf("Title=%q, want the seed article's", a.Title)
	}
	ps := a.Passages()
	if len(ps) <= len(a.Paragraphs) {
		t.Errorf("got %d passages from %d paragraphs, want more", len(ps), len(a.Paragraphs))
	}
	for i, p := range ps {
		if p.Position != i || p.ArticleID != a.ID {
			t.Fatalf("passage %d = %+v, want Position %d and ArticleID %q", i, p, i, a.ID)
		}
	}
}

func writeFile(tb testing.TB, name, data string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("articles/alaska-summit-starmer-zelensky.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := corpus.Parse("alaska-summit-starmer-zelensky.md", data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoadSkipsSymlinks(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("Secret\nroot:x:0:0:root:/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "real.txt"), []byte("Title\nA real article.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	arts, bad, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].ID != "real.txt" {
		t.Fatalf("loaded %d articles (%v), want only real.txt", len(arts), arts)
	}
	if len(bad) != 1 || !errors.Is(bad[0], corpus.ErrLink) || bad[0].Path != "link.txt" {
		t.Fatalf("problems = %v, want link.txt reported as a link", bad)
	}
}

func TestLoadWithKnown(t *testing.T) {
	dir := t.TempDir()
	old := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	write := func(name, text string, mod time.Time) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	write("old.md", "# Old talks\nThey met.\n", old)
	write("fresh.md", "# Fresh talks\nThey met again.\n", old.Add(time.Hour))
	now := func() time.Time { return old.Add(time.Hour + time.Second) }

	arts, _, err := corpus.LoadWith(dir, corpus.LoadOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	stamps := map[string]corpus.Stamp{}
	hashes := map[string]string{}
	for _, a := range arts {
		stamps[a.ID], hashes[a.ID] = a.File, a.Hash
	}
	if st := stamps["old.md"]; st.Size != 22 || !st.Modified.Equal(old) {
		t.Fatalf("old.md stamp = %+v, want 22 bytes modified %s", st, old)
	}
	// A file changed within the last freshFile could change again
	// unseen by a coarse clock: its stamp is left unknown.
	if st := stamps["fresh.md"]; !st.IsZero() {
		t.Fatalf("fresh.md stamp = %+v, want none", st)
	}

	known := func(id string, st corpus.Stamp) (string, bool) {
		if st.Equal(stamps[id]) {
			return hashes[id], true
		}
		return "", false
	}
	arts, _, err = corpus.LoadWith(dir, corpus.LoadOptions{Known: known, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if unread := a.ID == "old.md"; a.Unread != unread || a.Hash != hashes[a.ID] {
			t.Fatalf("%s: Unread=%v Hash=%q, want Unread=%v Hash=%q", a.ID, a.Unread, a.Hash, unread, hashes[a.ID])
		}
		if a.Unread && (a.Title != "" || len(a.Paragraphs) != 0 || !a.File.Equal(stamps[a.ID])) {
			t.Fatalf("unread %s = %+v, want only ID, Hash and File", a.ID, a)
		}
	}

	// Another size, or another time, and the file is read again.
	write("old.md", "# Old talks\nThey met twice.\n", old)
	arts, _, _ = corpus.LoadWith(dir, corpus.LoadOptions{Known: known, Now: now})
	if arts[1].ID != "old.md" || arts[1].Unread || arts[1].Paragraphs[0] != "They met twice." {
		t.Fatalf("old.md after a change of size = %+v, want read again", arts[1])
	}
	write("old.md", "# Old talks\nThey met.\n", old.Add(time.Minute))
	arts, _, _ = corpus.LoadWith(dir, corpus.LoadOptions{Known: known, Now: now})
	if arts[1].Unread {
		t.Fatalf("old.md after a change of time = %+v, want read again", arts[1])
	}
}
