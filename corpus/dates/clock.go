package dates

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Clock.On needs the zones wherever the system lacks them
)

// Clock is a time of day found in text: "11:30 am local time", "8.30 pm
// UK time", "10:00 GMT", "1400 GMT". Find leaves times of day out; Clocks
// finds them, for a calendar that knows when in the day something starts.
type Clock struct {
	Text         string // as written, zone included
	Start, End   int    // byte offsets of Text in the text
	Hour, Minute int    // on a 24-hour clock
	// Zone is the IANA name of the time zone the text gives ("Europe/London"
	// for "UK time" or "BST", "UTC" for "GMT"), or "" when it gives none
	// or says "local time".
	Zone string
}

// On returns the instant of c on day d (a calendar day, as Find returns
// them) in c's zone, and false when c has no zone or the zone is unknown
// to this system.
func (c Clock) On(d time.Time) (time.Time, bool) {
	if c.Zone == "" {
		return time.Time{}, false
	}
	loc, err := time.LoadLocation(c.Zone)
	if err != nil {
		return time.Time{}, false
	}
	y, m, day := d.Date()
	return time.Date(y, m, day, c.Hour, c.Minute, 0, 0, loc).UTC(), true
}

// clockPattern matches a time of day: hours and minutes with a colon
// ("11:30"), or with a full stop or alone before am/pm ("8.30 pm", "9
// am"), or four digits before GMT or UTC ("1400 GMT"); then a zone, if
// any.
var clockPattern = regexp.MustCompile(`(?i)\b(?:(\d{1,2}):(\d{2})(?:\s*(a\.m\.|p\.m\.|am|pm)\b)?|(\d{1,2})(?:\.(\d{2}))?\s*(a\.m\.|p\.m\.|am|pm)\b|([01]\d|2[0-3])([0-5]\d)\s*(?:GMT|UTC)\b)` +
	`(?:\s*\(?\s*(GMT|UTC|BST|CET|CEST|EET|EEST|EST|EDT|ET|PST|PDT|PT|JST|MSK|local time|(?:UK|London|Brussels|Paris|Geneva|Berlin|Washington|New York|Moscow|Kyiv|Beijing|Tokyo) time)\b)?`)

// zoneNames maps the zones news writes to IANA names. Summer and winter
// abbreviations share a zone, whose rules know which applies on a day.
var zoneNames = map[string]string{
	"gmt": "UTC", "utc": "UTC",
	"bst": "Europe/London", "uk time": "Europe/London", "london time": "Europe/London",
	"cet": "Europe/Paris", "cest": "Europe/Paris", "brussels time": "Europe/Brussels",
	"paris time": "Europe/Paris", "geneva time": "Europe/Zurich", "berlin time": "Europe/Berlin",
	"eet": "Europe/Athens", "eest": "Europe/Athens", "kyiv time": "Europe/Kyiv",
	"est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
	"washington time": "America/New_York", "new york time": "America/New_York",
	"pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
	"jst": "Asia/Tokyo", "tokyo time": "Asia/Tokyo", "beijing time": "Asia/Shanghai",
	"msk": "Europe/Moscow", "moscow time": "Europe/Moscow",
}

// Clocks returns the times of day in text, in order. A time followed by
// another in brackets, as in "11:30 am local time (8.30 pm UK time)", is
// two Clocks; the caller picks the one with a zone.
func Clocks(text string) []Clock {
	var out []Clock
	for _, m := range clockPattern.FindAllStringSubmatchIndex(text, -1) {
		part := func(n int) string {
			if m[2*n] < 0 {
				return ""
			}
			return text[m[2*n]:m[2*n+1]]
		}
		var hour, minute int
		var half string
		switch {
		case part(1) != "":
			hour, _ = strconv.Atoi(part(1))
			minute, _ = strconv.Atoi(part(2))
			half = part(3)
		case part(4) != "":
			hour, _ = strconv.Atoi(part(4))
			if part(5) != "" {
				minute, _ = strconv.Atoi(part(5))
			}
			half = part(6)
		default:
			hour, _ = strconv.Atoi(part(7))
			minute, _ = strconv.Atoi(part(8))
		}
		switch strings.ToLower(strings.ReplaceAll(half, ".", "")) {
		case "am":
			if hour == 12 {
				hour = 0
			}
		case "pm":
			if hour < 12 {
				hour += 12
			}
		}
		if hour > 23 || minute > 59 {
			continue
		}
		zone := part(9)
		if zone == "" && part(7) != "" {
			zone = "GMT" // "1400 GMT": the zone is part of the match
		}
		c := Clock{Text: text[m[0]:m[1]], Start: m[0], End: m[1], Hour: hour, Minute: minute, Zone: zoneNames[strings.ToLower(zone)]}
		c.Text = strings.TrimRight(c.Text, " (")
		c.End = c.Start + len(c.Text)
		out = append(out, c)
	}
	return out
}
