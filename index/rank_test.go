package index

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search"

	"attache/corpus"
)

// rankCorpus is a small corpus made for the ranking's tests: each article
// exercises one way a question's words are found.
var rankCorpus = []corpus.Article{
	{
		ID: "opec.md", Title: "Oil producers agree larger output increase", Source: "Fixture Wire",
		Published: time.Date(2026, 7, 5, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"OPEC+ brings together the Organization of the Petroleum Exporting Countries (OPEC) and a group of allied producers.",
			"The eight countries agreed on Saturday to raise output by 548,000 barrels a day in August.",
			"Kazakhstan and Iraq have repeatedly pumped above their quotas.",
		},
	},
	{
		ID: "who.md", Title: "Pandemic accord annex adopted in Jeddah", Source: "Fixture Wire",
		Published: time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"Member states of the World Health Organization adopted the annex on Tuesday after a vote.",
			"The United States had provided about 18 percent of the budget before it withdrew.",
			"Delegates said the law on laws of the sea was not discussed.",
		},
	},
	{
		ID: "bonn.md", Title: "Climate talks open in Bonn", Source: "Fixture Wire",
		Published: time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"Negotiators gathered in Bonn on Monday for two weeks of climate talks.",
			"The foreign ministers of France and Germany will meet on Thursday.",
		},
	},
}

func mustRankIndex(tb testing.TB, arts []corpus.Article) *Index {
	tb.Helper()
	ix, err := Open(context.Background(), tb.TempDir(), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	for i := range arts {
		arts[i].Hash = arts[i].ID + "-v1"
	}
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		tb.Fatal(err)
	}
	return ix
}

func mustConcepts(tb testing.TB, ix *Index, q string) []concept {
	tb.Helper()
	v, err := ix.loadVocabulary()
	if err != nil {
		tb.Fatal(err)
	}
	return ix.concepts(parseQuestion(q), v)
}

func altTerms(c concept) []string {
	var out []string
	for _, a := range c.alts {
		out = append(out, strings.Join(a.terms, " "))
	}
	return out
}

func TestQuestionReading(t *testing.T) {
	ix := mustRankIndex(t, slices.Clone(rankCorpus))
	tests := []struct {
		name     string
		q        string
		concepts int      // how many concepts the question makes
		word     string   // the concept to look at
		want     []string // terms it must be found by
		notWant  []string // terms it must not be found by
		unknown  bool     // the concept is unknown to the corpus
	}{
		{name: "a repeated word counts once", q: "what does the law on laws say", concepts: 2, word: "law", want: []string{"law"}},
		{name: "a possessive repeats its word", q: "opec opec's quota", concepts: 2, word: "opec", want: []string{"opec"}},
		{name: "an English word is not corrected into a corpus word", q: "where was he born", concepts: 1, word: "born", unknown: true},
		{name: "weather is not whether", q: "weather in lisbon", concepts: 2, word: "weather", unknown: true},
		{name: "a typo is corrected", q: "when do the foriegn ministers meet", concepts: 3, word: "foriegn", want: []string{"foreign"}},
		{name: "a headline word is known", q: "what happened in jeddah", concepts: 1, word: "jeddah", want: []string{"jeddah"}},
		{name: "a spelled-out acronym", q: "what does opec stand for", concepts: 2, word: "opec", want: []string{"opec", "organ petroleum export countri"}},
		{name: "an acronym by initials", q: "when will the us rejoin teh who", concepts: 3, word: "who", want: []string{"world health organ"}},
		{name: "a derived form from WordNet", q: "who withdrew", concepts: 1, word: "withdrew", want: []string{"withdrew"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := mustConcepts(t, ix, tt.q)
			if len(cs) != tt.concepts {
				t.Fatalf("concepts of %q = %d (%s), want %d", tt.q, len(cs), conceptWords(cs), tt.concepts)
			}
			i := slices.IndexFunc(cs, func(c concept) bool { return c.word == tt.word })
			if i < 0 {
				t.Fatalf("no concept %q among %s", tt.word, conceptWords(cs))
			}
			c := cs[i]
			if c.known() == tt.unknown {
				t.Fatalf("%q known = %v, want %v (alts %v)", tt.word, c.known(), !tt.unknown, altTerms(c))
			}
			got := altTerms(c)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q found by %v, want %q among them", tt.word, got, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(got, w) {
					t.Errorf("%q found by %v, want no %q", tt.word, got, w)
				}
			}
		})
	}
}

func TestAcronyms(t *testing.T) {
	tests := []struct {
		text string
		acr  string
		want string
	}{
		{"The Organization of the Petroleum Exporting Countries (OPEC) met.", "opec", "organization of the petroleum exporting countries"},
		{"Experts from the International Atomic Energy Agency (IAEA), the UN watchdog.", "iaea", "international atomic energy agency"},
		{"Member states of the World Health Organization voted.", "who", "world health organization"},
		{"He met the European Union's envoy.", "eu", "european union"},
	}
	for _, tt := range tests {
		got := acronyms([][]string{strings.Fields(tt.text)})
		if got[tt.acr] != tt.want {
			t.Errorf("acronyms(%q)[%q] = %q, want %q", tt.text, tt.acr, got[tt.acr], tt.want)
		}
	}
}

// fakeHit makes the Bleve hit a search for the concepts' terms would
// give for text: where each of those terms stands in it.
func fakeHit(text string, cs []concept) *search.DocumentMatch {
	want := map[string]bool{}
	for _, c := range cs {
		for _, a := range c.alts {
			for _, t := range a.terms {
				want[t] = true
			}
		}
	}
	locs := search.TermLocationMap{}
	for _, t := range stemsWithPositions(text) {
		if want[t.term] {
			locs[t.term] = append(locs[t.term], &search.Location{Pos: uint64(t.pos)})
		}
	}
	return &search.DocumentMatch{Locations: search.FieldTermLocationMap{fieldText: locs}}
}

type posTerm struct {
	term string
	pos  int
}

func stemsWithPositions(text string) []posTerm {
	var out []posTerm
	for _, tok := range analyzer().Analyze([]byte(text)) {
		out = append(out, posTerm{string(tok.Term), tok.Position})
	}
	return out
}

func set(terms ...string) map[string]bool {
	m := map[string]bool{}
	for _, t := range terms {
		m[t] = true
	}
	return m
}

func TestFeatures(t *testing.T) {
	ix := mustRankIndex(t, slices.Clone(rankCorpus))
	published := time.Date(2026, 7, 5, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		q       string
		text    string
		title   map[string]bool
		article map[string]bool
		feature int
		want    float64 // the feature's value, within 0.01
	}{
		{name: "text: every word in the passage", q: "kazakhstan quotas", text: "Kazakhstan and Iraq have repeatedly pumped above their quotas.", feature: featText, want: 1},
		{name: "text: none in the passage", q: "kazakhstan quotas", text: "The eight countries agreed.", feature: featText, want: 0},
		{name: "title: a word only the headline holds", q: "jeddah annex", text: "Member states adopted the annex.", title: set("jeddah"), feature: featTitle, want: -1},
		{name: "article: a word another sentence holds", q: "jeddah annex", text: "Member states adopted the annex.", article: set("jeddah"), feature: featArticle, want: -1},
		{name: "lexical: the name of an acronym", q: "opec members", text: "The Organization of the Petroleum Exporting Countries has members.", feature: featLexical, want: -1},
		{name: "when: a coming date answers a future question", q: "when will the ministers meet", text: "The ministers will meet on Thursday.", feature: featWhen, want: 1},
		{name: "when: a past date fits a future question less", q: "when will the ministers meet", text: "The ministers met on Monday.", feature: featWhen, want: 0.3},
		{name: "count: a number before what is counted", q: "how many barrels a day", text: "Output rises by 548,000 barrels a day.", feature: featCount, want: 1},
		{name: "count: a number near the question's words", q: "how many countries raised output", text: "Output rose by 548,000 on Monday after the countries agreed.", feature: featCount, want: 0.7},
		{name: "count: how much and a unit", q: "how much did the united states provide", text: "The United States provided about 18 percent.", feature: featCount, want: 1},
		{name: "count: a number far from them", q: "how many barrels", text: "In 2026 the group, which met often and long, said barrels.", feature: featCount, want: 0.4},
		{name: "count: no number", q: "how many barrels", text: "They pumped barrels.", feature: featCount, want: 0},
		{name: "who: a name the question does not hold", q: "who chaired the talks", text: "The talks were chaired by Ingrid Solheim.", feature: featWho, want: 1},
		{name: "proximity: the words stand together", q: "foreign ministers", text: "The foreign ministers met.", feature: featProximity, want: 1},
		{name: "proximity: the words stand apart", q: "foreign ministers", text: "Foreign officials said on Monday in Paris that ministers met.", feature: featProximity, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := mustConcepts(t, ix, tt.q)
			c := candidate{hit: fakeHit(tt.text, cs), text: tt.text, meta: articleMeta{Published: published}}
			describe(&c, parseQuestion(tt.q), cs, tt.title, tt.article, 0)
			got := c.f[tt.feature]
			if tt.want < 0 { // only "some share"
				if got <= 0 || got >= 1 {
					t.Fatalf("%s = %.3f, want a share between 0 and 1 (features %v)", featureNames[tt.feature], got, c.f)
				}
				return
			}
			if math.Abs(got-tt.want) > 0.01 {
				t.Fatalf("%s = %.3f, want %.3f (features %v)", featureNames[tt.feature], got, tt.want, c.f)
			}
		})
	}
}

func TestSupersede(t *testing.T) {
	older := articleMeta{Title: "Sudan ceasefire talks to resume in Doha", Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	newer := articleMeta{Title: "Sudan ceasefire talks postponed, moved to Muscat", Published: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)}
	other := articleMeta{Title: "Fisheries subsidies dispute in Geneva", Published: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)}
	articles := map[string]articleMeta{"old": older, "new": newer, "other": other}
	titles := map[string]map[string]bool{}
	for id, m := range articles {
		titles[id] = set(stems(m.Title)...)
	}
	cands := []candidate{{article: "old"}, {article: "new"}, {article: "other"}}
	for i := range cands {
		cands[i].f[featText] = 1
	}
	supersede(cands, articles, titles)
	got := []float64{cands[0].f[featSuperseded], cands[1].f[featSuperseded], cands[2].f[featSuperseded]}
	if !reflect.DeepEqual(got, []float64{1, 0, 0}) {
		t.Fatalf("superseded = %v, want only the older report of the same story", got)
	}
}

func TestStages(t *testing.T) {
	ix := mustRankIndex(t, slices.Clone(rankCorpus))
	ctx := context.Background()
	q := Query{Text: "how many barrels a day will they add in august", Explain: true}

	t.Run("score is the weighted sum of the features", func(t *testing.T) {
		m := &model{}
		m.rank[featText], m.rank[featBM25] = 2, 0.5
		f := features{}
		f[featText], f[featBM25], f[featWhy] = 0.5, 1, 1
		if got := m.score(&f); got != 1.5 {
			t.Fatalf("score = %v, want 1.5", got)
		}
	})
	t.Run("confidence is the logistic of the answerability features", func(t *testing.T) {
		m := &model{}
		m.answer[ansBias] = math.Log(3) // odds 3:1
		if got := m.confidence(&answerFeatures{ansBias: 1}); math.Abs(got-0.75) > 1e-9 {
			t.Fatalf("confidence = %v, want 0.75", got)
		}
	})
	t.Run("a low threshold answers", func(t *testing.T) {
		keep := ix.model
		defer func() { ix.model = keep }()
		m := *keep
		m.threshold = 0
		ix.model = &m
		res, err := ix.Ask(ctx, q)
		if err != nil || len(res.Answers) == 0 {
			t.Fatalf("Ask = %+v, %v, want answers", res, err)
		}
		if !strings.Contains(res.Answers[0].Passage, "548,000") {
			t.Fatalf("top = %q, want the output increase", res.Answers[0].Passage)
		}
		a := res.Answers[0]
		if a.Confidence <= 0 || a.Confidence > 1 || a.Confidence != res.Confidence || a.Explanation == nil {
			t.Fatalf("answer confidence %v (result %v), explanation %v", a.Confidence, res.Confidence, a.Explanation)
		}
		if !strings.Contains(a.Explanation.String(), "count = ") {
			t.Fatalf("explanation lacks the count feature:\n%s", a.Explanation)
		}
	})
	t.Run("a threshold above every confidence refuses, and says why", func(t *testing.T) {
		keep := ix.model
		defer func() { ix.model = keep }()
		m := *keep
		m.threshold = 1.01
		ix.model = &m
		res, err := ix.Ask(ctx, q)
		if err != nil || len(res.Answers) != 0 {
			t.Fatalf("Ask = %+v, %v, want no answers", res, err)
		}
		if res.Refusal == nil || !strings.Contains(res.Refusal.String(), "best candidate") {
			t.Fatalf("refusal = %v, want the best candidate named", res.Refusal)
		}
	})
	t.Run("explanations cost nothing when off", func(t *testing.T) {
		res, err := ix.Ask(ctx, Query{Text: q.Text})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Answers {
			if a.Explanation != nil {
				t.Fatal("explanation built without being asked for")
			}
		}
		if res.Refusal != nil {
			t.Fatal("refusal explained without being asked for")
		}
	})
}

func TestOffTopicRefused(t *testing.T) {
	ix := mustRankIndex(t, slices.Clone(rankCorpus))
	for _, q := range []string{"who won the champions league final", "how do i change my discord nickname"} {
		res, err := ix.Ask(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Answers) > 0 {
			t.Errorf("Ask(%q) = %q (confidence %.2f), want no answer", q, res.Answers[0].Passage, res.Confidence)
		}
	}
}

func TestTiesAreStable(t *testing.T) {
	r := &ranking{cands: []candidate{{article: "b.md", pos: 1}, {article: "a.md", pos: 2}, {article: "a.md", pos: 0}}}
	r.order(&model{}) // every score 0: a tie
	var got []string
	for _, c := range r.cands {
		got = append(got, passageID(c.article, c.pos))
	}
	if want := []string{"a.md#0", "a.md#2", "b.md#1"}; !slices.Equal(got, want) {
		t.Fatalf("tied order = %v, want %v", got, want)
	}
}

// TestReproducible builds the same corpus twice, the articles fed in
// different orders, and asks both the same questions.
func TestReproducible(t *testing.T) {
	arts, _, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(arts)
	slices.Reverse(reversed)
	a, b := mustRankIndex(t, arts), mustRankIndex(t, reversed)
	for _, q := range []string{
		"when is the summit", "where are the sudan talks", "who leads the delegation", "what did the eu agree",
		"how many ships", "talks", "sanctions on the shadow fleet", "why were the talks postponed",
	} {
		ra, err := a.Ask(context.Background(), Query{Text: q, K: 5})
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.Ask(context.Background(), Query{Text: q, K: 5})
		if err != nil {
			t.Fatal(err)
		}
		// Bleve may sum a score's parts in another order: the last bits
		// of a float may differ, never the answers.
		if !reflect.DeepEqual(passages(ra), passages(rb)) || math.Abs(ra.Confidence-rb.Confidence) > 1e-6 {
			t.Errorf("%q: %v (%.4f) in one build, %v (%.4f) in the other", q, passages(ra), ra.Confidence, passages(rb), rb.Confidence)
		}
	}
}

func passages(r Result) []string {
	var out []string
	for _, a := range r.Answers {
		out = append(out, a.Article.ID+"#"+a.Passage)
	}
	return out
}

func TestWeightsFile(t *testing.T) {
	m, err := parseModel(weightsJSON)
	if err != nil {
		t.Fatal(err)
	}
	if m.threshold <= 0 || m.threshold >= 1 {
		t.Fatalf("threshold = %v, want it in (0, 1)", m.threshold)
	}
	if m.rank[featText] <= 0 {
		t.Fatalf("text weight = %v: a passage holding the question's words must rank higher", m.rank[featText])
	}
	if _, err := parseModel([]byte(`{"rank": {"no-such-feature": 1}}`)); err == nil {
		t.Fatal("a weights file naming an unknown feature was accepted")
	}
}

func conceptWords(cs []concept) string {
	var ws []string
	for _, c := range cs {
		ws = append(ws, c.word)
	}
	return strings.Join(ws, " ")
}

func TestSince(t *testing.T) {
	ix := mustRankIndex(t, slices.Clone(rankCorpus))
	keep := ix.model
	m := *keep
	m.threshold = 0
	ix.model = &m
	q := Query{Text: "who adopted the annex", Since: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	res, err := ix.Ask(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Answers {
		if a.Article.Published.Before(q.Since) {
			t.Fatalf("answer from %s, published %s, before Since %s", a.Article.ID, a.Article.Published, q.Since)
		}
	}
	q.Since = time.Time{}
	if res, err = ix.Ask(context.Background(), q); err != nil || len(res.Answers) == 0 || res.Answers[0].Article.ID != "who.md" {
		t.Fatalf("without Since: %+v, %v; want the annex article", res.Answers, err)
	}
}

func TestInitialsAreNotWords(t *testing.T) {
	ix := mustRankIndex(t, []corpus.Article{{
		ID: "era.md", Title: "Science ministers meet", Published: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		Paragraphs: []string{"Ministers said the European Research Area would open a new era for science.", "The new era begins in May."},
	}})
	cs := mustConcepts(t, ix, "when does the new era begin")
	i := slices.IndexFunc(cs, func(c concept) bool { return c.word == "era" })
	if i < 0 {
		t.Fatalf("no concept era among %s", conceptWords(cs))
	}
	if got := altTerms(cs[i]); slices.Contains(got, "european research area") || cs[i].entity {
		t.Fatalf("era found by %v (entity %v), want the word, not the European Research Area", got, cs[i].entity)
	}
}
