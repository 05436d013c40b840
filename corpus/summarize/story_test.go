package summarize_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/corpus/summarize"
)

func TestGroup(t *testing.T) {
	arts := mustReadArticles(t)
	var docs []summarize.Doc
	for _, a := range arts {
		docs = append(docs, docOf(a))
	}
	stories := summarize.Group(docs, summarize.GroupOptions{})

	tests := []struct {
		name  string
		links []string // the story's article IDs, newest first
		lead  string   // the lead holds this
	}{
		{"sudan", []string{sudanNew, sudanOld}, "Muscat"},
		{"alaska", []string{alaska}, "Friday"},
		{"asean", []string{"asean-ministers-jakarta-code-of-conduct.md"}, "Jakarta"},
		{"black sea", []string{"black-sea-shipping-talks-istanbul.md"}, "Istanbul"},
		{"eu sanctions", []string{"eu-sanctions-package-shadow-fleet.md"}, "sanctions"},
		{"wto", []string{"wto-fisheries-subsidies-dispute-geneva.txt"}, "Ecuador"},
	}
	if len(stories) != len(tests) {
		t.Fatalf("len(Group)=%d, want %d:\n%s", len(stories), len(tests), renderStories(stories))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, ok := storyWith(stories, tt.links[0])
			if !ok {
				t.Fatalf("no story holds %s", tt.links[0])
			}
			if got := linkIDs(st); !slices.Equal(got, tt.links) {
				t.Fatalf("Links=%q, want %q", got, tt.links)
			}
			if want := arts[tt.links[0]].title; st.Headline != want {
				t.Errorf("Headline=%q, want %q", st.Headline, want)
			}
			if !strings.Contains(st.Lead, tt.lead) {
				t.Errorf("Lead=%q, want it to say %q", st.Lead, tt.lead)
			}
			if len(st.Fingerprint) == 0 || !slices.IsSorted(st.Fingerprint) {
				t.Errorf("Fingerprint=%q, want sorted key terms", st.Fingerprint)
			}
		})
	}

	sudan, _ := storyWith(stories, sudanNew)
	if sudan.LeadID != sudanNew {
		t.Errorf("sudan LeadID=%q, want the newest article %q", sudan.LeadID, sudanNew)
	}
	thursday := time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC)
	if !slices.ContainsFunc(sudan.Facts.Dates, thursday.Equal) || !slices.Contains(sudan.Facts.Places, "Muscat") {
		t.Errorf("sudan Facts=%+v, want Thursday 14 May and Muscat", sudan.Facts)
	}
	if slices.Contains(sudan.Facts.Places, "Doha") {
		t.Errorf("sudan Facts=%+v, want no Doha: the talks moved away from it", sudan.Facts)
	}
	for i := 1; i < len(stories); i++ {
		if stories[i].Published.After(stories[i-1].Published) {
			t.Errorf("story %d is newer than story %d", i, i-1)
		}
	}
}

func TestGroupWireCopy(t *testing.T) {
	arts := mustReadArticles(t)
	orig := docOf(arts["black-sea-shipping-talks-istanbul.md"])
	wire := orig
	wire.ID, wire.Source, wire.URL = "copy.md", "Other Paper", "https://other.invalid/black-sea"
	wire.Title = "Black Sea talks yield outline deal on ship inspections"
	wire.Published = orig.Published.Add(3 * time.Hour)
	wire.Sentences = wire.Sentences[:4]

	stories := summarize.Group([]summarize.Doc{orig, docOf(arts[alaska]), wire, docOf(arts[sudanOld])}, summarize.GroupOptions{})
	if len(stories) != 3 {
		t.Fatalf("len(Group)=%d, want 3:\n%s", len(stories), renderStories(stories))
	}
	st, _ := storyWith(stories, "copy.md")
	if got, want := linkIDs(st), []string{"copy.md", orig.ID}; !slices.Equal(got, want) {
		t.Errorf("Links=%q, want %q", got, want)
	}
	if summarize.Group(nil, summarize.GroupOptions{}) != nil {
		t.Errorf("Group(nil) is not nil")
	}
}

func TestChanges(t *testing.T) {
	arts := mustReadArticles(t)
	var before []summarize.Doc // the last digest: everything but the Muscat report
	for _, a := range arts {
		if a.id != sudanNew {
			before = append(before, docOf(a))
		}
	}
	var prev []summarize.StoryState
	for _, st := range summarize.Group(before, summarize.GroupOptions{}) {
		prev = append(prev, st.State())
	}
	// The states go through JSON, as they would between digests.
	data, err := json.Marshal(prev)
	if err != nil {
		t.Fatal(err)
	}
	prev = nil
	if err := json.Unmarshal(data, &prev); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		docs      []string
		story     string // the story to look up, by one of its articles
		wantMatch string // the headline of the matched state, "" for none
		want      []string
	}{
		{
			name:      "both sudan reports",
			docs:      []string{sudanOld, sudanNew},
			story:     sudanNew,
			wantMatch: arts[sudanOld].title,
			want:      []string{"The talks were postponed from Tuesday 12 May to Thursday 14 May and moved from Doha to Muscat."},
		},
		{
			name:      "only the newer sudan report",
			docs:      []string{sudanNew},
			story:     sudanNew,
			wantMatch: arts[sudanOld].title,
			want:      []string{"The talks were postponed from Tuesday 12 May to Thursday 14 May and moved from Doha to Muscat."},
		},
		{
			name:      "unchanged story",
			docs:      []string{alaska},
			story:     alaska,
			wantMatch: arts[alaska].title,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var docs []summarize.Doc
			for _, id := range tt.docs {
				docs = append(docs, docOf(arts[id]))
			}
			cur, ok := storyWith(summarize.Group(docs, summarize.GroupOptions{}), tt.story)
			if !ok {
				t.Fatalf("no story holds %s", tt.story)
			}
			st, ok := summarize.Match(prev, cur)
			if !ok {
				t.Fatalf("Match found nothing for %q", cur.Headline)
			}
			if st.Headline != tt.wantMatch {
				t.Fatalf("Match=%q, want %q", st.Headline, tt.wantMatch)
			}
			if got := summarize.Changes(st, cur); !slices.Equal(got, tt.want) {
				t.Errorf("Changes=%q, want %q", got, tt.want)
			}
		})
	}

	t.Run("new story", func(t *testing.T) {
		var sudanOnly []summarize.StoryState
		for _, st := range prev {
			if slices.Contains(st.Articles, sudanOld) {
				sudanOnly = append(sudanOnly, st)
			}
		}
		cur := summarize.Group([]summarize.Doc{docOf(arts[alaska])}, summarize.GroupOptions{})[0]
		if st, ok := summarize.Match(sudanOnly, cur); ok {
			t.Errorf("Match=%q, want none", st.Headline)
		}
	})
}

func storyWith(stories []summarize.Story, id string) (summarize.Story, bool) {
	for _, st := range stories {
		if slices.Contains(linkIDs(st), id) {
			return st, true
		}
	}
	return summarize.Story{}, false
}

func linkIDs(st summarize.Story) []string {
	var ids []string
	for _, l := range st.Links {
		ids = append(ids, l.ID)
	}
	return ids
}

func renderStories(stories []summarize.Story) string {
	var b strings.Builder
	for _, st := range stories {
		b.WriteString("- " + st.Headline + ": " + strings.Join(linkIDs(st), ", ") + "\n")
	}
	return b.String()
}

func TestEvents(t *testing.T) {
	arts := mustReadArticles(t)
	docs := []summarize.Doc{docOf(arts[sudanOld]), docOf(arts[alaska]), docOf(arts[sudanNew])}
	got := summarize.Events(docs)
	if got[0] != got[2] || got[0] == got[1] {
		t.Errorf("Events=%v, want the two Sudan reports alike and Alaska apart", got)
	}
}
