package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// UserAgent names the bot in every request.
const UserAgent = "attache/1.0 (+diplomacy news bot)"

const (
	maxRedirects = 5
	acceptFeed   = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
	acceptPage   = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
)

// newClient returns the client used for feeds and pages alike: bounded in
// time and redirects, with no proxy (a proxy would make the address check
// see the proxy instead of the server) and, unless allowPrivate, a check of
// every address it connects to.
func newClient(timeout time.Duration, allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: min(timeout, 10*time.Second), KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.ControlContext = checkDial
	}
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           32,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  timeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return ErrTooManyRedirects
			}
			return checkScheme(req.URL)
		},
	}
}

// checkDial runs after DNS resolution, once for each address the dialer
// tries, so a name that resolves (or redirects) to a forbidden address is
// refused whatever the URL said.
func checkDial(_ context.Context, network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrAddressNotAllowed, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrAddressNotAllowed, address)
	}
	return checkAddr(ip)
}

// addressError says why an address was refused.
type addressError struct {
	ip   netip.Addr
	kind string
}

func (e *addressError) Error() string {
	return fmt.Sprintf("address not allowed: resolves to %s (%s)", e.kind, e.ip)
}

func (e *addressError) Is(target error) bool { return target == ErrAddressNotAllowed }

// blockedRanges are the networks feeds may not reach; the first match names
// the reason, so narrow ranges come before the ranges that hold them.
var blockedRanges = []struct {
	prefix netip.Prefix
	kind   string
}{
	{netip.MustParsePrefix("169.254.169.254/32"), "a cloud metadata address"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "a cloud metadata address"},
	{netip.MustParsePrefix("0.0.0.0/8"), "an unspecified address"},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (CGNAT) address"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "a reserved address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a reserved address"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a reserved address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a reserved address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a reserved address"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("::/128"), "an unspecified address"},
	{netip.MustParsePrefix("::1/128"), "a loopback address"},
	{netip.MustParsePrefix("::/96"), "a reserved address"},
	{netip.MustParsePrefix("100::/64"), "a reserved address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a reserved address"},
	{netip.MustParsePrefix("fc00::/7"), "a private address"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local address"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast address"},
}

// Prefixes whose addresses carry an IPv4 address in their last 32 bits.
var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// checkAddr returns an error matching ErrAddressNotAllowed when ip may not
// be reached.
func checkAddr(ip netip.Addr) error {
	ip = ip.WithZone("").Unmap()
	check := []netip.Addr{ip}
	if ip.Is6() {
		b := ip.As16()
		switch {
		case nat64Prefix.Contains(ip):
			check = append(check, netip.AddrFrom4([4]byte(b[12:16])))
		case sixToFour.Contains(ip):
			check = append(check, netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	for _, a := range check {
		for _, r := range blockedRanges {
			if r.prefix.Contains(a) {
				return &addressError{ip: ip, kind: r.kind}
			}
		}
	}
	return nil
}

// checkScheme refuses anything but absolute http and https URLs.
func checkScheme(u *url.URL) error {
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadURL, u.Redacted())
	}
	return nil
}

// parseHTTPURL parses an absolute http or https URL and drops its fragment.
func parseHTTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrBadURL, raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// response is a fetched body with what is needed from its headers.
type response struct {
	body         []byte
	mediaType    string
	etag         string
	lastModified string
	// notModified is set on 304; body is then empty.
	notModified bool
	// url is where the body came from, after redirects.
	url *url.URL
}

// statusError is an unsuccessful HTTP status.
type statusError struct {
	code       int
	status     string
	retryAfter time.Duration
}

func (e *statusError) Error() string { return "server answered " + e.status }

// fetch GETs rawURL. With etag or lastModified it asks only for a changed
// body and reports notModified on 304. Bodies over MaxBytes are refused
// without reading further.
func (m *Manager) fetch(ctx context.Context, rawURL, accept, etag, lastModified string) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrBadURL, rawURL)
	}
	if err := checkScheme(req.URL); err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", accept)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	if resp.StatusCode == http.StatusNotModified {
		return &response{notModified: true, etag: etag, lastModified: lastModified, url: resp.Request.URL}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &statusError{
			code:       resp.StatusCode,
			status:     resp.Status,
			retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), m.cfg.Now()),
		}
	}
	tooLarge := fmt.Errorf("%w: over %s", ErrTooLarge, formatBytes(m.cfg.MaxBytes))
	if resp.ContentLength > m.cfg.MaxBytes {
		return nil, tooLarge
	}
	// Read one byte past the cap to tell "exactly at the cap" from "over".
	body, err := io.ReadAll(io.LimitReader(resp.Body, m.cfg.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", resp.Request.URL.Redacted(), err)
	}
	if int64(len(body)) > m.cfg.MaxBytes {
		return nil, tooLarge
	}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return &response{
		body:         body,
		mediaType:    mediaType,
		etag:         resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"),
		url:          resp.Request.URL,
	}, nil
}

// parseRetryAfter reads a Retry-After header in seconds or as a date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// describeFetchError turns an error from fetch into a sentence for a user,
// without the URL and dial details that the logs carry.
func describeFetchError(err error) error {
	var addrErr *addressError
	if errors.As(err, &addrErr) {
		return addrErr
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return fmt.Errorf("the server did not answer in time: %w", err)
	}
	return err
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
