package commands

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// MaxQuery is the longest /sources query, in characters.
const MaxQuery = 100

const (
	sourcesPerPage = 10
	sourcesPrefix  = "src"
)

func (s *Set) sourcesCommand() Command {
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             "sources",
			Description:      "List the newest articles I answer from, or those matching a search",
			Contexts:         contexts,
			IntegrationTypes: integrationTypes,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:         discordgo.ApplicationCommandOptionString,
					Name:         "query",
					Description:  "Only articles about this, e.g. Alaska",
					Autocomplete: true,
					MaxLength:    MaxQuery,
				},
			},
		},
		Handle:   s.handleSources,
		Private:  always,
		Complete: s.completeSources,
		Prefix:   sourcesPrefix,
		Press:    s.pressSources,
	}
}

// Sources lists page (from 0) of the articles in the index, newest first,
// or of those matching query when it is not empty. A query longer than
// MaxQuery is refused with a *UserError.
func Sources(ctx context.Context, l Lister, query string, page int) (Reply, error) {
	r, _, err := sourcesPage(ctx, l, query, page)
	return r, err
}

// The list is private: it is for browsing, and would clutter the channel.
func (s *Set) handleSources(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := CommandData(i)
	if err != nil {
		return Reply{}, err
	}
	query, _, err := StringOption(data.Options, "query")
	if err != nil {
		return Reply{}, err
	}
	r, pages, err := sourcesPage(ctx, s.idx, query, 0)
	if err != nil {
		return Reply{}, err
	}
	r.Ephemeral = true
	if pages > 1 {
		id := s.sessions.put(session{text: query, owner: userID(i), private: true})
		r.Components = sourcesButtons(id, 0, pages)
	}
	return r, nil
}

func (s *Set) pressSources(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := ComponentData(i)
	if err != nil {
		return Reply{}, err
	}
	id, page, err := parseButtonID(data.CustomID)
	if err != nil {
		return Reply{}, &UserError{Message: "That button doesn't work any more; try `/sources` again.", Err: err}
	}
	sess, ok := s.sessions.get(id)
	if !ok {
		return Reply{}, &UserError{Message: "This list has expired; try `/sources` again."}
	}
	r, pages, err := sourcesPage(ctx, s.idx, sess.text, page)
	if err != nil {
		return Reply{}, err
	}
	r.Ephemeral = true
	if user := userID(i); user != "" && user == sess.owner {
		r.Update = true
	} else {
		id = s.sessions.put(session{text: sess.text, owner: user, private: true})
	}
	if pages > 1 {
		r.Components = sourcesButtons(id, min(page, pages-1), pages)
	}
	return r, nil
}

func sourcesButtons(id string, page, pages int) []discordgo.MessageComponent {
	// Both buttons are always there, disabled at the ends, so they do not
	// jump around; their custom_ids stay distinct because pages > 1.
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, Disabled: page == 0, CustomID: buttonID(sourcesPrefix, id, max(page-1, 0))},
		discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, Disabled: page >= pages-1, CustomID: buttonID(sourcesPrefix, id, min(page+1, pages-1))},
	}}}
}

// sourcesPage renders page of the article list and says how many pages
// there are.
func sourcesPage(ctx context.Context, l Lister, query string, page int) (Reply, int, error) {
	query = oneLine(query)
	if n := Length(query); n > MaxQuery {
		return Reply{}, 0, &UserError{Message: fmt.Sprintf("Your search is %d characters long; please keep it under %d.", n, MaxQuery)}
	}
	arts, total, err := l.Articles(ctx, index.ArticleQuery{Text: query, Offset: page * sourcesPerPage, Limit: sourcesPerPage})
	if err != nil {
		return Reply{}, 0, fmt.Errorf("list articles matching %q: %w", query, err)
	}
	pages := (total + sourcesPerPage - 1) / sourcesPerPage
	switch {
	case total == 0 && query == "":
		return Reply{Content: "I don't have any articles yet."}, 0, nil
	case total == 0:
		return Reply{Content: fmt.Sprintf("No articles match “%s”. Try fewer words, or `/sources` on its own for the newest articles.", fit(query, MaxQuery, Escape))}, 0, nil
	case len(arts) == 0:
		return Reply{Content: "There are no more articles."}, pages, nil
	}

	e := &discordgo.MessageEmbed{
		Type:   discordgo.EmbedTypeRich,
		Color:  embedColor,
		Title:  "Newest articles",
		Footer: &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Page %d of %d · %d %s", page+1, pages, total, plural(total, "article", "articles"))},
	}
	var head string
	if query != "" {
		e.Title = "Articles matching your search"
		head = "Search: “" + fit(query, MaxQuery, Escape) + "”\n\n"
	}
	// Each line gets an equal share of the description; a line too long
	// for it loses its link first, then is cut.
	room := (MaxEmbedDescription - Length(head)) / len(arts)
	lines := make([]string, len(arts))
	for n, a := range arts {
		lines[n] = articleLine(page*sourcesPerPage+n+1, a, room)
	}
	e.Description = head + strings.Join(lines, "\n")
	return Reply{Embeds: []*discordgo.MessageEmbed{e}}, pages, nil
}

// articleLine is one line of the list: "**3.** [Title](url) — Source · 14
// Aug 2025", at most room characters.
func articleLine(n int, a index.ArticleInfo, room int) string {
	num := fmt.Sprintf("**%d.** ", n)
	cite := ""
	if c := citation(a); c != "" {
		cite = " — " + Escape(c)
	}
	title := fit(cmp.Or(a.Title, a.ID), 150, Escape)
	if u := linkURL(a.URL); u != "" {
		if line := num + "[" + title + "](" + u + ")" + cite; Length(line) <= room {
			return line
		}
	}
	return fit(num+title+cite, room, func(s string) string { return s })
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// completeSources suggests searches for the query option as it is typed.
func (s *Set) completeSources(ctx context.Context, i *discordgo.Interaction) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	data, err := CommandData(i)
	if err != nil {
		return nil, err
	}
	name, typed, err := FocusedOption(data.Options)
	if err != nil {
		return nil, err
	}
	if name != "query" {
		return []*discordgo.ApplicationCommandOptionChoice{}, nil
	}
	return Complete(ctx, s.idx, typed)
}

// Complete suggests up to 25 completions of typed, each at most 100
// characters long as Discord requires of a choice's name and value.
func Complete(ctx context.Context, s Suggester, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	typed = oneLine(typed)
	if Length(typed) > MaxQuery {
		typed = string([]rune(typed)[:MaxQuery])
	}
	words, err := s.Suggest(ctx, typed, MaxChoices)
	if err != nil {
		return nil, fmt.Errorf("suggest completions of %q: %w", typed, err)
	}
	choices := make([]*discordgo.ApplicationCommandOptionChoice, 0, min(len(words), MaxChoices))
	seen := make(map[string]bool)
	for _, w := range words {
		w = Truncate(oneLine(w), MaxChoiceLength)
		if w == "" || seen[strings.ToLower(w)] {
			continue
		}
		seen[strings.ToLower(w)] = true
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: w, Value: w})
		if len(choices) == MaxChoices {
			break
		}
	}
	return choices, nil
}
