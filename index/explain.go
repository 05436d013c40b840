package index

import (
	"fmt"
	"strings"
)

// Explanation tells how a number came about, as a tree: a value, what it
// is, and the parts it was made of.
type Explanation struct {
	Value    float64        `json:"value"`
	Message  string         `json:"message"`
	Children []*Explanation `json:"children,omitempty"`
}

// String renders the explanation as an indented tree, one line a node.
func (e *Explanation) String() string {
	var b strings.Builder
	e.write(&b, 0)
	return b.String()
}

func (e *Explanation) write(b *strings.Builder, depth int) {
	fmt.Fprintf(b, "%s%.3f  %s\n", strings.Repeat("  ", depth), e.Value, e.Message)
	for _, c := range e.Children {
		c.write(b, depth+1)
	}
}

// explainScore lists what each feature added to a candidate's score.
func explainScore(c *candidate, m *model) *Explanation {
	e := &Explanation{Value: c.score, Message: "ranking score: the weighted sum of the passage's features"}
	if c.f[featSuperseded] > 0 {
		e.Message += fmt.Sprintf(", of which it keeps %.0f%%: a newer report of the same story also answers", 100*m.recency)
	}
	for i, v := range c.f {
		if v == 0 || i == featSuperseded && m.rank[i] == 0 {
			continue
		}
		e.Children = append(e.Children, &Explanation{
			Value:   m.rank[i] * v,
			Message: fmt.Sprintf("%s = %.3f × weight %.3f", featureNames[i], v, m.rank[i]),
		})
	}
	return e
}

// explainConfidence lists what each answerability feature added.
func explainConfidence(a *answerFeatures, m *model, conf float64) *Explanation {
	e := &Explanation{Value: conf, Message: fmt.Sprintf("confidence: logistic of the answerability features (answers at %.3f or more)", m.threshold)}
	for i, v := range a {
		if v == 0 {
			continue
		}
		e.Children = append(e.Children, &Explanation{
			Value:   m.answer[i] * v,
			Message: fmt.Sprintf("%s = %.3f × weight %.3f", answerFeatureNames[i], v, m.answer[i]),
		})
	}
	return e
}

func explainAnswer(r *ranking, c *candidate, m *model, a *answerFeatures, conf float64) *Explanation {
	return &Explanation{
		Value:    c.score,
		Message:  fmt.Sprintf("%s#%d", c.article, c.pos),
		Children: []*Explanation{explainQuestion(r), explainScore(c, m), explainConfidence(a, m, conf)},
	}
}

// explainQuestion tells how the question was read: its kind, and each
// content word with its weight and the terms it is looked for by.
func explainQuestion(r *ranking) *Explanation {
	e := &Explanation{Value: r.known, Message: fmt.Sprintf("question read as a %s-question; the corpus knows this share of its weight", r.pq.kind)}
	kinds := [...]string{matchExact: "as written", matchSynonym: "field synonym", matchLexical: "WordNet or acronym"}
	for _, c := range r.concepts {
		var ways []string
		for _, a := range c.alts {
			ways = append(ways, fmt.Sprintf("%s (%s)", strings.Join(a.terms, " "), kinds[a.kind]))
		}
		msg := fmt.Sprintf("%q, unknown to the corpus", c.word)
		if c.known() {
			msg = fmt.Sprintf("%q, looked for as %s", c.word, strings.Join(ways, ", "))
		}
		if c.entity {
			msg += "; a name"
		}
		e.Children = append(e.Children, &Explanation{Value: c.weight, Message: msg})
	}
	return e
}

// explainRefusal says why the best candidate was not good enough.
func explainRefusal(r *ranking, m *model, a *answerFeatures, conf float64) *Explanation {
	c := &r.cands[0]
	e := &Explanation{
		Value:   conf,
		Message: fmt.Sprintf("no answer: confidence %.3f is below %.3f%s", conf, m.threshold, unknownWords(r)),
	}
	e.Children = append(e.Children, explainQuestion(r),
		&Explanation{Value: c.score, Message: fmt.Sprintf("best candidate %s#%d: %q", c.article, c.pos, c.text), Children: []*Explanation{explainScore(c, m)}},
		explainConfidence(a, m, conf))
	return e
}

// explainEmpty says why no passage was even a candidate.
func explainEmpty(r *ranking) *Explanation {
	if len(r.concepts) == 0 {
		return &Explanation{Message: "no answer: the question has no content words"}
	}
	return &Explanation{Message: "no answer: no passage holds any of the question's words" + unknownWords(r), Children: []*Explanation{explainQuestion(r)}}
}

func unknownWords(r *ranking) string {
	var ws []string
	for _, c := range r.concepts {
		if !c.known() {
			ws = append(ws, c.word)
		}
	}
	if len(ws) == 0 {
		return ""
	}
	return fmt.Sprintf("; the articles never use %q", strings.Join(ws, " "))
}
