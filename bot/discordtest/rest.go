package discordtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// A call is one REST request being served.
type call struct {
	r    *http.Request
	body []byte
	at   time.Time // when it arrived, by the server's clock
}

// A handlerFunc serves a REST route. It returns the status and the value to
// send as JSON; nil sends no body.
type handlerFunc func(c *call) (int, any)

// fail returns the status and body of an error response.
func fail(e *apiError) (int, any) { return e.status, e }

// routes returns the handler of every route the fake serves.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveGateway)
	mux.Handle("/", s.endpoint("", false, s.notFound))
	api := func(pattern string, auth bool, h handlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.Handle(method+" "+s.api+path, s.endpoint(pattern, auth, h))
	}
	api("GET /gateway", false, s.getGateway)
	api("GET /gateway/bot", true, s.getGatewayBot)
	api("GET /users/@me", true, s.getMe)
	api("GET /oauth2/applications/@me", true, s.getApplication)
	api("GET /applications/@me", true, s.getApplication)
	for _, prefix := range []string{"/applications/{app}", "/applications/{app}/guilds/{guild}"} {
		api("GET "+prefix+"/commands", true, s.getCommands)
		api("PUT "+prefix+"/commands", true, s.putCommands)
		api("POST "+prefix+"/commands", true, s.postCommand)
		api("DELETE "+prefix+"/commands/{command}", true, s.deleteCommand)
	}
	// Discord authenticates these by the interaction token in the path.
	api("POST /interactions/{interaction}/{token}/callback", false, s.postCallback)
	api("POST /webhooks/{app}/{token}", false, s.postFollowup)
	api("GET /webhooks/{app}/{token}/messages/{message}", false, s.getWebhookMessage)
	api("PATCH /webhooks/{app}/{token}/messages/{message}", false, s.patchWebhookMessage)
	api("DELETE /webhooks/{app}/{token}/messages/{message}", false, s.deleteWebhookMessage)
	api("GET /channels/{channel}", true, s.getChannel)
	api("GET /channels/{channel}/messages", true, s.getMessages)
	api("POST /channels/{channel}/messages", true, s.postMessage)
	api("GET /channels/{channel}/messages/{message}", true, s.getMessage)
	api("PATCH /channels/{channel}/messages/{message}", true, s.patchMessage)
	api("DELETE /channels/{channel}/messages/{message}", true, s.deleteMessage)
	api("GET /guilds/{guild}", true, s.getGuild)
	api("GET /guilds/{guild}/members/{user}", true, s.getMember)
	api("GET /guilds/{guild}/channels", true, s.getGuildChannels)
	return mux
}

// endpoint wraps a route's handler with what every request goes through:
// injected delays and rate limits, the token check, and the request log.
func (s *Server) endpoint(route string, auth bool, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c := &call{r: r, body: body, at: s.now()}
		path := r.URL.Path
		if p, ok := strings.CutPrefix(path, s.api); ok && strings.HasPrefix(p, "/") {
			path = p
		}
		wait, limit, failure := s.faults(r.Method, path)
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-r.Context().Done():
			case <-s.done:
			}
			t.Stop()
		}

		var (
			status int
			v      any
		)
		switch {
		case limit > 0:
			status, v = s.rateLimited(w.Header(), r.Method+" "+path, limit)
		case failure != 0:
			status, v = fail(newAPIError(failure, codeGeneral, fmt.Sprintf("%d: %s", failure, http.StatusText(failure))))
		case auth && r.Header.Get("Authorization") != "Bot "+s.token:
			status, v = fail(newAPIError(http.StatusUnauthorized, codeGeneral, "401: Unauthorized"))
		default:
			status, v = h(c)
		}

		if route == "" {
			s.tb.Logf("discordtest: unexpected request %s %s", r.Method, r.URL.RequestURI())
		}
		s.mu.Lock()
		s.requests = append(s.requests, Request{
			Method: r.Method,
			Path:   path,
			Query:  r.URL.Query(),
			Route:  route,
			Header: r.Header.Clone(),
			Body:   body,
			Status: status,
		})
		s.notifyLocked()
		s.mu.Unlock()

		if v == nil {
			w.WriteHeader(status)
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			s.tb.Errorf("discordtest: encode response to %s %s: %v", r.Method, path, err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(b)
	})
}

// rateLimited fills in a 429 response as Discord sends it. discordgo reads
// retry_after from the body and X-RateLimit-Remaining and
// X-RateLimit-Reset-After from the headers, then waits and retries.
func (s *Server) rateLimited(h http.Header, route string, retry time.Duration) (int, any) {
	secs := retry.Seconds()
	hash := fnv.New64a()
	hash.Write([]byte(route))
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(s.now().Add(retry).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", fmt.Sprintf("%016x", hash.Sum64()))
	h.Set("X-RateLimit-Scope", "user")
	return http.StatusTooManyRequests, map[string]any{
		"message":     "You are being rate limited.",
		"retry_after": secs,
		"global":      false,
	}
}

// A rateLimit answers the next n matching requests with 429.
type rateLimit struct {
	match route
	n     int
	retry time.Duration
}

// A delay holds back the responses to matching requests.
type delay struct {
	prefix string
	match  route
	d      time.Duration
}

// A failure answers one matching request with an error status, after
// letting some through.
type failure struct {
	match  route
	ok     int // matching requests still to let through
	status int
}

// A route matches requests by method (any when empty) and path prefix.
type route struct {
	method, prefix string
}

// parseRoute parses "/channels/" or "POST /channels/".
func parseRoute(s string) route {
	if m, p, ok := strings.Cut(s, " "); ok {
		return route{method: strings.ToUpper(m), prefix: p}
	}
	return route{prefix: s}
}

func (rt route) matches(method, path string) bool {
	return (rt.method == "" || rt.method == method) && strings.HasPrefix(path, rt.prefix)
}

// RateLimitNext makes the next n requests matching routePrefix fail with 429
// Too Many Requests and retry_after set to retryAfter, without serving them.
// routePrefix is a path prefix below APIBase, optionally after a method:
// "/interactions/" or "POST /channels/".
func (s *Server) RateLimitNext(routePrefix string, n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimits = append(s.rateLimits, &rateLimit{match: parseRoute(routePrefix), n: n, retry: retryAfter})
}

// Delay holds back the responses to requests matching routePrefix (as for
// RateLimitNext) by d, until Delay is called again for the same routePrefix;
// d <= 0 removes the delay. When several delays match, the longest applies.
func (s *Server) Delay(routePrefix string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays = slices.DeleteFunc(s.delays, func(x *delay) bool { return x.prefix == routePrefix })
	if d > 0 {
		s.delays = append(s.delays, &delay{prefix: routePrefix, match: parseRoute(routePrefix), d: d})
	}
}

// FailAfter lets the next ok requests matching routePrefix (as for
// RateLimitNext) through, then answers the one after them with status and a
// JSON error, without serving it; the requests after that are served.
// discordgo retries a 502 Bad Gateway, and returns other errors to its
// caller. A rate limit that matches the same request comes first.
func (s *Server) FailAfter(routePrefix string, ok, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &failure{match: parseRoute(routePrefix), ok: ok, status: status})
}

// faults returns how long to hold back the request and, when it is to be
// rate limited, its retry_after, or else, when it is to fail, the status.
func (s *Server) faults(method, path string) (wait, limit time.Duration, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.delays {
		if d.match.matches(method, path) {
			wait = max(wait, d.d)
		}
	}
	for i, rl := range s.rateLimits {
		if rl.match.matches(method, path) {
			limit = rl.retry
			if rl.n--; rl.n <= 0 {
				s.rateLimits = slices.Delete(s.rateLimits, i, i+1)
			}
			// A zero retry_after still means 429.
			return wait, max(limit, time.Nanosecond), 0
		}
	}
	for i, f := range s.failures {
		if f.match.matches(method, path) {
			if f.ok > 0 {
				f.ok--
				break
			}
			s.failures = slices.Delete(s.failures, i, i+1)
			return wait, 0, f.status
		}
	}
	return wait, 0, 0
}

func (s *Server) notFound(c *call) (int, any) {
	return fail(newAPIError(http.StatusNotFound, codeGeneral, "404: Not Found"))
}

func (s *Server) getGateway(c *call) (int, any) {
	return http.StatusOK, map[string]any{"url": s.GatewayURL()}
}

func (s *Server) getGatewayBot(c *call) (int, any) {
	return http.StatusOK, map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]any{
			"total":           1000,
			"remaining":       999,
			"reset_after":     86400000,
			"max_concurrency": 1,
		},
	}
}

func (s *Server) getMe(c *call) (int, any) {
	u := s.botUserJSON()
	u["verified"] = true
	u["mfa_enabled"] = false
	u["flags"] = 0
	return http.StatusOK, u
}

func (s *Server) getApplication(c *call) (int, any) {
	return http.StatusOK, map[string]any{
		"id":                     s.appID,
		"name":                   DefaultBotUsername,
		"icon":                   nil,
		"description":            "",
		"summary":                "",
		"bot_public":             true,
		"bot_require_code_grant": false,
		"verify_key":             strings.Repeat("0", 64),
		"flags":                  0,
		"team":                   nil,
		"owner":                  userJSON(&discordgo.User{ID: DefaultUserID, Username: DefaultUsername}),
		"bot":                    s.botUserJSON(),
	}
}

func (s *Server) getChannel(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[c.r.PathValue("channel")]
	if ch == nil {
		return fail(newAPIError(http.StatusNotFound, codeUnknownChannel, "Unknown Channel"))
	}
	return http.StatusOK, ch
}

func (s *Server) getGuild(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.guildLocked(c.r.PathValue("guild"), false)
	if g == nil {
		return fail(newAPIError(http.StatusNotFound, codeUnknownGuild, "Unknown Guild"))
	}
	return http.StatusOK, s.rawLocked(g)
}

// rawLocked encodes v while the lock keeps others from changing it.
func (s *Server) rawLocked(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		s.tb.Errorf("discordtest: encode %T: %v", v, err)
	}
	return b
}

func (s *Server) getMember(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	guild := c.r.PathValue("guild")
	if s.guildLocked(guild, false) == nil {
		return fail(newAPIError(http.StatusNotFound, codeUnknownGuild, "Unknown Guild"))
	}
	m := s.members[guild][c.r.PathValue("user")]
	if m == nil {
		return fail(newAPIError(http.StatusNotFound, codeUnknownMember, "Unknown Member"))
	}
	return http.StatusOK, s.rawLocked(m)
}

func (s *Server) getGuildChannels(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	guild := c.r.PathValue("guild")
	chans := []*discordgo.Channel{}
	for _, ch := range s.channels {
		if ch.GuildID == guild {
			chans = append(chans, ch)
		}
	}
	if len(chans) == 0 {
		return fail(newAPIError(http.StatusNotFound, codeUnknownGuild, "Unknown Guild"))
	}
	slices.SortFunc(chans, func(a, b *discordgo.Channel) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return compareIDs(a.ID, b.ID)
	})
	return http.StatusOK, chans
}

// compareIDs orders snowflakes numerically.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func (s *Server) getMessages(c *call) (int, any) {
	q := c.r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		f := formErrors{}
		switch {
		case err != nil:
			f.add("limit", "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %q is not int.", v))
		case n < 1:
			f.add("limit", "NUMBER_TYPE_MIN", "Int value should be greater than or equal to 1.")
		case n > 100:
			f.add("limit", "NUMBER_TYPE_MAX", "Int value should be less than or equal to 100.")
		}
		if e := f.err(); e != nil {
			return fail(e)
		}
		limit = n
	}
	if q.Has("around") {
		return fail(newAPIError(http.StatusBadRequest, codeGeneral, "discordtest: around is not supported"))
	}
	before, after := q.Get("before"), q.Get("after")

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.channels[c.r.PathValue("channel")] == nil {
		return fail(newAPIError(http.StatusNotFound, codeUnknownChannel, "Unknown Channel"))
	}
	ids := s.history[c.r.PathValue("channel")]
	var picked []string
	if after != "" {
		// Discord pages forward from the oldest message after the ID.
		for _, id := range ids {
			if compareIDs(id, after) > 0 && (before == "" || compareIDs(id, before) < 0) && len(picked) < limit {
				picked = append(picked, id)
			}
		}
		slices.Reverse(picked)
	} else {
		for _, id := range slices.Backward(ids) {
			if (before == "" || compareIDs(id, before) < 0) && len(picked) < limit {
				picked = append(picked, id)
			}
		}
	}
	out := []json.RawMessage{}
	for _, id := range picked {
		out = append(out, s.messages[id].marshal())
	}
	return http.StatusOK, out
}

func (s *Server) postMessage(c *call) (int, any) {
	p, err := readPayload(c.r, c.body)
	if err != nil {
		return fail(newAPIError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	channelID := c.r.PathValue("channel")
	if s.channels[channelID] == nil {
		return fail(newAPIError(http.StatusNotFound, codeUnknownChannel, "Unknown Channel"))
	}
	if e := checkMessage(p, true); e != nil {
		return fail(e)
	}
	msg := s.newMessageLocked(channelID, p)
	s.storeLocked(msg, true)
	return http.StatusOK, json.RawMessage(msg.marshal())
}

// channelMessageLocked finds a message of the request's channel.
func (s *Server) channelMessageLocked(c *call) (*message, *apiError) {
	if s.channels[c.r.PathValue("channel")] == nil {
		return nil, newAPIError(http.StatusNotFound, codeUnknownChannel, "Unknown Channel")
	}
	msg := s.messages[c.r.PathValue("message")]
	if msg == nil || msg.deleted || msg.channelID != c.r.PathValue("channel") {
		return nil, newAPIError(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
	}
	return msg, nil
}

func (s *Server) getMessage(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg, e := s.channelMessageLocked(c)
	if e != nil {
		return fail(e)
	}
	return http.StatusOK, json.RawMessage(msg.marshal())
}

func (s *Server) patchMessage(c *call) (int, any) {
	p, err := readPayload(c.r, c.body)
	if err != nil {
		return fail(newAPIError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg, e := s.channelMessageLocked(c)
	if e != nil {
		return fail(e)
	}
	var author struct {
		ID string `json:"id"`
	}
	json.Unmarshal(msg.fields["author"], &author)
	if author.ID != s.botUserID {
		return fail(newAPIError(http.StatusForbidden, codeOtherUsersMessage, "Cannot edit a message authored by another user"))
	}
	if e := checkMessage(p, false); e != nil {
		return fail(e)
	}
	s.patchLocked(msg, p)
	return http.StatusOK, json.RawMessage(msg.marshal())
}

func (s *Server) deleteMessage(c *call) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg, e := s.channelMessageLocked(c)
	if e != nil {
		return fail(e)
	}
	s.deleteLocked(msg)
	return http.StatusNoContent, nil
}
