package commands

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Discord's limits on what a message may hold, counted in characters.
const (
	MaxContent          = 2000
	MaxEmbedTitle       = 256
	MaxEmbedDescription = 4096
	MaxFieldName        = 256
	MaxFieldValue       = 1024
	MaxFooter           = 2048
	MaxAuthor           = 256
	MaxEmbedTotal       = 6000
	MaxFields           = 25
	MaxEmbeds           = 10
	MaxCustomID         = 100
	MaxButtonLabel      = 80
	MaxChoices          = 25
	MaxChoiceLength     = 100
)

// Length is the length of s as Discord counts it for its limits: in
// characters (runes), not bytes.
func Length(s string) int { return utf8.RuneCountInString(s) }

// Truncate shortens s to at most n characters. It cuts at a word boundary
// when there is one in the second half of the allowed length, drops
// dangling punctuation and ends the result with "…"; it never splits a
// rune. Text that already fits is returned unchanged.
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if Length(s) <= n {
		return s
	}
	if n == 1 {
		return "…"
	}
	runes := []rune(s)
	keep := runes[:n-1]
	// When the first dropped rune is a space the cut already falls between
	// words; otherwise back up to the last space, unless that would throw
	// away more than half of what fits.
	if !unicode.IsSpace(runes[n-1]) {
		for j := len(keep) - 1; j >= (n-1)/2; j-- {
			if unicode.IsSpace(keep[j]) {
				keep = keep[:j]
				break
			}
		}
	}
	cut := strings.TrimRightFunc(string(keep), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—", r)
	})
	return dropDanglingEscape(cut) + "…"
}

// dropDanglingEscape removes a trailing backslash that would otherwise
// escape whatever is appended to s.
func dropDanglingEscape(s string) string {
	n := len(s) - len(strings.TrimRight(s, `\`))
	if n%2 == 1 {
		return s[:len(s)-1]
	}
	return s
}

// fit renders raw with render and, when the result is longer than limit,
// renders shorter and shorter truncations of raw until one fits. Cutting
// the raw text rather than the rendered one keeps markdown intact: an
// escape or a pair of ** is never split.
func fit(raw string, limit int, render func(string) string) string {
	if out := render(raw); Length(out) <= limit {
		return out
	}
	// Binary search for the longest raw prefix whose rendering fits.
	lo, hi := 0, Length(raw)
	best := ""
	for lo <= hi {
		mid := (lo + hi) / 2
		out := render(Truncate(raw, mid))
		if Length(out) <= limit {
			best, lo = out, mid+1
		} else {
			hi = mid - 1
		}
	}
	if best == "" {
		// Even the shortest rendering is too long (render adds more than
		// limit); fall back to a plain cut so the limit still holds.
		return Truncate(render(""), limit)
	}
	return best
}

// markdownSpecial are the characters that Discord's markdown gives a
// meaning to anywhere in a line.
const markdownSpecial = "\\*_~`|[]()<>"

// Escape makes text from users or articles safe to put in a message:
// markdown is shown as written rather than formatting anything, masked
// links cannot be built, mentions (<@id>, <@&id>, <#id>, @everyone, @here)
// are neutralised and line breaks become spaces, so the text cannot start
// a heading, list or quote of its own.
func Escape(s string) string { return escape(oneLine(s), true) }

// oneLine collapses runs of white space, line breaks included, to single
// spaces and trims the ends.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// escape escapes s, which holds no line breaks; lineStart says whether s
// begins a line, where block markdown (# heading, - list, 1. list) counts.
func escape(s string, lineStart bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	if lineStart {
		if len(s) > 0 && strings.ContainsRune("#-+", rune(s[0])) {
			b.WriteByte('\\')
			b.WriteByte(s[0])
			s = s[1:]
		} else if n := len(s) - len(strings.TrimLeft(s, "0123456789")); n > 0 && strings.HasPrefix(s[n:], ".") {
			b.WriteString(s[:n])
			b.WriteString("\\")
			s = s[n:]
		}
	}
	for _, r := range s {
		switch {
		case strings.ContainsRune(markdownSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '@':
			// A zero-width space after @ stops @everyone and @here from
			// reading as mentions, even where allowed_mentions is ignored.
			b.WriteString("@\u200b")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Unescape undoes Escape for display outside Discord, such as the
// console: backslash escapes and zero-width spaces are removed.
func Unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			b.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == '\u200b':
		default:
			b.WriteRune(r)
		}
	}
	if escaped {
		b.WriteByte('\\')
	}
	return b.String()
}

// highlight escapes passage, on one line, and puts the terms in bold
// wherever they occur as whole words.
func highlight(passage string, terms []string) string {
	passage = oneLine(passage)
	var b strings.Builder
	last := 0
	for _, sp := range termSpans(passage, terms) {
		b.WriteString(escape(passage[last:sp[0]], last == 0))
		b.WriteString("**")
		b.WriteString(escape(passage[sp[0]:sp[1]], false))
		b.WriteString("**")
		last = sp[1]
	}
	b.WriteString(escape(passage[last:], last == 0))
	return b.String()
}

// termSpans finds the byte ranges of terms in s, as whole words, sorted
// and without overlaps.
func termSpans(s string, terms []string) [][2]int {
	marked := make([]bool, len(s))
	for _, t := range terms {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		for from := 0; from < len(s); {
			i := strings.Index(s[from:], t)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(t)
			if wordEdge(s, start) && wordEdge(s, end) {
				for k := start; k < end; k++ {
					marked[k] = true
				}
			}
			from = start + 1
		}
	}
	var spans [][2]int
	for i := 0; i < len(s); {
		if !marked[i] {
			i++
			continue
		}
		j := i
		for j < len(s) && marked[j] {
			j++
		}
		spans = append(spans, [2]int{i, j})
		i = j
	}
	return spans
}

// wordEdge reports whether byte offset i in s is not inside a word.
func wordEdge(s string, i int) bool {
	if i <= 0 || i >= len(s) {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i:])
	return !(isWordRune(before) && isWordRune(after))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// hasWords reports whether s holds at least one letter or digit.
func hasWords(s string) bool { return strings.IndexFunc(s, isWordRune) >= 0 }
