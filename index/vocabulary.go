package index

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// vocabulary is the set of terms in the passage text field with their
// document frequencies: the basis of term weights and typo correction.
type vocabulary struct {
	docs  int
	df    map[string]int
	byLen map[int][]string // terms by rune length, for correction
	// entities are the terms written capitalised (within sentences) in
	// at least half the passages that hold them: names of people, places
	// and bodies.
	entities map[string]bool
	// titles maps a term found in headlines to the articles whose
	// headline holds it: a word only a headline uses is still known.
	titles map[string][]string
	// acronyms maps an acronym (lower case) to the name it stands for,
	// over all articles.
	acronyms map[string]string
}

// knows reports whether the corpus holds term, in a passage or a headline.
func (v *vocabulary) knows(term string) bool {
	return v.df[term] > 0 || len(v.titles[term]) > 0
}

// knowsAll reports whether the corpus holds every one of terms.
func (v *vocabulary) knowsAll(terms []string) bool {
	for _, t := range terms {
		if !v.knows(t) {
			return false
		}
	}
	return len(terms) > 0
}

// passageDF is the number of passages holding term, counting a term of
// headlines only as found in one passage: rare.
func (v *vocabulary) passageDF(term string) int {
	if df := v.df[term]; df > 0 {
		return df
	}
	if len(v.titles[term]) > 0 {
		return 1
	}
	return 0
}

// loadVocabulary reads the text field's dictionary.
func (ix *Index) loadVocabulary() (*vocabulary, error) {
	ix.mu.RLock()
	v := ix.vocab
	ix.mu.RUnlock()
	if v != nil {
		return v, nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.vocab != nil {
		return ix.vocab, nil
	}
	if ix.bleve == nil {
		return nil, ErrClosed
	}
	dict, err := ix.bleve.FieldDict(fieldText)
	if err != nil {
		return nil, fmt.Errorf("read dictionary: %w", err)
	}
	defer dict.Close()
	v = &vocabulary{df: map[string]int{}, byLen: map[int][]string{}}
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("read dictionary: %w", err)
		}
		if e == nil {
			break
		}
		v.df[e.Term] = int(e.Count)
		n := len([]rune(e.Term))
		v.byLen[n] = append(v.byLen[n], e.Term)
	}
	for _, m := range ix.articles {
		v.docs += m.Passages
	}
	v.entities = entities(ix.articles, v.df)
	v.titles, v.acronyms = headlinesAndAcronyms(ix.articles)
	ix.vocab = v
	return v, nil
}

// entities returns the terms that the articles write capitalised in at
// least half the passages that hold them: names rather than words.
func entities(articles map[string]articleMeta, df map[string]int) map[string]bool {
	capitals := map[string]int{}
	for _, m := range articles {
		m.Capitals.each(func(term string, n int) { capitals[term] += n })
	}
	out := map[string]bool{}
	for term, n := range capitals {
		if 2*n >= df[term] {
			out[term] = true
		}
	}
	return out
}

// headlinesAndAcronyms collects, from the manifest, which articles each
// headline term belongs to and the acronyms the articles define, the name
// found in the most articles winning (ties by name, for reproducible
// answers).
func headlinesAndAcronyms(articles map[string]articleMeta) (map[string][]string, map[string]string) {
	titles := map[string][]string{}
	votes := map[string]map[string]int{}
	ids := make([]string, 0, len(articles))
	for id := range articles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		m := articles[id]
		for _, t := range m.titleTerms() { // each once
			titles[t] = append(titles[t], id)
		}
		for acr, name := range m.Acronyms {
			if votes[acr] == nil {
				votes[acr] = map[string]int{}
			}
			votes[acr][name]++
		}
	}
	return titles, mostVoted(votes)
}

// eachCapitalised calls f with each capitalised word of a sentence after
// its first word, where capitals mark names rather than the start of a
// sentence. Words are letters, digits, apostrophes and hyphens.
func eachCapitalised(text string, f func(word string)) {
	first := true
	start := -1 // of the word being read
	word := func(end int) {
		w := text[start:end]
		start = -1
		if first {
			first = false
			return
		}
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			f(w)
		}
	}
	for i := 0; i < len(text); {
		at := i
		var inWord bool
		if c := text[i]; c < utf8.RuneSelf {
			inWord = isASCIILetter(c) || c >= '0' && c <= '9' || c == '\'' || c == '-'
			i++
		} else {
			r, n := utf8.DecodeRuneInString(text[i:])
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r) || r == '’'
			i += n
		}
		switch {
		case inWord && start < 0:
			start = at
		case !inWord && start >= 0:
			word(at)
		}
	}
	if start >= 0 {
		word(len(text))
	}
}

// idf is BM25's inverse document frequency of a term found in df passages.
func (v *vocabulary) idf(df int) float64 {
	n := float64(max(v.docs, 1))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// correct returns the known term closest to an unknown one — one edit for
// short words, two for long ones, the most frequent on a tie — and whether
// there was one.
func (v *vocabulary) correct(term string) (string, bool) {
	r := []rune(term)
	if len(r) < 4 || isNumeric(term) {
		return "", false
	}
	maxEdits := 1
	if len(r) >= 6 {
		maxEdits = 2
	}
	best, bestD, bestDF := "", maxEdits+1, 0
	for n := len(r) - maxEdits; n <= len(r)+maxEdits; n++ {
		for _, cand := range v.byLen[n] {
			// Typos rarely touch the first letter; requiring it keeps the
			// scan short and the corrections sane.
			if cand[0] != term[0] {
				continue
			}
			d := editDistance(term, cand, maxEdits)
			if d > maxEdits {
				continue
			}
			if d < bestD || d == bestD && v.df[cand] > bestDF {
				best, bestD, bestDF = cand, d, v.df[cand]
			}
		}
	}
	return best, best != ""
}

func isNumeric(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var (
	analyzerOnce sync.Once
	theAnalyzer  analysis.Analyzer
)

// analyzer returns the index's text analyzer, for questions and for
// finding the question's words in a passage.
func analyzer() analysis.Analyzer {
	analyzerOnce.Do(func() {
		m, err := newMapping()
		if err != nil {
			panic(err) // the mapping is a constant: a failure is a bug
		}
		theAnalyzer = m.AnalyzerNamed(analyzerName)
		if theAnalyzer == nil {
			panic("index: analyzer " + analyzerName + " not registered")
		}
	})
	return theAnalyzer
}

// capitalTerms keeps the terms of the single words that the facts of every
// article analyse, its capitalised words: the same names come back in
// article after article.
var capitalTerms wordTerms

// wordTerms maps words to their terms, up to maxCachedWords words.
type wordTerms struct {
	m sync.Map // word → []string
	n atomic.Int64
}

const maxCachedWords = 1 << 16

// of returns the terms of word w, as stems would.
func (c *wordTerms) of(w string) []string {
	if ts, ok := c.m.Load(w); ok {
		return ts.([]string)
	}
	ts := stems(w)
	if c.n.Load() < maxCachedWords {
		// A copy, so that the cache does not hold the text w is part of.
		if _, loaded := c.m.LoadOrStore(strings.Clone(w), ts); !loaded {
			c.n.Add(1)
		}
	}
	return ts
}

// stems analyses text into its terms, in order.
func stems(text string) []string {
	toks := analyzer().Analyze([]byte(text))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
}
