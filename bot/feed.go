package bot

import (
	"context"
	"time"

	"attache/commands"
	"attache/corpus/feeds"
)

// FeedPaused tells the moderators that the bot stopped reading feed f,
// with a notice in Config.LogChannelID; without one it only logs. It
// fits feeds.Config.OnPaused, which calls it once per pause.
func (b *Bot) FeedPaused(ctx context.Context, f feeds.Feed) {
	log := b.log.With("feed", f.ID, "url", f.URL)
	if b.cfg.LogChannelID == "" || b.rest == nil {
		log.Warn("feed paused; no log channel to tell", "why", f.PausedWhy)
		return
	}
	// The poll that paused the feed may be ending with a shutdown; the
	// notice is short and worth a few seconds.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := b.Send(ctx, b.cfg.LogChannelID, commands.FeedPausedNotice(f)); err != nil {
		log.Error("post feed paused notice", "channel", b.cfg.LogChannelID, "err", err)
		return
	}
	log.Info("feed paused; moderators told", "channel", b.cfg.LogChannelID)
}
