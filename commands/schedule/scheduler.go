package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Poster sends digests; the bot implements it with Discord.
type Poster interface {
	// Post sends digest d for slot, covering news since since, and returns
	// the state to save with the post (see Digest.Stories). Each message
	// should carry d.ID and slot.ID (e.g. in an embed footer) so that
	// Posted can find it. When d.Pending is slot.ID, an earlier try may
	// have sent some of the messages before it failed or the bot stopped:
	// Post should send only the others.
	Post(ctx context.Context, d Digest, slot Slot, since time.Time) (stories []byte, err error)
	// Posted reports whether digest d was already sent in full for slot,
	// e.g. by looking for the slot's ID among the channel's recent
	// messages; a post sent in part is not. It is asked only when a post
	// may have been sent but not recorded.
	Posted(ctx context.Context, d Digest, slot Slot) (bool, error)
}

// Config holds a Scheduler's settings; zero fields take the defaults.
type Config struct {
	// Clock defaults to SystemClock.
	Clock Clock
	// Grace is how late a slot may still be posted, e.g. after the bot was
	// down; a slot later than that is skipped. Default 6h.
	Grace time.Duration
	// Retries is how many times a failed post is tried again, within Grace.
	// Default 3; negative means none.
	Retries int
	// Backoff is the wait before the first retry; it doubles with each
	// retry. Default 1m.
	Backoff time.Duration
	// Logger defaults to one that discards.
	Logger *slog.Logger
}

const (
	defaultGrace   = 6 * time.Hour
	defaultRetries = 3
	defaultBackoff = time.Minute
	// maxSleep bounds how long the loop sleeps without looking again, so a
	// clock that jumps (e.g. after the host was suspended) is noticed.
	maxSleep = time.Hour
)

// Scheduler posts each digest's slots on time, once.
type Scheduler struct {
	store   *Store
	poster  Poster
	clock   Clock
	grace   time.Duration
	retries int
	backoff time.Duration
	log     *slog.Logger
	reload  chan struct{}

	// failures holds the digests whose last try failed, by digest ID. Only
	// Run's goroutine touches it.
	failures map[string]failure
}

type failure struct {
	slot     string
	attempts int
	retryAt  time.Time
}

// New returns a Scheduler that posts the digests in store through poster.
func New(store *Store, poster Poster, cfg Config) *Scheduler {
	s := &Scheduler{
		store:    store,
		poster:   poster,
		clock:    cfg.Clock,
		grace:    cfg.Grace,
		retries:  cfg.Retries,
		backoff:  cfg.Backoff,
		log:      cfg.Logger,
		reload:   make(chan struct{}, 1),
		failures: make(map[string]failure),
	}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.grace <= 0 {
		s.grace = defaultGrace
	}
	switch {
	case s.retries == 0:
		s.retries = defaultRetries
	case s.retries < 0:
		s.retries = 0
	}
	if s.backoff <= 0 {
		s.backoff = defaultBackoff
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("component", "schedule")
	return s
}

// Reload makes Run read the digests from the store again; call it after
// adding or removing one. It does not block.
func (s *Scheduler) Reload() {
	select {
	case s.reload <- struct{}{}:
	default: // a reload is already due
	}
}

// Run posts digests as their slots come due until ctx is done, then
// returns nil. A slot already late when Run starts (the bot was down) is
// posted if it is less than Grace late and skipped otherwise. Run must not
// be called again before it returns.
func (s *Scheduler) Run(ctx context.Context) error {
	s.log.Info("scheduler started", "grace", s.grace)
	defer s.log.Info("scheduler stopped")
	var agenda *Agenda
	for {
		if agenda == nil {
			digests, err := s.store.All(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				s.log.Error("load digests", "err", err)
				if _, ok := s.sleep(ctx, s.backoff); !ok {
					return nil
				}
				continue
			}
			agenda = NewAgenda(digests)
			for id, f := range s.failures {
				if !agenda.Defer(id, f.retryAt) {
					delete(s.failures, id)
				}
			}
			s.log.Debug("digests loaded", "count", agenda.Len())
		}

		now := s.clock.Now()
		jobs := agenda.Due(now)
		for _, j := range jobs {
			s.handle(ctx, agenda, j)
			if ctx.Err() != nil {
				return nil
			}
		}
		if len(jobs) > 0 {
			// Handling took time; look again before sleeping.
			continue
		}

		wait := maxSleep
		if next := agenda.Next(); !next.IsZero() {
			wait = min(wait, next.Sub(now))
			s.log.Debug("waiting", "next", next, "wait", wait)
		}
		reload, ok := s.sleep(ctx, wait)
		if !ok {
			return nil
		}
		if reload {
			agenda = nil
		}
	}
}

// sleep waits for d to pass or for Reload. It reports whether Reload woke
// it, and false for ok when ctx is done.
func (s *Scheduler) sleep(ctx context.Context, d time.Duration) (reload, ok bool) {
	t := s.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false, false
	case <-s.reload:
		return true, true
	case <-t.C():
		return false, true
	}
}

// handle posts or skips one due slot and puts the digest back on the
// agenda, due at its next slot or at a retry.
func (s *Scheduler) handle(ctx context.Context, a *Agenda, j Job) {
	slot := j.Slot
	log := s.log.With("digest", j.Digest.ID, "guild", j.Digest.GuildID, "channel", j.Digest.ChannelID, "slot", slot.ID)

	// Read the digest again: it may have been removed or handled since the
	// agenda was loaded, and Pending must be current.
	d, err := s.store.Get(ctx, j.Digest.ID)
	if err != nil {
		s.failed(ctx, a, j.Digest, slot, log, err)
		return
	}
	if d.LastSlot >= slot.ID {
		a.Put(d)
		return
	}
	if j.Missed > 0 {
		log.Warn("earlier slots missed; posting only the latest", "missed", j.Missed)
	}

	if d.Pending == slot.ID {
		// A post was started and not recorded: the bot stopped or the post
		// failed midway. Ask before posting again.
		posted, err := s.poster.Posted(ctx, d, slot)
		if err != nil {
			s.failed(ctx, a, d, slot, log, fmt.Errorf("check whether posted: %w", err))
			return
		}
		if posted {
			at := d.PendingAt
			if at.IsZero() {
				at = s.clock.Now()
			}
			if err := s.store.MarkPosted(context.WithoutCancel(ctx), d.ID, slot.ID, at, nil); err != nil {
				s.failed(ctx, a, d, slot, log, err)
				return
			}
			log.Info("digest found already posted; recorded it")
			s.done(a, d, slot)
			return
		}
	}

	if late := s.clock.Now().Sub(slot.At); late >= s.grace {
		log.Warn("slot missed by more than the grace period; skipping", "late", late.Round(time.Second), "grace", s.grace)
		s.skip(ctx, a, d, slot, log)
		return
	}

	if err := s.store.MarkPending(ctx, d.ID, slot.ID); err != nil {
		s.failed(ctx, a, d, slot, log, err)
		return
	}
	since := d.LastPostedAt
	if since.IsZero() {
		since = d.CreatedAt
	}
	// d is as read before MarkPending: its Pending tells Post whether an
	// earlier try may have sent part of the post.
	stories, err := s.poster.Post(ctx, d, slot, since)
	if err != nil {
		// Pending stays set, so the next try asks Posted first.
		s.failed(ctx, a, d, slot, log, fmt.Errorf("post: %w", err))
		return
	}
	// The post was sent: record it even if we are shutting down, or the
	// next start would have to ask Posted.
	if err := s.store.MarkPosted(context.WithoutCancel(ctx), d.ID, slot.ID, s.clock.Now(), stories); err != nil {
		s.failed(ctx, a, d, slot, log, err)
		return
	}
	log.Info("digest posted", "late", s.clock.Now().Sub(slot.At).Round(time.Second))
	s.done(a, d, slot)
}

// done puts d back on the agenda after slot was recorded.
func (s *Scheduler) done(a *Agenda, d Digest, slot Slot) {
	delete(s.failures, d.ID)
	d.LastSlot, d.Pending, d.PendingAt = slot.ID, "", time.Time{}
	a.Put(d)
}

// failed schedules a retry of slot, or skips it when retries are used up
// or would land outside the grace period.
func (s *Scheduler) failed(ctx context.Context, a *Agenda, d Digest, slot Slot, log *slog.Logger, err error) {
	if errors.Is(err, ErrNotFound) {
		log.Info("digest removed; not posting")
		delete(s.failures, d.ID)
		return
	}
	if ctx.Err() != nil {
		// Shutting down: Pending, if set, makes the next start ask Posted.
		log.Info("stopped before the slot was recorded", "err", err)
		return
	}
	f := s.failures[d.ID]
	if f.slot != slot.ID {
		f = failure{slot: slot.ID}
	}
	f.attempts++
	now := s.clock.Now()
	delay := s.backoff << (f.attempts - 1)
	if f.attempts > s.retries || now.Add(delay).Sub(slot.At) >= s.grace {
		log.Error("digest failed; skipping slot", "err", err, "attempts", f.attempts)
		delete(s.failures, d.ID)
		s.skip(ctx, a, d, slot, log)
		return
	}
	log.Warn("digest failed; will retry", "err", err, "attempt", f.attempts, "retry_in", delay)
	f.retryAt = now.Add(delay)
	s.failures[d.ID] = f
	a.Put(d)
	a.Defer(d.ID, f.retryAt)
}

// skip records slot as skipped and puts d back on the agenda.
func (s *Scheduler) skip(ctx context.Context, a *Agenda, d Digest, slot Slot, log *slog.Logger) {
	err := s.store.MarkSkipped(context.WithoutCancel(ctx), d.ID, slot.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		delete(s.failures, d.ID)
	case err != nil:
		// The slot stays unhandled in the store; try to record it later.
		log.Error("record skipped slot", "err", err)
		a.Put(d)
		a.Defer(d.ID, s.clock.Now().Add(s.backoff))
	default:
		s.done(a, d, slot)
	}
}
