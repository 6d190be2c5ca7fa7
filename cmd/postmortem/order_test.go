package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kakaoOrder makes the fixture database plus the 2024-05-31 MSIT order over
// all three incidents, with a finding and an action in each of six areas.
func kakaoOrder(t *testing.T) (db, order string) {
	t.Helper()
	db, ids := importFixture(t)
	order = strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ","),
		"--reference", "방송통신재난-2024-05"))
	findings := map[string]string{
		"pretest": "주요 작업 전 사전 테스트를 하지 않음", "change-control": "선행 장애 중 다른 작업을 통제하지 못함",
		"manuals": "재난 매뉴얼이 실제 대응과 달랐음", "monitoring": "장애 탐지가 늦음",
		"rca": "근본 원인 분석과 후속 관리 미흡", "user-notice": "이용자 고지가 늦음",
	}
	owners := map[string]string{"pretest": "인프라팀", "change-control": "변경관리위원회", "manuals": "재난대응팀",
		"monitoring": "관제팀", "rca": "품질팀", "user-notice": "커뮤니케이션팀"}
	for _, area := range []string{"pretest", "change-control", "manuals", "monitoring", "rca", "user-notice"} {
		mustPM(t, db, "order", "finding", order, "--area", area, findings[area])
		mustPM(t, db, "action", "add", "--order", order, "--area", area, "--owner", owners[area], "--due", "2024-08-15", area+" 개선 조치")
	}
	return db, order
}

func TestOrderDeadlines(t *testing.T) {
	db, order := kakaoOrder(t)
	var o struct {
		Deliverables []struct {
			Kind, Due, Status string
			Incident          *int64
		}
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "order", "show", order, "--json")), &o))
	due := map[string]string{}
	for _, d := range o.Deliverables {
		if d.Incident == nil {
			due[d.Kind] = d.Due
		}
	}
	assert.Equal(t, "2024-07-01", due["improvement-plan"])
	assert.Equal(t, "2024-09-02", due["correction-report"])

	for _, id := range []string{"1", "2", "3"} {
		mustPM(t, db, "order", "submit", order, "--deliverable", "ministry-report", "--incident", id, "--at", "2024-05-21")
		mustPM(t, db, "order", "submit", order, "--deliverable", "user-notice", "--incident", id, "--at", "2024-05-21")
		mustPM(t, db, "order", "submit", order, "--deliverable", "compensation-notice", "--incident", id, "--at", "2024-06-10")
	}
	r := pm(t, db, "deadlines", "--at", "2024-06-30")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "OVERDUE")
	assert.True(t, strings.Index(r.stdout, "improvement-plan") < strings.Index(r.stdout, "correction-report"), "soonest first")

	r = pm(t, db, "deadlines", "--at", "2024-07-02")
	assert.Equal(t, exitOverdue, r.code)
	assert.Regexp(t, `2024-07-01\s+OVERDUE\s+deliverable\s+improvement-plan`, r.stdout)

	mustPM(t, db, "order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-28")
	r = pm(t, db, "deadlines", "--at", "2024-07-02")
	assert.Equal(t, 0, r.code)

	r = pm(t, db, "deadlines", "--at", "2024-08-16", "--json")
	assert.Equal(t, exitOverdue, r.code)
	var items []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &items))
	assert.Len(t, items, 7, "six overdue actions and the correction report")
	assert.Equal(t, true, items[0]["overdue"])

	r = pm(t, db, "deadlines", "--at", "2024-08-16", "--limit", "2")
	assert.Equal(t, exitOverdue, r.code, "overdue items come first, so a short list still tells")
	assert.Equal(t, 4, strings.Count(r.stdout, "\n"), "header, two items, the rest counted:\n%s", r.stdout)
	assert.Contains(t, r.stdout, "… and 5 more (--all lists every one)")

	r = pm(t, db, "order", "submit", order, "--deliverable", "nonsense")
	assert.Contains(t, r.stderr, `deliverable: "nonsense" is not a deliverable of kr-msit`)
	r = pm(t, db, "order", "new", "--received", "2024-05-31", "--incidents", "1", "--regime", "fr-anssi")
	assert.Contains(t, r.stderr, `regime: "fr-anssi" is not a regime; accepted: eu-dora, eu-nis2, kr-msit, us-fcc-nors, us-sec-8k`)
}

// An area holds several findings, each with the measures answering it, the
// result of carrying them out and numbered evidence whose file is kept by
// its SHA-256; the correction report shows each as of its date. Refused
// input names the field and changes nothing.
func TestFindingsCarryResultsAndEvidence(t *testing.T) {
	db, ids := importFixture(t)
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	assert.Equal(t, "1", strings.TrimSpace(mustPM(t, db, "order", "finding", order, "--area", "pretest", "주요 작업 전 사전 테스트를 하지 않음")))
	assert.Equal(t, "2", strings.TrimSpace(mustPM(t, db, "order", "finding", order, "--area", "pretest", "작업 계획서에 영향 범위 검토 항목이 없음")),
		"a second finding in the same area is added, not put in the first one's place")
	m := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--finding", "2", "--owner", "인프라팀", "--due", "2024-08-15", "양식에 영향 범위 항목 추가"))
	mustPM(t, db, "action", "update", m, "--done", "2024-08-12", "--evidence", "개정 양식")
	mustPM(t, db, "order", "result", order, "2", "--on", "2024-08-12", "작업 계획서 양식을 개정하여 시행함")
	evidence := filepath.Join(t.TempDir(), "양식.pdf")
	require.NoError(t, os.WriteFile(evidence, []byte("개정 양식 v2\n"), 0o600))
	sum := sha256.Sum256([]byte("개정 양식 v2\n"))
	out := mustPM(t, db, "order", "attach", order, "2", "--file", evidence, "--on", "2024-08-12", "개정된 작업 계획서 양식")
	assert.Equal(t, "1\t"+hex.EncodeToString(sum[:])+"\t양식.pdf\n", out, "number, SHA-256 and name, for scripts")

	show := mustPM(t, db, "order", "show", order)
	assert.Contains(t, show, "  1. pretest         주요 작업 전 사전 테스트를 하지 않음\n  2. pretest         작업 계획서에 영향 범위 검토 항목이 없음\n")
	assert.Contains(t, show, "result (2024-08-12): 작업 계획서 양식을 개정하여 시행함")
	assert.Contains(t, show, "attachment 1 (붙임 2, 2024-08-12): 개정된 작업 계획서 양식  [양식.pdf, 17 bytes, sha256 "+hex.EncodeToString(sum[:])+"]")

	aug := mustPM(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--as-of", "2024-08-31")
	assert.Contains(t, aug, "#### 지적 사항 2\n\n작업 계획서에 영향 범위 검토 항목이 없음")
	assert.Contains(t, aug, "| (조치 1) 양식에 영향 범위 항목 추가 | 인프라팀 | 2024. 8. 15. | 완료 | 2024. 8. 12. | 개정 양식 |")
	assert.Contains(t, aug, "**이행 결과**(2024. 8. 12. 완료)\n\n작업 계획서 양식을 개정하여 시행함")
	assert.Contains(t, aug, "붙임 2. 개정된 작업 계획서 양식: 양식.pdf(17바이트), SHA-256 "+hex.EncodeToString(sum[:]))
	assert.Contains(t, aug, "붙임  1. 시정 조치 결과 보고 1부.\\\n\u3000\u3000  2. 개정된 작업 계획서 양식 1부.  끝.")
	july := mustPM(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--as-of", "2024-07-31")
	assert.NotContains(t, july, "작업 계획서 양식을 개정하여 시행함", "a result completed in August is not in a July report")
	assert.NotContains(t, july, "양식.pdf", "nor evidence added in August")
	assert.Contains(t, july, "붙임  시정 조치 결과 보고 1부.  끝.")

	fifo := filepath.Join(t.TempDir(), "pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	before, err := contents(db)
	require.NoError(t, err)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"order", "result", order, "9", "x"}, "finding: order 1 has no finding 9; it has 1, 2"},
		{[]string{"order", "result", order, "0", "x"}, `finding: "0" is not a finding number`},
		{[]string{"order", "result", order, "1", "--on", "2099-01-01", "x"}, "result-on: 2099-01-01 is in the future"},
		{[]string{"order", "result", order, "1", "--on", "2024-05-01", "x"}, "result-on: 2024-05-01 is before the order was received (2024-05-31)"},
		{[]string{"order", "attach", order, "1", "--file", t.TempDir(), "x"}, "is not a regular file"},
		{[]string{"order", "attach", order, "1", "--file", fifo, "x"}, "is not a regular file"},
		{[]string{"order", "attach", order, "1", "--file", filepath.Join(t.TempDir(), "missing.pdf"), "x"}, "file: "},
		{[]string{"order", "attach", order, "3", "x"}, "finding: order 1 has no finding 3"},
		{[]string{"action", "add", "--order", order, "--finding", "1", "--area", "rca", "--owner", "o", "--due", "2024-09-01", "x"}, "area: finding 1 is in pretest, the measure in rca"},
		{[]string{"action", "add", "--incident", ids[0], "--finding", "1", "--area", "rca", "--owner", "o", "--due", "2024-09-01", "x"}, "finding: a measure answers a finding of an order; give --order too"},
		{[]string{"order", "finding", order, "pretest?"}, "give --area AREA"},
	} {
		r := pm(t, db, tc.args...)
		assert.NotEqual(t, 0, r.code, "%v", tc.args)
		assert.Contains(t, r.stderr, tc.want, "%v", tc.args)
	}
	after, err := contents(db)
	require.NoError(t, err)
	assert.Equal(t, before, after, "refused input changes nothing")
	assert.Equal(t, 0, pm(t, db, "verify").code)

	// Findings, results, evidence and the finding a measure answers travel
	// through an export and back, byte for byte.
	dump := mustPM(t, db, "export")
	assert.Contains(t, dump, `"sha256":"`+hex.EncodeToString(sum[:])+`"`)
	file := filepath.Join(t.TempDir(), "dump.json")
	require.NoError(t, os.WriteFile(file, []byte(dump), 0o600))
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	mustPM(t, fresh, "import", file)
	assert.Equal(t, dump, mustPM(t, fresh, "export"))
}

// What a submission promised stays on record: a deliverable is submitted
// once (a wrong day is corrected, with a reason), a due date that has
// passed or that a submitted plan states is revised, not rewritten, and a
// finding moved to another area takes its measures along.
func TestPromisesStayOnRecord(t *testing.T) {
	db, ids := importFixture(t)
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	mustPM(t, db, "order", "finding", order, "--area", "pretest", "사전 테스트 미흡")
	mustPM(t, db, "order", "finding", order, "--area", "pretest", "영향 범위 검토 없음")
	past := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--finding", "1", "--owner", "인프라팀", "--due", "2024-08-15", "시험 환경 구축"))
	future := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--finding", "2", "--owner", "인프라팀", "--due", "2030-01-15", "양식 개정"))
	onTime := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--finding", "1", "--owner", "인프라팀", "--due", "2024-08-20", "절차 수립"))
	mustPM(t, db, "action", "update", onTime, "--done", "2024-08-10")
	mustPM(t, db, "order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-28")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-29"}, "improvement-plan was submitted on 2024-06-28; it is submitted once"},
		{[]string{"order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-27", "--correct"}, "reason: a corrected submission day says why"},
		{[]string{"action", "update", past, "--due", "2024-09-30"}, "due: the measure was due 2024-08-15, which has passed; the date stays on record: give --revised-due 2024-09-30 --reason WHY"},
		{[]string{"action", "update", future, "--due", "2030-03-01"}, "due: the improvement plan submitted on 2024-06-28 promised 2030-01-15"},
		{[]string{"action", "update", onTime, "--revised-due", "2024-09-01", "--reason", "x"}, "revised-due: the measure was done on 2024-08-10, by its due date 2024-08-20"},
		{[]string{"action", "add", "--order", order, "--finding", "9", "--owner", "o", "--due", "2030-01-01", "x"}, "finding: order 1 has no finding 9; accepted: 1, 2"},
		{[]string{"action", "add", "--order", order, "--owner", "o", "--due", "2030-01-01", "x"}, "area: give --area AREA"},
		{[]string{"action", "update", future, "--status", "dropped", "--dropped-on", "2024-05-01", "--reason", "x"}, "dropped-on: 2024-05-01 is before order 1 was received (2024-05-31)"},
		{[]string{"order", "finding", order, "--edit", "0", "x"}, "edit: 0 is not a finding number"},
		{[]string{"action", "list", "--order", "99"}, "order 99: not found"},
		{[]string{"order", "submit", order, "--deliverable", "correction-report", "--correct", "--reason", "x"}, "correct: correction-report has not been submitted; there is nothing to correct"},
	} {
		r := pm(t, db, tc.args...)
		assert.Equal(t, exitError, r.code, "%v", tc.args)
		assert.Contains(t, r.stderr, tc.want, "%v", tc.args)
	}
	mustPM(t, db, "action", "update", past, "--revised-due", "2024-09-30", "--reason", "장비 도입 지연")
	r := pm(t, db, "deadlines", "--at", "2024-08-25", "--json")
	var dues []struct {
		Action  int64  `json:"action"`
		Due     string `json:"due"`
		Overdue bool   `json:"overdue"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &dues))
	found := false
	for _, d := range dues {
		if strconv.FormatInt(d.Action, 10) == past {
			found = true
			assert.Equal(t, "2024-09-30", d.Due, "deadlines counts a late measure to its revised date")
			assert.False(t, d.Overdue)
		}
	}
	assert.True(t, found, r.stdout)
	mustPM(t, db, "order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-27", "--correct", "--reason", "접수일 오기")
	var o struct {
		Deliverables []struct {
			Kind      string
			Submitted string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "order", "show", order, "--json")), &o))
	for _, d := range o.Deliverables {
		if d.Kind == "improvement-plan" {
			assert.Equal(t, "2024-06-27", d.Submitted)
		}
	}

	mustPM(t, db, "order", "finding", order, "--edit", "1", "--area", "change-control")
	var moved struct {
		Actions []struct {
			ID   int64
			Area string
		} `json:"actions"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "export")), &moved))
	areas := map[int64]string{}
	for _, a := range moved.Actions {
		areas[a.ID] = a.Area
	}
	assert.Equal(t, map[int64]string{1: "change-control", 2: "pretest", 3: "change-control"}, areas, "finding 1's measures moved with it")
	assert.Equal(t, 0, pm(t, db, "verify").code)
}

// A withdrawal has its day: a plan dated before it counts the measure as
// one to be done; a report dated after it leaves it out of the rate.
func TestWithdrawalHasItsDay(t *testing.T) {
	db, ids := importFixture(t)
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	mustPM(t, db, "order", "finding", order, "--area", "user-notice", "이용자 고지가 늦음")
	mustPM(t, db, "action", "add", "--order", order, "--finding", "1", "--owner", "커뮤니케이션팀", "--due", "2024-08-15", "공지 템플릿 정비")
	dropped := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--finding", "1", "--owner", "커뮤니케이션팀", "--due", "2024-08-16", "앱 공지 팝업"))
	r := pm(t, db, "action", "update", dropped, "--dropped-on", "2024-08-01", "--reason", "x")
	assert.Contains(t, r.stderr, "dropped-on: goes with --status dropped")
	mustPM(t, db, "action", "update", dropped, "--status", "dropped", "--dropped-on", "2024-08-01", "--reason", "앱 개편으로 대체")

	plan := mustPM(t, db, "--tz", "Asia/Seoul", "report", "plan", order, "--date", "2024-06-28")
	assert.Contains(t, plan, "대상 조치 2건의 이행 결과", "on 06-28 nothing was withdrawn yet")
	assert.NotContains(t, plan, "철회")
	corr := mustPM(t, db, "--tz", "Asia/Seoul", "report", "correction", order, "--date", "2024-08-30")
	assert.Contains(t, corr, "개선 조치 대상 1건(철회 1건 제외)")
	assert.Contains(t, corr, "앱 개편으로 대체")
	assert.Contains(t, mustPM(t, db, "export"), `"dropped_on":"2024-08-01"`)
}

// action list shows the measures of an order (its own and its incidents'),
// of an incident (its own and its orders'), the open ones, with the date a
// late one is now due beside the first.
func TestActionList(t *testing.T) {
	db, ids := importFixture(t)
	order := strings.TrimSpace(mustPM(t, db, "order", "new", "--received", "2024-05-31", "--incidents", ids[1]+","+ids[2]))
	mustPM(t, db, "order", "finding", order, "--area", "pretest", "사전 테스트 미흡")
	a := strings.TrimSpace(mustPM(t, db, "action", "add", "--order", order, "--finding", "1", "--owner", "인프라팀", "--due", "2024-08-15", "시험 환경 구축"))
	b := strings.TrimSpace(mustPM(t, db, "action", "add", "--incident", ids[2], "--area", "rca", "--owner", "품질팀", "--due", "2024-07-01", "원인 분석 보고"))
	c := strings.TrimSpace(mustPM(t, db, "action", "add", "--incident", ids[0], "--area", "monitoring", "--owner", "관제팀", "--due", "2024-06-01", "경보 추가"))
	mustPM(t, db, "action", "update", b, "--done", "2024-06-30")
	mustPM(t, db, "action", "update", a, "--revised-due", "2024-09-30", "--reason", "장비 도입 지연")

	rows := func(args ...string) []string {
		out := strings.Split(strings.TrimSuffix(mustPM(t, db, append([]string{"action", "list"}, args...)...), "\n"), "\n")
		return out[1:]
	}
	byOrder := rows("--order", order)
	require.Len(t, byOrder, 2, "the order's own measure and its incident's")
	assert.Regexp(t, `^`+b+`\s+#3\s+rca\s+-\s+품질팀\s+2024-07-01\s+done\s+2024-06-30\s+원인 분석 보고$`, byOrder[0])
	assert.Regexp(t, `^`+a+`\s+order 1\s+pretest\s+1\s+인프라팀\s+2024-09-30 \(was 2024-08-15\)\s+planned\s+-\s+시험 환경 구축$`, byOrder[1])
	assert.Len(t, rows("--incident", ids[2]), 2, "incident 3's own and its order's")
	assert.Len(t, rows("--incident", ids[0]), 1)
	assert.Len(t, rows("--open"), 2)
	assert.Len(t, rows(), 3)
	var recs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "action", "list", "--json", "--open")), &recs))
	require.Len(t, recs, 2)
	assert.Equal(t, c, fmt.Sprint(recs[0]["id"]))
	assert.Equal(t, "2024-09-30", recs[1]["revised_due"])
}

// An order's own periods are recorded with it, shown, and travel with an
// export; a period for a duty that runs from the incident is refused.
func TestOrderOwnTerms(t *testing.T) {
	db, ids := importFixture(t)
	run := func(args ...string) string { return mustPM(t, db, append([]string{"--tz", "Asia/Seoul"}, args...)...) }
	run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ","), "--plan-within", "14d", "--result-due", "2024-08-30")
	out := run("order", "show", "1")
	assert.Contains(t, out, "the order's own terms: correction-report due 2024-08-30; improvement-plan within 14d")
	assert.Contains(t, out, "improvement-plan     -         2024-06-14")
	assert.Contains(t, out, "correction-report    -         2024-08-30")

	dump := filepath.Join(t.TempDir(), "all.json")
	run("export", "-o", dump)
	other := filepath.Join(t.TempDir(), "other.db")
	mustPM(t, other, "import", dump)
	assert.Contains(t, mustPM(t, other, "--tz", "Asia/Seoul", "order", "show", "1"), "improvement-plan     -         2024-06-14")

	r := pm(t, db, "order", "new", "--received", "2024-05-31", "--incidents", ids[0], "--within", "user-notice=1m")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "user-notice runs from incident-detected, not from the order's receipt")
	r = pm(t, db, "order", "new", "--received", "2024-05-31", "--incidents", ids[0], "--plan-within", "1 month")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, `plan-within: "1 month" is not a period; accepted: N months as Nm`)
	assert.Len(t, strings.Split(strings.TrimSpace(run("order", "list")), "\n"), 2, "a header and order 1: nothing recorded by the refused ones")
}

// The letter names its 경유 when the organisation's submissions pass
// through one, on a line of its own under 수신; without one, no such line.
func TestLetterVia(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	assert.NotContains(t, run("report", "plan", order), "(경유)")
	run("org", "set", "--via", "한국정보통신진흥협회")
	assert.Contains(t, run("org", "show"), "한국정보통신진흥협회")
	plan := run("report", "plan", order)
	assert.Contains(t, plan, "수신  과학기술정보통신부장관(네트워크안전기획과장)\n\n(경유)  한국정보통신진흥협회\n\n제목")
	assert.Contains(t, run("report", "correction", order), "(경유)  한국정보통신진흥협회")
	assert.Contains(t, run("verify"), "intact")
}

// Each measure says how its completion is to be confirmed (the plan's 완료
// 확인 방법), in the plan's row; one not given says the evidence will come
// with the completion report. It travels with an export.
func TestMeasureVerifyMethod(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	run("order", "finding", order, "--area", "pretest", "사전 테스트 미흡")
	drill := strings.TrimSpace(run("action", "add", "--order", order, "--finding", "1", "--owner", "인프라팀", "--due", "2024-08-15",
		"--verify", "모의 훈련 결과 보고서로 확인", "시험 환경 구축"))
	run("action", "add", "--order", order, "--finding", "1", "--owner", "변경관리위원회", "--due", "2024-08-15", "작업 통제 절차 시행")
	plan := run("report", "plan", order)
	assert.Contains(t, plan, "시험 환경 구축 | 인프라팀 | 2024. 8. 15. | 모의 훈련 결과 보고서로 확인 |")
	assert.Contains(t, plan, "작업 통제 절차 시행 | 변경관리위원회 | 2024. 8. 15. | 완료 보고 시 증빙 제출 |")
	run("action", "update", drill, "--verify", "운영 환경 동일성 점검표로 확인")
	assert.Contains(t, run("report", "plan", order), "| 운영 환경 동일성 점검표로 확인 |")
	dump := run("export")
	assert.Contains(t, dump, `"verify":"운영 환경 동일성 점검표로 확인"`)
	restored := filepath.Join(t.TempDir(), "restored.db")
	in := filepath.Join(t.TempDir(), "dump.json")
	require.NoError(t, os.WriteFile(in, []byte(dump), 0o600))
	mustPM(t, restored, "import", in)
	assert.Equal(t, dump, mustPM(t, restored, "export"), "kept through export and import")
	assert.Contains(t, run("verify"), "intact")
}

// English texts beside the Korean, given field by field, are what a
// document in English shows; the approval chain is the organisation's own.
// A bad field or text is refused, naming what is accepted, and changes
// nothing.
func TestEnglishTextsFromTheCommandLine(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	run("org", "set", "--name", "주식회사 카카오", "--person", "홍길동", "--en", "name=Kakao Corp.")
	finding := strings.TrimSpace(run("order", "finding", order, "--area", "pretest", "--en", "No test before major works", "주요 작업 전 사전 테스트를 하지 않음"))
	action := strings.TrimSpace(run("action", "add", "--order", order, "--finding", finding, "--owner", "인프라팀", "--due", "2024-08-15",
		"--en", "text=Test every major change first", "--en", "owner=Infrastructure team", "사전 테스트 절차 수립"))
	run("org", "set", "--marking", "대외비", "--en", "marking=Confidential")
	run("order", "result", order, finding, "--on", "2024-06-20", "--en", "The procedure is in force", "절차를 시행함")
	run("set", ids[0], "--en", "title=KakaoTalk messages delayed", "--en", "cause=A file update on a data-centre server")

	before, err := contents(db)
	require.NoError(t, err)
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"set", ids[0], "--en", "owner=x"}, `en: "owner" has no English text; accepted: title, symptoms, cause, trigger`},
		{[]string{"set", ids[0], "--en", "title"}, "accepted: FIELD=TEXT with FIELD one of title, symptoms, cause, trigger"},
		{[]string{"action", "update", action, "--en", "text=\x1b[31mred"}, `en text: "\x1b[31mred" holds control characters`},
		{[]string{"org", "set", "--en", "name=\xff"}, "en name: is not valid UTF-8"},
		{[]string{"org", "set", "--en", "name=Kakao\nCorp."}, "en name: holds a line break; accepted: a name or a title on one line"},
		{[]string{"org", "set", "--approval", "=홍길동"}, `approval: "=홍길동" names no position; accepted: POSITION or POSITION=NAME`},
		{[]string{"order", "finding", order, "--edit", "9", "--en", "x"}, "no finding 9"},
	} {
		r := pm(t, db, append(kst, bad.args...)...)
		assert.Equal(t, 1, r.code, "%v: %s", bad.args, r.stderr)
		assert.Contains(t, r.stderr, bad.want, "%v", bad.args)
	}
	after, err := contents(db)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a refused input changes nothing")

	assert.Contains(t, run("org", "show"), "name (en)")
	run("org", "set", "--approval", "대리", "--approval", "팀장=김철수", "--approval", "대표이사")
	assert.Contains(t, run("org", "show"), "대리 → 팀장 김철수 → 대표이사")
	en := run("report", "plan", order, "--lang", "en")
	for _, want := range []string{"Kakao Corp.", "No test before major works", "Test every major change first", "KakaoTalk messages delayed", "A file update on a data-centre server",
		"Infrastructure team", "Confidential",
		"| 대리 | 팀장 | 대표이사 |\n|---|---|---|\n| 홍길동 | 김철수 |   |"} {
		assert.Contains(t, en, want)
	}
	assert.Contains(t, run("report", "correction", order, "--lang", "en", "--date", "2024-08-30"), "The procedure is in force")
	assert.Contains(t, run("report", "correction", order, "--date", "2024-08-30"), "절차를 시행함")
	ko := run("report", "plan", order)
	assert.Contains(t, ko, "주요 작업 전 사전 테스트를 하지 않음")
	assert.NotContains(t, ko, "Kakao Corp.")
	assert.Contains(t, ko, "| 대리 | 팀장 | 대표이사 |")

	// Cleared, each goes back: the Korean, and 담당, 검토, 승인.
	run("set", ids[0], "--en", "title=")
	run("org", "set", "--approval", "")
	assert.NotContains(t, run("report", "plan", order, "--lang", "en"), "KakaoTalk messages delayed")
	assert.Contains(t, run("report", "plan", order), "| 담당 | 검토 | 승인 |")

	// They travel with an export, and the history verifies.
	out := filepath.Join(t.TempDir(), "x.json")
	run("export", "-o", out)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"english":{"cause":"A file update on a data-centre server"}`)
	assert.Contains(t, run("verify"), "intact")
}

// A due date moved after the fact is given the day it was moved: a
// document dated from then shows the new date and the reason, one dated
// before shows the measure as it stood. Typed today without that day, a
// document dated in the past shows it past due, and submit says why. The
// English document agrees with the Korean.
func TestRevisedOnTheDayItMoved(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	run("order", "finding", order, "--area", "change-control", "작업 통제가 없었음")
	m := strings.TrimSpace(run("action", "add", "--order", order, "--finding", "1", "--owner", "변경관리위원회", "--due", "2024-08-15", "변경관리 시스템 도입"))
	run("action", "update", m, "--revised-due", "2024-09-30", "--reason", "시스템 교체 일정이 지연됨", "--en", "reason=The system replacement was delayed")

	ko := run("report", "correction", order, "--date", "2024-08-30")
	assert.Contains(t, ko, "새 기한 미정", "moved today, after the document's day")
	assert.NotContains(t, ko, "시스템 교체 일정이 지연됨")
	en := run("report", "correction", order, "--date", "2024-08-30", "--lang", "en")
	assert.NotContains(t, en, "The system replacement was delayed", "no reason in English where the Korean has none")

	before, err := contents(db)
	require.NoError(t, err)
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"action", "update", m, "--revised-on", "2099-01-01"}, "revised-on: 2099-01-01"},
		{[]string{"action", "update", m, "--revised-on", "2024-05-01"}, "revised-on: 2024-05-01 is before order 1 was received (2024-05-31)"},
		{[]string{"action", "update", m, "--revised-on", "2024-08-32"}, "revised-on"},
	} {
		r := pm(t, db, append(kst, bad.args...)...)
		assert.NotEqual(t, 0, r.code, "%v", bad.args)
		assert.Contains(t, r.stderr, bad.want, "%v", bad.args)
	}
	after, err := contents(db)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a refused date changes nothing")

	r := pm(t, db, append(kst, "order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-28")...)
	require.Equal(t, 0, r.code, r.stderr)
	r = pm(t, db, append(kst, "order", "submit", order, "--deliverable", "correction-report", "--at", "2024-08-30")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `note: measure `+m+` was moved to 2024-09-30 on \d{4}-\d\d-\d\d, after this document's day 2024-08-30: the document shows it past due, 새 기한 미정 \(action update `+m+` --revised-on DATE`, r.stderr)

	run("action", "update", m, "--revised-on", "2024-08-20")
	ko = run("report", "correction", order, "--date", "2024-08-30")
	assert.Contains(t, ko, "2024. 9. 30.")
	assert.Contains(t, ko, "시스템 교체 일정이 지연됨")
	assert.NotContains(t, ko, "새 기한 미정")
	assert.Contains(t, run("report", "correction", order, "--date", "2024-08-30", "--lang", "en"), "The system replacement was delayed")
	assert.NotContains(t, run("report", "correction", order, "--date", "2024-08-19"), "시스템 교체 일정이 지연됨", "the day before it moved")
	assert.Contains(t, run("verify"), "intact")
}
