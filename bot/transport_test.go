package bot_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/bot"
	"attache/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// seen is what the test server saw of one request.
type seen struct {
	method, path, requestURI, auth, host string
}

// mustServe starts a server that records every request and answers with an
// empty JSON object.
func mustServe(tb testing.TB) (*httptest.Server, func() []seen) {
	tb.Helper()
	var (
		mu   sync.Mutex
		reqs []seen
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, seen{r.Method, r.URL.Path, r.RequestURI, r.Header.Get("Authorization"), r.Host})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	tb.Cleanup(srv.Close)
	return srv, func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return append([]seen(nil), reqs...)
	}
}

func TestNewHTTPClientRewritesAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		prefix   string // appended to the server URL to make the base
		call     func(s *discordgo.Session) error
		wantURI  string
		wantPath string
	}{
		{
			name:   "api prefix",
			prefix: "/api/v9",
			call: func(s *discordgo.Session) error {
				_, err := s.User("@me")
				return err
			},
			wantURI: "/api/v9/users/@me",
		},
		{
			name:   "trailing slash and query",
			prefix: "/api/v9/",
			call: func(s *discordgo.Session) error {
				_, err := s.ChannelMessages("42", 5, "", "", "")
				return err
			},
			wantURI: "/api/v9/channels/42/messages?limit=5",
		},
		{
			name:   "proxy path prefix",
			prefix: "/proxy/discord",
			call: func(s *discordgo.Session) error {
				_, err := s.ApplicationCommands("7", "8")
				return err
			},
			wantURI: "/proxy/discord/applications/7/guilds/8/commands?with_localizations=true",
		},
		{
			name:   "no path",
			prefix: "",
			call: func(s *discordgo.Session) error {
				_, err := s.Gateway()
				return err
			},
			wantURI: "/gateway",
		},
		{
			name:   "escaped segment",
			prefix: "/api/v9",
			call: func(s *discordgo.Session) error {
				return s.MessageReactionAdd("1", "2", "#️⃣")
			},
			wantURI:  "/api/v9/channels/1/messages/2/reactions/%23%EF%B8%8F%E2%83%A3/@me",
			wantPath: "/api/v9/channels/1/messages/2/reactions/#️⃣/@me",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, requests := mustServe(t)
			client, err := bot.NewHTTPClient(srv.URL+tt.prefix, 5*time.Second)
			if err != nil {
				t.Fatalf("NewHTTPClient: %v", err)
			}
			s, err := discordgo.New("Bot secret")
			if err != nil {
				t.Fatal(err)
			}
			s.Client = client
			// The server answers {} to everything, which some calls cannot decode.
			if err := tt.call(s); err != nil && !errors.Is(err, discordgo.ErrJSONUnmarshal) {
				t.Fatalf("call: %v", err)
			}
			got := requests()
			if len(got) != 1 {
				t.Fatalf("server saw %d requests, want 1: %+v", len(got), got)
			}
			if got[0].requestURI != tt.wantURI {
				t.Errorf("RequestURI=%q, want %q", got[0].requestURI, tt.wantURI)
			}
			if tt.wantPath != "" && got[0].path != tt.wantPath {
				t.Errorf("Path=%q, want %q", got[0].path, tt.wantPath)
			}
			if got[0].auth != "Bot secret" {
				t.Errorf("Authorization=%q, want %q", got[0].auth, "Bot secret")
			}
			if want := strings.TrimPrefix(srv.URL, "http://"); got[0].host != want {
				t.Errorf("Host=%q, want %q", got[0].host, want)
			}
		})
	}
}

func TestNewHTTPClientLeavesOtherURLs(t *testing.T) {
	t.Parallel()
	srv, requests := mustServe(t)
	client, err := bot.NewHTTPClient(srv.URL+"/api/v9", 5*time.Second)
	if err != nil {
		t.Fatalf("NewHTTPClient: %v", err)
	}
	// A URL on the server itself that merely looks like the API path is not
	// rewritten again.
	resp, err := client.Get(srv.URL + "/other/api/v9/x?q=1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	resp.Body.Close()
	got := requests()
	if len(got) != 1 || got[0].requestURI != "/other/api/v9/x?q=1" {
		t.Fatalf("requests=%+v, want one for /other/api/v9/x?q=1", got)
	}
}

func TestNewHTTPClientDefault(t *testing.T) {
	t.Parallel()
	for _, base := range []string{discordgo.EndpointAPI, "https://discord.com/api/v9", "https://DISCORD.com/api/v9/"} {
		client, err := bot.NewHTTPClient(base, 3*time.Second)
		if err != nil {
			t.Fatalf("NewHTTPClient(%q): %v", base, err)
		}
		if client.Transport != nil {
			t.Errorf("NewHTTPClient(%q).Transport=%T, want nil (an ordinary client)", base, client.Transport)
		}
		if client.Timeout != 3*time.Second {
			t.Errorf("NewHTTPClient(%q).Timeout=%v, want 3s", base, client.Timeout)
		}
	}
}

func TestNewHTTPClientTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	client, err := bot.NewHTTPClient(srv.URL+"/api/v9", 50*time.Millisecond)
	if err != nil {
		t.Fatalf("NewHTTPClient: %v", err)
	}
	s, err := discordgo.New("Bot secret")
	if err != nil {
		t.Fatal(err)
	}
	s.Client = client
	_, err = s.User("@me")
	if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Fatalf("User err=%v, want a client timeout", err)
	}
}

func TestNewHTTPClientInvalidBase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, wantErr string
	}{
		{"empty", "", "absolute http or https URL"},
		{"no scheme", "discord.com/api/v9", "absolute http or https URL"},
		{"host and port only", "127.0.0.1:8080", "127.0.0.1:8080"},
		{"relative", "/api/v9", "absolute http or https URL"},
		{"other scheme", "ftp://127.0.0.1/api/v9", "absolute http or https URL"},
		{"websocket", "ws://127.0.0.1/api/v9", "absolute http or https URL"},
		{"no host", "http:///api/v9", "absolute http or https URL"},
		{"opaque", "http:127.0.0.1", "absolute http or https URL"},
		{"user info", "http://user:pass@127.0.0.1/api/v9", "user info"},
		{"query", "http://127.0.0.1/api/v9?x=1", "query or fragment"},
		{"fragment", "http://127.0.0.1/api/v9#x", "query or fragment"},
		{"bad escape", "http://127.0.0.1/api/%zz", "invalid URL escape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, err := bot.NewHTTPClient(tt.base, time.Second)
			if err == nil {
				t.Fatalf("NewHTTPClient(%q)=%v, want error", tt.base, client)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewHTTPClient(%q) err=%q, want it to contain %q", tt.base, err, tt.wantErr)
			}
		})
	}
}

// TestNewHTTPClientWithFakeDiscord wires a real discordgo session to the fake
// Discord the way the bot's end-to-end tests do.
func TestNewHTTPClientWithFakeDiscord(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	s, err := discordgo.New("Bot " + fake.Token())
	if err != nil {
		t.Fatal(err)
	}
	s.Client, err = bot.NewHTTPClient(fake.APIBase(), 10*time.Second)
	if err != nil {
		t.Fatalf("NewHTTPClient: %v", err)
	}
	got := make(chan *discordgo.InteractionCreate, 1)
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })

	it := fake.SendInteraction(discordtest.SlashCommand("ask"))
	var i *discordgo.InteractionCreate
	select {
	case i = <-got:
	case <-time.After(5 * time.Second):
		t.Fatalf("no INTERACTION_CREATE")
	}
	err = s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "hello"},
	})
	if err != nil {
		t.Fatalf("InteractionRespond: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	resp, err := it.WaitResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data.Content != "hello" {
		t.Errorf("Content=%q, want hello", resp.Data.Content)
	}
	if u := fake.Unexpected(); len(u) != 0 {
		t.Errorf("Unexpected=%+v, want none", u)
	}
}
