package feeds_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache/corpus/feeds"
)

func TestAddRefuses(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire"))
	s.serve("/page", "text/html; charset=utf-8", "<html><head><title>News</title></head><body><p>Hello</p></body></html>")
	s.serve("/home", "text/html", `<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head><body></body></html>`)
	s.serve("/blob", "application/octet-stream", "\x00\x01binary")
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, m, s.at("/feed"))

	tests := []struct {
		name, url, want string
		is              error
	}{
		{"HTML page", s.at("/page"), "not a feed: got text/html page", feeds.ErrNotFeed},
		{"HTML page linking a feed", s.at("/home"), "not a feed: got text/html page (it links to a feed: " + s.at("/feed") + ")", feeds.ErrNotFeed},
		{"binary", s.at("/blob"), "not a feed: got application/octet-stream page", feeds.ErrNotFeed},
		{"same URL", s.at("/feed"), "feed already added as #1", feeds.ErrDuplicate},
		{"same URL, other spelling", strings.Replace(s.at("/feed"), "http://", "HTTP://", 1) + "#latest", "feed already added as #1", feeds.ErrDuplicate},
		{"missing", s.at("/nothing"), "server answered 404 Not Found", nil},
		{"not http", "ftp://example.org/feed", "not an http or https URL", feeds.ErrBadURL},
		{"file", "file:///etc/passwd", "not an http or https URL", feeds.ErrBadURL},
		{"relative", "/feed.xml", "not an http or https URL", feeds.ErrBadURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := m.Add(context.Background(), tt.url, "bob")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add(%q) = %v, want %q", tt.url, err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Add error %v is not %v", err, tt.is)
			}
		})
	}
	if fs, _ := m.List(context.Background()); len(fs) != 1 {
		t.Errorf("List holds %d feeds after refusals, want 1", len(fs))
	}
}

func TestAddAddressNotAllowed(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire"))
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	local := func(host string) string { return fmt.Sprintf("http://%s:%s/feed", host, u.Port()) }

	m := mustOpen(t, feeds.Config{})
	tests := []struct{ url, want string }{
		{local("localhost"), "a loopback address"},
		{local("127.0.0.1"), "resolves to a loopback address (127.0.0.1)"},
		{local("[::ffff:127.0.0.1]"), "a loopback address"},
		{"http://10.1.2.3/feed", "a private address (10.1.2.3)"},
		{"http://192.168.1.1/feed", "a private address"},
		{"http://172.20.0.1/feed", "a private address"},
		{"http://100.64.0.1/feed", "a shared (CGNAT) address"},
		{"http://169.254.169.254/latest/meta-data/", "a cloud metadata address"},
		{"http://169.254.1.1/feed", "a link-local address"},
		{"http://0.0.0.0/feed", "an unspecified address"},
		{"http://224.0.0.1/feed", "a multicast address"},
		{"http://[fd00:ec2::254]/feed", "a cloud metadata address"},
		{"http://[fd12:3456::1]/feed", "a private address"},
		{"http://[fe80::1]/feed", "a link-local address"},
		{"http://[::]/feed", "an unspecified address"},
		{"http://[64:ff9b::a00:1]/feed", "a private address"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, _, err := m.Add(context.Background(), tt.url, "mallory")
			if !errors.Is(err, feeds.ErrAddressNotAllowed) {
				t.Fatalf("Add(%q) = %v, want ErrAddressNotAllowed", tt.url, err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "address not allowed: resolves to ") || !strings.Contains(msg, tt.want) {
				t.Errorf("Add(%q) = %q, want %q", tt.url, msg, tt.want)
			}
		})
	}
	if fs, _ := m.List(context.Background()); len(fs) != 0 || s.hitCount("/feed") != 0 {
		t.Errorf("refused feeds saved (%d) or fetched (%d)", len(fs), s.hitCount("/feed"))
	}

	allowed := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, allowed, local("localhost"))
}

func TestFetchLimits(t *testing.T) {
	const big = 50 << 20
	chunk := strings.Repeat("x", 64<<10)
	stream := func(setLength bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			if setLength {
				w.Header().Set("Content-Length", fmt.Sprint(big))
			}
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
			for n := 0; n < big; n += len(chunk) {
				if _, err := fmt.Fprint(w, chunk); err != nil {
					return
				}
			}
		}
	}
	s := newSite(t)
	s.handle("/huge", stream(false))
	s.handle("/huge-declared", stream(true))
	s.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	// chain serves a feed at the end of n redirects.
	chain := func(name string, n int) {
		for i := range n {
			s.handle(fmt.Sprintf("/%s/%d", name, i), func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, fmt.Sprintf("/%s/%d", name, i+1), http.StatusFound)
			})
		}
		s.serve(fmt.Sprintf("/%s/%d", name, n), "application/rss+xml", rssFeed("After redirects"))
	}
	chain("five", 5)
	chain("six", 6)
	s.handle("/loop-a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop-b", http.StatusMovedPermanently)
	})
	s.handle("/loop-b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop-a", http.StatusMovedPermanently)
	})

	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	impatient := mustOpen(t, feeds.Config{AllowPrivate: true, Timeout: 300 * time.Millisecond})
	tests := []struct {
		name, path, want string
		is               error
	}{
		{"50 MB streamed", "/huge", "response too large: over 10 MB", feeds.ErrTooLarge},
		{"50 MB declared", "/huge-declared", "response too large: over 10 MB", feeds.ErrTooLarge},
		{"slow server, 300 ms timeout", "/slow", "the server did not answer in time", nil},
		{"redirect loop", "/loop-a", "stopped after 5 redirects", feeds.ErrTooManyRedirects},
		{"six redirects", "/six/0", "stopped after 5 redirects", feeds.ErrTooManyRedirects},
		{"five redirects", "/five/0", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := m
			if tt.path == "/slow" {
				m = impatient
			}
			start := time.Now()
			f, _, err := m.Add(context.Background(), s.at(tt.path), "t")
			took := time.Since(start)
			if tt.want == "" {
				if err != nil || f.Title != "After redirects" {
					t.Fatalf("Add = %+v, %v, want the feed after 5 redirects", f, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add = %v, want %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Add error %v is not %v", err, tt.is)
			}
			if took > 3*time.Second {
				t.Errorf("refusal took %v, want it quick", took)
			}
		})
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://News.Example.COM/a/b?utm_source=x&id=3&utm_medium=rss#frag", "https://news.example.com/a/b?id=3"},
		{"https://news.example/a?b=2&a=1", "https://news.example/a?a=1&b=2"},
		{"https://news.example/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=rss", "https://news.example/a"},
		{"http://news.example:80/a", "http://news.example/a"},
		{"https://news.example:443", "https://news.example/"},
		{"https://news.example:8443/a", "https://news.example:8443/a"},
		{"https://user:pw@news.example/a", "https://news.example/a"},
		{"HTTPS://news.example./a", "https://news.example/a"},
		{"mailto:desk@news.example", ""},
		{"/relative", ""},
	}
	for _, tt := range tests {
		if got := feeds.CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRemove(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire", item{guid: "1", title: "One", link: "https://n.example/1", paras: story("one", 2)}))
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, m, s.at("/feed"))
	mustPollAll(t, m)
	ctx := context.Background()
	if err := m.Remove(ctx, "#1"); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if err := m.Remove(ctx, "1"); !errors.Is(err, feeds.ErrNotFound) {
		t.Errorf("second Remove = %v, want ErrNotFound", err)
	}
	if _, err := m.Resume(ctx, "7"); !errors.Is(err, feeds.ErrNotFound) {
		t.Errorf("Resume(7) = %v, want ErrNotFound", err)
	}
	if len(readArticles(t, m.Dir())) != 1 {
		t.Errorf("Remove deleted articles; they stay in the corpus")
	}
	// Added again, it gets a new ID and its items are still known.
	f := mustAdd(t, m, s.at("/feed"))
	if f.ID != "2" {
		t.Errorf("re-added feed ID = %q, want 2", f.ID)
	}
	if st := mustPollAll(t, m); st.New != 0 || len(readArticles(t, m.Dir())) != 1 {
		t.Errorf("re-added feed poll = %+v, want no new article", st)
	}
}

func TestSeed(t *testing.T) {
	s := newSite(t)
	s.serve("/a", "application/rss+xml", rssFeed("Feed A"))
	s.serve("/b", "application/atom+xml", atomFeed("Feed B"))
	s.serve("/c", "application/feed+json", jsonFeed("Feed C"))
	s.serve("/page", "text/html", "<html><body>no feed</body></html>")
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	ctx := context.Background()

	spec := s.at("/a") + ", " + s.at("/page") + " ," + s.at("/b")
	if err := m.Seed(ctx, spec); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if err := m.Seed(ctx, spec); err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if s.hitCount("/a") != 1 || s.hitCount("/b") != 1 {
		t.Errorf("second Seed fetched present feeds again: a=%d b=%d", s.hitCount("/a"), s.hitCount("/b"))
	}

	opml := filepath.Join(t.TempDir(), "feeds.opml")
	os.WriteFile(opml, []byte(`<?xml version="1.0"?>
<opml version="2.0"><head><title>Diplomacy</title></head><body>
<outline text="Wires"><outline text="A" type="rss" xmlUrl="`+s.at("/a")+`"/>
<outline text="C" type="rss" xmlUrl="`+s.at("/c")+`"/></outline>
</body></opml>`), 0o644)
	if err := m.Seed(ctx, opml); err != nil {
		t.Fatalf("Seed(OPML): %v", err)
	}
	fs, _ := m.List(ctx)
	var got []string
	for _, f := range fs {
		got = append(got, f.ID+" "+f.Title+" by "+f.AddedBy)
	}
	if want := []string{"1 Feed A by seed", "2 Feed B by seed", "3 Feed C by seed"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("feeds = %q, want %q", got, want)
	}
	if err := m.Seed(ctx, filepath.Join(t.TempDir(), "missing.opml")); err == nil {
		t.Errorf("Seed(missing file) = nil, want an error")
	}
}

func TestOpenLocked(t *testing.T) {
	cfg := feeds.Config{Dir: t.TempDir(), StatePath: filepath.Join(t.TempDir(), "feeds.db")}
	mustOpen(t, cfg)
	if _, err := feeds.Open(cfg); !errors.Is(err, feeds.ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
	}
	if _, err := feeds.Open(feeds.Config{}); err == nil || !strings.Contains(err.Error(), "missing Dir, StatePath") {
		t.Errorf("Open(empty) = %v, want both settings named", err)
	}
}
