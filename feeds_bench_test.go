package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/commands/cli"
	"attache/index"
)

// BenchmarkFeedToAnswer measures the time from a new item appearing in a
// feed to its passage being answerable: poll, article file, watcher,
// index. The poll is started at once here; with the default 1-minute
// poll interval the expected wait adds half an interval (30 s) to the
// median.
func BenchmarkFeedToAnswer(b *testing.B) {
	var (
		mu    sync.Mutex
		items []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Bench Wire</title><link>http://example.invalid/</link>`+strings.Join(items, "")+`</channel></rss>`)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	getenv := func(k string) string {
		return map[string]string{"ATTACHE_ALLOW_PRIVATE_FEEDS": "true"}[k]
	}
	s := cli.NewStore(io.Discard)
	cfg := cli.DefaultConfig()
	cfg.Data = b.TempDir()
	s.Register(flag.NewFlagSet("bench", flag.ContinueOnError), cfg)
	logger := cli.NewLogger(func(string) string { return "error" }, io.Discard)
	w, err := s.Watcher(logger)
	if err != nil {
		b.Fatal(err)
	}
	ix, _, _, err := s.Open(ctx, logger, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	stop := s.Follow(ctx, w, ix, nil, logger)
	defer stop()
	m, err := s.OpenFeeds(getenv, logger, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	if _, _, err := m.Add(ctx, srv.URL, "bench"); err != nil {
		b.Fatal(err)
	}

	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		word := fmt.Sprintf("zqx%dword", i)
		mu.Lock()
		items = append(items, fmt.Sprintf(`<item><title>Envoys meet in round %d</title><link>http://example.invalid/%d</link><guid>g%d</guid><pubDate>%s</pubDate><description>Envoys from both sides agreed on the %s protocol at talks in Geneva on Monday, officials said. The agreement covers prisoner exchanges, humanitarian corridors and the monitoring of the line of contact by international observers. Negotiators will meet again next month to discuss the details of the implementation schedule and the role of mediators from the United Nations and the African Union. Diplomats described the atmosphere as constructive but warned that the hardest questions remained open.</description></item>`, i, i, i, time.Now().UTC().Format(time.RFC1123Z), word))
		mu.Unlock()
		start := time.Now()
		if _, err := m.PollAll(ctx); err != nil {
			b.Fatal(err)
		}
		for {
			ans, err := ix.Search(ctx, index.Query{Text: "what protocol did envoys agree " + word})
			if err != nil {
				b.Fatal(err)
			}
			if len(ans) > 0 && strings.Contains(ans[0].Passage, word) {
				break
			}
			if time.Since(start) > 10*time.Second {
				b.Fatalf("item %d not answerable after 10s", i)
			}
			time.Sleep(5 * time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "median-ms")
}
