package feeds_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"attache/corpus/feeds"
)

// BenchmarkIngestBacklog measures a first poll of a loopback feed holding a
// backlog of 10,000 full-text items: fetch, parse, deduplicate, write and
// record each.
func BenchmarkIngestBacklog(b *testing.B) {
	const n = 10_000
	items := make([]item, n)
	for i := range items {
		items[i] = item{
			guid:      fmt.Sprint("g", i),
			title:     fmt.Sprintf("Backlog story %d", i),
			link:      fmt.Sprintf("https://n.example/%d", i),
			published: day1.Add(-time.Duration(i) * time.Minute),
			paras:     story(fmt.Sprint(i), 2),
		}
	}
	body := rssFeed("Backlog", items...)
	s := newSite(b)
	s.serve("/feed", "application/rss+xml", body)

	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		m, err := feeds.Open(feeds.Config{
			Dir:          filepath.Join(dir, "articles"),
			StatePath:    filepath.Join(dir, "feeds.db"),
			AllowPrivate: true,
			MaxBytes:     64 << 20,
		})
		if err != nil {
			b.Fatal(err)
		}
		mustAdd(b, m, s.at("/feed"))
		b.StartTimer()

		st := mustPollAll(b, m)

		b.StopTimer()
		if st.New != n {
			b.Fatalf("poll = %+v, want %d new", st, n)
		}
		m.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(len(body))/(1<<20), "feed-MB")
}
