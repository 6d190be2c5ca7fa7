package main

import (
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

// table writes rows in aligned columns measured in terminal cells, so
// Korean (two cells a character) lines up, which text/tabwriter, counting
// runes, does not do. The last column is not padded.
type table struct {
	indent string
	rows   [][]string
}

// row adds a row; what it shows is made safe for a terminal (escape
// sequences and newlines in a title are shown, not obeyed).
func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = incident.Printable(c)
	}
	t.rows = append(t.rows, cells)
}

func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.WriteString(t.indent)
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
