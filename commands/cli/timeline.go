package cli

import (
	"context"
	"io"
	"strings"
	"time"

	"attache/commands"
)

// Timeline prints how a story unfolded, as /timeline shows it.
func Timeline(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := NewFlagSet("timeline", stderr)
	s := NewStore(stderr)
	s.Register(fset, cfg)
	asJSON := fset.Bool("json", false, `print the timeline as JSON: {"topic", "entries": [{"date", "text", "article"}]}`)
	words, err := ParseAnywhere(fset, args)
	if err != nil {
		return BadUsage(err, stderr)
	}
	ix, book, err := s.startCalendar(ctx, cfg, "timeline", stderr)
	if err != nil {
		return err
	}
	defer ix.Close()
	t, err := commands.BuildTimeline(ctx, book, ix, strings.Join(words, " "), time.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		return t.WriteJSON(stdout)
	}
	_, err = io.WriteString(stdout, t.Markdown())
	return err
}
