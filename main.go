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
	"io/fs"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"attache/bot"
	"attache/commands"
	"attache/commands/schedule"
	"attache/corpus"
	"attache/corpus/feeds"
	"attache/corpus/watch"
	"attache/index"
	"github.com/bwmarrin/discordgo"
	"github.com/joho/godotenv"
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
  attache ask [--corpus DIR] [--data DIR] [-k N] [--json] [--explain] [QUESTION]
  attache index [--corpus DIR] [--data DIR] [--watch] [--rebuild]
  attache summary [--corpus DIR] [--data DIR] [--since 24h|3d|7d|30d|all] [--json] TOPIC
  attache digest [--corpus DIR] [--data DIR] [--since DURATION|all] [--topic TOPIC] [--json]
  attache feeds add URL | list | remove ID | poll  [--corpus DIR] [--data DIR]
  attache console [--corpus DIR] [--data DIR]
  attache serve [--http ADDR]

Flags may come before or after the other words. Run "attache COMMAND -h"
for a command's flags. Settings are read from the
environment and from a .env file; see .env.example.
`

// errUsage reports a command line that could not be understood; the usage
// text has already been printed.
var errUsage = errors.New("invalid usage")

// newFlagSet returns the flag set of subcommand name, whose -h prints the
// subcommand's line of the usage text and its flags to stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage:")
		for line := range strings.Lines(usage) {
			if strings.HasPrefix(line, "  attache "+name+" ") {
				fmt.Fprint(stderr, line)
			}
		}
		fmt.Fprintln(stderr, "\nFlags:")
		fset.PrintDefaults()
	}
	return fset
}

// badUsage is what a subcommand returns when its command line, parsed
// with err, is not one it takes: nil after -h (the flag package printed
// the help asked for), else errUsage after printing the usage text.
func badUsage(err error, stderr io.Writer) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err == nil { // words where none are taken
		fmt.Fprint(stderr, usage)
	}
	return errUsage
}

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
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "ask", "index", "summary", "digest", "feeds", "serve", "console":
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	// Every subcommand reads its settings the same way, once: the real
	// environment, then .env.
	cfg, err := readConfig(getenv)
	if err != nil {
		return err
	}
	switch cmd {
	case "ask":
		return runAsk(ctx, rest, cfg, stdin, stdout, stderr)
	case "index":
		return runIndex(ctx, rest, cfg, stdout, stderr)
	case "summary":
		return runSummary(ctx, rest, cfg, stdout, stderr)
	case "digest":
		return runDigest(ctx, rest, cfg, stdout, stderr)
	case "feeds":
		return runFeeds(ctx, rest, cfg, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, cfg, stdout, stderr)
	default: // console
		return runConsole(ctx, rest, cfg, stdin, stdout, stderr)
	}
}

// Config holds the settings every subcommand shares. It is read once, in
// run, from the environment and the .env file; flags then override it.
type Config struct {
	// Corpus is the folder of articles; empty means the bundled ones.
	Corpus string
	// Data is the folder of the index and the bot's state.
	Data string
	// Getenv reads any other setting: the real environment, else .env.
	Getenv func(string) string
}

// DefaultConfig is the configuration with nothing set.
func DefaultConfig() Config {
	return Config{Data: "data", Getenv: func(string) string { return "" }}
}

// readConfig reads the configuration from getenv and the .env file
// ($ATTACHE_ENV_FILE, else ./.env), the real environment winning.
func readConfig(getenv func(string) string) (Config, error) {
	getenv, err := withDotEnv(getenv)
	if err != nil {
		return Config{}, err
	}
	cfg := DefaultConfig()
	cfg.Getenv = getenv
	cfg.Corpus = cmp.Or(getenv("ATTACHE_CORPUS"), cfg.Corpus)
	cfg.Data = cmp.Or(getenv("ATTACHE_DATA"), cfg.Data)
	return cfg, nil
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

// cliLogger is the logger of the one-shot commands (ask, index, summary,
// digest, feeds): warnings and errors only, unless LOG_LEVEL says
// otherwise, so that answers are not buried in progress notes.
func cliLogger(getenv func(string) string, w io.Writer) *slog.Logger {
	return newLogger(func(k string) string {
		if k == "LOG_LEVEL" {
			return cmp.Or(getenv(k), "warn")
		}
		return getenv(k)
	}, w)
}

// store holds the flags shared by the commands that read the corpus and
// the index.
type store struct {
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
	healed   bool
	reported index.Repair
}

func (s *store) register(fset *flag.FlagSet, cfg Config) {
	fset.StringVar(&s.corpus, "corpus", cfg.Corpus, "folder of articles, $ATTACHE_CORPUS; empty reads the bundled articles")
	fset.StringVar(&s.data, "data", cfg.Data, "folder for the index and state, $ATTACHE_DATA")
}

// logStart logs the folders that the command works on, once, at start.
func (s *store) logStart(logger *slog.Logger, cmd string) {
	data, err := filepath.Abs(s.data)
	if err != nil {
		data = s.data
	}
	logger.Info("starting", "command", cmd, "data", data, "corpus", cmp.Or(s.corpus, "(bundled)"))
}

// loadCorpus reads the articles, reporting files that could not be read on
// stderr without stopping. Files that known says are unchanged are not read
// again (see corpus.LoadOptions).
func (s *store) loadCorpus(logger *slog.Logger, known func(id string, st corpus.Stamp) (string, bool)) ([]corpus.Article, []*corpus.FileError, error) {
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
			more, moreProblems, err = corpus.LoadWith(s.articlesDir(), corpus.LoadOptions{
				Known: func(id string, st corpus.Stamp) (string, bool) { return known(prefix+id, st) },
			})
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

// articlesDir is the folder that new articles go to (from feeds) and that
// is watched for changes: the corpus folder, or with the bundled corpus,
// articles/ under the data folder.
func (s *store) articlesDir() string {
	if s.corpus != "" {
		return s.corpus
	}
	return filepath.Join(s.data, "articles")
}

// idPrefix is what article IDs from articlesDir start with, so that they
// cannot collide with the bundled articles' IDs.
func (s *store) idPrefix() string {
	if s.corpus != "" {
		return ""
	}
	return "articles/"
}

// open opens the index under the data folder and brings it up to date with
// the corpus. A damaged index is rebuilt from the articles, and said so in
// one line. When bringing it up to date fails otherwise (a full disk), the
// index is kept as it is, with a line saying that it is behind, and the
// failure in s.behind.
func (s *store) open(ctx context.Context, logger *slog.Logger, progress func(done, total int)) (*index.Index, index.SyncStats, int, error) {
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

// behindError is a failure to bring the index up to date: the index is
// still there to answer from.
type behindError struct{ err error }

func (e *behindError) Error() string { return "update index: " + e.err.Error() }
func (e *behindError) Unwrap() error { return e.err }

// sync loads the corpus and brings ix up to date with it, returning how
// many files were skipped. A failure of the update itself is a
// *behindError.
func (s *store) sync(ctx context.Context, ix *index.Index, logger *slog.Logger) (index.SyncStats, int, error) {
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
func (s *store) heal(ctx context.Context, ix *index.Index, logger *slog.Logger, err error) bool {
	if !errors.Is(err, index.ErrDamaged) || s.healed {
		return false
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
	s.reportRepair(ix)
	return true
}

// reportRepair says in one plain line what was done to a damaged index.
func (s *store) reportRepair(ix *index.Index) {
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
func (s *store) note(format string, args ...any) {
	if s.stderr != nil {
		fmt.Fprintf(s.stderr, format+"\n", args...)
	}
}

func runIndex(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := newFlagSet("index", stderr)
	s := store{stderr: stderr}
	s.register(fset, cfg)
	watching := fset.Bool("watch", false, "keep the index current with the articles folder until interrupted")
	fset.BoolVar(&s.rebuild, "rebuild", false, "rebuild the index from the articles (the old one is kept aside); the bot's state is left alone")
	if words, err := parseAnywhere(fset, args); err != nil || len(words) > 0 {
		return badUsage(err, stderr)
	}
	logger := cliLogger(cfg.Getenv, stderr)
	var w *watch.Watcher
	if *watching {
		logger = newLogger(cfg.Getenv, stderr)
	}
	s.logStart(logger, "index")
	if *watching {
		var err error
		if w, err = s.watcher(logger); err != nil {
			return err
		}
	}
	start := time.Now()
	ix, st, skipped, err := s.open(ctx, logger, progressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()
	if s.behind != nil {
		return fmt.Errorf("update index: %w", s.behind)
	}
	fmt.Fprintf(stdout, "indexed %s, %s (%d added, %d updated, %d removed, %d unchanged), %s skipped, in %s\n",
		count(st.Articles, "article"), count(st.Passages, "passage"), st.Added, st.Updated, st.Removed, st.Unchanged,
		count(skipped, "file"), time.Since(start).Round(time.Millisecond))
	if w == nil {
		return nil
	}
	fmt.Fprintf(stdout, "watching %s for changes; Ctrl-C to stop\n", s.articlesDir())
	stop := s.follow(ctx, w, ix, logger)
	<-ctx.Done()
	stop()
	return nil
}

// count is "1 article", "2 articles".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
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
	// Refusal, with --explain, says why a question got no answer.
	Refusal *index.Explanation `json:"refusal,omitempty"`
	// Error says why a question of a batch was not asked.
	Error string `json:"error,omitempty"`
}

type jsonResult struct {
	Passage    string      `json:"passage"`
	Score      float64     `json:"score"`
	Confidence float64     `json:"confidence"`
	Dates      []string    `json:"dates"`
	Article    jsonArticle `json:"article"`
	// Explanation, with --explain: the features and what each added.
	Explanation *index.Explanation `json:"explanation,omitempty"`
}

type jsonArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

func runAsk(ctx context.Context, args []string, cfg Config, stdin io.Reader, stdout, stderr io.Writer) error {
	fset := newFlagSet("ask", stderr)
	s := store{stderr: stderr}
	s.register(fset, cfg)
	k := fset.Int("k", 3, "how many answers to show")
	asJSON := fset.Bool("json", false, "print answers as JSON, one object per question")
	explain := fset.Bool("explain", false, "show how each answer was scored, or why none was good enough")
	words, err := parseAnywhere(fset, args)
	if err != nil {
		return badUsage(err, stderr)
	}
	if *k < 1 || *k > 50 {
		return fmt.Errorf("-k must be between 1 and 50, not %d", *k)
	}
	logger := cliLogger(cfg.Getenv, stderr)
	s.logStart(logger, "ask")
	ix, _, _, err := s.open(ctx, logger, progressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()

	answer := func(q string) error {
		_, search, err := commands.CheckQuestion(q)
		if err != nil {
			return err
		}
		query := index.Query{Text: search, K: *k, Explain: *explain}
		res, err := ix.Ask(ctx, query)
		if s.heal(ctx, ix, logger, err) {
			res, err = ix.Ask(ctx, query)
		}
		if err != nil {
			return fmt.Errorf("answer %q: %w", clip(q), err)
		}
		if *asJSON {
			return writeJSON(stdout, q, res)
		}
		writeText(stdout, q, res)
		return nil
	}

	if len(words) > 0 {
		q := strings.Join(words, " ")
		if err := answer(q); err != nil {
			return questionError(q, err)
		}
		return nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, usage)
		return errors.New("ask needs a question (or questions on standard input, one a line)")
	}
	// One question a line, of any length: a line too long or without
	// words is answered with what is wrong with it, and the batch goes on.
	err = eachLine(stdin, maxLine, func(q string, chars int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := errLineTooLong
		if chars <= maxLine {
			err = answer(q)
		}
		var ue *commands.UserError
		if err == nil || !(errors.As(err, &ue) || errors.Is(err, errLineTooLong)) {
			return err
		}
		msg := questionError(q, err).Error()
		if errors.Is(err, errLineTooLong) {
			msg = fmt.Sprintf("the question is %d characters long; please keep it under %d", chars, commands.MaxQuestion)
		}
		if *asJSON {
			return writeJSONError(stdout, q, msg)
		}
		fmt.Fprintf(stdout, "Not asked: %s.\n\n", msg)
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("read questions: %w", err)
	}
	return err
}

// maxLine is how much of a line of questions is kept: far more than the
// longest question, so that its length can be told, and little enough
// that a huge line costs no memory.
const maxLine = 64 << 10

// errLineTooLong marks a line of questions longer than maxLine.
var errLineTooLong = errors.New("line too long")

// eachLine calls fn with each line of r, without its line ending, and its
// length in characters. Lines may be of any length: of a line longer than
// keep bytes, only the first keep bytes are passed.
func eachLine(r io.Reader, keep int, fn func(line string, chars int) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		var (
			line  []byte
			chars int
			any   bool
		)
		for {
			chunk, err := br.ReadSlice('\n')
			any = any || len(chunk) > 0
			for _, c := range chunk {
				if c&0xC0 != 0x80 && c != '\n' && c != '\r' {
					chars++ // a byte that starts a character
				}
			}
			if room := keep - len(line); room > 0 {
				line = append(line, chunk[:min(room, len(chunk))]...)
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			if any {
				if ferr := fn(strings.TrimRight(string(line), "\r\n"), chars); ferr != nil {
					return ferr
				}
			}
			if err != nil { // io.EOF
				return nil
			}
			break
		}
	}
}

// clip shortens a question for echoing it back in a message.
func clip(q string) string {
	return commands.Truncate(strings.Join(strings.Fields(q), " "), 100)
}

// questionError is what the command line says about question q that err
// refused; other errors come back as they are.
func questionError(q string, err error) error {
	switch {
	case errors.Is(err, commands.ErrNoWords) && strings.TrimSpace(q) == "":
		return errors.New(`the question is empty; ask in words, for example: attache ask "when is the Alaska summit?"`)
	case errors.Is(err, commands.ErrNoWords):
		return fmt.Errorf(`the question %q has no words to look for; ask in words, for example: attache ask "when is the Alaska summit?"`, clip(q))
	case errors.Is(err, commands.ErrQuestionTooLong):
		return fmt.Errorf("the question is %d characters long; please keep it under %d", commands.Length(strings.Join(strings.Fields(q), " ")), commands.MaxQuestion)
	}
	return err
}

// writeJSONError writes the object of a question that was not asked.
func writeJSONError(w io.Writer, q, msg string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonAnswer{Question: clip(q), Answers: []jsonResult{}, Error: msg}); err != nil {
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, q string, res index.Result) error {
	out := jsonAnswer{Question: q, Answers: []jsonResult{}, Refusal: res.Refusal}
	for _, a := range res.Answers {
		r := jsonResult{
			Passage:     a.Passage,
			Score:       math.Round(a.Score*1000) / 1000,
			Confidence:  math.Round(a.Confidence*1000) / 1000,
			Dates:       []string{},
			Article:     jsonArticle{ID: a.Article.ID, Title: a.Article.Title, Source: a.Article.Source, URL: a.Article.URL},
			Explanation: a.Explanation,
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

func writeText(w io.Writer, q string, res index.Result) {
	if len(res.Answers) == 0 {
		fmt.Fprintf(w, "No answer: the articles I have don't cover %q.\n", clip(q))
		if res.Refusal != nil {
			fmt.Fprint(w, indent(res.Refusal.String(), "   "))
		}
		fmt.Fprintln(w)
		return
	}
	for i, a := range res.Answers {
		fmt.Fprintf(w, "%d. %s\n", i+1, a.Passage)
		for _, d := range a.Dates {
			fmt.Fprintf(w, "   %s → %s\n", d.Text, d.Date.Format("Mon 2 Jan 2006"))
		}
		fmt.Fprintf(w, "   — %s\n", citation(a.Article))
		if a.Explanation != nil {
			fmt.Fprint(w, indent(a.Explanation.String(), "   "))
		}
	}
	fmt.Fprintln(w)
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
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
func runServe(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	getenv := cfg.Getenv
	fset := newFlagSet("serve", stderr)
	s := store{stderr: stderr}
	s.register(fset, cfg)
	httpAddr := fset.String("http", getenv("ATTACHE_HTTP"), "serve Discord's interactions endpoint on this address (such as :8080) instead of connecting to the gateway (default: $ATTACHE_HTTP)")
	if words, err := parseAnywhere(fset, args); err != nil || len(words) > 0 {
		return badUsage(err, stderr)
	}
	// Check every setting before opening anything, and report all that
	// are wrong at once.
	bcfg, err := serveConfig(getenv, *httpAddr != "")
	if err != nil {
		return err
	}
	logger := newLogger(getenv, stderr)
	s.logStart(logger, "serve")
	// Watch the articles folder from before the index is brought up to
	// date, so that no change falls between the two.
	w, err := s.watcher(logger)
	if err != nil {
		return err
	}
	ix, st, _, err := s.open(ctx, logger, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err := ix.Close(); err != nil {
			logger.Warn("close index", "err", err)
		}
	}()
	logger.Info("index ready", "articles", st.Articles, "passages", st.Passages)
	stopWatching := s.follow(ctx, w, ix, logger)
	defer stopWatching()

	digests, err := schedule.Open(filepath.Join(s.data, "digests.db"))
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
	m, err := s.openFeeds(getenv, logger, func(ctx context.Context, f feeds.Feed) { b.FeedPaused(ctx, f) })
	if err != nil {
		return err
	}
	defer func() {
		if err := m.Close(); err != nil {
			logger.Warn("close feeds", "err", err)
		}
	}()
	bcfg.Digests, bcfg.Feeds = digests, m
	b = bot.New(bcfg, ix, logger)
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

// tokenHelp is the message for a missing or malformed DISCORD_TOKEN.
const tokenHelp = `Get a token in the Discord Developer Portal (https://discord.com/developers/applications):
  Applications → your app → Bot → Reset Token, and put it in .env as DISCORD_TOKEN=… (see .env.example).
To try attache without a token, run: go run . console   or   go run . ask "when is the Alaska summit?"`

// serveConfig reads the bot's settings, reporting every problem in one
// error.
func serveConfig(getenv func(string) string, httpMode bool) (bot.Config, error) {
	var (
		cfg      bot.Config
		problems []error
		err      error
	)
	cfg.Token, err = bot.ParseToken(getenv("DISCORD_TOKEN"))
	switch {
	case errors.Is(err, bot.ErrNoToken):
		problems = append(problems, errors.New("DISCORD_TOKEN is not set.\n"+tokenHelp))
	case err != nil:
		problems = append(problems, errors.New("DISCORD_TOKEN does not look like a bot token (three parts of letters, digits, - and _, separated by dots).\n"+tokenHelp))
	}
	for _, v := range []struct {
		name string
		dst  *string
	}{{"DISCORD_APP_ID", &cfg.AppID}, {"DISCORD_GUILD_ID", &cfg.GuildID}, {"ATTACHE_FEEDS_GUILD_ID", &cfg.FeedsGuildID}} {
		id := strings.TrimSpace(getenv(v.name))
		if id != "" && (len(id) > 20 || strings.Trim(id, "0123456789") != "") {
			problems = append(problems, fmt.Errorf("%s %q is not a Discord ID (digits only; copy it with Developer Mode on)", v.name, id))
		}
		*v.dst = id
	}
	// Feeds feed every server's answers, so only one server may change
	// them: by default the one the commands are registered in.
	cfg.FeedsGuildID = cmp.Or(cfg.FeedsGuildID, cfg.GuildID)
	base := cmp.Or(strings.TrimSpace(getenv("DISCORD_API_BASE")), discordgo.EndpointAPI)
	if cfg.Client, err = bot.NewHTTPClient(base, 15*time.Second); err != nil {
		problems = append(problems, fmt.Errorf("DISCORD_API_BASE: %w", err))
	}
	if cfg.AskRate, err = bot.ParseRate(cmp.Or(getenv("ATTACHE_ASK_RATE"), "5/30s")); err != nil {
		problems = append(problems, fmt.Errorf("ATTACHE_ASK_RATE: %w", err))
	}
	if v := getenv("ATTACHE_MAX_SEARCHES"); v != "" {
		if cfg.MaxSearches, err = strconv.Atoi(v); err != nil || cfg.MaxSearches < 1 || cfg.MaxSearches > 1000 {
			problems = append(problems, fmt.Errorf("ATTACHE_MAX_SEARCHES %q: want a number from 1 to 1000", v))
		}
	}
	if v := getenv("ATTACHE_DEFER_AFTER"); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil || d < 0 || d > 2500*time.Millisecond:
			problems = append(problems, fmt.Errorf("ATTACHE_DEFER_AFTER %q: want a duration from 0s to 2.5s, leaving time within Discord's 3 seconds", v))
		case d == 0:
			cfg.DeferAfter = -1 // always defer
		default:
			cfg.DeferAfter = d
		}
	}
	if v := getenv("ATTACHE_DIGEST_GRACE"); v != "" {
		if cfg.DigestGrace, err = time.ParseDuration(v); err != nil || cfg.DigestGrace < time.Minute || cfg.DigestGrace > 7*24*time.Hour {
			problems = append(problems, fmt.Errorf("ATTACHE_DIGEST_GRACE %q: want a duration from 1m to 168h, such as 6h", v))
		}
	}
	if v := strings.TrimSpace(getenv("ATTACHE_LOG_CHANNEL_ID")); v != "" {
		if len(v) > 20 || strings.Trim(v, "0123456789") != "" {
			problems = append(problems, fmt.Errorf("ATTACHE_LOG_CHANNEL_ID %q is not a Discord ID (digits only; copy it with Developer Mode on)", v))
		}
		cfg.LogChannelID = v
	}
	if httpMode {
		if v := getenv("DISCORD_PUBLIC_KEY"); v == "" {
			problems = append(problems, errors.New("DISCORD_PUBLIC_KEY is required with --http: copy it from the Developer Portal → your app → General Information → Public Key"))
		} else if cfg.PublicKey, err = bot.ParsePublicKey(v); err != nil {
			problems = append(problems, fmt.Errorf("DISCORD_PUBLIC_KEY: %w", err))
		}
	}
	return cfg, errors.Join(problems...)
}

// withDotEnv returns a getenv that also reads the .env file
// ($ATTACHE_ENV_FILE, else ./.env) when there is one; the real environment
// wins over the file, and the process environment is left alone.
func withDotEnv(getenv func(string) string) (func(string) string, error) {
	path := cmp.Or(getenv("ATTACHE_ENV_FILE"), ".env")
	vars, err := godotenv.Read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return getenv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read settings from %s: %w", path, err)
	}
	return func(key string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return vars[key]
	}, nil
}

// runConsole runs the bot's command handlers in a terminal.
func runConsole(ctx context.Context, args []string, cfg Config, stdin io.Reader, stdout, stderr io.Writer) error {
	fset := newFlagSet("console", stderr)
	s := store{stderr: stderr}
	s.register(fset, cfg)
	if words, err := parseAnywhere(fset, args); err != nil || len(words) > 0 {
		return badUsage(err, stderr)
	}
	// Log only warnings by default: the terminal is for the answers.
	logger := cliLogger(cfg.Getenv, stderr)
	s.logStart(logger, "console")
	ix, _, _, err := s.open(ctx, logger, progressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()
	// One local user: no rate limit.
	b := bot.New(bot.Config{}, ix, logger)
	f, ok := stdin.(*os.File)
	interactive := ok && term.IsTerminal(int(f.Fd()))
	return b.Console(ctx, stdin, stdout, interactive)
}

// runSummary prints the summary /summary would post, as Markdown.
func runSummary(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := newFlagSet("summary", stderr)
	s := store{stderr: stderr}
	s.register(fset, cfg)
	since := fset.String("since", "all", "period to cover: 24h, 3d, 7d, 30d or all")
	asJSON := fset.Bool("json", false, `print the summary as JSON: {"topic", "bullets": [{"text", "dates", "articles"}]}`)
	// attache summary "alaska summit" --since 7d: flags after the topic.
	words, err := parseAnywhere(fset, args)
	if err != nil {
		return badUsage(err, stderr)
	}
	topic := strings.Join(words, " ")
	logger := cliLogger(cfg.Getenv, stderr)
	s.logStart(logger, "summary")
	ix, _, _, err := s.open(ctx, logger, progressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()
	sum, err := commands.Summarize(ctx, ix, topic, *since, time.Now())
	if s.heal(ctx, ix, logger, err) {
		sum, err = commands.Summarize(ctx, ix, topic, *since, time.Now())
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return sum.WriteJSON(stdout)
	}
	_, err = io.WriteString(stdout, sum.Markdown())
	return err
}

// runDigest prints the digest that would be posted now for a digest whose
// previous post was --since ago, as Markdown.
func runDigest(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := newFlagSet("digest", stderr)
	s := store{stderr: stderr}
	s.register(fset, cfg)
	since := fset.String("since", "24h", "what is new within this long (24h, 3d, 90m, or all)")
	topic := fset.String("topic", "", "only stories about this topic")
	asJSON := fset.Bool("json", false, `print the digest as JSON: {"since", "stories": [{"headline", "articles": [{"id", "title", "published"}]}]}`)
	if words, err := parseAnywhere(fset, args); err != nil || len(words) > 0 {
		return badUsage(err, stderr)
	}
	var from time.Time
	if *since != "all" {
		span, err := commands.ParseWindow(*since)
		if err != nil {
			if span, err = time.ParseDuration(*since); err != nil || span <= 0 {
				return fmt.Errorf("--since %q: give a duration such as 24h or 3d, or all", *since)
			}
		}
		if span > 0 {
			from = time.Now().Add(-span)
		}
	}
	logger := cliLogger(cfg.Getenv, stderr)
	s.logStart(logger, "digest")
	ix, _, _, err := s.open(ctx, logger, progressBar(stderr))
	if err != nil {
		return err
	}
	defer ix.Close()
	d, err := commands.BuildDigest(ctx, ix, from, *topic, nil)
	if s.heal(ctx, ix, logger, err) {
		d, err = commands.BuildDigest(ctx, ix, from, *topic, nil)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return d.WriteJSON(stdout)
	}
	_, err = io.WriteString(stdout, d.Markdown())
	return err
}

// openFeeds opens the feed subscriptions kept in the data folder; new
// articles go to the store's articles folder. onPaused, when not nil, is
// called when a poll pauses a feed.
func (s *store) openFeeds(getenv func(string) string, logger *slog.Logger, onPaused func(context.Context, feeds.Feed)) (*feeds.Manager, error) {
	if err := os.MkdirAll(s.articlesDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create articles folder: %w", err)
	}
	m, err := feeds.Open(feeds.Config{
		Dir:          s.articlesDir(),
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

// runFeeds manages feed subscriptions from the command line, for those who
// run the bot without moderator rights in Discord.
func runFeeds(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := newFlagSet("feeds", stderr)
	s := store{stderr: stderr}
	s.register(fset, cfg)
	if err := fset.Parse(args); err != nil {
		return badUsage(err, stderr)
	}
	// Flags may come after the verb and its argument too:
	// attache feeds add URL --data d.
	words, err := parseAnywhere(fset, fset.Args())
	if err != nil {
		return badUsage(err, stderr)
	}
	verb, rest := "", []string(nil)
	if len(words) > 0 {
		verb, rest = words[0], words[1:]
	}
	need := map[string]int{"add": 1, "remove": 1, "list": 0, "poll": 0}
	if n, ok := need[verb]; !ok || len(rest) != n {
		fmt.Fprint(stderr, "usage: attache feeds add URL | list | remove ID | poll\n")
		return errUsage
	}
	logger := cliLogger(cfg.Getenv, stderr)
	s.logStart(logger, "feeds")
	m, err := s.openFeeds(cfg.Getenv, logger, nil)
	if err != nil {
		return err
	}
	defer m.Close()
	switch verb {
	case "add":
		f, p, err := m.Add(ctx, rest[0], "command line")
		if err != nil {
			return fmt.Errorf("add feed: %w", err)
		}
		fmt.Fprintf(stdout, "added feed #%s: %s (%d items", f.ID, p.Title, p.ItemCount)
		if p.Newest.Title != "" {
			fmt.Fprintf(stdout, "; newest: %q", p.Newest.Title)
		}
		fmt.Fprintln(stdout, ")")
	case "remove":
		if err := m.Remove(ctx, rest[0]); err != nil {
			return fmt.Errorf("remove feed %s: %w", rest[0], err)
		}
		fmt.Fprintf(stdout, "removed feed #%s\n", strings.TrimPrefix(rest[0], "#"))
	case "list":
		list, err := m.List(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(stdout, "no feeds yet: add one with attache feeds add URL")
		}
		for _, f := range list {
			fmt.Fprintf(stdout, "#%s\t%s\t%s\t%s\n", f.ID, cmp.Or(f.Title, "(untitled)"), f.URL, f.Status())
		}
	case "poll":
		st, err := m.PollAll(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "polled %d feeds: %d new articles, %d updated, %d failed\n", st.Feeds, st.New, st.Updated, st.Failed)
		for _, e := range st.Errors {
			fmt.Fprintf(stderr, "  %v\n", e)
		}
	}
	return nil
}

// watcher starts watching the articles folder (creating it if needed).
func (s *store) watcher(logger *slog.Logger) (*watch.Watcher, error) {
	if err := os.MkdirAll(s.articlesDir(), 0o755); err != nil {
		return nil, fmt.Errorf("create articles folder: %w", err)
	}
	w, err := watch.New(s.articlesDir(), watch.Options{Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", s.articlesDir(), err)
	}
	return w, nil
}

// follow applies the watcher's changes to ix until ctx is done or the
// returned stop is called, which waits for the last change to be applied.
func (s *store) follow(ctx context.Context, w *watch.Watcher, ix *index.Index, logger *slog.Logger) (stop func()) {
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

// parseAnywhere parses flags wherever they stand among args and returns
// the other words in order; the flag package alone stops at the first
// word that is not a flag.
func parseAnywhere(fset *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		rest := fset.Args()
		if len(rest) == 0 {
			return words, nil
		}
		// "--" ends the flags: what follows is words, even "-k".
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(words, rest...), nil
		}
		words = append(words, rest[0])
		args = rest[1:]
	}
}
