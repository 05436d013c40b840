package corpustest

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"attache/corpus"
)

//go:embed fts5.py
var fts5Script []byte

// FTS5Result is what SQLite FTS5 took on the same passages.
type FTS5Result struct {
	Passages int
	// Build is the time to insert every passage and commit, on disk.
	Build time.Duration
	// PerQuestion is the mean time of one question (top 3 by bm25),
	// zero when no questions were asked.
	PerQuestion time.Duration
}

// FTS5 indexes the passages of arts with SQLite FTS5 (python3's sqlite3
// module, porter stemmer) in a database under dir, then asks it questions,
// and reports the times. It fails when python3 or its FTS5 is missing.
// Benchmarks use it as a yardstick; it is never part of CI.
func FTS5(ctx context.Context, dir string, arts []corpus.Article, questions []string) (FTS5Result, error) {
	script := filepath.Join(dir, "fts5.py")
	if err := os.WriteFile(script, fts5Script, 0o644); err != nil {
		return FTS5Result{}, err
	}
	passages := filepath.Join(dir, "fts5-passages.tsv")
	if err := writePassages(passages, arts); err != nil {
		return FTS5Result{}, err
	}
	args := []string{script, filepath.Join(dir, "fts5.db"), passages}
	if len(questions) > 0 {
		qfile := filepath.Join(dir, "fts5-questions.txt")
		if err := os.WriteFile(qfile, []byte(strings.Join(questions, "\n")+"\n"), 0o644); err != nil {
			return FTS5Result{}, err
		}
		args = append(args, qfile)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "python3", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return FTS5Result{}, fmt.Errorf("run fts5.py: %w: %s", err, stderr.String())
	}
	var res struct {
		Passages      int     `json:"passages"`
		BuildS        float64 `json:"build_s"`
		PerQuestionMS float64 `json:"per_question_ms"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return FTS5Result{}, fmt.Errorf("read fts5.py output %q: %w", out, err)
	}
	return FTS5Result{
		Passages:    res.Passages,
		Build:       time.Duration(res.BuildS * float64(time.Second)),
		PerQuestion: time.Duration(res.PerQuestionMS * float64(time.Millisecond)),
	}, nil
}

// writePassages writes one passage a line: ID, tab, text.
func writePassages(name string, arts []corpus.Article) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, a := range arts {
		for _, p := range a.Passages() {
			fmt.Fprintf(w, "%s#%d\t%s\n", a.ID, p.Position, strings.ReplaceAll(p.Text, "\t", " "))
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Write writes arts as Markdown article files under dir, at their IDs,
// in the format corpus.Load reads. A file's modification time is its
// article's publication time, when it has one.
func Write(dir string, arts []corpus.Article) error {
	for _, a := range arts {
		var b strings.Builder
		b.WriteString("---\n")
		fmt.Fprintf(&b, "title: %q\nsource: %q\nurl: %q\n", a.Title, a.Source, a.URL)
		if !a.Published.IsZero() {
			fmt.Fprintf(&b, "published: %s\n", a.Published.UTC().Format(time.RFC3339))
		}
		b.WriteString("---\n")
		for _, p := range a.Paragraphs {
			b.WriteString(p)
			b.WriteByte('\n')
		}
		name := filepath.Join(dir, filepath.FromSlash(a.ID))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			return err
		}
		if !a.Published.IsZero() {
			if err := os.Chtimes(name, a.Published, a.Published); err != nil {
				return err
			}
		}
	}
	return nil
}
