package dates

import "time"

// monthOf returns the month that a lower-case word names. strict reports a
// name that is also an ordinary word or an abbreviation ("may", "march",
// "dec"): those count as months only when written with a capital.
func monthOf(w string) (m time.Month, strict, ok bool) {
	switch w {
	case "january":
		return time.January, false, true
	case "february":
		return time.February, false, true
	case "april":
		return time.April, false, true
	case "june":
		return time.June, false, true
	case "july":
		return time.July, false, true
	case "august":
		return time.August, false, true
	case "september":
		return time.September, false, true
	case "october":
		return time.October, false, true
	case "november":
		return time.November, false, true
	case "december":
		return time.December, false, true
	case "march", "mar":
		return time.March, true, true
	case "may":
		return time.May, true, true
	case "jan":
		return time.January, true, true
	case "feb":
		return time.February, true, true
	case "apr":
		return time.April, true, true
	case "jun":
		return time.June, true, true
	case "jul":
		return time.July, true, true
	case "aug":
		return time.August, true, true
	case "sep", "sept":
		return time.September, true, true
	case "oct":
		return time.October, true, true
	case "nov":
		return time.November, true, true
	case "dec":
		return time.December, true, true
	}
	return 0, false, false
}

// isMonthAbbreviation reports whether w is a month's short name, which may
// take a full stop: "Dec.", "Sept.".
func isMonthAbbreviation(w string) bool {
	switch w {
	case "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec":
		return true
	}
	return false
}

// weekdayOf returns the day of the week that a lower-case word names.
func weekdayOf(w string) (time.Weekday, bool) {
	switch w {
	case "monday":
		return time.Monday, true
	case "tuesday":
		return time.Tuesday, true
	case "wednesday":
		return time.Wednesday, true
	case "thursday":
		return time.Thursday, true
	case "friday":
		return time.Friday, true
	case "saturday":
		return time.Saturday, true
	case "sunday":
		return time.Sunday, true
	}
	return 0, false
}

// isFeastPrefix reports whether a capitalised word before a weekday makes a
// name rather than a date: "Good Friday", "Super Tuesday", "Bloody Sunday".
func isFeastPrefix(w string) bool {
	switch w {
	case "good", "black", "bloody", "ash", "holy", "maundy", "easter",
		"palm", "super", "cyber", "orthodox":
		return true
	}
	return false
}

// isTitleSuffix reports whether a capitalised word after a weekday makes a
// name rather than a date: "the Sunday Times", "the Good Friday Agreement".
func isTitleSuffix(w string) bool {
	switch w {
	case "times", "telegraph", "express", "mirror", "post", "herald",
		"people", "sport", "agreement", "accord", "accords":
		return true
	}
	return false
}

// isPartOfDay reports whether w narrows a day to part of it:
// "Thursday morning", "tomorrow night".
func isPartOfDay(w string) bool {
	switch w {
	case "morning", "afternoon", "evening", "night", "lunchtime":
		return true
	}
	return false
}

// countOf returns the number that a lower-case word spells, or 0.
func countOf(w string) int {
	switch w {
	case "a", "an", "one":
		return 1
	case "two":
		return 2
	case "three":
		return 3
	case "four":
		return 4
	case "five":
		return 5
	case "six":
		return 6
	case "seven":
		return 7
	case "eight":
		return 8
	case "nine":
		return 9
	case "ten":
		return 10
	case "eleven":
		return 11
	case "twelve":
		return 12
	case "fourteen":
		return 14
	case "fifteen":
		return 15
	case "twenty":
		return 20
	case "thirty":
		return 30
	}
	return 0
}

// wordClass is what a word says about the tense of the clause it is in.
type wordClass uint8

const (
	neutralWord wordClass = iota
	// futureWord marks the future however it is used: modals ("will",
	// "could"), plans ("due", "scheduled", "ahead"), "until".
	futureWord
	// presentWord is a present-tense verb, which in news places a dated
	// event in the future ("ministers, who meet on Monday"); after a
	// determiner it is a noun ("the visit") and says nothing.
	presentWord
	// pastWord is a past-tense verb or participle, or a word like "ago";
	// after "be" it is a passive future ("to be signed on Friday"), after a
	// determiner an adjective ("the armed forces").
	pastWord
)

// classOf returns the class of a lower-case word. Regular past tenses ending
// in -ed are left to isEdVerb.
func classOf(w string) wordClass {
	switch w {
	case "will", "shall", "would", "could", "should", "might", "must", "can",
		"cannot", "may", "due", "expected", "expects", "expect", "scheduled",
		"slated", "planned", "planning", "plans", "plan", "set", "proposed",
		"upcoming", "ahead", "next", "coming", "intends",
		"intend", "aims", "aim", "hopes", "hope", "prepares", "preparing",
		"prepare", "await", "awaits", "awaiting", "likely", "poised",
		"rescheduled", "tomorrow", "starting", "beginning", "effective":
		return futureWord
	case "is", "are", "am", "has", "have", "meet", "meets", "begin", "begins",
		"start", "starts", "open", "opens", "arrive", "arrives", "travel",
		"travels", "visit", "visits", "host", "hosts", "hold", "holds",
		"gather", "gathers", "convene", "convenes", "reconvene", "reconvenes",
		"resume", "resumes", "head", "heads", "fly", "flies", "vote", "votes",
		"take", "takes", "end", "ends", "return", "returns", "go", "goes",
		"leave", "leaves", "sit", "sits", "expire", "expires", "sign",
		"signs", "attend", "attends", "join", "joins", "face", "faces",
		"address", "addresses", "continue", "continues", "close", "closes",
		"conclude", "concludes":
		return presentWord
	case "said", "told", "met", "was", "were", "had", "did", "held", "made",
		"took", "gave", "went", "came", "began", "spoke", "wrote", "left",
		"sent", "won", "lost", "saw", "got", "struck", "broke", "brought",
		"thought", "fought", "sought", "rose", "fell", "flew", "ran", "led",
		"kept", "found", "became", "stood", "sat", "paid", "meant", "felt",
		"heard", "knew", "grew", "drew", "threw", "chose", "drove", "shook",
		"spent", "built", "caught", "taught", "bought", "sold", "fled",
		"been", "done", "gone", "given", "taken", "seen", "spoken", "written",
		"shown", "known", "drawn", "begun", "broken", "chosen", "ago",
		"earlier", "last", "since", "previously", "yesterday":
		return pastWord
	}
	return neutralWord
}

// isEdVerb reports whether w looks like a regular past tense ("agreed",
// "settled") rather than a word that merely ends in -ed ("need", "hundred").
func isEdVerb(w string) bool {
	if len(w) < 4 || w[len(w)-2:] != "ed" {
		return false
	}
	switch w {
	case "need", "speed", "seed", "feed", "heed", "greed", "deed", "creed",
		"breed", "indeed", "proceed", "succeed", "exceed", "hundred", "shed",
		"sled", "bred", "embed", "naked", "wicked", "sacred", "kindred":
		return false
	}
	return true
}

// negationClass returns the class of a negated auxiliary, the word before
// "n't": "won" (won't), "didn" (didn't).
func negationClass(w string) wordClass {
	switch w {
	case "won", "can", "couldn", "wouldn", "shouldn", "mustn", "mightn", "shan":
		return futureWord
	case "don", "doesn", "isn", "aren":
		return presentWord
	case "didn", "wasn", "weren", "hadn":
		return pastWord
	}
	return neutralWord
}

// isDeterminer reports whether w, before a verb-like word, makes it a noun
// or an adjective: "the visit", "a planned summit", "their armed forces".
func isDeterminer(w string) bool {
	switch w {
	case "the", "a", "an", "his", "her", "its", "their", "our", "my", "your",
		"this", "these", "those", "every", "each", "any", "some":
		return true
	}
	return false
}

// isClauseWord reports whether w opens a new clause, so that the verbs
// beyond it belong to another time: "officials met on Monday and the talks
// resume on Thursday".
func isClauseWord(w string) bool {
	switch w {
	case "and", "but", "or", "nor", "while", "whereas", "although", "though",
		"because", "who", "which", "where", "when", "whom", "if", "unless":
		return true
	}
	return false
}

// isAbbreviation reports whether a word followed by a full stop is an
// abbreviation rather than the end of a sentence ("Mr. Trump", "Dec. 14").
func isAbbreviation(w string) bool {
	if len(w) == 1 {
		return true
	}
	switch w {
	case "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt",
		"sen", "rep", "gov", "st", "no", "vs", "jan", "feb", "mar", "apr",
		"jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "co",
		"corp", "jr", "sr", "approx", "est":
		return true
	}
	return false
}

// isStarter reports whether a lower-case word can begin an expression that
// Find recognises: a month, a weekday, a modifier, a relative day, a count,
// "on", "the" or "in".
func isStarter(w string) bool {
	switch w {
	case "on", "the", "in", "next", "last", "this", "coming", "past",
		"today", "tonight", "yesterday", "tomorrow",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
		"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve", "fourteen", "fifteen", "twenty", "thirty":
		return true
	}
	return false
}

// isPostponement reports whether w, before "to" or "until", moves an event
// to a later day: "postponed until Thursday", "pushed back to Friday".
func isPostponement(w string) bool {
	switch w {
	case "postponed", "delayed", "deferred", "adjourned", "suspended",
		"extended", "pushed", "moved", "rescheduled", "back", "forward", "off",
		"postpone", "delay", "defer", "adjourn", "suspend", "extend", "move",
		"postpones", "delays", "defers", "adjourns", "suspends", "extends", "moves":
		return true
	}
	return false
}

// auxiliaryClass returns the tense that an auxiliary gives the participle
// after it: "is closed", "to be signed" (future); "was settled", "has
// agreed" (past). Other words give neutralWord.
func auxiliaryClass(w string) wordClass {
	switch w {
	case "be", "being", "is", "are", "am", "remain", "remains", "stay", "stays":
		return futureWord
	case "was", "were", "been", "had", "has", "have":
		return pastWord
	}
	return neutralWord
}

// isParticle reports whether w completes a postponement verb: "pushed
// back", "brought forward", "put off".
func isParticle(w string) bool {
	return w == "back" || w == "forward" || w == "off"
}

// isPlan reports whether w, before "to" and a verb, makes what follows a
// plan or a wish, which lies ahead whatever the tense of w: "hoped to wrap
// up on Thursday", "agreed to meet on Friday", "is set to sign".
func isPlan(w string) bool {
	switch w {
	case "hope", "hopes", "hoped", "hoping", "plan", "plans", "planned", "planning",
		"expect", "expects", "expected", "expecting", "aim", "aims", "aimed", "aiming",
		"intend", "intends", "intended", "want", "wants", "wanted", "seek", "seeks", "sought",
		"promise", "promises", "promised", "pledge", "pledges", "pledged", "vow", "vows", "vowed",
		"agree", "agrees", "agreed", "decide", "decides", "decided", "prepare", "prepares",
		"prepared", "preparing", "schedule", "scheduled", "set", "due", "poised", "likely",
		"ready", "going", "try", "tries", "tried", "trying", "offer", "offers", "offered",
		"threaten", "threatens", "threatened", "invite", "invited", "ask", "asked", "urge",
		"urged", "called", "slated":
		return true
	}
	return false
}

// isDeadline reports whether w names a day by which something must
// happen, which lies ahead of the report: "the deadline was Friday".
func isDeadline(w string) bool {
	return w == "deadline" || w == "deadlines" || w == "ultimatum"
}

// isCopula reports whether w is a form of "be", which gives its clause a
// tense but yields to a plan or deadline it links to.
func isCopula(w string) bool {
	switch w {
	case "is", "are", "am", "was", "were":
		return true
	}
	return false
}

// isModal reports whether w speaks of what may happen.
func isModal(w string) bool {
	switch w {
	case "would", "could", "might", "may", "will", "can", "should":
		return true
	}
	return false
}

// isReportingWord reports whether w reports a statement, so that a date
// right after it is when the statement was made: "said on Monday", "in a
// statement on Monday".
func isReportingWord(w string) bool {
	switch w {
	case "said", "says", "say", "told", "tells", "announced", "announces", "stated",
		"confirmed", "confirms", "added", "reported", "reports", "warned", "insisted",
		"noted", "wrote", "declared", "statement", "briefed", "tweeted", "posted":
		return true
	}
	return false
}
