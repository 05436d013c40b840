package commands

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// UserOf returns who started interaction i: i.Member.User in a server,
// i.User in a direct message. It returns nil when neither is set.
func UserOf(i *discordgo.Interaction) *discordgo.User {
	if i == nil {
		return nil
	}
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	return i.User
}

// userID is the ID of whoever started i, or "" when unknown.
func userID(i *discordgo.Interaction) string {
	if u := UserOf(i); u != nil {
		return u.ID
	}
	return ""
}

// CommandData returns the data of an application command or autocomplete
// interaction. Unlike i.ApplicationCommandData it does not panic on other
// interactions.
func CommandData(i *discordgo.Interaction) (discordgo.ApplicationCommandInteractionData, error) {
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		return d, nil
	case *discordgo.ApplicationCommandInteractionData:
		if d != nil {
			return *d, nil
		}
	}
	return discordgo.ApplicationCommandInteractionData{}, fmt.Errorf("interaction type %v holds no command data", i.Type)
}

// ComponentData returns the data of a button press, without panicking on
// other interactions.
func ComponentData(i *discordgo.Interaction) (discordgo.MessageComponentInteractionData, error) {
	switch d := i.Data.(type) {
	case discordgo.MessageComponentInteractionData:
		return d, nil
	case *discordgo.MessageComponentInteractionData:
		if d != nil {
			return *d, nil
		}
	}
	return discordgo.MessageComponentInteractionData{}, fmt.Errorf("interaction type %v holds no component data", i.Type)
}

// ErrOptionType is wrapped by the errors of the option accessors when an
// option's value is not of the type the command declared.
var ErrOptionType = errors.New("option has the wrong type")

// option finds the named option among opts.
func option(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o != nil && o.Name == name {
			return o
		}
	}
	return nil
}

// StringOption returns the string option name and whether it was given.
// Unlike discordgo's StringValue it never panics: a value of another type
// is reported as a *UserError wrapping ErrOptionType.
func StringOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (string, bool, error) {
	o := option(opts, name)
	if o == nil || o.Value == nil {
		return "", false, nil
	}
	s, ok := o.Value.(string)
	if !ok || o.Type != discordgo.ApplicationCommandOptionString {
		return "", false, optionError(name, "text", o)
	}
	return s, true, nil
}

// BoolOption returns the boolean option name and whether it was given,
// reporting a value of another type as a *UserError wrapping
// ErrOptionType. A string "true" or "false" is accepted, as typed in the
// console.
func BoolOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (bool, bool, error) {
	o := option(opts, name)
	if o == nil || o.Value == nil {
		return false, false, nil
	}
	if o.Type != discordgo.ApplicationCommandOptionBoolean {
		return false, false, optionError(name, "true or false", o)
	}
	switch v := o.Value.(type) {
	case bool:
		return v, true, nil
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
			return b, true, nil
		}
	}
	return false, false, optionError(name, "true or false", o)
}

// FocusedOption returns the name and the text typed so far of the option
// an autocomplete interaction is about.
func FocusedOption(opts []*discordgo.ApplicationCommandInteractionDataOption) (name, typed string, err error) {
	for _, o := range opts {
		if o == nil || !o.Focused {
			continue
		}
		// Discord sends the partial text of any option type as a string
		// while the user types.
		switch v := o.Value.(type) {
		case string:
			return o.Name, v, nil
		case nil:
			return o.Name, "", nil
		default:
			return o.Name, fmt.Sprint(v), nil
		}
	}
	return "", "", errors.New("autocomplete without a focused option")
}

func optionError(name, want string, o *discordgo.ApplicationCommandInteractionDataOption) error {
	return &UserError{
		Message: fmt.Sprintf("I couldn't read the option `%s`: it should be %s.", name, want),
		Err:     fmt.Errorf("option %q: declared %v, value %T: %w", name, o.Type, o.Value, ErrOptionType),
	}
}

// ChannelOption returns the ID of the channel option name and whether it
// was given, reporting a value that is not a channel ID as a *UserError
// wrapping ErrOptionType.
func ChannelOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (string, bool, error) {
	o := option(opts, name)
	if o == nil || o.Value == nil {
		return "", false, nil
	}
	id, ok := o.Value.(string)
	if !ok || o.Type != discordgo.ApplicationCommandOptionChannel || !isSnowflake(id) {
		return "", false, optionError(name, "a channel", o)
	}
	return id, true, nil
}

// Subcommand returns the name and options of the subcommand that data
// invokes, or "" and data's own options when it invokes none.
func Subcommand(data discordgo.ApplicationCommandInteractionData) (string, []*discordgo.ApplicationCommandInteractionDataOption) {
	for _, o := range data.Options {
		if o != nil && o.Type == discordgo.ApplicationCommandOptionSubCommand {
			return o.Name, o.Options
		}
	}
	return "", data.Options
}

// isSnowflake reports whether s looks like a Discord ID.
func isSnowflake(s string) bool {
	return s != "" && len(s) <= 20 && strings.Trim(s, "0123456789") == ""
}

// IntOption returns the integer option name and whether it was given,
// reporting a value that is not a whole number as a *UserError wrapping
// ErrOptionType. Discord sends integers as JSON numbers; a string of
// digits is accepted, as typed in the console.
func IntOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (int, bool, error) {
	o := option(opts, name)
	if o == nil || o.Value == nil {
		return 0, false, nil
	}
	if o.Type != discordgo.ApplicationCommandOptionInteger {
		return 0, false, optionError(name, "a whole number", o)
	}
	switch v := o.Value.(type) {
	case float64:
		if v == float64(int(v)) {
			return int(v), true, nil
		}
	case int:
		return v, true, nil
	case int64:
		return int(v), true, nil
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return n, true, nil
		}
	}
	return 0, false, optionError(name, "a whole number", o)
}
