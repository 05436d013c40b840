package index

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
)

// Memory settings while a large build runs: the collector runs less often
// (buildGOGC) under a soft limit, so that it costs less CPU without letting
// the heap grow past what a small server has. The limit is
// buildMemoryLimit, or the live heap and buildHeadroom when that is more
// (a server with a large heap already), so that the collector never runs
// without end below the heap it cannot free.
const (
	buildGOGC        = 400
	buildMemoryLimit = 450 << 20
	buildHeadroom    = 256 << 20
)

// tuneMemory applies the build's memory settings, unless the process has
// its own (GOGC or GOMEMLIMIT; TuneForQuestions's is not), and returns a
// function that restores the previous ones.
func tuneMemory() (restore func()) {
	limit := debug.SetMemoryLimit(-1)
	if limit != math.MaxInt64 {
		return func() {} // GOMEMLIMIT or the program's own
	}
	gc := debug.SetGCPercent(buildGOGC)
	if gc != 100 && gc != questionsGOGC {
		debug.SetGCPercent(gc) // GOGC or the program's own
		return func() {}
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	var heap int64
	if live[0].Value.Kind() == metrics.KindUint64 {
		heap = int64(live[0].Value.Uint64())
	}
	debug.SetMemoryLimit(max(buildMemoryLimit, heap+buildHeadroom))
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// questionsGOGC is the collector's setting for a process that answers
// questions from an open index (the bot, the console, ask). Most of its
// live heap is the manifest and the word lists, which a question leaves
// alone, while each question allocates over half a megabyte and drops
// it: at Go's default (100) the collector ran every hundred or so
// questions on 20,000 articles, and the questions it ran beside took up to
// three times as long as the median (p99 7.4–8.7 ms, p50 2.3 ms). At 300
// it runs a third as often (p99 4.5–6.3 ms), for a heap that peaks at
// about four times the live one.
const questionsGOGC = 300

// TuneForQuestions sets the collector for a process that answers
// questions, unless the process has a setting of its own (GOMEMLIMIT, or
// a GOGC other than Go's default), and returns a function that restores
// the previous one.
func TuneForQuestions() (restore func()) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return func() {}
	}
	gc := debug.SetGCPercent(questionsGOGC)
	if gc != 100 && gc != questionsGOGC {
		debug.SetGCPercent(gc)
		return func() {}
	}
	return func() { debug.SetGCPercent(gc) }
}
