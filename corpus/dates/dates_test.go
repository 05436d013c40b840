package dates_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"attache/corpus/dates"
)

// at returns 09:00 UTC on the day "2006-01-02" names, a typical publication
// time.
func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		tb.Fatalf("parse %q: %v", s, err)
	}
	return t.Add(9 * time.Hour)
}

// render writes mentions as "Text=2006-01-02", which keeps tables short.
func render(ms []dates.Mention) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text + "=" + m.Date.Format("2006-01-02")
	}
	return out
}

type findTest struct {
	name string
	ref  string // "2006-01-02", or "" for a zero ref
	text string
	want []string // "Text=2006-01-02"
}

func runFindTests(t *testing.T, tests []findTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ref time.Time
			if tt.ref != "" {
				ref = at(t, tt.ref)
			}
			got := render(dates.Find(tt.text, ref))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Find(%q, %s)=%q, want %q", tt.text, tt.ref, got, tt.want)
			}
		})
	}
}

func TestFindWeekday(t *testing.T) {
	runFindTests(t, []findTest{
		// The examples the package was written for.
		{"possessive ahead of", "2025-08-14",
			"Starmer and Zelensky are united ahead of Friday’s summit between Donald Trump and Vladimir Putin.",
			[]string{"Friday’s=2025-08-15"}},
		{"will meet and said", "2026-05-09",
			"Negotiators will meet in Doha on Tuesday for a new round of ceasefire talks, Qatari mediators said on Saturday.",
			[]string{"on Tuesday=2026-05-12", "on Saturday=2026-05-09"}},
		{"postponed until", "2026-05-11",
			"The round has been postponed until Thursday and moved from Doha to Muscat, mediators said on Monday.",
			[]string{"Thursday=2026-05-14", "on Monday=2026-05-11"}},
		{"scheduled for", "2026-05-11",
			"Delegations arrive on Wednesday, with the first session scheduled for Thursday morning.",
			[]string{"on Wednesday=2026-05-13", "Thursday morning=2026-05-14"}},
		{"expected to", "2026-05-11",
			"The Sudanese delegation is expected to reach the Omani capital on Wednesday.",
			[]string{"on Wednesday=2026-05-13"}},
		{"present tense relative clause", "2026-02-20",
			"The package now goes to the bloc's foreign ministers, who meet in Brussels on Monday.",
			[]string{"on Monday=2026-02-23"}},
		{"present tense after said", "2026-02-20",
			"Diplomats said the package would go to the bloc's foreign ministers, who meet in Brussels on Monday.",
			[]string{"on Monday=2026-02-23"}},
		{"verb after weekday", "2026-02-20",
			"European Union ambassadors on Friday agreed a 20th package of sanctions.",
			[]string{"on Friday=2026-02-20"}},
		{"late on night", "2026-02-20",
			"The last dispute, over frozen assets, was settled late on Thursday night.",
			[]string{"on Thursday night=2026-02-19"}},
		{"next and agreed", "2026-03-12",
			"The two delegations agreed in principle on Wednesday to extend the truce. Technical teams will reconvene in Istanbul next Tuesday.",
			[]string{"on Wednesday=2026-03-11", "next Tuesday=2026-03-17"}},
		{"met", "2026-04-14",
			"Senior officials from both sides met on Monday in Geneva.",
			[]string{"on Monday=2026-04-13"}},
		{"due to", "2026-04-14",
			"The foreign minister is due to join the ministers for a joint session on Thursday morning.",
			[]string{"on Thursday morning=2026-04-16"}},
		{"as early as", "2026-04-14",
			"A joint statement could be issued as early as Thursday.",
			[]string{"Thursday=2026-04-16"}},
		{"night", "2026-04-15", "Drones struck Odesa on Monday night.",
			[]string{"on Monday night=2026-04-13"}},
		{"bare weekday", "2026-04-15", "Friday is the deadline.",
			[]string{"Friday=2026-04-17"}},
		{"late on", "2026-04-16", "The text was agreed late on Wednesday.",
			[]string{"on Wednesday=2026-04-15"}},
		{"starting", "2026-06-05", "Both sides agreed to a 30-day truce starting on Monday.",
			[]string{"on Monday=2026-06-08"}},
		{"delayed to", "2026-03-18", "The vote was delayed to Thursday after Russia objected.",
			[]string{"Thursday=2026-03-19"}},
		{"held until", "2026-03-18", "A truce declared on Friday held until Sunday.",
			[]string{"on Friday=2026-03-13", "Sunday=2026-03-15"}},
		{"from", "2026-03-18", "New tariffs apply from Monday.",
			[]string{"Monday=2026-03-23"}},
		{"from after past verb", "2026-03-18", "The rules, officials said, took effect from Monday.",
			[]string{"Monday=2026-03-16"}},
		{"remain closed until", "2026-03-18", "The embassy will remain closed until Friday.",
			[]string{"Friday=2026-03-20"}},
		{"told reporters", "2026-04-15",
			"The envoy told reporters on Monday evening that progress had been made.",
			[]string{"on Monday evening=2026-04-13"}},
		{"is expected", "2026-04-13",
			"A decision is expected on Thursday evening.",
			[]string{"on Thursday evening=2026-04-16"}},

		// Modifiers.
		{"last on same weekday", "2026-04-14", "The talks collapsed last Tuesday.",
			[]string{"last Tuesday=2026-04-07"}},
		{"last", "2026-04-16", "The talks collapsed last Tuesday.",
			[]string{"last Tuesday=2026-04-14"}},
		{"next on same weekday", "2026-04-14", "They meet again next Tuesday.",
			[]string{"next Tuesday=2026-04-21"}},
		{"this", "2026-04-14", "The vote is this Friday.",
			[]string{"this Friday=2026-04-17"}},
		{"this past", "2026-04-17", "Ministers met this past Friday.",
			[]string{"this past Friday=2026-04-10"}},
		{"next week", "2026-05-13", "The summit opens on Thursday next week.",
			[]string{"on Thursday next week=2026-05-21"}},
		{"last week", "2026-05-13", "He arrived on Monday last week.",
			[]string{"on Monday last week=2026-05-04"}},

		// Tense.
		{"future same weekday is today", "2026-03-12", "Ministers will meet on Thursday.",
			[]string{"on Thursday=2026-03-12"}},
		{"past same weekday is today", "2026-03-12", "Ministers met on Thursday.",
			[]string{"on Thursday=2026-03-12"}},
		{"said yesterday by name", "2026-03-15", "The Kremlin said on Saturday it was ready.",
			[]string{"on Saturday=2026-03-14"}},
		{"sentence-initial past", "2026-03-18", "On Monday, officials said the talks had stalled.",
			[]string{"On Monday=2026-03-16"}},
		{"sentence-initial future", "2026-03-15", "On Tuesday, ministers will meet to discuss the plan, officials said.",
			[]string{"On Tuesday=2026-03-17"}},
		{"modal after weekday", "2026-03-18", "Putin on Friday will host the Chinese leader.",
			[]string{"on Friday=2026-03-20"}},
		{"present is", "2026-03-16", "The summit is on Friday.",
			[]string{"on Friday=2026-03-20"}},
		{"passive future", "2026-03-16", "The accord is to be signed on Friday.",
			[]string{"on Friday=2026-03-20"}},
		{"passive past", "2026-03-16", "The accord was signed on Friday.",
			[]string{"on Friday=2026-03-13"}},
		{"won't", "2026-03-16", "Putin won't attend on Friday.",
			[]string{"on Friday=2026-03-20"}},
		{"didn't", "2026-03-16", "He didn't show up on Friday.",
			[]string{"on Friday=2026-03-13"}},
		{"they'll", "2026-03-16", "They’ll sign it on Friday.",
			[]string{"on Friday=2026-03-20"}},
		{"since", "2026-03-16", "Nothing has moved since Friday’s talks.",
			[]string{"Friday’s=2026-03-13"}},
		{"possessive past", "2026-03-16", "After Friday's summit was cancelled, aides scrambled.",
			[]string{"Friday's=2026-03-13"}},
		{"earlier", "2026-03-18", "Earlier on Monday the minister flew to Ankara.",
			[]string{"on Monday=2026-03-16"}},
		{"noun not verb", "2026-03-16", "The visit on Friday went well, aides said.",
			[]string{"on Friday=2026-03-13"}},
		{"no marker, no past", "2026-03-16", "Talks in Geneva on Friday.",
			[]string{"on Friday=2026-03-20"}},
		{"no marker, past elsewhere", "2026-03-18", "In Geneva, diplomats who attended the Monday session were gloomy.",
			[]string{"Monday=2026-03-16"}},
		{"time in clause", "2026-03-16", "They will meet at 11:30 on Friday.",
			[]string{"on Friday=2026-03-20"}},
		{"abbreviation in clause", "2026-03-16", "Mr. Lavrov will fly to Ankara on Friday.",
			[]string{"on Friday=2026-03-20"}},
		{"quoted speech", "2026-03-16", "“We will meet again on Thursday,” he said.",
			[]string{"on Thursday=2026-03-19"}},

		// Runs of weekdays share a tense and go forwards.
		{"future run on its second day", "2026-04-14", "Ministers will meet on Monday and Tuesday.",
			[]string{"on Monday=2026-04-20", "Tuesday=2026-04-21"}},
		{"past run on its first day", "2026-04-13", "The envoys met on Monday and Tuesday.",
			[]string{"on Monday=2026-04-06", "Tuesday=2026-04-07"}},
		{"past range", "2026-04-16", "The talks ran from Monday to Wednesday.",
			[]string{"Monday=2026-04-13", "Wednesday=2026-04-15"}},
		{"future list", "2026-04-16", "Voting takes place on Friday, Saturday and Sunday.",
			[]string{"on Friday=2026-04-17", "Saturday=2026-04-18", "Sunday=2026-04-19"}},

		// Month ends, year ends and leap years.
		{"into next month", "2026-01-30", "Talks will resume on Monday.",
			[]string{"on Monday=2026-02-02"}},
		{"into next year", "2025-12-31", "The leaders will meet on Friday.",
			[]string{"on Friday=2026-01-02"}},
		{"into last year", "2026-01-01", "The leaders met on Tuesday.",
			[]string{"on Tuesday=2025-12-30"}},
		{"onto leap day", "2028-02-26", "The leaders will meet on Tuesday.",
			[]string{"on Tuesday=2028-02-29"}},
		{"back over leap day", "2028-03-01", "The leaders met on Monday.",
			[]string{"on Monday=2028-02-28"}},
		{"on leap day", "2024-02-29", "The ministry said on Thursday it would reply next Monday.",
			[]string{"on Thursday=2024-02-29", "next Monday=2024-03-04"}},
		{"no leap day", "2026-03-01", "The leaders met on Saturday.",
			[]string{"on Saturday=2026-02-28"}},

		// Not weekdays.
		{"feast", "2026-04-16", "The Good Friday Agreement was signed in 1998.", nil},
		{"newspaper", "2026-04-16", "The Sunday Times reported the plan.", nil},
		{"plural", "2026-04-16", "Protesters gather on Fridays.", nil},
	})
}

// TestFindTense reads weekdays whose tense comes from the words around
// them, on every day of a week and across the ends of a month, a year and
// February in a leap year: forward-looking words (plans, postponements,
// deadlines, even told in the past) place a weekday on or after the
// article's day, reporting and other past verbs on or before it, and a
// sentence with both places each of its weekdays by its own words.
func TestFindTense(t *testing.T) {
	// A change told in the simple past is ahead, unless it was to
	// yesterday: then it has played out ("the meeting was moved to
	// Saturday" in Sunday's report of it).
	near := []string{
		"The session was extended until %s.",
		"Negotiators extended the session overnight until %s.",
		"The meeting was moved to %s.",
		"Mediators had hoped to wrap up on %s.",
	}
	forward := []string{
		"The summit has been postponed to %s.",
		"Negotiators hoped to wrap up on %s.",
		"The delegations planned to sign the text on %s.",
		"Leaders were set to meet on %s.",
		"The council was scheduled to vote on %s.",
		"The foreign minister is due in Ankara on %s.",
		"A decision is expected on %s.",
		"Ministers will meet again on %s.",
		"The mediators said that the deadline was %s.",
		"The two sides set a deadline of %s for a deal.",
		"Talks that opened in Geneva are expected to close on %s.",
	}
	backward := []string{
		"Ministers met on %s.",
		"The ministry said on %s it was ready.",
		"Talks began on %s in Geneva.",
		"The accord was signed on %s.",
		"Delegates who met on %s will decide later.",
	}
	refs := []string{
		"2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-28", "2026-03-29", // a week
		"2026-01-30", "2026-02-01", "2026-12-30", "2027-01-01", "2028-02-28", "2028-03-01", // month and year ends
	}
	for _, ref := range refs {
		r := at(t, ref)
		day := r.Truncate(24 * time.Hour)
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			ahead := day.AddDate(0, 0, (int(wd)-int(day.Weekday())+7)%7)
			behind := day.AddDate(0, 0, -((int(day.Weekday()) - int(wd) + 7) % 7))
			nearest := ahead
			if ahead.Sub(day) == 6*24*time.Hour {
				nearest = day.AddDate(0, 0, -1)
			}
			for _, group := range []struct {
				texts []string
				want  time.Time
			}{{forward, ahead}, {backward, behind}, {near, nearest}} {
				for _, form := range group.texts {
					text := fmt.Sprintf(form, wd)
					ms := dates.Find(text, r)
					if len(ms) != 1 || !ms[0].Date.Equal(group.want) {
						t.Errorf("Find(%q, %s)=%q, want %s", text, ref, render(ms), group.want.Format(time.DateOnly))
					}
				}
			}
		}
	}

	runFindTests(t, []findTest{
		// The two from the report that started this: an article of
		// Thursday 26 March, and an older one of Tuesday 24 March.
		{"extended until, on a Thursday", "2026-03-26", "The session was extended until Saturday.",
			[]string{"Saturday=2026-03-28"}},
		{"hoped to, on a Tuesday", "2026-03-24", "Negotiators hoped to wrap up on Thursday.",
			[]string{"on Thursday=2026-03-26"}},
		// Both in one sentence, in either order.
		{"said, then will", "2026-03-24", "Delegates said on Monday they would reconvene on Thursday.",
			[]string{"on Monday=2026-03-23", "on Thursday=2026-03-26"}},
		{"plan, then said", "2026-03-24", "Ministers intend to sign on Friday, diplomats told reporters on Monday.",
			[]string{"on Friday=2026-03-27", "on Monday=2026-03-23"}},
		{"agreed on, to meet on", "2026-03-24", "Ministers agreed on Monday to meet again on Friday.",
			[]string{"on Monday=2026-03-23", "on Friday=2026-03-27"}},
		{"began, set to end", "2026-03-24", "Talks began on Monday and are set to end on Friday.",
			[]string{"on Monday=2026-03-23", "on Friday=2026-03-27"}},
		{"opened, expected to close", "2026-03-24", "Talks that opened in Geneva on Monday are expected to close on Thursday.",
			[]string{"on Monday=2026-03-23", "on Thursday=2026-03-26"}},
		{"arrived, plans to leave", "2026-03-24", "The envoy, who arrived on Sunday, plans to leave on Thursday.",
			[]string{"on Sunday=2026-03-22", "on Thursday=2026-03-26"}},
		{"postponed, said", "2026-03-24", "The summit was postponed to Friday, the ministry said on Monday.",
			[]string{"Friday=2026-03-27", "on Monday=2026-03-23"}},
		{"over a year end", "2026-12-30", "Envoys who met on Monday hope to sign on Saturday.",
			[]string{"on Monday=2026-12-28", "on Saturday=2027-01-02"}},
		{"back over a year end", "2027-01-02", "Talks that began on Tuesday were extended until Sunday.",
			[]string{"on Tuesday=2026-12-29", "Sunday=2027-01-03"}},
		{"over a month end", "2026-01-30", "The ministers, who met on Wednesday, expect to conclude on Monday.",
			[]string{"on Wednesday=2026-01-28", "on Monday=2026-02-02"}},
		// A change told after it played out: published on Sunday 5 July,
		// the meeting moved to Saturday was the day before.
		{"moved, and held", "2026-07-05", "The meeting was moved to Saturday to avoid a clash with a summit of Gulf leaders on Sunday, two delegates said.",
			[]string{"Saturday=2026-07-04", "on Sunday=2026-07-05"}},
		// A plan that fell through, told the day after.
		{"had hoped, the day after", "2026-03-27", "Mediators had hoped to wrap up on Thursday.",
			[]string{"on Thursday=2026-03-26"}},
		{"had hoped, days before", "2026-03-24", "Mediators had hoped to wrap up on Thursday.",
			[]string{"on Thursday=2026-03-26"}},
		// The old day set against the new is in the same week.
		{"not", "2026-03-27", "The talks now end on Saturday, not Thursday, after an overnight extension.",
			[]string{"on Saturday=2026-03-28", "Thursday=2026-03-26"}},
		{"instead of", "2026-03-24", "The vote will be held on Monday instead of Friday.",
			[]string{"on Monday=2026-03-30", "Friday=2026-03-27"}},
		// A condition speaks of what may happen.
		{"if with a modal", "2026-07-01", "A pause could not be ruled out if concerns dominated Sunday's talks.",
			[]string{"Sunday's=2026-07-05"}},
		{"agreed to a noun", "2026-03-24", "Both sides agreed to a truce on Monday.",
			[]string{"on Monday=2026-03-23"}},
		{"truce held until", "2026-03-24", "The truce held until Sunday.",
			[]string{"Sunday=2026-03-22"}},
		{"aside in brackets", "2026-08-12", "He will visit the truce village of Panmunjom in the Demilitarized Zone (DMZ) on Friday, the U.S. Embassy said.",
			[]string{"on Friday=2026-08-14"}},
	})
}

func TestFindReporting(t *testing.T) {
	tests := []struct {
		text string
		want []bool // Reporting of each mention
	}{
		{"Negotiators will meet in Doha on Tuesday, Qatari mediators said on Saturday.", []bool{false, true}},
		{"The envoy told reporters on Monday evening that progress had been made.", []bool{true}},
		{"The ministries said in a joint statement on Monday that talks resume on Friday.", []bool{true, false}},
		{"On Monday, the ministry said the talks had stalled.", []bool{true}},
		{"On Monday, ministers will meet in Geneva.", []bool{false}},
		{"Ministers met on Monday.", []bool{false}},
		{"The two governments announced on Wednesday that they will sign on 14 March.", []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ms := dates.Find(tt.text, at(t, "2026-03-18"))
			var got []bool
			for _, m := range ms {
				got = append(got, m.Reporting)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Reporting of %q=%v, want %v", render(ms), got, tt.want)
			}
		})
	}
}

func TestFindRelative(t *testing.T) {
	runFindTests(t, []findTest{
		{"tomorrow’s", "2025-08-14",
			"They then looked ahead to tomorrow’s talks between President Trump and President Putin in Alaska.",
			[]string{"tomorrow’s=2025-08-15"}},
		{"tomorrow's", "2025-08-14", "Ahead of tomorrow's talks.", []string{"tomorrow's=2025-08-15"}},
		{"today", "2025-08-14", "The talks begin today.", []string{"today=2025-08-14"}},
		{"tonight", "2025-08-14", "He lands tonight.", []string{"tonight=2025-08-14"}},
		{"this morning", "2025-08-14", "He landed this morning.", []string{"this morning=2025-08-14"}},
		{"yesterday", "2025-08-14", "The talks ended yesterday.", []string{"yesterday=2025-08-13"}},
		{"yesterday morning", "2025-08-14", "They spoke yesterday morning.", []string{"yesterday morning=2025-08-13"}},
		{"last night", "2025-08-14", "The deal was struck last night.", []string{"last night=2025-08-13"}},
		{"tomorrow", "2025-12-31", "The truce starts tomorrow.", []string{"tomorrow=2026-01-01"}},
		{"tomorrow leap day", "2028-02-28", "The truce starts tomorrow.", []string{"tomorrow=2028-02-29"}},
		{"day after tomorrow", "2026-02-27", "They meet the day after tomorrow.",
			[]string{"the day after tomorrow=2026-03-01"}},
		{"day before yesterday", "2026-03-01", "They met the day before yesterday.",
			[]string{"the day before yesterday=2026-02-27"}},
		{"in three days", "2026-02-27", "Elections are due in three days.", []string{"in three days=2026-03-02"}},
		{"in 2 days", "2025-12-30", "The truce expires in 2 days.", []string{"in 2 days=2026-01-01"}},
		{"in weeks’ time", "2026-04-14", "A summit follows in two weeks’ time.",
			[]string{"in two weeks’ time=2026-04-28"}},
		{"in a week’s time", "2026-04-14", "A summit follows in a week’s time.",
			[]string{"in a week’s time=2026-04-21"}},
		{"days ago", "2026-03-01", "The ceasefire began two days ago.", []string{"two days ago=2026-02-27"}},
		{"a week ago", "2026-01-03", "The envoy arrived a week ago.", []string{"a week ago=2025-12-27"}},

		{"duration", "2026-04-14", "It was agreed in three days of talks.", nil},
		{"vague", "2026-04-14", "A deal could come in a day or two.", nil},
		{"weeks", "2026-04-14", "Talks resume next week after a pause last week.", nil},
		{"a week when", "2026-04-14", "It came in a week when talks stalled.", nil},
		{"relative to an event", "2026-04-14", "Three days later, and the day after, nothing moved.", nil},
	})
}

func TestFindAbsolute(t *testing.T) {
	runFindTests(t, []findTest{
		{"month day", "2026-05-09", "Talks resume on July 14.", []string{"on July 14=2026-07-14"}},
		{"day month", "2026-05-09", "Talks resume on 14 July.", []string{"on 14 July=2026-07-14"}},
		{"day month year", "2026-05-09", "The treaty of 3 June 2026 stands.", []string{"3 June 2026=2026-06-03"}},
		{"month day comma year", "2026-05-09", "Signed June 3, 2026, in Oslo.", []string{"June 3, 2026=2026-06-03"}},
		{"on day month year", "2026-05-09", "The vote is on 18 June 2026.", []string{"on 18 June 2026=2026-06-18"}},
		{"past year", "2026-05-09", "Talks began on 15 September 2025.", []string{"on 15 September 2025=2025-09-15"}},
		{"month day and day", "2025-11-01", "The summit is on December 14 and 15.",
			[]string{"on December 14 and 15=2025-12-14", "on December 14 and 15=2025-12-15"}},
		{"day dash day month", "2025-11-01", "The summit, 14-15 December, is in Paris.",
			[]string{"14-15 December=2025-12-14", "14-15 December=2025-12-15"}},
		{"en dash", "2025-11-01", "The summit, 14–15 December, is in Paris.",
			[]string{"14–15 December=2025-12-14", "14–15 December=2025-12-15"}},
		{"day and day month", "2025-11-01", "The summit is on 14 and 15 December.",
			[]string{"on 14 and 15 December=2025-12-14", "on 14 and 15 December=2025-12-15"}},
		{"month day dash day", "2025-11-01", "The summit is December 14-15.",
			[]string{"December 14-15=2025-12-14", "December 14-15=2025-12-15"}},
		{"list", "2025-11-01", "Rounds on 14, 15 and 16 December.",
			[]string{"on 14, 15 and 16 December=2025-12-14", "on 14, 15 and 16 December=2025-12-15",
				"on 14, 15 and 16 December=2025-12-16"}},
		{"from to", "2025-11-01", "The summit runs from 14 to 16 December.",
			[]string{"14 to 16 December=2025-12-14", "14 to 16 December=2025-12-16"}},
		{"abbreviation", "2025-11-01", "It opens Dec. 14 in Doha.", []string{"Dec. 14=2025-12-14"}},
		{"abbreviation no stop", "2025-11-01", "It opens 14 Dec in Doha.", []string{"14 Dec=2025-12-14"}},
		{"iso", "2025-11-01", "Dated 2026-06-03.", []string{"2026-06-03=2026-06-03"}},
		{"ordinal of", "2025-11-01", "It opens on the 14th of December.",
			[]string{"on the 14th of December=2025-12-14"}},
		{"ordinal day first", "2025-11-01", "It opens 14th December.", []string{"14th December=2025-12-14"}},
		{"ordinal month first", "2025-11-01", "It opens December 1st.", []string{"December 1st=2025-12-01"}},
		{"weekday heads date", "2025-08-14", "The summit on Friday 15 August in Anchorage.",
			[]string{"on Friday 15 August=2025-08-15"}},
		{"weekday heads date with year", "2025-08-14", "Friday, August 15, 2025, in Anchorage.",
			[]string{"Friday, August 15, 2025=2025-08-15"}},
		{"full stop after month", "2026-05-09", "They met on 3 May. Nothing came of it.",
			[]string{"on 3 May=2026-05-03"}},

		// A month and day without a year go to the nearest year.
		{"january in december", "2025-12-20", "Talks resume on January 3.", []string{"on January 3=2026-01-03"}},
		{"december in january", "2026-01-10", "Talks began on December 20.", []string{"on December 20=2025-12-20"}},
		{"new year's eve", "2026-01-01", "On December 31 the truce began.", []string{"On December 31=2025-12-31"}},
		{"weekday picks the year", "2025-12-20", "Tuesday 3 June was chosen.",
			[]string{"Tuesday 3 June=2025-06-03"}},
		{"weekday picks the other year", "2025-12-20", "Wednesday 3 June was chosen.",
			[]string{"Wednesday 3 June=2026-06-03"}},
		{"past tense picks last year", "2026-06-05", "The G20 met in Johannesburg on 22-23 November.",
			[]string{"on 22-23 November=2025-11-22", "on 22-23 November=2025-11-23"}},
		{"future tense picks this year", "2026-05-09", "The talks start on 14 December.",
			[]string{"on 14 December=2026-12-14"}},
		{"past tense a few months back", "2026-01-02", "In March the sides met again, and on March 3 they signed.",
			[]string{"on March 3=2025-03-03"}},
		{"tense does not override a near date", "2026-06-05", "Ministers will meet on 3 June.",
			[]string{"on 3 June=2026-06-03"}},
		{"leap day next year", "2027-12-01", "Elections on February 29.", []string{"on February 29=2028-02-29"}},
		{"leap day with year", "", "Signed on 29 February 2024.", []string{"on 29 February 2024=2024-02-29"}},
		{"leap day none near", "2026-06-01", "Elections on February 29.", nil},
		{"no leap day", "2026-06-01", "Signed on 29 February 2025.", nil},
		{"no such day", "2026-06-01", "On 31 June or February 30.", nil},
		{"no such month", "2026-06-01", "Dated 2026-13-03.", nil},

		// Not days.
		{"may the verb", "2026-05-09", "Theresa May said she may raise it; the 27 may decide.", nil},
		{"march the verb", "2026-05-09", "Thousands march 3 miles to the square.", nil},
		{"decade", "2026-05-09", "In the 1990s and in 2017 the talks failed.", nil},
		{"time", "2026-05-09", "The talks started at 11:30 am on 14 December.",
			[]string{"on 14 December=2025-12-14"}},
		{"month only", "2026-05-09", "By the end of March, in early April, in October and May 2019.", nil},
		{"half year", "2026-05-09", "Deliveries in the second half of 2027.", nil},
		{"thousands", "2026-05-09", "Some 3,000 troops left in June.", nil},
		{"place", "2026-05-09", "He will fly to Mar-a-Lago on 4 July.", []string{"on 4 July=2026-07-04"}},
		{"sentence ends after month", "2026-05-09", "They met in June. 14 people died.", nil},
		{"sept", "2026-05-09", "Talks resume Sept. 14.", []string{"Sept. 14=2026-09-14"}},
		{"list without and", "2026-05-09", "On June 3, 15 people died.", []string{"On June 3=2026-06-03"}},
	})
}

func TestFindZeroRef(t *testing.T) {
	runFindTests(t, []findTest{
		{"own year", "", "Signed 3 June 2026 and 2026-06-04.",
			[]string{"3 June 2026=2026-06-03", "2026-06-04=2026-06-04"}},
		{"weekday with date and year", "", "On Friday, August 15, 2025, they met.",
			[]string{"On Friday, August 15, 2025=2025-08-15"}},
		{"nothing else", "", "On Friday, July 14, tomorrow, today and two days ago, they met.", nil},
	})
}

func TestFindKind(t *testing.T) {
	tests := []struct {
		text string
		want dates.Kind
	}{
		{"on Friday", dates.Weekday},
		{"next Tuesday", dates.Weekday},
		{"tomorrow", dates.Relative},
		{"two days ago", dates.Relative},
		{"3 June 2026", dates.Absolute},
		{"Friday 15 August", dates.Absolute},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ms := dates.Find(tt.text, at(t, "2025-08-14"))
			if len(ms) != 1 {
				t.Fatalf("Find(%q) gave %d mentions, want 1", tt.text, len(ms))
			}
			if ms[0].Kind != tt.want {
				t.Fatalf("Kind=%v, want %v", ms[0].Kind, tt.want)
			}
		})
	}
}

func TestFindDirection(t *testing.T) {
	// Each text has one mention, read on Thursday 14 May 2026 unless the
	// ref says otherwise.
	tests := []struct {
		name string
		ref  string
		text string
		want dates.Tense
	}{
		{"weekday held", "", "Delegates met on Tuesday.", dates.Past},
		{"weekday planned", "", "Delegates will meet on Tuesday.", dates.Future},
		{"the day itself, held", "", "The talks opened on Thursday.", dates.Past},
		{"the day itself, to come", "", "The talks open on Thursday.", dates.Future},
		{"change played out", "2026-05-17", "The meeting was moved to Saturday.", dates.Past},
		{"tomorrow", "", "The envoys arrive tomorrow.", dates.Future},
		{"days ago", "", "The envoys arrived two days ago.", dates.Past},
		{"absolute planned", "", "The committee is due to hold its next meeting on 18 June 2026.", dates.Future},
		{"absolute past", "", "The agreement entered into force on 15 September 2025.", dates.Past},
		{"absolute unmarked", "", "The 3 May session.", dates.Unmarked},
		{"present tense relative clause", "2026-05-22", "The assembly, which closes on Tuesday, also approved a plan.", dates.Future},
		{"an acronym is no pronoun", "2026-05-22", "The accord will be opened for signature at WHO headquarters on 1 July.", dates.Future},
		{"zero ref", "zero", "Ecuador won the establishment of a panel on 3 June 2026.", dates.Past},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ref time.Time
			switch tt.ref {
			case "":
				ref = at(t, "2026-05-14")
			case "zero":
			default:
				ref = at(t, tt.ref)
			}
			ms := dates.Find(tt.text, ref)
			if len(ms) != 1 {
				t.Fatalf("Find(%q) gave %q, want one mention", tt.text, render(ms))
			}
			if ms[0].Tense != tt.want {
				t.Fatalf("Tense=%v, want %v", ms[0].Tense, tt.want)
			}
		})
	}
}

func TestTenseString(t *testing.T) {
	for tense, want := range map[dates.Tense]string{dates.Unmarked: "unmarked", dates.Past: "past", dates.Future: "future"} {
		if got := tense.String(); got != want {
			t.Fatalf("String=%q, want %q", got, want)
		}
	}
}

func TestFindOffsets(t *testing.T) {
	text := "Zelensky’s “strong resolve”, said on Saturday, précède les pourparlers d’après-demain, 14–15 December."
	ms := dates.Find(text, at(t, "2025-08-18"))
	if len(ms) != 3 {
		t.Fatalf("Find gave %q, want 3 mentions", render(ms))
	}
	want := []string{"on Saturday", "14–15 December", "14–15 December"}
	for i, m := range ms {
		if m.Text != want[i] {
			t.Fatalf("Text=%q, want %q", m.Text, want[i])
		}
		if got := text[m.Start:m.End]; got != m.Text {
			t.Fatalf("text[%d:%d]=%q, want %q", m.Start, m.End, got, m.Text)
		}
	}
}

func TestFindReferenceTimeZone(t *testing.T) {
	// 23:30 on Thursday in New York is already Friday in UTC.
	ref := time.Date(2026, 4, 16, 23, 30, 0, 0, time.FixedZone("EDT", -4*3600))
	got := render(dates.Find("The envoys will meet tomorrow.", ref))
	want := []string{"tomorrow=2026-04-18"}
	if !slices.Equal(got, want) {
		t.Fatalf("Find=%q, want %q", got, want)
	}
	if d := dates.Find("today", ref)[0].Date; d.Location() != time.UTC || d.Hour() != 0 {
		t.Fatalf("Date=%v, want midnight UTC", d)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		m    dates.Mention
		want string
	}{
		{"weekday", dates.Mention{Text: "Friday", Date: time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC)},
			"Friday → Fri 15 Aug 2025"},
		{"absolute", dates.Mention{Text: "3 June 2026", Date: time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)},
			"3 June 2026 → Wed 3 Jun 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dates.Format(tt.m); got != tt.want {
				t.Fatalf("Format=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		k    dates.Kind
		want string
	}{
		{dates.Absolute, "absolute"},
		{dates.Weekday, "weekday"},
		{dates.Relative, "relative"},
		{0, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Fatalf("Kind(%d).String()=%q, want %q", tt.k, got, tt.want)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"will meet in Doha on Tuesday, mediators said on Saturday",
		"December 14 and 15", "14–15 December", "2026-06-03", "Dec. 14",
		"tomorrow’s talks", "in two weeks’ time", "won't", "’s", "on", "14-", "Friday,",
		"\xff\xfeMonday", "Monday and", "the day after",
	} {
		f.Add(s)
	}
	ref := time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		for _, m := range dates.Find(text, ref) {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End || text[m.Start:m.End] != m.Text {
				t.Fatalf("mention %q at [%d:%d] does not match the text", m.Text, m.Start, m.End)
			}
			if m.Date.Location() != time.UTC || m.Date.Hour() != 0 || m.Date.Minute() != 0 {
				t.Fatalf("Date=%v, want midnight UTC", m.Date)
			}
		}
	})
}

// benchText is a paragraph of wire copy, one answer passage's worth.
var benchText = strings.Join([]string{
	"Negotiators will meet in Doha on Tuesday for a new round of ceasefire talks, Qatari mediators said on Saturday.",
	"The round has been postponed until Thursday and moved from Doha to Muscat.",
	"European Union ambassadors on Friday agreed a package of sanctions, which ministers sign on 23 February 2026.",
	"Starmer and Zelensky are united ahead of Friday’s summit between Donald Trump and Vladimir Putin.",
	"After a meeting at No 10, the prime minister and the Ukrainian president expressed cautious optimism about the prospect of a truce.",
}, " ")

func BenchmarkFind(b *testing.B) {
	ref := time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC)
	b.Run("paragraph", func(b *testing.B) {
		b.SetBytes(int64(len(benchText)))
		b.ReportAllocs()
		for b.Loop() {
			dates.Find(benchText, ref)
		}
	})
	plain := "After a meeting at No 10, the prime minister and the Ukrainian president expressed cautious optimism about the prospect of a truce."
	b.Run("no dates", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		b.ReportAllocs()
		for b.Loop() {
			dates.Find(plain, ref)
		}
	})
}

func TestClocks(t *testing.T) {
	day := time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		text string
		want []string // "15:04 zone", and the instant on day when there is a zone
	}{
		{"The meeting will start at 11:30 am local time (8.30 pm UK time).", []string{"11:30 ", "20:30 Europe/London 19:30"}},
		{"Talks open at 10:00 GMT on Friday.", []string{"10:00 UTC 10:00"}},
		{"The vote is at 1400 GMT.", []string{"14:00 UTC 14:00"}},
		{"Leaders meet at 9 am EDT.", []string{"09:00 America/New_York 13:00"}},
		{"Prices rose 3.5 per cent on 12 June.", nil},
		{"A session at 12 pm, another at 12 am.", []string{"12:00 ", "00:00 "}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, c := range dates.Clocks(tt.text) {
				s := fmt.Sprintf("%02d:%02d %s", c.Hour, c.Minute, c.Zone)
				if at, ok := c.On(day); ok {
					s += " " + at.Format("15:04")
				}
				if tt.text[c.Start:c.End] != c.Text {
					t.Fatalf("text[%d:%d]=%q, want %q", c.Start, c.End, tt.text[c.Start:c.End], c.Text)
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Clocks=%q, want %q", got, tt.want)
			}
		})
	}
}
