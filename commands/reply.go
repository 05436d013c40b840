package commands

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Reply is what a command answers, independent of how it reaches the
// user: the bot turns it into a Discord response (Data, Edit, Params) and
// the console prints it (Text).
type Reply struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	// Ephemeral replies are shown only to the user who asked.
	Ephemeral bool
	// Update, in answer to a button, replaces the message that holds the
	// button instead of sending a new one.
	Update bool
	// Files are attachments, such as the calendar file of /upcoming.
	Files []File
}

// File is an attachment of a reply.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// discordFiles returns the files as discordgo sends them, each with a
// reader of its own, or nil.
func discordFiles(fs []File) []*discordgo.File {
	if len(fs) == 0 {
		return nil
	}
	out := make([]*discordgo.File, len(fs))
	for i, f := range fs {
		out[i] = &discordgo.File{Name: f.Name, ContentType: f.ContentType, Reader: bytes.NewReader(f.Data)}
	}
	return out
}

// NoMentions is the allowed_mentions of every message the bot sends:
// nothing in it pings anyone. It serialises as {"parse":[]}; a nil Parse
// would serialise as null, which Discord reads as "the defaults".
func NoMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Data is r as the data of an interaction response. Embeds and components
// are always present, empty when r has none, so that an update clears
// what the message held before.
func (r Reply) Data() *discordgo.InteractionResponseData {
	r = r.clamped()
	d := &discordgo.InteractionResponseData{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Components:      r.Components,
		AllowedMentions: NoMentions(),
		Files:           discordFiles(r.Files),
	}
	if r.Ephemeral && !r.Update {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// Edit is r as an edit of a message sent before, such as a deferred
// response.
func (r Reply) Edit() *discordgo.WebhookEdit {
	r = r.clamped()
	return &discordgo.WebhookEdit{
		Content:         &r.Content,
		Embeds:          &r.Embeds,
		Components:      &r.Components,
		AllowedMentions: NoMentions(),
		Files:           discordFiles(r.Files),
	}
}

// Params is r as a follow-up message.
func (r Reply) Params() *discordgo.WebhookParams {
	r = r.clamped()
	p := &discordgo.WebhookParams{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Components:      r.Components,
		AllowedMentions: NoMentions(),
		Files:           discordFiles(r.Files),
	}
	if r.Ephemeral {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	return p
}

// Message is r as a message the bot posts in a channel itself, rather
// than in answer to an interaction.
func (r Reply) Message() *discordgo.MessageSend {
	r = r.clamped()
	return &discordgo.MessageSend{
		Content:         r.Content,
		Embeds:          r.Embeds,
		Components:      r.Components,
		AllowedMentions: NoMentions(),
		Files:           discordFiles(r.Files),
	}
}

// clamped returns a copy of r that keeps every one of Discord's limits,
// whatever the command put in it, and whose slices are not nil. Commands
// fit their text more carefully (at word boundaries, keeping markdown
// whole); this is the last line of defence.
func (r Reply) clamped() Reply {
	out := r
	out.Content = Truncate(r.Content, MaxContent)
	if len(r.Embeds) > MaxEmbeds {
		r.Embeds = r.Embeds[:MaxEmbeds]
	}
	out.Embeds = make([]*discordgo.MessageEmbed, 0, len(r.Embeds))
	for _, e := range r.Embeds {
		if e != nil {
			out.Embeds = append(out.Embeds, clampEmbed(e))
		}
	}
	// The 6000 total counts across all the embeds of a message: when they
	// are over it, shrink each embed that is over its share.
	if embedsLength(out.Embeds) > MaxEmbedTotal {
		share := MaxEmbedTotal / len(out.Embeds)
		for _, e := range out.Embeds {
			shrinkEmbed(e, share)
		}
	}
	out.Components = r.Components
	if out.Components == nil {
		out.Components = []discordgo.MessageComponent{}
	}
	return out
}

// clampEmbed returns a copy of e with every field within its limit.
func clampEmbed(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	c := *e
	c.Title = Truncate(e.Title, MaxEmbedTitle)
	c.Description = Truncate(e.Description, MaxEmbedDescription)
	if e.Footer != nil {
		f := *e.Footer
		f.Text = Truncate(f.Text, MaxFooter)
		c.Footer = &f
	}
	if e.Author != nil {
		a := *e.Author
		a.Name = Truncate(a.Name, MaxAuthor)
		c.Author = &a
	}
	fields := e.Fields
	if len(fields) > MaxFields {
		fields = fields[:MaxFields]
	}
	c.Fields = nil
	for _, f := range fields {
		if f == nil {
			continue
		}
		cf := *f
		cf.Name = Truncate(f.Name, MaxFieldName)
		cf.Value = Truncate(f.Value, MaxFieldValue)
		c.Fields = append(c.Fields, &cf)
	}
	return &c
}

// shrinkEmbed cuts e, which clampEmbed has copied, to at most limit
// characters: the description first, then fields from the end, then the
// footer, the author and the title.
func shrinkEmbed(e *discordgo.MessageEmbed, limit int) {
	over := func() int { return EmbedLength(e) - limit }
	cut := func(s *string) {
		if o := over(); o > 0 {
			*s = Truncate(*s, max(0, Length(*s)-o))
		}
	}
	cut(&e.Description)
	for over() > 0 && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if e.Footer != nil {
		cut(&e.Footer.Text)
	}
	if e.Author != nil {
		cut(&e.Author.Name)
	}
	cut(&e.Title)
}

// EmbedLength is how much of the 6000-character budget e uses.
func EmbedLength(e *discordgo.MessageEmbed) int {
	n := Length(e.Title) + Length(e.Description)
	if e.Footer != nil {
		n += Length(e.Footer.Text)
	}
	if e.Author != nil {
		n += Length(e.Author.Name)
	}
	for _, f := range e.Fields {
		n += Length(f.Name) + Length(f.Value)
	}
	return n
}

func embedsLength(es []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range es {
		n += EmbedLength(e)
	}
	return n
}

// Text renders r for a terminal: markdown escapes are removed, bold stays
// as **, and buttons are numbered so they can be pressed by number.
func (r Reply) Text() string {
	r = r.clamped()
	var b strings.Builder
	if r.Ephemeral {
		b.WriteString("(only you can see this)\n")
	}
	if r.Content != "" {
		b.WriteString(plainTimestamps(Unescape(r.Content)))
		b.WriteString("\n")
	}
	for _, e := range r.Embeds {
		b.WriteString("\n")
		if e.Author != nil && e.Author.Name != "" {
			fmt.Fprintf(&b, "%s\n", e.Author.Name)
		}
		if e.Title != "" {
			fmt.Fprintf(&b, "%s\n", e.Title)
		}
		if e.URL != "" {
			fmt.Fprintf(&b, "<%s>\n", e.URL)
		}
		if e.Description != "" {
			fmt.Fprintf(&b, "\n%s\n", plainTimestamps(Unescape(e.Description)))
		}
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n%s\n", Unescape(f.Name))
			for _, line := range strings.Split(plainTimestamps(Unescape(f.Value)), "\n") {
				fmt.Fprintf(&b, "  %s\n", line)
			}
		}
		if e.Footer != nil && e.Footer.Text != "" {
			fmt.Fprintf(&b, "\n— %s\n", e.Footer.Text)
		}
	}
	for _, f := range r.Files {
		fmt.Fprintf(&b, "\n(attached: %s, %d bytes)\n", f.Name, len(f.Data))
	}
	if buttons := Buttons(r); len(buttons) > 0 {
		b.WriteString("\n")
		var labels []string
		for n, bt := range buttons {
			label := fmt.Sprintf("[%d] %s", n+1, bt.Label)
			if bt.Disabled {
				label = fmt.Sprintf("[%d] (%s)", n+1, bt.Label)
			}
			labels = append(labels, label)
		}
		b.WriteString(strings.Join(labels, "  "))
		b.WriteString("\n")
	}
	return b.String()
}

// discordTimestamp matches Discord's <t:UNIX:STYLE> markup.
var discordTimestamp = regexp.MustCompile(`<t:(-?\d+)(?::([tTdDfFR]))?>`)

// plainTimestamps writes Discord timestamps, which a terminal cannot show,
// in the terminal's time zone: a date for the date styles ("Thu 14 May
// 2026"), a date and time for the full ones, a time of day otherwise.
func plainTimestamps(s string) string {
	return discordTimestamp.ReplaceAllStringFunc(s, func(m string) string {
		sub := discordTimestamp.FindStringSubmatch(m)
		sec, err := strconv.ParseInt(sub[1], 10, 64)
		if err != nil {
			return m
		}
		t := time.Unix(sec, 0)
		switch sub[2] {
		case "d", "D":
			return t.Format("Mon 2 Jan 2006")
		case "f", "F", "R":
			return t.Format("Mon 2 Jan 2006 15:04 MST")
		}
		return "at " + t.Format("15:04:05")
	})
}

// Buttons lists the buttons of r in reading order.
func Buttons(r Reply) []discordgo.Button {
	var out []discordgo.Button
	for _, c := range r.Components {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			if p, isPtr := c.(*discordgo.ActionsRow); isPtr && p != nil {
				row, ok = *p, true
			}
		}
		if !ok {
			continue
		}
		for _, rc := range row.Components {
			switch bt := rc.(type) {
			case discordgo.Button:
				out = append(out, bt)
			case *discordgo.Button:
				if bt != nil {
					out = append(out, *bt)
				}
			}
		}
	}
	return out
}
