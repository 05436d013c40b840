package index

import (
	"hash/maphash"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// The analyzer's own filters, which make the same terms as Bleve's but at
// less cost, for the analysis of passages is much of what a build costs:
//
//   - foldingName folds accents as asciifolding.Name does, and leaves text
//     that is all ASCII alone instead of copying it through runes;
//   - tokenizerName splits text into words as unicode.Name does (Unicode
//     word boundaries, UAX #29, as blevesearch/segment has them), with a
//     shortcut for text that is all ASCII;
//   - stemmerName is the English Snowball stemmer (en.SnowballStemmerName)
//     with a cache of the stems it has found: a news corpus uses the same
//     few tens of thousands of words over and over.
const (
	foldingName   = "attache_asciifolding"
	tokenizerName = "attache_unicode"
	stemmerName   = "attache_stemmer_en"
)

func init() {
	err := registry.RegisterCharFilter(foldingName, func(map[string]any, *registry.Cache) (analysis.CharFilter, error) {
		return asciiFolding{asciifolding.New()}, nil
	})
	if err != nil {
		panic(err)
	}
	err = registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return asciiWords{unicode.NewUnicodeTokenizer()}, nil
	})
	if err != nil {
		panic(err)
	}
	err = registry.RegisterTokenFilter(stemmerName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return theStems, nil
	})
	if err != nil {
		panic(err)
	}
}

// asciiFolding is asciifolding's filter with a shortcut for ASCII text,
// which it would return unchanged.
type asciiFolding struct{ analysis.CharFilter }

func (f asciiFolding) Filter(input []byte) []byte {
	for _, c := range input {
		if c >= utf8.RuneSelf {
			return f.CharFilter.Filter(input)
		}
	}
	return input
}

// theStems is the one stem cache, shared by every index in the process.
var theStems = &stemCache{seed: maphash.MakeSeed()}

// asciiWords is the unicode tokenizer with a shortcut for ASCII text,
// which it splits by the same rules: a word is a run of letters, digits
// and underscores, which may hold a full stop or an apostrophe between
// two letters or two digits, a colon between two letters, or a comma or a
// semicolon between two digits; anything else separates words. A word
// with a letter, or of underscores only, is alphanumeric; one without is
// numeric.
type asciiWords struct{ analysis.Tokenizer }

func (t asciiWords) Tokenize(input []byte) analysis.TokenStream {
	if !isASCII(input) {
		return t.Tokenizer.Tokenize(input)
	}
	return tokenizeASCII(input, nil, nil)
}

// reusingWords is asciiWords for one goroutine, which analyses one text
// after another: the tokens of each call take the place of the last
// call's, which must be done with by then (as they are once a field is
// analysed: its token frequencies hold none of them). A passage's tokens
// were a quarter of the memory a build allocated.
type reusingWords struct {
	asciiWords
	out  analysis.TokenStream
	slab []analysis.Token
}

func (t *reusingWords) Tokenize(input []byte) analysis.TokenStream {
	if !isASCII(input) {
		return t.Tokenizer.Tokenize(input)
	}
	// A word takes a character and a separator: no text of n characters
	// has more than (n+1)/2 of them.
	if most := (len(input) + 1) / 2; cap(t.slab) < most {
		t.slab = make([]analysis.Token, max(most, 2*cap(t.slab)))
	}
	t.out = tokenizeASCII(input, t.out[:0], t.slab[:cap(t.slab)])
	return t.out
}

// reusing returns a copy of analyzer a whose tokenizer reuses its tokens
// from one text to the next (see reusingWords), for one goroutine only.
func reusing(a analysis.Analyzer) analysis.Analyzer {
	d, ok := a.(*analysis.DefaultAnalyzer)
	if !ok {
		return a
	}
	words, ok := d.Tokenizer.(asciiWords)
	if !ok {
		return a
	}
	own := *d
	own.Tokenizer = &reusingWords{asciiWords: words}
	return &own
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// tokenizeASCII appends the words of ASCII input to out, as tokens taken
// from buf while it lasts.
func tokenizeASCII(input []byte, out analysis.TokenStream, buf []analysis.Token) analysis.TokenStream {
	for i := 0; i < len(input); {
		if class(input[i]) > underscore {
			i++
			continue
		}
		start, letters, digits := i, false, false
	word:
		for ; i < len(input); i++ {
			switch c := class(input[i]); {
			case c == letter:
				letters = true
			case c == digit:
				digits = true
			case c == underscore:
			case i > start && i+1 < len(input) && joins(c, class(input[i-1]), class(input[i+1])):
			default:
				break word
			}
		}
		if len(buf) == 0 {
			buf = make([]analysis.Token, max(4, (len(input)-i)/6))
		}
		tok := &buf[0]
		buf = buf[1:]
		*tok = analysis.Token{Term: input[start:i], Start: start, End: i, Position: len(out) + 1, Type: analysis.AlphaNumeric}
		if digits && !letters {
			tok.Type = analysis.Numeric
		}
		out = append(out, tok)
	}
	return out
}

// Word classes of ASCII characters, after UAX #29.
const (
	letter     = iota // ALetter
	digit             // Numeric
	underscore        // ExtendNumLet
	midLetter         // MidLetter: a colon
	midNum            // MidNum: a comma or a semicolon
	midNumLet         // MidNumLet, Single_Quote: a full stop, an apostrophe
	other
)

func class(c byte) int {
	switch {
	case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		return letter
	case '0' <= c && c <= '9':
		return digit
	}
	switch c {
	case '_':
		return underscore
	case ':':
		return midLetter
	case ',', ';':
		return midNum
	case '.', '\'':
		return midNumLet
	}
	return other
}

// joins reports whether a character of class mid, between characters of
// classes before and after, keeps them in one word.
func joins(mid, before, after int) bool {
	switch mid {
	case midLetter:
		return before == letter && after == letter
	case midNum:
		return before == digit && after == digit
	case midNumLet:
		return before == after && (before == letter || before == digit)
	}
	return false
}

// stemCache is a token filter that stems tokens through a cache, in
// shards so that analysis on several goroutines rarely contends.
type stemCache struct {
	seed   maphash.Seed
	shards [64]stemShard
}

type stemShard struct {
	mu    sync.RWMutex
	stems map[string][]byte
}

// maxStemsPerShard bounds the cache: words past it are stemmed each time.
const maxStemsPerShard = 4096

func (c *stemCache) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		sh := &c.shards[maphash.Bytes(c.seed, tok.Term)%uint64(len(c.shards))]
		sh.mu.RLock()
		stem, ok := sh.stems[string(tok.Term)]
		sh.mu.RUnlock()
		if !ok {
			word := string(tok.Term)
			env := snowballstem.NewEnv(word)
			english.Stem(env)
			stem = []byte(env.Current())
			sh.mu.Lock()
			if sh.stems == nil {
				sh.stems = map[string][]byte{}
			}
			if len(sh.stems) < maxStemsPerShard {
				sh.stems[word] = stem
			}
			sh.mu.Unlock()
		}
		// Tokens share the cached bytes: nothing after the stemmer
		// writes to a term.
		tok.Term = stem
	}
	return input
}
