package schedule

import (
	"cmp"
	"container/heap"
	"slices"
	"time"
)

// Job is a digest's slot that is due.
type Job struct {
	Digest Digest
	// Slot is the latest of the digest's unhandled slots at or before the
	// time Due was asked about.
	Slot Slot
	// Missed counts the digest's earlier unhandled slots that Slot
	// supersedes: only the latest is posted (or skipped).
	Missed int
}

// Agenda holds digests ordered by when they are next due, so that finding
// the due ones costs little however many there are. It does no I/O and
// reads no clock. It is not safe for concurrent use.
type Agenda struct {
	byID map[string]*agendaEntry
	heap agendaHeap
}

type agendaEntry struct {
	d    Digest
	slot Slot      // d.NextSlot()
	at   time.Time // when the entry is due: slot.At, or later when deferred
	i    int       // index in the heap
}

// NewAgenda returns an agenda holding digests.
func NewAgenda(digests []Digest) *Agenda {
	a := &Agenda{byID: make(map[string]*agendaEntry, len(digests))}
	a.heap = make(agendaHeap, 0, len(digests))
	for _, d := range digests {
		if e := newEntry(d); e != nil {
			e.i = len(a.heap)
			a.heap = append(a.heap, e)
			a.byID[d.ID] = e
		}
	}
	heap.Init(&a.heap)
	return a
}

func newEntry(d Digest) *agendaEntry {
	s := d.NextSlot()
	if s.IsZero() {
		return nil
	}
	return &agendaEntry{d: d, slot: s, at: s.At}
}

// Len returns the number of digests held.
func (a *Agenda) Len() int { return len(a.heap) }

// Put adds d, or replaces the digest with d's ID, due at d.NextSlot().
// A digest whose Spec never runs is not held.
func (a *Agenda) Put(d Digest) {
	a.Remove(d.ID)
	if e := newEntry(d); e != nil {
		heap.Push(&a.heap, e)
		a.byID[d.ID] = e
	}
}

// Remove drops the digest with the given ID, if held.
func (a *Agenda) Remove(id string) {
	if e, ok := a.byID[id]; ok {
		heap.Remove(&a.heap, e.i)
		delete(a.byID, id)
	}
}

// Defer makes the digest with the given ID due no earlier than until, and
// reports whether the agenda holds it.
func (a *Agenda) Defer(id string, until time.Time) bool {
	e, ok := a.byID[id]
	if !ok {
		return false
	}
	if until.After(e.at) {
		e.at = until
		heap.Fix(&a.heap, e.i)
	}
	return true
}

// Next returns when the next digest is due (possibly in the past), or the
// zero time when the agenda is empty.
func (a *Agenda) Next() time.Time {
	if len(a.heap) == 0 {
		return time.Time{}
	}
	return a.heap[0].at
}

// Due removes the digests that are due at now and returns a Job for each,
// in slot order. The caller puts each digest back (with Put) once it has
// recorded the slot as posted or skipped, or defers it to try again.
func (a *Agenda) Due(now time.Time) []Job {
	var jobs []Job
	for len(a.heap) > 0 && !a.heap[0].at.After(now) {
		e := heap.Pop(&a.heap).(*agendaEntry)
		delete(a.byID, e.d.ID)
		j := Job{Digest: e.d, Slot: e.slot}
		// After an outage only the latest missed slot matters: one digest
		// covers everything since the last post.
		for {
			n := e.d.Spec.Next(j.Slot.At)
			if n.IsZero() || n.At.After(now) {
				break
			}
			j.Slot = n
			j.Missed++
		}
		jobs = append(jobs, j)
	}
	slices.SortFunc(jobs, func(x, y Job) int {
		return cmp.Or(x.Slot.At.Compare(y.Slot.At), cmp.Compare(x.Digest.ID, y.Digest.ID))
	})
	return jobs
}

// agendaHeap is a min-heap of entries by due time, for container/heap.
type agendaHeap []*agendaEntry

func (h agendaHeap) Len() int { return len(h) }

func (h agendaHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].d.ID < h[j].d.ID
}

func (h agendaHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].i, h[j].i = i, j
}

func (h *agendaHeap) Push(x any) {
	e := x.(*agendaEntry)
	e.i = len(*h)
	*h = append(*h, e)
}

func (h *agendaHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
