package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Permissions the moderator commands ask of members and of the bot.
const (
	// summaryPermission lets a member post a summary for the server.
	summaryPermission = discordgo.PermissionManageMessages
	// managePermission lets a member manage digests and feeds.
	managePermission = discordgo.PermissionManageGuild
	// postPermissions are what the bot needs in a channel to post there.
	postPermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks
	// digestPermissions add reading the channel's history, where the bot
	// looks for a digest it may already have posted.
	digestPermissions = postPermissions | discordgo.PermissionReadMessageHistory
)

// permissionNames are the permissions the commands mention, as Discord's
// settings name them, in the order they are listed.
var permissionNames = []struct {
	bit  int64
	name string
}{
	{discordgo.PermissionViewChannel, "View Channel"},
	{discordgo.PermissionSendMessages, "Send Messages"},
	{discordgo.PermissionEmbedLinks, "Embed Links"},
	{discordgo.PermissionReadMessageHistory, "Read Message History"},
	{discordgo.PermissionManageMessages, "Manage Messages"},
	{discordgo.PermissionManageGuild, "Manage Server"},
}

// permissionList names the permissions in bits: "View Channel and Send
// Messages".
func permissionList(bits int64) string {
	var names []string
	for _, p := range permissionNames {
		if bits&p.bit != 0 {
			names = append(names, p.name)
		}
	}
	switch len(names) {
	case 0:
		return fmt.Sprintf("permissions %#x", bits)
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// HasPermission reports whether the member who started interaction i has
// every permission in perm, as Discord computed them for the interaction's
// channel; Administrator implies them all. Outside a server (in a DM)
// there is no member, and HasPermission reports false.
func HasPermission(i *discordgo.Interaction, perm int64) bool {
	if i == nil || i.Member == nil || i.GuildID == "" {
		return false
	}
	p := i.Member.Permissions
	return p&discordgo.PermissionAdministrator != 0 || p&perm == perm
}

// memberHas reports whether the member who started i has every
// permission in perm in channel channelID. Discord computes
// i.Member.Permissions for the interaction's own channel only, so in
// another channel they are worked out from the server's roles and the
// channel's overwrites: a permission that a member holds in one channel
// need not carry to another. Outside a server memberHas reports false.
func (s *Set) memberHas(ctx context.Context, i *discordgo.Interaction, channelID string, perm int64) (bool, error) {
	if i == nil || i.Member == nil || i.GuildID == "" || userID(i) == "" {
		return false, nil
	}
	if channelID == i.ChannelID {
		return HasPermission(i, perm), nil
	}
	if s.discord == nil {
		return false, fmt.Errorf("work out permissions in channel %s: not running on Discord", channelID)
	}
	have, err := s.discord.Permissions(ctx, channelID, userID(i))
	if err != nil {
		return false, fmt.Errorf("work out the permissions of user %s in channel %s: %w", userID(i), channelID, err)
	}
	return missingPermissions(have, perm) == 0, nil
}

// requirePermission returns a *UserError that says what is missing unless
// the member who started i has perm. doing completes "You need … to", as
// in "manage digests".
func requirePermission(i *discordgo.Interaction, perm int64, doing string) error {
	if i == nil || i.Member == nil || i.GuildID == "" {
		return &UserError{Message: fmt.Sprintf("You can %s only in a server.", doing)}
	}
	if !HasPermission(i, perm) {
		return &UserError{Message: fmt.Sprintf("You need the %s permission to %s.", permissionList(perm), doing)}
	}
	return nil
}

// missingPermissions returns the permissions of need that have does not
// hold; none when have includes Administrator.
func missingPermissions(have, need int64) int64 {
	if have&discordgo.PermissionAdministrator != 0 {
		return 0
	}
	return need &^ have
}

// subcommand answers one subcommand of a moderator command.
type subcommand func(ctx context.Context, i *discordgo.Interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) (Reply, error)

// moderate answers a moderator command made of subcommands (/digest,
// /feeds): it checks the Manage Server permission, then runs the
// subcommand used; every answer is private.
func moderate(ctx context.Context, i *discordgo.Interaction, name, what string, available bool, subs map[string]subcommand) (Reply, error) {
	if err := requirePermission(i, managePermission, what); err != nil {
		return Reply{}, err
	}
	if !available {
		return Reply{}, &UserError{Message: fmt.Sprintf("`/%s` isn't available here.", name)}
	}
	data, err := CommandData(i)
	if err != nil {
		return Reply{}, err
	}
	sub, opts := Subcommand(data)
	handle, ok := subs[sub]
	if !ok {
		names := make([]string, 0, len(subs))
		for n := range subs {
			names = append(names, "`/"+name+" "+n+"`")
		}
		slices.Sort(names)
		return Reply{}, &UserError{Message: "Use " + strings.Join(names, ", ") + ".", Err: fmt.Errorf("%s subcommand %q", name, sub)}
	}
	r, err := handle(ctx, i, opts)
	r.Ephemeral = true
	return r, err
}
