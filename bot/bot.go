// Package bot is where attache meets Discord: the discordgo session on the
// gateway (Run), the HTTP interactions endpoint (ListenAndServe, with its
// signature checks) and a terminal stand-in for both (Console). All three
// route interactions to the same command handlers, under the same rules:
// a first response within Discord's 3 seconds, a private message for every
// failure, a per-user rate limit and a cap on concurrent searches.
//
// Besides answering, the bot posts on its own over REST: the scheduled
// digests (it is the Poster of a schedule.Scheduler that Run and
// ListenAndServe run), summaries that moderators post, and notices for
// moderators, such as a feed it stopped reading.
package bot

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"attache/commands"
	"attache/commands/schedule"

	"github.com/bwmarrin/discordgo"
)

// Config is what New needs besides the index. Only the token is required,
// and only by Run and ListenAndServe.
type Config struct {
	// Token is the bot token, without the "Bot " prefix; see ParseToken.
	Token string
	// AppID is the application ID; when empty it is asked from Discord.
	AppID string
	// GuildID, when set, registers the commands in that server only
	// (instantly) rather than globally.
	GuildID string
	// Client makes every REST call; see NewHTTPClient. A plain client
	// talking to discord.com when nil.
	Client *http.Client
	// PublicKey checks the signatures of requests to the interactions
	// endpoint (ListenAndServe).
	PublicKey ed25519.PublicKey

	// AskRate limits how often each user may search (/ask and its
	// buttons). The zero Rate means no limit.
	AskRate Rate
	// MaxSearches caps concurrent index calls; 8 when zero.
	MaxSearches int
	// BusyWait is how long a search waits for a free slot before the user
	// is told the bot is busy; 1 s when zero.
	BusyWait time.Duration
	// DeferAfter is how long to wait for an answer before telling Discord
	// it is on its way (the 3 s deadline counts from the interaction);
	// 1.5 s when zero, and a negative value defers at once.
	DeferAfter time.Duration
	// AnswerTimeout bounds the work on one interaction; 10 s when zero.
	AnswerTimeout time.Duration
	// CompleteTimeout bounds autocomplete, which cannot be deferred;
	// 1 s when zero.
	CompleteTimeout time.Duration
	// ShutdownTimeout bounds how long shutting down waits for
	// interactions in flight; 10 s when zero.
	ShutdownTimeout time.Duration
	// MaxBody bounds the size of a request to the interactions endpoint;
	// 64 KiB when zero.
	MaxBody int64
	// Now reads the clock; time.Now when nil.
	Now func() time.Time

	// Digests, when set, holds the digests that /digest manages; Run and
	// ListenAndServe post them on schedule.
	Digests *schedule.Store
	// DigestGrace is how late a digest may still be posted, e.g. after
	// the bot was down; 6 h when zero.
	DigestGrace time.Duration
	// Clock drives the digest schedule; the system's when nil.
	Clock schedule.Clock
	// Feeds, when set, holds the feed subscriptions that /feeds manages.
	Feeds commands.FeedManager
	// FeedsGuildID is the feeds' home server, the only one where /feeds
	// may add or remove them, since they feed every server's answers;
	// when empty, none may.
	FeedsGuildID string
	// LogChannelID, when set, is the moderators' channel, where the bot
	// posts notices such as a feed it stopped reading.
	LogChannelID string
	// Calendar, when set, holds the events of /upcoming, /timeline and
	// the digests' "Coming up this week".
	Calendar commands.Calendar
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.BusyWait, time.Second)
	def(&c.DeferAfter, 1500*time.Millisecond)
	def(&c.AnswerTimeout, 10*time.Second)
	def(&c.CompleteTimeout, time.Second)
	def(&c.ShutdownTimeout, 10*time.Second)
	if c.DeferAfter < 0 {
		c.DeferAfter = 0
	}
	if c.MaxSearches <= 0 {
		c.MaxSearches = 8
	}
	if c.MaxBody <= 0 {
		c.MaxBody = 64 << 10
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 20 * time.Second}
	}
}

// ErrBusy is returned by index calls that found every search slot taken
// for longer than Config.BusyWait.
var ErrBusy = errors.New("too many searches in progress")

// errUnknown marks interactions the bot has no handler for.
var errUnknown = errors.New("unknown interaction")

// unknownMessage answers a command the bot does not have.
const unknownMessage = "I don't know that one. Try `/help` to see what I can do."

// Bot answers Discord interactions with attache's commands.
type Bot struct {
	cfg      Config
	log      *slog.Logger
	commands *commands.Set
	limiter  *limiter
	// idx is the index without the gate, for the bot's own work: posting
	// digests should not wait behind a burst of questions.
	idx commands.Index
	// rest is the discordgo session, made in New and used for REST by
	// everything and by Run for the gateway; nil without a token, and
	// restErr says why.
	rest    *discordgo.Session
	restErr error
	// sched posts the digests; nil without Config.Digests.
	sched *schedule.Scheduler

	// work is the parent context of all work on interactions. It is not
	// cancelled by a shutdown signal, so that interactions in flight can
	// finish, but by stopWork when the shutdown timeout runs out.
	work     context.Context
	stopWork context.CancelFunc

	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
	appID    string
	userID   string // the bot's user ID, once known
}

// New returns a bot answering from idx. Searches go through a gate that
// admits cfg.MaxSearches at a time.
func New(cfg Config, idx commands.Index, logger *slog.Logger) *Bot {
	cfg.setDefaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	gated := &gatedIndex{idx: idx, gate: newGate(cfg.MaxSearches, cfg.BusyWait)}
	work, stop := context.WithCancel(context.Background())
	b := &Bot{
		cfg:      cfg,
		log:      logger.With("component", "bot"),
		limiter:  newLimiter(cfg.AskRate, 10_000, cfg.Now),
		idx:      idx,
		work:     work,
		stopWork: stop,
		appID:    cfg.AppID,
	}
	b.rest, b.restErr = b.session()
	opts := commands.Options{Now: cfg.Now, Feeds: cfg.Feeds, FeedsGuildID: cfg.FeedsGuildID, Calendar: cfg.Calendar}
	if b.rest != nil {
		opts.Discord = b
	}
	// A nil store must stay a nil interface, or the commands would use it.
	if cfg.Digests != nil {
		opts.Digests = cfg.Digests
		if b.rest != nil {
			b.sched = schedule.New(cfg.Digests, b, schedule.Config{Clock: cfg.Clock, Grace: cfg.DigestGrace, Logger: logger})
			opts.DigestsChanged = b.sched.Reload
		}
	}
	b.commands = commands.New(gated, opts)
	return b
}

// Commands returns the definitions of the bot's commands, as registered.
func (b *Bot) Commands() []*discordgo.ApplicationCommand { return b.commands.Definitions() }

// outcome is the answer to one interaction: a reply, or for autocomplete
// a list of choices.
type outcome struct {
	reply   commands.Reply
	choices []*discordgo.ApplicationCommandOptionChoice
}

// answer runs the handler for i. It never fails and never panics: errors
// and panics become the private message of fail.
func (b *Bot) answer(ctx context.Context, i *discordgo.Interaction) (out outcome) {
	defer func() {
		if r := recover(); r != nil {
			out = outcome{reply: b.fail(i, fmt.Errorf("panic: %v\n%s", r, debug.Stack()))}
		}
	}()
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, err := commands.CommandData(i)
		if err != nil {
			return outcome{reply: b.fail(i, err)}
		}
		cmd, ok := b.commands.Lookup(data.Name)
		if !ok {
			return outcome{reply: b.fail(i, fmt.Errorf("command %q: %w", data.Name, errUnknown))}
		}
		return outcome{reply: b.run(ctx, i, cmd.Limited, cmd.Handle)}

	case discordgo.InteractionMessageComponent:
		data, err := commands.ComponentData(i)
		if err != nil {
			return outcome{reply: b.fail(i, err)}
		}
		cmd, ok := b.commands.ForButton(data.CustomID)
		if !ok {
			return outcome{reply: b.fail(i, fmt.Errorf("button %q: %w", data.CustomID, errUnknown))}
		}
		return outcome{reply: b.run(ctx, i, cmd.Limited, cmd.Press)}

	case discordgo.InteractionApplicationCommandAutocomplete:
		// Autocomplete cannot show an error: on any failure the user
		// simply gets no suggestions.
		out.choices = []*discordgo.ApplicationCommandOptionChoice{}
		data, err := commands.CommandData(i)
		if err != nil {
			b.log.Warn("autocomplete failed", "interaction", i.ID, "err", err)
			return out
		}
		cmd, ok := b.commands.Lookup(data.Name)
		if !ok || cmd.Complete == nil {
			b.log.Warn("autocomplete failed", "interaction", i.ID, "err", fmt.Errorf("autocomplete for %q: %w", data.Name, errUnknown))
			return out
		}
		ctx, cancel := context.WithTimeout(ctx, b.cfg.CompleteTimeout)
		defer cancel()
		choices, err := cmd.Complete(ctx, i)
		if err != nil {
			b.log.Warn("autocomplete failed", "interaction", i.ID, "command", data.Name, "err", err)
			return out
		}
		if choices != nil {
			out.choices = choices
		}
		return out

	default:
		return outcome{reply: b.fail(i, fmt.Errorf("interaction type %v: %w", i.Type, errUnknown))}
	}
}

// run applies the rate limit, when limited, and then the handler.
func (b *Bot) run(ctx context.Context, i *discordgo.Interaction, limited bool, handle func(context.Context, *discordgo.Interaction) (commands.Reply, error)) commands.Reply {
	if limited {
		user := commands.UserOf(i)
		if user == nil {
			return b.fail(i, errors.New("interaction without a user"))
		}
		if ok, retry := b.limiter.allow(user.ID); !ok {
			return b.fail(i, &commands.UserError{
				Message: fmt.Sprintf("You're asking faster than I can keep up with. You can ask again %s.", relativeTime(retry)),
				Err:     errRateLimited,
			})
		}
	}
	reply, err := handle(ctx, i)
	if err != nil {
		return b.fail(i, err)
	}
	return reply
}

var errRateLimited = errors.New("user is rate limited")

// relativeTime is a Discord timestamp that each reader sees relative to
// their own clock: "in 12 seconds".
func relativeTime(t time.Time) string {
	// Round up, so that "in 0 seconds" never shows too early.
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return fmt.Sprintf("<t:%d:R>", sec)
}

// fail is where every failed interaction ends (STYLE rule 12): it logs
// err once, with what the interaction was, and returns the short private
// message the user sees. Users never see err itself.
func (b *Bot) fail(i *discordgo.Interaction, err error) commands.Reply {
	var (
		ue    *commands.UserError
		msg   string
		level = slog.LevelError
		what  = "interaction failed"
	)
	switch {
	case errors.As(err, &ue):
		msg, level, what = ue.Message, slog.LevelInfo, "interaction refused"
	case errors.Is(err, errUnknown):
		msg, level = unknownMessage, slog.LevelWarn
	case errors.Is(err, ErrBusy):
		msg, level = "I'm answering a lot of questions right now. Please try again in a few seconds.", slog.LevelWarn
	case errors.Is(err, context.DeadlineExceeded):
		msg, level = "That took me too long. Please try again in a moment.", slog.LevelWarn
	default:
		msg = "Something went wrong on my side. Please try again later."
	}
	attrs := []any{"interaction", i.ID, "type", i.Type.String(), "err", err}
	if u := commands.UserOf(i); u != nil {
		attrs = append(attrs, "user", u.ID)
	}
	b.log.Log(context.Background(), level, what, attrs...)
	return commands.Reply{Content: msg, Ephemeral: true}
}

// begin registers an interaction in flight; it reports false once the bot
// is shutting down and takes no more.
func (b *Bot) begin() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.inflight.Add(1)
	return true
}

func (b *Bot) end() { b.inflight.Done() }

// drain stops taking interactions and waits for those in flight, at most
// ShutdownTimeout; then it cancels their work and waits for them to give
// up. It reports whether they all finished in time.
func (b *Bot) drain() bool {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() {
		b.inflight.Wait()
		close(done)
	}()
	t := time.NewTimer(b.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
		b.stopWork()
		return true
	case <-t.C:
		b.log.Warn("interactions still in flight at shutdown; cancelling them", "timeout", b.cfg.ShutdownTimeout)
		b.stopWork()
		// Work that ignores cancellation (a REST call sleeping out a 429)
		// gets a little longer, then is left behind.
		t.Reset(2 * time.Second)
		select {
		case <-done:
		case <-t.C:
		}
		return false
	}
}

// shuttingDown is the answer to interactions that arrive while the bot
// shuts down.
var shuttingDown = commands.Reply{Content: "I'm restarting. Please try again in a minute.", Ephemeral: true}
