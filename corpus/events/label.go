package events

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"attache/corpus/dates"
)

// maxLabelWords bounds the words of the predicate in a label.
const maxLabelWords = 12

// clauseOf returns the byte range of the clause of text that holds
// text[from:to]: the sentence cut at semicolons, dashes and the
// conjunctions that join clauses, at a relative clause around it, and
// before a closing attribution (", officials said").
func clauseOf(text string, from, to int) (start, end int) {
	lower := lowerASCII(text)
	start, end = 0, len(text)
	relative := false
	for _, b := range clauseBreaks {
		rel := b == ", which " || b == ", who "
		if i := strings.LastIndex(lower[:from], b); i >= 0 && i+len(b) > start {
			if rel && strings.Contains(text[i+len(b):from], ",") {
				continue // the relative clause closed before the days
			}
			start = i + len(b)
			relative = rel
		}
		if i := strings.Index(lower[to:], b); i >= 0 && to+i < end {
			end = to + i
		}
	}
	if relative {
		if i := strings.Index(text[to:end], ","); i >= 0 {
			end = to + i // "The assembly, which closes on Tuesday, also approved"
		}
		// Keep the pronoun: label reads it.
		start = strings.LastIndex(lower[:start], ", ") + 2
	}
	// ", the two governments announced on Wednesday", ", officials said"
	if m := attribution.FindStringIndex(lower[to:end]); m != nil {
		end = to + m[0]
	}
	return start, end
}

// clauseBreaks end a clause.
var clauseBreaks = []string{"; ", ", and ", ", but ", ", while ", " while ", ", with ", " — ", " – ", ": ", ", which ", ", who ", ", whereas ", ", although "}

// attribution matches a closing "…, X said" or ", according to".
var attribution = regexp.MustCompile(`,["”]?[^,]{0,60}\b(said|says|told|announced|added|reported)\b.*$|,\s*according to\b.*$|,\s*(officials|diplomats|mediators|sources)\b.*$`)

// chain finds the words that make a clause a plan, in the order tried:
// "will", "is due to", "plans to", "has been postponed", "is expected".
type chain struct {
	re    *regexp.Regexp
	style style
}

type style uint8

const (
	toStyle      style = iota + 1 // "X to <verb>": "Ministers to meet"
	subjectStyle                  // the subject alone: "Signing of the peace treaty"
	dueStyle                      // "X expected", "X due"
	plainStyle                    // as written: "X has scheduled a hearing"
	objectStyle                   // "we expect the delegations to arrive": "Delegations to arrive"
)

var chains = []chain{
	{regexp.MustCompile(`\b(?:has|have|had)\s+been\s+(?:postponed|delayed|moved|pushed back|brought forward|rescheduled|put off|cancelled|canceled|called off|extended)\b|\b(?:was|were|is|are)\s+(?:being\s+)?(?:postponed|delayed|moved|pushed back|brought forward|rescheduled|put off|cancelled|canceled|called off|extended)\b`), subjectStyle},
	{regexp.MustCompile(`\b(?:is|are|was|were)\s+(?:now\s+|also\s+|still\s+)?(?:due|expected|set|scheduled|slated|poised|likely|planned|going|about)\s+to\s+`), toStyle},
	{regexp.MustCompile(`\b(?:will|would|shall|could|may|might|must|should)\s+(?:now\s+|also\s+|then\s+|first\s+|again\s+|still\s+|formally\s+)?`), toStyle},
	{regexp.MustCompile(`\b(?:is|are)\s+to\s+`), toStyle},
	{regexp.MustCompile(`\b(?:expect|expects|expected|want|wants|wanted|asked|invited|urged|allow|allows)\s+((?:the\s+|its\s+|their\s+)?[\p{L}’'-]+(?:\s+[\p{L}’'-]+){0,3})\s+to\s+`), objectStyle},
	{regexp.MustCompile(`\b(?:plans?|planned|aims?|aimed|hopes?|hoped|intends?|agreed|promised|pledged|vowed|expects?|wants?|decided|has to|have to)\s+to\s+`), toStyle},
	{regexp.MustCompile(`\b(?:has|have)\s+(?:scheduled|set|planned|called)\s+`), plainStyle},
	{regexp.MustCompile(`\b(?:is|are|was|were)\s+(?:now\s+|also\s+)?(?:due|expected|scheduled|set|slated)\b`), dueStyle},
	{regexp.MustCompile(`\b(?:scheduled|set|due|planned|slated)\s+(?:for|on|to|in)\b`), dueStyle},
}

// phrase is a label in two parts: who (the subject, which may be a
// pronoun for extract to resolve) and what.
type phrase struct {
	subj, rest string
}

// String joins the parts: "Ministers" and "to meet" make "Ministers to
// meet".
func (p phrase) String() string {
	if p.subj == "" {
		return tidy(p.rest)
	}
	if p.rest == "" {
		return tidy(p.subj)
	}
	return tidy(p.subj + " " + p.rest)
}

// label says in a few words what happens on the days of sp, from the
// clause text[cs:ce] that gives them: headline style, as "Technical teams
// to reconvene to finish the inspection protocol", "Summit between Donald
// Trump and Vladimir Putin" (for "Friday’s summit between …"), "IMF staff
// mission due". The days and places are left out: the calendar gives them.
func label(text string, cs, ce int, sp span, ms []dates.Mention) phrase {
	// Blank out the dates of the sentence, keeping offsets.
	b := []byte(text)
	for _, m := range ms {
		for i := m.Start; i < m.End; i++ {
			b[i] = ' '
		}
	}
	blank := string(b)
	if sp.possessive {
		return phrase{rest: cut(blank[sp.to:ce], nounStops)}
	}
	clause := blank[cs:ce]
	lower := lowerASCII(clause)
	rel := strings.HasPrefix(lower, "which ") || strings.HasPrefix(lower, "who ")
	at := sp.from - cs // where the days are, in the clause
	for _, c := range chains {
		locs := c.re.FindAllStringIndex(lower, -1)
		if len(locs) == 0 {
			continue
		}
		// The chain nearest before the days governs them, or else the
		// first after them.
		loc := locs[0]
		for _, l := range locs {
			if l[0] < at {
				loc = l
			}
		}
		if c.style == subjectStyle && (at < loc[1] || len(strings.Fields(clause[loc[1]:at])) > 3) {
			// "The meeting was moved to Saturday to avoid a clash with a
			// summit of Gulf leaders on Sunday": the move is not Sunday's.
			if np := nounBefore(clause[:at]); np != "" {
				return phrase{rest: np}
			}
			continue
		}
		subj := clause[:loc[0]]
		if rel {
			subj = antecedent(blank[:cs])
		}
		subj = subject(subj)
		switch c.style {
		case subjectStyle:
			if subj != "" {
				return phrase{subj: subj}
			}
		case dueStyle:
			if subj != "" {
				word := "expected"
				for _, w := range []string{"due", "scheduled", "planned", "set", "slated"} {
					if strings.Contains(lower[loc[0]:loc[1]], w) {
						word = w
						break
					}
				}
				return phrase{subj: subj, rest: word}
			}
		case objectStyle:
			m := c.re.FindStringSubmatchIndex(lower[loc[0]:])
			if vp := predicate(clause[loc[1]:]); m != nil && vp != "" {
				return phrase{subj: subject(clause[loc[0]+m[2] : loc[0]+m[3]]), rest: "to " + vp}
			}
		case plainStyle:
			if vp := predicate(clause[loc[1]:]); subj != "" && vp != "" {
				return phrase{subj: subj, rest: strings.TrimSpace(clause[loc[0]:loc[1]]) + " " + vp}
			}
		default:
			vp := predicate(clause[loc[1]:])
			switch {
			case subj != "" && vp != "":
				return phrase{subj: subj, rest: "to " + vp}
			case vp != "":
				return phrase{rest: vp}
			}
		}
	}
	if np := nounBefore(clause[:at]); np != "" {
		return phrase{rest: np}
	}
	if rel {
		// "ministers, who meet in Brussels on Monday"
		_, rest, _ := strings.Cut(clause, " ")
		if vp := predicate(rest); vp != "" {
			return phrase{subj: subject(antecedent(blank[:cs])), rest: vp}
		}
	}
	return phrase{rest: predicate(subject(clause))}
}

// nounBefore returns the noun phrase of an event that ends just before
// the days, as in "a summit of Gulf leaders on Sunday", or "".
func nounBefore(s string) string {
	words := strings.Fields(s)
	for k := len(words) - 1; k >= 0 && len(words)-k <= 6; k-- {
		w := strings.ToLower(strings.Trim(words[k], ",;:()"))
		if strings.HasSuffix(words[k], ",") && k < len(words)-1 || verbWords[w] {
			return ""
		}
		if !eventWords[w] {
			continue
		}
		// Back to the determiner: "a summit", "the leaders’ summit".
		j := k
		for j > 0 && k-j < 3 && !determiners[strings.ToLower(words[j-1])] && !verbWords[strings.ToLower(words[j-1])] &&
			!strings.HasSuffix(words[j-1], ",") && !isPreposition(words[j-1]) {
			j--
		}
		return strings.Join(words[j:], " ")
	}
	return ""
}

// eventWords name events in the noun phrases that nounBefore finds.
var eventWords = wordSet("summit summits meeting meetings talks conference session sessions round vote election elections ceremony hearing signing visit referendum negotiations consultations dialogue ruling deadline")

// planWords take "to" and a verb: "aim to finish".
var planWords = wordSet("aim aims plan plans hope hopes want wants try tries agree agrees expect expects seek seeks need needs due set going able")

var determiners = wordSet("a an the its their his her this that these those")

// verbWords end a search back for a noun phrase.
var verbWords = wordSet("is are was were will would be been has have had said says meet meets met hold holds held")

func isPreposition(w string) bool {
	switch strings.ToLower(w) {
	case "with", "of", "for", "at", "in", "on", "by", "to", "from", "between":
		return true
	}
	return false
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// nounStops end the noun phrase after a possessive day: "Friday’s summit
// between Donald Trump and Vladimir Putin[, which …]".
var nounStops = []string{",", ";", ".", " in ", " at ", " on ", " which ", " that ", " will ", " is ", " are ",
	" was ", " were ", " could ", " would ", " has ", " had ", " as ", " after ", " before ", " amid ", "(", " to "}

// predicateStops end the verb phrase of a label.
var predicateStops = []string{",", ";", " after ", " before ", " if ", " unless ", " when ", " while ",
	" because ", " as ", " aimed at ", " according to ", " which ", " who ", " that ", " so that ",
	" amid ", " despite ", " following ", " with the aim", "(", " but ", " where ", " and that ", " said ",
	" and will ", " and would ", " and is ", " and are ", " and has ", " and could "}

// placePhrase matches "in Doha", "at the ASEAN Secretariat", "in Anchorage,
// Alaska", "to the Kazakh capital, Astana", which labels leave to Place.
var placePhrase = regexp.MustCompile(`\b(?:in|at|from)\s+(?:the\s+)?(?:\p{Lu}[\p{L}’'.-]*\s*)+(?:capital|city|headquarters|secretariat)?(?:,\s*\p{Lu}[\p{L}’'.-]*)?`)

// predicate returns the verb phrase at the start of s, without places and
// dates, cut at the words that start an adjunct or another clause and at
// maxLabelWords.
func predicate(s string) string {
	s = placePhrase.ReplaceAllString(s, " ")
	s = cut(s, predicateStops)
	words := strings.Fields(s)
	// A purpose after an object is one thing too many: "host a meeting of
	// Mercosur trade ministers [to coordinate …]", not "reconvene to
	// finish the inspection protocol".
	for k := 4; k < len(words); k++ {
		if words[k] == "to" && !planWords[strings.ToLower(words[k-1])] {
			words = words[:k]
			break
		}
	}
	if len(words) > maxLabelWords {
		words = words[:maxLabelWords]
	}
	// A phrase cut short ends on a word that needs more: "for a", "of".
	for len(words) > 1 && danglingWord(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// subject returns the subject s of a plan, tidied: without a leading
// "Instead," or "Under the revised plan,", without "X said (that)" before
// it (a pronoun there becomes X: "Amegavi said he would brief" is
// Amegavi's briefing), without asides in commas, and without the people
// who lead it ("a Chinese delegation led by Vice Foreign Minister Liang
// Weiming").
func subject(s string) string {
	s = strings.TrimSpace(s)
	// "Halloran, a former ambassador, met X on Wednesday and is due to":
	// the subject of the first verb.
	if strings.HasSuffix(strings.ToLower(s), " and") {
		if i := strings.Index(s, ","); i > 0 {
			s = s[:i]
		}
	}
	lower := lowerASCII(s)
	cutAt, cutEnd := -1, -1
	for _, w := range []string{" said that ", " said ", " says that ", " says ", " told reporters that ", " told reporters ", " announced that ", " announced ", " added that ", " that "} {
		if i := strings.LastIndex(lower, w); i >= 0 && i+len(w) > cutEnd {
			cutAt, cutEnd = i, i+len(w)
		}
	}
	if cutAt >= 0 {
		sayer, rest := s[:cutAt], s[cutEnd:]
		if pronouns[strings.ToLower(strings.TrimSpace(rest))] {
			if j := strings.Index(sayer, ","); j > 0 {
				sayer = sayer[:j] // "Japan, the host, said it would"
			}
			rest = sayer
		}
		s, lower = rest, lowerASCII(rest)
	}
	for {
		trimmed := false
		for _, p := range []string{"instead,", "meanwhile,", "however,", "and ", "but ", "also ", "then ", "instead ", "now ", "that "} {
			if strings.HasPrefix(lower, p) {
				s = strings.TrimSpace(s[len(p):])
				lower = lowerASCII(s)
				trimmed = true
				break
			}
		}
		if !trimmed {
			break
		}
	}
	// "Under the revised plan, the commission"
	if i := strings.LastIndex(s, ", "); i > 0 {
		if f := strings.Fields(s[:i]); len(f) > 0 && isPreposition(f[0]) || len(f) > 0 && strings.EqualFold(f[0], "under") {
			s = s[i+2:]
		}
	}
	// Asides: "Ministers from Japan, Australia and the United States,
	// which are not party to the code negotiations,"; "The crossings, at
	// Mia Milia near Nicosia …,"
	for _, p := range []string{", which ", ", who ", ", whose ", " led by ", " headed by ", " chaired by ", " including "} {
		if i := strings.Index(lowerASCII(s), p); i > 0 {
			s = s[:i]
		}
	}
	if t := strings.TrimSpace(s); strings.HasSuffix(t, ",") {
		if i := strings.Index(t, ","); i > 0 && i < len(t)-1 {
			s = t[:i]
		}
	}
	return strings.Trim(strings.TrimSpace(s), ",")
}

// pronouns stand for a subject named before.
var pronouns = wordSet("he she it they we")

// antecedent returns the noun phrase that ends text, which a relative
// clause after it speaks of: "adopted by the bloc's foreign ministers" →
// "the bloc's foreign ministers".
func antecedent(text string) string {
	text = strings.TrimRight(strings.TrimSpace(text), ",")
	lower := lowerASCII(text)
	start := 0
	for _, w := range []string{" by ", " of ", " for ", " with ", " to ", " from ", ", ", " that ", " said ", " says ", " after ", " before ", " until ", " in ", " at "} {
		if i := strings.LastIndex(lower, w); i >= 0 && i+len(w) > start {
			start = i + len(w)
		}
	}
	return text[start:]
}

// cut returns s up to the first of stops.
func cut(s string, stops []string) string {
	lower := lowerASCII(s)
	end := len(s)
	for _, st := range stops {
		if i := strings.Index(lower, st); i >= 0 && i < end {
			end = i
		}
	}
	return s[:end]
}

// danglingWord reports whether a phrase cannot end on w.
func danglingWord(w string) bool {
	switch strings.ToLower(strings.Trim(w, ",;:")) {
	case "a", "an", "the", "of", "for", "to", "on", "in", "at", "by", "from", "with", "and", "or",
		"its", "their", "his", "her", "our", "until", "till", "as", "early", "than", "into":
		return true
	}
	return false
}

// tidy collapses spaces, drops a leading article and trailing
// punctuation, and capitalises the first letter.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, " ,;:.-–—“”\"'")
	for _, p := range []string{"the ", "a ", "an "} {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			s = s[len(p):]
			break
		}
	}
	words := strings.Fields(s)
	for len(words) > 1 && danglingWord(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	s = strings.Join(words, " ")
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerASCII returns s with its ASCII letters in lower case, leaving other
// bytes alone, so that offsets into it are offsets into s: strings.ToLower
// may change the length of some characters ("İ").
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
