// Command gen builds the data files of package lexicon from the WordNet 3.0
// database and an English word list, as Debian ships them:
//
//	apt-get install -y wordnet-base wamerican
//	go run ./index/lexicon/internal/gen
//
// run from the module root (or `go generate ./index/lexicon`). Flags name
// other places for the inputs and the output:
//
//	-wordnet /usr/share/wordnet               index.*, data.* and *.exc
//	-dict    /usr/share/dict/american-english one word a line
//	-out     index/lexicon/wordnet
//
// It writes three gzip-compressed text files, each sorted so that the
// same inputs give the same bytes:
//
//	lemmas.txt.gz  key TAB flags TAB synonyms TAB derived forms
//	words.txt.gz   one word a line: the words that are not lemmas
//	exc.txt.gz     part of speech TAB inflected form TAB base forms
//
// A key is a single-word WordNet lemma of letters only, or the joined form
// of a hyphenated lemma ("ceasefire" for "cease-fire"), since the search
// engine's tokenizer never sees a hyphen. Its flags are the parts of speech
// it is a lemma of (n, v, a, r) and w when it is a word in its own right
// (a real lemma or in the word list), which a joined form may not be. Its
// related words are space-separated and already filtered, ordered and
// capped as package lexicon documents, so that loading is only parsing.
package main

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The selection rules; package lexicon's doc comments describe them too.
const (
	// synonymSenses is how many of a word's senses, per part of speech,
	// give synonyms: WordNet lists senses most frequent first, and the
	// rarer ones bring in words a reader would not take for the same.
	synonymSenses = 2
	// maxRelated caps a word's list; minDerived of those places are kept
	// for derived forms when it has that many, so that a word with many
	// synonyms still finds its noun or verb ("exclude" -> "exclusion").
	maxRelated = 12
	minDerived = 4
	// shortWord is the length below which a related word is kept only
	// for a looked-up word that is short too: WordNet's two-letter lemmas
	// are mostly symbols and abbreviations ("ga", "u").
	shortWord = 3
)

// posNames are WordNet's parts of speech in the order the files are read
// and ties are broken; the letters are those of the flags field.
var posNames = []struct {
	letter byte
	file   string
}{
	{'n', "noun"},
	{'v', "verb"},
	{'a', "adj"},
	{'r', "adv"},
}

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	wordnet := fs.String("wordnet", "/usr/share/wordnet", "folder of the WordNet 3.0 database files")
	dict := fs.String("dict", "/usr/share/dict/american-english", "English word list, one word a line")
	out := fs.String("out", "index/lexicon/wordnet", "folder to write the data files to")
	if err := fs.Parse(args); err != nil {
		return err
	}

	words, err := readWordList(*dict)
	if err != nil {
		return err
	}
	db := &database{words: words}
	for i, p := range posNames {
		if err := db.readPOS(i, *wordnet, p.file); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}

	lemmas := db.lemmaLines()
	if err := writeGzip(filepath.Join(*out, "lemmas.txt.gz"), lemmas); err != nil {
		return err
	}
	if err := writeGzip(filepath.Join(*out, "words.txt.gz"), db.wordLines()); err != nil {
		return err
	}
	exc, err := db.exceptionLines(*wordnet)
	if err != nil {
		return err
	}
	if err := writeGzip(filepath.Join(*out, "exc.txt.gz"), exc); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "gen: %d lemmas, %d exceptions written to %s\n", len(lemmas), len(exc), *out)
	return nil
}

// readWordList reads the word list lower-cased, without possessives
// ("abbot's"), which are one per noun and which the package accepts by rule.
func readWordList(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read word list: %w", err)
	}
	defer f.Close()
	words := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.ToLower(strings.TrimSpace(sc.Text()))
		if w == "" || strings.HasSuffix(w, "'s") {
			continue
		}
		words[w] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read word list %s: %w", path, err)
	}
	return words, nil
}

// synset is one line of a data.* file, as far as gen needs it.
type synset struct {
	words []string // as written: case kept, underscores for spaces
	ptrs  []pointer
}

// pointer is a derivationally related form pointer ("+") of a synset:
// from its src'th word to the tgt'th word of synset off in part of speech pos.
type pointer struct {
	pos      int
	off      string
	src, tgt int
}

// sense is one entry of an index.* file: a lemma in one part of speech.
type sense struct {
	lemma   string   // as in the index: lower case, underscores
	offsets []string // its synsets, most frequent first
	tagged  int      // how many of its senses are seen in tagged text
}

// database is what gen reads of WordNet and the word list.
type database struct {
	words    map[string]bool
	synsets  [4]map[string]*synset
	senses   [4]map[string]*sense // by key
	isLemma  map[string]bool      // the real single-word lemmas of letters only
	keyOrder []string
}

func (db *database) readPOS(pos int, dir, name string) error {
	if db.isLemma == nil {
		db.isLemma = map[string]bool{}
	}
	ss, err := readData(filepath.Join(dir, "data."+name))
	if err != nil {
		return err
	}
	db.synsets[pos] = ss
	senses, err := readIndex(filepath.Join(dir, "index."+name))
	if err != nil {
		return err
	}
	byKey := map[string]*sense{}
	// Real lemmas first, so that a joined form never hides the lemma
	// spelled that way ("coop" against "co-op").
	for _, s := range senses {
		if isLetters(s.lemma) {
			byKey[s.lemma] = s
			db.isLemma[s.lemma] = true
		}
	}
	for _, s := range senses {
		if !strings.Contains(s.lemma, "-") {
			continue
		}
		key := strings.ReplaceAll(s.lemma, "-", "")
		if _, ok := byKey[key]; !ok && isLetters(key) {
			byKey[key] = s
		}
	}
	db.senses[pos] = byKey
	return nil
}

// readIndex reads an index.* file: lemma pos synset_cnt p_cnt [ptr_symbol...]
// sense_cnt tagsense_cnt synset_offset... (wndb(5WN)), in file order.
func readIndex(path string) ([]*sense, error) {
	var out []*sense
	err := eachLine(path, func(line string) error {
		if strings.HasPrefix(line, "  ") {
			return nil // the licence at the top
		}
		f := strings.Fields(line)
		if len(f) < 6 {
			return errors.New("short line")
		}
		pcnt, err := strconv.Atoi(f[3])
		if err != nil || 4+pcnt+2 > len(f) {
			return fmt.Errorf("bad pointer count %q", f[3])
		}
		tagged, err := strconv.Atoi(f[4+pcnt+1])
		if err != nil {
			return fmt.Errorf("bad tagsense_cnt: %w", err)
		}
		out = append(out, &sense{lemma: f[0], offsets: f[4+pcnt+2:], tagged: tagged})
		return nil
	})
	return out, err
}

// readData reads a data.* file: synset_offset lex_filenum ss_type w_cnt
// word lex_id [word lex_id...] p_cnt [ptr...] ... | gloss (wndb(5WN)).
func readData(path string) (map[string]*synset, error) {
	out := map[string]*synset{}
	err := eachLine(path, func(line string) error {
		if strings.HasPrefix(line, "  ") {
			return nil
		}
		if i := strings.Index(line, " | "); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			return errors.New("short line")
		}
		wcnt, err := strconv.ParseInt(f[3], 16, 0)
		if err != nil {
			return fmt.Errorf("bad w_cnt: %w", err)
		}
		i := 4
		s := &synset{}
		for range wcnt {
			if i+1 >= len(f) {
				return errors.New("short word list")
			}
			w := f[i]
			// Adjectives may carry their syntactic position: "galore(ip)".
			if j := strings.IndexByte(w, '('); j > 0 {
				w = w[:j]
			}
			s.words = append(s.words, w)
			i += 2
		}
		pcnt, err := strconv.Atoi(f[i])
		if err != nil {
			return fmt.Errorf("bad p_cnt: %w", err)
		}
		i++
		for range pcnt {
			if i+3 >= len(f) {
				return errors.New("short pointer list")
			}
			sym, off, pos, st := f[i], f[i+1], f[i+2], f[i+3]
			i += 4
			if sym != "+" {
				continue
			}
			p := posIndex(pos)
			if p < 0 || len(st) != 4 {
				return fmt.Errorf("bad pointer %s %s %s %s", sym, off, pos, st)
			}
			src, err1 := strconv.ParseInt(st[:2], 16, 0)
			tgt, err2 := strconv.ParseInt(st[2:], 16, 0)
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("bad pointer source/target: %w", err)
			}
			s.ptrs = append(s.ptrs, pointer{pos: p, off: off, src: int(src), tgt: int(tgt)})
		}
		out[f[0]] = s
		return nil
	})
	return out, err
}

// posIndex maps a part of speech letter to its place in posNames; an
// adjective satellite ("s") is an adjective.
func posIndex(letter string) int {
	if letter == "s" {
		letter = "a"
	}
	for i, p := range posNames {
		if len(letter) == 1 && p.letter == letter[0] {
			return i
		}
	}
	return -1
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		if err := fn(sc.Text()); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// keys returns every key of any part of speech, sorted.
func (db *database) keys() []string {
	if db.keyOrder != nil {
		return db.keyOrder
	}
	seen := map[string]bool{}
	for _, m := range db.senses {
		for k := range m {
			seen[k] = true
		}
	}
	for k := range seen {
		db.keyOrder = append(db.keyOrder, k)
	}
	slices.Sort(db.keyOrder)
	return db.keyOrder
}

// lemmaLines builds a line of lemmas.txt.gz for every key.
func (db *database) lemmaLines() []string {
	var lines []string
	for _, key := range db.keys() {
		var flags []byte
		for i, p := range posNames {
			if db.senses[i][key] != nil {
				flags = append(flags, p.letter)
			}
		}
		if db.isLemma[key] || db.words[key] {
			flags = append(flags, 'w')
		}
		syn, der := db.related(key)
		lines = append(lines, key+"\t"+string(flags)+"\t"+strings.Join(syn, " ")+"\t"+strings.Join(der, " "))
	}
	return lines
}

// posOrder returns the parts of speech of key, the one whose senses are
// most often seen in tagged text first ("lead" is more often a verb),
// ties in the order of posNames.
func (db *database) posOrder(key string) []int {
	var ps []int
	for i := range posNames {
		if db.senses[i][key] != nil {
			ps = append(ps, i)
		}
	}
	slices.SortStableFunc(ps, func(a, b int) int {
		return cmp.Compare(db.senses[b][key].tagged, db.senses[a][key].tagged)
	})
	return ps
}

// related returns key's synonyms and derived forms, filtered, ordered and
// capped. Synonyms come sense by sense: the first sense of each part of
// speech, then the second. Derived forms come from all senses.
func (db *database) related(key string) (syn, der []string) {
	seen := map[string]bool{key: true}
	ps := db.posOrder(key)
	for rank := range synonymSenses {
		for _, p := range ps {
			s := db.senses[p][key]
			if rank >= len(s.offsets) {
				continue
			}
			ss := db.synsets[p][s.offsets[rank]]
			self, ok := findWord(ss, s.lemma)
			if !ok {
				continue
			}
			for i, w := range ss.words {
				if i == self {
					continue
				}
				if r, ok := db.keep(key, ss.words[self], w); ok && !seen[r] {
					seen[r] = true
					syn = append(syn, r)
				}
			}
		}
	}
	for _, p := range ps {
		s := db.senses[p][key]
		for _, off := range s.offsets {
			ss := db.synsets[p][off]
			self, ok := findWord(ss, s.lemma)
			if !ok {
				continue
			}
			for _, ptr := range ss.ptrs {
				if ptr.src != self+1 {
					continue
				}
				ts := db.synsets[ptr.pos][ptr.off]
				if ts == nil || ptr.tgt < 1 || ptr.tgt > len(ts.words) {
					continue
				}
				if r, ok := db.keep(key, ss.words[self], ts.words[ptr.tgt-1]); ok && !seen[r] {
					seen[r] = true
					der = append(der, r)
				}
			}
		}
	}
	syn = syn[:min(len(syn), maxRelated-min(len(der), minDerived))]
	der = der[:min(len(der), maxRelated-len(syn))]
	return syn, der
}

// findWord returns the place of lemma among the words of ss.
func findWord(ss *synset, lemma string) (int, bool) {
	if ss == nil {
		return 0, false
	}
	for i, w := range ss.words {
		if strings.ToLower(w) == lemma {
			return i, true
		}
	}
	return 0, false
}

// keep returns the form in which w, related to key (written self where
// they are related), is listed, and whether it is listed at all.
func (db *database) keep(key, self, w string) (string, bool) {
	r := strings.ToLower(w)
	if strings.Contains(r, "_") {
		return "", false
	}
	// A hyphenated word is listed joined when the word list spells it so
	// ("cease-fire" as "ceasefire"); split in two it would match other things.
	if strings.Contains(r, "-") {
		r = strings.ReplaceAll(r, "-", "")
		if !db.words[r] {
			return "", false
		}
	}
	if !isLetters(r) || r == key {
		return "", false
	}
	// A name is no synonym of a common word, nor the other way round:
	// "capital" is not "Capital" of any city.
	if isProper(self) != isProper(w) {
		return "", false
	}
	if len(r) < shortWord && len(key) >= shortWord {
		return "", false
	}
	return r, true
}

func isProper(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

func isLetters(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// wordLines lists the words of the word list that are not keys flagged
// as words, so that each word is stored once.
func (db *database) wordLines() []string {
	keys := map[string]bool{}
	for _, k := range db.keys() {
		keys[k] = true
	}
	var out []string
	for w := range db.words {
		if !keys[w] {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

// exceptionLines reads the *.exc files (inflected form, then its base
// forms), keeping inflected forms that can be tokens and base forms that
// are keys of the same part of speech.
func (db *database) exceptionLines(dir string) ([]string, error) {
	var out []string
	for p, pn := range posNames {
		err := eachLine(filepath.Join(dir, pn.file+".exc"), func(line string) error {
			f := strings.Fields(line)
			if len(f) < 2 || strings.ContainsAny(f[0], "_-.") {
				return nil
			}
			var bases []string
			for _, b := range f[1:] {
				b = strings.ReplaceAll(b, "-", "")
				if db.senses[p][b] != nil && !slices.Contains(bases, b) {
					bases = append(bases, b)
				}
			}
			if len(bases) > 0 {
				out = append(out, string(pn.letter)+"\t"+f[0]+"\t"+strings.Join(bases, " "))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func writeGzip(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	bw := bufio.NewWriter(zw)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	err = errors.Join(bw.Flush(), zw.Close(), f.Close())
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
