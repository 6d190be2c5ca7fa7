package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/postmortem/postmortem/report/internal/gofpdf"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Page geometry and type sizes, in mm and points.
const (
	margin     = 20.0
	bodySize   = 10.0
	tableSize  = 9.0
	footerSize = 8.0
	leading    = 1.45 // line height as a multiple of the type size
	ptToMM     = 25.4 / 72
	listIndent = 6.0
	cellPadX   = 1.6
	cellPadY   = 1.2
	family     = "nanum"
)

// newPDF makes a document with the embedded font loaded, the page
// furniture set and deterministic metadata.
func newPDF(meta docMeta, c config, last *bool) (*gofpdf.Fpdf, error) {
	size := "A4"
	if c.paper == Letter {
		size = "Letter"
	}
	pdf := gofpdf.New("P", "mm", size, "")
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	if pdf.Err() {
		return nil, fmt.Errorf("load font: %w", pdf.Error())
	}
	set, err := coverage()
	if err != nil {
		return nil, err
	}
	pdf.SetCreationDate(c.now)
	pdf.SetModificationDate(c.now)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(fontSafe(set, meta.Title), true)
	pdf.SetCreator("postmortem", true)
	pdf.SetProducer("postmortem", true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AliasNbPages("{nb}")

	pageFmt := word(c.lang, "page")
	page := func() PageData {
		return PageData{Title: meta.Title, Ref: meta.Ref, Marking: meta.Marking, Page: pdf.PageNo(), Pages: "{nb}"}
	}
	// header is the running header's two sides for this page: the header
	// part's text, cut at its tab, else the title and the reference.
	header := func() (string, string) {
		if meta.header == nil {
			return meta.Title, meta.Ref
		}
		s, err := furniture(meta.header, page())
		if err != nil {
			pdf.SetError(err)
		}
		left, right, _ := strings.Cut(s, "\t")
		return strings.TrimSpace(left), strings.TrimSpace(right)
	}
	var lastHeader, fitted string
	pdf.SetHeaderFuncMode(func() {
		pw, _ := pdf.GetPageSize()
		pdf.SetFont(family, "", footerSize)
		pdf.SetTextColor(110, 116, 124)
		left, right := header()
		left, ref := fontSafe(set, left), fontSafe(set, right)
		room := pw - 2*margin - pdf.GetStringWidth(ref) - 6
		pdf.SetXY(margin, 10)
		if fitted == "" || left != lastHeader {
			fitted, lastHeader = fitWidth(pdf, left, room), left // once a text: a title may be long
		}
		pdf.CellFormat(room, 5, fitted, "", 0, "L", false, 0, "")
		pdf.CellFormat(pw-2*margin-room, 5, ref, "", 0, "R", false, 0, "")
		pdf.SetDrawColor(200, 204, 209)
		pdf.Line(margin, 15.5, pw-margin, 15.5)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetXY(margin, margin)
	}, false)
	pdf.SetFooterFunc(func() {
		if *last && meta.Seal != "" {
			pdf.SetY(-21)
			pdf.SetFont(family, "", 6)
			pdf.SetTextColor(140, 146, 154)
			pdf.CellFormat(0, 4, meta.Seal, "", 0, "R", false, 0, "")
		}
		if *last && meta.Head != "" {
			pdf.SetY(-17)
			pdf.SetFont(family, "", 6)
			pdf.SetTextColor(140, 146, 154)
			pdf.CellFormat(0, 4, headLine(c.lang, meta.Head), "", 0, "R", false, 0, "")
		}
		pdf.SetY(-13)
		pdf.SetFont(family, "", footerSize)
		pdf.SetTextColor(110, 116, 124)
		text := fmt.Sprintf(pageFmt, pdf.PageNo(), "{nb}")
		if meta.footer != nil {
			s, err := furniture(meta.footer, page())
			if err != nil {
				pdf.SetError(err)
			}
			text = fontSafe(set, s)
		}
		pdf.CellFormat(0, 5, text, "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	return pdf, nil
}

// furniture runs a header or footer part: one line of text (line breaks
// become spaces), cut after 8 KiB, far more than a line holds, so neither
// a long title nor a runaway part can flood the page's margin or stall it.
func furniture(t *template.Template, d PageData) (string, error) {
	c := &clip{left: 8 << 10}
	if err := execute(t, nil, c, d, furnitureBudget); err != nil && !errors.Is(err, errTooLong) {
		return "", fmt.Errorf("template part %s: %w", t.Name(), err)
	}
	b := strings.ToValidUTF8(c.b.String(), "") // the cut may fall inside a character
	return strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(b)), nil
}

// furnitureBudget is how long a header or footer part may take for a page.
var furnitureBudget = 2 * time.Second

// clip keeps what is written to it up to left bytes, then says it is full.
type clip struct {
	b    strings.Builder
	left int
}

func (c *clip) Write(p []byte) (int, error) {
	if len(p) > c.left {
		c.b.Write(p[:c.left])
		c.left = 0
		return 0, errTooLong
	}
	c.left -= len(p)
	return c.b.Write(p)
}

// fitWidth shortens s with an ellipsis until it fits in w. No line holds
// more than a few hundred characters, so longer text is cut to that first;
// the cut is then found by halving.
func fitWidth(pdf *gofpdf.Fpdf, s string, w float64) string {
	const most = 400
	r := []rune(s)
	if len(r) <= most && pdf.GetStringWidth(s) <= w {
		return s
	}
	r = r[:min(len(r), most)]
	lo, hi := 0, len(r) // the longest prefix that fits is in [lo, hi]
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if pdf.GetStringWidth(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}

// writePDF draws the Markdown's AST into a PDF. A document of more than
// three pages whose template asks for contents is drawn again with them,
// pages reserved where the marker stands and filled in at the end, when
// every heading's page is known.
func writePDF(w io.Writer, src []byte, meta docMeta, c config) error {
	doc := parse(src)
	pdf, last, err := drawPDF(doc, src, meta, c, nil)
	if err != nil {
		return err
	}
	if pdf.PageCount() > 3 && bytes.Contains(src, []byte(Contents)) {
		if pdf, last, err = drawPDF(doc, src, meta, c, &contents{lang: c.lang}); err != nil {
			return err
		}
	}
	*last = true // the footer drawn by Output is the last page's
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// drawPDF draws doc; toc, when given, is the table of contents to make.
// last is set by the caller before the document is written: the footer
// of the last page carries the history head.
func drawPDF(doc ast.Node, src []byte, meta docMeta, c config, toc *contents) (*gofpdf.Fpdf, *bool, error) {
	last := false
	pdf, err := newPDF(meta, c, &last)
	if err != nil {
		return nil, nil, err
	}
	set, _ := coverage()
	pdf.AddPage()
	p := &pdfWriter{pdf: pdf, src: src, glyphs: set, size: bodySize, charts: meta.charts, images: meta.images, toc: toc, outline: -1}
	p.kinds = p.tableKinds(doc)
	p.blocks(doc)
	if toc != nil && toc.page > 0 {
		p.drawContents()
	}
	if pdf.Err() {
		return nil, nil, fmt.Errorf("render pdf: %w", pdf.Error())
	}
	return pdf, &last, nil
}

// contents is a table of contents being made: the pages reserved for it
// and the headings met after its marker, with their pages.
type contents struct {
	lang        string
	page, pages int // the first page reserved, and how many
	entries     []tocEntry
}

type tocEntry struct {
	level int
	text  string
	page  int
}

// reserveContents keeps pages for the contents where the marker stands:
// one page for each 40 headings of levels 2 and 3 after it.
func (p *pdfWriter) reserveContents(marker ast.Node) {
	n := 0
	for s := marker.NextSibling(); s != nil; s = s.NextSibling() {
		if h, ok := s.(*ast.Heading); ok && h.Level >= 2 && h.Level <= 3 {
			n++
		}
	}
	_, top, _, _ := p.pdf.GetMargins()
	if p.pdf.GetY() > top+1 {
		p.pdf.AddPage()
	}
	p.toc.page, p.toc.pages = p.pdf.PageNo(), n/40+1
	for i := 0; i < p.toc.pages; i++ {
		p.pdf.AddPage()
	}
}

// keepWithNext is the room a heading needs below the line it starts on:
// itself, every heading or one-line bold label that follows it directly
// (지적 사항 5, 개선 조치), and the first lines of what they head.
func keepWithNext(h *ast.Heading) float64 {
	need := 12.0
	for s := h.NextSibling(); s != nil; s = s.NextSibling() {
		switch s := s.(type) {
		case *ast.Heading:
			need += 10
			continue
		case *ast.Paragraph:
			if isLabel(s) {
				need += 8
				continue
			}
		case *east.Table:
			return need + 22 // the header row and a row or two
		}
		return need + 15
	}
	return need
}

// isLabel reports whether a paragraph is a bold label alone (**개선 조치**,
// perhaps with a word or two after it): it heads what follows.
func isLabel(p *ast.Paragraph) bool {
	first, ok := p.FirstChild().(*ast.Emphasis)
	return ok && first.Level == 2 && p.Lines().Len() == 1
}

// drawContents fills the reserved pages: each heading, dotted to its page.
func (p *pdfWriter) drawContents() {
	pdf, toc := p.pdf, p.toc
	back, cm := pdf.PageNo(), pdf.GetCellMargin()
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetCellMargin(0)
	defer func() {
		pdf.SetPage(back)
		pdf.SetAutoPageBreak(true, margin)
		pdf.SetCellMargin(cm)
	}()
	left, top, right, bottom := pdf.GetMargins()
	pw, ph := pdf.GetPageSize()
	page := toc.page
	pdf.SetPage(page)
	pdf.SetXY(left, top)
	pdf.SetFont(family, "B", 13.5)
	pdf.CellFormat(0, 9, map[string]string{"ko": "목차", "en": "Contents"}[toc.lang], "", 1, "L", false, 0, "")
	p.rule(0.3)
	pdf.Ln(2)
	lh := bodySize * ptToMM * leading
	for _, e := range toc.entries {
		if pdf.GetY()+lh > ph-bottom {
			if page+1 >= toc.page+toc.pages {
				break // the reservation counted the headings; it does not run out
			}
			page++
			pdf.SetPage(page)
			pdf.SetXY(left, top)
		}
		style, indent := "", 0.0
		if e.level == 2 {
			style = "B"
		} else {
			indent = listIndent
		}
		pdf.SetFont(family, style, bodySize)
		num := strconv.Itoa(e.page)
		numW := pdf.GetStringWidth(num)
		room := pw - left - right - indent - numW - 4
		text := fitWidth(pdf, fontSafe(p.glyphs, e.text), room)
		pdf.SetX(left + indent)
		pdf.CellFormat(pdf.GetStringWidth(text), lh, text, "", 0, "L", false, 0, "")
		x := pdf.GetX() + 1
		end := pw - right - numW - 1
		pdf.SetFont(family, "", bodySize)
		if n := int((end - x) / pdf.GetStringWidth(". ")); n > 0 {
			pdf.SetTextColor(150, 156, 164)
			pdf.SetX(x)
			pdf.CellFormat(end-x, lh, strings.Repeat(". ", n), "", 0, "R", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
		}
		pdf.SetX(pw - right - numW)
		pdf.CellFormat(numW, lh, num, "", 1, "R", false, 0, "")
	}
}

// pdfWriter walks a goldmark AST into gofpdf.
type pdfWriter struct {
	pdf    *gofpdf.Fpdf
	src    []byte
	glyphs *glyphSet

	size         float64 // type size of the current block, pt
	bold, italic int     // nesting depth of strong and emphasis
	code         int     // inside a code span
	link         string  // destination of the link being written

	widths map[fontKey]map[rune]float64 // glyph advance widths, mm, by font
	charts map[string]*chart            // the images named chart:NAME
	images map[string]*chart            // image files, by the Markdown's destination
	// kinds holds, for each kind of table (its header), the rows of every
	// table of that kind in the document: they share one set of widths.
	kinds map[string]pdfTable
	// toc is the table of contents being made, if one is.
	toc *contents
	// outline is the level of the last heading put in the PDF's outline
	// (its bookmarks): a heading goes at most one level below it.
	outline int
	// lineStart is set where a paragraph's line begins (at its start, or
	// after a hard break), where an item marker (가., 1), (1)) may stand;
	// hungFrom is the left margin a hanging line returns to, and hung
	// whether one is hanging.
	lineStart bool
	hungFrom  float64
	hung      bool
}

type fontKey struct {
	bold bool
	size float64
}

func (p *pdfWriter) lineH() float64 { return p.size * ptToMM * leading }

// setFont applies the current inline style.
func (p *pdfWriter) setFont() {
	style := ""
	if p.bold > 0 {
		style = "B"
	}
	p.pdf.SetFont(family, style, p.size)
	// A link is the text around it: the document is printed and filed, and
	// stays clickable on screen.
	switch {
	case p.code > 0:
		p.pdf.SetTextColor(150, 40, 40)
	case p.italic > 0:
		// The font has no italic; emphasis is set apart by colour instead.
		p.pdf.SetTextColor(70, 80, 110)
	default:
		p.pdf.SetTextColor(0, 0, 0)
	}
}

// text writes flowing text in the current style.
func (p *pdfWriter) text(s string) {
	if s == "" {
		return
	}
	p.setFont()
	p.flow(fontSafe(p.glyphs, s), p.lineH(), p.link)
}

// flow writes s from the current position, breaking lines at spaces, or
// anywhere in a run too long for a line, as gofpdf's Write does, but in
// time linear in s (Write re-decodes the whole string for each character).
func (p *pdfWriter) flow(s string, h float64, link string) {
	pdf := p.pdf
	left, _, right, _ := pdf.GetMargins()
	pw, _ := pdf.GetPageSize()
	cm := pdf.GetCellMargin()
	s = strings.ReplaceAll(s, "\r", "")
	runes := []rune(s)
	glued := gluedSpaces(s)
	width := p.widthTable()
	lineW := func() float64 { return pw - right - pdf.GetX() }
	wmax := lineW() - 2*cm
	moved := false // the line has been broken at least once
	emit := func(a, b int, w float64, newline bool) {
		pdf.CellFormat(w, h, string(runes[a:b]), "", 0, "", false, 0, link)
		if newline {
			pdf.Ln(h)
			wmax = lineW() - 2*cm
			moved = true
		}
	}
	j, sep, l := 0, -1, 0.0
	for i := 0; i < len(runes); {
		c := runes[i]
		if c == '\n' {
			emit(j, i, lineW(), true)
			i++
			j, sep, l = i, -1, 0
			continue
		}
		if c == ' ' && !glued[i] {
			sep = i
		}
		l += width(c)
		if l <= wmax {
			i++
			continue
		}
		switch {
		case sep >= j:
			// Break at the last space; the next line starts after it.
			emit(j, sep, lineW(), true)
			i = sep + 1
		case !moved && pdf.GetX() > left+0.01:
			// The first word does not fit after what is already on the
			// line: it starts the next one, measured as far as it got.
			pdf.Ln(h)
			wmax = lineW() - 2*cm
			moved = true
			i++
			continue
		default:
			// A run longer than a line is cut at the line's edge.
			if i == j {
				i++
			}
			emit(j, i, lineW(), true)
		}
		j, sep, l = i, -1, 0
	}
	if j < len(runes) {
		w := 0.0
		for _, r := range runes[j:] {
			w += width(r)
		}
		pdf.CellFormat(w, h, string(runes[j:]), "", 0, "", false, 0, link)
	}
}

// itemMarker is an item's marker at the start of a line of a paragraph,
// as a Korean document numbers items (1. 가. 1) 가) (1) (가)) and an
// English one (1. (a)), with the spaces after it.
var itemMarker = regexp.MustCompile(`^ *(?:[0-9]{1,2}[.)]|[가나다라마바사아자차카타파하a-z][.)]|\((?:[0-9]{1,2}|[가나다라마바사아자차카타파하a-z])\)) +`)

// hang makes the lines that wrap from here start where the text now is;
// unhang ends it, at the line's hard break or the paragraph's end.
func (p *pdfWriter) hang() {
	if !p.hung {
		p.hungFrom, _, _, _ = p.pdf.GetMargins()
		p.hung = true
	}
	p.pdf.SetLeftMargin(p.pdf.GetX())
}

func (p *pdfWriter) unhang() {
	if p.hung {
		p.pdf.SetLeftMargin(p.hungFrom)
		p.hung = false
	}
}

// unbroken are the phrases a line must not break inside: a date
// (2024. 5. 31.(금) 14:52, 31 May 2024) and a count with what it leaves
// out (12건(철회 1건 제외)).
var unbroken = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(dateInText().String() + `|\d+건\([^()\s]+ \d+건 제외\)`)
})

// gluedSpaces marks, by rune index, the spaces of s inside an unbroken
// phrase; nil when there are none.
func gluedSpaces(s string) map[int]bool {
	spans := unbroken().FindAllStringIndex(s, -1)
	if spans == nil {
		return nil
	}
	glued := map[int]bool{}
	ri, k := 0, 0
	for bi, r := range s {
		for k < len(spans) && bi >= spans[k][1] {
			k++
		}
		if r == ' ' && k < len(spans) && bi >= spans[k][0] {
			glued[ri] = true
		}
		ri++
	}
	return glued
}

// widthTable returns the advance width of a rune in the current font,
// measured once per rune and font.
func (p *pdfWriter) widthTable() func(rune) float64 {
	key := fontKey{p.bold > 0, p.size}
	if p.widths == nil {
		p.widths = map[fontKey]map[rune]float64{}
	}
	m := p.widths[key]
	if m == nil {
		m = map[rune]float64{}
		p.widths[key] = m
	}
	return func(r rune) float64 {
		w, ok := m[r]
		if !ok {
			w = p.pdf.GetStringWidth(string(r))
			m[r] = w
		}
		return w
	}
}

func (p *pdfWriter) blocks(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		p.block(c)
	}
}

func (p *pdfWriter) gap(mm float64) { p.pdf.Ln(mm) }

// image places a chart on its own lines, the width of the text (or its
// own, if narrower), on the next page when it does not fit on this one.
func (p *pdfWriter) image(name string, c *chart) {
	pdf := p.pdf
	left, _, right, bottom := pdf.GetMargins()
	pw, ph := pdf.GetPageSize()
	if pdf.GetX() > left+0.5 {
		pdf.Ln(p.lineH())
	}
	w := min(c.w, pw-left-right)
	h := c.h * w / c.w
	if pdf.GetY()+h > ph-bottom {
		pdf.AddPage()
	}
	opts, data := gofpdf.ImageOptions{ImageType: "PNG"}, c.png
	if c.jpeg != nil {
		opts.ImageType, data = "JPG", c.jpeg
	}
	pdf.RegisterImageOptionsReader("chart-"+name, opts, bytes.NewReader(data))
	y, x := pdf.GetY(), left+(pw-left-right-w)/2
	if c.left {
		x = left
	}
	pdf.ImageOptions("chart-"+name, x, y, w, h, false, opts, 0, "")
	pdf.SetY(y + h)
}

func (p *pdfWriter) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.Heading:
		sizes := map[int]float64{1: 17, 2: 13.5, 3: 11.5}
		size, ok := sizes[n.Level]
		if !ok {
			size = bodySize + 0.5
		}
		// Keep a heading with what follows it: the headings and labels
		// stacked under it, and a few lines (or a table's first rows) of
		// the text they head.
		_, ph := p.pdf.GetPageSize()
		_, top, _, bottom := p.pdf.GetMargins()
		if need := keepWithNext(n); p.pdf.GetY()+need > ph-bottom && p.pdf.GetY() > top+1 {
			p.pdf.AddPage()
		} else if n.Level <= 2 {
			p.gap(3)
		} else {
			p.gap(1.5)
		}
		text := p.plain(n)
		if n.Level <= 3 {
			// The PDF's outline: a reader's sidebar lists the headings.
			level := min(n.Level-1, p.outline+1)
			p.pdf.Bookmark(fontSafe(p.glyphs, text), level, -1)
			p.outline = level
		}
		if p.toc != nil && p.toc.page > 0 && n.Level >= 2 && n.Level <= 3 {
			p.toc.entries = append(p.toc.entries, tocEntry{level: n.Level, text: text, page: p.pdf.PageNo()})
		}
		old := p.size
		p.size = size
		p.bold++
		p.inlines(n)
		p.bold--
		p.pdf.Ln(p.lineH())
		if n.Level == 1 {
			p.rule(0.5)
		}
		p.size = old
		p.gap(1)
	case *ast.Paragraph:
		if isLabel(n) && n.NextSibling() != nil {
			// A label goes down with what it heads.
			_, ph := p.pdf.GetPageSize()
			_, top, _, bottom := p.pdf.GetMargins()
			if p.pdf.GetY()+22 > ph-bottom && p.pdf.GetY() > top+1 {
				p.pdf.AddPage()
			}
		}
		p.lineStart = true
		p.inlines(n)
		p.lineStart = false
		p.unhang()
		p.pdf.Ln(p.lineH())
		p.gap(2)
	case *ast.TextBlock:
		p.inlines(n)
		p.pdf.Ln(p.lineH())
	case *ast.List:
		p.list(n)
	case *ast.ThematicBreak:
		p.gap(2)
		p.rule(0.2)
		p.gap(2)
	case *ast.HTMLBlock:
		if isPageBreak(n, p.src) {
			p.pdf.AddPage()
			return
		}
		if isMarker(n, p.src, Contents) {
			if p.toc != nil && p.toc.page == 0 {
				p.reserveContents(n)
			}
			return
		}
		p.literal(n)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		p.literal(n)
	case *ast.Blockquote:
		left, top, right, _ := p.pdf.GetMargins()
		page, y0 := p.pdf.PageNo(), p.pdf.GetY()
		p.pdf.SetLeftMargin(left + listIndent)
		p.pdf.SetX(left + listIndent)
		p.italic++
		p.blocks(n)
		p.italic--
		p.pdf.SetMargins(left, top, right)
		p.pdf.SetX(left)
		if p.pdf.PageNo() == page {
			// A bar in the margin, as quotes are marked on screen.
			p.pdf.SetDrawColor(190, 196, 203)
			p.pdf.SetLineWidth(0.8)
			p.pdf.Line(left+2, y0, left+2, p.pdf.GetY()-2)
			p.pdf.SetLineWidth(0.2)
		}
	case *east.Table:
		p.table(n)
	default:
		p.blocks(n)
	}
}

// rule draws a horizontal line across the text column.
func (p *pdfWriter) rule(width float64) {
	pw, _ := p.pdf.GetPageSize()
	left, _, right, _ := p.pdf.GetMargins()
	y := p.pdf.GetY()
	p.pdf.SetLineWidth(width)
	p.pdf.SetDrawColor(60, 64, 70)
	p.pdf.Line(left, y, pw-right, y)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Ln(1.5)
}

// literal writes a code or HTML block line by line on a tinted band,
// wrapping lines wider than the column.
func (p *pdfWriter) literal(n ast.Node) {
	lines := n.Lines()
	old := p.size
	p.size = bodySize - 1
	p.code++
	p.setFont()
	pw, _ := p.pdf.GetPageSize()
	left, _, right, _ := p.pdf.GetMargins()
	width := pw - left - right
	p.pdf.SetFillColor(243, 244, 246)
	p.pdf.SetCellMargin(2)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := fontSafe(p.glyphs, strings.TrimRight(string(seg.Value(p.src)), "\n"))
		parts := p.pdf.SplitText(line, width)
		if len(parts) == 0 {
			parts = []string{""}
		}
		for _, part := range parts {
			p.pdf.SetX(left)
			p.pdf.CellFormat(width, p.lineH(), part, "", 1, "L", true, 0, "")
		}
	}
	p.code--
	p.size = old
	p.gap(2)
}

func (p *pdfWriter) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		p.inline(c)
	}
}

// unescape resolves Markdown backslash escapes and entities the way
// goldmark's HTML writer does, so the PDF shows what the HTML shows.
func unescape(b []byte) string {
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return string(b)
}

func (p *pdfWriter) inline(n ast.Node) {
	start := p.lineStart
	p.lineStart = false
	switch n := n.(type) {
	case *ast.Text:
		if p.code > 0 {
			p.text(string(n.Segment.Value(p.src)))
		} else {
			s := unescape(n.Segment.Value(p.src))
			if m := itemMarker.FindStringIndex(s); start && m != nil {
				// 가. 카카오톡 …: a line that wraps goes on under its
				// text, not under its marker.
				p.text(s[:m[1]])
				p.hang()
				s = s[m[1]:]
			}
			p.text(s)
		}
		switch {
		case n.HardLineBreak():
			p.unhang()
			p.pdf.Ln(p.lineH())
			if _, ok := n.Parent().(*ast.Paragraph); ok {
				p.lineStart = true // the next line of the paragraph
			}
		case n.SoftLineBreak():
			p.text(" ")
		}
	case *ast.String:
		p.text(string(n.Value))
	case *ast.CodeSpan:
		p.code++
		p.inlines(n)
		p.code--
	case *ast.Emphasis:
		if n.Level >= 2 {
			p.bold++
			p.inlines(n)
			p.bold--
		} else {
			p.italic++
			p.inlines(n)
			p.italic--
		}
	case *ast.Link:
		p.link = string(n.Destination)
		p.inlines(n)
		p.link = ""
	case *ast.AutoLink:
		p.link = string(n.URL(p.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(p.link), "mailto:") {
			p.link = "mailto:" + p.link // an address opens a mail, as in the HTML
		}
		p.text(string(n.Label(p.src)))
		p.link = ""
	case *ast.Image:
		name, ok := strings.CutPrefix(string(n.Destination), "chart:")
		if c := p.charts[name]; ok && c != nil {
			p.image(name, c)
			return
		}
		if c := p.images[string(n.Destination)]; c != nil {
			p.image(fmt.Sprintf("file-%p", c), c)
			return
		}
		p.inlines(n) // an image the PDF cannot fetch: its text stands for it
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			p.text(string(seg.Value(p.src)))
		}
	default:
		p.inlines(n)
	}
}

// list writes a list, nested lists indented under their item.
func (p *pdfWriter) list(n *ast.List) {
	left, top, right, _ := p.pdf.GetMargins()
	num := n.Start
	if num == 0 {
		num = 1
	}
	bullet := "•"
	if !p.glyphs.has('•') {
		bullet = "-"
	}
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		marker := bullet
		if n.IsOrdered() {
			// As the source wrote it: "1." or "1)", the level below 가.
			// in a Korean administrative document.
			marker = strconv.Itoa(num) + string(n.Marker)
			num++
		}
		p.pdf.SetLeftMargin(left)
		p.pdf.SetX(left)
		p.size = bodySize
		p.setFont()
		p.pdf.CellFormat(listIndent, p.lineH(), marker, "", 0, "L", false, 0, "")
		p.pdf.SetLeftMargin(left + listIndent)
		p.blocks(item)
	}
	p.pdf.SetMargins(left, top, right)
	p.pdf.SetX(left)
	if _, isItem := n.Parent().(*ast.ListItem); !isItem {
		p.gap(2)
	}
}

// plain is the text of an inline subtree, escapes resolved.
func (p *pdfWriter) plain(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			if _, inCode := c.Parent().(*ast.CodeSpan); inCode {
				b.Write(c.Segment.Value(p.src))
			} else {
				b.WriteString(unescape(c.Segment.Value(p.src)))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(p.src))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return fontSafe(p.glyphs, b.String())
}
