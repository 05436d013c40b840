// Command attache is a Discord bot that answers questions about current
// diplomacy from a full-text index of news articles. Besides the bot
// (attache serve) it answers from the command line (attache ask), builds the
// index (attache index) and runs its commands in a terminal (attache console).
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"attache/corpus"
	"attache/index"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "attache:", err)
		os.Exit(1)
	}
}

const usage = `attache answers questions about current diplomacy from news articles.

Usage:
  attache ask [--corpus DIR] [--data DIR] [-k N] [--json] [QUESTION]
  attache index [--corpus DIR] [--data DIR]
  attache console [--corpus DIR] [--data DIR]
  attache serve [--http ADDR]

Run "attache COMMAND -h" for a command's flags. Settings are read from the
environment and from a .env file; see .env.example.
`

// errUsage reports a command line that could not be understood; the usage
// text has already been printed.
var errUsage = errors.New("invalid usage")

// run is the whole program: main only adds the process's real environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "ask":
		return runAsk(ctx, rest, getenv, stdin, stdout, stderr)
	case "index":
		return runIndex(ctx, rest, getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "console":
		return runConsole(ctx, rest, getenv, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// newLogger builds the one logger of the process from LOG_LEVEL and
// LOG_FORMAT.
func newLogger(getenv func(string) string, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cmp.Or(getenv("LOG_LEVEL"), "info"))); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(getenv("LOG_FORMAT"), "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// store holds the flags shared by the commands that read the corpus and
// the index.
type store struct {
	corpus string
	data   string
}

func (s *store) register(fset *flag.FlagSet, getenv func(string) string) {
	fset.StringVar(&s.corpus, "corpus", getenv("ATTACHE_CORPUS"), "folder of articles (default: $ATTACHE_CORPUS, else the bundled articles)")
	fset.StringVar(&s.data, "data", cmp.Or(getenv("ATTACHE_DATA"), "data"), "folder for the index and state (default: $ATTACHE_DATA, else ./data)")
}

// loadCorpus reads the articles, reporting files that could not be read on
// stderr without stopping.
func (s *store) loadCorpus(logger *slog.Logger) ([]corpus.Article, []*corpus.FileError, error) {
	var (
		arts     []corpus.Article
		problems []*corpus.FileError
		err      error
	)
	if s.corpus == "" {
		arts, problems, err = corpus.LoadFS(corpus.Embedded())
	} else {
		arts, problems, err = corpus.Load(s.corpus)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load corpus: %w", err)
	}
	for _, p := range problems {
		logger.Warn("skipped article file", "file", p.Path, "err", p.Err)
	}
	return arts, problems, nil
}

// open opens the index under the data folder and brings it up to date with
// the corpus.
func (s *store) open(ctx context.Context, logger *slog.Logger, progress func(done, total int)) (*index.Index, index.SyncStats, int, error) {
	arts, problems, err := s.loadCorpus(logger)
	if err != nil {
		return nil, index.SyncStats{}, 0, err
	}
	ix, err := index.Open(ctx, s.data, index.Options{Logger: logger, Progress: progress})
	if err != nil {
		return nil, index.SyncStats{}, 0, err
	}
	st, err := ix.Sync(ctx, arts)
	if err != nil {
		ix.Close()
		return nil, index.SyncStats{}, 0, fmt.Errorf("update index: %w", err)
	}
	return ix, st, len(problems), nil
}

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("index", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var s store
	s.register(fset, getenv)
	if err := fset.Parse(args); err != nil {
		return errUsage
	}
	logger := newLogger(getenv, stderr)
	start := time.Now()
	ix, st, skipped, err := s.open(ctx, logger, progressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()
	fmt.Fprintf(stdout, "indexed %d articles, %d passages (%d added, %d updated, %d removed, %d unchanged), %d files skipped, in %s\n",
		st.Articles, st.Passages, st.Added, st.Updated, st.Removed, st.Unchanged, skipped, time.Since(start).Round(time.Millisecond))
	return nil
}

// progressBar returns a Sync progress callback that draws a bar on w when w
// is a terminal, and nil otherwise (no bar in logs and pipes).
func progressBar(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if total < 300 {
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("indexing articles"),
				progressbar.OptionShowCount(),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
		}
		_ = bar.Set(done)
		if done >= total {
			_ = bar.Finish()
		}
	}
}

// jsonAnswer is the JSON contract of attache ask --json, read by other
// tools and by our evaluation: keep its shape exactly.
type jsonAnswer struct {
	Question string       `json:"question"`
	Answers  []jsonResult `json:"answers"`
}

type jsonResult struct {
	Passage string      `json:"passage"`
	Score   float64     `json:"score"`
	Dates   []string    `json:"dates"`
	Article jsonArticle `json:"article"`
}

type jsonArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

func runAsk(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("ask", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var s store
	s.register(fset, getenv)
	k := fset.Int("k", 3, "how many answers to show")
	asJSON := fset.Bool("json", false, "print answers as JSON, one object per question")
	if err := fset.Parse(args); err != nil {
		return errUsage
	}
	if *k < 1 || *k > 50 {
		return fmt.Errorf("-k must be between 1 and 50, not %d", *k)
	}
	logger := newLogger(getenv, stderr)
	ix, _, _, err := s.open(ctx, logger, progressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()

	answer := func(q string) error {
		answers, err := ix.Search(ctx, index.Query{Text: q, K: *k})
		if err != nil {
			return fmt.Errorf("answer %q: %w", q, err)
		}
		if *asJSON {
			return writeJSON(stdout, q, answers)
		}
		writeText(stdout, q, answers)
		return nil
	}

	if fset.NArg() > 0 {
		return answer(strings.Join(fset.Args(), " "))
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, usage)
		return errors.New("ask needs a question (or questions on standard input, one a line)")
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := answer(sc.Text()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, q string, answers []index.Answer) error {
	out := jsonAnswer{Question: q, Answers: []jsonResult{}}
	for _, a := range answers {
		r := jsonResult{
			Passage: a.Passage,
			Score:   math.Round(a.Score*1000) / 1000,
			Dates:   []string{},
			Article: jsonArticle{ID: a.Article.ID, Title: a.Article.Title, Source: a.Article.Source, URL: a.Article.URL},
		}
		for _, d := range a.Dates {
			r.Dates = append(r.Dates, d.Date.Format(time.DateOnly))
		}
		if !a.Article.Published.IsZero() {
			r.Article.Published = a.Article.Published.UTC().Format(time.RFC3339)
		}
		out.Answers = append(out.Answers, r)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

func writeText(w io.Writer, q string, answers []index.Answer) {
	if len(answers) == 0 {
		fmt.Fprintf(w, "No answer: the articles I have don't cover %q.\n\n", q)
		return
	}
	for i, a := range answers {
		fmt.Fprintf(w, "%d. %s\n", i+1, a.Passage)
		for _, d := range a.Dates {
			fmt.Fprintf(w, "   %s → %s\n", d.Text, d.Date.Format("Mon 2 Jan 2006"))
		}
		fmt.Fprintf(w, "   — %s\n", citation(a.Article))
	}
	fmt.Fprintln(w)
}

// citation renders "Title, Source, date (link)", leaving out what is unknown.
func citation(a index.ArticleInfo) string {
	parts := []string{cmp.Or(a.Title, a.ID)}
	if a.Source != "" {
		parts = append(parts, a.Source)
	}
	if !a.Published.IsZero() {
		parts = append(parts, a.Published.UTC().Format("2 Jan 2006"))
	}
	s := strings.Join(parts, ", ")
	if a.URL != "" {
		s += " (" + a.URL + ")"
	}
	return s
}

// runServe runs the Discord bot until ctx is cancelled.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("serve: not wired yet")
}

// runConsole runs the bot's command handlers in a terminal.
func runConsole(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errors.New("console: not wired yet")
}
