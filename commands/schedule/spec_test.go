package schedule_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"attache/commands/schedule"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name             string
		hhmm, zone, days string
		want             string // Spec.String()
	}{
		{"defaults to daily", "07:30", "Europe/Paris", "", "07:30 Europe/Paris daily"},
		{"one-digit hour", "7:05", "Europe/Paris", "daily", "07:05 Europe/Paris daily"},
		{"midnight", "00:00", "UTC", "daily", "00:00 UTC daily"},
		{"last minute", "23:59", "Asia/Tokyo", "daily", "23:59 Asia/Tokyo daily"},
		{"spaces", " 08:15 ", " America/New_York ", " weekdays ", "08:15 America/New_York weekdays"},
		{"zone case corrected", "08:00", "europe/paris", "", "08:00 Europe/Paris daily"},
		{"zone spaces corrected", "08:00", "America/New York", "", "08:00 America/New_York daily"},
		{"weekdays any case", "08:00", "UTC", "WeekDays", "08:00 UTC weekdays"},
		{"weekends", "08:00", "UTC", "weekends", "08:00 UTC weekends"},
		{"list", "08:00", "UTC", "mon,wed,fri", "08:00 UTC mon,wed,fri"},
		{"list full names, any order", "08:00", "UTC", "Friday, MONDAY,wed", "08:00 UTC mon,wed,fri"},
		{"list that is weekends", "08:00", "UTC", "sun,sat", "08:00 UTC weekends"},
		{"list that is weekdays", "08:00", "UTC", "mon,tue,wed,thu,fri", "08:00 UTC weekdays"},
		{"list that is every day", "08:00", "UTC", "mon,tue,wed,thu,fri,sat,sun", "08:00 UTC daily"},
		{"duplicates", "08:00", "UTC", "sun,sunday,sun", "08:00 UTC sun"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := schedule.ParseSpec(tt.hhmm, tt.zone, tt.days)
			if err != nil {
				t.Fatalf("ParseSpec(%q, %q, %q): %v", tt.hhmm, tt.zone, tt.days, err)
			}
			if got := s.String(); got != tt.want {
				t.Fatalf("String()=%q, want %q", got, tt.want)
			}
			// What a Spec prints parses back to the same Spec.
			again, err := schedule.ParseSpec(s.TimeOfDay(), s.Zone(), s.Days())
			if err != nil || again.String() != s.String() {
				t.Fatalf("round trip of %q = %q, %v", s, again, err)
			}
		})
	}
}

func TestParseSpecErrors(t *testing.T) {
	tests := []struct {
		name             string
		hhmm, zone, days string
		want             string // in the error message
	}{
		{"hour and minute out of range", "25:61", "UTC", "", `time "25:61": hour must be 00 to 23`},
		{"hour 24", "24:00", "UTC", "", `hour must be 00 to 23`},
		{"minute 60", "12:60", "UTC", "", `time "12:60": minute must be 00 to 59`},
		{"letter in minute", "7:5x", "UTC", "", `time "7:5x" is not HH:MM`},
		{"one-digit minute", "7:5", "UTC", "", `time "7:5" is not HH:MM`},
		{"no colon", "0730", "UTC", "", `time "0730" is not HH:MM`},
		{"empty time", "", "UTC", "", `time "" is not HH:MM`},
		{"negative", "-1:00", "UTC", "", `is not HH:MM`},
		{"seconds", "07:30:00", "UTC", "", `is not HH:MM`},
		{"am/pm", "7:30pm", "UTC", "", `is not HH:MM`},
		{"unknown zone", "07:30", "Mars/Olympus", "", `unknown time zone "Mars/Olympus" (use an IANA name like Europe/Paris)`},
		{"Local zone", "07:30", "Local", "", `unknown time zone "Local"`},
		{"empty zone", "07:30", "", "", `unknown time zone ""`},
		{"path zone", "07:30", "../../etc/passwd", "", `unknown time zone`},
		{"bad day", "07:30", "UTC", "mon,funday", `"funday" is not a day`},
		{"singular weekday", "07:30", "UTC", "weekday", `"weekday" is not a day`},
		{"empty entry", "07:30", "UTC", "mon,,wed", `empty entry`},
		{"trailing comma", "07:30", "UTC", "mon,", `empty entry`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schedule.ParseSpec(tt.hhmm, tt.zone, tt.days)
			if err == nil {
				t.Fatalf("ParseSpec(%q, %q, %q) succeeded, want error", tt.hhmm, tt.zone, tt.days)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err=%q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func mustParseSpec(tb testing.TB, hhmm, zone, days string) schedule.Spec {
	tb.Helper()
	s, err := schedule.ParseSpec(hhmm, zone, days)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func mustTime(tb testing.TB, rfc3339 string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestSpecNext(t *testing.T) {
	tests := []struct {
		name             string
		hhmm, zone, days string
		after            string // RFC 3339
		wantAt           string // RFC 3339, UTC
		wantID           string
	}{
		{"later today", "07:30", "Europe/Paris", "", "2026-03-02T05:00:00Z", "2026-03-02T06:30:00Z", "2026-03-02"},
		{"strictly after", "07:30", "Europe/Paris", "", "2026-03-02T06:30:00Z", "2026-03-03T06:30:00Z", "2026-03-03"},
		{"just before", "07:30", "Europe/Paris", "", "2026-03-02T06:29:59Z", "2026-03-02T06:30:00Z", "2026-03-02"},
		{"local date differs from UTC", "08:00", "Asia/Tokyo", "", "2026-03-01T23:30:00Z", "2026-03-02T23:00:00Z", "2026-03-03"},
		{"west of UTC", "20:00", "America/Los_Angeles", "", "2026-01-10T05:00:00Z", "2026-01-11T04:00:00Z", "2026-01-10"},

		// America/New_York springs forward at 02:00 on 2026-03-08.
		{"NY gap: 02:30 runs at 03:00", "02:30", "America/New_York", "", "2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08"},
		{"NY gap: once, then 02:30 next day", "02:30", "America/New_York", "", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z", "2026-03-09"},
		{"NY gap: 02:00 runs at 03:00", "02:00", "America/New_York", "", "2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08"},
		{"NY gap: 01:59 unaffected", "01:59", "America/New_York", "", "2026-03-08T05:00:00Z", "2026-03-08T06:59:00Z", "2026-03-08"},
		{"NY gap: 03:00 exists", "03:00", "America/New_York", "", "2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08"},
		{"NY gap: day before", "02:30", "America/New_York", "", "2026-03-07T00:00:00Z", "2026-03-07T07:30:00Z", "2026-03-07"},
		// It falls back at 02:00 on 2026-11-01: 01:30 happens at 05:30Z and 06:30Z.
		{"NY overlap: first occurrence", "01:30", "America/New_York", "", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01"},
		{"NY overlap: not the second", "01:30", "America/New_York", "", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-02"},
		{"NY overlap: between the two", "01:30", "America/New_York", "", "2026-11-01T06:00:00Z", "2026-11-02T06:30:00Z", "2026-11-02"},
		{"NY overlap: 02:00 once", "02:00", "America/New_York", "", "2026-11-01T04:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01"},

		// Europe/London springs forward at 01:00 on 2026-03-29.
		{"London gap: 01:30 runs at 02:00", "01:30", "Europe/London", "", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29"},
		{"London gap: once, then 01:30 next day", "01:30", "Europe/London", "", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "2026-03-30"},
		{"London gap: day before", "01:30", "Europe/London", "", "2026-03-27T12:00:00Z", "2026-03-28T01:30:00Z", "2026-03-28"},
		// It falls back at 02:00 on 2026-10-25: 01:30 happens at 00:30Z and 01:30Z.
		{"London overlap: first occurrence", "01:30", "Europe/London", "", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25"},
		{"London overlap: not the second", "01:30", "Europe/London", "", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-26"},

		// Weekdays and lists.
		{"weekdays: Friday to Monday", "09:00", "Europe/Paris", "weekdays", "2026-03-06T08:00:00Z", "2026-03-09T08:00:00Z", "2026-03-09"},
		{"weekdays: Saturday to Monday", "09:00", "Europe/Paris", "weekdays", "2026-03-07T12:00:00Z", "2026-03-09T08:00:00Z", "2026-03-09"},
		{"weekdays: Friday before the slot", "09:00", "Europe/Paris", "weekdays", "2026-03-06T07:00:00Z", "2026-03-06T08:00:00Z", "2026-03-06"},
		{"weekends: Monday to Saturday", "10:00", "UTC", "weekends", "2026-03-09T12:00:00Z", "2026-03-14T10:00:00Z", "2026-03-14"},
		{"list: Wednesday to Friday", "09:00", "UTC", "mon,wed,fri", "2026-03-04T09:00:00Z", "2026-03-06T09:00:00Z", "2026-03-06"},
		{"list: Sunday only, a week on", "09:00", "UTC", "sun", "2026-03-08T09:00:00Z", "2026-03-15T09:00:00Z", "2026-03-15"},
		{"weekday by local date, not UTC", "08:00", "Asia/Tokyo", "mon", "2026-03-08T12:00:00Z", "2026-03-08T23:00:00Z", "2026-03-09"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParseSpec(t, tt.hhmm, tt.zone, tt.days)
			got := s.Next(mustTime(t, tt.after))
			if want := mustTime(t, tt.wantAt); !got.At.Equal(want) {
				t.Errorf("At=%s (%s), want %s", got.At.Format(time.RFC3339), got.At.In(s.Location()).Format(time.RFC3339), want.Format(time.RFC3339))
			}
			if got.At.Location() != time.UTC {
				t.Errorf("At location=%s, want UTC", got.At.Location())
			}
			if got.ID != tt.wantID {
				t.Errorf("ID=%q, want %q", got.ID, tt.wantID)
			}
		})
	}
}

func TestSpecNextZero(t *testing.T) {
	var s schedule.Spec
	if got := s.Next(time.Now()); !got.IsZero() {
		t.Fatalf("zero Spec: Next=%+v, want the zero Slot", got)
	}
}

// TestSpecNextYear walks a year of slots in zones with DST and checks each
// against the rules, independently of how Next finds them: one slot per
// day, at the wall time when it exists, at the end of the gap when it does
// not, and never at the second of two identical wall times.
func TestSpecNextYear(t *testing.T) {
	zones := []string{"America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata"}
	times := []string{"00:00", "00:30", "01:00", "01:30", "02:00", "02:15", "02:30", "03:00", "12:00", "23:59"}
	for _, zone := range zones {
		for _, hhmm := range times {
			t.Run(zone+" "+hhmm, func(t *testing.T) {
				s := mustParseSpec(t, hhmm, zone, "daily")
				loc := s.Location()
				// day counts civil dates in UTC, where every day exists;
				// midnight itself is skipped in some zones (Santiago).
				day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				slot := s.Next(time.Date(2025, 12, 31, 23, 59, 30, 0, loc))
				for range 365 {
					wantID := day.Format("2006-01-02")
					if slot.ID != wantID {
						t.Fatalf("ID=%q, want %q", slot.ID, wantID)
					}
					local := slot.At.In(loc)
					if got := local.Format("15:04"); got != hhmm {
						// The wall time did not exist: the slot must be
						// a transition to a later wall time that day.
						_, offBefore := slot.At.Add(-time.Second).In(loc).Zone()
						_, offAt := local.Zone()
						if offBefore == offAt || got < hhmm || local.Format("2006-01-02") != wantID {
							t.Fatalf("%s: slot at %s local, want %s or the end of a gap", wantID, local.Format(time.RFC3339), hhmm)
						}
						// And the wall time really is missing: the
						// instant before shows an earlier time.
						if before := slot.At.Add(-time.Second).In(loc).Format("2006-01-02 15:04"); before >= wantID+" "+hhmm {
							t.Fatalf("%s: slot at %s local, but %s already showed %s", wantID, local.Format(time.RFC3339), hhmm, before)
						}
					} else {
						// No earlier instant shows the same wall time
						// (DST shifts here are 30 or 60 minutes).
						for _, back := range []time.Duration{30 * time.Minute, time.Hour} {
							if slot.At.Add(-back).In(loc).Format("2006-01-02 15:04") == local.Format("2006-01-02 15:04") {
								t.Fatalf("%s: slot at %s is the second occurrence of %s", wantID, slot.At.Format(time.RFC3339), hhmm)
							}
						}
					}
					next := s.Next(slot.At)
					if !next.At.After(slot.At) {
						t.Fatalf("Next(%s)=%s, not later", slot.At, next.At)
					}
					slot = next
					day = day.AddDate(0, 0, 1)
				}
			})
		}
	}
}

func TestZones(t *testing.T) {
	tests := []struct {
		name      string
		query     string
		limit     int
		wantFirst []string
		wantLen   int // -1: any
	}{
		{"prefix", "Europe/Pa", 0, []string{"Europe/Paris"}, 1},
		{"prefix any case", "europe/pa", 10, []string{"Europe/Paris"}, 1},
		{"city", "paris", 0, []string{"Europe/Paris"}, 1},
		{"spaces for underscores", "new york", 0, []string{"America/New_York"}, 1},
		{"prefix before part before substring", "ar", 0, []string{"Arctic/Longyearbyen", "America/Araguaina"}, -1},
		{"city before substring", "london", 0, []string{"Europe/London"}, 1},
		{"region limited", "Europe/", 25, nil, 25},
		{"empty lists all", "", 0, []string{"Africa/Abidjan"}, -1},
		{"nothing", "Mars/Olympus", 25, nil, 0},
		{"UTC", "utc", 5, []string{"UTC"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := schedule.Zones(tt.query, tt.limit)
			if tt.wantLen >= 0 && len(got) != tt.wantLen {
				t.Fatalf("Zones(%q, %d) has %d names, want %d: %q", tt.query, tt.limit, len(got), tt.wantLen, got)
			}
			if len(got) < len(tt.wantFirst) || !slices.Equal(got[:len(tt.wantFirst)], tt.wantFirst) {
				t.Fatalf("Zones(%q, %d)=%q, want it to start with %q", tt.query, tt.limit, got, tt.wantFirst)
			}
		})
	}
}

func TestZonesLoad(t *testing.T) {
	all := schedule.Zones("", 0)
	if len(all) < 300 {
		t.Fatalf("Zones lists %d names, want the whole zone.tab", len(all))
	}
	for _, name := range all {
		s, err := schedule.ParseSpec("12:00", name, "")
		if err != nil {
			t.Errorf("ParseSpec with zone %q: %v", name, err)
			continue
		}
		if s.Zone() != name {
			t.Errorf("Zone()=%q, want %q", s.Zone(), name)
		}
	}
}
