package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident/testdb"
)

// pmAt is pm with the factory's clock stopped at now, so two runs write
// the same history, stamp for stamp.
func pmAt(t testing.TB, now time.Time, db string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"POSTMORTEM_DB": "", "TZ": "UTC", "USER": "tester"}
	f := newFactory(strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	f.now = func() time.Time { return now }
	code := execute(context.Background(), append([]string{"--db", db, "--tz", "Asia/Seoul"}, args...), f)
	require.Equal(t, 0, code, "postmortem %s: %s", strings.Join(args, " "), errOut.String())
	return strings.TrimSpace(out.String())
}

var headOf = regexp.MustCompile(`head ([0-9a-f]{64})`)

// The May 2024 case typed in through the command line gives the same
// export, byte for byte, and the same history head on every engine: a file
// beside a database of the suite's engine (PostgreSQL on its second run).
func TestSameCaseSameBytesOnEachEngine(t *testing.T) {
	now := time.Date(2024, 9, 2, 1, 0, 0, 0, time.UTC)
	enter := func(db string) (string, string) {
		run := func(args ...string) string { return pmAt(t, now, db, args...) }
		run("org", "set", "--name", "주식회사 카카오", "--doc-prefix", "서비스안정화실")
		run("service", "set", "카카오톡", "--group", "pangyo-dc")
		id := run("new", "--title", "카카오톡 메시지 수발신 지연", "--service", "카카오톡", "--severity", "SEV2",
			"--started", "2024-05-13 13:00", "--users-affected", "15")
		run("log", id, "--at", "2024-05-13 13:05", "--kind", "detect", "메시지 \"지연\" 경보\t(모니터링)")
		run("log", id, "--at", "2024-05-13 13:30", "--kind", "action", "서버 재기동")
		run("set", id, "--detected", "2024-05-13 13:05", "--cause", "Java 업데이트 후 메모리 부족", "--severity", "SEV1")
		run("resolve", id, "--at", "2024-05-13 14:14")
		order := run("order", "new", "--received", "2024-05-31", "--incidents", id, "--reference", "과기정통부-2024-1")
		run("order", "finding", order, "--area", "pretest", "시험 환경 미비")
		measure := run("action", "add", "--order", order, "--area", "pretest", "--owner", "인프라팀", "--due", "2024-08-15", "시험 환경 구축")
		run("action", "update", measure, "--done", "2024-07-10", "--evidence", "7월 시험 결과 보고서")
		return run("export"), headOf.FindStringSubmatch(run("verify"))[1]
	}
	fileExport, fileHead := enter(filepath.Join(t.TempDir(), "pm.db"))
	engineExport, engineHead := enter(testdb.New(t))
	assert.Equal(t, fileExport, engineExport, "the export on %s", testdb.Engine())
	assert.Equal(t, fileHead, engineHead, "the history head on %s", testdb.Engine())
	assert.Contains(t, fileExport, "메시지 \\\"지연\\\" 경보\\t(모니터링)")
}

// copy moves everything, history included, SQLite → the suite's engine →
// SQLite: the export is the same bytes at each step, the head the same,
// and a target that holds anything is refused untouched.
func TestCopyRoundTrip(t *testing.T) {
	src, _ := importFixtureFile(t)
	mustPM(t, src, "log", "1", "--at", "2024-05-13 13:50", "복구 확인")
	want := mustPM(t, src, "export")
	head := headOf.FindStringSubmatch(mustPM(t, src, "verify"))[1]

	mid := testdb.New(t)
	out := mustPM(t, "", "copy", "--from", src, "--to", mid)
	assert.Contains(t, out, "copied 3 incidents with ")
	assert.Contains(t, out, "head "+head+" on both; the copy verifies")
	assert.Equal(t, want, mustPM(t, mid, "export"))

	back := filepath.Join(t.TempDir(), "back.db")
	mustPM(t, "", "copy", "--from", mid, "--to", back)
	assert.Equal(t, want, mustPM(t, back, "export"))
	assert.Contains(t, mustPM(t, back, "verify"), head)

	before, err := contents(mid)
	require.NoError(t, err)
	r := pm(t, "", "copy", "--from", back, "--to", mid)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "already holds a record")
	after, err := contents(mid)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a refused copy changes nothing")
}
