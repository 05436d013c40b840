package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"attache/corpus"
)

// TestTune fits the ranking weights and the answerability model and
// writes weights.json. It reads the evaluation sets beside the checkout
// (../shared/eval, or ATTACHE_EVAL), so it runs only by hand:
//
//	ATTACHE_TUNE=1 go test ./index -run TestTune -v -timeout 30m
//
// It fits on squad-train (formal and chat-typed questions) with the news
// dev sets, chooses the answer threshold on squad-valid with the news
// sets, and prints every set's figures. ATTACHE_TUNE=check only prints the
// figures of the weights.json in place.
func TestTune(t *testing.T) {
	mode := os.Getenv("ATTACHE_TUNE")
	if mode == "" {
		t.Skip("set ATTACHE_TUNE=1 to fit weights.json from ../shared/eval")
	}
	root := cmp.Or(os.Getenv("ATTACHE_EVAL"), filepath.Join("..", "..", "shared", "eval"))
	sets := []tuneSet{
		{name: "squad-train", dir: "squad-train", questions: "questions.json", fit: true, weight: 0.25, answerWeight: 0.15},
		{name: "squad-train-informal", dir: "squad-train", questions: "questions-informal.json", fit: true, weight: 0.25, answerWeight: 0.15},
		{name: "dev", dir: "dev", questions: "questions.json", fit: true, weight: 0.2, answerWeight: 0.3},
		{name: "dev2", dir: "dev2", questions: "questions.json", fit: true, weight: 0.3, answerWeight: 0.4},
		{name: "squad-valid", dir: "squad-valid", questions: "questions.json"},
		{name: "squad-valid-informal", dir: "squad-valid", questions: "questions-informal.json"},
	}
	indexes := map[string]*Index{}
	for i := range sets {
		s := &sets[i]
		ix := indexes[s.dir]
		if ix == nil {
			ix = tuneIndex(t, filepath.Join(root, s.dir, "corpus"))
			indexes[s.dir] = ix
		}
		s.load(t, ix, filepath.Join(root, s.dir, s.questions))
	}
	m := theModel()
	if mode != "check" {
		m = &model{recency: 1}
		m.rank = fitRanking(sets, []int{featSuperseded})
		fitRecency(sets, m)
		fitAnswerability(sets, m)
		chooseThreshold(sets, m)
		for _, ablate := range []int{featSynonym, featLexical, featMissingEntity, featWhatName} {
			a := &model{rank: fitRanking(sets, []int{featSuperseded, ablate}), answer: m.answer, threshold: m.threshold, recency: m.recency}
			fmt.Printf("without %-15s %s\n", featureNames[ablate], figureLine(sets, a))
		}
	}
	fmt.Printf("fitted                  %s\n", figureLine(sets, m))
	if os.Getenv("ATTACHE_TUNE_VERBOSE") != "" {
		printSweep(sets, m)
	}
	if mode != "check" {
		writeModel(t, m, sets)
	}
}

// tuneSet is one evaluation set and what the ranking made of its
// questions.
type tuneSet struct {
	name, dir, questions string
	fit                  bool    // used to fit the weights
	weight               float64 // its share of the ranking's fit
	answerWeight         float64 // … and of the answerability model's
	qs                   []tuneQuestion
}

type tuneQuestion struct {
	text       string
	answerable bool
	r          *ranking
	positive   []bool // per candidate: holds a gold phrase
}

func tuneIndex(t *testing.T, dir string) *Index {
	t.Helper()
	arts, _, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(context.Background(), t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return ix
}

var spaces = regexp.MustCompile(`\s+`)

// normGold normalises text as the evaluation's score.py does.
func normGold(s string) string {
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`).Replace(s)
	return strings.ToLower(strings.TrimSpace(spaces.ReplaceAllString(s, " ")))
}

func (s *tuneSet) load(t *testing.T, ix *Index, file string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var qs []struct {
		Q    string
		Gold []string
	}
	if err := json.Unmarshal(raw, &qs); err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		text := strings.Join(strings.Fields(q.Q), " ")
		r, err := ix.rank(context.Background(), Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		tq := tuneQuestion{text: text, answerable: len(q.Gold) > 0, r: r}
		for i := range r.cands {
			c := &r.cands[i]
			c.hit = nil // what is kept is the features
			pos := false
			for _, g := range q.Gold {
				pos = pos || strings.Contains(normGold(c.text), normGold(g))
			}
			tq.positive = append(tq.positive, pos)
		}
		s.qs = append(s.qs, tq)
	}
}

// rescore orders every question's candidates by m, keeping each
// candidate's label beside it.
func rescore(sets []tuneSet, m *model) {
	for si := range sets {
		for qi := range sets[si].qs {
			q := &sets[si].qs[qi]
			for i := range q.r.cands {
				q.r.cands[i].score = m.score(&q.r.cands[i].f)
			}
			idx := make([]int, len(q.r.cands))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int {
				ca, cb := q.r.cands[a], q.r.cands[b]
				return cmp.Or(cmp.Compare(cb.score, ca.score), byKey(ca, cb))
			})
			cands := make([]candidate, len(idx))
			pos := make([]bool, len(idx))
			for i, j := range idx {
				cands[i], pos[i] = q.r.cands[j], q.positive[j]
			}
			q.r.cands, q.positive = cands, pos
		}
	}
}

// fitRanking fits the first stage's weights by listwise softmax regression:
// for each answerable question, the probability that a softmax over its
// candidates' scores puts on the candidates holding a gold phrase is
// maximised, with a little L2 shrinkage. Features in zero are left out.
func fitRanking(sets []tuneSet, zero []int) [numFeatures]float64 {
	type group struct {
		x   []features
		pos []bool
		w   float64
	}
	var groups []group
	for _, s := range sets {
		if !s.fit {
			continue
		}
		var gs []group
		for _, q := range s.qs {
			if !q.answerable || !slices.Contains(q.positive, true) || !slices.Contains(q.positive, false) {
				continue
			}
			g := group{pos: q.positive}
			for _, c := range q.r.cands {
				f := c.f
				for _, z := range zero {
					f[z] = 0
				}
				g.x = append(g.x, f)
			}
			gs = append(gs, g)
		}
		for i := range gs {
			gs[i].w = s.weight / float64(len(gs))
		}
		groups = append(groups, gs...)
	}
	var w, mom, vel [numFeatures]float64
	const (
		rate   = 0.05
		l2     = 1e-3
		rounds = 600
	)
	for round := 1; round <= rounds; round++ {
		var grad [numFeatures]float64
		for _, g := range groups {
			s := make([]float64, len(g.x))
			top := math.Inf(-1)
			for i, x := range g.x {
				for j, v := range x {
					s[i] += w[j] * v
				}
				top = max(top, s[i])
			}
			var z, zp float64
			for i := range s {
				s[i] = math.Exp(s[i] - top)
				z += s[i]
				if g.pos[i] {
					zp += s[i]
				}
			}
			for i, x := range g.x {
				d := s[i] / z
				if g.pos[i] {
					d -= s[i] / zp
				}
				for j, v := range x {
					grad[j] += g.w * d * v
				}
			}
		}
		adam(w[:], mom[:], vel[:], grad[:], l2, rate, round)
	}
	for _, z := range zero {
		w[z] = 0
	}
	return w
}

// fitRecency chooses the share of its score a superseded report keeps: the
// middle of the range that answers the news sets best at rank 1 (they alone
// hold update pairs; SQuAD has no news), the middle being the choice least
// tied to any one question.
func fitRecency(sets []tuneSet, m *model) {
	var best []float64
	bestHits := -1
	for r := 1.0; r >= 0.5-1e-9; r -= 0.02 {
		m.recency = r
		rescore(sets, m)
		hits := 0
		for _, s := range sets {
			if !s.fit || s.name != "dev" && s.name != "dev2" {
				continue
			}
			for _, q := range s.qs {
				if q.answerable && len(q.positive) > 0 && q.positive[0] {
					hits++
				}
			}
		}
		if os.Getenv("ATTACHE_TUNE_VERBOSE") != "" {
			fmt.Printf("recency %.2f: %d news questions right at rank 1\n", r, hits)
		}
		switch {
		case hits > bestHits:
			best, bestHits = []float64{r}, hits
		case hits == bestHits:
			best = append(best, r)
		}
	}
	m.recency = math.Round(best[len(best)/2]*100) / 100
}

// adam takes one Adam step on w for the gradient grad (plus L2).
func adam(w, mom, vel, grad []float64, l2, rate float64, round int) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for j := range grad {
		g := grad[j] + l2*w[j]
		mom[j] = b1*mom[j] + (1-b1)*g
		vel[j] = b2*vel[j] + (1-b2)*g*g
		mh := mom[j] / (1 - math.Pow(b1, float64(round)))
		vh := vel[j] / (1 - math.Pow(b2, float64(round)))
		w[j] -= rate * mh / (math.Sqrt(vh) + eps)
	}
}

// fitAnswerability fits the second stage by logistic regression on the
// fitted sets' questions after ranking: an answerable question whose best
// three candidates hold a gold phrase is an example the corpus answers, an
// unanswerable one an example it does not. Answerable questions the
// ranking misses say nothing about answerability and are left out. Each
// set weighs its share, unanswerable and answerable examples half each, so
// that the rare refusals of SQuAD are not drowned.
func fitAnswerability(sets []tuneSet, m *model) {
	rescore(sets, m)
	type example struct {
		x answerFeatures
		y float64
		w float64
	}
	var ex []example
	for _, s := range sets {
		if !s.fit {
			continue
		}
		var yes, no []example
		for _, q := range s.qs {
			if len(q.r.cands) == 0 {
				continue
			}
			e := example{x: answerability(q.r, 0)}
			switch {
			case !q.answerable:
				no = append(no, e)
			case slices.Contains(q.positive[:min(3, len(q.positive))], true):
				e.y = 1
				yes = append(yes, e)
			}
		}
		for i := range yes {
			yes[i].w = s.answerWeight * 0.5 / float64(len(yes))
		}
		for i := range no {
			no[i].w = s.answerWeight * 0.5 / float64(len(no))
		}
		ex = append(ex, yes...)
		ex = append(ex, no...)
	}
	var w, mom, vel [numAnswerFeatures]float64
	for round := 1; round <= 3000; round++ {
		var grad [numAnswerFeatures]float64
		for _, e := range ex {
			z := 0.0
			for j, v := range e.x {
				z += w[j] * v
			}
			d := sigmoid(z) - e.y
			for j, v := range e.x {
				grad[j] += e.w * d * v
			}
		}
		adam(w[:], mom[:], vel[:], grad[:], 1e-3, 0.05, round)
	}
	m.answer = w
}

// chooseThreshold picks the confidence under which the index refuses: the
// one that maximises the mean accuracy (answerable right at rank 1 plus
// unanswerable refused) over squad-valid and the news sets.
func chooseThreshold(sets []tuneSet, m *model) {
	best, bestAcc := 0.5, -1.0
	for th := 0.05; th < 0.951; th += 0.01 {
		m.threshold = th
		acc, n := 0.0, 0
		for _, f := range figures(sets, m) {
			if f.name == "squad-valid" || f.name == "dev" || f.name == "dev2" {
				acc += f.acc
				n++
			}
		}
		if acc /= float64(n); acc > bestAcc+1e-9 {
			best, bestAcc = th, acc
		}
	}
	m.threshold = best
}

type setFigures struct {
	name                        string
	hit1, hit3, mrr, noans, acc float64
	answerable, unanswerable    int
	found                       float64 // share of answerable questions with a gold passage among the candidates
}

// figures scores every set as the evaluation does, with m.
func figures(sets []tuneSet, m *model) []setFigures {
	rescore(sets, m)
	var out []setFigures
	for _, s := range sets {
		f := setFigures{name: s.name}
		var h1, h3, na int
		rr := 0.0
		for _, q := range s.qs {
			answers := len(q.r.cands) > 0
			if answers {
				a := answerability(q.r, 0)
				answers = m.confidence(&a) >= m.threshold
			}
			if !q.answerable {
				f.unanswerable++
				if !answers {
					na++
				}
				continue
			}
			f.answerable++
			if slices.Contains(q.positive, true) {
				f.found++
			}
			if !answers {
				continue
			}
			for i, p := range q.positive[:min(3, len(q.positive))] {
				if p {
					h3++
					rr += 1 / float64(i+1)
					if i == 0 {
						h1++
					}
					break
				}
			}
		}
		div := func(a float64, b int) float64 {
			if b == 0 {
				return 0
			}
			return a / float64(b)
		}
		f.hit1, f.hit3, f.mrr = div(float64(h1), f.answerable), div(float64(h3), f.answerable), div(rr, f.answerable)
		f.found = div(f.found, f.answerable)
		f.noans, f.acc = div(float64(na), f.unanswerable), div(float64(h1+na), f.answerable+f.unanswerable)
		out = append(out, f)
	}
	return out
}

func figureLine(sets []tuneSet, m *model) string {
	var b strings.Builder
	for _, f := range figures(sets, m) {
		fmt.Fprintf(&b, "\n    %-22s hit1=%.3f hit3=%.3f mrr=%.3f noans=%.3f acc=%.3f found=%.3f", f.name, f.hit1, f.hit3, f.mrr, f.noans, f.acc, f.found)
	}
	return b.String()
}

func writeModel(t *testing.T, m *model, sets []tuneSet) {
	t.Helper()
	f := modelFile{
		About:     "Fitted by TestTune (index/tune_test.go): ranking weights by listwise softmax regression and the answerability model by logistic regression, on squad-train (questions.json and questions-informal.json, 0.25 each for the ranking, 0.15 each for answerability) with the news dev sets dev (0.2; 0.3) and dev2 (0.3; 0.4); recency (the share of its score a superseded report keeps) is the middle of the range that answers dev and dev2 best, the only sets with update pairs; the threshold maximises the mean accuracy on squad-valid, dev and dev2.",
		Rank:      map[string]float64{},
		Answer:    map[string]float64{},
		Threshold: math.Round(m.threshold*1000) / 1000,
		Recency:   m.recency,
		Figures:   map[string]map[string]float64{},
	}
	round := func(v float64) float64 { return math.Round(v*10000) / 10000 }
	for i, w := range m.rank {
		f.Rank[featureNames[i]] = round(w)
	}
	for i, w := range m.answer {
		f.Answer[answerFeatureNames[i]] = round(w)
	}
	for _, s := range figures(sets, m) {
		f.Figures[s.name] = map[string]float64{"hit1": round(s.hit1), "hit3": round(s.hit3), "mrr": round(s.mrr), "noans": round(s.noans), "acc": round(s.acc)}
	}
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("weights.json", append(raw, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// printSweep prints, for the news sets, each question's confidence, and
// the figures each threshold would give.
func printSweep(sets []tuneSet, m *model) {
	rescore(sets, m)
	for _, s := range sets {
		if s.name != "dev" && s.name != "dev2" {
			continue
		}
		for _, q := range s.qs {
			conf, top := 0.0, ""
			if len(q.r.cands) > 0 {
				a := answerability(q.r, 0)
				conf, top = m.confidence(&a), q.r.cands[0].text
			}
			hit := len(q.positive) > 0 && q.positive[0]
			fmt.Printf("%s ans=%v hit=%v conf=%.3f %q -> %.90q\n", s.name, q.answerable, hit, conf, q.text, top)
		}
	}
	keep := m.threshold
	for th := 0.05; th < 0.8; th += 0.05 {
		m.threshold = th
		fmt.Printf("threshold %.2f:", th)
		for _, f := range figures(sets, m) {
			fmt.Printf(" %s %.3f/%.3f/%.3f", f.name, f.hit1, f.noans, f.acc)
		}
		fmt.Println()
	}
	m.threshold = keep
}
