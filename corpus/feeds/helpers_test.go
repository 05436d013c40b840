package feeds_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/corpus"
	"attache/corpus/feeds"
)

// mustOpen opens a Manager on a fresh folder and state file unless cfg
// names them, and closes it when the test ends.
func mustOpen(tb testing.TB, cfg feeds.Config) *feeds.Manager {
	tb.Helper()
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(tb.TempDir(), "articles")
	}
	if cfg.StatePath == "" {
		cfg.StatePath = filepath.Join(tb.TempDir(), "data", "feeds.db")
	}
	if cfg.Logger == nil && testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	m, err := feeds.Open(cfg)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

// mustAdd adds a feed that must be accepted.
func mustAdd(tb testing.TB, m *feeds.Manager, url string) feeds.Feed {
	tb.Helper()
	f, _, err := m.Add(context.Background(), url, "tester")
	if err != nil {
		tb.Fatalf("Add(%q): %v", url, err)
	}
	return f
}

func mustPollAll(tb testing.TB, m *feeds.Manager) feeds.PollStats {
	tb.Helper()
	st, err := m.PollAll(context.Background())
	if err != nil {
		tb.Fatalf("PollAll: %v", err)
	}
	return st
}

// clock is a fake clock for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// site is a loopback web server whose pages tests change as they go.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]http.HandlerFunc
	hits  map[string]int
}

func newSite(tb testing.TB) *site {
	tb.Helper()
	s := &site{pages: make(map[string]http.HandlerFunc), hits: make(map[string]int)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.pages[r.URL.Path]
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	tb.Cleanup(s.Close)
	return s
}

// handle serves path with h.
func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = h
}

// serve serves path with a fixed body.
func (s *site) serve(path, contentType, body string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	})
}

func (s *site) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) at(path string) string { return s.URL + path }

// item is a feed item for the feed builders.
type item struct {
	guid, title, link string
	published         time.Time
	summary           string   // plain text
	paras             []string // full text, as HTML paragraphs
}

func (it item) html() string {
	var b strings.Builder
	for _, p := range it.paras {
		b.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	return b.String()
}

func rssFeed(title string, items ...item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>` + html.EscapeString(title) + `</title><link>https://example.org/</link><description>test</description>
`)
	for _, it := range items {
		b.WriteString("<item><title>" + html.EscapeString(it.title) + "</title>")
		if it.link != "" {
			b.WriteString("<link>" + html.EscapeString(it.link) + "</link>")
		}
		if it.guid != "" {
			b.WriteString(`<guid isPermaLink="false">` + html.EscapeString(it.guid) + "</guid>")
		}
		if !it.published.IsZero() {
			b.WriteString("<pubDate>" + it.published.Format(time.RFC1123Z) + "</pubDate>")
		}
		if it.summary != "" {
			b.WriteString("<description>" + html.EscapeString(it.summary) + "</description>")
		}
		if len(it.paras) > 0 {
			b.WriteString("<content:encoded><![CDATA[" + it.html() + "]]></content:encoded>")
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

func atomFeed(title string, items ...item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>` + html.EscapeString(title) + `</title>
<id>urn:test:feed</id><updated>2026-05-01T00:00:00Z</updated>
`)
	for _, it := range items {
		b.WriteString("<entry><title>" + html.EscapeString(it.title) + "</title><id>" + html.EscapeString(it.guid) + "</id>")
		b.WriteString(`<link rel="alternate" href="` + html.EscapeString(it.link) + `"/>`)
		b.WriteString("<published>" + it.published.Format(time.RFC3339) + "</published>")
		b.WriteString("<updated>" + it.published.Format(time.RFC3339) + "</updated>")
		if it.summary != "" {
			b.WriteString("<summary>" + html.EscapeString(it.summary) + "</summary>")
		}
		if len(it.paras) > 0 {
			b.WriteString(`<content type="html">` + html.EscapeString(it.html()) + "</content>")
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.String()
}

func jsonFeed(title string, items ...item) string {
	type jsonItem struct {
		ID            string `json:"id"`
		URL           string `json:"url,omitempty"`
		Title         string `json:"title"`
		Summary       string `json:"summary,omitempty"`
		ContentHTML   string `json:"content_html,omitempty"`
		DatePublished string `json:"date_published,omitempty"`
	}
	doc := struct {
		Version string     `json:"version"`
		Title   string     `json:"title"`
		Items   []jsonItem `json:"items"`
	}{Version: "https://jsonfeed.org/version/1.1", Title: title}
	for _, it := range items {
		ji := jsonItem{ID: it.guid, URL: it.link, Title: it.title, Summary: it.summary}
		if len(it.paras) > 0 {
			ji.ContentHTML = it.html()
		}
		if !it.published.IsZero() {
			ji.DatePublished = it.published.Format(time.RFC3339)
		}
		doc.Items = append(doc.Items, ji)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return string(data)
}

// story returns n paragraphs of newswire-like text (about 380 characters
// each, so two make a full article rather than a summary), the same for the
// same seed and different for another.
func story(seed string, n int) []string {
	h := fnv.New64a()
	h.Write([]byte(seed))
	r := rand.New(rand.NewPCG(h.Sum64(), 7))
	words := []string{"ministers", "envoys", "talks", "ceasefire", "summit", "delegation", "sanctions",
		"treaty", "border", "mediators", "capital", "negotiators", "agreement", "proposal", "statement",
		"officials", "said", "on", "Tuesday", "would", "the", "with", "after", "before", "meeting"}
	paras := make([]string, n)
	for i := range paras {
		var b strings.Builder
		fmt.Fprintf(&b, "Report %s part %d:", seed, i+1)
		for s := range 4 {
			for range 11 {
				b.WriteString(" " + words[r.IntN(len(words))])
			}
			if s < 3 {
				b.WriteString(".")
			}
		}
		b.WriteString(".")
		paras[i] = b.String()
	}
	return paras
}

// article is an article file as corpus.Parse reads it.
type article struct {
	Name string
	corpus.Article
}

// readArticles reads every article file in dir with corpus.Parse, the
// loader the index uses, failing on anything else in the folder.
func readArticles(tb testing.TB, dir string) []article {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		tb.Fatal(err)
	}
	var arts []article
	for _, path := range names {
		if !strings.HasSuffix(path, ".md") {
			tb.Fatalf("unexpected file %s in article folder", path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		a, err := corpus.Parse(filepath.Base(path), data)
		if err != nil {
			tb.Fatalf("corpus.Parse: %v\n%s", err, data)
		}
		arts = append(arts, article{Name: filepath.Base(path), Article: a})
	}
	slices.SortFunc(arts, func(a, b article) int { return strings.Compare(a.Title, b.Title) })
	return arts
}

// titles lists the articles' titles, sorted.
func titles(arts []article) []string {
	var out []string
	for _, a := range arts {
		out = append(out, a.Title)
	}
	return out
}

// paths collects OnArticles calls.
type paths struct {
	mu    sync.Mutex
	calls [][]string
}

func (p *paths) record(_ context.Context, ps []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, slices.Clone(ps))
}

func (p *paths) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, c := range p.calls {
		out = append(out, c...)
	}
	return out
}
