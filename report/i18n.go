package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// Langs lists the languages reports are written in.
var Langs = []string{"ko", "en"}

// words holds what the templates cannot say themselves: the names of
// statuses, kinds and areas, and the furniture of the PDF page.
var words = map[string]map[string]string{
	"ko": {
		"status.open": "진행 중", "status.mitigated": "완화됨", "status.resolved": "해결됨", "status.reviewed": "검토 완료",
		"kind.detect": "탐지", "kind.action": "조치", "kind.comms": "공지", "kind.mitigate": "완화", "kind.resolve": "해결", "kind.note": "메모", "kind.system": "변경 기록",
		"area.pretest": "작업 전 사전 테스트", "area.change-control": "작업·변경 통제", "area.manuals": "재난 매뉴얼·지침",
		"area.monitoring": "모니터링·장애 탐지", "area.rca": "원인 분석·후속 관리", "area.user-notice": "이용자 고지", "area.other": "기타",
		"action.planned": "계획", "action.in-progress": "진행 중", "action.done": "완료", "action.dropped": "취소",
		"page": "%d / %s 쪽", "none": "—",
		"title.plan": "개선 조치 계획", "title.correction": "시정 조치 결과 보고",
		"head": "이력 해시 %s", "retracted": "철회", "asof": "%s 기준", "knownat": "%s 현재 기록 기준",
	},
	"en": {
		"status.open": "open", "status.mitigated": "mitigated", "status.resolved": "resolved", "status.reviewed": "reviewed",
		"kind.detect": "detect", "kind.action": "action", "kind.comms": "comms", "kind.mitigate": "mitigate", "kind.resolve": "resolve", "kind.note": "note", "kind.system": "record change",
		"area.pretest": "Pre-testing before major work", "area.change-control": "Work and change control", "area.manuals": "Disaster manuals and guidelines",
		"area.monitoring": "Monitoring and failure detection", "area.rca": "Root-cause analysis and follow-up", "area.user-notice": "Notifying users", "area.other": "Other",
		"action.planned": "planned", "action.in-progress": "in progress", "action.done": "done", "action.dropped": "dropped",
		"page": "Page %d / %s", "none": "—",
		"title.plan": "Improvement action plan", "title.correction": "Correction results report",
		"head": "History head %s", "retracted": "retracted", "asof": "as of %s", "knownat": "as recorded at %s",
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
