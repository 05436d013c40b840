package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"attache/bot"
	"attache/bot/discordtest"
	"attache/commands"
	"attache/commands/schedule"
	"attache/corpus"
	"attache/corpus/corpustest"
	"attache/corpus/feeds"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// mustOpenDevIndex indexes testdata/dev, a copy of the development
// articles, in a temporary folder.
func mustOpenDevIndex(tb testing.TB) *index.Index {
	tb.Helper()
	arts, problems, err := corpus.Load("testdata/dev")
	if err != nil || len(problems) > 0 {
		tb.Fatalf("load testdata/dev: %v %v", err, problems)
	}
	return mustIndex(tb, arts)
}

func mustIndex(tb testing.TB, arts []corpus.Article) *index.Index {
	tb.Helper()
	ix, err := index.Open(context.Background(), tb.TempDir(), index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// mustOpenStore opens a digest store at path (a new one when ""), whose
// clock is clock; it is closed when the test ends, after the bots that use
// it have stopped.
func mustOpenStore(tb testing.TB, path string, clock *schedule.FakeClock) *schedule.Store {
	tb.Helper()
	if path == "" {
		path = filepath.Join(tb.TempDir(), "digests.db")
	}
	st, err := schedule.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	st.Now = clock.Now
	tb.Cleanup(func() { st.Close() })
	return st
}

// digestBot is a bot with a real index and digests on a fake clock,
// connected to a fake Discord.
type digestBot struct {
	*runningBot
	store *schedule.Store
	clock *schedule.FakeClock
}

func startDigestBot(tb testing.TB, start time.Time, idx commands.Index, cfg bot.Config) *digestBot {
	tb.Helper()
	fake := newFake(tb)
	clock := schedule.NewFakeClock(start)
	store := mustOpenStore(tb, "", clock)
	cfg.Digests, cfg.Clock = store, clock
	return &digestBot{runningBot: mustRun(tb, fake, cfg, idx), store: store, clock: clock}
}

// textChannel adds a text channel to fake's guild.
func textChannel(fake *discordtest.Server, name string, overwrites ...*discordgo.PermissionOverwrite) string {
	return fake.AddChannel(&discordgo.Channel{GuildID: discordtest.DefaultGuildID, Name: name, Type: discordgo.ChannelTypeGuildText, PermissionOverwrites: overwrites})
}

// as gives ev the member permissions perm on top of an ordinary member's.
func as(perm int64, ev *discordtest.InteractionEvent) *discordtest.InteractionEvent {
	ev.Permissions |= perm
	return ev
}

func digestAdd(channelID string, opts ...*discordtest.CommandOption) *discordtest.InteractionEvent {
	opts = append([]*discordtest.CommandOption{discordtest.ChannelOption("channel", channelID)}, opts...)
	return discordtest.SlashCommand("digest", discordtest.SubCommand("add", opts...))
}

func digestSub(name string, opts ...*discordtest.CommandOption) *discordtest.InteractionEvent {
	return as(discordgo.PermissionManageGuild, discordtest.SlashCommand("digest", discordtest.SubCommand(name, opts...)))
}

func str(name, v string) *discordtest.CommandOption { return discordtest.StringOption(name, v) }

// private checks that resp is a private message and returns its content.
func private(tb testing.TB, resp *discordgo.InteractionResponse) string {
	tb.Helper()
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		tb.Errorf("response type %d flags %d, want a private message", resp.Type, resp.Data.Flags)
	}
	return resp.Data.Content
}

// footers returns the footer of every embed of the bot's messages in a
// channel.
func footers(fake *discordtest.Server, channelID string) []string {
	var out []string
	for _, m := range fake.ChannelMessages(channelID) {
		if m.Author == nil || m.Author.ID != fake.BotUserID() {
			continue
		}
		for _, e := range m.Embeds {
			if e.Footer != nil {
				out = append(out, e.Footer.Text)
			}
		}
	}
	return out
}

// posts returns the bodies of the bot's POSTs to a channel.
func posts(fake *discordtest.Server, channelID string) []string {
	var out []string
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost && r.Path == "/channels/"+channelID+"/messages" && r.Status < 300 {
			out = append(out, string(r.Body))
		}
	}
	return out
}

// waitSlot waits until the store has recorded slot for digest id, as
// posted or skipped.
func waitSlot(tb testing.TB, fake *discordtest.Server, store *schedule.Store, id, slot string) schedule.Digest {
	tb.Helper()
	var d schedule.Digest
	err := fake.WaitFor(testContext(tb), func() bool {
		var err error
		d, err = store.Get(context.Background(), id)
		return err == nil && d.LastSlot >= slot
	})
	if err != nil {
		tb.Fatalf("digest %s: slot %s not recorded (LastSlot %q Pending %q): %v", id, slot, d.LastSlot, d.Pending, err)
	}
	return d
}

// fireAt lets the scheduler plan for at, then moves the clock there.
func fireAt(tb testing.TB, clock *schedule.FakeClock, at time.Time) {
	tb.Helper()
	if err := clock.BlockUntilDeadline(testContext(tb), at); err != nil {
		tb.Fatalf("the scheduler does not wait for %s: %v", at.Format(time.RFC3339), err)
	}
	clock.Set(at)
}

var slotAt = time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC)

func TestSummaryPostButton(t *testing.T) {
	t.Parallel()
	rb := mustRun(t, newFake(t), bot.Config{}, mustOpenDevIndex(t))
	fake := rb.fake

	it, resp := mustRespond(t, fake, as(discordgo.PermissionManageMessages, discordtest.SlashCommand("summary", str("topic", "sudan ceasefire talks"), str("since", "all"))))
	if got := private(t, resp); !strings.Contains(got, "Preview") {
		t.Errorf("content %q, want a preview", got)
	}
	if len(resp.Data.Embeds) != 1 || !strings.Contains(resp.Data.Embeds[0].Title, "sudan ceasefire talks") {
		t.Fatalf("embeds %+v, want the summary", resp.Data.Embeds)
	}
	preview := resp.Data.Embeds[0]
	buttons := commands.Buttons(commands.Reply{Components: resp.Data.Components})
	if len(buttons) != 1 || buttons[0].Label != "Post to this channel" {
		t.Fatalf("buttons %+v, want Post to this channel", buttons)
	}
	if n := len(fake.ChannelMessages(discordtest.DefaultChannelID)); n != 0 {
		t.Fatalf("%d messages in the channel before the button, want none", n)
	}

	press := as(discordgo.PermissionManageMessages, discordtest.Component(buttons[0].CustomID))
	press.Message = it.Original() // the button is on the private preview
	_, resp = mustRespond(t, fake, press)
	if resp.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(resp.Data.Content, "Posted in <#"+discordtest.DefaultChannelID+">") {
		t.Errorf("press answered type %d %q, want the preview updated to say it was posted", resp.Type, resp.Data.Content)
	}
	if len(resp.Data.Components) != 0 {
		t.Errorf("the button is still there after posting: %+v", resp.Data.Components)
	}
	msgs := fake.ChannelMessages(discordtest.DefaultChannelID)
	if len(msgs) != 1 || len(msgs[0].Embeds) != 1 {
		t.Fatalf("channel holds %d messages, want the summary", len(msgs))
	}
	posted := msgs[0].Embeds[0]
	if posted.Title != preview.Title || posted.Description != preview.Description {
		t.Errorf("posted %q, want what was previewed %q", posted.Description, preview.Description)
	}
	for _, want := range []string{"_From 2 articles, 9 May – 11 May 2026._", "Muscat", "**Update:**", "Thu 14 May 2026", "(<https://fixtures.invalid/sudan-ceasefire-talks-postponed-muscat>)"} {
		if !strings.Contains(posted.Description, want) {
			t.Errorf("posted summary lacks %q:\n%s", want, posted.Description)
		}
	}
	if b := posts(fake, discordtest.DefaultChannelID); len(b) != 1 || !strings.Contains(b[0], noMentions) {
		t.Errorf("posted with %q, want allowed_mentions.parse == []", b)
	}

	// Pressed again (a double click, or after the update): nothing more.
	_, resp = mustRespond(t, fake, press)
	if got := private(t, resp); !strings.Contains(got, "posted already") {
		t.Errorf("second press: %q, want it refused", got)
	}
	if n := len(fake.ChannelMessages(discordtest.DefaultChannelID)); n != 1 {
		t.Errorf("%d messages after a second press, want 1", n)
	}
}

// TestSummaryPermissions checks who may post a summary where. Discord
// works out a member's permissions for the channel where the command was
// used; in another channel the bot works them out from the server's roles
// and the channel's overwrites.
func TestSummaryPermissions(t *testing.T) {
	t.Parallel()
	rb := mustRun(t, newFake(t), bot.Config{}, mustOpenDevIndex(t))
	fake := rb.fake
	guild := discordtest.DefaultGuildID
	modsRole := fake.AddRole(guild, &discordgo.Role{Name: "mods", Permissions: discordgo.PermissionManageMessages})
	adminsRole := fake.AddRole(guild, &discordgo.Role{Name: "admins", Permissions: discordgo.PermissionAdministrator})
	user := func(id, name string, roles ...string) *discordgo.User {
		u := &discordgo.User{ID: id, Username: name}
		fake.AddMember(guild, &discordgo.Member{User: u, Roles: roles})
		return u
	}
	var (
		member = user("1000000000000000101", "member")
		mod    = user("1000000000000000102", "mod", modsRole)
		admin  = user("1000000000000000103", "admin", adminsRole)
		muted  = user("1000000000000000104", "muted", modsRole)
		owner  = user(discordtest.DefaultOwnerID, "owner")
		away   = user("1000000000000000105", "elsewhere", modsRole)
	)
	news := textChannel(fake, "news")
	// Moderators may not manage messages in #announcements, and one of
	// them in particular may not in #quiet.
	announcements := textChannel(fake, "announcements", &discordgo.PermissionOverwrite{ID: modsRole, Type: discordgo.PermissionOverwriteTypeRole, Deny: discordgo.PermissionManageMessages})
	quiet := textChannel(fake, "quiet", &discordgo.PermissionOverwrite{ID: muted.ID, Type: discordgo.PermissionOverwriteTypeMember, Deny: discordgo.PermissionManageMessages})
	// One moderator uses the command in a channel where they may not.
	offTopic := textChannel(fake, "off-topic", &discordgo.PermissionOverwrite{ID: away.ID, Type: discordgo.PermissionOverwriteTypeMember, Deny: discordgo.PermissionManageMessages})

	// summary is /summary by u in the default channel, where Discord says
	// the member has perm on top of an ordinary member's.
	summary := func(u *discordgo.User, perm int64, opts ...*discordtest.CommandOption) *discordtest.InteractionEvent {
		ev := as(perm, discordtest.SlashCommand("summary", append([]*discordtest.CommandOption{str("topic", "alaska summit")}, opts...)...))
		ev.User = u
		return ev
	}
	to := func(channelID string) *discordtest.CommandOption {
		return discordtest.ChannelOption("channel", channelID)
	}
	fromOffTopic := summary(away, 0, to(news))
	fromOffTopic.ChannelID = offTopic

	tests := []struct {
		name       string
		ev         *discordtest.InteractionEvent
		want       string
		wantButton bool
		wantPosted string // the channel that gets the summary; "" for none
	}{
		{name: "member without Manage Messages, to a channel", ev: summary(member, 0, to(news)), want: "Posting a summary in <#" + news + "> needs the Manage Messages permission there"},
		{name: "member without Manage Messages, to this channel", ev: summary(member, 0, to(discordtest.DefaultChannelID)), want: "needs the Manage Messages permission"},
		{name: "member without Manage Messages, preview", ev: summary(member, 0), want: "needs the Manage Messages permission"},
		{name: "in a DM", ev: summary(member, 0, to(news)).InDM(), want: "only in servers"},
		{name: "moderator, preview", ev: summary(mod, discordgo.PermissionManageMessages), want: "Preview", wantButton: true},
		{name: "moderator, to a channel", ev: summary(mod, discordgo.PermissionManageMessages, to(news)), want: "Posted in <#" + news + ">", wantPosted: news},
		{name: "moderator, to a channel where a role overwrite denies it", ev: summary(mod, discordgo.PermissionManageMessages, to(announcements)), want: "Posting a summary in <#" + announcements + "> needs the Manage Messages permission there, so here is a preview only you can see."},
		{name: "moderator, to a channel where a member overwrite denies it", ev: summary(muted, discordgo.PermissionManageMessages, to(quiet)), want: "Posting a summary in <#" + quiet + "> needs the Manage Messages permission there"},
		{name: "moderator, from a channel where it is denied", ev: fromOffTopic, want: "Posted in <#" + news + ">", wantPosted: news},
		{name: "administrator, despite an overwrite", ev: summary(admin, discordgo.PermissionAdministrator, to(announcements)), want: "Posted in", wantPosted: announcements},
		{name: "owner", ev: summary(owner, discordgo.PermissionAll, to(announcements)), want: "Posted in", wantPosted: announcements},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := map[string]int{}
			for _, ch := range []string{news, announcements, quiet, discordtest.DefaultChannelID} {
				before[ch] = len(fake.ChannelMessages(ch))
			}
			_, resp := mustRespond(t, fake, tt.ev)
			if got := private(t, resp); !strings.Contains(got, tt.want) {
				t.Errorf("content %q, want %q", got, tt.want)
			}
			if len(resp.Data.Embeds) != 1 {
				t.Errorf("%d embeds, want the summary", len(resp.Data.Embeds))
			}
			if n := len(commands.Buttons(commands.Reply{Components: resp.Data.Components})); (n > 0) != tt.wantButton {
				t.Errorf("%d buttons, want a post button: %v", n, tt.wantButton)
			}
			for ch, n := range before {
				want := n
				if ch == tt.wantPosted {
					want++
				}
				if got := len(fake.ChannelMessages(ch)); got != want {
					t.Errorf("%d messages in <#%s>, want %d", got, ch, want)
				}
			}
		})
	}
}

func TestSummaryBadInput(t *testing.T) {
	t.Parallel()
	rb := mustRun(t, newFake(t), bot.Config{}, mustOpenDevIndex(t))
	mod := func(opts ...*discordtest.CommandOption) *discordtest.InteractionEvent {
		return as(discordgo.PermissionManageMessages, discordtest.SlashCommand("summary", opts...))
	}
	tests := []struct {
		name string
		ev   *discordtest.InteractionEvent
		want string
	}{
		{"empty topic", mod(str("topic", "   ")), "The topic is empty"},
		{"101-character topic", mod(str("topic", strings.Repeat("a", 101))), "The topic is too long (101 characters; 100 at most)."},
		{"unknown period", mod(str("topic", "sudan"), str("since", "fortnight")), `Unknown period "fortnight": use 24h, 3d, 7d, 30d or all.`},
		{"no articles, to a channel", mod(str("topic", "arctic council"), discordtest.ChannelOption("channel", discordtest.DefaultChannelID)), "Nothing to post: I have no articles about this."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp := mustRespond(t, rb.fake, tt.ev)
			if got := private(t, resp); !strings.Contains(got, tt.want) {
				t.Errorf("content %q, want %q", got, tt.want)
			}
		})
	}
	if n := len(rb.fake.ChannelMessages(discordtest.DefaultChannelID)); n != 0 {
		t.Errorf("%d messages posted, want none", n)
	}
}

// TestDigestRefused sends /digest add with what must be refused: each
// gets a clear private message and nothing is saved.
func TestDigestRefused(t *testing.T) {
	t.Parallel()
	db := startDigestBot(t, slotAt.Add(-time.Hour), mustOpenDevIndex(t), bot.Config{})
	fake := db.fake
	news := textChannel(fake, "news")
	elsewhere := fake.AddChannel(&discordgo.Channel{GuildID: "2000000000000000001", Name: "theirs", Type: discordgo.ChannelTypeGuildText})
	muted := textChannel(fake, "muted", &discordgo.PermissionOverwrite{ID: fake.BotUserID(), Type: discordgo.PermissionOverwriteTypeMember, Deny: discordgo.PermissionSendMessages})
	voice := fake.AddChannel(&discordgo.Channel{GuildID: discordtest.DefaultGuildID, Name: "voice", Type: discordgo.ChannelTypeGuildVoice})
	when := []*discordtest.CommandOption{str("time", "07:30"), str("timezone", "Europe/Paris")}
	add := func(perm int64, channelID string, opts ...*discordtest.CommandOption) *discordtest.InteractionEvent {
		return as(perm, digestAdd(channelID, opts...))
	}
	readOnly := add(discordgo.PermissionManageGuild, discordtest.DefaultChannelID, when...)
	readOnly.AppPermissions = discordgo.PermissionViewChannel | discordgo.PermissionReadMessageHistory

	tests := []struct {
		name string
		ev   *discordtest.InteractionEvent
		want string
	}{
		{"member without Manage Server", add(discordgo.PermissionManageMessages, news, when...), "You need the Manage Server permission to manage digests."},
		{"in a DM", add(discordgo.PermissionManageGuild, news, when...).InDM(), "only in a server"},
		{"time 25:61", add(discordgo.PermissionManageGuild, news, str("time", "25:61"), str("timezone", "Europe/Paris")), `That schedule doesn't work: time "25:61": hour must be 00 to 23.`},
		{"time 7h30", add(discordgo.PermissionManageGuild, news, str("time", "7h30"), str("timezone", "Europe/Paris")), "is not HH:MM"},
		{"zone Mars/Olympus", add(discordgo.PermissionManageGuild, news, str("time", "07:30"), str("timezone", "Mars/Olympus")), `That schedule doesn't work: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Paris).`},
		{"days", add(discordgo.PermissionManageGuild, news, append(when, str("days", "mon,someday"))...), `"someday" is not a day`},
		{"200-character topic", add(discordgo.PermissionManageGuild, news, append(when, str("topic", strings.Repeat("x", 200)))...), "The topic is too long (200 characters; 100 at most)."},
		{"channel of another server", add(discordgo.PermissionManageGuild, elsewhere, when...), "That channel belongs to another server"},
		{"channel the bot cannot post in", add(discordgo.PermissionManageGuild, muted, when...), "I can't post in <#" + muted + ">: I need the Send Messages permission there."},
		{"this channel, where the bot cannot post", readOnly, "I need the Send Messages and Embed Links permission there."},
		{"voice channel", add(discordgo.PermissionManageGuild, voice, when...), "isn't a text channel"},
		{"unknown channel", add(discordgo.PermissionManageGuild, "1999999999999999999", when...), "I can't see <#1999999999999999999>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp := mustRespond(t, fake, tt.ev)
			if got := commands.Unescape(private(t, resp)); !strings.Contains(got, tt.want) {
				t.Errorf("content %q, want %q", got, tt.want)
			}
		})
	}
	all, err := db.store.All(context.Background())
	if err != nil || len(all) != 0 {
		t.Errorf("store holds %d digests (err %v) after refusals, want none", len(all), err)
	}
	if u := fake.Unexpected(); len(u) > 0 {
		t.Errorf("requests the fake does not serve: %+v", u)
	}
}

// TestDigestLifecycle adds a digest with the command, lets the fake clock
// reach its slot, and checks the one post; then lists, previews and
// removes it.
func TestDigestLifecycle(t *testing.T) {
	t.Parallel()
	db := startDigestBot(t, slotAt.Add(-90*time.Minute), mustOpenDevIndex(t), bot.Config{})
	fake := db.fake
	news := textChannel(fake, "news")

	_, resp := mustRespond(t, fake, as(discordgo.PermissionManageGuild, digestAdd(news, str("time", "07:30"), str("timezone", "utc"))))
	got := private(t, resp)
	if want := fmt.Sprintf("Added digest **d1**: 07:30 UTC, daily, in <#%s>, all news. First post <t:%d:f>", news, slotAt.Unix()); !strings.Contains(got, want) {
		t.Fatalf("content %q, want %q", got, want)
	}

	fireAt(t, db.clock, slotAt)
	d := waitSlot(t, fake, db.store, "d1", "2026-03-02")
	if !d.LastPostedAt.Equal(slotAt) || len(d.Stories) == 0 {
		t.Errorf("stored LastPostedAt %s with %d bytes of stories, want the post recorded", d.LastPostedAt, len(d.Stories))
	}
	if f := footers(fake, news); len(f) != 1 || f[0] != "digest d1 · 2026-03-02" {
		t.Fatalf("footers %q, want one post with the slot", f)
	}
	msg := fake.ChannelMessages(news)[0]
	// Only what was published since the digest was added is news: not
	// the Alaska report of 2025, the EU one of February or the undated
	// WTO one that came in with the index.
	for _, want := range []string{"**Digest: 3 stories** since Mon 2 Mar 06:00 UTC", "**Sudan ceasefire talks pushed back to Thursday", "(<https://fixtures.invalid/sudan-ceasefire-talks-doha>)"} {
		if !strings.Contains(msg.Embeds[0].Description, want) {
			t.Errorf("digest lacks %q:\n%s", want, msg.Embeds[0].Description)
		}
	}
	if b := posts(fake, news); len(b) != 1 || !strings.Contains(b[0], noMentions) {
		t.Errorf("posted with %q, want allowed_mentions.parse == []", b)
	}

	_, resp = mustRespond(t, fake, digestSub("list"))
	next := slotAt.Add(24 * time.Hour).Unix()
	if private(t, resp); len(resp.Data.Embeds) != 1 || !strings.Contains(resp.Data.Embeds[0].Description, fmt.Sprintf("**d1** · <#%s> · 07:30 UTC, daily · next <t:%d:f>", news, next)) {
		t.Errorf("list %+v, want d1 and its next post", resp.Data.Embeds)
	}
	_, resp = mustRespond(t, fake, digestSub("preview", str("id", "D1")))
	if got := private(t, resp); !strings.Contains(got, "If digest **d1** posted now") || len(resp.Data.Embeds) == 0 || resp.Data.Embeds[0].Footer.Text != "preview of digest d1" {
		t.Errorf("preview %q %+v, want what d1 would post", got, resp.Data.Embeds)
	}
	_, resp = mustRespond(t, fake, discordtest.SlashCommand("digest", discordtest.SubCommand("remove", str("id", "d1"))))
	if got := private(t, resp); !strings.Contains(got, "Manage Server") {
		t.Errorf("remove by a member: %q, want it refused", got)
	}
	_, resp = mustRespond(t, fake, digestSub("remove", str("id", "d1")))
	if got := private(t, resp); !strings.Contains(got, "Removed digest **d1**") {
		t.Errorf("remove: %q", got)
	}
	_, resp = mustRespond(t, fake, digestSub("remove", str("id", "d1")))
	if got := private(t, resp); !strings.Contains(got, "no digest “d1”") {
		t.Errorf("second remove: %q, want no such digest", got)
	}

	// The removed digest's next slot passes without a post.
	db.clock.Set(slotAt.Add(25 * time.Hour))
	if err := db.clock.BlockUntil(testContext(t), 1); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.ChannelMessages(news)); n != 1 {
		t.Errorf("%d messages after the digest was removed, want 1", n)
	}
}

func TestModeratorAutocomplete(t *testing.T) {
	t.Parallel()
	db := startDigestBot(t, slotAt, mustOpenDevIndex(t), bot.Config{})
	spec, _ := schedule.ParseSpec("07:30", "UTC", "")
	if _, err := db.store.Add(context.Background(), schedule.Digest{GuildID: discordtest.DefaultGuildID, ChannelID: discordtest.DefaultChannelID, Spec: spec, Topic: "sudan"}); err != nil {
		t.Fatal(err)
	}
	// Options inside a subcommand are focused there.
	inside := func(sub, name, typed string) *discordtest.InteractionEvent {
		ev := as(discordgo.PermissionManageGuild, discordtest.Autocomplete("digest", str(name, typed)))
		ev.Data["options"] = []any{discordtest.SubCommand(sub, &discordtest.CommandOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: typed, Focused: true})}
		return ev
	}
	member := inside("remove", "id", "")
	member.Permissions = discordtest.DefaultPermissions
	tests := []struct {
		name string
		ev   *discordtest.InteractionEvent
		want string // the first choice; "" for none
	}{
		{"time zone", inside("add", "timezone", "paris"), "Europe/Paris"},
		{"digest ID", inside("remove", "id", "sud"), "d1 · 07:30 UTC, daily · sudan"},
		{"digest ID, for a member", member, ""},
		{"summary topic", discordtest.Autocomplete("summary", str("topic", "musc")), "Muscat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp := mustRespond(t, db.fake, tt.ev)
			got := ""
			if len(resp.Data.Choices) > 0 {
				got = resp.Data.Choices[0].Name
			}
			if got != tt.want {
				t.Errorf("first choice %q of %d, want %q", got, len(resp.Data.Choices), tt.want)
			}
		})
	}
}

// stopAfterPost posts, then stops its scheduler before the post is
// recorded, as a crash right after the REST call returns would.
type stopAfterPost struct {
	*bot.Bot
	stop context.CancelFunc
}

func (p stopAfterPost) Post(ctx context.Context, d schedule.Digest, slot schedule.Slot, since time.Time) ([]byte, error) {
	if _, err := p.Bot.Post(ctx, d, slot, since); err != nil {
		return nil, err
	}
	p.stop()
	return nil, context.Canceled
}

// TestDigestRestart stops the scheduler between "about to post" and
// "posted", then starts a new bot on the same store: the slot is posted
// once in all, because the new bot finds the first post in the channel.
func TestDigestRestart(t *testing.T) {
	t.Parallel()
	fake := newFake(t)
	news := textChannel(fake, "news")
	ix := mustOpenDevIndex(t)
	clock := schedule.NewFakeClock(slotAt.Add(-30 * time.Minute))
	path := filepath.Join(t.TempDir(), "digests.db")
	store := mustOpenStore(t, path, clock)
	spec, err := schedule.ParseSpec("07:30", "UTC", "daily")
	if err != nil {
		t.Fatal(err)
	}
	d, err := store.Add(context.Background(), schedule.Digest{GuildID: discordtest.DefaultGuildID, ChannelID: news, Spec: spec, Topic: "sudan"})
	if err != nil {
		t.Fatal(err)
	}

	// The first bot needs only REST to post.
	cfg := testConfig(t, fake, bot.Config{})
	t.Cleanup(cfg.Client.CloseIdleConnections)
	first := bot.New(cfg, ix, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sched := schedule.New(store, stopAfterPost{first, cancel}, schedule.Config{Clock: clock})
	done := make(chan error, 1)
	go func() { done <- sched.Run(ctx) }()
	fireAt(t, clock, slotAt)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the scheduler did not stop")
	}
	stored, err := store.Get(context.Background(), d.ID)
	if err != nil || stored.Pending != "2026-03-02" || stored.LastSlot != "" {
		t.Fatalf("after the stop: Pending %q LastSlot %q (err %v), want the slot pending", stored.Pending, stored.LastSlot, err)
	}
	if f := footers(fake, news); len(f) != 1 {
		t.Fatalf("footers %q after the first bot, want its one post", f)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	// Ten minutes later a new bot starts on the same file.
	clock.Advance(10 * time.Minute)
	store = mustOpenStore(t, path, clock)
	mustRun(t, fake, bot.Config{Digests: store, Clock: clock}, ix)
	stored = waitSlot(t, fake, store, d.ID, "2026-03-02")
	if stored.Pending != "" || !stored.LastPostedAt.Equal(slotAt) {
		t.Errorf("after the restart: Pending %q LastPostedAt %s, want recorded at %s", stored.Pending, stored.LastPostedAt, slotAt)
	}
	if f := footers(fake, news); len(f) != 1 || f[0] != "digest d1 · 2026-03-02" {
		t.Errorf("footers %q, want exactly one post for the slot", f)
	}
	reads := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet && r.Path == "/channels/"+news+"/messages" {
			reads++
			if r.Query.Get("limit") != "50" {
				t.Errorf("read recent messages with limit %q, want 50", r.Query.Get("limit"))
			}
		}
	}
	if reads != 1 {
		t.Errorf("read the channel's messages %d times, want once, to find the post", reads)
	}
}

// TestDigestsOneChannel posts two digests in one channel at the same
// slot, each found by its own footer, and a quiet day with and without a
// note.
func TestDigestsOneChannel(t *testing.T) {
	t.Parallel()
	ix := mustOpenDevIndex(t)
	tests := []struct {
		name    string
		start   time.Time
		digests []schedule.Digest
		want    []string // footers in the channel
	}{
		{
			name:  "two topics",
			start: slotAt.Add(-time.Hour),
			digests: []schedule.Digest{
				{Topic: "sudan"},
				{Topic: "black sea"},
			},
			want: []string{"digest d1 · 2026-03-02", "digest d2 · 2026-03-02"},
		},
		{
			// Nothing is new after the articles were indexed.
			name:  "quiet day",
			start: time.Date(2100, 3, 2, 6, 30, 0, 0, time.UTC),
			digests: []schedule.Digest{
				{Topic: "sudan", QuietNote: true},
				{Topic: "alaska"},
			},
			want: []string{"digest d1 · 2100-03-02"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t)
			news := textChannel(fake, "news")
			clock := schedule.NewFakeClock(tt.start)
			store := mustOpenStore(t, "", clock)
			spec, _ := schedule.ParseSpec("07:30", "UTC", "")
			for _, d := range tt.digests {
				d.GuildID, d.ChannelID, d.Spec = discordtest.DefaultGuildID, news, spec
				if _, err := store.Add(context.Background(), d); err != nil {
					t.Fatal(err)
				}
			}
			rb := mustRun(t, fake, bot.Config{Digests: store, Clock: clock}, ix)
			slot := schedule.Digest{Spec: spec, CreatedAt: tt.start}.NextSlot()
			fireAt(t, clock, slot.At)
			for _, id := range []string{"d1", "d2"} {
				waitSlot(t, fake, store, id, slot.ID)
			}
			if got := footers(fake, news); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("footers %q, want %q", got, tt.want)
			}
			for n, id := range []string{"d1", "d2"} {
				d, _ := store.Get(context.Background(), id)
				posted, err := rb.bot.Posted(context.Background(), d, slot)
				if wantPosted := n < len(tt.want); err != nil || posted != wantPosted {
					t.Errorf("Posted(%s) = %v, %v; want %v", id, posted, err, wantPosted)
				}
				if posted, _ := rb.bot.Posted(context.Background(), d, schedule.Slot{ID: "2026-03-03"}); posted {
					t.Errorf("Posted(%s) for another day = true", id)
				}
			}
			if tt.name == "quiet day" {
				if m := fake.ChannelMessages(news); len(m) != 1 || m[0].Embeds[0].Description != "**Digest on sudan:** nothing new since Tue 2 Mar 06:30 UTC." {
					t.Errorf("quiet note %+v", m[0].Embeds[0])
				}
			}
		})
	}
}

// TestDigestSplit posts a long digest: several messages, split between
// stories, each within Discord's limits and carrying the slot.
func TestDigestSplit(t *testing.T) {
	t.Parallel()
	ix := mustIndex(t, corpustest.Generate(80, 3))
	fake := newFake(t)
	news := textChannel(fake, "news")
	clock := schedule.NewFakeClock(slotAt.Add(-time.Hour))
	store := mustOpenStore(t, "", clock)
	spec, _ := schedule.ParseSpec("07:30", "UTC", "")
	if _, err := store.Add(context.Background(), schedule.Digest{GuildID: discordtest.DefaultGuildID, ChannelID: news, Spec: spec}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, fake, bot.Config{Digests: store, Clock: clock}, ix)
	fireAt(t, clock, slotAt)
	waitSlot(t, fake, store, "d1", "2026-03-02")

	msgs := fake.ChannelMessages(news)
	if len(msgs) < 2 {
		t.Fatalf("%d messages, want the digest split", len(msgs))
	}
	for n, m := range msgs {
		if len(m.Embeds) != 1 {
			t.Fatalf("message %d has %d embeds, want 1", n, len(m.Embeds))
		}
		e := m.Embeds[0]
		if want := fmt.Sprintf("digest d1 · 2026-03-02 · %d/%d", n+1, len(msgs)); e.Footer == nil || e.Footer.Text != want {
			t.Errorf("message %d footer %+v, want %q", n, e.Footer, want)
		}
		desc := e.Description
		if n == 0 {
			_, desc, _ = strings.Cut(desc, "\n\n")
		}
		if !strings.HasPrefix(desc, "**") || strings.HasSuffix(desc, "…") {
			t.Errorf("message %d is not whole stories: %.60q … %.60q", n, desc, desc[max(0, len(desc)-60):])
		}
		if l := commands.Length(e.Description); l > commands.MaxEmbedDescription || commands.EmbedLength(e) > commands.MaxEmbedTotal || commands.Length(m.Content) > commands.MaxContent {
			t.Errorf("message %d: description of %d characters, embed of %d: over the limits", n, l, commands.EmbedLength(e))
		}
	}
	for _, b := range posts(fake, news) {
		if !strings.Contains(b, noMentions) {
			t.Errorf("posted without allowed_mentions.parse == []: %.100s", b)
		}
	}
}

// stopOnFailure posts, and stops its scheduler when the post fails, as
// a crash midway through the post would.
type stopOnFailure struct {
	*bot.Bot
	stop context.CancelFunc
}

func (p stopOnFailure) Post(ctx context.Context, d schedule.Digest, slot schedule.Slot, since time.Time) ([]byte, error) {
	stories, err := p.Bot.Post(ctx, d, slot, since)
	if err != nil {
		p.stop()
		return nil, context.Canceled
	}
	return stories, nil
}

// TestDigestPartial interrupts a digest of several messages after its
// first: when Discord fails the second message and the scheduler tries
// again, and when the bot stops there and another starts on the same
// store. Either way the channel ends up with every page once, in order.
func TestDigestPartial(t *testing.T) {
	t.Parallel()
	ix := mustIndex(t, corpustest.Generate(50, 3))
	spec, _ := schedule.ParseSpec("07:30", "UTC", "")
	// setup returns a fake Discord whose second post to a new channel
	// fails, and a store with a digest for that channel.
	setup := func(t *testing.T, path string) (*discordtest.Server, string, *schedule.FakeClock, *schedule.Store) {
		fake := newFake(t)
		news := textChannel(fake, "news")
		fake.FailAfter("POST /channels/"+news+"/messages", 1, http.StatusInternalServerError)
		clock := schedule.NewFakeClock(slotAt.Add(-time.Hour))
		store := mustOpenStore(t, path, clock)
		if _, err := store.Add(context.Background(), schedule.Digest{GuildID: discordtest.DefaultGuildID, ChannelID: news, Spec: spec}); err != nil {
			t.Fatal(err)
		}
		return fake, news, clock, store
	}
	// wantWhole checks that the channel holds every page of the slot's
	// post once, in order, and that the second was sent again after it
	// failed, but not the first.
	wantWhole := func(t *testing.T, fake *discordtest.Server, news string) {
		t.Helper()
		got := footers(fake, news)
		var want []string
		for n := range len(got) {
			want = append(want, fmt.Sprintf("digest d1 · 2026-03-02 · %d/%d", n+1, len(got)))
		}
		if len(got) != 3 || !slices.Equal(got, want) {
			t.Errorf("footers %q, want %q, with 3 pages", got, want)
		}
		var statuses []int
		for _, r := range fake.Requests() {
			if r.Method == http.MethodPost && r.Path == "/channels/"+news+"/messages" {
				statuses = append(statuses, r.Status)
			}
		}
		if want := []int{200, 500, 200, 200}; !slices.Equal(statuses, want) {
			t.Errorf("posts answered %v, want %v: page 1, page 2 failing, then pages 2 and 3", statuses, want)
		}
	}

	t.Run("failure, then retry", func(t *testing.T) {
		t.Parallel()
		fake, news, clock, store := setup(t, "")
		mustRun(t, fake, bot.Config{Digests: store, Clock: clock}, ix)
		fireAt(t, clock, slotAt)
		// The scheduler tries again a minute later (Config.Backoff).
		fireAt(t, clock, slotAt.Add(time.Minute))
		d := waitSlot(t, fake, store, "d1", "2026-03-02")
		if d.Pending != "" || !d.LastPostedAt.Equal(slotAt.Add(time.Minute)) {
			t.Errorf("Pending %q LastPostedAt %s, want the retry recorded", d.Pending, d.LastPostedAt)
		}
		wantWhole(t, fake, news)
	})

	t.Run("stop, then restart", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "digests.db")
		fake, news, clock, store := setup(t, path)
		cfg := testConfig(t, fake, bot.Config{})
		t.Cleanup(cfg.Client.CloseIdleConnections)
		first := bot.New(cfg, ix, slog.New(slog.DiscardHandler))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		sched := schedule.New(store, stopOnFailure{first, cancel}, schedule.Config{Clock: clock})
		done := make(chan error, 1)
		go func() { done <- sched.Run(ctx) }()
		fireAt(t, clock, slotAt)
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the scheduler did not stop")
		}
		if d, err := store.Get(context.Background(), "d1"); err != nil || d.Pending != "2026-03-02" {
			t.Fatalf("after the stop: Pending %q (err %v), want the slot pending", d.Pending, err)
		}
		if f := footers(fake, news); len(f) != 1 {
			t.Fatalf("footers %q after the first bot, want its first page", f)
		}
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}

		clock.Advance(10 * time.Minute)
		store = mustOpenStore(t, path, clock)
		mustRun(t, fake, bot.Config{Digests: store, Clock: clock}, ix)
		d := waitSlot(t, fake, store, "d1", "2026-03-02")
		if d.Pending != "" || d.LastPostedAt.IsZero() {
			t.Errorf("after the restart: Pending %q LastPostedAt %s, want the post recorded", d.Pending, d.LastPostedAt)
		}
		wantWhole(t, fake, news)
		// Posted read the channel and found the post partial; Post read it
		// once more and sent the pages missing.
		reads := 0
		for _, r := range fake.Requests() {
			if r.Method == http.MethodGet && r.Path == "/channels/"+news+"/messages" {
				reads++
			}
		}
		if reads != 2 {
			t.Errorf("read the channel's messages %d times, want twice: Posted, then Post", reads)
		}
	})
}

// feedServer serves an RSS feed at /rss and a web page at /page; gone
// makes the feed answer 410 Gone. The items carry their full text, so
// that a poll fetches nothing else.
type feedServer struct {
	*httptest.Server
	mu   sync.Mutex
	gone bool
}

const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title><link>%[1]s/</link>
<item><title>Envoys meet in Geneva</title><link>%[1]s/geneva</link><guid>g1</guid><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate><description>%[2]s</description></item>
<item><title>Talks resume in Doha</title><link>%[1]s/doha</link><guid>g2</guid><pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate><description>%[2]s</description></item>
</channel></rss>`

var itemText = strings.Repeat("Envoys met in Geneva on Monday to discuss a ceasefire, and agreed to meet again in Doha on Tuesday. ", 8)

func newFeedServer(tb testing.TB) *feedServer {
	fs := &feedServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		gone := fs.gone
		fs.mu.Unlock()
		switch {
		case r.URL.Path == "/rss" && gone:
			http.Error(w, "gone", http.StatusGone)
		case r.URL.Path == "/rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, rss, fs.URL, itemText)
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><head><title>News</title></head><body>Hello</body></html>")
		}
	}))
	tb.Cleanup(fs.Close)
	return fs
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	srv := newFeedServer(t)
	fake := newFake(t)
	logChannel := textChannel(fake, "mod-log")
	var rb *runningBot
	m, err := feeds.Open(feeds.Config{
		Dir:          t.TempDir(),
		StatePath:    filepath.Join(t.TempDir(), "feeds.db"),
		AllowPrivate: true, // the feed is on loopback
		OnPaused:     func(ctx context.Context, f feeds.Feed) { rb.bot.FeedPaused(ctx, f) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	rb = mustRun(t, fake, bot.Config{Feeds: m, FeedsGuildID: discordtest.DefaultGuildID, LogChannelID: logChannel}, &fakeIndex{})

	feedsSub := func(perm int64, name string, opts ...*discordtest.CommandOption) *discordtest.InteractionEvent {
		return as(perm, discordtest.SlashCommand("feeds", discordtest.SubCommand(name, opts...)))
	}
	run := func(ev *discordtest.InteractionEvent) *discordgo.InteractionResponse {
		t.Helper()
		_, resp := mustRespond(t, fake, ev)
		private(t, resp)
		return resp
	}
	description := func(resp *discordgo.InteractionResponse) string {
		if len(resp.Data.Embeds) == 0 {
			return ""
		}
		return resp.Data.Embeds[0].Description
	}

	if got := run(feedsSub(discordgo.PermissionManageMessages, "add", str("url", srv.URL+"/rss"))).Data.Content; !strings.Contains(got, "You need the Manage Server permission to manage feeds.") {
		t.Errorf("add by a member: %q, want it refused", got)
	}
	if list, _ := m.List(context.Background()); len(list) != 0 {
		t.Fatalf("%d feeds after a refused add, want none", len(list))
	}

	resp := run(feedsSub(discordgo.PermissionManageGuild, "add", str("url", srv.URL+"/rss")))
	if !strings.Contains(resp.Data.Content, "Added feed **#1**") || len(resp.Data.Embeds) != 1 || resp.Data.Embeds[0].Title != "Feed #1: Test Wire" {
		t.Fatalf("add: %q %+v, want feed #1 previewed", resp.Data.Content, resp.Data.Embeds)
	}
	if d := description(resp); !strings.Contains(d, "2 items now.") || !strings.Contains(d, "Newest: [Talks resume in Doha](<"+srv.URL+"/doha>) · 3 Mar 2026") {
		t.Errorf("preview %q, want the item count and the newest item", d)
	}

	tests := []struct {
		name, url, want string
	}{
		{"a web page", srv.URL + "/page", "I can't add that feed: not a feed: got text/html page."},
		{"the same feed again", srv.URL + "/rss", "feed already added as #1"},
		{"not a URL", "ftp://example.com/feed", "I can't add that feed: not an http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commands.Unescape(run(feedsSub(discordgo.PermissionManageGuild, "add", str("url", tt.url))).Data.Content); !strings.Contains(got, tt.want) {
				t.Errorf("content %q, want %q", got, tt.want)
			}
		})
	}

	if d := description(run(feedsSub(discordgo.PermissionManageGuild, "list"))); !strings.Contains(d, "**#1** [Test Wire](<"+srv.URL+"/rss>): new, not read yet") {
		t.Errorf("list %q, want feed #1, not read yet", d)
	}

	// The feed goes away: the poll pauses it and the moderators hear of
	// it once.
	srv.mu.Lock()
	srv.gone = true
	srv.mu.Unlock()
	for range 2 {
		if _, err := m.PollAll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	notices := fake.ChannelMessages(logChannel)
	if len(notices) != 1 || len(notices[0].Embeds) != 1 {
		t.Fatalf("%d notices in the log channel, want 1", len(notices))
	}
	if e := notices[0].Embeds[0]; e.Title != "Feed paused: Test Wire" || !strings.Contains(commands.Unescape(e.Description), "because the server says the feed is gone (HTTP 410).") {
		t.Errorf("notice %q: %q", e.Title, e.Description)
	}
	if b := posts(fake, logChannel); len(b) != 1 || !strings.Contains(b[0], noMentions) {
		t.Errorf("notice posted with %q, want allowed_mentions.parse == []", b)
	}
	if d := description(run(feedsSub(discordgo.PermissionManageGuild, "list"))); !strings.Contains(d, "**paused** since <t:") || !strings.Contains(d, "HTTP 410") {
		t.Errorf("list %q, want feed #1 paused, and why", d)
	}

	if got := run(feedsSub(discordgo.PermissionManageGuild, "remove", str("id", "#1"))).Data.Content; got != "Removed feed **#1**. The articles I read from it stay." {
		t.Errorf("remove: %q", got)
	}
	if got := run(feedsSub(discordgo.PermissionManageGuild, "remove", str("id", "1"))).Data.Content; !strings.Contains(got, "There's no feed #1") {
		t.Errorf("second remove: %q", got)
	}
	if got := run(feedsSub(discordgo.PermissionManageGuild, "list")).Data.Content; !strings.Contains(got, "I don't read any feeds yet") {
		t.Errorf("list after remove: %q", got)
	}
}

// TestFeedsHomeServer changes the feeds only from their home server: they
// feed the answers in every server, so the moderators of one must not
// change them for the others. Elsewhere /feeds add and remove are refused
// and change nothing, and /feeds list shows the feeds read-only.
func TestFeedsHomeServer(t *testing.T) {
	t.Parallel()
	srv := newFeedServer(t)
	const home, other = discordtest.DefaultGuildID, "2000000000000000001"
	refusedHere := "Feeds are shared by every server I'm in, so they can be changed only from my home server, and this isn't it. `/feeds list` shows them."
	refusedAll := "Feeds are shared by every server I'm in, so they can be changed only from my home server, and my operator hasn't set one."
	tests := []struct {
		name       string
		home       string // Config.FeedsGuildID
		guild      string // where /feeds is used
		wantRemove string
		wantAdd    string
		wantList   string // in the list's footer
		wantFeeds  []string
	}{
		{name: "home server", home: home, guild: home, wantRemove: "Removed feed **#1**.", wantAdd: "Added feed **#2**.", wantList: "/feeds remove stops one", wantFeeds: []string{"2"}},
		{name: "another server", home: home, guild: other, wantRemove: refusedHere, wantAdd: refusedHere, wantList: "changed only from my home server", wantFeeds: []string{"1"}},
		{name: "no home server", guild: home, wantRemove: refusedAll, wantAdd: refusedAll, wantList: "changed only from my home server", wantFeeds: []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := feeds.Open(feeds.Config{Dir: t.TempDir(), StatePath: filepath.Join(t.TempDir(), "feeds.db"), AllowPrivate: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			if _, _, err := m.Add(context.Background(), srv.URL+"/rss", "test"); err != nil {
				t.Fatal(err)
			}
			fake := newFake(t)
			mustRun(t, fake, bot.Config{Feeds: m, FeedsGuildID: tt.home}, &fakeIndex{})
			feedsSub := func(name string, opts ...*discordtest.CommandOption) *discordtest.InteractionEvent {
				ev := as(discordgo.PermissionManageGuild, discordtest.SlashCommand("feeds", discordtest.SubCommand(name, opts...)))
				if tt.guild != discordtest.DefaultGuildID {
					ev.GuildID, ev.ChannelID = tt.guild, "" // a channel of that server
				}
				return ev
			}

			_, resp := mustRespond(t, fake, feedsSub("list"))
			private(t, resp)
			if len(resp.Data.Embeds) != 1 || !strings.Contains(resp.Data.Embeds[0].Description, "**#1** [Test Wire]") || !strings.Contains(resp.Data.Embeds[0].Footer.Text, tt.wantList) {
				t.Errorf("list: %q %+v, want feed #1 and %q", resp.Data.Content, resp.Data.Embeds, tt.wantList)
			}
			_, resp = mustRespond(t, fake, feedsSub("remove", str("id", "1")))
			if got := private(t, resp); !strings.Contains(got, tt.wantRemove) {
				t.Errorf("remove: %q, want %q", got, tt.wantRemove)
			}
			_, resp = mustRespond(t, fake, feedsSub("add", str("url", srv.URL+"/rss")))
			if got := private(t, resp); !strings.Contains(got, tt.wantAdd) {
				t.Errorf("add: %q, want %q", got, tt.wantAdd)
			}

			list, err := m.List(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range list {
				ids = append(ids, f.ID)
			}
			if !slices.Equal(ids, tt.wantFeeds) {
				t.Errorf("feeds %q after remove and add, want %q", ids, tt.wantFeeds)
			}

			// Autocomplete offers the feeds only where they can be removed.
			ac := feedsSub("remove")
			ac.Type = discordgo.InteractionApplicationCommandAutocomplete
			ac.Data["options"] = []any{discordtest.SubCommand("remove", &discordtest.CommandOption{Name: "id", Type: discordgo.ApplicationCommandOptionString, Value: "", Focused: true})}
			_, resp = mustRespond(t, fake, ac)
			if n, want := len(resp.Data.Choices), tt.wantRemove == "Removed feed **#1**."; (n > 0) != want {
				t.Errorf("autocomplete offered %d feeds, want some: %v", n, want)
			}
		})
	}
}
