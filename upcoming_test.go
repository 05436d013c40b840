package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpcomingAndTimelineJSON reads the JSON of upcoming --json and
// timeline --json as other tools would, with the flags anywhere.
func TestUpcomingAndTimelineJSON(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out, errOut, err := runMain(t, nil, "", "upcoming", "--json", "--from", "2026-05-01", "--corpus", "testdata/corpus", "--days", "60", "--data", data, "--topic", "sudan")
	if err != nil {
		t.Fatalf("upcoming --json: %v\n%s", err, errOut)
	}
	var up struct {
		From   string `json:"from"`
		Events []struct {
			Date    string `json:"date"`
			End     string `json:"end"`
			Time    string `json:"time"`
			Label   string `json:"label"`
			Place   string `json:"place"`
			Passage string `json:"passage"`
			UID     string `json:"uid"`
			Article struct {
				ID        string `json:"id"`
				Title     string `json:"title"`
				Source    string `json:"source"`
				URL       string `json:"url"`
				Published string `json:"published"`
			} `json:"article"`
		} `json:"events"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&up); err != nil {
		t.Fatalf("upcoming JSON %q: %v", out, err)
	}
	if up.From != "2026-05-01" || len(up.Events) != 2 {
		t.Fatalf("upcoming JSON = %+v, want from 2026-05-01 and Sudan's two events", up)
	}
	talks := up.Events[1]
	if talks.Date != "2026-05-14" || talks.Place != "Muscat" || talks.Article.ID != "sudan-ceasefire-talks-postponed-muscat.md" || !strings.HasSuffix(talks.UID, "@attache") || talks.Article.Published != "2026-05-11T14:20:00Z" {
		t.Errorf("talks = %+v, want Thursday 14 May in Muscat, from the newer report", talks)
	}

	out, errOut, err = runMain(t, nil, "", "upcoming", "--ics", "--from", "2026-05-01", "--corpus", "testdata/corpus", "--data", data)
	if err != nil || !strings.HasPrefix(out, "BEGIN:VCALENDAR\r\n") || !strings.Contains(out, "UID:"+talks.UID+"\r\n") {
		t.Errorf("upcoming --ics: %v, %q\n%s", err, out, errOut)
	}
	if _, _, err := runMain(t, nil, "", "upcoming", "--ics", "--json", "--corpus", "testdata/corpus", "--data", data); err == nil {
		t.Errorf("upcoming --ics --json succeeded")
	}
	if _, _, err := runMain(t, nil, "", "upcoming", "--from", "May 1", "--corpus", "testdata/corpus", "--data", data); err == nil {
		t.Errorf("upcoming --from 'May 1' succeeded")
	}

	out, errOut, err = runMain(t, nil, "", "timeline", "sudan", "--corpus", "testdata/corpus", "ceasefire", "--json", "--data", data)
	if err != nil {
		t.Fatalf("timeline --json: %v\n%s", err, errOut)
	}
	var tl struct {
		Topic   string `json:"topic"`
		Entries []struct {
			Date    string `json:"date"`
			Text    string `json:"text"`
			Article struct {
				ID        string `json:"id"`
				Title     string `json:"title"`
				Source    string `json:"source"`
				URL       string `json:"url"`
				Published string `json:"published"`
			} `json:"article"`
		} `json:"entries"`
	}
	dec = json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tl); err != nil {
		t.Fatalf("timeline JSON %q: %v", out, err)
	}
	if tl.Topic != "sudan ceasefire" || len(tl.Entries) == 0 {
		t.Fatalf("timeline JSON = %+v, want the topic and entries", tl)
	}
	for i, e := range tl.Entries {
		if i > 0 && e.Date < tl.Entries[i-1].Date {
			t.Errorf("entries out of order: %s after %s", e.Date, tl.Entries[i-1].Date)
		}
		if e.Date == "2026-05-12" {
			t.Errorf("the talks' overtaken Tuesday is in the timeline: %+v", e)
		}
	}

	out, _, err = runMain(t, nil, "", "upcoming", "--corpus", "testdata/corpus", "--from", "2026-05-01", "--data", data)
	if err != nil || !strings.Contains(out, "Thu 14 May 2026 — **New round of ceasefire talks") {
		t.Errorf("upcoming: %v\n%s", err, out)
	}
}
