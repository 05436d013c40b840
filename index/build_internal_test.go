package index

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneMemory(t *testing.T) {
	restore := tuneMemory()
	if gc := debug.SetGCPercent(-1); gc != buildGOGC {
		t.Errorf("GOGC during a build = %d, want %d", gc, buildGOGC)
	}
	if limit := debug.SetMemoryLimit(-1); limit < buildMemoryLimit || limit == math.MaxInt64 {
		t.Errorf("memory limit during a build = %d, want at least %d", limit, buildMemoryLimit)
	}
	restore()
	if gc := debug.SetGCPercent(100); gc != 100 {
		t.Errorf("GOGC after a build = %d, want 100 again", gc)
	}
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
		t.Errorf("memory limit after a build = %d, want none again", limit)
	}

	// A program's own settings are left alone.
	debug.SetGCPercent(50)
	defer debug.SetGCPercent(100)
	restore = tuneMemory()
	if gc := debug.SetGCPercent(-1); gc != 50 {
		t.Errorf("GOGC during a build = %d, want the program's 50", gc)
	}
	debug.SetGCPercent(50)
	restore()
}
