package bot_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"attache/bot"
	"attache/bot/discordtest"
	"attache/commands"
	"attache/commands/schedule"
	"attache/corpus"
	"attache/corpus/events"

	"github.com/bwmarrin/discordgo"
)

// mustDevCalendar reads the events of testdata/dev.
func mustDevCalendar(tb testing.TB) *events.Book {
	tb.Helper()
	arts, problems, err := corpus.Load("testdata/dev")
	if err != nil || len(problems) > 0 {
		tb.Fatalf("load testdata/dev: %v %v", err, problems)
	}
	b := events.New()
	b.Sync(arts)
	return b
}

// uploads returns the files of the multipart requests about interaction
// it, by name.
func uploads(tb testing.TB, fake *discordtest.Server, it *discordtest.Interaction) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	for _, r := range fake.Requests() {
		if !strings.Contains(r.Path, it.Token) && !strings.Contains(r.Path, "/interactions/"+it.ID+"/") {
			continue
		}
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			continue
		}
		mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(p)
			if p.FileName() != "" {
				out[p.FileName()] = data
			} else if p.FormName() == "payload_json" && !bytes.Contains(data, []byte(noMentions)) {
				tb.Errorf("payload_json %s, want %s", data, noMentions)
			}
		}
	}
	return out
}

func TestUpcomingOverGateway(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	// As of 1 April 2026, the development articles announce six events
	// within 60 days: two pages.
	now := func() time.Time { return time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC) }
	mustRun(t, fake, bot.Config{Calendar: mustDevCalendar(t), Now: now}, mustOpenDevIndex(t))

	it, resp := mustRespond(t, fake, discordtest.SlashCommand("upcoming", discordtest.IntegerOption("days", 60)))
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Fatalf("response type %d flags %d, want a public message", resp.Type, resp.Data.Flags)
	}
	if len(resp.Data.Embeds) != 1 {
		t.Fatalf("embeds %+v, want one", resp.Data.Embeds)
	}
	desc := resp.Data.Embeds[0].Description
	for _, want := range []string{"<t:", ":D>", "Foreign ministers of the Association of Southeast Asian Nations to open a two-day meeting", "Jakarta", "fixtures.invalid"} {
		if !strings.Contains(desc, want) {
			t.Errorf("first page lacks %q:\n%s", want, desc)
		}
	}
	if b := bodiesFor(t, fake, it, 1); !strings.Contains(b[0], noMentions) {
		t.Errorf("body %q, want %s", b[0], noMentions)
	}
	buttons := map[string]string{}
	for _, b := range commands.Buttons(commands.Reply{Components: resp.Data.Components}) {
		buttons[b.Label] = b.CustomID
	}
	if buttons["Next"] == "" || buttons["Calendar file"] == "" || buttons["Previous"] != "" {
		t.Fatalf("buttons %v, want Next and Calendar file", buttons)
	}

	// Next turns the page in place: the Sudan talks, moved to Muscat.
	it2, resp2 := mustRespond(t, fake, discordtest.Component(buttons["Next"]))
	if resp2.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("Next: response type %d, want an update (7)", resp2.Type)
	}
	if d := resp2.Data.Embeds[0].Description; !strings.Contains(d, "Muscat") || !strings.Contains(d, "moved; was") {
		t.Errorf("second page lacks the moved talks:\n%s", d)
	}
	if b := bodiesFor(t, fake, it2, 1); !strings.Contains(b[0], noMentions) {
		t.Errorf("update body %q, want %s", b[0], noMentions)
	}

	// Calendar file sends the listed events, privately, as an .ics file.
	it3 := fake.SendInteraction(discordtest.Component(buttons["Calendar file"]))
	if _, err := it3.WaitResponse(testContext(t)); err != nil {
		t.Fatalf("no response to Calendar file: %v", err)
	}
	var files map[string][]byte
	err := fake.WaitFor(testContext(t), func() bool {
		files = uploads(t, fake, it3)
		return len(files) > 0
	})
	if err != nil {
		t.Fatalf("no file uploaded: %v", err)
	}
	ics := files["attache-upcoming.ics"]
	if !bytes.HasPrefix(ics, []byte("BEGIN:VCALENDAR\r\n")) || bytes.Count(ics, []byte("BEGIN:VEVENT")) != 6 || !bytes.Contains(ics, []byte("LOCATION:Muscat")) {
		t.Fatalf("calendar file %q, want the 6 events listed", ics)
	}
	var followup *discordgo.Message
	for _, m := range it3.Followups() {
		followup = m
	}
	if followup == nil || followup.Flags&discordgo.MessageFlagsEphemeral == 0 || len(followup.Attachments) != 1 {
		t.Fatalf("follow-up %+v, want a private message with the file attached", followup)
	}
	for _, r := range fake.Unexpected() {
		if r.Status != http.StatusNotFound {
			continue
		}
		t.Errorf("unexpected request %s %s", r.Method, r.Path)
	}
}

func TestTimelineOverGateway(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	mustRun(t, fake, bot.Config{Calendar: mustDevCalendar(t)}, mustOpenDevIndex(t))
	it, resp := mustRespond(t, fake, discordtest.SlashCommand("timeline", discordtest.StringOption("topic", "sudan ceasefire talks"), discordtest.BooleanOption("private", true)))
	if resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || len(resp.Data.Embeds) != 1 {
		t.Fatalf("response %+v, want a private embed", resp.Data)
	}
	d := resp.Data.Embeds[0].Description
	if !strings.Contains(d, "postponed until Thursday") || strings.Contains(d, "will meet in Doha on Tuesday") {
		t.Errorf("timeline, want the newest report's version of the talks:\n%s", d)
	}
	if b := bodiesFor(t, fake, it, 1); !strings.Contains(b[0], noMentions) {
		t.Errorf("body %q, want %s", b[0], noMentions)
	}
}

// TestUpcomingOverHTTP presses Calendar file on the interactions endpoint,
// whose HTTP response is JSON alone: the file follows over REST.
func TestUpcomingOverHTTP(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	// The development articles are of 2026: the bot's clock, and so the
	// requests' signatures, are of the spring.
	now := func() time.Time { return time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC) }
	hb := mustServeHTTP(t, fake, bot.Config{Calendar: mustDevCalendar(t), Now: now}, mustOpenDevIndex(t))
	client := &http.Client{Timeout: 10 * time.Second}

	up := interactionJSON(t, discordgo.InteractionApplicationCommand, map[string]any{"id": "1", "name": "upcoming", "type": 1, "options": []any{
		map[string]any{"name": "days", "type": 4, "value": 366},
	}})
	status, body := post(t, client, hb.url, signed(hb.key, now(), up), up)
	m := regexp.MustCompile(`"custom_id":"(up:[^"]+:ics)"`).FindSubmatch(body)
	if status != 200 || m == nil || !bytes.Contains(body, []byte(noMentions)) {
		t.Fatalf("/upcoming: %d %s, want a list with a Calendar file button", status, body)
	}
	calendar := string(m[1])
	press := interactionJSON(t, discordgo.InteractionMessageComponent, map[string]any{"custom_id": calendar, "component_type": 2})
	status, body = post(t, client, hb.url, signed(hb.key, now(), press), press)
	if status != 200 || !strings.HasPrefix(string(body), `{"type":6`) {
		t.Fatalf("Calendar file: first response %d %s, want a deferred update", status, body)
	}
	err := fake.WaitFor(testContext(t), func() bool {
		for _, r := range fake.Requests() {
			if r.Method == http.MethodPost && strings.Contains(r.Path, "/webhooks/"+discordtest.DefaultApplicationID+"/interaction-token-1") &&
				strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") && bytes.Contains(r.Body, []byte("BEGIN:VCALENDAR")) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no follow-up with the calendar file: %v", err)
	}
}

func TestDigestComingUp(t *testing.T) {
	t.Parallel()
	at := slotAt.Add(-3 * time.Hour)
	arts := []corpus.Article{{
		ID: "vienna.md", Title: "Austria and Chile to hold water talks in Vienna", Source: "Test Wire", Published: at, Hash: "1",
		Paragraphs: []string{"Negotiators from Austria and Chile will meet in Vienna on Thursday for talks on water sharing, officials said."},
	}}
	book := events.New()
	book.Sync(arts)
	ix := mustIndex(t, arts)
	fake := newFake(t)
	news := textChannel(fake, "news")
	clock := schedule.NewFakeClock(slotAt.Add(-time.Hour))
	store := mustOpenStore(t, "", clock)
	spec, _ := schedule.ParseSpec("07:30", "UTC", "")
	if _, err := store.Add(context.Background(), schedule.Digest{GuildID: discordtest.DefaultGuildID, ChannelID: news, Spec: spec}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, fake, bot.Config{Digests: store, Clock: clock, Calendar: book}, ix)
	fireAt(t, clock, slotAt)
	waitSlot(t, fake, store, "d1", "2026-03-02")
	msgs := fake.ChannelMessages(news)
	if len(msgs) == 0 {
		t.Fatal("no digest posted")
	}
	last := msgs[len(msgs)-1].Embeds[0].Description
	if !strings.Contains(last, "**Coming up this week**") || !strings.Contains(last, "Vienna") {
		t.Fatalf("digest lacks Coming up this week:\n%s", last)
	}
}
