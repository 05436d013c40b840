package index

import (
	"hash/maphash"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// stemmerName is the English Snowball stemmer with a cache of the stems
// it has found. A news corpus uses the same few tens of thousands of words
// over and over, and stemming is a good part of analysing a passage; the
// stems are the same as en.SnowballStemmerName's.
const stemmerName = "attache_stemmer_en"

func init() {
	err := registry.RegisterTokenFilter(stemmerName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return theStems, nil
	})
	if err != nil {
		panic(err)
	}
}

// theStems is the one stem cache, shared by every index in the process.
var theStems = &stemCache{seed: maphash.MakeSeed()}

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
