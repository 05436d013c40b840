package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"attache/commands"

	"github.com/bwmarrin/discordgo"
)

// Channel looks up a channel over REST, for the commands that post in
// channels other than the interaction's. It returns an error wrapping
// commands.ErrUnknownChannel when the channel does not exist or the bot
// cannot see it.
func (b *Bot) Channel(ctx context.Context, id string) (*discordgo.Channel, error) {
	if b.rest == nil {
		return nil, b.restErr
	}
	ch, err := b.rest.Channel(id, discordgo.WithContext(ctx))
	if isStatus(err, http.StatusNotFound, http.StatusForbidden) {
		return nil, fmt.Errorf("look up channel %s: %w: %w", id, commands.ErrUnknownChannel, err)
	}
	if err != nil {
		return nil, fmt.Errorf("look up channel %s: %w", id, err)
	}
	return ch, nil
}

// Permissions works out a member's permissions in a channel, or the
// bot's when userID is commands.Me, from the server (its roles and owner),
// the member's roles and the channel's overwrites, as Discord does;
// Discord sends them with an interaction only for the interaction's own
// channel, and only the invoking member's and the bot's.
func (b *Bot) Permissions(ctx context.Context, channelID, userID string) (int64, error) {
	if b.rest == nil {
		return 0, b.restErr
	}
	if userID == commands.Me {
		var err error
		if userID, err = b.botUserID(ctx); err != nil {
			return 0, err
		}
	}
	perms, err := b.rest.UserChannelPermissions(userID, channelID, discordgo.WithContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("work out the permissions of user %s in channel %s: %w", userID, channelID, err)
	}
	return perms, nil
}

// Send posts r in a channel as a message of the bot's, mentioning no one,
// and returns the message's ID.
func (b *Bot) Send(ctx context.Context, channelID string, r commands.Reply) (string, error) {
	if b.rest == nil {
		return "", b.restErr
	}
	m, err := b.rest.ChannelMessageSendComplex(channelID, r.Message(), discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("post in channel %s: %w", channelID, err)
	}
	return m.ID, nil
}

// botUserID returns the bot's user ID: from the gateway's READY, or asked
// of Discord once.
func (b *Bot) botUserID(ctx context.Context) (string, error) {
	b.mu.Lock()
	id := b.userID
	b.mu.Unlock()
	if id != "" {
		return id, nil
	}
	u, err := b.rest.User("@me", discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("ask Discord for the bot's user: %w", err)
	}
	b.setUserID(u.ID)
	return u.ID, nil
}

func (b *Bot) setUserID(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.userID = id
}

// isStatus reports whether err is a REST error with one of the statuses.
func isStatus(err error, statuses ...int) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	for _, s := range statuses {
		if re.Response.StatusCode == s {
			return true
		}
	}
	return false
}
