package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTerminalInjection: user text reaches the terminal escaped, in every
// text output; JSON keeps it exact.
func TestTerminalInjection(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pm.db")
	title := "x\x1b]0;pwned\x07\x1b[2J"
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", title, "--service", "talk\x1b[31m,line\nbreak"))
	mustPM(t, db, "log", id, "bidi \u202eevil\u202c and C1 \u009b2J")
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", id, "--reference", "ref\x1b[2J"))
	mustPM(t, db, "order", "finding", order, "--area", "pretest", "finding\x1b[2J")
	mustPM(t, db, "action", "add", "--incident", id, "--area", "pretest", "--owner", "own\x1b[2J", "--due", "2030-01-01", "measure\x1b[2J")
	for _, args := range [][]string{{"list"}, {"show", id}, {"deadlines"}, {"order", "show", order}, {"order", "list"}, {"history", id}} {
		out := pm(t, db, args...).stdout
		assert.NotContains(t, out, "\x1b", "%v prints an escape", args)
		assert.NotContains(t, out, "\x07", "%v prints BEL", args)
		assert.NotContains(t, out, "\u202e", "%v prints a bidi override", args)
		assert.NotContains(t, out, "\u009b", "%v prints a C1 control", args)
	}
	list := mustPM(t, db, "list")
	assert.Contains(t, list, `x\x1b]0;pwned\x07\x1b[2J`, "shown escaped")
	assert.Equal(t, 2, strings.Count(list, "\n"), "a newline in a service does not break the table row:\n%s", list)
	show := mustPM(t, db, "show", id)
	assert.Contains(t, show, `bidi \u202eevil\u202c and C1 \u009b2J`)

	v := showJSONOf(t, db, id)
	assert.Equal(t, title, v["title"], "JSON stays exact")
}

// TestTextThatEnters: invalid UTF-8, NUL and over-long text are refused,
// naming the field and the limit, and nothing changes.
func TestTextThatEnters(t *testing.T) {
	db, ids := importFixture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"log", ids[0], "bad\xff"}, "text: is not valid UTF-8 (byte 3: 0xff)"},
		{[]string{"new", "--title", strings.Repeat("가", 40_000)}, "title: is 40000 characters long; accepted: at most 500"},
		{[]string{"set", ids[0], "--cause", strings.Repeat("a", 100_001)}, "cause: is 100001 characters long; accepted: at most 100000"},
		{[]string{"set", ids[0], "--service", "talk,\xfe"}, "service: is not valid UTF-8"},
		{[]string{"action", "add", "--incident", ids[0], "--area", "rca", "--owner", strings.Repeat("o", 201), "--due", "2030-01-01", "x"}, "owner: is 201 characters long; accepted: at most 200"},
		{[]string{"set", ids[0], "--severity", "SEV1", "--reason", "why\xff"}, "reason: is not valid UTF-8"},
	} {
		before, err := os.ReadFile(db)
		require.NoError(t, err)
		r := pm(t, db, tc.args...)
		assert.Equal(t, exitError, r.code, "%.60v", tc.args)
		assert.Contains(t, r.stderr, tc.want)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %.200s", r.stderr)
		after, err := os.ReadFile(db)
		require.NoError(t, err)
		assert.Equal(t, before, after, "%.60v changed the database", tc.args)
	}
	// NUL cannot be passed on a command line; it comes by import.
	in := filepath.Join(t.TempDir(), "nul.json")
	require.NoError(t, os.WriteFile(in, []byte(`{"format":"postmortem-export","version":1,"incidents":[{"id":9,"title":"a\u0000b","severity":"SEV3","status":"open"}],"actions":[],"orders":[]}`), 0o600))
	r := pm(t, db, "import", in)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "title: holds a NUL character (at byte 1)")
}
