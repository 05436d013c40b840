package index

import (
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/search"
)

// passageID is the document ID of the passage at pos in an article: the
// article's ID and the position, so that a hit tells both without a
// stored field, and the passages of an article can be named without a
// search.
func passageID(articleID string, pos int) string {
	return articleID + "#" + strconv.Itoa(pos)
}

// splitPassageID returns the article and position a passage's document ID
// names; ok is false for an ID passageID did not make.
func splitPassageID(id string) (articleID string, pos int, ok bool) {
	i := strings.LastIndexByte(id, '#')
	if i < 0 {
		return "", 0, false
	}
	pos, err := strconv.Atoi(id[i+1:])
	if err != nil || pos < 0 {
		return "", 0, false
	}
	return id[:i], pos, true
}

// passageIDs names every passage of the given articles, as the manifest
// counts them.
func passageIDs(articles map[string]articleMeta, ids []string) []string {
	var out []string
	for _, id := range ids {
		for pos := range articles[id].Passages {
			out = append(out, passageID(id, pos))
		}
	}
	return out
}

// hitText returns the stored text of a hit.
func hitText(h *search.DocumentMatch) string {
	s, _ := h.Fields[fieldText].(string)
	return s
}

// locate records in each hit where the given terms stand in its text, as
// Bleve would report them from term vectors (position, byte offsets), by
// analysing the stored text again, and returns how many terms each hit's
// text holds, as its index entry counts them. Analysing the few hundred
// passages a question reads costs less than keeping term vectors for
// every passage of the index, which was a seventh of what building it
// cost.
func locate(hits search.DocumentMatchCollection, terms map[string]bool) (lengths []int) {
	a := reusing(analyzer()) // each text's tokens are done with before the next
	lengths = make([]int, len(hits))
	for i, h := range hits {
		locs := search.TermLocationMap{}
		toks := a.Analyze([]byte(hitText(h)))
		lengths[i] = len(toks)
		for _, tok := range toks {
			if !terms[string(tok.Term)] {
				continue
			}
			t := string(tok.Term)
			locs[t] = append(locs[t], &search.Location{Pos: uint64(tok.Position), Start: uint64(tok.Start), End: uint64(tok.End)})
		}
		h.Locations = nil
		if len(locs) > 0 {
			h.Locations = search.FieldTermLocationMap{fieldText: locs}
		}
	}
	return lengths
}
