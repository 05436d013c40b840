package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
)

// Feeds manages feed subscriptions from the command line, for those who
// run the bot without moderator rights in Discord.
func Feeds(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := NewFlagSet("feeds", stderr)
	s := NewStore(stderr)
	s.Register(fset, cfg)
	if err := fset.Parse(args); err != nil {
		return BadUsage(err, stderr)
	}
	// Flags may come after the verb and its argument too:
	// attache feeds add URL --data d.
	words, err := ParseAnywhere(fset, fset.Args())
	if err != nil {
		return BadUsage(err, stderr)
	}
	verb, rest := "", []string(nil)
	if len(words) > 0 {
		verb, rest = words[0], words[1:]
	}
	need := map[string]int{"add": 1, "remove": 1, "list": 0, "poll": 0}
	if n, ok := need[verb]; !ok || len(rest) != n {
		fmt.Fprint(stderr, "usage: attache feeds add URL | list | remove ID | poll\n")
		return ErrUsage
	}
	logger := QuietLogger(cfg.Getenv, stderr)
	s.LogStart(logger, "feeds")
	m, err := s.OpenFeeds(cfg.Getenv, logger, nil)
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
