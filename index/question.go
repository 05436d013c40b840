package index

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"attache/index/lexicon"
)

// MaxQuestionRunes bounds the part of a question that is analysed: longer
// questions are cut, never rejected, so a pasted essay costs no more than a
// long sentence.
const MaxQuestionRunes = 300

// kind is what sort of answer a question asks for.
type kind int

const (
	kindWhat  kind = iota // anything
	kindWhen              // a date or time
	kindWhere             // a place
	kindWho               // a person or body
	kindCount             // a number
	kindWhy               // a reason
)

func (k kind) String() string {
	return [...]string{"what", "when", "where", "who", "count", "why"}[k]
}

// question is a question broken down for search.
type question struct {
	kind kind
	// words are the content words as typed (lower case), question words
	// and auxiliaries removed, multi-word synonyms kept whole.
	words []string
	// past reports whether the question asks about the past ("when did
	// they meet", "when was it set up").
	past bool
	// head is the term of what a "how many" question counts ("ships"),
	// empty when it names none.
	head string
}

// questionWords are recognised even when mistyped by one letter, since
// the kind of answer hangs on them.
var questionWords = []string{"who", "whom", "whose", "when", "where", "why", "which", "what", "how"}

// fillers carry no content in a question: auxiliaries and vague verbs.
var fillers = setOf(
	"is", "are", "was", "were", "be", "been", "being", "am",
	"do", "does", "did", "done", "doing",
	"will", "would", "shall", "should", "can", "could", "may", "might", "must",
	"has", "have", "had", "having",
	"the", "a", "an", "of", "to", "in", "on", "at", "for", "by", "with", "about", "from", "into",
	"and", "or", "but", "if", "then", "than", "so", "as",
	"it", "its", "they", "them", "their", "there", "this", "that", "these", "those",
	"he", "she", "his", "her", "him", "we", "our", "you", "your", "i", "me", "my",
	"what's", "who's", "when's", "where's", "how's", "whats", "whos",
	"tell", "me", "please", "know", "exactly", "actually", "really", "currently", "now", "happening", "going",
	"s", "t", "anyone", "someone", "anybody", "somebody", "anything", "something", "everything", "thing", "things", "get", "got",
	"not", "no", "won't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't",
	"can't", "cannot", "hasn't", "haven't", "wouldn't", "shouldn't", "couldn't",
	// Words that ask for news rather than name it: "what's the latest on
	// the Sudan talks" is about the talks.
	"latest", "news", "update", "updates", "info", "information", "happened", "happen", "happens", "story",
)

// parseQuestion breaks a question down. It never fails: a question with no
// content words simply has none.
func parseQuestion(raw string) question {
	raw = cleanQuestion(raw)
	toks := wordsOf(strings.ToLower(raw))
	var q question
	// Fix mistyped question words only where a question word is expected:
	// at the start.
	if len(toks) > 0 {
		toks[0] = fixQuestionWord(toks[0])
	}
	q.kind = kindOf(toks)
	for i := 0; i+2 < len(toks); i++ {
		if toks[i] == "how" && toks[i+1] == "many" {
			if ts := stems(toks[i+2]); len(ts) > 0 {
				q.head = ts[0]
			}
			break
		}
	}
	for _, w := range toks {
		switch w {
		case "did", "was", "were", "had", "didn't", "wasn't", "weren't", "ago", "last":
			q.past = true
		}
	}
	for i, w := range toks {
		// "teh", "waht": a mistyped function word is that word, when it is
		// no English word itself.
		if !fillers[w] && !isQuestionWord(w) && len(w) >= 3 && !lexicon.IsWord(w) {
			toks[i] = fixFunctionWord(w)
		}
	}
	for i := 0; i < len(toks); i++ {
		w := toks[i]
		if i+1 < len(toks) {
			if pair := w + " " + toks[i+1]; phraseSynonyms[pair] != nil {
				q.words = append(q.words, pair)
				i++
				continue
			}
		}
		// A question word after an article names something: "rejoin the
		// WHO" asks about the World Health Organization.
		named := i > 0 && (toks[i-1] == "the" || toks[i-1] == "a")
		if isQuestionWord(w) && !named || fillers[w] || w == "many" && i > 0 && toks[i-1] == "how" || w == "much" && i > 0 && toks[i-1] == "how" {
			continue
		}
		q.words = append(q.words, w)
	}
	return q
}

// noise is what a chat message carries besides its words: user, role and
// channel mentions, @everyone and @here, custom emoji and links.
var noise = regexp.MustCompile(`<[@#][!&]?\d+>|<a?:\w+:\d+>|@(everyone|here)\b|https?://\S+`)

// cleanQuestion drops mentions, links and control characters and cuts the
// question to MaxQuestionRunes at a rune boundary.
func cleanQuestion(s string) string {
	if len(s) > 4*MaxQuestionRunes {
		s = s[:4*MaxQuestionRunes] // a cut rune becomes RuneError below
	}
	s = noise.ReplaceAllString(s, " ")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			r = ' '
		}
		if n >= MaxQuestionRunes {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// wordsOf splits lower-cased text into words: letters and digits, with
// inner apostrophes, hyphens, dots and percent signs kept ("o'brien",
// "g20", "8.30", "25%"), mention and markdown characters dropped.
func wordsOf(s string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := strings.Trim(s[start:end], "'’.-")
			w = strings.ReplaceAll(w, "’", "'")
			if w != "" {
				out = append(out, w)
			}
			start = -1
		}
	}
	for i, r := range s {
		inner := r == '\'' || r == '’' || r == '-' || r == '.' || r == '%'
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (inner && start >= 0) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	// "putin's" → "putin", "won't" → "won't" stays; possessives are
	// dropped by the analyzer too, but removing them here keeps fillers
	// ("what's") recognisable.
	return out
}

func isQuestionWord(w string) bool {
	for _, q := range questionWords {
		if w == q {
			return true
		}
	}
	return false
}

// fixQuestionWord returns the question word w is one edit away from, or w.
func fixQuestionWord(w string) string {
	if len(w) < 3 || isQuestionWord(w) {
		return w
	}
	// Of the question words one edit away, take the one that shares the
	// longest start with w: "wher" is "where", not "when".
	best, bestPrefix := w, -1
	for _, q := range questionWords {
		if len(q) < 3 || editDistance(w, q, 1) > 1 {
			continue
		}
		p := 0
		for p < len(w) && p < len(q) && w[p] == q[p] {
			p++
		}
		if p > bestPrefix {
			best, bestPrefix = q, p
		}
	}
	return best
}

// fixFunctionWord returns the function word w is one transposition away
// from ("teh" → "the", "waht" → "what"), or w. Only transpositions: a
// name one letter from "that" ("Thai") is no typo of it.
func fixFunctionWord(w string) string {
	for _, f := range []string{"the", "and", "what", "when", "where", "with", "does", "from", "have", "this", "that", "will", "about", "which"} {
		if len(f) == len(w) && editDistance(w, f, 1) == 1 && sameLetters(w, f) {
			return f
		}
	}
	return w
}

func sameLetters(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	slices.Sort(ra)
	slices.Sort(rb)
	return slices.Equal(ra, rb)
}

// kindOf decides what sort of answer the words ask for.
func kindOf(toks []string) kind {
	for i, w := range toks {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch w {
		case "when":
			return kindWhen
		case "where":
			return kindWhere
		case "who", "whom", "whose":
			return kindWho
		case "why":
			return kindWhy
		case "how":
			switch next {
			case "many", "much", "big", "large", "long", "far", "high", "low":
				return kindCount
			case "soon":
				return kindWhen
			}
			return kindWhat
		case "what", "which":
			switch next {
			case "time", "date", "day", "year", "month":
				return kindWhen
			case "city", "country", "place", "venue", "capital", "town", "region", "location":
				if next == "country" {
					return kindWho
				}
				return kindWhere
			case "percentage", "percent", "number", "odds", "amount", "price", "cost", "figure":
				return kindCount
			case "reason":
				return kindWhy
			}
			if i == 0 {
				return kindWhat
			}
		}
		if i >= 2 {
			break
		}
	}
	return kindWhat
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions, so
// "foriegn" is one edit from "foreign"), or max+1 as soon as it is known to
// exceed max.
func editDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
