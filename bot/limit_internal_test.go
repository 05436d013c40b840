package bot

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// The limiter's memory is internal; these tests look inside.

func TestLimiterWindow(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	l := newLimiter(Rate{N: 3, Per: 30 * time.Second}, 100, func() time.Time { return now })
	for n := range 3 {
		if ok, _ := l.allow("u"); !ok {
			t.Fatalf("event %d refused", n+1)
		}
		now = now.Add(time.Second)
	}
	ok, retry := l.allow("u")
	if ok {
		t.Fatal("4th event within the window allowed")
	}
	if want := time.Unix(1_000_000, 0).Add(30 * time.Second); !retry.Equal(want) {
		t.Errorf("retry at %v, want %v (when the first event leaves the window)", retry, want)
	}
	if ok, _ := l.allow("v"); !ok {
		t.Error("another user is limited too")
	}
	now = time.Unix(1_000_000, 0).Add(30 * time.Second)
	if ok, _ := l.allow("u"); !ok {
		t.Error("refused after the first event left the window")
	}
}

func TestLimiterBounded(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	l := newLimiter(Rate{N: 2, Per: time.Minute}, 50, func() time.Time { return now })
	for n := range 1000 {
		l.allow(fmt.Sprint("user", n))
		now = now.Add(10 * time.Millisecond)
	}
	if n := l.size(); n > 50 {
		t.Errorf("limiter holds %d users, bound is 50", n)
	}
	// Users idle for a whole period are forgotten.
	now = now.Add(2 * time.Minute)
	l.allow("late")
	if n := l.size(); n != 1 {
		t.Errorf("limiter holds %d users after everyone went idle, want 1", n)
	}
}

func TestGate(t *testing.T) {
	g := newGate(2, 50*time.Millisecond)
	leave1, err1 := g.enter(context.Background())
	leave2, err2 := g.enter(context.Background())
	if err1 != nil || err2 != nil {
		t.Fatalf("enter: %v %v", err1, err2)
	}
	start := time.Now()
	if _, err := g.enter(context.Background()); !errors.Is(err, ErrBusy) {
		t.Fatalf("third enter: %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("gave up after %v, want to wait 50ms first", waited)
	}
	leave1()
	leave3, err := g.enter(context.Background())
	if err != nil {
		t.Fatalf("enter after a slot came free: %v", err)
	}
	leave2()
	leave3()
}
