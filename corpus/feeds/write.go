package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// frontMatter is the head of an article file, in the order corpus.Load
// reads it.
type frontMatter struct {
	Title     string    `yaml:"title"`
	Source    string    `yaml:"source"`
	URL       string    `yaml:"url"`
	Published time.Time `yaml:"published"`
}

// renderArticle formats an article file: front matter between "---"
// lines, then one paragraph per line.
func renderArticle(a *articleRecord, paras []string) ([]byte, error) {
	head, err := yaml.Marshal(frontMatter{
		Title:     a.Title,
		Source:    a.sourceLine(),
		URL:       a.URL,
		Published: a.Published.UTC().Truncate(time.Second),
	})
	if err != nil {
		return nil, fmt.Errorf("render front matter: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(head)
	b.WriteString("---\n")
	for _, p := range paras {
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// readBody returns the paragraphs of an article file written earlier.
func readBody(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text := string(data)
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return nil, fmt.Errorf("read %s: no front matter", path)
	}
	_, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return nil, fmt.Errorf("read %s: front matter not closed", path)
	}
	return paragraphs(body), nil
}

// Temporary files being written are named .feeds-*.tmp; a crash can
// leave them behind.
const tempPrefix, tempSuffix = ".feeds-", ".tmp"

// writeFileAtomic replaces path with data: readers see the old file or the
// new one, never a part. The data is synced before the rename so that a
// power cut cannot leave an empty file under the final name.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix+"*"+tempSuffix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// syncDir makes renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// removeTempFiles deletes files a crashed write left in Dir. The state
// file's lock guarantees no other Manager is writing there.
func (m *Manager) removeTempFiles() {
	names, err := filepath.Glob(filepath.Join(m.cfg.Dir, tempPrefix+"*"+tempSuffix))
	if err != nil {
		return
	}
	for _, name := range names {
		if err := os.Remove(name); err != nil {
			m.log.Warn("remove leftover temp file", "path", name, "err", err)
		}
	}
}
