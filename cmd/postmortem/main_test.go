package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// bin is the postmortem binary the end-to-end tests drive, built once.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "postmortem-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "postmortem")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build postmortem:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// pm runs the binary on db with args, as a user would.
func pm(t testing.TB, db string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "POSTMORTEM_DB=", "TZ=UTC", "USER=tester")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{out.String(), errOut.String(), code}
}

// mustPM runs pm and fails the test unless it exits 0.
func mustPM(t testing.TB, db string, args ...string) string {
	t.Helper()
	r := pm(t, db, args...)
	require.Equal(t, 0, r.code, "postmortem %s: %s", strings.Join(args, " "), r.stderr)
	return r.stdout
}

func fixturePath(t testing.TB) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "testdata", "kakao-2024-05.json"))
	require.NoError(t, err)
	return p
}

// importFixture makes a database holding the three May 2024 incidents and
// returns its path and their ids.
func importFixture(t testing.TB) (string, []string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "pm.db")
	ids := strings.Fields(mustPM(t, db, "import", fixturePath(t)))
	require.Len(t, ids, 3)
	return db, ids
}

func showJSONOf(t testing.TB, db, id string) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "show", id, "--json")), &v))
	return v
}
