package lexicon

import (
	"runtime"
	"testing"
)

// BenchmarkLoad measures the first load, which sync.OnceValue hides from
// the package's callers and so from an outside test. It reports the memory
// that the loaded lexicon keeps live, besides what parsing allocates.
func BenchmarkLoad(b *testing.B) {
	var lx *lexicon
	for b.Loop() {
		var err error
		if lx, err = parse(data); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	lx = nil
	runtime.GC()
	runtime.ReadMemStats(&before)
	lx, _ = parse(data)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MiB")
	runtime.KeepAlive(lx)
}
