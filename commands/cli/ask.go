package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"attache/commands"
	"attache/index"
	"golang.org/x/term"
)

// jsonAnswer is the JSON contract of attache ask --json, read by other
// tools and by our evaluation: keep its shape exactly.
type jsonAnswer struct {
	Question string       `json:"question"`
	Answers  []jsonResult `json:"answers"`
	// Refusal, with --explain, says why a question got no answer.
	Refusal *index.Explanation `json:"refusal,omitempty"`
	// Error says why a question of a batch was not asked.
	Error string `json:"error,omitempty"`
}

type jsonResult struct {
	Passage    string      `json:"passage"`
	Score      float64     `json:"score"`
	Confidence float64     `json:"confidence"`
	Dates      []string    `json:"dates"`
	Article    jsonArticle `json:"article"`
	// Explanation, with --explain: the features and what each added.
	Explanation *index.Explanation `json:"explanation,omitempty"`
}

type jsonArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

// Ask answers the question of its words (attache ask), or each line of
// stdin, as text or with --json as one object a question.
func Ask(ctx context.Context, args []string, cfg Config, stdin io.Reader, stdout, stderr io.Writer) error {
	fset := NewFlagSet("ask", stderr)
	s := NewStore(stderr)
	s.Register(fset, cfg)
	k := fset.Int("k", 3, "how many answers to show")
	asJSON := fset.Bool("json", false, "print answers as JSON, one object per question")
	explain := fset.Bool("explain", false, "show how each answer was scored, or why none was good enough")
	words, err := ParseAnywhere(fset, args)
	if err != nil {
		return BadUsage(err, stderr)
	}
	if *k < 1 || *k > 50 {
		return fmt.Errorf("-k must be between 1 and 50, not %d", *k)
	}
	ix, logger, err := s.start(ctx, cfg, "ask", stderr)
	if err != nil {
		return err
	}
	defer ix.Close()

	answer := func(q string) error {
		_, search, err := commands.CheckQuestion(q)
		if err != nil {
			return err
		}
		query := index.Query{Text: search, K: *k, Explain: *explain}
		res, err := ix.Ask(ctx, query)
		if s.heal(ctx, ix, logger, err) {
			res, err = ix.Ask(ctx, query)
		}
		if err != nil {
			return fmt.Errorf("answer %q: %w", clip(q), err)
		}
		if *asJSON {
			return writeJSON(stdout, q, res)
		}
		writeText(stdout, q, res)
		return nil
	}

	if len(words) > 0 {
		q := strings.Join(words, " ")
		if err := answer(q); err != nil {
			return questionError(q, err)
		}
		return nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, Usage)
		return errors.New("ask needs a question (or questions on standard input, one a line)")
	}
	// One question a line, of any length: a line too long or without
	// words is answered with what is wrong with it, and the batch goes on.
	err = eachLine(stdin, maxLine, func(q string, chars int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := errLineTooLong
		if chars <= maxLine {
			err = answer(q)
		}
		var ue *commands.UserError
		if err == nil || !(errors.As(err, &ue) || errors.Is(err, errLineTooLong)) {
			return err
		}
		msg := questionError(q, err).Error()
		if errors.Is(err, errLineTooLong) {
			msg = fmt.Sprintf("the question is %d characters long; please keep it under %d", chars, commands.MaxQuestion)
		}
		if *asJSON {
			return writeJSONError(stdout, q, msg)
		}
		fmt.Fprintf(stdout, "Not asked: %s.\n\n", msg)
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("read questions: %w", err)
	}
	return err
}

// maxLine is how much of a line of questions is kept: far more than the
// longest question, so that its length can be told, and little enough
// that a huge line costs no memory.
const maxLine = 64 << 10

// errLineTooLong marks a line of questions longer than maxLine.
var errLineTooLong = errors.New("line too long")

// eachLine calls fn with each line of r, without its line ending, and its
// length in characters. Lines may be of any length: of a line longer than
// keep bytes, only the first keep bytes are passed.
func eachLine(r io.Reader, keep int, fn func(line string, chars int) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		var (
			line  []byte
			chars int
			any   bool
		)
		for {
			chunk, err := br.ReadSlice('\n')
			any = any || len(chunk) > 0
			for _, c := range chunk {
				if c&0xC0 != 0x80 && c != '\n' && c != '\r' {
					chars++ // a byte that starts a character
				}
			}
			if room := keep - len(line); room > 0 {
				line = append(line, chunk[:min(room, len(chunk))]...)
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			if any {
				if ferr := fn(strings.TrimRight(string(line), "\r\n"), chars); ferr != nil {
					return ferr
				}
			}
			if err != nil { // io.EOF
				return nil
			}
			break
		}
	}
}

// clip shortens a question for echoing it back in a message.
func clip(q string) string {
	return commands.Truncate(strings.Join(strings.Fields(q), " "), 100)
}

// questionError is what the command line says about question q that err
// refused; other errors come back as they are.
func questionError(q string, err error) error {
	switch {
	case errors.Is(err, commands.ErrNoWords) && strings.TrimSpace(q) == "":
		return errors.New(`the question is empty; ask in words, for example: attache ask "when is the Alaska summit?"`)
	case errors.Is(err, commands.ErrNoWords):
		return fmt.Errorf(`the question %q has no words to look for; ask in words, for example: attache ask "when is the Alaska summit?"`, clip(q))
	case errors.Is(err, commands.ErrQuestionTooLong):
		return fmt.Errorf("the question is %d characters long; please keep it under %d", commands.Length(strings.Join(strings.Fields(q), " ")), commands.MaxQuestion)
	}
	return err
}

// writeJSONError writes the object of a question that was not asked.
func writeJSONError(w io.Writer, q, msg string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonAnswer{Question: clip(q), Answers: []jsonResult{}, Error: msg}); err != nil {
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, q string, res index.Result) error {
	out := jsonAnswer{Question: q, Answers: []jsonResult{}, Refusal: res.Refusal}
	for _, a := range res.Answers {
		r := jsonResult{
			Passage:     a.Passage,
			Score:       math.Round(a.Score*1000) / 1000,
			Confidence:  math.Round(a.Confidence*1000) / 1000,
			Dates:       []string{},
			Article:     jsonArticle{ID: a.Article.ID, Title: a.Article.Title, Source: a.Article.Source, URL: a.Article.URL},
			Explanation: a.Explanation,
		}
		for _, d := range a.Dates {
			r.Dates = append(r.Dates, d.Date.Format(time.DateOnly))
		}
		if !a.Article.Published.IsZero() {
			r.Article.Published = a.Article.Published.UTC().Format(time.RFC3339)
		}
		out.Answers = append(out.Answers, r)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

func writeText(w io.Writer, q string, res index.Result) {
	if len(res.Answers) == 0 {
		fmt.Fprintf(w, "No answer: the articles I have don't cover %q.\n", clip(q))
		if res.Refusal != nil {
			fmt.Fprint(w, indent(res.Refusal.String(), "   "))
		}
		fmt.Fprintln(w)
		return
	}
	for i, a := range res.Answers {
		fmt.Fprintf(w, "%d. %s\n", i+1, a.Passage)
		for _, d := range a.Dates {
			fmt.Fprintf(w, "   %s → %s\n", d.Text, d.Date.Format("Mon 2 Jan 2006"))
		}
		fmt.Fprintf(w, "   — %s\n", citation(a.Article))
		if a.Explanation != nil {
			fmt.Fprint(w, indent(a.Explanation.String(), "   "))
		}
	}
	fmt.Fprintln(w)
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}

// citation renders "Title, Source, date (link)", leaving out what is unknown.
func citation(a index.ArticleInfo) string {
	parts := []string{cmp.Or(a.Title, a.ID)}
	if a.Source != "" {
		parts = append(parts, a.Source)
	}
	if !a.Published.IsZero() {
		parts = append(parts, a.Published.UTC().Format("2 Jan 2006"))
	}
	s := strings.Join(parts, ", ")
	if a.URL != "" {
		s += " (" + a.URL + ")"
	}
	return s
}
