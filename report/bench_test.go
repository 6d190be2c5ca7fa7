package report

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// bigIncident is a long Korean incident: 200 timeline events, 20 actions.
func bigIncident() *incident.Incident {
	start := time.Date(2024, 5, 21, 8, 30, 0, 0, seoul)
	end := start.Add(54 * time.Minute)
	pct := 8.0
	in := &incident.Incident{
		ID: 3, Title: "카카오톡 PC 로그인 실패 및 모바일 메시지 지연", Services: []string{"카카오톡 PC", "카카오톡 모바일"},
		Severity: incident.SEV2, Status: incident.StatusResolved, StartedAt: &start, DetectedAt: &start, ResolvedAt: &end,
		UsersAffectedPct: &pct, Symptoms: "PC 로그인 실패, 모바일 메시지 지연",
		Cause:         "5월 20일 장애가 해결되지 않은 상태에서 같은 데이터센터의 다른 서버에 Java 업데이트를 진행함.",
		RecoverySteps: []string{"자동화 도구로 서버 상태 복원", "이중화된 서비스로 전환", "남은 서버 수동 복구"},
		UpdatedAt:     end,
	}
	kinds := incident.Kinds
	for i := 0; i < 200; i++ {
		in.Timeline = append(in.Timeline, incident.Event{At: start.Add(time.Duration(i) * 15 * time.Second), Kind: kinds[i%len(kinds)],
			Text: fmt.Sprintf("%d번째 기록: 서버 상태를 확인하고 트래픽 일부를 예비 서버로 넘김", i+1), Author: "장애대응팀", RecordedAt: end})
	}
	for i := 0; i < 20; i++ {
		in.Actions = append(in.Actions, incident.Action{ID: int64(i + 1), Area: incident.Areas[i%6], Text: fmt.Sprintf("변경 작업 전 운영과 같은 환경에서 시험 %d", i+1),
			Owner: "인프라팀", Due: incident.NewDate(2024, 6, 30), Status: incident.ActionPlanned})
	}
	return in
}

// BenchmarkPostmortemPDF is the whole pipeline: template, Markdown,
// goldmark AST, PDF.
func BenchmarkPostmortemPDF(b *testing.B) {
	in := bigIncident()
	r := newRenderer(b, "ko")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.Postmortem(io.Discard, PDF, viewOf(in)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPostmortemPDFFloor draws the same document straight into gofpdf,
// with no template and no Markdown: the floor the pipeline is held to.
func BenchmarkPostmortemPDFFloor(b *testing.B) {
	in := bigIncident()
	c := newRenderer(b, "ko").cfg
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := drawDirect(io.Discard, in, c); err != nil {
			b.Fatal(err)
		}
	}
}

func drawDirect(w io.Writer, in *incident.Incident, c config) error {
	pdf, err := newPDF(docMeta{Title: in.Title, Ref: "#3"}, c, new(bool))
	if err != nil {
		return err
	}
	set, _ := coverage()
	pdf.AddPage()
	p := &pdfWriter{pdf: pdf, glyphs: set, size: bodySize}
	heading := func(s string) {
		p.size = 13.5
		p.bold++
		p.text(s)
		p.bold--
		p.pdf.Ln(p.lineH())
		p.size = bodySize
	}
	stamp := func(t *time.Time) string { return t.In(c.loc).Format("2006-01-02 15:04 MST") }
	heading("장애 보고서: " + in.Title)
	p.drawTable(pdfTable{header: []string{"장애 번호", "상태", "등급"}, rows: [][]string{{"#3", "해결됨", "SEV2"}}})
	heading("1. 요약")
	p.text(stamp(in.StartedAt) + "에 장애가 시작되었고 " + stamp(in.ResolvedAt) + "에 해결되었다. 장애 시간은 54분이다.")
	p.pdf.Ln(p.lineH())
	heading("4. 타임라인")
	tl := pdfTable{header: []string{"시각", "구분", "내용", "기록자"}}
	for _, e := range in.Timeline {
		tl.rows = append(tl.rows, []string{e.At.In(c.loc).Format("01-02 15:04:05"), word("ko", "kind."+string(e.Kind)), e.Text, e.Author})
	}
	p.drawTable(tl)
	heading("6. 복구 조치")
	for i, s := range in.RecoverySteps {
		p.text(fmt.Sprintf("%d. %s", i+1, s))
		p.pdf.Ln(p.lineH())
	}
	heading("9. 후속 조치")
	at := pdfTable{header: []string{"영역", "조치", "담당", "기한", "상태"}}
	for _, a := range in.Actions {
		at.rows = append(at.rows, []string{word("ko", "area."+string(a.Area)), a.Text, a.Owner, a.Due.String(), word("ko", "action."+string(a.Status))})
	}
	p.drawTable(at)
	return pdf.Output(w)
}

// longText is n characters of one kind: an unbroken Latin run, an unbroken
// Hangul run, or words with spaces.
func longText(kind string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		switch kind {
		case "latin":
			b.WriteByte(byte('a' + i%26))
		case "hangul":
			b.WriteRune(rune(0xAC00 + i%11172))
		default:
			if i%8 == 7 {
				b.WriteByte(' ')
			} else {
				b.WriteByte(byte('a' + i%26))
			}
		}
	}
	return b.String()
}

// BenchmarkLongText renders a postmortem whose title, cause and a timeline
// entry hold one long text, at 10 K, 100 K and 1 M characters: the time per
// character should stay flat (linear growth).
func BenchmarkLongText(b *testing.B) {
	for _, format := range []Format{PDF, HTML} {
		for _, kind := range []string{"latin", "hangul", "spaced"} {
			for _, n := range []int{10_000, 100_000, 1_000_000} {
				b.Run(fmt.Sprintf("%s/%s/%dK", format, kind, n/1000), func(b *testing.B) {
					in := bigIncident()
					in.Timeline, in.Actions = in.Timeline[:3], nil
					text := longText(kind, n)
					in.Title, in.Cause = text, text
					in.Timeline[1].Text = text
					r := newRenderer(b, "ko")
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if err := r.Postmortem(io.Discard, format, viewOf(in)); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/char")
				})
			}
		}
	}
}
