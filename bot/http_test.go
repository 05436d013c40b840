package bot_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"attache/bot"
	"attache/bot/discordtest"
	"attache/commands"

	"github.com/bwmarrin/discordgo"
)

// httpBot is a bot serving the interactions endpoint.
type httpBot struct {
	url  string
	key  ed25519.PrivateKey
	logs *syncBuffer
	stop func() error
}

// mustServeHTTP starts a bot in HTTP mode, registering with fake, and
// stops it when the test ends.
func mustServeHTTP(tb testing.TB, fake *discordtest.Server, cfg bot.Config, idx commands.Index) *httpBot {
	tb.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	cfg = testConfig(tb, fake, cfg)
	cfg.PublicKey = pub
	logs := &syncBuffer{}
	b := bot.New(cfg, idx, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() { errc <- b.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrs <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case err := <-errc:
		cancel()
		tb.Fatalf("ListenAndServe: %v\n%s", err, logs)
	}
	stopped := false
	var runErr error
	hb := &httpBot{url: "http://" + addr.String() + "/interactions", key: priv, logs: logs}
	hb.stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			runErr = <-errc
		}
		return runErr
	}
	tb.Cleanup(func() {
		if err := hb.stop(); err != nil {
			tb.Errorf("ListenAndServe: %v", err)
		}
	})
	return hb
}

// signed returns the headers of a request signed by key at ts.
func signed(key ed25519.PrivateKey, ts time.Time, body []byte) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	h := http.Header{}
	h.Set("X-Signature-Timestamp", stamp)
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	h.Set("Content-Type", "application/json")
	return h
}

func post(tb testing.TB, client *http.Client, url string, h http.Header, body []byte) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header = h
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, data
}

// interactionJSON is an interaction as Discord posts it.
func interactionJSON(tb testing.TB, typ discordgo.InteractionType, data map[string]any) []byte {
	tb.Helper()
	body, err := json.Marshal(map[string]any{
		"id":             "1300000000000000001",
		"application_id": discordtest.DefaultApplicationID,
		"type":           typ,
		"token":          "interaction-token-1",
		"version":        1,
		"guild_id":       discordtest.DefaultGuildID,
		"channel_id":     discordtest.DefaultChannelID,
		"member": map[string]any{
			"user":        map[string]any{"id": discordtest.DefaultUserID, "username": "tester"},
			"permissions": "2147483648",
		},
		"data": data,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

func askData(q string) map[string]any {
	return map[string]any{"id": "1", "name": "ask", "type": 1, "options": []any{
		map[string]any{"name": "question", "type": 3, "value": q},
	}}
}

func TestHTTPSignatures(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	hb := mustServeHTTP(t, fake, bot.Config{}, &fakeIndex{answers: answers()})
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	client := &http.Client{Timeout: 10 * time.Second}

	ping := interactionJSON(t, discordgo.InteractionPing, nil)
	ask := interactionJSON(t, discordgo.InteractionApplicationCommand, askData("when is the summit?"))
	now := time.Now()
	tampered := bytes.Replace(ask, []byte("summit"), []byte("summat"), 1)

	tests := []struct {
		name     string
		headers  http.Header
		body     []byte
		want     int
		wantBody string
	}{
		{name: "ping", headers: signed(hb.key, now, ping), body: ping, want: 200, wantBody: `{"type":1}`},
		{name: "command", headers: signed(hb.key, now, ask), body: ask, want: 200, wantBody: `"allowed_mentions":{"parse":[]`},
		{name: "tampered body", headers: signed(hb.key, now, ask), body: tampered, want: 401},
		{name: "wrong key", headers: signed(otherKey, now, ask), body: ask, want: 401},
		{name: "missing headers", headers: http.Header{}, body: ask, want: 401},
		{name: "missing timestamp", headers: func() http.Header { h := signed(hb.key, now, ask); h.Del("X-Signature-Timestamp"); return h }(), body: ask, want: 401},
		{name: "signature not hex", headers: func() http.Header { h := signed(hb.key, now, ask); h.Set("X-Signature-Ed25519", "zz"); return h }(), body: ask, want: 401},
		{name: "stale timestamp", headers: signed(hb.key, now.Add(-6*time.Minute), ask), body: ask, want: 401},
		{name: "future timestamp", headers: signed(hb.key, now.Add(6*time.Minute), ask), body: ask, want: 401},
		{name: "timestamp within 5 minutes", headers: signed(hb.key, now.Add(-4*time.Minute), ping), body: ping, want: 200},
		{name: "too large", headers: signed(hb.key, now, bytes.Repeat([]byte(" "), 70<<10)), body: bytes.Repeat([]byte(" "), 70<<10), want: 413},
		{name: "not JSON", headers: signed(hb.key, now, []byte("{oops")), body: []byte("{oops"), want: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, client, hb.url, tt.headers, tt.body)
			if status != tt.want {
				t.Fatalf("status %d, want %d (body %s)", status, tt.want, body)
			}
			if !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("body %s, want %s in it", body, tt.wantBody)
			}
		})
	}

	resp, err := client.Get(hb.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
}

func TestHTTPAnswer(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	hb := mustServeHTTP(t, fake, bot.Config{}, &fakeIndex{answers: answers(), suggestions: []string{"Alaska", "Anchorage"}})
	client := &http.Client{Timeout: 10 * time.Second}

	ask := interactionJSON(t, discordgo.InteractionApplicationCommand, askData("@everyone when is the summit?"))
	status, body := post(t, client, hb.url, signed(hb.key, time.Now(), ask), ask)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var resp struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			Content string                    `json:"content"`
			Embeds  []*discordgo.MessageEmbed `json:"embeds"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || len(resp.Data.Embeds) != 1 {
		t.Errorf("response type %d with %d embeds, want the answer as a message", resp.Type, len(resp.Data.Embeds))
	}
	if strings.Contains(resp.Data.Content, "@everyone") {
		t.Errorf("content %q echoes @everyone", resp.Data.Content)
	}

	ac := interactionJSON(t, discordgo.InteractionApplicationCommandAutocomplete, map[string]any{"id": "2", "name": "sources", "type": 1, "options": []any{
		map[string]any{"name": "query", "type": 3, "value": "a", "focused": true},
	}})
	status, body = post(t, client, hb.url, signed(hb.key, time.Now(), ac), ac)
	if status != 200 || string(body) != `{"type":8,"data":{"choices":[{"name":"Alaska","value":"Alaska"},{"name":"Anchorage","value":"Anchorage"}]}}` {
		t.Errorf("autocomplete: %d %s", status, body)
	}

	// Registration went to the fake, once.
	puts := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPut {
			puts++
		}
	}
	if puts != 1 || len(fake.Commands("")) != 8 {
		t.Errorf("%d bulk overwrites, %d commands; want 1 and 8", puts, len(fake.Commands("")))
	}
}

func TestHTTPDeferred(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	hb := mustServeHTTP(t, fake, bot.Config{DeferAfter: 50 * time.Millisecond}, &fakeIndex{answers: answers(), delay: 300 * time.Millisecond})
	client := &http.Client{Timeout: 10 * time.Second}

	ask := interactionJSON(t, discordgo.InteractionApplicationCommand, askData("summit?"))
	status, body := post(t, client, hb.url, signed(hb.key, time.Now(), ask), ask)
	if status != 200 || !strings.HasPrefix(string(body), `{"type":5`) {
		t.Fatalf("first response %d %s, want a deferral", status, body)
	}
	// The answer follows over REST, as an edit of the original response.
	// The fake does not know this interaction, so it answers 404; what
	// matters here is what the bot sent.
	var edit *discordtest.Request
	err := fake.WaitFor(testContext(t), func() bool {
		for _, r := range fake.Requests() {
			if r.Method == http.MethodPatch && strings.Contains(r.Path, "/webhooks/"+discordtest.DefaultApplicationID+"/interaction-token-1/messages/@original") {
				edit = &r
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no edit of the original response: %v", err)
	}
	if !strings.Contains(string(edit.Body), "Anchorage") || !strings.Contains(string(edit.Body), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("edit body %s, want the answer without mentions", edit.Body)
	}
}

func TestHTTPShutdown(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	hb := mustServeHTTP(t, fake, bot.Config{}, &fakeIndex{answers: answers(), delay: 400 * time.Millisecond})
	client := &http.Client{Timeout: 10 * time.Second}
	ask := interactionJSON(t, discordgo.InteractionApplicationCommand, askData("summit?"))
	done := make(chan int, 1)
	go func() {
		status, _ := post(t, client, hb.url, signed(hb.key, time.Now(), ask), ask)
		done <- status
	}()
	time.Sleep(100 * time.Millisecond)
	if err := hb.stop(); err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
	if status := <-done; status != 200 {
		t.Errorf("request in flight at shutdown: status %d, want 200", status)
	}
	if _, err := client.Post(hb.url, "application/json", nil); err == nil {
		t.Error("server still takes requests after shutdown")
	}
}
