package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway opcodes.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opPresenceUpdate = 3
	opVoiceState     = 4
	opResume         = 6
	opRequestMembers = 8
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

// Websocket close codes the gateway uses.
const (
	closeNormal           = websocket.CloseNormalClosure
	closeGoingAway        = websocket.CloseGoingAway
	closeUnknownOpcode    = 4001
	closeDecodeError      = 4002
	closeNotAuthenticated = 4003
	closeAuthFailed       = 4004
	closeAlreadyAuthed    = 4005
	closeInvalidSeq       = 4007
	closeSessionTimedOut  = 4009
	closeInvalidVersion   = 4012
)

// sendQueue is how many frames may wait for a slow client before the gateway
// drops its connection, as Discord does.
const sendQueue = 256

// A gatewaySession is what a client can resume: its ID and the dispatches
// sent in it, by sequence number.
type gatewaySession struct {
	id  string
	seq int64
	log []event
}

// An event is a dispatch (op 0).
type event struct {
	seq  int64
	typ  string
	data json.RawMessage
	sent bool // handed to a connection
}

// frame encodes a gateway payload.
func frame(op int, typ string, seq int64, data any) []byte {
	p := struct {
		Op int     `json:"op"`
		D  any     `json:"d"`
		S  *int64  `json:"s"`
		T  *string `json:"t"`
	}{Op: op, D: data}
	if op == opDispatch {
		p.S, p.T = &seq, &typ
	}
	b, err := json.Marshal(p)
	if err != nil {
		// data is always valid JSON or a plain value.
		panic(err)
	}
	return b
}

// A gatewayConn is one websocket connection to the gateway.
type gatewayConn struct {
	ws      *websocket.Conn
	version int
	out     chan []byte
	done    chan struct{} // closed when the connection is finished
	once    sync.Once
	authed  bool // guarded by Server.mu
}

// send queues a frame and reports whether it was queued. A client that falls
// too far behind is disconnected.
func (c *gatewayConn) send(b []byte) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.out <- b:
		return true
	default:
		c.kill(closeGoingAway, "send queue full")
		return false
	}
}

// kill closes the connection, first sending a close frame with code unless it is 0.
func (c *gatewayConn) kill(code int, reason string) {
	c.once.Do(func() {
		close(c.done)
		if code != 0 {
			c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		}
		c.ws.Close()
	})
}

// writeLoop writes queued frames until the connection is finished.
func (c *gatewayConn) writeLoop() {
	for {
		select {
		case <-c.done:
			return
		case b := <-c.out:
			c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				c.kill(0, "")
				return
			}
		}
	}
}

var upgrader = websocket.Upgrader{
	// Clients of the fake are tests, not browsers.
	CheckOrigin: func(*http.Request) bool { return true },
}

// serveGateway speaks the gateway protocol on one websocket connection:
// HELLO, then IDENTIFY or RESUME, heartbeats, and dispatches.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	// The connection outlives the handler's return as far as httptest is
	// concerned, so Server.close waits for it here.
	s.gateways.Add(1)
	defer s.gateways.Done()
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered.
	}
	c := &gatewayConn{ws: ws, out: make(chan []byte, sendQueue), done: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.kill(closeGoingAway, "")
		return
	}
	s.conns[c] = true
	s.mu.Unlock()
	written := make(chan struct{})
	go func() {
		defer close(written)
		c.writeLoop()
	}()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		if s.active == c {
			s.active = nil
		}
		s.notifyLocked()
		s.mu.Unlock()
		c.kill(0, "")
		<-written
	}()

	q := r.URL.Query()
	c.version, err = strconv.Atoi(q.Get("v"))
	if err != nil || c.version < 9 || q.Get("encoding") != "json" {
		c.kill(closeInvalidVersion, "Invalid API version.")
		return
	}
	c.send(frame(opHello, "", 0, map[string]any{"heartbeat_interval": s.heartbeat.Milliseconds()}))

	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && (ce.Code == closeNormal || ce.Code == closeGoingAway) {
				// Discord ends the session of a client that closes with 1000 or 1001.
				s.mu.Lock()
				if s.active == c {
					s.invalidateLocked()
				}
				s.mu.Unlock()
			}
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(data, &p); err != nil {
			c.kill(closeDecodeError, "Error while decoding payload.")
			return
		}
		switch p.Op {
		case opHeartbeat:
			c.send(frame(opHeartbeatACK, "", 0, nil))
		case opIdentify:
			s.identify(c, p.D)
		case opResume:
			s.resume(c, p.D)
		case opPresenceUpdate, opVoiceState, opRequestMembers:
			s.mu.Lock()
			authed := c.authed
			s.mu.Unlock()
			if !authed {
				c.kill(closeNotAuthenticated, "Not authenticated.")
			}
		default:
			c.kill(closeUnknownOpcode, "Unknown opcode.")
		}
	}
}

// validToken reports whether token, from IDENTIFY or RESUME, is the bot's.
// discordgo sends it with the "Bot " prefix; Discord accepts both forms.
func (s *Server) validToken(token string) bool {
	return token == s.token || token == "Bot "+s.token
}

// identify starts a new session on c and sends READY, then whatever was
// dispatched while no client could receive it.
func (s *Server) identify(c *gatewayConn, d json.RawMessage) {
	id, err := decodeIdentify(d)
	if err != nil {
		c.kill(closeDecodeError, "Error while decoding payload.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.identifies++
	s.lastIdentify = append([]byte(nil), d...)
	s.notifyLocked()
	if c.authed {
		c.kill(closeAlreadyAuthed, "Already authenticated.")
		return
	}
	if !s.validToken(id.Token) {
		c.kill(closeAuthFailed, "Authentication failed.")
		return
	}

	carry := s.unsentLocked()
	s.session = &gatewaySession{id: newSessionID(), seq: 1}
	ready := map[string]any{
		"v":                  c.version,
		"user":               s.botUserJSON(),
		"guilds":             []any{},
		"private_channels":   []any{},
		"relationships":      []any{},
		"presences":          []any{},
		"session_id":         s.session.id,
		"session_type":       "normal",
		"resume_gateway_url": s.GatewayURL(),
		"application":        map[string]any{"id": s.appID, "flags": 0},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	c.send(frame(opDispatch, "READY", 1, ready))
	c.authed = true
	s.active = c
	for _, ev := range carry {
		s.dispatchLocked(ev.typ, ev.data)
	}
}

// resume reattaches c to the session it names and replays the dispatches the
// client missed, then sends RESUMED. A session that cannot be resumed gets
// INVALID_SESSION, after which discordgo identifies again.
func (s *Server) resume(c *gatewayConn, d json.RawMessage) {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &r); err != nil {
		c.kill(closeDecodeError, "Error while decoding payload.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resumes++
	s.notifyLocked()
	if c.authed {
		c.kill(closeAlreadyAuthed, "Already authenticated.")
		return
	}
	if !s.validToken(r.Token) {
		c.kill(closeAuthFailed, "Authentication failed.")
		return
	}
	if s.session == nil || s.session.id != r.SessionID || r.Seq < 0 || r.Seq > s.session.seq {
		c.send(frame(opInvalidSession, "", 0, false))
		return
	}
	for i := range s.session.log {
		ev := &s.session.log[i]
		if ev.seq > r.Seq {
			ev.sent = c.send(frame(opDispatch, ev.typ, ev.seq, ev.data)) || ev.sent
		}
	}
	// RESUMED carries the latest sequence number: discordgo stores the s of
	// every dispatch, and a missing one would make it resume from 0 next time.
	c.send(frame(opDispatch, "RESUMED", s.session.seq, map[string]any{}))
	c.authed = true
	s.active = c
}

// newSessionID returns a random session ID.
func newSessionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// unsentLocked takes the dispatches no connection has been handed: those
// waiting for a session and those of the current session sent while no
// client was connected.
func (s *Server) unsentLocked() []event {
	out := s.pending
	s.pending = nil
	if s.session != nil {
		for _, ev := range s.session.log {
			if !ev.sent {
				out = append(out, ev)
			}
		}
	}
	return out
}

// invalidateLocked ends the session; what it has not delivered waits for the next.
func (s *Server) invalidateLocked() {
	s.pending = s.unsentLocked()
	s.session = nil
	s.active = nil
	s.notifyLocked()
}

// Dispatch sends a gateway event (op 0) of the given type, such as
// "MESSAGE_CREATE", with data encoded as its JSON "d". While the client is
// disconnected, the event waits: a RESUME replays it, and a new session gets
// it right after READY.
func (s *Server) Dispatch(eventType string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		s.tb.Errorf("discordtest: Dispatch %s: %v", eventType, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dispatchLocked(eventType, raw)
}

// dispatchLocked numbers the event in the current session and sends it to the
// connected client, if any.
func (s *Server) dispatchLocked(typ string, data json.RawMessage) {
	defer s.notifyLocked()
	if s.session == nil {
		s.pending = append(s.pending, event{typ: typ, data: data})
		return
	}
	s.session.seq++
	ev := event{seq: s.session.seq, typ: typ, data: data}
	if s.active != nil {
		ev.sent = s.active.send(frame(opDispatch, typ, ev.seq, data))
	}
	s.session.log = append(s.session.log, ev)
}

// CloseGateway drops the client's gateway connection with the close code, as
// Discord does when it restarts a gateway. discordgo then reconnects and
// resumes. For 4007 (invalid seq) and 4009 (session timed out) the session
// ends as well, so the client has to identify again. Without a connection,
// CloseGateway does nothing.
func (s *Server) CloseGateway(code int) {
	s.mu.Lock()
	c := s.active
	if c == nil {
		s.mu.Unlock()
		return
	}
	s.active = nil
	if code == closeInvalidSeq || code == closeSessionTimedOut {
		s.invalidateLocked()
	}
	s.notifyLocked()
	s.mu.Unlock()
	c.kill(code, "discordtest: CloseGateway")
}

// WaitReady waits until a client has identified or resumed and is connected.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.WaitFor(ctx, s.Connected)
}

// Connected reports whether a client is connected to the gateway and has
// identified or resumed.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active != nil
}

// Identifies returns how many IDENTIFY payloads (op 2) the gateway received.
func (s *Server) Identifies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.identifies
}

// Resumes returns how many RESUME payloads (op 6) the gateway received.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// LastIdentify returns the latest IDENTIFY payload, or nil if there was
// none. Its Presence is left empty.
func (s *Server) LastIdentify() *discordgo.Identify {
	s.mu.Lock()
	raw := s.lastIdentify
	s.mu.Unlock()
	if raw == nil {
		return nil
	}
	id, err := decodeIdentify(raw)
	if err != nil {
		s.tb.Errorf("discordtest: decode stored IDENTIFY: %v", err)
	}
	return id
}

// decodeIdentify decodes an IDENTIFY payload but its presence, whose
// activities discordgo encodes in a form it cannot decode.
func decodeIdentify(d json.RawMessage) (*discordgo.Identify, error) {
	var v struct {
		discordgo.Identify
		Presence json.RawMessage `json:"presence"`
	}
	if err := json.Unmarshal(d, &v); err != nil {
		return nil, fmt.Errorf("decode IDENTIFY: %w", err)
	}
	return &v.Identify, nil
}
