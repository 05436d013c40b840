package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"attache/commands"
)

// Upcoming prints the events to come, as /upcoming lists them: as
// Markdown, JSON or an iCalendar file.
func Upcoming(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := NewFlagSet("upcoming", stderr)
	s := NewStore(stderr)
	s.Register(fset, cfg)
	topic := fset.String("topic", "", "only the events of the stories about this topic")
	from := fset.String("from", "", "the first day to list, YYYY-MM-DD (default: today), to see the corpus as of a day")
	days := fset.Int("days", commands.DefaultUpcomingDays, "how many days to list")
	asJSON := fset.Bool("json", false, `print the events as JSON: {"from", "events": [{"date", "end", "time", "label", "place", "passage", "uid", "article"}]}`)
	asICS := fset.Bool("ics", false, "print the events as an iCalendar file")
	words, err := ParseAnywhere(fset, args)
	if err != nil {
		return BadUsage(err, stderr)
	}
	if len(words) > 0 || *asJSON && *asICS { // no words; --json or --ics, not both
		return BadUsage(nil, stderr)
	}
	start := time.Now()
	if *from != "" {
		t, err := time.Parse(time.DateOnly, *from)
		if err != nil {
			return fmt.Errorf("--from %q: give a day as YYYY-MM-DD", *from)
		}
		start = t
	}
	ix, book, err := s.startCalendar(ctx, cfg, "upcoming", stderr)
	if err != nil {
		return err
	}
	defer ix.Close()
	u, err := commands.ListUpcoming(ctx, book, ix, *topic, start, *days)
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return u.WriteJSON(stdout)
	case *asICS:
		return u.WriteICS(stdout, time.Now())
	}
	_, err = io.WriteString(stdout, u.Markdown())
	return err
}
