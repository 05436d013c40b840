package dates

import "time"

// day returns midnight UTC on the given date, and false when there is no
// such date (31 June, 29 February 2026).
func day(year int, m time.Month, d int) (time.Time, bool) {
	t := time.Date(year, m, d, 0, 0, 0, 0, time.UTC)
	return t, t.Month() == m && t.Day() == d
}

// nearestDay returns the day and month in the year before, the year of or
// the year after ref that lies nearest ref. When wd is a weekday (0 to 6),
// years where the day falls on it come first. Then a year more than a month
// off in the wrong direction for t comes after the others: "met on 22
// November" in a June article is last November, although next November is
// nearer; "will meet on 3 June" on 5 June stays this year, since a stale
// publication time is likelier than a date a year away.
// Ties go to the earlier year. It reports false when none of the three
// years has the date (29 February).
func nearestDay(ref time.Time, m time.Month, d int, wd int, t tense) (time.Time, bool) {
	const (
		wrongWeekday = 1 << 20
		wrongTense   = 1 << 19
		month        = 31 // days
	)
	var best time.Time
	bestScore := -1
	for y := ref.Year() - 1; y <= ref.Year()+1; y++ {
		c, ok := day(y, m, d)
		if !ok {
			continue
		}
		days := int(c.Sub(ref) / (24 * time.Hour))
		score := max(days, -days)
		if wd >= 0 && c.Weekday() != time.Weekday(wd) {
			score += wrongWeekday
		}
		if t == pastTense && days > month || (t == futureTense || t == nearTense) && days < -month {
			score += wrongTense
		}
		if bestScore < 0 || score < bestScore {
			best, bestScore = c, score
		}
	}
	return best, bestScore >= 0
}

// onOrBefore returns the latest day on wd that is on or before ref, or
// strictly before it when strict is set.
func onOrBefore(ref time.Time, wd time.Weekday, strict bool) time.Time {
	n := (int(ref.Weekday()) - int(wd) + 7) % 7
	if n == 0 && strict {
		n = 7
	}
	return ref.AddDate(0, 0, -n)
}

// onOrAfter returns the earliest day on wd that is on or after ref, or
// strictly after it when strict is set.
func onOrAfter(ref time.Time, wd time.Weekday, strict bool) time.Time {
	n := (int(wd) - int(ref.Weekday()) + 7) % 7
	if n == 0 && strict {
		n = 7
	}
	return ref.AddDate(0, 0, n)
}

// inWeek returns the day on wd in the Monday-based week that is weeks weeks
// after ref's own (before it when weeks is negative).
func inWeek(ref time.Time, wd time.Weekday, weeks int) time.Time {
	monday := ref.AddDate(0, 0, -((int(ref.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*weeks+(int(wd)+6)%7)
}
