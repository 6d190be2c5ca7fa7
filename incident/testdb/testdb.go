// Package testdb gives each test a database of its own on the engine the
// suite is running on: a SQLite file always, and a PostgreSQL schema when
// POSTMORTEM_TEST_PG names a server (the suite then runs twice).
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make and drop schemas
)

// server is the PostgreSQL server of the run under way, "" on SQLite.
var server string

// PG reports whether this run is on PostgreSQL.
func PG() bool { return server != "" }

// Engine names the engine of this run, for messages.
func Engine() string {
	if PG() {
		return "postgres"
	}
	return "sqlite"
}

// Run runs the package's tests on SQLite, then, when POSTMORTEM_TEST_PG
// names a server, again on PostgreSQL; the exit code is the worse.
func Run(m *testing.M) int {
	code := m.Run()
	pg := os.Getenv("POSTMORTEM_TEST_PG")
	if pg == "" || code != 0 {
		return code
	}
	fmt.Println("--- the same tests on PostgreSQL")
	server = pg
	defer func() { server = "" }()
	return m.Run()
}

// New returns where the test's database is: a SQLite file (not yet made)
// in a folder of the test's, or on PostgreSQL the address of a new schema,
// dropped when the test ends.
func New(t testing.TB) string {
	t.Helper()
	if !PG() {
		return filepath.Join(t.TempDir(), "pm.db")
	}
	return NewServer(t, server)
}

// NewServer makes a schema of the test's own on the server at base and
// returns its address.
func NewServer(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("test server %s: %v", base, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("test server: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`) //nolint:errcheck // a schema left behind is the server's to clean
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("test server %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
