package index

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxAcronyms bounds the acronyms remembered per article.
const maxAcronyms = 40

// minorWords may stand inside a name without giving it a letter:
// "Organization of the Petroleum Exporting Countries" is OPEC.
var minorWords = setOf("of", "the", "and", "for", "on", "in", "to", "de", "du", "des", "la", "le", "&")

// acronyms finds the acronyms an article's text can stand for, keyed by the
// acronym in lower case, each with the words of the name it stands for.
// Two ways tell them: the text spells one out ("Organization of the
// Petroleum Exporting Countries (OPEC)"), or a capitalised name of two
// or more words gives its initials ("World Health Organization" is WHO),
// which is how a reader asks about a body the article names in full.
func acronyms(paragraphs [][]string) map[string]string {
	spelled := map[string]string{}
	count := map[string]map[string]int{}
	for _, words := range paragraphs {
		for i, w := range words {
			if acr, ok := parenthesised(w); ok {
				if name := spelledOut(words[:i], acr); name != "" {
					spelled[strings.ToLower(acr)] = name
				}
			}
		}
		eachNameRun(words, func(run []string) {
			acr, name := initials(run)
			if len(acr) < 2 || len(acr) > 6 {
				return
			}
			if count[acr] == nil {
				count[acr] = map[string]int{}
			}
			count[acr][name]++
		})
	}
	out := mostVoted(count)
	for acr, name := range spelled { // written out by the article: surest
		out[acr] = name
	}
	if len(out) > maxAcronyms {
		keys := make([]string, 0, len(out))
		for k := range out {
			keys = append(keys, k)
		}
		// Keep the spelled-out ones, then the longest names: they are the
		// bodies rather than two-word titles.
		slices.SortFunc(keys, func(a, b string) int {
			_, sa := spelled[a]
			_, sb := spelled[b]
			if sa != sb {
				if sa {
					return -1
				}
				return 1
			}
			return cmp.Or(cmp.Compare(len(strings.Fields(out[b])), len(strings.Fields(out[a]))), strings.Compare(a, b))
		})
		for _, k := range keys[maxAcronyms:] {
			delete(out, k)
		}
	}
	return out
}

// mostVoted picks, for each acronym, the name counted most often; ties go
// to the first name in order, so that two builds agree.
func mostVoted(votes map[string]map[string]int) map[string]string {
	out := make(map[string]string, len(votes))
	for acr, names := range votes {
		best, n := "", 0
		for name, c := range names {
			if c > n || c == n && name < best {
				best, n = name, c
			}
		}
		out[acr] = best
	}
	return out
}

// parenthesised returns the acronym in a word like "(OPEC)" or "(OPEC),".
func parenthesised(w string) (string, bool) {
	if !strings.HasPrefix(w, "(") {
		return "", false
	}
	w = strings.TrimRightFunc(w, func(r rune) bool { return r == ',' || r == '.' || r == ';' || r == ':' })
	if !strings.HasPrefix(w, "(") || !strings.HasSuffix(w, ")") {
		return "", false
	}
	acr := w[1 : len(w)-1]
	upper := 0
	for _, r := range acr {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r), unicode.IsDigit(r), r == '+', r == '&', r == '-':
		default:
			return "", false
		}
	}
	return acr, upper >= 2 && utf8.RuneCountInString(acr) <= 10
}

// spelledOut looks back from an acronym for the capitalised words whose
// initials spell it, minor words allowed between them.
func spelledOut(before []string, acr string) string {
	letters := []rune(strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return r
		}
		return -1
	}, acr)))
	li := len(letters) - 1
	start := -1
	for i := len(before) - 1; i >= 0 && li >= 0; i-- {
		w := cleanWord(before[i])
		if w == "" {
			return ""
		}
		if isMinor(w) {
			continue
		}
		first, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(first) || unicode.ToLower(first) != letters[li] {
			return ""
		}
		li--
		start = i
	}
	if li >= 0 || start < 0 {
		return ""
	}
	var ws []string
	for _, w := range before[start:] {
		ws = append(ws, strings.ToLower(cleanWord(w)))
	}
	return strings.Join(ws, " ")
}

// eachNameRun calls f with each run of capitalised words (minor words
// allowed inside) of a paragraph's words, ended by punctuation. The run
// is f's only until it returns.
func eachNameRun(words []string, f func(run []string)) {
	var buf []string
	flush := func() {
		run := buf
		for len(run) > 0 && isMinor(run[len(run)-1]) {
			run = run[:len(run)-1]
		}
		for len(run) > 0 && nameStop[run[0]] {
			run = run[1:]
		}
		if len(run) >= 2 {
			f(run)
		}
		buf = buf[:0]
	}
	for _, raw := range words {
		w := cleanWord(raw)
		first, _ := utf8.DecodeRuneInString(w)
		switch {
		case w != "" && unicode.IsUpper(first):
			buf = append(buf, w)
		case len(buf) > 0 && minorWords[w]:
			buf = append(buf, w)
		default:
			flush()
		}
		if w != raw && !strings.HasPrefix(raw, w) || endsName(raw[len(raw)-1]) {
			flush()
		}
	}
	flush()
}

// endsName reports whether a word's last byte is punctuation that ends a
// name. (A closing quotation mark ends a word in several bytes, and does
// not end a name.)
func endsName(last byte) bool {
	switch last {
	case ',', '.', ';', ':', ')', '"':
		return true
	}
	return false
}

// initials returns the acronym a run of capitalised words makes and the
// run as a lower-case name.
func initials(run []string) (string, string) {
	var acr, name strings.Builder
	for i, w := range run {
		if i > 0 {
			name.WriteByte(' ')
		}
		name.WriteString(w)
		if isMinor(w) {
			continue
		}
		first, _ := utf8.DecodeRuneInString(w)
		acr.WriteRune(unicode.ToLower(first))
	}
	return acr.String(), strings.ToLower(name.String())
}

// isMinor reports whether w is one of the minorWords, in any case.
func isMinor(w string) bool {
	return len(w) <= maxMinor && minorWords[strings.ToLower(w)]
}

// maxMinor is the length of the longest minor word: longer words need not
// be lowered to be looked up.
var maxMinor = func() int {
	n := 0
	for w := range minorWords {
		n = max(n, len(w))
	}
	return n
}()

// plainWord reports whether w is ASCII letters and digits, starting with
// a letter: a word with nothing to trim, which is most words.
func plainWord(w string) bool {
	if w == "" || !isASCIILetter(w[0]) {
		return false
	}
	for i := 1; i < len(w); i++ {
		if c := w[i]; !isASCIILetter(c) && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// cleanWord trims the punctuation around a word and its possessive.
func cleanWord(w string) string {
	if plainWord(w) {
		return w
	}
	w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
}
