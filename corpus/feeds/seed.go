package feeds

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// SeedAddedBy is the AddedBy of feeds added by Seed.
const SeedAddedBy = "seed"

// Seed adds the feeds named by spec that are not present yet. spec is what
// ATTACHE_FEEDS holds: comma-separated URLs, or the path of an OPML file.
// A feed that cannot be added is logged and skipped; Seed returns an error
// only when the OPML file cannot be read or ctx ends.
func (m *Manager) Seed(ctx context.Context, spec string) error {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil
	}
	var urls []string
	if strings.Contains(spec, "://") {
		for u := range strings.SplitSeq(spec, ",") {
			if u = strings.TrimSpace(u); u != "" {
				urls = append(urls, u)
			}
		}
	} else {
		var err error
		if urls, err = readOPML(spec); err != nil {
			return fmt.Errorf("seed feeds: %w", err)
		}
	}
	for _, u := range urls {
		if err := m.checkNotAdded(u); errors.Is(err, ErrDuplicate) {
			continue
		}
		f, p, err := m.Add(ctx, u, SeedAddedBy)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			m.log.Warn("seed feed not added", "url", u, "err", err)
			continue
		}
		m.log.Info("seed feed added", "feed", f.ID, "title", f.Title, "items", p.ItemCount)
	}
	return nil
}

// readOPML returns the xmlUrl of every outline in an OPML file, at any
// depth.
func readOPML(path string) ([]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read OPML: %w", err)
	}
	defer file.Close()
	var urls []string
	dec := xml.NewDecoder(io.LimitReader(file, DefaultMaxBytes))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read OPML %q: %w", path, err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok || !strings.EqualFold(el.Name.Local, "outline") {
			continue
		}
		for _, a := range el.Attr {
			if strings.EqualFold(a.Name.Local, "xmlUrl") && strings.TrimSpace(a.Value) != "" {
				urls = append(urls, strings.TrimSpace(a.Value))
			}
		}
	}
	if len(urls) == 0 {
		return nil, fmt.Errorf("read OPML %q: no outline has an xmlUrl", path)
	}
	return urls, nil
}
