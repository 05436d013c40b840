package dates

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind tells words, numbers and punctuation apart.
type tokenKind uint8

const (
	wordToken    tokenKind = iota
	numberToken            // digits only: "14", "2026", "06"
	ordinalToken           // digits with an ordinal suffix: "14th", "1st"
	punctToken             // one character that is neither letter, digit nor space
)

// token is one word, number or punctuation character of a text. Spaces
// separate tokens and are not tokens themselves.
type token struct {
	start, end int // byte offsets in the text
	kind       tokenKind
	// upper reports whether the token starts with an ASCII capital letter in
	// the original text; it tells "May" the month from "may" the verb.
	upper bool
	// digits counts the leading digits of a number or ordinal, up to 5; num
	// is their value, or -1 when there are more than four.
	digits uint8
	num    int16
}

// tokenize appends the tokens of text to toks and returns the result.
// A word is a run of letters and digits; an apostrophe is a token of its own,
// so "Friday’s" is "Friday", "’", "s" and "won't" is "won", "'", "t".
func tokenize(toks []token, text string) []token {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case isAlnum(c):
				j := wordEnd(text, i+1)
				toks = append(toks, word(text, i, j))
				i = j
			case c <= ' ' || c == 0x7f:
				i++
			default:
				toks = append(toks, token{start: i, end: i + 1, kind: punctToken, num: -1})
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r):
			j := wordEnd(text, i+size)
			toks = append(toks, word(text, i, j))
			i = j
		case unicode.IsSpace(r):
			// Non-breaking spaces often sit between "14" and "December".
			i += size
		default:
			toks = append(toks, token{start: i, end: i + size, kind: punctToken, num: -1})
			i += size
		}
	}
	return toks
}

// wordEnd returns the offset just past the run of letters and digits that
// continues at text[i:].
func wordEnd(text string, i int) int {
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if !isAlnum(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			return i
		}
		i += size
	}
	return i
}

// word classifies text[start:end], a run of letters and digits.
func word(text string, start, end int) token {
	t := token{start: start, end: end, kind: wordToken, num: -1}
	c := text[start]
	t.upper = 'A' <= c && c <= 'Z'
	n, i := 0, start
	for i < end && '0' <= text[i] && text[i] <= '9' {
		if n < 1e5 {
			n = n*10 + int(text[i]-'0')
		}
		i++
	}
	if i == start {
		return t
	}
	t.digits = uint8(min(i-start, 5))
	switch {
	case i == end:
		t.kind = numberToken
	case end-i == 2 && isOrdinalSuffix(text[i:end]):
		t.kind = ordinalToken
	default:
		// "1990s", "G7", "3D": not a number.
		t.digits = 0
		return t
	}
	if t.digits <= 4 {
		t.num = int16(n)
	}
	return t
}

func isOrdinalSuffix(s string) bool {
	return strings.EqualFold(s, "st") || strings.EqualFold(s, "nd") ||
		strings.EqualFold(s, "rd") || strings.EqualFold(s, "th")
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// lowerASCII returns s with its ASCII capitals in lower case and every other
// byte unchanged, so that offsets in s and in the result agree.
func lowerASCII(s string) string {
	i := indexUpper(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteByte(s[i] + 'a' - 'A')
		s = s[i+1:]
		i = indexUpper(s)
	}
	b.WriteString(s)
	return b.String()
}

// indexUpper returns the index of the first ASCII capital in s, or -1.
func indexUpper(s string) int {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return i
		}
	}
	return -1
}
