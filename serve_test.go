package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/bot"
	"attache/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// testToken has the shape of a real bot token.
const testToken = "MTAwMDAwMDAwMDAwMDAwMDAwMg.GhIjKl.abcdefghijklmnopqrstuvwxyzABCDEFGHIJK_-0"

const noMentions = `"allowed_mentions":{"parse":[]`

// syncBuffer collects what run writes, safe for concurrent use.
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

// testEnv is the environment of run in a test: the fake Discord, the test
// corpus, a fresh data folder, and no .env file; extra wins.
func testEnv(tb testing.TB, fake *discordtest.Server, extra map[string]string) func(string) string {
	tb.Helper()
	env := map[string]string{
		"DISCORD_TOKEN":    "Bot " + testToken,
		"DISCORD_API_BASE": fake.APIBase(),
		"ATTACHE_ENV_FILE": filepath.Join(tb.TempDir(), "absent.env"),
		"ATTACHE_CORPUS":   filepath.Join("testdata", "serve"),
		"ATTACHE_DATA":     tb.TempDir(),
		"LOG_FORMAT":       "json",
		"LOG_LEVEL":        "debug",
	}
	maps.Copy(env, extra)
	return func(k string) string { return env[k] }
}

// serving is `attache serve` running in a test.
type serving struct {
	logs *syncBuffer
	stop func() error
}

// mustServe runs `attache serve args…` until the test ends, after waiting
// for it to connect to fake (or, with --http, to listen).
func mustServe(tb testing.TB, fake *discordtest.Server, getenv func(string) string, args ...string) *serving {
	tb.Helper()
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, append([]string{"attache", "serve"}, args...), getenv, strings.NewReader(""), io.Discard, logs)
	}()
	ready := make(chan error, 1)
	go func() {
		wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
		defer wcancel()
		if len(args) > 0 {
			ready <- waitLog(wctx, logs, "serving interactions")
			return
		}
		ready <- fake.WaitReady(wctx)
	}()
	select {
	case err := <-ready:
		if err != nil {
			cancel()
			tb.Fatalf("not ready: %v\n%s", err, logs)
		}
	case err := <-errc:
		cancel()
		tb.Fatalf("run returned early: %v\n%s", err, logs)
	}
	var (
		once   sync.Once
		runErr error
	)
	s := &serving{logs: logs}
	s.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-errc:
			case <-time.After(20 * time.Second):
				runErr = errors.New("run did not return within 20s of cancel")
			}
		})
		return runErr
	}
	tb.Cleanup(func() {
		if err := s.stop(); err != nil {
			tb.Errorf("run: %v", err)
		}
	})
	return s
}

// waitLog waits for a log line with msg.
func waitLog(ctx context.Context, logs *syncBuffer, msg string) error {
	for {
		if strings.Contains(logs.String(), `"msg":"`+msg+`"`) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// logAttr returns attribute key of the first JSON log line with msg.
func logAttr(logs string, msg, key string) string {
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) == nil && line["msg"] == msg {
			return fmt.Sprint(line[key])
		}
	}
	return ""
}

func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

func newFake(tb testing.TB) *discordtest.Server {
	return discordtest.New(tb, discordtest.WithToken(testToken))
}

func respond(tb testing.TB, fake *discordtest.Server, ev *discordtest.InteractionEvent) (*discordtest.Interaction, *discordgo.InteractionResponse) {
	tb.Helper()
	it := fake.SendInteraction(ev)
	resp, err := it.WaitResponse(testContext(tb))
	if err != nil {
		tb.Fatalf("no response: %v", err)
	}
	return it, resp
}

func ask(q string) *discordtest.InteractionEvent {
	return discordtest.SlashCommand("ask", discordtest.StringOption("question", q))
}

// callbackBodies returns the bodies of the accepted first responses to
// it. The fake logs a request after answering it, so wait for the log.
func callbackBodies(tb testing.TB, fake *discordtest.Server, it *discordtest.Interaction) []string {
	var out []string
	fake.WaitFor(testContext(tb), func() bool {
		out = nil
		for _, r := range fake.Requests() {
			if strings.Contains(r.Path, "/interactions/"+it.ID+"/") && r.Status < 300 {
				out = append(out, string(r.Body))
			}
		}
		return len(out) > 0
	})
	return out
}

func TestServeEndToEnd(t *testing.T) {
	fake := newFake(t)
	srv := mustServe(t, fake, testEnv(t, fake, map[string]string{"ATTACHE_ASK_RATE": "100/1m"}))

	t.Run("commands registered in one bulk overwrite", func(t *testing.T) {
		puts := 0
		for _, r := range fake.Requests() {
			if r.Method == http.MethodPut {
				puts++
				if r.Route != "PUT /applications/{app}/commands" {
					t.Errorf("registered with %s, want the global bulk overwrite", r.Route)
				}
			}
		}
		if puts != 1 {
			t.Errorf("%d bulk overwrites, want 1", puts)
		}
		cmds := map[string]*discordgo.ApplicationCommand{}
		for _, c := range fake.Commands("") {
			cmds[c.Name] = c
		}
		tests := []struct {
			name      string
			opts      string // name:type:required, in order
			perms     *int64
			guildOnly bool
		}{
			{name: "ask", opts: "question:3:true private:5:false", perms: ptr(int64(discordgo.PermissionSendMessages))},
			{name: "sources", opts: "query:3:false"},
			{name: "upcoming", opts: "topic:3:false days:4:false private:5:false", perms: ptr(int64(discordgo.PermissionSendMessages))},
			{name: "timeline", opts: "topic:3:true private:5:false", perms: ptr(int64(discordgo.PermissionSendMessages))},
			{name: "summary", opts: "topic:3:true since:3:false channel:7:false", perms: ptr(int64(discordgo.PermissionManageMessages))},
			{name: "digest", opts: "add:1:false list:1:false remove:1:false preview:1:false", perms: ptr(int64(discordgo.PermissionManageGuild)), guildOnly: true},
			{name: "feeds", opts: "add:1:false list:1:false remove:1:false", perms: ptr(int64(discordgo.PermissionManageGuild)), guildOnly: true},
			{name: "help", opts: ""},
		}
		if len(cmds) != len(tests) {
			t.Errorf("%d commands registered, want %d", len(cmds), len(tests))
		}
		for _, tt := range tests {
			c := cmds[tt.name]
			if c == nil {
				t.Errorf("/%s not registered", tt.name)
				continue
			}
			var opts []string
			for _, o := range c.Options {
				opts = append(opts, fmt.Sprintf("%s:%d:%v", o.Name, o.Type, o.Required))
			}
			if got := strings.Join(opts, " "); got != tt.opts {
				t.Errorf("/%s options %q, want %q", tt.name, got, tt.opts)
			}
			if (c.DefaultMemberPermissions == nil) != (tt.perms == nil) || (tt.perms != nil && *c.DefaultMemberPermissions != *tt.perms) {
				t.Errorf("/%s default_member_permissions %v, want %v", tt.name, c.DefaultMemberPermissions, tt.perms)
			}
			if want := map[bool]int{false: 2, true: 1}[tt.guildOnly]; c.Contexts == nil || len(*c.Contexts) != want {
				t.Errorf("/%s contexts %v, want %d (guilds only: %v)", tt.name, c.Contexts, want, tt.guildOnly)
			}
		}
	})

	t.Run("summary previewed, then posted", func(t *testing.T) {
		ev := discordtest.SlashCommand("summary", discordtest.StringOption("topic", "alaska summit"))
		ev.Permissions |= discordgo.PermissionManageMessages
		it, resp := respond(t, fake, ev)
		if resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || len(resp.Data.Embeds) != 1 {
			t.Fatalf("flags %d, %d embeds: want a private preview", resp.Data.Flags, len(resp.Data.Embeds))
		}
		preview := resp.Data.Embeds[0]
		for _, want := range []string{"_From 1 article, 14 Aug 2025._", "Friday’s summit", "Fri 15 Aug 2025", "— seed article, 14 Aug 2025"} {
			if !strings.Contains(preview.Description, want) {
				t.Errorf("summary lacks %q:\n%s", want, preview.Description)
			}
		}
		var button string
		for _, c := range resp.Data.Components {
			for _, b := range c.(*discordgo.ActionsRow).Components {
				button = b.(*discordgo.Button).CustomID
			}
		}
		press := discordtest.Component(button)
		press.Permissions |= discordgo.PermissionManageMessages
		press.Message = it.Original()
		before := len(fake.ChannelMessages(discordtest.DefaultChannelID))
		if _, resp := respond(t, fake, press); !strings.Contains(resp.Data.Content, "Posted in") {
			t.Errorf("press: %q, want posted", resp.Data.Content)
		}
		msgs := fake.ChannelMessages(discordtest.DefaultChannelID)
		if len(msgs) != before+1 || len(msgs[before].Embeds) != 1 || msgs[before].Embeds[0].Description != preview.Description {
			t.Fatalf("channel messages %d → %d, want the previewed summary posted", before, len(msgs))
		}
		var bodies []string
		for _, r := range fake.Requests() {
			if r.Route == "POST /channels/{channel}/messages" {
				bodies = append(bodies, string(r.Body))
			}
		}
		if len(bodies) != 1 || !strings.Contains(bodies[0], noMentions) {
			t.Errorf("posted with %q, want allowed_mentions.parse == []", bodies)
		}
	})

	t.Run("ask answers with the right passage", func(t *testing.T) {
		it, resp := respond(t, fake, ask("What time will the Anchorage meeting start?"))
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || len(resp.Data.Embeds) != 1 {
			t.Fatalf("type %d with %d embeds, want the answer", resp.Type, len(resp.Data.Embeds))
		}
		e := resp.Data.Embeds[0]
		if !strings.Contains(e.Description, "11:30 am local") || !strings.Contains(e.Description, "**") {
			t.Errorf("passage %q, want the Kremlin's start time, question words in bold", e.Description)
		}
		if !strings.HasPrefix(e.Title, "Starmer and Zelensky show united front") || e.Footer == nil || e.Footer.Text != "seed article · 14 Aug 2025" {
			t.Errorf("title %q footer %+v, want the article's", e.Title, e.Footer)
		}
		if b := callbackBodies(t, fake, it); len(b) != 1 || !strings.Contains(b[0], noMentions) {
			t.Errorf("callback %q, want allowed_mentions.parse == []", b)
		}
	})

	tests := []struct {
		name        string
		ev          *discordtest.InteractionEvent
		want        string
		wantNot     string
		wantPrivate bool
	}{
		{name: "6000-character question", ev: ask(strings.Repeat("why?", 1500)), want: "6000 characters long", wantPrivate: true},
		{name: "mentions and markdown", ev: ask("@everyone <@123> when is the **summit** in [Alaska](https://evil.example)?"), want: "@\u200beveryone \\<@\u200b123\\> when is the \\*\\*summit\\*\\* in \\[Alaska\\]\\(https://evil.example\\)?", wantNot: "@everyone"},
		{name: "option of the wrong type", ev: discordtest.SlashCommand("ask", discordtest.RawOption("question", discordgo.ApplicationCommandOptionString, true)), want: "I couldn't read the option", wantPrivate: true},
		{name: "unknown command", ev: discordtest.SlashCommand("forecast"), want: "I don't know that one", wantPrivate: true},
		{name: "nothing answers", ev: ask("who won the 1966 world cup final?"), want: "I couldn't find that in the articles I have"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, resp := respond(t, fake, tt.ev)
			if !strings.Contains(resp.Data.Content, tt.want) {
				t.Errorf("content %q, want %q", resp.Data.Content, tt.want)
			}
			if tt.wantNot != "" && strings.Contains(resp.Data.Content, tt.wantNot) {
				t.Errorf("content %q contains %q", resp.Data.Content, tt.wantNot)
			}
			if private := resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0; private != tt.wantPrivate {
				t.Errorf("private = %v, want %v", private, tt.wantPrivate)
			}
			if b := callbackBodies(t, fake, it); len(b) != 1 || !strings.Contains(b[0], noMentions) {
				t.Errorf("callback %q, want allowed_mentions.parse == []", b)
			}
		})
	}

	t.Run("429 waited out", func(t *testing.T) {
		fake.RateLimitNext("POST /interactions/", 1, 300*time.Millisecond)
		start := time.Now()
		_, resp := respond(t, fake, ask("What time will the Anchorage meeting start?"))
		if time.Since(start) < 300*time.Millisecond || len(resp.Data.Embeds) != 1 {
			t.Errorf("answered after %v with %d embeds, want the answer after retry_after", time.Since(start), len(resp.Data.Embeds))
		}
	})

	t.Run("gateway closes mid-session", func(t *testing.T) {
		before := fake.Resumes() + fake.Identifies()
		fake.CloseGateway(4000)
		_, resp := respond(t, fake, ask("What time will the Anchorage meeting start?"))
		if len(resp.Data.Embeds) != 1 {
			t.Errorf("after reconnecting: %+v, want the answer", resp.Data)
		}
		if fake.Resumes()+fake.Identifies() <= before {
			t.Error("the bot did not reconnect")
		}
	})

	if err := srv.stop(); err != nil {
		t.Fatalf("run after cancel: %v, want nil", err)
	}
	if !strings.Contains(srv.logs.String(), `"msg":"shutting down"`) {
		t.Errorf("no shutdown logged:\n%s", srv.logs)
	}
}

func ptr[T any](v T) *T { return &v }

// TestServeFeeds runs serve with a feed in ATTACHE_FEEDS: it is added at
// start, read into the corpus folder, and listed by /feeds. Only the
// server of DISCORD_GUILD_ID may remove it.
func TestServeFeeds(t *testing.T) {
	text := strings.Repeat("Arctic Council ministers agreed in Tromso on Monday to a new search-and-rescue pact for polar waters. ", 8)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Polar Wire</title>
<item><title>Arctic ministers agree rescue pact</title><link>http://%s/tromso</link><guid>t1</guid><pubDate>Mon, 01 Jun 2026 09:00:00 GMT</pubDate><description>%s</description></item>
</channel></rss>`, r.Host, text)
	}))
	defer feed.Close()
	dir := t.TempDir()
	fake := newFake(t)
	mustServe(t, fake, testEnv(t, fake, map[string]string{
		"ATTACHE_CORPUS":              dir,
		"ATTACHE_FEEDS":               feed.URL + "/rss",
		"ATTACHE_ALLOW_PRIVATE_FEEDS": "true",
		"ATTACHE_LOG_CHANNEL_ID":      discordtest.DefaultChannelID,
		"DISCORD_GUILD_ID":            discordtest.DefaultGuildID,
	}))

	err := fake.WaitFor(testContext(t), func() bool {
		files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, f := range files {
			if b, _ := os.ReadFile(f); strings.Contains(string(b), "search-and-rescue pact") {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("the feed's item was not written into the corpus folder: %v", err)
	}
	ev := discordtest.SlashCommand("feeds", discordtest.SubCommand("list"))
	ev.Permissions |= discordgo.PermissionManageGuild
	_, resp := respond(t, fake, ev)
	if len(resp.Data.Embeds) != 1 || !strings.Contains(resp.Data.Embeds[0].Description, "**#1** [Polar Wire]") {
		t.Errorf("/feeds list: %q %+v, want the feed from ATTACHE_FEEDS", resp.Data.Content, resp.Data.Embeds)
	}
	ev = discordtest.SlashCommand("feeds", discordtest.SubCommand("remove", discordtest.StringOption("id", "1")))
	ev.Permissions |= discordgo.PermissionManageGuild
	ev.GuildID, ev.ChannelID = "2000000000000000001", ""
	if _, resp := respond(t, fake, ev); !strings.Contains(resp.Data.Content, "changed only from my home server, and this isn't it") {
		t.Errorf("/feeds remove in another server: %q, want it refused", resp.Data.Content)
	}
	ev = discordtest.SlashCommand("feeds", discordtest.SubCommand("list"))
	ev.Permissions |= discordgo.PermissionManageGuild
	if _, resp := respond(t, fake, ev); len(resp.Data.Embeds) != 1 || !strings.Contains(resp.Data.Embeds[0].Description, "**#1** [Polar Wire]") {
		t.Errorf("/feeds list after a refused remove: %q %+v, want the feed still there", resp.Data.Content, resp.Data.Embeds)
	}
}

// TestServeFeedsGuild reads the feeds' home server: ATTACHE_FEEDS_GUILD_ID,
// else DISCORD_GUILD_ID, else none.
func TestServeFeedsGuild(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{name: "neither", want: ""},
		{name: "the commands' server", env: map[string]string{"DISCORD_GUILD_ID": "11"}, want: "11"},
		{name: "its own", env: map[string]string{"DISCORD_GUILD_ID": "11", "ATTACHE_FEEDS_GUILD_ID": "22"}, want: "22"},
		{name: "alone", env: map[string]string{"ATTACHE_FEEDS_GUILD_ID": " 22 "}, want: "22"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"DISCORD_TOKEN": testToken}
			maps.Copy(env, tt.env)
			cfg, err := bot.ReadConfig(func(k string) string { return env[k] }, false)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.FeedsGuildID != tt.want {
				t.Errorf("FeedsGuildID=%q, want %q", cfg.FeedsGuildID, tt.want)
			}
		})
	}
	_, err := bot.ReadConfig(func(k string) string {
		return map[string]string{"DISCORD_TOKEN": testToken, "ATTACHE_FEEDS_GUILD_ID": "#mods"}[k]
	}, false)
	if err == nil || !strings.Contains(err.Error(), `ATTACHE_FEEDS_GUILD_ID "#mods" is not a Discord ID`) {
		t.Errorf("err=%v, want ATTACHE_FEEDS_GUILD_ID refused", err)
	}
}

func TestServeDeferred(t *testing.T) {
	fake := newFake(t)
	// A deferral after 0s is what a slow search gets after 1.5s.
	mustServe(t, fake, testEnv(t, fake, map[string]string{"ATTACHE_DEFER_AFTER": "0s"}))
	it, resp := respond(t, fake, ask("What time will the Anchorage meeting start?"))
	if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("first response type %d, want a deferral (5)", resp.Type)
	}
	if err := fake.WaitFor(testContext(t), func() bool { return len(it.Edits()) > 0 }); err != nil {
		t.Fatalf("no follow-up: %v", err)
	}
	m := it.Original()
	if len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "11:30 am") {
		t.Errorf("followed up with %+v, want the passage", m.Embeds)
	}
}

// TestServeBurst sends 50 interactions in one second from 10 users with a
// limit of 3 asks a minute each: all are answered, 20 are told to wait,
// nothing panics, and once run returns no goroutine is left.
func TestServeBurst(t *testing.T) {
	// os/signal starts one watcher goroutine per process, on first use;
	// start it before counting.
	_, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	stop()
	fake := newFake(t)
	before := runtime.NumGoroutine()
	srv := mustServe(t, fake, testEnv(t, fake, map[string]string{"ATTACHE_ASK_RATE": "3/1m", "ATTACHE_MAX_SEARCHES": "2"}))

	var its []*discordtest.Interaction
	for n := range 50 {
		ev := ask(fmt.Sprint("What time will the Anchorage meeting start? ", n))
		ev.User = &discordgo.User{ID: strconv.Itoa(2000000000000000000 + n%10), Username: fmt.Sprint("user", n%10)}
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
		case strings.Contains(resp.Data.Content, "You can ask again <t:") && resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0:
			limited++
		default:
			t.Errorf("unexpected answer %+v", resp.Data)
		}
	}
	if answered != 30 || limited != 20 {
		t.Errorf("%d answered and %d rate limited, want 30 and 20", answered, limited)
	}
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(srv.logs.String(), "panic") {
		t.Errorf("panic logged:\n%s", srv.logs)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after run returned, %d before\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestServeSettings(t *testing.T) {
	fake := newFake(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{name: "no token", env: map[string]string{"DISCORD_TOKEN": ""}, want: []string{"DISCORD_TOKEN is not set", "Developer Portal", "Bot → Reset Token", "go run . console", `go run . ask "`}},
		{name: "malformed token", env: map[string]string{"DISCORD_TOKEN": "Bot not-a-token"}, want: []string{"does not look like a bot token", "Reset Token", "go run . console"}},
		{name: "every problem at once", env: map[string]string{"DISCORD_TOKEN": "", "ATTACHE_ASK_RATE": "lots", "DISCORD_GUILD_ID": "my server", "ATTACHE_MAX_SEARCHES": "0"}, want: []string{"DISCORD_TOKEN", "ATTACHE_ASK_RATE", "DISCORD_GUILD_ID", "ATTACHE_MAX_SEARCHES"}},
		{name: "digest grace and log channel", env: map[string]string{"ATTACHE_DIGEST_GRACE": "soon", "ATTACHE_LOG_CHANNEL_ID": "#mods"}, want: []string{"ATTACHE_DIGEST_GRACE \"soon\"", "ATTACHE_LOG_CHANNEL_ID \"#mods\" is not a Discord ID"}},
		{name: "http without a public key", args: []string{"--http", "127.0.0.1:0"}, want: []string{"DISCORD_PUBLIC_KEY is required with --http"}},
		{name: "bad public key", env: map[string]string{"DISCORD_PUBLIC_KEY": "abc"}, args: []string{"--http", "127.0.0.1:0"}, want: []string{"DISCORD_PUBLIC_KEY: public key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			start := time.Now()
			err := run(testContext(t), append([]string{"attache", "serve"}, tt.args...), testEnv(t, fake, tt.env), strings.NewReader(""), io.Discard, &stderr)
			if err == nil {
				t.Fatal("run succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "not-a-token") {
				t.Errorf("error %q echoes the token", err)
			}
			if time.Since(start) > time.Second {
				t.Errorf("took %v to refuse", time.Since(start))
			}
		})
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests to Discord with bad settings, want none", n)
	}
}

func TestServeDotEnv(t *testing.T) {
	fake := newFake(t)
	dir := t.TempDir()
	envFile := filepath.Join(dir, ".env")
	// The file has the token and a guild; the real environment's API base
	// wins over the file's.
	content := "DISCORD_TOKEN=" + testToken + "\nDISCORD_GUILD_ID=" + discordtest.DefaultGuildID + "\nDISCORD_API_BASE=http://127.0.0.1:1/api/v9\n"
	if err := os.WriteFile(envFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	mustServe(t, fake, testEnv(t, fake, map[string]string{"DISCORD_TOKEN": "", "ATTACHE_ENV_FILE": envFile}))
	if n := len(fake.Commands(discordtest.DefaultGuildID)); n != 8 {
		t.Errorf("%d commands in the guild from .env, want 8", n)
	}
	if os.Getenv("DISCORD_GUILD_ID") != "" {
		t.Error("the .env file changed the process environment")
	}
}

func TestServeHTTP(t *testing.T) {
	fake := newFake(t)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srv := mustServe(t, fake, testEnv(t, fake, map[string]string{"DISCORD_PUBLIC_KEY": hex.EncodeToString(pub)}), "--http", "127.0.0.1:0")
	url := "http://" + logAttr(srv.logs.String(), "serving interactions", "addr") + "/"

	interaction := func(typ int, data any) []byte {
		b, _ := json.Marshal(map[string]any{
			"id": "1300000000000000001", "application_id": fake.ApplicationID(), "type": typ, "token": "tok", "version": 1,
			"channel_id": discordtest.DefaultChannelID, "user": map[string]any{"id": discordtest.DefaultUserID, "username": "tester"},
			"data": data,
		})
		return b
	}
	askBody := interaction(2, map[string]any{"name": "ask", "type": 1, "options": []any{map[string]any{"name": "question", "type": 3, "value": "What time will the Anchorage meeting start?"}}})
	sign := func(key ed25519.PrivateKey, body []byte) http.Header {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		h := http.Header{"Content-Type": {"application/json"}}
		h.Set("X-Signature-Timestamp", ts)
		h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
		return h
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name     string
		body     []byte
		headers  http.Header
		want     int
		wantBody string
	}{
		{name: "ping", body: interaction(1, nil), headers: sign(priv, interaction(1, nil)), want: 200, wantBody: `{"type":1}`},
		{name: "ask", body: askBody, headers: sign(priv, askBody), want: 200, wantBody: "11:30 am local"},
		{name: "wrong key", body: askBody, headers: sign(other, askBody), want: 401},
		{name: "unsigned", body: askBody, headers: http.Header{}, want: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(tt.body))
			req.Header = tt.headers
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("%d %s, want %d with %q", resp.StatusCode, body, tt.want, tt.wantBody)
			}
		})
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestConsole(t *testing.T) {
	var stdout, stderr syncBuffer
	in := "/help\nwhen is the summit in Alaska?\n/more\n/sources alaska\n/ask question:\"@everyone hi\" private:true\n"
	getenv := func(k string) string {
		return map[string]string{
			"ATTACHE_ENV_FILE": filepath.Join(t.TempDir(), "absent.env"),
			"ATTACHE_CORPUS":   filepath.Join("testdata", "serve"),
			"ATTACHE_DATA":     t.TempDir(),
		}[k]
	}
	if err := run(testContext(t), []string{"attache", "console"}, getenv, strings.NewReader(in), &stdout, &stderr); err != nil {
		t.Fatalf("run console: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"What I can do",
		"The Kremlin said that",
		"11:30 am local",
		"— seed article · 14 Aug 2025",
		"[1] More answers",
		"[1] Previous",
		"Articles matching your search",
		"(only you can see this)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
}
