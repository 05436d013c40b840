package feeds

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The state file holds these buckets; values are JSON unless said.
var (
	// bucketFeeds: feed ID → Feed. Its sequence numbers feed IDs.
	bucketFeeds = []byte("feeds")
	// bucketItems: feed ID, NUL, item GUID → itemRecord.
	bucketItems = []byte("items")
	// bucketURLs: canonical URL key → article file name.
	bucketURLs = []byte("urls")
	// bucketHashes: hash of normalised text → article file name.
	bucketHashes = []byte("hashes")
	// bucketArticles: article file name → articleRecord.
	bucketArticles = []byte("articles")
	// bucketPending: names of new article files being written, not yet
	// recorded.
	bucketPending = []byte("pending")
)

func createBuckets(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketFeeds, bucketItems, bucketURLs, bucketHashes, bucketArticles, bucketPending} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// itemRecord is what is remembered of one item of one feed.
type itemRecord struct {
	// File is the article the item became; empty when it had no text.
	File string `json:"file,omitempty"`
	// Print fingerprints the item as the feed carried it, so an unchanged
	// item is skipped without fetching its page again.
	Print string `json:"print"`
	// Partial is set when the item's page could not be fetched and its
	// summary stands in; Tries counts the attempts.
	Partial bool      `json:"partial,omitempty"`
	Tries   int       `json:"tries,omitempty"`
	Seen    time.Time `json:"seen"`
}

// articleRecord is what is needed to render an article's front matter.
type articleRecord struct {
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published"`
	Sources   []source  `json:"sources"`
	// Hash is the hash of the normalised text the file holds; Chars is
	// its length in characters.
	Hash  string `json:"hash"`
	Chars int    `json:"chars"`
}

// source is a feed that carried an article.
type source struct {
	FeedID string `json:"feed"`
	Title  string `json:"title"`
}

// sourceLine is the front matter's source field: every feed's title,
// joined by "; ".
func (a *articleRecord) sourceLine() string {
	titles := make([]string, 0, len(a.Sources))
	for _, s := range a.Sources {
		titles = append(titles, s.Title)
	}
	return strings.Join(titles, "; ")
}

// addSource reports whether the feed was not yet among the sources.
func (a *articleRecord) addSource(s source) bool {
	for _, have := range a.Sources {
		if have.FeedID == s.FeedID {
			return false
		}
	}
	a.Sources = append(a.Sources, s)
	return true
}

func itemKey(feedID, guid string) string { return feedID + "\x00" + guid }

func getFeed(tx *bolt.Tx, id string) (*Feed, error) {
	var f Feed
	ok, err := getJSON(tx.Bucket(bucketFeeds), id, &f)
	if !ok || err != nil {
		return nil, err
	}
	return &f, nil
}

func putFeed(tx *bolt.Tx, f *Feed) error {
	return putJSON(tx.Bucket(bucketFeeds), f.ID, f)
}

// deleteItems forgets every item of the feed.
func deleteItems(tx *bolt.Tx, feedID string) error {
	prefix := []byte(itemKey(feedID, ""))
	c := tx.Bucket(bucketItems).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// pruneItems forgets items of the feed that it no longer carries and that
// were first seen before cutoff. Should one come back, the URL and text
// indexes still match it to its article.
func pruneItems(tx *bolt.Tx, feedID string, current map[string]bool, cutoff time.Time) error {
	prefix := []byte(itemKey(feedID, ""))
	b := tx.Bucket(bucketItems)
	var stale [][]byte
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if current[string(k)] {
			continue
		}
		var rec itemRecord
		if err := json.Unmarshal(v, &rec); err != nil || rec.Seen.Before(cutoff) {
			stale = append(stale, bytes.Clone(k))
		}
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// getJSON decodes the value under key into v and reports whether there was
// one.
func getJSON(b *bolt.Bucket, key string, v any) (bool, error) {
	data := b.Get([]byte(key))
	if data == nil {
		return false, nil
	}
	return true, json.Unmarshal(data, v)
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}
