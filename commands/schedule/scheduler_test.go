package schedule_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/commands/schedule"
)

// waitFor bounds every wait on the scheduler's goroutine.
const waitFor = 5 * time.Second

// send is one digest the fake poster sent.
type send struct {
	Digest, Slot string
	At, Since    time.Time
}

// fakePoster records what it sends and answers Posted from that record, as
// the bot does by reading the channel's recent messages.
type fakePoster struct {
	clock *schedule.FakeClock

	mu       sync.Mutex
	sends    []send
	attempts map[string]int // Post calls by digest ID
	asked    int            // Posted calls
	// fail maps a digest ID to how many of its next posts fail unsent.
	fail map[string]int
	// beforeSend and afterSend, when set, run around recording a send; an
	// error from either is returned by Post (afterSend: after sending).
	beforeSend, afterSend func() error
}

func newFakePoster(clock *schedule.FakeClock) *fakePoster {
	return &fakePoster{clock: clock, attempts: map[string]int{}, fail: map[string]int{}}
}

func (p *fakePoster) Post(ctx context.Context, d schedule.Digest, slot schedule.Slot, since time.Time) ([]byte, error) {
	p.mu.Lock()
	p.attempts[d.ID]++
	if p.fail[d.ID] > 0 {
		p.fail[d.ID]--
		p.mu.Unlock()
		return nil, errors.New("discord: 503 Service Unavailable")
	}
	before, after := p.beforeSend, p.afterSend
	p.mu.Unlock()
	if before != nil {
		if err := before(); err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	p.sends = append(p.sends, send{Digest: d.ID, Slot: slot.ID, At: p.clock.Now(), Since: since})
	p.mu.Unlock()
	if after != nil {
		if err := after(); err != nil {
			return nil, err
		}
	}
	return []byte("stories of " + slot.ID), nil
}

func (p *fakePoster) Posted(ctx context.Context, d schedule.Digest, slot schedule.Slot) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked++
	return p.count(d.ID, slot.ID) > 0, nil
}

func (p *fakePoster) setHooks(before, after func() error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.beforeSend, p.afterSend = before, after
}

// count returns how many times digest was sent for slot; p.mu is held.
func (p *fakePoster) count(digest, slot string) int {
	n := 0
	for _, s := range p.sends {
		if s.Digest == digest && s.Slot == slot {
			n++
		}
	}
	return n
}

func (p *fakePoster) Sends() []send {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.sends)
}

func (p *fakePoster) Count(digest, slot string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count(digest, slot)
}

func (p *fakePoster) Attempts(digest string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts[digest]
}

func (p *fakePoster) Asked() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.asked
}

// logBuffer keeps what the scheduler logs, for tests that look for a line.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runner is a Scheduler running in a goroutine.
type runner struct {
	sched    *schedule.Scheduler
	cancel   context.CancelFunc
	finished chan struct{} // closed when Run returns
	err      error         // what Run returned, once finished is closed
	logs     *logBuffer
}

// startScheduler runs a Scheduler on the fake clock until the test ends
// or the runner is stopped.
func startScheduler(tb testing.TB, store *schedule.Store, p *fakePoster, clock *schedule.FakeClock, cfg schedule.Config) *runner {
	tb.Helper()
	r := &runner{finished: make(chan struct{}), logs: &logBuffer{}}
	cfg.Clock = clock
	cfg.Logger = slog.New(slog.NewTextHandler(io.MultiWriter(r.logs, tb.Output()), &slog.HandlerOptions{Level: slog.LevelDebug}))
	r.sched = schedule.New(store, p, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		defer close(r.finished)
		r.err = r.sched.Run(ctx)
	}()
	tb.Cleanup(func() {
		r.cancel()
		if err := r.wait(); err != nil {
			tb.Error(err)
		}
	})
	return r
}

// wait waits for Run to return, e.g. after the poster cancelled it, and
// checks that it returned nil.
func (r *runner) wait() error {
	select {
	case <-r.finished:
		if r.err != nil {
			return fmt.Errorf("Run returned %v, want nil", r.err)
		}
		return nil
	case <-time.After(waitFor):
		return errors.New("Run did not return after its context was cancelled")
	}
}

// waitIdle waits until the scheduler sleeps on a timer, that is, until it
// has handled everything due at the clock's time.
func waitIdle(tb testing.TB, clock *schedule.FakeClock) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := clock.BlockUntil(ctx, 1); err != nil {
		tb.Fatalf("scheduler did not go idle at %s: %v", clock.Now().Format(time.RFC3339), err)
	}
}

// advanceTo moves the clock to end in steps, letting the scheduler go idle
// before each, so every timer fires at its own time.
func advanceTo(tb testing.TB, clock *schedule.FakeClock, end time.Time, step time.Duration) {
	tb.Helper()
	for {
		waitIdle(tb, clock)
		now := clock.Now()
		if !now.Before(end) {
			return
		}
		clock.Advance(min(step, end.Sub(now)))
	}
}

func mustGet(tb testing.TB, s *schedule.Store, id string) schedule.Digest {
	tb.Helper()
	d, err := s.Get(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestSchedulerDST(t *testing.T) {
	type post struct{ slot, at string }
	tests := []struct {
		name             string
		hhmm, zone, days string
		from, to         string
		want             []post
	}{
		{
			name: "New York spring forward: 02:30 runs at 03:00, once",
			hhmm: "02:30", zone: "America/New_York",
			from: "2026-03-07T00:00:00Z", to: "2026-03-10T00:00:00Z",
			want: []post{{"2026-03-07", "2026-03-07T07:30:00Z"}, {"2026-03-08", "2026-03-08T07:00:00Z"}, {"2026-03-09", "2026-03-09T06:30:00Z"}},
		},
		{
			name: "New York fall back: 01:30 runs at its first occurrence, once",
			hhmm: "01:30", zone: "America/New_York",
			from: "2026-10-31T00:00:00Z", to: "2026-11-03T00:00:00Z",
			want: []post{{"2026-10-31", "2026-10-31T05:30:00Z"}, {"2026-11-01", "2026-11-01T05:30:00Z"}, {"2026-11-02", "2026-11-02T06:30:00Z"}},
		},
		{
			name: "London spring forward: 01:30 runs at 02:00, once",
			hhmm: "01:30", zone: "Europe/London",
			from: "2026-03-28T00:00:00Z", to: "2026-03-31T00:00:00Z",
			want: []post{{"2026-03-28", "2026-03-28T01:30:00Z"}, {"2026-03-29", "2026-03-29T01:00:00Z"}, {"2026-03-30", "2026-03-30T00:30:00Z"}},
		},
		{
			name: "London fall back: 01:30 runs at its first occurrence, once",
			hhmm: "01:30", zone: "Europe/London",
			from: "2026-10-24T00:00:00Z", to: "2026-10-27T00:00:00Z",
			want: []post{{"2026-10-24", "2026-10-24T00:30:00Z"}, {"2026-10-25", "2026-10-25T00:30:00Z"}, {"2026-10-26", "2026-10-26T01:30:00Z"}},
		},
		{
			name: "weekdays: Friday, then Monday",
			hhmm: "09:00", zone: "Europe/Paris", days: "weekdays",
			from: "2026-03-06T00:00:00Z", to: "2026-03-10T00:00:00Z",
			want: []post{{"2026-03-06", "2026-03-06T08:00:00Z"}, {"2026-03-09", "2026-03-09T08:00:00Z"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := mustTime(t, tt.from)
			clock := schedule.NewFakeClock(from)
			store := mustOpenStore(t, "")
			d := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, tt.hhmm, tt.zone, tt.days), CreatedAt: from})
			p := newFakePoster(clock)
			startScheduler(t, store, p, clock, schedule.Config{})

			advanceTo(t, clock, mustTime(t, tt.to), 5*time.Minute)

			sends := p.Sends()
			if len(sends) != len(tt.want) {
				t.Fatalf("sent %d digests, want %d: %+v", len(sends), len(tt.want), sends)
			}
			since := from
			for i, want := range tt.want {
				got := sends[i]
				if got.Slot != want.slot || !got.At.Equal(mustTime(t, want.at)) {
					t.Errorf("send %d: slot %s at %s, want slot %s at %s", i, got.Slot, got.At.Format(time.RFC3339), want.slot, want.at)
				}
				if !got.Since.Equal(since) {
					t.Errorf("send %d: since=%s, want %s", i, got.Since.Format(time.RFC3339), since.Format(time.RFC3339))
				}
				since = got.At
			}
			stored := mustGet(t, store, d.ID)
			if last := tt.want[len(tt.want)-1]; stored.LastSlot != last.slot || !stored.LastPostedAt.Equal(mustTime(t, last.at)) {
				t.Errorf("stored LastSlot=%q LastPostedAt=%s, want %q at %s", stored.LastSlot, stored.LastPostedAt, last.slot, last.at)
			}
			if want := "stories of " + tt.want[len(tt.want)-1].slot; string(stored.Stories) != want {
				t.Errorf("stored Stories=%q, want %q", stored.Stories, want)
			}
		})
	}
}

func TestSchedulerMissedOnStart(t *testing.T) {
	created := mustTime(t, "2026-02-20T00:00:00Z")
	tests := []struct {
		name      string
		lastSlot  string
		start     string
		grace     time.Duration
		wantSent  bool // the 2026-03-02 slot, on start
		wantLog   string
		wantSince time.Time
	}{
		{"inside grace", "2026-03-01", "2026-03-02T09:30:00Z", 0, true, "digest posted", created},
		{"just inside grace", "2026-03-01", "2026-03-02T13:29:59Z", 0, true, "digest posted", created},
		{"at grace", "2026-03-01", "2026-03-02T13:30:00Z", 0, false, "slot missed by more than the grace period; skipping", time.Time{}},
		{"outside grace", "2026-03-01", "2026-03-02T20:00:00Z", 0, false, "slot missed by more than the grace period; skipping", time.Time{}},
		{"outside a shorter grace", "2026-03-01", "2026-03-02T09:00:00Z", time.Hour, false, "skipping", time.Time{}},
		{"days missed, latest inside grace", "2026-02-25", "2026-03-02T08:00:00Z", 0, true, "earlier slots missed; posting only the latest", created},
		{"days missed, latest outside grace", "2026-02-25", "2026-03-02T20:00:00Z", 0, false, "skipping", time.Time{}},
		{"never posted, created days ago", "", "2026-03-02T08:00:00Z", 0, true, "missed=10", created},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := mustTime(t, tt.start)
			clock := schedule.NewFakeClock(start)
			store := mustOpenStore(t, "")
			d := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, "07:30", "UTC", ""), CreatedAt: created, LastSlot: tt.lastSlot})
			p := newFakePoster(clock)
			r := startScheduler(t, store, p, clock, schedule.Config{Grace: tt.grace})
			waitIdle(t, clock)

			wantSends := 0
			if tt.wantSent {
				wantSends = 1
			}
			if got := len(p.Sends()); got != wantSends {
				t.Fatalf("sent %d digests on start, want %d: %+v", got, wantSends, p.Sends())
			}
			if tt.wantSent {
				if s := p.Sends()[0]; s.Slot != "2026-03-02" || !s.At.Equal(start) || !s.Since.Equal(tt.wantSince) {
					t.Fatalf("sent %+v, want slot 2026-03-02 at %s since %s", s, start, tt.wantSince)
				}
			}
			stored := mustGet(t, store, d.ID)
			if stored.LastSlot != "2026-03-02" || stored.Pending != "" {
				t.Fatalf("stored LastSlot=%q Pending=%q, want 2026-03-02 and none", stored.LastSlot, stored.Pending)
			}
			if stored.LastPostedAt.IsZero() == tt.wantSent {
				t.Fatalf("stored LastPostedAt=%s, want it set: %v", stored.LastPostedAt, tt.wantSent)
			}
			if !strings.Contains(r.logs.String(), tt.wantLog) {
				t.Fatalf("logs do not mention %q:\n%s", tt.wantLog, r.logs)
			}

			// The next day goes on as usual.
			advanceTo(t, clock, mustTime(t, "2026-03-03T08:00:00Z"), 10*time.Minute)
			if got := p.Count(d.ID, "2026-03-03"); got != 1 {
				t.Fatalf("sent slot 2026-03-03 %d times, want 1", got)
			}
			if got := len(p.Sends()); got != wantSends+1 {
				t.Fatalf("sent %d digests in all, want %d", got, wantSends+1)
			}
		})
	}
}

func TestSchedulerTwoDigestsOneChannel(t *testing.T) {
	start := mustTime(t, "2026-03-02T00:00:00Z")
	clock := schedule.NewFakeClock(start)
	store := mustOpenStore(t, "")
	same := mustParseSpec(t, "07:30", "UTC", "")
	d1 := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: same, Topic: "Ukraine", CreatedAt: start})
	d2 := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: same, Topic: "Sudan", CreatedAt: start})
	d3 := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, "18:00", "Europe/Paris", ""), CreatedAt: start})
	p := newFakePoster(clock)
	startScheduler(t, store, p, clock, schedule.Config{})

	advanceTo(t, clock, mustTime(t, "2026-03-04T00:00:00Z"), 15*time.Minute)

	for _, d := range []schedule.Digest{d1, d2, d3} {
		for _, slot := range []string{"2026-03-02", "2026-03-03"} {
			if got := p.Count(d.ID, slot); got != 1 {
				t.Errorf("digest %s slot %s sent %d times, want 1", d.ID, slot, got)
			}
		}
		if got := mustGet(t, store, d.ID).LastSlot; got != "2026-03-03" {
			t.Errorf("digest %s LastSlot=%q, want 2026-03-03", d.ID, got)
		}
	}
	if got := len(p.Sends()); got != 6 {
		t.Fatalf("sent %d digests, want 6: %+v", got, p.Sends())
	}
}

func TestSchedulerRetry(t *testing.T) {
	slotAt := mustTime(t, "2026-03-02T07:30:00Z")
	tests := []struct {
		name         string
		fail         int // posts of d1 that fail
		grace        time.Duration
		wantAttempts int
		wantSentAt   time.Time // zero: skipped
		wantLog      string
	}{
		{"recovers on the third try", 2, 0, 3, slotAt.Add(3 * time.Minute), "digest failed; will retry"},
		{"skipped after the retries", 100, 0, 4, time.Time{}, "digest failed; skipping slot"},
		{"skipped when a retry would be past grace", 100, 2 * time.Minute, 2, time.Time{}, "digest failed; skipping slot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := schedule.NewFakeClock(slotAt.Add(-time.Hour))
			store := mustOpenStore(t, "")
			spec := mustParseSpec(t, "07:30", "UTC", "")
			d1 := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: spec, CreatedAt: clock.Now()})
			d2 := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: spec, CreatedAt: clock.Now()})
			p := newFakePoster(clock)
			p.fail[d1.ID] = tt.fail
			r := startScheduler(t, store, p, clock, schedule.Config{Grace: tt.grace, Retries: 3, Backoff: time.Minute})

			advanceTo(t, clock, slotAt.Add(30*time.Minute), 30*time.Second)

			if got := p.Attempts(d1.ID); got != tt.wantAttempts {
				t.Errorf("Post called %d times for %s, want %d", got, d1.ID, tt.wantAttempts)
			}
			sends := p.Sends()
			var d1Sends []send
			for _, s := range sends {
				if s.Digest == d1.ID {
					d1Sends = append(d1Sends, s)
				}
			}
			switch {
			case tt.wantSentAt.IsZero() && len(d1Sends) != 0:
				t.Errorf("sent %s %+v, want it skipped", d1.ID, d1Sends)
			case !tt.wantSentAt.IsZero() && (len(d1Sends) != 1 || !d1Sends[0].At.Equal(tt.wantSentAt)):
				t.Errorf("sent %s %+v, want once at %s", d1.ID, d1Sends, tt.wantSentAt)
			}
			// A retry first asks whether the failed try got through.
			if got, want := p.Asked(), tt.wantAttempts-1; got != want {
				t.Errorf("Posted asked %d times, want %d", got, want)
			}
			stored := mustGet(t, store, d1.ID)
			if stored.LastSlot != "2026-03-02" || stored.Pending != "" {
				t.Errorf("stored LastSlot=%q Pending=%q, want 2026-03-02 and none", stored.LastSlot, stored.Pending)
			}
			if !stored.LastPostedAt.Equal(tt.wantSentAt) {
				t.Errorf("stored LastPostedAt=%s, want %s", stored.LastPostedAt, tt.wantSentAt)
			}
			// The other digest in the channel is not held up.
			if got := p.Count(d2.ID, "2026-03-02"); got != 1 || !mustGet(t, store, d2.ID).LastPostedAt.Equal(slotAt) {
				t.Errorf("digest %s sent %d times, want once at %s", d2.ID, got, slotAt)
			}
			if !strings.Contains(r.logs.String(), tt.wantLog) {
				t.Errorf("logs do not mention %q:\n%s", tt.wantLog, r.logs)
			}
		})
	}
}

// TestSchedulerRestart stops the bot in the middle of a post, then starts a
// new Scheduler on the reopened store: each slot is sent once in all.
func TestSchedulerRestart(t *testing.T) {
	slotAt := mustTime(t, "2026-03-02T07:30:00Z")
	tests := []struct {
		name       string
		sent       bool // whether the send got out before the stop
		recorded   bool // whether Post returned success as it stopped
		restart    time.Duration
		wantSends  int
		wantAsked  int
		wantPosted time.Time // LastPostedAt; zero: skipped
	}{
		{"sent, stopped before recording, back soon", true, false, 10 * time.Minute, 1, 1, slotAt},
		{"sent, stopped before recording, back after grace", true, false, 7 * time.Hour, 1, 1, slotAt},
		{"stopped before sending, back soon", false, false, 10 * time.Minute, 1, 1, slotAt.Add(10 * time.Minute)},
		{"stopped before sending, back after grace", false, false, 7 * time.Hour, 0, 1, time.Time{}},
		{"sent and recorded as it stopped", true, true, 10 * time.Minute, 1, 0, slotAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "digests.db")
			clock := schedule.NewFakeClock(slotAt.Add(-30 * time.Minute))
			store, err := schedule.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			store.Now = clock.Now
			d := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, "07:30", "UTC", ""), CreatedAt: clock.Now()})
			p := newFakePoster(clock)

			// First run: the poster stops the scheduler mid-post, as a
			// crash or shutdown would.
			r1 := startScheduler(t, store, p, clock, schedule.Config{})
			stop := func() error {
				r1.cancel()
				return context.Canceled
			}
			switch {
			case !tt.sent:
				p.setHooks(stop, nil)
			case tt.recorded:
				p.setHooks(nil, func() error { r1.cancel(); return nil })
			default:
				p.setHooks(nil, stop)
			}
			waitIdle(t, clock)
			clock.Set(slotAt)
			if err := r1.wait(); err != nil {
				t.Fatal(err)
			}
			stored := mustGet(t, store, d.ID)
			if tt.recorded {
				if stored.LastSlot != "2026-03-02" || stored.Pending != "" {
					t.Fatalf("after the first run: LastSlot=%q Pending=%q, want it recorded", stored.LastSlot, stored.Pending)
				}
			} else if stored.LastSlot != "" || stored.Pending != "2026-03-02" {
				t.Fatalf("after the first run: LastSlot=%q Pending=%q, want the slot pending", stored.LastSlot, stored.Pending)
			}
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}

			// Second run, later, on the reopened file.
			p.setHooks(nil, nil)
			clock.Advance(tt.restart)
			store = mustOpenStore(t, path)
			store.Now = clock.Now
			startScheduler(t, store, p, clock, schedule.Config{})
			waitIdle(t, clock)

			if got := p.Count(d.ID, "2026-03-02"); got != tt.wantSends {
				t.Errorf("slot sent %d times, want %d: %+v", got, tt.wantSends, p.Sends())
			}
			if got := p.Asked(); got != tt.wantAsked {
				t.Errorf("Posted asked %d times, want %d", got, tt.wantAsked)
			}
			stored = mustGet(t, store, d.ID)
			if stored.LastSlot != "2026-03-02" || stored.Pending != "" || !stored.LastPostedAt.Equal(tt.wantPosted) {
				t.Errorf("after the restart: LastSlot=%q Pending=%q LastPostedAt=%s, want 2026-03-02, none, %s", stored.LastSlot, stored.Pending, stored.LastPostedAt, tt.wantPosted)
			}

			// The next day is sent once, since the last post.
			advanceTo(t, clock, mustTime(t, "2026-03-03T08:00:00Z"), 15*time.Minute)
			if got := p.Count(d.ID, "2026-03-03"); got != 1 {
				t.Errorf("next slot sent %d times, want 1", got)
			}
			if got := p.Count(d.ID, "2026-03-02"); got != tt.wantSends {
				t.Errorf("slot sent %d times in all, want %d", got, tt.wantSends)
			}
		})
	}
}

func TestSchedulerReload(t *testing.T) {
	ctx := context.Background()
	start := mustTime(t, "2026-03-02T07:00:00Z")
	clock := schedule.NewFakeClock(start)
	store := mustOpenStore(t, "")
	store.Now = clock.Now
	p := newFakePoster(clock)
	r := startScheduler(t, store, p, clock, schedule.Config{})
	waitIdle(t, clock) // asleep for an hour: there is nothing to do

	// A digest added while it sleeps is posted on time once it is told.
	d1 := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, "07:05", "UTC", "")})
	d2 := mustAdd(t, store, schedule.Digest{GuildID: "g1", ChannelID: "c2", Spec: mustParseSpec(t, "07:10", "UTC", "")})
	r.sched.Reload()
	// Without Reload it would wake at 08:00, its hourly look.
	waitCtx, cancel := context.WithTimeout(ctx, waitFor)
	defer cancel()
	if err := clock.BlockUntilDeadline(waitCtx, mustTime(t, "2026-03-02T07:05:00Z")); err != nil {
		t.Fatalf("scheduler did not plan to wake at 07:05 after Reload: %v", err)
	}
	advanceTo(t, clock, mustTime(t, "2026-03-02T07:05:00Z"), time.Minute)
	if sends := p.Sends(); len(sends) != 1 || sends[0].Digest != d1.ID || !sends[0].At.Equal(mustTime(t, "2026-03-02T07:05:00Z")) {
		t.Fatalf("sent %+v, want %s at 07:05", sends, d1.ID)
	}

	// A removed digest is not posted, whether or not it was reloaded.
	if err := store.Remove(ctx, "g1", d2.ID); err != nil {
		t.Fatal(err)
	}
	advanceTo(t, clock, mustTime(t, "2026-03-02T07:30:00Z"), time.Minute)
	if err := store.Remove(ctx, "g1", d1.ID); err != nil {
		t.Fatal(err)
	}
	r.sched.Reload()
	advanceTo(t, clock, mustTime(t, "2026-03-03T08:00:00Z"), 10*time.Minute)
	if sends := p.Sends(); len(sends) != 1 {
		t.Fatalf("sent %+v, want only the first post", sends)
	}
}

func TestFakeClock(t *testing.T) {
	start := mustTime(t, "2026-03-02T07:00:00Z")
	c := schedule.NewFakeClock(start)
	t1 := c.NewTimer(2 * time.Minute)
	t2 := c.NewTimer(time.Minute)
	t3 := c.NewTimer(3 * time.Minute)
	if got := c.Waiters(); got != 3 {
		t.Fatalf("Waiters()=%d, want 3", got)
	}
	if !t3.Stop() || t3.Stop() {
		t.Fatal("Stop of a waiting timer: want true, then false")
	}

	c.Advance(90 * time.Second)
	select {
	case got := <-t2.C():
		if want := start.Add(90 * time.Second); !got.Equal(want) {
			t.Fatalf("timer sent %s, want %s", got, want)
		}
	default:
		t.Fatal("timer due after a minute did not fire")
	}
	select {
	case <-t1.C():
		t.Fatal("timer due after two minutes fired early")
	default:
	}
	c.Set(start.Add(time.Hour))
	select {
	case <-t1.C():
	default:
		t.Fatal("timer did not fire on Set")
	}
	if got := c.Waiters(); got != 0 {
		t.Fatalf("Waiters()=%d, want 0", got)
	}
	select {
	case <-c.NewTimer(0).C():
	default:
		t.Fatal("NewTimer(0) did not fire at once")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := c.BlockUntil(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("BlockUntil with no timers: err=%v, want DeadlineExceeded", err)
	}
	go c.NewTimer(time.Minute)
	if err := c.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
}
