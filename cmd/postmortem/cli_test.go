package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/postmortem/postmortem/incident/testdb"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFixtureDurations(t *testing.T) {
	db, ids := importFixture(t)
	want := []float64{6, 6, 54}
	for i, id := range ids {
		v := showJSONOf(t, db, id)
		assert.Equal(t, want[i], v["duration_minutes"], "incident %s", id)
		for _, key := range []string{"id", "title", "services", "severity", "status", "started_at", "detected_at",
			"mitigated_at", "resolved_at", "users_affected_pct", "time_to_detect_minutes", "time_to_resolve_minutes",
			"cause", "recovery_steps", "timeline"} {
			assert.Contains(t, v, key)
		}
	}
	third := showJSONOf(t, db, ids[2])
	assert.Equal(t, "카카오톡 PC 로그인 실패 및 모바일 메시지 지연", third["title"])
	assert.Equal(t, []any{float64(2)}, third["related"], "05-21 relates to 05-20")
	assert.Equal(t, 8.0, third["users_affected_pct"])
	assert.Len(t, third["recovery_steps"], 3)
}

func TestNewLogResolveShow(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "--tz", "Asia/Seoul", "new", "--title", "로그인 실패", "--service", "talk,login",
		"--severity", "SEV2", "--started", "2024-05-21 08:30", "--users-affected", "8"))
	assert.Equal(t, "1", id, "new prints the id alone")
	mustPM(t, db, "--tz", "Asia/Seoul", "log", id, "--kind", "detect", "--at", "2024-05-21 08:32", "경보", "발생")
	mustPM(t, db, "--tz", "Asia/Seoul", "set", id, "--detected", "2024-05-21 08:32", "--cause", "Java 업데이트")
	mustPM(t, db, "--tz", "Asia/Seoul", "resolve", id, "--at", "2024-05-21 09:24", "--recovery", "자동화 도구", "--recovery", "수동 복구")
	v := showJSONOf(t, db, id)
	assert.Equal(t, 54.0, v["duration_minutes"])
	assert.Equal(t, 2.0, v["time_to_detect_minutes"])
	assert.Equal(t, 52.0, v["time_to_resolve_minutes"])
	assert.Equal(t, "resolved", v["status"])
	assert.Equal(t, []any{"자동화 도구", "수동 복구"}, v["recovery_steps"])
	var tl, system []map[string]any
	for _, e := range v["timeline"].([]any) {
		if e := e.(map[string]any); e["kind"] == "system" {
			system = append(system, e)
		} else {
			tl = append(tl, e)
		}
	}
	require.Len(t, tl, 1)
	ev := tl[0]
	assert.Equal(t, "경보 발생", ev["text"])
	assert.Equal(t, "detect", ev["kind"])
	assert.Equal(t, "2024-05-20T23:32:00Z", ev["at"])
	// The timeline tells the story: declared (at detection, being entered
	// afterwards), detection moved, resolved.
	require.Len(t, system, 3)
	assert.Contains(t, system[0]["text"], "declared SEV2: 로그인 실패 (recorded ")
	assert.Equal(t, "detected (moved from 2024-05-20 23:30:00 UTC)", system[1]["text"])
	assert.Equal(t, "resolved", system[2]["text"])
	assert.Equal(t, "2024-05-21T00:24:00Z", system[2]["at"])

	text := mustPM(t, db, "--tz", "Asia/Seoul", "show", id)
	assert.Contains(t, text, "2024-05-21 08:30 KST")
	assert.Contains(t, text, "54 min")
	list := mustPM(t, db, "list", "--open")
	assert.NotContains(t, list, "로그인 실패")
	assert.Contains(t, mustPM(t, db, "list"), "로그인 실패")
}

// TestKilledLogLosesNothing sends SIGKILL to some of 200 log calls while
// they write. Every call that exited 0 must have left its event exactly
// once; a killed one at most once; and the file must be sound.
func TestKilledLogLosesNothing(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "kill test"))

	const n, workers = 200, 4
	saved := make([]bool, n)
	killed, landed := 0, 0 // did not exit 0; ended by the kill signal
	var startErrs []error
	var mu sync.Mutex
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(seed int64) {
			defer wg.Done()
			rnd := rand.New(rand.NewSource(seed))
			for i := range jobs {
				cmd := exec.Command(bin, "--db", db, "log", id, "--kind", "action", fmt.Sprintf("event-%03d", i))
				if err := cmd.Start(); err != nil {
					// require would stop this goroutine, not the test:
					// the error is reported once all have ended.
					mu.Lock()
					startErrs = append(startErrs, err)
					mu.Unlock()
					continue
				}
				if i%3 == 0 {
					time.Sleep(time.Duration(rnd.Intn(12000)) * time.Microsecond)
					_ = cmd.Process.Kill()
				}
				err := cmd.Wait()
				mu.Lock()
				saved[i] = err == nil
				if err != nil {
					killed++
				}
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
						landed++
					}
				}
				mu.Unlock()
			}
		}(int64(w))
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	require.Empty(t, startErrs, "every log process started")
	t.Logf("%d of %d log calls did not exit 0, %d of them ended by the kill", killed, n, landed)
	// The test means something only if kills landed on running writers,
	// and writers that were left alone saved.
	require.Greater(t, landed, 10, "kills that landed")
	require.Greater(t, n-killed, n/2, "log calls that ran to the end")

	v := showJSONOf(t, db, id)
	count := map[string]int{}
	for _, e := range v["timeline"].([]any) {
		count[e.(map[string]any)["text"].(string)]++
	}
	for i := 0; i < n; i++ {
		text := fmt.Sprintf("event-%03d", i)
		if saved[i] {
			assert.Equal(t, 1, count[text], "%s exited 0 but is stored %d times", text, count[text])
		} else {
			assert.LessOrEqual(t, count[text], 1, "%s stored twice", text)
		}
	}

	raw, err := rawOpen(db)
	require.NoError(t, err)
	defer raw.Close()
	if !raw.pg {
		var check string
		require.NoError(t, raw.QueryRow("PRAGMA integrity_check").Scan(&check))
		assert.Equal(t, "ok", check)
	}
}

func TestBadInputsChangeNothing(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, db string) // prepares the file (after the fixture)
		args  []string
		want  string // in the one-line error
		file  bool   // the case is about a SQLite file
	}{
		{name: "time out of range", args: []string{"log", "1", "--at", "25:99", "x"}, want: `at: "25:99" is not a time; accepted: RFC 3339`},
		{name: "users affected 120", args: []string{"set", "1", "--users-affected", "120"}, want: "users-affected: 120 is out of range; accepted: 0 to 100"},
		{name: "resolved before started", args: []string{"resolve", "3", "--at", "2024-05-01 00:00"}, want: "resolved: 2024-05-01 00:00:00 +00:00 is before the start"},
		{name: "unknown severity", args: []string{"new", "--title", "x", "--severity", "SEV9"}, want: `severity: "SEV9" is not a severity; accepted: SEV1, SEV2, SEV3, SEV4`},
		{name: "unknown kind", args: []string{"log", "1", "--kind", "oops", "x"}, want: `kind: "oops" is not an event kind`},
		{name: "missing incident", args: []string{"log", "99", "x"}, want: "incident 99: not found"},
		{name: "missing related", args: []string{"set", "1", "--relates-to", "42"}, want: "related incident 42: not found"},
		{name: "bad id", args: []string{"show", "abc"}, want: `incident: "abc" is not an id`},
		{name: "bad zone", args: []string{"--tz", "Mars/Base", "log", "1", "x"}, want: `tz: "Mars/Base" is not a time zone`},
		{name: "event far in the future", args: []string{"log", "1", "--at", "2999-01-01 00:00", "x"}, want: "is in the future (now is "},
		{name: "import twice", args: []string{"import", "../../testdata/kakao-2024-05.json"}, want: "incident 1 already exists"},
		{
			name: "not a database",
			setup: func(t *testing.T, db string) {
				require.NoError(t, os.WriteFile(db, []byte(strings.Repeat("not sqlite\n", 500)), 0o600))
			},
			args: []string{"list"}, want: "not a SQLite database", file: true,
		},
		{
			name: "database from a newer postmortem",
			setup: func(t *testing.T, db string) {
				raw, err := rawOpen(db)
				require.NoError(t, err)
				newer := "PRAGMA user_version = 99"
				if raw.pg {
					newer = "UPDATE schema_version SET version = 99"
				}
				_, err = raw.Exec(newer)
				require.NoError(t, err)
				require.NoError(t, raw.Close())
			},
			args: []string{"list"}, want: "schema version 99, this build knows up to",
		},
		{
			name:  "read-only database",
			setup: func(t *testing.T, db string) { require.NoError(t, os.Chmod(db, 0o400)) },
			args:  []string{"log", "1", "x"}, want: "read-only", file: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := importFixture(t)
			if tt.file {
				db, _ = importFixtureFile(t) // what only a file can be
			}
			if tt.setup != nil {
				tt.setup(t, db)
			}
			before, err := contents(db)
			require.NoError(t, err)
			r := pm(t, db, tt.args...)
			assert.NotEqual(t, 0, r.code)
			assert.Empty(t, r.stdout)
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			assert.Len(t, lines, 1, "one line: %q", r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			assert.NotContains(t, r.stderr, "goroutine")
			after, err := contents(db)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(before, after), "database changed")
			for _, side := range []string{"-wal", "-journal"} {
				if fi, err := os.Stat(db + side); err == nil {
					assert.Zero(t, fi.Size(), "%s left behind with data", side)
				}
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	db := testdb.New(t)
	for _, args := range [][]string{{"bogus"}, {"log", "1"}, {"show", "--nope", "1"}} {
		r := pm(t, db, args...)
		assert.Equal(t, exitUsage, r.code, "%v", args)
		assert.Contains(t, r.stderr, "Usage:")
	}
}

func TestExportImportByteIdentical(t *testing.T) {
	db, _ := importFixture(t)
	mustPM(t, db, "log", "1", "--at", "2024-05-13T13:46:00+09:00", "--kind", "comms", "공지 🚨 | *bold* {{.x}}")
	first := mustPM(t, db, "export")
	dumpFile := filepath.Join(t.TempDir(), "backup.json")
	mustPM(t, db, "export", "-o", dumpFile)
	onDisk, err := os.ReadFile(dumpFile)
	require.NoError(t, err)
	assert.Equal(t, first, string(onDisk))

	fresh := filepath.Join(t.TempDir(), "fresh.db")
	mustPM(t, fresh, "import", dumpFile)
	assert.Equal(t, first, mustPM(t, fresh, "export"))
}

func TestDefaultDatabasePath(t *testing.T) {
	env := map[string]string{"HOME": "/home/ic"}
	get := func(k string) string { return env[k] }
	p, err := defaultDBPath(get)
	require.NoError(t, err)
	assert.Equal(t, "/home/ic/.local/share/postmortem/postmortem.db", p)
	env["XDG_DATA_HOME"] = "/data"
	p, _ = defaultDBPath(get)
	assert.Equal(t, "/data/postmortem/postmortem.db", p)
	env["POSTMORTEM_DB"] = "/x/pm.db"
	p, _ = defaultDBPath(get)
	assert.Equal(t, "/x/pm.db", p)
}

func TestReportCommand(t *testing.T) {
	db, ids := importFixture(t)
	md := mustPM(t, db, "--tz", "Asia/Seoul", "report", "postmortem", ids[2], "--lang", "en")
	assert.Contains(t, md, "# Postmortem: 카카오톡 PC 로그인 실패 및 모바일 메시지 지연")
	assert.Contains(t, md, "| Length | 54 min |")

	out := filepath.Join(t.TempDir(), "pm.pdf")
	mustPM(t, db, "--tz", "Asia/Seoul", "report", "postmortem", ids[2], "--format", "pdf", "-o", out)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
	text, err := exec.Command("pdftotext", out, "-").Output()
	require.NoError(t, err)
	assert.Contains(t, string(text), "장애 보고서")

	r := pm(t, db, "report", "postmortem", ids[0], "--format", "odt")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, `format: "odt" is not a format; accepted: md, html, pdf, docx`)
	r = pm(t, db, "report", "postmortem", "42")
	assert.Contains(t, r.stderr, "incident 42: not found")
}

func TestAuthorFallsBackToTheAccount(t *testing.T) {
	f := newFactory(nil, nil, nil, func(string) string { return "" })
	assert.NotEmpty(t, f.Author(), "no $USER: the account's login name")
	f = newFactory(nil, nil, nil, func(k string) string { return map[string]string{"USER": "u", "POSTMORTEM_AUTHOR": "ic"}[k] })
	assert.Equal(t, "ic", f.Author())
}

// The same record and date give the same PDF bytes from two processes:
// nothing of a run (map order, a clock, a temporary name) leaks into the
// document, so a document can be made again and compared.
func TestPDFIsDeterministic(t *testing.T) {
	db, _ := importFixture(t)
	dir := t.TempDir()
	var files [2][]byte
	for i := range files {
		path := filepath.Join(dir, fmt.Sprintf("%d.pdf", i))
		r := pmProcess(t, db, "--tz", "Asia/Seoul", "report", "postmortem", "3", "--lang", "ko", "--date", "2024-06-03", "--format", "pdf", "-o", path)
		require.Equal(t, 0, r.code, r.stderr)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		files[i] = b
	}
	require.Greater(t, len(files[0]), 10_000)
	assert.True(t, bytes.Equal(files[0], files[1]), "two runs made different PDFs")

	// The quarterly review carries four charts of one size: they are
	// written in the same order every time (a map's order once decided
	// it, and two runs in three differed).
	var quarterly [4][]byte
	for i := range quarterly {
		path := filepath.Join(dir, fmt.Sprintf("q%d.pdf", i))
		r := pmProcess(t, db, "--tz", "Asia/Seoul", "report", "quarterly", "2024Q2", "--date", "2024-07-01", "--format", "pdf", "-o", path)
		require.Equal(t, 0, r.code, r.stderr)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		quarterly[i] = b
		assert.True(t, bytes.Equal(quarterly[0], b), "quarterly run %d made a different PDF", i+1)
	}
}

// report -o FILE takes its format from the file's extension; a --format
// at odds with it is refused before anything is written.
func TestReportFormatFromTheFile(t *testing.T) {
	db, ids := importFixture(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "postmortem.pdf")
	mustPM(t, db, "report", "postmortem", ids[0], "-o", pdf)
	b, err := os.ReadFile(pdf)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("%PDF-")), "a PDF, not Markdown named .pdf")
	html := filepath.Join(dir, "postmortem.html")
	mustPM(t, db, "report", "postmortem", ids[0], "-o", html)
	b, err = os.ReadFile(html)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<html")
	notes := filepath.Join(dir, "notes.txt") // not a postmortem format: written as --format says (md)
	mustPM(t, db, "report", "postmortem", ids[0], "-o", notes)
	b, err = os.ReadFile(notes)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("# ")), "Markdown")
	odd := filepath.Join(dir, "odd.pdf")
	r := pm(t, db, "report", "postmortem", ids[0], "--format", "md", "-o", odd)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "format: md, but the file")
	_, err = os.Stat(odd)
	assert.True(t, os.IsNotExist(err), "nothing written")
}
