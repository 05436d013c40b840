package commands_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"attache/commands"
	"attache/corpus"
	"attache/corpus/summarize"
	"attache/index"
)

// devIndex indexes testdata/dev, a copy of the development articles.
func devIndex(tb testing.TB) *index.Index {
	tb.Helper()
	arts, problems, err := corpus.Load("testdata/dev")
	if err != nil || len(problems) > 0 {
		tb.Fatalf("load testdata/dev: %v %v", err, problems)
	}
	ix, err := index.Open(context.Background(), tb.TempDir(), index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		tb.Fatal(err)
	}
	return ix
}

var summaryNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestSummarizeGolden(t *testing.T) {
	ix := devIndex(t)
	tests := []struct{ name, topic, window string }{
		{"summary_sudan.golden", "sudan ceasefire talks", "all"},
		{"summary_alaska.golden", "alaska summit", ""},
		{"summary_none.golden", "arctic council", "all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := commands.Summarize(context.Background(), ix, tt.topic, tt.window, summaryNow)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, []byte(s.Markdown()))
		})
	}
}

func TestSummarizeQuality(t *testing.T) {
	ix := devIndex(t)
	s, err := commands.Summarize(context.Background(), ix, "sudan ceasefire talks", "all", summaryNow)
	if err != nil {
		t.Fatal(err)
	}
	md := s.Markdown()
	for _, want := range []string{"Thursday", "Muscat"} {
		if !strings.Contains(md, want) {
			t.Errorf("sudan summary does not name %s:\n%s", want, md)
		}
	}
	for _, b := range s.Bullets {
		if strings.Contains(b.Text, "Tuesday") && strings.Contains(b.Text, "Doha") {
			t.Errorf("bullet states the superseded Tuesday in Doha: %q", b.Text)
		}
	}

	s, err = commands.Summarize(context.Background(), ix, "alaska summit", "all", summaryNow)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Bullets); n < 3 || n > 7 {
		t.Fatalf("alaska summary has %d bullets, want 3..7", n)
	}
	md = s.Markdown()
	for _, want := range []string{"Friday", "11:30 am", "Anchorage", "excluded"} {
		if !strings.Contains(md, want) {
			t.Errorf("alaska summary lacks %q:\n%s", want, md)
		}
	}
	seen := map[string]bool{}
	for _, b := range s.Bullets {
		if seen[b.Text] {
			t.Errorf("two bullets from the same sentence: %q", b.Text)
		}
		seen[b.Text] = true
	}
}

func TestSummarizeBadInput(t *testing.T) {
	ix := devIndex(t)
	tests := []struct{ name, topic, window string }{
		{"empty topic", "  ", "all"},
		{"long topic", strings.Repeat("talks ", 40), "all"},
		{"bad window", "sudan", "fortnight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := commands.Summarize(context.Background(), ix, tt.topic, tt.window, summaryNow)
			if !errors.Is(err, commands.ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
		})
	}
}

func TestDigestGolden(t *testing.T) {
	ix := devIndex(t)
	d, err := commands.BuildDigest(context.Background(), ix, time.Time{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Stories) != 6 {
		t.Fatalf("digest has %d stories, want 6 (the Sudan pair is one)", len(d.Stories))
	}
	golden(t, "digest_all.golden", []byte(d.Markdown()))

	// Nothing new since the future.
	d, err = commands.BuildDigest(context.Background(), ix, time.Now().Add(time.Hour), "", d.State)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Stories) != 0 || !strings.Contains(d.Header(), "nothing new") {
		t.Fatalf("digest of nothing = %d stories, header %q", len(d.Stories), d.Header())
	}
}

func TestDigestChanges(t *testing.T) {
	// The first digest saw only the Doha report; the next one sees the
	// Muscat update and says what changed.
	dir := t.TempDir()
	arts, _, err := corpus.Load("testdata/dev")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(context.Background(), dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var doha, muscat corpus.Article
	for _, a := range arts {
		switch a.ID {
		case "sudan-ceasefire-talks-doha.md":
			doha = a
		case "sudan-ceasefire-talks-postponed-muscat.md":
			muscat = a
		}
	}
	ctx := context.Background()
	if err := ix.Put(ctx, doha); err != nil {
		t.Fatal(err)
	}
	first, err := commands.BuildDigest(ctx, ix, time.Time{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	mark := time.Now()
	time.Sleep(10 * time.Millisecond)
	if err := ix.Put(ctx, muscat); err != nil {
		t.Fatal(err)
	}
	second, err := commands.BuildDigest(ctx, ix, mark, "", first.State)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Stories) != 1 || len(second.Stories[0].Changes) == 0 {
		t.Fatalf("second digest = %+v, want one story with what changed", second.Stories)
	}
	if got := strings.Join(second.Stories[0].Changes, " "); !strings.Contains(got, "Muscat") {
		t.Fatalf("changes %q do not mention Muscat", got)
	}
}

func TestDigestPages(t *testing.T) {
	ix := devIndex(t)
	d, err := commands.BuildDigest(context.Background(), ix, time.Time{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	pages := d.Pages(700)
	if len(pages) < 2 {
		t.Fatalf("got %d pages, want the digest split", len(pages))
	}
	for _, p := range pages {
		if commands.Length(p) > 700 {
			t.Fatalf("page of %d characters, want at most 700", commands.Length(p))
		}
		if !strings.HasPrefix(p, "**") {
			t.Fatalf("page does not start at a story: %.60q", p)
		}
	}
}

func TestCiteLinkCannotForgeMarkdown(t *testing.T) {
	d := commands.Digest{Stories: []commands.DigestStory{{
		Headline: "Headline",
		Lead:     "Lead.",
		Links: []summarize.Link{{
			ID: "x.md", Source: "Wire",
			URL: "http://a.example/x>) **FAKE** [official statement](https://evil.example",
		}},
	}}}
	md := d.Markdown()
	if strings.Contains(md, "](https://evil.example") || strings.Contains(md, "x>)") {
		t.Fatalf("a crafted URL forged markdown:\n%s", md)
	}
}
