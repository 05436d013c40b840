package feeds

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	bolt "go.etcd.io/bbolt"
)

const (
	// maxFailures is how many failed polls in a row pause a feed.
	maxFailures = 8
	// maxBackoff caps the wait after failures.
	maxBackoff = 24 * time.Hour
	// maxParallelPolls bounds the feeds fetched at once.
	maxParallelPolls = 4
	// pruneAfter is how long items are remembered once their feed no
	// longer carries them.
	pruneAfter = 60 * 24 * time.Hour
)

// PollStats summarises a round of polling.
type PollStats struct {
	Feeds       int // feeds polled
	NotModified int // feeds that had nothing new (HTTP 304)
	Failed      int // feeds whose poll failed
	Paused      int // feeds paused by this round
	New         int // articles written for the first time
	Updated     int // articles rewritten (new text or another source)
	Unchanged   int // items already stored as they are
	// Paths are the article files written.
	Paths []string
	// Errors holds one error for each failed feed, naming it.
	Errors []error
	Took   time.Duration
}

// PollAll polls every active feed once, now, whether due or not.
func (m *Manager) PollAll(ctx context.Context) (PollStats, error) {
	return m.pollWhere(ctx, func(*Feed) bool { return true })
}

// PollDue polls the active feeds whose next poll time has come. Run calls
// it in a loop; tests call it with a fake clock.
func (m *Manager) PollDue(ctx context.Context) (PollStats, error) {
	now := m.cfg.Now()
	return m.pollWhere(ctx, func(f *Feed) bool { return !f.NextPoll.After(now) })
}

// Run polls each feed on its own interval (±10% jitter), backing off
// exponentially after failures (interval·2ⁿ, at most 24 h) and pausing a
// feed after 8 failures in a row. It returns nil when ctx is cancelled.
func (m *Manager) Run(ctx context.Context) error {
	m.log.Info("feed polling started")
	defer m.log.Info("feed polling stopped")
	for {
		if _, err := m.PollDue(ctx); err != nil && ctx.Err() == nil {
			m.log.Error("poll feeds", "err", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		t := time.NewTimer(m.untilNextPoll(ctx))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-m.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// untilNextPoll is how long Run may sleep before a feed is due.
func (m *Manager) untilNextPoll(ctx context.Context) time.Duration {
	feeds, err := m.List(ctx)
	if err != nil {
		return time.Minute
	}
	now := m.cfg.Now()
	wait := m.cfg.Interval
	for _, f := range feeds {
		if !f.Paused() {
			wait = min(wait, f.NextPoll.Sub(now))
		}
	}
	// A feed still being polled by PollAll is due but skipped; do not spin.
	return max(wait, time.Second)
}

func (m *Manager) pollWhere(ctx context.Context, due func(*Feed) bool) (PollStats, error) {
	start := m.cfg.Now()
	feeds, err := m.List(ctx)
	if err != nil {
		return PollStats{}, err
	}
	var (
		stats PollStats
		mu    sync.Mutex
		wg    sync.WaitGroup
		sem   = make(chan struct{}, maxParallelPolls)
	)
	for _, f := range feeds {
		if f.Paused() || !due(&f) || !m.claim(f.ID) {
			continue
		}
		wg.Go(func() {
			defer m.release(f.ID)
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			r := m.pollFeed(ctx, f.ID)
			mu.Lock()
			stats.add(r)
			mu.Unlock()
		})
	}
	wg.Wait()
	stats.Took = m.cfg.Now().Sub(start)
	return stats, ctx.Err()
}

// claim marks the feed as being polled and reports whether it was free.
func (m *Manager) claim(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.polling[id] {
		return false
	}
	m.polling[id] = true
	return true
}

func (m *Manager) release(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.polling, id)
}

// feedResult is what polling one feed did.
type feedResult struct {
	polled, notModified, failed, paused bool
	ingest                              ingestStats
	err                                 error
}

func (s *PollStats) add(r feedResult) {
	if !r.polled {
		return
	}
	s.Feeds++
	if r.notModified {
		s.NotModified++
	}
	if r.failed {
		s.Failed++
		s.Errors = append(s.Errors, r.err)
	}
	if r.paused {
		s.Paused++
	}
	s.New += r.ingest.new
	s.Updated += r.ingest.updated
	s.Unchanged += r.ingest.unchanged
	s.Paths = append(s.Paths, r.ingest.paths...)
}

// pollFeed fetches one feed and stores its items. The feed's validators
// are recorded only after every item is stored, so an interrupted poll is
// redone in full rather than answered with 304.
func (m *Manager) pollFeed(ctx context.Context, id string) feedResult {
	var r feedResult
	f, err := m.Get(ctx, id)
	if err != nil || f.Paused() {
		return r
	}
	r.polled = true
	log := m.log.With("feed", f.ID)

	res, err := m.fetch(ctx, f.URL, acceptFeed, f.ETag, f.LastModified)
	var current map[string]bool
	if err == nil && !res.notModified {
		var feed *gofeed.Feed
		if feed, err = parseFeed(res); err == nil {
			r.ingest, err = m.ingest(ctx, &f, feed, res.url)
			current = r.ingest.keys
		}
		if len(r.ingest.paths) > 0 {
			m.notify(ctx, r.ingest.paths)
		}
	}
	if ctx.Err() != nil {
		// Shutting down is not the feed's fault.
		r.err = ctx.Err()
		return r
	}
	if err != nil {
		r.failed = true
		r.err = fmt.Errorf("feed #%s (%s): %w", f.ID, f.URL, err)
		updated, dbErr := m.recordFailure(f.ID, err)
		if dbErr != nil {
			log.Error("record feed failure", "err", dbErr)
			return r
		}
		if updated != nil && updated.Paused() {
			r.paused = true
			log.Warn("feed paused", "url", f.URL, "why", updated.PausedWhy)
			if m.cfg.OnPaused != nil {
				m.cfg.OnPaused(ctx, *updated)
			}
		} else if updated != nil {
			log.Warn("feed poll failed", "url", f.URL, "failures", updated.Failures, "next_poll", updated.NextPoll, "err", err)
		}
		return r
	}
	r.notModified = res.notModified
	if err := m.recordSuccess(f.ID, res, current); err != nil {
		log.Error("record feed success", "err", err)
	}
	log.Debug("feed polled", "not_modified", res.notModified, "new", r.ingest.new, "updated", r.ingest.updated, "unchanged", r.ingest.unchanged)
	return r
}

// notify passes written paths to OnArticles, one call at a time.
func (m *Manager) notify(ctx context.Context, paths []string) {
	if m.cfg.OnArticles == nil {
		return
	}
	m.notifyMu.Lock()
	defer m.notifyMu.Unlock()
	m.cfg.OnArticles(ctx, paths)
}

// recordSuccess stores the response's validators, clears failures,
// schedules the next poll and, after a full fetch, forgets items the feed
// dropped long ago.
func (m *Manager) recordSuccess(id string, res *response, current map[string]bool) error {
	now := m.cfg.Now()
	return m.db.Update(func(tx *bolt.Tx) error {
		f, err := getFeed(tx, id)
		if err != nil || f == nil {
			return err
		}
		f.LastAttempt, f.LastSuccess = now, now
		f.Failures, f.LastError = 0, ""
		f.ETag, f.LastModified = res.etag, res.lastModified
		f.NextPoll = now.Add(jitter(m.interval(f)))
		if current != nil {
			if err := pruneItems(tx, id, current, now.Add(-pruneAfter)); err != nil {
				return err
			}
		}
		return putFeed(tx, f)
	})
}

// recordFailure counts a failed poll and schedules the next with backoff,
// or pauses the feed. It returns the feed as stored, nil if it was removed.
func (m *Manager) recordFailure(id string, pollErr error) (*Feed, error) {
	now := m.cfg.Now()
	var se *statusError
	errors.As(pollErr, &se)
	return m.updateFeed(id, func(f *Feed) {
		f.LastAttempt = now
		f.Failures++
		f.LastError = truncateRunes(pollErr.Error(), 300)
		switch {
		case se != nil && se.code == http.StatusGone:
			f.PausedAt, f.PausedWhy = now, "the server says the feed is gone (HTTP 410)"
		case f.Failures >= maxFailures:
			f.PausedAt = now
			f.PausedWhy = fmt.Sprintf("it failed %d times in a row (last error: %s)", f.Failures, f.LastError)
		default:
			delay := backoff(m.interval(f), f.Failures)
			if se != nil && se.retryAfter > delay {
				delay = min(se.retryAfter, maxBackoff)
			}
			f.NextPoll = now.Add(jitter(delay))
		}
	})
}

// backoff is interval·2ⁿ, at most maxBackoff.
func backoff(interval time.Duration, failures int) time.Duration {
	d := interval
	for range failures {
		if d >= maxBackoff {
			break
		}
		d *= 2
	}
	return min(d, maxBackoff)
}

// jitter spreads d by ±10% so feeds added together drift apart.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*2-1)*0.1*float64(d))
}

// ingestStats is what storing one feed's items did.
type ingestStats struct {
	new, updated, unchanged int
	paths                   []string
	// keys are the item keys the feed carries now.
	keys map[string]bool
}

// ingest stores a parsed feed's items: unchanged ones are skipped, pages
// are fetched for summaries, the rest are stored.
func (m *Manager) ingest(ctx context.Context, f *Feed, feed *gofeed.Feed, base *url.URL) (ingestStats, error) {
	cands := candidates(f.ID, feed, base, m.cfg.Now())
	st := ingestStats{keys: make(map[string]bool, len(cands))}
	for _, c := range cands {
		st.keys[c.key] = true
	}
	work, err := m.changed(cands)
	if err != nil {
		return st, fmt.Errorf("look up items: %w", err)
	}
	st.unchanged = len(cands) - len(work)

	fetched := 0
	for _, c := range work {
		if !c.wantPage {
			continue
		}
		if fetched == maxPageFetches {
			continue // left partial; fetched on a later poll
		}
		fetched++
		if err := m.fetchPage(ctx, c); err != nil {
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			c.pageFailed = true
			m.log.Warn("fetch article page", "feed", f.ID, "url", c.link, "err", err)
		}
	}

	stored, err := m.store(ctx, f, work)
	st.new, st.updated, st.paths = stored.new, stored.updated, stored.paths
	st.unchanged += stored.unchanged
	return st, err
}

// changed returns the candidates that are new or differ from what an
// earlier poll stored, and decides which need their page fetched.
func (m *Manager) changed(cands []*candidate) ([]*candidate, error) {
	var work []*candidate
	err := m.db.View(func(tx *bolt.Tx) error {
		items, urls := tx.Bucket(bucketItems), tx.Bucket(bucketURLs)
		for _, c := range cands {
			var rec itemRecord
			ok, err := getJSON(items, c.key, &rec)
			if err != nil {
				return err
			}
			if ok {
				c.prev = &rec
				retry := rec.Partial && rec.Tries < maxPageTries
				if rec.Print == c.print && !retry {
					continue
				}
			}
			// A summary's page is fetched unless the story is already
			// stored under the same URL (another feed, or a new GUID).
			known := c.prev == nil && c.urlKey != "" && urls.Get([]byte(c.urlKey)) != nil
			c.wantPage = !c.full && c.link != "" && !known
			work = append(work, c)
		}
		return nil
	})
	return work, err
}
