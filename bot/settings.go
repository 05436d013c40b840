package bot

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// tokenHelp is the message for a missing or malformed DISCORD_TOKEN.
const tokenHelp = `Get a token in the Discord Developer Portal (https://discord.com/developers/applications):
  Applications → your app → Bot → Reset Token, and put it in .env as DISCORD_TOKEN=… (see .env.example).
To try attache without a token, run: go run . console   or   go run . ask "when is the Alaska summit?"`

// ReadConfig reads the bot's settings from getenv (DISCORD_TOKEN and the
// others .env.example lists), with httpMode for serve --http, reporting every problem in one
// error.
func ReadConfig(getenv func(string) string, httpMode bool) (Config, error) {
	var (
		cfg      Config
		problems []error
		err      error
	)
	cfg.Token, err = ParseToken(getenv("DISCORD_TOKEN"))
	switch {
	case errors.Is(err, ErrNoToken):
		problems = append(problems, errors.New("DISCORD_TOKEN is not set.\n"+tokenHelp))
	case err != nil:
		problems = append(problems, errors.New("DISCORD_TOKEN does not look like a bot token (three parts of letters, digits, - and _, separated by dots).\n"+tokenHelp))
	}
	for _, v := range []struct {
		name string
		dst  *string
	}{{"DISCORD_APP_ID", &cfg.AppID}, {"DISCORD_GUILD_ID", &cfg.GuildID}, {"ATTACHE_FEEDS_GUILD_ID", &cfg.FeedsGuildID}} {
		id := strings.TrimSpace(getenv(v.name))
		if id != "" && (len(id) > 20 || strings.Trim(id, "0123456789") != "") {
			problems = append(problems, fmt.Errorf("%s %q is not a Discord ID (digits only; copy it with Developer Mode on)", v.name, id))
		}
		*v.dst = id
	}
	// Feeds feed every server's answers, so only one server may change
	// them: by default the one the commands are registered in.
	cfg.FeedsGuildID = cmp.Or(cfg.FeedsGuildID, cfg.GuildID)
	base := cmp.Or(strings.TrimSpace(getenv("DISCORD_API_BASE")), discordgo.EndpointAPI)
	if cfg.Client, err = NewHTTPClient(base, 15*time.Second); err != nil {
		problems = append(problems, fmt.Errorf("DISCORD_API_BASE: %w", err))
	}
	if cfg.AskRate, err = ParseRate(cmp.Or(getenv("ATTACHE_ASK_RATE"), "5/30s")); err != nil {
		problems = append(problems, fmt.Errorf("ATTACHE_ASK_RATE: %w", err))
	}
	if v := getenv("ATTACHE_MAX_SEARCHES"); v != "" {
		if cfg.MaxSearches, err = strconv.Atoi(v); err != nil || cfg.MaxSearches < 1 || cfg.MaxSearches > 1000 {
			problems = append(problems, fmt.Errorf("ATTACHE_MAX_SEARCHES %q: want a number from 1 to 1000", v))
		}
	}
	if v := getenv("ATTACHE_DEFER_AFTER"); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil || d < 0 || d > 2500*time.Millisecond:
			problems = append(problems, fmt.Errorf("ATTACHE_DEFER_AFTER %q: want a duration from 0s to 2.5s, leaving time within Discord's 3 seconds", v))
		case d == 0:
			cfg.DeferAfter = -1 // always defer
		default:
			cfg.DeferAfter = d
		}
	}
	if v := getenv("ATTACHE_DIGEST_GRACE"); v != "" {
		if cfg.DigestGrace, err = time.ParseDuration(v); err != nil || cfg.DigestGrace < time.Minute || cfg.DigestGrace > 7*24*time.Hour {
			problems = append(problems, fmt.Errorf("ATTACHE_DIGEST_GRACE %q: want a duration from 1m to 168h, such as 6h", v))
		}
	}
	if v := strings.TrimSpace(getenv("ATTACHE_LOG_CHANNEL_ID")); v != "" {
		if len(v) > 20 || strings.Trim(v, "0123456789") != "" {
			problems = append(problems, fmt.Errorf("ATTACHE_LOG_CHANNEL_ID %q is not a Discord ID (digits only; copy it with Developer Mode on)", v))
		}
		cfg.LogChannelID = v
	}
	if httpMode {
		if v := getenv("DISCORD_PUBLIC_KEY"); v == "" {
			problems = append(problems, errors.New("DISCORD_PUBLIC_KEY is required with --http: copy it from the Developer Portal → your app → General Information → Public Key"))
		} else if cfg.PublicKey, err = ParsePublicKey(v); err != nil {
			problems = append(problems, fmt.Errorf("DISCORD_PUBLIC_KEY: %w", err))
		}
	}
	return cfg, errors.Join(problems...)
}
