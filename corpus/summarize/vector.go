package summarize

import (
	"math"
	"slices"
)

// vocab numbers terms and counts how many texts hold each, for TF-IDF.
type vocab struct {
	ids  map[string]int32
	df   []int32
	last []int32 // the text that last counted each term, plus one
	n    int32   // texts added
	// background is a number of texts assumed to hold none of the terms,
	// which keeps IDF from treating the words two texts share as common
	// when they are all there is.
	background int32
}

func newVocab() *vocab {
	return &vocab{ids: make(map[string]int32)}
}

// add counts one text's terms and returns them as a sorted bag of ids,
// repeats kept.
func (v *vocab) add(ts []string) []int32 {
	v.n++
	bag := make([]int32, 0, len(ts))
	for _, t := range ts {
		id, ok := v.ids[t]
		if !ok {
			id = int32(len(v.df))
			v.ids[t] = id
			v.df = append(v.df, 0)
			v.last = append(v.last, 0)
		}
		if v.last[id] != v.n {
			v.last[id] = v.n
			v.df[id]++
		}
		bag = append(bag, id)
	}
	slices.Sort(bag)
	return bag
}

// lookup returns the sorted bag of ids of the terms that v knows.
func (v *vocab) lookup(ts []string) []int32 {
	var bag []int32
	for _, t := range ts {
		if id, ok := v.ids[t]; ok {
			bag = append(bag, id)
		}
	}
	slices.Sort(bag)
	return bag
}

// terms returns the terms of v by id.
func (v *vocab) terms() []string {
	ts := make([]string, len(v.df))
	for t, id := range v.ids {
		ts[id] = t
	}
	return ts
}

func (v *vocab) idf(id int32) float64 {
	return math.Log(1 + float64(v.n+v.background)/float64(v.df[id]))
}

// vector weighs a bag with sublinear TF times IDF and scales it to unit
// length, so that dot products are cosine similarities.
func (v *vocab) vector(bag []int32) vec {
	var out vec
	var norm float64
	for i := 0; i < len(bag); {
		j := i + 1
		for j < len(bag) && bag[j] == bag[i] {
			j++
		}
		w := (1 + math.Log(float64(j-i))) * v.idf(bag[i])
		out.ids = append(out.ids, bag[i])
		out.ws = append(out.ws, float32(w))
		norm += w * w
		i = j
	}
	if norm > 0 {
		s := float32(1 / math.Sqrt(norm))
		for i := range out.ws {
			out.ws[i] *= s
		}
	}
	return out
}

// vec is a sparse vector: ids ascending, with their weights.
type vec struct {
	ids []int32
	ws  []float32
}

// dot returns the dot product of a and b.
func dot(a, b vec) float64 {
	var s float32
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			s += a.ws[i] * b.ws[j]
			i++
			j++
		}
	}
	return float64(s)
}

// addVec returns the sum of a and b, not normalised.
func addVec(a, b vec) vec {
	var out vec
	i, j := 0, 0
	for i < len(a.ids) || j < len(b.ids) {
		switch {
		case j == len(b.ids) || (i < len(a.ids) && a.ids[i] < b.ids[j]):
			out.ids, out.ws = append(out.ids, a.ids[i]), append(out.ws, a.ws[i])
			i++
		case i == len(a.ids) || b.ids[j] < a.ids[i]:
			out.ids, out.ws = append(out.ids, b.ids[j]), append(out.ws, b.ws[j])
			j++
		default:
			out.ids, out.ws = append(out.ids, a.ids[i]), append(out.ws, a.ws[i]+b.ws[j])
			i++
			j++
		}
	}
	return out
}

// unit returns v scaled to unit length.
func unit(v vec) vec {
	var norm float64
	for _, w := range v.ws {
		norm += float64(w) * float64(w)
	}
	if norm == 0 {
		return v
	}
	s := float32(1 / math.Sqrt(norm))
	out := vec{ids: v.ids, ws: make([]float32, len(v.ws))}
	for i, w := range v.ws {
		out.ws[i] = w * s
	}
	return out
}
