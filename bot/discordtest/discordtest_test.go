package discordtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// mustOpenSession opens a real discordgo session against the fake, after
// setup has added its handlers, and closes it when the test ends.
func mustOpenSession(tb testing.TB, fake *discordtest.Server, setup func(s *discordgo.Session)) *discordgo.Session {
	tb.Helper()
	s := mustNewSession(tb, fake, fake.Token())
	if setup != nil {
		setup(s)
	}
	if err := s.Open(); err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		// discordgo's Close sleeps for a second after sending its close frame.
		// Waiting only until the fake has the frame keeps the tests fast; the
		// rest of Close needs nothing from the fake.
		go s.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := fake.WaitFor(ctx, func() bool { return !fake.Connected() }); err != nil {
			tb.Errorf("session still connected: %v", err)
		}
	})
	return s
}

// mustNewSession returns a discordgo session whose REST calls go to the fake.
func mustNewSession(tb testing.TB, fake *discordtest.Server, token string) *discordgo.Session {
	tb.Helper()
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		tb.Fatalf("discordgo.New: %v", err)
	}
	base, err := url.Parse(fake.APIBase())
	if err != nil {
		tb.Fatalf("parse APIBase: %v", err)
	}
	s.Client = &http.Client{Transport: apiTransport{base}, Timeout: 10 * time.Second}
	return s
}

// apiTransport sends discordgo's API requests to the fake. It does what
// bot.NewHTTPClient does, which bot's tests check against the fake, so that
// the fake's own tests need nothing from package bot.
type apiTransport struct {
	base *url.URL
}

func (t apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(req.URL.String(), discordgo.EndpointAPI)
	if !ok {
		return nil, fmt.Errorf("request outside Discord's API: %s", req.URL)
	}
	u, err := url.Parse(t.base.String() + "/" + rest)
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.URL, r.Host = u, ""
	return http.DefaultTransport.RoundTrip(r)
}

// interactions returns a channel that receives the session's interactions.
func interactions(s *discordgo.Session) <-chan *discordgo.InteractionCreate {
	ch := make(chan *discordgo.InteractionCreate, 16)
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { ch <- i })
	return ch
}

// receive returns the next value from ch, failing the test after a while.
func receive[T any](tb testing.TB, ch <-chan T) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		tb.Fatalf("timed out waiting for %T", *new(T))
		panic("unreachable")
	}
}

// testContext returns a context that ends with the test or after 5 seconds.
func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(tb.Context(), 5*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

// restError returns the REST error in err, failing the test if there is none.
func restError(tb testing.TB, err error) *discordgo.RESTError {
	tb.Helper()
	var rerr *discordgo.RESTError
	if !errors.As(err, &rerr) {
		tb.Fatalf("err=%v, want a *discordgo.RESTError", err)
	}
	return rerr
}

// wantAPIError fails the test unless err is a REST error with the status and
// Discord's JSON error code.
func wantAPIError(tb testing.TB, err error, status, code int) {
	tb.Helper()
	rerr := restError(tb, err)
	if rerr.Response.StatusCode != status {
		tb.Errorf("status=%d, want %d (body %s)", rerr.Response.StatusCode, status, rerr.ResponseBody)
	}
	if rerr.Message == nil || rerr.Message.Code != code {
		tb.Errorf("error body=%s, want code %d", rerr.ResponseBody, code)
	}
}

func contents(msgs []*discordgo.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Content)
	}
	return out
}

func TestReady(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	ready := make(chan *discordgo.Ready, 1)
	s := mustOpenSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	})
	r := receive(t, ready)
	if r.SessionID == "" {
		t.Errorf("SessionID is empty")
	}
	if r.User == nil || r.User.ID != discordtest.DefaultBotUserID || !r.User.Bot {
		t.Errorf("User=%+v, want bot %s", r.User, discordtest.DefaultBotUserID)
	}
	if r.Application == nil || r.Application.ID != discordtest.DefaultApplicationID {
		t.Errorf("Application=%+v, want ID %s", r.Application, discordtest.DefaultApplicationID)
	}
	if s.State.User.ID != discordtest.DefaultBotUserID {
		t.Errorf("State.User.ID=%q, want %q", s.State.User.ID, discordtest.DefaultBotUserID)
	}
	if got := fake.Identifies(); got != 1 {
		t.Errorf("Identifies=%d, want 1", got)
	}
	id := fake.LastIdentify()
	if id == nil || id.Token != "Bot "+discordtest.DefaultToken || id.Intents != discordgo.IntentsAllWithoutPrivileged {
		t.Errorf("LastIdentify=%+v, want the session's token and intents", id)
	}
	app, err := s.Application("@me")
	if err != nil || app.ID != discordtest.DefaultApplicationID {
		t.Errorf("Application(@me)=%+v, %v, want ID %s", app, err, discordtest.DefaultApplicationID)
	}
	me, err := s.User("@me")
	if err != nil || me.ID != discordtest.DefaultBotUserID {
		t.Errorf("User(@me)=%+v, %v, want ID %s", me, err, discordtest.DefaultBotUserID)
	}
}

func TestWrongToken(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, "not-the-token")
	_, err := s.User("@me")
	wantAPIError(t, err, http.StatusUnauthorized, 0)
	if err := s.Open(); err == nil {
		s.Close()
		t.Fatalf("Open with a wrong token succeeded")
	}
	if got := fake.Identifies(); got != 1 {
		t.Errorf("Identifies=%d, want 1", got)
	}
}

func TestInteractionRespondAndFollowup(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	var got <-chan *discordgo.InteractionCreate
	s := mustOpenSession(t, fake, func(s *discordgo.Session) { got = interactions(s) })

	it := fake.SendInteraction(discordtest.SlashCommand("ask",
		discordtest.StringOption("question", "why?"),
		discordtest.IntegerOption("limit", 3)))
	i := receive(t, got)
	if i.ID != it.ID || i.Token != it.Token || i.AppID != discordtest.DefaultApplicationID {
		t.Errorf("ID, Token, AppID=%q, %q, %q, want %q, %q, %q", i.ID, i.Token, i.AppID, it.ID, it.Token, discordtest.DefaultApplicationID)
	}
	data := i.ApplicationCommandData()
	if data.Name != "ask" || data.ID == "" {
		t.Errorf("data name, id=%q, %q, want ask and an ID", data.Name, data.ID)
	}
	if q := data.GetOption("question"); q == nil || q.StringValue() != "why?" {
		t.Errorf("question=%+v, want why?", q)
	}
	if l := data.GetOption("limit"); l == nil || l.IntValue() != 3 {
		t.Errorf("limit=%+v, want 3", l)
	}

	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "because"},
	})
	if err != nil {
		t.Fatalf("InteractionRespond: %v", err)
	}
	resp, err := it.WaitResponse(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Content != "because" {
		t.Errorf("response=%+v, want a message saying because", resp)
	}

	err = s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "again"},
	})
	wantAPIError(t, err, http.StatusBadRequest, 40060)

	m, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "more"})
	if err != nil {
		t.Fatalf("FollowupMessageCreate: %v", err)
	}
	if m.ID == "" || m.Content != "more" || m.ChannelID != discordtest.DefaultChannelID {
		t.Errorf("followup=%+v, want one in the default channel saying more", m)
	}
	if got := contents(it.Followups()); !slices.Equal(got, []string{"more"}) {
		t.Errorf("Followups=%q, want [more]", got)
	}
	if o := it.Original(); o == nil || o.Content != "because" || o.Author.ID != discordtest.DefaultBotUserID {
		t.Errorf("Original=%+v, want because by the bot", o)
	}
	if got := contents(fake.ChannelMessages(discordtest.DefaultChannelID)); !slices.Equal(got, []string{"because", "more"}) {
		t.Errorf("ChannelMessages=%q, want [because more]", got)
	}
	if u := fake.Unexpected(); len(u) != 0 {
		t.Errorf("Unexpected=%+v, want none", u)
	}
}

func TestDeferredResponse(t *testing.T) {
	t.Parallel()
	ephemeral := &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	content := func(s string) *string { return &s }
	tests := []struct {
		name          string
		data          *discordgo.InteractionResponseData
		finish        func(s *discordgo.Session, i *discordgo.Interaction) error
		wantOriginal  string
		wantEdits     int
		wantFollowups int
		wantChannel   []string
	}{
		{
			name: "edit",
			finish: func(s *discordgo.Session, i *discordgo.Interaction) error {
				_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: content("done")})
				return err
			},
			wantOriginal: "done",
			wantEdits:    1,
			wantChannel:  []string{"done"},
		},
		{
			name: "ephemeral edit",
			data: ephemeral,
			finish: func(s *discordgo.Session, i *discordgo.Interaction) error {
				_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: content("secret")})
				return err
			},
			wantOriginal: "secret",
			wantEdits:    1,
		},
		{
			name: "followup",
			finish: func(s *discordgo.Session, i *discordgo.Interaction) error {
				_, err := s.FollowupMessageCreate(i, false, &discordgo.WebhookParams{Content: "answer"})
				return err
			},
			wantOriginal:  "answer",
			wantFollowups: 1,
			wantChannel:   []string{"answer"},
		},
		{
			name: "delete",
			finish: func(s *discordgo.Session, i *discordgo.Interaction) error {
				return s.InteractionResponseDelete(i)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			var got <-chan *discordgo.InteractionCreate
			s := mustOpenSession(t, fake, func(s *discordgo.Session) { got = interactions(s) })
			it := fake.SendInteraction(discordtest.SlashCommand("ask"))
			i := receive(t, got)

			// Before the interaction is acknowledged, its webhook does not exist.
			_, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "early"})
			wantAPIError(t, err, http.StatusNotFound, 10015)

			err = s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				Data: tt.data,
			})
			if err != nil {
				t.Fatalf("InteractionRespond: %v", err)
			}
			if o := it.Original(); o == nil || o.Flags&discordgo.MessageFlagsLoading == 0 {
				t.Fatalf("Original after deferring=%+v, want a loading message", o)
			}
			if err := tt.finish(s, i.Interaction); err != nil {
				t.Fatalf("finish: %v", err)
			}

			o := it.Original()
			switch {
			case tt.wantOriginal == "" && o != nil:
				t.Errorf("Original=%+v, want none", o)
			case tt.wantOriginal != "" && (o == nil || o.Content != tt.wantOriginal):
				t.Errorf("Original=%+v, want content %q", o, tt.wantOriginal)
			case o != nil && o.Flags&discordgo.MessageFlagsLoading != 0:
				t.Errorf("Original flags=%b, want loading cleared", o.Flags)
			case o != nil && tt.data != nil && o.Flags&discordgo.MessageFlagsEphemeral == 0:
				t.Errorf("Original flags=%b, want ephemeral kept", o.Flags)
			}
			if got := len(it.Edits()); got != tt.wantEdits {
				t.Errorf("len(Edits)=%d, want %d", got, tt.wantEdits)
			}
			if got := len(it.Followups()); got != tt.wantFollowups {
				t.Errorf("len(Followups)=%d, want %d", got, tt.wantFollowups)
			}
			if got := contents(fake.ChannelMessages(discordtest.DefaultChannelID)); !slices.Equal(got, tt.wantChannel) {
				t.Errorf("ChannelMessages=%q, want %q", got, tt.wantChannel)
			}
		})
	}
}

func TestInteractionPayloads(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	var got <-chan *discordgo.InteractionCreate
	mustOpenSession(t, fake, func(s *discordgo.Session) { got = interactions(s) })

	dm := discordtest.SlashCommand("ask", discordtest.StringOption("question", "hi")).InDM()
	dm.User = &discordgo.User{ID: "42", Username: "dora"}
	admin := discordtest.SlashCommand("admin")
	admin.Permissions = discordgo.PermissionAdministrator
	noMember := discordtest.SlashCommand("ask")
	noMember.Raw = map[string]any{"member": nil}
	tests := []struct {
		name  string
		ev    *discordtest.InteractionEvent
		check func(t *testing.T, i *discordgo.InteractionCreate)
	}{
		{
			name: "guild member",
			ev:   discordtest.SlashCommand("ask"),
			check: func(t *testing.T, i *discordgo.InteractionCreate) {
				if i.GuildID != discordtest.DefaultGuildID || i.ChannelID != discordtest.DefaultChannelID {
					t.Errorf("GuildID, ChannelID=%q, %q, want the defaults", i.GuildID, i.ChannelID)
				}
				if i.Member == nil || i.Member.User.ID != discordtest.DefaultUserID || i.User != nil {
					t.Fatalf("Member, User=%+v, %+v, want the default member only", i.Member, i.User)
				}
				if i.Member.Permissions != discordtest.DefaultPermissions || i.AppPermissions != discordtest.DefaultAppPermissions {
					t.Errorf("Permissions, AppPermissions=%d, %d, want the defaults", i.Member.Permissions, i.AppPermissions)
				}
				if i.Version != 1 || i.Locale != discordgo.EnglishUS {
					t.Errorf("Version, Locale=%d, %q, want 1, en-US", i.Version, i.Locale)
				}
			},
		},
		{
			name: "dm",
			ev:   dm,
			check: func(t *testing.T, i *discordgo.InteractionCreate) {
				if i.GuildID != "" || i.Member != nil || i.User == nil || i.User.ID != "42" {
					t.Errorf("GuildID, Member, User=%q, %+v, %+v, want a DM from 42", i.GuildID, i.Member, i.User)
				}
				if i.Context != discordgo.InteractionContextBotDM {
					t.Errorf("Context=%d, want %d", i.Context, discordgo.InteractionContextBotDM)
				}
			},
		},
		{
			name: "permissions",
			ev:   admin,
			check: func(t *testing.T, i *discordgo.InteractionCreate) {
				if i.Member.Permissions != discordgo.PermissionAdministrator {
					t.Errorf("Permissions=%d, want administrator", i.Member.Permissions)
				}
			},
		},
		{
			name: "option of the wrong type",
			ev:   discordtest.SlashCommand("ask", discordtest.RawOption("limit", discordgo.ApplicationCommandOptionInteger, "ten")),
			check: func(t *testing.T, i *discordgo.InteractionCreate) {
				o := i.ApplicationCommandData().GetOption("limit")
				if v, ok := o.Value.(string); !ok || v != "ten" {
					t.Errorf("limit value=%#v, want the string ten", o.Value)
				}
			},
		},
		{
			name: "subcommand",
			ev:   discordtest.SlashCommand("digest", discordtest.SubCommand("show", discordtest.BooleanOption("all", false))),
			check: func(t *testing.T, i *discordgo.InteractionCreate) {
				sub := i.ApplicationCommandData().GetOption("show")
				if sub == nil || sub.Type != discordgo.ApplicationCommandOptionSubCommand {
					t.Fatalf("show=%+v, want a subcommand", sub)
				}
				if all := sub.GetOption("all"); all == nil || all.BoolValue() {
					t.Errorf("all=%+v, want false", all)
				}
			},
		},
		{
			name: "raw",
			ev:   noMember,
			check: func(t *testing.T, i *discordgo.InteractionCreate) {
				if i.Member != nil {
					t.Errorf("Member=%+v, want none", i.Member)
				}
			},
		},
	}
	// The session delivers interactions one after another, so the cases share it.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := fake.SendInteraction(tt.ev)
			i := receive(t, got)
			if i.ID != it.ID {
				t.Fatalf("got interaction %s, want %s", i.ID, it.ID)
			}
			tt.check(t, i)
		})
	}
}

func TestAutocompleteAndComponents(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	var got <-chan *discordgo.InteractionCreate
	s := mustOpenSession(t, fake, func(s *discordgo.Session) { got = interactions(s) })

	it := fake.SendInteraction(discordtest.Autocomplete("ask", discordtest.StringOption("question", "wh")))
	i := receive(t, got)
	if o := i.ApplicationCommandData().Options; len(o) != 1 || !o[0].Focused {
		t.Errorf("options=%+v, want one focused", o)
	}
	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "not for autocomplete"},
	})
	wantAPIError(t, err, http.StatusBadRequest, 50035)
	err = s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "why", Value: "why"}}},
	})
	if err != nil {
		t.Fatalf("autocomplete result: %v", err)
	}
	if r := it.Response(); r == nil || len(r.Data.Choices) != 1 || r.Data.Choices[0].Name != "why" {
		t.Errorf("Response=%+v, want one choice", r)
	}

	it = fake.SendInteraction(discordtest.Component("next"))
	i = receive(t, got)
	if d := i.MessageComponentData(); d.CustomID != "next" || i.Message == nil || i.Message.ID == "" {
		t.Fatalf("component data, message=%+v, %+v, want next on a message", d, i.Message)
	}
	err = s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{
			Content: "page 2",
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Next", CustomID: "next-2", Style: discordgo.PrimaryButton},
			}}},
		},
	})
	if err != nil {
		t.Fatalf("update message: %v", err)
	}
	o := it.Original()
	if o == nil || o.ID != i.Message.ID || o.Content != "page 2" || len(o.Components) != 1 {
		t.Fatalf("Original=%+v, want message %s updated to page 2", o, i.Message.ID)
	}
	if r := it.Response(); r == nil || len(r.Data.Components) != 1 {
		t.Errorf("Response=%+v, want its components", r)
	}

	it = fake.SendInteraction(discordtest.SelectMenu("pick", "a", "b"))
	i = receive(t, got)
	if d := i.MessageComponentData(); !slices.Equal(d.Values, []string{"a", "b"}) {
		t.Errorf("Values=%q, want [a b]", d.Values)
	}
}

func TestInteractionDeadline(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t, discordtest.WithInteractionDeadline(50*time.Millisecond))
	var got <-chan *discordgo.InteractionCreate
	s := mustOpenSession(t, fake, func(s *discordgo.Session) { got = interactions(s) })
	fake.SendInteraction(discordtest.SlashCommand("ask"))
	i := receive(t, got)
	time.Sleep(100 * time.Millisecond)
	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	wantAPIError(t, err, http.StatusNotFound, 10062)
}

func TestApplicationCommands(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, fake.Token())
	app := fake.ApplicationID()
	cmds := []*discordgo.ApplicationCommand{
		{Name: "ask", Description: "Ask a question", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "What to ask", Required: true},
		}},
		{Name: "digest", Description: "Today's digest"},
	}
	created, err := s.ApplicationCommandBulkOverwrite(app, "", cmds)
	if err != nil {
		t.Fatalf("ApplicationCommandBulkOverwrite: %v", err)
	}
	if len(created) != 2 || created[0].ID == "" || created[0].ApplicationID != app || created[0].Type != discordgo.ChatApplicationCommand {
		t.Fatalf("created=%+v, want two commands with IDs", created)
	}
	listed, err := s.ApplicationCommands(app, "")
	if err != nil {
		t.Fatalf("ApplicationCommands: %v", err)
	}
	if len(listed) != 2 || listed[0].ID != created[0].ID || listed[1].Name != "digest" {
		t.Errorf("ApplicationCommands=%+v, want what was created", listed)
	}

	// Overwriting keeps the IDs of commands that stay.
	again, err := s.ApplicationCommandBulkOverwrite(app, "", cmds[:1])
	if err != nil {
		t.Fatalf("ApplicationCommandBulkOverwrite again: %v", err)
	}
	if len(again) != 1 || again[0].ID != created[0].ID {
		t.Errorf("after overwrite=%+v, want ask with ID %s", again, created[0].ID)
	}
	if got := fake.Commands(""); len(got) != 1 || got[0].Name != "ask" {
		t.Errorf("Commands(\"\")=%+v, want ask only", got)
	}

	guild, err := s.ApplicationCommandBulkOverwrite(app, discordtest.DefaultGuildID, cmds[1:])
	if err != nil {
		t.Fatalf("guild ApplicationCommandBulkOverwrite: %v", err)
	}
	if len(guild) != 1 || guild[0].GuildID != discordtest.DefaultGuildID {
		t.Errorf("guild commands=%+v, want digest in the default guild", guild)
	}
	if got := fake.Commands(discordtest.DefaultGuildID); len(got) != 1 || got[0].Name != "digest" {
		t.Errorf("Commands(guild)=%+v, want digest", got)
	}

	_, err = s.ApplicationCommandBulkOverwrite(app, "999", cmds)
	wantAPIError(t, err, http.StatusForbidden, 50001)
	_, err = s.ApplicationCommandBulkOverwrite("999", "", cmds)
	wantAPIError(t, err, http.StatusForbidden, 50001)

	// An interaction carries the ID of the registered command.
	var got <-chan *discordgo.InteractionCreate
	mustOpenSession(t, fake, func(s *discordgo.Session) { got = interactions(s) })
	fake.SendInteraction(discordtest.SlashCommand("ask"))
	if i := receive(t, got); i.ApplicationCommandData().ID != created[0].ID {
		t.Errorf("command ID=%q, want %q", i.ApplicationCommandData().ID, created[0].ID)
	}
}

func TestApplicationCommandsInvalid(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, fake.Token())
	opt := func(name string, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: "d", Required: required}
	}
	tests := []struct {
		name    string
		cmds    []*discordgo.ApplicationCommand
		wantErr string // in the response body
	}{
		{"upper case name", []*discordgo.ApplicationCommand{{Name: "Ask", Description: "d"}}, `"0":{"name"`},
		{"space in name", []*discordgo.ApplicationCommand{{Name: "ask me", Description: "d"}}, `"0":{"name"`},
		{"no description", []*discordgo.ApplicationCommand{{Name: "ask"}}, `"0":{"description"`},
		{"long description", []*discordgo.ApplicationCommand{{Name: "ask", Description: strings.Repeat("x", 101)}}, `BASE_TYPE_BAD_LENGTH`},
		{"duplicate", []*discordgo.ApplicationCommand{{Name: "ask", Description: "d"}, {Name: "ask", Description: "d"}}, `"1":{"name"`},
		{"required after optional", []*discordgo.ApplicationCommand{{Name: "ask", Description: "d", Options: []*discordgo.ApplicationCommandOption{opt("a", false), opt("b", true)}}}, `"options":{"1":{"required"`},
		{"option without description", []*discordgo.ApplicationCommand{{Name: "ask", Description: "d", Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "q"}}}}, `"options":{"0":{"description"`},
		{"user command with description", []*discordgo.ApplicationCommand{{Name: "Look up", Type: discordgo.UserApplicationCommand, Description: "d"}}, `"0":{"description"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ApplicationCommandBulkOverwrite(fake.ApplicationID(), "", tt.cmds)
			wantAPIError(t, err, http.StatusBadRequest, 50035)
			if rerr := restError(t, err); !strings.Contains(string(rerr.ResponseBody), tt.wantErr) {
				t.Errorf("body=%s, want it to contain %s", rerr.ResponseBody, tt.wantErr)
			}
		})
	}
	if got := fake.Commands(""); len(got) != 0 {
		t.Errorf("Commands=%+v, want none stored", got)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	t.Run("waited out", func(t *testing.T) {
		t.Parallel()
		fake := discordtest.New(t)
		s := mustNewSession(t, fake, fake.Token())
		limited := make(chan *discordgo.RateLimit, 4)
		s.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) { limited <- rl })
		fake.RateLimitNext("POST /channels/", 2, 50*time.Millisecond)
		start := time.Now()
		m, err := s.ChannelMessageSend(discordtest.DefaultChannelID, "hello")
		if err != nil {
			t.Fatalf("ChannelMessageSend: %v", err)
		}
		if elapsed := time.Since(start); elapsed < 90*time.Millisecond {
			t.Errorf("ChannelMessageSend took %v, want at least two retry_after of 50ms", elapsed)
		}
		if m.Content != "hello" {
			t.Errorf("Content=%q, want hello", m.Content)
		}
		var statuses []int
		for _, r := range fake.Requests() {
			statuses = append(statuses, r.Status)
		}
		if want := []int{429, 429, 200}; !slices.Equal(statuses, want) {
			t.Errorf("statuses=%v, want %v", statuses, want)
		}
		if rl := receive(t, limited); rl.RetryAfter != 50*time.Millisecond {
			t.Errorf("RetryAfter=%v, want 50ms", rl.RetryAfter)
		}
		if got := contents(fake.ChannelMessages(discordtest.DefaultChannelID)); !slices.Equal(got, []string{"hello"}) {
			t.Errorf("ChannelMessages=%q, want one hello", got)
		}
	})
	t.Run("not retried", func(t *testing.T) {
		t.Parallel()
		fake := discordtest.New(t)
		s := mustNewSession(t, fake, fake.Token())
		s.ShouldRetryOnRateLimit = false
		fake.RateLimitNext("/users/", 1, 1500*time.Millisecond)
		_, err := s.User("@me")
		var rlerr *discordgo.RateLimitError
		if !errors.As(err, &rlerr) || rlerr.RetryAfter != 1500*time.Millisecond {
			t.Fatalf("err=%v, want a RateLimitError with RetryAfter 1.5s", err)
		}
		r := fake.Requests()[0]
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("Status=%d, want 429", r.Status)
		}
		// Other routes are not limited.
		if _, err := s.Channel(discordtest.DefaultChannelID); err != nil {
			t.Errorf("Channel: %v", err)
		}
	})
}

func TestDelay(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, fake.Token())
	s.Client.Timeout = 100 * time.Millisecond
	fake.Delay("GET /users/@me", time.Second)
	if _, err := s.User("@me"); err == nil {
		t.Fatalf("User succeeded despite the delay")
	}
	fake.Delay("GET /users/@me", 0)
	if _, err := s.User("@me"); err != nil {
		t.Fatalf("User after removing the delay: %v", err)
	}
}

func TestGatewayReconnect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		code           int
		wantIdentifies int
	}{
		{"resume", 4000, 1},
		{"session timed out", 4009, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			var got <-chan *discordgo.InteractionCreate
			s := mustOpenSession(t, fake, func(s *discordgo.Session) { got = interactions(s) })
			ctx := testContext(t)
			if err := fake.WaitReady(ctx); err != nil {
				t.Fatal(err)
			}
			first := fake.SendInteraction(discordtest.SlashCommand("ask"))
			if i := receive(t, got); i.ID != first.ID {
				t.Fatalf("got interaction %s, want %s", i.ID, first.ID)
			}

			fake.CloseGateway(tt.code)
			// Sent while the bot is away: it arrives once the bot is back.
			it := fake.SendInteraction(discordtest.SlashCommand("ask"))
			i := receive(t, got)
			if i.ID != it.ID {
				t.Fatalf("got interaction %s, want %s", i.ID, it.ID)
			}
			if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "back"},
			}); err != nil {
				t.Fatalf("InteractionRespond: %v", err)
			}
			if got := fake.Resumes(); got != 1 {
				t.Errorf("Resumes=%d, want 1", got)
			}
			if got := fake.Identifies(); got != tt.wantIdentifies {
				t.Errorf("Identifies=%d, want %d", got, tt.wantIdentifies)
			}
			select {
			case extra := <-got:
				t.Errorf("got interaction %s again", extra.ID)
			default:
			}
		})
	}
}

func TestDispatchBeforeOpen(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "1", "channel_id": discordtest.DefaultChannelID, "content": "early",
		"author":    map[string]any{"id": discordtest.DefaultUserID, "username": discordtest.DefaultUsername},
		"timestamp": time.Now().UTC(),
	})
	created := make(chan *discordgo.MessageCreate, 1)
	mustOpenSession(t, fake, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { created <- m })
	})
	if m := receive(t, created); m.Content != "early" {
		t.Errorf("Content=%q, want early", m.Content)
	}
}

func TestChannels(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, fake.Token())
	fake.AddMessage(&discordgo.Message{Content: "from a user"})
	for _, text := range []string{"one", "two", "three"} {
		if _, err := s.ChannelMessageSend(discordtest.DefaultChannelID, text); err != nil {
			t.Fatalf("ChannelMessageSend: %v", err)
		}
	}
	recent, err := s.ChannelMessages(discordtest.DefaultChannelID, 2, "", "", "")
	if err != nil {
		t.Fatalf("ChannelMessages: %v", err)
	}
	if got := contents(recent); !slices.Equal(got, []string{"three", "two"}) {
		t.Errorf("ChannelMessages(limit 2)=%q, want [three two]", got)
	}
	older, err := s.ChannelMessages(discordtest.DefaultChannelID, 10, recent[1].ID, "", "")
	if err != nil {
		t.Fatalf("ChannelMessages(before): %v", err)
	}
	if got := contents(older); !slices.Equal(got, []string{"one", "from a user"}) {
		t.Errorf("ChannelMessages(before)=%q, want [one, from a user]", got)
	}
	if older[1].Author.ID != discordtest.DefaultUserID || older[0].Author.ID != discordtest.DefaultBotUserID {
		t.Errorf("authors=%s, %s, want the bot and the user", older[0].Author.ID, older[1].Author.ID)
	}

	ch, err := s.Channel(discordtest.DefaultChannelID)
	if err != nil || ch.GuildID != discordtest.DefaultGuildID {
		t.Errorf("Channel=%+v, %v, want one in the default guild", ch, err)
	}
	news := fake.AddChannel(&discordgo.Channel{GuildID: discordtest.DefaultGuildID, Name: "news", Type: discordgo.ChannelTypeGuildNews, Position: 1})
	chans, err := s.GuildChannels(discordtest.DefaultGuildID)
	if err != nil || len(chans) != 2 || chans[1].ID != news {
		t.Errorf("GuildChannels=%+v, %v, want general and news", chans, err)
	}

	withFile, err := s.ChannelMessageSendComplex(discordtest.DefaultChannelID, &discordgo.MessageSend{
		Files: []*discordgo.File{{Name: "digest.md", ContentType: "text/markdown", Reader: strings.NewReader("# Digest")}},
	})
	if err != nil {
		t.Fatalf("ChannelMessageSendComplex with a file: %v", err)
	}
	if a := withFile.Attachments; len(a) != 1 || a[0].Filename != "digest.md" || a[0].Size != 8 {
		t.Errorf("Attachments=%+v, want digest.md of 8 bytes", a)
	}

	_, err = s.ChannelMessageSend("404", "lost")
	wantAPIError(t, err, http.StatusNotFound, 10003)
	_, err = s.ChannelMessageSend(discordtest.DefaultChannelID, "")
	wantAPIError(t, err, http.StatusBadRequest, 50006)
	_, err = s.ChannelMessageSend(discordtest.DefaultChannelID, strings.Repeat("x", 2001))
	wantAPIError(t, err, http.StatusBadRequest, 50035)
	if got := len(fake.ChannelMessages(discordtest.DefaultChannelID)); got != 5 {
		t.Errorf("len(ChannelMessages)=%d, want 5", got)
	}
}

func TestUnexpected(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, fake.Token())
	_, err := s.GuildRoles(discordtest.DefaultGuildID)
	wantAPIError(t, err, http.StatusNotFound, 0)
	u := fake.Unexpected()
	if len(u) != 1 || u[0].Method != http.MethodGet || u[0].Path != "/guilds/"+discordtest.DefaultGuildID+"/roles" {
		t.Errorf("Unexpected=%+v, want GET /guilds/%s/roles", u, discordtest.DefaultGuildID)
	}
}

// TestGuildsAndMembers works out permissions in channels over REST, as a
// bot does, from the guild's roles, its members and the channels'
// overwrites.
func TestGuildsAndMembers(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, fake.Token())
	guild := discordtest.DefaultGuildID
	mods := fake.AddRole(guild, &discordgo.Role{Name: "mods", Permissions: discordgo.PermissionManageMessages})
	admins := fake.AddRole(guild, &discordgo.Role{Name: "admins", Permissions: discordgo.PermissionAdministrator})
	const mod, admin, member = "1000000000000000101", "1000000000000000102", "1000000000000000103"
	fake.AddMember(guild, &discordgo.Member{User: &discordgo.User{ID: mod, Username: "mod"}, Roles: []string{mods}})
	fake.AddMember(guild, &discordgo.Member{User: &discordgo.User{ID: admin, Username: "admin"}, Roles: []string{admins}})
	fake.AddMember(guild, &discordgo.Member{User: &discordgo.User{ID: member, Username: "member"}})
	announcements := fake.AddChannel(&discordgo.Channel{GuildID: guild, Name: "announcements", Type: discordgo.ChannelTypeGuildNews, PermissionOverwrites: []*discordgo.PermissionOverwrite{
		{ID: mods, Type: discordgo.PermissionOverwriteTypeRole, Deny: discordgo.PermissionManageMessages},
		{ID: fake.BotUserID(), Type: discordgo.PermissionOverwriteTypeMember, Deny: discordgo.PermissionSendMessages},
	}})

	g, err := s.Guild(guild)
	if err != nil {
		t.Fatalf("Guild: %v", err)
	}
	if g.OwnerID != discordtest.DefaultOwnerID || len(g.Roles) != 4 || g.Roles[0].ID != guild || g.Roles[0].Permissions != discordtest.DefaultPermissions {
		t.Errorf("Guild: owner %s, roles %+v; want DefaultOwnerID's, with @everyone first", g.OwnerID, g.Roles)
	}
	m, err := s.GuildMember(guild, mod)
	if err != nil || len(m.Roles) != 1 || m.Roles[0] != mods || m.User.ID != mod {
		t.Errorf("GuildMember=%+v, %v; want the moderator with the mods role", m, err)
	}

	tests := []struct {
		name, user, channel string
		want                int64
	}{
		{"bot", fake.BotUserID(), discordtest.DefaultChannelID, discordtest.DefaultAppPermissions},
		{"bot, overwritten", fake.BotUserID(), announcements, discordtest.DefaultAppPermissions &^ discordgo.PermissionSendMessages},
		{"member", member, discordtest.DefaultChannelID, discordtest.DefaultPermissions},
		{"moderator", mod, discordtest.DefaultChannelID, discordtest.DefaultPermissions | discordgo.PermissionManageMessages},
		{"moderator, overwritten", mod, announcements, discordtest.DefaultPermissions},
		{"administrator", admin, announcements, discordgo.PermissionAll},
		{"owner", discordtest.DefaultOwnerID, announcements, discordgo.PermissionAll},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.UserChannelPermissions(tt.user, tt.channel)
			if err != nil {
				t.Fatalf("UserChannelPermissions: %v", err)
			}
			if tt.want == discordgo.PermissionAll {
				// discordgo grants all from Administrator, then applies the
				// overwrites.
				if got&discordgo.PermissionAdministrator == 0 {
					t.Errorf("permissions %#x, want Administrator", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("permissions %#x, want %#x", got, tt.want)
			}
		})
	}

	// The user of an interaction is a member, with the roles AddMember gave.
	ev := discordtest.SlashCommand("help")
	ev.User = &discordgo.User{ID: "1000000000000000104", Username: "newcomer"}
	fake.SendInteraction(ev)
	if m, err := s.GuildMember(guild, ev.User.ID); err != nil || len(m.Roles) != 0 {
		t.Errorf("GuildMember of an interaction's user=%+v, %v; want a member with no roles", m, err)
	}

	_, err = s.GuildMember(guild, "1999999999999999999")
	wantAPIError(t, err, http.StatusNotFound, 10007)
	_, err = s.Guild("1999999999999999999")
	wantAPIError(t, err, http.StatusNotFound, 10004)

	// A guild known by a channel only is made up; AddGuild replaces it.
	other := fake.AddChannel(&discordgo.Channel{GuildID: "2000000000000000001", Name: "theirs", Type: discordgo.ChannelTypeGuildText})
	if p, err := s.UserChannelPermissions(fake.BotUserID(), other); err != nil || p != discordtest.DefaultAppPermissions {
		t.Errorf("bot's permissions in another guild: %#x, %v; want DefaultAppPermissions", p, err)
	}
	fake.AddGuild(&discordgo.Guild{ID: "2000000000000000001", OwnerID: member})
	if p, err := s.UserChannelPermissions(member, other); err != nil || p != discordgo.PermissionAll {
		t.Errorf("owner's permissions: %#x, %v; want all", p, err)
	}
	if p, err := s.UserChannelPermissions(fake.BotUserID(), other); err != nil || p != discordtest.DefaultPermissions {
		t.Errorf("bot's permissions after AddGuild: %#x, %v; want @everyone's, DefaultPermissions", p, err)
	}
}

func TestFailAfter(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s := mustNewSession(t, fake, fake.Token())
	fake.FailAfter("POST /channels/", 1, http.StatusInternalServerError)
	// Requests on other routes are not counted.
	if _, err := s.Channel(discordtest.DefaultChannelID); err != nil {
		t.Errorf("Channel: %v", err)
	}
	var errs []error
	for _, text := range []string{"one", "two", "three"} {
		_, err := s.ChannelMessageSend(discordtest.DefaultChannelID, text)
		errs = append(errs, err)
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("errors %v, want only the second message to fail", errs)
	}
	wantAPIError(t, errs[1], http.StatusInternalServerError, 0)
	if got := contents(fake.ChannelMessages(discordtest.DefaultChannelID)); !slices.Equal(got, []string{"one", "three"}) {
		t.Errorf("ChannelMessages=%q, want [one three]", got)
	}
}
