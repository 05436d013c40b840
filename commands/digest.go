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

	"attache/commands/schedule"
	"attache/corpus/dates"
	"attache/corpus/events"
	"attache/corpus/summarize"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// keptStories bounds the stories a digest remembers for the next one's
// "what changed" lines.
const keptStories = 200

// StoryReader lists the articles that came into the index since a time,
// and says when the index took in its first.
type StoryReader interface {
	Stories(ctx context.Context, since time.Time, topic string) ([]index.Story, error)
	Started() time.Time
}

// lateArrival is how long before a digest's window an article may have
// been published and still be news when it arrives within the window: a
// feed polled a little after an article came out.
const lateArrival = 6 * time.Hour

// isNews reports whether an article that came into the index at or after
// since is news for a digest of what is new since then: it must itself be
// recent, published within the window (or up to lateArrival before it),
// or, undated, have arrived within it into an index that was already
// running before it. So the archive an index starts with, bundled or not,
// and articles that a rebuilt index takes in again, are never news, and a
// digest of the last 24 hours does not list an article of last year
// because it was just indexed. A zero since asks for everything.
func isNews(st index.Story, since, started time.Time) bool {
	switch {
	case since.IsZero():
		return true
	case !st.Article.Published.IsZero():
		return !st.Article.Published.Before(since.Add(-lateArrival))
	}
	return !st.Added.Before(since) && started.Before(since)
}

// Digest is what is new in the index since a time, grouped by story.
type Digest struct {
	Topic   string
	Since   time.Time
	Stories []DigestStory
	// State is what the next digest of the same channel needs to say what
	// changed: pass it back as prev.
	State []byte
	// ComingUp, when set, ends the digest with "Coming up this week":
	// see ComingUp.
	ComingUp []events.Event
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

// BuildDigest gathers what is new in the index since since (see isNews),
// about topic when it is set, grouped by story, with what changed since
// the digest whose state is prev (nil for none). A zero since gathers the
// whole archive.
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
	started := r.Started()
	stories = slices.DeleteFunc(stories, func(st index.Story) bool { return !isNews(st, since, started) })
	var old []summarize.StoryState
	if len(prev) > 0 {
		if err := json.Unmarshal(prev, &old); err != nil {
			old = nil // a digest without "what changed" beats no digest
		}
	}
	docs := make([]summarize.Doc, len(stories))
	for i, s := range stories {
		docs[i] = summarize.Doc{Meta: s.Article, Sentences: s.Sentences}
	}
	groups := summarize.Group(docs, summarize.GroupOptions{})
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
			fmt.Fprintf(&b, "%s\n", citeLink(l))
		}
		out = append(out, strings.TrimRight(b.String(), "\n"))
	}
	if len(d.Stories) > 0 {
		if c := comingUpBlock(d.ComingUp); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// WriteJSON writes the digest as one JSON object, for other tools:
// {"since": "2026-03-02T06:00:00Z" (null for the whole archive),
// "stories": [{"headline", "articles": [{"id", "title", "published"}]}]},
// with article IDs as attache ask --json gives them, newest first, and
// "published" in RFC 3339 ("" when unknown).
func (d Digest) WriteJSON(w io.Writer) error {
	type article struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		Published string `json:"published"`
	}
	type story struct {
		Headline string    `json:"headline"`
		Articles []article `json:"articles"`
	}
	out := struct {
		Since   *string `json:"since"`
		Stories []story `json:"stories"`
	}{Stories: []story{}}
	if !d.Since.IsZero() {
		since := d.Since.UTC().Format(time.RFC3339)
		out.Since = &since
	}
	for _, s := range d.Stories {
		js := story{Headline: s.Headline, Articles: []article{}}
		for _, l := range s.Links {
			a := article{ID: l.ID, Title: l.Title}
			if !l.Published.IsZero() {
				a.Published = l.Published.UTC().Format(time.RFC3339)
			}
			js.Articles = append(js.Articles, a)
		}
		out.Stories = append(out.Stories, js)
	}
	return writeJSON(w, out)
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

// Messages renders the digest as the messages a scheduled post sends, one
// embed each: the first opens with the header, the stories are split
// between messages at story boundaries so that each keeps Discord's
// limits, and every embed's footer carries footer (which names the digest
// and its slot), numbered when there are several messages. Without
// stories it returns nothing, or, when quiet, a one-line note.
func (d Digest) Messages(footer string, quiet bool) []Reply {
	message := func(desc, foot string) Reply {
		return Reply{Embeds: []*discordgo.MessageEmbed{{
			Type:        discordgo.EmbedTypeRich,
			Color:       embedColor,
			Description: desc,
			Footer:      &discordgo.MessageEmbedFooter{Text: foot},
		}}}
	}
	header := d.Header()
	if len(d.Stories) == 0 {
		if !quiet {
			return nil
		}
		return []Reply{message(header, footer)}
	}
	pages := d.Pages(MaxEmbedDescription - Length(header) - 2)
	out := make([]Reply, len(pages))
	for n, p := range pages {
		if n == 0 {
			p = header + "\n\n" + p
		}
		foot := footer
		if len(pages) > 1 {
			foot = fmt.Sprintf("%s · %d/%d", footer, n+1, len(pages))
		}
		out[n] = message(p, foot)
	}
	return out
}

// DigestStore keeps the scheduled digests; *schedule.Store satisfies it.
type DigestStore interface {
	Add(ctx context.Context, d schedule.Digest) (schedule.Digest, error)
	List(ctx context.Context, guildID string) ([]schedule.Digest, error)
	Remove(ctx context.Context, guildID, id string) error
}

func (s *Set) digestCommand() Command {
	id := &discordgo.ApplicationCommandOption{
		Type:         discordgo.ApplicationCommandOptionString,
		Name:         "id",
		Description:  "The digest's ID, such as d3 (see /digest list)",
		Required:     true,
		Autocomplete: true,
		MaxLength:    20,
	}
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     "digest",
			Description:              "Schedule digests of new articles in a channel",
			DefaultMemberPermissions: permissions(managePermission),
			Contexts:                 guildOnly,
			IntegrationTypes:         integrationTypes,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        "add",
					Description: "Post a digest of new articles in a channel at a time of day",
					Options: []*discordgo.ApplicationCommandOption{
						{
							Type:         discordgo.ApplicationCommandOptionChannel,
							Name:         "channel",
							Description:  "Where to post it",
							Required:     true,
							ChannelTypes: postableTypes,
						},
						{
							Type:        discordgo.ApplicationCommandOptionString,
							Name:        "time",
							Description: "Time of day, 24-hour HH:MM, e.g. 07:30",
							Required:    true,
							MinLength:   intPtr(4),
							MaxLength:   5,
						},
						{
							Type:         discordgo.ApplicationCommandOptionString,
							Name:         "timezone",
							Description:  "Time zone, e.g. Europe/Paris",
							Required:     true,
							Autocomplete: true,
							MaxLength:    64,
						},
						{
							Type:        discordgo.ApplicationCommandOptionString,
							Name:        "days",
							Description: "daily (default), weekdays, weekends, or days like mon,wed,fri",
							MaxLength:   100,
						},
						{
							Type:        discordgo.ApplicationCommandOptionString,
							Name:        "topic",
							Description: "Only stories about this, e.g. sudan (default: all news)",
							MaxLength:   MaxTopicRunes,
						},
						{
							Type:        discordgo.ApplicationCommandOptionBoolean,
							Name:        "quiet_note",
							Description: "On days with nothing new, post a one-line note (default: post nothing)",
						},
						{
							Type:        discordgo.ApplicationCommandOptionBoolean,
							Name:        "coming_up",
							Description: "End each digest with the events coming up this week (default: yes)",
						},
					},
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        "list",
					Description: "List this server's digests and when each posts next",
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        "remove",
					Description: "Stop a digest",
					Options:     []*discordgo.ApplicationCommandOption{id},
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        "preview",
					Description: "Show only to you what a digest would post now",
					Options:     []*discordgo.ApplicationCommandOption{id},
				},
			},
		},
		Handle:   s.handleDigest,
		Private:  always,
		Complete: s.completeDigest,
	}
}

func (s *Set) handleDigest(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	return moderate(ctx, i, "digest", "manage digests", s.digests != nil, map[string]subcommand{
		"add": s.addDigest,
		"list": func(ctx context.Context, i *discordgo.Interaction, _ []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
			return s.listDigests(ctx, i)
		},
		"remove":  s.removeDigest,
		"preview": s.previewDigest,
	})
}

// addDigest checks everything before saving anything: the schedule, the
// topic, then the channel (in this server, and one the bot can post in).
func (s *Set) addDigest(ctx context.Context, i *discordgo.Interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
	channelID, ok, err := ChannelOption(opts, "channel")
	if err != nil {
		return Reply{}, err
	}
	if !ok {
		return Reply{}, &UserError{Message: "Pick the channel to post the digest in."}
	}
	var text [4]string
	for n, name := range []string{"time", "timezone", "days", "topic"} {
		if text[n], _, err = StringOption(opts, name); err != nil {
			return Reply{}, err
		}
	}
	hhmm, zone, days, topic := text[0], text[1], text[2], text[3]
	quiet, _, err := BoolOption(opts, "quiet_note")
	if err != nil {
		return Reply{}, err
	}
	comingUp, given, err := BoolOption(opts, "coming_up")
	if err != nil {
		return Reply{}, err
	}
	noComingUp := given && !comingUp
	spec, err := schedule.ParseSpec(hhmm, zone, days)
	if err != nil {
		return Reply{}, &UserError{Message: "That schedule doesn't work: " + clause(Escape(err.Error())), Err: err}
	}
	if strings.TrimSpace(topic) != "" {
		if topic, err = CheckTopic(topic); err != nil {
			return Reply{}, badInput(err)
		}
	} else {
		topic = ""
	}
	t, err := s.postTarget(ctx, i, channelID, digestPermissions)
	if err != nil {
		return Reply{}, err
	}
	d, err := s.digests.Add(ctx, schedule.Digest{
		GuildID: i.GuildID, ChannelID: t.ID, Spec: spec, Topic: topic, QuietNote: quiet, NoComingUp: noComingUp, CreatedBy: userID(i),
	})
	if errors.Is(err, schedule.ErrLimit) {
		return Reply{}, &UserError{Message: fmt.Sprintf("This server already has %d digests, the most it can have. Remove one with `/digest remove` first.", schedule.MaxPerGuild), Err: err}
	}
	if err != nil {
		return Reply{}, err
	}
	s.digestsChanged()
	next := d.NextSlot()
	return Reply{Content: fmt.Sprintf("Added digest **%s**: %s, in %s, %s. First post %s.",
		d.ID, scheduleText(d.Spec), t.mention(), topicText(d.Topic), timestamp(next.At)) + quietText(d.QuietNote) + comingUpText(d.NoComingUp) + t.uncheckedNote(digestPermissions)}, nil
}

func (s *Set) listDigests(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	ds, err := s.digests.List(ctx, i.GuildID)
	if err != nil {
		return Reply{}, err
	}
	if len(ds) == 0 {
		return Reply{Content: "This server has no digests yet. Add one with `/digest add`."}, nil
	}
	lines := make([]string, len(ds))
	for n, d := range ds {
		lines[n] = fmt.Sprintf("**%s** · <#%s> · %s · next %s · %s%s%s", d.ID, d.ChannelID, scheduleText(d.Spec), timestamp(d.NextSlot().At), topicText(d.Topic), map[bool]string{true: " · quiet note"}[d.QuietNote], map[bool]string{true: " · no coming up"}[d.NoComingUp])
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{{
		Type:        discordgo.EmbedTypeRich,
		Color:       embedColor,
		Title:       "Digests in this server",
		Description: strings.Join(lines, "\n"),
		Footer:      &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%d of at most %d · /digest preview shows what one would post now", len(ds), schedule.MaxPerGuild)},
	}}}, nil
}

func (s *Set) removeDigest(ctx context.Context, i *discordgo.Interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
	d, err := s.findDigest(ctx, i.GuildID, opts)
	if err != nil {
		return Reply{}, err
	}
	if err := s.digests.Remove(ctx, i.GuildID, d.ID); errors.Is(err, schedule.ErrNotFound) {
		return Reply{}, &UserError{Message: fmt.Sprintf("Digest %s was removed already.", d.ID), Err: err}
	} else if err != nil {
		return Reply{}, err
	}
	s.digestsChanged()
	return Reply{Content: fmt.Sprintf("Removed digest **%s** (%s, in <#%s>, %s).", d.ID, scheduleText(d.Spec), d.ChannelID, topicText(d.Topic))}, nil
}

// previewDigest shows what the digest would post now: the messages, as
// many as one reply holds.
func (s *Set) previewDigest(ctx context.Context, i *discordgo.Interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
	d, err := s.findDigest(ctx, i.GuildID, opts)
	if err != nil {
		return Reply{}, err
	}
	since := d.LastPostedAt
	if since.IsZero() {
		since = d.CreatedAt
	}
	dg, err := BuildDigest(ctx, s.idx, since, d.Topic, d.Stories)
	if err != nil {
		return Reply{}, fmt.Errorf("preview digest %s: %w", d.ID, err)
	}
	if !d.NoComingUp && s.calendar != nil {
		if dg.ComingUp, err = ComingUp(ctx, s.calendar, s.idx, d.Topic, s.now()); err != nil {
			return Reply{}, fmt.Errorf("preview digest %s: %w", d.ID, err)
		}
	}
	msgs := dg.Messages("preview of digest "+d.ID, true)
	r := Reply{Content: fmt.Sprintf("If digest **%s** posted now, <#%s> would get %d %s", d.ID, d.ChannelID, len(msgs), plural(len(msgs), "message", "messages"))}
	if len(dg.Stories) == 0 && !d.QuietNote {
		r.Content = fmt.Sprintf("Nothing is new for digest **%s** since %s, so it would post nothing now. (With `quiet_note` it would post this note:)", d.ID, timestamp(since))
	}
	total := 0
	for n, m := range msgs {
		e := m.Embeds[0]
		if len(r.Embeds) == MaxEmbeds || total+EmbedLength(e) > MaxEmbedTotal {
			r.Content += fmt.Sprintf(" (the first %d shown)", n)
			break
		}
		r.Embeds = append(r.Embeds, e)
		total += EmbedLength(e)
	}
	if !strings.HasSuffix(r.Content, ")") {
		r.Content += ":"
	}
	return r, nil
}

// findDigest returns the guild's digest named by the id option.
func (s *Set) findDigest(ctx context.Context, guildID string, opts []*discordgo.ApplicationCommandInteractionDataOption) (schedule.Digest, error) {
	id, _, err := StringOption(opts, "id")
	if err != nil {
		return schedule.Digest{}, err
	}
	id = strings.TrimPrefix(strings.TrimSpace(id), "#")
	ds, err := s.digests.List(ctx, guildID)
	if err != nil {
		return schedule.Digest{}, err
	}
	for _, d := range ds {
		if strings.EqualFold(d.ID, id) {
			return d, nil
		}
	}
	return schedule.Digest{}, &UserError{Message: fmt.Sprintf("This server has no digest “%s”; `/digest list` shows its digests.", fit(id, 20, Escape))}
}

// completeDigest suggests time zones, and the IDs of the server's digests.
func (s *Set) completeDigest(ctx context.Context, i *discordgo.Interaction) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	name, typed, err := focused(i)
	if err != nil {
		return nil, err
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	switch name {
	case "timezone":
		for _, z := range schedule.Zones(typed, MaxChoices) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: z, Value: z})
		}
	case "id":
		if s.digests == nil || !HasPermission(i, managePermission) {
			return choices, nil
		}
		ds, err := s.digests.List(ctx, i.GuildID)
		if err != nil {
			return nil, err
		}
		return matching(typed, ds, func(d schedule.Digest) (string, string) {
			return d.ID + " · " + scheduleText(d.Spec) + " · " + oneLine(cmpOr(d.Topic, "all news")), d.ID
		}), nil
	}
	return choices, nil
}

// focused returns the option being typed in an autocomplete interaction,
// within its subcommand if it has one.
func focused(i *discordgo.Interaction) (name, typed string, err error) {
	data, err := CommandData(i)
	if err != nil {
		return "", "", err
	}
	_, opts := Subcommand(data)
	return FocusedOption(opts)
}

// matching returns the choices, at most MaxChoices, whose label (from
// choice, with the value) holds what has been typed.
func matching[T any](typed string, items []T, choice func(T) (label, value string)) []*discordgo.ApplicationCommandOptionChoice {
	typed = strings.ToLower(strings.TrimSpace(typed))
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, it := range items {
		label, value := choice(it)
		if !strings.Contains(strings.ToLower(label), typed) {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: Truncate(label, MaxChoiceLength), Value: value})
		if len(out) == MaxChoices {
			break
		}
	}
	return out
}

// scheduleText is a digest's schedule as people read it: "07:30
// Europe/Paris, weekdays".
func scheduleText(sp schedule.Spec) string {
	return sp.TimeOfDay() + " " + sp.Zone() + ", " + sp.Days()
}

func topicText(topic string) string {
	if topic == "" {
		return "all news"
	}
	return "about “" + Escape(topic) + "”"
}

func comingUpText(off bool) string {
	if off {
		return ""
	}
	return " Each post ends with the events coming up this week."
}

func quietText(quiet bool) string {
	if quiet {
		return " On days with nothing new it posts a one-line note."
	}
	return " On days with nothing new it posts nothing."
}

// timestamp is a Discord timestamp that each reader sees in their own time
// zone, with how far off it is: "8 March 2026 07:30 (in 3 hours)".
func timestamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return fmt.Sprintf("<t:%d:f> (<t:%d:R>)", t.Unix(), t.Unix())
}
