// Package lexicon gives the search engine general English lexical
// knowledge: whether a word is an English word at all, its base forms, and
// the words related to it by meaning or derivation. It is derived from
// WordNet 3.0 and the SCOWL American English word list, embedded in the
// binary, and needs nothing but the standard library.
//
// All words are lower case. The data are loaded on first use, once; after
// that every function is a few map look-ups and safe for concurrent use.
//
// WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
// See wordnet/LICENSE.wordnet and wordnet/LICENSE.wordlist for the licences.
package lexicon

//go:generate go run ./internal/gen -out wordnet

import (
	"slices"
	"strconv"
	"strings"
)

// Relation is how a related word relates to the one looked up.
type Relation int

const (
	Synonym Relation = iota + 1 // shares a WordNet synset (one of the word's most common senses)
	Derived                     // derivationally related form (WordNet pointer "+"), e.g. exclude <-> exclusion, invite <-> invitation
)

// String returns the relation's name.
func (r Relation) String() string {
	switch r {
	case Synonym:
		return "synonym"
	case Derived:
		return "derived"
	}
	return "Relation(" + strconv.Itoa(int(r)) + ")"
}

// Related is a word related to the one looked up.
type Related struct {
	Word string
	Rel  Relation
}

// maxRelated and minDerived cap what Lookup merges from several base
// forms the way the generator caps each lemma's own list.
const (
	maxRelated = 12
	minDerived = 4
)

// IsWord reports whether w (lower case) is a general English word,
// including inflected forms (plurals, verb forms) and including words that
// only occur as WordNet lemmas; used to decide that a word is not a typo.
// The words are those of the word list, names included ("paris" is no
// typo), every single-word WordNet lemma, their possessives ("minister's")
// and the inflected forms that Base reduces to one of them.
func IsWord(w string) bool {
	lx := load()
	if lx.isWord(w) {
		return true
	}
	for _, b := range lx.base(w) {
		if lx.isWord(b) {
			return true
		}
	}
	// Possessives are spelt with either apostrophe in news text.
	for _, s := range []string{"'s", "’s"} {
		if stem, ok := strings.CutSuffix(w, s); ok && stem != "" {
			return IsWord(stem)
		}
	}
	return false
}

// Lookup returns the single-word lemmas related to w (lower case, any
// inflected form: "invited", "exclusions", "met"), synonyms first then
// derived forms, without duplicates and without w itself, in a
// deterministic order; nil when w is unknown.
//
// Synonyms come from the two most frequent senses of each part of speech
// of w's base forms, the first sense before the second; derived forms
// from all their senses. At most 12 words come back, of which up to 4 are
// kept for derived forms when there are that many. The slice is the
// caller's to keep or change.
func Lookup(w string) []Related {
	lx := load()
	bases := lx.base(w)
	if len(bases) == 0 {
		return nil
	}
	var syn, der []string
	for _, b := range bases {
		e := lx.lemmas[b]
		syn = appendFields(syn, e.syn, w, nil)
	}
	for _, b := range bases {
		e := lx.lemmas[b]
		der = appendFields(der, e.der, w, syn)
	}
	syn = syn[:min(len(syn), maxRelated-min(len(der), minDerived))]
	der = der[:min(len(der), maxRelated-len(syn))]
	if len(syn)+len(der) == 0 {
		return nil
	}
	out := make([]Related, 0, len(syn)+len(der))
	for _, s := range syn {
		out = append(out, Related{Word: s, Rel: Synonym})
	}
	for _, d := range der {
		out = append(out, Related{Word: d, Rel: Derived})
	}
	return out
}

// appendFields appends the space-separated words of list to dst, leaving
// out w, the words already in dst and those in also.
func appendFields(dst []string, list, w string, also []string) []string {
	for list != "" {
		var f string
		f, list, _ = strings.Cut(list, " ")
		if f == w || slices.Contains(dst, f) || slices.Contains(also, f) {
			continue
		}
		dst = append(dst, f)
	}
	return dst
}

// Base returns the WordNet base forms (lemmas) of w, using WordNet's
// exception lists (met -> meet, led -> lead, children -> child) and its
// detachment rules (morphy), e.g. "invited" -> ["invite"]; nil when none is
// known. w itself comes first when it is a lemma ("meeting" -> ["meeting",
// "meet"]); a hyphenated lemma is known by its joined form ("ceasefire").
// The slice is the caller's.
func Base(w string) []string {
	return load().base(w)
}

// A detachment rule of morphy: a word ending in suffix may be the
// inflected form of the lemma that ends in ending instead.
type rule struct{ suffix, ending string }

// rules are WordNet's detachment rules (morphy(7WN)) by part of speech, in
// the order of posLetters; adverbs have none.
var rules = [numPOS][]rule{
	{{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	{{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
	{{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
	nil,
}

// minDetached is the shortest base form a rule may leave: WordNet's
// two-letter lemmas are symbols ("ga" for Georgia, "u" for uranium) that
// no one inflects, and taking "gas" or "us" for their plurals brings in
// their synonyms.
const minDetached = 3

func (lx *lexicon) base(w string) []string {
	var out []string
	add := func(b string) {
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	if e, ok := lx.lemmas[w]; ok && e.pos != 0 {
		add(w)
	}
	for p := range numPOS {
		// As in morphy, an exception replaces the rules: "axes" is the
		// plural of "axe" and "axis" but not of "ax" by rule.
		if bs, ok := lx.exc[p][w]; ok {
			for bs != "" {
				var b string
				b, bs, _ = strings.Cut(bs, " ")
				add(b)
			}
			continue
		}
		for _, r := range rules[p] {
			stem, ok := strings.CutSuffix(w, r.suffix)
			if !ok || len(stem)+len(r.ending) < minDetached {
				continue
			}
			b := stem + r.ending
			if lx.lemmas[b].pos&(1<<p) != 0 {
				add(b)
			}
		}
	}
	return out
}
