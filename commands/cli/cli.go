// Package cli holds attache's command-line verbs (ask, index, summary,
// digest, feeds), the configuration every subcommand reads, and the
// Store that opens the corpus and the index for them and for the bot.
package cli

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Usage is the usage text of attache and its subcommands.
const Usage = `attache answers questions about current diplomacy from news articles.

Usage:
  attache ask [--corpus DIR] [--data DIR] [-k N] [--json] [--explain] [QUESTION]
  attache index [--corpus DIR] [--data DIR] [--watch] [--rebuild]
  attache summary [--corpus DIR] [--data DIR] [--since 24h|3d|7d|30d|all] [--json] TOPIC
  attache digest [--corpus DIR] [--data DIR] [--since DURATION|all] [--topic TOPIC] [--json]
  attache upcoming [--corpus DIR] [--data DIR] [--topic TOPIC] [--from DATE] [--days N] [--json | --ics]
  attache timeline [--corpus DIR] [--data DIR] [--json] TOPIC
  attache feeds add URL | list | remove ID | poll  [--corpus DIR] [--data DIR]
  attache console [--corpus DIR] [--data DIR]
  attache serve [--http ADDR]

Flags may come before or after the other words. Run "attache COMMAND -h"
for a command's flags. Settings are read from the
environment and from a .env file; see .env.example.
`

// ErrUsage reports a command line that could not be understood; the usage
// text has already been printed.
var ErrUsage = errors.New("invalid usage")

// NewFlagSet returns the flag set of subcommand name, whose -h prints the
// subcommand's line of the usage text and its flags to stderr.
func NewFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage:")
		for line := range strings.Lines(Usage) {
			if strings.HasPrefix(line, "  attache "+name+" ") {
				fmt.Fprint(stderr, line)
			}
		}
		fmt.Fprintln(stderr, "\nFlags:")
		fset.PrintDefaults()
	}
	return fset
}

// BadUsage is what a subcommand returns when its command line, parsed
// with err, is not one it takes: nil after -h (the flag package printed
// the help asked for), else ErrUsage after printing the usage text.
func BadUsage(err error, stderr io.Writer) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err == nil { // words where none are taken
		fmt.Fprint(stderr, Usage)
	}
	return ErrUsage
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

// ReadConfig reads the configuration from getenv and the .env file
// ($ATTACHE_ENV_FILE, else ./.env), the real environment winning.
func ReadConfig(getenv func(string) string) (Config, error) {
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

// NewLogger builds the one logger of the process from LOG_LEVEL and
// LOG_FORMAT.
func NewLogger(getenv func(string) string, w io.Writer) *slog.Logger {
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

// QuietLogger is the logger of the one-shot commands (ask, index, summary,
// digest, feeds): warnings and errors only, unless LOG_LEVEL says
// otherwise, so that answers are not buried in progress notes.
func QuietLogger(getenv func(string) string, w io.Writer) *slog.Logger {
	return NewLogger(func(k string) string {
		if k == "LOG_LEVEL" {
			return cmp.Or(getenv(k), "warn")
		}
		return getenv(k)
	}, w)
}

// count is "1 article", "2 articles".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// ProgressBar returns a Sync progress callback that draws a bar on w when w
// is a terminal, and nil otherwise (no bar in logs and pipes).
func ProgressBar(w io.Writer) func(done, total int) {
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

// ParseAnywhere parses flags wherever they stand among args and returns
// the other words in order; the flag package alone stops at the first
// word that is not a flag.
func ParseAnywhere(fset *flag.FlagSet, args []string) ([]string, error) {
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
