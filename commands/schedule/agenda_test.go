package schedule_test

import (
	"fmt"
	"testing"
	"time"

	"attache/commands/schedule"
)

func TestAgenda(t *testing.T) {
	created := mustTime(t, "2026-03-01T12:00:00Z")
	d1 := schedule.Digest{ID: "d1", Spec: mustParseSpec(t, "07:30", "UTC", ""), CreatedAt: created}
	d2 := schedule.Digest{ID: "d2", Spec: mustParseSpec(t, "07:00", "UTC", ""), CreatedAt: created}
	d3 := schedule.Digest{ID: "d3", Spec: mustParseSpec(t, "07:30", "UTC", ""), CreatedAt: created, LastSlot: "2026-03-02"}
	none := schedule.Digest{ID: "d4", CreatedAt: created} // zero Spec: never due
	a := schedule.NewAgenda([]schedule.Digest{d1, d2, d3, none})

	if got := a.Len(); got != 3 {
		t.Fatalf("Len()=%d, want 3 (the zero Spec is not held)", got)
	}
	if got, want := a.Next(), mustTime(t, "2026-03-02T07:00:00Z"); !got.Equal(want) {
		t.Fatalf("Next()=%s, want %s", got, want)
	}
	if jobs := a.Due(mustTime(t, "2026-03-02T06:59:59Z")); len(jobs) != 0 {
		t.Fatalf("Due before any slot=%v, want none", jobs)
	}

	jobs := a.Due(mustTime(t, "2026-03-02T07:30:00Z"))
	var got []string
	for _, j := range jobs {
		got = append(got, j.Digest.ID+"@"+j.Slot.ID)
	}
	if want := "[d2@2026-03-02 d1@2026-03-02]"; fmt.Sprint(got) != want {
		t.Fatalf("Due=%v, want %s", got, want)
	}
	if got, want := a.Next(), mustTime(t, "2026-03-03T07:30:00Z"); !got.Equal(want) {
		t.Fatalf("Next() after Due=%s, want d3's %s", got, want)
	}

	// Put back as handled; defer one.
	d1.LastSlot, d2.LastSlot = "2026-03-02", "2026-03-02"
	a.Put(d1)
	a.Put(d2)
	if !a.Defer("d2", mustTime(t, "2026-03-03T09:00:00Z")) {
		t.Fatal("Defer of a held digest reported false")
	}
	if a.Defer("d9", time.Now()) {
		t.Fatal("Defer of an unknown digest reported true")
	}
	a.Remove("d3")

	// Three days later: one job each, for the latest slot, the earlier
	// ones counted as missed; d2 is not due before 09:00 on the 3rd.
	jobs = a.Due(mustTime(t, "2026-03-05T08:00:00Z"))
	if len(jobs) != 2 {
		t.Fatalf("Due=%+v, want d1 and d2", jobs)
	}
	for _, j := range jobs {
		if j.Slot.ID != "2026-03-05" || j.Missed != 2 {
			t.Errorf("job %s: slot %s missed %d, want 2026-03-05 missed 2", j.Digest.ID, j.Slot.ID, j.Missed)
		}
	}
	if a.Len() != 0 || !a.Next().IsZero() {
		t.Fatalf("after Due: Len()=%d Next()=%s, want an empty agenda", a.Len(), a.Next())
	}
}

// benchDigests returns n digests spread over zones, times and days, as
// 1,000 channels might have them.
func benchDigests(tb testing.TB, n int, created time.Time) []schedule.Digest {
	tb.Helper()
	zones := []string{"UTC", "Europe/London", "Europe/Paris", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "Africa/Nairobi", "America/Sao_Paulo"}
	days := []string{"daily", "weekdays", "weekends", "mon,wed,fri"}
	out := make([]schedule.Digest, n)
	for i := range out {
		minute := i * 1440 / n // spread over the day
		spec := mustParseSpec(tb, fmt.Sprintf("%02d:%02d", minute/60, minute%60), zones[i%len(zones)], days[i%len(days)])
		out[i] = schedule.Digest{ID: fmt.Sprint("d", i+1), GuildID: fmt.Sprint("g", i/25), ChannelID: fmt.Sprint("c", i), Spec: spec, CreatedAt: created}
	}
	return out
}

// BenchmarkAgendaDay measures the scheduler's idle cost: loading 1,000
// digests and finding every due set over the next 24 hours, with each
// digest put back after its slot as the scheduler does. The budget is 50ms
// an op.
func BenchmarkAgendaDay(b *testing.B) {
	start := mustTime(b, "2026-03-27T00:00:00Z") // across London's and Paris's spring forward
	end := start.Add(24 * time.Hour)
	digests := benchDigests(b, 1000, start)
	var jobs, wakes int
	for b.Loop() {
		jobs, wakes = 0, 0
		a := schedule.NewAgenda(digests)
		for now := a.Next(); !now.After(end); now = a.Next() {
			wakes++
			for _, j := range a.Due(now) {
				jobs++
				j.Digest.LastSlot = j.Slot.ID
				a.Put(j.Digest)
			}
		}
	}
	b.ReportMetric(float64(jobs), "slots/op")
	b.ReportMetric(float64(wakes), "wakes/op")
}

// BenchmarkSpecNext measures one slot computation in a zone with DST.
func BenchmarkSpecNext(b *testing.B) {
	s := mustParseSpec(b, "02:30", "America/New_York", "weekdays")
	after := mustTime(b, "2026-03-06T12:00:00Z")
	for b.Loop() {
		_ = s.Next(after)
	}
}
