package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"attache/index"
)

// TestHealingSearch damages the index under the bot: a search that finds
// the damage rebuilds the index from the articles and answers, and the
// repair is said in one line.
func TestHealingSearch(t *testing.T) {
	ctx := context.Background()
	cfg := DefaultConfig()
	cfg.Data = t.TempDir()
	var notes bytes.Buffer
	s := NewStore(&notes)
	s.Register(flag.NewFlagSet("test", flag.ContinueOnError), cfg)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ix, _, _, err := s.Open(ctx, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	q := index.Query{Text: "when will the alaska summit start", K: 1}
	want, err := ix.Search(ctx, q)
	if err != nil || len(want) == 0 {
		t.Fatalf("Search before = %d answers, %v", len(want), err)
	}

	segments, _ := filepath.Glob(filepath.Join(cfg.Data, "index.bleve", "store", "*.zap"))
	for _, seg := range segments {
		data, err := os.ReadFile(seg)
		if err != nil {
			t.Fatal(err)
		}
		// Garbage over the whole of it but the footer: whatever a search
		// reads is broken.
		for i := range len(data) - 64 {
			data[i] = byte(i*7 + 3)
		}
		f, err := os.OpenFile(seg, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteAt(data, 0)
		f.Close()
	}
	if _, err := ix.Search(ctx, q); err == nil {
		t.Skip("the damage went unnoticed by the search; nothing to heal")
	}
	got, err := s.Healing(ix, logger).Search(ctx, q)
	if err != nil || len(got) == 0 || got[0].Passage != want[0].Passage {
		t.Fatalf("healing Search = %v, %v; want %q", got, err, want[0].Passage)
	}
	if n := strings.Count(notes.String(), "\n"); n != 1 || !strings.Contains(notes.String(), "the index was damaged") {
		t.Errorf("notes = %q, want one line about the repair", notes.String())
	}
}
