package main

import (
	"encoding/json"
	"strings"
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
