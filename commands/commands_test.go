package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"attache/commands"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fakeIndex is a commands.Index that answers from fixed data.
type fakeIndex struct {
	answers     []index.Answer
	articles    []index.ArticleInfo
	suggestions []string
	err         error

	mu      sync.Mutex
	queries []index.Query
}

func (f *fakeIndex) Search(ctx context.Context, q index.Query) ([]index.Answer, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	k := q.K
	if k == 0 {
		k = 3
	}
	return f.answers[:min(k, len(f.answers))], nil
}

func (f *fakeIndex) Articles(ctx context.Context, q index.ArticleQuery) ([]index.ArticleInfo, int, error) {
	if f.err != nil {
		return nil, 0, f.err
	}
	var match []index.ArticleInfo
	for _, a := range f.articles {
		if q.Text == "" || strings.Contains(strings.ToLower(a.Title), strings.ToLower(q.Text)) {
			match = append(match, a)
		}
	}
	limit := q.Limit
	if limit == 0 {
		limit = 10
	}
	from := min(q.Offset, len(match))
	return match[from:min(from+limit, len(match))], len(match), nil
}

func (f *fakeIndex) Suggest(ctx context.Context, prefix string, limit int) ([]string, error) {
	if f.err != nil {
		return nil, f.err
	}
	var out []string
	for _, s := range f.suggestions {
		if strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix)) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Topic and Stories find nothing: the tests of /summary and digests use
// a real index.
func (f *fakeIndex) Topic(ctx context.Context, topic string, since time.Time, maxArticles int) ([]index.Sentence, int, error) {
	return nil, 0, f.err
}

func (f *fakeIndex) Stories(ctx context.Context, since time.Time, topic string) ([]index.Story, error) {
	return nil, f.err
}

func (f *fakeIndex) Started() time.Time { return time.Time{} }

var published = time.Date(2025, 8, 14, 9, 0, 0, 0, time.UTC)

var summit = index.ArticleInfo{
	ID:        "alaska-summit-starmer-zelensky.md",
	Title:     "Starmer and Zelensky show united front ahead of Trump-Putin summit in Alaska",
	Source:    "seed article",
	URL:       "https://example.com/news/alaska-summit",
	Published: published,
}

// sampleAnswers are answers as the index gives them for "when is the
// summit?".
func sampleAnswers() []index.Answer {
	friday := time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC)
	texts := []string{
		"Sir Keir Starmer and Volodymyr Zelensky are united in their “strong resolve” to secure a just peace in Ukraine ahead of Friday’s summit between Donald Trump and Vladimir Putin.",
		"Putin is expected to use the summit to demand that Ukraine cede parts of the Donbas region, which it still controls.",
		"The Kremlin said that meeting in Anchorage, Alaska will start at 11:30 am local time (8.30 pm UK time).",
		"In Washington, Trump said there was a 25% chance that the summit would fail.",
		"After his meeting with Sir Keir, Zelensky suggested he and the PM had war-gamed potential outcomes of the Trump-Putin summit.",
	}
	var out []index.Answer
	for n, t := range texts {
		a := index.Answer{Passage: t, Position: n, Score: 1 - float64(n)/10, Terms: []string{"summit"}, Article: summit}
		if n == 0 {
			a.Dates = []index.DateMention{{Text: "Friday’s", Date: friday}}
			a.Terms = []string{"Friday’s summit", "summit"}
		}
		out = append(out, a)
	}
	return out
}

func guildUser(id string) *discordgo.Member {
	return &discordgo.Member{User: &discordgo.User{ID: id, Username: "user" + id}}
}

// slash builds the interaction of a slash command from a guild member.
func slash(user, name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{
		ID:      "1",
		Type:    discordgo.InteractionApplicationCommand,
		GuildID: "10",
		Member:  guildUser(user),
		Data:    discordgo.ApplicationCommandInteractionData{Name: name, Options: opts},
	}
}

// press builds the interaction of a button press.
func press(user, customID string) *discordgo.Interaction {
	return &discordgo.Interaction{
		ID:      "2",
		Type:    discordgo.InteractionMessageComponent,
		GuildID: "10",
		Member:  guildUser(user),
		Message: &discordgo.Message{ID: "99"},
		Data:    discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent},
	}
}

func str(name, v string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
}

func boolean(name string, v bool) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
}

func mustCommand(tb testing.TB, set *commands.Set, name string) commands.Command {
	tb.Helper()
	c, ok := set.Lookup(name)
	if !ok {
		tb.Fatalf("no command %q", name)
	}
	return c
}

// mustHandle runs the handler of the command that i names.
func mustHandle(tb testing.TB, set *commands.Set, i *discordgo.Interaction) commands.Reply {
	tb.Helper()
	var (
		r   commands.Reply
		err error
	)
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		r, err = mustCommand(tb, set, i.ApplicationCommandData().Name).Handle(context.Background(), i)
	case discordgo.InteractionMessageComponent:
		c, ok := set.ForButton(i.MessageComponentData().CustomID)
		if !ok {
			tb.Fatalf("no command for button %q", i.MessageComponentData().CustomID)
		}
		r, err = c.Press(context.Background(), i)
	}
	if err != nil {
		tb.Fatalf("handle %v: %v", i.Type, err)
	}
	return r
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		tb.Errorf("%s differs from the golden file (run go test -update after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// rendered is how golden files show a reply: as text, as the console
// prints it, and as the JSON Discord receives.
func rendered(tb testing.TB, r commands.Reply) []byte {
	tb.Helper()
	data, err := json.MarshalIndent(r.Data(), "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(r.Text() + "\n---- JSON ----\n" + string(data) + "\n")
}

func TestGolden(t *testing.T) {
	var articles []index.ArticleInfo
	for n := range 23 {
		articles = append(articles, index.ArticleInfo{
			ID:        fmt.Sprintf("a%02d.md", n),
			Title:     fmt.Sprintf("Talks round %d: [envoys] meet *again*", 23-n),
			Source:    "Wire",
			URL:       fmt.Sprintf("https://example.com/talks/%d_(round)", 23-n),
			Published: published.AddDate(0, 0, -n),
		})
	}
	articles = append(articles, index.ArticleInfo{ID: "no-link.md", Title: "Untitled briefing"})
	idx := &fakeIndex{answers: sampleAnswers(), articles: articles}
	set := commands.New(idx, commands.Options{})

	ask := mustHandle(t, set, slash("7", "ask", str("question", "When is the summit?")))
	golden(t, "ask.golden", rendered(t, withoutIDs(ask)))

	more := commands.Buttons(ask)
	if len(more) != 1 || more[0].Label != "More answers" {
		t.Fatalf("buttons of /ask = %+v, want one More answers", more)
	}
	page1 := mustHandle(t, set, press("7", more[0].CustomID))
	golden(t, "ask_more.golden", rendered(t, withoutIDs(page1)))

	notFound, err := commands.Ask(context.Background(), &fakeIndex{}, "who won the 1966 world cup?")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "ask_notfound.golden", rendered(t, notFound))

	sources := mustHandle(t, set, slash("7", "sources"))
	golden(t, "sources.golden", rendered(t, withoutIDs(sources)))
	next := commands.Buttons(sources)[1]
	page2 := mustHandle(t, set, press("7", next.CustomID))
	golden(t, "sources_page2.golden", rendered(t, withoutIDs(page2)))

	search := mustHandle(t, set, slash("7", "sources", str("query", "round 1")))
	golden(t, "sources_query.golden", rendered(t, withoutIDs(search)))

	golden(t, "help.golden", rendered(t, commands.Help()))
}

// withoutIDs replaces the random session IDs in custom_ids, so that
// golden files are stable.
func withoutIDs(r commands.Reply) commands.Reply {
	var rows []discordgo.MessageComponent
	for _, c := range r.Components {
		row := c.(discordgo.ActionsRow)
		var out []discordgo.MessageComponent
		for _, b := range row.Components {
			bt := b.(discordgo.Button)
			parts := strings.Split(bt.CustomID, ":")
			parts[1] = "SESSION"
			bt.CustomID = strings.Join(parts, ":")
			out = append(out, bt)
		}
		rows = append(rows, discordgo.ActionsRow{Components: out})
	}
	r.Components = rows
	return r
}

func TestAsk(t *testing.T) {
	tests := []struct {
		name      string
		question  string
		idx       *fakeIndex
		wantUser  string // a *UserError with this in its message
		wantErr   bool
		wantEmbed string // in the description
		wantText  string // in the content
	}{
		{name: "answer", question: "when is the summit", idx: &fakeIndex{answers: sampleAnswers()}, wantEmbed: "ahead of **Friday’s summit** between"},
		{name: "not found", question: "who won the cup", idx: &fakeIndex{}, wantText: "I couldn't find that in the articles I have"},
		{name: "not found hints at sources", question: "who won the cup", idx: &fakeIndex{}, wantText: "`/sources`"},
		{name: "too long", question: strings.Repeat("why?", 1500), idx: &fakeIndex{}, wantUser: "6000 characters long; please keep it under 300"},
		{name: "empty", question: "   ", idx: &fakeIndex{}, wantUser: "Please ask a question in words"},
		{name: "punctuation only", question: "?!… ***", idx: &fakeIndex{}, wantUser: "Please ask a question in words"},
		{name: "301 characters", question: strings.Repeat("é", 301), idx: &fakeIndex{}, wantUser: "301 characters"},
		{name: "300 characters", question: strings.Repeat("é", 300), idx: &fakeIndex{}, wantText: "I couldn't find"},
		{name: "only mentions", question: "<@123> @everyone <#9>", idx: &fakeIndex{}, wantUser: "Please ask a question in words"},
		{name: "index fails", question: "when", idx: &fakeIndex{err: errors.New("disk on fire")}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := commands.Ask(context.Background(), tt.idx, tt.question)
			var ue *commands.UserError
			switch {
			case tt.wantUser != "":
				if !errors.As(err, &ue) || !strings.Contains(ue.Message, tt.wantUser) {
					t.Fatalf("err = %v, want a UserError saying %q", err, tt.wantUser)
				}
				if len(tt.idx.queries) != 0 {
					t.Errorf("searched %d times for a refused question", len(tt.idx.queries))
				}
				return
			case tt.wantErr:
				if err == nil || errors.As(err, &ue) {
					t.Fatalf("err = %v, want an internal error", err)
				}
				if !strings.Contains(err.Error(), "disk on fire") {
					t.Errorf("err = %v, want it to wrap the index's", err)
				}
				return
			case err != nil:
				t.Fatalf("Ask: %v", err)
			}
			if tt.wantText != "" && !strings.Contains(r.Content, tt.wantText) {
				t.Errorf("Content = %q, want %q in it", r.Content, tt.wantText)
			}
			if tt.wantEmbed != "" {
				if len(r.Embeds) != 1 {
					t.Fatalf("%d embeds, want 1", len(r.Embeds))
				}
				if !strings.Contains(r.Embeds[0].Description, tt.wantEmbed) {
					t.Errorf("Description = %q, want %q in it", r.Embeds[0].Description, tt.wantEmbed)
				}
			}
		})
	}
}

func TestAskSearchesTheWords(t *testing.T) {
	idx := &fakeIndex{}
	if _, err := commands.Ask(context.Background(), idx, "@everyone <@!12> when is the **summit** in [Alaska](https://x.example)?"); err != nil {
		t.Fatal(err)
	}
	if got, want := idx.queries[0].Text, "when is the summit in Alaska?"; got != want {
		t.Errorf("searched for %q, want %q", got, want)
	}
}

func TestAskEmbed(t *testing.T) {
	r, err := commands.Ask(context.Background(), &fakeIndex{answers: sampleAnswers()}, "when is the summit?")
	if err != nil {
		t.Fatal(err)
	}
	e := r.Embeds[0]
	if e.Title != commands.Escape(summit.Title) {
		t.Errorf("Title = %q, want the article's", e.Title)
	}
	if e.URL != summit.URL {
		t.Errorf("URL = %q, want %q", e.URL, summit.URL)
	}
	if e.Footer == nil || e.Footer.Text != "seed article · 14 Aug 2025" {
		t.Errorf("Footer = %+v, want source and date", e.Footer)
	}
	if len(e.Fields) != 1 || e.Fields[0].Value != "Friday’s → Fri 15 Aug 2025" {
		t.Errorf("Fields = %+v, want the resolved date", e.Fields)
	}
	if r.Ephemeral {
		t.Error("Ephemeral = true; /ask answers publicly by default")
	}
}

func TestAskPrivateAndButtons(t *testing.T) {
	now := published
	clock := func() time.Time { return now }
	idx := &fakeIndex{answers: sampleAnswers()}
	set := commands.New(idx, commands.Options{Now: clock, SessionTTL: time.Minute})

	public := mustHandle(t, set, slash("7", "ask", str("question", "summit?")))
	private := mustHandle(t, set, slash("7", "ask", str("question", "summit?"), boolean("private", true)))
	if public.Ephemeral || !private.Ephemeral {
		t.Fatalf("Ephemeral public=%v private=%v, want false, true", public.Ephemeral, private.Ephemeral)
	}
	if !mustCommand(t, set, "ask").Private(slash("7", "ask", boolean("private", true))) {
		t.Error("Private(private:true) = false")
	}
	more := commands.Buttons(public)[0].CustomID
	if n := utf8.RuneCountInString(more); n > commands.MaxCustomID {
		t.Errorf("custom_id is %d characters, over %d", n, commands.MaxCustomID)
	}

	tests := []struct {
		name          string
		user          string
		customID      string
		wantUpdate    bool
		wantEphemeral bool
		wantPassages  int
	}{
		{name: "asker sees next answers in place", user: "7", customID: more, wantUpdate: true, wantPassages: 3},
		{name: "someone else sees them privately", user: "8", customID: more, wantEphemeral: true, wantPassages: 3},
		{name: "private answer stays private", user: "7", customID: commands.Buttons(private)[0].CustomID, wantUpdate: true, wantEphemeral: true, wantPassages: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustHandle(t, set, press(tt.user, tt.customID))
			if r.Update != tt.wantUpdate || r.Ephemeral != tt.wantEphemeral {
				t.Errorf("Update=%v Ephemeral=%v, want %v %v", r.Update, r.Ephemeral, tt.wantUpdate, tt.wantEphemeral)
			}
			if len(r.Embeds) != tt.wantPassages {
				t.Errorf("%d passages, want %d", len(r.Embeds), tt.wantPassages)
			}
			bs := commands.Buttons(r)
			if len(bs) == 0 || bs[0].Label != "Previous" {
				t.Errorf("buttons %+v, want Previous first", bs)
			}
			if !tt.wantUpdate && strings.Split(bs[0].CustomID, ":")[1] == strings.Split(tt.customID, ":")[1] {
				t.Error("someone else's private page reuses the asker's session")
			}
		})
	}

	now = now.Add(2 * time.Minute)
	_, err := mustCommand(t, set, "ask").Press(context.Background(), press("7", more))
	var ue *commands.UserError
	if !errors.As(err, &ue) || !strings.Contains(ue.Message, "expired") {
		t.Errorf("press after the TTL: err = %v, want an expired UserError", err)
	}
	_, err = mustCommand(t, set, "ask").Press(context.Background(), press("7", "ask:nonsense"))
	if !errors.As(err, &ue) {
		t.Errorf("press of a malformed button: err = %v, want a UserError", err)
	}
}

func TestSessionsBounded(t *testing.T) {
	idx := &fakeIndex{answers: sampleAnswers()}
	set := commands.New(idx, commands.Options{MaxSessions: 3})
	var first string
	for n := range 10 {
		r := mustHandle(t, set, slash("7", "ask", str("question", fmt.Sprint("summit ", n))))
		if n == 0 {
			first = commands.Buttons(r)[0].CustomID
		}
	}
	_, err := mustCommand(t, set, "ask").Press(context.Background(), press("7", first))
	var ue *commands.UserError
	if !errors.As(err, &ue) {
		t.Errorf("oldest session still answers after 10 puts with room for 3: err = %v", err)
	}
}

func TestSourcesButtons(t *testing.T) {
	var articles []index.ArticleInfo
	for n := range 25 {
		articles = append(articles, index.ArticleInfo{ID: fmt.Sprint(n), Title: fmt.Sprint("Article ", n)})
	}
	set := commands.New(&fakeIndex{articles: articles}, commands.Options{})
	r := mustHandle(t, set, slash("7", "sources"))
	if !r.Ephemeral {
		t.Error("/sources is not private")
	}
	tests := []struct {
		page         int
		wantPrevOff  bool
		wantNextOff  bool
		wantFirstNum string
	}{
		{0, true, false, "**1.**"},
		{1, false, false, "**11.**"},
		{2, false, true, "**21.**"},
	}
	for _, tt := range tests {
		bs := commands.Buttons(r)
		if len(bs) != 2 {
			t.Fatalf("page %d: buttons %+v, want Previous and Next", tt.page, bs)
		}
		if bs[0].Disabled != tt.wantPrevOff || bs[1].Disabled != tt.wantNextOff {
			t.Errorf("page %d: Previous disabled=%v Next disabled=%v, want %v %v", tt.page, bs[0].Disabled, bs[1].Disabled, tt.wantPrevOff, tt.wantNextOff)
		}
		if bs[0].CustomID == bs[1].CustomID {
			t.Errorf("page %d: both buttons have custom_id %q", tt.page, bs[0].CustomID)
		}
		if !strings.HasPrefix(r.Embeds[0].Description, tt.wantFirstNum) {
			t.Errorf("page %d starts %q, want %q", tt.page, r.Embeds[0].Description[:10], tt.wantFirstNum)
		}
		if tt.page < 2 {
			r = mustHandle(t, set, press("7", bs[1].CustomID))
			if !r.Update {
				t.Errorf("Next did not update the list in place")
			}
		}
	}
}

func TestSourcesRefusals(t *testing.T) {
	tests := []struct {
		name, query string
		idx         *fakeIndex
		want        string
		wantUser    bool
	}{
		{name: "empty index", idx: &fakeIndex{}, want: "I don't have any articles yet."},
		{name: "no match is escaped", query: "@everyone *zz* <@1>", idx: &fakeIndex{}, want: "No articles match “@\u200beveryone \\*zz\\* \\<@\u200b1\\>”"},
		{name: "too long", query: strings.Repeat("a", 101), idx: &fakeIndex{}, wantUser: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := commands.Sources(context.Background(), tt.idx, tt.query, 0)
			var ue *commands.UserError
			if tt.wantUser {
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want a UserError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Content, tt.want) {
				t.Errorf("Content = %q, want %q in it", r.Content, tt.want)
			}
		})
	}
}

func TestComplete(t *testing.T) {
	var many []string
	for n := range 40 {
		many = append(many, fmt.Sprintf("Alaska %d %s", n, strings.Repeat("ж", 120)))
	}
	tests := []struct {
		name  string
		idx   *fakeIndex
		typed string
		want  int
	}{
		{name: "at most 25, each at most 100 characters", idx: &fakeIndex{suggestions: many}, typed: "ala", want: 25},
		{name: "duplicates dropped", idx: &fakeIndex{suggestions: []string{"Putin", "putin", "Putin "}}, typed: "pu", want: 1},
		{name: "nothing", idx: &fakeIndex{}, typed: "zzz", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			choices, err := commands.Complete(context.Background(), tt.idx, tt.typed)
			if err != nil {
				t.Fatal(err)
			}
			if choices == nil || len(choices) != tt.want {
				t.Fatalf("%d choices (nil=%v), want %d", len(choices), choices == nil, tt.want)
			}
			for _, c := range choices {
				v, _ := c.Value.(string)
				if utf8.RuneCountInString(c.Name) > 100 || utf8.RuneCountInString(v) > 100 || c.Name == "" {
					t.Errorf("choice %q/%q breaks the 1–100 character limit", c.Name, v)
				}
				if !utf8.ValidString(c.Name) {
					t.Errorf("choice %q is not valid UTF-8", c.Name)
				}
			}
		})
	}
	if _, err := commands.Complete(context.Background(), &fakeIndex{err: errors.New("boom")}, "a"); err == nil {
		t.Error("Complete hid the index's error")
	}
}

func TestDefinitions(t *testing.T) {
	set := commands.New(&fakeIndex{}, commands.Options{})
	defs := set.Definitions()
	var names []string
	for _, d := range defs {
		names = append(names, d.Name)
		if n := utf8.RuneCountInString(d.Description); n < 1 || n > 100 {
			t.Errorf("/%s: description of %d characters, want 1–100", d.Name, n)
		}
		for _, o := range d.Options {
			if n := utf8.RuneCountInString(o.Description); n < 1 || n > 100 {
				t.Errorf("/%s %s: description of %d characters, want 1–100", d.Name, o.Name, n)
			}
		}
	}
	if got, want := strings.Join(names, " "), "ask sources upcoming timeline summary digest feeds help"; got != want {
		t.Errorf("commands %q, want %q", got, want)
	}
	ask := defs[0]
	if q := ask.Options[0]; q.Name != "question" || q.Type != discordgo.ApplicationCommandOptionString || !q.Required || q.MaxLength != commands.MaxQuestion {
		t.Errorf("/ask question = %+v", q)
	}
	if p := ask.Options[1]; p.Name != "private" || p.Type != discordgo.ApplicationCommandOptionBoolean || p.Required {
		t.Errorf("/ask private = %+v", p)
	}
	if q := defs[1].Options[0]; q.Name != "query" || !q.Autocomplete || q.Required {
		t.Errorf("/sources query = %+v", q)
	}
}

func TestOptionAccessors(t *testing.T) {
	tests := []struct {
		name    string
		opt     *discordgo.ApplicationCommandInteractionDataOption
		wantErr bool
	}{
		{name: "string", opt: str("question", "why")},
		{name: "number for a string", opt: &discordgo.ApplicationCommandInteractionDataOption{Name: "question", Type: discordgo.ApplicationCommandOptionInteger, Value: float64(3)}, wantErr: true},
		{name: "declared string, value number", opt: &discordgo.ApplicationCommandInteractionDataOption{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: float64(3)}, wantErr: true},
		{name: "bool for a string", opt: boolean("question", true), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := commands.StringOption([]*discordgo.ApplicationCommandInteractionDataOption{tt.opt}, "question")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			var ue *commands.UserError
			if tt.wantErr && (!errors.As(err, &ue) || !errors.Is(err, commands.ErrOptionType)) {
				t.Errorf("err = %v, want a UserError wrapping ErrOptionType", err)
			}
		})
	}

	set := commands.New(&fakeIndex{answers: sampleAnswers()}, commands.Options{})
	for _, i := range []*discordgo.Interaction{
		slash("7", "ask", &discordgo.ApplicationCommandInteractionDataOption{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: 12.5}),
		slash("7", "ask", str("question", "when"), str("private", "very")),
		slash("7", "ask"),
		{Type: discordgo.InteractionApplicationCommand, Member: guildUser("7")}, // no data at all
	} {
		_, err := mustCommand(t, set, "ask").Handle(context.Background(), i)
		if err == nil {
			t.Errorf("Handle(%+v) = nil error, want one", i.Data)
		}
	}
}

func TestUserOf(t *testing.T) {
	tests := []struct {
		name string
		i    *discordgo.Interaction
		want string
	}{
		{name: "guild", i: &discordgo.Interaction{Member: guildUser("1")}, want: "1"},
		{name: "dm", i: &discordgo.Interaction{User: &discordgo.User{ID: "2"}}, want: "2"},
		{name: "member without user", i: &discordgo.Interaction{Member: &discordgo.Member{}, User: &discordgo.User{ID: "3"}}, want: "3"},
		{name: "neither", i: &discordgo.Interaction{}, want: ""},
		{name: "nil", i: nil, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if u := commands.UserOf(tt.i); u != nil {
				got = u.ID
			}
			if got != tt.want {
				t.Errorf("UserOf = %q, want %q", got, tt.want)
			}
		})
	}
}
