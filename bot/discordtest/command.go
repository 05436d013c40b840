package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// commandName is the pattern Discord documents for command and option names.
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// commandsLocked returns the stored commands of the request's scope, after
// checking the application and guild.
func (s *Server) commandsLocked(c *call) ([]*discordgo.ApplicationCommand, *apiError) {
	if c.r.PathValue("app") != s.appID {
		return nil, newAPIError(http.StatusForbidden, codeMissingAccess, "Missing Access")
	}
	guild := c.r.PathValue("guild")
	if guild != "" && !s.guildKnownLocked(guild) {
		return nil, newAPIError(http.StatusForbidden, codeMissingAccess, "Missing Access")
	}
	cmds := []*discordgo.ApplicationCommand{}
	if raw := s.commands[guild]; raw != nil {
		if err := json.Unmarshal(raw, &cmds); err != nil {
			s.tb.Errorf("discordtest: decode stored commands: %v", err)
		}
	}
	return cmds, nil
}

// saveCommandsLocked stores the commands of the request's scope.
func (s *Server) saveCommandsLocked(c *call, cmds []*discordgo.ApplicationCommand) json.RawMessage {
	raw, err := json.Marshal(cmds)
	if err != nil {
		s.tb.Errorf("discordtest: encode commands: %v", err)
		return nil
	}
	s.commands[c.r.PathValue("guild")] = raw
	s.notifyLocked()
	return raw
}

// fillCommandLocked sets the fields Discord adds to a registered command,
// keeping the ID of the command it replaces, if any.
func (s *Server) fillCommandLocked(c *call, cmd *discordgo.ApplicationCommand, old []*discordgo.ApplicationCommand) {
	if cmd.Type == 0 {
		cmd.Type = discordgo.ChatApplicationCommand
	}
	cmd.ID = ""
	for _, o := range old {
		if o.Name == cmd.Name && o.Type == cmd.Type {
			cmd.ID = o.ID
		}
	}
	if cmd.ID == "" {
		cmd.ID = s.newIDLocked()
	}
	cmd.ApplicationID = s.appID
	cmd.GuildID = c.r.PathValue("guild")
	cmd.Version = s.newIDLocked()
}

func (s *Server) getCommands(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds, e := s.commandsLocked(c)
	if e != nil {
		return fail(e)
	}
	return http.StatusOK, cmds
}

// putCommands serves bulk overwrite: the body replaces every command of the
// scope, and commands keep their IDs across overwrites by name and type.
func (s *Server) putCommands(c *call) (int, any) {
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(c.body, &cmds); err != nil {
		f := formErrors{}
		f.add("", "LIST_TYPE_CONVERT", "Could not interpret value as a list of application commands: "+err.Error())
		return fail(f.err())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, e := s.commandsLocked(c)
	if e != nil {
		return fail(e)
	}
	f := formErrors{}
	checkCommands(f, cmds)
	if e := f.err(); e != nil {
		return fail(e)
	}
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{}
	}
	for _, cmd := range cmds {
		s.fillCommandLocked(c, cmd, old)
	}
	return http.StatusOK, s.saveCommandsLocked(c, cmds)
}

// postCommand creates a command, or replaces the one with the same name and type.
func (s *Server) postCommand(c *call) (int, any) {
	var cmd *discordgo.ApplicationCommand
	if err := json.Unmarshal(c.body, &cmd); err != nil || cmd == nil {
		f := formErrors{}
		f.add("", "DICT_TYPE_CONVERT", "Could not interpret value as an application command.")
		return fail(f.err())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds, e := s.commandsLocked(c)
	if e != nil {
		return fail(e)
	}
	f := formErrors{}
	checkCommand(f, "", cmd)
	if e := f.err(); e != nil {
		return fail(e)
	}
	s.fillCommandLocked(c, cmd, cmds)
	status := http.StatusCreated
	replaced := false
	for i, o := range cmds {
		if o.ID == cmd.ID {
			cmds[i] = cmd
			replaced = true
			status = http.StatusOK
		}
	}
	if !replaced {
		cmds = append(cmds, cmd)
	}
	s.saveCommandsLocked(c, cmds)
	return status, cmd
}

func (s *Server) deleteCommand(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds, e := s.commandsLocked(c)
	if e != nil {
		return fail(e)
	}
	for i, o := range cmds {
		if o.ID == c.r.PathValue("command") {
			s.saveCommandsLocked(c, append(cmds[:i], cmds[i+1:]...))
			return http.StatusNoContent, nil
		}
	}
	return fail(newAPIError(http.StatusNotFound, codeUnknownCommand, "Unknown application command"))
}

// checkCommands records the errors Discord reports for a bulk overwrite.
func checkCommands(f formErrors, cmds []*discordgo.ApplicationCommand) {
	seen := map[string]bool{}
	count := map[discordgo.ApplicationCommandType]int{}
	for i, cmd := range cmds {
		p := strconv.Itoa(i)
		if cmd == nil {
			f.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
			continue
		}
		checkCommand(f, p+".", cmd)
		typ := cmd.Type
		if typ == 0 {
			typ = discordgo.ChatApplicationCommand
		}
		key := fmt.Sprint(typ, "/", cmd.Name)
		if seen[key] {
			f.add(p+".name", "APPLICATION_COMMANDS_DUPLICATE_NAME", fmt.Sprintf("Application command names must be unique; %q is used twice", cmd.Name))
		}
		seen[key] = true
		count[typ]++
	}
	if count[discordgo.ChatApplicationCommand] > 100 {
		f.add("", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer slash commands.")
	}
	if count[discordgo.UserApplicationCommand] > 5 || count[discordgo.MessageApplicationCommand] > 5 {
		f.add("", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer user and message commands each.")
	}
}

// checkCommand records errors for one command; p is the path prefix of its
// fields, ending in a dot, or "".
func checkCommand(f formErrors, p string, cmd *discordgo.ApplicationCommand) {
	switch cmd.Type {
	case 0, discordgo.ChatApplicationCommand:
		checkName(f, p+"name", cmd.Name)
		f.checkLength(p+"description", cmd.Description, 1, 100)
		checkOptions(f, p+"options", cmd.Options, 0)
		if n := commandSize(cmd); n > 4000 {
			f.add(strings.TrimSuffix(p, "."), "APPLICATION_COMMAND_TOO_LARGE", fmt.Sprintf("Command exceeds maximum size (4000): %d", n))
		}
	case discordgo.UserApplicationCommand, discordgo.MessageApplicationCommand:
		f.checkLength(p+"name", cmd.Name, 1, 32)
		if cmd.Description != "" {
			f.add(p+"description", "APPLICATION_COMMAND_INVALID_DESCRIPTION", "Context menu commands cannot have description")
		}
		if len(cmd.Options) > 0 {
			f.add(p+"options", "APPLICATION_COMMAND_OPTIONS_FOR_CONTEXT_MENU", "Context menu commands cannot have options")
		}
	default:
		f.add(p+"type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
	}
}

// checkName records an error unless name is a valid slash command or option name.
func checkName(f formErrors, path, name string) {
	switch {
	case !commandName.MatchString(name):
		f.add(path, "APPLICATION_COMMAND_INVALID_NAME", fmt.Sprintf("Command name %q is invalid", name))
	case strings.ToLower(name) != name:
		f.add(path, "APPLICATION_COMMAND_INVALID_NAME", fmt.Sprintf("Command name %q must be lower case", name))
	}
}

// checkOptions records errors for the options of a command (depth 0), of a
// subcommand group (depth 1) or of a subcommand.
func checkOptions(f formErrors, path string, opts []*discordgo.ApplicationCommandOption, depth int) {
	if len(opts) > 25 {
		f.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	names := map[string]bool{}
	subs, optional := 0, false
	for i, o := range opts {
		p := path + "." + strconv.Itoa(i)
		if o == nil {
			f.add(p, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
			continue
		}
		checkName(f, p+".name", o.Name)
		f.checkLength(p+".description", o.Description, 1, 100)
		if names[o.Name] {
			f.add(p+".name", "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", fmt.Sprintf("Option name %q is already used in these options", o.Name))
		}
		names[o.Name] = true
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommandGroup:
			subs++
			if depth > 0 {
				f.add(p+".type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommand groups can only be at the top level")
			}
			for j, sub := range o.Options {
				if sub != nil && sub.Type != discordgo.ApplicationCommandOptionSubCommand {
					f.add(p+".options."+strconv.Itoa(j)+".type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommand groups can only contain subcommands")
				}
			}
			checkOptions(f, p+".options", o.Options, 1)
		case discordgo.ApplicationCommandOptionSubCommand:
			subs++
			for j, opt := range o.Options {
				if opt != nil && (opt.Type == discordgo.ApplicationCommandOptionSubCommand || opt.Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
					f.add(p+".options."+strconv.Itoa(j)+".type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommands cannot contain subcommands or groups")
				}
			}
			checkOptions(f, p+".options", o.Options, 2)
		default:
			checkValueOption(f, p, o)
			if o.Required && optional {
				f.add(p+".required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
			}
			optional = optional || !o.Required
		}
	}
	if subs > 0 && subs < len(opts) {
		f.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands and subcommand groups cannot be mixed with other options")
	}
}

// checkValueOption records errors for an option that takes a value.
func checkValueOption(f formErrors, p string, o *discordgo.ApplicationCommandOption) {
	if o.Type < discordgo.ApplicationCommandOptionString || o.Type > discordgo.ApplicationCommandOptionAttachment {
		f.add(p+".type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.")
		return
	}
	if len(o.Options) > 0 {
		f.add(p+".options", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Only subcommands and groups can have options")
	}
	takesChoices := o.Type == discordgo.ApplicationCommandOptionString ||
		o.Type == discordgo.ApplicationCommandOptionInteger ||
		o.Type == discordgo.ApplicationCommandOptionNumber
	if len(o.Choices) > 0 && !takesChoices {
		f.add(p+".choices", "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "Only string, integer and number options can have choices")
	}
	if len(o.Choices) > 0 && o.Autocomplete {
		f.add(p+".autocomplete", "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID", "Autocomplete cannot be set for options with choices")
	}
	if o.Autocomplete && !takesChoices {
		f.add(p+".autocomplete", "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID", "Only string, integer and number options can autocomplete")
	}
	if len(o.Choices) > 25 {
		f.add(p+".choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	for j, ch := range o.Choices {
		cp := p + ".choices." + strconv.Itoa(j)
		if ch == nil {
			continue
		}
		f.checkLength(cp+".name", ch.Name, 1, 100)
		switch v := ch.Value.(type) {
		case string:
			if o.Type != discordgo.ApplicationCommandOptionString {
				f.add(cp+".value", "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %q is not a number.", v))
			}
			f.checkLength(cp+".value", v, 1, 100)
		case float64:
			if o.Type == discordgo.ApplicationCommandOptionString {
				f.add(cp+".value", "STRING_TYPE_CONVERT", "Could not interpret value as string.")
			}
			if o.Type == discordgo.ApplicationCommandOptionInteger && v != float64(int64(v)) {
				f.add(cp+".value", "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %v is not int.", v))
			}
		default:
			f.add(cp+".value", "BASE_TYPE_REQUIRED", "This field is required")
		}
	}
	if o.MinLength != nil && (*o.MinLength < 0 || *o.MinLength > 6000) {
		f.add(p+".min_length", "NUMBER_TYPE_MAX", "Int value should be between 0 and 6000.")
	}
	if o.MaxLength < 0 || o.MaxLength > 6000 {
		f.add(p+".max_length", "NUMBER_TYPE_MAX", "Int value should be between 1 and 6000.")
	}
}

// commandSize counts the characters Discord limits to 4000 per command: names,
// descriptions and choice names and values.
func commandSize(cmd *discordgo.ApplicationCommand) int {
	n := utf8.RuneCountInString(cmd.Name) + utf8.RuneCountInString(cmd.Description)
	var walk func([]*discordgo.ApplicationCommandOption)
	walk = func(opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			if o == nil {
				continue
			}
			n += utf8.RuneCountInString(o.Name) + utf8.RuneCountInString(o.Description)
			for _, ch := range o.Choices {
				if ch != nil {
					n += utf8.RuneCountInString(ch.Name) + utf8.RuneCountInString(fmt.Sprint(ch.Value))
				}
			}
			walk(o.Options)
		}
	}
	walk(cmd.Options)
	return n
}
