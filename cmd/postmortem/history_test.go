package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"github.com/postmortem/postmortem/incident/testdb"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestManyWritersOneIncident runs 8 processes of the binary at once, each
// logging 60 events to one incident, one process an event: all 480 are
// stored, once each, nothing is printed on stderr, and the history
// verifies. Processes, not goroutines: SQLite's locks between processes
// are what a team's terminals meet.
func TestManyWritersOneIncident(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "many writers"))
	const writers, each = 8, 60
	var wg sync.WaitGroup
	failures := make(chan string, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				r := pmProcess(t, db, "log", id, fmt.Sprintf("w%d-%d", w, i))
				if r.code != 0 || r.stderr != "" || strings.TrimSpace(r.stdout) == "" {
					failures <- fmt.Sprintf("w%d-%d: exit %d: %s", w, i, r.code, r.stderr)
				}
			}
		}(w)
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	raw, err := rawOpen(db)
	require.NoError(t, err)
	defer raw.Close()
	var n, distinct int
	require.NoError(t, raw.QueryRow(`SELECT count(*), count(DISTINCT text) FROM events WHERE kind = 'note'`).Scan(&n, &distinct))
	assert.Equal(t, writers*each, n)
	assert.Equal(t, n, distinct, "no event stored twice")
	out := mustPM(t, db, "verify")
	assert.Contains(t, out, "intact")
}

func TestVerifyFromTheCommandLine(t *testing.T) {
	db, ids := importFixture(t)
	evID := strings.TrimSpace(mustPM(t, db, "log", ids[0], "--kind", "action", "failover started"))
	require.Regexp(t, `^\d+$`, evID, "log prints the new event's id")
	out := mustPM(t, db, "verify")
	head := regexp.MustCompile(`head ([0-9a-f]{64})`).FindStringSubmatch(out)
	require.NotNil(t, head, out)

	raw, err := rawOpen(db)
	require.NoError(t, err)
	defer raw.Close()

	t.Run("appending keeps the old head on the chain", func(t *testing.T) {
		mustPM(t, db, "log", ids[0], "more")
		r := pm(t, db, "verify", "--head", head[1])
		assert.Equal(t, 0, r.code, r.stderr)
	})
	t.Run("a text changed with plain SQL is named", func(t *testing.T) {
		_, err := raw.Exec(`UPDATE events SET text = 'failover finished' WHERE id = ?`, evID)
		require.NoError(t, err)
		r := pm(t, db, "verify")
		assert.Equal(t, exitBroken, r.code)
		assert.Contains(t, r.stderr, "event "+evID+": text is \"failover finished\" in the database but \"failover started\" in the history")
		var v struct {
			OK      bool   `json:"ok"`
			Problem string `json:"problem"`
		}
		r = pm(t, db, "verify", "--json")
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
		assert.False(t, v.OK)
		assert.Contains(t, v.Problem, "event "+evID)
		_, err = raw.Exec(`UPDATE events SET text = 'failover started' WHERE id = ?`, evID)
		require.NoError(t, err)
		assert.Equal(t, 0, pm(t, db, "verify").code)
	})
	t.Run("a deleted tail fails --head", func(t *testing.T) {
		out := mustPM(t, db, "verify")
		m := regexp.MustCompile(`(\d+) history rows, head ([0-9a-f]{64})`).FindStringSubmatch(out)
		rows, last := m[1], m[2]
		_, err := raw.Exec(`DROP TRIGGER history_no_delete; DELETE FROM history WHERE seq = (SELECT max(seq) FROM history)`)
		require.NoError(t, err)
		r := pm(t, db, "verify", "--head", last)
		assert.Equal(t, exitBroken, r.code)
		assert.Contains(t, r.stderr, "head "+last[:12]+" is not on the chain: the history was cut or rewritten")
		r = pm(t, db, "verify", "--head", rows+":"+strings.ToUpper(last))
		assert.Equal(t, exitBroken, r.code)
		assert.Contains(t, r.stderr, "rows "+rows+" to "+rows+" were removed")
	})
}

func TestTheTimelineTellsTheStory(t *testing.T) {
	db := testdb.New(t)
	tz := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(tz, args...)...) }
	id := strings.TrimSpace(run("new", "--title", "메시지 송수신 실패", "--severity", "SEV2", "--started", "2024-05-20 14:52"))
	run("set", id, "--severity", "SEV1", "--reason", "80% of users")
	run("set", id, "--mitigated", "2024-05-20 14:57")
	run("resolve", id, "--at", "2024-05-20 14:58")
	ev := strings.TrimSpace(run("log", id, "--at", "2024-05-20 14:55", "--kind", "comms", "공지 게시"))
	run("log", id, "--edit", ev, "--reason", "wording", "공식 채널에 공지 게시")
	wrong := strings.TrimSpace(run("log", id, "--at", "2024-05-20 14:56", "다른 장애 기록"))
	run("log", id, "--retract", wrong, "--reason", "다른 장애에 남길 기록")

	var v struct {
		Timeline []struct {
			ID            int64  `json:"id"`
			Kind          string `json:"kind"`
			Text          string `json:"text"`
			RetractedAt   string `json:"retracted_at"`
			RetractReason string `json:"retract_reason"`
		} `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal([]byte(run("show", id, "--json")), &v))
	var system []string
	found := false
	for _, e := range v.Timeline {
		assert.NotZero(t, e.ID, "events carry their ids")
		if e.Kind == "system" {
			system = append(system, e.Text)
		}
		if fmt.Sprint(e.ID) == wrong {
			found = true
			assert.NotEmpty(t, e.RetractedAt)
			assert.Equal(t, "다른 장애에 남길 기록", e.RetractReason)
		}
	}
	assert.True(t, found, "the retracted event stays")
	assert.Contains(t, system, "severity SEV2 → SEV1")
	assert.Contains(t, system, "mitigated")
	assert.Contains(t, system, "resolved")

	var hist []struct {
		Entity, Field, Reason string
		Old, New              *string
	}
	require.NoError(t, json.Unmarshal([]byte(run("history", id, "--json")), &hist))
	seen := map[string][2]string{}
	for _, c := range hist {
		if c.Old != nil && c.New != nil {
			seen[c.Entity+"."+c.Field] = [2]string{*c.Old, *c.New}
		} else if c.New != nil {
			seen[c.Entity+"."+c.Field] = [2]string{"", *c.New}
		}
		if c.Entity == "incident" && c.Field == "severity" {
			assert.Equal(t, "80% of users", c.Reason)
		}
	}
	assert.Equal(t, [2]string{"SEV2", "SEV1"}, seen["incident.severity"])
	assert.Equal(t, [2]string{"", "2024-05-20T05:57:00Z"}, seen["incident.mitigated_at"])
	assert.Equal(t, [2]string{"", "2024-05-20T05:58:00Z"}, seen["incident.resolved_at"])
	assert.Equal(t, [2]string{"mitigated", "resolved"}, seen["incident.status"])
	assert.Equal(t, [2]string{"공지 게시", "공식 채널에 공지 게시"}, seen["event.text"], "an edited event keeps its earlier wording")

	text := run("show", id)
	assert.Contains(t, text, "[retracted: 다른 장애에 남길 기록] 다른 장애 기록")
	assert.Contains(t, text, "· severity SEV2 → SEV1")
	h := run("history", id)
	assert.Contains(t, h, "80% of users")
	assert.Contains(t, h, "2024-05-20 14:57:00", "a time in the history reads in --tz, as everywhere")
	assert.NotContains(t, h, "2024-05-20T05:57:00Z")

	md := run("report", "postmortem", id, "--lang", "en")
	assert.Contains(t, md, "~~다른 장애 기록~~ (retracted: 다른 장애에 남길 기록)")
	assert.Contains(t, md, "| record change | severity SEV2 → SEV1 |")
	assert.Contains(t, run("verify"), "intact")
}

// TestCorrectionAsOf: measures done on 07-10 and 08-10 with evidence of
// those days, all entered today, counted as the report's date says.
func TestCorrectionAsOf(t *testing.T) {
	db, ids := importFixture(t)
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	first := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--area", "pretest", "--owner", "인프라팀", "--due", "2024-08-15", "운영 환경과 같은 시험 환경 구축"))
	second := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--area", "change-control", "--owner", "변경관리위원회", "--due", "2024-08-15", "작업 통제 절차 시행"))
	mustPM(t, db, "action", "update", first, "--done", "2024-07-10", "--evidence", "7월 시험 결과 보고서")
	mustPM(t, db, "action", "update", second, "--done", "2024-08-10", "--evidence", "8월 작업 통제 회의록")

	july := mustPM(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--lang", "en", "--as-of", "2024-07-20")
	assert.Contains(t, july, "| Date | Saturday 20 July 2024 |", "dated the day it is as of")
	assert.NotContains(t, july, "as of", "a document dated the day it shows says so by its date alone")
	later := mustPM(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--lang", "en", "--as-of", "2024-07-20", "--date", "2024-09-02")
	assert.Contains(t, later, "\nas of 2024-07-20\n", "dated later than the state it shows: said")
	assert.Contains(t, july, "As of 20 July 2024, 1 of 2 measures is done: 50%")
	assert.Contains(t, july, "| 운영 환경과 같은 시험 환경 구축 | 인프라팀 | 15 August 2024 | done | 10 July 2024 | 7월 시험 결과 보고서 |")
	assert.Contains(t, july, "| 작업 통제 절차 시행 | 변경관리위원회 | 15 August 2024 | in progress | — | — |")
	assert.NotContains(t, july, "8월 작업 통제 회의록", "August evidence is not there in July")
	assert.NotContains(t, july, "10 August 2024")

	sept := mustPM(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--lang", "en", "--as-of", "2024-09-02")
	assert.Contains(t, sept, "2 of 2 measures are done")
	assert.Contains(t, sept, "8월 작업 통제 회의록")

	dated := mustPM(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--lang", "en", "--date", "2024-07-20")
	assert.Contains(t, dated, "1 of 2 measures is done", "--date alone shows the state at the end of that day")

	r := pm(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--date", "2024-07-01", "--as-of", "2024-07-20")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "a document dated 2024-07-01 cannot show the state of 2024-07-20")

	var o struct {
		AsOf         string `json:"as_of"`
		Deliverables []struct {
			Kind, Status string
		} `json:"deliverables"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "--tz", "Asia/Seoul", "order", "show", order, "--json", "--as-of", "2024-06-20")), &o))
	assert.Equal(t, "2024-06-20T23:59:59+09:00", o.AsOf)
	for _, d := range o.Deliverables {
		if d.Kind == "improvement-plan" {
			assert.Equal(t, "open", d.Status, "due 07-01: still open on 06-20")
		}
	}
	r = pm(t, db, "show", ids[0], "--as-of", "2999-01-01 00:00")
	assert.Contains(t, r.stderr, "as-of:")
}

// TestOtherFilesUntouched tries every command on another program's SQLite
// file and on a database from a newer postmortem: both stay byte for byte.
func TestOtherFilesUntouched(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	raw, err := sql.Open("sqlite3", other)
	require.NoError(t, err)
	_, err = raw.Exec(`CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep')`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	newer, _ := importFixtureFile(t)
	raw, err = sql.Open("sqlite3", newer)
	require.NoError(t, err)
	_, err = raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	fixture := fixturePath(t)
	for _, db := range []string{other, newer} {
		before, err := contents(db)
		require.NoError(t, err)
		for _, args := range [][]string{
			{"list"}, {"show", "1"}, {"new", "--title", "x"}, {"log", "1", "x"}, {"set", "1", "--severity", "SEV1"},
			{"resolve", "1"}, {"export"}, {"import", fixture}, {"deadlines"}, {"order", "list"}, {"history", "1"},
			{"verify"}, {"backup", filepath.Join(dir, "copy.db")}, {"report", "postmortem", "1"},
		} {
			r := pm(t, db, args...)
			assert.NotEqual(t, 0, r.code, "%v on %s", args, filepath.Base(db))
			after, err := contents(db)
			require.NoError(t, err)
			assert.Equal(t, before, after, "%v changed %s", args, filepath.Base(db))
		}
		_, err = os.Stat(filepath.Join(dir, "copy.db"))
		assert.True(t, os.IsNotExist(err))
	}
	r := pm(t, other, "list")
	assert.Contains(t, r.stderr, "not a postmortem database")
	r = pm(t, ":memory:", "new", "--title", "gone")
	assert.Contains(t, r.stderr, `":memory:" is not a file`)
	assert.Empty(t, r.stdout)
}

func TestBackupCommand(t *testing.T) {
	db, _ := importFixtureFile(t) // a server is backed up by its own tools
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	out := mustPM(t, db, "backup", copyPath)
	assert.Contains(t, out, "history rows, head")
	assert.Equal(t, mustPM(t, db, "export"), mustPM(t, copyPath, "export"), "the copy holds the same records and history")
	assert.Contains(t, mustPM(t, copyPath, "verify"), "intact")

	require.NoError(t, os.Chmod(copyPath, 0o400))
	r := pm(t, db, "backup", copyPath)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "read-only; it is not replaced")
}

// TestExportCarriesTheHistory: a restored export verifies and exports to
// the same bytes; a file whose chain was tampered with is refused whole.
func TestExportCarriesTheHistory(t *testing.T) {
	db, ids := importFixture(t)
	mustPM(t, db, "set", ids[0], "--severity", "SEV2", "--reason", "reassessed")
	first := mustPM(t, db, "export")
	assert.Contains(t, first, `"history": [`)
	fresh := filepath.Join(t.TempDir(), "restored.db")
	in := filepath.Join(t.TempDir(), "export.json")
	require.NoError(t, os.WriteFile(in, []byte(first), 0o600))
	mustPM(t, fresh, "import", in)
	assert.Equal(t, first, mustPM(t, fresh, "export"))
	assert.Contains(t, mustPM(t, fresh, "verify"), "intact")

	tampered := strings.Replace(first, `"reason":"reassessed"`, `"reason":"nobody asked"`, 1)
	require.NotEqual(t, first, tampered)
	require.NoError(t, os.WriteFile(in, []byte(tampered), 0o600))
	other := filepath.Join(t.TempDir(), "other.db")
	r := pm(t, other, "import", in)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "the file's history is broken")

	// The records changed but not their history: refused too.
	edited := strings.Replace(first, `"title":"카카오톡 메시지 발송 지연 및 실패"`, `"title":"다른 제목"`, 1)
	require.NotEqual(t, first, edited)
	require.NoError(t, os.WriteFile(in, []byte(edited), 0o600))
	r = pm(t, other, "import", in)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "do not agree with its history")
}

// A link made by mistake is undone from the command line too, with the
// timeline saying which, and the history keeping both.
func TestUnrelate(t *testing.T) {
	db, ids := importFixture(t)
	r := pm(t, db, "set", ids[2], "--unrelate", ids[0])
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "unrelate: incident "+ids[2]+" is not linked to #"+ids[0]+"; linked: #"+ids[1])
	mustPM(t, db, "set", ids[2], "--unrelate", ids[1])
	out := mustPM(t, db, "show", ids[2])
	assert.Contains(t, out, "related incidents: #"+ids[1]+" → —")
	assert.Contains(t, mustPM(t, db, "verify"), "intact")
}

// --known-at and --as-of take a date or a time: text in neither form is
// told both, and a time refused for what it is keeps its own words (one
// the zone skips, one it repeats), not "not a date or time".
func TestPointTimesSayWhyRefused(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "zones"))
	for _, c := range []struct{ value, says string }{
		{"2024-03-10 02:30", "does not exist in America/New_York"},
		{"2024-11-03 01:30", "happens twice in America/New_York"},
		{"soon", `"soon" is not a date or time; accepted: YYYY-MM-DD (its end) or`},
		{"2099-01-01", "is in the future"},
	} {
		for _, flag := range []string{"--known-at", "--as-of"} {
			r := pm(t, db, "--tz", "America/New_York", "show", id, flag, c.value)
			assert.Equal(t, 1, r.code, "%s %s: %s", flag, c.value, r.stderr)
			assert.Contains(t, r.stderr, c.says, "%s %s", flag, c.value)
		}
	}
	r := pm(t, db, "--tz", "America/New_York", "deadlines", "--at", "2024-03-10 02:30")
	assert.Contains(t, r.stderr, "does not exist in America/New_York", "deadlines --at too")
	r = pm(t, db, "--tz", "America/New_York", "deadlines", "--at", "soon")
	assert.Contains(t, r.stderr, `"soon" is not a date; accepted: YYYY-MM-DD or`)
}
