package bot

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// NewHTTPClient returns an http.Client whose requests to Discord's REST API
// (https://discord.com/api/v9/...) go to base instead (e.g. a rate-limit proxy or a test server).
//
// base stands for discordgo.EndpointAPI and may carry its own path prefix:
// with base http://127.0.0.1:1234/api/v9, a request for
// https://discord.com/api/v9/users/@me goes to http://127.0.0.1:1234/api/v9/users/@me,
// keeping its query, headers and body. Requests anywhere else, such as
// Discord's CDN (discordgo.EndpointCDN) or discord.com outside the API, are
// sent unchanged, because a proxy or a fake serves only the API.
// When base is Discord's own API address, the client is an ordinary one.
//
// The client gives up on a request after timeout; zero means no limit.
// NewHTTPClient returns an error unless base is an absolute http or https URL
// without user info, query or fragment.
func NewHTTPClient(base string, timeout time.Duration) (*http.Client, error) {
	to, err := parseAPIBase(base)
	if err != nil {
		return nil, err
	}
	// discordgo builds every REST URL from this package variable, so it is
	// read here rather than changed.
	from, err := url.Parse(discordgo.EndpointAPI)
	if err != nil {
		return nil, fmt.Errorf("parse discordgo API endpoint %q: %w", discordgo.EndpointAPI, err)
	}
	if sameBase(from, to) {
		return &http.Client{Timeout: timeout}, nil
	}
	t := &apiTransport{
		fromScheme: from.Scheme,
		fromHost:   from.Host,
		fromPath:   strings.TrimSuffix(from.EscapedPath(), "/"),
		to:         to,
		toPath:     strings.TrimSuffix(to.EscapedPath(), "/"),
		next:       http.DefaultTransport,
	}
	return &http.Client{Transport: t, Timeout: timeout}, nil
}

// parseAPIBase parses and checks the base given to NewHTTPClient.
func parseAPIBase(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("discord API base %q: %w", base, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "", u.Opaque != "":
		return nil, fmt.Errorf("discord API base %q: want an absolute http or https URL such as %s", base, discordgo.EndpointAPI)
	case u.User != nil:
		// The Authorization header discordgo sets would override it anyway.
		return nil, fmt.Errorf("discord API base %q: must not contain user info", base)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("discord API base %q: must not have a query or fragment", base)
	}
	return u, nil
}

// sameBase reports whether a and b name the same API base, ignoring the case
// of the host and a trailing slash.
func sameBase(a, b *url.URL) bool {
	return a.Scheme == b.Scheme &&
		strings.EqualFold(a.Host, b.Host) &&
		strings.TrimSuffix(a.EscapedPath(), "/") == strings.TrimSuffix(b.EscapedPath(), "/")
}

// apiTransport sends requests under Discord's API to another base URL.
type apiTransport struct {
	fromScheme string
	fromHost   string
	fromPath   string // escaped, without trailing slash: "/api/v9"
	to         *url.URL
	toPath     string // escaped, without trailing slash
	next       http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rest, ok := t.apiPath(req.URL)
	if !ok {
		return t.next.RoundTrip(req)
	}
	escaped := t.toPath + rest
	path, err := url.PathUnescape(escaped)
	if err != nil {
		// A RoundTripper must close the body even when it fails.
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("rewrite %s for %s: %w", req.URL.Redacted(), t.to.Redacted(), err)
	}
	// A RoundTripper must not change the caller's request.
	r := req.Clone(req.Context())
	r.URL.Scheme = t.to.Scheme
	r.URL.Host = t.to.Host
	r.URL.Path = path
	r.URL.RawPath = escaped
	r.Host = ""
	return t.next.RoundTrip(r)
}

// apiPath returns the escaped path of u below the API base, starting with
// "/" (or empty), and reports whether u is under the API base at all.
func (t *apiTransport) apiPath(u *url.URL) (string, bool) {
	if u.Scheme != t.fromScheme || !strings.EqualFold(u.Host, t.fromHost) {
		return "", false
	}
	p := u.EscapedPath()
	if p == t.fromPath {
		return "", true
	}
	if rest, ok := strings.CutPrefix(p, t.fromPath+"/"); ok {
		return "/" + rest, true
	}
	return "", false
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// underlying transport.
func (t *apiTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
