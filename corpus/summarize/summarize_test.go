package summarize_test

import (
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
		max        int
		want       [][]string // each: some bullet holds one of these
		wantChange string     // some bullet's Changed holds this
		forbid     [][]string // no bullet's text holds all of these
	}{
		{
			name:       "sudan pair",
			topic:      "sudan ceasefire talks",
			arts:       []article{arts[sudanOld], arts[sudanNew]},
			want:       [][]string{{"Thursday"}, {"Muscat"}},
			wantChange: "Doha",
			forbid:     [][]string{{"Tuesday", "Doha"}},
		},
		{
			name:       "sudan among all articles",
			topic:      "sudan ceasefire talks",
			arts:       all,
			max:        7,
			want:       [][]string{{"Thursday"}, {"Muscat"}},
			wantChange: "Tuesday",
			forbid:     [][]string{{"Tuesday", "Doha"}},
		},
		{
			name:  "alaska seed article",
			topic: "alaska summit",
			arts:  []article{arts[alaska]},
			max:   7,
			want:  [][]string{{"Friday", "11:30 am local time"}, {"Anchorage"}, {"Ukraine excluded", "exclusion"}},
		},
		{
			name:  "alaska among all articles",
			topic: "alaska summit",
			arts:  all,
			max:   7,
			want:  [][]string{{"Friday", "11:30 am local time"}, {"Anchorage"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents := sentencesOf(tt.arts...)
			sum := summarize.Summarize(tt.topic, sents, summarize.Options{MaxBullets: tt.max})
			max := tt.max
			if max == 0 {
				max = 5
			}
			if n := len(sum.Bullets); n < 3 || n > max {
				t.Fatalf("len(Bullets)=%d, want 3..%d", n, max)
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

func TestSummarizeMaxBullets(t *testing.T) {
	sents := sentencesOf(mustReadArticles(t)[alaska])
	tests := []struct {
		max, want int
	}{
		{0, 5},
		{1, 3},
		{3, 3},
		{6, 6},
		{20, 7},
	}
	for _, tt := range tests {
		sum := summarize.Summarize("alaska summit", sents, summarize.Options{MaxBullets: tt.max})
		if got := len(sum.Bullets); got != tt.want {
			t.Errorf("MaxBullets %d: len(Bullets)=%d, want %d", tt.max, got, tt.want)
		}
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
			wantChange: "changed from Oslo",
		},
		{
			name: "newer date wins, given by the caller",
			sents: append(
				article("old", day(2), append([]string{"Fisheries talks between Norway and Chile will open in Oslo on 10 March."}, filler...)...),
				summarize.Sentence{
					Text: "Fisheries talks between Norway and Chile will now open in Oslo on 12 March.", ArticleID: "new",
					Published: day(4), Dates: []time.Time{time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)},
				}),
			want:       "12 March",
			forbid:     "10 March",
			wantChange: "changed from Tuesday 10 March",
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
