package summarize

import (
	"attache/corpus"
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Doc is an article to be grouped into stories.
type Doc struct {
	corpus.Meta
	// Sentences are the article's sentences in order.
	Sentences []string
}

// Link is an article of a story.
type Link = corpus.Meta

// Facts are the dates and places a story's headline and lead give for
// what happens: what Changes compares between digests.
type Facts struct {
	// Dates are calendar days at midnight UTC, without the days on which
	// things were said.
	Dates  []time.Time
	Places []string
}

// Story is a group of articles about the same event or thread of news.
type Story struct {
	// Headline is the title of the newest article.
	Headline string
	// Lead is the sentence that best says what happened, preferably from
	// the newest article.
	Lead string
	// LeadID is the ID of the article Lead is from.
	LeadID string
	// Links are the story's articles, newest first.
	Links []Link
	// Fingerprint is the story's key terms, sorted: stemmed words that
	// weigh most in its articles' titles and leads. Match compares them.
	Fingerprint []string
	Facts       Facts
	// Published is when the newest article was published.
	Published time.Time

	// terms are all the terms of the titles and first sentences of the
	// story's articles, sorted, for Match.
	terms []string
}

// GroupOptions tune Group.
type GroupOptions struct {
	// Threshold is the average similarity of two groups of articles above
	// which they are one story; see Group. When 0, DefaultThreshold.
	Threshold float64
}

// DefaultThreshold is the similarity above which articles are one story
// when GroupOptions leaves it unset. On the development articles the three
// pairs of reports of one event score 0.19 (an OPEC+ preview and its
// reworded outcome) to 0.49, and no other pair shares a party; on stories
// planted among near misses (corpustest.Stories) 0.15 keeps B-cubed F1
// above 0.99, and the near misses that score above it (the same two
// countries on a like subject, in the same days) rarely outweigh a story's
// other reports.
const DefaultThreshold = 0.15

// Tuning of Group.
const (
	docSentences    = 3  // sentences after the title that describe an article
	leadContext     = 8  // sentences of each article that a lead must be central among
	leadArticles    = 12 // newest articles of a story that its lead is looked for in
	fingerprintSize = 10 // terms in a Fingerprint
)

// Group puts docs that report the same event together: two articles are
// one story when they name the same parties (the people, countries and
// bodies of their headline and first sentences, places aside), are about
// the same subject (the other words of those) and were published close in
// time. It scores a pair of articles as the product of the three (less
// when their headlines put the events in different places), and merges
// groups while they are similar enough on average (average-link
// clustering, where articles that share no party count as unlike), so that
// copies of a wire story and the updates of an event fall together while
// articles that share a country, a city or a word do not. Stories come
// newest first.
func Group(docs []Doc, opt GroupOptions) []Story {
	if len(docs) == 0 {
		return nil
	}
	threshold := cmp.Or(opt.Threshold, DefaultThreshold)

	// Fingerprints and Match compare all the terms of titles and leads.
	voc := newVocab()
	bags := make([][]int32, len(docs))
	for i, d := range docs {
		// The title counts twice: it is the densest statement of the story.
		ts := textTerms(d.Title)
		ts = append(ts, ts...)
		for _, s := range d.Sentences[:min(docSentences, len(d.Sentences))] {
			ts = append(ts, textTerms(s)...)
		}
		bags[i] = voc.add(ts)
	}
	vecs := make([]vec, len(docs))
	for i := range docs {
		vecs[i] = voc.vector(bags[i])
	}

	names := voc.terms()
	var stories []Story
	for _, members := range readEvents(docs).events(threshold) {
		stories = append(stories, story(docs, vecs, names, members))
	}
	slices.SortStableFunc(stories, func(a, b Story) int {
		return b.Published.Compare(a.Published)
	})
	return stories
}

// Events numbers the stories of docs as Group finds them, without
// describing them: docs with the same number report the same event. It is
// what to call to decide whether two articles are reports of one story
// (and so the newer wins), given their titles and first sentences.
func Events(docs []Doc) []int {
	out := make([]int, len(docs))
	for n, members := range readEvents(docs).events(DefaultThreshold) {
		for _, m := range members {
			out[m] = n
		}
	}
	return out
}

// story describes the docs with the given indexes as one story.
func story(docs []Doc, vecs []vec, names []string, members []int) Story {
	members = slices.Clone(members)
	slices.SortStableFunc(members, func(a, b int) int {
		return docs[b].Published.Compare(docs[a].Published)
	})
	newest := docs[members[0]]
	st := Story{Headline: newest.Title, Published: newest.Published}
	for _, m := range members {
		d := docs[m]
		st.Links = append(st.Links, d.Meta)
	}

	var centroid vec
	for _, m := range members {
		centroid = addVec(centroid, vecs[m])
	}
	st.Fingerprint = fingerprint(centroid, names)
	for _, id := range centroid.ids {
		st.terms = append(st.terms, names[id])
	}
	slices.Sort(st.terms)

	leadDoc, lead := chooseLead(docs, members)
	st.Lead, st.LeadID = lead, docs[leadDoc].ID
	for _, t := range []struct {
		text string
		ref  time.Time
	}{{newest.Title, newest.Published}, {lead, docs[leadDoc].Published}} {
		f := readFacts(t.text, scan(t.text), t.ref)
		for _, d := range f.when {
			st.Facts.Dates = appendDate(st.Facts.Dates, d)
		}
		for _, p := range f.where {
			if !slices.Contains(st.Facts.Places, p) {
				st.Facts.Places = append(st.Facts.Places, p)
			}
		}
	}
	slices.SortFunc(st.Facts.Dates, time.Time.Compare)
	return st
}

// fingerprint returns the heaviest terms of a story's summed vectors,
// sorted.
func fingerprint(centroid vec, names []string) []string {
	order := make([]int, len(centroid.ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(centroid.ws[b], centroid.ws[a]); c != 0 {
			return c
		}
		return cmp.Compare(names[centroid.ids[a]], names[centroid.ids[b]])
	})
	var out []string
	for _, i := range order {
		if len(out) == fingerprintSize {
			break
		}
		// Dates and numbers change as a story moves on; they make a
		// poor key.
		t := names[centroid.ids[i]]
		if isDateWord(t) || strings.IndexFunc(t, unicode.IsDigit) >= 0 {
			continue
		}
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// chooseLead returns the sentence of the story that best says what
// happened, and the index of its doc: one of the first docSentences
// sentences of an article, by LexRank centrality among the first
// leadContext sentences of the story's articles, biased towards the
// newest headline, weighed with position and with a preference for the
// newest article. Only the leadArticles newest articles take part, which
// keeps big stories cheap and their leads current. members are newest
// first.
func chooseLead(docs []Doc, members []int) (int, string) {
	type sent struct{ doc, pos int }
	var ss []sent
	voc := newVocab()
	var bags [][]int32
	for _, m := range members[:min(leadArticles, len(members))] {
		for p, s := range docs[m].Sentences[:min(leadContext, len(docs[m].Sentences))] {
			ss = append(ss, sent{m, p})
			bags = append(bags, voc.add(textTerms(s)))
		}
	}
	if len(ss) == 0 {
		return members[0], ""
	}
	vs := make([]vec, len(ss))
	for i := range ss {
		vs[i] = voc.vector(bags[i])
	}
	head := unit(voc.vector(voc.lookup(textTerms(docs[members[0]].Title))))
	prior := make([]float64, len(ss))
	keep := make([]bool, len(ss))
	for i := range ss {
		prior[i] = 0.05 + dot(head, vs[i])
		keep[i] = true
	}
	cent := lexRank(simMatrix(vs), len(ss), keep, prior)
	var maxCent, maxPrior float64
	for i := range ss {
		maxCent = math.Max(maxCent, cent[i])
		maxPrior = math.Max(maxPrior, prior[i])
	}
	best, bestScore := 0, -1.0
	for i, s := range ss {
		if s.pos >= docSentences {
			continue
		}
		// A news story's first sentence is written to say what
		// happened, so position weighs more here than in summaries.
		text := docs[s.doc].Sentences[s.pos]
		ws := scan(text)
		score := (0.35*cent[i]/maxCent + 0.25*prior[i]/maxPrior + 0.4/(1+float64(s.pos))) *
			quality(text, ws, readFacts(text, ws, docs[s.doc].Published))
		if s.doc != members[0] {
			score *= 0.75
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return ss[best].doc, docs[ss[best].doc].Sentences[ss[best].pos]
}
