package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"attache/bot/schedule"
	"attache/commands"

	"github.com/bwmarrin/discordgo"
)

// recentMessages is how many of a channel's latest messages Posted reads.
const recentMessages = 50

// slotFooter names a digest's post for a slot, in the footer of each of
// its messages, so that Posted can find it: "digest d3 · 2026-03-08".
func slotFooter(digestID, slotID string) string {
	return "digest " + digestID + " · " + slotID
}

// Post sends digest d for slot: what came into the index since since,
// about d's topic, with what changed since the stories of d's last post,
// as one or more messages split between stories. On a day with nothing
// new it posts nothing, or a one-line note when d asks for one. It
// returns the stories to remember for the next post. Post makes *Bot a
// schedule.Poster.
func (b *Bot) Post(ctx context.Context, d schedule.Digest, slot schedule.Slot, since time.Time) ([]byte, error) {
	dg, err := commands.BuildDigest(ctx, b.idx, since, d.Topic, d.Stories)
	if err != nil {
		return nil, fmt.Errorf("build digest %s: %w", d.ID, err)
	}
	msgs := dg.Messages(slotFooter(d.ID, slot.ID), d.QuietNote)
	for n, m := range msgs {
		// A failure after the first message leaves the post partial; the
		// scheduler's retry finds the first message and does not repeat
		// it.
		if _, err := b.Send(ctx, d.ChannelID, m); err != nil {
			return nil, fmt.Errorf("digest %s, message %d of %d: %w", d.ID, n+1, len(msgs), err)
		}
	}
	b.log.Debug("digest sent", "digest", d.ID, "slot", slot.ID, "stories", len(dg.Stories), "messages", len(msgs))
	return dg.State, nil
}

// Posted reports whether digest d was already posted for slot: whether
// one of the channel's latest messages is the bot's and has the slot's
// footer.
func (b *Bot) Posted(ctx context.Context, d schedule.Digest, slot schedule.Slot) (bool, error) {
	if b.rest == nil {
		return false, b.restErr
	}
	me, err := b.botUserID(ctx)
	if err != nil {
		return false, err
	}
	msgs, err := b.rest.ChannelMessages(d.ChannelID, recentMessages, "", "", "", discordgo.WithContext(ctx))
	if err != nil {
		return false, fmt.Errorf("read recent messages of channel %s: %w", d.ChannelID, err)
	}
	footer := slotFooter(d.ID, slot.ID)
	for _, m := range msgs {
		if m.Author == nil || m.Author.ID != me {
			continue
		}
		for _, e := range m.Embeds {
			if e.Footer != nil && (e.Footer.Text == footer || strings.HasPrefix(e.Footer.Text, footer+" ·")) {
				return true, nil
			}
		}
	}
	return false, nil
}

// startScheduler runs the digest scheduler, when there is one, until ctx
// is done; the function it returns waits for it to stop.
func (b *Bot) startScheduler(ctx context.Context) (wait func()) {
	if b.sched == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := b.sched.Run(ctx); err != nil {
			b.log.Error("digest scheduler stopped", "err", err)
		}
	}()
	return func() { <-done }
}
