package events

import (
	"fmt"
	"os"
	"testing"
	"time"

	"attache/corpus"
)

func TestZZScratch(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	arts, _, _ := corpus.Load(dir)
	b := New()
	b.Sync(arts)
	for _, e := range b.Upcoming(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), 365*40, nil) {
		end := ""
		if !e.End.IsZero() {
			end = "–" + e.End.Format("01-02")
		}
		at := ""
		if !e.At.IsZero() {
			at = " " + e.At.Format("15:04Z")
		}
		fmt.Printf("%s%s%s seq=%d %s %-40.40s | %q @ %q was=%v\n     %.110s\n", e.Start.Format("2006-01-02"), end, at, e.Sequence, e.UID[:6], e.Article.ID, e.Label, e.Place, e.Was, e.Sentence)
	}
	if os.Getenv("ZZTL") != "" {
		for id, tl := range b.built.timeline {
			fmt.Println("## story", id)
			for _, en := range tl {
				fmt.Printf("  %s planned=%v %.100s\n", en.Date.Format("2006-01-02"), en.Planned, en.Text)
			}
		}
	}
}
