package summarize_test

import (
	"attache/corpus"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"attache/corpus/summarize"
)

// synthetic writes n newswire-like articles of about 20 sentences each,
// all about talks on topic, deterministically.
func synthetic(n int, topic string) [][]string {
	r := rand.New(rand.NewPCG(1, 2))
	countries := []string{"Argentina", "Brazil", "Chile", "Egypt", "Estonia", "Ghana", "India", "Japan", "Kenya", "Mexico", "Norway", "Oman", "Peru", "Qatar", "Senegal", "Turkey", "Uganda", "Vietnam"}
	cities := []string{"Geneva", "Vienna", "Doha", "Muscat", "Istanbul", "Jakarta", "Nairobi", "Oslo", "Lima", "Hanoi", "Accra", "Baku"}
	people := []string{"Amara Okafor", "Lena Lindqvist", "Tomas Haddad", "Ines Moreno", "Kofi Petrov", "Mira Nakamura", "Jonas Mensah", "Elif Demir"}
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	arts := make([][]string, n)
	for i := range arts {
		a, b, city := pick(countries), pick(countries), pick(cities)
		var ss []string
		for len(ss) < 20 {
			var s string
			switch r.IntN(8) {
			case 0:
				s = fmt.Sprintf("Delegations from %s and %s met in %s on %s for talks on %s.", a, b, city, pick(days), topic)
			case 1:
				s = fmt.Sprintf("%s's envoy, %s, said progress on %s depended on goodwill from %s.", a, pick(people), topic, b)
			case 2:
				s = fmt.Sprintf("The next round of %s talks is expected to open in %s on %s, officials said.", topic, pick(cities), pick(days))
			case 3:
				s = fmt.Sprintf("Mediators proposed a %d-point plan covering %s and shipping insurance.", 3+r.IntN(12), topic)
			case 4:
				s = fmt.Sprintf("\"We are closer than we were a month ago, but not close enough,\" %s said.", pick(people))
			case 5:
				s = fmt.Sprintf("%s has demanded guarantees on %s before any agreement is signed.", b, topic)
			case 6:
				s = fmt.Sprintf("Analysts cautioned that similar talks in %d collapsed over border crossings.", 2005+r.IntN(20))
			default:
				s = fmt.Sprintf("Trade between %s and %s fell by %d per cent last year, adding urgency to the negotiations.", a, b, 2+r.IntN(38))
			}
			ss = append(ss, s)
		}
		arts[i] = ss
	}
	return arts
}

func BenchmarkSummarize(b *testing.B) {
	const topic = "grain exports"
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(3, 4))
	var sents []summarize.Sentence
	for i, ss := range synthetic(1000, topic) {
		id := fmt.Sprintf("a%06d.md", i)
		published := start.Add(time.Duration(r.IntN(320*24)) * time.Hour)
		for p, s := range ss {
			sents = append(sents, summarize.Sentence{
				Text: s, ArticleID: id, Title: "Grain export talks " + id, Published: published,
				Position: p, Relevance: r.Float64() * 10,
			})
		}
	}
	for b.Loop() {
		sum := summarize.Summarize(topic+" talks", sents, summarize.Options{MaxBullets: 7})
		if len(sum.Bullets) < 3 {
			b.Fatalf("len(Bullets)=%d, want at least 3", len(sum.Bullets))
		}
	}
	b.ReportMetric(float64(len(sents)), "sentences")
}

func BenchmarkGroup(b *testing.B) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []summarize.Doc
	for i, ss := range synthetic(1000, "grain exports") {
		docs = append(docs, summarize.Doc{
			Meta:      corpus.Meta{ID: fmt.Sprintf("a%06d.md", i), Title: ss[0], Published: start.Add(time.Duration(i) * time.Hour)},
			Sentences: ss,
		})
	}
	for b.Loop() {
		if len(summarize.Group(docs, summarize.GroupOptions{})) == 0 {
			b.Fatal("no stories")
		}
	}
}
