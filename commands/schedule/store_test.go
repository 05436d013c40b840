package schedule_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"attache/commands/schedule"
)

// mustOpenStore opens a store at path, or in a new temporary folder when
// path is empty, and closes it when the test ends.
func mustOpenStore(tb testing.TB, path string) *schedule.Store {
	tb.Helper()
	if path == "" {
		path = filepath.Join(tb.TempDir(), "data", "digests.db")
	}
	s, err := schedule.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustAdd(tb testing.TB, s *schedule.Store, d schedule.Digest) schedule.Digest {
	tb.Helper()
	d, err := s.Add(context.Background(), d)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestStoreAddGetList(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, "")
	now := mustTime(t, "2026-03-01T12:00:00Z")
	s.Now = func() time.Time { return now }

	spec := mustParseSpec(t, "07:30", "Europe/Paris", "weekdays")
	d1 := mustAdd(t, s, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: spec, Topic: "Sudan talks", QuietNote: true, NoComingUp: true, CreatedBy: "u1"})
	d2 := mustAdd(t, s, schedule.Digest{GuildID: "g2", ChannelID: "c2", Spec: spec})
	d3 := mustAdd(t, s, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, "18:00", "UTC", "mon,fri")})

	if d1.ID != "d1" || d2.ID != "d2" || d3.ID != "d3" {
		t.Fatalf("IDs=%q %q %q, want d1 d2 d3", d1.ID, d2.ID, d3.ID)
	}
	if !d1.CreatedAt.Equal(now) {
		t.Fatalf("CreatedAt=%s, want %s", d1.CreatedAt, now)
	}

	got, err := s.Get(ctx, " D1 ")
	if err != nil {
		t.Fatal(err)
	}
	if got.GuildID != "g1" || got.ChannelID != "c1" || got.Topic != "Sudan talks" || !got.QuietNote || !got.NoComingUp || got.CreatedBy != "u1" || !got.CreatedAt.Equal(now) {
		t.Fatalf("Get=%+v, want what was added", got)
	}
	if got.Spec.String() != "07:30 Europe/Paris weekdays" {
		t.Fatalf("Spec=%q, want %q", got.Spec, "07:30 Europe/Paris weekdays")
	}

	list, err := s.List(ctx, "g1")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != "d1" || list[1].ID != "d3" {
		t.Fatalf("List(g1)=%v, want d1, d3", ids(list))
	}
	all, err := s.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("All=%v, want 3 digests", ids(all))
	}
	if list, _ := s.List(ctx, "g3"); len(list) != 0 {
		t.Fatalf("List(g3)=%v, want none", ids(list))
	}
}

func ids(ds []schedule.Digest) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func TestStoreAddInvalid(t *testing.T) {
	s := mustOpenStore(t, "")
	spec := mustParseSpec(t, "07:30", "UTC", "")
	tests := []struct {
		name string
		d    schedule.Digest
	}{
		{"no guild", schedule.Digest{ChannelID: "c", Spec: spec}},
		{"no channel", schedule.Digest{GuildID: "g", Spec: spec}},
		{"no spec", schedule.Digest{GuildID: "g", ChannelID: "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Add(context.Background(), tt.d); err == nil {
				t.Fatal("Add succeeded, want error")
			}
		})
	}
}

func TestStoreLimit(t *testing.T) {
	s := mustOpenStore(t, "")
	spec := mustParseSpec(t, "07:30", "UTC", "")
	for i := range schedule.MaxPerGuild {
		mustAdd(t, s, schedule.Digest{GuildID: "g1", ChannelID: fmt.Sprint("c", i), Spec: spec})
	}
	_, err := s.Add(context.Background(), schedule.Digest{GuildID: "g1", ChannelID: "c", Spec: spec})
	if !errors.Is(err, schedule.ErrLimit) {
		t.Fatalf("Add beyond the limit: err=%v, want ErrLimit", err)
	}
	// Another guild is not affected, and removing one makes room.
	mustAdd(t, s, schedule.Digest{GuildID: "g2", ChannelID: "c", Spec: spec})
	if err := s.Remove(context.Background(), "g1", "d1"); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, s, schedule.Digest{GuildID: "g1", ChannelID: "c", Spec: spec})
}

func TestStoreRemove(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, "")
	spec := mustParseSpec(t, "07:30", "UTC", "")
	d := mustAdd(t, s, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: spec})

	tests := []struct {
		name      string
		guild, id string
		wantErr   error
	}{
		{"another guild's digest", "g2", d.ID, schedule.ErrNotFound},
		{"unknown ID", "g1", "d99", schedule.ErrNotFound},
		{"malformed ID", "g1", "x1", schedule.ErrNotFound},
		{"leading zero", "g1", "d01", schedule.ErrNotFound},
		{"own digest", "g1", "D1", nil},
		{"again", "g1", d.ID, schedule.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Remove(ctx, tt.guild, tt.id); !errors.Is(err, tt.wantErr) {
				t.Fatalf("Remove(%q, %q)=%v, want %v", tt.guild, tt.id, err, tt.wantErr)
			}
		})
	}
	if _, err := s.Get(ctx, d.ID); !errors.Is(err, schedule.ErrNotFound) {
		t.Fatalf("Get after Remove: err=%v, want ErrNotFound", err)
	}
	if list, _ := s.List(ctx, "g1"); len(list) != 0 {
		t.Fatalf("List after Remove=%v, want none", ids(list))
	}
}

func TestStoreMark(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "digests.db")
	s := mustOpenStore(t, path)
	now := mustTime(t, "2026-03-02T06:30:00Z")
	s.Now = func() time.Time { return now }
	d := mustAdd(t, s, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, "07:30", "Europe/Paris", "")})

	if err := s.MarkPending(ctx, d.ID, "2026-03-02"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, d.ID)
	if got.Pending != "2026-03-02" || !got.PendingAt.Equal(now) || got.LastSlot != "" {
		t.Fatalf("after MarkPending: Pending=%q PendingAt=%s LastSlot=%q", got.Pending, got.PendingAt, got.LastSlot)
	}

	postedAt := now.Add(3 * time.Second)
	if err := s.MarkPosted(ctx, d.ID, "2026-03-02", postedAt, []byte("a,b")); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(ctx, d.ID)
	if got.Pending != "" || !got.PendingAt.IsZero() || got.LastSlot != "2026-03-02" || !got.LastPostedAt.Equal(postedAt) || string(got.Stories) != "a,b" {
		t.Fatalf("after MarkPosted: %+v", got)
	}

	// nil stories keep the saved ones; a skip keeps LastPostedAt.
	if err := s.MarkPosted(ctx, d.ID, "2026-03-03", postedAt.Add(24*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkPending(ctx, d.ID, "2026-03-04"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSkipped(ctx, d.ID, "2026-03-04"); err != nil {
		t.Fatal(err)
	}
	// An older slot never moves LastSlot back.
	if err := s.MarkSkipped(ctx, d.ID, "2026-03-01"); err != nil {
		t.Fatal(err)
	}

	// The state survives reopening the file.
	s.Close()
	s = mustOpenStore(t, path)
	got, err := s.Get(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastSlot != "2026-03-04" || got.Pending != "" || !got.LastPostedAt.Equal(postedAt.Add(24*time.Hour)) || !bytes.Equal(got.Stories, []byte("a,b")) {
		t.Fatalf("after reopening: LastSlot=%q Pending=%q LastPostedAt=%s Stories=%q", got.LastSlot, got.Pending, got.LastPostedAt, got.Stories)
	}

	for name, mark := range map[string]func() error{
		"MarkPending": func() error { return s.MarkPending(ctx, "d42", "2026-03-05") },
		"MarkPosted":  func() error { return s.MarkPosted(ctx, "d42", "2026-03-05", now, nil) },
		"MarkSkipped": func() error { return s.MarkSkipped(ctx, "d42", "2026-03-05") },
	} {
		if err := mark(); !errors.Is(err, schedule.ErrNotFound) {
			t.Errorf("%s of a missing digest: err=%v, want ErrNotFound", name, err)
		}
	}
}

func TestStoreCancelledContext(t *testing.T) {
	s := mustOpenStore(t, "")
	d := mustAdd(t, s, schedule.Digest{GuildID: "g1", ChannelID: "c1", Spec: mustParseSpec(t, "07:30", "UTC", "")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.MarkPosted(ctx, d.ID, "2026-03-02", time.Now(), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("MarkPosted with a cancelled context: err=%v, want context.Canceled", err)
	}
	got, _ := s.Get(context.Background(), d.ID)
	if got.LastSlot != "" {
		t.Fatalf("LastSlot=%q after a cancelled MarkPosted, want none", got.LastSlot)
	}
}

func TestDigestNextSlot(t *testing.T) {
	spec := mustParseSpec(t, "07:30", "UTC", "weekdays")
	created := mustTime(t, "2026-03-02T08:00:00Z") // Monday, after the slot
	tests := []struct {
		name     string
		lastSlot string
		want     string
	}{
		{"none yet: first after creation", "", "2026-03-03"},
		{"after the last slot", "2026-03-04", "2026-03-05"},
		{"after a Friday", "2026-03-06", "2026-03-09"},
		{"last slot before creation", "2026-02-20", "2026-03-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := schedule.Digest{Spec: spec, CreatedAt: created, LastSlot: tt.lastSlot}
			if got := d.NextSlot().ID; got != tt.want {
				t.Fatalf("NextSlot().ID=%q, want %q", got, tt.want)
			}
		})
	}
}
