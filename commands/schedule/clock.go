package schedule

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Clock is where the scheduler reads the time and waits for it.
type Clock interface {
	Now() time.Time
	// NewTimer returns a timer that fires once, after d.
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer made by a Clock.
type Timer interface {
	// C returns the channel the time is sent on when the timer fires.
	C() <-chan time.Time
	// Stop prevents the timer from firing and reports whether it stopped
	// it (false when it had already fired or been stopped).
	Stop() bool
}

// SystemClock is the Clock of the operating system.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer returns a timer backed by time.NewTimer.
func (SystemClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time { return t.t.C }
func (t systemTimer) Stop() bool          { return t.t.Stop() }

// FakeClock is a Clock for tests: its time moves only when Advance or Set
// is called, and timers fire then, in the order of their deadlines, before
// Advance or Set returns. BlockUntil lets a test wait until the code under
// test is waiting on a timer, so that moving the clock does not race with it.
// A FakeClock is safe for concurrent use.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	// changed is closed, and replaced, whenever timers changes.
	changed chan struct{}
}

// NewFakeClock returns a FakeClock that reads now until it is moved.
func NewFakeClock(now time.Time) *FakeClock {
	return &FakeClock{now: now, changed: make(chan struct{})}
}

// Now returns the fake time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer that fires when the fake time reaches Now()+d;
// at once when d <= 0.
func (c *FakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clock: c, at: c.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	c.notifyLocked()
	return t
}

// Advance moves the fake time forward by d and fires the timers that are
// due by then.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(c.now.Add(d))
}

// Set moves the fake time to t and fires the timers that are due by then.
// Moving it backwards fires nothing.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(t)
}

func (c *FakeClock) setLocked(t time.Time) {
	c.now = t
	slices.SortStableFunc(c.timers, func(a, b *fakeTimer) int { return a.at.Compare(b.at) })
	n := 0
	for n < len(c.timers) && !c.timers[n].at.After(t) {
		// Buffered and sent to once, so this never blocks.
		c.timers[n].c <- t
		n++
	}
	if n > 0 {
		c.timers = slices.Delete(c.timers, 0, n)
		c.notifyLocked()
	}
}

// Waiters returns the number of timers that have not fired or been stopped.
func (c *FakeClock) Waiters() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// BlockUntil waits until at least n timers are waiting to fire, or ctx is
// done, in which case it returns ctx's error.
func (c *FakeClock) BlockUntil(ctx context.Context, n int) error {
	return c.blockUntil(ctx, func() bool { return len(c.timers) >= n })
}

// BlockUntilDeadline waits until a timer is waiting to fire at or before
// t, or ctx is done, in which case it returns ctx's error. It tells a test
// that the code under test has planned to wake by t, e.g. after a change
// that a timer set earlier knows nothing of.
func (c *FakeClock) BlockUntilDeadline(ctx context.Context, t time.Time) error {
	return c.blockUntil(ctx, func() bool {
		return slices.ContainsFunc(c.timers, func(ft *fakeTimer) bool { return !ft.at.After(t) })
	})
}

// blockUntil waits until ok, called with c.mu held, is true.
func (c *FakeClock) blockUntil(ctx context.Context, ok func() bool) error {
	for {
		c.mu.Lock()
		done, changed := ok(), c.changed
		c.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *FakeClock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

type fakeTimer struct {
	clock *FakeClock
	at    time.Time
	c     chan time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.Index(c.timers, t)
	if i < 0 {
		return false
	}
	c.timers = slices.Delete(c.timers, i, i+1)
	c.notifyLocked()
	return true
}
