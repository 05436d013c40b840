package events_test

import (
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"attache/corpus/corpustest"
	"attache/corpus/events"
)

// benchArticles is how many generated articles the benchmarks read:
// 20,000 unless ATTACHE_BENCH_ARTICLES says otherwise.
func benchArticles() int {
	if n, err := strconv.Atoi(os.Getenv("ATTACHE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 20_000
}

var (
	benchOnce sync.Once
	benchBook *events.Book
	benchTook time.Duration
)

// generatedBook reads the events of the generated articles once for all
// benchmarks: that is indexing, not answering.
func generatedBook(b *testing.B) *events.Book {
	benchOnce.Do(func() {
		arts := corpustest.Generate(benchArticles(), 7)
		start := time.Now()
		benchBook = events.New()
		benchBook.Sync(arts)
		benchTook = time.Since(start)
	})
	b.Logf("%d articles read in %s: %d events", benchArticles(), benchTook.Round(time.Millisecond), benchBook.Len())
	return benchBook
}

// BenchmarkUpcoming asks for a month of events of the whole calendar, as
// /upcoming does without a topic.
func BenchmarkUpcoming(b *testing.B) {
	book := generatedBook(b)
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = len(book.Upcoming(from, 30, nil))
	}
	b.ReportMetric(float64(n), "events")
}

// BenchmarkUpcomingStories asks for the events of the stories of 40
// articles, as /upcoming does with a topic once the index has found them.
func BenchmarkUpcomingStories(b *testing.B) {
	book := generatedBook(b)
	var ids []string
	for i := range 40 {
		ids = append(ids, "synthetic/a"+leftPad(i*397)+".md")
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for b.Loop() {
		book.Upcoming(from, 366, ids)
	}
}

func leftPad(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}
