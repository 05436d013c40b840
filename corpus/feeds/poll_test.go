package feeds_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/corpus/feeds"
)

var day1 = time.Date(2026, 4, 20, 9, 30, 0, 0, time.UTC)

func TestPollFormats(t *testing.T) {
	items := []item{
		{guid: "a-1", title: "Envoys meet in Geneva", link: "https://news.example/geneva?utm_source=rss", published: day1, paras: story("geneva", 3)},
		{guid: "a-2", title: "Talks: a second round", link: "https://news.example/round-two", published: day1.Add(time.Hour), paras: story("round two", 3)},
	}
	tests := []struct {
		name, contentType, body string
	}{
		{"RSS", "application/rss+xml", rssFeed("Wire RSS", items...)},
		{"Atom", "application/atom+xml", atomFeed("Wire RSS", items...)},
		{"JSON Feed", "application/feed+json", jsonFeed("Wire RSS", items...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			s.serve("/feed", tt.contentType, tt.body)
			var got paths
			m := mustOpen(t, feeds.Config{AllowPrivate: true, OnArticles: got.record})

			f, p, err := m.Add(context.Background(), s.at("/feed"), "alice")
			if err != nil {
				t.Fatalf("Add: %v", err)
			}
			if f.ID != "1" || f.Title != "Wire RSS" || f.AddedBy != "alice" {
				t.Errorf("Add feed = %+v, want #1 \"Wire RSS\" by alice", f)
			}
			if p.ItemCount != 2 || p.Newest.Title != "Talks: a second round" || !p.Newest.Published.Equal(day1.Add(time.Hour)) {
				t.Errorf("Preview = %+v, want 2 items, newest \"Talks: a second round\"", p)
			}

			st := mustPollAll(t, m)
			if st.Feeds != 1 || st.New != 2 || st.Failed != 0 {
				t.Fatalf("first poll = %+v, want 1 feed, 2 new", st)
			}
			if len(got.all()) != 2 {
				t.Errorf("OnArticles got %v, want 2 paths", got.all())
			}
			arts := readArticles(t, m.Dir())
			if len(arts) != 2 {
				t.Fatalf("got %d articles, want 2", len(arts))
			}
			a := arts[0]
			if a.Title != "Envoys meet in Geneva" || a.Source != "Wire RSS" || a.URL != "https://news.example/geneva" || !a.Published.Equal(day1) {
				t.Errorf("article = %q %q %q %v, want Geneva article without tracking parameters", a.Title, a.Source, a.URL, a.Published)
			}
			if want := story("geneva", 3); !slices.Equal(a.Paragraphs, want) {
				t.Errorf("Paras = %q, want %q", a.Paragraphs, want)
			}
			if !strings.HasPrefix(a.Name, "envoys-meet-in-geneva-") {
				t.Errorf("file name %q, want a slug of the title", a.Name)
			}

			st = mustPollAll(t, m)
			if st.New != 0 || st.Updated != 0 || st.Unchanged != 2 || len(st.Paths) != 0 {
				t.Errorf("second poll = %+v, want 2 unchanged", st)
			}
		})
	}
}

func TestPollNotModified(t *testing.T) {
	tests := []struct {
		name, header, value, condition string
	}{
		{"ETag", "ETag", `"v1"`, "If-None-Match"},
		{"Last-Modified", "Last-Modified", "Wed, 22 Apr 2026 10:00:00 GMT", "If-Modified-Since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			var conditions []string
			body := rssFeed("Wire", item{guid: "1", title: "One", link: "https://n.example/1", published: day1, paras: story("one", 2)})
			s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
				conditions = append(conditions, r.Header.Get(tt.condition))
				if r.Header.Get("User-Agent") != feeds.UserAgent {
					t.Errorf("User-Agent = %q, want %q", r.Header.Get("User-Agent"), feeds.UserAgent)
				}
				if r.Header.Get(tt.condition) == tt.value {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set(tt.header, tt.value)
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprint(w, body)
			})
			m := mustOpen(t, feeds.Config{AllowPrivate: true})
			mustAdd(t, m, s.at("/feed"))

			if st := mustPollAll(t, m); st.New != 1 || st.NotModified != 0 {
				t.Fatalf("first poll = %+v, want 1 new", st)
			}
			st := mustPollAll(t, m)
			if st.NotModified != 1 || st.New != 0 || st.Unchanged != 0 || st.Failed != 0 {
				t.Errorf("second poll = %+v, want not modified", st)
			}
			// Add's fetch and the first poll are unconditional.
			if want := []string{"", "", tt.value}; !slices.Equal(conditions, want) {
				t.Errorf("%s sent = %q, want %q", tt.condition, conditions, want)
			}
			if fs, _ := m.List(context.Background()); fs[0].Status() != "OK" {
				t.Errorf("Status = %q, want OK", fs[0].Status())
			}
		})
	}
}

func TestPollMalformedFeed(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire", item{guid: "1", title: "One", link: "https://n.example/1", paras: story("one", 2)}))
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, m, s.at("/feed"))
	s.serve("/feed", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>One</title>`)

	st, err := m.PollAll(context.Background())
	if err != nil {
		t.Fatalf("PollAll: %v", err)
	}
	if st.Failed != 1 || len(st.Errors) != 1 || !strings.Contains(st.Errors[0].Error(), "parse feed: XML syntax error") {
		t.Fatalf("poll = %+v, want one failure saying parse feed: XML syntax error", st)
	}
	fs, _ := m.List(context.Background())
	if fs[0].Failures != 1 || !strings.Contains(fs[0].Status(), "failing (1 failure, last error: parse feed: XML syntax error") {
		t.Errorf("Status = %q, want failing with parse error", fs[0].Status())
	}
	if arts := readArticles(t, m.Dir()); len(arts) != 0 {
		t.Errorf("wrote %d articles, want none", len(arts))
	}
}

func TestPollDeduplicates(t *testing.T) {
	text := story("wire copy", 3)
	tests := []struct {
		name          string
		first, second item
	}{
		{
			name:   "new GUID, same URL with tracking and fragment",
			first:  item{guid: "g1", title: "Summit ends", link: "https://News.Example/summit", published: day1, paras: text},
			second: item{guid: "g2", title: "Summit ends", link: "https://news.example/summit?utm_campaign=x&fbclid=y#top", published: day1, paras: text},
		},
		{
			name:   "new GUID, new URL, same text",
			first:  item{guid: "g1", title: "Summit ends", link: "https://news.example/summit", published: day1, paras: text},
			second: item{guid: "g2", title: "Summit ends (updated)", link: "https://news.example/amp/summit", published: day1, paras: text},
		},
		{
			name:   "no GUID, same URL",
			first:  item{title: "Summit ends", link: "https://news.example/summit", published: day1, paras: text},
			second: item{title: "Summit ends", link: "http://news.example/summit/", published: day1, paras: text},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			other := item{guid: "o", title: "Other story", link: "https://news.example/other", published: day1, paras: story("other", 3)}
			s.serve("/feed", "application/rss+xml", rssFeed("Wire", tt.first, other))
			m := mustOpen(t, feeds.Config{AllowPrivate: true})
			mustAdd(t, m, s.at("/feed"))
			if st := mustPollAll(t, m); st.New != 2 {
				t.Fatalf("first poll = %+v, want 2 new", st)
			}
			s.serve("/feed", "application/rss+xml", rssFeed("Wire", tt.second, other))
			if st := mustPollAll(t, m); st.New != 0 || st.Updated != 0 {
				t.Errorf("second poll = %+v, want nothing new", st)
			}
			if got, want := titles(readArticles(t, m.Dir())), []string{"Other story", "Summit ends"}; !slices.Equal(got, want) {
				t.Errorf("articles = %q, want %q", got, want)
			}
		})
	}
}

func TestPollUpdatesChangedText(t *testing.T) {
	s := newSite(t)
	it := item{guid: "g1", title: "Talks open", link: "https://news.example/talks", published: day1, paras: story("talks", 3)}
	s.serve("/feed", "application/rss+xml", rssFeed("Wire", it))
	var got paths
	m := mustOpen(t, feeds.Config{AllowPrivate: true, OnArticles: got.record})
	mustAdd(t, m, s.at("/feed"))
	mustPollAll(t, m)

	it.title = "Talks open, then stall"
	it.paras = append(it.paras, "Update: the talks stalled on Wednesday evening.")
	s.serve("/feed", "application/rss+xml", rssFeed("Wire", it))
	st := mustPollAll(t, m)
	if st.New != 0 || st.Updated != 1 {
		t.Fatalf("second poll = %+v, want 1 updated", st)
	}
	arts := readArticles(t, m.Dir())
	if len(arts) != 1 {
		t.Fatalf("got %d articles, want 1", len(arts))
	}
	if arts[0].Title != it.title || !slices.Equal(arts[0].Paragraphs, it.paras) {
		t.Errorf("article = %q %q, want the new text", arts[0].Title, arts[0].Paragraphs)
	}
	if calls := got.all(); len(calls) != 2 || calls[0] != calls[1] {
		t.Errorf("OnArticles got %q, want the same file twice", calls)
	}
}

func TestPollSyndicatedStoryIsOneArticle(t *testing.T) {
	s := newSite(t)
	wire := story("wire", 4)
	s.serve("/a", "application/rss+xml", rssFeed("Feed A",
		item{guid: "a1", title: "Envoys agree truce", link: "https://a.example/truce", published: day1, paras: wire},
		item{guid: "a2", title: "Only in A", link: "https://a.example/only", published: day1, paras: story("only a", 3)},
	))
	s.serve("/b", "application/atom+xml", atomFeed("Feed B",
		item{guid: "urn:b1", title: "Envoys agree truce", link: "https://b.example/world/truce-42", published: day1, paras: wire},
		item{guid: "urn:b2", title: "Only in B", link: "https://b.example/only", published: day1, paras: story("only b", 3)},
	))
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, m, s.at("/a"))
	mustAdd(t, m, s.at("/b"))

	st := mustPollAll(t, m)
	if st.New != 3 || st.Updated != 1 {
		t.Errorf("poll = %+v, want 3 new and 1 updated (second source)", st)
	}
	arts := readArticles(t, m.Dir())
	if got, want := titles(arts), []string{"Envoys agree truce", "Only in A", "Only in B"}; !slices.Equal(got, want) {
		t.Fatalf("articles = %q, want %q", got, want)
	}
	sources := strings.Split(arts[0].Source, "; ")
	slices.Sort(sources)
	if !slices.Equal(sources, []string{"Feed A", "Feed B"}) {
		t.Errorf("source = %q, want Feed A and Feed B", arts[0].Source)
	}
	if st := mustPollAll(t, m); st.New != 0 || st.Updated != 0 {
		t.Errorf("second poll = %+v, want nothing new", st)
	}
}

const storyPage = `<!DOCTYPE html>
<html><head><title>Mediators meet in Doha</title>
<script>document.write("SCRIPT RAN")</script><style>p { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/login">Sign in</a></li></ul></nav>
<article>
<h1>Mediators meet in Doha</h1>
<p>Delegations from both sides met in Doha on Tuesday for a new round of ceasefire talks, mediators said, in the first direct contact between them since negotiations broke down in January this year.</p>
<p>The talks are being convened by Qatar together with the United States and the African Union, which have spent weeks pressing both camps to return to the table as fighting spreads across the region.</p>
<p>Diplomats said the agenda would cover humanitarian access, the exchange of prisoners and a monitoring mechanism, but cautioned that expectations of a quick breakthrough remained low on all sides.</p>
<p>A joint statement is expected at the end of the first session on Thursday, officials said.</p>
</article>
<footer>Copyright Example News. All rights reserved. Subscribe to our newsletter.</footer>
<script>alert("SCRIPT RAN")</script>
</body></html>`

func TestPollFetchesPageOfSummary(t *testing.T) {
	s := newSite(t)
	s.serve("/story", "text/html; charset=utf-8", storyPage)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire",
		item{guid: "d1", title: "Mediators meet in Doha", link: s.at("/story"), published: day1, summary: "Delegations met in Doha on Tuesday."}))
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, m, s.at("/feed"))

	if st := mustPollAll(t, m); st.New != 1 {
		t.Fatalf("poll = %+v, want 1 new", st)
	}
	arts := readArticles(t, m.Dir())
	if len(arts) != 1 {
		t.Fatalf("got %d articles, want 1", len(arts))
	}
	body := strings.Join(arts[0].Paragraphs, "\n")
	for _, want := range []string{"Delegations from both sides met in Doha on Tuesday", "A joint statement is expected"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	for _, unwanted := range []string{"SCRIPT RAN", "Sign in", "newsletter", "color: red"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("body holds %q:\n%s", unwanted, body)
		}
	}
	if len(arts[0].Paragraphs) < 4 {
		t.Errorf("got %d paragraphs, want one a line", len(arts[0].Paragraphs))
	}

	mustPollAll(t, m)
	if n := s.hitCount("/story"); n != 1 {
		t.Errorf("page fetched %d times, want once", n)
	}
}

func TestPollBacksOffThenPauses(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire", item{guid: "1", title: "One", link: "https://n.example/1", paras: story("one", 2)}))
	clk := newClock()
	var paused []feeds.Feed
	m := mustOpen(t, feeds.Config{
		AllowPrivate: true,
		Interval:     10 * time.Minute,
		Now:          clk.Now,
		OnPaused:     func(_ context.Context, f feeds.Feed) { paused = append(paused, f) },
	})
	mustAdd(t, m, s.at("/feed"))
	ctx := context.Background()
	if st, _ := m.PollDue(ctx); st.New != 1 {
		t.Fatalf("first poll = %+v, want 1 new", st)
	}
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})

	feed := func() feeds.Feed {
		t.Helper()
		fs, err := m.List(ctx)
		if err != nil || len(fs) != 1 {
			t.Fatalf("List = %v, %v", fs, err)
		}
		return fs[0]
	}
	for n := 1; n <= 8; n++ {
		due := feed().NextPoll
		// Just before the feed is due nothing happens.
		clk.Set(due.Add(-time.Second))
		if st, _ := m.PollDue(ctx); st.Feeds != 0 {
			t.Fatalf("failure %d: polled %d feeds before due", n, st.Feeds)
		}
		clk.Set(due)
		st, err := m.PollDue(ctx)
		if err != nil || st.Failed != 1 {
			t.Fatalf("failure %d: poll = %+v, %v, want 1 failed", n, st, err)
		}
		f := feed()
		if f.Failures != n {
			t.Fatalf("Failures = %d, want %d", f.Failures, n)
		}
		if n < 8 {
			want := min(10*time.Minute<<n, 24*time.Hour)
			if got := f.NextPoll.Sub(due); got < want*9/10 || got > want*11/10 {
				t.Errorf("after %d failures next poll in %v, want %v ±10%%", n, got, want)
			}
			if f.Paused() || len(paused) != 0 {
				t.Fatalf("paused after %d failures", n)
			}
			if !strings.HasPrefix(f.Status(), fmt.Sprintf("failing (%d failure", n)) || !strings.Contains(f.Status(), "500 Internal Server Error") {
				t.Errorf("Status = %q", f.Status())
			}
		}
	}
	f := feed()
	if !f.Paused() || len(paused) != 1 || paused[0].ID != f.ID {
		t.Fatalf("after 8 failures: paused=%v, OnPaused calls=%d, want paused once", f.Paused(), len(paused))
	}
	if want := "paused since 2026-"; !strings.HasPrefix(f.Status(), want) || !strings.Contains(f.Status(), "because it failed 8 times in a row") {
		t.Errorf("Status = %q", f.Status())
	}

	hits := s.hitCount("/feed")
	clk.Set(clk.Now().Add(72 * time.Hour))
	if st, _ := m.PollDue(ctx); st.Feeds != 0 {
		t.Errorf("paused feed polled: %+v", st)
	}
	if st, _ := m.PollAll(ctx); st.Feeds != 0 {
		t.Errorf("paused feed polled by PollAll: %+v", st)
	}
	if s.hitCount("/feed") != hits || len(paused) != 1 {
		t.Errorf("paused feed fetched or OnPaused called again")
	}

	s.serve("/feed", "application/rss+xml", rssFeed("Wire", item{guid: "1", title: "One", link: "https://n.example/1", paras: story("one", 2)}))
	if _, err := m.Resume(ctx, "#1"); err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if st, _ := m.PollDue(ctx); st.Feeds != 1 || st.Failed != 0 {
		t.Errorf("poll after Resume = %+v, want 1 feed polled", st)
	}
	if f := feed(); f.Status() != "OK" {
		t.Errorf("Status after Resume = %q, want OK", f.Status())
	}
}

func TestPollGoneFeedPausesAtOnce(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire"))
	var paused int
	m := mustOpen(t, feeds.Config{AllowPrivate: true, OnPaused: func(context.Context, feeds.Feed) { paused++ }})
	mustAdd(t, m, s.at("/feed"))
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mustPollAll(t, m)
	fs, _ := m.List(context.Background())
	if !fs[0].Paused() || paused != 1 || !strings.Contains(fs[0].Status(), "HTTP 410") {
		t.Errorf("Status = %q, OnPaused calls %d; want paused once for 410", fs[0].Status(), paused)
	}
}

// TestPollCrashRedo stops a poll after some article files are written, as
// a kill would, reopens the state and polls again: every item must be on
// disk exactly once.
func TestPollCrashRedo(t *testing.T) {
	tests := []struct {
		name       string
		items      int
		crashAfter int
	}{
		{"within the first batch", 40, 7},
		{"in the second batch", 300, 270},
		{"right after the first write", 5, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var items []item
			for i := range tt.items {
				items = append(items, item{
					guid: fmt.Sprint("g", i), title: fmt.Sprintf("Story %03d", i),
					link: fmt.Sprintf("https://n.example/%d", i), published: day1, paras: story(fmt.Sprint(i), 2),
				})
			}
			s := newSite(t)
			s.serve("/feed", "application/rss+xml", rssFeed("Wire", items...))
			cfg := feeds.Config{AllowPrivate: true, Dir: t.TempDir(), StatePath: t.TempDir() + "/feeds.db"}
			m, err := feeds.Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			mustAdd(t, m, s.at("/feed"))
			written := 0
			crash := errors.New("simulated crash")
			feeds.SetAfterWrite(m, func(string) error {
				if written++; written == tt.crashAfter {
					return crash
				}
				return nil
			})
			st, _ := m.PollAll(context.Background())
			if st.Failed != 1 || !errors.Is(st.Errors[0], crash) {
				t.Fatalf("crashed poll = %+v, want the simulated crash", st)
			}
			if fs, _ := m.List(context.Background()); fs[0].ETag != "" || fs[0].LastSuccess != (time.Time{}) {
				t.Errorf("feed recorded as polled after a crash: %+v", fs[0])
			}
			m.Close()

			m = mustOpen(t, cfg)
			mustPollAll(t, m)
			arts := readArticles(t, cfg.Dir)
			var want []string
			for _, it := range items {
				want = append(want, it.title)
			}
			if got := titles(arts); !slices.Equal(got, want) {
				t.Errorf("after redo got %d articles, want each of %d once", len(got), len(want))
			}
			if st := mustPollAll(t, m); st.New+st.Updated != 0 {
				t.Errorf("poll after redo = %+v, want nothing new", st)
			}
		})
	}
}

// TestPollCrashThenOtherFeedFirst crashes while storing feed A and, after
// restart, lets feed B store the same stories (under other URLs) before A
// is polled again: the files A wrote before the crash must not remain as
// duplicates.
func TestPollCrashThenOtherFeedFirst(t *testing.T) {
	var a, b []item
	for i := range 6 {
		text := story(fmt.Sprint("wire ", i), 3)
		a = append(a, item{guid: fmt.Sprint("a", i), title: fmt.Sprintf("Wire story %d", i), link: fmt.Sprintf("https://a.example/%d", i), published: day1, paras: text})
		b = append(b, item{guid: fmt.Sprint("b", i), title: fmt.Sprintf("Wire story %d", i), link: fmt.Sprintf("https://b.example/x/%d", i), published: day1, paras: text})
	}
	s := newSite(t)
	s.serve("/a", "application/rss+xml", rssFeed("Feed A", a...))
	cfg := feeds.Config{AllowPrivate: true, Dir: t.TempDir(), StatePath: t.TempDir() + "/feeds.db"}
	m, err := feeds.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, m, s.at("/a"))
	n := 0
	feeds.SetAfterWrite(m, func(string) error {
		if n++; n == 4 {
			return errors.New("simulated crash")
		}
		return nil
	})
	m.PollAll(context.Background())
	m.Close()

	m = mustOpen(t, cfg)
	s.serve("/b", "application/rss+xml", rssFeed("Feed B", b...))
	mustAdd(t, m, s.at("/b"))
	s.handle("/a", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "later", http.StatusServiceUnavailable) })
	mustPollAll(t, m)
	s.serve("/a", "application/rss+xml", rssFeed("Feed A", a...))
	mustPollAll(t, m)

	arts := readArticles(t, cfg.Dir)
	if len(arts) != 6 {
		t.Fatalf("got %d articles %q, want 6", len(arts), titles(arts))
	}
	for _, art := range arts {
		if art.Source != "Feed B; Feed A" {
			t.Errorf("%s: source = %q, want \"Feed B; Feed A\"", art.Title, art.Source)
		}
	}
}

func TestRunPollsAndStops(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire", item{guid: "1", title: "One", link: "https://n.example/1", paras: story("one", 2)}))
	got := make(chan []string, 1)
	m := mustOpen(t, feeds.Config{AllowPrivate: true, OnArticles: func(_ context.Context, p []string) { got <- p }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	// Added while Run sleeps: Add wakes it.
	mustAdd(t, m, s.at("/feed"))
	select {
	case p := <-got:
		if len(p) != 1 {
			t.Errorf("OnArticles got %q, want one path", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not poll the new feed")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestPollLeavesNoTempFiles(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire", item{guid: "1", title: "One", link: "https://n.example/1", paras: story("one", 2)}))
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, m, s.at("/feed"))
	mustPollAll(t, m)
	entries, err := os.ReadDir(m.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".md") {
		t.Errorf("article folder holds %v, want one .md file", entries)
	}
}

func TestSetInterval(t *testing.T) {
	s := newSite(t)
	s.serve("/feed", "application/rss+xml", rssFeed("Wire"))
	clk := newClock()
	m := mustOpen(t, feeds.Config{AllowPrivate: true, Interval: 15 * time.Minute, Now: clk.Now})
	mustAdd(t, m, s.at("/feed"))
	ctx := context.Background()
	if _, err := m.SetInterval(ctx, "#1", 2*time.Hour); err != nil {
		t.Fatalf("SetInterval: %v", err)
	}
	if _, err := m.SetInterval(ctx, "#1", time.Second); err == nil {
		t.Errorf("SetInterval(1s) = nil, want an error")
	}
	if _, err := m.SetInterval(ctx, "#9", time.Hour); !errors.Is(err, feeds.ErrNotFound) {
		t.Errorf("SetInterval(#9) = %v, want ErrNotFound", err)
	}
	m.PollDue(ctx)
	f, err := m.Get(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.NextPoll.Sub(clk.Now()); got < 108*time.Minute || got > 132*time.Minute {
		t.Errorf("next poll in %v, want 2h ±10%%", got)
	}
}

func TestPollRetriesFailedPage(t *testing.T) {
	s := newSite(t)
	s.handle("/story", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", http.StatusServiceUnavailable) })
	s.serve("/feed", "application/rss+xml", rssFeed("Wire",
		item{guid: "d1", title: "Mediators meet in Doha", link: s.at("/story"), published: day1, summary: "Delegations met in Doha on Tuesday."}))
	m := mustOpen(t, feeds.Config{AllowPrivate: true})
	mustAdd(t, m, s.at("/feed"))

	// The page fails: the summary stands in for now.
	if st := mustPollAll(t, m); st.New != 1 {
		t.Fatalf("first poll = %+v, want 1 new", st)
	}
	if arts := readArticles(t, m.Dir()); len(arts) != 1 || arts[0].Paragraphs[0] != "Delegations met in Doha on Tuesday." {
		t.Fatalf("articles = %+v, want the summary", arts)
	}
	// The page is back: the same file gets the article text.
	s.serve("/story", "text/html", storyPage)
	if st := mustPollAll(t, m); st.Updated != 1 {
		t.Fatalf("second poll = %+v, want 1 updated", st)
	}
	arts := readArticles(t, m.Dir())
	if len(arts) != 1 || !strings.Contains(strings.Join(arts[0].Paragraphs, "\n"), "A joint statement is expected") {
		t.Fatalf("articles = %+v, want the page's text", arts)
	}
	// Complete now: the page is not fetched again.
	mustPollAll(t, m)
	if n := s.hitCount("/story"); n != 2 {
		t.Errorf("page fetched %d times, want 2", n)
	}
}
