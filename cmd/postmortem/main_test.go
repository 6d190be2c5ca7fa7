package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/incident/testdb"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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
	// The binary runs with TZ=UTC; the commands run in process read the
	// same zone.
	time.Local = time.UTC
	code := testdb.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// pm runs one command line on db in this process, as the binary runs it:
// through execute, with a factory of its own, stdout and stderr kept, an
// empty stdin, the environment plus POSTMORTEM_DB="" and USER=tester, and
// the local zone UTC (TestMain sets it). The tests that need a process of
// their own (a kill, many writers at once, a terminal, the clean clone)
// use pmProcess or bin.
func pm(t testing.TB, db string, args ...string) result {
	t.Helper()
	env := map[string]string{"POSTMORTEM_DB": "", "TZ": "UTC", "USER": "tester"}
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
	var out, errOut bytes.Buffer
	f := newFactory(strings.NewReader(""), &out, &errOut, getenv)
	code := execute(context.Background(), append([]string{"--db", db}, args...), f)
	return result{out.String(), errOut.String(), code}
}

// pmProcess runs the binary on db with args, as a user would.
func pmProcess(t testing.TB, db string, args ...string) result {
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
		// Errorf, not Fatalf: writers call this from goroutines.
		t.Errorf("run %v: %v", args, err)
		code = -1
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
	return importFixtureInto(t, testdb.New(t))
}

// importFixtureFile is importFixture into a SQLite file, for what only a
// file has.
func importFixtureFile(t testing.TB) (string, []string) {
	t.Helper()
	return importFixtureInto(t, filepath.Join(t.TempDir(), "pm.db"))
}

func importFixtureInto(t testing.TB, db string) (string, []string) {
	t.Helper()
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

// rawDB is a database opened behind postmortem's back, as someone who can
// write it: the tests write SQLite's SQL, turned into PostgreSQL's on a
// server (placeholders numbered, a trigger dropped from its table, the
// foreign keys turned off for the session).
type rawDB struct {
	*sql.DB
	pg bool
}

func rawOpen(db string) (rawDB, error) {
	if incident.IsServerURL(db) {
		h, err := sql.Open("pgx", db)
		return rawDB{h, true}, err
	}
	h, err := sql.Open("sqlite3", db)
	return rawDB{h, false}, err
}

var (
	rawTrigger     = regexp.MustCompile(`DROP TRIGGER (\w+)`)
	rawPlaceholder = regexp.MustCompile(`\?`)
)

func (r rawDB) sql(q string) string {
	if !r.pg {
		return q
	}
	q = rawTrigger.ReplaceAllString(q, "DROP TRIGGER $1 ON history")
	q = strings.ReplaceAll(q, "PRAGMA foreign_keys = OFF;", "SET session_replication_role = replica;")
	n := 0
	return rawPlaceholder.ReplaceAllStringFunc(q, func(string) string { n++; return fmt.Sprintf("$%d", n) })
}

func (r rawDB) Exec(q string, args ...any) (sql.Result, error) { return r.DB.Exec(r.sql(q), args...) }

func (r rawDB) QueryRow(q string, args ...any) *sql.Row { return r.DB.QueryRow(r.sql(q), args...) }

// contents is everything db holds: a SQLite file's bytes; on PostgreSQL
// every row of every table of its schema, as text.
func contents(db string) ([]byte, error) {
	if !incident.IsServerURL(db) {
		return os.ReadFile(db)
	}
	raw, err := rawOpen(db)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	tables, err := raw.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	tables.Close()
	var b bytes.Buffer
	for _, n := range names {
		var rows sql.NullString
		if err := raw.QueryRow(`SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM ` + n + ` t`).Scan(&rows); err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s\n%s\n", n, rows.String)
	}
	return b.Bytes(), nil
}
