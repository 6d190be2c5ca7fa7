package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/incident/incidenttest"
)

// The May 2024 case as its quarter's review: Markdown golden in both
// languages, and a Korean PDF whose text is searchable and whose four
// charts are images drawn from the data.
func TestQuarterlyReport(t *testing.T) {
	s := fixtureStoreAt(t, time.Date(2024, 7, 10, 0, 0, 0, 0, seoul))
	ctx := context.Background()
	require.NoError(t, s.CreateOrder(ctx, &incident.Order{Regime: "kr-msit", Received: incident.NewDate(2024, 5, 31), Incidents: []int64{1, 2, 3},
		Submitted: map[string]incident.Date{"improvement-plan": incident.NewDate(2024, 6, 28)}}))
	require.NoError(t, s.AddAction(ctx, &incident.Action{IncidentID: ptr(int64(3)), Area: incident.AreaChangeControl, Owner: "변경관리위원회",
		Due: incident.NewDate(2024, 6, 15), Text: "장애 중 변경 작업 금지"}))
	rs, err := incident.LoadRegimes()
	require.NoError(t, err)
	w, err := incident.ParseQuarter("2024Q2", seoul)
	require.NoError(t, err)
	rv, err := s.Review(ctx, w, incident.ReviewFilter{}, rs)
	require.NoError(t, err)
	for _, lang := range Langs {
		var buf bytes.Buffer
		require.NoError(t, newRenderer(t, lang, WithDate(time.Date(2024, 7, 10, 9, 0, 0, 0, seoul))).Quarterly(&buf, Markdown, rv))
		golden(t, "quarterly-2024Q2."+lang+".md", buf.Bytes())
		assert.NotContains(t, buf.String(), "chart:", "Markdown carries the tables, not the charts")
	}
	md := func(lang string) string {
		var buf bytes.Buffer
		require.NoError(t, newRenderer(t, lang).Quarterly(&buf, Markdown, rv))
		return buf.String()
	}("ko")
	assert.Contains(t, md, "| 장애 건수 | 0 | 3 | ▲ 3건 |")
	assert.Contains(t, md, "카카오톡 메시지 송수신 실패(관리 번호 2, 2024. 5. 20.) → 카카오톡 PC 로그인 실패 및 모바일 메시지 지연(관리 번호 3, 2024. 5. 21.)")
	assert.Contains(t, md, "| 변경·배포 | 3 | 66분 |")
	assert.Contains(t, md, "| 작업·변경 통제 | 0 | 0 | 1 |", "set after the window (07-10), overdue at its end (due 06-15)")
	assert.NotContains(t, md, "개선 조치 계획", "the plan falls due on 07-01, after the window")
	assert.Contains(t, md, "| 2024. 5. 21. 09:32 | 관리 번호 3 | 이용자 장애 고지 | 기한 내 이행 |", "the 09:00 notice, 28 min after detection: within the regime's 1 h target")

	var pdf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko").Quarterly(&pdf, PDF, rv))
	dir := t.TempDir()
	path := filepath.Join(dir, "q.pdf")
	require.NoError(t, os.WriteFile(path, pdf.Bytes(), 0o644))
	text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	require.NoError(t, err, "pdftotext is needed (poppler-utils; .ci/run installs it)")
	for _, want := range []string{"분기 장애 검토: 2024년 2분기", "2. 장애 현황", "66분", "중앙값은 5분", "카카오톡 메시지 송수신 실패(관리 번호 2, 2024. 5. 20.)"} {
		assert.Contains(t, string(text), want)
	}
	images, err := exec.Command("pdfimages", "-list", path).Output()
	require.NoError(t, err)
	n := 0
	for _, l := range strings.Split(string(images), "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[2] == "image" {
			n++
		}
	}
	assert.Equal(t, 4, n, "four charts:\n%s", images)

	var html bytes.Buffer
	require.NoError(t, newRenderer(t, "ko").Quarterly(&html, HTML, rv))
	assert.Equal(t, 4, strings.Count(html.String(), `src="data:image/svg+xml;base64,`), "four SVG charts in the HTML")
}

func ptr[T any](v T) *T { return &v }

// BenchmarkQuarterly builds one quarter's review and its Korean PDF, at
// 1,000, 10,000 and 100,000 incidents (two years of them, 100 events
// each: a quarter holds an eighth).
func BenchmarkQuarterly(b *testing.B) {
	rs, err := incident.LoadRegimes()
	require.NoError(b, err)
	w, err := incident.ParseQuarter("2023Q2", time.UTC)
	require.NoError(b, err)
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if testing.Short() && n > 10_000 {
				b.Skip("-short: the 100,000-incident database is large")
			}
			s, err := incident.Open(context.Background(), incidenttest.Cached(b, n, 100))
			require.NoError(b, err)
			defer s.Close()
			r, err := New(WithLang("ko"), WithZone(time.UTC), WithDate(time.Date(2023, 7, 10, 0, 0, 0, 0, time.UTC)))
			require.NoError(b, err)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rv, err := s.Review(context.Background(), w, incident.ReviewFilter{}, rs)
				if err != nil {
					b.Fatal(err)
				}
				if err := r.Quarterly(io.Discard, PDF, rv); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// report fields names what each template can use.
func TestFieldsOfEachReport(t *testing.T) {
	for name, want := range map[string]string{"postmortem": ".I.Title  string", "plan": ".Org.Representative  string",
		"correction": ".PlanNumber  string", "notice": ".Next  string", "quarterly": ".R.Resolve.Median  float64"} {
		fields, err := Fields(name)
		require.NoError(t, err)
		assert.Contains(t, fields, want, name)
	}
	_, err := Fields("memo")
	assert.ErrorContains(t, err, "accepted: correction, footer, header, notice, plan, postmortem, quarterly")
}

// An order's measures are counted in the quarter their plan set them (the
// plan submitted on 06-28), though they were typed in on 08-30: the
// second quarter's review does not say no measure was set.
func TestQuarterCountsMeasuresWhenThePlanSetThem(t *testing.T) {
	s := fixtureStoreAt(t, orderClock)
	kakaoOrder(t, s)
	rs, err := incident.LoadRegimes()
	require.NoError(t, err)
	ctx := context.Background()
	q2, err := incident.ParseQuarter("2024Q2", seoul)
	require.NoError(t, err)
	rv, err := s.Review(ctx, q2, incident.ReviewFilter{}, rs)
	require.NoError(t, err)
	var orderMeasures int
	all, err := s.Actions(ctx, incident.ActionFilter{})
	require.NoError(t, err)
	for _, a := range all {
		if a.OrderID != nil {
			orderMeasures++
		}
	}
	require.Positive(t, orderMeasures)
	assert.Equal(t, orderMeasures, rv.Measures.Opened, "set by the 06-28 plan, in Q2")
	q3, err := incident.ParseQuarter("2024Q3", seoul)
	require.NoError(t, err)
	rv3, err := s.Review(ctx, q3, incident.ReviewFilter{}, rs)
	require.NoError(t, err)
	assert.Zero(t, rv3.Measures.Opened, "not again in Q3, when they were typed in")
}
