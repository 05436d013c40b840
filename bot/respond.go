package bot

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"attache/commands"

	"github.com/bwmarrin/discordgo"
)

// firstFunc sends the first response to an interaction: a REST callback
// on the gateway, the HTTP response body on the interactions endpoint.
// body is JSON-encoded as it is.
type firstFunc func(ctx context.Context, body any) error

// rester makes REST calls; *discordgo.Session is one.
type rester interface {
	RequestWithBucketID(method, urlStr string, data any, bucketID string, options ...discordgo.RequestOption) ([]byte, error)
	RequestRaw(method, urlStr, contentType string, b []byte, bucketID string, sequence int, options ...discordgo.RequestOption) ([]byte, error)
}

// request sends body as JSON, or as multipart/form-data with the files
// when there are any (the JSON in payload_json, as Discord wants it).
func request(ctx context.Context, rest rester, method, url string, body any, files []*discordgo.File, bucketID string) error {
	if len(files) == 0 {
		_, err := rest.RequestWithBucketID(method, url, body, bucketID, discordgo.WithContext(ctx))
		return err
	}
	ct, data, err := discordgo.MultipartBodyWithJSON(body, files)
	if err != nil {
		return fmt.Errorf("encode files: %w", err)
	}
	_, err = rest.RequestRaw(method, url, ct, data, bucketID, 0, discordgo.WithContext(ctx))
	return err
}

// handle answers interaction i, which begin has admitted.
//
// Discord wants a first response within 3 seconds. Most answers take
// milliseconds, so handle waits up to DeferAfter (1.5 s) for the answer
// and sends it as the first response: one message, one request, no
// "thinking…" flash, and on the HTTP endpoint no REST call at all. When
// the answer is slower, handle defers (leaving 1.5 s for the network) and
// delivers the answer later by editing the deferred response or with a
// follow-up message.
func (b *Bot) handle(ctx context.Context, rest rester, i *discordgo.Interaction, first firstFunc) {
	start := b.cfg.Now()
	log := b.log.With("interaction", i.ID, "type", i.Type.String())
	if i.Type == discordgo.InteractionPing {
		if err := first(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}); err != nil {
			log.Warn("answer ping", "err", err)
		}
		return
	}
	if i.AppID == "" {
		// Follow-ups are addressed by application ID; Discord always
		// sends it, but be robust to payloads that do not.
		c := *i
		c.AppID = b.currentAppID()
		i = &c
	}

	work, cancel := context.WithTimeout(b.work, b.cfg.AnswerTimeout)
	defer cancel()
	done := make(chan outcome, 1)
	go func() { done <- b.answer(work, i) }()

	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		// Autocomplete cannot be deferred; answer bounds it with
		// CompleteTimeout.
		out := <-done
		if err := first(ctx, autocompleteResponse(out.choices)); err != nil {
			log.Warn("send autocomplete choices", "err", err)
		}
		return
	}

	timer := time.NewTimer(b.cfg.DeferAfter)
	defer timer.Stop()
	var out outcome
	answered := false
	select {
	case out = <-done:
		answered = true
		// A reply with files goes over REST, as multipart: the HTTP
		// endpoint answers in JSON alone.
		if len(out.reply.Files) == 0 {
			if err := first(ctx, response(i, out.reply)); err != nil {
				log.Error("send response", "err", err)
				return
			}
			log.Debug("answered", "took", b.cfg.Now().Sub(start))
			return
		}
	case <-timer.C:
	}

	d := deferral(i, b.commands)
	if err := first(ctx, d); err != nil {
		log.Error("defer response", "err", err)
		return
	}
	log.Debug("deferred", "after", b.cfg.Now().Sub(start))
	if !answered {
		out = <-done
	}
	// The answer may have used most of AnswerTimeout; delivering it gets
	// a budget of its own (Discord accepts follow-ups for 15 minutes).
	deliver, cancelDeliver := context.WithTimeout(b.work, b.cfg.AnswerTimeout)
	defer cancelDeliver()
	if err := followUp(deliver, rest, i, d, out.reply); err != nil {
		log.Error("send deferred answer", "err", err)
		return
	}
	log.Debug("answered", "took", b.cfg.Now().Sub(start), "deferred", true)
}

// response is the first response that carries reply: an update of the
// message that holds the button when reply says so, a new message
// otherwise.
func response(i *discordgo.Interaction, reply commands.Reply) *discordgo.InteractionResponse {
	if reply.Update && i.Type == discordgo.InteractionMessageComponent {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: reply.Data()}
	}
	reply.Update = false
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: reply.Data()}
}

// deferral is the first response that says an answer is on its way. For a
// command it shows "thinking…", privately when the answer will be private;
// for a button it shows nothing, ready to update the message.
func deferral(i *discordgo.Interaction, set *commands.Set) *discordgo.InteractionResponse {
	if i.Type == discordgo.InteractionMessageComponent {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	d := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{AllowedMentions: commands.NoMentions()},
	}
	private := true // an unknown command's answer is an error: private
	if data, err := commands.CommandData(i); err == nil {
		if cmd, ok := set.Lookup(data.Name); ok && cmd.Private != nil {
			private = cmd.Private(i)
		}
	}
	if private {
		d.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// followUp delivers reply after the deferred response d: by editing the
// original response, or, when reply cannot be shown there (a private reply
// after a public "thinking…", a new message after a button), with a
// follow-up message.
func followUp(ctx context.Context, rest rester, i *discordgo.Interaction, d *discordgo.InteractionResponse, reply commands.Reply) error {
	deferredPrivate := d.Data != nil && d.Data.Flags&discordgo.MessageFlagsEphemeral != 0
	switch {
	case d.Type == discordgo.InteractionResponseDeferredMessageUpdate && reply.Update:
		return editOriginal(ctx, rest, i, reply)
	case d.Type == discordgo.InteractionResponseDeferredMessageUpdate:
		return sendFollowup(ctx, rest, i, reply)
	case reply.Ephemeral && !deferredPrivate:
		// A public "thinking…" cannot become private: remove it and say
		// it privately instead.
		if err := deleteOriginal(ctx, rest, i); err != nil {
			return err
		}
		return sendFollowup(ctx, rest, i, reply)
	default:
		return editOriginal(ctx, rest, i, reply)
	}
}

func editOriginal(ctx context.Context, rest rester, i *discordgo.Interaction, reply commands.Reply) error {
	url := discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original")
	edit := reply.Edit()
	if err := request(ctx, rest, "PATCH", url, edit, edit.Files, bucket("webhook", i)); err != nil {
		return fmt.Errorf("edit original response: %w", err)
	}
	return nil
}

func deleteOriginal(ctx context.Context, rest rester, i *discordgo.Interaction) error {
	url := discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original")
	if _, err := rest.RequestWithBucketID("DELETE", url, nil, bucket("webhook", i), discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("delete original response: %w", err)
	}
	return nil
}

func sendFollowup(ctx context.Context, rest rester, i *discordgo.Interaction, reply commands.Reply) error {
	url := discordgo.EndpointWebhookToken(i.AppID, i.Token) + "?wait=true"
	params := reply.Params()
	if err := request(ctx, rest, "POST", url, params, params.Files, bucket("webhook", i)); err != nil {
		return fmt.Errorf("send follow-up message: %w", err)
	}
	return nil
}

// callback sends the first response over REST, as on the gateway.
func callback(rest rester, i *discordgo.Interaction) firstFunc {
	return func(ctx context.Context, body any) error {
		url := discordgo.EndpointInteractionResponse(i.ID, i.Token)
		_, err := rest.RequestWithBucketID("POST", url, body, bucket("callback", i), discordgo.WithContext(ctx))
		return err
	}
}

// bucket names the discordgo rate-limit bucket of a call about i. Every
// interaction has its own URL, and discordgo keeps a bucket per name for
// ever; spreading interactions over a few buckets per kind keeps that
// memory bounded while calls for different interactions rarely wait for
// each other.
func bucket(kind string, i *discordgo.Interaction) string {
	h := fnv.New32a()
	h.Write([]byte(i.ID))
	return fmt.Sprintf("attache/%s/%d", kind, h.Sum32()%32)
}

// autocompleteResponse answers autocomplete with choices. discordgo's
// InteractionResponseData omits an empty choices list, which Discord
// rejects, so the response is spelled out here.
func autocompleteResponse(choices []*discordgo.ApplicationCommandOptionChoice) any {
	if choices == nil {
		choices = []*discordgo.ApplicationCommandOptionChoice{}
	}
	type data struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	}
	return struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data data                              `json:"data"`
	}{discordgo.InteractionApplicationCommandAutocompleteResult, data{choices}}
}

func (b *Bot) currentAppID() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appID
}

func (b *Bot) setAppID(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.appID = id
}

// isSnowflake reports whether s looks like a Discord ID.
func isSnowflake(s string) bool {
	return s != "" && len(s) <= 20 && strings.Trim(s, "0123456789") == ""
}
