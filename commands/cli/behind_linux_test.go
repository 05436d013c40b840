package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAskBehind runs ask where no file may grow past 1 KiB, as on a full
// disk: the new article cannot be indexed, and ask answers from the index
// as it is and says that it is behind; index fails.
func TestAskBehind(t *testing.T) {
	if args := os.Getenv("ATTACHE_TEST_FULL_DISK"); args != "" {
		// The child: Go ignores SIGXFSZ, so writes past the limit fail
		// with EFBIG, as writes to a full disk fail with ENOSPC.
		lim := syscall.Rlimit{Cur: 1 << 10, Max: 1 << 10}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			t.Fatal(err)
		}
		w := strings.Split(args, "\x1f")
		cfg, err := ReadConfig(os.Getenv)
		if err == nil && w[0] == "index" {
			err = Index(context.Background(), w[1:], cfg, os.Stdout, os.Stderr)
		} else if err == nil {
			err = Ask(context.Background(), w[1:], cfg, os.Stdin, os.Stdout, os.Stderr)
		}
		if err != nil {
			os.Stderr.WriteString("attache: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}

	corpusDir, data := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("oslo.md", "---\ntitle: Envoys meet in Oslo\npublished: 2026-05-04\n---\nEnvoys from both sides met in Oslo on Monday to discuss a prisoner exchange.\n")
	var out bytes.Buffer
	if err := Index(context.Background(), []string{"--corpus", corpusDir, "--data", data}, DefaultConfig(), &out, &out); err != nil {
		t.Fatalf("index: %v\n%s", err, out.String())
	}
	write("geneva.md", "---\ntitle: Grain corridor talks in Geneva\npublished: 2026-05-05\n---\n"+strings.Repeat("Negotiators in Geneva agreed on the grain corridor's inspection rules on Tuesday. ", 200)+"\n")

	child := func(args ...string) (string, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAskBehind$")
		cmd.Env = append(os.Environ(),
			"ATTACHE_TEST_FULL_DISK="+strings.Join(append(args, "--corpus", corpusDir, "--data", data), "\x1f"),
			"ATTACHE_ENV_FILE="+filepath.Join(data, "no.env"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if ctx.Err() != nil {
			t.Fatalf("%s on a full disk did not end within a minute:\n%s", args[0], stderr.String())
		}
		return stdout.String(), stderr.String(), err
	}
	stdout, stderr, err := child("ask", "where did the envoys meet")
	if err != nil {
		t.Fatalf("ask on a full disk: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "Oslo") {
		t.Errorf("ask did not answer from the index as it is:\n%s", stdout)
	}
	if !strings.Contains(stderr, "the index is behind the articles") {
		t.Errorf("ask did not say that the index is behind:\n%s", stderr)
	}
	if _, stderr, err := child("index"); err == nil {
		t.Errorf("index on a full disk succeeded:\n%s", stderr)
	}
}
