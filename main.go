// Command attache is a Discord bot that answers questions about current
// diplomacy from a full-text index of news articles. Besides the bot
// (attache serve) it answers from the command line (attache ask), builds the
// index (attache index) and runs its commands in a terminal (attache console).
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"attache/bot"
	"attache/commands/cli"
	"attache/commands/schedule"
	"attache/corpus/feeds"
	"attache/index"
	"golang.org/x/term"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "attache:", err)
		os.Exit(1)
	}
}

// run is the whole program: main only adds the process's real environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(args) < 2 {
		fmt.Fprint(stderr, cli.Usage)
		return cli.ErrUsage
	}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, cli.Usage)
		return nil
	case "ask", "index", "summary", "digest", "upcoming", "timeline", "feeds", "serve", "console":
	default:
		fmt.Fprint(stderr, cli.Usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	// Every subcommand reads its settings the same way, once: the real
	// environment, then .env.
	cfg, err := cli.ReadConfig(getenv)
	if err != nil {
		return err
	}
	if cmd == "ask" || cmd == "serve" || cmd == "console" {
		defer index.TuneForQuestions()()
	}
	switch cmd {
	case "ask":
		return cli.Ask(ctx, rest, cfg, stdin, stdout, stderr)
	case "index":
		return cli.Index(ctx, rest, cfg, stdout, stderr)
	case "summary":
		return cli.Summary(ctx, rest, cfg, stdout, stderr)
	case "digest":
		return cli.Digest(ctx, rest, cfg, stdout, stderr)
	case "upcoming":
		return cli.Upcoming(ctx, rest, cfg, stdout, stderr)
	case "timeline":
		return cli.Timeline(ctx, rest, cfg, stdout, stderr)
	case "feeds":
		return cli.Feeds(ctx, rest, cfg, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, cfg, stdout, stderr)
	default: // console
		return runConsole(ctx, rest, cfg, stdin, stdout, stderr)
	}
}

// runServe runs the Discord bot until ctx is cancelled.
func runServe(ctx context.Context, args []string, cfg cli.Config, stdout, stderr io.Writer) error {
	getenv := cfg.Getenv
	fset := cli.NewFlagSet("serve", stderr)
	s := cli.NewStore(stderr)
	s.Register(fset, cfg)
	httpAddr := fset.String("http", getenv("ATTACHE_HTTP"), "serve Discord's interactions endpoint on this address (such as :8080) instead of connecting to the gateway (default: $ATTACHE_HTTP)")
	if words, err := cli.ParseAnywhere(fset, args); err != nil || len(words) > 0 {
		return cli.BadUsage(err, stderr)
	}
	// Check every setting before opening anything, and report all that
	// are wrong at once.
	bcfg, err := bot.ReadConfig(getenv, *httpAddr != "")
	if err != nil {
		return err
	}
	logger := cli.NewLogger(getenv, stderr)
	s.LogStart(logger, "serve")
	// Watch the articles folder from before the index is brought up to
	// date, so that no change falls between the two.
	w, err := s.Watcher(logger)
	if err != nil {
		return err
	}
	ix, book, st, err := s.OpenCalendar(ctx, logger, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err := ix.Close(); err != nil {
			logger.Warn("close index", "err", err)
		}
	}()
	logger.Info("index ready", "articles", st.Articles, "passages", st.Passages, "events", book.Len())
	stopWatching := s.Follow(ctx, w, ix, book, logger)
	defer stopWatching()

	digests, err := schedule.Open(filepath.Join(s.DataDir(), "digests.db"))
	if err != nil {
		return err
	}
	defer func() {
		if err := digests.Close(); err != nil {
			logger.Warn("close digests", "err", err)
		}
	}()
	// The feeds manager tells the bot when it pauses a feed; b is set
	// before the manager starts polling.
	var b *bot.Bot
	m, err := s.OpenFeeds(getenv, logger, func(ctx context.Context, f feeds.Feed) { b.FeedPaused(ctx, f) })
	if err != nil {
		return err
	}
	defer func() {
		if err := m.Close(); err != nil {
			logger.Warn("close feeds", "err", err)
		}
	}()
	bcfg.Digests, bcfg.Feeds, bcfg.Calendar = digests, m, book
	b = bot.New(bcfg, s.Healing(ix, logger), logger)
	stopPolling := pollFeeds(ctx, m, getenv("ATTACHE_FEEDS"), logger)
	defer stopPolling()

	if *httpAddr != "" {
		return b.ListenAndServe(ctx, *httpAddr, nil)
	}
	return b.Run(ctx)
}

// pollFeeds adds the feeds of spec (ATTACHE_FEEDS: URLs separated by
// commas, or an OPML file) that are not there yet, then polls every feed
// on its interval, until ctx is done or the returned stop is called,
// which waits for the polling to end.
func pollFeeds(ctx context.Context, m *feeds.Manager, spec string, logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := m.Seed(ctx, spec); err != nil && ctx.Err() == nil {
			logger.Error("add feeds from ATTACHE_FEEDS", "err", err)
		}
		if err := m.Run(ctx); err != nil {
			logger.Error("feed polling stopped", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// runConsole runs the bot's command handlers in a terminal.
func runConsole(ctx context.Context, args []string, cfg cli.Config, stdin io.Reader, stdout, stderr io.Writer) error {
	fset := cli.NewFlagSet("console", stderr)
	s := cli.NewStore(stderr)
	s.Register(fset, cfg)
	if words, err := cli.ParseAnywhere(fset, args); err != nil || len(words) > 0 {
		return cli.BadUsage(err, stderr)
	}
	// Log only warnings by default: the terminal is for the answers.
	logger := cli.QuietLogger(cfg.Getenv, stderr)
	s.LogStart(logger, "console")
	ix, book, _, err := s.OpenCalendar(ctx, logger, cli.ProgressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()
	// One local user: no rate limit.
	b := bot.New(bot.Config{Calendar: book}, s.Healing(ix, logger), logger)
	f, ok := stdin.(*os.File)
	interactive := ok && term.IsTerminal(int(f.Fd()))
	return b.Console(ctx, stdin, stdout, interactive)
}
