package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark/util"
)

//go:embed report.css
var stylesheet string

// writeHTML renders the Markdown with goldmark's own HTML renderer into a
// standalone page with a small embedded stylesheet.
func writeHTML(w io.Writer, src []byte, meta docMeta, lang string) error {
	// Printed, each page carries the document's title, under its security
	// marking, and its number at its head, as the PDF's pages do.
	title := meta.Title
	if meta.Marking != "" {
		title = "[" + meta.Marking + "] " + title
	}
	furniture := fmt.Sprintf("@page { @top-left { content: %s; } @top-right { content: %s; } }\n", cssString(title), cssString(meta.Ref))
	if _, err := fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<main>\n",
		lang, html.EscapeString(meta.Title), stylesheet, furniture); err != nil {
		return err
	}
	// Contents have page numbers only in a PDF; a page scrolls.
	src = bytes.ReplaceAll(src, []byte(Contents), nil)
	var buf bytes.Buffer
	if err := md().Renderer().Render(&buf, src, parse(src)); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	out := buf.String()
	if bytes.Contains(src, []byte(PageBreak)) {
		// Raw HTML is not rendered, so the only raw blocks are the
		// templates' markers.
		out = strings.ReplaceAll(out, "<!-- raw HTML omitted -->", `<div class="pagebreak"></div>`)
	}
	// Charts go in as SVG images, named chart:NAME in the Markdown.
	for name, c := range meta.charts {
		out = strings.ReplaceAll(out, `src="chart:`+name+`"`,
			`src="data:image/svg+xml;base64,`+base64.StdEncoding.EncodeToString(c.svg)+`" class="chart"`)
	}
	// Image files go in whole, so the page stands alone.
	for dest, c := range meta.images {
		mime, data := "image/png", c.png
		if c.jpeg != nil {
			mime, data = "image/jpeg", c.jpeg
		}
		uri := fmt.Sprintf(`src="data:%s;base64,%s" style="width:%.1fmm"`, mime, base64.StdEncoding.EncodeToString(data), c.w)
		out = strings.ReplaceAll(out, `src="`+string(util.EscapeHTML(util.URLEscape([]byte(dest), false)))+`"`, uri)
	}
	if _, err := io.WriteString(w, keepWhole(hangItems(out))); err != nil {
		return err
	}
	_, err := io.WriteString(w, "</main>\n</body>\n</html>\n")
	return err
}

// cssString quotes s as a CSS string: quotes, backslashes, line ends and
// anything that could close the style element are escaped.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// paragraph is a paragraph of goldmark's HTML, its lines ended by <br>.
var paragraph = regexp.MustCompile(`(?s)<p>(.*?)</p>`)

// hangItems marks each line of a paragraph that starts with an item's
// marker (itemMarker: 가. 1) (1) a.) as an item whose wrapped lines go on
// under its text, as the PDF writes them.
func hangItems(body string) string {
	return paragraph.ReplaceAllStringFunc(body, func(p string) string {
		lines := strings.Split(p[len("<p>"):len(p)-len("</p>")], "<br>\n")
		items := make([]bool, len(lines))
		for i, l := range lines {
			if m := itemMarker.FindStringIndex(l); m != nil {
				lines[i] = `<span class="item"><span class="mark">` + strings.TrimSpace(l[:m[1]]) + `</span><span>` + l[m[1]:] + `</span></span>`
				items[i] = true
			}
		}
		var b strings.Builder
		b.WriteString("<p>")
		for i, l := range lines {
			if i > 0 {
				if items[i-1] || items[i] {
					b.WriteString("\n") // an item is a line of its own
				} else {
					b.WriteString("<br>\n")
				}
			}
			b.WriteString(l)
		}
		b.WriteString("</p>")
		return b.String()
	})
}

// dateInText is a date as the documents write one (2024. 5. 31.(금),
// 2024-05-31, 31 May 2024): printed, it must not break across lines.
var dateInText = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\d{4}\. \d{1,2}\. \d{1,2}\.(?:\([월화수목금토일]\))?(?: \d{2}:\d{2})?|\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?|\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}`)
})

// keepWhole wraps the dates of an HTML body's text (not of its tags) so a
// line never breaks inside one, and keeps the text's double spaces (수신  ,
// the two before 끝., the 붙임 lines' alignment) that HTML would fold into
// one.
func keepWhole(body string) string {
	var b strings.Builder
	for len(body) > 0 {
		lt := strings.IndexByte(body, '<')
		if lt < 0 {
			lt = len(body)
		}
		text := dateInText().ReplaceAllString(body[:lt], `<span class="nw">$0</span>`)
		b.WriteString(strings.ReplaceAll(text, "  ", "&#160; "))
		body = body[lt:]
		gt := strings.IndexByte(body, '>')
		if gt < 0 {
			b.WriteString(body)
			break
		}
		b.WriteString(body[:gt+1])
		body = body[gt+1:]
	}
	return b.String()
}
