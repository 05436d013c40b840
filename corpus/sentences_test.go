package corpus_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"attache/corpus"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"blank", " \t\n ", nil},
		{"one without stop", "Talks resume on Tuesday", []string{"Talks resume on Tuesday"}},
		{"two", "Talks resume. Officials are hopeful.",
			[]string{"Talks resume.", "Officials are hopeful."}},
		{"white space trimmed", "  Talks resume.   Officials are hopeful.  \n",
			[]string{"Talks resume.", "Officials are hopeful."}},
		{"no space after stop", "Talks resume.Officials", []string{"Talks resume.Officials"}},
		{"question and exclamation", "Will they meet? Nobody knows! Time will tell.",
			[]string{"Will they meet?", "Nobody knows!", "Time will tell."}},
		{"question inside quote", "“Why now?” she asked. He shrugged.",
			[]string{"“Why now?” she asked.", "He shrugged."}},
		{"run of marks", "They agreed?! Yes.", []string{"They agreed?!", "Yes."}},

		{"Mr without stop", "Mr Trump met Sir Keir Starmer. They spoke.",
			[]string{"Mr Trump met Sir Keir Starmer.", "They spoke."}},
		{"Mr.", "Mr. Trump met Mrs. May and Ms. Ardern. They spoke.",
			[]string{"Mr. Trump met Mrs. May and Ms. Ardern.", "They spoke."}},
		{"military ranks", "Gen. Mark Milley met Lt. Col. Vindman and Capt. Smith. Sgt. Jones waited.",
			[]string{"Gen. Mark Milley met Lt. Col. Vindman and Capt. Smith.", "Sgt. Jones waited."}},
		{"Dr.", "Dr. Tedros spoke. The WHO agreed.", []string{"Dr. Tedros spoke.", "The WHO agreed."}},
		{"St.", "They met in St. Petersburg. It rained.", []string{"They met in St. Petersburg.", "It rained."}},
		{"No 10", "After a meeting at No 10, the prime minister spoke. Then he left.",
			[]string{"After a meeting at No 10, the prime minister spoke.", "Then he left."}},
		{"No. 10", "After a meeting at No. 10, the PM spoke. Then he left.",
			[]string{"After a meeting at No. 10, the PM spoke.", "Then he left."}},
		{"No. ending a sentence", "Asked if he would resign, he said No. Then he left.",
			[]string{"Asked if he would resign, he said No.", "Then he left."}},
		{"U.S. mid-sentence", "an agreement with the U.S. on nuclear arms control. Talks follow.",
			[]string{"an agreement with the U.S. on nuclear arms control.", "Talks follow."}},
		{"U.S. before a name", "The U.S. President met the U.N. Secretary-General and the U.K. Foreign Secretary.",
			[]string{"The U.S. President met the U.N. Secretary-General and the U.K. Foreign Secretary."}},
		{"U.S. ending a sentence", "Sanctions were imposed by the U.S. The EU followed.",
			[]string{"Sanctions were imposed by the U.S.", "The EU followed."}},
		{"U.K. before a quote", "He flew to the U.K. “It went well,” he said.",
			[]string{"He flew to the U.K.", "“It went well,” he said."}},
		{"U.S. inside a word", "U.S.-led talks stalled. Nobody spoke.",
			[]string{"U.S.-led talks stalled.", "Nobody spoke."}},
		{"unlisted dotted acronym", "He moved to Washington, D.C. The move was quiet. He lives in the U.A.E. Government housing.",
			[]string{"He moved to Washington, D.C.", "The move was quiet.", "He lives in the U.A.E. Government housing."}},
		{"e.g. and i.e.", "Some states, e.g. France, agreed, i.e. most of them. Others did not.",
			[]string{"Some states, e.g. France, agreed, i.e. most of them.", "Others did not."}},
		{"e.g. before a capital", "Allies, e.g. Germany and Japan, agreed.",
			[]string{"Allies, e.g. Germany and Japan, agreed."}},
		{"etc. mid-sentence", "Grain, steel, etc. were covered. Oil was not.",
			[]string{"Grain, steel, etc. were covered.", "Oil was not."}},
		{"etc. ending a sentence", "They covered grain, steel, etc. Oil was not covered.",
			[]string{"They covered grain, steel, etc.", "Oil was not covered."}},
		{"Jan.", "The deal signed on Jan. 5 expired. A new one followed.",
			[]string{"The deal signed on Jan. 5 expired.", "A new one followed."}},
		{"Inc.", "Apple Inc. said it would comply. Shares rose.",
			[]string{"Apple Inc. said it would comply.", "Shares rose."}},
		{"Inc. before a name", "Shares in Acme Inc. Chief Executive Jane Doe's firm rose.",
			[]string{"Shares in Acme Inc. Chief Executive Jane Doe's firm rose."}},
		{"Inc. ending a sentence", "The contract went to Acme Inc. The losers appealed.",
			[]string{"The contract went to Acme Inc.", "The losers appealed."}},
		{"et al.", "The study by Smith et al. was cited. It was wrong.",
			[]string{"The study by Smith et al. was cited.", "It was wrong."}},
		{"Roe v. Wade", "They cited Roe v. Wade. Critics objected.",
			[]string{"They cited Roe v. Wade.", "Critics objected."}},

		{"time with colon", "The meeting will start at 11:30 am local time (8.30 pm UK time). Putin arrives first.",
			[]string{"The meeting will start at 11:30 am local time (8.30 pm UK time).", "Putin arrives first."}},
		{"a.m. mid-sentence", "It starts at 11:30 a.m. local time and ends at noon.",
			[]string{"It starts at 11:30 a.m. local time and ends at noon."}},
		{"p.m. before a time zone", "It starts at 8 p.m. GMT on Friday. Leaders arrive early.",
			[]string{"It starts at 8 p.m. GMT on Friday.", "Leaders arrive early."}},
		{"p.m. before city time", "It starts at 8 p.m. Moscow time. Leaders arrive early.",
			[]string{"It starts at 8 p.m. Moscow time.", "Leaders arrive early."}},
		{"p.m. ending a sentence", "The talks ended at 9 p.m. Delegates left for their hotels.",
			[]string{"The talks ended at 9 p.m.", "Delegates left for their hotels."}},
		{"a.m. at the end", "The talks ended at 2 a.m.", []string{"The talks ended at 2 a.m."}},

		{"decimals", "Growth slowed to 2.5 per cent. Aid worth $1.2bn was pledged. Inflation hit 3.",
			[]string{"Growth slowed to 2.5 per cent.", "Aid worth $1.2bn was pledged.", "Inflation hit 3."}},
		{"number starts a sentence", "Talks ended in 2025. 25 people were hurt.",
			[]string{"Talks ended in 2025.", "25 people were hurt."}},
		{"initials", "J. K. Rowling met George W. Bush. They talked.",
			[]string{"J. K. Rowling met George W. Bush.", "They talked."}},
		{"initial then letter name", "A letter from J. A. Smith arrived.",
			[]string{"A letter from J. A. Smith arrived."}},
		{"single letter ending a sentence", "He said in a post on X. “We discussed expectations.”",
			[]string{"He said in a post on X.", "“We discussed expectations.”"}},
		{"single letter after lower-case word", "He wrote on X. Musk replied.",
			[]string{"He wrote on X.", "Musk replied."}},
		{"single letter before a starter", "They called it Plan B. The rest followed.",
			[]string{"They called it Plan B.", "The rest followed."}},

		{"curly quote closes after stop", "“We continue to coordinate,” he said. “We discussed the meeting.” Next came lunch.",
			[]string{"“We continue to coordinate,” he said.", "“We discussed the meeting.”", "Next came lunch."}},
		{"he said in quotes", "“It will not work,” he said.” Next",
			[]string{"“It will not work,” he said.”", "Next"}},
		{"straight quotes", `"It is a practical arrangement so that sailors can go home safely." Under the draft, ships are checked.`,
			[]string{`"It is a practical arrangement so that sailors can go home safely."`, "Under the draft, ships are checked."}},
		{"single quotes", "He called it ‘a farce.’ Others disagreed.",
			[]string{"He called it ‘a farce.’", "Others disagreed."}},
		{"quote then stop", "They want “a working breakfast”. Lunch follows.",
			[]string{"They want “a working breakfast”.", "Lunch follows."}},
		{"bracket closes after stop", "He left. (He returned later.) The talks went on.",
			[]string{"He left.", "(He returned later.)", "The talks went on."}},
		{"ends with bracket", "Talks start at 8.30 pm (UK time). They end at ten.",
			[]string{"Talks start at 8.30 pm (UK time).", "They end at ten."}},
		{"ellipsis character", "He paused… and went on. It was over… The next day was calm.",
			[]string{"He paused… and went on.", "It was over…", "The next day was calm."}},
		{"ellipsis dots", "He paused... and went on. It was over... The next day was calm.",
			[]string{"He paused... and went on.", "It was over...", "The next day was calm."}},
		{"no-break space", "Talks resume.\u00a0Officials are hopeful.",
			[]string{"Talks resume.", "Officials are hopeful."}},
		{"lower case after stop", "The vote was close. and then it was over.",
			[]string{"The vote was close. and then it was over."}},
		{"only marks", "...", []string{"..."}},
		{"stop after space", "Odd . Text", []string{"Odd .", "Text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := corpus.Sentences(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Sentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestSentencesSeed splits paragraphs of the seed article that hold the
// hard cases.
func TestSentencesSeed(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"post on X", "“We continue to coordinate our positions,” he said in a post on X. “We discussed expectations for the meeting in Alaska and possible prospects. We also discussed in considerable detail the security guarantees that can make peace truly durable if the United States succeeds in pressing Russia to stop the killings and engage in genuine, substantive diplomacy.”", 3},
		{"working breakfast", "Putin’s foreign policy adviser, Yuri Ushakov, told reporters that Trump and Putin will first sit down for a one-on-one meeting followed by a meeting between the two delegations, and then talks will continue over “a working breakfast.”", 1},
		{"U.S. on", "Putin also suggested that “long-term conditions of peace between our countries, and in Europe, and in the world as a whole,” could be reached under an agreement with the U.S. on nuclear arms control.", 1},
		{"25%", "In Washington, Trump said there was a 25% chance that the summit would fail, but he also floated the idea that, if the meeting succeeds, he could bring Zelensky to Alaska for a subsequent, three-way meeting and that he might be willing to stay in Alaska longer, depending on what happens with Putin.", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := corpus.Sentences(tt.text); len(got) != tt.want {
				t.Fatalf("got %d sentences %q, want %d", len(got), got, tt.want)
			}
		})
	}
}

// checkSentences checks the properties every split must have: no empty or
// untrimmed sentences, and joining them gives back text up to white space.
func checkSentences(t *testing.T, text string) {
	t.Helper()
	got := corpus.Sentences(text)
	for i, s := range got {
		if s == "" || s != strings.TrimSpace(s) {
			t.Fatalf("Sentences(%q)[%d] = %q, want non-empty and trimmed", text, i, s)
		}
	}
	if joined, want := stripSpace(strings.Join(got, "")), stripSpace(text); joined != want {
		t.Fatalf("Sentences(%q) joined = %q, want %q", text, joined, want)
	}
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// TestSentencesRejoin builds random paragraphs from tricky fragments and
// checks that splitting loses and invents nothing.
func TestSentencesRejoin(t *testing.T) {
	fragments := []string{
		"Mr. Trump", "Mr Trump", "Sir Keir", "U.S.", "U.K.", "e.g.", "etc.", "p.m.", "a.m.", "No. 10",
		"J. K. Rowling", "2.5", "$1.2bn", "8.30 pm", "11:30", "“", "”", "\"", "'", "‘", "’", "(", ")",
		".", "?", "!", "…", "...", "?!", "The", "the", "talks", "X.", "\u00a0", " ", "  ", "\t", "\n",
		"Δ.", "ünïcode.", "\xff", "a", "Z",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range 1 + r.IntN(20) {
			b.WriteString(fragments[r.IntN(len(fragments))])
			if r.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		checkSentences(t, b.String())
	}
}

func TestSentencesRejoinFixtures(t *testing.T) {
	for _, name := range []string{
		"testdata/corpus/sudan-ceasefire-talks-doha.md",
		"testdata/corpus/wto-fisheries-subsidies-dispute-geneva.txt",
		"articles/alaska-summit-starmer-zelensky.md",
	} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			checkSentences(t, line)
		}
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"Talks resume. Officials are hopeful.",
		"Mr. Trump met J. K. Rowling at 8 p.m. GMT. “We agreed,” he said.” Next",
		"U.S. The end... Or not… (Really.) 2.5",
		"\u00a0.\u00a0",
	} {
		f.Add(s)
	}
	f.Fuzz(checkSentences)
}

func TestPassages(t *testing.T) {
	a := corpus.Article{
		ID: "talks.md",
		Paragraphs: []string{
			"Talks resume. Mr. Trump is hopeful.",
			"Nobody spoke.",
			"“It is over,” he said. “Go home.” They left.",
		},
	}
	want := []corpus.Passage{
		{ArticleID: "talks.md", Position: 0, Paragraph: 0, Text: "Talks resume."},
		{ArticleID: "talks.md", Position: 1, Paragraph: 0, Text: "Mr. Trump is hopeful."},
		{ArticleID: "talks.md", Position: 2, Paragraph: 1, Text: "Nobody spoke."},
		{ArticleID: "talks.md", Position: 3, Paragraph: 2, Text: "“It is over,” he said."},
		{ArticleID: "talks.md", Position: 4, Paragraph: 2, Text: "“Go home.”"},
		{ArticleID: "talks.md", Position: 5, Paragraph: 2, Text: "They left."},
	}
	got := a.Passages()
	if !slices.Equal(got, want) {
		t.Fatalf("Passages() =\n%+v\nwant\n%+v", got, want)
	}
	if got := (corpus.Article{ID: "empty.md"}).Passages(); len(got) != 0 {
		t.Fatalf("Passages() of an empty article = %+v, want none", got)
	}
}

func TestText(t *testing.T) {
	a := corpus.Article{Title: "Title", Paragraphs: []string{"One.", "Two."}}
	if got, want := a.Text(), "One.\n\nTwo."; got != want {
		t.Fatalf("Text()=%q, want %q", got, want)
	}
}

func BenchmarkSentences(b *testing.B) {
	data, err := os.ReadFile("articles/alaska-summit-starmer-zelensky.md")
	if err != nil {
		b.Fatal(err)
	}
	a, err := corpus.Parse("alaska-summit-starmer-zelensky.md", data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(a.Text())))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range a.Paragraphs {
			corpus.Sentences(p)
		}
	}
}

func BenchmarkPassages(b *testing.B) {
	data, err := os.ReadFile("articles/alaska-summit-starmer-zelensky.md")
	if err != nil {
		b.Fatal(err)
	}
	a, err := corpus.Parse("alaska-summit-starmer-zelensky.md", data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(a.Text())))
	b.ReportAllocs()
	for b.Loop() {
		a.Passages()
	}
}
