package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxClockSkew is how far the timestamp of a signed request may be from
// the bot's clock before the request is taken for a replay.
const maxClockSkew = 5 * time.Minute

// ListenAndServe registers the commands and serves Discord's interactions
// endpoint on addr instead of connecting to the gateway. Every request
// must carry a valid Ed25519 signature by Config.PublicKey; the first
// response to an interaction is the HTTP response, and later ones go over
// REST, as do the digests of Config.Digests, posted on schedule. ready,
// when not nil, is called with the address listened on. When ctx is
// cancelled the server stops taking requests, finishes those in flight,
// stops the digest scheduler and returns nil.
func (b *Bot) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	if len(b.cfg.PublicKey) != ed25519.PublicKeySize {
		return errors.New("serve interactions: no public key to check requests with")
	}
	s, err := b.rest, b.restErr
	if err != nil {
		return err
	}
	if err := b.register(ctx, s); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve interactions: %w", err)
	}
	srv := &http.Server{
		Handler:           b.interactions(s),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	b.log.Info("serving interactions", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr())
	}
	schedCtx, stopScheduler := context.WithCancel(ctx)
	defer stopScheduler()
	waitScheduler := b.startScheduler(schedCtx)

	select {
	case err := <-errc:
		stopScheduler()
		b.drain()
		waitScheduler()
		return fmt.Errorf("serve interactions: %w", err)
	case <-ctx.Done():
	}
	b.log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), b.cfg.ShutdownTimeout)
	defer cancel()
	// First stop taking requests and answer those in flight, then wait
	// for the answers still being delivered over REST.
	if err := srv.Shutdown(shutdown); err != nil {
		b.log.Warn("shut down interactions server", "err", err)
	}
	if !b.drain() {
		b.log.Warn("gave up waiting for interactions in flight")
	}
	waitScheduler()
	<-errc
	b.cfg.Client.CloseIdleConnections()
	return nil
}

// interactions is the handler of the interactions endpoint.
func (b *Bot) interactions(rest rester) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.cfg.MaxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "could not read request", http.StatusBadRequest)
			return
		}
		if err := b.verify(r.Header, body); err != nil {
			b.log.Info("rejected interactions request", "remote", r.RemoteAddr, "err", err)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			b.log.Warn("unreadable interaction", "err", err)
			http.Error(w, "invalid interaction", http.StatusBadRequest)
			return
		}
		if i.Type == discordgo.InteractionPing {
			writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
			return
		}
		if !b.begin() {
			writeJSON(w, response(&i, shuttingDown))
			return
		}

		// handle runs on its own goroutine because it outlives this
		// request when it defers: the first response it sends comes
		// back here to be written as the HTTP response.
		bodies := make(chan []byte)
		written := make(chan error, 1)
		first := func(_ context.Context, v any) error {
			data, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("encode response: %w", err)
			}
			select {
			case bodies <- data:
				return <-written
			case <-r.Context().Done():
				return fmt.Errorf("interactions request gone: %w", r.Context().Err())
			}
		}
		go func() {
			defer b.end()
			b.handle(b.work, rest, &i, first)
		}()
		// handle answers or defers within DeferAfter; the guard is for
		// bugs, so that a request never hangs.
		guard := time.NewTimer(b.cfg.DeferAfter + 2*time.Second)
		defer guard.Stop()
		select {
		case data := <-bodies:
			w.Header().Set("Content-Type", "application/json")
			_, err := w.Write(data)
			written <- err
		case <-r.Context().Done():
		case <-guard.C:
			b.log.Error("no first response in time", "interaction", i.ID)
			http.Error(w, "no response", http.StatusServiceUnavailable)
		}
	})
}

// verify checks the signature Discord puts on requests to the
// interactions endpoint: Ed25519 over the timestamp and the body, and a
// timestamp within maxClockSkew of now.
func (b *Bot) verify(h http.Header, body []byte) error {
	sigHex, ts := h.Get("X-Signature-Ed25519"), h.Get("X-Signature-Timestamp")
	if sigHex == "" || ts == "" {
		return errors.New("missing signature headers")
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("malformed signature")
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(b.cfg.PublicKey, msg, sig) {
		return errors.New("wrong signature")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("malformed timestamp")
	}
	if skew := b.cfg.Now().Sub(time.Unix(sec, 0)); skew > maxClockSkew || skew < -maxClockSkew {
		return fmt.Errorf("timestamp %s off", skew.Round(time.Second))
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

// ParsePublicKey parses the application's public key as the Developer
// Portal shows it, in hex.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	k, err := hex.DecodeString(s)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: want %d bytes in hex, as shown in the Developer Portal → General Information", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(k), nil
}
