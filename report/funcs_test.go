package report

import (
	"bytes"
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
		assert.NoError(t, md.Renderer().Render(&out, src, parse(src)))
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
