package main

import (
	"encoding/json"
	"fmt"
	"github.com/postmortem/postmortem/incident/testdb"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clipperhouse/displaywidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTerminalInjection: user text reaches the terminal escaped, in every
// text output; JSON keeps it exact.
func TestTerminalInjection(t *testing.T) {
	db := testdb.New(t)
	title := "x\x1b]0;pwned\x07\x1b[2J"
	// A service is a name that scripts and the gate match: control
	// characters are refused there, naming the field.
	r := pm(t, db, "new", "--title", title, "--service", "talk\x1b[31m,line\nbreak", "--started", "2024-05-20 10:00")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "service: ")
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", title+"\nline break", "--service", "talk", "--started", "2024-05-20 10:00"))
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
	assert.Equal(t, 2, strings.Count(list, "\n"), "a newline in a title does not break the table row:\n%s", list)
	show := mustPM(t, db, "show", id)
	assert.Contains(t, show, `bidi \u202eevil\u202c and C1 \u009b2J`)

	v := showJSONOf(t, db, id)
	assert.Equal(t, title+"\nline break", v["title"], "JSON stays exact")
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
		before, err := contents(db)
		require.NoError(t, err)
		r := pm(t, db, tc.args...)
		assert.Equal(t, exitError, r.code, "%.60v", tc.args)
		assert.Contains(t, r.stderr, tc.want)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %.200s", r.stderr)
		after, err := contents(db)
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

// TestOneRuleForTime: what happened cannot lie in the future (beyond a
// small skew) nor out of its order, in every command.
func TestOneRuleForTime(t *testing.T) {
	db, ids := importFixture(t)
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	action := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--area", "pretest", "--owner", "infra", "--due", "2024-08-15", "test first"))
	ahead := time.Now().Add(72 * time.Hour).UTC().Format("2006-01-02 15:04")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"new", "--title", "x", "--started", "2030-01-01 00:00"}, "started: 2030-01-01T00:00:00Z is in the future"},
		{[]string{"set", ids[2], "--mitigated", ahead}, "mitigated: " + strings.Replace(ahead, " ", "T", 1) + ":00Z is in the future"},
		{[]string{"order", "new", "--received", "2099-01-01", "--incidents", ids[0]}, "received: 2099-01-01 is in the future"},
		{[]string{"order", "submit", order, "--deliverable", "improvement-plan", "--at", "2099-01-01"}, "at: 2099-01-01 is in the future"},
		{[]string{"action", "update", action, "--done", "2099-01-01"}, "done: 2099-01-01 is in the future"},
		{[]string{"order", "new", "--received", "2024-05-01", "--incidents", ids[2]}, "received: 2024-05-01 is before the incidents it covers began"},
		{[]string{"order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-05-30"}, "at: 2024-05-30 is before the order was received (2024-05-31)"},
		{[]string{"order", "submit", order, "--deliverable", "ministry-report", "--incident", ids[2], "--at", "2024-05-01"}, "at: 2024-05-01 is before incident 3 began"},
		{[]string{"set", ids[2], "--acknowledged", "2024-05-21 10:00"}, "resolved: 2024-05-21 00:24:00 +00:00 is before acknowledgement"},
		{[]string{"set", ids[2], "--detected", "2024-05-21 08:40", "--acknowledged", "2024-05-21 08:35"}, "acknowledged: 2024-05-21 08:35:00 +00:00 is before detection"},
		{[]string{"--tz", "America/New_York", "log", ids[0], "--at", "2024-03-10 02:30", "x"}, "at: 2024-03-10 02:30 does not exist in America/New_York"},
		{[]string{"--tz", "America/New_York", "log", ids[0], "--at", "2024-11-03 01:30", "x"}, `give its offset: "2024-11-03 01:30 -04:00" or "2024-11-03 01:30 -05:00"`},
	} {
		before, err := contents(db)
		require.NoError(t, err)
		r := pm(t, db, append([]string{"--tz", "UTC"}, tc.args...)...)
		assert.Equal(t, exitError, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, "%v", tc.args)
		after, err := contents(db)
		require.NoError(t, err)
		assert.Equal(t, before, after, "%v changed the database", tc.args)
	}
	out := mustPM(t, db, "--tz", "America/New_York", "log", ids[0], "--at", "2024-11-03 01:30 -05:00", "second 01:30")
	require.Regexp(t, `^\d+\n$`, out)

	// A bare clock time is read against the incident: on its own day for
	// one that began long ago, never in the future for one running now.
	var v struct {
		StartedAt string `json:"started_at"`
		Timeline  []struct {
			ID int64  `json:"id"`
			At string `json:"at"`
		} `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "show", ids[0], "--json")), &v))
	started, err := time.Parse(time.RFC3339, v.StartedAt)
	require.NoError(t, err)
	typed := started.UTC().Add(2 * time.Minute)
	ev := strings.TrimSpace(mustPM(t, db, "--tz", "UTC", "log", ids[0], "--at", typed.Format("15:04"), "typed after the fact"))
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "show", ids[0], "--json")), &v))
	found := false
	for _, e := range v.Timeline {
		if fmt.Sprint(e.ID) == ev {
			found = true
			assert.Equal(t, typed.Truncate(time.Minute).Format(time.RFC3339), e.At, "on the incident's day, not today")
		}
	}
	assert.True(t, found)

	now := time.Now().UTC()
	live := strings.TrimSpace(mustPM(t, db, "--tz", "UTC", "new", "--title", "running now", "--started", now.Add(-30*time.Minute).Format("2006-01-02 15:04")))
	soon := now.Add(time.Hour).Format("15:04")
	r := pm(t, db, "--tz", "UTC", "log", live, "--at", soon, "typed an hour ahead")
	assert.Equal(t, exitError, r.code, r.stderr)
	assert.Contains(t, r.stderr, "not yet come", "refused, never moved a day back")
	r = pm(t, db, "--tz", "UTC", "log", live, "--at", now.Add(-40*time.Minute).Format("15:04"), "the deploy that began it")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "10m0s before incident "+live+" started", "said, since a command line cannot ask")
}

// TestNoSilentNoOps: a change that cannot be made is refused with its
// reason, never taken as done.
func TestNoSilentNoOps(t *testing.T) {
	db, ids := importFixture(t)
	open := strings.TrimSpace(mustPM(t, db, "new", "--title", "still open", "--started", "2024-05-22 10:00"))
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", ids[0]+","+ids[1]))
	action := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--area", "rca", "--owner", "qa", "--due", "2024-08-15", "review"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"set", open, "--status", "reviewed"}, "status: an incident can be reviewed only once resolved"},
		{[]string{"set", open, "--status", "resolved"}, "is open, not reviewed: resolved is set by --resolved"},
		{[]string{"set", open, "--status", "open"}, "status: open follows the key times"},
		{[]string{"action", "update", action, "--status", "planned", "--done", "2024-08-10"}, `--done marks the measure done; it cannot also be "planned"`},
		{[]string{"action", "add", "--incident", ids[0], "--order", order, "--area", "rca", "--owner", "qa", "--due", "2024-08-15", "x"}, "give --incident or --order, not both"},
		{[]string{"order", "submit", order, "--deliverable", "ministry-report", "--incident", "999"}, "order 1 does not cover incident 999; accepted: #1, #2"},
		{[]string{"order", "submit", order, "--deliverable", "improvement-plan", "--incident", ids[0]}, "improvement-plan answers the order as a whole; give no --incident"},
	} {
		before, err := contents(db)
		require.NoError(t, err)
		r := pm(t, db, tc.args...)
		assert.NotEqual(t, 0, r.code, "%v", tc.args)
		assert.Contains(t, r.stderr, tc.want, "%v", tc.args)
		after, err := contents(db)
		require.NoError(t, err)
		assert.Equal(t, before, after, "%v changed the database", tc.args)
	}
	mustPM(t, db, "set", ids[0], "--status", "reviewed")
	assert.Equal(t, "reviewed", showJSONOf(t, db, ids[0])["status"])
	mustPM(t, db, "set", ids[0], "--status", "resolved")
	assert.Equal(t, "resolved", showJSONOf(t, db, ids[0])["status"], "a review taken back")
}

func TestOutputFiles(t *testing.T) {
	db, _ := importFixture(t)
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep.pdf")
	require.NoError(t, os.WriteFile(keep, []byte("old"), 0o444))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "postmortem", "1", "--format", "pdf", "-o", keep}, "output: " + keep + " is read-only; it is not replaced"},
		{[]string{"report", "postmortem", "1", "-o", dir}, "output: " + dir + " is a folder; give a file name"},
		{[]string{"report", "postmortem", "1", "-o", filepath.Join(dir, "missing", "x.md")}, "output: folder " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"export", "-o", keep}, "output: " + keep + " is read-only; it is not replaced"},
		{[]string{"report", "postmortem", "1", "--templates", filepath.Join(dir, "none"), "-o", filepath.Join(dir, "x.md")}, "templates:"},
	} {
		r := pm(t, db, tc.args...)
		assert.Equal(t, exitError, r.code, "%v", tc.args)
		assert.Equal(t, "postmortem: "+tc.want, strings.TrimSpace(r.stderr)[:len("postmortem: ")+len(tc.want)], "%v", tc.args)
	}
	got, _ := os.ReadFile(keep)
	assert.Equal(t, "old", string(got))
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	assert.Empty(t, left, "no temporary file left")
}

// TestStrictImport: a file with anything wrong is refused whole, naming the
// record and the field, and the database is unchanged.
func TestStrictImport(t *testing.T) {
	db, _ := importFixture(t)
	export := mustPM(t, db, "export")
	const head = `{"format":"postmortem-export","version":1,"incidents":[`
	one := `{"id":%d,"title":"t","severity":"SEV3","status":%q%s}`
	for _, tc := range []struct {
		name, file, want string
	}{
		{"trailing data", export + `{"more":1}`, "trailing data after the export"},
		{"trailing garbage", export + "garbage", "trailing data after the export"},
		{"negative id", head + fmt.Sprintf(one, -3, "open", "") + `]}`, "incident 1 in the file: id: incident id -3; accepted: a whole number from 1 to 9007199254740991"},
		{"zero id", head + fmt.Sprintf(one, 0, "open", "") + `]}`, "incident id 0; accepted: a whole number from 1 to 9007199254740991"},
		{"id past the limit", head + fmt.Sprintf(one, int64(1<<63-1), "open", "") + `]}`, "incident id 9223372036854775807; accepted: a whole number from 1 to 9007199254740991"},
		{"unknown status", head + fmt.Sprintf(one, 7, "bogus", "") + `]}`, `incident 1 in the file: incident 7: status: "bogus" is not a status`},
		{"unknown field", head + fmt.Sprintf(one, 7, "open", `,"colour":"red"`) + `]}`, `incident 1 in the file does not read: json: unknown field "colour"`},
		{"unknown kind", head + fmt.Sprintf(one, 7, "open", `,"timeline":[{"at":"2024-05-21T00:00:00Z","kind":"panic","text":"x","author":""}]`) + `]}`, `kind: "panic" is not an event kind`},
		{"unknown top field", `{"format":"postmortem-export","version":1,"extra":[]}`, `unknown field "extra"`},
		{"invalid UTF-8", head + `{"id":7,"title":"t` + "\xff\xfe" + `","severity":"SEV3"}]}`, "byte 73 of the file: invalid UTF-8; accepted: UTF-8 text"},
		{"overlong UTF-8", head + `{"id":7,"title":"` + "\xc0\xaf" + `","severity":"SEV3"}]}`, "invalid UTF-8"},
		{"UTF-8 surrogate", head + `{"id":7,"title":"` + "\xed\xa0\x80" + `","severity":"SEV3"}]}`, "invalid UTF-8"},
		{"lone low surrogate", head + `{"id":7,"title":"a\udc00","severity":"SEV3"}]}`, `an escaped lone surrogate (\udc00)`},
		{"lone high surrogate", head + `{"id":7,"title":"a\ud800b","severity":"SEV3"}]}`, "an escaped high surrogate"},
		{"high surrogate then escaped backslash", head + `{"id":7,"title":"a\ud800\\udc00","severity":"SEV3"}]}`, "an escaped high surrogate"},
		{"unknown area", `{"format":"postmortem-export","version":1,"incidents":[],"actions":[{"id":1,"incident_id":1,"order_id":null,"area":"vibes","text":"x","owner":"o","due":"2024-08-01","status":"planned","evidence":"","done_on":null}]}`, `action 1 in the file: action 1: area: "vibes" is not an area`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := testdb.New(t)
			mustPM(t, target, "new", "--title", "already here", "--started", "2024-05-01 00:00")
			before, err := contents(target)
			require.NoError(t, err)
			in := filepath.Join(t.TempDir(), "in.json")
			require.NoError(t, os.WriteFile(in, []byte(tc.file), 0o600))
			r := pm(t, target, "import", "--renumber", in)
			assert.Equal(t, exitError, r.code)
			assert.Contains(t, r.stderr, tc.want)
			assert.Empty(t, r.stdout)
			after, err := contents(target)
			require.NoError(t, err)
			assert.Equal(t, before, after, "the database is unchanged")
		})
	}
}

// TestListColumnsHoldAnyTitle: the listing reads each line as one text cut
// at unit separators; a title holding one, a service holding a quote and
// Korean of two cells a character still come out whole and aligned.
func TestListColumnsHoldAnyTitle(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "new", "--title", "a\x1fb\x1fc", "--service", `say"hi,카카오톡`, "--started", "2024-05-20 10:00", "--severity", "SEV2")
	mustPM(t, db, "new", "--title", "로그인 실패", "--service", "talk", "--started", "2024-05-21 08:30")
	mustPM(t, db, "resolve", "2", "--at", "2024-05-21 09:24")
	lines := strings.Split(strings.TrimSuffix(mustPM(t, db, "list"), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^1  +open  +SEV2  2024-05-20 10:00  \d+ min  say"hi,카카오톡  a\\x1fb\\x1fc$`, lines[1])
	assert.Regexp(t, `^2  +resolved  SEV3  2024-05-21 08:30  54 min  +talk  +로그인 실패$`, lines[2])
	// Columns line up in terminal cells: the title starts at one cell.
	at := func(line, title string) int {
		i := strings.Index(line, title)
		require.GreaterOrEqual(t, i, 0, line)
		return displaywidth.String(line[:i])
	}
	assert.Equal(t, at(lines[1], `a\x1f`), at(lines[2], "로그인"))
	assert.Equal(t, at(lines[0], "TITLE"), at(lines[2], "로그인"))

	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "list", "--json")), &got))
	assert.Equal(t, "a\x1fb\x1fc", got[0]["title"])
	assert.Equal(t, []any{`say"hi`, "카카오톡"}, got[0]["services"])
}

// Import holds a service and a freeze to the rules the commands do: a
// public name with control characters is refused, a reason is trimmed.
func TestImportChecksAsTheCommandsDo(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "service", "set", "talk", "--public-name", "카카오톡")
	mustPM(t, db, "freeze", "add", "--service", "talk", "--from", "2099-12-01", "--to", "2099-12-31", "연말 트래픽")
	dump := mustPM(t, db, "export")
	for name, edit := range map[string]func(string) string{
		"public name": func(s string) string {
			return strings.Replace(s, `"public_name":"카카오톡"`, `"public_name":"카카오톡\u001b[2J"`, 1)
		},
	} {
		in := filepath.Join(t.TempDir(), "in.json")
		edited := edit(dump)
		require.NotEqual(t, dump, edited, name)
		require.NoError(t, os.WriteFile(in, []byte(edited), 0o600))
		r := pm(t, filepath.Join(t.TempDir(), "fresh.db"), "import", in)
		assert.Equal(t, exitError, r.code, name)
		assert.Contains(t, r.stderr, "public-name: ", name)
	}
	in := filepath.Join(t.TempDir(), "in.json")
	require.NoError(t, os.WriteFile(in, []byte(strings.Replace(dump, `"reason":"연말 트래픽"`, `"reason":"  연말 트래픽  "`, 1)), 0o600))
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	mustPM(t, fresh, "import", in)
	assert.Contains(t, mustPM(t, fresh, "export"), `"reason":"연말 트래픽"`, "trimmed as freeze add trims it")
}

// A 50 MB title is refused by its size as the file is read, never held
// whole: memory stays near the program's own, and the error is one short
// line, not the title.
func TestImportRefusesAHugeTextWithoutHoldingIt(t *testing.T) {
	in := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(in)
	require.NoError(t, err)
	_, err = f.WriteString(`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"`)
	require.NoError(t, err)
	chunk := []byte(strings.Repeat("가", 1<<18))
	for i := 0; i < 64; i++ { // 64 x 768 KiB: 48 MiB without a space
		_, err = f.Write(chunk)
		require.NoError(t, err)
	}
	_, err = f.WriteString(`","severity":"SEV3"}]}`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	// GNU time forks the command from its own small process and reports
	// its peak: this test process, large by now, started through vfork,
	// would be counted in the child's peak.
	db := testdb.New(t)
	peak := filepath.Join(t.TempDir(), "peak")
	cmd := exec.Command("/usr/bin/time", "-f", "%M", "-o", peak, bin, "--db", db, "import", in)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	err = cmd.Run()
	require.Error(t, err)
	assert.Equal(t, exitError, cmd.ProcessState.ExitCode())
	assert.Contains(t, errOut.String(), "a text of more than 4 MiB")
	assert.Less(t, errOut.Len(), 400, "one short line: %.400s", errOut.String())
	b, err := os.ReadFile(peak)
	require.NoError(t, err)
	lines := strings.Fields(string(b))
	require.NotEmpty(t, lines)
	rss, err := strconv.ParseInt(lines[len(lines)-1], 10, 64) // KiB
	require.NoError(t, err, string(b))
	assert.Less(t, rss, int64(120<<10), "peak memory %d KiB", rss)
	t.Logf("peak memory refusing a 48 MiB title: %d MiB", rss>>10)
}
