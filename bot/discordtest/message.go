package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// A message is a stored message, kept as the JSON object Discord returns so
// that every read gives the caller its own copy.
type message struct {
	id        string
	channelID string
	fields    map[string]json.RawMessage
	listed    bool // part of the channel's history
	deleted   bool
}

// storeLocked keeps msg, in the channel's history when listed.
func (s *Server) storeLocked(msg *message, listed bool) {
	msg.listed = listed
	s.messages[msg.id] = msg
	if listed {
		s.history[msg.channelID] = append(s.history[msg.channelID], msg.id)
	}
	s.notifyLocked()
}

// deleteLocked marks msg deleted and takes it out of the history.
func (s *Server) deleteLocked(msg *message) {
	msg.deleted = true
	if msg.listed {
		s.history[msg.channelID] = slices.DeleteFunc(s.history[msg.channelID], func(id string) bool { return id == msg.id })
	}
	s.notifyLocked()
}

// renderLocked decodes msg into a fresh discordgo.Message.
func (s *Server) renderLocked(msg *message) *discordgo.Message {
	var m discordgo.Message
	if err := json.Unmarshal(msg.marshal(), &m); err != nil {
		s.tb.Errorf("discordtest: decode stored message %s: %v", msg.id, err)
	}
	return &m
}

// marshal returns msg as JSON.
func (msg *message) marshal() []byte {
	b, err := json.Marshal(msg.fields)
	if err != nil {
		// Every value is itself valid JSON, so this cannot happen.
		panic(err)
	}
	return b
}

// flags returns the message's flags.
func (msg *message) flags() discordgo.MessageFlags {
	var f discordgo.MessageFlags
	json.Unmarshal(msg.fields["flags"], &f)
	return f
}

// set stores v, encoded as JSON, under key.
func (msg *message) set(key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode message field %s: %v", key, err))
	}
	msg.fields[key] = b
}

// A payload is the body of a request that creates or edits a message: the
// JSON object and the files of a multipart body.
type payload struct {
	fields map[string]json.RawMessage
	files  []upload
}

// An upload is a file sent with a message.
type upload struct {
	name        string
	contentType string
	size        int
}

// messageKeys are the fields of a request body that become message fields.
var messageKeys = []string{"content", "embeds", "components", "tts", "flags", "poll", "message_reference", "sticker_ids"}

// readPayload decodes a JSON or multipart/form-data body, whose JSON sits in
// the part named payload_json as discordgo.MultipartBodyWithJSON writes it.
func readPayload(r *http.Request, body []byte) (payload, error) {
	var p payload
	jsonBody := body
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		jsonBody = nil
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return p, fmt.Errorf("read multipart body: %w", err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return p, fmt.Errorf("read part %q: %w", part.FormName(), err)
			}
			switch name := part.FormName(); {
			case name == "payload_json":
				jsonBody = data
			case strings.HasPrefix(name, "files["):
				p.files = append(p.files, upload{name: part.FileName(), contentType: part.Header.Get("Content-Type"), size: len(data)})
			}
		}
	}
	if len(bytes.TrimSpace(jsonBody)) == 0 {
		p.fields = map[string]json.RawMessage{}
		return p, nil
	}
	if err := json.Unmarshal(jsonBody, &p.fields); err != nil {
		return p, fmt.Errorf("decode JSON body: %w", err)
	}
	if p.fields == nil {
		p.fields = map[string]json.RawMessage{}
	}
	return p, nil
}

// newMessageLocked makes a message by the bot in the channel from the fields
// of p, without storing it.
func (s *Server) newMessageLocked(channelID string, p payload) *message {
	msg := &message{id: s.newIDLocked(), channelID: channelID, fields: map[string]json.RawMessage{}}
	msg.set("id", msg.id)
	msg.set("channel_id", channelID)
	msg.set("type", discordgo.MessageTypeDefault)
	msg.set("content", "")
	msg.set("author", s.botUserJSON())
	msg.set("timestamp", s.now().UTC())
	msg.set("edited_timestamp", nil)
	msg.set("tts", false)
	msg.set("mention_everyone", false)
	msg.set("mentions", []any{})
	msg.set("mention_roles", []any{})
	msg.set("attachments", []any{})
	msg.set("embeds", []any{})
	msg.set("components", []any{})
	msg.set("pinned", false)
	msg.set("flags", 0)
	for _, k := range messageKeys {
		if v, ok := p.fields[k]; ok && string(v) != "null" {
			msg.fields[k] = v
		}
	}
	if _, ok := p.fields["message_reference"]; ok {
		msg.set("type", discordgo.MessageTypeReply)
	}
	s.attachLocked(msg, p.files)
	return msg
}

// patchLocked applies an edit to msg: the fields present in p replace the
// message's, attachments not named in an "attachments" field are dropped, and
// uploaded files are added.
func (s *Server) patchLocked(msg *message, p payload) {
	for _, k := range []string{"content", "embeds", "components", "flags", "poll"} {
		if v, ok := p.fields[k]; ok {
			if k == "flags" {
				// Only these flags can be changed by an edit; Discord keeps the rest.
				var f discordgo.MessageFlags
				json.Unmarshal(v, &f)
				keep := msg.flags() &^ (discordgo.MessageFlagsSuppressEmbeds | discordgo.MessageFlagsIsComponentsV2)
				msg.set("flags", keep|f&(discordgo.MessageFlagsSuppressEmbeds|discordgo.MessageFlagsIsComponentsV2))
				continue
			}
			msg.fields[k] = v
		}
	}
	if v, ok := p.fields["attachments"]; ok {
		var keep []struct {
			ID string `json:"id"`
		}
		json.Unmarshal(v, &keep)
		ids := map[string]bool{}
		for _, k := range keep {
			ids[k.ID] = true
		}
		var old []map[string]any
		json.Unmarshal(msg.fields["attachments"], &old)
		kept := []map[string]any{}
		for _, a := range old {
			if id, _ := a["id"].(string); ids[id] {
				kept = append(kept, a)
			}
		}
		msg.set("attachments", kept)
	}
	s.attachLocked(msg, p.files)
	msg.set("edited_timestamp", s.now().UTC())
	s.notifyLocked()
}

// attachLocked adds uploaded files to the message's attachments.
func (s *Server) attachLocked(msg *message, files []upload) {
	if len(files) == 0 {
		return
	}
	var atts []map[string]any
	json.Unmarshal(msg.fields["attachments"], &atts)
	for _, f := range files {
		id := s.newIDLocked()
		u := fmt.Sprintf("%sattachments/%s/%s/%s", discordgo.EndpointCDN, msg.channelID, id, f.name)
		atts = append(atts, map[string]any{
			"id":           id,
			"filename":     f.name,
			"size":         f.size,
			"content_type": f.contentType,
			"url":          u,
			"proxy_url":    u,
		})
	}
	msg.set("attachments", atts)
}

// botUserJSON returns the bot's user object.
func (s *Server) botUserJSON() map[string]any {
	return map[string]any{
		"id":            s.botUserID,
		"username":      DefaultBotUsername,
		"discriminator": "0",
		"global_name":   nil,
		"avatar":        nil,
		"bot":           true,
	}
}

// userJSON returns a user object as Discord sends it.
func userJSON(u *discordgo.User) map[string]any {
	var global any
	if u.GlobalName != "" {
		global = u.GlobalName
	}
	var avatar any
	if u.Avatar != "" {
		avatar = u.Avatar
	}
	return map[string]any{
		"id":            u.ID,
		"username":      u.Username,
		"discriminator": "0",
		"global_name":   global,
		"avatar":        avatar,
		"public_flags":  0,
		"bot":           u.Bot,
	}
}

// An apiError is the JSON body of a Discord error response.
type apiError struct {
	status  int
	Code    int        `json:"code"`
	Message string     `json:"message"`
	Errors  formErrors `json:"errors,omitempty"`
}

// newAPIError returns an error response.
func newAPIError(status, code int, msg string) *apiError {
	return &apiError{status: status, Code: code, Message: msg}
}

// Discord's JSON error codes used by the fake.
const (
	codeGeneral              = 0
	codeUnknownChannel       = 10003
	codeUnknownGuild         = 10004
	codeUnknownMember        = 10007
	codeUnknownMessage       = 10008
	codeUnknownWebhook       = 10015
	codeUnknownInteraction   = 10062
	codeUnknownCommand       = 10063
	codeMissingAccess        = 50001
	codeOtherUsersMessage    = 50005
	codeEmptyMessage         = 50006
	codeInvalidFormBody      = 50035
	codeAlreadyAcknowledged  = 40060
	invalidFormBodyMessage   = "Invalid Form Body"
	alreadyAcknowledgedError = "Interaction has already been acknowledged."
)

// formErrors holds the field errors of an "Invalid Form Body" response,
// nested by path like Discord's: {"content": {"_errors": [...]}}.
type formErrors map[string]any

// add records an error for the field at the dotted path ("" for the body).
func (f formErrors) add(path, code, msg string) {
	m := map[string]any(f)
	if path != "" {
		for _, k := range strings.Split(path, ".") {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
	}
	list, _ := m["_errors"].([]any)
	m["_errors"] = append(list, map[string]any{"code": code, "message": msg})
}

// err returns the response for f, or nil when f is empty.
func (f formErrors) err() *apiError {
	if len(f) == 0 {
		return nil
	}
	e := newAPIError(http.StatusBadRequest, codeInvalidFormBody, invalidFormBodyMessage)
	e.Errors = f
	return e
}

// checkLength records an error unless s has between min and max characters.
func (f formErrors) checkLength(path, s string, min, max int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n > max && min == 0:
		f.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max))
	case n < min || n > max:
		f.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", min, max))
	}
}

// checkMessage checks message fields as Discord does for a new message
// (create) or an edit: lengths, embed limits, components, and, for a new
// message, that there is something to show.
func checkMessage(p payload, create bool) *apiError {
	f := formErrors{}
	var content string
	if v, ok := p.fields["content"]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &content); err != nil {
			f.add("content", "STRING_TYPE_CONVERT", "Could not interpret value as string.")
		}
		f.checkLength("content", content, 0, 2000)
	}
	var embeds []*discordgo.MessageEmbed
	if v, ok := p.fields["embeds"]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &embeds); err != nil {
			f.add("embeds", "LIST_TYPE_CONVERT", "Could not interpret value as list.")
		}
		checkEmbeds(f, embeds)
	}
	var components []json.RawMessage
	if v, ok := p.fields["components"]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &components); err != nil {
			f.add("components", "LIST_TYPE_CONVERT", "Could not interpret value as list.")
		}
		var flags discordgo.MessageFlags
		json.Unmarshal(p.fields["flags"], &flags)
		if flags&discordgo.MessageFlagsIsComponentsV2 == 0 {
			checkComponents(f, components)
		}
	}
	if e := f.err(); e != nil {
		return e
	}
	var stickers []string
	json.Unmarshal(p.fields["sticker_ids"], &stickers)
	poll := p.fields["poll"] != nil && string(p.fields["poll"]) != "null"
	if create && content == "" && len(embeds) == 0 && len(components) == 0 && len(p.files) == 0 && !poll && len(stickers) == 0 {
		return newAPIError(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
	}
	return nil
}

// checkEmbeds records errors for embeds over Discord's limits.
func checkEmbeds(f formErrors, embeds []*discordgo.MessageEmbed) {
	if len(embeds) > 10 {
		f.add("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
	}
	total := 0
	for i, e := range embeds {
		if e == nil {
			continue
		}
		p := "embeds." + strconv.Itoa(i)
		f.checkLength(p+".title", e.Title, 0, 256)
		f.checkLength(p+".description", e.Description, 0, 4096)
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if len(e.Fields) > 25 {
			f.add(p+".fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, fd := range e.Fields {
			if fd == nil {
				continue
			}
			fp := p + ".fields." + strconv.Itoa(j)
			f.checkLength(fp+".name", fd.Name, 1, 256)
			f.checkLength(fp+".value", fd.Value, 1, 1024)
			total += utf8.RuneCountInString(fd.Name) + utf8.RuneCountInString(fd.Value)
		}
		if e.Footer != nil {
			f.checkLength(p+".footer.text", e.Footer.Text, 0, 2048)
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			f.checkLength(p+".author.name", e.Author.Name, 0, 256)
			total += utf8.RuneCountInString(e.Author.Name)
		}
	}
	if total > 6000 {
		f.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
	}
}

// checkComponents records errors for classic (not v2) components: at most
// five action rows of at most five components, with valid custom IDs.
func checkComponents(f formErrors, rows []json.RawMessage) {
	if len(rows) > 5 {
		f.add("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
	}
	ids := map[string]bool{}
	for i, raw := range rows {
		p := "components." + strconv.Itoa(i)
		var row struct {
			Type       discordgo.ComponentType `json:"type"`
			Components []json.RawMessage       `json:"components"`
		}
		json.Unmarshal(raw, &row)
		if row.Type != discordgo.ActionsRowComponent {
			f.add(p+".type", "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
			continue
		}
		if len(row.Components) < 1 || len(row.Components) > 5 {
			f.add(p+".components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
		}
		for j, raw := range row.Components {
			cp := p + ".components." + strconv.Itoa(j)
			var c struct {
				Type     discordgo.ComponentType `json:"type"`
				CustomID string                  `json:"custom_id"`
				Style    discordgo.ButtonStyle   `json:"style"`
				Label    string                  `json:"label"`
				URL      string                  `json:"url"`
			}
			json.Unmarshal(raw, &c)
			if c.Type == discordgo.ButtonComponent && c.Style == discordgo.LinkButton {
				if c.URL == "" {
					f.add(cp+".url", "BASE_TYPE_REQUIRED", "This field is required")
				}
				continue
			}
			if c.Type == discordgo.ButtonComponent && c.Style == discordgo.PremiumButton {
				continue
			}
			if c.CustomID == "" {
				f.add(cp+".custom_id", "BASE_TYPE_REQUIRED", "This field is required")
			}
			f.checkLength(cp+".custom_id", c.CustomID, 0, 100)
			if ids[c.CustomID] {
				f.add(cp+".custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
			}
			ids[c.CustomID] = true
			if c.Type == discordgo.ButtonComponent {
				f.checkLength(cp+".label", c.Label, 0, 80)
			}
		}
	}
}
