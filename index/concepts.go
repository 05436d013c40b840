package index

import (
	"slices"
	"sync"

	"attache/index/lexicon"
)

// matchKind is how a term came to stand for a question's word; the ranking
// credits each kind with its own fitted weight, an exact match above the
// others.
type matchKind int

const (
	matchExact   matchKind = iota // the word itself, another form of it, or its spelling fixed
	matchSynonym                  // a synonym group of the field (synonyms.go)
	matchLexical                  // a WordNet synonym or derived form, or the name an acronym stands for
)

// alt is one way a question's word can be found in a passage: all its
// terms present (one term, or the words of a name an acronym stands for).
type alt struct {
	terms []string
	kind  matchKind
}

// concept is one content word of a question with the ways it can be found.
type concept struct {
	word   string
	alts   []alt
	weight float64
	// entity reports whether the word names a person, place or body the
	// corpus knows by name: an article that never names it is about
	// something else.
	entity bool
}

// known reports whether the corpus holds the concept at all.
func (c concept) known() bool { return len(c.alts) > 0 }

// maxAlts bounds the ways one word is looked for: enough for its forms,
// synonyms and an acronym, few enough to keep a search cheap.
const maxAlts = 10

// concepts turns the question's content words into weighted concepts:
// each word's own term (its spelling fixed when it is neither a word of the
// corpus nor of English), its other forms, its synonyms, the name it
// stands for when it is an acronym, and a weight from how rare it is.
func (ix *Index) concepts(pq question, vocab *vocabulary) []concept {
	syn := synonymIndex()
	var out []concept
	seen := map[string]bool{}
	for _, w := range pq.words {
		terms := stems(w)
		name, isAcronym := vocab.acronyms[w]
		// An ordinary word that happens to be some name's initials ("era")
		// is the word: an acronym it is when the corpus writes it as a
		// name (OPEC), does not use it at all, or when it is a question
		// word that names something ("rejoin the WHO").
		if isAcronym && !isQuestionWord(w) && vocab.knowsAll(terms) && !(len(terms) == 1 && vocab.entities[terms[0]]) {
			isAcronym = false
		}
		if len(terms) == 0 && !(isAcronym && isQuestionWord(w)) {
			continue
		}
		// A word asked twice ("law … laws", "EU … EU's") is one concept.
		if len(terms) > 0 && allSeen(terms, seen) {
			continue
		}
		for _, t := range terms {
			seen[t] = true
		}
		c := concept{word: w}
		add := func(kind matchKind, ts ...string) {
			if len(ts) == 0 || len(c.alts) >= maxAlts || !vocab.knowsAll(ts) {
				return
			}
			for _, a := range c.alts {
				if slices.Equal(a.terms, ts) {
					return
				}
			}
			c.alts = append(c.alts, alt{terms: ts, kind: kind})
		}
		own := terms
		if len(terms) == 1 && !vocab.knows(terms[0]) && !lexicon.IsWord(w) && !isAcronym && !knownSynonym(syn[terms[0]], vocab) {
			// Only a word that is neither the corpus's nor English is a
			// typo: "born" is not "Bonn", "weather" not "whether".
			if fixed, ok := vocab.correct(terms[0]); ok {
				own = []string{fixed}
			}
		}
		for _, t := range own {
			add(matchExact, t)
		}
		for _, b := range lexicon.Base(w) {
			for _, t := range stems(b) {
				add(matchExact, t)
			}
		}
		if isAcronym {
			add(matchLexical, stems(name)...)
		}
		for _, t := range own {
			for _, s := range syn[t] {
				add(matchSynonym, s...)
			}
		}
		for _, r := range lexicon.Lookup(w) {
			add(matchLexical, stems(r.Word)...)
		}
		c.weight = vocab.conceptWeight(c)
		c.entity = len(own) == 1 && vocab.entities[own[0]] || isAcronym && c.known()
		out = append(out, c)
	}
	return out
}

func allSeen(terms []string, seen map[string]bool) bool {
	for _, t := range terms {
		if !seen[t] {
			return false
		}
	}
	return true
}

// knownSynonym reports whether one of a word's field synonyms is in the
// corpus: then an unknown word is a paraphrase, not a typo ("sent" is not
// a misspelt "set").
func knownSynonym(alts [][]string, vocab *vocabulary) bool {
	for _, ts := range alts {
		if vocab.knowsAll(ts) {
			return true
		}
	}
	return false
}

// conceptWeight is how much a concept says about the question: the
// inverse document frequency of its rarest exact term, or of its commonest
// other term when only those are known, or that of the rarest word when
// the corpus does not know it at all (something the corpus may not have).
func (v *vocabulary) conceptWeight(c concept) float64 {
	if !c.known() {
		return v.idf(1)
	}
	best := -1.0
	for _, a := range c.alts {
		if a.kind != matchExact {
			continue
		}
		for _, t := range a.terms {
			best = max(best, v.idf(v.passageDF(t)))
		}
	}
	if best >= 0 {
		return best
	}
	low := 0.0
	for i, a := range c.alts {
		w := 0.0
		for _, t := range a.terms {
			w = max(w, v.idf(v.passageDF(t)))
		}
		if i == 0 || w < low {
			low = w
		}
	}
	return low
}

// synonymIndex maps a term to the terms of the other words of its synonym
// groups, built once from synonymGroups.
var synonymIndex = sync.OnceValue(func() map[string][][]string {
	m := map[string][][]string{}
	for _, g := range synonymGroups {
		var words [][]string
		for _, w := range g {
			if ts := stems(w); len(ts) > 0 {
				words = append(words, ts)
			}
		}
		for _, a := range words {
			if len(a) != 1 {
				continue
			}
			for _, b := range words {
				if !slices.Equal(a, b) && !slices.ContainsFunc(m[a[0]], func(x []string) bool { return slices.Equal(x, b) }) {
					m[a[0]] = append(m[a[0]], b)
				}
			}
		}
	}
	return m
})
