package feeds

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	// minFullText is the length (in characters of plain text) below which
	// an item's text is taken for a summary and its page is fetched.
	minFullText = 600
	// maxTextBytes caps an article's text.
	maxTextBytes = 100 << 10
	// maxPageFetches bounds the pages fetched in one poll of one feed; the
	// rest keep their summary until a later poll.
	maxPageFetches = 30
	// maxPageTries is how often a page that failed is fetched again.
	maxPageTries = 3
)

// candidate is one feed item on its way to becoming an article.
type candidate struct {
	key       string // in bucketItems: feed ID and GUID
	title     string
	link      string // canonical URL, or ""
	urlKey    string
	published time.Time
	paras     []string
	print     string // fingerprint of the item as the feed carried it

	// full is set when the paragraphs are the article's whole text: the
	// feed's text is long, or the page was fetched, or there is no page.
	full bool
	// wantPage is set when the text is a summary whose page should be
	// fetched; pageFailed when fetching it failed.
	wantPage   bool
	pageFailed bool
	// prev is the item's record from an earlier poll, if any.
	prev *itemRecord
}

// parseFeed reads an RSS, Atom or JSON feed. A page that is none of them is
// refused with ErrNotFeed, naming what it was (and the feed it links to, if
// any).
func parseFeed(res *response) (*gofeed.Feed, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(res.body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		what := res.mediaType
		if what == "" {
			what = "an unknown"
		}
		err := fmt.Errorf("%w: got %s page", ErrNotFeed, what)
		if link := discoverFeed(res.body, res.url); link != "" {
			err = fmt.Errorf("%w (it links to a feed: %s)", err, link)
		}
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	return feed, nil
}

// discoverFeed returns the first feed an HTML page advertises with
// <link rel="alternate">, resolved against base.
func discoverFeed(body []byte, base *url.URL) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Head {
				return ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if atom.Lookup(name) != atom.Link || !hasAttr {
				continue
			}
			var rel, typ, href string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "rel":
					rel = strings.ToLower(string(v))
				case "type":
					typ = strings.ToLower(string(v))
				case "href":
					href = string(v)
				}
			}
			if !strings.Contains(rel, "alternate") || href == "" {
				continue
			}
			switch typ {
			case "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json":
				if u, err := base.Parse(href); err == nil {
					return u.String()
				}
			}
		}
	}
}

// candidates turns the feed's items into candidates, in feed order, each
// GUID once.
func candidates(feedID string, feed *gofeed.Feed, base *url.URL, now time.Time) []*candidate {
	seen := make(map[string]bool, len(feed.Items))
	var out []*candidate
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		c := newCandidate(feedID, it, base, now)
		if seen[c.key] {
			continue
		}
		seen[c.key] = true
		out = append(out, c)
	}
	return out
}

func newCandidate(feedID string, it *gofeed.Item, base *url.URL, now time.Time) *candidate {
	link := it.Link
	if link == "" && len(it.Links) > 0 {
		link = it.Links[0]
	}
	if link != "" {
		if u, err := base.Parse(strings.TrimSpace(link)); err == nil {
			link = u.String()
		}
	}
	c := &candidate{link: canonicalURL(link)}
	c.urlKey = urlKey(c.link)

	content, description := textParagraphs(it.Content), textParagraphs(it.Description)
	c.paras = content
	if textLen(description) > textLen(content) {
		c.paras = description
	}
	c.full = textLen(c.paras) >= minFullText || c.link == ""

	c.title = oneLine(it.Title)
	if strings.Contains(c.title, "<") {
		c.title = oneLine(strings.Join(textParagraphs(c.title), " "))
	}
	if c.title == "" && len(c.paras) > 0 {
		c.title = truncateRunes(c.paras[0], 80)
	}
	if c.title == "" {
		c.title = "Untitled"
	}

	c.published = itemTime(it)
	if c.published.IsZero() {
		c.published = now
	}
	// A date in the future is a feed's mistake; the first-seen time is
	// closer to the truth.
	if c.published.After(now.Add(24 * time.Hour)) {
		c.published = now
	}
	c.published = c.published.UTC().Truncate(time.Second)

	c.print = fingerprint(it.Title, link, it.Description, it.Content)
	guid := cmp.Or(strings.TrimSpace(it.GUID), link, "print:"+c.print)
	c.key = itemKey(feedID, guid)
	return c
}

// itemTime is when the item was published, else updated; zero if the
// feed does not say.
func itemTime(it *gofeed.Item) time.Time {
	switch {
	case it.PublishedParsed != nil:
		return *it.PublishedParsed
	case it.UpdatedParsed != nil:
		return *it.UpdatedParsed
	}
	return time.Time{}
}

// fetchPage fetches the item's page and replaces a summary with the
// article text that readability finds there, when that is longer.
func (m *Manager) fetchPage(ctx context.Context, c *candidate) error {
	res, err := m.fetch(ctx, c.link, acceptPage, "", "")
	if err != nil {
		return err
	}
	if res.mediaType != "text/html" && res.mediaType != "application/xhtml+xml" {
		return fmt.Errorf("page is %s, not HTML", res.mediaType)
	}
	paras, err := extractArticle(res.body, res.url)
	if err != nil {
		return err
	}
	if textLen(paras) > textLen(c.paras) {
		c.paras = paras
	}
	c.full = true
	return nil
}

// extractArticle finds an HTML page's article text. Scripts are never run:
// the page is only parsed.
func extractArticle(body []byte, pageURL *url.URL) ([]string, error) {
	parser := readability.NewParser()
	parser.MaxElemsToParse = 200_000
	art, err := parser.Parse(bytes.NewReader(body), pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract article: %w", err)
	}
	if art.Node == nil {
		return nil, errors.New("extract article: no readable text on the page")
	}
	return paragraphs(render.InnerText(art.Node)), nil
}

// textParagraphs turns an item's HTML or plain text into paragraphs.
func textParagraphs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if !strings.ContainsAny(s, "<&") {
		return paragraphs(s)
	}
	// With scripting off, <noscript> content is parsed as markup rather
	// than kept as raw text.
	doc, err := html.ParseWithOptions(strings.NewReader(s), html.ParseOptionEnableScripting(false))
	if err != nil {
		return paragraphs(s)
	}
	return paragraphs(render.InnerText(doc))
}

// paragraphs splits text into trimmed, single-spaced lines, capped at
// maxTextBytes in all.
func paragraphs(text string) []string {
	var out []string
	size := 0
	for line := range strings.Lines(text) {
		p := oneLine(line)
		if p == "" {
			continue
		}
		if size+len(p) > maxTextBytes {
			if rest := maxTextBytes - size; rest > 0 && len(out) == 0 {
				out = append(out, truncateBytes(p, rest))
			}
			break
		}
		out = append(out, p)
		size += len(p) + 1
	}
	return out
}

// oneLine collapses every run of white space (line breaks included) to one
// space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func textLen(paras []string) int {
	n := 0
	for _, p := range paras {
		n += utf8.RuneCountInString(p)
	}
	return n
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// truncateBytes cuts s to at most n bytes without splitting a character.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
