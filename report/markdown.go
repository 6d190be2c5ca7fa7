package report

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// md is the one Markdown dialect of every report: CommonMark with GFM
// tables and strikethrough. The CJK extension stays off: it drops the space
// at soft line breaks, which Korean sentences need. Raw HTML is not
// rendered (goldmark's default), so nothing typed can inject markup.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

// parse reads src into goldmark's AST.
func parse(src []byte) ast.Node {
	return md.Parser().Parse(text.NewReader(src))
}
