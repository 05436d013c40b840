package commands_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/commands"
	"attache/corpus"
	"attache/corpus/dates"
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
	// One article makes a short summary: its lead and what adds most.
	if n := len(s.Bullets); n < 1 || n > 2 {
		t.Fatalf("alaska summary has %d bullets, want 1..2 for its one article", n)
	}
	md = s.Markdown()
	for _, want := range []string{"Friday’s summit", "Fri 15 Aug 2025"} {
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
	// Muscat update and says what changed. The index's clock runs with the
	// reports, as it would for a feed: each comes in as it is published.
	dir := t.TempDir()
	arts, _, err := corpus.Load("testdata/dev")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 5, 9, 10, 5, 0, 0, time.UTC)
	ix, err := index.Open(context.Background(), dir, index.Options{Now: func() time.Time { return clock }})
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
	first, err := commands.BuildDigest(ctx, ix, clock.Add(-24*time.Hour), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Stories) != 1 {
		t.Fatalf("first digest = %+v, want the Doha report", first.Stories)
	}
	mark := clock.Add(time.Hour)
	clock = time.Date(2026, 5, 11, 14, 25, 0, 0, time.UTC)
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
	if got, want := strings.Join(second.Stories[0].Changes, " "), "The talks were postponed from Tuesday 12 May to Thursday 14 May and moved from Doha to Muscat."; got != want {
		t.Fatalf("changes %q, want %q", got, want)
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

// TestDigestNews checks what a digest counts as new: articles that came in
// since its window opened and are themselves recent, never the archive
// the index started with.
func TestDigestNews(t *testing.T) {
	arts, _, err := corpus.Load("testdata/dev")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]corpus.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	fresh := func(id, title string, published time.Time) corpus.Article {
		return corpus.Article{ID: id, Title: title, Source: "Wire", Published: published, Hash: id,
			Paragraphs: []string{title + ", officials said on Monday, in a statement that surprised diplomats in Geneva."}}
	}
	// The index is first filled on 1 June 2026 with the archive (the
	// Alaska report of 2025 and the undated WTO one); a week later a feed
	// brings a report of that day, an undated one, and one from 2025 that
	// was just found.
	clock := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	ix, err := index.Open(context.Background(), t.TempDir(), index.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if _, err := ix.Sync(ctx, []corpus.Article{byID["alaska-summit-starmer-zelensky.md"], byID["wto-fisheries-subsidies-dispute-geneva.txt"]}); err != nil {
		t.Fatal(err)
	}
	day := func() []string {
		d, err := commands.BuildDigest(ctx, ix, clock.Add(-24*time.Hour), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range d.Stories {
			for _, l := range s.Links {
				ids = append(ids, l.ID)
			}
		}
		slices.Sort(ids)
		return ids
	}
	if got := day(); len(got) != 0 {
		t.Errorf("digest of the day the index was filled = %q, want nothing: the archive is not news", got)
	}

	clock = time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	late := fresh("late.md", "Chile and Peru settle fishing dispute", time.Date(2025, 8, 20, 9, 0, 0, 0, time.UTC))
	today := fresh("today.md", "Ghana and Togo sign border accord", clock.Add(-3*time.Hour))
	lastNight := fresh("last-night.md", "Kenya and Uganda agree rail link", clock.Add(-26*time.Hour))
	undated := fresh("undated.md", "Oman hosts Yemen prisoner talks", time.Time{})
	if err := ix.Put(ctx, late, today, lastNight, undated); err != nil {
		t.Fatal(err)
	}
	want := []string{"last-night.md", "today.md", "undated.md"}
	if got := day(); !slices.Equal(got, want) {
		t.Errorf("digest of the last 24 hours = %q, want %q: not the 2025 report that was just indexed", got, want)
	}

	// With no window, everything is listed.
	d, err := commands.BuildDigest(ctx, ix, time.Time{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.Stories); n != 6 {
		t.Errorf("digest of all = %d stories, want all 6 articles", n)
	}
}

// TestSummaryStories reads testdata/stories as a moderator would: three
// reports of the Egypt–Ethiopia dam talks (a January round in Ankara, a
// March round in Dakar, and its extension, published on a Thursday) and
// one report of Barents Sea fisheries.
func TestSummaryStories(t *testing.T) {
	arts, problems, err := corpus.Load("testdata/stories")
	if err != nil || len(problems) > 0 {
		t.Fatalf("load testdata/stories: %v %v", err, problems)
	}
	ix, err := index.Open(context.Background(), t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	s, err := commands.Summarize(ctx, ix, "egypt ethiopia dam talks", "all", summaryNow)
	if err != nil {
		t.Fatal(err)
	}
	md := s.Markdown()
	if n := len(s.Bullets); n < 3 || n > 7 {
		t.Fatalf("dam summary has %d bullets, want 3..7 for three articles:\n%s", n, md)
	}
	// The newest fact leads, dated as the Thursday report means it: the
	// Saturday after, not before.
	first := s.Bullets[0]
	if !strings.Contains(first.Text, "extended until Saturday") || !strings.Contains(dateNote(first), "Saturday → Sat 28 Mar 2026") {
		t.Errorf("first bullet %q %s, want the extension until Saturday 28 March", first.Text, dateNote(first))
	}
	var updates []string
	for _, b := range s.Bullets {
		for _, stale := range []string{"in Ankara on Saturday", "wrap up on Thursday", "meet in Dakar on Friday", "expected to end on Thursday"} {
			if strings.Contains(b.Text, stale) {
				t.Errorf("bullet %q states a plan that newer reports overtook", b.Text)
			}
		}
		if b.Changed != "" {
			updates = append(updates, b.Changed)
		}
	}
	want := []string{
		"The talks now end on Saturday 28 March, not Thursday 26 March.",
		"The meeting was moved from Friday 27 March in Dakar to Sunday 29 March in Abuja.",
	}
	if !slices.Equal(updates, want) {
		t.Errorf("updates %q, want %q:\n%s", updates, want, md)
	}

	s, err = commands.Summarize(ctx, ix, "barents sea fisheries", "all", summaryNow)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Bullets); n < 1 || n > 2 {
		t.Errorf("fisheries summary has %d bullets, want 1..2 for its one article of 8 sentences", n)
	}

	d, err := commands.BuildDigest(ctx, ix, time.Time{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, st := range d.Stories {
		var ids []string
		for _, l := range st.Links {
			ids = append(ids, strings.TrimSuffix(l.ID, ".md"))
		}
		groups = append(groups, strings.Join(ids, "+"))
	}
	slices.Sort(groups)
	if want := []string{"arctic-fisheries-tromso", "nile-dam-talks-ankara", "nile-dam-talks-extended+nile-dam-talks-dakar"}; !slices.Equal(groups, want) {
		t.Errorf("digest stories %q, want %q: the March round and its extension are one story, January's round another", groups, want)
	}
}

// dateNote renders a bullet's resolved dates as the summary shows them.
func dateNote(b commands.SummaryBullet) string {
	var parts []string
	for _, m := range b.Dates {
		parts = append(parts, dates.Format(m))
	}
	return strings.Join(parts, "; ")
}
