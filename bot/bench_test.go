package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"attache/bot"
	"attache/commands"
	"attache/corpus"
	"attache/index"

	"github.com/bwmarrin/discordgo"
)

const benchQuestion = "What time will the Anchorage meeting start?"

// mustOpenIndex builds a real index of testdata/corpus in a temporary
// folder.
func mustOpenIndex(tb testing.TB) *index.Index {
	tb.Helper()
	arts, _, err := corpus.Load("testdata/corpus")
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Open(context.Background(), tb.TempDir(), index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if _, err := ix.Sync(context.Background(), arts); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// BenchmarkSearch is the index alone, as /ask's first page uses it.
func BenchmarkSearch(b *testing.B) {
	ix := mustOpenIndex(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := ix.Search(ctx, index.Query{Text: benchQuestion, K: 2}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAskHandler is /ask from interaction to the JSON of its
// response: BenchmarkSearch plus reading options, rendering, limits and
// encoding. The no-index variant answers from memory, to show the
// handler's own cost.
func BenchmarkAskHandler(b *testing.B) {
	b.Run("index", func(b *testing.B) { benchmarkAsk(b, mustOpenIndex(b)) })
	b.Run("no-index", func(b *testing.B) { benchmarkAsk(b, &fakeIndex{answers: answers()}) })
}

func benchmarkAsk(b *testing.B, idx commands.Index) {
	set := commands.New(idx, commands.Options{})
	ask, _ := set.Lookup("ask")
	i := &discordgo.Interaction{
		ID:     "1",
		Type:   discordgo.InteractionApplicationCommand,
		Member: &discordgo.Member{User: &discordgo.User{ID: "7"}},
		Data: discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: benchQuestion},
		}},
	}
	ctx := context.Background()
	for b.Loop() {
		r, err := ask.Handle(ctx, i)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(r.Data()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHTTPInteractions is /ask through the interactions endpoint on
// loopback: signature check, decoding, the handler, the HTTP response.
// The parallel variant measures throughput.
func BenchmarkHTTPInteractions(b *testing.B) {
	ix := mustOpenIndex(b)
	fake := newFake(b)
	hb := mustServeHTTP(b, fake, bot.Config{MaxSearches: 16}, ix)
	body := interactionJSON(b, discordgo.InteractionApplicationCommand, askData(benchQuestion))
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.Cleanup(client.CloseIdleConnections)
	send := func(tb testing.TB) {
		req, _ := http.NewRequest(http.MethodPost, hb.url, bytes.NewReader(body))
		req.Header = signed(hb.key, time.Now(), body)
		resp, err := client.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Contains(buf.Bytes(), []byte(`"type":4`)) {
			tb.Fatalf("status %d: %s", resp.StatusCode, buf.Bytes())
		}
	}
	b.Run("sequential", func(b *testing.B) {
		for b.Loop() {
			send(b)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "interactions/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				send(b)
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "interactions/s")
	})
}
