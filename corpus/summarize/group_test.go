package summarize_test

import (
	"fmt"
	"slices"
	"testing"

	"attache/corpus"
	"attache/corpus/corpustest"
	"attache/corpus/summarize"
)

// bcubed scores a grouping of items against the true one by B-cubed
// precision, recall and F1: for each item, the share of its group that
// is in its true group, and the share of its true group that is in its
// group, averaged over the items.
func bcubed(got map[string]int, want map[string]string) (p, r, f float64) {
	gotSize := map[int]int{}
	wantSize := map[string]int{}
	both := map[string]int{}
	for id, g := range got {
		gotSize[g]++
		wantSize[want[id]]++
		both[fmt.Sprint(g, "|", want[id])]++
	}
	for id, g := range got {
		n := float64(both[fmt.Sprint(g, "|", want[id])])
		p += n / float64(gotSize[g])
		r += n / float64(wantSize[want[id]])
	}
	p /= float64(len(got))
	r /= float64(len(got))
	return p, r, 2 * p * r / (p + r)
}

func docsOf(arts []corpus.Article) []summarize.Doc {
	docs := make([]summarize.Doc, len(arts))
	for i, a := range arts {
		var ss []string
		for _, p := range a.Paragraphs {
			ss = append(ss, corpus.Sentences(p)...)
		}
		docs[i] = summarize.Doc{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published, Sentences: ss}
	}
	return docs
}

// TestGroupPlanted scores Group on stories of 2 to 6 reports planted among
// near misses: the same countries on another subject, the same subject
// between others, the same city, a later round.
func TestGroupPlanted(t *testing.T) {
	planted := corpustest.Stories(1200, 7)
	stories := summarize.Group(docsOf(planted.Articles), summarize.GroupOptions{})
	got := map[string]int{}
	for n, st := range stories {
		for _, l := range st.Links {
			got[l.ID] = n
		}
	}
	p, r, f := bcubed(got, planted.Story)
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
