package index_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
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
	once   sync.Once
	dir    string // data folder
	corpus string // the articles as files
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchIndex writes the benchmark corpus to files and indexes it, once per
// process, and returns the data folder and the corpus folder.
func benchIndex(b *testing.B) (data, articles string) {
	b.Helper()
	bench.once.Do(func() {
		if bench.dir, bench.err = os.MkdirTemp("", "attache-bench-"); bench.err != nil {
			return
		}
		bench.corpus = filepath.Join(bench.dir, "corpus")
		if bench.err = corpustest.Write(bench.corpus, corpustest.Generate(benchArticles(), 1)); bench.err != nil {
			return
		}
		// The articles are not kept: attache does not keep them either.
		arts, _, err := corpus.Load(bench.corpus)
		if err != nil {
			bench.err = err
			return
		}
		ix, err := index.Open(context.Background(), bench.dir, index.Options{})
		if err != nil {
			bench.err = err
			return
		}
		defer ix.Close()
		_, bench.err = ix.Sync(context.Background(), arts)
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.dir, bench.corpus
}

// peakRSS samples the resident set size of the process until stop is
// called, and returns the highest seen, in bytes (0 where /proc is
// missing).
func peakRSS() (stop func() int64) {
	done := make(chan struct{})
	var peak int64
	var wg sync.WaitGroup
	sample := func() {
		raw, err := os.ReadFile("/proc/self/statm")
		if err != nil {
			return
		}
		if f := strings.Fields(string(raw)); len(f) > 1 {
			if pages, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				peak = max(peak, pages*int64(os.Getpagesize()))
			}
		}
	}
	wg.Go(func() {
		for {
			sample()
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	return func() int64 {
		close(done)
		wg.Wait()
		sample()
		return peak
	}
}

// BenchmarkBuild indexes the benchmark corpus from scratch and reports
// passages per second and the peak resident memory; with
// ATTACHE_FTS5_BENCH=1 it also indexes the same passages with SQLite FTS5
// (python3) after each build and reports the ratio of the two times.
func BenchmarkBuild(b *testing.B) {
	arts := corpustest.Generate(benchArticles(), 1)
	passages := 0
	for _, a := range arts {
		passages += len(a.Passages())
	}
	fts5 := os.Getenv("ATTACHE_FTS5_BENCH") == "1"
	runtime.GC()
	stop := peakRSS()
	var took, ftsTook time.Duration
	for b.Loop() {
		dir := b.TempDir()
		start := time.Now()
		ix, err := index.Open(context.Background(), dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Sync(context.Background(), arts); err != nil {
			b.Fatal(err)
		}
		ix.Close()
		took += time.Since(start)
		if fts5 {
			b.StopTimer()
			res, err := corpustest.FTS5(context.Background(), b.TempDir(), arts, nil)
			if err != nil {
				b.Fatal(err)
			}
			ftsTook += res.Build
			b.StartTimer()
		}
	}
	rss := stop()
	b.ReportMetric(float64(passages)*float64(b.N)/took.Seconds(), "passages/s")
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	if fts5 {
		b.ReportMetric(took.Seconds()/ftsTook.Seconds(), "x-FTS5")
	}
}

// BenchmarkReopen opens the unchanged benchmark index, brings it up to
// date with its corpus folder as `attache ask` does (files that kept their
// size and modification time are not read) and answers a first question:
// what every start of attache costs before its first answer.
func BenchmarkReopen(b *testing.B) {
	dir, articles := benchIndex(b)
	ctx := context.Background()
	for b.Loop() {
		ix, err := index.Open(ctx, dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		arts, _, err := corpus.LoadWith(articles, corpus.LoadOptions{Known: ix.Known})
		if err != nil {
			b.Fatal(err)
		}
		st, err := ix.Sync(ctx, arts)
		if err != nil {
			b.Fatal(err)
		}
		if st.Unchanged != len(arts) {
			b.Fatalf("sync re-indexed: %+v", st)
		}
		if _, err := ix.Search(ctx, index.Query{Text: "when is the summit"}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		ix.Close()
		b.StartTimer()
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
	defer index.TuneForQuestions()()         // as attache serve, console and ask run
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
