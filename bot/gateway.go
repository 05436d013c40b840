package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// Run registers the commands, connects to Discord's gateway and answers
// interactions, and posts the digests of Config.Digests on schedule,
// until ctx is cancelled. Then it stops taking interactions, lets those
// in flight finish (at most Config.ShutdownTimeout), stops the digest
// scheduler, closes the gateway and returns nil. discordgo reconnects by
// itself when the gateway drops the connection.
func (b *Bot) Run(ctx context.Context) error {
	s, err := b.rest, b.restErr
	if err != nil {
		return err
	}
	if err := b.register(ctx, s); err != nil {
		return err
	}
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		// The bot's user is known from READY on; the application ID was
		// settled before connecting and never comes from here.
		if r.User != nil {
			b.setUserID(r.User.ID)
			b.log.Info("gateway ready", "user", r.User.Username, "guilds", len(r.Guilds))
		}
	})
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Resumed) { b.log.Info("gateway resumed") })
	s.AddHandler(func(_ *discordgo.Session, d *discordgo.Disconnect) { b.log.Info("gateway disconnected") })
	s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if ic.Interaction == nil {
			return
		}
		b.onInteraction(s, ic.Interaction)
	})
	if err := s.Open(); err != nil {
		b.cfg.Client.CloseIdleConnections()
		return fmt.Errorf("connect to the Discord gateway: %w", err)
	}
	b.log.Info("connected to the gateway")
	waitScheduler := b.startScheduler(ctx)

	<-ctx.Done()
	b.log.Info("shutting down")
	if !b.drain() {
		b.log.Warn("gave up waiting for interactions in flight")
	}
	// The scheduler stopped with ctx; a post it was sending is recorded as
	// pending, and the next start asks Discord whether it went out.
	waitScheduler()
	// discordgo's heartbeat can fail on the connection Close is closing
	// and reconnect; after a deliberate close it must not.
	s.ShouldReconnectOnError = false
	if err := s.Close(); err != nil {
		b.log.Warn("close gateway", "err", err)
	}
	b.cfg.Client.CloseIdleConnections()
	return nil
}

// onInteraction answers an interaction from the gateway; discordgo calls
// it on a goroutine of its own.
func (b *Bot) onInteraction(s *discordgo.Session, i *discordgo.Interaction) {
	defer func() {
		// answer recovers from panics in handlers; this catches the
		// bot's own, so that one interaction cannot take the process down.
		if r := recover(); r != nil {
			b.log.Error("panic answering interaction", "interaction", i.ID, "err", fmt.Errorf("%v", r))
		}
	}()
	first := callback(s, i)
	if !b.begin() {
		if err := first(b.work, response(i, shuttingDown)); err != nil {
			b.log.Warn("refuse interaction while shutting down", "interaction", i.ID, "err", err)
		}
		return
	}
	defer b.end()
	b.handle(b.work, s, i, first)
}

// session returns a discordgo session that makes its REST calls with
// Config.Client.
func (b *Bot) session() (*discordgo.Session, error) {
	if b.cfg.Token == "" {
		return nil, ErrNoToken
	}
	s, err := discordgo.New("Bot " + b.cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("create Discord session: %w", err)
	}
	s.Client = b.cfg.Client
	// Interactions arrive whatever the intents; the bot needs no others,
	// nor the state cache they would fill.
	s.Identify.Intents = discordgo.IntentsNone
	s.StateEnabled = false
	return s, nil
}

// register settles the application ID, asking Discord when it is not
// configured, and registers every command with one bulk overwrite: in
// Config.GuildID when set, globally otherwise.
func (b *Bot) register(ctx context.Context, rest rester) error {
	appID := b.currentAppID()
	if appID == "" {
		body, err := rest.RequestWithBucketID("GET", discordgo.EndpointApplication("@me"), nil, "attache/application", discordgo.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("ask Discord for the application ID: %w", explainREST(err))
		}
		var app discordgo.Application
		if err := json.Unmarshal(body, &app); err != nil {
			return fmt.Errorf("read application info: %w", err)
		}
		if !isSnowflake(app.ID) {
			return fmt.Errorf("read application info: no application ID in %q", truncateBytes(body, 200))
		}
		appID = app.ID
		b.setAppID(appID)
	}
	defs := b.commands.Definitions()
	url := discordgo.EndpointApplicationGlobalCommands(appID)
	scope := "global"
	if b.cfg.GuildID != "" {
		url = discordgo.EndpointApplicationGuildCommands(appID, b.cfg.GuildID)
		scope = "guild " + b.cfg.GuildID
	}
	if _, err := rest.RequestWithBucketID("PUT", url, defs, url, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("register commands (%s): %w", scope, explainREST(err))
	}
	b.log.Info("registered commands", "app", appID, "scope", scope, "count", len(defs))
	return nil
}

// explainREST adds a hint to the REST errors people run into when they
// first set the bot up.
func explainREST(err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		switch re.Response.StatusCode {
		case 401:
			return fmt.Errorf("%w (Discord rejected DISCORD_TOKEN: reset it in the Developer Portal → Applications → Bot)", err)
		case 403:
			return fmt.Errorf("%w (is the bot in that server, invited with the applications.commands scope?)", err)
		}
	}
	return err
}

func truncateBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
