// Package corpustest makes synthetic news articles for benchmarks and load
// tests: newswire-style diplomacy reports, deterministic for a seed.
package corpustest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"attache/corpus"
)

var (
	countries = strings.Fields("Argentina Australia Austria Belgium Brazil Canada Chile China Colombia Denmark Egypt Estonia Ethiopia Finland France Germany Ghana Greece India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Latvia Lithuania Malaysia Mexico Morocco Netherlands Nigeria Norway Oman Pakistan Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Senegal Serbia Singapore Slovakia Somalia Spain Sudan Sweden Switzerland Thailand Tunisia Turkey Uganda Ukraine Uruguay Vietnam Yemen Zambia")
	cities    = strings.Fields("Geneva Vienna Doha Muscat Istanbul Jakarta Nairobi Brussels Oslo Helsinki Riyadh Cairo Ankara Warsaw Tallinn Bern Lisbon Montevideo Bogota Lima Hanoi Manila Astana Kigali Dakar Accra Amman Baku Tbilisi")
	bodies    = []string{"the United Nations", "the African Union", "the European Union", "ASEAN", "the Arab League", "the OSCE", "the G20", "the World Trade Organization", "the IAEA", "the Security Council"}
	topics    = []string{"ceasefire", "grain exports", "prisoner exchange", "border demarcation", "nuclear inspections", "fisheries subsidies", "debt relief", "gas transit", "refugee returns", "maritime security", "trade tariffs", "climate finance", "water sharing", "election monitoring", "sanctions relief"}
	first     = strings.Fields("Amara Lena Tomas Ines Kofi Mira Jonas Elif Rafael Sana Viktor Leila Pablo Noor Ivan Aiko Tariq Freya Omar Zofia")
	last      = strings.Fields("Okafor Lindqvist Haddad Moreno Petrov Nakamura Kowalski Mensah Farouk Santos Ilves Demir Rahman Novak Castillo Weber Sato Kamara Aziz Horvat")
	roles     = []string{"foreign minister", "defence minister", "special envoy", "chief negotiator", "ambassador", "deputy foreign minister", "national security adviser", "prime minister", "president", "spokesperson"}
	days      = strings.Fields("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
	verbs     = []string{"said", "told reporters", "insisted", "warned", "added", "stressed", "argued", "noted"}
)

// Generate returns n articles made from seed. Each has 6 to 10 paragraphs
// of two sentences, a title, a source, a URL and a date in 2026.
func Generate(n int, seed uint64) []corpus.Article {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	person := func() string { return pick(first) + " " + pick(last) }
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]corpus.Article, 0, n)
	for i := range n {
		a, b := pick(countries), pick(countries)
		for b == a {
			b = pick(countries)
		}
		city, topic := pick(cities), pick(topics)
		sentence := func() string {
			switch r.IntN(12) {
			case 0:
				return fmt.Sprintf("Delegations from %s and %s met in %s on %s for talks on %s.", a, b, city, pick(days), topic)
			case 1:
				return fmt.Sprintf("%s's %s, %s, %s that progress on %s depended on goodwill from %s.", a, pick(roles), person(), pick(verbs), topic, b)
			case 2:
				return fmt.Sprintf("The next round is expected to open in %s on %s, officials said.", pick(cities), pick(days))
			case 3:
				return fmt.Sprintf("Mediators from %s proposed a %d-point plan covering %s and %s.", pick(bodies), 3+r.IntN(12), topic, pick(topics))
			case 4:
				return fmt.Sprintf("\"We are closer than we were a month ago, but not close enough,\" %s %s.", person(), pick(verbs))
			case 5:
				return fmt.Sprintf("%s has demanded guarantees on %s before any agreement is signed.", b, pick(topics))
			case 6:
				return fmt.Sprintf("Observers from %s said the atmosphere in %s had been tense but businesslike.", pick(bodies), city)
			case 7:
				return fmt.Sprintf("The two sides agreed to set up a working group on %s that will report within %d weeks.", pick(topics), 2+r.IntN(10))
			case 8:
				return fmt.Sprintf("Analysts cautioned that similar talks in %d collapsed over %s.", 2005+r.IntN(20), pick(topics))
			case 9:
				return fmt.Sprintf("%s's %s is due to travel to %s on %s to brief allies.", a, pick(roles), pick(cities), pick(days))
			case 10:
				return fmt.Sprintf("A joint statement is expected to mention %s for the first time, according to a draft seen by reporters.", pick(topics))
			}
			return fmt.Sprintf("Trade between %s and %s fell by %d per cent last year, adding urgency to the negotiations.", a, b, 2+r.IntN(38))
		}
		paras := make([]string, 6+r.IntN(5))
		for j := range paras {
			paras[j] = sentence() + " " + sentence()
		}
		id := fmt.Sprintf("synthetic/a%06d.md", i)
		sum := sha256.Sum256([]byte(id + strings.Join(paras, "\n")))
		out = append(out, corpus.Article{
			ID:         id,
			Title:      fmt.Sprintf("%s and %s resume %s talks in %s", a, b, topic, city),
			Source:     "Synthetic Wire",
			URL:        fmt.Sprintf("https://fixtures.invalid/a%06d", i),
			Published:  start.Add(time.Duration(r.IntN(60*24*320)) * time.Minute),
			Paragraphs: paras,
			Hash:       hex.EncodeToString(sum[:]),
		})
	}
	return out
}

// Questions returns n questions of the kinds users ask about such articles.
func Questions(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed+1))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	forms := []string{"when do %s and %s meet on %s", "where are the %s %s talks on %s", "what did %s say to %s about %s", "who leads the %s delegation in talks with %s on %s"}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(pick(forms), pick(countries), pick(countries), pick(topics))
	}
	return out
}
