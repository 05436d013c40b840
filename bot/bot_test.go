package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"attache/bot"
	"attache/bot/discordtest"
	"attache/commands"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// testToken has the shape of a real bot token.
const testToken = "MTAwMDAwMDAwMDAwMDAwMDAwMg.GhIjKl.abcdefghijklmnopqrstuvwxyzABCDEFGHIJK_-0"

// fakeIndex is a commands.Index with fixed answers, an optional delay on
// every call, and optional panics.
type fakeIndex struct {
	answers     []index.Answer
	articles    []index.ArticleInfo
	suggestions []string
	delay       time.Duration
	panics      bool
	err         error

	calls   atomic.Int64
	running atomic.Int64
	peak    atomic.Int64
}

func (f *fakeIndex) enter(ctx context.Context) (func(), error) {
	f.calls.Add(1)
	n := f.running.Add(1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	leave := func() { f.running.Add(-1) }
	if f.panics {
		leave()
		panic("index exploded")
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			leave()
			return nil, ctx.Err()
		}
	}
	return leave, f.err
}

func (f *fakeIndex) Search(ctx context.Context, q index.Query) ([]index.Answer, error) {
	leave, err := f.enter(ctx)
	if leave != nil {
		defer leave()
	}
	if err != nil {
		return nil, err
	}
	return f.answers[:min(max(q.K, 1), len(f.answers))], nil
}

func (f *fakeIndex) Articles(ctx context.Context, q index.ArticleQuery) ([]index.ArticleInfo, int, error) {
	leave, err := f.enter(ctx)
	if leave != nil {
		defer leave()
	}
	if err != nil {
		return nil, 0, err
	}
	from := min(q.Offset, len(f.articles))
	return f.articles[from:min(from+max(q.Limit, 10), len(f.articles))], len(f.articles), nil
}

func (f *fakeIndex) Suggest(ctx context.Context, prefix string, limit int) ([]string, error) {
	leave, err := f.enter(ctx)
	if leave != nil {
		defer leave()
	}
	if err != nil {
		return nil, err
	}
	return f.suggestions, nil
}

func (f *fakeIndex) Topic(ctx context.Context, topic string, since time.Time, maxArticles int) ([]index.Sentence, int, error) {
	leave, err := f.enter(ctx)
	if leave != nil {
		defer leave()
	}
	return nil, 0, err
}

func (f *fakeIndex) Stories(ctx context.Context, since time.Time, topic string) ([]index.Story, error) {
	leave, err := f.enter(ctx)
	if leave != nil {
		defer leave()
	}
	return nil, err
}

func (f *fakeIndex) Started() time.Time { return time.Time{} }

var article = index.ArticleInfo{
	ID:        "alaska.md",
	Title:     "Starmer and Zelensky show united front ahead of Trump-Putin summit in Alaska",
	Source:    "seed article",
	Published: time.Date(2025, 8, 14, 9, 0, 0, 0, time.UTC),
}

func answers() []index.Answer {
	texts := []string{
		"The Kremlin said that meeting in Anchorage, Alaska will start at 11:30 am local time.",
		"Putin is expected to use the summit to demand that Ukraine cede parts of the Donbas region.",
		"Trump said there was a 25% chance that the summit would fail.",
	}
	var out []index.Answer
	for _, t := range texts {
		out = append(out, index.Answer{Passage: t, Terms: []string{"summit", "Alaska"}, Article: article})
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newFake(tb testing.TB, opts ...discordtest.Option) *discordtest.Server {
	tb.Helper()
	return discordtest.New(tb, append([]discordtest.Option{discordtest.WithToken(testToken)}, opts...)...)
}

// testConfig returns cfg wired to fake.
func testConfig(tb testing.TB, fake *discordtest.Server, cfg bot.Config) bot.Config {
	tb.Helper()
	client, err := bot.NewHTTPClient(fake.APIBase(), 10*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Token = fake.Token()
	cfg.Client = client
	return cfg
}

// runningBot is a bot connected to a fake Discord.
type runningBot struct {
	bot  *bot.Bot
	fake *discordtest.Server
	logs *syncBuffer
	stop func() error
}

// mustRun starts a bot on fake's gateway and waits until it is ready; the
// bot stops, and Run must return nil, when the test ends.
func mustRun(tb testing.TB, fake *discordtest.Server, cfg bot.Config, idx commands.Index) *runningBot {
	tb.Helper()
	logs := &syncBuffer{}
	b := bot.New(testConfig(tb, fake, cfg), idx, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- b.Run(ctx) }()
	ready := make(chan error, 1)
	go func() {
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		defer wcancel()
		ready <- fake.WaitReady(wctx)
	}()
	select {
	case err := <-ready:
		if err != nil {
			cancel()
			tb.Fatalf("bot not ready: %v\n%s", err, logs)
		}
	case err := <-errc:
		cancel()
		tb.Fatalf("Run returned early: %v\n%s", err, logs)
	}
	var once sync.Once
	var runErr error
	rb := &runningBot{bot: b, fake: fake, logs: logs}
	rb.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-errc:
			case <-time.After(20 * time.Second):
				runErr = errors.New("Run did not return within 20s of cancel")
			}
		})
		return runErr
	}
	tb.Cleanup(func() {
		if err := rb.stop(); err != nil {
			tb.Errorf("Run: %v", err)
		}
	})
	return rb
}

func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

// mustRespond sends ev and returns the bot's first response.
func mustRespond(tb testing.TB, fake *discordtest.Server, ev *discordtest.InteractionEvent) (*discordtest.Interaction, *discordgo.InteractionResponse) {
	tb.Helper()
	it := fake.SendInteraction(ev)
	resp, err := it.WaitResponse(testContext(tb))
	if err != nil {
		tb.Fatalf("no response to %v: %v", ev.Data["name"], err)
	}
	return it, resp
}

// bodiesFor returns the REST requests about interaction it, once there
// are at least n: the fake logs a request after answering it.
func bodiesFor(tb testing.TB, fake *discordtest.Server, it *discordtest.Interaction, n int) []string {
	tb.Helper()
	var out []string
	err := fake.WaitFor(testContext(tb), func() bool {
		out = nil
		for _, r := range fake.Requests() {
			if strings.Contains(r.Path, it.Token) || strings.Contains(r.Path, "/interactions/"+it.ID+"/") {
				out = append(out, r.Method+" "+r.Route+" "+string(r.Body))
			}
		}
		return len(out) >= n
	})
	if err != nil {
		tb.Errorf("%d requests about the interaction, want %d: %q", len(out), n, out)
	}
	return out
}

const noMentions = `"allowed_mentions":{"parse":[]`

func TestRegister(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		appID     string
		guildID   string
		wantAsked bool
	}{
		{name: "global, app ID from Discord", wantAsked: true},
		{name: "guild, app ID configured", appID: discordtest.DefaultApplicationID, guildID: discordtest.DefaultGuildID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			mustRun(t, fake, bot.Config{AppID: tt.appID, GuildID: tt.guildID}, &fakeIndex{})
			var puts, asks int
			for _, r := range fake.Requests() {
				switch r.Route {
				case "PUT /applications/{app}/commands", "PUT /applications/{app}/guilds/{guild}/commands":
					puts++
					if !strings.Contains(r.Path, fake.ApplicationID()) {
						t.Errorf("registered under %s, want the application ID %s", r.Path, fake.ApplicationID())
					}
				case "GET /applications/@me", "GET /oauth2/applications/@me":
					asks++
				}
			}
			if puts != 1 {
				t.Errorf("%d bulk overwrites, want 1", puts)
			}
			if (asks > 0) != tt.wantAsked {
				t.Errorf("asked Discord for the application %d times, want asked=%v", asks, tt.wantAsked)
			}
			cmds := fake.Commands(tt.guildID)
			if len(cmds) != 8 {
				t.Fatalf("%d commands registered in %q, want 8", len(cmds), tt.guildID)
			}
			byName := map[string]*discordgo.ApplicationCommand{}
			for _, c := range cmds {
				byName[c.Name] = c
			}
			ask := byName["ask"]
			if ask == nil || len(ask.Options) != 2 || ask.Options[0].Name != "question" || !ask.Options[0].Required ||
				ask.Options[0].Type != discordgo.ApplicationCommandOptionString || ask.Options[1].Type != discordgo.ApplicationCommandOptionBoolean {
				t.Errorf("/ask registered as %+v", ask)
			}
			if ask != nil && (ask.DefaultMemberPermissions == nil || *ask.DefaultMemberPermissions != discordgo.PermissionSendMessages) {
				t.Errorf("/ask default_member_permissions = %v, want send messages", ask.DefaultMemberPermissions)
			}
			if src := byName["sources"]; src == nil || !src.Options[0].Autocomplete {
				t.Errorf("/sources registered as %+v, want query with autocomplete", src)
			}
			if byName["help"] == nil {
				t.Error("/help not registered")
			}
			for name, perm := range map[string]int64{"summary": discordgo.PermissionManageMessages, "digest": discordgo.PermissionManageGuild, "feeds": discordgo.PermissionManageGuild} {
				if c := byName[name]; c == nil || c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != perm {
					t.Errorf("/%s registered as %+v, want default_member_permissions %d", name, c, perm)
				}
			}
			if u := fake.Unexpected(); len(u) > 0 {
				t.Errorf("unexpected requests: %+v", u)
			}
		})
	}
}

func TestAskOverGateway(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	mustRun(t, fake, bot.Config{}, &fakeIndex{answers: answers()})

	it, resp := mustRespond(t, fake, discordtest.SlashCommand("ask", discordtest.StringOption("question", "When is the summit in Alaska?")))
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Fatalf("response type %d, want a message (4)", resp.Type)
	}
	if resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Error("public question answered privately")
	}
	if len(resp.Data.Embeds) != 1 || !strings.Contains(resp.Data.Embeds[0].Description, "Anchorage, **Alaska** will start") {
		t.Errorf("embeds %+v, want the best passage with Alaska in bold", resp.Data.Embeds)
	}
	bodies := bodiesFor(t, fake, it, 1)
	if len(bodies) != 1 || !strings.Contains(bodies[0], noMentions) {
		t.Errorf("callback bodies %q, want one with %s", bodies, noMentions)
	}

	// More answers, pressed by the asker, updates the message in place.
	var more string
	for _, b := range commands.Buttons(commands.Reply{Components: resp.Data.Components}) {
		if b.Label == "More answers" {
			more = b.CustomID
		}
	}
	if more == "" {
		t.Fatalf("no More answers button in %+v", resp.Data.Components)
	}
	it2, resp2 := mustRespond(t, fake, discordtest.Component(more))
	if resp2.Type != discordgo.InteractionResponseUpdateMessage || len(resp2.Data.Embeds) != 2 {
		t.Errorf("More answers: type %d with %d embeds, want an update (7) with the 2 other passages", resp2.Type, len(resp2.Data.Embeds))
	}
	if b := bodiesFor(t, fake, it2, 1); len(b) != 1 || !strings.Contains(b[0], noMentions) {
		t.Errorf("update bodies %q, want %s", b, noMentions)
	}

	// Someone else pressing it gets the page privately.
	ev := discordtest.Component(more)
	ev.User = &discordgo.User{ID: "1000000000000000099", Username: "other"}
	_, resp3 := mustRespond(t, fake, ev)
	if resp3.Type != discordgo.InteractionResponseChannelMessageWithSource || resp3.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("More answers by someone else: type %d flags %d, want a private message", resp3.Type, resp3.Data.Flags)
	}
}

func TestAnsweredSafely(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	rb := mustRun(t, fake, bot.Config{}, &fakeIndex{answers: answers()})
	panicking := newFake(t)
	mustRun(t, panicking, bot.Config{}, &fakeIndex{panics: true})
	failing := newFake(t)
	mustRun(t, failing, bot.Config{}, &fakeIndex{err: errors.New("secret disk path /var/x is broken")})

	tests := []struct {
		name        string
		fake        *discordtest.Server
		ev          *discordtest.InteractionEvent
		wantPrivate bool
		want        string   // in the content
		wantNot     []string // nowhere in the response
	}{
		{
			name:        "6000-character question",
			fake:        fake,
			ev:          discordtest.SlashCommand("ask", discordtest.StringOption("question", strings.Repeat("why?", 1500))),
			wantPrivate: true,
			want:        "6000 characters long",
		},
		{
			name:    "mentions and markdown",
			fake:    fake,
			ev:      discordtest.SlashCommand("ask", discordtest.StringOption("question", "@everyone @here <@123> <@&456> **summit** [link](https://evil.example) # Alaska")),
			want:    `@` + "\u200b" + `everyone @` + "\u200b" + `here \<@` + "\u200b" + `123\> \<@` + "\u200b" + `&456\> \*\*summit\*\* \[link\]\(https://evil.example\) # Alaska`,
			wantNot: []string{"@everyone", "<@123>", "[link](", "**summit**"},
		},
		{
			name:        "option of the wrong type",
			fake:        fake,
			ev:          discordtest.SlashCommand("ask", discordtest.RawOption("question", discordgo.ApplicationCommandOptionString, 42)),
			wantPrivate: true,
			want:        "I couldn't read the option `question`",
		},
		{
			name:        "boolean that is not",
			fake:        fake,
			ev:          discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?"), discordtest.RawOption("private", discordgo.ApplicationCommandOptionBoolean, "yes please")),
			wantPrivate: true,
			want:        "`private`",
		},
		{
			name:        "unknown command",
			fake:        fake,
			ev:          discordtest.SlashCommand("weather", discordtest.StringOption("city", "Oslo")),
			wantPrivate: true,
			want:        "I don't know that one",
		},
		{
			name:        "unknown button",
			fake:        fake,
			ev:          discordtest.Component("vote:yes"),
			wantPrivate: true,
			want:        "I don't know that one",
		},
		{
			name:        "punctuation only",
			fake:        fake,
			ev:          discordtest.SlashCommand("ask", discordtest.StringOption("question", "?!?")),
			wantPrivate: true,
			want:        "Please ask a question in words",
		},
		{
			name: "in a DM",
			fake: fake,
			ev:   discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")).InDM(),
			want: "**Q:** summit?",
		},
		{
			name:        "handler panics",
			fake:        panicking,
			ev:          discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")),
			wantPrivate: true,
			want:        "Something went wrong",
			wantNot:     []string{"exploded", "panic"},
		},
		{
			name:        "index fails",
			fake:        failing,
			ev:          discordtest.SlashCommand("sources"),
			wantPrivate: true,
			want:        "Something went wrong",
			wantNot:     []string{"/var/x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, resp := mustRespond(t, tt.fake, tt.ev)
			if resp.Type != discordgo.InteractionResponseChannelMessageWithSource {
				t.Fatalf("response type %d, want 4", resp.Type)
			}
			if private := resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0; private != tt.wantPrivate {
				t.Errorf("private = %v, want %v", private, tt.wantPrivate)
			}
			if !strings.Contains(resp.Data.Content, tt.want) {
				t.Errorf("content %q, want %q in it", resp.Data.Content, tt.want)
			}
			all, _ := json.Marshal(resp.Data)
			for _, bad := range tt.wantNot {
				if strings.Contains(resp.Data.Content, bad) || strings.Contains(string(all), bad) {
					t.Errorf("response contains %q: %s", bad, all)
				}
			}
			if b := bodiesFor(t, tt.fake, it, 1); len(b) != 1 || !strings.Contains(b[0], noMentions) {
				t.Errorf("bodies %q, want one with %s", b, noMentions)
			}
		})
	}
	if !strings.Contains(rb.logs.String(), `msg="interaction failed"`) || !strings.Contains(rb.logs.String(), "weather") {
		t.Errorf("unknown command not logged:\n%s", rb.logs)
	}
}

func TestDeferred(t *testing.T) {
	t.Parallel()
	slow := &fakeIndex{answers: answers(), delay: 300 * time.Millisecond}
	fake := newFake(t)
	mustRun(t, fake, bot.Config{DeferAfter: 50 * time.Millisecond}, slow)
	failing := newFake(t)
	mustRun(t, failing, bot.Config{DeferAfter: 50 * time.Millisecond}, &fakeIndex{delay: 300 * time.Millisecond, err: errors.New("boom")})

	t.Run("public answer", func(t *testing.T) {
		it, resp := mustRespond(t, fake, discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")))
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
			t.Fatalf("first response type %d flags %d, want a public deferral (5)", resp.Type, resp.Data.Flags)
		}
		if err := fake.WaitFor(testContext(t), func() bool { return len(it.Edits()) > 0 }); err != nil {
			t.Fatalf("answer never followed: %v", err)
		}
		m := it.Original()
		if len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "Anchorage") {
			t.Errorf("edited answer %+v, want the passage", m.Embeds)
		}
		for _, b := range bodiesFor(t, fake, it, 2)[1:] {
			if !strings.Contains(b, noMentions) {
				t.Errorf("follow-up without %s: %s", noMentions, b)
			}
		}
	})
	t.Run("private answer", func(t *testing.T) {
		it, resp := mustRespond(t, fake, discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?"), discordtest.BooleanOption("private", true)))
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Fatalf("first response type %d flags %d, want a private deferral", resp.Type, resp.Data.Flags)
		}
		if err := fake.WaitFor(testContext(t), func() bool { return len(it.Edits()) > 0 }); err != nil {
			t.Fatalf("answer never followed: %v", err)
		}
	})
	t.Run("public deferral, private failure", func(t *testing.T) {
		it, resp := mustRespond(t, failing, discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")))
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("first response type %d, want 5", resp.Type)
		}
		if err := failing.WaitFor(testContext(t), func() bool { return len(it.Followups()) > 0 }); err != nil {
			t.Fatalf("no follow-up: %v\n%q", err, bodiesFor(t, failing, it, 3))
		}
		f := it.Followups()[0]
		if f.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(f.Content, "Something went wrong") {
			t.Errorf("follow-up %q flags %d, want a private apology", f.Content, f.Flags)
		}
		if it.Original() != nil {
			t.Errorf("the public thinking message was left: %+v", it.Original())
		}
	})
	t.Run("button", func(t *testing.T) {
		it, _ := mustRespond(t, fake, discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")))
		if err := fake.WaitFor(testContext(t), func() bool { return len(it.Edits()) > 0 }); err != nil {
			t.Fatalf("answer never followed: %v", err)
		}
		buttons := commands.Buttons(commands.Reply{Components: it.Original().Components})
		if len(buttons) != 1 {
			t.Fatalf("buttons %+v, want More answers", buttons)
		}
		press, resp := mustRespond(t, fake, discordtest.Component(buttons[0].CustomID))
		if resp.Type != discordgo.InteractionResponseDeferredMessageUpdate {
			t.Fatalf("first response type %d, want a deferred update (6)", resp.Type)
		}
		if err := fake.WaitFor(testContext(t), func() bool { return len(press.Edits()) > 0 }); err != nil {
			t.Fatalf("update never followed: %v", err)
		}
		if m := press.Original(); len(m.Embeds) != 2 {
			t.Errorf("updated message has %d embeds, want the 2 other passages", len(m.Embeds))
		}
	})
}

func TestRateLimitedREST(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	mustRun(t, fake, bot.Config{}, &fakeIndex{answers: answers()})
	fake.RateLimitNext("POST /interactions/", 1, 200*time.Millisecond)
	start := time.Now()
	it, resp := mustRespond(t, fake, discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")))
	if elapsed := time.Since(start); elapsed < 200*time.Millisecond {
		t.Errorf("answered after %v, before retry_after ran out", elapsed)
	}
	if len(resp.Data.Embeds) != 1 {
		t.Errorf("answer after the 429 has %d embeds, want 1", len(resp.Data.Embeds))
	}
	var statuses []int
	fake.WaitFor(testContext(t), func() bool {
		statuses = nil
		for _, r := range fake.Requests() {
			if strings.Contains(r.Path, it.ID) {
				statuses = append(statuses, r.Status)
			}
		}
		return len(statuses) >= 2
	})
	if fmt.Sprint(statuses) != "[429 204]" {
		t.Errorf("callback statuses %v, want [429 204]", statuses)
	}
}

func TestReconnect(t *testing.T) {
	t.Parallel()
	for _, code := range []int{4000, 4009} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			mustRun(t, fake, bot.Config{}, &fakeIndex{answers: answers()})
			mustRespond(t, fake, discordtest.SlashCommand("help"))
			fake.CloseGateway(code)
			_, resp := mustRespond(t, fake, discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")))
			if len(resp.Data.Embeds) != 1 {
				t.Errorf("after reconnecting: %d embeds, want the answer", len(resp.Data.Embeds))
			}
			if fake.Resumes()+fake.Identifies() < 2 {
				t.Errorf("resumes=%d identifies=%d: the bot did not reconnect", fake.Resumes(), fake.Identifies())
			}
		})
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	var many []string
	for n := range 40 {
		many = append(many, fmt.Sprintf("Alaska %d %s", n, strings.Repeat("é", 150)))
	}
	fast := newFake(t)
	mustRun(t, fast, bot.Config{}, &fakeIndex{suggestions: many})
	slow := newFake(t)
	mustRun(t, slow, bot.Config{CompleteTimeout: 100 * time.Millisecond}, &fakeIndex{suggestions: many, delay: 5 * time.Second})

	tests := []struct {
		name string
		fake *discordtest.Server
		want int
	}{
		{name: "suggestions", fake: fast, want: 25},
		{name: "too slow: none, in time", fake: slow, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, resp := mustRespond(t, tt.fake, discordtest.Autocomplete("sources", discordtest.StringOption("query", "ala")))
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("autocomplete took %v", elapsed)
			}
			if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(resp.Data.Choices) != tt.want {
				t.Fatalf("type %d with %d choices, want 8 with %d", resp.Type, len(resp.Data.Choices), tt.want)
			}
			for _, c := range resp.Data.Choices {
				if n := len([]rune(c.Name)); n > 100 || n == 0 {
					t.Errorf("choice name of %d characters", n)
				}
			}
		})
	}
}

func TestShutdownFinishesInFlight(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	rb := mustRun(t, fake, bot.Config{}, &fakeIndex{answers: answers(), delay: 500 * time.Millisecond})
	it := fake.SendInteraction(discordtest.SlashCommand("ask", discordtest.StringOption("question", "summit?")))
	// Let the bot receive it, then stop.
	time.Sleep(100 * time.Millisecond)
	if err := rb.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	resp := it.Response()
	if resp == nil || len(resp.Data.Embeds) != 1 {
		t.Fatalf("interaction in flight at shutdown got %+v, want its answer", resp)
	}
	if !strings.Contains(rb.logs.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", rb.logs)
	}
}

// TestBurst sends 50 interactions in a second from 10 users against a
// limit of 3 per user: every one is answered, 20 are told to wait, nothing
// panics and no goroutine is left behind.
func TestBurst(t *testing.T) {
	fake := newFake(t)
	before := runtime.NumGoroutine()
	idx := &fakeIndex{answers: answers(), delay: 20 * time.Millisecond}
	rb := mustRun(t, fake, bot.Config{AskRate: bot.Rate{N: 3, Per: time.Minute}, MaxSearches: 4, BusyWait: 2 * time.Second}, idx)

	var its []*discordtest.Interaction
	for n := range 50 {
		ev := discordtest.SlashCommand("ask", discordtest.StringOption("question", fmt.Sprint("summit ", n)))
		ev.User = &discordgo.User{ID: fmt.Sprint(2000000000000000000 + n%10), Username: fmt.Sprint("user", n%10)}
		its = append(its, fake.SendInteraction(ev))
		time.Sleep(20 * time.Millisecond)
	}
	answered, limited := 0, 0
	for _, it := range its {
		resp, err := it.WaitResponse(testContext(t))
		if err != nil {
			t.Fatalf("interaction %s not answered: %v", it.ID, err)
		}
		switch {
		case len(resp.Data.Embeds) == 1:
			answered++
		case strings.Contains(resp.Data.Content, "You can ask again <t:"):
			limited++
			if resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
				t.Error("rate limit message is public")
			}
		default:
			t.Errorf("unexpected answer %q", resp.Data.Content)
		}
	}
	if answered != 30 || limited != 20 {
		t.Errorf("%d answered, %d rate limited; want 30 and 20", answered, limited)
	}
	if p := idx.peak.Load(); p > 4 {
		t.Errorf("%d searches at once, over the cap of 4", p)
	}
	if strings.Contains(rb.logs.String(), "panic") {
		t.Errorf("panic in the log:\n%s", rb.logs)
	}
	if err := rb.stop(); err != nil {
		t.Fatal(err)
	}
	settle(t, before)
}

// settle waits for the number of goroutines to come back to before.
func settle(tb testing.TB, before int) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			tb.Errorf("%d goroutines, %d before: leaked\n%s", n, before, buf[:runtime.Stack(buf, true)])
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
