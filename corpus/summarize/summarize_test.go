package summarize_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/corpus/summarize"
)

const (
	sudanOld = "sudan-ceasefire-talks-doha.md"
	sudanNew = "sudan-ceasefire-talks-postponed-muscat.md"
	alaska   = "alaska-summit-starmer-zelensky.md"
)

func TestSummarize(t *testing.T) {
	arts := mustReadArticles(t)
	var all []article
	for _, a := range arts {
		all = append(all, a)
	}
	tests := []struct {
		name       string
		topic      string
		arts       []article
		bullets    [2]int     // how many bullets, at least and at most
		want       [][]string // each: some bullet holds one of these
		wantChange string     // some bullet's Changed holds this
		forbid     [][]string // no bullet's text holds all of these
	}{
		{
			name:       "sudan pair",
			topic:      "sudan ceasefire talks",
			arts:       []article{arts[sudanOld], arts[sudanNew]},
			bullets:    [2]int{3, 3},
			want:       [][]string{{"Thursday"}, {"Muscat"}},
			wantChange: "from Doha to Muscat",
			forbid:     [][]string{{"Tuesday", "Doha"}},
		},
		{
			name:       "sudan among all articles",
			topic:      "sudan ceasefire talks",
			arts:       all,
			bullets:    [2]int{3, 6},
			want:       [][]string{{"Thursday"}, {"Muscat"}},
			wantChange: "from Tuesday 12 May to Thursday 14 May",
			forbid:     [][]string{{"Tuesday", "Doha"}},
		},
		{
			// One article makes a short summary, however long the article.
			name:    "alaska seed article",
			topic:   "alaska summit",
			arts:    []article{arts[alaska]},
			bullets: [2]int{1, 2},
			want:    [][]string{{"Friday’s summit"}},
		},
		{
			name:    "alaska among all articles",
			topic:   "alaska summit",
			arts:    all,
			bullets: [2]int{3, 6},
			want:    [][]string{{"Friday’s summit"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents := sentencesOf(tt.arts...)
			sum := summarize.Summarize(tt.topic, sents, summarize.Options{})
			if n := len(sum.Bullets); n < tt.bullets[0] || n > tt.bullets[1] {
				t.Fatalf("len(Bullets)=%d, want %d..%d:\n%s", n, tt.bullets[0], tt.bullets[1], render(sum))
			}
			if sum.Articles != len(tt.arts) {
				t.Errorf("Articles=%d, want %d", sum.Articles, len(tt.arts))
			}
			seen := make(map[int]bool)
			for _, b := range sum.Bullets {
				for _, i := range b.Sentences {
					if seen[i] {
						t.Errorf("sentence %d is in two bullets", i)
					}
					seen[i] = true
				}
				var texts []string
				for _, i := range b.Sentences {
					texts = append(texts, sents[i].Text)
					if sents[i].ArticleID != b.ArticleID {
						t.Errorf("bullet from %s holds sentence %d of %s", b.ArticleID, i, sents[i].ArticleID)
					}
				}
				if got := strings.Join(texts, " "); got != b.Text {
					t.Errorf("Text=%q, want its sentences %q", b.Text, got)
				}
				for _, f := range tt.forbid {
					if containsAll(b.Text, f) {
						t.Errorf("bullet %q states %q", b.Text, f)
					}
				}
			}
			for _, w := range tt.want {
				if !anyBullet(sum.Bullets, w) {
					t.Errorf("no bullet says any of %q:\n%s", w, render(sum))
				}
			}
			if tt.wantChange != "" && !anyChange(sum.Bullets, tt.wantChange) {
				t.Errorf("no bullet's Changed says %q:\n%s", tt.wantChange, render(sum))
			}
		})
	}
}

// TestSummarizeLength checks that a summary is as long as its topic is
// big: short for one article, longer for several, never over MaxBullets.
func TestSummarizeLength(t *testing.T) {
	arts := mustReadArticles(t)
	var many []summarize.Sentence
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, ss := range synthetic(12, "grain exports") {
		id := fmt.Sprintf("a%02d.md", i)
		for p, s := range ss[:8] {
			many = append(many, summarize.Sentence{Text: s, ArticleID: id, Title: "Grain export talks " + id,
				Published: start.AddDate(0, 0, 9*i), Position: p})
		}
	}
	tests := []struct {
		name     string
		sents    []summarize.Sentence
		max      int
		min, got int // bullets wanted, at least and at most
	}{
		{"one article", sentencesOf(arts[alaska]), 0, 1, 2},
		{"one article, one bullet", sentencesOf(arts[alaska]), 1, 1, 1},
		{"two reports of a story", sentencesOf(arts[sudanOld], arts[sudanNew]), 0, 3, 3},
		{"twelve articles", many, 0, 3, 7},
		{"twelve articles, at most four", many, 4, 3, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := summarize.Summarize("grain exports alaska summit sudan ceasefire talks", tt.sents, summarize.Options{MaxBullets: tt.max})
			if n := len(sum.Bullets); n < tt.min || n > tt.got {
				t.Errorf("len(Bullets)=%d, want %d..%d:\n%s", n, tt.min, tt.got, render(sum))
			}
		})
	}
}

func TestSummarizeConflicts(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	article := func(id string, published time.Time, texts ...string) []summarize.Sentence {
		var out []summarize.Sentence
		for i, s := range texts {
			out = append(out, summarize.Sentence{Text: s, ArticleID: id, Title: id, Published: published, Position: i})
		}
		return out
	}
	filler := []string{
		"Fishing fleets from both countries have clashed near the disputed banks for a decade.",
		"Norway's coastguard seized two Chilean trawlers last year, prompting a diplomatic protest.",
		"Officials in Santiago said quotas for hake and krill would top the agenda.",
	}
	tests := []struct {
		name       string
		sents      []summarize.Sentence
		want       string // some bullet holds this
		wantFrom   string // ... and is from this article
		forbid     string // no bullet holds this
		wantChange string
	}{
		{
			name: "newer place wins",
			sents: append(
				article("old", day(2), append([]string{"Fisheries talks between Norway and Chile will be held in Oslo on Friday, officials said."}, filler...)...),
				article("new", day(4), "Fisheries talks between Norway and Chile will be held in Bergen on Friday, officials said on Wednesday.")...),
			want:       "Bergen",
			forbid:     "Oslo",
			wantChange: "The talks were moved from Oslo to Bergen.",
		},
		{
			name: "newer date wins",
			sents: append(
				article("old", day(2), append([]string{"Fisheries talks between Norway and Chile will open in Oslo on 10 March."}, filler...)...),
				summarize.Sentence{
					Text: "Fisheries talks between Norway and Chile will now open in Oslo on 12 March.", ArticleID: "new",
					Published: day(4),
				}),
			want:       "12 March",
			forbid:     "10 March",
			wantChange: "The talks were moved from Tuesday 10 March to Thursday 12 March.",
		},
		{
			name: "older article is not contradicted by an unrelated one",
			sents: append(
				article("old", day(2), append([]string{"Fisheries talks between Norway and Chile will be held in Oslo on Friday, officials said."}, filler...)...),
				article("new", day(4), "Grain talks between Egypt and Kenya will be held in Nairobi on Monday.")...),
			want: "Oslo",
		},
		{
			name: "a wire copy makes one bullet, from the newer copy",
			sents: append(
				article("a", day(2), append([]string{"Fisheries talks between Norway and Chile will be held in Oslo on Friday, officials said."}, filler...)...),
				article("b", day(3), "Fisheries talks between Norway and Chile will be held in Oslo on Friday, officials said.")...),
			want:     "Oslo",
			wantFrom: "b",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := summarize.Summarize("norway chile fisheries talks", tt.sents, summarize.Options{})
			if tt.wantFrom != "" {
				for _, b := range sum.Bullets {
					if strings.Contains(b.Text, tt.want) && b.ArticleID != tt.wantFrom {
						t.Errorf("bullet %q from %q, want the newer %q", b.Text, b.ArticleID, tt.wantFrom)
					}
				}
			}
			if !anyBullet(sum.Bullets, []string{tt.want}) {
				t.Errorf("no bullet says %q:\n%s", tt.want, render(sum))
			}
			if tt.forbid != "" && anyBullet(sum.Bullets, []string{tt.forbid}) {
				t.Errorf("a bullet says %q:\n%s", tt.forbid, render(sum))
			}
			if tt.wantChange != "" && !anyChange(sum.Bullets, tt.wantChange) {
				t.Errorf("no bullet's Changed says %q:\n%s", tt.wantChange, render(sum))
			}
			var copies int
			for _, b := range sum.Bullets {
				if strings.Contains(b.Text, "held in Oslo") {
					copies++
				}
			}
			if copies > 1 {
				t.Errorf("%d bullets say the same thing:\n%s", copies, render(sum))
			}
		})
	}
}

func TestSummarizeSummary(t *testing.T) {
	arts := mustReadArticles(t)
	now := time.Date(2026, 5, 12, 0, 0, 0, 0, time.UTC)
	sum := summarize.Summarize("sudan ceasefire talks", sentencesOf(arts[sudanOld], arts[sudanNew]),
		summarize.Options{Now: func() time.Time { return now }})
	if sum.Articles != 2 {
		t.Errorf("Articles=%d, want 2", sum.Articles)
	}
	if !sum.From.Equal(arts[sudanOld].published) || !sum.To.Equal(arts[sudanNew].published) {
		t.Errorf("From, To=%v, %v, want %v, %v", sum.From, sum.To, arts[sudanOld].published, arts[sudanNew].published)
	}
	first := sum.Bullets[0]
	if first.ArticleID != sudanNew {
		t.Errorf("first bullet from %s, want the newer %s", first.ArticleID, sudanNew)
	}
	thursday := time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC)
	if !containsDate(first.Dates, thursday) {
		t.Errorf("first bullet Dates=%v, want %v among them", first.Dates, thursday)
	}

	if got := summarize.Summarize("anything", nil, summarize.Options{}); len(got.Bullets) != 0 || got.Articles != 0 {
		t.Errorf("Summarize(nil)=%+v, want an empty summary", got)
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// anyBullet reports whether a bullet's text holds any of subs.
func anyBullet(bs []summarize.Bullet, subs []string) bool {
	for _, b := range bs {
		for _, sub := range subs {
			if strings.Contains(b.Text, sub) {
				return true
			}
		}
	}
	return false
}

func anyChange(bs []summarize.Bullet, sub string) bool {
	for _, b := range bs {
		if strings.Contains(b.Changed, sub) {
			return true
		}
	}
	return false
}

func containsDate(ds []time.Time, d time.Time) bool {
	for _, x := range ds {
		if x.Equal(d) {
			return true
		}
	}
	return false
}

func render(sum summarize.Summary) string {
	var b strings.Builder
	for _, x := range sum.Bullets {
		b.WriteString("- " + x.Text)
		if x.Changed != "" {
			b.WriteString(" (" + x.Changed + ")")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestSummarizeStory summarises two reports of one story: the newer one
// extends the talks and moves the ministers' meeting. Its substance (the
// refused compromise) is in, the older report's overtaken plans are out,
// each change is said once, in a sentence, and a sentence both reports
// carry is one bullet citing both.
func TestSummarizeStory(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	report := func(id string, published time.Time, texts ...string) []summarize.Sentence {
		var out []summarize.Sentence
		for i, s := range texts {
			out = append(out, summarize.Sentence{Text: s, ArticleID: id, Title: "Senegal and Nigeria ceasefire talks", Published: published, Position: i})
		}
		return out
	}
	const shared = "The talks are the first direct contact between Senegal and Nigeria since the border clashes of January, which killed more than 40 people."
	sents := append(report("older.md", at(24, 9), // a Tuesday
		"Ceasefire talks between Senegal and Nigeria opened in Dakar on Monday and negotiators hoped to wrap up on Thursday, mediators from the African Union said.",
		"Foreign ministers of the two countries plan to meet in Dakar on Friday to endorse any deal.",
		shared,
		"Both delegations are staying at a government guest house outside the city.",
	), report("newer.md", at(27, 8), // a Friday
		"Ceasefire talks between Senegal and Nigeria were extended overnight until Saturday after Nigeria refused a compromise on the release of prisoners, African Union mediators said on Friday.",
		"The foreign ministers' meeting has been moved to Abuja on Saturday.",
		"Nigeria's chief negotiator, Amara Okafor, said the compromise would have left hundreds of detainees in limbo.",
		shared,
	)...)
	sum := summarize.Summarize("senegal nigeria ceasefire talks", sents, summarize.Options{})
	t.Logf("\n%s", render(sum))
	if n := len(sum.Bullets); n < 3 || n > 3 {
		t.Errorf("len(Bullets)=%d, want 3 for a story of two reports", n)
	}
	for _, b := range sum.Bullets {
		if b.ArticleID == "older.md" && (strings.Contains(b.Text, "wrap up on Thursday") || strings.Contains(b.Text, "in Dakar on Friday")) {
			t.Errorf("bullet %q states a plan the newer report overtook", b.Text)
		}
	}
	if !anyBullet(sum.Bullets, []string{"refused a compromise"}) {
		t.Errorf("no bullet has the newer report's refused compromise")
	}
	var changes []string
	for _, b := range sum.Bullets {
		if b.Changed != "" {
			changes = append(changes, b.Changed)
		}
		if b.Text == shared && !slices.Equal(b.Articles, []string{"newer.md", "older.md"}) && !slices.Equal(b.Articles, []string{"older.md", "newer.md"}) {
			t.Errorf("Articles of the shared sentence = %q, want both reports", b.Articles)
		}
	}
	want := []string{
		"The talks now end on Saturday 28 March, not Thursday 26 March.",
		"The meeting was moved from Friday 27 March in Dakar to Saturday 28 March in Abuja.",
	}
	if !slices.Equal(changes, want) {
		t.Errorf("Changed=%q, want each change once: %q", changes, want)
	}
}
