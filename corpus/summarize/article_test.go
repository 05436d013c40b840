package summarize_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/corpus"
	"attache/corpus/summarize"
)

// article is a test article read from testdata.
type article struct {
	id, title, source, url string
	published              time.Time
	sentences              []string
}

// mustReadArticles reads the articles in testdata: front matter between
// "---" lines and then one paragraph a line, or for .txt files a title
// line and then paragraphs.
func mustReadArticles(tb testing.TB) map[string]article {
	tb.Helper()
	paths, err := filepath.Glob("testdata/*.*")
	if err != nil {
		tb.Fatal(err)
	}
	arts := make(map[string]article)
	for _, p := range paths {
		if ext := filepath.Ext(p); ext != ".md" && ext != ".txt" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		a := article{id: filepath.Base(p)}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if lines[0] == "---" {
			end := slices.Index(lines[1:], "---") + 1
			for _, l := range lines[1:end] {
				k, v, _ := strings.Cut(l, ":")
				v = strings.Trim(strings.TrimSpace(v), `"`)
				switch k {
				case "title":
					a.title = v
				case "source":
					a.source = v
				case "url":
					a.url = v
				case "published":
					if a.published, err = time.Parse(time.RFC3339, v); err != nil {
						tb.Fatalf("%s: published: %v", p, err)
					}
				}
			}
			lines = lines[end+1:]
		} else {
			a.title, lines = lines[0], lines[1:]
		}
		for _, l := range lines {
			a.sentences = append(a.sentences, corpus.Sentences(l)...)
		}
		arts[a.id] = a
	}
	if len(arts) == 0 {
		tb.Fatal("no articles in testdata")
	}
	return arts
}

// sentencesOf turns articles into candidate sentences for Summarize.
func sentencesOf(arts ...article) []summarize.Sentence {
	var out []summarize.Sentence
	for _, a := range arts {
		for i, s := range a.sentences {
			out = append(out, summarize.Sentence{
				Text:      s,
				ArticleID: a.id,
				Title:     a.title,
				URL:       a.url,
				Source:    a.source,
				Published: a.published,
				Position:  i,
			})
		}
	}
	return out
}

// docOf turns an article into a document for Group.
func docOf(a article) summarize.Doc {
	return summarize.Doc{
		Meta:      corpus.Meta{ID: a.id, Title: a.title, URL: a.url, Source: a.source, Published: a.published},
		Sentences: a.sentences,
	}
}
