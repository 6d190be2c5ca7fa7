package report

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"strings"
	"sync"
)

// md is the one Markdown dialect of every report: CommonMark with GFM
// tables and strikethrough. The CJK extension stays off: it drops the space
// at soft line breaks, which Korean sentences need. Raw HTML is not
// rendered (goldmark's default), so nothing typed can inject markup.
// md is made the first time a report needs it, not on every start of
// every command.
var md = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
})

// parse reads src into goldmark's AST.
func parse(src []byte) ast.Node {
	return md().Parser().Parse(text.NewReader(src))
}

// PageBreak is the marker a template writes where a new page starts (in
// the PDF, and when the HTML is printed); Markdown keeps it as a comment.
const PageBreak = "<!-- pagebreak -->"

// Contents is the marker a template writes where a table of contents goes:
// in a PDF of more than three pages it becomes one (with page numbers);
// otherwise, and in HTML and Markdown, it is left out.
const Contents = "<!-- contents -->"

// isPageBreak reports whether an HTML block is the page-break marker.
func isPageBreak(n *ast.HTMLBlock, src []byte) bool { return isMarker(n, src, PageBreak) }

// isMarker reports whether an HTML block is the marker m.
func isMarker(n *ast.HTMLBlock, src []byte, m string) bool {
	var b []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b = append(b, seg.Value(src)...)
	}
	return strings.TrimSpace(string(b)) == m
}
