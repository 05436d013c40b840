// Package corpus is attache's domain: news articles, how they are read from
// a folder, and how their text becomes passages that can be searched.
package corpus

import "time"

// Article is one news article read from a file.
type Article struct {
	// ID names the article within its corpus: the file's path relative to
	// the corpus root, with forward slashes (e.g. "2026/sudan-talks.md").
	ID     string
	Title  string
	Source string
	URL    string
	// Published is zero when the article does not say when it was published.
	Published time.Time
	// Paragraphs hold the body text, one entry a paragraph, trimmed.
	Paragraphs []string
	// Hash is a hex SHA-256 of the file's bytes, used to skip re-indexing
	// unchanged files.
	Hash string
	// File is the size and modification time of the file when it was
	// read; zero when unknown (see Stamp).
	File Stamp
	// Unread reports that LoadWith did not read the file because it was
	// told that the file is unchanged: only ID, Hash and File are set.
	Unread bool
}

// Meta is what identifies and cites an article: the one description of an
// article's metadata, which the index's answers (index.ArticleInfo) and the
// summaries' stories (summarize.Link, summarize.Doc) use as it is.
type Meta struct {
	// ID names the article within its corpus (see Article.ID).
	ID     string
	Title  string
	Source string
	URL    string
	// Published is zero when the article does not say when it was published.
	Published time.Time
}

// Meta returns the article's metadata.
func (a Article) Meta() Meta {
	return Meta{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published}
}

// Stamp is the size and modification time of an article's file. When both
// are as they were when the file was read, the file is taken to be
// unchanged without reading it again. The zero Stamp is unknown and never
// matches.
type Stamp struct {
	Size     int64
	Modified time.Time
}

// IsZero reports whether the stamp is unknown.
func (s Stamp) IsZero() bool { return s.Modified.IsZero() }

// Equal reports whether s and t are the same known stamp.
func (s Stamp) Equal(t Stamp) bool {
	return !s.IsZero() && s.Size == t.Size && s.Modified.Equal(t.Modified)
}

// Passage is one sentence of an article, the unit that questions are
// answered with.
type Passage struct {
	ArticleID string
	// Position is the sentence's index within the article, from 0.
	Position int
	// Paragraph is the index of the paragraph that holds the sentence.
	Paragraph int
	Text      string
}
