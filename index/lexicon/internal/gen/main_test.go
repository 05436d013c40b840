package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A tiny WordNet in the format of wndb(5WN): synset offsets are only keys
// to gen, so they need not be byte offsets here.
var tinyWordNet = map[string]string{
	"index.noun": `  1 licence line that gen skips
capital n 1 0 1 0 00000002
cease-fire n 1 0 1 0 00000001
exclusion n 1 1 + 1 0 00000004
truce n 1 0 1 0 00000001
washington n 1 0 1 0 00000002
`,
	"data.noun": `  1 licence line that gen skips
00000001 00 n 02 truce 0 cease-fire 0 000 | a pause in fighting
00000002 00 n 02 Washington 0 capital 0 000 | a made-up synset of a name and a common word
00000004 00 n 01 exclusion 0 001 + 00000003 v 0101 | the act of excluding
`,
	"index.verb": "exclude v 1 1 + 1 0 00000003\n",
	"data.verb":  "00000003 00 v 01 exclude 0 001 + 00000004 n 0101 01 + 08 00 | prevent from being included\n",
	"index.adj":  "",
	"data.adj":   "",
	"index.adv":  "",
	"data.adv":   "",
	"noun.exc":   "",
	"verb.exc":   "excluden exclude\nmet meet\n",
	"adj.exc":    "",
	"adv.exc":    "",
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	wn := filepath.Join(dir, "wordnet")
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(wn, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range tinyWordNet {
		if err := os.WriteFile(filepath.Join(wn, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dict := filepath.Join(dir, "words")
	if err := os.WriteFile(dict, []byte("ceasefire\nTruce's\nFoo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-wordnet", wn, "-dict", dict, "-out", out}, io.Discard); err != nil {
		t.Fatalf("run: %v", err)
	}

	tests := []struct {
		file string
		want []string
	}{
		{"lemmas.txt.gz", []string{
			// The name and the common word of one synset are no synonyms.
			"capital\tnw\t\t",
			// The joined hyphenated lemma is a key, a word since the list
			// has it, and a synonym spelt joined.
			"ceasefire\tnw\ttruce\t",
			"exclude\tvw\t\texclusion",
			"exclusion\tnw\t\texclude",
			"truce\tnw\tceasefire\t",
			"washington\tnw\t\t",
		}},
		// Possessives go; lemmas are not stored twice.
		{"words.txt.gz", []string{"foo"}},
		// "meet" is no lemma here, so its exception goes.
		{"exc.txt.gz", []string{"v\texcluden\texclude"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if got := readLines(t, filepath.Join(out, tt.file)); !slices.Equal(got, tt.want) {
				t.Fatalf("%s=%q, want %q", tt.file, got, tt.want)
			}
		})
	}
}

func TestRelatedCap(t *testing.T) {
	// One synset of 20 words, each derived to its own noun: the cap
	// keeps room for 4 derived forms.
	db := &database{words: map[string]bool{}}
	syn := &synset{}
	for i := range 20 {
		w := "word" + string(rune('a'+i))
		syn.words = append(syn.words, w)
		syn.ptrs = append(syn.ptrs, pointer{pos: 0, off: "n" + w, src: 1, tgt: 1})
	}
	db.synsets[0] = map[string]*synset{"1": syn}
	for _, w := range syn.words {
		db.synsets[0]["n"+w] = &synset{words: []string{w + "ness"}}
	}
	db.senses[0] = map[string]*sense{"worda": {lemma: "worda", offsets: []string{"1"}}}

	s, d := db.related("worda")
	if len(s) != maxRelated-minDerived || len(d) != minDerived {
		t.Fatalf("related: %d synonyms and %d derived, want %d and %d", len(s), len(d), maxRelated-minDerived, minDerived)
	}
	if s[0] != "wordb" || d[0] != "wordaness" {
		t.Fatalf("related: synonyms %q, derived %q, want them in synset order", s, d)
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}
