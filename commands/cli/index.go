package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"attache/corpus/watch"
)

// Index brings the index up to date with the articles (attache index),
// rebuilds it with --rebuild, and keeps it current with --watch.
func Index(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fset := NewFlagSet("index", stderr)
	s := NewStore(stderr)
	s.Register(fset, cfg)
	watching := fset.Bool("watch", false, "keep the index current with the articles folder until interrupted")
	fset.BoolVar(&s.rebuild, "rebuild", false, "rebuild the index from the articles (the old one is kept aside); the bot's state is left alone")
	if words, err := ParseAnywhere(fset, args); err != nil || len(words) > 0 {
		return BadUsage(err, stderr)
	}
	logger := QuietLogger(cfg.Getenv, stderr)
	var w *watch.Watcher
	if *watching {
		logger = NewLogger(cfg.Getenv, stderr)
	}
	s.LogStart(logger, "index")
	if *watching {
		var err error
		if w, err = s.Watcher(logger); err != nil {
			return err
		}
	}
	start := time.Now()
	ix, st, skipped, err := s.Open(ctx, logger, ProgressBar(stderr))
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
	fmt.Fprintf(stdout, "watching %s for changes; Ctrl-C to stop\n", s.ArticlesDir())
	stop := s.Follow(ctx, w, ix, nil, logger)
	<-ctx.Done()
	stop()
	return nil
}
