package commands_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"attache/commands"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{name: "fits", s: "short", n: 10, want: "short"},
		{name: "exactly", s: "12345", n: 5, want: "12345"},
		{name: "word boundary", s: "the summit in Alaska", n: 15, want: "the summit in…"},
		{name: "cut falls on a space", s: "the summit in Alaska", n: 11, want: "the summit…"},
		{name: "dangling comma dropped", s: "Trump, Putin and Zelensky", n: 9, want: "Trump…"},
		{name: "no space: hard cut at a rune", s: "日本語のテキストです", n: 5, want: "日本語の…"},
		{name: "accents are one character", s: "éééé ééé", n: 6, want: "éééé…"},
		{name: "emoji kept whole", s: "🇺🇦🇺🇦🇺🇦", n: 3, want: "🇺🇦…"},
		{name: "one", s: "hello", n: 1, want: "…"},
		{name: "zero", s: "hello", n: 0, want: ""},
		{name: "long word is cut, not dropped", s: "a Supercalifragilistic", n: 10, want: "a Superca…"},
		{name: "escape not left dangling", s: `a\*b\*c\*d`, n: 5, want: `a\*b…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := commands.Truncate(tt.s, tt.n)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
			if utf8.RuneCountInString(got) > max(tt.n, 0) || !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) = %q: too long or invalid UTF-8", tt.s, tt.n, got)
			}
		})
	}
}

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "when is the summit?", want: "when is the summit?"},
		{name: "everyone", in: "@everyone look", want: "@\u200beveryone look"},
		{name: "here", in: "@here", want: "@\u200bhere"},
		{name: "user mention", in: "<@123456>", want: `\<@` + "\u200b" + `123456\>`},
		{name: "role mention", in: "<@&42>", want: `\<@` + "\u200b" + `&42\>`},
		{name: "channel", in: "<#42>", want: `\<#42\>`},
		{name: "bold and italics", in: "**big** _it_ ~~s~~", want: `\*\*big\*\* \_it\_ \~\~s\~\~`},
		{name: "code and spoiler", in: "`x` ||y||", want: "\\`x\\` \\|\\|y\\|\\|"},
		{name: "masked link", in: "[bank](https://evil.example)", want: `\[bank\]\(https://evil.example\)`},
		{name: "heading", in: "# Big", want: `\# Big`},
		{name: "subtext", in: "-# small", want: `\-# small`},
		{name: "quote", in: "> quoted", want: `\> quoted`},
		{name: "numbered list", in: "1. first", want: `1\. first`},
		{name: "newlines cannot start blocks", in: "a\n# b\n> c", want: `a # b \> c`},
		{name: "backslash", in: `\*`, want: `\\\*`},
		{name: "unicode untouched", in: "Zelensky’s “resolve” 🇺🇦", want: "Zelensky’s “resolve” 🇺🇦"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := commands.Escape(tt.in)
			if got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := commands.Unescape(got); back != strings.Join(strings.Fields(tt.in), " ") {
				t.Errorf("Unescape(Escape(%q)) = %q", tt.in, back)
			}
		})
	}
}

// checkLimits fails t for every one of Discord's limits that r breaks once
// turned into a response.
func checkLimits(t *testing.T, r commands.Reply) {
	t.Helper()
	d := r.Data()
	count := utf8.RuneCountInString
	if n := count(d.Content); n > commands.MaxContent {
		t.Errorf("content of %d characters", n)
	}
	if len(d.Embeds) > commands.MaxEmbeds {
		t.Errorf("%d embeds", len(d.Embeds))
	}
	total := 0
	for _, e := range d.Embeds {
		total += commands.EmbedLength(e)
		if n := count(e.Title); n > commands.MaxEmbedTitle {
			t.Errorf("title of %d characters", n)
		}
		if n := count(e.Description); n > commands.MaxEmbedDescription {
			t.Errorf("description of %d characters", n)
		}
		if e.Footer != nil && count(e.Footer.Text) > commands.MaxFooter {
			t.Errorf("footer of %d characters", count(e.Footer.Text))
		}
		if len(e.Fields) > commands.MaxFields {
			t.Errorf("%d fields", len(e.Fields))
		}
		for _, f := range e.Fields {
			if count(f.Name) > commands.MaxFieldName || count(f.Value) > commands.MaxFieldValue {
				t.Errorf("field of %d+%d characters", count(f.Name), count(f.Value))
			}
		}
		for _, s := range []string{e.Title, e.Description} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in %q", s)
			}
		}
	}
	if total > commands.MaxEmbedTotal {
		t.Errorf("embeds of %d characters in all", total)
	}
	for _, b := range commands.Buttons(r) {
		if count(b.CustomID) > commands.MaxCustomID || count(b.Label) > commands.MaxButtonLabel {
			t.Errorf("button %q/%q too long", b.Label, b.CustomID)
		}
	}
	if !utf8.ValidString(d.Content) {
		t.Errorf("invalid UTF-8 in content")
	}
}

func TestLimits(t *testing.T) {
	huge := strings.Repeat("Putin’s envoy met **Trump’s** in Anchorage, Alaska. ", 400) // 20,000 characters
	hugeWord := strings.Repeat("ж", 9000)
	var dates []index.DateMention
	for n := range 200 {
		dates = append(dates, index.DateMention{Text: fmt.Sprintf("on day %d %s", n, strings.Repeat("x", 30)), Date: published.AddDate(0, 0, n)})
	}
	article := index.ArticleInfo{
		ID:        "x.md",
		Title:     strings.Repeat("Very long title ", 40),
		Source:    strings.Repeat("Source ", 400),
		URL:       "https://example.com/" + strings.Repeat("a", 3000),
		Published: published,
	}
	var answers []index.Answer
	for range 10 {
		answers = append(answers, index.Answer{Passage: huge, Terms: []string{"Putin’s", "Alaska", "**Trump’s**"}, Dates: dates, Article: article})
	}
	long := []index.Answer{{Passage: hugeWord, Terms: []string{"ж"}, Article: article}, {Passage: hugeWord, Article: article}}

	idx := &fakeIndex{answers: answers}
	set := commands.New(idx, commands.Options{})
	first := mustHandle(t, set, slash("7", "ask", str("question", strings.Repeat("a", 300))))
	checkLimits(t, first)
	more := mustHandle(t, set, press("7", commands.Buttons(first)[0].CustomID))
	if len(more.Embeds) != 3 {
		t.Fatalf("%d embeds on the second page, want 3", len(more.Embeds))
	}
	checkLimits(t, more)
	// Markdown stays whole: bold markers pair up after fitting.
	for _, e := range append(first.Embeds, more.Embeds...) {
		if c := strings.Count(e.Description, "**"); c%2 != 0 {
			t.Errorf("description has %d ** markers; a bold was cut in half", c)
		}
		if !strings.HasSuffix(e.Description, "…") {
			t.Errorf("description of a 20,000-character passage does not end with …")
		}
	}
	r, err := commands.Ask(t.Context(), &fakeIndex{answers: long}, "ж")
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, r)

	var articles []index.ArticleInfo
	for n := range 30 {
		articles = append(articles, index.ArticleInfo{ID: fmt.Sprint(n), Title: article.Title + "[x](y)", Source: article.Source, URL: article.URL, Published: published})
	}
	list, err := commands.Sources(t.Context(), &fakeIndex{articles: articles}, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, list)

	// The last line of defence: whatever a command builds, Data keeps the
	// limits.
	wild := commands.Reply{Content: strings.Repeat("é", 5000)}
	for range 12 {
		e := &discordgo.MessageEmbed{Title: hugeWord, Description: hugeWord, Footer: &discordgo.MessageEmbedFooter{Text: hugeWord}}
		for range 30 {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: hugeWord, Value: hugeWord})
		}
		wild.Embeds = append(wild.Embeds, e)
	}
	checkLimits(t, wild)
}

func TestNoMentions(t *testing.T) {
	r := commands.Reply{Content: "@everyone", Embeds: []*discordgo.MessageEmbed{{Title: "t"}}}
	for name, v := range map[string]any{"response": r.Data(), "edit": r.Edit(), "follow-up": r.Params()} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"allowed_mentions":{"parse":[]`) {
			t.Errorf("%s JSON %s lacks allowed_mentions.parse = []", name, data)
		}
	}
	// An update must clear the buttons of the message it replaces.
	data, _ := json.Marshal(commands.Reply{Update: true}.Data())
	if !strings.Contains(string(data), `"components":[]`) || !strings.Contains(string(data), `"embeds":[]`) {
		t.Errorf("update JSON %s, want empty components and embeds, not null", data)
	}
}
