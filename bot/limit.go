package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"attache/commands"
	"attache/index"
)

// Rate is a number of events allowed per period, such as 5 asks per 30
// seconds. The zero Rate allows everything.
type Rate struct {
	N   int
	Per time.Duration
}

// String writes r as ParseRate reads it.
func (r Rate) String() string {
	if r.N <= 0 {
		return "off"
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}

// ParseRate parses a rate written "N/duration", such as "5/30s" or
// "20/1m"; "off" and "0" mean no limit.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return Rate{}, nil
	}
	ns, per, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: want N/duration, such as 5/30s", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if err != nil || n < 1 || n > 1000 {
		return Rate{}, fmt.Errorf("rate %q: want a count from 1 to 1000 before the slash", s)
	}
	per = strings.TrimSpace(per)
	if per != "" && (per[0] < '0' || per[0] > '9') {
		per = "1" + per // "5/m" means 5 per minute
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 || d > 24*time.Hour {
		return Rate{}, fmt.Errorf("rate %q: want a period such as 30s or 1m after the slash", s)
	}
	return Rate{N: n, Per: d}, nil
}

// limiter is a per-user sliding-window rate limit: at most rate.N events
// in any rate.Per. It keeps the times of each user's recent events, and
// forgets users idle for a whole period, so its memory is bounded by the
// users active in the last period or two, and never above max users.
type limiter struct {
	rate Rate
	max  int
	now  func() time.Time

	mu        sync.Mutex
	users     map[string][]time.Time // oldest first, at most rate.N
	lastSweep time.Time
}

func newLimiter(rate Rate, max int, now func() time.Time) *limiter {
	return &limiter{rate: rate, max: max, now: now, users: make(map[string][]time.Time)}
}

// allow records an event for user and reports whether it is within the
// rate; when it is not, retry is when the user may try again.
func (l *limiter) allow(user string) (ok bool, retry time.Time) {
	if l.rate.N <= 0 {
		return true, time.Time{}
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.rate.Per || len(l.users) >= l.max {
		l.sweep(now)
	}
	times := l.users[user]
	// Drop the events that have left the window.
	cut := 0
	for cut < len(times) && !times[cut].After(now.Add(-l.rate.Per)) {
		cut++
	}
	times = times[cut:]
	if len(times) >= l.rate.N {
		l.users[user] = times
		return false, times[0].Add(l.rate.Per)
	}
	if len(l.users) >= l.max {
		if _, known := l.users[user]; !known {
			// Every slot holds a user active in this period: forget one.
			// It gets a fresh window, which errs on the side of letting
			// people ask.
			for u := range l.users {
				delete(l.users, u)
				break
			}
		}
	}
	if cap(times) < l.rate.N {
		times = append(make([]time.Time, 0, l.rate.N), times...)
	}
	l.users[user] = append(times, now)
	return true, time.Time{}
}

// sweep forgets the users whose events have all left the window.
func (l *limiter) sweep(now time.Time) {
	l.lastSweep = now
	for u, times := range l.users {
		if len(times) == 0 || !times[len(times)-1].After(now.Add(-l.rate.Per)) {
			delete(l.users, u)
		}
	}
}

// size is how many users the limiter remembers, for tests.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}

// gate is a semaphore on index calls, so that a burst of interactions
// cannot starve the process: a call waits at most wait for a slot.
type gate struct {
	slots chan struct{}
	wait  time.Duration
}

func newGate(n int, wait time.Duration) *gate {
	return &gate{slots: make(chan struct{}, n), wait: wait}
}

// enter takes a slot, waiting at most g.wait, and returns the function
// that gives it back. It returns ErrBusy when no slot came free in time,
// or ctx's error.
func (g *gate) enter(ctx context.Context) (func(), error) {
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrBusy
		}
		return nil, ctx.Err()
	}
}

// gatedIndex passes every index call through a gate.
type gatedIndex struct {
	idx  commands.Index
	gate *gate
}

func (g *gatedIndex) Search(ctx context.Context, q index.Query) ([]index.Answer, error) {
	leave, err := g.gate.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	return g.idx.Search(ctx, q)
}

func (g *gatedIndex) Articles(ctx context.Context, q index.ArticleQuery) ([]index.ArticleInfo, int, error) {
	leave, err := g.gate.enter(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer leave()
	return g.idx.Articles(ctx, q)
}

func (g *gatedIndex) Suggest(ctx context.Context, prefix string, limit int) ([]string, error) {
	leave, err := g.gate.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	return g.idx.Suggest(ctx, prefix, limit)
}

func (g *gatedIndex) Topic(ctx context.Context, topic string, since time.Time, maxArticles int) ([]index.Sentence, int, error) {
	leave, err := g.gate.enter(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer leave()
	return g.idx.Topic(ctx, topic, since, maxArticles)
}

func (g *gatedIndex) Stories(ctx context.Context, since time.Time, topic string) ([]index.Story, error) {
	leave, err := g.gate.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	return g.idx.Stories(ctx, since, topic)
}

// Started does not wait for the gate: it reads what the index holds in
// memory.
func (g *gatedIndex) Started() time.Time { return g.idx.Started() }
