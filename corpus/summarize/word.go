package summarize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is one white-space separated word of a sentence, with the
// punctuation around it removed.
type word struct {
	raw   string // as written, without surrounding punctuation or a possessive "'s"
	lower string
	cap   bool // starts with an upper-case letter
	first bool // starts the sentence or a quotation, where capitals say nothing
	brk   bool // followed by punctuation that ends a clause (",", ";", ".", ...)
}

// scan splits text into words.
func scan(text string) []word {
	return appendWords(make([]word, 0, 24), text)
}

// appendWords appends the words of text to words, so that callers going
// through many texts can reuse one buffer.
func appendWords(words []word, text string) []word {
	first := true
	for _, f := range strings.Fields(text) {
		lead := len(f)
		if i := strings.IndexFunc(f, isWordRune); i >= 0 {
			lead = i
		}
		quoted := strings.ContainsAny(f[:lead], "\"“‘'(")
		body := strings.TrimLeftFunc(f, notWordRune)
		raw := strings.TrimRightFunc(body, notWordRune)
		tail := body[len(raw):]
		raw = trimPossessive(raw)
		if raw == "" {
			if strings.ContainsAny(tail, ".!?") {
				first = true
			}
			continue
		}
		r, _ := utf8.DecodeRuneInString(raw)
		words = append(words, word{
			raw:   raw,
			lower: strings.ToLower(raw),
			cap:   unicode.IsUpper(r),
			first: first || quoted,
			brk:   strings.ContainsAny(tail, ",;:.!?)—–"),
		})
		first = strings.ContainsAny(tail, ".!?")
	}
	return words
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func notWordRune(r rune) bool { return !isWordRune(r) }

func trimPossessive(s string) string {
	for _, p := range []string{"'s", "’s", "'", "’"} {
		if len(s) > len(p) && strings.HasSuffix(s, p) {
			return s[:len(s)-len(p)]
		}
	}
	return s
}

// terms appends the index terms of the words to dst: lower-cased parts
// of words split at hyphens and apostrophes, stop words and one-letter
// parts dropped, the rest stemmed. Names are kept like any other word.
func terms(dst []string, words []word) []string {
	for _, w := range words {
		s := w.lower
		for s != "" {
			i := strings.IndexFunc(s, notWordRune)
			part := s
			if i >= 0 {
				part, s = s[:i], s[i:]
				s = strings.TrimLeftFunc(s, notWordRune)
			} else {
				s = ""
			}
			if utf8.RuneCountInString(part) < 2 || stopWords[part] {
				continue
			}
			dst = append(dst, stem(part))
		}
	}
	return dst
}

// textTerms is terms(scan(text)).
func textTerms(text string) []string {
	return terms(nil, scan(text))
}

// stem removes common English inflections: plurals, "-ing", "-ed" and a
// final "e", so that "talks"/"talk", "meeting"/"meet" and
// "postponed"/"postpone" share a term. It is deliberately light: a wrong
// merge costs more than a missed one when sentences are this short.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		w = undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "eed") && len(w) > 4:
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "ed") && len(w) > 4:
		w = undouble(w[:len(w)-2])
	}
	if len(w) > 3 && strings.HasSuffix(w, "e") {
		w = w[:len(w)-1]
	}
	return w
}

// undouble turns "stopp" into "stop" but leaves "call" and "pass" alone.
func undouble(w string) string {
	n := len(w)
	if n >= 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeioulsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

var stopWords = set(`a about above after again against ago all almost also although am among an and
another any are aren around as at be because been before being below between both but by can
cannot could couldn did didn do does doesn doing don down during each either else even ever every
few for from further had hadn has hasn have haven having he her here hers herself him himself his
how however i if in into is isn it its itself just least less let like made make many may me might
more most much must mustn my myself neither no nor not now of off on once one only or other others
our ours ourselves out over own per quite rather same say says said shall she should shouldn since
so some still such than that the their theirs them themselves then there these they this those
though through to too under until up upon us very via was wasn we were weren what whatever when
where whether which while who whom whose why will with within without won would wouldn yet you
your yours yourself yourselves mr mrs ms dr sir st`)

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
