package index

import (
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"

	"attache/corpus/dates"
)

// The features of a candidate passage, the first stage's input. Each is a
// number in about 0–1; the ranking score is their weighted sum, with the
// weights fitted (model.go). The coverage features split the share of the
// question's known meaning (its words weighted by rarity) by where and how
// each word was found: each word counts once, in the first of text,
// synonym, lexical, title, article that holds it.
const (
	featText          = iota // words found as they are in the passage
	featSynonym              // … by a synonym of the field
	featLexical              // … by a WordNet synonym, derived form, or an acronym's name
	featTitle                // … in the article's headline only
	featArticle              // … elsewhere in the article only
	featProximity            // consecutive question words standing close together in the passage
	featBM25                 // Bleve's BM25 score, relative to the best candidate's
	featWhen                 // a when-question and a date or time in the passage (on the side of the article's day the tense asks for)
	featWhere                // a where-question and a place
	featWho                  // a who-question and a name the question does not hold
	featCount                // a how-many-question and a number
	featWhy                  // a why-question and a reason
	featWhatName             // a what- or which-question and a name the question does not hold
	featWhatNumber           // a what- or which-question and a number
	featSuperseded           // a newer article on the same story also answers
	featLength               // the passage's length (log of words)
	featMissingEntity        // share of the question's weight in names the article never mentions
	featAllText              // every known word of the question is in the passage
	numFeatures
)

// featureNames name the features in weights.json and in explanations.
var featureNames = [numFeatures]string{
	"text", "synonym", "lexical", "title", "article", "proximity", "bm25",
	"when", "where", "who", "count", "why", "what_name", "what_number",
	"superseded", "length", "missing_entity", "all_text",
}

// features are one candidate's feature values.
type features [numFeatures]float64

// candidate is a passage that may answer the question, with what the
// ranking knows of it.
type candidate struct {
	hit     *search.DocumentMatch
	text    string
	article string
	pos     int
	meta    articleMeta
	f       features
	score   float64
	// rarestMissing is the weight of the heaviest known word of the
	// question that the passage's text does not hold.
	rarestMissing float64
}

// describe computes a candidate's features. inArticle holds the terms the
// article's retrieved passages hold between them, which stand for what the
// article is about.
func describe(c *candidate, pq question, concepts []concept, titles, inArticle map[string]bool, bm25 float64) {
	inText := c.hit.Locations[fieldText]
	has := func(set func(string) bool, a alt) bool {
		for _, t := range a.terms {
			if !set(t) {
				return false
			}
		}
		return true
	}
	text := func(t string) bool { return inText[t] != nil }
	title := func(t string) bool { return titles[t] }
	article := func(t string) bool { return inArticle[t] || titles[t] }
	known, allText := 0.0, true
	var f features
	for _, cn := range concepts {
		if !cn.known() {
			continue
		}
		known += cn.weight
		found := -1
		for _, a := range cn.alts {
			if has(text, a) {
				k := featText + int(a.kind)
				if found < 0 || k < found {
					found = k
				}
			}
		}
		if found < 0 {
			allText = false
			for _, a := range cn.alts {
				if has(title, a) {
					found = featTitle
					break
				}
			}
		}
		if found < 0 {
			for _, a := range cn.alts {
				if has(article, a) {
					found = featArticle
					break
				}
			}
		}
		if found < 0 || found >= featTitle {
			c.rarestMissing = max(c.rarestMissing, cn.weight)
		}
		if found >= 0 {
			f[found] += cn.weight
		} else if cn.entity {
			f[featMissingEntity] += cn.weight
		}
	}
	if known > 0 {
		for _, i := range []int{featText, featSynonym, featLexical, featTitle, featArticle, featMissingEntity} {
			f[i] /= known
		}
	}
	if allText {
		f[featAllText] = 1
	}
	f[featProximity] = proximity(concepts, inText)
	f[featBM25] = bm25
	if k, v := fitness(pq, c.text, c.meta.Published, concepts, inText); k >= 0 {
		f[k] = v
	}
	if pq.kind == kindWhat {
		// What and which questions most often want a name or a number
		// ("which company", "what year"); the fit says how much each
		// counts.
		f[featWhatName] = nameFit(c.text, concepts)
		if numberRe.MatchString(c.text) {
			f[featWhatNumber] = 1
		}
	}
	f[featLength] = math.Log1p(float64(len(strings.Fields(c.text)))) / math.Log(64)
	c.f = f
}

// proximity is the share of consecutive pairs of the question's words
// that also stand within three words of each other in the passage ("led
// Ukraine's delegation"): a sign that it speaks of the same thing, not of
// the same words.
func proximity(concepts []concept, inText search.TermLocationMap) float64 {
	var lists [][]uint64
	for _, c := range concepts {
		var ps []uint64
		for _, a := range c.alts {
			for _, t := range a.terms {
				for _, l := range inText[t] {
					ps = append(ps, l.Pos)
				}
			}
		}
		if c.known() {
			lists = append(lists, ps)
		}
	}
	if len(lists) < 2 {
		return 0
	}
	pairs := 0
	for i := 1; i < len(lists); i++ {
	pair:
		for _, p := range lists[i-1] {
			for _, q := range lists[i] {
				if p != q && (p < q && q-p <= 3 || q < p && p-q <= 3) {
					pairs++
					break pair
				}
			}
		}
	}
	return float64(pairs) / float64(len(lists)-1)
}

var (
	timeRe    = regexp.MustCompile(`(?i)\b\d{1,2}([:.]\d{2})?\s*(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(noon|midnight)\b`)
	whenRe    = regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|tomorrow|yesterday|week|weekend|month|year|spring|summer|autumn|winter|morning|evening|afternoon|night|century|decade)\b|\b(1[0-9]|20)\d{2}s?\b`)
	numberRe  = regexp.MustCompile(`(?i)\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|billion|dozen|dozens|half|third|quarter|fifth|sixth|tenth|twice|double|doubled|triple|tripled|halved|several|few)\b`)
	placeRe   = regexp.MustCompile(`\b(in|at|to|from|near|outside|inside)\s+(the\s+)?\p{Lu}\p{L}+`)
	reasonRe  = regexp.MustCompile(`(?i)\b(because|due to|as a result|in order to|so that|so as to|aim|aims|aimed|goal|purpose|reason|motive|blamed|over the|amid|after|since)\b`)
	capWordRe = regexp.MustCompile(`\p{Lu}[\p{L}'’-]+`)
)

// fitness rates how well a passage holds the kind of answer the question
// asks for: the feature it sets (-1 for none) and its value in 0–1.
func fitness(pq question, text string, published time.Time, concepts []concept, inText search.TermLocationMap) (int, float64) {
	switch pq.kind {
	case kindWhen:
		// A date on the side of the article's day that the question's
		// tense points to answers best: "when do they meet" wants the
		// coming meeting, not the one they held on Monday.
		if ms := dates.Find(text, published); len(ms) > 0 {
			if published.IsZero() {
				return featWhen, 1
			}
			day := published.UTC().Truncate(24 * time.Hour)
			for _, m := range ms {
				if pq.past && !m.Date.After(day) || !pq.past && !m.Date.Before(day) {
					return featWhen, 1
				}
			}
			return featWhen, 0.3
		}
		switch {
		case timeRe.MatchString(text):
			return featWhen, 1
		case whenRe.MatchString(text):
			return featWhen, 0.6
		}
		return featWhen, 0
	case kindCount:
		if numberRe.MatchString(text) {
			return featCount, countFit(text, inText, pq.head)
		}
		return featCount, 0
	case kindWhere:
		if placeRe.MatchString(text) {
			return featWhere, 1
		}
		return featWhere, 0
	case kindWho:
		return featWho, nameFit(text, concepts)
	case kindWhy:
		if reasonRe.MatchString(text) {
			return featWhy, 1
		}
		return featWhy, 0
	}
	return -1, 0
}

// units are what a number counts when a question asks "how much".
var units = setOf("dollar", "dollars", "euro", "euros", "pound", "pounds", "yuan", "yen", "rupee", "rupees", "rouble", "roubles",
	"percent", "per", "cent", "%", "million", "billion", "trillion", "thousand", "hundred",
	"tonne", "tonnes", "ton", "tons", "barrel", "barrels", "kilometre", "kilometres", "kilometer", "kilometers", "mile", "miles",
	"metre", "metres", "meter", "meters", "kilogram", "kilograms", "litre", "litres", "acre", "acres", "hectare", "hectares",
	"$", "€", "£", "usd", "eur")

// countFit rates how well a passage answers a how-many or how-much
// question: best when a number stands right before what the question
// counts (head: "23 ships") or, with no head, beside a unit ("10.25
// billion dollars"); less when it stands near the question's other words;
// least when it stands anywhere.
func countFit(text string, inText search.TermLocationMap, head string) float64 {
	var near []uint64
	for term, locs := range inText {
		if numberRe.MatchString(term) {
			continue
		}
		for _, l := range locs {
			near = append(near, l.Pos)
		}
	}
	toks := analyzer().Analyze([]byte(text))
	words := strings.Fields(strings.ToLower(text))
	best := 0.4
	for i, tok := range toks {
		if !numberRe.Match(tok.Term) {
			continue
		}
		p := uint64(tok.Position)
		if head != "" {
			for _, next := range toks[i+1 : min(i+3, len(toks))] {
				if string(next.Term) == head && next.Position-tok.Position <= 2 {
					return 1
				}
			}
		}
		for _, q := range near {
			if p != q && (p < q && q-p <= 4 || q < p && p-q <= 4) {
				best = max(best, 0.7)
			}
		}
	}
	if head == "" {
		for i, w := range words {
			w = strings.Trim(w, ".,;:()“”\"'")
			if units[w] || strings.HasPrefix(w, "$") || strings.HasPrefix(w, "€") || strings.HasPrefix(w, "£") || strings.HasSuffix(w, "%") {
				if i > 0 && numberRe.MatchString(words[i-1]) || numberRe.MatchString(w) {
					return 1
				}
			}
		}
	}
	return best
}

// nameFit rates a passage as the answer to a question after a name: 1 for
// a name of several words the question does not hold, 0.5 for a single
// one, 0 for none.
func nameFit(text string, concepts []concept) float64 {
	switch multi, single := novelNames(text, concepts); {
	case multi > 0:
		return 1
	case single > 0:
		return 0.5
	}
	return 0
}

// novelNames counts the names in text that are not the question's own
// words, the kind of answer a "who" question is after: runs of two or more
// capitalised words (people, bodies) and single capitalised words past the
// first word (places, countries).
func novelNames(text string, concepts []concept) (multi, single int) {
	locs := capWordRe.FindAllStringIndex(text, -1)
	known := func(w string) bool {
		lw := strings.ToLower(w)
		for _, c := range concepts {
			for _, a := range c.alts {
				for _, t := range a.terms {
					if strings.HasPrefix(lw, t) {
						return true
					}
				}
			}
		}
		return false
	}
	run := 0
	for i, loc := range locs {
		w := text[loc[0]:loc[1]]
		if known(w) || nameStop[w] || loc[0] == 0 && (i+1 >= len(locs) || locs[i+1][0] != loc[1]+1) {
			run = 0
			continue
		}
		if i > 0 && run > 0 && locs[i-1][1]+1 == loc[0] {
			run++
			if run == 2 {
				multi++
				single--
			}
			continue
		}
		run = 1
		single++
	}
	return multi, single
}
