package dates

// tense places a bare weekday before or after the reference day.
type tense uint8

const (
	unknownTense tense = iota
	pastTense
	futureTense
	// nearTense is a day that something was moved or stretched to, told
	// in the past ("was extended until Saturday", "the meeting was moved
	// to Saturday"), or the day of a plan that fell through ("had hoped to
	// wrap up on Thursday"). It is ahead, unless the coming such day is
	// six days off and the last one was yesterday: then the report tells
	// of a change already played out.
	nearTense
)

// maxReach bounds how many tokens a scan for a tense marker looks at on
// each side of a weekday, so that a long paragraph stays cheap.
const maxReach = 24

// nearReach is how close, in tokens, a verb before a weekday must be to
// claim it over a verb right after it: "talks that opened in Geneva on
// Monday are expected to close" (Monday is when they opened).
const nearReach = 5

// tenseOf guesses whether the weekday that toks[first..last] name lies in
// the past or the future, from the words around it. See Find for the rules.
func (f *finder) tenseOf(first, last int, possessive bool) tense {
	if t := f.clauseTense(first, last); t != unknownTense {
		return t
	}
	if possessive {
		return futureTense // "Friday’s summit" is still to come
	}
	return f.sentenceTense(first, last)
}

// clauseTense returns the tense that the clause around toks[first..last]
// marks, or unknownTense when it has no marker.
func (f *finder) clauseTense(first, last int) tense {
	// A verb just before the weekday governs it ("talks that opened on
	// Monday are ..."); otherwise a verb right after it is its own
	// ("ambassadors on Friday agreed", "Putin on Friday will").
	left, dist := f.leftTense(first)
	if left != unknownTense && dist <= nearReach {
		return left
	}
	if t := f.marker(last + 1); t != unknownTense {
		return t
	}
	if left != unknownTense {
		return left
	}
	// Then to the right, into the main clause when the weekday opens the
	// sentence: "On Monday, officials said".
	crossed := !f.opens(first)
	for k := last + 1; k < len(f.toks) && k-last <= maxReach; k++ {
		if f.boundary(k) {
			if !crossed && f.p(k) == "," {
				crossed = true
				continue
			}
			break
		}
		if t := f.marker(k); t != unknownTense {
			return t
		}
	}
	return unknownTense
}

// leftTense reads the clause to the left of toks[first] for the tense it
// gives a weekday there, and returns it with the distance in tokens to
// the word that decided it. Besides plain tense markers it knows:
//
//   - plans and wishes, whatever their tense, point forward: "hoped to
//     wrap up on Thursday", "agreed on Monday to meet again on Friday";
//   - so does a deadline: "the deadline was Friday";
//   - the day a thing is moved or stretched to lies ahead: "has been
//     postponed until Thursday", "was extended overnight until Saturday"
//     (see nearTense);
//   - "until", and "from" or "by" just before the weekday, lean forward but
//     yield to a verb: "the rules apply from Monday", "the truce held until
//     Sunday";
//   - a past verb in a condition is no past: "a pause could not be ruled
//     out if concerns dominated Sunday’s talks";
//   - a copula yields to a plan or a deadline further left, which gives
//     the clause its sense: "the deadline was Friday".
func (f *finder) leftTense(first int) (tense, int) {
	lean := false
	switch f.w(first - 1) {
	case "from", "by":
		lean = true
	}
	to := false // "to", "until" or "till" lies between the weekday and j
	weak, weakAt := unknownTense, 0
	for j := first - 1; j >= 0 && first-j <= maxReach; j-- {
		if k, ok := f.aside(j); ok {
			j = k
			continue
		}
		if f.boundary(j) {
			break
		}
		w := f.w(j)
		switch {
		case w == "until" || w == "till":
			lean, to = true, true
			continue
		case w == "to":
			if isPlan(f.w(j-1)) && !f.phraseAfter(j) {
				if f.pluperfect(j - 1) {
					return nearTense, first - j
				}
				return futureTense, first - j
			}
			to = true
			continue
		case isDeadline(w):
			return futureTense, first - j
		case weak != unknownTense:
			continue // past a copula only plans and deadlines count
		case to && isPostponement(w):
			return f.moved(j), first - j
		}
		t := f.marker(j)
		switch {
		case t == unknownTense:
			continue
		case isCopula(w):
			weak, weakAt = t, j
			continue
		case t == pastTense && f.conditional(j):
			t = futureTense
		case t == futureTense && f.pluperfect(j):
			t = nearTense // "had been expected on Thursday"
		}
		return t, first - j
	}
	if weak != unknownTense {
		return weak, first - weakAt
	}
	if lean {
		return futureTense, maxReach
	}
	return unknownTense, 0
}

// aside reports whether toks[j] closes a short aside in brackets, such as
// an abbreviation ("the Demilitarized Zone (DMZ) on Friday"), which a scan
// to the left passes over, and returns the index of its opening bracket.
func (f *finder) aside(j int) (int, bool) {
	if f.p(j) != ")" {
		return 0, false
	}
	for k := j - 1; k >= 0 && j-k <= 5; k-- {
		switch f.p(k) {
		case "(":
			return k, true
		case ")", ",", ";", ".":
			return 0, false
		}
	}
	return 0, false
}

// moved returns the tense of a day that the postponement verb at toks[j]
// moves something to: futureTense after "has been", "will be" and the
// like, or for a verb in the present; nearTense for a simple past.
func (f *finder) moved(j int) tense {
	if isParticle(f.w(j)) {
		j-- // "pushed back to Thursday": the verb is "pushed"
	}
	switch f.w(j - 1) {
	case "was", "were":
		return nearTense
	case "":
	default:
		if auxiliaryClass(f.w(j-1)) != neutralWord || classOf(f.w(j-1)) == futureWord {
			return futureTense // "has been postponed", "will be moved", "is extended"
		}
	}
	if isEdVerb(f.w(j)) {
		return nearTense // "negotiators extended the session until Saturday"
	}
	return futureTense
}

// pluperfect reports whether toks[j] follows "had" or "had been": a plan
// told in the pluperfect is one that did not happen as planned.
func (f *finder) pluperfect(j int) bool {
	return f.w(j-1) == "had" || f.w(j-1) == "been" && f.w(j-2) == "had"
}

// phraseAfter reports whether the "to" at toks[j] begins a noun phrase or
// a place rather than a verb: "agreed to a truce", "travelled to Ankara".
func (f *finder) phraseAfter(j int) bool {
	if j+1 >= len(f.toks) {
		return true
	}
	t := f.toks[j+1]
	return t.kind != wordToken || t.upper || isDeterminer(f.w(j+1)) || countOf(f.w(j+1)) > 0
}

// conditional reports whether toks[j] is in an "if" or "unless" clause of
// a sentence that has a modal: "could not be ruled out if concerns
// dominated Sunday’s talks" speaks of what may yet happen.
func (f *finder) conditional(j int) bool {
	k := j - 1
	for ; k >= 0 && !f.boundary(k); k-- {
	}
	if k < 0 {
		return false
	}
	if w := f.w(k); w != "if" && w != "unless" {
		return false
	}
	for i := k - 1; i >= 0 && k-i <= 4*maxReach && !f.sentenceEnd(i); i-- {
		if isModal(f.w(i)) {
			return true
		}
	}
	for i := j + 1; i < len(f.toks) && i-j <= 4*maxReach && !f.sentenceEnd(i); i++ {
		if isModal(f.w(i)) {
			return true
		}
	}
	return false
}

// opens reports whether the expression at toks[first] opens its clause,
// allowing a word like "late" before it: "On Monday, officials said",
// "Late on Thursday, the talks broke up".
func (f *finder) opens(first int) bool {
	for k := first - 1; k >= 0; k-- {
		if a, ok := f.aside(k); ok {
			k = a
			continue
		}
		if f.boundary(k) {
			return true
		}
		switch f.w(k) {
		case "late", "early", "later", "then", "also", "so", "even":
		default:
			return false
		}
	}
	return true
}

// reporting reports whether the expression at toks[first..last] dates a
// statement rather than what the statement is about: "mediators said on
// Monday", "told reporters on Monday evening", "in a statement on
// Monday", "On Monday, the ministry said".
func (f *finder) reporting(first, last int) bool {
	for j := first - 1; j >= 0 && first-j <= 4; j-- {
		if f.boundary(j) {
			break
		}
		w := f.w(j)
		if isReportingWord(w) {
			return true
		}
		if f.marker(j) != unknownTense {
			return false
		}
	}
	if !f.opens(first) {
		return false
	}
	crossed := false
	for k := last + 1; k < len(f.toks) && k-last <= 8; k++ {
		if f.boundary(k) {
			if !crossed && f.p(k) == "," {
				crossed = true
				continue
			}
			return false
		}
		if isReportingWord(f.w(k)) {
			return true
		}
		if f.marker(k) != unknownTense {
			return false
		}
	}
	return false
}

// sentenceTense is the fallback for a weekday whose clause says nothing:
// past if the sentence around toks[first..last] has any past marker,
// future otherwise.
func (f *finder) sentenceTense(first, last int) tense {
	for j := first - 1; j >= 0 && first-j <= 4*maxReach && !f.sentenceEnd(j); j-- {
		if f.marker(j) == pastTense {
			return pastTense
		}
	}
	for k := last + 1; k < len(f.toks) && k-last <= 4*maxReach && !f.sentenceEnd(k); k++ {
		if f.marker(k) == pastTense {
			return pastTense
		}
	}
	return futureTense
}

// marker returns the tense that toks[j] marks, or unknownTense.
func (f *finder) marker(j int) tense {
	w := f.w(j)
	if w == "" {
		return unknownTense
	}
	// Contractions: "won't", "didn't", "they'll", "we're". A possessive or
	// "’d" says nothing.
	if f.apostrophe(j-1) && f.joined(j-1, j) {
		switch w {
		case "t":
			return classTense(negationClass(f.w(j - 2)))
		case "ll", "re":
			return futureTense
		}
		return unknownTense
	}
	if f.apostrophe(j+1) && f.joined(j, j+1) && f.w(j+2) == "t" {
		return classTense(negationClass(w))
	}
	if w == "am" && f.number(j-1, 4) {
		return unknownTense // "11:30 am"
	}
	c := classOf(w)
	if c == neutralWord {
		switch {
		case (w == "early" || w == "soon") && f.w(j+1) == "as":
			return futureTense // "as early as Thursday"
		case isEdVerb(w) && !f.toks[j].upper:
			c = pastWord
		default:
			return unknownTense
		}
	}
	switch c {
	case futureWord:
		if w == "may" && f.toks[j].upper {
			return unknownTense // the month, or Theresa May
		}
		return futureTense
	case presentWord:
		if f.determined(j) {
			return unknownTense // "the visit on Friday"
		}
		return futureTense
	case pastWord:
		// A participle takes its tense from its auxiliary: "to be signed",
		// "remain closed" (future), "was settled", "has agreed" (past).
		if a := auxiliaryClass(f.w(j - 1)); a != neutralWord {
			return classTense(a)
		}
		if f.determined(j) {
			return unknownTense // "the armed forces", "the last talks"
		}
		return pastTense
	}
	return unknownTense
}

// classTense returns the tense a class of word marks.
func classTense(c wordClass) tense {
	switch c {
	case futureWord, presentWord:
		return futureTense
	case pastWord:
		return pastTense
	}
	return unknownTense
}

// determined reports whether toks[j] follows a determiner or a possessive,
// which makes a verb-like word a noun or an adjective.
func (f *finder) determined(j int) bool {
	if isDeterminer(f.w(j - 1)) {
		return true
	}
	return f.w(j-1) == "s" && f.possessive(j-2)
}

// boundary reports whether toks[j] ends a clause: punctuation that
// separates clauses, the end of a sentence, or a conjunction.
func (f *finder) boundary(j int) bool {
	t := f.toks[j]
	if t.kind != punctToken {
		// "WHO" is the World Health Organization, not a relative pronoun.
		return isClauseWord(f.w(j)) && !f.acronym(j)
	}
	switch f.text[t.start:t.end] {
	case ",", ";", "(", ")", "[", "]", "\"", "“", "”", "«", "»", "—", "–", "!", "?":
		return true
	case ":":
		// "11:30" is a time, not a colon between clauses.
		return !(f.joined(j-1, j) && f.joined(j, j+1) && f.number(j-1, 2) && f.number(j+1, 2))
	case ".":
		return f.sentenceEnd(j)
	}
	return false
}

// acronym reports whether toks[j] is a word of two or more letters, all
// of them capitals: "WHO", "IF".
func (f *finder) acronym(j int) bool {
	t := f.toks[j]
	if t.end-t.start < 2 {
		return false
	}
	for _, c := range []byte(f.text[t.start:t.end]) {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// sentenceEnd reports whether toks[j] ends a sentence: a question or
// exclamation mark, or a full stop that is followed by a space and does not
// close an abbreviation ("Mr.", "U.S.", "Dec.").
func (f *finder) sentenceEnd(j int) bool {
	switch f.p(j) {
	case "!", "?":
		return true
	case ".":
		if f.joined(j, j+1) && f.toks[j+1].kind != punctToken {
			return false // "U.S.", "3.5"
		}
		return !(f.joined(j-1, j) && isAbbreviation(f.w(j-1)))
	}
	return false
}
