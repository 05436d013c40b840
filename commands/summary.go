package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"attache/corpus/dates"
	"attache/corpus/summarize"
	"attache/index"
)

// MaxTopicRunes bounds a summary's or digest's topic: a topic is a few
// words, not a paragraph.
const MaxTopicRunes = 100

// summaryArticles bounds the articles one summary reads.
const summaryArticles = 1000

// Windows are the periods a summary can cover, as /summary offers them.
var Windows = []struct {
	Name string
	Span time.Duration // 0 for all time
}{
	{"24h", 24 * time.Hour},
	{"3d", 3 * 24 * time.Hour},
	{"7d", 7 * 24 * time.Hour},
	{"30d", 30 * 24 * time.Hour},
	{"all", 0},
}

// ErrBadInput wraps the errors that the user's input caused; their text
// is meant for the user.
var ErrBadInput = errors.New("bad input")

// ParseWindow reads a window name ("7d"); the empty name means all time.
func ParseWindow(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	for _, w := range Windows {
		if w.Name == s {
			return w.Span, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown period %q: use 24h, 3d, 7d, 30d or all", ErrBadInput, s)
}

// CheckTopic returns the topic trimmed, or an error that says what is
// wrong with it.
func CheckTopic(topic string) (string, error) {
	topic = strings.Join(strings.Fields(topic), " ")
	switch {
	case topic == "":
		return "", fmt.Errorf("%w: the topic is empty: name a story, such as \"sudan ceasefire talks\"", ErrBadInput)
	case utf8.RuneCountInString(topic) > MaxTopicRunes:
		return "", fmt.Errorf("%w: the topic is too long (%d characters; %d at most)", ErrBadInput, utf8.RuneCountInString(topic), MaxTopicRunes)
	}
	return topic, nil
}

// TopicReader finds the sentences of the articles about a topic.
type TopicReader interface {
	Topic(ctx context.Context, topic string, since time.Time, maxArticles int) ([]index.Sentence, int, error)
}

// Summary is a summary of a topic, ready to render.
type Summary struct {
	Topic    string
	Window   string // "7d", or "all"
	Articles int
	From, To time.Time
	Bullets  []SummaryBullet
}

// SummaryBullet is one point of a summary, with its source.
type SummaryBullet struct {
	Text    string
	Dates   []dates.Mention
	Changed string // what older reporting said instead, if anything
	Article index.ArticleInfo
}

// Summarize writes an extractive summary of what the articles about topic
// published within window of now say.
func Summarize(ctx context.Context, r TopicReader, topic, window string, now time.Time) (Summary, error) {
	topic, err := CheckTopic(topic)
	if err != nil {
		return Summary{}, err
	}
	span, err := ParseWindow(window)
	if err != nil {
		return Summary{}, err
	}
	var since time.Time
	if span > 0 {
		since = now.Add(-span)
	}
	sents, n, err := r.Topic(ctx, topic, since, summaryArticles)
	if err != nil {
		return Summary{}, fmt.Errorf("summarize %q: %w", topic, err)
	}
	out := Summary{Topic: topic, Window: cmpOr(strings.ToLower(strings.TrimSpace(window)), "all"), Articles: n}
	if len(sents) == 0 {
		return out, nil
	}
	in := make([]summarize.Sentence, len(sents))
	for i, s := range sents {
		in[i] = summarize.Sentence{
			Text: s.Text, ArticleID: s.Article.ID, Title: s.Article.Title, URL: s.Article.URL,
			Source: s.Article.Source, Published: s.Article.Published, Position: s.Position,
			Relevance: s.Relevance, Dates: dayList(s.Text, s.Article.Published),
		}
	}
	sum := summarize.Summarize(topic, in, summarize.Options{MaxBullets: 7, Now: func() time.Time { return now }})
	out.From, out.To = sum.From, sum.To
	for _, b := range sum.Bullets {
		art := sents[b.Sentences[0]].Article
		out.Bullets = append(out.Bullets, SummaryBullet{
			Text: b.Text, Dates: dates.Find(b.Text, art.Published), Changed: b.Changed, Article: art,
		})
	}
	return out, nil
}

// dayList is the days text mentions, for the summarizer.
func dayList(text string, ref time.Time) []time.Time {
	var out []time.Time
	for _, m := range dates.Find(text, ref) {
		out = append(out, m.Date)
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Markdown renders the summary as Discord-flavoured Markdown: a header,
// one bullet a point, each ending with a link to its article.
func (s Summary) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Where things stand: %s**\n", Escape(s.Topic))
	if len(s.Bullets) == 0 {
		fmt.Fprintf(&b, "No articles about this %s.\n", periodPhrase(s.Window))
		return b.String()
	}
	fmt.Fprintf(&b, "_From %s, %s%s._\n\n", fmt.Sprintf("%d %s", s.Articles, plural(s.Articles, "article", "articles")), dateSpan(s.From, s.To), windowNote(s.Window))
	for _, bl := range s.Bullets {
		b.WriteString("• ")
		b.WriteString(Escape(bl.Text))
		b.WriteString(dateNote(bl.Dates))
		if bl.Changed != "" {
			fmt.Fprintf(&b, " **Update:** %s.", Escape(bl.Changed))
		}
		fmt.Fprintf(&b, " %s\n", citeLink(bl.Article))
	}
	return b.String()
}

// dateNote renders resolved dates beside a sentence:
// " _(Friday → Fri 15 Aug 2025)_", or nothing without dates.
func dateNote(ms []dates.Mention) string {
	if len(ms) == 0 {
		return ""
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = Escape(dates.Format(m))
	}
	return " _(" + strings.Join(parts, "; ") + ")_"
}

// citeLink is a compact citation: "[Source, 11 May](url)".
func citeLink(a index.ArticleInfo) string {
	label := cmpOr(a.Source, cmpOr(a.Title, a.ID))
	if !a.Published.IsZero() {
		label += ", " + a.Published.UTC().Format("2 Jan 2006")
	}
	label = Escape(label)
	if a.URL == "" || !strings.HasPrefix(a.URL, "http") {
		return "— " + label
	}
	return fmt.Sprintf("— [%s](<%s>)", label, a.URL)
}

func dateSpan(from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "undated"
	case from.IsZero() || from.Format(time.DateOnly) == to.Format(time.DateOnly):
		return to.UTC().Format("2 Jan 2006")
	case from.Year() == to.Year():
		return from.UTC().Format("2 Jan") + " – " + to.UTC().Format("2 Jan 2006")
	}
	return from.UTC().Format("2 Jan 2006") + " – " + to.UTC().Format("2 Jan 2006")
}

func windowNote(w string) string {
	if w == "" || w == "all" {
		return ""
	}
	return " (last " + w + ")"
}

func periodPhrase(w string) string {
	if w == "" || w == "all" {
		return "topic yet"
	}
	return "topic in the last " + w
}
