package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/yuin/goldmark/util"
)

//go:embed report.css
var stylesheet string

// writeHTML renders the Markdown with goldmark's own HTML renderer into a
// standalone page with a small embedded stylesheet.
func writeHTML(w io.Writer, src []byte, meta docMeta, lang string) error {
	if _, err := fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
		lang, html.EscapeString(meta.Title), stylesheet); err != nil {
		return err
	}
	// Contents have page numbers only in a PDF; a page scrolls.
	src = bytes.ReplaceAll(src, []byte(Contents), nil)
	if len(meta.charts) == 0 && len(meta.images) == 0 && !bytes.Contains(src, []byte(PageBreak)) {
		if err := md.Renderer().Render(w, src, parse(src)); err != nil {
			return fmt.Errorf("render html: %w", err)
		}
	} else {
		// Charts go in as SVG images, named chart:NAME in the Markdown.
		var buf bytes.Buffer
		if err := md.Renderer().Render(&buf, src, parse(src)); err != nil {
			return fmt.Errorf("render html: %w", err)
		}
		out := strings.ReplaceAll(buf.String(), "<!-- raw HTML omitted -->", `<div class="pagebreak"></div>`)
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
		if _, err := io.WriteString(w, out); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "</main>\n</body>\n</html>\n")
	return err
}
