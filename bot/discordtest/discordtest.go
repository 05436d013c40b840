// Package discordtest runs a fake Discord on loopback for tests: the REST
// endpoints attache uses and a websocket gateway, so that tests drive the real
// discordgo client against it.
//
// A test wires discordgo to a Server like this:
//
//	fake := discordtest.New(t)
//	s, _ := discordgo.New("Bot " + fake.Token())
//	s.Client, _ = bot.NewHTTPClient(fake.APIBase(), 10*time.Second)
//	s.AddHandler(...)
//	if err := s.Open(); err != nil { ... }
//	t.Cleanup(func() { s.Close() })
//	it := fake.SendInteraction(discordtest.SlashCommand("ask", discordtest.StringOption("question", "why?")))
//	resp, err := it.WaitResponse(ctx)
//
// Every Server is independent and safe for concurrent use, so parallel tests
// each start their own. The fake keeps one guild (DefaultGuildID) with one
// text channel (DefaultChannelID); AddChannel adds more. Every guild is owned
// by DefaultOwnerID; its @everyone role grants DefaultPermissions, and the
// bot is a member with a role of its own that grants DefaultAppPermissions, so
// that working out permissions over REST (the guild, a member, a channel's
// overwrites) agrees with what interactions say. AddGuild, AddRole and
// AddMember change that. Requests the fake does not serve get a 404 and are
// listed by Unexpected.
//
// Like Discord, the fake holds a bot to the rules: the token on every REST call
// but interaction callbacks and webhooks, one initial response per interaction
// within 3 seconds, of a type that fits the interaction, no followups before
// it, and the limits on messages (2000 characters, embeds, components) and
// commands (names, descriptions, options), which fail with 400 and Discord's
// JSON error codes so that a bot's error handling can be tested too.
//
// discordgo's Session.Close sleeps for a second after sending its close frame.
package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Defaults of a Server. The bot user and the application have different IDs,
// unlike most real bots, so that a test notices when one is used for the other.
const (
	DefaultToken         = "discordtest-token"
	DefaultApplicationID = "1000000000000000001"
	DefaultBotUserID     = "1000000000000000002"
	DefaultBotUsername   = "attache"
	DefaultGuildID       = "1000000000000000003"
	DefaultChannelID     = "1000000000000000004"
	DefaultUserID        = "1000000000000000005"
	DefaultUsername      = "tester"
	// DefaultOwnerID owns every guild unless AddGuild says otherwise; it is
	// not DefaultUserID, whom owning would give every permission.
	DefaultOwnerID = "1000000000000000006"
)

// DefaultHeartbeatInterval is the gateway heartbeat interval a Server
// announces unless WithHeartbeatInterval says otherwise: Discord's. discordgo
// sends its first heartbeat at once, so a test sees the exchange anyway. A
// short interval buys nothing and makes a discordgo race more likely: a
// heartbeat that fails while Session.Close is under way makes the session
// reconnect after Close, to a fake that may be gone.
const DefaultHeartbeatInterval = 41250 * time.Millisecond

// discordEpoch is the first millisecond of 2015 in Unix time, the epoch of
// Discord's snowflake IDs.
const discordEpoch = 1420070400000

// A Server is a fake Discord: an HTTP server on loopback that answers REST
// requests under APIBase and speaks the gateway protocol on its root.
type Server struct {
	tb        testing.TB
	http      *httptest.Server
	api       string // path prefix of the REST API, "/api/v9"
	token     string
	appID     string
	botUserID string
	heartbeat time.Duration
	deadline  time.Duration
	now       func() time.Time
	done      chan struct{} // closed when the server shuts down
	gateways  sync.WaitGroup

	mu           sync.Mutex
	closed       bool
	changed      chan struct{} // closed and replaced whenever state changes
	lastID       uint64
	requests     []Request
	rateLimits   []*rateLimit
	delays       []*delay
	failures     []*failure
	guilds       map[string]*discordgo.Guild
	members      map[string]map[string]*discordgo.Member // guild ID to user ID to member
	channels     map[string]*discordgo.Channel
	dms          map[string]string // user ID to DM channel ID
	messages     map[string]*message
	history      map[string][]string // channel ID to listed message IDs, oldest first
	commands     map[string][]byte   // guild ID ("" for global) to JSON array of commands
	interactions map[string]*interaction
	tokens       map[string]*interaction // by interaction token

	// Gateway state.
	session      *gatewaySession
	pending      []event // dispatched while there was no session
	active       *gatewayConn
	conns        map[*gatewayConn]bool
	identifies   int
	resumes      int
	lastIdentify []byte
}

// An Option configures a Server.
type Option func(*Server)

// WithToken sets the bot token the Server accepts, without the "Bot " prefix.
func WithToken(token string) Option {
	return func(s *Server) { s.token = token }
}

// WithApplicationID sets the ID of the bot's application.
func WithApplicationID(id string) Option {
	return func(s *Server) { s.appID = id }
}

// WithBotUserID sets the ID of the bot's user.
func WithBotUserID(id string) Option {
	return func(s *Server) { s.botUserID = id }
}

// WithHeartbeatInterval sets the heartbeat interval the gateway announces in
// HELLO. discordgo reconnects when five intervals pass without an ACK.
func WithHeartbeatInterval(d time.Duration) Option {
	return func(s *Server) { s.heartbeat = d }
}

// WithInteractionDeadline sets how long after an interaction is sent its
// initial response is accepted, as Discord allows 3 seconds
// (discordgo.InteractionDeadline, the default). Zero means no deadline.
func WithInteractionDeadline(d time.Duration) Option {
	return func(s *Server) { s.deadline = d }
}

// WithNow sets the clock behind timestamps, snowflake IDs and the
// interaction deadline.
func WithNow(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// New starts a Server on loopback and stops it when the test ends.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{
		tb:           tb,
		api:          "/api/v" + discordgo.APIVersion,
		token:        DefaultToken,
		appID:        DefaultApplicationID,
		botUserID:    DefaultBotUserID,
		heartbeat:    DefaultHeartbeatInterval,
		deadline:     discordgo.InteractionDeadline,
		now:          time.Now,
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		guilds:       make(map[string]*discordgo.Guild),
		members:      make(map[string]map[string]*discordgo.Member),
		channels:     make(map[string]*discordgo.Channel),
		dms:          make(map[string]string),
		messages:     make(map[string]*message),
		history:      make(map[string][]string),
		commands:     make(map[string][]byte),
		interactions: make(map[string]*interaction),
		tokens:       make(map[string]*interaction),
		conns:        make(map[*gatewayConn]bool),
	}
	for _, opt := range opts {
		opt(s)
	}
	s.guildLocked(DefaultGuildID, true)
	s.channels[DefaultChannelID] = &discordgo.Channel{
		ID:      DefaultChannelID,
		GuildID: DefaultGuildID,
		Name:    "general",
		Type:    discordgo.ChannelTypeGuildText,
	}
	s.http = httptest.NewServer(s.routes())
	tb.Cleanup(s.close)
	return s
}

// close shuts the server down: gateway connections first, then HTTP.
func (s *Server) close() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*gatewayConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.notifyLocked()
	s.mu.Unlock()

	close(s.done)
	for _, c := range conns {
		c.kill(closeGoingAway, "")
	}
	s.http.Close()
	s.gateways.Wait()
}

// APIBase returns the base URL of the REST API, which stands for
// discordgo.EndpointAPI, e.g. http://127.0.0.1:1234/api/v9.
func (s *Server) APIBase() string { return s.http.URL + s.api }

// GatewayURL returns the websocket URL that GET /gateway hands out.
func (s *Server) GatewayURL() string {
	return "ws://" + strings.TrimPrefix(s.http.URL, "http://")
}

// Token returns the bot token the Server accepts, without the "Bot " prefix.
func (s *Server) Token() string { return s.token }

// ApplicationID returns the ID of the bot's application.
func (s *Server) ApplicationID() string { return s.appID }

// BotUserID returns the ID of the bot's user.
func (s *Server) BotUserID() string { return s.botUserID }

// botUser is the bot's user.
func (s *Server) botUser() *discordgo.User {
	return &discordgo.User{ID: s.botUserID, Username: DefaultBotUsername, Bot: true}
}

// A Request is a REST request the Server received.
type Request struct {
	Method string
	Path   string // below APIBase, e.g. "/channels/1/messages"
	Query  url.Values
	// Route is the pattern that served the request, e.g.
	// "POST /channels/{channel}/messages", or "" when the fake serves no such
	// route and answered 404.
	Route  string
	Header http.Header
	Body   []byte
	Status int
}

// Requests returns the REST requests received so far, in the order they were
// answered. Gateway traffic is not included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Unexpected returns the requests for routes the fake does not serve.
func (s *Server) Unexpected() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Route == "" {
			out = append(out, r)
		}
	}
	return out
}

// WaitFor waits until cond returns true, checking it whenever the fake's state
// changes and every few milliseconds. It returns an error when ctx ends first.
// cond may call the Server's methods.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		// Take the channel before checking, so a change in between is not missed.
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: wait: %w", context.Cause(ctx))
		}
	}
}

// notifyLocked wakes up WaitFor.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// newIDLocked returns a new snowflake, later than every one before.
func (s *Server) newIDLocked() string {
	ms := s.now().UnixMilli() - discordEpoch
	id := s.lastID + 1
	if ms > 0 && uint64(ms)<<22 > id {
		id = uint64(ms) << 22
	}
	s.lastID = id
	return strconv.FormatUint(id, 10)
}

// AddChannel adds a channel to the fake, or replaces the one with the same
// ID; a new ID is made up when ch.ID is empty. A channel with a GuildID
// makes that guild known too. AddChannel returns the channel's ID.
func (s *Server) AddChannel(ch *discordgo.Channel) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *ch
	if c.ID == "" {
		c.ID = s.newIDLocked()
	}
	s.channels[c.ID] = &c
	if c.GuildID != "" {
		s.guildLocked(c.GuildID, true)
	}
	s.notifyLocked()
	return c.ID
}

// guildKnownLocked reports whether the fake knows the guild: it was added,
// or some channel belongs to it.
func (s *Server) guildKnownLocked(guildID string) bool {
	if s.guilds[guildID] != nil {
		return true
	}
	for _, c := range s.channels {
		if c.GuildID == guildID {
			return true
		}
	}
	return false
}

// guildLocked returns the guild, making it up as the package comment says
// when the fake knows it only by its channels, or, with create, when the
// fake does not know it at all. It returns nil for an unknown guild.
func (s *Server) guildLocked(guildID string, create bool) *discordgo.Guild {
	if g := s.guilds[guildID]; g != nil {
		return g
	}
	if !create && !s.guildKnownLocked(guildID) {
		return nil
	}
	botRole := &discordgo.Role{ID: s.newIDLocked(), Name: DefaultBotUsername, Managed: true, Permissions: DefaultAppPermissions}
	g := &discordgo.Guild{
		ID:      guildID,
		Name:    "guild " + guildID,
		OwnerID: DefaultOwnerID,
		Roles:   []*discordgo.Role{{ID: guildID, Name: "@everyone", Permissions: DefaultPermissions}, botRole},
	}
	s.guilds[guildID] = g
	s.memberLocked(guildID, &discordgo.Member{User: s.botUser(), Roles: []string{botRole.ID}})
	return g
}

// memberLocked stores m as a member of the guild, filling in what Discord
// would, and returns the stored copy.
func (s *Server) memberLocked(guildID string, m *discordgo.Member) *discordgo.Member {
	c := *m
	u := *m.User
	c.User, c.GuildID = &u, guildID
	c.Roles = slices.Clone(m.Roles)
	if c.Roles == nil {
		c.Roles = []string{}
	}
	if c.JoinedAt.IsZero() {
		c.JoinedAt = s.now().UTC().Add(-24 * time.Hour)
	}
	if s.members[guildID] == nil {
		s.members[guildID] = make(map[string]*discordgo.Member)
	}
	s.members[guildID][u.ID] = &c
	return &c
}

// AddGuild adds a guild to the fake, or replaces the one with the same ID,
// keeping its members and channels; a new ID is made up when g.ID is empty.
// A guild without an owner is DefaultOwnerID's, and one without an
// @everyone role (whose ID is the guild's) gets one that grants
// DefaultPermissions. The bot is a member of it, with the roles it had or
// none. AddGuild returns the guild's ID.
func (s *Server) AddGuild(g *discordgo.Guild) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *g
	if c.ID == "" {
		c.ID = s.newIDLocked()
	}
	if c.OwnerID == "" {
		c.OwnerID = DefaultOwnerID
	}
	c.Roles = nil
	for _, r := range g.Roles {
		rc := *r
		c.Roles = append(c.Roles, &rc)
	}
	if !slices.ContainsFunc(c.Roles, func(r *discordgo.Role) bool { return r.ID == c.ID }) {
		c.Roles = append([]*discordgo.Role{{ID: c.ID, Name: "@everyone", Permissions: DefaultPermissions}}, c.Roles...)
	}
	s.guilds[c.ID] = &c
	if s.members[c.ID][s.botUserID] == nil {
		s.memberLocked(c.ID, &discordgo.Member{User: s.botUser()})
	}
	s.notifyLocked()
	return c.ID
}

// AddRole adds a role to a guild, or replaces the one with the same ID; a
// new ID is made up when r.ID is empty. An unknown guild is made up as the
// package comment says. AddRole returns the role's ID.
func (s *Server) AddRole(guildID string, r *discordgo.Role) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.guildLocked(guildID, true)
	c := *r
	if c.ID == "" {
		c.ID = s.newIDLocked()
	}
	if i := slices.IndexFunc(g.Roles, func(x *discordgo.Role) bool { return x.ID == c.ID }); i >= 0 {
		g.Roles[i] = &c
	} else {
		g.Roles = append(g.Roles, &c)
	}
	s.notifyLocked()
	return c.ID
}

// AddMember makes m.User a member of a guild with m's roles, or replaces
// the member; an unknown guild is made up as the package comment says.
// Interactions the user starts in the guild carry the member's roles; their
// permissions are still the InteractionEvent's. A user who starts an
// interaction in a guild becomes a member of it, with no roles, unless
// AddMember made them one.
func (s *Server) AddMember(guildID string, m *discordgo.Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.User == nil || m.User.ID == "" {
		s.tb.Errorf("discordtest: AddMember without a user")
		return
	}
	s.guildLocked(guildID, true)
	s.memberLocked(guildID, m)
	s.notifyLocked()
}

// Commands returns the application commands registered for the guild, or the
// global ones when guildID is "".
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	raw := s.commands[guildID]
	s.mu.Unlock()
	var cmds []*discordgo.ApplicationCommand
	if raw != nil {
		if err := json.Unmarshal(raw, &cmds); err != nil {
			s.tb.Errorf("discordtest: decode stored commands: %v", err)
		}
	}
	return cmds
}

// ChannelMessages returns the messages in the channel's history, oldest
// first: those the bot created, non-ephemeral interaction responses and
// followups, and those added by AddMessage; deleted ones are left out.
func (s *Server) ChannelMessages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*discordgo.Message
	for _, id := range s.history[channelID] {
		out = append(out, s.renderLocked(s.messages[id]))
	}
	return out
}

// AddMessage puts a message into a channel's history, as if someone had sent
// it, without dispatching MESSAGE_CREATE. Missing fields are filled in: the
// channel (DefaultChannelID), an ID, the time, and the author (the default
// user). AddMessage returns the stored message.
func (s *Server) AddMessage(m *discordgo.Message) *discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *m
	if c.ChannelID == "" {
		c.ChannelID = DefaultChannelID
	}
	if c.ID == "" {
		c.ID = s.newIDLocked()
	}
	if c.Timestamp.IsZero() {
		c.Timestamp = s.now().UTC()
	}
	if c.Author == nil {
		c.Author = &discordgo.User{ID: DefaultUserID, Username: DefaultUsername}
	}
	raw, err := json.Marshal(&c)
	if err != nil {
		s.tb.Errorf("discordtest: AddMessage: %v", err)
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		s.tb.Errorf("discordtest: AddMessage: %v", err)
		return nil
	}
	msg := &message{id: c.ID, channelID: c.ChannelID, fields: fields}
	s.storeLocked(msg, true)
	return s.renderLocked(msg)
}
