package summarize_test

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"attache/corpus"
	"attache/corpus/corpustest"
	"attache/corpus/summarize"
)

func docsOf(arts []corpus.Article) []summarize.Doc {
	docs := make([]summarize.Doc, len(arts))
	for i, a := range arts {
		var ss []string
		for _, p := range a.Paragraphs {
			ss = append(ss, corpus.Sentences(p)...)
		}
		docs[i] = summarize.Doc{Meta: a.Meta(), Sentences: ss}
	}
	return docs
}

// TestGroupPlanted scores Group on stories of 2 to 6 reports planted among
// near misses: the same countries on another subject, the same subject
// between others, the same city, a later round.
func TestGroupPlanted(t *testing.T) {
	planted := corpustest.Stories(1200, 7)
	stories := summarize.Group(docsOf(planted.Articles), summarize.GroupOptions{})
	got := map[string]string{}
	for n, st := range stories {
		for _, l := range st.Links {
			got[l.ID] = fmt.Sprint(n)
		}
	}
	p, r, f := planted.BCubed(got)
	t.Logf("%d articles, %d planted stories, %d found: B-cubed precision %.3f recall %.3f F1 %.3f",
		len(planted.Articles), countStories(planted.Story), len(stories), p, r, f)
	if f < 0.9 {
		t.Errorf("B-cubed F1 %.3f, want at least 0.90", f)
	}
	if testing.Verbose() {
		shown := 0
		for _, st := range stories {
			ids := linkIDs(st)
			var keys []string
			for _, id := range ids {
				keys = append(keys, planted.Story[id])
			}
			mixed := slices.ContainsFunc(keys, func(k string) bool { return k != keys[0] })
			if mixed && shown < 15 {
				shown++
				t.Logf("mixed story %q:", st.Headline)
				for _, id := range ids {
					t.Logf("   %s %s", planted.Story[id], title(planted.Articles, id))
				}
			}
		}
	}
}

func countStories(m map[string]string) int {
	seen := map[string]bool{}
	for _, k := range m {
		seen[k] = true
	}
	return len(seen)
}

func title(arts []corpus.Article, id string) string {
	for _, a := range arts {
		if a.ID == id {
			return a.Published.Format("01-02 15h ") + a.Title
		}
	}
	return ""
}

// TestGroupGenerated groups 3,000 generated articles, each of two random
// countries negotiating a random subject in a random city, as a digest of
// a busy archive would: articles join a story only when they report the
// same talks (the same two countries on the same subject), never a city
// or a word in common, and no story grows into a heap of unrelated talks.
func TestGroupGenerated(t *testing.T) {
	arts := corpustest.Generate(3000, 5)
	title := regexp.MustCompile(`^(\S+) and (\S+) resume (.+) talks in (\S+)$`)
	talks := func(a corpus.Article) string {
		m := title.FindStringSubmatch(a.Title)
		if m == nil {
			t.Fatalf("title %q does not parse", a.Title)
		}
		x, y := m[1], m[2]
		if y < x {
			x, y = y, x
		}
		return x + "|" + y + "|" + m[3]
	}
	byID := map[string]corpus.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	stories := summarize.Group(docsOf(arts), summarize.GroupOptions{})
	largest := 0
	for _, st := range stories {
		largest = max(largest, len(st.Links))
		first := talks(byID[st.Links[0].ID])
		for _, l := range st.Links[1:] {
			if got := talks(byID[l.ID]); got != first {
				t.Errorf("story %q mixes %s with %s", st.Headline, first, got)
			}
		}
	}
	t.Logf("%d articles, %d stories, the largest of %d", len(arts), len(stories), largest)
	if largest > 6 {
		t.Errorf("largest story has %d articles, want at most 6", largest)
	}
}
