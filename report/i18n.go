package report

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// Langs lists the languages reports are written in.
var Langs = []string{"ko", "en"}

// words holds what the templates cannot say themselves: the names of
// statuses, kinds and areas, and the furniture of the PDF page.
var words = map[string]map[string]string{
	"ko": {
		"status.open": "진행 중", "status.mitigated": "응급조치 완료", "status.resolved": "해결됨", "status.reviewed": "검토 완료",
		"status.cancelled": "선언 취소", "status.false-alarm": "오경보(장애 아님)", "status.duplicate": "중복(다른 장애와 동일)",
		"kind.detect": "탐지", "kind.action": "조치", "kind.comms": "공지", "kind.mitigate": "응급조치", "kind.resolve": "해결", "kind.note": "메모", "kind.system": "변경 기록",
		"time.started": "시작", "time.detected": "탐지", "time.acknowledged": "인지", "time.mitigated": "응급조치", "time.resolved": "해결",
		"area.pretest": "작업 전 사전 테스트", "area.change-control": "작업·변경 통제", "area.manuals": "재난 매뉴얼·지침",
		"area.monitoring": "모니터링·장애 탐지", "area.rca": "원인 분석·후속 관리", "area.user-notice": "이용자 고지", "area.other": "기타",
		"action.planned": "미착수", "action.in-progress": "진행 중", "action.done": "완료", "action.dropped": "철회",
		"page": "%d / %s 쪽", "none": "—", "ref": "관리 번호 %d",
		"sev.SEV1": "1등급(심각)", "sev.SEV2": "2등급(높음)", "sev.SEV3": "3등급(보통)", "sev.SEV4": "4등급(낮음)",
		"title.plan": "개선 조치 계획", "title.correction": "시정 조치 결과 보고",
		"mark.draft": "[초안] 제출 전 문서", "mark.copy": "[참고용 사본] 제출본 아님",
		"head": "이력 해시 %s", "seal": "봉인 %s, 서명 키 %s (이력 %d행, 해시 %.12s)", "retracted": "철회", "asof": "%s 기준", "knownat": "%s 현재 기록 기준",
		"notice.users": "이용자 고지", "notice.compensation": "손해배상 고지",
		"role.commander": "사고 지휘자", "role.comms": "대외 소통 담당", "role.scribe": "기록 담당",
		"title.quarterly": "분기 장애 검토: %s", "scope.all": "전체 서비스", "scope.group": "%s 그룹",
		"cmp.incidents": "장애 건수", "cmp.outage": "장애 시간 합계", "cmp.median": "장애 시간 중앙값", "cmp.resolve": "해결까지 중앙값 (탐지부터)", "cmp.same": "변화 없음",
		"chart.months": "월별 장애 건수", "chart.minutes": "월별 장애 시간 (분)", "chart.services": "서비스별 장애 건수",
		"chart.resolve": "해결까지 걸린 시간 분포 (탐지부터)", "chart.count": "건수", "chart.min": "분",
		"cause.change": "변경·배포", "cause.capacity": "용량", "cause.hardware": "하드웨어", "cause.network": "네트워크",
		"cause.software": "소프트웨어 결함", "cause.dependency": "외부 의존 서비스", "cause.operator": "작업자 실수", "cause.external": "외부 요인", "cause.unknown": "미분류",
		"review.met": "기한 내 이행", "review.late": "기한 후 이행", "review.open": "미이행", "review.waived": "해당 없음",
		"duty.open": "기한 전", "duty.met": "이행", "duty.late": "기한 후 이행", "duty.overdue": "기한 경과", "duty.waived": "해당 없음",
		"duty.not-required": "의무 없음", "duty.target-late": "목표 시간 후 이행", "duty.target-overdue": "목표 시간 경과", "duty.took": "%s 후", "duty.why": "사유: %s", "duty.delay": "지체 없이", "duty.target": "지체 없이 (목표 %s)",
		"duty.basis":    "의무 판단 근거: %s",
		"dutystate.met": "이행", "dutystate.waived": "면제",
	},
	"en": {
		"status.open": "open", "status.mitigated": "mitigated", "status.resolved": "resolved", "status.reviewed": "reviewed",
		"status.cancelled": "declaration cancelled", "status.false-alarm": "false alarm (no outage)", "status.duplicate": "duplicate of another incident",
		"kind.detect": "detection", "kind.action": "action", "kind.comms": "communication", "kind.mitigate": "mitigation", "kind.resolve": "resolution", "kind.note": "note", "kind.system": "record change",
		"sev.SEV1": "SEV1 (critical)", "sev.SEV2": "SEV2 (major)", "sev.SEV3": "SEV3 (minor)", "sev.SEV4": "SEV4 (low)",
		"area.pretest": "Pre-testing before major work", "area.change-control": "Work and change control", "area.manuals": "Disaster manuals and guidelines",
		"area.monitoring": "Monitoring and failure detection", "area.rca": "Root-cause analysis and follow-up", "area.user-notice": "Notifying users", "area.other": "Other",
		"action.planned": "not started", "action.in-progress": "in progress", "action.done": "done", "action.dropped": "withdrawn",
		"page": "Page %d / %s", "none": "—", "ref": "#%d",
		"title.plan": "Improvement action plan", "title.correction": "Correction results report",
		"mark.draft": "[DRAFT] not submitted", "mark.copy": "[COPY FOR REFERENCE] not the submission",
		"head": "History head %s", "seal": "Sealed %s with key %s (history row %d, head %.12s)", "retracted": "retracted", "asof": "as of %s", "knownat": "as recorded at %s",
		"notice.users": "notice to users", "notice.compensation": "compensation notice",
		"title.quarterly": "Quarterly incident review: %s", "scope.all": "all services", "scope.group": "group %s",
		"cmp.incidents": "Incidents", "cmp.outage": "Outage minutes, total", "cmp.median": "Outage, median", "cmp.resolve": "Time to resolve, median (from detection)", "cmp.same": "no change",
		"chart.months": "Incidents per month", "chart.minutes": "Outage minutes per month", "chart.services": "Incidents per service",
		"chart.resolve": "Time to resolve, from detection", "chart.count": "incidents", "chart.min": "minutes",
		"cause.change": "change or deployment", "cause.capacity": "capacity", "cause.hardware": "hardware", "cause.network": "network",
		"cause.software": "software defect", "cause.dependency": "dependency", "cause.operator": "operator error", "cause.external": "external", "cause.unknown": "not classified",
		"review.met": "met on time", "review.late": "met late", "review.open": "not met", "review.waived": "not applicable",
		"duty.open": "not yet due", "duty.met": "met", "duty.late": "met late", "duty.overdue": "overdue", "duty.waived": "not applicable",
		"duty.not-required": "not required", "duty.target-late": "met after the target", "duty.target-overdue": "past the target", "duty.took": "%s after", "duty.why": "why: %s", "duty.delay": "without delay", "duty.target": "without delay (target %s)",
		"duty.basis": "Duties judged under: %s",
	},
}

// word looks up a localised word; an unknown key shows as itself, so a
// missing translation is visible rather than blank.
func word(lang, key string) string {
	if w, ok := words[lang][key]; ok {
		return w
	}
	if i := strings.IndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// dutyBy says in lang what met a duty ("notice (event 12)", "marked
// done: REF", "waived: REASON", "order 1 submission").
func dutyBy(lang, by string) string {
	if lang != "ko" {
		return by
	}
	for _, p := range dutyByRules() {
		if p.re.MatchString(by) {
			return p.re.ReplaceAllString(by, p.to)
		}
	}
	return by
}

var dutyByRules = phrases(
	[2]string{`^notice \(event (\d+)\)$`, "고지 기록"},
	[2]string{`^marked done: (.*)$`, "이행 기록: $1"},
	[2]string{`^marked done$`, "이행 기록"},
	[2]string{`^waived: (.*)$`, "면제: $1"},
	[2]string{`^order (\d+) submission$`, "명령 $1 제출"},
)

// duration says d in whole minutes the way each language does:
// "54분", "1시간 5분"; "54 min", "1 h 5 min", "2 d 3 h".
func duration(lang string, d time.Duration) string {
	m := incident.WholeMinutes(d)
	if m < 0 {
		m = 0
	}
	days, hours, mins := m/(24*60), m/60%24, m%60
	var parts []string
	units := [3]string{" d", " h", " min"}
	if lang == "ko" {
		units = [3]string{"일", "시간", "분"}
	}
	for i, n := range []int64{days, hours, mins} {
		if n > 0 || (i == 2 && len(parts) == 0) {
			parts = append(parts, fmt.Sprintf("%d%s", n, units[i]))
		}
	}
	return strings.Join(parts, " ")
}

// systemRules translate the fixed grammar of the store's system entries
// ("severity SEV2 → SEV1", "mitigated (moved from ...)"), in order; the
// first that matches is used, and anything else is shown as stored.
var systemRules = map[string]func() []phrase{
	"ko": phrases(
		[2]string{`^declared (SEV\d): (.*) \(recorded (.*)\)$`, "{sev.$1} 장애 선언: $2 ($3 기록)"},
		[2]string{`^declared (SEV\d): (.*)$`, "{sev.$1} 장애 선언: $2"},
		[2]string{`^severity (SEV\d) → (SEV\d)$`, "등급 {sev.$1} → {sev.$2}"},
		[2]string{`^title: (.*)$`, "제목 변경: $1"},
		[2]string{`^services: (.*)$`, "서비스 변경: $1"},
		[2]string{`^users affected \(count\): (.*)$`, "영향 이용자 수: $1"},
		[2]string{`^users affected: (.*)$`, "영향 이용자 비율: $1"},
		[2]string{`^status (\S+) → (\S+)$`, "상태 {status.$1} → {status.$2}"},
		[2]string{`^(started|detected|acknowledged|mitigated|resolved) \(moved from (.*)\)$`, "{time.$1} 시각 변경 (이전 $2)"},
		[2]string{`^(started|detected|acknowledged|mitigated|resolved) time cleared \(was (.*)\)$`, "{time.$1} 시각 삭제 (이전 $2)"},
		[2]string{`^(started|detected|acknowledged|mitigated|resolved)$`, "{time.$1}"},
		[2]string{`^duty (met|waived): ([^()]+?) \((.*)\)$`, "의무 {dutystate.$1}: {dutyname.$2} ($3)"},
		[2]string{`^duty (met|waived): ([^()]+)$`, "의무 {dutystate.$1}: {dutyname.$2}"},
		[2]string{`^work gate overridden for (.+?) by (.+?): (.*)$`, "작업 통제 예외 승인 (대상 $1, 승인 $2): $3"},
		[2]string{`^role ([^:]+): (.*) → (.*)$`, "역할 {role.$1}: $2 → $3"},
		[2]string{`^related incidents: (.*) → (.*)$`, "연관 장애 변경: $1 → $2"},
	),
}

// dutyNames are the Korean names of the regimes' duties by their English
// names (the system entries name a duty in English), read from the
// regimes the first time an entry needs them, not on every start.
var dutyNames = sync.OnceValue(func() map[string]string {
	names := map[string]string{}
	rs, err := incident.LoadRegimes()
	if err != nil {
		return names // the regimes are embedded; a build that cannot read them fails its tests
	}
	for _, id := range rs.IDs() {
		r, _ := rs.Regime(id)
		for _, d := range r.Deliverables {
			if en, k := d.Name["en"], d.Name["ko"]; en != "" && k != "" {
				names[en] = k
			}
		}
	}
	return names
})

type phrase struct {
	re *regexp.Regexp
	to string
}

// phrases are rules compiled the first time they are used, not on every
// start of every command.
func phrases(rules ...[2]string) func() []phrase {
	return sync.OnceValue(func() []phrase {
		out := make([]phrase, len(rules))
		for i, r := range rules {
			out[i] = phrase{regexp.MustCompile(r[0]), r[1]}
		}
		return out
	})
}

// marker is a word looked up from a captured value: {status.$1}.
var marker = regexp.MustCompile(`\{([a-z]+)\.\$(\d)\}`)

// systemText says a system entry in lang. The user's text inside it (a
// title, a service) is copied as it is, never read as a pattern.
func systemText(lang, text string) string {
	rules, ok := systemRules[lang]
	if !ok {
		return text
	}
	for _, p := range rules() {
		m := p.re.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		groups := p.re.FindStringSubmatch(text)
		tmpl := marker.ReplaceAllStringFunc(p.to, func(s string) string {
			sub := marker.FindStringSubmatch(s)
			n := int(sub[2][0] - '0')
			w := word(lang, sub[1]+"."+groups[n])
			if k, ok := dutyNames()[groups[n]]; ok && sub[1] == "dutyname" && lang == "ko" {
				w = k
			}
			return strings.ReplaceAll(w, "$", "$$")
		})
		return string(p.re.ExpandString(nil, tmpl, text, m))
	}
	return text
}
