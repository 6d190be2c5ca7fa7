package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/templates"
)

// kakaoOrder stores the 2024-05-31 MSIT order over the three fixture
// incidents, a finding and two measures in each of the six areas: some
// done, one done late, one dropped, one still open past its date.
func kakaoOrder(t *testing.T, s *incident.Store) int64 {
	t.Helper()
	ctx := context.Background()
	o := &incident.Order{Regime: "kr-msit", Authority: "과학기술정보통신부", Reference: "방송통신재난-2024-05",
		Received: incident.NewDate(2024, 5, 31), Incidents: []int64{1, 2, 3}}
	require.NoError(t, s.CreateOrder(ctx, o))
	str := func(v string) *string { return &v }
	_, err := s.SetOrg(ctx, incident.OrgChange{Name: str("주식회사 카카오"), Representative: str("대표이사 정신아"), Department: str("서비스안정화실"),
		Person: str("홍길동"), Contact: str("02-0000-0000, ops@example.com"), DocPrefix: str("서비스안정화실"), Marking: str("대외비")}, nil)
	require.NoError(t, err)
	_, err = s.Submit(ctx, o.ID, "improvement-plan", incident.NewDate(2024, 6, 28), nil, false)
	require.NoError(t, err)
	findings := []string{"주요 작업 전 사전 테스트를 하지 않음", "선행 장애가 해결되지 않은 상태에서 다른 작업을 통제하지 못함",
		"재난 매뉴얼이 실제 대응 절차와 달랐음", "장애 탐지와 전파가 늦음", "근본 원인 분석과 재발 방지 관리가 미흡함", "이용자 고지가 늦고 불충분함"}
	owners := []string{"인프라팀", "변경관리위원회", "재난대응팀", "관제팀", "품질팀", "커뮤니케이션팀"}
	for i, area := range incident.Areas[:6] {
		no, err := s.AddFinding(ctx, o.ID, area, findings[i], "")
		require.NoError(t, err)
		for j := 0; j < 2; j++ {
			a := &incident.Action{OrderID: &o.ID, Area: area, Finding: &no, Owner: owners[i], Due: incident.NewDate(2024, 8, 15+j),
				Text: fmt.Sprintf("%s 개선 조치 %d", owners[i], j+1)}
			require.NoError(t, s.AddAction(ctx, a))
			var err error
			switch {
			case i < 4 && j == 0:
				_, err = s.UpdateAction(ctx, a.ID, seoul, func(x *incident.Action) error {
					d := incident.NewDate(2024, 8, 10)
					x.Status, x.DoneOn, x.Evidence = incident.ActionDone, &d, "완료 보고서와 점검 기록"
					return nil
				})
			case i == 4 && j == 0:
				_, err = s.UpdateAction(ctx, a.ID, seoul, func(x *incident.Action) error {
					d := incident.NewDate(2024, 8, 20) // after its due date
					x.Status, x.DoneOn, x.Evidence = incident.ActionDone, &d, "재발 방지 위원회 회의록"
					return nil
				})
			case i == 5 && j == 1:
				_, err = s.UpdateAction(ctx, a.ID, seoul, func(x *incident.Action) error {
					x.Status, x.Reason = incident.ActionDropped, "앱 공지 기능 개편으로 대체"
					return nil
				})
			case i == 1 && j == 1:
				_, err = s.UpdateAction(ctx, a.ID, seoul, func(x *incident.Action) error {
					d := incident.NewDate(2024, 9, 30)
					x.RevisedDue, x.Reason = &d, "변경관리 시스템 도입 일정 지연"
					return nil
				})
			}
			require.NoError(t, err)
		}
	}
	// A second finding in the pretest area, with the measure answering it;
	// the first finding's result and evidence, one a file kept by its hash.
	no, err := s.AddFinding(ctx, o.ID, incident.AreaPretest, "작업 계획서에 영향 범위 검토 항목이 없음", "")
	require.NoError(t, err)
	a := &incident.Action{OrderID: &o.ID, Area: incident.AreaPretest, Finding: &no, Owner: "인프라팀", Due: incident.NewDate(2024, 8, 15),
		Text: "작업 계획서 양식에 영향 범위 검토 항목 추가"}
	require.NoError(t, s.AddAction(ctx, a))
	_, err = s.UpdateAction(ctx, a.ID, seoul, func(x *incident.Action) error {
		d := incident.NewDate(2024, 8, 12)
		x.Status, x.DoneOn, x.Evidence = incident.ActionDone, &d, "개정 양식"
		return nil
	})
	require.NoError(t, err)
	result, on := "사전 테스트 절차를 수립하여 8월 작업 3건에 적용하였음", incident.NewDate(2024, 8, 10)
	require.NoError(t, s.ChangeFinding(ctx, o.ID, 1, incident.FindingChange{Result: &result, ResultOn: &on}))
	file := filepath.Join(t.TempDir(), "사전테스트절차서.pdf")
	require.NoError(t, os.WriteFile(file, []byte("사전 테스트 절차서 v1"), 0o600))
	_, err = s.Attach(ctx, o.ID, incident.Attachment{Finding: 1, What: "사전 테스트 절차서", AddedOn: on}, file)
	require.NoError(t, err)
	_, err = s.Attach(ctx, o.ID, incident.Attachment{Finding: 2, What: "변경관리위원회 회의록", AddedOn: incident.NewDate(2024, 7, 15)}, "")
	require.NoError(t, err)
	return o.ID
}

// orderView reads the order's view as of the end of the document date.
func orderView(t *testing.T, s *incident.Store, id int64, date time.Time) *incident.OrderView {
	t.Helper()
	rs, err := incident.LoadRegimes()
	require.NoError(t, err)
	end := incident.DateOf(date, seoul).AddDays(1).In(seoul).Add(-time.Second)
	v, err := s.OrderView(context.Background(), id, rs, incident.Point{AsOf: end}, seoul)
	require.NoError(t, err)
	return v
}

// orderClock is when the order's measures are written up: after the last
// of them was done.
var orderClock = time.Date(2024, 8, 30, 0, 0, 0, 0, time.UTC)

func TestOrderReportsGolden(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	for _, lang := range Langs {
		r := newRenderer(t, lang, WithDate(docDate.AddDate(0, 2, 27))) // 2024-08-30
		for name, render := range map[string]func(*bytes.Buffer, Format) error{
			"plan": func(b *bytes.Buffer, f Format) error { return r.Plan(b, f, v) },
			"correction": func(b *bytes.Buffer, f Format) error {
				return r.Correction(b, f, v)
			},
		} {
			t.Run(lang+"/"+name, func(t *testing.T) {
				var md bytes.Buffer
				require.NoError(t, render(&md, Markdown))
				golden(t, name+"."+lang+".md", md.Bytes())

				var pdf bytes.Buffer
				require.NoError(t, render(&pdf, PDF))
				text, pages := pdfText(t, pdf.Bytes())
				assert.GreaterOrEqual(t, pages, 1)
				flat := bytes.Join(bytes.Fields([]byte(text)), []byte(" "))
				authority := map[string]string{"ko": "과학기술정보통신부", "en": "Ministry of Science and ICT"}[lang]
				for _, want := range []string{authority, "방송통신재난-2024-05", "주요 작업 전 사전 테스트를 하지 않음", "이용자 고지가 늦고 불충분함"} {
					assert.Contains(t, string(flat), want)
				}
				if lang == "ko" {
					title := map[string]string{"plan": "개선 조치 계획", "correction": "시정 조치 결과 보고"}[name]
					assert.Contains(t, string(flat), title)
					assert.Contains(t, string(flat), "작업·변경 통제")
				}
			})
		}
	}
}

func TestCorrectionFigures(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	r := newRenderer(t, "en", WithDate(docDate.AddDate(0, 2, 27)))
	d := r.orderData(v, "correction-report")
	assert.Equal(t, incident.Progress{Done: 6, Dropped: 1, Total: 13}, d.Overall)
	assert.Equal(t, 50, d.Overall.Rate(), "6 of the 12 not dropped")
	assert.Len(t, d.Areas, 6, "no 'other' area when nothing is filed there")
	assert.Equal(t, 67, d.Areas[0].Progress.Rate(), "pretest: 2 of 3, over its two findings")
	require.Len(t, d.Areas[0].Findings, 2, "an area holds several findings")
	f1, f7 := d.Areas[0].Findings[0], d.Areas[0].Findings[1]
	assert.Equal(t, []int{1, 7}, []int{f1.No, f7.No}, "numbered in the order, in the order recorded")
	assert.Equal(t, incident.Progress{Done: 1, Total: 2}, f1.Progress)
	assert.Equal(t, incident.Progress{Done: 1, Total: 1}, f7.Progress)
	assert.Empty(t, d.Areas[0].Unassigned)
	require.Len(t, f1.Attachments, 1)
	assert.Equal(t, "7c2e6c0496798019613d3cc5f529f07f78673aa82a147a40e581abea9e771bd0", f1.Attachments[0].SHA256,
		"sha256sum of the file's 29 bytes")
	assert.Equal(t, "사전테스트절차서.pdf", f1.Attachments[0].File)
	assert.Equal(t, 0, d.Areas[5].Progress.Rate(), "the user-notice area: one open, one dropped")
	// Late: the rca measure done on 08-20 (due 08-15), and the open ones due 08-15/16.
	assert.Len(t, d.Late, 7)
	assert.Equal(t, "2024-07-01", d.Due["improvement-plan"].DueDate.String())
	assert.Equal(t, "2024-09-02", d.Due["correction-report"].DueDate.String())
}

// A submission carries who submits, its number, the legal basis, the
// signature block; the correction report names the plan it answers for;
// the rates agree per area and in all.
func TestSubmissionForm(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	dir := t.TempDir()
	text := func(name string, render func(*bytes.Buffer) error) string {
		var buf bytes.Buffer
		require.NoError(t, render(&buf))
		path := filepath.Join(dir, name+".pdf")
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		out, err := exec.Command("pdftotext", path, "-").Output()
		require.NoError(t, err, "pdftotext is needed (poppler-utils)")
		return string(out)
	}
	r := newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27)), AsSubmission())
	plan := text("plan", func(b *bytes.Buffer) error { return r.Plan(b, PDF, v) })
	for _, want := range []string{"주식회사 카카오", "대표이사 정신아", "서비스안정화실-1", "「방송통신발전 기본법」 제36조의2제2항",
		"수신 과학기술정보통신부장관", "(서명)", "대외비", "1. 개요", "2. 원인 분석", "응급조치", "직접 원인"} {
		assert.Contains(t, plan, want)
	}
	corr := text("correction", func(b *bytes.Buffer) error { return r.Correction(b, PDF, v) })
	for _, want := range []string{"개선 조치 계획 제출 서비스안정화실-1(2024. 6. 28.)", "(서명)", "향후 계획",
		"대상 12건(철회 1건 제외) 가운데 6건을 완료하여 완료율은 50%", "완료 0건 / 대상 1건(철회 1건 제외), 0%",
		"영역 계: 완료 2건 / 대상 3건, 67%", "이행 결과(2024. 8. 10. 기준)", "사전 테스트 절차를 수립하여 8월 작업 3건에 적용하였음",
		"붙임 2. 사전 테스트 절차서: 사전테스트절차서.pdf(29바이트), SHA-256", "7c2e6c0496798019613d3cc5f529f07f78673aa82a147a40e581abea9e771bd0",
		"붙임 1. 시정 조치 결과 보고 1부.", "3. 변경관리위원회 회의록 1부. 끝.",
		"수신 과학기술정보통신부장관(네트워크안전기획과장)"} {
		assert.Contains(t, corr, want)
	}
	// A late measure's reason and revised date, in its wrapped table cells.
	flat := strings.Join(strings.Fields(corr), " ")
	assert.Contains(t, flat, "변경관리 시스템 도입 일정 지연")
	assert.Contains(t, flat, "2024. 9. 30.")
	assert.NotContains(t, corr, "SEV1")
	assert.NotContains(t, corr, "#3")
}

// A late measure carries its reason and revised date, a withdrawn one its
// reason, into the correction report; the next steps show the revised date.
func TestCorrectionReasons(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	var md bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27))).Correction(&md, Markdown, v))
	out := md.String()
	assert.Contains(t, out, "| 작업·변경 통제 | (조치 4) 변경관리위원회 개선 조치 2 | 변경관리위원회 | 2024. 8. 16. | 2024. 9. 30. | 미착수 | — | 변경관리 시스템 도입 일정 지연 |")
	assert.Contains(t, out, "| 이용자 고지 | (조치 12) 커뮤니케이션팀 개선 조치 2 | 커뮤니케이션팀 | 앱 공지 기능 개편으로 대체 |")
	assert.Contains(t, out, "| (조치 4) 변경관리위원회 개선 조치 2 | 변경관리위원회 | 2024. 9. 30. (변경, 2024. 8. 30.: 변경관리 시스템 도입 일정 지연) |",
		"a moved date says when it moved and why")
	// Dated before it moved, a report shows the date as it was then.
	before := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 26))
	var md2 bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 26))).Correction(&md2, Markdown, before))
	assert.NotContains(t, md2.String(), "2024. 9. 30.", "not yet moved on 08-29")
	assert.Contains(t, md2.String(), "| (조치 4) 변경관리위원회 개선 조치 2 | 변경관리위원회 | 2024. 8. 16. (기한 경과, 새 기한 미정) |")
	assert.Contains(t, out, "| (조치 2) 인프라팀 개선 조치 2 | 인프라팀 | 2024. 8. 16. (기한 경과, 새 기한 미정) |",
		"the next steps promise no day already gone")
	assert.Equal(t, 3, strings.Count(out, "(조치 4) 변경관리위원회 개선 조치 2"), "one number for a measure in every table that names it")
	assert.Contains(t, out, "**이행 결과**(2024. 8. 10. 기준)", "a result written while a measure is open is as of its day, not complete")
	assert.Contains(t, out, "이행 중임(완료 1건 / 대상 2건).")
	assert.NotContains(t, out, "기록하지 않았습니다")
}

// wordBoxes renders Markdown src as a Korean PDF and gives pdftotext's
// words with their boxes (-bbox): where each word was drawn.
func wordBoxes(t *testing.T, src []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, writePDF(&buf, src, docMeta{Title: "t"}, config{lang: "ko", paper: A4, loc: seoul, now: docDate}))
	path := filepath.Join(t.TempDir(), "t.pdf")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	require.NoError(t, err)
	return out
}

// Tables of one kind (one header) keep one set of column widths within a
// document: the columns of a short table line up with those of a long one.
func TestTablesOfOneKindLineUp(t *testing.T) {
	src := []byte("| 조치 | 담당 | 기한 |\n|---|---|---|\n| 짧음 | 팀 | 2024. 8. 15. |\n\n" +
		"문단\n\n| 조치 | 담당 | 기한 |\n|---|---|---|\n| 작업 계획서 양식에 영향 범위 검토 항목을 추가하고 교육함 | 변경관리위원회 | 2024. 8. 15. |\n")
	out := wordBoxes(t, src)
	xs := map[string][]string{}
	for _, m := range regexp.MustCompile(`<word xMin="([0-9.]+)"[^>]*>(담당|기한)</word>`).FindAllStringSubmatch(string(out), -1) {
		xs[m[2]] = append(xs[m[2]], m[1])
	}
	require.Len(t, xs["담당"], 2, string(out))
	assert.Equal(t, xs["담당"][0], xs["담당"][1], "the owner column starts at one place in both tables")
	assert.Equal(t, xs["기한"][0], xs["기한"][1])
}

// An item of a list written as lines of a paragraph (5. 대상 장애's 가.
// 나. 다.) that wraps goes on under its text, not under its marker, and
// the next item starts at the margin again.
func TestWrappedItemHangsUnderItsText(t *testing.T) {
	long := strings.Repeat("카카오톡 메시지 발송 지연 ", 12)
	src := []byte("가. " + long + "끝\\\n나. 짧은 항목\n")
	out := wordBoxes(t, src)
	// Each line's first word, top to bottom: its text and where it starts.
	type start struct {
		x    float64
		word string
	}
	var lines []start
	lastY := -1.0
	for _, m := range regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>([^<]*)</word>`).FindAllStringSubmatch(string(out), -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		if y > lastY+1 {
			lines = append(lines, start{x, m[3]})
			lastY = y
		}
	}
	words := regexp.MustCompile(`<word xMin="([0-9.]+)"[^>]*>카카오톡</word>`).FindStringSubmatch(string(out))
	require.NotNil(t, words, string(out))
	text, _ := strconv.ParseFloat(words[1], 64)
	// The items alone, not the page's head and foot around them.
	for i, l := range lines {
		if l.word == "가." {
			lines = lines[i:]
			break
		}
	}
	for i, l := range lines {
		if l.word == "나." {
			lines = lines[:i+1]
			break
		}
	}
	require.GreaterOrEqual(t, len(lines), 3, "the first item wraps: %v", lines)
	assert.Equal(t, "가.", lines[0].word)
	assert.Greater(t, text, lines[0].x, "the text stands after its marker")
	for _, l := range lines[1 : len(lines)-1] {
		assert.InDelta(t, text, l.x, 0.5, "a wrapped line (%q) starts under the text, not the marker", l.word)
	}
	last := lines[len(lines)-1]
	assert.Equal(t, "나.", last.word)
	assert.InDelta(t, lines[0].x, last.x, 0.5, "the next item starts at the margin")
}

// A line put above a built-in template's first line (a header, a marking)
// leaves the rest as it was: the template does not eat the line's end.
func TestHeaderLineAboveBuiltInTemplate(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	for _, lang := range Langs {
		for _, name := range []string{"plan", "correction"} {
			builtin, err := templates.FS.ReadFile(lang + "/" + name + ".md.tmpl")
			require.NoError(t, err)
			dir := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(dir, lang), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, lang, name+".md.tmpl"), append([]byte("---\n"), builtin...), 0o644))
			render := func(r *Renderer) string {
				var b bytes.Buffer
				if name == "plan" {
					require.NoError(t, r.Plan(&b, Markdown, v))
				} else {
					require.NoError(t, r.Correction(&b, Markdown, v))
				}
				return b.String()
			}
			want := render(newRenderer(t, lang, WithDate(docDate.AddDate(0, 2, 27))))
			got := render(newRenderer(t, lang, WithDate(docDate.AddDate(0, 2, 27)), WithTemplates(dir)))
			assert.Equal(t, "---\n"+want, got, "%s/%s", lang, name)
		}
	}
}

// The cover, the signature block and the page header and footer are parts
// a templates folder replaces one by one; the rest stays built in.
func TestOverridableParts(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	dir := t.TempDir()
	parts := filepath.Join(dir, "ko", "parts")
	require.NoError(t, os.MkdirAll(parts, 0o755))
	for name, src := range map[string]string{
		"cover.md.tmpl":     "# {{.Title}} (사내 양식)\n\n{{cell .Org.Name}} 품질본부",
		"signature.md.tmpl": "결재: 품질본부장 ____________",
		"header.txt.tmpl":   "{{.Ref}}\t품질본부 제출용",
		"footer.txt.tmpl":   "- {{.Page}} -",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(parts, name), []byte(src), 0o644))
	}
	r := newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27)), WithTemplates(dir), AsSubmission())
	var md, pdf bytes.Buffer
	require.NoError(t, r.Plan(&md, Markdown, v))
	assert.True(t, strings.HasPrefix(md.String(), "**주식회사 카카오**\n\n수신  "), "the letter first, under the sender's name: %s", md.String()[:200])
	assert.Contains(t, md.String(), "<!-- pagebreak -->\n\n# 개선 조치 계획 (사내 양식)\n\n주식회사 카카오 품질본부\n\n<!-- pagebreak -->", "then the cover, on its own page")
	assert.Contains(t, md.String(), "붙임  개선 조치 계획 1부.  끝.\n\n결재: 품질본부장 ____________\n")
	assert.NotContains(t, md.String(), "(직인)")
	assert.Contains(t, md.String(), "## 3. 영역별 개선 조치", "the rest is the built-in plan")
	require.NoError(t, r.Plan(&pdf, PDF, v))
	text, pages := pdfText(t, pdf.Bytes())
	assert.Contains(t, text, "서비스안정화실-1")
	assert.Contains(t, text, "품질본부 제출용")
	for p := 1; p <= pages; p++ {
		assert.Regexp(t, fmt.Sprintf(`\n- ?%d ?-\n`, p), text, "page %d numbered by the footer part", p)
	}
	assert.NotContains(t, text, "쪽")

	require.NoError(t, os.WriteFile(filepath.Join(parts, "footer.txt.tmpl"), []byte("{{.Nope}}"), 0o644))
	r = newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27)), WithTemplates(dir))
	err := r.Plan(io.Discard, PDF, v)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "footer")
	require.NoError(t, os.WriteFile(filepath.Join(parts, "cover.md.tmpl"), []byte("{{if}}"), 0o644))
	_, err = New(WithLang("ko"), WithTemplates(dir))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cover.md.tmpl")

	// A part that is a FIFO would block the read for ever; one too large
	// would take minutes: both are refused by name.
	require.NoError(t, os.Remove(filepath.Join(parts, "cover.md.tmpl")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(parts, "cover.md.tmpl"), 0o644))
	_, err = New(WithLang("ko"), WithTemplates(dir))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cover.md.tmpl is not a regular file")
	require.NoError(t, os.Remove(filepath.Join(parts, "cover.md.tmpl")))
	require.NoError(t, os.WriteFile(filepath.Join(parts, "cover.md.tmpl"), bytes.Repeat([]byte("가"), MaxTemplate), 0o644))
	_, err = New(WithLang("ko"), WithTemplates(dir))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "accepted: at most 1024 KiB")
}

// A submission of more than three pages carries a table of contents where
// its template asks, each heading with the page it is on; a short one does
// not.
func TestContentsOfALongSubmission(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	for _, lang := range Langs {
		var pdf bytes.Buffer
		require.NoError(t, newRenderer(t, lang, WithDate(docDate.AddDate(0, 2, 27))).Correction(&pdf, PDF, v))
		path := filepath.Join(t.TempDir(), "c.pdf")
		require.NoError(t, os.WriteFile(path, pdf.Bytes(), 0o600))
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		require.NoError(t, err)
		pages := strings.Split(string(out), "\f")
		require.Greater(t, len(pages), 4)
		title := map[string]string{"ko": "목차", "en": "Contents"}[lang]
		at := slices.IndexFunc(pages, func(p string) bool { return strings.Contains(p, title+"\n") })
		require.Equal(t, 2, at, "%s: the contents follow the cover and the letter", lang)
		entries := regexp.MustCompile(`(?m)^\s*(\d\.(?:\d )?[^.\n]*?)\s[. ]+\s(\d+)$`).FindAllStringSubmatch(pages[at], -1)
		require.GreaterOrEqual(t, len(entries), 5, pages[at])
		for _, e := range entries {
			page, err := strconv.Atoi(e[2])
			require.NoError(t, err)
			require.LessOrEqual(t, page, len(pages))
			assert.Contains(t, pages[page-1], strings.TrimSpace(e[1]), "%s: %q is on page %d", lang, e[1], page)
		}
	}
	var short bytes.Buffer
	md := []byte("# 짧은 문서\n\n<!-- contents -->\n\n## 1. 하나\n\n본문\n")
	require.NoError(t, writePDF(&short, md, docMeta{Title: "t"}, config{lang: "ko", paper: A4, loc: seoul, now: docDate}))
	text, n := pdfText(t, short.Bytes())
	assert.Equal(t, 1, n)
	assert.NotContains(t, text, "목차", "three pages or fewer: no contents")
}

// In HTML the contents marker is left out (a page scrolls), and a page
// break stays one.
func TestHTMLLeavesContentsOut(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	var b bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27))).Correction(&b, HTML, v))
	assert.Equal(t, 2, strings.Count(b.String(), `<div class="pagebreak"></div>`), "after the cover and after the letter")
	assert.NotContains(t, b.String(), "contents")
}

// A Markdown image in a template (a logo on the cover) appears in the PDF
// and in the HTML, read from the templates folder; an image outside it, or
// a file that is not one, is refused by name.
func TestLogoOnTheCover(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ko", "parts"), 0o755))
	logo := image.NewRGBA(image.Rect(0, 0, 300, 100))
	for x := 0; x < 300; x++ {
		for y := 0; y < 100; y++ {
			logo.Set(x, y, color.RGBA{R: 250, G: 225, B: 0, A: 255})
		}
	}
	var png_ bytes.Buffer
	require.NoError(t, png.Encode(&png_, logo))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "로고.png"), png_.Bytes(), 0o644))
	cover := func(src string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "ko", "parts", "cover.md.tmpl"), []byte(src), 0o644))
	}
	cover("![주식회사 카카오](로고.png \"40mm\")\n\n# {{.Title}}")
	r := newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27)), WithTemplates(dir))
	var pdf bytes.Buffer
	require.NoError(t, r.Plan(&pdf, PDF, v))
	path := filepath.Join(t.TempDir(), "p.pdf")
	require.NoError(t, os.WriteFile(path, pdf.Bytes(), 0o600))
	list, err := exec.Command("pdfimages", "-f", "2", "-l", "2", "-list", path).Output() // the cover follows the letter
	require.NoError(t, err, "pdfimages is needed (poppler-utils)")
	assert.Regexp(t, `(?m)^\s+2\s+0\s+image\s+300\s+100\s`, string(list), "the logo is on the cover, not its alt text")
	text, _ := pdfText(t, pdf.Bytes())
	assert.NotContains(t, text, "주식회사 카카오\n\n개선 조치 계획\n", "no alt text in its place")

	var html bytes.Buffer
	require.NoError(t, r.Plan(&html, HTML, v))
	assert.Contains(t, html.String(), `src="data:image/png;base64,`+base64.StdEncoding.EncodeToString(png_.Bytes())[:40])
	assert.Contains(t, html.String(), `style="width:40.0mm"`)

	outside := filepath.Join(t.TempDir(), "x.png")
	require.NoError(t, os.WriteFile(outside, png_.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "글.png"), []byte("not an image"), 0o644))
	// A small file claiming a huge picture, a damaged one, a FIFO; and a
	// 16-bit PNG, which is drawn (in 8 bits) rather than refused.
	var huge bytes.Buffer
	require.NoError(t, png.Encode(&huge, image.NewGray(image.Rect(0, 0, 5000, 4000))))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "huge.png"), huge.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cut.png"), png_.Bytes()[:len(png_.Bytes())/2], 0o644))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo.png"), 0o644))
	var deep bytes.Buffer
	require.NoError(t, png.Encode(&deep, image.NewGray16(image.Rect(0, 0, 40, 20))))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "deep.png"), deep.Bytes(), 0o644))
	cover("![x](deep.png)")
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27)), WithTemplates(dir)).Plan(io.Discard, PDF, v), "a 16-bit PNG is drawn")
	for src, want := range map[string]string{
		"![x](huge.png)":        "huge.png: 5000×4000 pixels; accepted: at most 16 million",
		"![x](cut.png)":         "cut.png: a damaged PNG image",
		"![x](fifo.png)":        "fifo.png: not a regular file",
		"![x](" + outside + ")": "leads outside the templates folder",
		"![x](글.png)":           "글.png: not a PNG or JPEG image",
		"![x](없음.png)":          "없음.png: no such file in the templates folder",
	} {
		cover(src)
		r := newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27)), WithTemplates(dir))
		err := r.Plan(io.Discard, PDF, v)
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want)
	}
}

// The HTML of a submission printed through headless Chromium, as a
// reviewer would print it: A4 pages numbered at the foot, Korean words,
// statuses and dates whole on their lines.
func TestHTMLPrintsWhole(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	require.NoError(t, err, "chromium is needed (apt-get install chromium fonts-nanum; .ci/run does it)")
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	var page bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27))).Correction(&page, HTML, v))
	dir := t.TempDir()
	in, out := filepath.Join(dir, "c.html"), filepath.Join(dir, "c.pdf")
	require.NoError(t, os.WriteFile(in, page.Bytes(), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--print-to-pdf="+out, "file://"+in)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	layout, err := exec.Command("pdftotext", "-layout", out, "-").Output()
	require.NoError(t, err)
	pages := strings.Split(strings.TrimSuffix(string(layout), "\f"), "\f")
	require.Greater(t, len(pages), 3)
	for i, p := range pages {
		assert.Regexp(t, fmt.Sprintf(`\b%d ?/ ?%d\s*$`, i+1, len(pages)), p, "page %d is numbered at its foot", i+1)
		assert.Contains(t, p, "[대외비] 시정 조치 결과 보고 — 주식회사 카카오", "page %d carries the marking, the title and submitter at its head", i+1)
	}
	// A heading, or a label over a table, never ends a page: it goes over
	// with what it heads.
	heads := map[string]bool{}
	for _, m := range regexp.MustCompile(`<h[1-6]>([^<]+)</h[1-6]>|<p><strong>([^<]+)</strong></p>`).FindAllStringSubmatch(page.String(), -1) {
		heads[strings.TrimSpace(m[1]+m[2])] = true
	}
	require.Greater(t, len(heads), 10)
	for i, p := range pages {
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		require.Greater(t, len(lines), 2)
		last := lines[len(lines)-2] // above the page number
		assert.False(t, heads[last], "page %d ends with the heading %q, apart from what it heads", i+1, last)
	}
	// The text's double spaces stay: 수신, 제목 and 붙임 are followed by
	// two, and 끝. comes two after the last word.
	assert.Contains(t, page.String(), "수신&#160; 과학기술정보통신부장관")
	assert.Contains(t, page.String(), "1부.&#160; 끝.")
	// Printed, an address is text: no blue link on the page.
	assert.Zero(t, bluePixels(t, out), "pixels of link blue on the printed first page")
	assert.Contains(t, page.String(), `<a href="mailto:ops@example.com">`, "the page on screen keeps the link")
	// So in the PDF too, where the address stays a link.
	var pdf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27))).Correction(&pdf, PDF, v))
	direct := filepath.Join(dir, "direct.pdf")
	require.NoError(t, os.WriteFile(direct, pdf.Bytes(), 0o600))
	assert.Zero(t, bluePixels(t, direct), "pixels of link blue on the PDF's first page")
	assert.Contains(t, pdf.String(), "mailto:ops@example.com", "the address is still a link")

	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page.String(), "")
	for _, whole := range []string{"미착수", "완료", "철회", "2024. 8. 16.", "2024. 8. 15.", "2024. 9. 2.(월)", "커뮤니케이션팀", "변경관리위원회"} {
		// A table's header row repeats on each page it runs over: a word
		// may be printed more often, never less, unless broken.
		assert.GreaterOrEqual(t, strings.Count(string(layout), whole), strings.Count(text, whole), "%q is printed whole each time", whole)
	}
}

// The printed page's head quotes the title as a CSS string: a title cannot
// close the style element or the string.
func TestPrintedHeadIsQuoted(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, writeHTML(&b, []byte("본문\n"), docMeta{Title: "x\"; } </style><script>alert(1)</script>\n\\", Ref: "A-1"}, "ko"))
	head := b.String()[:strings.Index(b.String(), "</head>")]
	assert.Equal(t, 1, strings.Count(head, "</style>"), "only the style element's own end")
	assert.NotContains(t, head, "<script>")
	assert.Contains(t, head, `@top-left { content: "x\22 ; } \3c /style\3e \3c script\3e alert(1)\3c /script\3e \a \5c "; }`)
	assert.Contains(t, head, `@top-right { content: "A-1"; }`)
}

// A line of a PDF never breaks inside a date or a count with what it
// leaves out, wherever the line happens to end.
func TestPDFKeepsDatesWhole(t *testing.T) {
	var src strings.Builder
	for i := 0; i < 40; i++ {
		src.WriteString(strings.Repeat("가", i%7+1))
		src.WriteString(" 2024. 12. 31.(화) 검토함, 31 December 2024 및 12건(철회 1건 제외) 처리 ")
	}
	var pdf bytes.Buffer
	require.NoError(t, writePDF(&pdf, []byte(src.String()+"\n"), docMeta{Title: "t"}, config{lang: "ko", paper: A4, loc: seoul, now: docDate}))
	text, _ := pdfText(t, pdf.Bytes())
	for _, whole := range []string{"2024. 12. 31.(화)", "31 December 2024", "12건(철회 1건 제외)"} {
		assert.Equal(t, 40, strings.Count(text, whole), "%q is never cut at a line's end", whole)
	}
}

// In a table too narrow for its text, a date stays whole in its cell: the
// column is never made narrower than one.
func TestPDFTableKeepsDatesWhole(t *testing.T) {
	row := "| 작업 전 사전 테스트 | 영향도 검토 교육 실시와 후속 점검 | 서비스안정화실 | 2024. 8. 20. | 2024. 9. 30. | 미착수 | 2024. 8. 30. | 합성 모니터링 솔루션 도입 계약 지연 |\n"
	src := "| 영역 | 조치 | 담당 | 기한 | 변경 기한 | 상태 | 완료일 | 지연 사유 |\n|---|---|---|---|---|---|---|---|\n" + strings.Repeat(row, 5)
	var pdf bytes.Buffer
	require.NoError(t, writePDF(&pdf, []byte(src), docMeta{Title: "t"}, config{lang: "ko", paper: A4, loc: seoul, now: docDate}))
	text, _ := pdfText(t, pdf.Bytes())
	for _, whole := range []string{"2024. 8. 20.", "2024. 9. 30.", "2024. 8. 30."} {
		assert.Equal(t, 5, strings.Count(text, whole), "%q whole in each row", whole)
	}
}

// A template that loops without writing is given up on after its budget,
// with the template named, instead of holding the command.
func TestTemplateBudget(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ko"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ko", "plan.md.tmpl"), []byte("{{range 2000000}}{{end}}끝."), 0o644))
	old := TemplateBudget
	TemplateBudget = 20 * time.Millisecond
	defer func() { TemplateBudget = old }()
	// Run to its end the loop would succeed: the error shows it was not
	// waited for.
	err := newRenderer(t, "ko", WithTemplates(dir)).Plan(io.Discard, Markdown, v)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "template plan ran longer than 20ms")
}

// Only the submission carries the document number: any other rendering
// is a draft (before it was submitted) or a copy for reference (after),
// marked so on the cover, in the running header and in the 시행 line.
func TestDraftsAndCopiesCarryNoNumber(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	require.Contains(t, v.Order.Numbers, "improvement-plan", "the fixture's plan was submitted")
	number := v.Order.Numbers["improvement-plan"]
	render := func(opts ...Option) string {
		var buf bytes.Buffer
		require.NoError(t, newRenderer(t, "ko", append([]Option{WithDate(docDate.AddDate(0, 2, 27))}, opts...)...).Plan(&buf, PDF, v))
		text, _ := pdfText(t, buf.Bytes())
		return text
	}
	var pdf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27))).Plan(&pdf, PDF, v))
	copyText, pages := pdfText(t, pdf.Bytes())
	assert.Equal(t, pages, strings.Count(copyText, "[대외비]"), "the marking on every page")
	assert.Equal(t, pages, strings.Count(copyText, "[참고용 사본] 제출본 아님"), "the copy says so on every page")
	assert.NotContains(t, copyText, number, "a copy carries no number")
	assert.Contains(t, copyText, "[참고용 사본]")
	assert.Contains(t, copyText, "시행 (참고용 사본)")
	sub := render(AsSubmission())
	assert.Contains(t, sub, number)
	assert.NotContains(t, sub, "참고용 사본")

	var md bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27))).Correction(&md, Markdown, v))
	if _, submitted := v.Order.Submitted["correction-report"]; !submitted {
		assert.Contains(t, md.String(), "**[초안]**", "not yet submitted: a draft")
		assert.Contains(t, md.String(), "시행 (제출 시 부여)")
	}
}

// A DOCX of the correction report, opened as a user would: LibreOffice
// (headless) converts it to PDF with the same text, in as many pages (give
// or take one) as the PDF; the two spaces before 끝. are kept; the header
// carries the mark and the footer the page number; pandoc reads it back.
func TestDOCXOpensAsTheDocument(t *testing.T) {
	for _, tool := range []string{"soffice", "pandoc", "pdftotext"} {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "%s is needed (.ci/run installs libreoffice-writer-nogui, pandoc, poppler-utils)", tool)
	}
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	r := newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27)))
	var docx, pdf bytes.Buffer
	require.NoError(t, r.Correction(&docx, DOCX, v))
	require.NoError(t, r.Correction(&pdf, PDF, v))
	var again bytes.Buffer
	require.NoError(t, r.Correction(&again, DOCX, v))
	assert.Equal(t, docx.Bytes(), again.Bytes(), "the same record gives the same bytes")

	dir := t.TempDir()
	path := filepath.Join(dir, "correction.docx")
	require.NoError(t, os.WriteFile(path, docx.Bytes(), 0o644))
	cmd := exec.Command("soffice", "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, path)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	converted, err := os.ReadFile(filepath.Join(dir, "correction.pdf"))
	require.NoError(t, err, "LibreOffice made no PDF: %s", out)
	text, pages := pdfText(t, converted)
	_, want := pdfText(t, pdf.Bytes())
	assert.InDelta(t, want, pages, 1, "pages as the PDF's, give or take one")
	flat := strings.Join(strings.Fields(text), " ")
	for _, s := range []string{"시정 조치 결과 보고", "과학기술정보통신부장관", "완료율은 50%", "이행 지연 조치", "변경관리 시스템 도입 일정 지연",
		"붙임 2. 사전 테스트 절차서", "[초안]", "끝."} {
		assert.Contains(t, flat, s)
	}
	assert.Regexp(t, `\n- ?2 ?-\n`, text, "the footer numbers the pages")

	z, err := zip.NewReader(bytes.NewReader(docx.Bytes()), int64(docx.Len()))
	require.NoError(t, err)
	part := func(name string) string {
		for _, f := range z.File {
			if f.Name == name {
				rc, err := f.Open()
				require.NoError(t, err)
				b, _ := io.ReadAll(rc)
				rc.Close()
				return string(b)
			}
		}
		t.Fatalf("no part %s", name)
		return ""
	}
	assert.True(t, strings.Contains(part("word/document.xml"), "  끝."), "the two spaces before 끝. are kept")
	assert.Equal(t, 2, strings.Count(part("word/document.xml"), `<w:trHeight w:val="454" w:hRule="atLeast"/>`), "the 결재란's two signing rows have room to sign")
	assert.True(t, strings.Contains(part("word/styles.xml"), `w:eastAsia="NanumGothic"`), "Korean in NanumGothic")
	assert.True(t, strings.Contains(part("word/header1.xml"), "초안"), "the header carries the draft's mark")
	pd, err := exec.Command("pandoc", "-f", "docx", "-t", "plain", path).CombinedOutput()
	require.NoError(t, err, string(pd))
	assert.Contains(t, strings.Join(strings.Fields(string(pd)), " "), "시정 조치 결과 보고")
}

// A record's English texts stand in for its Korean in documents in
// English, and only there; the 결재란 carries the organisation's own
// positions, in both.
func TestEnglishTextsAndApprovalChain(t *testing.T) {
	ctx := context.Background()
	s := fixtureStoreAt(t, orderClock)
	id := kakaoOrder(t, s)
	chain := []incident.Approver{{Position: "대리"}, {Position: "실장", Name: "김철수"}, {Position: "대표이사"}}
	_, err := s.SetOrg(ctx, incident.OrgChange{English: map[string]string{"name": "Kakao Corp.", "representative": "CEO Shina Chung"},
		Approval: &chain}, nil)
	require.NoError(t, err)
	en := "Major works were not tested beforehand"
	require.NoError(t, s.ChangeFinding(ctx, id, 1, incident.FindingChange{English: &en}))
	v := orderView(t, s, id, docDate.AddDate(0, 2, 27))
	first := v.Areas[0].Findings[0].Measures[0]
	_, err = s.UpdateAction(ctx, first.ID, seoul, func(a *incident.Action) error {
		return a.SetEnglish(map[string]string{"text": "Test every major change in staging first"})
	})
	require.NoError(t, err)
	_, err = s.UpdateIncident(ctx, 2, func(in *incident.Incident) error {
		return in.SetEnglish(map[string]string{"title": "KakaoTalk messages failed to send"})
	})
	require.NoError(t, err)
	v = orderView(t, s, id, docDate.AddDate(0, 2, 27))
	date := WithDate(docDate.AddDate(0, 2, 27))

	var ko, english bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", date).Plan(&ko, Markdown, v))
	require.NoError(t, newRenderer(t, "en", date).Plan(&english, Markdown, v))
	for _, want := range []string{"Kakao Corp.", "CEO Shina Chung", en, "Test every major change in staging first", "KakaoTalk messages failed to send"} {
		assert.Contains(t, english.String(), want)
		assert.NotContains(t, ko.String(), want, "the Korean document keeps the Korean")
	}
	for _, korean := range []string{"주식회사 카카오", "주요 작업 전 사전 테스트를 하지 않음", first.Text} {
		assert.Contains(t, ko.String(), korean)
		assert.NotContains(t, english.String(), korean, "given an English text, the English document shows it")
	}
	assert.Contains(t, english.String(), "| 대리 | 실장 | 대표이사 |\n|---|---|---|\n| 홍길동 | 김철수 |   |", "the drafter is the person responsible")
	assert.Contains(t, ko.String(), "| 대리 | 실장 | 대표이사 |\n|---|---|---|\n| 홍길동 | 김철수 | 정신아 |", "the representative signs in their place")
	assert.Contains(t, ko.String(), "| (서명) | (서명) | (서명) |")
	assert.NotContains(t, ko.String(), "| 담당 | 검토 | 승인 |")
	assert.Equal(t, "주식회사 카카오", v.Org.Name, "rendering in English leaves the view as it was")

	var pdf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", date).Plan(&pdf, PDF, v))
	text, _ := pdfText(t, pdf.Bytes())
	for _, want := range []string{"대리", "실장", "김철수", "대표이사"} {
		assert.Contains(t, text, want, "the PDF's 결재란")
	}
}

// bluePixels counts the pixels of a PDF's first page, drawn at 60 dpi, that
// are clearly blue (a link's colour).
func bluePixels(t *testing.T, pdf string) int {
	t.Helper()
	prefix := pdf + "-page"
	require.NoError(t, exec.Command("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", pdf, prefix).Run())
	matches, err := filepath.Glob(prefix + "-*.png")
	require.NoError(t, err)
	require.Len(t, matches, 1)
	fh, err := os.Open(matches[0])
	require.NoError(t, err)
	defer fh.Close()
	img, err := png.Decode(fh)
	require.NoError(t, err)
	blue := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if b > r+0x4000 && b > g+0x4000 {
				blue++
			}
		}
	}
	return blue
}

// The HTML gives the same items the same hang: each line of a paragraph
// that starts with a marker is an item of its own, its text beside the
// marker (the stylesheet lines its wrapped lines up under the text); a
// line without one keeps its break.
func TestHTMLItemsHangUnderTheirText(t *testing.T) {
	src := []byte("가. 첫 항목\\\n나. 둘째 항목\\\n끝맺는 줄\n\n보통 문단\\\n둘째 줄\n")
	var buf bytes.Buffer
	require.NoError(t, writeHTML(&buf, src, docMeta{Title: "t"}, "ko"))
	out := buf.String()
	assert.Contains(t, out, `<p><span class="item"><span class="mark">가.</span><span>첫 항목</span></span>`+"\n"+
		`<span class="item"><span class="mark">나.</span><span>둘째 항목</span></span>`+"\n끝맺는 줄</p>")
	assert.Contains(t, out, "<p>보통 문단<br>\n둘째 줄</p>", "a paragraph without items is as goldmark wrote it")
	assert.Contains(t, out, ".item { display: flex; }")
}
