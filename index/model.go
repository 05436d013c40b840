package index

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sync"
)

// The features of the second stage, which decides once per question, on
// its best candidate, whether the corpus answers it at all.
const (
	ansBias        = iota // always 1
	ansLocal              // the best candidate's coverage by its text and headline, over all the question's words
	ansCoverage           // … with the rest of its article
	ansUnknown            // share of the question's weight in English words the corpus does not use
	ansUnknownName        // … in other words it does not know (names, things it has never heard of)
	ansMissing            // share in names the best candidate's article never mentions
	ansFit                // the best candidate's fit to the kind of answer asked for (0 for what-questions)
	ansTyped              // the question asks for a kind of answer (when, where, who, how many, why)
	ansScore              // the best candidate's ranking score
	ansMargin             // its lead over the next candidate
	ansAllText            // every known word of the question is in the best candidate
	ansConcepts           // how many content words the question has (log)
	ansText               // the best candidate's coverage by its own text, over all the question's words
	ansRarest             // the heaviest known word missing from the best candidate's text, over all the question's weight
	ansFitText            // fit and text together: the passage holds both the question's words and the kind of answer
	ansExact              // the best candidate's coverage by words as written, over all the question's words
	ansSameArticle        // the next candidate comes from the same article: the question is about one story
	numAnswerFeatures
)

var answerFeatureNames = [numAnswerFeatures]string{
	"bias", "local", "coverage", "unknown", "unknown_name", "missing_entity", "fit", "typed", "score", "margin", "all_text", "concepts", "text", "rarest_missing", "fit_text", "exact", "same_article",
}

// answerFeatures are one question's second-stage feature values.
type answerFeatures [numAnswerFeatures]float64

// model holds the fitted weights of both stages.
type model struct {
	rank      [numFeatures]float64
	answer    [numAnswerFeatures]float64
	threshold float64
	// recency is the share of its score a passage keeps when a newer
	// report on the same story also answers: a factor rather than a
	// weight, so that it moves the older report below the newer one
	// whatever the scale of the two scores.
	recency float64
}

// modelFile is weights.json: written by the tuner (tune_test.go), read
// once at start.
type modelFile struct {
	// About says how and on what data the weights were fitted.
	About     string             `json:"about"`
	Rank      map[string]float64 `json:"rank"`
	Answer    map[string]float64 `json:"answer"`
	Threshold float64            `json:"threshold"`
	Recency   float64            `json:"recency"`
	// Figures are what the tuner measured with these weights.
	Figures map[string]map[string]float64 `json:"figures,omitempty"`
}

//go:embed weights.json
var weightsJSON []byte

// theModel is the embedded model; a weights.json that does not parse is a
// build defect, caught by the tests.
var theModel = sync.OnceValue(func() *model {
	m, err := parseModel(weightsJSON)
	if err != nil {
		panic(err)
	}
	return m
})

func parseModel(raw []byte) (*model, error) {
	var f modelFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("read weights: %w", err)
	}
	m := &model{threshold: f.Threshold, recency: cmp.Or(f.Recency, 1)}
	for name, w := range f.Rank {
		i := indexOf(featureNames[:], name)
		if i < 0 {
			return nil, fmt.Errorf("read weights: unknown ranking feature %q", name)
		}
		m.rank[i] = w
	}
	for name, w := range f.Answer {
		i := indexOf(answerFeatureNames[:], name)
		if i < 0 {
			return nil, fmt.Errorf("read weights: unknown answerability feature %q", name)
		}
		m.answer[i] = w
	}
	return m, nil
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// score is the first stage: the weighted sum of a candidate's features,
// of which a superseded report keeps the recency share.
func (m *model) score(f *features) float64 {
	s := 0.0
	for i, v := range f {
		s += m.rank[i] * v
	}
	if f[featSuperseded] > 0 {
		s -= (1 - m.recency) * math.Abs(s)
	}
	return s
}

// confidence is the second stage: the calibrated probability that the
// corpus answers the question, from its answerability features.
func (m *model) confidence(a *answerFeatures) float64 {
	z := 0.0
	for i, v := range a {
		z += m.answer[i] * v
	}
	return sigmoid(z)
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// answerability computes the second stage's features for the candidate at
// ranked[i], against the one after it.
func answerability(r *ranking, i int) answerFeatures {
	var a answerFeatures
	c := &r.cands[i]
	known := r.known
	a[ansBias] = 1
	a[ansLocal] = known * (c.f[featText] + c.f[featSynonym] + c.f[featLexical] + c.f[featTitle])
	a[ansCoverage] = a[ansLocal] + known*c.f[featArticle]
	a[ansUnknown] = r.unknownWords / r.total
	a[ansUnknownName] = 1 - known - a[ansUnknown]
	a[ansMissing] = known * c.f[featMissingEntity]
	if r.pq.kind != kindWhat {
		a[ansTyped] = 1
		a[ansFit] = c.f[featWhen] + c.f[featWhere] + c.f[featWho] + c.f[featCount] + c.f[featWhy]
	}
	a[ansScore] = c.score
	if i+1 < len(r.cands) {
		a[ansMargin] = c.score - r.cands[i+1].score
	} else {
		a[ansMargin] = c.score
	}
	a[ansAllText] = c.f[featAllText]
	a[ansConcepts] = math.Log1p(float64(len(r.concepts)))
	a[ansText] = known * (c.f[featText] + c.f[featSynonym] + c.f[featLexical])
	a[ansRarest] = c.rarestMissing / r.total
	a[ansFitText] = a[ansFit] * a[ansText]
	a[ansExact] = known * c.f[featText]
	if i+1 < len(r.cands) && r.cands[i+1].article == c.article {
		a[ansSameArticle] = 1
	}
	return a
}
