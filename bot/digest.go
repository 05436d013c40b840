package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"attache/commands"
	"attache/commands/schedule"

	"github.com/bwmarrin/discordgo"
)

// recentMessages is how many of a channel's latest messages Posted and
// Post read to find a slot's messages.
const recentMessages = 50

// slotFooter names a digest's post for a slot, in the footer of each of
// its messages, so that Posted can find it: "digest d3 · 2026-03-08". When
// the post takes several messages, each footer adds its page and their
// number: "digest d3 · 2026-03-08 · 2/3".
func slotFooter(digestID, slotID string) string {
	return "digest " + digestID + " · " + slotID
}

// page is one message of a digest's post: the nth of count.
type page struct{ n, count int }

// pageOf reads the page of a slot's post that footer names: 1 of 1 for
// the slot's footer alone, n of count for one with " · n/count". ok is
// false for the footer of anything else.
func pageOf(footer, slotFooter string) (p page, ok bool) {
	if footer == slotFooter {
		return page{1, 1}, true
	}
	rest, ok := strings.CutPrefix(footer, slotFooter+" · ")
	if !ok {
		return page{}, false
	}
	a, b, ok := strings.Cut(rest, "/")
	n, err1 := strconv.Atoi(a)
	count, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > count {
		return page{}, false
	}
	return page{n, count}, true
}

// postedPages returns the pages of digest d's post for slot that are
// among the channel's recent messages of the bot's.
func (b *Bot) postedPages(ctx context.Context, d schedule.Digest, slot schedule.Slot) (map[page]bool, error) {
	if b.rest == nil {
		return nil, b.restErr
	}
	me, err := b.botUserID(ctx)
	if err != nil {
		return nil, err
	}
	msgs, err := b.rest.ChannelMessages(d.ChannelID, recentMessages, "", "", "", discordgo.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("read recent messages of channel %s: %w", d.ChannelID, err)
	}
	footer := slotFooter(d.ID, slot.ID)
	pages := make(map[page]bool)
	for _, m := range msgs {
		if m.Author == nil || m.Author.ID != me {
			continue
		}
		for _, e := range m.Embeds {
			if e.Footer == nil {
				continue
			}
			if p, ok := pageOf(e.Footer.Text, footer); ok {
				pages[p] = true
			}
		}
	}
	return pages, nil
}

// Post sends digest d for slot: what came into the index since since,
// about d's topic, with what changed since the stories of d's last post,
// as one or more messages split between stories. On a day with nothing
// new it posts nothing, or a one-line note when d asks for one. It
// returns the stories to remember for the next post. Post makes *Bot a
// schedule.Poster.
//
// When an earlier try at the slot may have sent some of the messages
// (d.Pending is the slot: it failed midway, or the bot stopped), Post
// reads the channel's recent messages once and sends only the pages that
// are not there, in order.
func (b *Bot) Post(ctx context.Context, d schedule.Digest, slot schedule.Slot, since time.Time) ([]byte, error) {
	dg, err := commands.BuildDigest(ctx, b.idx, since, d.Topic, d.Stories)
	if err != nil {
		return nil, fmt.Errorf("build digest %s: %w", d.ID, err)
	}
	if !d.NoComingUp && b.cfg.Calendar != nil {
		at := slot.At
		if at.IsZero() {
			at = b.cfg.Now()
		}
		if dg.ComingUp, err = commands.ComingUp(ctx, b.cfg.Calendar, b.idx, d.Topic, at); err != nil {
			return nil, fmt.Errorf("digest %s: coming up: %w", d.ID, err)
		}
	}
	msgs := dg.Messages(slotFooter(d.ID, slot.ID), d.QuietNote)
	var posted map[page]bool
	if d.Pending == slot.ID && len(msgs) > 0 {
		if posted, err = b.postedPages(ctx, d, slot); err != nil {
			return nil, fmt.Errorf("digest %s: %w", d.ID, err)
		}
	}
	sent := 0
	for n, m := range msgs {
		// A page is known by its number and the number of pages. Should
		// articles that came in since the earlier try change how many
		// pages the digest has, none of them is found and the post is
		// sent whole again: repeated in part, rather than missing stories.
		if posted[page{n + 1, len(msgs)}] {
			continue
		}
		// A failure leaves the post partial; the scheduler's retry finds
		// the pages sent and sends the rest.
		if _, err := b.Send(ctx, d.ChannelID, m); err != nil {
			return nil, fmt.Errorf("digest %s, message %d of %d: %w", d.ID, n+1, len(msgs), err)
		}
		sent++
	}
	b.log.Debug("digest sent", "digest", d.ID, "slot", slot.ID, "stories", len(dg.Stories), "messages", len(msgs), "sent", sent)
	return dg.State, nil
}

// Posted reports whether digest d was already posted in full for slot:
// whether every page of the slot's post is among the channel's latest
// messages of the bot's. A post whose later pages are missing was
// interrupted, and Post sends the rest.
func (b *Bot) Posted(ctx context.Context, d schedule.Digest, slot schedule.Slot) (bool, error) {
	pages, err := b.postedPages(ctx, d, slot)
	if err != nil {
		return false, err
	}
	for p := range pages {
		whole := true
		for n := 1; n <= p.count && whole; n++ {
			whole = pages[page{n, p.count}]
		}
		if whole {
			return true, nil
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
