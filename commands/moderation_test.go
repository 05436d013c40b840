package commands_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/commands"
	"attache/corpus/corpustest"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// renderedMessages is how golden files show messages the bot posts in a
// channel: as text, and as the JSON of each POST.
func renderedMessages(tb testing.TB, rs []commands.Reply) []byte {
	tb.Helper()
	var b strings.Builder
	for n, r := range rs {
		data, err := json.MarshalIndent(r.Message(), "", "  ")
		if err != nil {
			tb.Fatal(err)
		}
		if n > 0 {
			b.WriteString("\n==== next message ====\n")
		}
		b.WriteString(r.Text() + "\n---- JSON ----\n" + string(data) + "\n")
	}
	return []byte(b.String())
}

func TestSummaryReplyGolden(t *testing.T) {
	ix := devIndex(t)
	for _, tt := range []struct{ name, topic, window string }{
		{"summary_reply_sudan.golden", "sudan ceasefire talks", "all"},
		{"summary_reply_none.golden", "arctic council", "7d"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := commands.Summarize(context.Background(), ix, tt.topic, tt.window, summaryNow)
			if err != nil {
				t.Fatal(err)
			}
			r := s.Reply()
			golden(t, tt.name, rendered(t, r))
			e := r.Embeds[0]
			if n := commands.EmbedLength(e); n > commands.MaxEmbedTotal || commands.Length(e.Description) > commands.MaxEmbedDescription {
				t.Errorf("embed of %d characters, description %d: over Discord's limits", n, commands.Length(e.Description))
			}
			for _, b := range s.Bullets {
				if !strings.Contains(e.Description, b.Article.URL) {
					t.Errorf("bullet %.40q does not link its article %s", b.Text, b.Article.URL)
				}
			}
		})
	}
}

func TestDigestMessagesGolden(t *testing.T) {
	ix := devIndex(t)
	d, err := commands.BuildDigest(context.Background(), ix, time.Time{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	msgs := d.Messages("digest d3 · 2026-03-08", false)
	golden(t, "digest_messages.golden", renderedMessages(t, msgs))

	// Nothing is new since a date after the test articles were indexed.
	quiet, err := commands.BuildDigest(context.Background(), ix, time.Date(2100, 3, 8, 7, 30, 0, 0, time.UTC), "sudan", d.State)
	if err != nil {
		t.Fatal(err)
	}
	if got := quiet.Messages("digest d4 · 2026-03-08", false); len(got) != 0 {
		t.Errorf("nothing new without a quiet note: %d messages, want none", len(got))
	}
	golden(t, "digest_quiet.golden", renderedMessages(t, quiet.Messages("digest d4 · 2026-03-08", true)))
}

// TestDigestMessagesSplit renders a long digest: every message keeps
// Discord's limits, opens at a story, and carries the slot in its footer.
func TestDigestMessagesSplit(t *testing.T) {
	d := commands.Digest{Since: summaryNow}
	for n := range 60 {
		d.Stories = append(d.Stories, commands.DigestStory{
			Headline: "Talks round " + strings.Repeat("x", n%7) + " resume",
			Lead:     strings.Repeat("Envoys met again and agreed to keep talking about the ceasefire. ", 3+n%4),
		})
	}
	msgs := d.Messages("digest d9 · 2026-03-08", false)
	if len(msgs) < 3 {
		t.Fatalf("%d messages, want the digest split", len(msgs))
	}
	stories := 0
	for n, m := range msgs {
		if len(m.Embeds) != 1 {
			t.Fatalf("message %d has %d embeds, want 1", n, len(m.Embeds))
		}
		e := m.Embeds[0]
		desc := e.Description
		if n == 0 {
			head, rest, _ := strings.Cut(desc, "\n\n")
			if head != d.Header() {
				t.Errorf("first message opens %q, want the header", head)
			}
			desc = rest
		}
		if !strings.HasPrefix(desc, "**Talks round") {
			t.Errorf("message %d does not open at a story: %.40q", n, desc)
		}
		stories += strings.Count(desc, "**Talks round")
		if commands.Length(e.Description) > commands.MaxEmbedDescription || commands.EmbedLength(e) > commands.MaxEmbedTotal {
			t.Errorf("message %d: description %d, embed %d characters: over the limits", n, commands.Length(e.Description), commands.EmbedLength(e))
		}
		if !strings.HasPrefix(e.Footer.Text, "digest d9 · 2026-03-08 · ") {
			t.Errorf("message %d footer %q, want the slot", n, e.Footer.Text)
		}
	}
	if stories != len(d.Stories) {
		t.Errorf("%d stories across the messages, want %d", stories, len(d.Stories))
	}
}

func TestHasPermission(t *testing.T) {
	member := func(perms int64) *discordgo.Interaction {
		return &discordgo.Interaction{GuildID: "10", Member: &discordgo.Member{User: &discordgo.User{ID: "7"}, Permissions: perms}}
	}
	tests := []struct {
		name string
		i    *discordgo.Interaction
		perm int64
		want bool
	}{
		{"has it", member(discordgo.PermissionManageMessages | discordgo.PermissionSendMessages), discordgo.PermissionManageMessages, true},
		{"lacks it", member(discordgo.PermissionSendMessages), discordgo.PermissionManageMessages, false},
		{"administrator implies all", member(discordgo.PermissionAdministrator), discordgo.PermissionManageGuild, true},
		{"needs every bit", member(discordgo.PermissionManageGuild), discordgo.PermissionManageGuild | discordgo.PermissionManageMessages, false},
		{"direct message", &discordgo.Interaction{User: &discordgo.User{ID: "7"}}, discordgo.PermissionSendMessages, false},
		{"nil", nil, discordgo.PermissionSendMessages, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commands.HasPermission(tt.i, tt.perm); got != tt.want {
				t.Errorf("HasPermission = %v, want %v", got, tt.want)
			}
		})
	}
}

var bench1000 struct {
	once sync.Once
	ix   *index.Index
	err  error
}

// BenchmarkSummarize1000 is /summary's work over a topic that 1,000
// generated articles match: the index's Topic and the summarizer.
func BenchmarkSummarize1000(b *testing.B) {
	bench1000.once.Do(func() {
		// One index for every run of the benchmark; the OS cleans its
		// temporary folder.
		dir, err := os.MkdirTemp("", "attache-summary-bench-")
		if err != nil {
			bench1000.err = err
			return
		}
		ix, err := index.Open(context.Background(), dir, index.Options{})
		if err != nil {
			bench1000.err = err
			return
		}
		if _, err := ix.Sync(context.Background(), corpustest.Generate(1000, 1)); err != nil {
			bench1000.err = err
			return
		}
		bench1000.ix = ix
	})
	if bench1000.err != nil {
		b.Fatal(bench1000.err)
	}
	ctx := context.Background()
	for _, topic := range []string{"talks", "ceasefire talks"} {
		b.Run(strings.ReplaceAll(topic, " ", "_"), func(b *testing.B) {
			var s commands.Summary
			for b.Loop() {
				var err error
				if s, err = commands.Summarize(ctx, bench1000.ix, topic, "all", summaryNow); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.Articles), "articles")
			if len(s.Bullets) == 0 {
				b.Fatalf("no bullets for %q", topic)
			}
		})
	}
}
