package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"attache/corpus/dates"
	"attache/corpus/summarize"
	"attache/index"
)

// keptStories bounds the stories a digest remembers for the next one's
// "what changed" lines.
const keptStories = 200

// StoryReader lists the articles that came into the index since a time.
type StoryReader interface {
	Stories(ctx context.Context, since time.Time, topic string) ([]index.Story, error)
}

// Digest is what is new in the index since a time, grouped by story.
type Digest struct {
	Topic   string
	Since   time.Time
	Stories []DigestStory
	// State is what the next digest of the same channel needs to say what
	// changed: pass it back as prev.
	State []byte
}

// DigestStory is one story of a digest.
type DigestStory struct {
	Headline string
	Lead     string
	Dates    []dates.Mention
	Links    []summarize.Link
	// Changes are the "what changed" lines for a story that was in an
	// earlier digest.
	Changes []string
}

// BuildDigest gathers what came into the index since, about topic when it
// is set, grouped by story, with what changed since the digest whose state
// is prev (nil for none).
func BuildDigest(ctx context.Context, r StoryReader, since time.Time, topic string, prev []byte) (Digest, error) {
	if topic != "" {
		var err error
		if topic, err = CheckTopic(topic); err != nil {
			return Digest{}, err
		}
	}
	stories, err := r.Stories(ctx, since, topic)
	if err != nil {
		return Digest{}, fmt.Errorf("read new articles: %w", err)
	}
	var old []summarize.StoryState
	if len(prev) > 0 {
		if err := json.Unmarshal(prev, &old); err != nil {
			old = nil // a digest without "what changed" beats no digest
		}
	}
	docs := make([]summarize.Doc, len(stories))
	for i, s := range stories {
		docs[i] = summarize.Doc{
			ID: s.Article.ID, Title: s.Article.Title, URL: s.Article.URL, Source: s.Article.Source,
			Published: s.Article.Published, Sentences: s.Sentences,
		}
	}
	groups := summarize.Group(docs, summarize.GroupOptions{Dates: dayList})
	d := Digest{Topic: topic, Since: since}
	var states []summarize.StoryState
	for _, g := range groups {
		ds := DigestStory{Headline: g.Headline, Lead: g.Lead, Links: g.Links}
		for _, l := range g.Links {
			if l.ID == g.LeadID {
				ds.Dates = dates.Find(g.Lead, l.Published)
			}
		}
		if p, ok := summarize.Match(old, g); ok {
			ds.Changes = summarize.Changes(p, g)
		}
		d.Stories = append(d.Stories, ds)
		states = append(states, g.State())
	}
	// Remember this digest's stories first, then the older ones not seen
	// again, so a story that pauses for a day is still recognised.
	for _, o := range old {
		if len(states) >= keptStories {
			break
		}
		if !continued(o, states) {
			states = append(states, o)
		}
	}
	if d.State, err = json.Marshal(states); err != nil {
		return Digest{}, fmt.Errorf("encode digest state: %w", err)
	}
	return d, nil
}

func continued(o summarize.StoryState, cur []summarize.StoryState) bool {
	for _, c := range cur {
		for _, a := range c.Articles {
			for _, b := range o.Articles {
				if a == b {
					return true
				}
			}
		}
	}
	return false
}

// Header is the digest's first line.
func (d Digest) Header() string {
	about := ""
	if d.Topic != "" {
		about = " on " + Escape(d.Topic)
	}
	since := "since " + d.Since.UTC().Format("Mon 2 Jan 15:04 MST")
	if d.Since.IsZero() {
		since = "in the archive"
	}
	if len(d.Stories) == 0 {
		return fmt.Sprintf("**Digest%s:** nothing new %s.", about, since)
	}
	return fmt.Sprintf("**Digest%s: %d %s** %s", about, len(d.Stories), plural(len(d.Stories), "story", "stories"), since)
}

// Blocks renders each story as a block of Markdown: headline, the
// sentence that says what happened, what changed, and links.
func (d Digest) Blocks() []string {
	var out []string
	for _, s := range d.Stories {
		var b strings.Builder
		fmt.Fprintf(&b, "**%s**\n", Escape(s.Headline))
		b.WriteString(Escape(s.Lead))
		b.WriteString(dateNote(s.Dates))
		b.WriteByte('\n')
		for _, c := range s.Changes {
			fmt.Fprintf(&b, "↻ %s\n", Escape(c))
		}
		for i, l := range s.Links {
			if i == 3 {
				fmt.Fprintf(&b, "…and %d more\n", len(s.Links)-3)
				break
			}
			fmt.Fprintf(&b, "%s\n", citeLink(index.ArticleInfo{ID: l.ID, Title: l.Title, Source: l.Source, URL: l.URL, Published: l.Published}))
		}
		out = append(out, strings.TrimRight(b.String(), "\n"))
	}
	return out
}

// Markdown renders the whole digest, for the command line.
func (d Digest) Markdown() string {
	parts := append([]string{d.Header()}, d.Blocks()...)
	return strings.Join(parts, "\n\n") + "\n"
}

// Pages splits the digest's story blocks into pages of at most max
// characters, at story boundaries, so that a long digest becomes several
// messages; a block longer than a page is cut.
func (d Digest) Pages(max int) []string {
	var pages []string
	var cur strings.Builder
	for _, b := range d.Blocks() {
		b = Truncate(b, max)
		if cur.Len() > 0 && Length(cur.String())+2+Length(b) > max {
			pages = append(pages, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteString("\n\n")
		}
		cur.WriteString(b)
	}
	if cur.Len() > 0 {
		pages = append(pages, cur.String())
	}
	return pages
}
