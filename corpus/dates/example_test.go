package dates_test

import (
	"fmt"
	"time"

	"attache/corpus/dates"
)

func ExampleFind() {
	published := time.Date(2026, 5, 9, 10, 0, 0, 0, time.UTC) // a Saturday
	text := "Negotiators will meet in Doha on Tuesday for a new round of talks, " +
		"Qatari mediators said on Saturday, after the 3 May session collapsed."
	for _, m := range dates.Find(text, published) {
		fmt.Println(m.Kind, dates.Format(m))
	}
	// Output:
	// weekday on Tuesday → Tue 12 May 2026
	// weekday on Saturday → Sat 9 May 2026
	// absolute 3 May → Sun 3 May 2026
}
