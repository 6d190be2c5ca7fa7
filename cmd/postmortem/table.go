package main

import (
	"bufio"
	"io"

	"github.com/clipperhouse/displaywidth"

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
	// Each cell is measured once (cells are escaped text: no sequences to
	// skip, so a plain display-width count serves, and it is quick).
	var widths []int
	cellW := make([][]int, len(t.rows))
	for j, r := range t.rows {
		cellW[j] = make([]int, len(r))
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			cellW[j][i] = displaywidth.String(c)
			widths[i] = max(widths[i], cellW[j][i])
		}
	}
	b := bufio.NewWriterSize(w, 1<<16)
	for j, r := range t.rows {
		b.WriteString(t.indent)
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				for n := widths[i] - cellW[j][i] + 2; n > 0; n-- {
					b.WriteByte(' ')
				}
			}
		}
		b.WriteByte('\n')
	}
	return b.Flush()
}
