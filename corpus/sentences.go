package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits a paragraph of news text into sentences, trimmed of
// surrounding white space; it never returns empty sentences.
//
// A sentence ends at ".", "?", "!" or an ellipsis ("…" or "...") that is
// followed, after any closing quotes or brackets, by white space and the
// start of a new sentence. The full stops of abbreviations ("Mr.", "Gen.",
// "No. 10", "U.S.", "e.g.", "a.m."), of initials ("J. K. Rowling",
// "George W. Bush") and inside numbers ("2.5", "$1.2bn") do not end a
// sentence unless what follows clearly starts one. Closing quotes and
// brackets after the final mark stay with their sentence.
//
// Sentences are substrings of text, so splitting allocates only the
// returned slice.
func Sentences(text string) []string {
	return appendSentences(nil, text)
}

// appendSentences appends the sentences of text to dst and returns the
// extended slice, so callers splitting many paragraphs can reuse one buffer.
func appendSentences(dst []string, text string) []string {
	start := 0
	for i := 0; i < len(text); {
		c := text[i]
		if c != '.' && c != '?' && c != '!' && !(c == 0xE2 && strings.HasPrefix(text[i:], "…")) {
			i++
			continue
		}
		// Take the whole run of end marks ("?!", "...", "…") and the
		// quotes and brackets that close after it.
		end, single := endOfMarks(text, i)
		end = skipClosers(text, end)
		if end == len(text) {
			break
		}
		r, w := utf8.DecodeRuneInString(text[end:])
		if !unicode.IsSpace(r) {
			// "U.S.", "2.5", "bbc.co.uk": a mark inside a word.
			i = end
			continue
		}
		next := skipSpace(text, end+w)
		if next == len(text) {
			break
		}
		var ends bool
		if single && c == '.' {
			ends = periodEnds(text, i, next)
		} else {
			ends = startsSentence(text[next:])
		}
		if !ends {
			i = next
			continue
		}
		if s := strings.TrimSpace(text[start:end]); s != "" {
			dst = append(dst, s)
		}
		start, i = next, next
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		dst = append(dst, s)
	}
	return dst
}

// endOfMarks returns the index just past the run of end marks that starts
// at i, and whether the run is a single ASCII mark.
func endOfMarks(text string, i int) (end int, single bool) {
	end = i
	for end < len(text) {
		switch {
		case text[end] == '.' || text[end] == '?' || text[end] == '!':
			end++
		case strings.HasPrefix(text[end:], "…"):
			end += len("…")
		default:
			return end, end == i+1
		}
	}
	return end, end == i+1
}

// skipClosers returns the index just past any closing quotes and brackets
// at i.
func skipClosers(text string, i int) int {
	for i < len(text) {
		r, w := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '"', '\'', ')', ']', '}', '”', '’', '»', '›':
			i += w
		default:
			return i
		}
	}
	return i
}

// skipSpace returns the index of the first non-space rune at or after i.
func skipSpace(text string, i int) int {
	for i < len(text) {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += w
	}
	return i
}

// isOpeningQuote reports whether r opens a quotation.
func isOpeningQuote(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '«', '‹', '„':
		return true
	}
	return false
}

// startsSentence reports whether s, the text after an end mark and white
// space, can begin a new sentence: anything but a lower-case letter, so
// "“Why?” she asked" stays whole.
func startsSentence(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return !unicode.IsLower(r)
}

// periodEnds reports whether the single full stop at text[dot] ends a
// sentence, given that the next sentence would begin at text[next].
func periodEnds(text string, dot, next int) bool {
	rest := text[next:]
	if !startsSentence(rest) {
		return false
	}
	word, before := wordBefore(text, dot)
	first, _ := utf8.DecodeRuneInString(rest)
	if isInitial(word) {
		// "J. K. Rowling", "George W. Bush" go on; "a post on X. We …"
		// and "X. “We …" end.
		if isOpeningQuote(first) || unicode.IsDigit(first) || isStarter(rest) {
			return true
		}
		if next, after := leadingLetters(rest); isInitial(next) && strings.HasPrefix(after, ".") {
			// "from J. A. Smith".
			return false
		}
		// After a lower-case word a lone capital is more often a name
		// ("a post on X.") than an initial.
		prev, _ := wordBefore(text, before)
		r, _ := utf8.DecodeRuneInString(prev)
		return unicode.IsLower(r)
	}
	switch abbreviationKind(word) {
	case abbrevTitle:
		// "Mr. Trump", "e.g. France", "Roe v. Wade".
		return false
	case abbrevNumber:
		// "No. 10", "Jan. 5", but "… said no. Then".
		return !unicode.IsDigit(first)
	case abbrevTime:
		// "8 p.m. GMT", "8 p.m. Moscow time" go on; "8 p.m. Talks" ends.
		next, after := nextWords(rest)
		return !(isUpperWord(next) || after == "time")
	case abbrevWeak:
		// "U.S. President", "Apple Inc. Chief" go on; "U.S. The" ends.
		return isOpeningQuote(first) || isStarter(rest)
	}
	if isDottedAcronym(word) {
		return isOpeningQuote(first) || isStarter(rest)
	}
	return true
}

// wordBefore returns the word that ends at text[end] (without leading
// opening quotes or brackets) and the index where its white space begins.
func wordBefore(text string, end int) (word string, before int) {
	start := end
	for start > 0 {
		r, w := utf8.DecodeLastRuneInString(text[:start])
		if unicode.IsSpace(r) {
			break
		}
		start -= w
	}
	before = start
	for start < end {
		r, w := utf8.DecodeRuneInString(text[start:end])
		if !isOpeningQuote(r) && r != '(' && r != '[' {
			break
		}
		start += w
	}
	// Step back over the white space so a second call finds the word
	// before this one.
	for before > 0 {
		r, w := utf8.DecodeLastRuneInString(text[:before])
		if !unicode.IsSpace(r) {
			break
		}
		before -= w
	}
	return text[start:end], before
}

// nextWords returns the first two words of s, letters only.
func nextWords(s string) (first, second string) {
	first, s = leadingLetters(s)
	s = s[skipSpace(s, 0):]
	second, _ = leadingLetters(s)
	return first, second
}

// leadingLetters splits s after its leading run of letters.
func leadingLetters(s string) (word, rest string) {
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += w
	}
	return s[:i], s[i:]
}

// isUpperWord reports whether word is an acronym such as "GMT" or "UK".
func isUpperWord(word string) bool {
	if utf8.RuneCountInString(word) < 2 {
		return false
	}
	for _, r := range word {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// isInitial reports whether word is a single capital letter, as in
// "W." of "George W. Bush".
func isInitial(word string) bool {
	r, w := utf8.DecodeRuneInString(word)
	return w == len(word) && unicode.IsUpper(r)
}

// isDottedAcronym reports whether word is letters in groups of one or two
// separated by dots, as "U.S", "U.A.E" or "Ph.D" (the final dot is not
// part of word).
func isDottedAcronym(word string) bool {
	dots, run := 0, 0
	for _, r := range word {
		switch {
		case r == '.':
			if run == 0 {
				return false
			}
			dots, run = dots+1, 0
		case unicode.IsLetter(r):
			run++
			if run > 2 {
				return false
			}
		default:
			return false
		}
	}
	return dots > 0 && run > 0
}

// isStarter reports whether s begins with a word that often starts a
// sentence in news text ("The", "He", "But"), which after an ambiguous
// abbreviation such as "U.S." signals a new sentence. A single letter
// followed by a dot ("A." in "J. A. Smith") is an initial, not a starter.
func isStarter(s string) bool {
	word, rest := leadingLetters(s)
	if word == "" || len(word) > maxKeyLen || strings.HasPrefix(rest, ".") {
		return false
	}
	var buf [maxKeyLen]byte
	_, ok := starters[string(lowerASCII(buf[:0], word))]
	return ok
}

// abbrevKind says how an abbreviation's full stop behaves.
type abbrevKind uint8

const (
	abbrevNone abbrevKind = iota
	// abbrevTitle never ends a sentence: "Mr.", "Gen.", "e.g.".
	abbrevTitle
	// abbrevNumber comes before a number: "No. 10", "Jan. 5".
	abbrevNumber
	// abbrevTime is "a.m." or "p.m.", which often end a sentence.
	abbrevTime
	// abbrevWeak ends a sentence only before a typical sentence start:
	// "U.S.", "Inc.", "et al.".
	abbrevWeak
)

// maxKeyLen bounds the words looked up in abbreviations and starters, so
// lookups can lower-case into a stack buffer.
const maxKeyLen = 16

// abbreviationKind classifies word, the text before a full stop, ignoring
// case.
func abbreviationKind(word string) abbrevKind {
	if word == "" || len(word) > maxKeyLen {
		return abbrevNone
	}
	var buf [maxKeyLen]byte
	// The compiler does not allocate for a map index with string(bytes).
	return abbreviations[string(lowerASCII(buf[:0], word))]
}

// lowerASCII appends s to dst with ASCII letters in lower case.
func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

var abbreviations = func() map[string]abbrevKind {
	m := make(map[string]abbrevKind)
	for kind, words := range map[abbrevKind]string{
		abbrevTitle: "mr mrs ms messrs mme mlle dr prof gen lt col maj capt cpt " +
			"cmdr cdr adm brig sgt cpl pte pvt sen rep gov pres amb rev hon fr st mt " +
			"e.g i.e cf vs v viz approx",
		abbrevNumber: "no nos nr art vol vols pp para fig ch sec " +
			"jan feb mar apr jun jul aug sep sept oct nov dec",
		abbrevTime: "a.m p.m",
		abbrevWeak: "u.s u.k u.n e.u u.a.e u.s.a u.s.s.r d.c " +
			"inc ltd co corp plc llc bros jr sr al",
	} {
		for _, w := range strings.Fields(words) {
			m[w] = kind
		}
	}
	return m
}()

var starters = func() map[string]struct{} {
	m := make(map[string]struct{})
	for _, w := range strings.Fields(`a an the he she it i we they you this that these those
		there here his her its our their my your but and or so yet in on at for from
		with by to of after before when while as if although though however meanwhile
		still also then now what why how who where which some many most no not one two
		both each all under over since until during earlier later mr mrs ms dr sir
		officials asked according`) {
		m[w] = struct{}{}
	}
	return m
}()

// Passages returns every sentence of every paragraph of a, in order, with
// Position counting sentences across the whole article from 0.
func (a Article) Passages() []Passage {
	if len(a.Paragraphs) == 0 {
		return nil
	}
	// News paragraphs run to a few sentences; guess generously to grow
	// the slice rarely.
	ps := make([]Passage, 0, 3*len(a.Paragraphs))
	var buf []string
	for i, para := range a.Paragraphs {
		buf = appendSentences(buf[:0], para)
		for _, s := range buf {
			ps = append(ps, Passage{ArticleID: a.ID, Position: len(ps), Paragraph: i, Text: s})
		}
	}
	return ps
}

// Text returns the body of a: its paragraphs separated by blank lines,
// without the title.
func (a Article) Text() string {
	return strings.Join(a.Paragraphs, "\n\n")
}
