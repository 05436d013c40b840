package summarize_test

import (
	"testing"

	"attache/corpus/summarize"
)

func TestSameStory(t *testing.T) {
	names := []string{"Leyla Mammadova", "Batyr Orazov", "OSCE", "Vienna", "Henrik Dahl"}
	tests := []struct {
		name string
		a, b summarize.Report
		want bool
	}{
		{"headlines alike", summarize.Report{Terms: []string{"sudan", "ceasefir", "talk", "doha"}}, summarize.Report{Terms: []string{"sudan", "ceasefir", "talk", "muscat", "postpon"}}, true},
		{"headlines apart, the same names", summarize.Report{Terms: []string{"envoy", "gather", "vienna"}, Names: names}, summarize.Report{Terms: []string{"delay", "negoti"}, Names: names[:4]}, true},
		{"headlines apart, too few names", summarize.Report{Terms: []string{"envoy"}, Names: names[:2]}, summarize.Report{Terms: []string{"delay"}, Names: names[:2]}, false},
		{"other stories", summarize.Report{Terms: []string{"fisheri", "subsidi", "geneva"}, Names: names}, summarize.Report{Terms: []string{"sudan", "talk"}, Names: []string{"Doha", "Qatar", "RSF", "Burhan"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summarize.SameStory(tt.a, tt.b); got != tt.want {
				t.Fatalf("SameStory = %v, want %v", got, tt.want)
			}
		})
	}
}
