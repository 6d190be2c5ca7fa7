package main

import (
	"bufio"
	"io"
	"slices"

	"github.com/clipperhouse/displaywidth"

	"github.com/postmortem/postmortem/incident"
)

// table writes rows in aligned columns measured in terminal cells, so
// Korean (two cells a character) lines up, which text/tabwriter, counting
// runes, does not do. The last column is not padded.
//
// The cells' text is kept in one buffer, each cell measured once as it
// comes: a listing of 100,000 incidents is 700,000 cells, and a string
// apiece would be 700,000 things for the collector to chase.
type table struct {
	indent string
	text   []byte
	ends   []int32 // where each cell ends in text
	widths []int32 // each cell's width
	rows   []int32 // where each row's cells end in ends
	cols   []int32 // the widest cell of each column
}

// row adds a row; what it shows is made safe for a terminal (escape
// sequences and newlines in a title are shown, not obeyed).
func (t *table) row(cells ...string) {
	for i, c := range cells {
		t.cell(i, c)
	}
	t.endRow()
}

func (t *table) cell(i int, c string) {
	c = incident.Printable(c)
	t.add(i, c, cells(c))
}

// cells is how many terminal cells s takes. Printable ASCII and Hangul
// syllables, nearly every title, are counted rune by rune; anything else
// goes through displaywidth's grapheme rules.
func cells(s string) int32 {
	var n int32
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
			n++
		case r >= 0xac00 && r <= 0xd7a3:
			n += 2
		default:
			return int32(displaywidth.String(s))
		}
	}
	return n
}

func (t *table) add(i int, c string, w int32) {
	t.text = append(t.text, c...)
	t.ends = append(t.ends, int32(len(t.text)))
	t.widths = append(t.widths, w)
	if i >= len(t.cols) {
		t.cols = append(t.cols, 0)
	}
	t.cols[i] = max(t.cols[i], w)
}

// ascii adds a cell the tool wrote itself in ASCII (a number, a date):
// nothing to escape, a cell a byte.
func (t *table) ascii(i int, p []byte) { t.add(i, string(p), int32(len(p))) }

// grow makes room for n more rows of cols cells of about width bytes.
func (t *table) grow(n, cols, width int) {
	t.text = slices.Grow(t.text, n*width)
	t.ends = slices.Grow(t.ends, n*cols)
	t.widths = slices.Grow(t.widths, n*cols)
	t.rows = slices.Grow(t.rows, n)
}

func (t *table) endRow() { t.rows = append(t.rows, int32(len(t.ends))) }

func (t *table) write(w io.Writer) error {
	b := bufio.NewWriterSize(w, 1<<16)
	var cell, at int32
	for _, end := range t.rows {
		b.WriteString(t.indent)
		for i := 0; cell < end; i, cell = i+1, cell+1 {
			b.Write(t.text[at:t.ends[cell]])
			at = t.ends[cell]
			if cell < end-1 {
				for n := t.cols[i] - t.widths[cell] + 2; n > 0; n-- {
					b.WriteByte(' ')
				}
			}
		}
		b.WriteByte('\n')
	}
	return b.Flush()
}
