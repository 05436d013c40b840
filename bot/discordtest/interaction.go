package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// Permissions that interactions built here carry unless a test changes them.
const (
	// DefaultPermissions are the invoking member's: those of an ordinary member.
	DefaultPermissions int64 = discordgo.PermissionViewChannel |
		discordgo.PermissionSendMessages |
		discordgo.PermissionReadMessageHistory |
		discordgo.PermissionEmbedLinks |
		discordgo.PermissionAttachFiles |
		discordgo.PermissionAddReactions |
		discordgo.PermissionUseApplicationCommands
	// DefaultAppPermissions are the bot's in the channel.
	DefaultAppPermissions int64 = DefaultPermissions | discordgo.PermissionSendMessagesInThreads
)

// A CommandOption is an option of a command interaction, as Discord sends it.
type CommandOption = discordgo.ApplicationCommandInteractionDataOption

// StringOption returns a string option.
func StringOption(name, value string) *CommandOption {
	return RawOption(name, discordgo.ApplicationCommandOptionString, value)
}

// IntegerOption returns an integer option.
func IntegerOption(name string, value int64) *CommandOption {
	return RawOption(name, discordgo.ApplicationCommandOptionInteger, value)
}

// NumberOption returns a number option.
func NumberOption(name string, value float64) *CommandOption {
	return RawOption(name, discordgo.ApplicationCommandOptionNumber, value)
}

// BooleanOption returns a boolean option.
func BooleanOption(name string, value bool) *CommandOption {
	return RawOption(name, discordgo.ApplicationCommandOptionBoolean, value)
}

// UserOption returns a user option, whose value is the user's ID.
func UserOption(name, userID string) *CommandOption {
	return RawOption(name, discordgo.ApplicationCommandOptionUser, userID)
}

// ChannelOption returns a channel option, whose value is the channel's ID.
func ChannelOption(name, channelID string) *CommandOption {
	return RawOption(name, discordgo.ApplicationCommandOptionChannel, channelID)
}

// RoleOption returns a role option, whose value is the role's ID.
func RoleOption(name, roleID string) *CommandOption {
	return RawOption(name, discordgo.ApplicationCommandOptionRole, roleID)
}

// RawOption returns an option of any type with any value, which is sent as
// JSON as it is: RawOption("limit", discordgo.ApplicationCommandOptionInteger, "ten")
// sends an integer option whose value is a string, as Discord never would.
func RawOption(name string, typ discordgo.ApplicationCommandOptionType, value any) *CommandOption {
	return &CommandOption{Name: name, Type: typ, Value: value}
}

// SubCommand returns a subcommand with its options.
func SubCommand(name string, opts ...*CommandOption) *CommandOption {
	return &CommandOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

// SubCommandGroup returns a subcommand group with its subcommands.
func SubCommandGroup(name string, subs ...*CommandOption) *CommandOption {
	return &CommandOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommandGroup, Options: subs}
}

// An InteractionEvent describes an INTERACTION_CREATE event for
// Server.SendInteraction. The builders (SlashCommand, Component, SelectMenu,
// Autocomplete) fill it as for an ordinary member in the default channel; a
// test changes the fields it cares about.
type InteractionEvent struct {
	// ID and Token are made up when empty.
	ID, Token string
	Type      discordgo.InteractionType
	// GuildID is "" for an interaction in a DM. When ChannelID is "", the
	// channel is the user's DM channel, or a new channel of the guild. Unknown
	// channels are added to the fake.
	GuildID, ChannelID string
	// User is the invoking user; nil means DefaultUserID, DefaultUsername.
	User *discordgo.User
	// Permissions are the member's (guild only) and AppPermissions the bot's.
	Permissions, AppPermissions int64
	Locale                      discordgo.Locale
	// Data is the "data" object. For commands and autocomplete, an "id" is
	// filled in: that of the registered command of the same name, if any.
	Data map[string]any
	// Message is, for message components, the message the component is on.
	// When nil, the fake makes one by the bot with a button.
	Message *discordgo.Message
	// Raw is merged over the top-level JSON object last, to send what Discord
	// would not; a nil value deletes the key.
	Raw map[string]any
}

// InDM moves the interaction to the invoking user's DM with the bot.
func (ev *InteractionEvent) InDM() *InteractionEvent {
	ev.GuildID, ev.ChannelID = "", ""
	return ev
}

// newEvent returns an interaction from the default user in the default channel.
func newEvent(typ discordgo.InteractionType, data map[string]any) *InteractionEvent {
	return &InteractionEvent{
		Type:           typ,
		GuildID:        DefaultGuildID,
		ChannelID:      DefaultChannelID,
		Permissions:    DefaultPermissions,
		AppPermissions: DefaultAppPermissions,
		Locale:         discordgo.EnglishUS,
		Data:           data,
	}
}

// SlashCommand returns a slash command interaction (type 2) with options.
func SlashCommand(name string, opts ...*CommandOption) *InteractionEvent {
	data := map[string]any{"name": name, "type": discordgo.ChatApplicationCommand}
	if len(opts) > 0 {
		data["options"] = opts
	}
	return newEvent(discordgo.InteractionApplicationCommand, data)
}

// Autocomplete returns an autocomplete interaction (type 4) for a slash
// command, in which the user is typing the focused option after the others.
// For an option inside a subcommand, build Data by hand.
func Autocomplete(name string, focused *CommandOption, others ...*CommandOption) *InteractionEvent {
	f := *focused
	f.Focused = true
	opts := append(slices.Clone(others), &f)
	data := map[string]any{"name": name, "type": discordgo.ChatApplicationCommand, "options": opts}
	return newEvent(discordgo.InteractionApplicationCommandAutocomplete, data)
}

// Component returns a button click (type 3) on a button with the custom ID.
func Component(customID string) *InteractionEvent {
	return newEvent(discordgo.InteractionMessageComponent, map[string]any{
		"custom_id":      customID,
		"component_type": discordgo.ButtonComponent,
	})
}

// SelectMenu returns a choice (type 3) in a string select menu.
func SelectMenu(customID string, values ...string) *InteractionEvent {
	return newEvent(discordgo.InteractionMessageComponent, map[string]any{
		"custom_id":      customID,
		"component_type": discordgo.SelectMenuComponent,
		"values":         append([]string{}, values...),
	})
}

// An interaction is the fake's record of an interaction it sent.
type interaction struct {
	id, token      string
	typ            discordgo.InteractionType
	channelID      string
	user           *discordgo.User
	created        int64  // Unix nanoseconds, by the server's clock
	response       []byte // JSON of the accepted initial response; nil before
	original       string // message ID of @original
	loading        bool   // @original is a deferred response's "thinking" message
	componentMsgID string
	followups      []string
	edits          [][]byte // @original after each edit
}

// SendInteraction dispatches INTERACTION_CREATE as Discord would for ev and
// returns a handle to watch what the bot does with it.
func (s *Server) SendInteraction(ev *InteractionEvent) *Interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := ev.ID
	if id == "" {
		id = s.newIDLocked()
	}
	token := ev.Token
	if token == "" {
		b := make([]byte, 24)
		rand.Read(b)
		token = "discordtest." + id + "." + hex.EncodeToString(b)
	}
	user := ev.User
	if user == nil {
		user = &discordgo.User{ID: DefaultUserID, Username: DefaultUsername}
	}
	ch := s.interactionChannelLocked(ev.GuildID, ev.ChannelID, user.ID)
	locale := ev.Locale
	if locale == "" {
		locale = discordgo.EnglishUS
	}

	obj := map[string]any{
		"id":              id,
		"application_id":  s.appID,
		"type":            ev.Type,
		"token":           token,
		"version":         1,
		"channel_id":      ch.ID,
		"channel":         map[string]any{"id": ch.ID, "type": ch.Type, "name": ch.Name, "guild_id": ch.GuildID},
		"locale":          locale,
		"app_permissions": strconv.FormatInt(ev.AppPermissions, 10),
		"entitlements":    []any{},
	}
	if ev.GuildID != "" {
		// Whoever starts an interaction in a guild is a member of it.
		s.guildLocked(ev.GuildID, true)
		member := s.members[ev.GuildID][user.ID]
		if member == nil {
			member = s.memberLocked(ev.GuildID, &discordgo.Member{User: user})
		}
		obj["guild_id"] = ev.GuildID
		obj["guild_locale"] = discordgo.EnglishUS
		obj["context"] = discordgo.InteractionContextGuild
		obj["authorizing_integration_owners"] = map[string]any{"0": ev.GuildID}
		obj["member"] = map[string]any{
			"user":                         userJSON(user),
			"roles":                        member.Roles,
			"joined_at":                    member.JoinedAt,
			"premium_since":                nil,
			"nick":                         nil,
			"avatar":                       nil,
			"deaf":                         false,
			"mute":                         false,
			"pending":                      false,
			"flags":                        0,
			"communication_disabled_until": nil,
			"permissions":                  strconv.FormatInt(ev.Permissions, 10),
		}
	} else {
		obj["user"] = userJSON(user)
		obj["context"] = discordgo.InteractionContextBotDM
	}

	data := maps.Clone(ev.Data)
	if data == nil {
		data = map[string]any{}
	}
	it := &interaction{typ: ev.Type, channelID: ch.ID, user: user, created: s.now().UnixNano()}
	switch ev.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		if _, ok := data["id"]; !ok {
			data["id"] = s.commandIDLocked(ev.GuildID, data)
		}
	case discordgo.InteractionMessageComponent:
		msg := s.componentMessageLocked(ch.ID, ev.Message, data)
		it.componentMsgID = msg.id
		obj["message"] = json.RawMessage(msg.marshal())
	}
	obj["data"] = data
	for k, v := range ev.Raw {
		if v == nil {
			delete(obj, k)
		} else {
			obj[k] = v
		}
	}
	// Raw may have replaced the ID or token, and the record follows what was sent.
	if v, ok := obj["id"].(string); ok {
		id = v
	}
	if v, ok := obj["token"].(string); ok {
		token = v
	}
	it.id, it.token = id, token

	raw, err := json.Marshal(obj)
	if err != nil {
		s.tb.Errorf("discordtest: SendInteraction: %v", err)
		return nil
	}
	s.interactions[id] = it
	s.tokens[token] = it
	s.dispatchLocked("INTERACTION_CREATE", raw)
	return &Interaction{ID: id, Token: token, ChannelID: ch.ID, GuildID: ev.GuildID, s: s}
}

// interactionChannelLocked returns the channel of an interaction, adding it
// to the fake when it is new.
func (s *Server) interactionChannelLocked(guildID, channelID, userID string) *discordgo.Channel {
	if channelID == "" && guildID == "" {
		channelID = s.dms[userID]
	}
	if ch := s.channels[channelID]; ch != nil {
		return ch
	}
	if channelID == "" {
		channelID = s.newIDLocked()
	}
	ch := &discordgo.Channel{ID: channelID, GuildID: guildID, Type: discordgo.ChannelTypeDM}
	if guildID != "" {
		ch.Type = discordgo.ChannelTypeGuildText
		ch.Name = "channel-" + channelID
	} else {
		s.dms[userID] = channelID
	}
	s.channels[channelID] = ch
	return ch
}

// commandIDLocked returns the ID of the registered command the data names,
// looking at the guild's commands and then the global ones, or a new ID.
func (s *Server) commandIDLocked(guildID string, data map[string]any) string {
	var want struct {
		Name string                           `json:"name"`
		Type discordgo.ApplicationCommandType `json:"type"`
	}
	if b, err := json.Marshal(data); err == nil {
		json.Unmarshal(b, &want)
	}
	if want.Type == 0 {
		want.Type = discordgo.ChatApplicationCommand
	}
	for _, scope := range []string{guildID, ""} {
		var cmds []*discordgo.ApplicationCommand
		json.Unmarshal(s.commands[scope], &cmds)
		for _, c := range cmds {
			if c.Name == want.Name && c.Type == want.Type {
				return c.ID
			}
		}
	}
	return s.newIDLocked()
}

// componentMessageLocked returns the stored message a component interaction
// is on, storing m or, when m is nil, a new message with the component.
func (s *Server) componentMessageLocked(channelID string, m *discordgo.Message, data map[string]any) *message {
	if m != nil {
		if msg := s.messages[m.ID]; msg != nil && !msg.deleted {
			return msg
		}
		c := *m
		if c.ID == "" {
			c.ID = s.newIDLocked()
		}
		if c.ChannelID == "" {
			c.ChannelID = channelID
		}
		var fields map[string]json.RawMessage
		if b, err := json.Marshal(&c); err != nil {
			s.tb.Errorf("discordtest: encode component message: %v", err)
		} else {
			json.Unmarshal(b, &fields)
		}
		msg := &message{id: c.ID, channelID: c.ChannelID, fields: fields}
		s.storeLocked(msg, true)
		return msg
	}
	msg := s.newMessageLocked(channelID, payload{fields: map[string]json.RawMessage{}})
	customID, _ := data["custom_id"].(string)
	var component map[string]any
	if data["component_type"] == discordgo.SelectMenuComponent {
		component = map[string]any{"type": discordgo.SelectMenuComponent, "custom_id": customID, "options": []any{}}
	} else {
		component = map[string]any{"type": discordgo.ButtonComponent, "style": discordgo.PrimaryButton, "label": customID, "custom_id": customID}
	}
	msg.set("components", []any{map[string]any{"type": discordgo.ActionsRowComponent, "components": []any{component}}})
	s.storeLocked(msg, true)
	return msg
}

// An Interaction is a handle on an interaction sent by SendInteraction, to
// watch how the bot answers it.
type Interaction struct {
	ID, Token, ChannelID, GuildID string
	s                             *Server
}

// recordLocked returns the fake's record of the interaction.
func (i *Interaction) recordLocked() *interaction {
	return i.s.interactions[i.ID]
}

// Response returns the bot's initial response, or nil before there is one.
func (i *Interaction) Response() *discordgo.InteractionResponse {
	i.s.mu.Lock()
	raw := i.recordLocked().response
	i.s.mu.Unlock()
	if raw == nil {
		return nil
	}
	resp, err := decodeInteractionResponse(raw)
	if err != nil {
		i.s.tb.Errorf("discordtest: decode stored response: %v", err)
	}
	return resp
}

// WaitResponse waits for the bot's initial response and returns it.
func (i *Interaction) WaitResponse(ctx context.Context) (*discordgo.InteractionResponse, error) {
	var resp *discordgo.InteractionResponse
	err := i.s.WaitFor(ctx, func() bool {
		resp = i.Response()
		return resp != nil
	})
	if err != nil {
		return nil, fmt.Errorf("interaction %s: no response: %w", i.ID, err)
	}
	return resp, nil
}

// Original returns the message the interaction's response is, as it stands
// after edits and an update, or nil when there is none (no response yet,
// autocomplete or modal, or deleted).
func (i *Interaction) Original() *discordgo.Message {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	msg := i.s.messages[i.recordLocked().original]
	if msg == nil || msg.deleted {
		return nil
	}
	return i.s.renderLocked(msg)
}

// Edits returns the original response as it stood after each edit of
// @original, oldest first; the last is the final state.
func (i *Interaction) Edits() []*discordgo.Message {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	var out []*discordgo.Message
	for _, raw := range i.recordLocked().edits {
		var m discordgo.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			i.s.tb.Errorf("discordtest: decode stored edit: %v", err)
		}
		out = append(out, &m)
	}
	return out
}

// Followups returns the followup messages, as they stand now, oldest first;
// deleted ones are left out. A followup to a deferred response that replaced
// the "thinking" message is the original message too.
func (i *Interaction) Followups() []*discordgo.Message {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	var out []*discordgo.Message
	for _, id := range i.recordLocked().followups {
		if msg := i.s.messages[id]; msg != nil && !msg.deleted {
			out = append(out, i.s.renderLocked(msg))
		}
	}
	return out
}

// decodeInteractionResponse decodes an interaction response, components
// included, which encoding/json cannot put into discordgo's interface type.
func decodeInteractionResponse(b []byte) (*discordgo.InteractionResponse, error) {
	var v struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data *struct {
			discordgo.InteractionResponseData
			Components []json.RawMessage `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("decode interaction response: %w", err)
	}
	resp := &discordgo.InteractionResponse{Type: v.Type}
	if v.Data != nil {
		data := v.Data.InteractionResponseData
		for _, raw := range v.Data.Components {
			c, err := discordgo.MessageComponentFromJSON(raw)
			if err != nil {
				return nil, fmt.Errorf("decode interaction response: %w", err)
			}
			data.Components = append(data.Components, c)
		}
		resp.Data = &data
	}
	return resp, nil
}

// validResponses lists the response types Discord accepts for each
// interaction type.
var validResponses = map[discordgo.InteractionType][]discordgo.InteractionResponseType{
	discordgo.InteractionApplicationCommand: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseModal,
	},
	discordgo.InteractionMessageComponent: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseDeferredMessageUpdate,
		discordgo.InteractionResponseUpdateMessage,
		discordgo.InteractionResponseModal,
	},
	discordgo.InteractionApplicationCommandAutocomplete: {
		discordgo.InteractionApplicationCommandAutocompleteResult,
	},
	discordgo.InteractionModalSubmit: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseDeferredMessageUpdate,
		discordgo.InteractionResponseUpdateMessage,
	},
}

// postCallback serves an interaction's initial response. Discord accepts one,
// within the deadline, of a type that fits the interaction.
func (s *Server) postCallback(c *call) (int, any) {
	p, err := readPayload(c.r, c.body)
	if err != nil {
		return fail(newAPIError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	var cb struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data map[string]json.RawMessage        `json:"data"`
	}
	body, _ := json.Marshal(p.fields)
	if err := json.Unmarshal(body, &cb); err != nil {
		f := formErrors{}
		f.add("", "DICT_TYPE_CONVERT", "Could not interpret the body as an interaction response: "+err.Error())
		return fail(f.err())
	}
	data := payload{fields: cb.Data, files: p.files}
	if data.fields == nil {
		data.fields = map[string]json.RawMessage{}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[c.r.PathValue("interaction")]
	if it == nil || it.token != c.r.PathValue("token") ||
		(s.deadline > 0 && c.at.UnixNano()-it.created > int64(s.deadline)) {
		return fail(newAPIError(http.StatusNotFound, codeUnknownInteraction, "Unknown interaction"))
	}
	if it.response != nil {
		return fail(newAPIError(http.StatusBadRequest, codeAlreadyAcknowledged, alreadyAcknowledgedError))
	}
	if !slices.Contains(validResponses[it.typ], cb.Type) {
		f := formErrors{}
		f.add("type", "INTERACTION_RESPONSE_TYPE_INVALID", fmt.Sprintf("Interaction response type %d is not valid for interaction type %d; want one of %v", cb.Type, it.typ, validResponses[it.typ]))
		return fail(f.err())
	}
	switch cb.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		if e := checkMessage(data, true); e != nil {
			return fail(e)
		}
	case discordgo.InteractionResponseUpdateMessage:
		if e := checkMessage(data, false); e != nil {
			return fail(e)
		}
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if e := checkChoices(data); e != nil {
			return fail(e)
		}
	case discordgo.InteractionResponseModal:
		if e := checkModal(data); e != nil {
			return fail(e)
		}
	}
	if _, err := decodeInteractionResponse(body); err != nil {
		f := formErrors{}
		f.add("data.components", "COMPONENT_INVALID", err.Error())
		return fail(f.err())
	}

	it.response = body
	switch cb.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		it.original = s.interactionMessageLocked(it, data).id
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		var flags discordgo.MessageFlags
		json.Unmarshal(data.fields["flags"], &flags)
		thinking := payload{fields: map[string]json.RawMessage{}}
		thinking.fields["flags"], _ = json.Marshal(flags&discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsLoading)
		it.original = s.interactionMessageLocked(it, thinking).id
		it.loading = true
	case discordgo.InteractionResponseDeferredMessageUpdate:
		it.original = it.componentMsgID
	case discordgo.InteractionResponseUpdateMessage:
		it.original = it.componentMsgID
		if msg := s.messages[it.original]; msg != nil {
			s.patchLocked(msg, data)
		}
	}
	s.notifyLocked()
	return http.StatusNoContent, nil
}

// interactionMessageLocked stores a message sent in answer to the
// interaction: ephemeral ones stay out of the channel's history.
func (s *Server) interactionMessageLocked(it *interaction, p payload) *message {
	msg := s.newMessageLocked(it.channelID, p)
	msg.set("webhook_id", s.appID)
	msg.set("application_id", s.appID)
	msg.set("interaction_metadata", map[string]any{"id": it.id, "type": it.typ, "user": userJSON(it.user)})
	if it.typ == discordgo.InteractionApplicationCommand {
		msg.set("type", discordgo.MessageTypeChatInputCommand)
	}
	s.storeLocked(msg, msg.flags()&discordgo.MessageFlagsEphemeral == 0)
	return msg
}

// checkChoices checks an autocomplete result.
func checkChoices(p payload) *apiError {
	var choices []*discordgo.ApplicationCommandOptionChoice
	f := formErrors{}
	if err := json.Unmarshal(p.fields["choices"], &choices); err != nil {
		f.add("data.choices", "BASE_TYPE_REQUIRED", "This field is required")
		return f.err()
	}
	if len(choices) > 25 {
		f.add("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	for i, ch := range choices {
		if ch == nil {
			continue
		}
		p := "data.choices." + strconv.Itoa(i)
		f.checkLength(p+".name", ch.Name, 1, 100)
		if v, ok := ch.Value.(string); ok {
			f.checkLength(p+".value", v, 0, 100)
		}
	}
	return f.err()
}

// checkModal checks a modal's title, custom ID and rows.
func checkModal(p payload) *apiError {
	var m struct {
		Title      string            `json:"title"`
		CustomID   string            `json:"custom_id"`
		Components []json.RawMessage `json:"components"`
	}
	b, _ := json.Marshal(p.fields)
	json.Unmarshal(b, &m)
	f := formErrors{}
	f.checkLength("data.title", m.Title, 1, 45)
	f.checkLength("data.custom_id", m.CustomID, 1, 100)
	if len(m.Components) < 1 || len(m.Components) > 5 {
		f.add("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
	}
	return f.err()
}

// webhookLocked returns the interaction whose token the webhook path names.
// Until the interaction is acknowledged, its webhook does not exist.
func (s *Server) webhookLocked(c *call) (*interaction, *apiError) {
	it := s.tokens[c.r.PathValue("token")]
	if c.r.PathValue("app") != s.appID || it == nil || it.response == nil {
		return nil, newAPIError(http.StatusNotFound, codeUnknownWebhook, "Unknown Webhook")
	}
	return it, nil
}

// webhookMessageLocked returns the interaction's message the path names:
// @original, or the original or a followup by ID.
func (s *Server) webhookMessageLocked(c *call) (*interaction, *message, *apiError) {
	it, e := s.webhookLocked(c)
	if e != nil {
		return nil, nil, e
	}
	id := c.r.PathValue("message")
	if id == "@original" {
		id = it.original
	}
	msg := s.messages[id]
	if id == "" || msg == nil || msg.deleted || (id != it.original && !slices.Contains(it.followups, id)) {
		return nil, nil, newAPIError(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
	}
	return it, msg, nil
}

// completeLocked ends the "thinking" state of a deferred response.
func (s *Server) completeLocked(it *interaction, msg *message) {
	if it.loading && msg.id == it.original {
		it.loading = false
		msg.set("flags", msg.flags()&^discordgo.MessageFlagsLoading)
	}
}

// postFollowup serves a followup message. The first followup after a
// deferred response replaces the "thinking" message, keeping its flags.
func (s *Server) postFollowup(c *call) (int, any) {
	p, err := readPayload(c.r, c.body)
	if err != nil {
		return fail(newAPIError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, e := s.webhookLocked(c)
	if e != nil {
		return fail(e)
	}
	if e := checkMessage(p, true); e != nil {
		return fail(e)
	}
	var msg *message
	if orig := s.messages[it.original]; it.loading && orig != nil && !orig.deleted {
		delete(p.fields, "flags")
		s.patchLocked(orig, p)
		orig.set("edited_timestamp", nil)
		s.completeLocked(it, orig)
		msg = orig
	} else {
		msg = s.interactionMessageLocked(it, p)
	}
	it.followups = append(it.followups, msg.id)
	s.notifyLocked()
	if c.r.URL.Query().Get("wait") != "true" {
		return http.StatusNoContent, nil
	}
	return http.StatusOK, json.RawMessage(msg.marshal())
}

func (s *Server) getWebhookMessage(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, msg, e := s.webhookMessageLocked(c)
	if e != nil {
		return fail(e)
	}
	return http.StatusOK, json.RawMessage(msg.marshal())
}

func (s *Server) patchWebhookMessage(c *call) (int, any) {
	p, err := readPayload(c.r, c.body)
	if err != nil {
		return fail(newAPIError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, msg, e := s.webhookMessageLocked(c)
	if e != nil {
		return fail(e)
	}
	if e := checkMessage(p, false); e != nil {
		return fail(e)
	}
	s.patchLocked(msg, p)
	s.completeLocked(it, msg)
	if msg.id == it.original {
		it.edits = append(it.edits, msg.marshal())
	}
	return http.StatusOK, json.RawMessage(msg.marshal())
}

func (s *Server) deleteWebhookMessage(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, msg, e := s.webhookMessageLocked(c)
	if e != nil {
		return fail(e)
	}
	s.deleteLocked(msg)
	return http.StatusNoContent, nil
}
