package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"strings"
	"unicode"
)

// trackingParams are query parameters that say how a reader arrived, not
// what they read.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "igshid": true, "mc_cid": true, "mc_eid": true,
	"ref": true, "ref_src": true, "ref_url": true, "_ga": true, "_gl": true, "mkt_tok": true,
	"cmpid": true, "ocid": true, "smid": true, "s_cid": true, "sr_share": true, "spm": true,
	"guccounter": true, "oly_anon_id": true, "oly_enc_id": true, "rb_clickid": true, "vero_id": true,
	"wt_mc": true, "at_medium": true, "at_campaign": true,
}

// canonicalURL returns the URL that identifies an article: http or https
// only, without user info, fragment, default port or tracking parameters,
// with a lower-case host and a sorted query. It returns "" for anything
// else.
func canonicalURL(raw string) string {
	u, err := parseHTTPURL(raw)
	if err != nil {
		return ""
	}
	u.User = nil
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	switch {
	case port != "":
		u.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"):
		u.Host = "[" + host + "]"
	default:
		u.Host = host
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.RawPath = ""
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err == nil {
			for k := range q {
				lk := strings.ToLower(k)
				if trackingParams[lk] || strings.HasPrefix(lk, "utm_") {
					delete(q, k)
				}
			}
			u.RawQuery = q.Encode() // Encode sorts by key.
		}
	}
	u.ForceQuery = false
	return u.String()
}

// urlKey is what two canonical URLs of the same article share: the scheme
// is left out (http and https copies are one) and so is a trailing slash.
func urlKey(canonical string) string {
	if canonical == "" {
		return ""
	}
	_, rest, _ := strings.Cut(canonical, "://")
	path, query, hasQuery := strings.Cut(rest, "?")
	path = strings.TrimSuffix(path, "/")
	if hasQuery {
		return path + "?" + query
	}
	return path
}

// minHashText is the shortest normalised text deduplicated by hash; shorter
// texts ("Read more…", a one-line summary) are too alike to say two items
// are the same story.
const minHashText = 200

// textHash returns the hex hash of paragraphs after normalising them
// (lower case, letters and digits only, single spaces), and reports whether
// the text is long enough to deduplicate by.
func textHash(paras []string) (string, bool) {
	var b strings.Builder
	space := false
	for _, p := range paras {
		for _, r := range p {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteRune(unicode.ToLower(r))
			} else {
				space = true
			}
		}
		space = true
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16]), b.Len() >= minHashText
}

// fileName is an article's file name: a slug of its title and a short hash
// of what identifies it (its URL key, else its feed and GUID), so a redo
// after a crash picks the same name.
func fileName(title, identity string, hashLen int) string {
	sum := sha256.Sum256([]byte(identity))
	return slug(title, 60) + "-" + hex.EncodeToString(sum[:])[:hashLen] + ".md"
}

// slug lower-cases s and keeps letters and digits, with single hyphens
// between words, cut at a word boundary to at most max runes.
func slug(s string, max int) string {
	var words []string
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		l := len([]rune(w))
		if n > 0 && n+1+l > max {
			break
		}
		if n == 0 && l > max {
			w = string([]rune(w)[:max])
			l = max
		}
		words = append(words, w)
		n += l + 1
		if n >= max {
			break
		}
	}
	if len(words) == 0 {
		return "article"
	}
	return strings.Join(words, "-")
}
