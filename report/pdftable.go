package report

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// pdfTable is a table read out of the AST: plain cell text, header first.
type pdfTable struct {
	header []string
	rows   [][]string
	align  []east.Alignment
}

func (p *pdfWriter) readTable(n *east.Table) pdfTable {
	t := pdfTable{align: n.Alignments}
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, strings.TrimSpace(p.plain(c)))
		}
		if _, ok := r.(*east.TableHeader); ok {
			t.header = cells
		} else {
			t.rows = append(t.rows, cells)
		}
	}
	return t
}

// table draws a table across the text column: columns fitted to their
// content, cells wrapped, the header row repeated after a page break.
func (p *pdfWriter) table(n *east.Table) { p.drawTable(p.readTable(n)) }

// tableKinds reads every table of doc, grouped by header: tables of one
// kind (the measures of each finding, say) are drawn with the same column
// widths, fitted to all of them, so the columns line up page after page.
func (p *pdfWriter) tableKinds(doc ast.Node) map[string]pdfTable {
	kinds := map[string]pdfTable{}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*east.Table); ok && entering {
			read := p.readTable(t)
			k := kinds[kindOf(read)]
			k.header, k.align = read.header, read.align
			k.rows = append(k.rows, read.rows...)
			kinds[kindOf(read)] = k
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return kinds
}

func kindOf(t pdfTable) string { return strings.Join(t.header, "\x1f") }

// drawTable draws a table already read out of the AST.
func (p *pdfWriter) drawTable(t pdfTable) {
	if len(t.header) == 0 {
		return
	}
	p.size = tableSize
	measured := t
	if k, ok := p.kinds[kindOf(t)]; ok && len(k.header) == len(t.header) {
		measured = k
	}
	widths := p.columnWidths(measured)
	// The header row never stands alone at a page's foot: it goes down
	// with the first row when the two do not fit.
	if len(t.rows) > 0 {
		_, top, _, bottom := p.pdf.GetMargins()
		_, ph := p.pdf.GetPageSize()
		first := min(p.rowHeight(widths, t.header, "B")+p.rowHeight(widths, t.rows[0], ""), 40)
		if p.pdf.GetY()+first > ph-bottom && p.pdf.GetY() > top+1 {
			p.pdf.AddPage()
		}
	}
	p.pdf.SetDrawColor(190, 196, 203)
	p.pdf.SetLineWidth(0.2)
	p.pdf.SetTextColor(0, 0, 0)
	p.pdf.SetCellMargin(cellPadX)
	p.row(t, widths, t.header, true)
	for _, r := range t.rows {
		p.row(t, widths, r, false)
	}
	p.size = bodySize
	p.gap(3)
}

// rowHeight is how tall a row of cells is drawn, in mm.
func (p *pdfWriter) rowHeight(widths []float64, cells []string, style string) float64 {
	p.pdf.SetFont(family, style, tableSize)
	lines := 1
	for i := 0; i < len(widths) && i < len(cells); i++ {
		lines = max(lines, len(p.pdf.SplitText(cells[i], widths[i])))
	}
	return float64(lines)*p.lineH() + 2*cellPadY
}

// row draws one table row, starting a new page (and repeating the header
// there) when the row would not fit.
func (p *pdfWriter) row(t pdfTable, widths []float64, cells []string, head bool) {
	cols := len(widths)
	lh := p.lineH()
	_, _, _, bottom := p.pdf.GetMargins()
	_, ph := p.pdf.GetPageSize()
	style := ""
	if head {
		style = "B"
	}
	p.pdf.SetFont(family, style, tableSize)
	lines := make([][]string, cols)
	height := 1
	for i := range lines {
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		lines[i] = p.pdf.SplitText(cell, widths[i])
		height = max(height, len(lines[i]))
	}
	// A row taller than what is left of the page starts a new one; a row
	// taller than a whole page (a very long cell) is cut at page ends and
	// goes on under the repeated header.
	for from := 0; from < height; {
		if p.pdf.Err() {
			return // a page cannot be added: the error is reported once drawing ends
		}
		room := int((ph - bottom - p.pdf.GetY() - 2*cellPadY) / lh)
		if room < height-from && (room < 1 || from == 0 && p.fitsOnNewPage(t, widths, height, lh)) {
			p.pdf.AddPage()
			if !head {
				p.row(t, widths, t.header, true)
				p.pdf.SetFont(family, style, tableSize)
			}
			continue
		}
		to := min(height, from+max(room, 1))
		p.rowPart(t, lines, widths, from, to, head)
		from = to
	}
}

// fitsOnNewPage reports whether a row of height lines fits on a fresh page
// under the header.
func (p *pdfWriter) fitsOnNewPage(t pdfTable, widths []float64, height int, lh float64) bool {
	_, top, _, bottom := p.pdf.GetMargins()
	_, ph := p.pdf.GetPageSize()
	headLines := 1
	for i, c := range t.header {
		headLines = max(headLines, len(p.pdf.SplitText(c, widths[i])))
	}
	return top+float64(headLines+height)*lh+4*cellPadY <= ph-bottom
}

// rowPart draws lines [from, to) of each cell of a row as one band.
func (p *pdfWriter) rowPart(t pdfTable, lines [][]string, widths []float64, from, to int, head bool) {
	left, _, _, _ := p.pdf.GetMargins()
	lh := p.lineH()
	h := float64(to-from)*lh + 2*cellPadY
	y := p.pdf.GetY()
	x := left
	for i := range lines {
		if head {
			p.pdf.SetFillColor(236, 239, 243)
			p.pdf.Rect(x, y, widths[i], h, "FD")
		} else {
			p.pdf.Rect(x, y, widths[i], h, "D")
		}
		align := "L"
		if i < len(t.align) {
			switch t.align[i] {
			case east.AlignRight:
				align = "R"
			case east.AlignCenter:
				align = "C"
			}
		}
		for j := from; j < to && j < len(lines[i]); j++ {
			p.pdf.SetXY(x, y+cellPadY+float64(j-from)*lh)
			p.pdf.CellFormat(widths[i], lh, lines[i][j], "", 0, align, false, 0, "")
		}
		x += widths[i]
	}
	p.pdf.SetXY(left, y+h)
}

// columnWidths fits the columns to the text column. Each column gets at
// least the width of its longest word and, when there is room, its widest
// cell; the room between is shared in proportion to what each wants more.
func (p *pdfWriter) columnWidths(t pdfTable) []float64 {
	cols := len(t.header)
	pw, _ := p.pdf.GetPageSize()
	left, _, right, _ := p.pdf.GetMargins()
	avail := pw - left - right
	natural := make([]float64, cols)
	minimum := make([]float64, cols)
	measure := func(cells []string, style string) {
		p.pdf.SetFont(family, style, tableSize)
		for i := 0; i < cols && i < len(cells); i++ {
			natural[i] = max(natural[i], p.pdf.GetStringWidth(cells[i])+2*cellPadX+0.5)
			for _, word := range unbreakableWords(cells[i]) {
				minimum[i] = max(minimum[i], p.pdf.GetStringWidth(word)+2*cellPadX+0.5)
			}
		}
	}
	measure(t.header, "B")
	for _, r := range t.rows {
		measure(r, "")
	}
	// A single long word must not starve the other columns.
	for i := range minimum {
		minimum[i] = min(max(minimum[i], 8), avail/float64(cols)*1.6)
		natural[i] = max(natural[i], minimum[i])
	}
	sum := func(v []float64) (s float64) {
		for _, x := range v {
			s += x
		}
		return s
	}
	// A column of short cells (labels, dates, statuses) keeps them on one
	// line, the narrowest first, as long as every word still fits whole.
	short := make([]int, 0, cols)
	for i := range natural {
		if natural[i] > minimum[i] && natural[i] <= avail*0.22 {
			short = append(short, i)
		}
	}
	sort.Slice(short, func(a, b int) bool { return natural[short[a]]-minimum[short[a]] < natural[short[b]]-minimum[short[b]] })
	// The long columns keep room for a fair share each (or all they want),
	// so a wide label column does not squeeze the text to a word a line.
	isShort := make([]bool, cols)
	for _, i := range short {
		isShort[i] = true
	}
	reserve := 0.0
	for i := range natural {
		if !isShort[i] {
			reserve += max(minimum[i], min(natural[i], avail*0.22)) - minimum[i]
		}
	}
	for _, i := range short {
		if sum(minimum)+reserve+natural[i]-minimum[i] <= avail {
			minimum[i] = natural[i]
		}
	}
	w := make([]float64, cols)
	switch nat, mn := sum(natural), sum(minimum); {
	case nat <= avail:
		// Everything fits on one line: share the spare room by width.
		for i := range w {
			w[i] = natural[i] * avail / nat
		}
	case mn >= avail:
		for i := range w {
			w[i] = minimum[i] * avail / mn
		}
	default:
		for i := range w {
			w[i] = minimum[i] + (avail-mn)*(natural[i]-minimum[i])/(nat-mn)
		}
	}
	return w
}

// unbreakableWords are the pieces a cell may wrap between: its words, a
// date or a count with what it leaves out counting as one (flow keeps
// them whole in running text the same way).
func unbreakableWords(s string) []string {
	glued := gluedSpaces(s)
	if glued == nil {
		return strings.Fields(s)
	}
	var out []string
	var word []rune
	for i, r := range []rune(s) {
		if (r == ' ' && !glued[i]) || r == '\n' || r == '\t' {
			if len(word) > 0 {
				out = append(out, string(word))
			}
			word = word[:0]
			continue
		}
		word = append(word, r)
	}
	if len(word) > 0 {
		out = append(out, string(word))
	}
	return out
}
