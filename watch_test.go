package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeFollowsCorpusFolder: an article written into the corpus folder
// while the bot runs is answered within 5 seconds, and a removed one stops
// being answered.
func TestServeFollowsCorpusFolder(t *testing.T) {
	dir := t.TempDir()
	seed, err := os.ReadFile(filepath.Join("testdata", "serve", "alaska-summit-starmer-zelensky.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alaska.md"), seed, 0o644); err != nil {
		t.Fatal(err)
	}
	fake := newFake(t)
	mustServe(t, fake, testEnv(t, fake, map[string]string{"ATTACHE_CORPUS": dir, "ATTACHE_ASK_RATE": "off"}))

	answer := func(q string) string {
		_, resp := respond(t, fake, ask(q))
		b, _ := json.Marshal(resp)
		return string(b)
	}
	const q = "what did arctic council ministers agree in tromso"
	if got := answer(q); strings.Contains(got, "search-and-rescue") {
		t.Fatalf("answered before the article existed: %s", got)
	}
	article := "---\ntitle: Arctic Council ministers meet in Tromso\nsource: Test Wire\npublished: 2026-06-01T09:00:00Z\n---\n" +
		"Arctic Council ministers agreed in Tromso on Monday to a new search-and-rescue pact.\n"
	written := time.Now()
	if err := os.WriteFile(filepath.Join(dir, "arctic.md"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(answer(q), "search-and-rescue") {
		if time.Since(written) > 5*time.Second {
			t.Fatal("new article not answered within 5s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	removed := time.Now()
	if err := os.Remove(filepath.Join(dir, "arctic.md")); err != nil {
		t.Fatal(err)
	}
	for strings.Contains(answer(q), "search-and-rescue") {
		if time.Since(removed) > 5*time.Second {
			t.Fatal("removed article still answered after 5s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
