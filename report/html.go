package report

import (
	_ "embed"
	"fmt"
	"html"
	"io"
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
	if err := md.Renderer().Render(w, src, parse(src)); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	_, err := io.WriteString(w, "</main>\n</body>\n</html>\n")
	return err
}
