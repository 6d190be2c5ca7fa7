package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEscapeIsLiteral renders escaped user text through goldmark and checks
// it comes out exactly as typed.
func TestEscapeIsLiteral(t *testing.T) {
	for _, s := range []string{
		"a | b", "# not a heading", "*not bold*", "**(6분)**이", "`code`", "<b>tag</b>", "{{.Title}}",
		"1. not a list", "12) neither", "- no bullet", "+ no", "> no quote", "= no", "R&D &amp; co", "C:\\path\\",
		"[link](http://x)", "![img](x.png)", "under_score_word", "~~strike~~", "100% 완료.", "5월 20일.",
	} {
		var out bytes.Buffer
		src := []byte(escapeBlock(s))
		assert.NoError(t, md().Renderer().Render(&out, src, parse(src)))
		var plain bytes.Buffer
		// the HTML of one paragraph: <p>TEXT</p> and a newline, with & < > " escaped
		want := "<p>" + htmlEscape(s) + "</p>\n"
		plain.WriteString(want)
		assert.Equal(t, plain.String(), out.String(), "input %q became markdown %q", s, src)
	}
}

func htmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestSystemEntriesInKorean(t *testing.T) {
	for in, want := range map[string]string{
		"declared SEV2: 메시지 {status.open} $1":              "2등급(높음) 장애 선언: 메시지 {status.open} $1",
		"declared SEV1: x (recorded 2026-11-27 20:12 UTC)": "1등급(심각) 장애 선언: x (2026-11-27 20:12 UTC 기록)",
		"severity SEV2 → SEV1":                             "등급 2등급(높음) → 1등급(심각)",
		"status resolved → reviewed":                       "상태 해결됨 → 검토 완료",
		"mitigated (moved from 2024-05-20 05:57:00 UTC)":   "응급조치 시각 변경 (이전 2024-05-20 05:57:00 UTC)",
		"resolved": "해결",
		"duty met: Improvement action plan (marked done: 서비스안정화실-1)": "의무 이행: 개선 조치 계획 (marked done: 서비스안정화실-1)",
		"something new": "something new",
	} {
		assert.Equal(t, want, systemText("ko", in), in)
		assert.Equal(t, in, systemText("en", in), "English is stored as it reads")
	}
}

func TestCircled(t *testing.T) {
	assert.Equal(t, "서버 재기동", circled([]string{"서버 재기동"}))
	assert.Equal(t, "① 서버 재기동 ② 페일오버", circled([]string{"서버 재기동", "페일오버"}))
	many := make([]string, 22)
	for i := range many {
		many[i] = "x"
	}
	assert.True(t, strings.HasSuffix(circled(many), "⑳ x (21) x (22) x"))
}
