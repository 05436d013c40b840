package commands

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"attache/corpus/events"

	"github.com/bwmarrin/discordgo"
)

// Bounds of /timeline.
const (
	entriesPerPage = 8
	// maxEntries bounds a timeline; the newest entries are kept.
	maxEntries     = 80
	maxEntryText   = 300
	timelinePrefix = "tl"
)

// Timeline is how a story unfolded: its dated events and reports, by the
// day each happened or happens, ready to render.
type Timeline struct {
	Topic string
	// Now is the day the timeline was made: a planned entry before it was
	// announced, and may or may not have happened.
	Now     time.Time
	Entries []events.Entry
	// Left is how many earlier entries were left out.
	Left int
}

// BuildTimeline returns the timeline of the stories that the articles
// about topic belong to: one entry a dated thing, past or planned, as the
// newest report of it tells it. A bad topic is an error of ErrBadInput.
func BuildTimeline(ctx context.Context, cal Calendar, r TopicReader, topic string, now time.Time) (Timeline, error) {
	topic, err := CheckTopic(topic)
	if err != nil {
		return Timeline{}, err
	}
	ids, err := topicArticles(ctx, r, topic)
	if err != nil {
		return Timeline{}, err
	}
	t := Timeline{Topic: topic, Now: day(now), Entries: cal.Timeline(ids)}
	if n := len(t.Entries); n > maxEntries {
		t.Left = n - maxEntries
		t.Entries = t.Entries[n-maxEntries:]
	}
	return t, nil
}

// WriteJSON writes the timeline as one JSON object, for other tools:
// {"topic", "entries": [{"date": "2026-05-14", "text", "article": {as
// attache ask --json}}]}.
func (t Timeline) WriteJSON(w io.Writer) error {
	type entry struct {
		Date    string      `json:"date"`
		Text    string      `json:"text"`
		Article jsonArticle `json:"article"`
	}
	out := struct {
		Topic   string  `json:"topic"`
		Entries []entry `json:"entries"`
	}{Topic: t.Topic, Entries: []entry{}}
	for _, e := range t.Entries {
		out.Entries = append(out.Entries, entry{Date: e.Date.Format(time.DateOnly), Text: e.Text, Article: articleJSON(e.Article)})
	}
	return writeJSON(w, out)
}

// Markdown renders the timeline for the command line.
func (t Timeline) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**How it unfolded: %s**\n%s\n", Escape(t.Topic), t.intro())
	if len(t.Entries) > 0 {
		b.WriteString("\n")
	}
	for _, e := range t.Entries {
		fmt.Fprintf(&b, "• %s — %s\n", e.Date.Format("Mon 2 Jan 2006"), t.entryLine(e))
	}
	return b.String()
}

func (t Timeline) intro() string {
	if len(t.Entries) == 0 {
		return "_No dated events or reports about this in the articles I have._"
	}
	left := ""
	if t.Left > 0 {
		left = fmt.Sprintf(" (the %d earlier ones left out)", t.Left)
	}
	return fmt.Sprintf("_%d dated %s, by the day each happened or happens%s; where reports disagree, the newest wins._",
		len(t.Entries), plural(len(t.Entries), "event or report", "events and reports"), left)
}

// entryLine is an entry's text, marked when it was planned (still to
// come, or announced for a day now past), and its citation.
func (t Timeline) entryLine(e events.Entry) string {
	var b strings.Builder
	switch {
	case e.Planned && e.Date.Before(t.Now):
		b.WriteString("_(announced)_ ")
	case e.Planned:
		b.WriteString("_(planned)_ ")
	}
	b.WriteString(fit(e.Text, maxEntryText, Escape))
	b.WriteString(" " + citeLink(infoOf(e.Article)))
	return b.String()
}

// Page renders page n (from 0) of the timeline as /timeline shows it.
func (t Timeline) Page(n int) Reply {
	pages := max(1, (len(t.Entries)+entriesPerPage-1)/entriesPerPage)
	n = max(0, min(n, pages-1))
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Color: embedColor,
		Title: fit("How it unfolded: "+t.Topic, MaxEmbedTitle, Escape),
	}
	var b strings.Builder
	b.WriteString(t.intro())
	from := n * entriesPerPage
	for _, en := range t.Entries[from:min(from+entriesPerPage, len(t.Entries))] {
		stamp := fmt.Sprintf("<t:%d:D>", en.Date.Add(12*time.Hour).Unix())
		if !en.At.IsZero() {
			stamp = fmt.Sprintf("<t:%d:f>", en.At.Unix())
		}
		b.WriteString("\n\n**" + stamp + "** " + t.entryLine(en))
	}
	e.Description = Truncate(b.String(), MaxEmbedDescription)
	if pages > 1 {
		e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Page %d of %d", n+1, pages)}
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{e}}
}

func (t Timeline) pages() int { return max(1, (len(t.Entries)+entriesPerPage-1)/entriesPerPage) }

func (s *Set) timelineCommand() Command {
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     "timeline",
			Description:              "How a story unfolded, by the day each thing happened, from the articles I have",
			DefaultMemberPermissions: permissions(discordgo.PermissionSendMessages),
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
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        "private",
					Description: "Show the timeline only to you (default: the channel sees it)",
				},
			},
		},
		Handle:   s.handleTimeline,
		Private:  askIsPrivate,
		Complete: s.completeTopic,
		Prefix:   timelinePrefix,
		Press:    s.pressTimeline,
		Limited:  true,
	}
}

func (s *Set) handleTimeline(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	if s.calendar == nil {
		return Reply{}, errNoCalendar
	}
	data, err := CommandData(i)
	if err != nil {
		return Reply{}, err
	}
	topic, _, err := StringOption(data.Options, "topic")
	if err != nil {
		return Reply{}, err
	}
	priv, _, err := BoolOption(data.Options, "private")
	if err != nil {
		return Reply{}, err
	}
	t, err := BuildTimeline(ctx, s.calendar, s.idx, topic, s.now())
	if err != nil {
		return Reply{}, badInput(err)
	}
	r := t.Page(0)
	r.Ephemeral = priv
	if t.pages() > 1 {
		id := s.sessions.put(session{text: t.Topic, owner: userID(i), private: priv, timeline: &t})
		r.Components = pageButtons(timelinePrefix, id, 0, t.pages())
	}
	return r, nil
}

// pressTimeline turns the pages of a timeline, as /ask's buttons do.
func (s *Set) pressTimeline(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := ComponentData(i)
	if err != nil {
		return Reply{}, err
	}
	id, page, err := parseButtonID(data.CustomID)
	if err != nil {
		return Reply{}, &UserError{Message: "That button doesn't work any more; ask again with `/timeline`.", Err: err}
	}
	sess, ok := s.sessions.get(id)
	if !ok || sess.timeline == nil {
		return Reply{}, &UserError{Message: "This timeline has expired; ask again with `/timeline`."}
	}
	t := *sess.timeline
	r := t.Page(page)
	id = s.turnPage(i, id, sess, &r)
	r.Components = pageButtons(timelinePrefix, id, page, t.pages())
	return r, nil
}

// pageButtons are Previous and Next, for the pages there are.
func pageButtons(prefix, id string, page, pages int) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	if page > 0 {
		row = append(row, discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: buttonID(prefix, id, page-1)})
	}
	if page+1 < pages {
		row = append(row, discordgo.Button{Label: "Next", Style: discordgo.PrimaryButton, CustomID: buttonID(prefix, id, page+1)})
	}
	if len(row) == 0 {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}
