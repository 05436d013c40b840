package commands

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

func (s *Set) helpCommand() Command {
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             "help",
			Description:      "What I can do",
			Contexts:         contexts,
			IntegrationTypes: integrationTypes,
			Options:          []*discordgo.ApplicationCommandOption{},
		},
		Handle:  func(context.Context, *discordgo.Interaction) (Reply, error) { return Help(), nil },
		Private: always,
	}
}

// Help says what the bot can do, in one short private embed.
func Help() Reply {
	return Reply{
		Ephemeral: true,
		Embeds: []*discordgo.MessageEmbed{{
			Type:  discordgo.EmbedTypeRich,
			Color: embedColor,
			Title: "What I can do",
			Description: "I answer questions about diplomacy news from the articles I have, quoting the passage that answers best. " +
				"I don't search the web.\n\n" +
				"**/ask** `question` — the best passage, with the question's words in bold, the dates it mentions and a link to the article. " +
				"Press **More answers** for the next ones; add `private: True` to see the answer yourself only.\n" +
				"**/sources** `query` — the newest articles I have, or those about `query`.\n" +
				"**/upcoming** `topic` `days` — the summits, votes, talks and deadlines the articles announce, soonest first; " +
				"**Calendar file** sends them to import in your calendar.\n" +
				"**/timeline** `topic` — how a story unfolded, by the day each thing happened.\n" +
				"**/help** — this message.\n\n" +
				"For moderators: **/summary** `topic` — where a story stands, each point linked to its article, previewed before it is posted " +
				"(Manage Messages); **/digest** — a daily post of what is new, in a channel, at a time of day (Manage Server); " +
				"**/feeds** — the news feeds I read (Manage Server).",
			Footer: &discordgo.MessageEmbedFooter{Text: "Quotes can miss context: follow the link before relying on one."},
		}},
	}
}
