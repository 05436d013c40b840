package cli

import (
	"context"
	"io"
	"strings"
	"time"

	"attache/commands"
)

// Summary prints the summary /summary would post, as Markdown.
func Summary(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := NewFlagSet("summary", stderr)
	s := NewStore(stderr)
	s.Register(fset, cfg)
	since := fset.String("since", "all", "period to cover: 24h, 3d, 7d, 30d or all")
	asJSON := fset.Bool("json", false, `print the summary as JSON: {"topic", "bullets": [{"text", "dates", "articles"}]}`)
	// attache summary "alaska summit" --since 7d: flags after the topic.
	words, err := ParseAnywhere(fset, args)
	if err != nil {
		return BadUsage(err, stderr)
	}
	topic := strings.Join(words, " ")
	ix, logger, err := s.start(ctx, cfg, "summary", stderr)
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
