// Package feeds keeps attache's corpus current from RSS 2.0, Atom and JSON
// Feed sources.
//
// A Manager holds the list of feeds and what has been seen from each in a
// bbolt file, polls every feed on its own interval, and writes each new or
// changed item as an ordinary article file into a folder that the index
// reads: YAML front matter (title, source, url, published) between "---"
// lines, then one paragraph per line.
//
// Fetching is defensive because feed URLs come from chat users: responses
// are capped in size and time, redirects are limited, and unless
// AllowPrivate is set every connection, including each redirect hop and
// each resolved address, is refused when it would reach a loopback,
// private, link-local, CGNAT, multicast or cloud metadata address.
//
// An item that carries only a summary has its page fetched (with the same
// limits) and its article text extracted with readability; HTML is parsed,
// never run.
//
// Items are deduplicated by GUID (per feed), by canonical URL (tracking
// parameters, fragment, user info and default port dropped, host
// lower-cased, query sorted, http and https alike) and by a hash of their
// normalised text. An item whose text changes rewrites its article file. An
// article's text follows the feed that first carried it; another feed
// replaces it only with a longer text. The same story syndicated by several
// feeds is one article, and its source field names every feed, joined by
// "; ", in the order they carried it:
//
//	source: Feed A; Feed B
//
// Article files are named from a slug of the title and a short hash of the
// canonical URL, and are written atomically before the item is recorded as
// seen; the names of new files are journalled first, so that after a crash
// Open removes files that were never recorded. A poll interrupted at any
// point and run again therefore leaves every item on disk exactly once. A
// feed's ETag and Last-Modified are recorded only once all its items are
// stored.
package feeds

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors that callers branch on. Errors returned by Add wrap one of them
// and read as a sentence that can be shown to the user who asked.
var (
	// ErrNotFound is returned when no feed has the given ID.
	ErrNotFound = errors.New("feed not found")
	// ErrNotFeed is returned by Add when the URL serves something other
	// than RSS, Atom or JSON Feed.
	ErrNotFeed = errors.New("not a feed")
	// ErrDuplicate is returned by Add when the feed is already present.
	ErrDuplicate = errors.New("feed already added")
	// ErrAddressNotAllowed is returned when a URL resolves to an address
	// that feeds may not reach (loopback, private, link-local, metadata…).
	ErrAddressNotAllowed = errors.New("address not allowed")
	// ErrTooLarge is returned when a response exceeds Config.MaxBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrTooManyRedirects is returned after more than 5 redirects.
	ErrTooManyRedirects = errors.New("stopped after 5 redirects")
	// ErrBadURL is returned for URLs that are not absolute http(s) URLs.
	ErrBadURL = errors.New("not an http or https URL")
	// ErrLocked is returned by Open when another process holds the state file.
	ErrLocked = errors.New("feed state is in use by another attache process")
)

// Defaults for the zero values in Config.
const (
	DefaultInterval = 15 * time.Minute
	DefaultTimeout  = 20 * time.Second
	DefaultMaxBytes = 10 << 20
)

// Config describes a Manager. Dir and StatePath are required.
type Config struct {
	// Dir is the folder article files are written to.
	Dir string
	// StatePath is the bbolt file that holds feeds and seen items,
	// e.g. "data/feeds.db".
	StatePath string
	// AllowPrivate lets feeds reach loopback and private addresses. The
	// caller reads it from ATTACHE_ALLOW_PRIVATE_FEEDS.
	AllowPrivate bool
	// Interval is how often each feed is polled; DefaultInterval when zero.
	Interval time.Duration
	// Timeout bounds each HTTP exchange, body included; DefaultTimeout
	// when zero.
	Timeout time.Duration
	// MaxBytes caps each response body; DefaultMaxBytes when zero.
	MaxBytes int64
	// Now reads the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives the package's logs; nothing is logged when nil.
	Logger *slog.Logger
	// OnArticles, when set, is called with the paths of the article files
	// that a poll wrote (new or changed), so that they can be re-indexed.
	// Calls never overlap.
	OnArticles func(ctx context.Context, paths []string)
	// OnPaused, when set, is called once when a poll pauses a feed: after
	// 8 failures in a row, or at once when the server answers 410 Gone.
	OnPaused func(ctx context.Context, f Feed)
}

// Feed is one subscribed feed and the state of its polling.
type Feed struct {
	// ID is short and typable: "3" (shown to users as "#3").
	ID      string    `json:"id"`
	URL     string    `json:"url"`
	Title   string    `json:"title"`
	AddedBy string    `json:"added_by,omitempty"`
	AddedAt time.Time `json:"added_at"`
	// Interval overrides Config.Interval for this feed when not zero.
	Interval time.Duration `json:"interval,omitempty"`

	// ETag and LastModified are the validators of the last response whose
	// items were all stored.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`

	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// Failures counts consecutive failed polls.
	Failures  int    `json:"failures,omitempty"`
	LastError string `json:"last_error,omitempty"`
	// PausedAt is when polling stopped; zero while the feed is active.
	PausedAt  time.Time `json:"paused_at,omitzero"`
	PausedWhy string    `json:"paused_why,omitempty"`
	// NextPoll is when the feed is next due.
	NextPoll time.Time `json:"next_poll,omitzero"`
}

// Paused reports whether polling of the feed has stopped.
func (f Feed) Paused() bool { return !f.PausedAt.IsZero() }

// Status describes the feed's health in a few words: "OK",
// "failing (3 failures, last error: …)" or "paused since … because …".
func (f Feed) Status() string {
	switch {
	case f.Paused():
		return fmt.Sprintf("paused since %s because %s", f.PausedAt.UTC().Format(time.RFC3339), f.PausedWhy)
	case f.Failures > 0:
		return fmt.Sprintf("failing (%d %s, last error: %s)", f.Failures, plural(f.Failures, "failure"), f.LastError)
	case f.LastSuccess.IsZero():
		return "new (not polled yet)"
	default:
		return "OK"
	}
}

// Preview shows what Add found at a feed's URL.
type Preview struct {
	Title     string
	ItemCount int
	// Newest is the most recently published item; zero when the feed is
	// empty.
	Newest Entry
}

// Entry is one feed item as shown in a Preview.
type Entry struct {
	Title     string
	Published time.Time
	Link      string
}

// Manager polls feeds and writes their items as article files. It is safe
// for concurrent use.
type Manager struct {
	cfg    Config
	log    *slog.Logger
	db     *bolt.DB
	client *http.Client

	// storeMu makes "look up, write the file, record it" one step, so that
	// two feeds carrying the same story at once produce one article.
	storeMu sync.Mutex
	// notifyMu keeps OnArticles calls from overlapping.
	notifyMu sync.Mutex

	mu      sync.Mutex
	polling map[string]bool // feed IDs being polled now

	wake chan struct{}

	// afterWrite, set by tests, runs after each article file is written
	// and before it is recorded; an error aborts the poll there.
	afterWrite func(path string) error
}

// Open opens (or creates) the state file and returns a Manager. It returns
// ErrLocked when another process has the state file open.
func Open(cfg Config) (*Manager, error) {
	var missing []string
	if cfg.Dir == "" {
		missing = append(missing, "Dir")
	}
	if cfg.StatePath == "" {
		missing = append(missing, "StatePath")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("open feeds: missing %s", strings.Join(missing, ", "))
	}
	cfg.Interval = cmp.Or(cfg.Interval, DefaultInterval)
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.MaxBytes = cmp.Or(cfg.MaxBytes, DefaultMaxBytes)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}

	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("open feeds: create article folder: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(cfg.StatePath), 0o755); err != nil {
		return nil, fmt.Errorf("open feeds: create state folder: %w", err)
	}
	db, err := bolt.Open(cfg.StatePath, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open feed state %q: %w", cfg.StatePath, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open feed state %q: %w", cfg.StatePath, err)
	}
	if err := db.Update(createBuckets); err != nil {
		db.Close()
		return nil, fmt.Errorf("open feed state %q: %w", cfg.StatePath, err)
	}
	m := &Manager{
		cfg:     cfg,
		log:     cfg.Logger.With("component", "feeds"),
		db:      db,
		client:  newClient(cfg.Timeout, cfg.AllowPrivate),
		polling: make(map[string]bool),
		wake:    make(chan struct{}, 1),
	}
	m.removeTempFiles()
	if err := m.recoverPending(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open feed state %q: recover interrupted poll: %w", cfg.StatePath, err)
	}
	return m, nil
}

// Close closes the state file. Call it after Run and any poll have returned.
func (m *Manager) Close() error {
	m.client.CloseIdleConnections()
	if err := m.db.Close(); err != nil {
		return fmt.Errorf("close feed state: %w", err)
	}
	return nil
}

// List returns every feed, ordered by ID.
func (m *Manager) List(ctx context.Context) ([]Feed, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var feeds []Feed
	err := m.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFeeds).ForEach(func(_, v []byte) error {
			var f Feed
			if err := json.Unmarshal(v, &f); err != nil {
				return err
			}
			feeds = append(feeds, f)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	slices.SortFunc(feeds, func(a, b Feed) int { return compareIDs(a.ID, b.ID) })
	return feeds, nil
}

// Get returns the feed with the given ID ("3" or "#3"), or ErrNotFound.
func (m *Manager) Get(ctx context.Context, id string) (Feed, error) {
	if err := ctx.Err(); err != nil {
		return Feed{}, err
	}
	id = normalizeID(id)
	var f *Feed
	err := m.db.View(func(tx *bolt.Tx) error {
		var err error
		f, err = getFeed(tx, id)
		return err
	})
	if err != nil {
		return Feed{}, fmt.Errorf("get feed %q: %w", id, err)
	}
	if f == nil {
		return Feed{}, fmt.Errorf("feed #%s: %w", id, ErrNotFound)
	}
	return *f, nil
}

// Remove deletes the feed with the given ID ("3" or "#3") and what was seen
// from it. Articles already written stay in the corpus. It returns
// ErrNotFound when there is no such feed.
func (m *Manager) Remove(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id = normalizeID(id)
	found := false
	err := m.db.Update(func(tx *bolt.Tx) error {
		feeds := tx.Bucket(bucketFeeds)
		if feeds.Get([]byte(id)) == nil {
			return nil
		}
		found = true
		if err := feeds.Delete([]byte(id)); err != nil {
			return err
		}
		return deleteItems(tx, id)
	})
	if err != nil {
		return fmt.Errorf("remove feed #%s: %w", id, err)
	}
	if !found {
		return fmt.Errorf("remove feed #%s: %w", id, ErrNotFound)
	}
	m.log.Info("feed removed", "feed", id)
	return nil
}

// Resume restarts polling of a paused feed and clears its failures. It
// returns ErrNotFound when there is no such feed.
func (m *Manager) Resume(ctx context.Context, id string) (Feed, error) {
	if err := ctx.Err(); err != nil {
		return Feed{}, err
	}
	id = normalizeID(id)
	now := m.cfg.Now()
	f, err := m.updateFeed(id, func(f *Feed) {
		f.PausedAt, f.PausedWhy = time.Time{}, ""
		f.Failures, f.LastError = 0, ""
		f.NextPoll = now
	})
	if err != nil {
		return Feed{}, fmt.Errorf("resume feed #%s: %w", id, err)
	}
	if f == nil {
		return Feed{}, fmt.Errorf("resume feed #%s: %w", id, ErrNotFound)
	}
	m.log.Info("feed resumed", "feed", id)
	m.wakeUp()
	return *f, nil
}

// MinInterval is the shortest polling interval SetInterval accepts.
const MinInterval = time.Minute

// SetInterval changes how often the feed is polled, from its next poll
// on; zero restores Config.Interval. It returns ErrNotFound when there is
// no such feed.
func (m *Manager) SetInterval(ctx context.Context, id string, d time.Duration) (Feed, error) {
	if err := ctx.Err(); err != nil {
		return Feed{}, err
	}
	id = normalizeID(id)
	if d != 0 && d < MinInterval {
		return Feed{}, fmt.Errorf("set interval of feed #%s: %v is shorter than %v", id, d, MinInterval)
	}
	f, err := m.updateFeed(id, func(f *Feed) { f.Interval = d })
	if err != nil {
		return Feed{}, fmt.Errorf("set interval of feed #%s: %w", id, err)
	}
	if f == nil {
		return Feed{}, fmt.Errorf("set interval of feed #%s: %w", id, ErrNotFound)
	}
	return *f, nil
}

// updateFeed applies change to the stored feed in one transaction and
// returns the result, or nil when the feed no longer exists.
func (m *Manager) updateFeed(id string, change func(f *Feed)) (*Feed, error) {
	var f *Feed
	err := m.db.Update(func(tx *bolt.Tx) error {
		var err error
		if f, err = getFeed(tx, id); err != nil || f == nil {
			return err
		}
		change(f)
		return putFeed(tx, f)
	})
	return f, err
}

// wakeUp makes Run look at the schedule again without waiting.
func (m *Manager) wakeUp() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// interval is the feed's polling interval.
func (m *Manager) interval(f *Feed) time.Duration {
	return cmp.Or(f.Interval, m.cfg.Interval)
}

// normalizeID accepts "#3" and " 3 " as "3".
func normalizeID(id string) string {
	return strings.TrimPrefix(strings.TrimSpace(id), "#")
}

// compareIDs orders numeric IDs by value.
func compareIDs(a, b string) int {
	na, errA := strconv.ParseUint(a, 10, 64)
	nb, errB := strconv.ParseUint(b, 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(na, nb)
	}
	return strings.Compare(a, b)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Add fetches rawURL, checks that it is a feed, and subscribes to it; its
// items are stored by the next poll, which Run starts at once. On refusal
// nothing is saved and the error reads as a reason for the user: it wraps
// ErrBadURL, ErrDuplicate ("feed already added as #3"), ErrNotFeed ("not a
// feed: got text/html page"), ErrAddressNotAllowed ("address not allowed:
// resolves to a private address (10.0.0.5)"), ErrTooLarge,
// ErrTooManyRedirects or describes the HTTP or network failure.
func (m *Manager) Add(ctx context.Context, rawURL, addedBy string) (Feed, Preview, error) {
	u, err := parseHTTPURL(rawURL)
	if err != nil {
		return Feed{}, Preview{}, err
	}
	if err := m.checkNotAdded(u.String()); err != nil {
		return Feed{}, Preview{}, err
	}
	res, err := m.fetch(ctx, u.String(), acceptFeed, "", "")
	if err != nil {
		m.log.Info("feed refused", "url", u.Redacted(), "added_by", addedBy, "err", err)
		return Feed{}, Preview{}, describeFetchError(err)
	}
	parsed, err := parseFeed(res)
	if err != nil {
		m.log.Info("feed refused", "url", u.Redacted(), "added_by", addedBy, "err", err)
		return Feed{}, Preview{}, err
	}
	if err := m.checkNotAdded(res.url.String()); err != nil {
		return Feed{}, Preview{}, err
	}

	now := m.cfg.Now()
	f := Feed{
		URL:      u.String(),
		Title:    cmp.Or(oneLine(parsed.Title), u.Hostname()),
		AddedBy:  addedBy,
		AddedAt:  now,
		NextPoll: now,
	}
	err = m.db.Update(func(tx *bolt.Tx) error {
		// Checked again here: another Add may have won the race.
		if dup, err := findFeed(tx, f.URL); err != nil || dup != nil {
			return cmp.Or(err, duplicateError(dup))
		}
		seq, err := tx.Bucket(bucketFeeds).NextSequence()
		if err != nil {
			return err
		}
		f.ID = strconv.FormatUint(seq, 10)
		return putFeed(tx, &f)
	})
	if errors.Is(err, ErrDuplicate) {
		return Feed{}, Preview{}, err
	}
	if err != nil {
		return Feed{}, Preview{}, fmt.Errorf("save feed: %w", err)
	}
	m.log.Info("feed added", "feed", f.ID, "url", f.URL, "title", f.Title, "added_by", addedBy)
	m.wakeUp()
	return f, preview(f.Title, parsed), nil
}

// checkNotAdded returns an ErrDuplicate error when a feed with the same
// URL (compared canonically) exists.
func (m *Manager) checkNotAdded(rawURL string) error {
	return m.db.View(func(tx *bolt.Tx) error {
		dup, err := findFeed(tx, rawURL)
		if err != nil || dup == nil {
			return err
		}
		return duplicateError(dup)
	})
}

func duplicateError(f *Feed) error { return fmt.Errorf("%w as #%s", ErrDuplicate, f.ID) }

// findFeed returns the feed whose URL is rawURL, compared canonically, or
// nil.
func findFeed(tx *bolt.Tx, rawURL string) (*Feed, error) {
	key := urlKey(canonicalURL(rawURL))
	var found *Feed
	err := tx.Bucket(bucketFeeds).ForEach(func(_, v []byte) error {
		var f Feed
		if err := json.Unmarshal(v, &f); err != nil {
			return err
		}
		if found == nil && urlKey(canonicalURL(f.URL)) == key {
			found = &f
		}
		return nil
	})
	return found, err
}

// preview describes a parsed feed: its size and newest item.
func preview(title string, feed *gofeed.Feed) Preview {
	p := Preview{Title: title, ItemCount: len(feed.Items)}
	var newest *gofeed.Item
	var newestAt time.Time
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		at := itemTime(it)
		if newest == nil || at.After(newestAt) {
			newest, newestAt = it, at
		}
	}
	if newest != nil {
		p.Newest = Entry{Title: oneLine(newest.Title), Published: newestAt, Link: newest.Link}
	}
	return p
}
