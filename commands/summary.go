package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"attache/corpus/dates"
	"attache/corpus/summarize"
	"attache/index"

	"github.com/bwmarrin/discordgo"
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
	Changed string // a sentence that says what changed of older reporting, if anything
	Article index.ArticleInfo
	// Articles are the IDs of the articles that report what the bullet
	// says, Article's first.
	Articles []string
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
			Relevance: s.Relevance,
		}
	}
	sum := summarize.Summarize(topic, in, summarize.Options{MaxBullets: 7})
	out.From, out.To = sum.From, sum.To
	for _, b := range sum.Bullets {
		art := sents[b.Sentences[0]].Article
		out.Bullets = append(out.Bullets, SummaryBullet{
			Text: b.Text, Dates: dates.Find(b.Text, art.Published), Changed: b.Changed, Article: art, Articles: b.Articles,
		})
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// WriteJSON writes the summary as one JSON object, for other tools:
// {"topic", "bullets": [{"text", "dates": ["2026-05-14"], "articles":
// [ids]}]}, with article IDs as attache ask --json gives them, the
// bullet's own article first.
func (s Summary) WriteJSON(w io.Writer) error {
	type bullet struct {
		Text     string   `json:"text"`
		Dates    []string `json:"dates"`
		Articles []string `json:"articles"`
	}
	out := struct {
		Topic   string   `json:"topic"`
		Bullets []bullet `json:"bullets"`
	}{Topic: s.Topic, Bullets: []bullet{}}
	for _, b := range s.Bullets {
		jb := bullet{Text: b.Text, Dates: []string{}, Articles: b.Articles}
		if len(jb.Articles) == 0 {
			jb.Articles = []string{b.Article.ID}
		}
		for _, m := range b.Dates {
			if d := m.Date.Format(time.DateOnly); !slices.Contains(jb.Dates, d) {
				jb.Dates = append(jb.Dates, d)
			}
		}
		out.Bullets = append(out.Bullets, jb)
	}
	return writeJSON(w, out)
}

// writeJSON writes v as one line of JSON, without escaping HTML.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// Markdown renders the summary as Discord-flavoured Markdown: a header,
// one bullet a point, each ending with a link to its article.
func (s Summary) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n%s\n", s.title(), s.intro())
	if len(s.Bullets) > 0 {
		b.WriteString("\n")
	}
	for _, bl := range s.Bullets {
		b.WriteString(bl.markdown())
		b.WriteString("\n")
	}
	return b.String()
}

// title names the summary's topic, escaped.
func (s Summary) title() string { return "Where things stand: " + Escape(s.Topic) }

// intro says what the summary is drawn from: how many articles, over
// which dates and period.
func (s Summary) intro() string {
	if len(s.Bullets) == 0 {
		return fmt.Sprintf("No articles about this %s.", periodPhrase(s.Window))
	}
	return fmt.Sprintf("_From %d %s, %s%s._", s.Articles, plural(s.Articles, "article", "articles"), dateSpan(s.From, s.To), windowNote(s.Window))
}

// markdown renders one bullet: the sentence, the dates it mentions
// resolved, what it updates, and a link to its article.
func (bl SummaryBullet) markdown() string {
	var b strings.Builder
	b.WriteString("• ")
	b.WriteString(Escape(bl.Text))
	b.WriteString(dateNote(bl.Dates))
	if bl.Changed != "" {
		fmt.Fprintf(&b, " **Update:** %s", Escape(bl.Changed))
	}
	fmt.Fprintf(&b, " %s", citeLink(bl.Article))
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

// Reply renders the summary as the message /summary shows and posts: an
// embed titled with the topic, whose description says how many articles
// over what period it is drawn from and lists the points, each with the
// dates it mentions resolved, what it updates, and a link to its article.
// Points that do not fit Discord's limits are counted, not cut.
func (s Summary) Reply() Reply {
	e := &discordgo.MessageEmbed{
		Type:   discordgo.EmbedTypeRich,
		Color:  embedColor,
		Title:  fit("Where things stand: "+s.Topic, MaxEmbedTitle, Escape),
		Footer: &discordgo.MessageEmbedFooter{Text: summaryFooter},
	}
	var b strings.Builder
	b.WriteString(s.intro())
	// Leave room for the line that counts the points left out.
	room := MaxEmbedDescription - 40
	for n, bl := range s.Bullets {
		line := bl.markdown()
		if n > 0 && Length(b.String())+1+Length(line) > room {
			fmt.Fprintf(&b, "\n…and %d more %s.", len(s.Bullets)-n, plural(len(s.Bullets)-n, "point", "points"))
			break
		}
		if n == 0 {
			b.WriteString("\n")
		}
		b.WriteString("\n")
		b.WriteString(line)
	}
	e.Description = b.String()
	return Reply{Embeds: []*discordgo.MessageEmbed{e}}
}

const summaryFooter = "Sentences quoted from the articles; “Update” marks what newer reporting changed. Quotes can miss context: follow the links."

// citeLink is a compact citation: "[Source, 11 May](url)".
func citeLink(a index.ArticleInfo) string {
	label := cmpOr(a.Source, cmpOr(a.Title, a.ID))
	if !a.Published.IsZero() {
		label += ", " + a.Published.UTC().Format("2 Jan 2006")
	}
	label = Escape(label)
	// An article's link comes from a file or a feed: only a well-formed
	// http(s) address, with the characters that could end the markdown
	// link escaped, becomes a link.
	link := linkURL(a.URL)
	if link == "" {
		return "— " + label
	}
	return fmt.Sprintf("— [%s](<%s>)", label, link)
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

const summaryPrefix = "sum"

func (s *Set) summaryCommand() Command {
	var windows []*discordgo.ApplicationCommandOptionChoice
	for _, w := range Windows {
		name := "all time"
		if w.Span > 0 {
			name = "the last " + w.Name
		}
		windows = append(windows, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: w.Name})
	}
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     "summary",
			Description:              "Summarize where a story stands, from the articles I have, to post for the server",
			DefaultMemberPermissions: permissions(summaryPermission),
			Contexts:                 contexts,
			IntegrationTypes:         integrationTypes,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:         discordgo.ApplicationCommandOptionString,
					Name:         "topic",
					Description:  "The story, e.g. sudan ceasefire talks",
					Required:     true,
					Autocomplete: true,
					MinLength:    intPtr(1),
					MaxLength:    MaxTopicRunes,
				},
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        "since",
					Description: "Only articles published in this period (default: all time)",
					Choices:     windows,
				},
				{
					Type:         discordgo.ApplicationCommandOptionChannel,
					Name:         "channel",
					Description:  "Post it in this channel (default: a preview for you, with a button to post it here)",
					ChannelTypes: postableTypes,
				},
			},
		},
		Handle:   s.handleSummary,
		Private:  always,
		Complete: s.completeTopic,
		Prefix:   summaryPrefix,
		Press:    s.pressSummary,
		Limited:  true,
	}
}

// handleSummary previews the summary privately, with a button to post it
// in the channel, or posts it in the channel the moderator named. Only
// members with Manage Messages in the channel posted to may post; others
// get the preview alone.
func (s *Set) handleSummary(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := CommandData(i)
	if err != nil {
		return Reply{}, err
	}
	topic, _, err := StringOption(data.Options, "topic")
	if err != nil {
		return Reply{}, err
	}
	since, _, err := StringOption(data.Options, "since")
	if err != nil {
		return Reply{}, err
	}
	channelID, toChannel, err := ChannelOption(data.Options, "channel")
	if err != nil {
		return Reply{}, err
	}
	sum, err := Summarize(ctx, s.idx, topic, since, s.now())
	if err != nil {
		return Reply{}, badInput(err)
	}
	r := sum.Reply()
	r.Ephemeral = true
	if len(sum.Bullets) == 0 {
		if toChannel {
			r.Content = "Nothing to post: "
		}
		r.Content += "I have no articles about this. Try other words; `/sources` lists what I have."
		return r, nil
	}

	// Discord computes i.Member.Permissions for the channel where the
	// command was used: they decide posting there, and another channel is
	// checked once it is known to be this server's.
	var why string
	switch {
	case i.Member == nil || i.GuildID == "":
		why = "I post summaries only in servers; here is a preview."
	case (!toChannel || channelID == i.ChannelID) && !HasPermission(i, summaryPermission):
		why = fmt.Sprintf("Posting a summary needs the %s permission, so here is a preview only you can see.", permissionList(summaryPermission))
	}
	if why != "" {
		r.Content = why
		return r, nil
	}

	if toChannel {
		t, err := s.postTarget(ctx, i, channelID, postPermissions)
		if err != nil {
			return Reply{}, err
		}
		// A member who may manage messages in one channel may not in
		// another: ask about the channel posted to.
		ok, err := s.memberHas(ctx, i, t.ID, summaryPermission)
		if err != nil {
			return Reply{}, err
		}
		if !ok {
			r.Content = fmt.Sprintf("Posting a summary in %s needs the %s permission there, so here is a preview only you can see.", t.mention(), permissionList(summaryPermission))
			return r, nil
		}
		id, err := s.send(ctx, t, sum.Reply())
		if err != nil {
			return Reply{}, err
		}
		r.Content = fmt.Sprintf("Posted in %s: %s", t.mention(), messageLink(t.GuildID, t.ID, id)) + t.uncheckedNote(postPermissions)
		return r, nil
	}
	id := s.sessions.put(session{text: sum.Topic, owner: userID(i), private: true, summary: &sum})
	r.Content = "Preview: only you can see this. Post it for everyone in this channel with the button."
	r.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Post to this channel", Style: discordgo.PrimaryButton, CustomID: buttonID(summaryPrefix, id, 0)},
	}}}
	return r, nil
}

// pressSummary posts a previewed summary in the channel where /summary
// was used, once, and turns the preview into a note that it was posted.
func (s *Set) pressSummary(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := ComponentData(i)
	if err != nil {
		return Reply{}, err
	}
	id, _, err := parseButtonID(data.CustomID)
	if err != nil {
		return Reply{}, &UserError{Message: "That button doesn't work any more; run `/summary` again.", Err: err}
	}
	if err := requirePermission(i, summaryPermission, "post summaries"); err != nil {
		return Reply{}, err
	}
	sess, ok := s.sessions.claim(id)
	if !ok {
		return Reply{}, &UserError{Message: "This preview has expired or was posted already; run `/summary` again."}
	}
	posted := false
	defer func() {
		if !posted {
			s.sessions.release(id)
		}
	}()
	if sess.owner != userID(i) || sess.summary == nil {
		return Reply{}, &UserError{Message: "Only the moderator who asked for this summary can post it."}
	}
	t, err := s.postTarget(ctx, i, i.ChannelID, postPermissions)
	if err != nil {
		return Reply{}, err
	}
	msg, err := s.send(ctx, t, sess.summary.Reply())
	if err != nil {
		return Reply{}, err
	}
	posted = true
	r := sess.summary.Reply()
	r.Update, r.Ephemeral = true, true
	r.Content = fmt.Sprintf("Posted in %s: %s", t.mention(), messageLink(t.GuildID, t.ID, msg))
	return r, nil
}

// completeTopic suggests topics from the index as they are typed.
func (s *Set) completeTopic(ctx context.Context, i *discordgo.Interaction) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	name, typed, err := focused(i)
	if err != nil {
		return nil, err
	}
	if name != "topic" {
		return []*discordgo.ApplicationCommandOptionChoice{}, nil
	}
	return Complete(ctx, s.idx, typed)
}

// badInput turns an error of ErrBadInput into a *UserError whose message
// is its text as a sentence; other errors are returned as they are.
func badInput(err error) error {
	if !errors.Is(err, ErrBadInput) {
		return err
	}
	return &UserError{Message: sentence(strings.TrimPrefix(err.Error(), ErrBadInput.Error()+": ")), Err: err}
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = clause(s)
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// clause ends s, which follows a colon in a message, with a full stop.
func clause(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
