package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"

	"attache/corpus"
)

// articleMeta is what the index remembers of each article: enough to skip
// it when unchanged, to delete its passages, and to cite it.
type articleMeta struct {
	Hash      string    `json:"h"`
	Title     string    `json:"t,omitempty"`
	Source    string    `json:"s,omitempty"`
	URL       string    `json:"u,omitempty"`
	Published time.Time `json:"p,omitzero"`
	Passages  int       `json:"n"`
	// Added is when the article first came into the index; Changed when
	// its text last changed. Digests report what was added or changed
	// since the previous one.
	Added   time.Time `json:"a,omitzero"`
	Changed time.Time `json:"c,omitzero"`
	// Names are the article's most frequent proper names, for completion.
	Names []string `json:"m,omitempty"`
	// Acronyms maps the acronyms the article's text can stand for (lower
	// case) to the names they abbreviate.
	Acronyms map[string]string `json:"x,omitempty"`
	// TitleTerms are the terms of the title, each once, as the analyzer
	// makes them: kept so that opening the index need not analyse every
	// title again.
	TitleTerms []string `json:"-"`
	// File is the stamp of the article's file when it was read, so that
	// an unchanged file need not be read again (see Known).
	File corpus.Stamp `json:"-"`
	// Paragraphs holds the paragraph of each passage, by position.
	Paragraphs []int `json:"-"`
	// Capitals counts, for each term, the passages that write it
	// capitalised after their first word: how the vocabulary tells names
	// from words. Kept encoded (see capitalCounts), as the chunk has it.
	Capitals capitalCounts `json:"-"`
}

// paragraph returns the paragraph of the passage at pos, or -1 for a
// position the article does not have.
func (m articleMeta) paragraph(pos int) int {
	if pos < 0 || pos >= len(m.Paragraphs) {
		return -1
	}
	return m.Paragraphs[pos]
}

// capitalCounts is a list of terms and counts, each term once and in
// order, encoded as the manifest's chunks encode strings and numbers: an
// article's entry holds a few dozen, and twenty thousand entries are
// decoded on every start, so they stay in the chunk's bytes until the
// vocabulary reads them.
type capitalCounts string

// newCapitalCounts encodes counts.
func newCapitalCounts(counts map[string]int) capitalCounts {
	terms := make([]string, 0, len(counts))
	for t := range counts {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	var buf []byte
	for _, t := range terms {
		buf = binary.AppendUvarint(buf, uint64(len(t)))
		buf = append(buf, t...)
		buf = binary.AppendUvarint(buf, uint64(counts[t]))
	}
	return capitalCounts(buf)
}

// each calls f with every term and its count, and reports whether the
// encoding was whole.
func (c capitalCounts) each(f func(term string, n int)) bool {
	d := chunkDecoder{s: string(c)}
	for d.pos < len(d.s) && d.err == nil {
		t := d.str()
		n := d.uvarint()
		if d.err == nil {
			f(t, int(n))
		}
	}
	return d.err == nil
}

// The manifest (every article's articleMeta) lives in Bleve's internal
// store beside the passages, as a log of chunks: each batch of passages
// carries, in the same Bleve batch, one chunk with the entries of the
// articles it adds, changes or removes, and the new number of chunks. A
// crash between batches therefore leaves a manifest that claims exactly
// the passages that are in the index, and a batch costs what it changes,
// not what the index holds. Open reads the chunks in order, later entries
// replacing earlier ones; when the log grows long, a batch rewrites it as
// one chunk.
var (
	keyChunks = []byte("attache.manifest.chunks") // how many chunks, in decimal
	// keyManifest is where attache-passages-6 and older kept the whole
	// manifest as JSON; read only to carry times over a rebuild.
	keyManifest = []byte("attache.manifest")
)

// maxChunks is the length of the manifest log beyond which a batch
// rewrites it as a single chunk.
const maxChunks = 64

func chunkKey(i int) []byte { return []byte("attache.manifest." + strconv.Itoa(i)) }

// internalReader is the part of bleve.Index that reads the manifest.
type internalReader interface {
	GetInternal(key []byte) ([]byte, error)
}

// errManifest reports a manifest that cannot be read: the index is rebuilt.
var errManifest = errors.New("manifest unreadable")

// readManifest reads the manifest log: the entries and how many chunks
// hold them. An index without one has an empty manifest.
func readManifest(b internalReader) (map[string]articleMeta, int, error) {
	raw, err := b.GetInternal(keyChunks)
	if err != nil {
		return nil, 0, fmt.Errorf("read manifest: %w", err)
	}
	articles := map[string]articleMeta{}
	if len(raw) == 0 {
		return articles, 0, nil
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < 0 {
		return nil, 0, fmt.Errorf("%w: chunk count %q", errManifest, raw)
	}
	for i := range n {
		data, err := b.GetInternal(chunkKey(i))
		if err != nil {
			return nil, 0, fmt.Errorf("read manifest chunk %d: %w", i, err)
		}
		if data == nil {
			return nil, 0, fmt.Errorf("%w: chunk %d of %d missing", errManifest, i, n)
		}
		if err := decodeChunk(data, articles); err != nil {
			return nil, 0, fmt.Errorf("%w: chunk %d: %w", errManifest, i, err)
		}
	}
	return articles, n, nil
}

// readEarlierManifest reads the manifest of an index made by another
// version of the mapping, in either format, or nil.
func readEarlierManifest(b internalReader) map[string]articleMeta {
	if m, n, err := readManifest(b); err == nil && n > 0 {
		return m
	}
	raw, err := b.GetInternal(keyManifest)
	if err != nil || len(raw) == 0 {
		return nil
	}
	var m map[string]articleMeta
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// manifestLog writes the manifest's chunks into batches.
type manifestLog struct {
	chunks int // chunks in the index, counting those in batches written
}

// write adds to b the chunk with the entries of ids as they stand in next
// (absent ones as removed), and returns how many chunks the log has once
// b is written; the caller sets chunks to that when it is. When the log
// would grow past maxChunks, it writes the whole of next as the only chunk
// instead.
func (l *manifestLog) write(b *bleve.Batch, next map[string]articleMeta, ids []string) int {
	if len(ids) == 0 {
		return l.chunks
	}
	if l.chunks+1 > maxChunks {
		for i := 1; i < l.chunks; i++ {
			b.DeleteInternal(chunkKey(i))
		}
		for k, v := range wholeManifest(next) {
			b.SetInternal([]byte(k), v)
		}
		return 1
	}
	b.SetInternal(chunkKey(l.chunks), encodeChunk(next, ids))
	b.SetInternal(keyChunks, []byte(strconv.Itoa(l.chunks+1)))
	return l.chunks + 1
}

// wholeManifest returns the internal keys and values of a log that holds
// the whole of next as its only chunk.
func wholeManifest(next map[string]articleMeta) map[string][]byte {
	return map[string][]byte{
		string(chunkKey(0)): encodeChunk(next, slices.Collect(maps.Keys(next))),
		string(keyChunks):   []byte("1"),
	}
}

// A chunk is a version byte, the number of entries, and the entries, each
// an article ID, a byte telling whether the article is present (1) or
// removed (0) and, when present, its fields in the order of articleMeta.
// Strings are a length and bytes, lists of strings a count and strings,
// numbers varints, lists of numbers a count and varints, times the Unix
// time in nanoseconds and the zone's offset in seconds (or a 0 for the
// zero time). Version 2, of attache-passages-8, ends each entry before
// Paragraphs; it is still read, for the times an earlier manifest carries
// over a rebuild.
const (
	chunkVersion   = 3
	chunkVersionV2 = 2
)

func encodeChunk(next map[string]articleMeta, ids []string) []byte {
	ids = slices.Clone(ids)
	slices.Sort(ids) // the same manifest always encodes the same way
	buf := []byte{chunkVersion}
	buf = binary.AppendUvarint(buf, uint64(len(ids)))
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	tm := func(t time.Time) {
		if t.IsZero() {
			buf = append(buf, 0)
			return
		}
		_, off := t.Zone()
		buf = append(buf, 1)
		buf = binary.AppendVarint(buf, t.UnixNano())
		buf = binary.AppendVarint(buf, int64(off))
	}
	for _, id := range ids {
		str(id)
		m, ok := next[id]
		if !ok {
			buf = append(buf, 0)
			continue
		}
		buf = append(buf, 1)
		str(m.Hash)
		str(m.Title)
		str(m.Source)
		str(m.URL)
		tm(m.Published)
		buf = binary.AppendUvarint(buf, uint64(m.Passages))
		tm(m.Added)
		tm(m.Changed)
		buf = binary.AppendUvarint(buf, uint64(len(m.Names)))
		for _, n := range m.Names {
			str(n)
		}
		buf = binary.AppendUvarint(buf, uint64(len(m.TitleTerms)))
		for _, t := range m.TitleTerms {
			str(t)
		}
		buf = binary.AppendUvarint(buf, uint64(m.File.Size))
		tm(m.File.Modified)
		acrs := make([]string, 0, len(m.Acronyms))
		for a := range m.Acronyms {
			acrs = append(acrs, a)
		}
		slices.Sort(acrs) // the same manifest, the same bytes
		buf = binary.AppendUvarint(buf, uint64(len(acrs)))
		for _, a := range acrs {
			str(a)
			str(m.Acronyms[a])
		}
		buf = binary.AppendUvarint(buf, uint64(len(m.Paragraphs)))
		for _, p := range m.Paragraphs {
			buf = binary.AppendUvarint(buf, uint64(p))
		}
		str(string(m.Capitals))
	}
	return buf
}

// decodeChunk applies the entries of a chunk to articles.
func decodeChunk(data []byte, articles map[string]articleMeta) error {
	if len(data) == 0 || data[0] != chunkVersion && data[0] != chunkVersionV2 {
		return errors.New("unknown chunk version")
	}
	v2 := data[0] == chunkVersionV2
	// All the strings of a chunk share one copy of its bytes.
	d := chunkDecoder{s: string(data), pos: 1}
	n := d.uvarint()
	for range n {
		if d.err != nil {
			break
		}
		id := d.str()
		if d.byte() == 0 {
			delete(articles, id)
			continue
		}
		var m articleMeta
		m.Hash = d.str()
		m.Title = d.str()
		m.Source = d.str()
		m.URL = d.str()
		m.Published = d.time()
		m.Passages = int(d.uvarint())
		m.Added = d.time()
		m.Changed = d.time()
		m.Names = d.strs()
		m.TitleTerms = d.strs()
		m.File.Size = int64(d.uvarint())
		m.File.Modified = d.time()
		if n := d.uvarint(); n > 0 && d.err == nil {
			m.Acronyms = make(map[string]string, min(n, 64))
			for range n {
				a := d.str()
				m.Acronyms[a] = d.str()
			}
		}
		if !v2 {
			if n := d.uvarint(); n > 0 && n <= uint64(len(d.s)-d.pos) {
				m.Paragraphs = make([]int, n)
				for i := range m.Paragraphs {
					m.Paragraphs[i] = int(d.uvarint())
				}
			} else if n > 0 {
				d.err = errTruncated
			}
			m.Capitals = capitalCounts(d.str())
		}
		articles[id] = m
	}
	if d.err == nil && d.pos != len(d.s) {
		d.err = errors.New("trailing bytes")
	}
	return d.err
}

type chunkDecoder struct {
	s   string
	pos int
	err error
}

var errTruncated = errors.New("truncated chunk")

func (d *chunkDecoder) byte() byte {
	if d.err != nil || d.pos >= len(d.s) {
		d.err = errTruncated
		return 0
	}
	d.pos++
	return d.s[d.pos-1]
}

func (d *chunkDecoder) uvarint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		b := d.byte()
		if d.err != nil {
			return 0
		}
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
	d.err = errors.New("varint overflows")
	return 0
}

func (d *chunkDecoder) varint() int64 {
	u := d.uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *chunkDecoder) str() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.s)-d.pos) {
		d.err = errTruncated
		return ""
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s
}

func (d *chunkDecoder) strs() []string {
	n := d.uvarint()
	if n == 0 || n > uint64(len(d.s)-d.pos) {
		if n != 0 {
			d.err = errTruncated
		}
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *chunkDecoder) time() time.Time {
	if d.byte() == 0 {
		return time.Time{}
	}
	t := time.Unix(0, d.varint())
	if off := d.varint(); off != 0 {
		return t.In(time.FixedZone("", int(off)))
	}
	return t.UTC()
}

// titleSets returns each article's title terms as a set, as titleTerms
// makes them.
func titleSets(articles map[string]articleMeta) map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(articles))
	for id, m := range articles {
		out[id] = termSet(m.TitleTerms)
	}
	return out
}

// titleTerms returns the terms of the article's title, each once: those
// the manifest keeps, or, for an entry written without them, the title
// analysed again.
func (m articleMeta) titleTerms() []string {
	if m.TitleTerms != nil || m.Title == "" {
		return m.TitleTerms
	}
	return uniqueStems(m.Title)
}

func termSet(terms []string) map[string]bool {
	set := make(map[string]bool, len(terms))
	for _, t := range terms {
		set[t] = true
	}
	return set
}

// uniqueStems returns the terms of text, each once, in order.
func uniqueStems(text string) []string {
	var out []string
	for _, t := range stems(text) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
