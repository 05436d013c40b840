// Package schedule decides when attache posts its digests: it parses a
// digest's schedule (a local time, an IANA zone and a set of weekdays),
// works out each day's slot across daylight-saving changes, keeps digests
// and their posting state in a bbolt file, and runs the loop that posts each
// slot once through a Poster that the caller implements.
//
// The package holds no Discord code; all time is read through a Clock so
// that tests control it. The bot wires it up like this:
//
//	store, err := schedule.Open("data/digests.db")
//	...
//	sched := schedule.New(store, poster, schedule.Config{Logger: logger})
//	go sched.Run(ctx)
//	// after store.Add or store.Remove:
//	sched.Reload()
package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	// The zone database is embedded so the binary works on hosts without
	// /usr/share/zoneinfo (e.g. scratch or distroless containers).
	_ "time/tzdata"
)

// Spec is a parsed digest schedule: a local time of day, the zone it is
// read in and the weekdays it runs on. Build one with ParseSpec.
// The zero Spec has no days and so never runs: Next returns the zero Slot.
type Spec struct {
	hour, minute int
	zone         string
	loc          *time.Location
	days         weekdays
}

// Slot is one scheduled run of a digest.
type Slot struct {
	// At is the instant the slot is due, in UTC.
	At time.Time
	// ID names the slot: the local civil date it belongs to, "2006-01-02".
	// It is unique per digest and day and stays the same when At moves
	// (e.g. to 03:00 on a spring-forward day); callers combine it with the
	// digest's ID (e.g. in an embed footer) to recognise a posted slot.
	ID string
}

// IsZero reports whether s is the zero Slot, which Next returns when a Spec
// never runs.
func (s Slot) IsZero() bool { return s.ID == "" && s.At.IsZero() }

// slotIDLayout is the layout of Slot.ID; IDs sort in date order as strings.
const slotIDLayout = "2006-01-02"

// ParseSpec parses a schedule as a user types it: hhmm is a 24-hour time
// "HH:MM" (or "H:MM"), zone an IANA zone name such as "Europe/Paris", and
// days one of "daily" (also when empty), "weekdays", "weekends" or a comma
// list of day names such as "mon,wed,fri" or "Monday, Friday"; names are
// case-insensitive. The error says what is wrong in words fit to show a user.
func ParseSpec(hhmm, zone, days string) (Spec, error) {
	var s Spec
	var err error
	if s.hour, s.minute, err = parseHHMM(hhmm); err != nil {
		return Spec{}, err
	}
	if s.loc, s.zone, err = loadZone(zone); err != nil {
		return Spec{}, err
	}
	if s.days, err = parseDays(days); err != nil {
		return Spec{}, err
	}
	return s, nil
}

func parseHHMM(v string) (hour, minute int, err error) {
	v = strings.TrimSpace(v)
	h, m, ok := strings.Cut(v, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !allDigits(h) || !allDigits(m) {
		return 0, 0, fmt.Errorf("time %q is not HH:MM (24-hour, e.g. 07:30 or 18:05)", v)
	}
	hour, _ = strconv.Atoi(h)
	minute, _ = strconv.Atoi(m)
	if hour > 23 {
		return 0, 0, fmt.Errorf("time %q: hour must be 00 to 23", v)
	}
	if minute > 59 {
		return 0, 0, fmt.Errorf("time %q: minute must be 00 to 59", v)
	}
	return hour, minute, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// loadZone loads an IANA zone by name. It refuses "" and "Local", which
// time.LoadLocation accepts but which mean the host's zone, not the user's.
// A name that differs from a known zone only in case or in spaces for
// underscores ("europe/paris", "America/New York") is corrected.
func loadZone(name string) (*time.Location, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "Local") {
		return nil, "", fmt.Errorf("unknown time zone %q (use an IANA name like Europe/Paris)", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		canon, ok := canonicalZone(name)
		if !ok {
			return nil, "", fmt.Errorf("unknown time zone %q (use an IANA name like Europe/Paris)", name)
		}
		if loc, err = time.LoadLocation(canon); err != nil {
			return nil, "", fmt.Errorf("load time zone %q: %w", canon, err)
		}
		name = canon
	}
	return loc, name, nil
}

// weekdays is a set of days, bit i standing for time.Weekday(i).
type weekdays uint8

const (
	everyDay weekdays = 1<<7 - 1
	workDays weekdays = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday
	weekEnds weekdays = 1<<time.Saturday | 1<<time.Sunday
)

func (w weekdays) has(d time.Weekday) bool { return w&(1<<d) != 0 }

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

func parseDays(v string) (weekdays, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	switch v {
	case "", "daily", "every day", "everyday":
		return everyDay, nil
	case "weekdays":
		return workDays, nil
	case "weekends":
		return weekEnds, nil
	}
	var w weekdays
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return 0, fmt.Errorf("days %q has an empty entry (use e.g. mon,wed,fri)", v)
		}
		d, ok := dayNames[part]
		if !ok {
			return 0, fmt.Errorf("days %q: %q is not a day (use daily, weekdays, weekends or a list like mon,wed,fri)", v, part)
		}
		w |= 1 << d
	}
	return w, nil
}

// String returns the days in the form ParseSpec reads: "daily",
// "weekdays", "weekends" or a list from Monday on, e.g. "mon,wed,fri".
func (w weekdays) String() string {
	switch w {
	case everyDay:
		return "daily"
	case workDays:
		return "weekdays"
	case weekEnds:
		return "weekends"
	}
	var b strings.Builder
	for i := range 7 {
		d := time.Weekday((i + 1) % 7) // Monday first
		if w.has(d) {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.ToLower(d.String()[:3]))
		}
	}
	return b.String()
}

// IsZero reports whether s is the zero Spec.
func (s Spec) IsZero() bool { return s.days == 0 && s.loc == nil }

// TimeOfDay returns the local time as "HH:MM".
func (s Spec) TimeOfDay() string { return fmt.Sprintf("%02d:%02d", s.hour, s.minute) }

// Zone returns the IANA zone name, e.g. "Europe/Paris".
func (s Spec) Zone() string { return s.zone }

// Days returns the days in the form ParseSpec reads, e.g. "weekdays" or
// "mon,wed,fri".
func (s Spec) Days() string { return s.days.String() }

// Location returns the zone, or UTC for the zero Spec.
func (s Spec) Location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc
}

// String returns e.g. "07:30 Europe/Paris weekdays".
func (s Spec) String() string {
	return s.TimeOfDay() + " " + s.zone + " " + s.Days()
}

// Next returns the first slot of s that is due strictly after after.
//
// Each day s runs on has one slot, at the spec's local time that day. When
// that time does not exist (it falls in a spring-forward gap) the slot is at
// the first instant after the gap, e.g. 03:00 for 02:30; when it occurs twice
// (a fall-back overlap) the slot is at the first occurrence.
func (s Spec) Next(after time.Time) Slot {
	if s.days == 0 {
		return Slot{}
	}
	loc := s.Location()
	y, m, d := after.In(loc).Date()
	// Walk civil dates rather than adding hours to instants, so that a day
	// is always one calendar day whatever its length. Start a day early:
	// the previous day's slot can land after after when a gap pushes it
	// past midnight. Eight more days cover any set of weekdays.
	for i := -1; i <= 8; i++ {
		// time.Date is used only for calendar arithmetic, in UTC, where
		// every day has 24 hours; the zone is applied by wallToInstant.
		day := time.Date(y, m, d+i, 0, 0, 0, 0, time.UTC)
		if !s.days.has(day.Weekday()) {
			continue
		}
		at := wallToInstant(day.Year(), day.Month(), day.Day(), s.hour, s.minute, loc)
		if at.After(after) {
			return Slot{At: at.UTC(), ID: day.Format(slotIDLayout)}
		}
	}
	return Slot{} // unreachable while days != 0
}

// slotOn returns the slot of s for the civil date id ("2006-01-02"),
// whether or not s runs that weekday.
func (s Spec) slotOn(id string) (Slot, bool) {
	day, err := time.Parse(slotIDLayout, id)
	if err != nil {
		return Slot{}, false
	}
	at := wallToInstant(day.Year(), day.Month(), day.Day(), s.hour, s.minute, s.Location())
	return Slot{At: at.UTC(), ID: id}, true
}

// wallToInstant returns the instant at which clocks in loc read the given
// wall time: the first such instant when the wall time occurs twice, and the
// end of the gap (the first valid instant after it) when it does not occur.
//
// It walks the zone's offset periods around the date with ZoneBounds instead
// of trusting time.Date, whose result for gaps and overlaps is documented
// only as "correct in one of the two zones involved".
func wallToInstant(year int, month time.Month, day, hour, minute int, loc *time.Location) time.Time {
	// wall is the wall time read as if it were UTC; an instant t shows this
	// wall time in a period with offset off when t = wall - off.
	wall := time.Date(year, month, day, hour, minute, 0, 0, time.UTC).Unix()
	// Offsets are within ±26h, so a period that holds wall-2d precedes
	// every candidate instant.
	probe := time.Unix(wall-2*86400, 0).In(loc)
	for range 16 {
		_, off := probe.Zone()
		start, end := probe.ZoneBounds()
		t := time.Unix(wall-int64(off), 0)
		if end.IsZero() || t.Before(end) {
			// Periods are visited in order, so the first one whose end is
			// after t is the answer: t itself if the period holds it (the
			// first occurrence on an overlap), else wall fell in the gap
			// before this period, which it starts.
			if !start.IsZero() && t.Before(start) {
				return start.In(loc)
			}
			return t.In(loc)
		}
		probe = end.In(loc)
	}
	// Not reached for real zones (a few transitions a year at most).
	return time.Date(year, month, day, hour, minute, 0, 0, loc)
}

// errZeroSpec is returned when a Digest without a schedule is stored.
var errZeroSpec = errors.New("digest has no schedule")
