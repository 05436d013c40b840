package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"attache/index"

	"github.com/bwmarrin/discordgo"
)

// MaxQuestion is the longest question /ask takes, in characters.
const MaxQuestion = 300

const (
	// maxAnswers is how far "More answers" goes.
	maxAnswers = 10
	// morePerPage is how many answers each press of "More answers" shows;
	// the first page shows only the best one.
	morePerPage = 3
	embedColor  = 0x2b6cb0
	// maxCitation and maxDates keep the footer and the dates of an answer
	// short, leaving most of its share of a message to the passage.
	maxCitation = 200
	maxDates    = 400
	askPrefix   = "ask"
)

func (s *Set) askCommand() Command {
	return Command{
		Definition: &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     "ask",
			Description:              "Ask about diplomacy news; I answer from the articles I have",
			DefaultMemberPermissions: permissions(discordgo.PermissionSendMessages),
			Contexts:                 contexts,
			IntegrationTypes:         integrationTypes,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        "question",
					Description: "What you want to know, e.g. when is the Alaska summit?",
					Required:    true,
					MinLength:   intPtr(1),
					MaxLength:   MaxQuestion,
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        "private",
					Description: "Show the answer only to you (default: the channel sees it)",
				},
			},
		},
		Handle:  s.handleAsk,
		Private: askIsPrivate,
		Prefix:  askPrefix,
		Press:   s.pressAsk,
		Limited: true,
	}
}

// Ask answers question q with the passage that answers it best, in an
// embed that cites its article. When nothing answers it says so plainly.
// A question that is empty, has no words or is longer than MaxQuestion is
// refused with a *UserError.
func Ask(ctx context.Context, s Searcher, q string) (Reply, error) {
	r, _, err := askPage(ctx, s, q, 0)
	return r, err
}

func (s *Set) handleAsk(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := CommandData(i)
	if err != nil {
		return Reply{}, err
	}
	q, ok, err := StringOption(data.Options, "question")
	if err != nil {
		return Reply{}, err
	}
	if !ok {
		return Reply{}, &UserError{Message: "Please include a question, for example `/ask question: when is the Alaska summit?`"}
	}
	priv, _, err := BoolOption(data.Options, "private")
	if err != nil {
		return Reply{}, err
	}
	r, more, err := askPage(ctx, s.idx, q, 0)
	if err != nil {
		return Reply{}, err
	}
	r.Ephemeral = priv
	if more {
		id := s.sessions.put(session{text: q, owner: userID(i), private: priv})
		r.Components = askButtons(id, 0, true)
	}
	return r, nil
}

// askIsPrivate reports whether /ask was asked to answer privately. An
// unreadable option counts as private: its answer is an error message,
// which is always private.
func askIsPrivate(i *discordgo.Interaction) bool {
	data, err := CommandData(i)
	if err != nil {
		return true
	}
	priv, _, err := BoolOption(data.Options, "private")
	return priv || err != nil
}

// pressAsk shows another page of answers. The asker's message changes in
// place; anyone else who presses a button on a public answer gets the
// page privately, with buttons of their own, and the asker's message is
// left alone.
func (s *Set) pressAsk(ctx context.Context, i *discordgo.Interaction) (Reply, error) {
	data, err := ComponentData(i)
	if err != nil {
		return Reply{}, err
	}
	id, page, err := parseButtonID(data.CustomID)
	if err != nil {
		return Reply{}, &UserError{Message: "That button doesn't work any more; ask again with `/ask`.", Err: err}
	}
	sess, ok := s.sessions.get(id)
	if !ok {
		return Reply{}, &UserError{Message: "These answers have expired; ask again with `/ask`."}
	}
	r, more, err := askPage(ctx, s.idx, sess.text, page)
	if err != nil {
		return Reply{}, err
	}
	id = s.turnPage(i, id, sess, &r)
	r.Components = askButtons(id, page, more)
	return r, nil
}

func askButtons(id string, page int, more bool) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	if page > 0 {
		row = append(row, discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: buttonID(askPrefix, id, page-1)})
	}
	if more {
		row = append(row, discordgo.Button{Label: "More answers", Style: discordgo.PrimaryButton, CustomID: buttonID(askPrefix, id, page+1)})
	}
	if len(row) == 0 {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// Causes of the *UserError that CheckQuestion returns, for callers that
// word their own message.
var (
	ErrQuestionTooLong = errors.New("question too long")
	ErrNoWords         = errors.New("question has no words")
)

// CheckQuestion returns q on one line and the text to search for, or a
// *UserError saying what is wrong with q, which wraps ErrQuestionTooLong
// or ErrNoWords. It is the one check of questions, for /ask and the
// command line alike.
func CheckQuestion(q string) (question, search string, err error) {
	// Control characters (terminal escapes, NULs) are never part of a
	// question: they become spaces before anything else looks at it.
	q = oneLine(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q))
	if n := Length(q); n > MaxQuestion {
		return "", "", &UserError{Message: fmt.Sprintf("Your question is %d characters long; please keep it under %d.", n, MaxQuestion), Err: ErrQuestionTooLong}
	}
	search = searchText(q)
	if !hasWords(search) {
		return "", "", &UserError{Message: "Please ask a question in words, for example `/ask question: when is the Alaska summit?`", Err: ErrNoWords}
	}
	return q, search, nil
}

var (
	// discordMarkup matches mentions (<@id>, <@!id>, <@&id>, <#id>),
	// custom emoji (<:name:id>), timestamps (<t:…>), @everyone and @here.
	discordMarkup = regexp.MustCompile(`<(?:@[!&]?|#|a?:\w+:|t:)[^<>\s]*>|@(?:everyone|here)\b`)
	// maskedLink matches [text](address), keeping text.
	maskedLink = regexp.MustCompile(`\[([^\[\]]*)\]\([^()\s]*\)`)
)

// searchText is what of question q is worth searching for: mentions,
// links and markdown are part of how it was typed, not of what it asks.
func searchText(q string) string {
	q = discordMarkup.ReplaceAllString(q, " ")
	q = maskedLink.ReplaceAllString(q, "$1")
	q = strings.Map(func(r rune) rune {
		if strings.ContainsRune("*_~`|>#", r) {
			return ' '
		}
		return r
	}, q)
	return oneLine(q)
}

// answersOn returns the range of answers shown on page: the best one
// alone on page 0, then morePerPage at a time.
func answersOn(page int) (from, to int) {
	if page == 0 {
		return 0, 1
	}
	from = 1 + (page-1)*morePerPage
	return from, min(from+morePerPage, maxAnswers)
}

// askPage renders page of the answers to q and reports whether there are
// more after it.
func askPage(ctx context.Context, s Searcher, q string, page int) (Reply, bool, error) {
	q, search, err := CheckQuestion(q)
	if err != nil {
		return Reply{}, false, err
	}
	heading := "**Q:** " + Escape(q)
	from, to := answersOn(page)
	if from >= maxAnswers {
		return Reply{Content: heading + "\n\nThat's all the answers I have."}, false, nil
	}
	// Ask for one more than the page shows, to know whether to offer more.
	answers, err := s.Search(ctx, index.Query{Text: search, K: min(to+1, maxAnswers)})
	if err != nil {
		return Reply{}, false, fmt.Errorf("search %q: %w", search, err)
	}
	if len(answers) == 0 && page == 0 {
		return Reply{Content: "I couldn't find that in the articles I have. Try other words, or `/sources` to see which articles I have."}, false, nil
	}
	if from >= len(answers) {
		return Reply{Content: heading + "\n\nThat's all the answers I have."}, false, nil
	}
	shown := answers[from:min(to, len(answers))]
	// Share the 6000 characters a message's embeds may hold.
	budget := MaxEmbedTotal / len(shown)
	r := Reply{Content: heading}
	for _, a := range shown {
		r.Embeds = append(r.Embeds, answerEmbed(a, budget))
	}
	return r, len(answers) > to, nil
}

// answerEmbed shows answer a, within budget characters: the passage with
// the question's words in bold, the dates it mentions, and the article it
// comes from.
func answerEmbed(a index.Answer, budget int) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Color: embedColor,
		Title: fit(cmp.Or(a.Article.Title, a.Article.ID), MaxEmbedTitle, Escape),
		URL:   linkURL(a.Article.URL),
	}
	if c := citation(a.Article); c != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: Truncate(c, maxCitation)}
	}
	if f := datesField(a.Dates); f != nil {
		e.Fields = []*discordgo.MessageEmbedField{f}
	}
	// The passage is what the embed is for: it gets what is left, and
	// the parts above are small enough to leave it plenty.
	room := min(MaxEmbedDescription, budget-EmbedLength(e))
	e.Description = fit(a.Passage, room, func(p string) string { return highlight(p, a.Terms) })
	return e
}

// citation is the source and publication date of an article, for a
// footer, which Discord shows as plain text.
func citation(a index.ArticleInfo) string {
	var parts []string
	if s := oneLine(a.Source); s != "" {
		parts = append(parts, s)
	}
	if !a.Published.IsZero() {
		parts = append(parts, a.Published.UTC().Format("2 Jan 2006"))
	}
	return strings.Join(parts, " · ")
}

// dateFormat is how resolved dates are shown: "Fri 15 Aug 2025".
const dateFormat = "Mon 2 Jan 2006"

// datesField lists the dates a passage mentions, resolved: "Friday → Fri
// 15 Aug 2025". It returns nil when there are none.
func datesField(dates []index.DateMention) *discordgo.MessageEmbedField {
	var lines []string
	seen := make(map[string]bool)
	n := 0
	for _, d := range dates {
		if d.Date.IsZero() {
			continue
		}
		line := fit(d.Text, 100, Escape) + " → " + d.Date.UTC().Format(dateFormat)
		if seen[line] {
			continue
		}
		seen[line] = true
		if n+Length(line)+1 > maxDates {
			break
		}
		n += Length(line) + 1
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return nil
	}
	return &discordgo.MessageEmbedField{Name: "Dates", Value: strings.Join(lines, "\n")}
}

// linkURL returns raw if it is an absolute http(s) address that is safe
// to put in a link, and "" otherwise.
func linkURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	// Parentheses and angle brackets would end a markdown link early.
	return strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20").Replace(u.String())
}
