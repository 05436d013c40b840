package watch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"attache/corpus"
)

// Scan reads the article files under dir as corpus.Load does and returns
// the Hash of each article, by ID; files that cannot be read or parsed are
// left out. The error is non-nil only when dir itself cannot be read.
func Scan(dir string) (map[string]string, error) {
	known, _, err := scan(dir)
	return known, err
}

func scan(dir string) (map[string]string, []*corpus.FileError, error) {
	arts, problems, err := corpus.Load(dir)
	if err != nil {
		return nil, nil, err
	}
	known := make(map[string]string, len(arts))
	for _, a := range arts {
		known[a.ID] = a.Hash
	}
	return known, problems, nil
}

// file is what the watcher finds at an article file's path.
type file struct {
	gone bool   // nothing there, or not a regular file, which Load skips too
	data []byte // the content, when read
	hash string // hex SHA-256 of data, as corpus.Article.Hash
	err  *corpus.FileError
}

// inspect reads the file of the article id, without parsing it: most reads
// find the file unchanged, which its hash tells.
func (w *Watcher) inspect(id string) file {
	// Links are not followed, as corpus.Load does not follow them: nothing
	// outside the folder is read into the index.
	if info, err := os.Lstat(w.abs(id)); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return file{gone: true}
	}
	f, err := os.Open(w.abs(id))
	if err != nil {
		// ENOTDIR: a folder on the way was replaced by a file.
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return file{gone: true}
		}
		return file{err: readError(id, err)}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return file{err: readError(id, err)}
	}
	if !info.Mode().IsRegular() {
		return file{gone: true}
	}
	// One byte past the limit is enough for Parse to reject the file.
	data, err := io.ReadAll(io.LimitReader(f, corpus.MaxFileSize+1))
	if err != nil {
		return file{err: readError(id, err)}
	}
	sum := sha256.Sum256(data)
	return file{data: data, hash: hex.EncodeToString(sum[:])}
}

func readError(id string, err error) *corpus.FileError {
	return &corpus.FileError{Path: id, Err: fmt.Errorf("read: %w", err)}
}

// fingerprint identifies the content found, or the read error, so that a
// file that stays broken the same way is reported once.
func (f file) fingerprint() string {
	if f.err != nil {
		return "read error: " + f.err.Err.Error()
	}
	return f.hash
}

// parse parses the content read for the article id. It returns the read
// error when there is no content.
func (f file) parse(id string) (corpus.Article, *corpus.FileError) {
	if f.err != nil {
		return corpus.Article{}, f.err
	}
	a, err := corpus.Parse(id, f.data)
	if err != nil {
		var ferr *corpus.FileError
		if errors.As(err, &ferr) {
			return corpus.Article{}, ferr
		}
		return corpus.Article{}, &corpus.FileError{Path: id, Err: err}
	}
	return a, nil
}
