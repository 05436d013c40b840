package schedule

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// MaxPerGuild is how many digests one guild may have.
const MaxPerGuild = 25

var (
	// ErrNotFound is returned for a digest that does not exist, or that
	// belongs to another guild.
	ErrNotFound = errors.New("digest not found")
	// ErrLimit is returned by Add when the guild already has MaxPerGuild
	// digests.
	ErrLimit = fmt.Errorf("a server can have at most %d digests", MaxPerGuild)
)

// Digest is a scheduled post of news on a topic to a channel, with the
// state the scheduler keeps to post each slot once.
type Digest struct {
	// ID is short and typable, e.g. "d7"; Add assigns it.
	ID        string
	GuildID   string
	ChannelID string
	Spec      Spec
	Topic     string
	// QuietNote asks for a one-line note on days with nothing new, rather
	// than no post at all.
	QuietNote bool
	// NoComingUp leaves out the "Coming up this week" list of events that
	// a digest ends with by default.
	NoComingUp bool
	CreatedBy  string
	CreatedAt  time.Time

	// LastSlot is the ID of the last slot that was posted or skipped.
	LastSlot string
	// LastPostedAt is when the last digest was posted; zero before the first.
	LastPostedAt time.Time
	// Pending is the ID of a slot that is being posted: it is set just
	// before Poster.Post and cleared when the post is recorded, so a slot
	// still pending after a crash may or may not have been posted.
	Pending   string
	PendingAt time.Time
	// Stories is opaque state saved by the Poster with each post, e.g.
	// fingerprints of the stories it covered, to tell what is new next time.
	Stories []byte
}

// NextSlot returns the first slot of d that has been neither posted nor
// skipped: the first after its LastSlot, or after CreatedAt when it has
// none. The slot may be in the past. It is the zero Slot when d's Spec is.
func (d Digest) NextSlot() Slot {
	after := d.CreatedAt
	if last, ok := d.Spec.slotOn(d.LastSlot); ok && last.At.After(after) {
		after = last.At
	}
	s := d.Spec.Next(after)
	// Slot IDs are dates, so comparing them as strings orders them. The
	// loop only runs when LastSlot's own instant is not a reliable start
	// (it never is for slots this package made); a week of tries bounds it.
	for i := 0; i < 8 && !s.IsZero() && s.ID <= d.LastSlot; i++ {
		s = d.Spec.Next(s.At)
	}
	return s
}

// Store keeps digests in a bbolt file. It is safe for concurrent use.
type Store struct {
	db *bolt.DB
	// Now returns the current time, for CreatedAt and PendingAt; Open sets
	// it to SystemClock's.
	Now func() time.Time
}

var (
	digestsBucket = []byte("digests")
	// guildsBucket indexes digests by guild: its keys are the guild ID, a
	// zero byte and the digest's key; its values are empty.
	guildsBucket = []byte("guilds")
)

// Open opens the store at path, creating the file and its folder if they
// do not exist. It fails after a second if another process holds the file.
func Open(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open digest store %q: %w", path, err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("open digest store %q: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{digestsBucket, guildsBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open digest store %q: create buckets: %w", path, err)
	}
	return &Store{db: db, Now: SystemClock{}.Now}, nil
}

// Close closes the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close digest store: %w", err)
	}
	return nil
}

// Add stores d under a new ID and returns it as stored. GuildID, ChannelID
// and Spec are required; CreatedAt defaults to now. It returns ErrLimit
// when the guild already has MaxPerGuild digests.
func (s *Store) Add(ctx context.Context, d Digest) (Digest, error) {
	if err := ctx.Err(); err != nil {
		return Digest{}, err
	}
	switch {
	case d.GuildID == "":
		return Digest{}, errors.New("add digest: no guild ID")
	case d.ChannelID == "":
		return Digest{}, errors.New("add digest: no channel ID")
	case d.Spec.IsZero():
		return Digest{}, fmt.Errorf("add digest: %w", errZeroSpec)
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = s.Now()
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		digests, guilds := tx.Bucket(digestsBucket), tx.Bucket(guildsBucket)
		prefix := guildPrefix(d.GuildID)
		n := 0
		c := guilds.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		if n >= MaxPerGuild {
			return ErrLimit
		}
		seq, err := digests.NextSequence()
		if err != nil {
			return err
		}
		key := seqKey(seq)
		d.ID = "d" + strconv.FormatUint(seq, 10)
		if err := putDigest(digests, key, d); err != nil {
			return err
		}
		return guilds.Put(append(prefix, key...), nil)
	})
	if err != nil {
		return Digest{}, fmt.Errorf("add digest: %w", err)
	}
	return d, nil
}

// List returns the guild's digests in the order they were added.
func (s *Store) List(ctx context.Context, guildID string) ([]Digest, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []Digest
	err := s.db.View(func(tx *bolt.Tx) error {
		digests := tx.Bucket(digestsBucket)
		prefix := guildPrefix(guildID)
		c := tx.Bucket(guildsBucket).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			d, err := getDigest(digests, k[len(prefix):])
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list digests of guild %s: %w", guildID, err)
	}
	return out, nil
}

// All returns every guild's digests in the order they were added.
func (s *Store) All(ctx context.Context) ([]Digest, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []Digest
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(digestsBucket).ForEach(func(k, v []byte) error {
			d, err := decodeDigest(v)
			if err != nil {
				return fmt.Errorf("digest key %x: %w", k, err)
			}
			out = append(out, d)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list all digests: %w", err)
	}
	return out, nil
}

// Get returns the digest with the given ID ("d7", read case-insensitively),
// or ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (Digest, error) {
	if err := ctx.Err(); err != nil {
		return Digest{}, err
	}
	var d Digest
	err := s.db.View(func(tx *bolt.Tx) error {
		key, ok := idKey(id)
		if !ok {
			return ErrNotFound
		}
		var err error
		d, err = getDigest(tx.Bucket(digestsBucket), key)
		return err
	})
	if err != nil {
		return Digest{}, fmt.Errorf("get digest %q: %w", id, err)
	}
	return d, nil
}

// Remove deletes the guild's digest with the given ID. It returns
// ErrNotFound when there is none, including when the ID is another guild's.
func (s *Store) Remove(ctx context.Context, guildID, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		key, ok := idKey(id)
		if !ok {
			return ErrNotFound
		}
		digests := tx.Bucket(digestsBucket)
		d, err := getDigest(digests, key)
		if err != nil {
			return err
		}
		if d.GuildID != guildID {
			return ErrNotFound
		}
		if err := digests.Delete(key); err != nil {
			return err
		}
		return tx.Bucket(guildsBucket).Delete(append(guildPrefix(guildID), key...))
	})
	if err != nil {
		return fmt.Errorf("remove digest %q: %w", id, err)
	}
	return nil
}

// MarkPending records that slot slotID of digest id is about to be posted.
// It returns ErrNotFound when the digest is gone.
func (s *Store) MarkPending(ctx context.Context, id, slotID string) error {
	return s.update(ctx, "mark digest pending", id, func(d *Digest) {
		d.Pending, d.PendingAt = slotID, s.Now()
	})
}

// MarkPosted records that slot slotID of digest id was posted at at, with
// the poster's new stories; nil stories leave the saved ones as they are.
// It returns ErrNotFound when the digest is gone.
func (s *Store) MarkPosted(ctx context.Context, id, slotID string, at time.Time, stories []byte) error {
	return s.update(ctx, "mark digest posted", id, func(d *Digest) {
		d.LastSlot = max(d.LastSlot, slotID)
		d.LastPostedAt = at
		d.Pending, d.PendingAt = "", time.Time{}
		if stories != nil {
			d.Stories = stories
		}
	})
}

// MarkSkipped records that slot slotID of digest id will not be posted.
// It returns ErrNotFound when the digest is gone.
func (s *Store) MarkSkipped(ctx context.Context, id, slotID string) error {
	return s.update(ctx, "mark digest skipped", id, func(d *Digest) {
		d.LastSlot = max(d.LastSlot, slotID)
		d.Pending, d.PendingAt = "", time.Time{}
	})
}

func (s *Store) update(ctx context.Context, what, id string, change func(*Digest)) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s %q: %w", what, id, err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		key, ok := idKey(id)
		if !ok {
			return ErrNotFound
		}
		digests := tx.Bucket(digestsBucket)
		d, err := getDigest(digests, key)
		if err != nil {
			return err
		}
		change(&d)
		return putDigest(digests, key, d)
	})
	if err != nil {
		return fmt.Errorf("%s %q: %w", what, id, err)
	}
	return nil
}

// record is a Digest as stored: the Spec is kept as the strings ParseSpec
// reads, so the file does not depend on Spec's layout.
type record struct {
	ID           string    `json:"id"`
	GuildID      string    `json:"guild_id"`
	ChannelID    string    `json:"channel_id"`
	Time         string    `json:"time"`
	Zone         string    `json:"zone"`
	Days         string    `json:"days"`
	Topic        string    `json:"topic,omitempty"`
	QuietNote    bool      `json:"quiet_note,omitempty"`
	NoComingUp   bool      `json:"no_coming_up,omitempty"`
	CreatedBy    string    `json:"created_by,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	LastSlot     string    `json:"last_slot,omitempty"`
	LastPostedAt time.Time `json:"last_posted_at,omitzero"`
	Pending      string    `json:"pending,omitempty"`
	PendingAt    time.Time `json:"pending_at,omitzero"`
	Stories      []byte    `json:"stories,omitempty"`
}

func putDigest(b *bolt.Bucket, key []byte, d Digest) error {
	v, err := json.Marshal(record{
		ID: d.ID, GuildID: d.GuildID, ChannelID: d.ChannelID,
		Time: d.Spec.TimeOfDay(), Zone: d.Spec.Zone(), Days: d.Spec.Days(),
		Topic: d.Topic, QuietNote: d.QuietNote, NoComingUp: d.NoComingUp,
		CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt,
		LastSlot: d.LastSlot, LastPostedAt: d.LastPostedAt,
		Pending: d.Pending, PendingAt: d.PendingAt,
		Stories: d.Stories,
	})
	if err != nil {
		return fmt.Errorf("encode digest %s: %w", d.ID, err)
	}
	return b.Put(key, v)
}

func getDigest(b *bolt.Bucket, key []byte) (Digest, error) {
	v := b.Get(key)
	if v == nil {
		return Digest{}, ErrNotFound
	}
	return decodeDigest(v)
}

func decodeDigest(v []byte) (Digest, error) {
	var r record
	if err := json.Unmarshal(v, &r); err != nil {
		return Digest{}, fmt.Errorf("decode digest: %w", err)
	}
	spec, err := ParseSpec(r.Time, r.Zone, r.Days)
	if err != nil {
		return Digest{}, fmt.Errorf("decode digest %s: %w", r.ID, err)
	}
	return Digest{
		ID: r.ID, GuildID: r.GuildID, ChannelID: r.ChannelID,
		Spec: spec, Topic: r.Topic, QuietNote: r.QuietNote, NoComingUp: r.NoComingUp,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		LastSlot: r.LastSlot, LastPostedAt: r.LastPostedAt,
		Pending: r.Pending, PendingAt: r.PendingAt,
		Stories: r.Stories,
	}, nil
}

// seqKey makes a digest's key from its sequence number; big-endian keeps
// bbolt's byte order the order digests were added.
func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// idKey reads a digest ID such as "d7" (or "D7") as its key.
func idKey(id string) ([]byte, bool) {
	id = strings.ToLower(strings.TrimSpace(id))
	num, ok := strings.CutPrefix(id, "d")
	if !ok {
		return nil, false
	}
	seq, err := strconv.ParseUint(num, 10, 64)
	if err != nil || seq == 0 || strconv.FormatUint(seq, 10) != num {
		return nil, false
	}
	return seqKey(seq), true
}

func guildPrefix(guildID string) []byte {
	return append([]byte(guildID), 0)
}
