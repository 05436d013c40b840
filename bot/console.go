package bot

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"attache/commands"

	"github.com/bwmarrin/discordgo"
)

const consoleHelp = `Type a command as in Discord, or just a question:
  /ask when is the summit?        /ask question: "…" private: true
  /sources alaska                 /help
  /upcoming days:14               /timeline sudan ceasefire talks
  /more, /prev or a button's number to press it; /quit or Ctrl-D to leave.
`

// Console runs the bot's commands in a terminal, without Discord: it
// reads lines such as "/ask when is the summit", `/ask question:"…"
// private:true`, "/sources alaska", "/help", or a bare question, and
// prints each reply as text, buttons numbered so that "/more" or a number
// presses them. It answers through the same handlers, under the same
// rules, as the bot on Discord, as one user. It returns at the end of in
// or when ctx is cancelled; prompt says whether to prompt for each line.
func (b *Bot) Console(ctx context.Context, in io.Reader, out io.Writer, prompt bool) error {
	c := &console{bot: b, out: out, user: &discordgo.User{ID: "console", Username: "you"}}
	fmt.Fprintf(out, "attache console\n%s\n", consoleHelp)

	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		// This goroutine may outlive Console when ctx is cancelled while
		// it waits for a line from a terminal; the process is ending then.
		// Lines of any length: an over-long one is refused as /ask
		// refuses it, and the console goes on.
		r := bufio.NewReader(in)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				select {
				case lines <- strings.TrimRight(line, "\r\n"):
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				readErr <- err
				return
			}
		}
	}()
	for {
		if prompt {
			fmt.Fprint(out, "> ")
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(out)
			return nil
		case err := <-readErr:
			if err != nil {
				return fmt.Errorf("read console input: %w", err)
			}
			return nil
		case line := <-lines:
			if quit := c.do(ctx, line); quit {
				return nil
			}
		}
	}
}

// console is the state of a console session: the last reply with
// buttons, to press them.
type console struct {
	bot     *Bot
	out     io.Writer
	user    *discordgo.User
	n       int
	buttons []discordgo.Button
}

// do runs one line and reports whether it asked to quit.
func (c *console) do(ctx context.Context, line string) bool {
	line = strings.TrimSpace(line)
	cmd, rest, _ := strings.Cut(line, " ")
	switch strings.ToLower(cmd) {
	case "":
		return false
	case "/quit", "/exit", "quit", "exit":
		return true
	case "/more", "/next":
		c.pressLabel(ctx, "More answers", "Next")
		return false
	case "/prev", "/previous", "/back":
		c.pressLabel(ctx, "Previous")
		return false
	case "/press":
		line = strings.TrimSpace(rest)
	case "/?":
		fmt.Fprint(c.out, consoleHelp)
		return false
	}
	if n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(line, "/"), "[]")); err == nil {
		c.pressNumber(ctx, n)
		return false
	}
	if !strings.HasPrefix(line, "/") {
		// A bare question is the most common thing a newcomer types.
		line = "/ask " + line
	}
	name, args, _ := strings.Cut(line[1:], " ")
	if _, ok := c.bot.commands.Lookup(name); !ok {
		// A typo at the prompt is not a problem to log, as a
		// command Discord should not have sent would be.
		c.show(commands.Reply{Content: unknownMessage, Ephemeral: true})
		return false
	}
	c.n++
	i := &discordgo.Interaction{
		ID:        "console-" + strconv.Itoa(c.n),
		Type:      discordgo.InteractionApplicationCommand,
		ChannelID: "console",
		User:      c.user,
		Data: discordgo.ApplicationCommandInteractionData{
			Name:    name,
			Options: c.options(name, args),
		},
	}
	c.show(c.ask(ctx, i))
	return false
}

// options reads the options of command name from args: "name:value"
// pairs, values optionally in double quotes, with any other words making
// up the value of the option before them, or of the command's first text
// option. Values are typed as the command declares; a value that does not
// fit its type is passed as text, for the handler to report.
func (c *console) options(name string, args string) []*discordgo.ApplicationCommandInteractionDataOption {
	cmd, ok := c.bot.commands.Lookup(name)
	if !ok {
		return nil
	}
	declared := make(map[string]*discordgo.ApplicationCommandOption)
	current := ""
	for _, o := range cmd.Definition.Options {
		declared[o.Name] = o
		if current == "" && o.Type == discordgo.ApplicationCommandOptionString {
			current = o.Name
		}
	}
	values := make(map[string][]string)
	var order []string
	for _, tok := range splitArgs(args) {
		if k, v, ok := strings.Cut(tok.text, ":"); ok && !tok.quotedKey {
			if _, known := declared[k]; known {
				current = k
				tok.text = v
			}
		}
		if current == "" {
			continue
		}
		if _, seen := values[current]; !seen {
			order = append(order, current)
		}
		if tok.text != "" {
			values[current] = append(values[current], tok.text)
		} else if _, seen := values[current]; !seen {
			values[current] = nil
		}
	}
	var opts []*discordgo.ApplicationCommandInteractionDataOption
	for _, k := range order {
		d := declared[k]
		v := strings.Join(values[k], " ")
		o := &discordgo.ApplicationCommandInteractionDataOption{Name: k, Type: d.Type, Value: v}
		switch d.Type {
		case discordgo.ApplicationCommandOptionBoolean:
			if b, err := strconv.ParseBool(v); err == nil {
				o.Value = b
			}
		case discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				o.Value = f
			}
		}
		if v == "" && d.Type != discordgo.ApplicationCommandOptionString {
			continue
		}
		opts = append(opts, o)
	}
	return opts
}

type arg struct {
	text      string
	quotedKey bool // the token started with a quote, so a colon in it is text
}

// splitArgs splits s at spaces outside double quotes (straight or curly)
// and removes the quotes.
func splitArgs(s string) []arg {
	var (
		out     []arg
		cur     strings.Builder
		inQuote bool
		started bool
		quoted  bool
	)
	flush := func() {
		if started {
			out = append(out, arg{text: cur.String(), quotedKey: quoted})
		}
		cur.Reset()
		started, quoted = false, false
	}
	for _, r := range s {
		switch {
		case r == '"' || r == '“' || r == '”':
			if !started {
				quoted = true
			}
			started = true
			inQuote = !inQuote
		case r == ' ' && !inQuote:
			flush()
		default:
			started = true
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

func (c *console) pressLabel(ctx context.Context, labels ...string) {
	for n, bt := range c.buttons {
		for _, l := range labels {
			if bt.Label == l && !bt.Disabled {
				c.pressNumber(ctx, n+1)
				return
			}
		}
	}
	fmt.Fprintf(c.out, "There is no %q button to press.\n", labels[0])
}

func (c *console) pressNumber(ctx context.Context, n int) {
	if n < 1 || n > len(c.buttons) {
		fmt.Fprintf(c.out, "There is no button %d.\n", n)
		return
	}
	bt := c.buttons[n-1]
	if bt.Disabled {
		fmt.Fprintf(c.out, "%q can't be pressed here.\n", bt.Label)
		return
	}
	c.n++
	i := &discordgo.Interaction{
		ID:        "console-" + strconv.Itoa(c.n),
		Type:      discordgo.InteractionMessageComponent,
		ChannelID: "console",
		User:      c.user,
		Message:   &discordgo.Message{ID: "console", ChannelID: "console"},
		Data:      discordgo.MessageComponentInteractionData{CustomID: bt.CustomID, ComponentType: discordgo.ButtonComponent},
	}
	c.show(c.ask(ctx, i))
}

func (c *console) ask(ctx context.Context, i *discordgo.Interaction) commands.Reply {
	ctx, cancel := context.WithTimeout(ctx, c.bot.cfg.AnswerTimeout)
	defer cancel()
	return c.bot.answer(ctx, i).reply
}

func (c *console) show(r commands.Reply) {
	fmt.Fprintln(c.out, strings.TrimRight(r.Text(), "\n"))
	fmt.Fprintln(c.out)
	if bs := commands.Buttons(r); len(bs) > 0 || r.Update {
		c.buttons = bs
	}
}
