package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"attache/corpus/feeds"

	"github.com/bwmarrin/discordgo"
)

// FeedManager keeps the feed subscriptions; *feeds.Manager satisfies it.
type FeedManager interface {
	Add(ctx context.Context, rawURL, addedBy string) (feeds.Feed, feeds.Preview, error)
	List(ctx context.Context) ([]feeds.Feed, error)
	Remove(ctx context.Context, id string) error
}

// maxFeedURL bounds the address /feeds add takes.
const maxFeedURL = 2000

func (s *Set) feedsCommand() Command {
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     "feeds",
			Description:              "Add, list or remove the news feeds I read articles from",
			DefaultMemberPermissions: permissions(managePermission),
			Contexts:                 guildOnly,
			IntegrationTypes:         integrationTypes,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        "add",
					Description: "Read articles from an RSS, Atom or JSON feed",
					Options: []*discordgo.ApplicationCommandOption{{
						Type:        discordgo.ApplicationCommandOptionString,
						Name:        "url",
						Description: "The feed's address, e.g. https://example.com/world/rss.xml",
						Required:    true,
						MaxLength:   maxFeedURL,
					}},
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        "list",
					Description: "List the feeds I read and how each is doing",
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        "remove",
					Description: "Stop reading a feed; its articles so far stay",
					Options: []*discordgo.ApplicationCommandOption{{
						Type:         discordgo.ApplicationCommandOptionString,
						Name:         "id",
						Description:  "The feed's number, such as 3 (see /feeds list)",
						Required:     true,
						Autocomplete: true,
						MaxLength:    20,
					}},
				},
			},
		},
		Handle:   s.handleFeeds,
		Private:  always,
		Complete: s.completeFeeds,
	}
}

func (s *Set) handleFeeds(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	return moderate(ctx, i, "feeds", "manage feeds", s.feeds != nil, map[string]subcommand{
		"add": s.homeOnly(s.addFeed),
		"list": func(ctx context.Context, i *discordgo.Interaction, _ []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
			return s.listFeeds(ctx, s.feedsHome(i))
		},
		"remove": s.homeOnly(func(ctx context.Context, _ *discordgo.Interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
			return s.removeFeed(ctx, opts)
		}),
	})
}

// feedsHome reports whether interaction i comes from the home server of
// the feeds, the one server where they may be changed.
func (s *Set) feedsHome(i *discordgo.Interaction) bool {
	return s.feedsGuild != "" && i != nil && i.GuildID == s.feedsGuild
}

// homeOnly runs sub, which changes the feeds, only in their home server:
// the feeds feed the answers in every server, so the moderators of one
// must not change them for all the others.
func (s *Set) homeOnly(sub subcommand) subcommand {
	return func(ctx context.Context, i *discordgo.Interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
		if !s.feedsHome(i) {
			msg := "Feeds are shared by every server I'm in, so they can be changed only from my home server, and this isn't it. `/feeds list` shows them."
			if s.feedsGuild == "" {
				msg = "Feeds are shared by every server I'm in, so they can be changed only from my home server, and my operator hasn't set one. `/feeds list` shows them."
			}
			return Reply{}, &UserError{Message: msg, Err: fmt.Errorf("change feeds from guild %q: their home is %q", i.GuildID, s.feedsGuild)}
		}
		return sub(ctx, i, opts)
	}
}

// addFeed subscribes to a feed after the manager has fetched and checked
// it, and shows what it found there.
func (s *Set) addFeed(ctx context.Context, i *discordgo.Interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
	raw, _, err := StringOption(opts, "url")
	if err != nil {
		return Reply{}, err
	}
	raw = strings.TrimSpace(raw)
	if raw == "" || Length(raw) > maxFeedURL {
		return Reply{}, &UserError{Message: fmt.Sprintf("Give the feed's address, an http or https URL of at most %d characters.", maxFeedURL)}
	}
	addedBy := userID(i)
	if u := UserOf(i); u != nil && u.Username != "" {
		addedBy = u.Username + " (" + u.ID + ")"
	}
	f, p, err := s.feeds.Add(ctx, raw, addedBy)
	if err != nil {
		if ctx.Err() != nil {
			return Reply{}, err
		}
		// The manager's errors say why a feed was refused in words meant
		// for the person who asked.
		return Reply{}, &UserError{Message: "I can't add that feed: " + clause(Escape(Truncate(err.Error(), 500))), Err: err}
	}
	e := &discordgo.MessageEmbed{
		Type:   discordgo.EmbedTypeRich,
		Color:  embedColor,
		Title:  fit(fmt.Sprintf("Feed #%s: %s", f.ID, cmp.Or(p.Title, f.Title)), MaxEmbedTitle, Escape),
		URL:    linkURL(f.URL),
		Footer: &discordgo.MessageEmbedFooter{Text: "I read it now and regularly from now on; its new articles show up in answers within minutes."},
	}
	e.Description = fmt.Sprintf("%d %s now.", p.ItemCount, plural(p.ItemCount, "item", "items"))
	if p.Newest.Title != "" {
		newest := fit(p.Newest.Title, 200, Escape)
		if u := linkURL(p.Newest.Link); u != "" {
			newest = "[" + newest + "](<" + u + ">)"
		}
		if !p.Newest.Published.IsZero() {
			newest += " · " + p.Newest.Published.UTC().Format("2 Jan 2006")
		}
		e.Description += "\nNewest: " + newest
	}
	return Reply{Content: fmt.Sprintf("Added feed **#%s**.", f.ID), Embeds: []*discordgo.MessageEmbed{e}}, nil
}

// listFeeds lists the feeds; outside their home server (home false) it
// says that they are changed from there.
func (s *Set) listFeeds(ctx context.Context, home bool) (Reply, error) {
	list, err := s.feeds.List(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		if !home {
			return Reply{Content: "I don't read any feeds yet."}, nil
		}
		return Reply{Content: "I don't read any feeds yet. Add one with `/feeds add`."}, nil
	}
	footer := fmt.Sprintf("%d %s · /feeds remove stops one", len(list), plural(len(list), "feed", "feeds"))
	if !home {
		footer = fmt.Sprintf("%d %s · shared by every server; changed only from my home server", len(list), plural(len(list), "feed", "feeds"))
	}
	var b strings.Builder
	for n, f := range list {
		line := feedLine(f)
		if b.Len() > 0 && Length(b.String())+1+Length(line) > MaxEmbedDescription-40 {
			fmt.Fprintf(&b, "\n…and %d more", len(list)-n)
			break
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(line)
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{{
		Type:        discordgo.EmbedTypeRich,
		Color:       embedColor,
		Title:       "Feeds I read",
		Description: b.String(),
		Footer:      &discordgo.MessageEmbedFooter{Text: footer},
	}}}, nil
}

// feedLine is one feed in the list: "**#3** [Title](url): OK".
func feedLine(f feeds.Feed) string {
	title := fit(cmp.Or(f.Title, f.URL), 100, Escape)
	if u := linkURL(f.URL); u != "" {
		title = "[" + title + "](<" + u + ">)"
	}
	return fmt.Sprintf("**#%s** %s: %s", f.ID, title, feedStatus(f))
}

// feedStatus says how a feed is doing: OK, failing, or paused since when
// and why.
func feedStatus(f feeds.Feed) string {
	switch {
	case f.Paused():
		return fmt.Sprintf("**paused** since <t:%d:f> because %s", f.PausedAt.Unix(), Escape(Truncate(f.PausedWhy, 300)))
	case f.Failures > 0:
		return fmt.Sprintf("**failing** (%d %s in a row; last error: %s)", f.Failures, plural(f.Failures, "failure", "failures"), Escape(Truncate(f.LastError, 200)))
	case f.LastSuccess.IsZero():
		return "new, not read yet"
	}
	return fmt.Sprintf("OK, read <t:%d:R>", f.LastSuccess.Unix())
}

func (s *Set) removeFeed(ctx context.Context, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error) {
	id, _, err := StringOption(opts, "id")
	if err != nil {
		return Reply{}, err
	}
	id = strings.TrimPrefix(strings.TrimSpace(id), "#")
	if !isSnowflake(id) {
		return Reply{}, &UserError{Message: "Give the feed's number, such as 3; `/feeds list` shows them."}
	}
	if err := s.feeds.Remove(ctx, id); err != nil {
		if errors.Is(err, feeds.ErrNotFound) {
			return Reply{}, &UserError{Message: fmt.Sprintf("There's no feed #%s; `/feeds list` shows them.", id), Err: err}
		}
		return Reply{}, err
	}
	return Reply{Content: fmt.Sprintf("Removed feed **#%s**. The articles I read from it stay.", id)}, nil
}

// completeFeeds suggests the IDs of the feeds, by title.
func (s *Set) completeFeeds(ctx context.Context, i *discordgo.Interaction) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if s.feeds == nil || !HasPermission(i, managePermission) || !s.feedsHome(i) {
		return choices, nil
	}
	name, typed, err := focused(i)
	if err != nil || name != "id" {
		return choices, err
	}
	list, err := s.feeds.List(ctx)
	if err != nil {
		return nil, err
	}
	return matching(strings.TrimPrefix(strings.TrimSpace(typed), "#"), list, func(f feeds.Feed) (string, string) {
		return "#" + f.ID + " " + oneLine(cmp.Or(f.Title, f.URL)), f.ID
	}), nil
}

// FeedPausedNotice is the message for the moderators' log channel when the
// bot stops reading a feed: which feed, since when, why, and what to do.
func FeedPausedNotice(f feeds.Feed) Reply {
	return Reply{Embeds: []*discordgo.MessageEmbed{{
		Type:  discordgo.EmbedTypeRich,
		Color: 0xc05621,
		Title: fit("Feed paused: "+cmp.Or(f.Title, f.URL), MaxEmbedTitle, Escape),
		URL:   linkURL(f.URL),
		Description: fmt.Sprintf("I stopped reading feed **#%s** <t:%d:R> because %s.\n"+
			"Check its address: `/feeds remove id:%s` drops it, and `/feeds add` brings it back once it works.",
			f.ID, f.PausedAt.Unix(), Escape(Truncate(cmp.Or(f.PausedWhy, "it kept failing"), 500)), f.ID),
		Footer: &discordgo.MessageEmbedFooter{Text: "attache · feeds"},
	}}}
}
