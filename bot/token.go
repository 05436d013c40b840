package bot

import (
	"errors"
	"strings"
)

// Errors of ParseToken.
var (
	ErrNoToken  = errors.New("no bot token")
	ErrBadToken = errors.New("malformed bot token")
)

// ParseToken checks the shape of a bot token, as copied from the Discord
// Developer Portal or with the "Bot " prefix of an Authorization header,
// and returns it without the prefix. A token is three parts of base64url
// separated by dots; anything else is reported as ErrBadToken (an empty
// one as ErrNoToken) without contacting Discord. The token itself never
// appears in the error.
func ParseToken(s string) (string, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "Bot"); ok && (rest == "" || rest[0] == ' ') {
		s = strings.TrimSpace(rest)
	}
	if s == "" {
		return "", ErrNoToken
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return "", ErrBadToken
	}
	for _, p := range parts {
		if p == "" || strings.IndexFunc(p, notBase64URL) >= 0 {
			return "", ErrBadToken
		}
	}
	return s, nil
}

func notBase64URL(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}
