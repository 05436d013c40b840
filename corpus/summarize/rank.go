package summarize

import (
	"math"
	"time"
)

// Ranking parameters, shared by Summarize and Group.
const (
	damping   = 0.85 // LexRank: chance of following an edge rather than jumping
	edgeMin   = 0.08 // LexRank: similarities below this are no edge
	iterMax   = 100
	iterEps   = 1e-7
	freshHalf = 3 * 24 * time.Hour // an article this old counts half as fresh
)

// simMatrix returns the pairwise dot products of vs, row-major, with a
// zero diagonal.
func simMatrix(vs []vec) []float32 {
	n := len(vs)
	sim := make([]float32, n*n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			s := float32(dot(vs[i], vs[j]))
			sim[i*n+j], sim[j*n+i] = s, s
		}
	}
	return sim
}

// lexRank returns the centrality of the n nodes of a similarity graph by
// topic-sensitive continuous LexRank: a random walk that follows edges
// in proportion to their similarity with probability damping and
// otherwise jumps to a node drawn from prior, which is how the walk is
// biased towards the topic. Nodes with keep[i] false take no part. The
// result sums to one over the kept nodes.
func lexRank(sim []float32, n int, keep []bool, prior []float64) []float64 {
	type edge struct {
		to int
		w  float64
	}
	p := make([]float64, n)
	var psum float64
	for i := range n {
		if keep[i] {
			p[i] = prior[i]
			psum += p[i]
		}
	}
	if psum == 0 {
		for i := range n {
			if keep[i] {
				p[i] = 1
				psum++
			}
		}
	}
	if psum == 0 {
		return p
	}
	for i := range p {
		p[i] /= psum
	}
	edges := make([][]edge, n)
	outSum := make([]float64, n)
	for i := range n {
		if !keep[i] {
			continue
		}
		row := sim[i*n : (i+1)*n]
		for j, s := range row {
			if j != i && keep[j] && s >= edgeMin {
				edges[i] = append(edges[i], edge{j, float64(s)})
				outSum[i] += float64(s)
			}
		}
	}
	r := append([]float64(nil), p...)
	next := make([]float64, n)
	for range iterMax {
		var dangling float64
		clear(next)
		for i := range n {
			if r[i] == 0 {
				continue
			}
			if outSum[i] == 0 {
				dangling += r[i]
				continue
			}
			c := damping * r[i] / outSum[i]
			for _, e := range edges[i] {
				next[e.to] += c * e.w
			}
		}
		var delta float64
		for i := range n {
			next[i] += (1 - damping + damping*dangling) * p[i]
			delta += math.Abs(next[i] - r[i])
		}
		r, next = next, r
		if delta < iterEps {
			break
		}
	}
	return r
}

// leadBias is the weight of a sentence's position in its article: the
// first sentence of a news story usually says what happened.
func leadBias(pos int) float64 {
	if pos < 0 {
		pos = 0
	}
	return 1 / (1 + float64(pos)/3)
}

// freshness is 1 for an article published at now, halving every
// freshHalf before it; an undated article counts as old.
func freshness(published, now time.Time) float64 {
	if published.IsZero() || now.IsZero() {
		return 0
	}
	age := now.Sub(published)
	if age < 0 {
		age = 0
	}
	return math.Exp2(-float64(age) / float64(freshHalf))
}
