package index_test

import (
	"context"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"attache/corpus"
	"attache/corpus/corpustest"
	"attache/index"
)

// benchArticles is the size of the benchmark corpus: 20,000 articles
// (about 300,000 passages) unless ATTACHE_BENCH_ARTICLES says otherwise.
func benchArticles() int {
	if n, err := strconv.Atoi(os.Getenv("ATTACHE_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 20000
}

var bench struct {
	once sync.Once
	dir  string
	arts []corpus.Article
	err  error
}

// benchIndex builds the benchmark index once per process and returns its
// data folder and articles.
func benchIndex(b *testing.B) (string, []corpus.Article) {
	b.Helper()
	bench.once.Do(func() {
		bench.arts = corpustest.Generate(benchArticles(), 1)
		bench.dir, bench.err = os.MkdirTemp("", "attache-bench-")
		if bench.err != nil {
			return
		}
		ix, err := index.Open(context.Background(), bench.dir, index.Options{})
		if err != nil {
			bench.err = err
			return
		}
		defer ix.Close()
		_, bench.err = ix.Sync(context.Background(), bench.arts)
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.dir, bench.arts
}

// BenchmarkBuild indexes the benchmark corpus from scratch and reports
// passages per second and the peak heap.
func BenchmarkBuild(b *testing.B) {
	arts := corpustest.Generate(benchArticles(), 1)
	passages := 0
	for _, a := range arts {
		passages += len(a.Passages())
	}
	var peak uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(200 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		dir := b.TempDir()
		ix, err := index.Open(context.Background(), dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Sync(context.Background(), arts); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
	close(done)
	b.ReportMetric(float64(passages)*float64(b.N)/b.Elapsed().Seconds(), "passages/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkReopen opens the unchanged benchmark index and syncs it with
// its corpus: what every start of attache costs.
func BenchmarkReopen(b *testing.B) {
	dir, arts := benchIndex(b)
	for b.Loop() {
		ix, err := index.Open(context.Background(), dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		st, err := ix.Sync(context.Background(), arts)
		if err != nil {
			b.Fatal(err)
		}
		if st.Unchanged != len(arts) {
			b.Fatalf("sync re-indexed: %+v", st)
		}
		ix.Close()
	}
}

// BenchmarkSearch answers generated questions (analysis, search,
// re-ranking, dates) and reports the median and 99th percentile.
func BenchmarkSearch(b *testing.B) {
	dir, _ := benchIndex(b)
	ix, err := index.Open(context.Background(), dir, index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	qs := append(corpustest.Questions(200, 7),
		"when is the summit", "who leads the talks", "where will the ministers meet", "how many tankers were blacklisted")
	ctx := context.Background()
	ix.Search(ctx, index.Query{Text: qs[0]}) // load the vocabulary
	var lat []time.Duration
	b.ResetTimer()
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := ix.Search(ctx, index.Query{Text: qs[i%len(qs)], K: 3}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
