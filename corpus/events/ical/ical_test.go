package ical_test

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"attache/corpus"
	"attache/corpus/events"
	"attache/corpus/events/ical"

	ics "github.com/arran4/golang-ical"
)

// contentLine is one unfolded line of an iCalendar file.
type contentLine struct {
	name   string
	params map[string]string
	value  string
}

var (
	nameRe       = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	dateRe       = regexp.MustCompile(`^\d{8}$`)
	utcRe        = regexp.MustCompile(`^\d{8}T\d{6}Z$`)
	textProps    = map[string]bool{"SUMMARY": true, "DESCRIPTION": true, "LOCATION": true, "COMMENT": true, "NAME": true, "X-WR-CALNAME": true}
	singleInVCal = []string{"VERSION", "PRODID"}
)

// strictParse checks data against RFC 5545 as strictly as a test can
// afford, and returns the VEVENTs' properties: CRLF line ends only, lines
// of at most 75 octets, folded with one space or tab, split between
// characters; names and parameters as section 3.1 writes them; in TEXT
// values (SUMMARY, DESCRIPTION, LOCATION) no unescaped comma, semicolon or
// line break, and only the escapes of section 3.3.11; BEGIN and END
// nested, VERSION 2.0 and PRODID once; every VEVENT with one UID, DTSTAMP
// in UTC, DTSTART, and a DTEND of the same value type after it.
func strictParse(tb testing.TB, data []byte) []map[string]contentLine {
	tb.Helper()
	if !utf8.Valid(data) {
		tb.Fatalf("not UTF-8")
	}
	s := string(data)
	if !strings.HasSuffix(s, "\r\n") {
		tb.Fatalf("does not end with CRLF")
	}
	physical := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var logical []string
	for n, l := range physical {
		if strings.ContainsAny(l, "\r\n") {
			tb.Fatalf("line %d: bare CR or LF in %q", n+1, l)
		}
		if len(l) > 75 {
			tb.Fatalf("line %d: %d octets, more than 75: %q", n+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			tb.Fatalf("line %d: folded inside a character: %q", n+1, l)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(logical) == 0 {
				tb.Fatalf("line %d: continuation without a line before it", n+1)
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	var stack []string
	var events []map[string]contentLine
	counts := map[string]int{}
	for _, l := range logical {
		cl := parseLine(tb, l)
		switch cl.name {
		case "BEGIN":
			stack = append(stack, cl.value)
			if cl.value == "VEVENT" {
				if len(stack) != 2 || stack[0] != "VCALENDAR" {
					tb.Fatalf("VEVENT outside VCALENDAR: %q", stack)
				}
				events = append(events, map[string]contentLine{})
			}
			continue
		case "END":
			if len(stack) == 0 || stack[len(stack)-1] != cl.value {
				tb.Fatalf("END:%s does not close %q", cl.value, stack)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) == 0 {
			tb.Fatalf("%s outside any component", cl.name)
		}
		if textProps[cl.name] {
			checkText(tb, cl)
		}
		switch stack[len(stack)-1] {
		case "VCALENDAR":
			counts[cl.name]++
		case "VEVENT":
			ev := events[len(events)-1]
			if _, dup := ev[cl.name]; dup && cl.name != "ATTENDEE" && cl.name != "CATEGORIES" {
				tb.Fatalf("VEVENT has %s twice", cl.name)
			}
			ev[cl.name] = cl
		}
	}
	if len(stack) != 0 {
		tb.Fatalf("components left open: %q", stack)
	}
	for _, p := range singleInVCal {
		if counts[p] != 1 {
			tb.Fatalf("VCALENDAR has %d %s, want 1", counts[p], p)
		}
	}
	if logical[0] != "BEGIN:VCALENDAR" || !slices.Contains(logical, "VERSION:2.0") {
		tb.Fatalf("not an iCalendar 2.0 object: %q", logical[:min(3, len(logical))])
	}
	for n, ev := range events {
		for _, p := range []string{"UID", "DTSTAMP", "DTSTART"} {
			if _, ok := ev[p]; !ok {
				tb.Fatalf("VEVENT %d has no %s", n, p)
			}
		}
		if !utcRe.MatchString(ev["DTSTAMP"].value) {
			tb.Fatalf("VEVENT %d: DTSTAMP %q is not a UTC date-time", n, ev["DTSTAMP"].value)
		}
		start := ev["DTSTART"]
		allDay := start.params["VALUE"] == "DATE"
		if allDay && !dateRe.MatchString(start.value) || !allDay && !utcRe.MatchString(start.value) {
			tb.Fatalf("VEVENT %d: DTSTART %+v is neither a DATE nor a UTC DATE-TIME", n, start)
		}
		if end, ok := ev["DTEND"]; ok {
			if (end.params["VALUE"] == "DATE") != allDay || end.value <= start.value {
				tb.Fatalf("VEVENT %d: DTEND %+v does not fit DTSTART %+v", n, end, start)
			}
		}
		if seq, ok := ev["SEQUENCE"]; ok {
			if v, err := strconv.Atoi(seq.value); err != nil || v < 0 {
				tb.Fatalf("VEVENT %d: SEQUENCE %q", n, seq.value)
			}
		}
	}
	return events
}

// parseLine splits a content line: name *(";" param) ":" value.
func parseLine(tb testing.TB, l string) contentLine {
	tb.Helper()
	cl := contentLine{params: map[string]string{}}
	i := strings.IndexAny(l, ";:")
	if i <= 0 {
		tb.Fatalf("no name in %q", l)
	}
	cl.name = l[:i]
	if !nameRe.MatchString(cl.name) {
		tb.Fatalf("bad name %q", cl.name)
	}
	rest := l[i:]
	for strings.HasPrefix(rest, ";") {
		rest = rest[1:]
		eq := strings.Index(rest, "=")
		if eq <= 0 || !nameRe.MatchString(rest[:eq]) {
			tb.Fatalf("bad parameter in %q", l)
		}
		pname := rest[:eq]
		rest = rest[eq+1:]
		var pval string
		if strings.HasPrefix(rest, `"`) {
			end := strings.Index(rest[1:], `"`)
			if end < 0 {
				tb.Fatalf("unclosed quote in %q", l)
			}
			pval, rest = rest[1:1+end], rest[2+end:]
		} else {
			end := strings.IndexAny(rest, ";:")
			if end < 0 {
				tb.Fatalf("parameter without value end in %q", l)
			}
			pval, rest = rest[:end], rest[end:]
			if strings.ContainsAny(pval, `",`) {
				tb.Fatalf("unquoted parameter value %q in %q", pval, l)
			}
		}
		cl.params[pname] = pval
	}
	if !strings.HasPrefix(rest, ":") {
		tb.Fatalf("no value in %q", l)
	}
	cl.value = rest[1:]
	for _, r := range cl.value {
		if r < 0x20 && r != '\t' || r == 0x7f {
			tb.Fatalf("control character in %q", l)
		}
	}
	return cl
}

// checkText checks the escapes of a TEXT value (RFC 5545 3.3.11).
func checkText(tb testing.TB, cl contentLine) {
	tb.Helper()
	v := cl.value
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if i+1 >= len(v) || !strings.ContainsRune(`\;,nN`, rune(v[i+1])) {
				tb.Fatalf("%s: bad escape at %d in %q", cl.name, i, v)
			}
			i++
		case ';', ',':
			tb.Fatalf("%s: unescaped %q at %d in %q", cl.name, v[i], i, v)
		}
	}
}

func unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, `;`, `\,`, `,`, `\n`, "\n", `\N`, "\n").Replace(s)
}

func mustLoad(tb testing.TB, dir string, names ...string) []corpus.Article {
	tb.Helper()
	arts, _, err := corpus.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpus.Article
	for _, n := range names {
		i := slices.IndexFunc(arts, func(a corpus.Article) bool { return a.ID == n })
		if i < 0 {
			tb.Fatalf("no %s", n)
		}
		out = append(out, arts[i])
	}
	return out
}

func write(tb testing.TB, evs []events.Event) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := ical.Write(&buf, evs, "attache: coming up", time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteIsStrictRFC5545(t *testing.T) {
	long := strings.Repeat("Delegations, mediators; and observers — ", 6)
	evs := []events.Event{
		{
			UID: "a1@attache", Sequence: 2, Start: time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC),
			Label: "Talks, at last; maybe", Place: "Muscat, Oman",
			Sentence: long + "« Ça ira » — naïve façade, 東京 " + long,
			Article:  events.Article{ID: "x.md", Title: "Talks; moved, again", Source: "Fixture Wire", URL: "https://fixtures.invalid/x?a=1,b=2;c", Published: time.Date(2026, 5, 11, 14, 20, 0, 0, time.UTC)},
		},
		{
			UID: "b2@attache", Start: time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 4, 16, 0, 0, 0, 0, time.UTC),
			Label: "Two-day meeting", Sentence: "Line one\nline two\r\nthree\\four",
		},
		{
			UID: "c3@attache", Start: time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC), At: time.Date(2025, 8, 15, 19, 30, 0, 0, time.UTC),
			Label: "Summit", Sentence: "Summit at 8.30 pm UK time.",
		},
	}
	data := write(t, evs)
	got := strictParse(t, data)
	if len(got) != len(evs) {
		t.Fatalf("%d VEVENTs, want %d", len(got), len(evs))
	}
	tests := []struct {
		n          int
		prop, want string
	}{
		{0, "UID", "a1@attache"},
		{0, "SEQUENCE", "2"},
		{0, "DTSTART", "20260514"},
		{0, "DTEND", "20260515"},
		{0, "DTSTAMP", "20260511T142000Z"},
		{0, "SUMMARY", "Talks, at last; maybe"},
		{0, "LOCATION", "Muscat, Oman"},
		{0, "URL", "https://fixtures.invalid/x?a=1,b=2;c"},
		{1, "DTEND", "20260417"}, // the day after the last
		{1, "DTSTAMP", "20260501T000000Z"},
		{2, "DTSTART", "20250815T193000Z"},
	}
	for _, tt := range tests {
		v := got[tt.n][tt.prop].value
		if textProps[tt.prop] {
			v = unescape(v)
		}
		if v != tt.want {
			t.Errorf("event %d %s=%q, want %q", tt.n, tt.prop, v, tt.want)
		}
	}
	if d := unescape(got[0]["DESCRIPTION"].value); !strings.Contains(d, "東京") || !strings.Contains(d, "https://fixtures.invalid/x") || !strings.Contains(d, "Fixture Wire, 11 May 2026") {
		t.Errorf("DESCRIPTION=%q, want the sentence, its source and its link", d)
	}
	if d := unescape(got[1]["DESCRIPTION"].value); strings.ContainsAny(d, "\r\n") {
		t.Errorf("DESCRIPTION=%q keeps the line breaks of the text", d)
	}
	if _, ok := got[2]["DTEND"]; ok {
		t.Errorf("a timed event of unknown length has a DTEND")
	}
	// The library reads back what it wrote.
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ParseCalendar: %v", err)
	}
	if n := len(cal.Events()); n != len(evs) {
		t.Fatalf("ParseCalendar found %d events, want %d", n, len(evs))
	}
	if s := cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value; s != evs[0].Label {
		t.Fatalf("SUMMARY read back %q, want %q", s, evs[0].Label)
	}
}

// calendarApp is what a calendar app keeps of imported files: one event
// per UID, replaced by a newer SEQUENCE.
type calendarApp map[string]map[string]contentLine

func (c calendarApp) importFile(tb testing.TB, data []byte) {
	for _, ev := range strictParse(tb, data) {
		uid := ev["UID"].value
		old, ok := c[uid]
		seq := func(e map[string]contentLine) int { n, _ := strconv.Atoi(e["SEQUENCE"].value); return n }
		if !ok || seq(ev) >= seq(old) {
			c[uid] = ev
		}
	}
}

func TestReimportUpdates(t *testing.T) {
	// The update pair: talks moved from Doha on Tuesday to Muscat on
	// Thursday.
	dir := "../../summarize/testdata"
	older := mustLoad(t, dir, "sudan-ceasefire-talks-doha.md")
	newer := mustLoad(t, dir, "sudan-ceasefire-talks-postponed-muscat.md")
	b := events.New()
	b.Sync(older)
	from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	app := calendarApp{}
	app.importFile(t, write(t, b.Upcoming(from, 60, nil)))
	before := len(app)
	talks := func() map[string]contentLine {
		var out map[string]contentLine
		for _, ev := range app {
			if strings.Contains(unescape(ev["SUMMARY"].value), "ceasefire talks") {
				if out != nil {
					t.Fatalf("two events of the talks: %v and %v", out, ev)
				}
				out = ev
			}
		}
		if out == nil {
			t.Fatalf("no event of the talks among %d", len(app))
		}
		return out
	}
	was := talks()
	if was["DTSTART"].value != "20260512" || unescape(was["LOCATION"].value) != "Doha" {
		t.Fatalf("before the update: %v %v, want Tuesday 12 May in Doha", was["DTSTART"], was["LOCATION"])
	}

	b.Apply(newer, nil)
	app.importFile(t, write(t, b.Upcoming(from, 60, nil)))
	now := talks()
	if now["UID"].value != was["UID"].value {
		t.Fatalf("UID %q, want %q", now["UID"].value, was["UID"].value)
	}
	if now["DTSTART"].value != "20260514" || unescape(now["LOCATION"].value) != "Muscat" {
		t.Fatalf("after the update: %v %v, want Thursday 14 May in Muscat", now["DTSTART"], now["LOCATION"])
	}
	if a, b := now["SEQUENCE"].value, was["SEQUENCE"].value; a <= b {
		t.Fatalf("SEQUENCE %s after the update, want more than %s", a, b)
	}
	// The moved arrival is updated too; the overtaken plans stay in the
	// app (a file lists what is coming, not what was dropped), and no
	// event is there twice.
	if len(app) > before+1 {
		t.Fatalf("%d events after re-importing, from %d: the update added events instead of changing them", len(app), before)
	}
}
