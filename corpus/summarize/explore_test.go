package summarize_test

import (
	"fmt"
	"testing"

	"attache/corpus/summarize"
)

func TestExplore(t *testing.T) {
	arts := mustReadArticles(t)
	var all []summarize.Sentence
	var docs []summarize.Doc
	for _, a := range arts {
		all = append(all, sentencesOf(a)...)
		docs = append(docs, docOf(a))
	}
	for _, topic := range []string{"sudan ceasefire talks", "alaska summit", "black sea shipping"} {
		s := summarize.Summarize(topic, all, summarize.Options{MaxBullets: 7})
		fmt.Println("==", topic, s.Articles, s.From, s.To)
		for _, b := range s.Bullets {
			fmt.Printf("- [%s %v] %s {%s} %v\n", b.ArticleID, b.Sentences, b.Text, b.Changed, b.Dates)
		}
	}
	s := summarize.Summarize("alaska summit", sentencesOf(arts["alaska-summit-starmer-zelensky.md"]), summarize.Options{MaxBullets: 7})
	fmt.Println("== alaska only")
	for _, b := range s.Bullets {
		fmt.Printf("- [%s %v] %s {%s} %v\n", b.ArticleID, b.Sentences, b.Text, b.Changed, b.Dates)
	}
	for _, st := range summarize.Group(docs, summarize.GroupOptions{}) {
		fmt.Printf("## %s\n   lead: %s\n   fp: %v facts: %v\n", st.Headline, st.Lead, st.Fingerprint, st.Facts)
		for _, l := range st.Links {
			fmt.Println("   ", l.ID, l.Published)
		}
	}
}

func TestExploreSims(t *testing.T) {
	arts := mustReadArticles(t)
	var docs []summarize.Doc
	for _, a := range arts {
		docs = append(docs, docOf(a))
	}
	for _, th := range []float64{0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.2, 0.21, 0.22, 0.23, 0.24, 0.25} {
		st := summarize.Group(docs, summarize.GroupOptions{Threshold: th})
		fmt.Println(th, len(st), len(st[0].Links))
	}
}
