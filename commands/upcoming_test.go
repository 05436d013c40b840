package commands_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"attache/commands"
	"attache/commands/schedule"
	"attache/corpus"
	"attache/corpus/events"

	"github.com/bwmarrin/discordgo"
)

func devCalendar(tb testing.TB) *events.Book {
	tb.Helper()
	arts, problems, err := corpus.Load("testdata/dev")
	if err != nil || len(problems) > 0 {
		tb.Fatalf("load testdata/dev: %v %v", err, problems)
	}
	b := events.New()
	b.Sync(arts)
	return b
}

var upcomingFrom = time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)

func TestUpcomingGolden(t *testing.T) {
	ix, cal := devIndex(t), devCalendar(t)
	u, err := commands.ListUpcoming(context.Background(), cal, ix, "", upcomingFrom, 90)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "upcoming.golden", []byte(u.Markdown()))
	var js bytes.Buffer
	if err := u.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "upcoming_json.golden", js.Bytes())
	page := u.Page(1)
	golden(t, "upcoming_page2.golden", []byte(page.Embeds[0].Description+"\n— "+page.Embeds[0].Footer.Text+"\n"))

	// A topic keeps its stories' events.
	u, err = commands.ListUpcoming(context.Background(), cal, ix, "sudan ceasefire talks", upcomingFrom, 90)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Events) != 2 || u.Events[1].Place != "Muscat" {
		t.Fatalf("Sudan's events: %+v, want the arrival and the talks in Muscat", u.Events)
	}
	f, err := u.CalendarFile(upcomingFrom)
	if err != nil || f.Name != "attache-sudan-ceasefire-talks.ics" || !bytes.Contains(f.Data, []byte("LOCATION:Muscat\r\n")) {
		t.Fatalf("CalendarFile = %s %q, %v", f.Name, f.Data, err)
	}
	tests := []struct {
		name  string
		topic string
		days  int
	}{
		{"too many days", "", commands.MaxUpcomingDays + 1},
		{"negative days", "", -3},
		{"long topic", strings.Repeat("talks ", 40), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := commands.ListUpcoming(context.Background(), cal, ix, tt.topic, upcomingFrom, tt.days); !errors.Is(err, commands.ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
		})
	}
}

func TestTimelineGolden(t *testing.T) {
	ix, cal := devIndex(t), devCalendar(t)
	tl, err := commands.BuildTimeline(context.Background(), cal, ix, "sudan ceasefire talks", time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "timeline_sudan.golden", []byte(tl.Markdown()))
	var js bytes.Buffer
	if err := tl.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(js.String(), `{"topic":"sudan ceasefire talks","entries":[{"date":`) {
		t.Errorf("timeline JSON %s", js.String())
	}
	if _, err := commands.BuildTimeline(context.Background(), cal, ix, " ", upcomingFrom); !errors.Is(err, commands.ErrBadInput) {
		t.Errorf("empty topic: err = %v, want ErrBadInput", err)
	}
}

func TestUpcomingCommand(t *testing.T) {
	set := commands.New(devIndex(t), commands.Options{Calendar: devCalendar(t), Now: func() time.Time { return upcomingFrom }})
	cmd := mustCommand(t, set, "upcoming")
	days := &discordgo.ApplicationCommandInteractionDataOption{Name: "days", Type: discordgo.ApplicationCommandOptionInteger, Value: float64(90)}
	r, err := cmd.Handle(context.Background(), slash("7", "upcoming", days))
	if err != nil {
		t.Fatal(err)
	}
	bs := commands.Buttons(r)
	if len(bs) != 2 || bs[0].Label != "Next" || bs[1].Label != "Calendar file" {
		t.Fatalf("buttons %+v, want Next and Calendar file", bs)
	}
	for _, b := range bs {
		if len(b.CustomID) > commands.MaxCustomID {
			t.Errorf("custom_id %q is too long", b.CustomID)
		}
	}
	cal, err := cmd.Press(context.Background(), press("8", bs[1].CustomID))
	if err != nil {
		t.Fatal(err)
	}
	if !cal.Ephemeral || len(cal.Files) != 1 || !bytes.HasPrefix(cal.Files[0].Data, []byte("BEGIN:VCALENDAR")) {
		t.Fatalf("Calendar file reply %+v, want a private reply with the file", cal)
	}
	if d := cal.Data(); len(d.Files) != 1 || d.AllowedMentions == nil || len(d.AllowedMentions.Parse) != 0 {
		t.Fatalf("Data() = %+v, want the file and no mentions", d)
	}
	next, err := cmd.Press(context.Background(), press("7", bs[0].CustomID))
	if err != nil || !next.Update || !strings.Contains(next.Embeds[0].Footer.Text, "Page 2 of") {
		t.Fatalf("Next: %+v, %v, want page 2 in place", next, err)
	}
	if _, err := cmd.Press(context.Background(), press("7", "up:nosuchsession:ics")); err == nil {
		t.Fatal("an expired Calendar file button worked")
	}
	// Without a calendar, the command says so.
	bare := commands.New(devIndex(t), commands.Options{})
	if _, err := mustCommand(t, bare, "upcoming").Handle(context.Background(), slash("7", "upcoming")); err == nil {
		t.Fatal("/upcoming without a calendar succeeded")
	}
}

func TestDigestComingUp(t *testing.T) {
	ix, cal := devIndex(t), devCalendar(t)
	d, err := commands.BuildDigest(context.Background(), ix, time.Time{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.ComingUp, err = commands.ComingUp(context.Background(), cal, ix, "", time.Date(2026, 5, 11, 15, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if len(d.ComingUp) != 2 {
		t.Fatalf("coming up: %+v, want Sudan's two events", d.ComingUp)
	}
	msgs := d.Messages("digest d1 · 2026-05-11", false)
	last := msgs[len(msgs)-1].Embeds[0].Description
	if !strings.Contains(last, "**Coming up this week**") || !strings.Contains(last, "Muscat") {
		t.Fatalf("last message lacks Coming up this week:\n%s", last)
	}
	_ = schedule.Digest{NoComingUp: true}
}
