package main

import (
	"encoding/json"
	"github.com/postmortem/postmortem/incident/testdb"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 2024-05-20/21: the 05-20 fault on the internal load balancer was not
// resolved when a Java update went ahead on a server in the same data
// centre. The gate stops that update while the fault is open.
func TestGateStopsWorkBesideAnOpenIncident(t *testing.T) {
	db := testdb.New(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	run("service", "set", "internal-lb", "--group", "pangyo-dc", "--owner", "인프라팀")
	run("service", "set", "java-api", "--group", "pangyo-dc,java-fleet")
	run("service", "set", "search", "--group", "gasan-dc")
	lb := strings.TrimSpace(run("new", "--title", "내부 LB 장애", "--service", "internal-lb", "--severity", "SEV1",
		"--started", "2024-05-20 14:52"))

	r := pm(t, db, append(kst, "gate", "--service", "java-api")...)
	assert.Equal(t, 4, r.code, "blocked: %s", r.stdout)
	assert.Contains(t, r.stdout, "BLOCKED")
	assert.Contains(t, r.stdout, "incident #"+lb+" 내부 LB 장애")
	assert.Contains(t, r.stdout, "internal-lb")

	var g struct {
		Blocked   bool
		Reach     []string
		Incidents []struct {
			ID       int64
			Services []string
		}
	}
	r = pm(t, db, "gate", "--service", "java-api", "--json")
	assert.Equal(t, 4, r.code)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &g))
	assert.True(t, g.Blocked)
	assert.Equal(t, []string{"internal-lb", "java-api"}, g.Reach, "the services of its groups, not search's")
	require.Len(t, g.Incidents, 1)
	assert.Equal(t, []string{"internal-lb"}, g.Incidents[0].Services)

	// Another data centre is not held up.
	assert.Equal(t, 0, pm(t, db, "gate", "--service", "search").code)

	// Going ahead anyway is recorded on the blocking incident.
	r = pm(t, db, "--tz", "Asia/Seoul", "gate", "--service", "java-api", "--override", "보안 패치, 당직 책임자 승인")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "OVERRIDDEN")
	tl := run("show", lb)
	assert.Contains(t, tl, "work gate overridden for java-api by tester: 보안 패치, 당직 책임자 승인")

	run("resolve", lb, "--at", "2024-05-20 14:58")
	r = pm(t, db, "gate", "--service", "java-api")
	assert.Equal(t, 0, r.code, r.stdout)
	assert.Contains(t, r.stdout, "clear")

	// A freeze on the group blocks it too, until it is ended.
	fr := strings.TrimSpace(run("freeze", "add", "--group", "pangyo-dc", "--to", "2099-01-01", "연말 트래픽 집중 기간"))
	r = pm(t, db, "gate", "--service", "java-api")
	assert.Equal(t, 4, r.code)
	assert.Contains(t, r.stdout, "freeze "+fr+" on group pangyo-dc")
	assert.Equal(t, 0, pm(t, db, "gate", "--service", "search").code)
	run("freeze", "end", fr)
	assert.Equal(t, 0, pm(t, db, "gate", "--service", "java-api").code)
	assert.Contains(t, run("freeze", "list", "--all"), "ended")

	// A name the catalogue does not know is most likely a typo: the gate
	// fails closed, naming the services it knows. Case does not matter.
	r = pm(t, db, "gate", "--service", "java-apl")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "java-apl: not in the service catalogue; known: internal-lb, java-api, search")
	lb2 := strings.TrimSpace(run("new", "--title", "LB again", "--service", "Internal-LB", "--severity", "SEV2"))
	r = pm(t, db, "gate", "--service", "JAVA-API")
	assert.Equal(t, 4, r.code, "Internal-LB is internal-lb, JAVA-API is java-api")
	assert.Contains(t, r.stdout, "incident #"+lb2)
	run("resolve", lb2)
	// Without a catalogue, names are checked as they are, and said to be
	// unknown.
	bare := filepath.Join(t.TempDir(), "bare.db")
	mustPM(t, bare, "new", "--title", "x", "--service", "billing")
	r = pm(t, bare, "gate", "--service", "billing")
	assert.Equal(t, 4, r.code)
	assert.Contains(t, r.stdout, "billing is not in the service catalogue")

	// Nothing named, a bad name, no database: a clear refusal, and the
	// gate fails closed (a deploy script's "gate && deploy" stops).
	assert.Equal(t, 2, pm(t, db, "gate").code)
	missing := filepath.Join(t.TempDir(), "typo.db")
	r = pm(t, missing, "gate", "--service", "java-api")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "no database at")
	assert.NoFileExists(t, missing)
	empty := filepath.Join(t.TempDir(), "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	r = pm(t, empty, "gate", "--service", "java-api")
	assert.Equal(t, 1, r.code, "an empty file (a failed copy) is no database")
	fi, err := os.Stat(empty)
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "and it is left as it was")
	r = pm(t, db, "service", "set", "a,b")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "comma")
	r = pm(t, db, "service", "set", "java-api", "--regime", "kr-nope")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "kr-msit")
	assert.Contains(t, run("verify"), "intact")
}

// A service under kr-msit: declaring an incident on it starts the report to
// the ministry and the notice to users; they are overdue until met, and
// met by the records that meet them.
func TestDutiesStartByThemselves(t *testing.T) {
	db := testdb.New(t)
	run := func(args ...string) string { return mustPM(t, db, append([]string{"--tz", "Asia/Seoul"}, args...)...) }
	run("service", "set", "카카오톡", "--regime", "kr-msit", "--owner", "메시징팀")
	other := strings.TrimSpace(run("new", "--title", "사내 위키 지연", "--service", "wiki", "--severity", "SEV3", "--started", "2024-05-21 08:00"))
	id := strings.TrimSpace(run("new", "--title", "카카오톡 로그인 실패", "--service", "카카오톡", "--severity", "SEV1",
		"--started", "2024-05-21 08:30"))

	var duties []struct {
		Kind, Status, Regime, By string
	}
	require.NoError(t, json.Unmarshal([]byte(run("duty", "list", id, "--json")), &duties))
	kinds := map[string]string{}
	for _, d := range duties {
		kinds[d.Kind] = d.Status
		assert.Equal(t, "kr-msit", d.Regime)
	}
	assert.Equal(t, map[string]string{"ministry-report": "overdue", "user-notice": "overdue"}, kinds,
		"detection starts both; compensation waits for the resolution")
	assert.Contains(t, run("duty", "list", other), "no duties")

	r := pm(t, db, "deadlines", "--at", "2024-06-01", "--json")
	assert.Equal(t, 3, r.code)
	var items []struct {
		What, Kind string
		Incident   *int64
		Overdue    bool
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &items))
	require.Len(t, items, 2)
	for _, it := range items {
		assert.Equal(t, "duty", it.What)
		assert.True(t, it.Overdue)
	}

	run("log", id, "--notice", "users", "--at", "2024-05-21 09:10", "카카오톡 PC 로그인 장애 안내")
	r = pm(t, db, "deadlines", "--at", "2024-06-01")
	assert.Equal(t, 3, r.code, "the ministry report is still unmet")
	assert.NotContains(t, r.stdout, "user-notice")
	run("duty", "done", id, "ministry-report", "--at", "2024-05-21 10:00", "--ref", "과기정통부 접수 2024-0521")
	r = pm(t, db, "deadlines", "--at", "2024-06-01")
	assert.Equal(t, 0, r.code, r.stdout)
	// A mark is not replaced by accident: again is refused, --correct
	// replaces it; a duty met by a notice cannot be waived.
	r = pm(t, db, "duty", "done", id, "ministry-report", "--ref", "again")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "already met (marked done: 과기정통부 접수 2024-0521")
	assert.Contains(t, r.stderr, "--correct")
	r = pm(t, db, "duty", "waive", id, "user-notice", "--reason", "oops")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "already met (notice (event ")
	run("duty", "done", id, "ministry-report", "--at", "2024-05-21 10:00", "--ref", "과기정통부 접수 2024-0521 (정정)", "--correct")
	run("duty", "done", id, "ministry-report", "--at", "2024-05-21 10:00", "--ref", "과기정통부 접수 2024-0521", "--correct")

	// Resolving starts the compensation notice: 30 days, Civil Act count.
	run("resolve", id, "--at", "2024-05-21 09:24")
	r = pm(t, db, "deadlines", "--at", "2024-06-01")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "2024-06-20  ")
	assert.Contains(t, r.stdout, "compensation-notice")
	r = pm(t, db, "deadlines", "--at", "2024-06-21")
	assert.Equal(t, 3, r.code)

	v := showJSONOf(t, db, id)
	assert.Equal(t, 40.0, v["first_notice_minutes"])
	byKind := map[string]map[string]any{}
	for _, d := range v["duties"].([]any) {
		d := d.(map[string]any)
		byKind[d["kind"].(string)] = d
	}
	assert.Equal(t, "met", byKind["user-notice"]["status"], "without delay: 40 minutes after detection, within the regime's 1 h target")
	assert.Equal(t, 40.0, byKind["user-notice"]["took_minutes"])
	assert.Equal(t, "1h", byKind["user-notice"]["target"])
	// The organisation's own target judges it instead; --grace overrides both.
	run("org", "set", "--target", "user-notice=30m")
	status := func(args ...string) string {
		var ds []struct{ Kind, Status string }
		require.NoError(t, json.Unmarshal([]byte(run(append(args, "duty", "list", id, "--json")...)), &ds))
		for _, d := range ds {
			if d.Kind == "user-notice" {
				return d.Status
			}
		}
		return ""
	}
	assert.Equal(t, "late", status())
	assert.Equal(t, "met", status("--grace", "user-notice=2h"))
	r = pm(t, db, "--grace", "improvement-plan=2h", "duty", "list", id)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "not a without-delay duty; accepted: ministry-report, user-notice")
	r = pm(t, db, "org", "set", "--target", "user-notice=soon")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "target: user-notice=\"soon\" is not a duration")
	run("org", "set", "--target", "user-notice=")
	assert.Equal(t, "met", status())
	assert.Contains(t, byKind["user-notice"]["by"], "notice (event ")
	assert.Equal(t, "marked done: 과기정통부 접수 2024-0521", byKind["ministry-report"]["by"])

	// A duty that is not one, and a waiver without a reason, are refused.
	r = pm(t, db, "duty", "done", id, "press-release")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "accepted: ministry-report, user-notice, compensation-notice")
	r = pm(t, db, "duty", "waive", id, "compensation-notice")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "reason")
	run("duty", "waive", id, "compensation-notice", "--reason", "유료 이용자 피해 없음")
	assert.Equal(t, 0, pm(t, db, "deadlines", "--at", "2024-06-21").code)
	assert.Contains(t, run("show", id), "duty waived: Compensation notice (유료 이용자 피해 없음)")

	// A notice logged as anything but comms is refused, naming the fix.
	r = pm(t, db, "log", id, "--kind", "note", "--notice", "users", "x")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "--kind comms")
	assert.Contains(t, run("verify"), "intact")
}

// The notice to users from the command line: the stage follows the
// record, txt fits a status post, a stage the record does not allow is
// refused, and the notice is written where -o says.
func TestReportNotice(t *testing.T) {
	db, _ := importFixture(t)
	out := mustPM(t, db, "--tz", "Asia/Seoul", "report", "notice", "3", "--format", "txt")
	assert.Contains(t, out, "[카카오톡 PC, 카카오톡 모바일] 서비스 장애 복구 안내")
	assert.Contains(t, out, "08:30 ~ 09:24 (54분)")
	assert.LessOrEqual(t, len([]rune(out)), 1000)

	out = mustPM(t, db, "--tz", "Asia/Seoul", "report", "notice", "3", "--as-of", "2024-05-21 09:05", "--next", "20m",
		"--lang", "en", "--message", "Logging in from a PC fails; phones still work, with delays.")
	assert.Contains(t, out, "# 카카오톡 PC, 카카오톡 모바일: service disruption (update 2)")
	assert.Contains(t, out, "Next update: by 09:25 KST")
	assert.Contains(t, out, "Logging in from a PC fails")

	r := pm(t, db, "report", "notice", "3", "--stage", "start")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "--as-of")
	r = pm(t, db, "report", "notice", "3", "--format", "pdf")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "accepted: md, html, txt")

	// User text reaches no terminal raw, in any format; a cut is said.
	r = pm(t, db, "report", "notice", "3", "--message", "m\x1b]0;pwned\x07n", "--advice", "a\x1b[2Jb")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "\x1b")
	assert.Contains(t, r.stdout, `m\\x1b\]0;pwned\\x07n`, "shown escaped (and escaped again for Markdown)")
	r = pm(t, db, "report", "notice", "3", "--format", "txt", "--message", strings.Repeat("긴 안내문 ", 300))
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "the message was shortened to fit a status post")
	// Users read the services' public names.
	mustPM(t, db, "service", "set", "카카오톡 pc", "--public-name", "카카오톡 PC버전")
	assert.Contains(t, mustPM(t, db, "report", "notice", "3", "--format", "txt"), "[카카오톡 PC버전, 카카오톡 모바일]")
	r = pm(t, db, "--tz", "Asia/Seoul", "report", "notice", "3", "--as-of", "2024-05-21 08:00")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "had not started")

	path := filepath.Join(t.TempDir(), "notice.html")
	mustPM(t, db, "report", "notice", "2", "--format", "html", "-o", path)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<h1>[카카오톡] 서비스 장애 복구 안내</h1>")
	assert.NotContains(t, string(b), "이력 해시", "no internal words for users")
}

// The demo carries its own copy of the May 2024 fixture: the two must not
// drift apart.
func TestDemoIsTheFixture(t *testing.T) {
	want, err := os.ReadFile(fixturePath(t))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(demoData))
	assert.Equal(t, 2, pm(t, filepath.Join(t.TempDir(), "x.db"), "demo").code, "the demo needs a terminal and says so")
}

// stats and report quarterly from the command line, on the May 2024 case.
func TestStatsAndQuarterly(t *testing.T) {
	db, _ := importFixture(t)
	var v struct {
		Incidents     int     `json:"incidents"`
		OutageMinutes float64 `json:"outage_minutes"`
		Duration      struct {
			N      int
			Median float64 `json:"median_minutes"`
		} `json:"duration"`
		Resolve struct {
			Median float64 `json:"median_minutes"`
		} `json:"time_to_resolve"`
		Chains [][]int64 `json:"chains"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "--tz", "Asia/Seoul", "stats", "2024Q2", "--json")), &v))
	assert.Equal(t, 3, v.Incidents)
	assert.Equal(t, 66.0, v.OutageMinutes)
	assert.Equal(t, 6.0, v.Duration.Median)
	assert.Equal(t, 5.0, v.Resolve.Median)
	assert.Equal(t, [][]int64{{2, 3}}, v.Chains)
	out := mustPM(t, db, "--tz", "Asia/Seoul", "stats", "--from", "2024-05-20", "--to", "2024-05-21", "--service", "카카오톡 PC")
	assert.Contains(t, out, "incidents 1")
	path := filepath.Join(t.TempDir(), "q.pdf")
	mustPM(t, db, "--tz", "Asia/Seoul", "report", "quarterly", "2024Q2", "--format", "pdf", "-o", path)
	// The charts are images in the PDF: four of them (incidents and
	// minutes per month, per service, time to resolve), each 200 dpi.
	list, err := exec.Command("pdfimages", "-list", path).CombinedOutput()
	require.NoError(t, err, string(list))
	var charts int
	for _, line := range strings.Split(string(list), "\n") {
		if f := strings.Fields(line); len(f) > 13 && f[2] == "image" && f[12] == "200" {
			charts++
		}
	}
	assert.Equal(t, 4, charts, "the PDF carries its four charts:\n%s", list)
	r := pm(t, db, "stats", "2024Q7")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "accepted: YYYYQn")
	assert.Equal(t, 2, pm(t, db, "stats").code, "a quarter or a window is needed")
}

// A late measure's revised date and a withdrawn one's reason come from the
// command line, and neither is taken without its reason.
func TestMeasureReasons(t *testing.T) {
	db, ids := importFixture(t)
	a := strings.TrimSpace(mustPM(t, db, "action", "add", "--incident", ids[2], "--area", "change-control", "--owner", "변경관리위원회",
		"--due", "2024-08-15", "작업 통제 절차"))
	r := pm(t, db, "action", "update", a, "--revised-due", "2024-09-30")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "reason: a revised due date needs the reason")
	r = pm(t, db, "action", "update", a, "--revised-due", "2024-08-01", "--reason", "x")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "is not after the due date")
	mustPM(t, db, "action", "update", a, "--revised-due", "2024-09-30", "--reason", "도입 일정 지연")
	r = pm(t, db, "action", "update", a, "--status", "dropped")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "withdrawn for a reason")
	v := showJSONOf(t, db, ids[2])
	acts := v["actions"].([]any)
	require.Len(t, acts, 1)
	assert.Equal(t, "planned", acts[0].(map[string]any)["status"], "the refused withdrawal changed nothing")
	mustPM(t, db, "action", "update", a, "--status", "dropped", "--reason", "다른 조치로 대체")
	assert.Contains(t, mustPM(t, db, "history", ids[2]), "다른 조치로 대체")
}

// A service the catalogue spells with capitals has its duties on the
// deadlines list, not "nothing open".
func TestDeadlinesOfACapitalisedService(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "service", "set", "Java-API", "--regime", "kr-msit")
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "API down", "--service", "Java-API", "--severity", "SEV1", "--started", "2024-05-21 08:30"))
	assert.Contains(t, mustPM(t, db, "duty", "list", id), "ministry-report")
	r := pm(t, db, "deadlines", "--at", "2024-06-01")
	assert.Equal(t, 3, r.code, r.stdout)
	assert.Contains(t, r.stdout, "ministry-report")
	assert.NotContains(t, r.stdout, "nothing open")
}

// The law's conditions, through the commands: the May 2024 KakaoTalk
// outages owed no notice to users under the Decree then in force (a free
// service, item 4), and the postmortem says so with the provision; a free
// service's 3-hour outage after 2025-03-28 owes it.
func TestNoticeNotRequiredByTheRuleInForce(t *testing.T) {
	db, ids := importFixture(t)
	run := func(args ...string) string { return mustPM(t, db, append([]string{"--tz", "Asia/Seoul"}, args...)...) }
	run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ","))
	for _, svc := range []string{"카카오톡", "카카오톡 PC", "카카오톡 모바일"} {
		run("service", "set", svc, "--class", "value-added", "--fee", "free")
	}
	run("org", "set", "--revenue", "7,000,000,000,000", "--daily-users", "40000000")
	for _, id := range ids {
		var ds []struct {
			Kind, Status string
			NotRequired  string `json:"not_required"`
		}
		require.NoError(t, json.Unmarshal([]byte(run("duty", "list", id, "--json")), &ds))
		got := map[string]string{}
		for _, d := range ds {
			got[d.Kind] = d.Status
			if d.Kind == "user-notice" {
				assert.Contains(t, d.NotRequired, "Decree art. 37-13(1)4")
			}
		}
		assert.Equal(t, "not-required", got["user-notice"], "incident %s", id)
		assert.Equal(t, "not-required", got["compensation-notice"], "incident %s", id)
	}
	r := pm(t, db, "--tz", "Asia/Seoul", "deadlines", "--at", "2024-06-01")
	assert.NotContains(t, r.stdout, "user-notice")
	md := run("report", "postmortem", ids[2], "--lang", "ko")
	assert.Contains(t, md, "| 이용자 장애 고지 | 지체 없이 (목표 1시간) | 의무 없음 | 사유: 이용요금 없이 제공되는 전기통신역무: 카카오톡 PC, 카카오톡 모바일 (시행령 제37조의13제1항제4호) |")
	assert.Contains(t, md, "의무 판단 근거: 「전기통신사업법」 제33조제2항, 같은 법 시행령 제37조의13제1항(2025. 3. 28. 개정 전)")
	assert.NotContains(t, md, "기한 후 이행")

	// After the amendment: the same free service, three hours down.
	run("service", "set", "카카오톡", "--regime", "kr-msit")
	id := strings.TrimSpace(run("new", "--title", "메시지 수발신 장애", "--service", "카카오톡", "--severity", "SEV1", "--started", "2025-04-10 10:00"))
	run("resolve", id, "--at", "2025-04-10 13:00")
	var ds []struct{ Kind, Status, Basis string }
	require.NoError(t, json.Unmarshal([]byte(run("duty", "list", id, "--json")), &ds))
	for _, d := range ds {
		if d.Kind == "user-notice" {
			assert.Equal(t, "overdue", d.Status)
			assert.Contains(t, d.Basis, "in force from 2025-03-28")
		}
	}
	// Within two hours it is exempt again (item 5, now 2 h for value-added).
	run("set", id, "--resolved", "2025-04-10 11:30")
	assert.Contains(t, run("duty", "list", id), "stopped within 2 hours")
}

// The moments a clock starts from are recorded with set: the SEC filing
// has no clock until the materiality determination, DORA's initial
// notification runs from the classification.
func TestClockMomentsFromSet(t *testing.T) {
	db := testdb.New(t)
	run := func(args ...string) string {
		return mustPM(t, db, append([]string{"--tz", "America/New_York"}, args...)...)
	}
	run("service", "set", "Billing", "--regime", "us-sec-8k,eu-dora")
	id := strings.TrimSpace(run("new", "--title", "card data exposure", "--service", "billing", "--severity", "SEV1", "--started", "2024-05-28 09:00"))
	assert.NotContains(t, run("duty", "list", id), "form-8k")
	assert.Contains(t, run("duty", "list", id), "2024-05-28 13:00 EDT", "DORA: 4 h from detection until classified")
	run("set", id, "--material-at", "2024-05-30 16:00", "--classified", "2024-05-28 20:00")
	out := run("duty", "list", id)
	assert.Contains(t, out, "form-8k               us-sec-8k  2024-06-05")
	assert.Contains(t, out, "2024-05-29 00:00 EDT", "4 h from the classification")
	assert.Contains(t, run("show", id), "material      2024-05-30 16:00 EDT")
	r := pm(t, db, "set", id, "--material-at", "2024-05-27 10:00")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "material: ")
	run("set", id, "--material-at", "")
	assert.NotContains(t, run("duty", "list", id), "form-8k")

	// A filing's time decides its day: after 17:30 ET it is the next
	// business day's, and late.
	run("set", id, "--material-at", "2024-05-30 16:00")
	run("order", "new", "--regime", "us-sec-8k", "--received", "2024-05-30", "--incidents", id)
	run("order", "submit", "1", "--deliverable", "form-8k", "--at", "2024-06-05 18:00")
	assert.Contains(t, run("order", "show", "1"), "form-8k  #"+id+"        2024-06-05  2024-06-05 18:00 EDT (filed 2024-06-06)  late")
	r = pm(t, db, "--tz", "America/New_York", "order", "submit", "1", "--deliverable", "form-8k", "--at", "2024-06-05 17:00", "--correct", "--reason", "EDGAR acceptance time")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, run("order", "show", "1"), "2024-06-05 17:00 EDT  submitted")
	r = pm(t, db, "order", "submit", "1", "--deliverable", "form-8k", "--at", "soon", "--correct", "--reason", "x")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `at: "soon" is neither a day nor a time`)
}

// Quarters count days in the organisation's or its regimes' zone, not
// the machine's: on a server in UTC (the test's TZ), a Korean review of
// 2024Q2 counts an incident of 2024-04-01 00:30 KST.
func TestQuartersInTheRegimeZone(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "--tz", "Asia/Seoul", "new", "--title", "자정 직후 장애", "--service", "talk", "--severity", "SEV2",
		"--started", "2024-04-01 00:30"))
	mustPM(t, db, "--tz", "Asia/Seoul", "resolve", id, "--at", "2024-04-01 00:50")
	count := func(args ...string) int {
		var v struct{ Incidents int }
		require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, append(args, "stats", "2024Q2", "--json")...)), &v))
		return v.Incidents
	}
	assert.Equal(t, 1, count(), "no --tz: the default regime's zone (Asia/Seoul)")
	assert.Equal(t, 0, count("--tz", "UTC"), "asked for UTC: 2024-03-31 15:30 is in Q1")
	mustPM(t, db, "service", "set", "talk", "--regime", "us-fcc-nors")
	assert.Equal(t, 0, count(), "the catalogue's one regime zone: New York")
	mustPM(t, db, "org", "set", "--zone", "Asia/Seoul")
	assert.Equal(t, 1, count(), "the organisation's zone over its regimes'")
	assert.Contains(t, mustPM(t, db, "org", "show"), "Asia/Seoul")
	r := pm(t, db, "org", "set", "--zone", "Mars/Olympus")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `zone: "Mars/Olympus" is not a time zone`)
	md := mustPM(t, db, "report", "quarterly", "2024Q2", "--lang", "ko")
	assert.Contains(t, md, "2024. 4. 1. ~ 2024. 6. 30.")
	assert.Contains(t, md, "장애는 1건")
}

// What a fresh reviewer found, each held: the order agrees with the
// incident's duties, an 8-K is not filed before materiality, the filing
// cut-off is the due time, a zero or twice-given grace and a malformed
// count are refused, a megabyte typed by mistake is not echoed whole, an
// order is not on the deadlines before it was received, and the outage an
// exemption measures ends when service resumed.
func TestLawReviewFindings(t *testing.T) {
	db, ids := importFixture(t)
	run := func(args ...string) string { return mustPM(t, db, append([]string{"--tz", "Asia/Seoul"}, args...)...) }
	fail := func(want string, args ...string) {
		t.Helper()
		r := pm(t, db, append([]string{"--tz", "Asia/Seoul"}, args...)...)
		assert.NotEqual(t, 0, r.code, "%v", args)
		assert.Contains(t, r.stderr, want, "%v", args)
		assert.Less(t, len(r.stderr), 1000, "one short line")
	}
	run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ","))
	run("service", "set", "카카오톡", "--class", "value-added", "--fee", "free")
	run("org", "set", "--revenue", "7,000,000,000,000", "--daily-users", "40000000", "--target", "user-notice=30m")
	out := run("order", "show", "1")
	assert.Contains(t, out, "user-notice          #1        2024-05-13 14:15 KST")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "#1 ") && (strings.Contains(line, "user-notice") || strings.Contains(line, "compensation-notice")) {
			assert.Contains(t, line, "not-required", "order show agrees with duty list: %s", line)
		}
	}
	assert.NotContains(t, pm(t, db, "--tz", "Asia/Seoul", "deadlines", "--at", "2024-05-20").stdout, "order 1", "not received yet")

	// SEC: not filed before the determination; due at the 17:30 cut-off.
	id := strings.TrimSpace(run("new", "--title", "exposure", "--service", "billing", "--severity", "SEV1", "--started", "2024-05-28 09:00"))
	run("set", id, "--material-at", "2024-05-31 05:00")
	run("order", "new", "--regime", "us-sec-8k", "--received", "2024-05-31", "--incidents", id)
	fail("before the clock of form-8k started", "order", "submit", "2", "--deliverable", "form-8k", "--at", "2024-05-30 10:00")
	var v struct {
		Deliverables []struct {
			Kind  string
			DueAt time.Time `json:"due_at"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "--tz", "America/New_York", "order", "show", "2", "--json")), &v))
	require.Len(t, v.Deliverables, 1)
	assert.Equal(t, "2024-06-05T17:30:00-04:00", v.Deliverables[0].DueAt.Format(time.RFC3339), "four business days from Thu 05-30 ET, at the cut-off")

	fail("a positive duration", "--grace", "0", "duty", "list", ids[0])
	fail("given twice", "--grace", "user-notice=1h,user-notice=2h", "duty", "list", ids[0])
	fail("names no duty", "--grace", "=2h", "duty", "list", ids[0])
	fail("given twice for user-notice", "org", "set", "--target", "user-notice=1h,user-notice=2h")
	fail("given twice", "order", "new", "--received", "2024-05-31", "--incidents", ids[0], "--due", "correction-report=2024-08-01", "--due", "correction-report=2024-08-02")
	for _, bad := range []string{",,,", "10,00", "1,0,0,0", "+5", "1e30", "-1"} {
		fail("is not a count", "org", "set", "--revenue", bad)
	}
	assert.Contains(t, run("org", "show"), "7000000000000", "nothing changed by the refused ones")
	fail("bytes cut", "org", "set", "--zone", strings.Repeat("x", 100_000))

	// 2025: value-added, free, restored after 1 h, closed after 5 h: the
	// outage ended when service resumed, within the 2 h of item 5.
	// (Bound first: a binding made after an incident was recorded and
	// over does not reach back to it, and recording the two in one
	// second made it seem to, most of the time.)
	run("service", "set", "카카오톡", "--regime", "kr-msit")
	late := strings.TrimSpace(run("new", "--title", "메시지 지연", "--service", "카카오톡", "--severity", "SEV2", "--started", "2025-04-04 10:00"))
	run("set", late, "--mitigated", "2025-04-04 11:00", "--resolved", "2025-04-04 15:00")
	assert.Contains(t, run("duty", "list", late), "stopped within 2 hours")
}

// A year's figures are kept with the profile and travel with an export.
func TestOrgFiguresByYear(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "org", "set", "--revenue", "7,000,000,000,000", "--revenue", "2023=5,000,000,000", "--daily-users", "2023=900000")
	r := pm(t, db, "org", "set", "--revenue", "2023=1", "--revenue", "2023=2")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "given twice for 2023")
	dump := filepath.Join(t.TempDir(), "all.json")
	mustPM(t, db, "export", "-o", dump)
	other := filepath.Join(t.TempDir(), "other.db")
	mustPM(t, other, "import", dump)
	assert.Contains(t, mustPM(t, other, "org", "show"), "2023            revenue 5000000000, daily users 900000")
	assert.Contains(t, mustPM(t, other, "verify"), "intact")
}
