package lexicon

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
)

// data holds the files that internal/gen writes, with the licences of
// their sources, which must travel with every copy of the database.
//
//go:embed wordnet
var data embed.FS

// numPOS is the number of WordNet's parts of speech; posLetters names
// them in the order of the bits of entry.pos and of rules.
const (
	numPOS     = 4
	posLetters = "nvar"
)

// entry is what the lexicon knows of one key of lemmas.txt.gz.
type entry struct {
	pos  uint8 // bit p is set when the key is a lemma of posLetters[p]
	word bool  // a word in its own right, not only a joined hyphenated lemma
	// syn and der are the space-separated related words, already
	// filtered, ordered and capped by the generator.
	syn, der string
}

// lexicon is the loaded data. Its strings share the decompressed text of
// the files, so that loading allocates little beyond the maps.
type lexicon struct {
	lemmas map[string]entry
	words  map[string]struct{}
	exc    [numPOS]map[string]string // inflected form -> space-separated bases
}

// load parses the embedded data on first use. The data are part of the
// binary, so a failure is a broken build, which the package's tests catch;
// it panics rather than making every caller handle an impossible error.
var load = sync.OnceValue(func() *lexicon {
	lx, err := parse(data)
	if err != nil {
		panic("lexicon: " + err.Error())
	}
	return lx
})

func (lx *lexicon) isWord(w string) bool {
	if e, ok := lx.lemmas[w]; ok && e.word {
		return true
	}
	_, ok := lx.words[w]
	return ok
}

// parse reads the three data files of fsys.
func parse(fsys fs.FS) (*lexicon, error) {
	lx := &lexicon{}

	text, err := readGzip(fsys, "wordnet/lemmas.txt.gz")
	if err != nil {
		return nil, err
	}
	lx.lemmas = make(map[string]entry, strings.Count(text, "\n"))
	err = eachLine(text, func(line string) error {
		// Cut rather than Split: one slice per line would be most of
		// what loading allocates.
		key, rest, ok1 := strings.Cut(line, "\t")
		flags, rest, ok2 := strings.Cut(rest, "\t")
		syn, der, ok3 := strings.Cut(rest, "\t")
		if !ok1 || !ok2 || !ok3 || strings.Contains(der, "\t") {
			return fmt.Errorf("lemma line %q: want 4 fields", line)
		}
		var e entry
		for _, c := range []byte(flags) {
			if c == 'w' {
				e.word = true
			} else if p := strings.IndexByte(posLetters, c); p >= 0 {
				e.pos |= 1 << p
			} else {
				return fmt.Errorf("lemma line %q: bad flag %q", line, c)
			}
		}
		e.syn, e.der = syn, der
		lx.lemmas[key] = e
		return nil
	})
	if err != nil {
		return nil, err
	}

	text, err = readGzip(fsys, "wordnet/words.txt.gz")
	if err != nil {
		return nil, err
	}
	lx.words = make(map[string]struct{}, strings.Count(text, "\n"))
	_ = eachLine(text, func(line string) error {
		lx.words[line] = struct{}{}
		return nil
	})

	text, err = readGzip(fsys, "wordnet/exc.txt.gz")
	if err != nil {
		return nil, err
	}
	for p := range lx.exc {
		lx.exc[p] = map[string]string{}
	}
	err = eachLine(text, func(line string) error {
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 || len(f[0]) != 1 || strings.IndexByte(posLetters, f[0][0]) < 0 {
			return fmt.Errorf("exception line %q: want part of speech, form and bases", line)
		}
		lx.exc[strings.IndexByte(posLetters, f[0][0])][f[1]] = f[2]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lx, nil
}

// readGzip returns the decompressed text of a file of fsys.
func readGzip(fsys fs.FS, name string) (string, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	var b strings.Builder
	// gzip ends with the decompressed size (modulo 2^32, far above these
	// files): growing once saves copying the text as it grows.
	if len(raw) >= 4 {
		b.Grow(int(binary.LittleEndian.Uint32(raw[len(raw)-4:])))
	}
	if _, err := io.Copy(&b, zr); err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	if err := zr.Close(); err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return b.String(), nil
}

// eachLine calls fn with each non-empty line of text.
func eachLine(text string, fn func(string) error) error {
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			continue
		}
		if err := fn(line); err != nil {
			return err
		}
	}
	return nil
}
