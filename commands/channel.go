package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/bwmarrin/discordgo"
)

// Discord is what the moderator commands need from Discord besides the
// interaction itself: channels other than the interaction's, to check and
// to post in. The bot implements it with its REST client.
type Discord interface {
	// Channel looks up a channel. It returns an error wrapping
	// ErrUnknownChannel when the channel does not exist or the bot cannot
	// see it.
	Channel(ctx context.Context, id string) (*discordgo.Channel, error)
	// Permissions returns a member's permissions in a channel, worked
	// out as Discord does from the server's roles, the member's roles and
	// the channel's overwrites; the guild's owner and Administrator have
	// them all. userID Me asks for the bot's own.
	Permissions(ctx context.Context, channelID, userID string) (int64, error)
	// Send posts r in a channel as a message of the bot's, mentioning no
	// one, and returns the message's ID.
	Send(ctx context.Context, channelID string, r Reply) (string, error)
}

// Me stands for the bot's own user in Discord.Permissions, as @me does in
// Discord's API.
const Me = "@me"

// ErrUnknownChannel is wrapped by Discord.Channel's error for a channel
// that does not exist or that the bot cannot see.
var ErrUnknownChannel = errors.New("unknown channel")

// postableTypes are the kinds of channel the commands post in.
var postableTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}

// target is a channel that the bot has checked it may post in.
type target struct {
	ID      string
	GuildID string
	// Unchecked says that the bot could not work out its permissions
	// there; the user is told, and the post may fail.
	Unchecked bool
}

// mention is the channel as Discord shows a link to it: #name.
func (t target) mention() string { return "<#" + t.ID + ">" }

// uncheckedNote is what a reply adds when the bot could not check its
// permissions in the channel.
func (t target) uncheckedNote(need int64) string {
	if !t.Unchecked {
		return ""
	}
	return fmt.Sprintf("\nI couldn't check my permissions in %s: make sure I have %s there.", t.mention(), permissionList(need))
}

// postTarget checks that the bot may post in channel id in answer to
// interaction i: that the channel is a text channel of i's server where
// the bot has the permissions need. In the interaction's own channel
// Discord says what the bot may do (app_permissions); another channel is
// looked up. What is wrong comes back as a *UserError.
func (s *Set) postTarget(ctx context.Context, i *discordgo.Interaction, id string, need int64) (target, error) {
	if i.GuildID == "" {
		return target{}, &UserError{Message: "I can post only in a server's channels."}
	}
	t := target{ID: id, GuildID: i.GuildID}
	var perms int64
	if id == i.ChannelID && i.AppPermissions != 0 {
		perms = i.AppPermissions
	} else {
		if s.discord == nil {
			return target{}, &UserError{Message: "I can post in other channels only when I'm running on Discord."}
		}
		ch, err := s.discord.Channel(ctx, id)
		if errors.Is(err, ErrUnknownChannel) {
			return target{}, &UserError{Message: fmt.Sprintf("I can't see %s: it doesn't exist, or I don't have View Channel there.", t.mention()), Err: err}
		}
		if err != nil {
			return target{}, fmt.Errorf("check channel %s: %w", id, err)
		}
		if ch.GuildID != i.GuildID {
			return target{}, &UserError{
				Message: "That channel belongs to another server: pick one of this server's channels.",
				Err:     fmt.Errorf("channel %s is in guild %q, not %s", id, ch.GuildID, i.GuildID),
			}
		}
		if !slices.Contains(postableTypes, ch.Type) {
			return target{}, &UserError{Message: fmt.Sprintf("%s isn't a text channel: pick a text or announcement channel.", t.mention())}
		}
		if perms, err = s.discord.Permissions(ctx, id, Me); err != nil {
			// Not knowing is not a reason to refuse: say so, and let the
			// post tell.
			t.Unchecked = true
		}
	}
	if !t.Unchecked {
		if missing := missingPermissions(perms, need); missing != 0 {
			return target{}, &UserError{Message: fmt.Sprintf("I can't post in %s: I need the %s permission there. Ask an admin to add it, or pick another channel.", t.mention(), permissionList(missing))}
		}
	}
	return t, nil
}

// send posts r in t, reporting a failure the user can act on (missing
// permissions, a deleted channel) as a *UserError.
func (s *Set) send(ctx context.Context, t target, r Reply) (string, error) {
	if s.discord == nil {
		return "", &UserError{Message: "I can post only when I'm running on Discord."}
	}
	id, err := s.discord.Send(ctx, t.ID, r)
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && (re.Response.StatusCode == 403 || re.Response.StatusCode == 404) {
		return "", &UserError{Message: fmt.Sprintf("Discord didn't let me post in %s: check that I have %s there.", t.mention(), permissionList(postPermissions)), Err: err}
	}
	if err != nil {
		return "", fmt.Errorf("post in channel %s: %w", t.ID, err)
	}
	return id, nil
}

// messageLink is the address of a message, for a "jump" link.
func messageLink(guildID, channelID, messageID string) string {
	return "https://discord.com/channels/" + guildID + "/" + channelID + "/" + messageID
}
