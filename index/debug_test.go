package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"attache/corpus"
)

// TestDebugRanking prints how each question of a question file is ranked;
// it runs only when ATTACHE_DEBUG_QUESTIONS names such a file (a JSON array
// of {"q": ...}) and ATTACHE_DEBUG_CORPUS a corpus folder.
func TestDebugRanking(t *testing.T) {
	if os.Getenv("ATTACHE_DEBUG_QUESTIONS") == "" || os.Getenv("ATTACHE_DEBUG_CORPUS") == "" {
		t.Skip("set ATTACHE_DEBUG_QUESTIONS and ATTACHE_DEBUG_CORPUS")
	}
	ix, qfile := debugIndex(t)
	raw, err := os.ReadFile(qfile)
	if err != nil {
		t.Fatal(err)
	}
	var qs []struct{ Q string }
	if err := json.Unmarshal(raw, &qs); err != nil {
		t.Fatal(err)
	}
	debugf = func(format string, args ...any) { fmt.Printf(format+"\n", args...) }
	defer func() { debugf = nil }()
	for _, q := range qs {
		ans, _ := ix.Search(context.Background(), Query{Text: q.Q})
		for i, a := range ans {
			fmt.Printf(" => %d %.3f %s %v\n", i+1, a.Score, a.Passage, a.Dates)
		}
	}
}

// TestTuneRanking scores the ranking on a question set with gold phrases
// (the eval format) for a grid of weights; it runs only when
// ATTACHE_TUNE is set, beside the two variables of TestDebugRanking.
func TestTuneRanking(t *testing.T) {
	if os.Getenv("ATTACHE_DEBUG_QUESTIONS") == "" || os.Getenv("ATTACHE_DEBUG_CORPUS") == "" || os.Getenv("ATTACHE_TUNE") == "" {
		t.Skip("set ATTACHE_TUNE, ATTACHE_DEBUG_QUESTIONS and ATTACHE_DEBUG_CORPUS")
	}
	ix, qfile := debugIndex(t)
	raw, _ := os.ReadFile(qfile)
	var qs []struct {
		Q    string
		Gold []string
	}
	json.Unmarshal(raw, &qs)
	norm := func(s string) string {
		s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(s)
		return strings.ToLower(strings.Join(strings.Fields(s), " "))
	}
	score := func() (hit1, noans float64) {
		var n, na int
		for _, q := range qs {
			ans, _ := ix.Search(context.Background(), Query{Text: q.Q})
			if len(q.Gold) == 0 {
				na++
				if len(ans) == 0 {
					noans++
				}
				continue
			}
			n++
			if len(ans) > 0 {
				for _, g := range q.Gold {
					if strings.Contains(norm(ans[0].Passage), norm(g)) {
						hit1++
						break
					}
				}
			}
		}
		return hit1 / float64(n), noans / float64(max(na, 1))
	}
	for _, tb := range []float64{0.2, 0.25, 0.3, 0.35} {
		for _, bw := range []float64{0.05, 0.1, 0.15} {
			for _, ac := range []float64{0.2, 0.35, 0.5} {
				for _, fl := range []float64{0.55, 0.6} {
					typeBonus, bm25Weight, articleCredit, floor = tb, bw, ac, fl
					h, na := score()
					fmt.Printf("type=%.2f bm25=%.2f article=%.2f floor=%.2f hit1=%.3f noans=%.3f\n", tb, bw, ac, fl, h, na)
				}
			}
		}
	}
}

// debugIndex indexes the corpus named by ATTACHE_DEBUG_CORPUS and returns
// it with the question file named by ATTACHE_DEBUG_QUESTIONS.
func debugIndex(t *testing.T) (*Index, string) {
	t.Helper()
	arts, _, err := corpus.Load(os.Getenv("ATTACHE_DEBUG_CORPUS"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(context.Background(), t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return ix, os.Getenv("ATTACHE_DEBUG_QUESTIONS")
}
