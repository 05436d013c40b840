// Package commands defines attache's slash commands: what Discord is told
// about each one and the logic that answers it. Each command has its own
// file with a plain function (Ask, Sources, Summarize, BuildDigest, Help)
// that tests call without Discord, and thin handlers that read an
// interaction and return a Reply. The bot sends replies to Discord; the
// console prints them.
//
// /ask, /sources, /upcoming, /timeline and /help are for everyone. /summary, /digest and /feeds
// are for moderators: their definitions ask Discord to offer them only to
// members with the right permission, and their handlers check it again.
package commands

import (
	"context"
	"strings"
	"time"

	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// Searcher answers questions from the index.
type Searcher interface {
	Search(ctx context.Context, q index.Query) ([]index.Answer, error)
}

// Lister lists the articles in the index.
type Lister interface {
	Articles(ctx context.Context, q index.ArticleQuery) ([]index.ArticleInfo, int, error)
}

// Suggester completes what a user is typing from what the index holds.
type Suggester interface {
	Suggest(ctx context.Context, prefix string, limit int) ([]string, error)
}

// Index is everything the commands need from the index; *index.Index
// satisfies it.
type Index interface {
	Searcher
	Lister
	Suggester
	TopicReader
	StoryReader
}

// UserError is a failure caused by what the user asked, such as a question
// that is too long, with a Message that can be shown to them as it is.
type UserError struct {
	Message string
	Err     error // what to log; may be nil
}

// Error returns the message and what caused it.
func (e *UserError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *UserError) Unwrap() error { return e.Err }

// Command is one slash command: its definition and its handlers.
type Command struct {
	Definition *discordgo.ApplicationCommand
	// Handle answers the command.
	Handle func(ctx context.Context, i *discordgo.Interaction) (Reply, error)
	// Private reports whether the answer to i will be ephemeral, before it
	// is ready, so that a deferred response can say so.
	Private func(i *discordgo.Interaction) bool
	// Complete, when set, answers autocomplete on the command's options.
	Complete func(ctx context.Context, i *discordgo.Interaction) ([]*discordgo.ApplicationCommandOptionChoice, error)
	// Prefix starts the custom_id of the command's buttons ("ask" for
	// "ask:…"); Press answers them.
	Prefix string
	Press  func(ctx context.Context, i *discordgo.Interaction) (Reply, error)
	// Limited reports whether using the command, or pressing its
	// buttons, counts against the per-user rate limit: it searches.
	Limited bool
}

// Options tune New. The zero value is usable.
type Options struct {
	// Now reads the clock; time.Now when nil.
	Now func() time.Time
	// SessionTTL is how long the buttons of an answer keep working;
	// 30 minutes when zero.
	SessionTTL time.Duration
	// MaxSessions bounds how many answers' buttons are remembered; the
	// oldest are forgotten first. 10,000 when zero.
	MaxSessions int

	// Discord looks up and posts in channels for /summary and /digest;
	// nil outside Discord (the console), where summaries are previews.
	Discord Discord
	// Digests keeps the digests that /digest manages; without it /digest
	// says digests are not available.
	Digests DigestStore
	// DigestsChanged, when set, is called after /digest adds or removes a
	// digest, so that the scheduler reads them again.
	DigestsChanged func()
	// Feeds keeps the feed subscriptions that /feeds manages; without it
	// /feeds says feeds are not available.
	Feeds FeedManager
	// FeedsGuildID is the home server, the only one where /feeds add and
	// /feeds remove work: the feeds feed the answers in every server. In
	// other servers /feeds list shows them read-only. When empty, no server
	// may change them.
	FeedsGuildID string
	// Calendar holds the events that /upcoming, /timeline and the digests'
	// "Coming up this week" list; without it /upcoming and /timeline say
	// there is no calendar, and digests list no events.
	Calendar Calendar
}

// Set is the bot's commands, ready to answer from an index. It is safe
// for concurrent use.
type Set struct {
	idx            Index
	sessions       *sessions
	now            func() time.Time
	discord        Discord
	digests        DigestStore
	digestsChanged func()
	feeds          FeedManager
	feedsGuild     string
	calendar       Calendar
	list           []Command
}

// New returns the commands answering from idx.
func New(idx Index, opts Options) *Set {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 30 * time.Minute
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = 10_000
	}
	if opts.DigestsChanged == nil {
		opts.DigestsChanged = func() {}
	}
	s := &Set{
		idx:            idx,
		sessions:       newSessions(opts.SessionTTL, opts.MaxSessions, opts.Now),
		now:            opts.Now,
		discord:        opts.Discord,
		digests:        opts.Digests,
		digestsChanged: opts.DigestsChanged,
		feeds:          opts.Feeds,
		feedsGuild:     opts.FeedsGuildID,
		calendar:       opts.Calendar,
	}
	// The one list of commands: what is registered with Discord, in this
	// order, and what the bot routes interactions to.
	s.list = []Command{
		s.askCommand(),
		s.sourcesCommand(),
		s.upcomingCommand(),
		s.timelineCommand(),
		s.summaryCommand(),
		s.digestCommand(),
		s.feedsCommand(),
		s.helpCommand(),
	}
	return s
}

// List returns every command.
func (s *Set) List() []Command { return s.list }

// Definitions returns the definitions of every command, for one bulk
// overwrite.
func (s *Set) Definitions() []*discordgo.ApplicationCommand {
	defs := make([]*discordgo.ApplicationCommand, len(s.list))
	for n, c := range s.list {
		defs[n] = c.Definition
	}
	return defs
}

// Lookup returns the command called name.
func (s *Set) Lookup(name string) (Command, bool) {
	for _, c := range s.list {
		if c.Definition.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// ForButton returns the command that owns the button with customID.
func (s *Set) ForButton(customID string) (Command, bool) {
	prefix, _, ok := strings.Cut(customID, ":")
	if !ok {
		return Command{}, false
	}
	for _, c := range s.list {
		if c.Prefix == prefix && c.Press != nil {
			return c, true
		}
	}
	return Command{}, false
}

// Everyone can use the commands in servers and in direct messages with the
// bot; /ask posts in the channel, so by default it needs the right to send
// messages there (server admins can change that in Integrations).
var (
	contexts = &[]discordgo.InteractionContextType{
		discordgo.InteractionContextGuild,
		discordgo.InteractionContextBotDM,
	}
	integrationTypes = &[]discordgo.ApplicationIntegrationType{
		discordgo.ApplicationIntegrationGuildInstall,
	}
	// guildOnly is the context of commands that manage a server.
	guildOnly = &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
)

func permissions(p int64) *int64 { return &p }

func intPtr(n int) *int { return &n }

// always is the Private function of commands whose answers are always
// ephemeral.
func always(*discordgo.Interaction) bool { return true }
