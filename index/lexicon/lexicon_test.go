package lexicon_test

import (
	"fmt"
	"slices"
	"testing"

	"attache/index/lexicon"
)

func TestIsWord(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"born", true},
		{"weather", true},
		{"whether", true},
		{"foriegn", false},
		{"framd", false},
		// Inflected forms, by the word list and by morphy.
		{"exclusions", true},
		{"invited", true},
		{"met", true},
		{"children", true},
		// Only in WordNet, as a lemma and inflected.
		{"ceasefires", true},
		{"minister's", true},
		{"minister’s", true},
		// A joined hyphenated lemma is a key, not a word.
		{"wellknown", false},
		{"", false},
		{"'s", false},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := lexicon.IsWord(tt.word); got != tt.want {
				t.Fatalf("IsWord(%q)=%v, want %v", tt.word, got, tt.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		word string
		want []lexicon.Related // each must be in the result
		not  []string          // none may be
	}{
		{"exclude", []lexicon.Related{{"exclusion", lexicon.Derived}, {"omit", lexicon.Synonym}}, nil},
		{"exclusions", []lexicon.Related{{"exclude", lexicon.Derived}}, nil},
		{"invited", []lexicon.Related{{"invitation", lexicon.Derived}}, nil},
		{"summit", []lexicon.Related{{"peak", lexicon.Synonym}, {"top", lexicon.Synonym}}, nil},
		{"meeting", []lexicon.Related{{"encounter", lexicon.Synonym}}, []string{"meeting"}},
		{"met", []lexicon.Related{{"encounter", lexicon.Synonym}, {"meeting", lexicon.Derived}}, nil},
		{"ceasefire", []lexicon.Related{{"truce", lexicon.Synonym}, {"armistice", lexicon.Synonym}}, nil},
		{"truce", []lexicon.Related{{"ceasefire", lexicon.Synonym}}, []string{"cease-fire"}},
		// Proper names stay with proper names: the common "capital"
		// is no city.
		{"capital", []lexicon.Related{{"capitalist", lexicon.Derived}}, []string{"washington"}},
		// "gas" is not the plural of "ga" (Georgia).
		{"gas", nil, []string{"georgia", "ga"}},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got := lexicon.Lookup(tt.word)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Lookup(%q)=%v, want it to hold %v", tt.word, got, w)
				}
			}
			for _, r := range got {
				if slices.Contains(tt.not, r.Word) {
					t.Errorf("Lookup(%q)=%v, want no %q", tt.word, got, r.Word)
				}
			}
		})
	}
}

// TestLookupShape checks what every result promises, on words of each
// kind: no duplicates, not the word itself, synonyms before derived forms,
// single lower-case words, at most 12.
func TestLookupShape(t *testing.T) {
	for _, w := range []string{"summit", "exclude", "invited", "born", "led", "ceasefire", "sanction", "capital", "meeting", "lead", "run", "set", "good", "well", "us"} {
		t.Run(w, func(t *testing.T) {
			got := lexicon.Lookup(w)
			if len(got) > 12 {
				t.Errorf("Lookup(%q) has %d words, want at most 12", w, len(got))
			}
			seen := map[string]bool{}
			derived := false
			for _, r := range got {
				switch {
				case r.Word == w:
					t.Errorf("Lookup(%q)=%v holds the word itself", w, got)
				case seen[r.Word]:
					t.Errorf("Lookup(%q)=%v holds %q twice", w, got, r.Word)
				case r.Rel == lexicon.Synonym && derived:
					t.Errorf("Lookup(%q)=%v has synonym %q after a derived form", w, got, r.Word)
				case r.Rel != lexicon.Synonym && r.Rel != lexicon.Derived:
					t.Errorf("Lookup(%q)=%v: %q has relation %v", w, got, r.Word, r.Rel)
				}
				for _, c := range r.Word {
					if c < 'a' || c > 'z' {
						t.Errorf("Lookup(%q)=%v: %q is not a single lower-case word", w, got, r.Word)
						break
					}
				}
				seen[r.Word] = true
				derived = derived || r.Rel == lexicon.Derived
			}
			if again := lexicon.Lookup(w); !slices.Equal(got, again) {
				t.Errorf("Lookup(%q)=%v, then %v", w, got, again)
			}
		})
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, w := range []string{"foriegn", "framd", "", "xqzt", "Summit"} {
		if got := lexicon.Lookup(w); got != nil {
			t.Errorf("Lookup(%q)=%v, want nil", w, got)
		}
	}
}

// TestLookupOwned checks that a caller may change the slice it gets.
func TestLookupOwned(t *testing.T) {
	got := lexicon.Lookup("exclude")
	if len(got) == 0 {
		t.Fatal("Lookup(exclude) is empty")
	}
	want := got[0]
	got[0].Word = "changed"
	if again := lexicon.Lookup("exclude"); again[0] != want {
		t.Fatalf("Lookup(exclude)[0]=%v after a change by the caller, want %v", again[0], want)
	}
}

func TestBase(t *testing.T) {
	tests := []struct {
		word string
		want []string // each must be in the result, in this order
	}{
		{"met", []string{"meet"}},
		{"led", []string{"lead"}},
		{"children", []string{"child"}},
		{"invited", []string{"invite"}},
		{"exclusions", []string{"exclusion"}},
		{"meeting", []string{"meeting", "meet"}},
		{"bigger", []string{"big"}},
		{"ceasefires", []string{"ceasefire"}},
		{"gas", []string{"gas"}},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got := lexicon.Base(tt.word)
			i := 0
			for _, b := range got {
				if i < len(tt.want) && b == tt.want[i] {
					i++
				}
			}
			if i < len(tt.want) {
				t.Fatalf("Base(%q)=%q, want it to hold %q in that order", tt.word, got, tt.want)
			}
		})
	}
}

func TestBaseUnknown(t *testing.T) {
	for _, w := range []string{"foriegn", "framd", "", "xqzts", "ing"} {
		if got := lexicon.Base(w); got != nil {
			t.Errorf("Base(%q)=%q, want nil", w, got)
		}
	}
}

func TestRelationString(t *testing.T) {
	tests := []struct {
		rel  lexicon.Relation
		want string
	}{
		{lexicon.Synonym, "synonym"},
		{lexicon.Derived, "derived"},
		{0, "Relation(0)"},
	}
	for _, tt := range tests {
		if got := tt.rel.String(); got != tt.want {
			t.Errorf("%d.String()=%q, want %q", int(tt.rel), got, tt.want)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	words := []string{"summit", "exclude", "invited", "born", "led", "ceasefire", "sanctions", "capital"}
	lexicon.Lookup("warm") // the first load is measured apart
	for i := 0; b.Loop(); i++ {
		lexicon.Lookup(words[i%len(words)])
	}
}

func BenchmarkIsWord(b *testing.B) {
	words := []string{"born", "weather", "foriegn", "framd", "exclusions", "ceasefires"}
	lexicon.IsWord("warm")
	for i := 0; b.Loop(); i++ {
		lexicon.IsWord(words[i%len(words)])
	}
}

func ExampleLookup() {
	for _, r := range lexicon.Lookup("exclude") {
		fmt.Println(r.Word, r.Rel)
	}
	// Output:
	// except synonym
	// omit synonym
	// shut synonym
	// exclusive derived
	// exclusion derived
}

func ExampleBase() {
	fmt.Println(lexicon.Base("met"), lexicon.Base("invited"), lexicon.Base("children"))
	// Output: [meet] [invite] [child]
}
