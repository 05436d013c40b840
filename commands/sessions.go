package commands

import (
	"container/list"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// session is what the buttons of one answer need to show its other pages:
// a custom_id is limited to 100 characters, too short for a question, so
// buttons carry a session ID and a page number instead.
type session struct {
	text    string // the question, or the /sources query
	owner   string // ID of the user the answer was for
	private bool
	// summary is the summary a /summary preview offers to post, so that
	// what is posted is what was previewed.
	summary *Summary
	// upcoming and timeline are the lists whose pages (and calendar file)
	// the buttons of /upcoming and /timeline show.
	upcoming *Upcoming
	timeline *Timeline
}

// turnPage readies r, a page of sess (kept under id), for the member who
// pressed a button: the one who asked sees it in place, as privately as
// before; anyone else gets it privately, under a session of their own,
// whose ID it returns for the page's buttons.
func (s *Set) turnPage(i *discordgo.Interaction, id string, sess session, r *Reply) string {
	user := userID(i)
	if user != "" && user == sess.owner {
		r.Update = true
		r.Ephemeral = sess.private
		return id
	}
	sess.owner, sess.private, sess.summary = user, true, nil
	r.Ephemeral = true
	return s.sessions.put(sess)
}

// sessions is a small cache of sessions, bounded in size and in age.
// Entries expire in insertion order, so the oldest is also the first to
// expire and one list serves both bounds.
type sessions struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	byID  map[string]*list.Element
	order *list.List // of *sessionEntry, oldest first
}

type sessionEntry struct {
	id      string
	expires time.Time
	s       session
	claimed bool
}

func newSessions(ttl time.Duration, max int, now func() time.Time) *sessions {
	return &sessions{ttl: ttl, max: max, now: now, byID: make(map[string]*list.Element), order: list.New()}
}

// put remembers s and returns its ID.
func (c *sessions) put(s session) string {
	id := strings.ToLower(rand.Text()[:16])
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evict(now)
	for c.order.Len() >= c.max {
		c.remove(c.order.Front())
	}
	c.byID[id] = c.order.PushBack(&sessionEntry{id: id, expires: now.Add(c.ttl), s: s})
	return id
}

// get returns the session with id, if it has not expired.
func (c *sessions) get(id string) (session, bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evict(now)
	el, ok := c.byID[id]
	if !ok {
		return session{}, false
	}
	return el.Value.(*sessionEntry).s, true
}

// claim returns the session with id and marks it claimed, so that a
// second claim fails until release: a button pressed twice acts once. It
// reports false when the session has expired or is claimed.
func (c *sessions) claim(id string) (session, bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evict(now)
	el, ok := c.byID[id]
	if !ok {
		return session{}, false
	}
	e := el.Value.(*sessionEntry)
	if e.claimed {
		return session{}, false
	}
	e.claimed = true
	return e.s, true
}

// release undoes claim, after the action it guarded failed.
func (c *sessions) release(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		el.Value.(*sessionEntry).claimed = false
	}
}

func (c *sessions) evict(now time.Time) {
	for el := c.order.Front(); el != nil && !now.Before(el.Value.(*sessionEntry).expires); el = c.order.Front() {
		c.remove(el)
	}
}

func (c *sessions) remove(el *list.Element) {
	delete(c.byID, el.Value.(*sessionEntry).id)
	c.order.Remove(el)
}

// buttonID builds the custom_id of a button that shows page of session id.
func buttonID(prefix, id string, page int) string {
	return prefix + ":" + id + ":" + strconv.Itoa(page)
}

// parseButtonID splits a custom_id built by buttonID.
func parseButtonID(customID string) (id string, page int, err error) {
	parts := strings.Split(customID, ":")
	if len(parts) != 3 || parts[1] == "" {
		return "", 0, fmt.Errorf("malformed button %q", customID)
	}
	page, err = strconv.Atoi(parts[2])
	if err != nil || page < 0 || page > 1000 {
		return "", 0, fmt.Errorf("malformed button %q", customID)
	}
	return parts[1], page, nil
}
