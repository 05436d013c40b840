package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"attache/commands"
)

// Digest prints the digest that would be posted now for a digest whose
// previous post was --since ago, as Markdown.
func Digest(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := NewFlagSet("digest", stderr)
	s := NewStore(stderr)
	s.Register(fset, cfg)
	since := fset.String("since", "24h", "what is new within this long (24h, 3d, 90m, or all)")
	topic := fset.String("topic", "", "only stories about this topic")
	asJSON := fset.Bool("json", false, `print the digest as JSON: {"since", "stories": [{"headline", "articles": [{"id", "title", "published"}]}]}`)
	if words, err := ParseAnywhere(fset, args); err != nil || len(words) > 0 {
		return BadUsage(err, stderr)
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
	ix, logger, err := s.start(ctx, cfg, "digest", stderr)
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
