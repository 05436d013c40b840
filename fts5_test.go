package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"attache/corpus/corpustest"
)

// TestFTS5SideBySide builds the attache binary, indexes generated articles
// with `attache index` and asks 300 questions with `attache ask`, and does
// the same with SQLite FTS5 over the same sentences, in three interleaved
// rounds; it reports the medians and fails when attache's build takes
// more than 3 times FTS5's or a question more than 0.3 times. It runs
// only with ATTACHE_FTS5_BENCH=1 (it needs python3 with FTS5 and takes a
// minute or more); ATTACHE_BENCH_ARTICLES sets the corpus size (3,000).
func TestFTS5SideBySide(t *testing.T) {
	if os.Getenv("ATTACHE_FTS5_BENCH") != "1" {
		t.Skip("set ATTACHE_FTS5_BENCH=1 to compare with SQLite FTS5")
	}
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("ATTACHE_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	work := t.TempDir()
	bin := filepath.Join(work, "attache")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build attache: %v\n%s", err, out)
	}
	arts := corpustest.Generate(n, 1)
	corpusDir := filepath.Join(work, "corpus")
	if err := corpustest.Write(corpusDir, arts); err != nil {
		t.Fatal(err)
	}
	questions := corpustest.Questions(300, 7)
	qfile := filepath.Join(work, "questions.txt")
	if err := os.WriteFile(qfile, []byte(strings.Join(questions, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// attache runs the binary and returns its wall time and peak RSS.
	attache := func(stdin string, args ...string) (time.Duration, int64) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		if stdin != "" {
			f, err := os.Open(stdin)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cmd.Stdin = f
		}
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took := time.Since(start)
		if err != nil {
			t.Fatalf("attache %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		var rss int64
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss << 10
		}
		return took, rss
	}

	const rounds = 3
	var ftsBuild, ftsQ, build, reopen, perQ, rss []float64
	for round := range rounds {
		fdir := filepath.Join(work, fmt.Sprintf("fts5-%d", round))
		if err := os.MkdirAll(fdir, 0o755); err != nil {
			t.Fatal(err)
		}
		fts, err := corpustest.FTS5(ctx, fdir, arts, questions)
		if err != nil {
			t.Fatal(err)
		}
		data := filepath.Join(work, fmt.Sprintf("data-%d", round))
		took, peak := attache("", "index", "--corpus", corpusDir, "--data", data)
		first, _ := attache("", "ask", "--corpus", corpusDir, "--data", data, "-k", "3", "--json", questions[0])
		all, _ := attache(qfile, "ask", "--corpus", corpusDir, "--data", data, "-k", "3", "--json")
		q := (all - first).Seconds() / float64(len(questions)-1)
		t.Logf("round %d: %d passages; FTS5 build %.2fs, %.3f ms/question; attache index %.2fs (%.1fx, peak RSS %d MB), reopen+first question %.3fs, %.3f ms/question (%.2fx)",
			round+1, fts.Passages, fts.Build.Seconds(), ms(fts.PerQuestion), took.Seconds(), took.Seconds()/fts.Build.Seconds(), peak>>20, first.Seconds(), q*1000, q/fts.PerQuestion.Seconds())
		ftsBuild = append(ftsBuild, fts.Build.Seconds())
		ftsQ = append(ftsQ, fts.PerQuestion.Seconds())
		build = append(build, took.Seconds())
		reopen = append(reopen, first.Seconds())
		perQ = append(perQ, q)
		rss = append(rss, float64(peak>>20))
		os.RemoveAll(data)
		os.RemoveAll(fdir)
	}
	buildRatio := median(build) / median(ftsBuild)
	qRatio := median(perQ) / median(ftsQ)
	t.Logf("medians of %d rounds, %d articles: FTS5 build %.2fs, attache index %.2fs = %.2fx FTS5; per question FTS5 %.3f ms, attache %.3f ms = %.2fx; reopen+first question %.3fs; peak RSS %.0f MB",
		rounds, n, median(ftsBuild), median(build), buildRatio, median(ftsQ)*1000, median(perQ)*1000, qRatio, median(reopen), median(rss))
	if buildRatio > 3 {
		t.Errorf("attache index took %.2fx FTS5's time, want at most 3x", buildRatio)
	}
	if qRatio > 0.3 {
		t.Errorf("a question took %.2fx FTS5's time, want at most 0.3x", qRatio)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
