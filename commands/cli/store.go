package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"attache/commands"
	"attache/corpus"
	"attache/corpus/events"
	"attache/corpus/feeds"
	"attache/corpus/watch"
	"attache/index"
)

// Store holds the flags shared by the commands that read the corpus and
// the index.
type Store struct {
	corpus string
	data   string
	// stderr, when set, is told in a plain line when nothing loaded,
	// when the index was repaired or is behind.
	stderr io.Writer
	// rebuild asks open to rebuild the index from the articles.
	rebuild bool
	// behind is why open could not bring the index up to date, if it
	// could not.
	behind error
	// healed is set once heal rebuilt the index; reported is the repair
	// last reported.
	mu       sync.Mutex // guards heal
	healed   bool
	healedOK bool
	reported index.Repair
}

// NewStore returns a Store whose plain notes (nothing loaded, the index
// repaired or behind) go to stderr; Register sets its folders.
func NewStore(stderr io.Writer) *Store { return &Store{stderr: stderr} }

// Register adds the --corpus and --data flags to fset, defaulting to
// cfg's folders.
func (s *Store) Register(fset *flag.FlagSet, cfg Config) {
	fset.StringVar(&s.corpus, "corpus", cfg.Corpus, "folder of articles, $ATTACHE_CORPUS; empty reads the bundled articles")
	fset.StringVar(&s.data, "data", cfg.Data, "folder for the index and state, $ATTACHE_DATA")
}

// LogStart logs the folders that the command works on, once, at start.
func (s *Store) LogStart(logger *slog.Logger, cmd string) {
	data, err := filepath.Abs(s.data)
	if err != nil {
		data = s.data
	}
	logger.Info("starting", "command", cmd, "data", data, "corpus", cmp.Or(s.corpus, "(bundled)"))
}

// loadCorpus reads the articles, reporting files that could not be read on
// stderr without stopping. Files that known says are unchanged are not read
// again (see corpus.LoadOptions).
func (s *Store) loadCorpus(logger *slog.Logger, known func(id string, st corpus.Stamp) (string, bool)) ([]corpus.Article, []*corpus.FileError, error) {
	var (
		arts     []corpus.Article
		problems []*corpus.FileError
		err      error
	)
	if s.corpus == "" {
		arts, problems, err = corpus.LoadFS(corpus.Embedded())
		if err == nil {
			// Articles from feeds live beside the bundled ones, under
			// the data folder.
			var more []corpus.Article
			var moreProblems []*corpus.FileError
			prefix := s.idPrefix()
			var opts corpus.LoadOptions
			if known != nil {
				opts.Known = func(id string, st corpus.Stamp) (string, bool) { return known(prefix+id, st) }
			}
			more, moreProblems, err = corpus.LoadWith(s.ArticlesDir(), opts)
			if errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
			for _, a := range more {
				a.ID = s.idPrefix() + a.ID
				arts = append(arts, a)
			}
			for _, p := range moreProblems {
				p.Path = s.idPrefix() + p.Path
				problems = append(problems, p)
			}
		}
	} else {
		arts, problems, err = corpus.LoadWith(s.corpus, corpus.LoadOptions{Known: known})
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("no articles loaded: the corpus folder %s does not exist", s.corpus)
	}
	if err != nil {
		return nil, nil, err // corpus.LoadWith says what it was loading
	}
	for _, p := range problems {
		logger.Warn("skipped article file", "file", p.Path, "err", p.Err)
	}
	if len(arts) == 0 && s.stderr != nil {
		fmt.Fprintf(s.stderr, "attache: no articles loaded: %s holds no readable .md or .txt files, so no question can be answered\n", s.corpus)
	}
	return arts, problems, nil
}

// DataDir is the data folder: the index, and the bot's state beside it.
func (s *Store) DataDir() string { return s.data }

// ArticlesDir is the folder that new articles go to (from feeds) and that
// is watched for changes: the corpus folder, or with the bundled corpus,
// articles/ under the data folder.
func (s *Store) ArticlesDir() string {
	if s.corpus != "" {
		return s.corpus
	}
	return filepath.Join(s.data, "articles")
}

// idPrefix is what article IDs from articlesDir start with, so that they
// cannot collide with the bundled articles' IDs.
func (s *Store) idPrefix() string {
	if s.corpus != "" {
		return ""
	}
	return "articles/"
}

// Open opens the index under the data folder and brings it up to date with
// the corpus. A damaged index is rebuilt from the articles, and said so in
// one line. When bringing it up to date fails otherwise (a full disk), the
// index is kept as it is, with a line saying that it is behind, and the
// failure in s.behind.
func (s *Store) Open(ctx context.Context, logger *slog.Logger, progress func(done, total int)) (*index.Index, index.SyncStats, int, error) {
	ix, err := index.Open(ctx, s.data, index.Options{Logger: logger, Progress: progress})
	if err != nil {
		return nil, index.SyncStats{}, 0, err
	}
	if s.rebuild {
		if err := ix.Rebuild(ctx, nil); err != nil {
			ix.Close()
			return nil, index.SyncStats{}, 0, fmt.Errorf("rebuild index: %w", err)
		}
	}
	st, skipped, err := s.sync(ctx, ix, logger)
	if errors.Is(err, index.ErrDamaged) {
		if err = ix.Rebuild(ctx, err); err == nil {
			st, skipped, err = s.sync(ctx, ix, logger)
		}
	}
	var behind *behindError
	switch {
	case errors.As(err, &behind) && ctx.Err() == nil:
		s.behind = behind.err
		s.note("attache: the index is behind the articles (bringing it up to date failed: %v); answering from it as it is", behind.err)
	case err != nil:
		ix.Close()
		return nil, index.SyncStats{}, 0, err
	}
	s.reportRepair(ix)
	return ix, st, skipped, nil
}

// OpenCalendar opens the index as Open does, and reads the events that
// the articles announce into a calendar; it reads every article, as the
// calendar needs them whole, where Open skips the files the index knows.
func (s *Store) OpenCalendar(ctx context.Context, logger *slog.Logger, progress func(done, total int)) (*index.Index, *events.Book, index.SyncStats, error) {
	ix, st, _, err := s.Open(ctx, logger, progress)
	if err != nil {
		return nil, nil, st, err
	}
	// Open has reported the files that could not be read already.
	arts, _, err := s.loadCorpus(slog.New(slog.DiscardHandler), nil)
	if err != nil {
		ix.Close()
		return nil, nil, st, err
	}
	book := events.New()
	book.Sync(arts)
	return ix, book, st, nil
}

// startCalendar begins a one-shot command that reads the calendar, as
// start does for the index.
func (s *Store) startCalendar(ctx context.Context, cfg Config, cmd string, stderr io.Writer) (*index.Index, *events.Book, error) {
	logger := QuietLogger(cfg.Getenv, stderr)
	s.LogStart(logger, cmd)
	ix, book, _, err := s.OpenCalendar(ctx, logger, ProgressBar(stderr))
	return ix, book, err
}

// start begins a one-shot command cmd that reads the index: its quiet
// logger, the folders logged, the index opened and brought up to date.
func (s *Store) start(ctx context.Context, cfg Config, cmd string, stderr io.Writer) (*index.Index, *slog.Logger, error) {
	logger := QuietLogger(cfg.Getenv, stderr)
	s.LogStart(logger, cmd)
	ix, _, _, err := s.Open(ctx, logger, ProgressBar(stderr))
	return ix, logger, err
}

// behindError is a failure to bring the index up to date: the index is
// still there to answer from.
type behindError struct{ err error }

func (e *behindError) Error() string { return "update index: " + e.err.Error() }
func (e *behindError) Unwrap() error { return e.err }

// sync loads the corpus and brings ix up to date with it, returning how
// many files were skipped. A failure of the update itself is a
// *behindError.
func (s *Store) sync(ctx context.Context, ix *index.Index, logger *slog.Logger) (index.SyncStats, int, error) {
	// The index knows the files it read: unchanged ones are not read again.
	arts, problems, err := s.loadCorpus(logger, ix.Known)
	if err != nil {
		return index.SyncStats{}, 0, err
	}
	st, err := ix.Sync(ctx, arts)
	if err != nil {
		return st, len(problems), &behindError{err}
	}
	return st, len(problems), nil
}

// heal rebuilds ix from the articles after err showed it damaged, and
// reports whether it did: the failed call may then be tried again.
// The index is rebuilt once a process: after that, a call that fails again
// is only tried again, once.
func (s *Store) heal(ctx context.Context, ix *index.Index, logger *slog.Logger, err error) bool {
	if !errors.Is(err, index.ErrDamaged) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.healed {
		return s.healedOK
	}
	s.healed = true
	if err := ix.Rebuild(ctx, err); err != nil {
		logger.Error("rebuild damaged index", "err", err)
		return false
	}
	if _, _, err := s.sync(ctx, ix, logger); err != nil {
		logger.Error("rebuild damaged index", "err", err)
		return false
	}
	s.healedOK = true
	s.reportRepair(ix)
	return true
}

// Healing returns ix for the bot: a search that finds the index damaged
// rebuilds it from the articles, as the command line does, and is tried
// again.
func (s *Store) Healing(ix *index.Index, logger *slog.Logger) commands.Index {
	return healing{Index: ix, s: s, log: logger}
}

// healing is an index whose searches heal it (Store.Healing).
type healing struct {
	*index.Index
	s   *Store
	log *slog.Logger
}

func (h healing) Search(ctx context.Context, q index.Query) ([]index.Answer, error) {
	res, err := h.Index.Search(ctx, q)
	if h.s.heal(ctx, h.Index, h.log, err) {
		res, err = h.Index.Search(ctx, q)
	}
	return res, err
}

func (h healing) Articles(ctx context.Context, q index.ArticleQuery) ([]index.ArticleInfo, int, error) {
	res, n, err := h.Index.Articles(ctx, q)
	if h.s.heal(ctx, h.Index, h.log, err) {
		res, n, err = h.Index.Articles(ctx, q)
	}
	return res, n, err
}

func (h healing) Topic(ctx context.Context, topic string, since time.Time, maxArticles int) ([]index.Sentence, int, error) {
	res, n, err := h.Index.Topic(ctx, topic, since, maxArticles)
	if h.s.heal(ctx, h.Index, h.log, err) {
		res, n, err = h.Index.Topic(ctx, topic, since, maxArticles)
	}
	return res, n, err
}

func (h healing) Stories(ctx context.Context, since time.Time, topic string) ([]index.Story, error) {
	res, err := h.Index.Stories(ctx, since, topic)
	if h.s.heal(ctx, h.Index, h.log, err) {
		res, err = h.Index.Stories(ctx, since, topic)
	}
	return res, err
}

// reportRepair says in one plain line what was done to a damaged index.
func (s *Store) reportRepair(ix *index.Index) {
	r, ok := ix.Repaired()
	if !ok || s.reported == r {
		return
	}
	s.reported = r
	switch {
	case s.rebuild && !s.healed:
		s.note("attache: rebuilt the index from the articles; the old one is at %s", r.MovedTo)
	case r.MovedTo != "":
		s.note("attache: the index was damaged (%s); it is now at %s, and a new one was built from the articles", damage(r.Cause), r.MovedTo)
	default:
		s.note("attache: the index was damaged (%s); a new one was built from the articles", damage(r.Cause))
	}
}

// damage is the first line of what was wrong with an index, without the
// words every such error starts with.
func damage(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimPrefix(msg, index.ErrDamaged.Error()+": ")
}

// note writes a plain line to the store's stderr.
func (s *Store) note(format string, args ...any) {
	if s.stderr != nil {
		fmt.Fprintf(s.stderr, format+"\n", args...)
	}
}

// OpenFeeds opens the feed subscriptions kept in the data folder; new
// articles go to the store's articles folder. onPaused, when not nil, is
// called when a poll pauses a feed.
func (s *Store) OpenFeeds(getenv func(string) string, logger *slog.Logger, onPaused func(context.Context, feeds.Feed)) (*feeds.Manager, error) {
	if err := os.MkdirAll(s.ArticlesDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create articles folder: %w", err)
	}
	m, err := feeds.Open(feeds.Config{
		Dir:          s.ArticlesDir(),
		StatePath:    filepath.Join(s.data, "feeds.db"),
		AllowPrivate: getenv("ATTACHE_ALLOW_PRIVATE_FEEDS") == "true",
		Logger:       logger,
		OnPaused:     onPaused,
	})
	if errors.Is(err, feeds.ErrLocked) {
		return nil, fmt.Errorf("%w: the running bot owns the feed list; manage feeds with /feeds in Discord, or stop the bot first", err)
	}
	if err != nil {
		return nil, fmt.Errorf("open feeds: %w", err)
	}
	return m, nil
}

// Watcher starts watching the articles folder (creating it if needed).
func (s *Store) Watcher(logger *slog.Logger) (*watch.Watcher, error) {
	if err := os.MkdirAll(s.ArticlesDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create articles folder: %w", err)
	}
	w, err := watch.New(s.ArticlesDir(), watch.Options{Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", s.ArticlesDir(), err)
	}
	return w, nil
}

// Follow applies the watcher's changes to ix, and to book when not nil,
// until ctx is done or the returned stop is called, which waits for the
// last change to be applied.
func (s *Store) Follow(ctx context.Context, w *watch.Watcher, ix *index.Index, book *events.Book, logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := w.Run(ctx, func(ctx context.Context, c watch.Change) error {
			removed := make([]string, len(c.Removed))
			for i, id := range c.Removed {
				removed[i] = s.idPrefix() + id
			}
			for i := range c.Put {
				c.Put[i].ID = s.idPrefix() + c.Put[i].ID
			}
			if err := ix.Apply(ctx, c.Put, removed); err != nil {
				return err
			}
			if book != nil {
				book.Apply(c.Put, removed)
			}
			logger.Info("articles changed", "updated", len(c.Put), "removed", len(removed))
			return nil
		})
		if err != nil {
			logger.Error("watching articles stopped", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
