package dates

// tense places a bare weekday before or after the reference day.
type tense uint8

const (
	unknownTense tense = iota
	pastTense
	futureTense
)

// maxReach bounds how many tokens a scan for a tense marker looks at on
// each side of a weekday, so that a long paragraph stays cheap.
const maxReach = 24

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
	// A verb right after the weekday is its own: "ambassadors on Friday
	// agreed", "Putin on Friday will".
	if t := f.marker(last + 1); t != unknownTense {
		return t
	}
	// A postponement looks forward whatever its tense: "has been postponed
	// until Thursday", "was delayed to Thursday".
	switch f.w(first - 1) {
	case "to", "until", "till":
		if isPostponement(f.w(first - 2)) {
			return futureTense
		}
	}
	// Then the nearest marker to the left in the same clause: "was settled
	// late on Thursday night", "will meet in Doha on Tuesday". "until", and
	// "from" just before the weekday, lean to the future but yield to a
	// verb: "the rules apply from Monday", "the truce held until Sunday".
	until := f.w(first-1) == "from"
	j := first - 1
	for ; j >= 0 && first-j <= maxReach; j-- {
		if f.boundary(j) {
			break
		}
		if w := f.w(j); w == "until" || w == "till" {
			until = true
			continue
		}
		if t := f.marker(j); t != unknownTense {
			return t
		}
	}
	if until {
		return futureTense
	}
	// Then to the right, into the main clause when the weekday opens the
	// sentence: "On Monday, officials said".
	initial := j < 0 || f.boundary(j)
	for k := j + 1; initial && k < first; k++ {
		switch f.w(k) {
		case "late", "early", "later", "then", "also", "so", "even":
		default:
			initial = false
		}
	}
	crossed := !initial
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
		return isClauseWord(f.w(j))
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
