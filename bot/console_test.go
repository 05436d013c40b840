package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"attache/bot"
	"attache/index"
)

func TestConsole(t *testing.T) {
	t.Parallel()
	idx := &fakeIndex{answers: append(answers(), answers()...), articles: []index.ArticleInfo{article}}
	var logs bytes.Buffer
	b := bot.New(bot.Config{}, idx, slog.New(slog.NewTextHandler(&logs, nil)))
	in := strings.Join([]string{
		"/help",
		"when is the summit",
		"/more",
		"1",
		`/ask question:"@everyone summit?" private:true`,
		"/ask summit private:maybe",
		"/ask    ",
		"/sources",
		"/weather Oslo",
		"/prev",
		"7",
		"/quit",
		"/help",
	}, "\n")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Console(ctx, strings.NewReader(in), &out, false); err != nil {
		t.Fatalf("Console: %v", err)
	}
	got := out.String()
	for _, want := range []string{
		"What I can do",
		"**Q:** when is the summit",
		"Anchorage, **Alaska** will start",
		"[1] More answers",
		"[1] Previous  [2] More answers",
		"(only you can see this)\n**Q:** @everyone summit?",
		"I couldn't read the option `private`: it should be true or false.",
		"Please include a question",
		"Newest articles",
		"I don't know that one.",
		"There is no \"Previous\" button to press.",
		"There is no button 7.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("console output lacks %q:\n%s", want, got)
		}
	}
	// A command typed wrong at the prompt is the user's slip, not a
	// problem for the log.
	if strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("the console logged a warning:\n%s", logs.String())
	}
	if n := strings.Count(got, "What I can do"); n != 1 {
		t.Errorf("/help answered %d times; lines after /quit must not run", n)
	}
}

// TestConsoleLongLine types a 4 MB line: it is refused as /ask refuses
// a long question, and the console goes on to the next line.
func TestConsoleLongLine(t *testing.T) {
	t.Parallel()
	idx := &fakeIndex{answers: answers(), articles: []index.ArticleInfo{article}}
	b := bot.New(bot.Config{}, idx, nil)
	in := strings.Repeat("x", 4<<20) + "\nwhen is the summit\n"
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Console(ctx, strings.NewReader(in), &out, false); err != nil {
		t.Fatalf("Console: %v", err)
	}
	got := out.String()
	if !strings.Contains(got, "please keep it under 300") || !strings.Contains(got, "**Q:** when is the summit") {
		t.Errorf("console output lacks the refusal or the next answer:\n%.2000s", got)
	}
	if len(got) > 100_000 {
		t.Errorf("the long line was echoed back: %d bytes of output", len(got))
	}
}

func TestConsoleUpcoming(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC) }
	b := bot.New(bot.Config{Calendar: mustDevCalendar(t), Now: now}, mustOpenDevIndex(t), nil)
	in := strings.Join([]string{
		"/upcoming days:60",
		"/next",
		"/press 2",
		"/timeline sudan ceasefire talks",
		"/upcoming days:900",
	}, "\n")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Console(ctx, strings.NewReader(in), &out, false); err != nil {
		t.Fatalf("Console: %v", err)
	}
	got := out.String()
	for _, want := range []string{
		"Coming up",
		"6 events announced in the articles for Wed 1 Apr 2026 to Sat 30 May 2026.",
		"Foreign ministers of the Association of Southeast Asian Nations to open a two-day meeting",
		"[1] Next  [2] Calendar file",
		"New round of ceasefire talks between Sudan's army and the Rapid Support Forces** · Muscat",
		"[1] Previous  [2] Calendar file",
		"(attached: attache-upcoming.ics,",
		"How it unfolded: sudan ceasefire talks",
		"Thu 14 May 2026",
		"Look from 1 to 366 days ahead, not 900.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("console output lacks %q:\n%s", want, got)
		}
	}
}
