package commands

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"attache/corpus/events"
	"attache/corpus/events/ical"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// Calendar is what /upcoming, /timeline and the digests' "Coming up this
// week" read: the events that the articles announce, and how stories
// unfolded. *events.Book satisfies it.
type Calendar interface {
	Upcoming(from time.Time, days int, articles []string) []events.Event
	Timeline(articles []string) []events.Entry
}

// Bounds of /upcoming and attache upcoming.
const (
	// DefaultUpcomingDays is how far ahead /upcoming looks by default.
	DefaultUpcomingDays = 30
	// MaxUpcomingDays is the furthest it looks.
	MaxUpcomingDays = 366
	// maxListed bounds the events of one list, and so of its calendar file.
	maxListed = 50
	// eventsPerPage is how many events a page of /upcoming shows.
	eventsPerPage  = 5
	upcomingPrefix = "up"
)

// Upcoming is a list of the events to come, soonest first, ready to
// render.
type Upcoming struct {
	Topic string
	// From is the first day of the list, at midnight UTC; Days how many
	// days it spans.
	From time.Time
	Days int
	// Events are at most maxListed; More is how many more there were.
	Events []events.Event
	More   int
}

// ListUpcoming returns the events of cal that take place within days days
// from from's day (DefaultUpcomingDays when days is 0), soonest first;
// about topic when it is set: the events of the stories of the articles
// that the index finds about it. A bad topic or number of days is an
// error of ErrBadInput.
func ListUpcoming(ctx context.Context, cal Calendar, r TopicReader, topic string, from time.Time, days int) (Upcoming, error) {
	days = cmp.Or(days, DefaultUpcomingDays)
	if days < 1 || days > MaxUpcomingDays {
		return Upcoming{}, fmt.Errorf("%w: look from 1 to %d days ahead, not %d", ErrBadInput, MaxUpcomingDays, days)
	}
	out := Upcoming{From: day(from), Days: days}
	var articles []string
	if strings.TrimSpace(topic) != "" {
		var err error
		if out.Topic, err = CheckTopic(topic); err != nil {
			return Upcoming{}, err
		}
		if articles, err = topicArticles(ctx, r, out.Topic); err != nil {
			return Upcoming{}, err
		}
	}
	evs := cal.Upcoming(out.From, days, articles)
	if len(evs) > maxListed {
		out.More = len(evs) - maxListed
		evs = evs[:maxListed]
	}
	out.Events = evs
	return out, nil
}

// topicArticles returns the IDs of the articles about topic, never nil.
func topicArticles(ctx context.Context, r TopicReader, topic string) ([]string, error) {
	sents, _, err := r.Topic(ctx, topic, time.Time{}, summaryArticles)
	if err != nil {
		return nil, fmt.Errorf("find articles about %q: %w", topic, err)
	}
	ids := []string{}
	seen := map[string]bool{}
	for _, s := range sents {
		if !seen[s.Article.ID] {
			seen[s.Article.ID] = true
			ids = append(ids, s.Article.ID)
		}
	}
	return ids, nil
}

// day returns t's calendar day in UTC, at midnight.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// jsonArticle is an article as attache ask --json gives it.
type jsonArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

func articleJSON(a events.Article) jsonArticle {
	j := jsonArticle{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL}
	if !a.Published.IsZero() {
		j.Published = a.Published.UTC().Format(time.RFC3339)
	}
	return j
}

// WriteJSON writes the list as one JSON object, for other tools:
// {"from": "2026-05-01", "events": [{"date": "2026-05-14", "end": "" (the
// last day of an event of several), "time": "" (RFC 3339 in UTC when a
// time of day is known), "label", "place", "passage", "uid", "article":
// {as attache ask --json}}]}.
func (u Upcoming) WriteJSON(w io.Writer) error {
	type event struct {
		Date    string      `json:"date"`
		End     string      `json:"end"`
		Time    string      `json:"time"`
		Label   string      `json:"label"`
		Place   string      `json:"place"`
		Passage string      `json:"passage"`
		UID     string      `json:"uid"`
		Article jsonArticle `json:"article"`
	}
	out := struct {
		From   string  `json:"from"`
		Events []event `json:"events"`
	}{From: u.From.Format(time.DateOnly), Events: []event{}}
	for _, e := range u.Events {
		je := event{Date: e.Start.Format(time.DateOnly), Label: e.Label, Place: e.Place, Passage: e.Sentence, UID: e.UID, Article: articleJSON(e.Article)}
		if !e.End.IsZero() {
			je.End = e.End.Format(time.DateOnly)
		}
		if !e.At.IsZero() {
			je.Time = e.At.UTC().Format(time.RFC3339)
		}
		out.Events = append(out.Events, je)
	}
	return writeJSON(w, out)
}

// WriteICS writes the list as an iCalendar file; now stamps the events
// of undated articles.
func (u Upcoming) WriteICS(w io.Writer, now time.Time) error {
	return ical.Write(w, u.Events, u.calendarName(), now)
}

func (u Upcoming) calendarName() string {
	if u.Topic != "" {
		return "attache: " + u.Topic
	}
	return "attache: coming up"
}

// Markdown renders the list for the command line: a heading, then one
// line an event with its days, label, place and citation.
func (u Upcoming) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n%s\n", u.title(), u.intro())
	if len(u.Events) > 0 {
		b.WriteString("\n")
	}
	for _, e := range u.Events {
		fmt.Fprintf(&b, "• %s — %s\n", plainDays(e), eventLine(e))
	}
	return b.String()
}

func (u Upcoming) title() string {
	if u.Topic != "" {
		return "Coming up: " + Escape(u.Topic)
	}
	return "Coming up"
}

// intro says what the list covers.
func (u Upcoming) intro() string {
	last := u.From.AddDate(0, 0, u.Days-1)
	span := fmt.Sprintf("%s to %s", u.From.Format("Mon 2 Jan 2006"), last.Format("Mon 2 Jan 2006"))
	switch len(u.Events) {
	case 0:
		return fmt.Sprintf("_Nothing announced in the articles I have for %s._", span)
	}
	more := ""
	if u.More > 0 {
		more = fmt.Sprintf(", and %d more not listed", u.More)
	}
	return fmt.Sprintf("_%d %s announced in the articles for %s%s._", len(u.Events), plural(len(u.Events), "event", "events"), span, more)
}

// eventLine is an event's label, place, what changed and citation, in
// Markdown, with the text from articles escaped.
func eventLine(e events.Event) string {
	var b strings.Builder
	b.WriteString("**" + Escape(e.Label) + "**")
	if e.Place != "" {
		b.WriteString(" · " + Escape(e.Place))
	}
	if n := len(e.Was); n > 0 {
		w := e.Was[n-1]
		was := w.Start.Format("Mon 2 Jan")
		if w.Place != "" && w.Place != e.Place {
			was += ", " + w.Place
		}
		fmt.Fprintf(&b, " _(moved; was %s)_", Escape(was))
	}
	b.WriteString(" " + citeLink(infoOf(e.Article)))
	return b.String()
}

// plainDays writes an event's days as text: "Thu 14 May 2026", "Wed 15 –
// Thu 16 Apr 2026", "Fri 15 Aug 2025 19:30 UTC".
func plainDays(e events.Event) string {
	first, last := e.Days()
	switch {
	case !e.At.IsZero():
		return e.At.UTC().Format("Mon 2 Jan 2006 15:04 UTC")
	case last.Equal(first):
		return first.Format("Mon 2 Jan 2006")
	}
	return first.Format("Mon 2 Jan") + " – " + last.Format("Mon 2 Jan 2006")
}

// discordDays writes an event's days with Discord timestamps, which each
// member sees in their own time zone and language: the date and time when
// a time is known, else the date alone. A day is stamped at noon UTC,
// which is the same calendar day from UTC−11 to UTC+11.
func discordDays(e events.Event) string {
	noon := func(d time.Time) int64 { return d.Add(12 * time.Hour).Unix() }
	first, last := e.Days()
	switch {
	case !e.At.IsZero():
		return fmt.Sprintf("<t:%d:F> (<t:%d:R>)", e.At.Unix(), e.At.Unix())
	case last.Equal(first):
		return fmt.Sprintf("<t:%d:D>", noon(first))
	}
	return fmt.Sprintf("<t:%d:D> – <t:%d:D>", noon(first), noon(last))
}

// Page renders page n (from 0) of the list as the message /upcoming shows:
// an embed whose description holds eventsPerPage events, each with its
// days (as Discord timestamps), label, place and citation.
func (u Upcoming) Page(n int) Reply {
	pages := u.pages()
	n = max(0, min(n, pages-1))
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Color: embedColor,
		Title: fit(u.plainTitle(), MaxEmbedTitle, Escape),
	}
	var b strings.Builder
	b.WriteString(u.intro())
	from := n * eventsPerPage
	for _, ev := range u.Events[from:min(from+eventsPerPage, len(u.Events))] {
		b.WriteString("\n\n" + discordDays(ev) + "\n" + eventLine(ev))
	}
	e.Description = Truncate(b.String(), MaxEmbedDescription)
	foot := "Dates as the newest report has them; times in your time zone."
	if pages > 1 {
		foot = fmt.Sprintf("Page %d of %d · %s", n+1, pages, foot)
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: foot}
	return Reply{Embeds: []*discordgo.MessageEmbed{e}}
}

func (u Upcoming) plainTitle() string {
	if u.Topic != "" {
		return "Coming up: " + u.Topic
	}
	return "Coming up"
}

func (u Upcoming) pages() int {
	return max(1, (len(u.Events)+eventsPerPage-1)/eventsPerPage)
}

// CalendarFile is the list as the attachment of the Calendar file button.
func (u Upcoming) CalendarFile(now time.Time) (File, error) {
	var buf bytes.Buffer
	if err := u.WriteICS(&buf, now); err != nil {
		return File{}, err
	}
	name := "attache-upcoming.ics"
	if u.Topic != "" {
		name = "attache-" + fileSlug(u.Topic) + ".ics"
	}
	return File{Name: name, ContentType: "text/calendar; charset=utf-8", Data: buf.Bytes()}, nil
}

// fileSlug makes a topic part of a file name: "sudan-talks".
func fileSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return cmpOr(strings.Trim(b.String(), "-"), "upcoming")
}

func (s *Set) upcomingCommand() Command {
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     "upcoming",
			Description:              "What is coming up: summits, votes, talks and deadlines the articles announce",
			DefaultMemberPermissions: permissions(discordgo.PermissionSendMessages),
			Contexts:                 contexts,
			IntegrationTypes:         integrationTypes,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:         discordgo.ApplicationCommandOptionString,
					Name:         "topic",
					Description:  "Only events of this story, e.g. sudan ceasefire talks (default: all)",
					Autocomplete: true,
					MaxLength:    MaxTopicRunes,
				},
				{
					Type:        discordgo.ApplicationCommandOptionInteger,
					Name:        "days",
					Description: fmt.Sprintf("How many days ahead to look (default %d)", DefaultUpcomingDays),
					MinValue:    floatPtr(1),
					MaxValue:    MaxUpcomingDays,
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        "private",
					Description: "Show the list only to you (default: the channel sees it)",
				},
			},
		},
		Handle:   s.handleUpcoming,
		Private:  askIsPrivate,
		Complete: s.completeTopic,
		Prefix:   upcomingPrefix,
		Press:    s.pressUpcoming,
		Limited:  true,
	}
}

func floatPtr(f float64) *float64 { return &f }

// errNoCalendar is the answer of /upcoming and /timeline where the bot
// runs without a calendar.
var errNoCalendar = &UserError{Message: "I don't keep a calendar here."}

func (s *Set) handleUpcoming(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
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
	days, _, err := IntOption(data.Options, "days")
	if err != nil {
		return Reply{}, err
	}
	priv, _, err := BoolOption(data.Options, "private")
	if err != nil {
		return Reply{}, err
	}
	u, err := ListUpcoming(ctx, s.calendar, s.idx, topic, s.now(), days)
	if err != nil {
		return Reply{}, badInput(err)
	}
	r := u.Page(0)
	r.Ephemeral = priv
	if len(u.Events) > 0 {
		id := s.sessions.put(session{text: u.Topic, owner: userID(i), private: priv, upcoming: &u})
		r.Components = upcomingButtons(id, 0, u.pages())
	}
	return r, nil
}

// pressUpcoming shows another page of the list, or sends its calendar
// file. Pages work as /ask's do: the member who asked turns them in place,
// anyone else gets them privately. The calendar file always comes
// privately, to whoever pressed.
func (s *Set) pressUpcoming(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := ComponentData(i)
	if err != nil {
		return Reply{}, err
	}
	id, page, file, err := parseUpcomingButton(data.CustomID)
	if err != nil {
		return Reply{}, &UserError{Message: "That button doesn't work any more; ask again with `/upcoming`.", Err: err}
	}
	sess, ok := s.sessions.get(id)
	if !ok || sess.upcoming == nil {
		return Reply{}, &UserError{Message: "This list has expired; ask again with `/upcoming`."}
	}
	u := *sess.upcoming
	if file {
		f, err := u.CalendarFile(s.now())
		if err != nil {
			return Reply{}, err
		}
		return Reply{
			Content: fmt.Sprintf("The %d %s listed, as a calendar file: open it or import it in your calendar app. Importing a newer file updates the events instead of adding them twice.",
				len(u.Events), plural(len(u.Events), "event", "events")),
			Files:     []File{f},
			Ephemeral: true,
		}, nil
	}
	r := u.Page(page)
	id = s.turnPage(i, id, sess, &r)
	r.Components = upcomingButtons(id, page, u.pages())
	return r, nil
}

// upcomingButtons are Previous and Next, when there are pages to go to,
// and Calendar file.
func upcomingButtons(id string, page, pages int) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	if rows := pageButtons(upcomingPrefix, id, page, pages); len(rows) > 0 {
		row = rows[0].(discordgo.ActionsRow).Components
	}
	row = append(row, discordgo.Button{Label: "Calendar file", Style: discordgo.SecondaryButton, CustomID: upcomingPrefix + ":" + id + ":ics"})
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// parseUpcomingButton reads the custom_id of an /upcoming button: a page,
// or the calendar file.
func parseUpcomingButton(customID string) (id string, page int, file bool, err error) {
	if rest, ok := strings.CutSuffix(customID, ":ics"); ok {
		parts := strings.Split(rest, ":")
		if len(parts) != 2 || parts[1] == "" {
			return "", 0, false, fmt.Errorf("malformed button %q", customID)
		}
		return parts[1], 0, true, nil
	}
	id, page, err = parseButtonID(customID)
	return id, page, false, err
}

// ComingUp returns the events of the week from now, for a digest's
// "Coming up this week": about topic when it is set, at most
// comingUpEvents.
func ComingUp(ctx context.Context, cal Calendar, r TopicReader, topic string, now time.Time) ([]events.Event, error) {
	u, err := ListUpcoming(ctx, cal, r, topic, now, 7)
	if err != nil {
		return nil, err
	}
	evs := u.Events
	if len(evs) > comingUpEvents {
		evs = evs[:comingUpEvents]
	}
	return evs, nil
}

// comingUpEvents bounds a digest's "Coming up this week".
const comingUpEvents = 10

// comingUpBlock renders a digest's "Coming up this week", or "" without
// events.
func comingUpBlock(evs []events.Event) string {
	if len(evs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("**Coming up this week**")
	for _, e := range evs {
		b.WriteString("\n• " + discordDays(e) + " · " + eventLine(e))
	}
	return b.String()
}

// infoOf is an event's article as citations take it.
func infoOf(a events.Article) index.ArticleInfo {
	return index.ArticleInfo{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published}
}
