package main

import (
	"encoding/json"
	"fmt"
	"github.com/postmortem/postmortem/incident/testdb"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A false alarm, a declaration cancelled and a duplicate end properly:
// they release the gate, owe no duty, stay out of the figures and the
// quarterly review, and carry the reason on the timeline; reopened, they
// count again.
func TestFalseAlarmsEndProperly(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	stats := func() (n int, minutes float64) {
		var v struct {
			Incidents     int     `json:"incidents"`
			OutageMinutes float64 `json:"outage_minutes"`
		}
		require.NoError(t, json.Unmarshal([]byte(run("stats", "2024Q2", "--json")), &v))
		return v.Incidents, v.OutageMinutes
	}
	n0, m0 := stats()
	require.Equal(t, 3, n0)

	// An alarm declared on a bound service: it blocks work and owes the
	// notices until it is found to be no outage.
	run("service", "set", "internal-lb", "--regime", "kr-msit")
	alarm := strings.TrimSpace(run("new", "--title", "LB 경보", "--service", "internal-lb", "--severity", "SEV1", "--started", "-20m"))
	assert.Equal(t, 4, pm(t, db, append(kst, "gate", "--service", "internal-lb")...).code, "blocked while open")
	assert.Contains(t, run("deadlines"), "#"+alarm)

	r := pm(t, db, append(kst, "close", alarm, "--as", "false-alarm")...)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "--reason", "the reason is asked")
	run("close", alarm, "--as", "false-alarm", "--reason", "헬스체크 설정 오류, 실제 장애 아님")
	assert.Equal(t, 0, pm(t, db, append(kst, "gate", "--service", "internal-lb")...).code, "the gate is released")
	assert.NotContains(t, run("deadlines"), "#"+alarm, "no duty is owed")
	shown := run("show", alarm)
	assert.Contains(t, shown, "status        false-alarm, SEV1")
	assert.Contains(t, shown, "closed as false-alarm: 헬스체크 설정 오류, 실제 장애 아님", "the reason on the timeline")
	n, m := stats()
	assert.Equal(t, n0, n, "not in the figures")
	assert.Equal(t, m0, m)

	// A duplicate names the incident it repeats, which must exist, and is
	// linked to it; the fixture's 05-21 incident is taken out of the count.
	r = pm(t, db, append(kst, "close", ids[2], "--as", "duplicate", "--of", "99", "--reason", "중복")...)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "of: incident 99 does not exist")
	r = pm(t, db, append(kst, "close", ids[2], "--as", "duplicate", "--reason", "중복")...)
	assert.Contains(t, r.stderr, "give --of ID")
	run("close", ids[2], "--as", "duplicate", "--of", ids[1], "--reason", "같은 장애를 두 번 선언")
	v := showJSONOf(t, db, ids[2])
	assert.Equal(t, "duplicate", v["closed_as"])
	assert.EqualValues(t, 2, v["duplicate_of"])
	assert.Contains(t, v["related"], any(2.0), "linked to the one it repeats")
	n, _ = stats()
	assert.Equal(t, n0-1, n, "a duplicate is counted once, as the one it repeats")
	q := filepath.Join(t.TempDir(), "q.md")
	run("report", "quarterly", "2024Q2", "-o", q)
	assert.Equal(t, 0, pm(t, db, "verify").code, "the history holds every closure")

	// Reopened, with the reason: counted again.
	r = pm(t, db, append(kst, "close", ids[2], "--reopen")...)
	assert.Contains(t, r.stderr, "--reason")
	run("close", ids[2], "--reopen", "--reason", "별개 장애로 확인")
	n, _ = stats()
	assert.Equal(t, n0, n)
	assert.Contains(t, run("show", ids[2]), "reopened (was closed as duplicate): 별개 장애로 확인")
}

// set --if-version: a script's save built on an older version of the
// incident than the stored one is refused, saying what changed since, by
// whom and when, and nothing is written; on the version it read, it saves.
func TestSetIfVersion(t *testing.T) {
	db := testdb.New(t)
	kst := []string{"--tz", "Asia/Seoul"}
	id := strings.TrimSpace(mustPM(t, db, append(kst, "new", "--title", "결제 지연", "--severity", "SEV3", "--users-affected", "8")...))
	version := func() float64 { return showJSONOf(t, db, id)["version"].(float64) }
	read := version()
	require.Positive(t, read)

	// Another changes the users affected meanwhile.
	r := pmProcess(t, db, "set", id, "--users-affected", "12")
	require.Equal(t, 0, r.code, r.stderr)

	r = pm(t, db, append(kst, "set", id, "--if-version", fmt.Sprint(read), "--users-affected", "9")...)
	assert.Equal(t, 6, r.code, "a stale save has its own exit code")
	assert.Contains(t, r.stderr, "changed since version")
	assert.Contains(t, r.stderr, "users_affected_pct 8 → 12 by tester at", "what changed, by whom")
	assert.Contains(t, r.stderr, "nothing was saved")
	assert.Equal(t, 1, strings.Count(r.stderr, "changed since version"), "said once")
	assert.Equal(t, 12.0, showJSONOf(t, db, id)["users_affected_pct"], "not overwritten")

	now := version()
	assert.Greater(t, now, read)
	mustPM(t, db, "set", id, "--if-version", fmt.Sprint(now), "--users-affected", "9")
	assert.Equal(t, 9.0, showJSONOf(t, db, id)["users_affected_pct"], "built on what is stored, it saves")
}

// action update --if-version: a measure carries a version too, and a save
// built on an older one is refused the same way, naming what changed.
func TestActionIfVersion(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "결제 지연", "--started", "2024-05-01 00:00"))
	measure := strings.TrimSpace(mustPM(t, db, "action", "add", "--incident", id, "--area", "monitoring", "--owner", "인프라팀", "--due", "2030-01-01", "경보 추가"))
	version := func() float64 {
		var list []map[string]any
		require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "action", "list", "--json")), &list))
		require.Len(t, list, 1)
		return list[0]["version"].(float64)
	}
	read := version()
	require.Positive(t, read)

	r := pmProcess(t, db, "action", "update", measure, "--owner", "플랫폼팀")
	require.Equal(t, 0, r.code, r.stderr)

	r = pm(t, db, "action", "update", measure, "--if-version", fmt.Sprint(read), "--owner", "보안팀")
	assert.Equal(t, 6, r.code, "a stale save has its own exit code")
	assert.Contains(t, r.stderr, "action "+measure+" changed since version")
	assert.Contains(t, r.stderr, "owner 인프라팀 → 플랫폼팀 by tester at")
	assert.Contains(t, r.stderr, "nothing was saved")
	assert.Contains(t, mustPM(t, db, "action", "list"), "플랫폼팀", "not overwritten")

	now := version()
	assert.Greater(t, now, read)
	mustPM(t, db, "action", "update", measure, "--if-version", fmt.Sprint(now), "--owner", "보안팀")
	assert.Contains(t, mustPM(t, db, "action", "list"), "보안팀", "built on what is stored, it saves")
}
