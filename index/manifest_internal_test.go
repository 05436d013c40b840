package index

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"attache/corpus"
)

func TestChunkRoundTrip(t *testing.T) {
	paris := time.FixedZone("", 2*3600)
	next := map[string]articleMeta{
		"a.md": {
			Hash: "abc", Title: "Talks resume in Geneva", Source: "Wire", URL: "https://example.invalid/a",
			Published: time.Date(2026, 5, 9, 23, 30, 0, 0, paris), Passages: 12,
			Added: time.Date(2026, 5, 10, 8, 0, 0, 5, time.UTC), Changed: time.Date(2026, 5, 11, 8, 0, 0, 0, time.UTC),
			Names: []string{"Geneva", "Amara Okafor"}, TitleTerms: []string{"talk", "resum", "geneva"},
			File:       corpus.Stamp{Size: 2048, Modified: time.Date(2026, 5, 9, 10, 0, 0, 123, time.UTC)},
			Paragraphs: []int{0, 0, 1, 2, 2, 2, 3, 3, 4, 5, 200, 200},
			Capitals:   newCapitalCounts(map[string]int{"geneva": 3, "okafor": 1}),
		},
		"b/ü.txt": {Hash: "def", Passages: 1}, // no date, title, names or stamp
	}
	raw := encodeChunk(next, []string{"a.md", "b/ü.txt", "gone.md"})
	got := map[string]articleMeta{"gone.md": {Hash: "old"}, "kept.md": {Hash: "k"}}
	if err := decodeChunk(raw, got); err != nil {
		t.Fatal(err)
	}
	want := map[string]articleMeta{"a.md": next["a.md"], "b/ü.txt": next["b/ü.txt"], "kept.md": {Hash: "k"}}
	if len(got) != len(want) {
		t.Fatalf("decoded %d entries, want %d: %v", len(got), len(want), got)
	}
	for id, w := range want {
		g := got[id]
		if !g.Published.Equal(w.Published) || !g.Added.Equal(w.Added) || !g.Changed.Equal(w.Changed) || !g.File.Modified.Equal(w.File.Modified) {
			t.Fatalf("%s: times %+v, want %+v", id, g, w)
		}
		if _, off := g.Published.Zone(); !w.Published.IsZero() && off != 2*3600 {
			t.Fatalf("%s: published zone offset %d, want 7200", id, off)
		}
		g.Published, g.Added, g.Changed, g.File.Modified = w.Published, w.Added, w.Changed, w.File.Modified
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("%s = %+v, want %+v", id, g, w)
		}
	}
	for _, n := range []int{0, 1, len(raw) / 2, len(raw) - 1} {
		if err := decodeChunk(raw[:n], map[string]articleMeta{}); err == nil {
			t.Fatalf("decoding %d of %d bytes succeeded", n, len(raw))
		}
	}
}

// TestManifestLogCompacts applies many small updates, each adding a chunk
// to the manifest's log, and checks that the log stays short and reads
// back as the manifest in memory.
func TestManifestLogCompacts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range maxChunks + 10 {
		a := corpus.Article{ID: fmt.Sprintf("a%03d.md", i), Title: "Talks", Paragraphs: []string{"Talks went on."}, Hash: fmt.Sprint(i)}
		if err := ix.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if err := ix.Delete(ctx, fmt.Sprintf("a%03d.md", i/2)); err != nil {
				t.Fatal(err)
			}
		}
		if ix.manifest.chunks > maxChunks {
			t.Fatalf("after %d updates the log has %d chunks, want at most %d", i+1, ix.manifest.chunks, maxChunks)
		}
	}
	want := ix.articles
	ix.Close()
	ix, err = Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(ix.articles) != len(want) {
		t.Fatalf("reopened with %d articles, want %d", len(ix.articles), len(want))
	}
	for id, w := range want {
		if g := ix.articles[id]; g.Hash != w.Hash || g.Passages != w.Passages || !g.Added.Equal(w.Added) {
			t.Fatalf("%s reopened as %+v, want %+v", id, g, w)
		}
	}
}

// TestRebuildFromJSONManifest opens an index whose manifest is in the JSON
// form of attache-passages-6 and older: the rebuild keeps when each
// article came in.
func TestRebuildFromJSONManifest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	arts, _, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	added := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	old := map[string]articleMeta{}
	for _, a := range arts {
		old[a.ID] = articleMeta{Hash: a.Hash, Passages: 1, Added: added, Changed: added}
	}
	raw, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := setInternal(ix.bleve, keyManifest, raw); err != nil {
		t.Fatal(err)
	}
	if err := setInternal(ix.bleve, keyVersion, []byte("attache-passages-6")); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix, err = Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, arts); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if m := ix.articles[a.ID]; !m.Added.Equal(added) || !m.Changed.Equal(added) {
			t.Fatalf("%s: added %s, changed %s after the rebuild, want both %s", a.ID, m.Added, m.Changed, added)
		}
	}
}
