package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"attache/corpus"
)

// TestDebugRanking prints how each question of a question file is ranked;
// it runs only when ATTACHE_DEBUG_QUESTIONS names such a file (a JSON array
// of {"q": ...}) and ATTACHE_DEBUG_CORPUS a corpus folder.
func TestDebugRanking(t *testing.T) {
	qfile, dir := os.Getenv("ATTACHE_DEBUG_QUESTIONS"), os.Getenv("ATTACHE_DEBUG_CORPUS")
	if qfile == "" || dir == "" {
		t.Skip("set ATTACHE_DEBUG_QUESTIONS and ATTACHE_DEBUG_CORPUS")
	}
	arts, _, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(context.Background(), t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
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
			fmt.Printf(" => %d %.3f %.100s %v\n", i+1, a.Score, a.Passage, a.Dates)
		}
	}
}
