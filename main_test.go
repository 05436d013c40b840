package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"attache/commands/cli"
	"attache/corpus/corpustest"
)

// runMain calls run as main would, with env as the environment.
func runMain(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	// A .env in the repository (a developer's own) must not change what
	// tests see: unless env names one, the file read is one that is not
	// there.
	getenv := func(k string) string {
		if v, ok := env[k]; ok || k != "ATTACHE_ENV_FILE" {
			return v
		}
		return filepath.Join(t.TempDir(), "no.env")
	}
	err = run(context.Background(), append([]string{"attache"}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAskJSONContract(t *testing.T) {
	data := t.TempDir()
	stdin := "when is the trump putin summit\nwho won the 2026 world cup\n\n@everyone **when** is the summit\n"
	out, errOut, err := runMain(t, nil, stdin, "ask", "--corpus", "testdata/corpus", "--data", data, "--json", "-k", "2")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "broken.md") {
		t.Errorf("the broken file is not reported by name:\n%s", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d JSON lines, want 4:\n%s", len(lines), out)
	}
	type article struct {
		ID, Title, Source, URL, Published string
	}
	type answer struct {
		Passage string
		Score   float64
		Dates   []string
		Article article
	}
	var first struct {
		Question string
		Answers  []answer
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Question != "when is the trump putin summit" || len(first.Answers) == 0 || len(first.Answers) > 2 {
		t.Fatalf("first answer = %+v", first)
	}
	a := first.Answers[0]
	if a.Article.ID != "alaska-summit-starmer-zelensky.md" || a.Article.Published != "2025-08-14T09:00:00Z" || a.Score <= 0 {
		t.Fatalf("first answer's article = %+v score %v", a.Article, a.Score)
	}
	if !strings.Contains(strings.Join(a.Dates, " "), "2025-08-15") {
		t.Fatalf("dates %v, want 2025-08-15", a.Dates)
	}
	// The exact keys and shapes other tools read.
	var raw map[string]any
	json.Unmarshal([]byte(lines[0]), &raw)
	ans := raw["answers"].([]any)[0].(map[string]any)
	for _, k := range []string{"passage", "score", "dates", "article"} {
		if _, ok := ans[k]; !ok {
			t.Errorf("answer lacks %q", k)
		}
	}
	art := ans["article"].(map[string]any)
	for _, k := range []string{"id", "title", "source", "url", "published"} {
		if _, ok := art[k]; !ok {
			t.Errorf("article lacks %q", k)
		}
	}
	for i, want := range []string{`"answers":[]`, `"answers":[]`} {
		if !strings.Contains(lines[i+1], want) {
			t.Errorf("line %d = %s, want %s", i+2, lines[i+1], want)
		}
	}
}

func TestAskText(t *testing.T) {
	data := t.TempDir()
	out, errOut, err := runMain(t, nil, "", "ask", "--corpus", "testdata/corpus", "--data", data, "which city is hosting the sudan ceasefire talks")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Muscat") || !strings.Contains(out, "— Sudan ceasefire talks pushed back") || !strings.Contains(out, "(https://fixtures.invalid/") {
		t.Fatalf("text answer lacks passage or citation:\n%s", out)
	}
	out, _, err = runMain(t, nil, "", "ask", "--corpus", "testdata/corpus", "--data", data, "who won the world cup")
	if err != nil || !strings.Contains(out, "No answer") {
		t.Fatalf("no-answer output = %q, %v", out, err)
	}
}

func TestAskBundledCorpus(t *testing.T) {
	out, errOut, err := runMain(t, map[string]string{"ATTACHE_DATA": t.TempDir()}, "", "ask", "when is the summit")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "summit") {
		t.Fatalf("bundled corpus does not answer:\n%s", out)
	}
}

func TestIndexCommand(t *testing.T) {
	data := t.TempDir()
	out, errOut, err := runMain(t, nil, "", "index", "--corpus", "testdata/corpus", "--data", data)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "indexed 7 articles") || !strings.Contains(out, "1 file skipped") {
		t.Fatalf("summary line = %q", out)
	}
	out, _, _ = runMain(t, nil, "", "index", "--corpus", "testdata/corpus", "--data", data)
	if !strings.Contains(out, "0 added, 0 updated, 0 removed, 7 unchanged") {
		t.Fatalf("second run re-indexed: %q", out)
	}
}

func TestUsage(t *testing.T) {
	_, errOut, err := runMain(t, nil, "")
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(errOut, "Usage:") {
		t.Fatalf("no subcommand: err %v, stderr %q", err, errOut)
	}
	if _, _, err := runMain(t, nil, "", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
	if _, _, err := runMain(t, nil, "", "ask", "-k", "0", "x"); err == nil {
		t.Fatal("-k 0 accepted")
	}
}

func TestSummaryAndDigestCommands(t *testing.T) {
	data := t.TempDir()
	out, errOut, err := runMain(t, nil, "", "summary", "--corpus", "testdata/corpus", "--data", data, "sudan", "ceasefire", "talks")
	if err != nil {
		t.Fatalf("summary: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Muscat") || !strings.Contains(out, "• ") {
		t.Fatalf("summary output:\n%s", out)
	}
	out, errOut, err = runMain(t, nil, "", "digest", "--corpus", "testdata/corpus", "--data", data, "--since", "all")
	if err != nil {
		t.Fatalf("digest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "6 stories") {
		t.Fatalf("digest output:\n%s", out)
	}
	if _, _, err := runMain(t, nil, "", "summary", "--corpus", "testdata/corpus", "--data", data, "--since", "fortnight", "x"); err == nil {
		t.Fatal("bad --since accepted")
	}
}

func TestFeedsCommand(t *testing.T) {
	const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title><link>http://example.invalid/</link>
<item><title>Arctic Council ministers meet in Tromsø</title><link>http://example.invalid/arctic</link><guid>arctic-1</guid>
<pubDate>Mon, 01 Jun 2026 09:00:00 GMT</pubDate>
<description><![CDATA[<p>Arctic Council ministers agreed on Monday to a new search-and-rescue pact covering the Barents Sea. The pact takes effect next year after ratification by all eight member states, officials said. Norway, which hosted the meeting in Tromsø, called it the most important agreement of the council's decade. Russia's envoy did not attend the talks, which were held behind closed doors at the university. Observers from several non-Arctic states, including China and India, followed the talks from a separate room. The ministers also asked their experts to draft rules for shipping in waters opened by melting ice, to be discussed at the next meeting in two years' time.</p>]]></description>
</item></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, rss)
	}))
	defer srv.Close()
	env := map[string]string{"ATTACHE_DATA": t.TempDir(), "ATTACHE_ALLOW_PRIVATE_FEEDS": "true"}

	out, errOut, err := runMain(t, env, "", "feeds", "add", srv.URL, "--data", env["ATTACHE_DATA"])
	if err != nil || !strings.Contains(out, "Loopback Wire") {
		t.Fatalf("feeds add: %q %v\n%s", out, err, errOut)
	}
	out, _, err = runMain(t, env, "", "feeds", "list")
	if err != nil || !strings.Contains(out, "#1") || !strings.Contains(out, srv.URL) {
		t.Fatalf("feeds list: %q %v", out, err)
	}
	out, errOut, err = runMain(t, env, "", "feeds", "poll")
	if err != nil || !strings.Contains(out, "1 new") {
		t.Fatalf("feeds poll: %q %v\n%s", out, err, errOut)
	}
	// The new article is answered alongside the bundled ones.
	out, errOut, err = runMain(t, env, "", "ask", "what did arctic council ministers agree")
	if err != nil || !strings.Contains(out, "search-and-rescue") {
		t.Fatalf("ask after poll: %q %v\n%s", out, err, errOut)
	}
	out, _, err = runMain(t, env, "", "ask", "when is the trump putin summit")
	if err != nil || !strings.Contains(out, "summit") {
		t.Fatalf("bundled article lost: %q %v", out, err)
	}
	if _, _, err := runMain(t, env, "", "feeds", "remove", "1"); err != nil {
		t.Fatalf("feeds remove: %v", err)
	}
	if _, _, err := runMain(t, env, "", "feeds", "remove", "1"); err == nil {
		t.Fatal("removing a missing feed succeeded")
	}
	if _, _, err := runMain(t, map[string]string{"ATTACHE_DATA": env["ATTACHE_DATA"]}, "", "feeds", "add", srv.URL); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Fatalf("loopback feed accepted without ATTACHE_ALLOW_PRIVATE_FEEDS: %v", err)
	}
}

// TestFlagsAnywhere runs each subcommand with its flags after its other
// words: they are read as flags, not as part of the question or topic, and
// --data takes effect wherever it stands.
func TestFlagsAnywhere(t *testing.T) {
	tests := []struct {
		name string
		args []string // --data DIR is appended
		want string   // in the output
	}{
		{"ask", []string{"ask", "when", "is", "the", "trump", "putin", "summit", "--corpus", "testdata/corpus", "-k", "1", "--json"}, `"question":"when is the trump putin summit"`},
		{"summary", []string{"summary", "sudan ceasefire talks", "--since", "all", "--corpus", "testdata/corpus"}, "Where things stand: sudan ceasefire talks"},
		{"summary words", []string{"summary", "sudan", "--corpus", "testdata/corpus", "ceasefire", "talks", "--json"}, `"topic":"sudan ceasefire talks"`},
		{"digest", []string{"digest", "--corpus", "testdata/corpus", "--since", "all"}, "6 stories"},
		{"digest after", []string{"digest", "--since", "all", "--topic", "sudan", "--corpus", "testdata/corpus", "--json"}, `"headline":"Sudan ceasefire talks pushed back`},
		{"index", []string{"index", "--corpus", "testdata/corpus"}, "indexed 7 articles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			out, errOut, err := runMain(t, nil, "", append(tt.args, "--data", data)...)
			if err != nil {
				t.Fatalf("%s: %v\n%s", tt.args[0], err, errOut)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out)
			}
			if _, err := os.Stat(filepath.Join(data, "index.bleve")); err != nil {
				t.Errorf("--data after the other words was ignored: %v", err)
			}
		})
	}
	// "--" ends the flags.
	out, errOut, err := runMain(t, nil, "", "summary", "--corpus", "testdata/corpus", "--data", t.TempDir(), "--json", "--", "--since")
	if err != nil || !strings.Contains(out, `"topic":"--since"`) {
		t.Errorf("summary -- --since: %q %v\n%s", out, err, errOut)
	}
	if _, _, err := runMain(t, nil, "", "digest", "--corpus", "testdata/corpus", "--data", t.TempDir(), "stray"); err == nil {
		t.Errorf("digest with a stray word succeeded")
	}
}

// TestSummaryAndDigestJSON reads the JSON of summary --json and digest
// --json as other tools would.
func TestSummaryAndDigestJSON(t *testing.T) {
	data := t.TempDir()
	out, errOut, err := runMain(t, nil, "", "summary", "sudan ceasefire talks", "--json", "--corpus", "testdata/corpus", "--data", data)
	if err != nil {
		t.Fatalf("summary --json: %v\n%s", err, errOut)
	}
	var sum struct {
		Topic   string `json:"topic"`
		Bullets []struct {
			Text     string   `json:"text"`
			Dates    []string `json:"dates"`
			Articles []string `json:"articles"`
		} `json:"bullets"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sum); err != nil {
		t.Fatalf("summary JSON %q: %v", out, err)
	}
	if sum.Topic != "sudan ceasefire talks" || len(sum.Bullets) < 3 {
		t.Fatalf("summary JSON = %+v, want the topic and 3 or more bullets", sum)
	}
	first := sum.Bullets[0]
	if first.Articles[0] != "sudan-ceasefire-talks-postponed-muscat.md" || !slices.Contains(first.Dates, "2026-05-14") {
		t.Errorf("first bullet = %+v, want the Muscat report, dated Thursday 14 May", first)
	}

	out, errOut, err = runMain(t, nil, "", "digest", "--json", "--since", "all", "--corpus", "testdata/corpus", "--data", data)
	if err != nil {
		t.Fatalf("digest --json: %v\n%s", err, errOut)
	}
	var dg struct {
		Since   *string `json:"since"`
		Stories []struct {
			Headline string `json:"headline"`
			Articles []struct {
				ID        string `json:"id"`
				Title     string `json:"title"`
				Published string `json:"published"`
			} `json:"articles"`
		} `json:"stories"`
	}
	dec = json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&dg); err != nil {
		t.Fatalf("digest JSON %q: %v", out, err)
	}
	if dg.Since != nil || len(dg.Stories) != 6 {
		t.Fatalf("digest JSON since %v with %d stories, want null and 6", dg.Since, len(dg.Stories))
	}
	for _, st := range dg.Stories {
		if strings.HasPrefix(st.Headline, "Sudan") {
			if len(st.Articles) != 2 || st.Articles[0].ID != "sudan-ceasefire-talks-postponed-muscat.md" || st.Articles[0].Published != "2026-05-11T14:20:00Z" {
				t.Errorf("sudan story = %+v, want both reports, newest first", st)
			}
		}
	}
}

// TestDigestDefaultIsNews runs attache digest with its default of the
// last 24 hours on the bundled articles, just indexed: the 2025 report is
// no news.
func TestDigestDefaultIsNews(t *testing.T) {
	out, errOut, err := runMain(t, nil, "", "digest", "--data", t.TempDir())
	if err != nil {
		t.Fatalf("digest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "nothing new") || strings.Contains(out, "Alaska") {
		t.Errorf("digest of the last 24 hours after indexing the bundled articles:\n%s", out)
	}
}

// TestDigestGroupsPlantedStories measures, from digest --json, how well a
// digest of 1,200 generated articles finds the stories planted among near
// misses (corpustest.Stories): B-cubed F1 of at least 0.90.
func TestDigestGroupsPlantedStories(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 1,200 articles")
	}
	planted := corpustest.Stories(1200, 11)
	dir := t.TempDir()
	if err := corpustest.Write(dir, planted.Articles); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runMain(t, nil, "", "digest", "--corpus", dir, "--data", t.TempDir(), "--since", "all", "--json")
	if err != nil {
		t.Fatalf("digest: %v\n%s", err, errOut)
	}
	var dg struct {
		Stories []struct {
			Articles []struct{ ID string } `json:"articles"`
		} `json:"stories"`
	}
	if err := json.Unmarshal([]byte(out), &dg); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for n, st := range dg.Stories {
		for _, a := range st.Articles {
			got[a.ID] = strconv.Itoa(n)
		}
	}
	if len(got) != len(planted.Articles) {
		t.Fatalf("digest lists %d articles, want all %d", len(got), len(planted.Articles))
	}
	p, r, f := planted.BCubed(got)
	t.Logf("%d articles in %d stories: B-cubed precision %.3f, recall %.3f, F1 %.3f", len(got), len(dg.Stories), p, r, f)
	if f < 0.9 {
		t.Errorf("B-cubed F1 %.3f, want at least 0.90", f)
	}
}

// TestDotEnvEveryCommand checks that the .env file in the working folder is
// read by the one-shot commands too, and that the real environment wins
// over it.
func TestDotEnvEveryCommand(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Dotenv Wire</title><link>http://example.invalid/</link>
<item><title>Envoys meet</title><link>http://example.invalid/a</link><guid>a-1</guid><description>Envoys met in Oslo on Monday.</description></item></channel></rss>`)
	}))
	defer srv.Close()
	corpusDir, err := filepath.Abs("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	t.Chdir(work)
	dotenv := "ATTACHE_DATA=fromdotenv\nATTACHE_CORPUS=" + corpusDir + "\nATTACHE_ALLOW_PRIVATE_FEEDS=true\nLOG_LEVEL=info\n"
	if err := os.WriteFile(".env", []byte(dotenv), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ATTACHE_ENV_FILE": ""}

	out, errOut, err := runMain(t, env, "", "ask", "which city is hosting the sudan ceasefire talks")
	if err != nil || !strings.Contains(out, "Muscat") {
		t.Fatalf("ask: %q %v\n%s", out, err, errOut)
	}
	if _, err := os.Stat(filepath.Join(work, "fromdotenv", "index.bleve")); err != nil {
		t.Fatalf("ask did not use ATTACHE_DATA from .env: %v", err)
	}
	if want := filepath.Join(work, "fromdotenv"); !strings.Contains(errOut, want) {
		t.Errorf("the data folder %s is not logged at start:\n%s", want, errOut)
	}
	if _, err := os.Stat(filepath.Join(work, "data")); err == nil {
		t.Fatal("ask made ./data although .env names another folder")
	}
	out, errOut, err = runMain(t, env, "", "feeds", "add", srv.URL)
	if err != nil || !strings.Contains(out, "Dotenv Wire") {
		t.Fatalf("feeds add: %q %v\n%s", out, err, errOut)
	}
	if _, err := os.Stat(filepath.Join(work, "fromdotenv", "feeds.db")); err != nil {
		t.Fatalf("feeds add did not use ATTACHE_DATA from .env: %v", err)
	}
	// The real environment wins over .env.
	env["ATTACHE_DATA"] = "fromenv"
	if _, errOut, err := runMain(t, env, "", "index"); err != nil {
		t.Fatalf("index: %v\n%s", err, errOut)
	}
	if _, err := os.Stat(filepath.Join(work, "fromenv", "index.bleve")); err != nil {
		t.Fatalf("index did not prefer the real environment's ATTACHE_DATA: %v", err)
	}
}

// TestAskBadInput gives ask what a careless or hostile user might: the
// command line refuses it as /ask does, in a short message that does not
// echo a long question back, and a batch answers a bad line with an error
// of its own and goes on.
func TestAskBadInput(t *testing.T) {
	data := t.TempDir()
	long := strings.Repeat("x", 10_000)
	tests := []struct {
		name     string
		question string
		want     string
	}{
		{"10 kB", long, "10000 characters long; please keep it under 300"},
		{"empty", "", "the question is empty"},
		{"punctuation", "?!…", "has no words to look for"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runMain(t, nil, "", "ask", "--corpus", "testdata/corpus", "--data", data, "--", tt.question)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
			if len(err.Error()) > 300 || strings.Contains(out+errOut, long) {
				t.Errorf("the question is echoed back whole: %d bytes of error, %d of output", len(err.Error()), len(out+errOut))
			}
		})
	}

	batch := strings.Join([]string{"", "?!?", long, strings.Repeat("y ", 2<<20), "which city is hosting the sudan ceasefire talks"}, "\n") + "\n"
	out, errOut, err := runMain(t, nil, batch, "ask", "--corpus", "testdata/corpus", "--data", data, "--json", "-k", "1")
	if err != nil {
		t.Fatalf("batch: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d JSON lines for 5 questions:\n%.2000s", len(lines), out)
	}
	for i, want := range []string{"empty", "no words", "10000 characters", "4194304 characters"} {
		var got struct {
			Question string
			Answers  []any
			Error    string
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !strings.Contains(got.Error, want) || got.Answers == nil || len(got.Answers) != 0 || len(got.Question) > 300 {
			t.Errorf("line %d = %.300s, want an error saying %q, no answers and the question clipped", i+1, lines[i], want)
		}
	}
	if !strings.Contains(lines[4], "Muscat") || strings.Contains(lines[4], `"error"`) {
		t.Errorf("the last question of the batch is not answered: %.500s", lines[4])
	}
	out, _, err = runMain(t, nil, batch, "ask", "--corpus", "testdata/corpus", "--data", data, "-k", "1")
	if err != nil || strings.Count(out, "Not asked: ") != 4 || !strings.Contains(out, "Muscat") {
		t.Errorf("text batch: %v\n%.2000s", err, out)
	}
}

// TestAskCorpusFolder checks that a corpus folder without articles, or
// without the folder, says that nothing loaded.
func TestAskCorpusFolder(t *testing.T) {
	empty := t.TempDir()
	_, errOut, err := runMain(t, nil, "", "ask", "--corpus", empty, "--data", t.TempDir(), "when is the summit")
	if err != nil || !strings.Contains(errOut, "no articles loaded") {
		t.Errorf("empty corpus folder: err %v, stderr %q", err, errOut)
	}
	_, _, err = runMain(t, nil, "", "ask", "--corpus", filepath.Join(empty, "missing"), "--data", t.TempDir(), "when is the summit")
	if err == nil || !strings.Contains(err.Error(), "no articles loaded") || strings.Count(err.Error(), "load corpus") > 1 {
		t.Errorf("missing corpus folder: err %v", err)
	}
}

// TestHelpFlag checks that -h prints the command's usage and succeeds.
func TestHelpFlag(t *testing.T) {
	for _, cmd := range []string{"ask", "index", "summary", "digest", "feeds"} {
		_, errOut, err := runMain(t, nil, "", cmd, "-h")
		if err != nil || !strings.Contains(errOut, "attache "+cmd) || !strings.Contains(errOut, "-data") {
			t.Errorf("%s -h: err %v, stderr %q", cmd, err, errOut)
		}
	}
}

// TestAskHealsDamagedIndex writes garbage into the index's segment files:
// ask still answers, after one plain line saying that the index was
// rebuilt, and the bot's own state beside the index is left as it was.
func TestAskHealsDamagedIndex(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>State Wire</title><link>http://example.invalid/</link>
<item><title>Envoys meet</title><link>http://example.invalid/a</link><guid>a-1</guid><description>Envoys met in Oslo on Monday.</description></item></channel></rss>`)
	}))
	defer srv.Close()
	data := t.TempDir()
	env := map[string]string{"ATTACHE_DATA": data, "ATTACHE_CORPUS": "testdata/corpus", "ATTACHE_ALLOW_PRIVATE_FEEDS": "true"}
	const q = "which city is hosting the sudan ceasefire talks"
	want, _, err := runMain(t, env, "", "ask", "--json", q)
	if err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := runMain(t, env, "", "feeds", "add", srv.URL); err != nil {
		t.Fatalf("feeds add: %v\n%s", err, errOut)
	}
	digests := []byte("digest schedules: not the index's to touch")
	if err := os.WriteFile(filepath.Join(data, "digests.db"), digests, 0o600); err != nil {
		t.Fatal(err)
	}
	feedsDB, err := os.ReadFile(filepath.Join(data, "feeds.db"))
	if err != nil {
		t.Fatal(err)
	}

	segments, _ := filepath.Glob(filepath.Join(data, "index.bleve", "store", "*.zap"))
	if len(segments) == 0 {
		t.Fatal("no segment files")
	}
	garbage := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 16<<10) // 64 KiB
	for _, seg := range segments {
		f, err := os.OpenFile(seg, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		if _, err := f.WriteAt(garbage, fi.Size()/3); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}

	out, errOut, err := runMain(t, env, "", "ask", "--json", q)
	if err != nil {
		t.Fatalf("ask on a damaged index: %v\n%s", err, errOut)
	}
	if out != want {
		t.Errorf("answer after the repair:\n%s\nwant\n%s", out, want)
	}
	// testdata/corpus has a broken file, reported on its own line.
	var lines []string
	for line := range strings.Lines(errOut) {
		if !strings.Contains(line, "broken.md") {
			lines = append(lines, line)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "the index was damaged") || !strings.Contains(lines[0], "built from the articles") {
		t.Errorf("stderr should be one line about the repair:\n%s", errOut)
	}
	if aside, _ := filepath.Glob(filepath.Join(data, "index.bleve.damaged-*")); len(aside) != 1 {
		t.Errorf("damaged index kept aside as %v, want one folder", aside)
	}
	if got, _ := os.ReadFile(filepath.Join(data, "digests.db")); !bytes.Equal(got, digests) {
		t.Error("the repair changed digests.db")
	}
	if got, _ := os.ReadFile(filepath.Join(data, "feeds.db")); !bytes.Equal(got, feedsDB) {
		t.Error("the repair changed feeds.db")
	}
	if out, _, err := runMain(t, env, "", "feeds", "list"); err != nil || !strings.Contains(out, srv.URL) {
		t.Errorf("feeds after the repair: %q %v", out, err)
	}

	// On demand, too.
	out, errOut, err = runMain(t, env, "", "index", "--rebuild")
	if err != nil || !strings.Contains(out, "7 added") || !strings.Contains(errOut, "rebuilt the index") {
		t.Errorf("index --rebuild: %v\n%s%s", err, out, errOut)
	}
	if got, _ := os.ReadFile(filepath.Join(data, "digests.db")); !bytes.Equal(got, digests) {
		t.Error("index --rebuild changed digests.db")
	}
}
