package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// DOCX writes the document as WordprocessingML, for editing: the subset
// the reports use (headings, paragraphs with bold and italic runs, lists,
// tables with a header row, page breaks, a rule), on A4 (or Letter) with
// the PDF's margins, a running header (the title, and the number or the
// draft's mark) and a footer with the page number, in NanumGothic. What
// the PDF draws as a chart image stands here as its caption. Written by
// hand, as the PDF engine is carried, behind report/: no Go library for
// DOCX is kept well enough to take on for this subset.

const docxFont = "NanumGothic"

// twips per millimetre: WordprocessingML measures in twentieths of a point.
const twipsPerMM = 56.6929

func writeDOCX(w io.Writer, src []byte, meta docMeta, c config) error {
	d := &docxWriter{src: src}
	d.blocks(parse(src), 0)
	pw, ph := 210.0, 297.0
	if c.paper == Letter {
		pw, ph = 215.9, 279.4
	}
	mm := func(v float64) string { return strconv.Itoa(int(v*twipsPerMM + 0.5)) }
	var body bytes.Buffer
	body.WriteString(xml.Header)
	body.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	body.Write(d.out.Bytes())
	fmt.Fprintf(&body, `<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/>`+
		`<w:pgSz w:w="%s" w:h="%s"/><w:pgMar w:top="%s" w:right="%s" w:bottom="%s" w:left="%s" w:header="%s" w:footer="%s" w:gutter="0"/></w:sectPr>`,
		mm(pw), mm(ph), mm(margin), mm(margin), mm(margin), mm(margin), mm(margin/2), mm(margin/2))
	body.WriteString(`</w:body></w:document>`)

	title := meta.Title
	if meta.Marking != "" {
		title = "[" + meta.Marking + "] " + title
	}
	header := xml.Header + `<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Header"/>` +
		`<w:tabs><w:tab w:val="right" w:pos="` + mm(pw-2*margin) + `"/></w:tabs></w:pPr>` + run(title, "") + `<w:r><w:tab/></w:r>` + run(meta.Ref, "") + `</w:p></w:hdr>`
	footer := xml.Header + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>` +
		run("- ", "") + `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` + run(" -", "") + `</w:p></w:ftr>`

	// A fixed time on every part, and in the properties the document's
	// date: the same record gives the same bytes.
	stamp := c.now
	if stamp.Year() < 1980 {
		stamp = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	core := xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(meta.Title) + `</dc:title><dc:language>` + esc(c.lang) + `</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp.UTC().Format(time.RFC3339) + `</dcterms:created></cp:coreProperties>`
	z := zip.NewWriter(w)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", core},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/document.xml", body.String()},
		{"word/styles.xml", docxStyles},
		{"word/header1.xml", header},
		{"word/footer1.xml", footer},
	} {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, part.body); err != nil {
			return err
		}
	}
	return z.Close()
}

// docxWriter turns the Markdown tree into WordprocessingML paragraphs.
type docxWriter struct {
	src []byte
	out bytes.Buffer
	// run properties in force, and the runs of the paragraph being made;
	// text of the same properties, one after another, is one run.
	bold, italic, code int
	runs               strings.Builder
	pending            strings.Builder
	pendingPr          string
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run is one run of text with properties rPr (its inner XML).
func run(text, rPr string) string {
	if text == "" {
		return ""
	}
	if rPr != "" {
		rPr = "<w:rPr>" + rPr + "</w:rPr>"
	}
	return `<w:r>` + rPr + `<w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`
}

func (d *docxWriter) text(s string) {
	var p string
	if d.bold > 0 {
		p += "<w:b/>"
	}
	if d.italic > 0 {
		p += "<w:i/>"
	}
	if d.code > 0 {
		p += `<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>`
	}
	if p != d.pendingPr {
		d.flush()
		d.pendingPr = p
	}
	d.pending.WriteString(s)
}

// flush ends the run being gathered.
func (d *docxWriter) flush() {
	d.runs.WriteString(run(d.pending.String(), d.pendingPr))
	d.pending.Reset()
}

// raw adds markup (a break, a tab) after the text gathered so far.
func (d *docxWriter) raw(xml string) {
	d.flush()
	d.runs.WriteString(xml)
}

// para writes a paragraph of the runs gathered, with properties pPr.
func (d *docxWriter) para(pPr string) {
	d.flush()
	d.out.WriteString("<w:p>")
	if pPr != "" {
		d.out.WriteString("<w:pPr>" + pPr + "</w:pPr>")
	}
	d.out.WriteString(d.runs.String())
	d.out.WriteString("</w:p>")
	d.runs.Reset()
}

func (d *docxWriter) blocks(n ast.Node, indent int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		d.block(c, indent)
	}
}

// indentPr indents a paragraph by level list steps (a hanging marker).
func indentPr(level int) string {
	if level == 0 {
		return ""
	}
	return fmt.Sprintf(`<w:ind w:left="%d" w:hanging="400"/>`, level*400)
}

func (d *docxWriter) block(n ast.Node, indent int) {
	switch n := n.(type) {
	case *ast.Heading:
		d.bold++
		d.inlines(n)
		d.bold--
		level := min(n.Level, 4)
		d.para(fmt.Sprintf(`<w:pStyle w:val="Heading%d"/><w:keepNext/>`, level))
	case *ast.Paragraph, *ast.TextBlock:
		d.inlines(n)
		d.para(`<w:pStyle w:val="BodyText"/>` + indentPr(indent))
	case *ast.List:
		num := n.Start
		if num == 0 {
			num = 1
		}
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			marker := "•"
			if n.IsOrdered() {
				marker = strconv.Itoa(num) + string(n.Marker)
				num++
			}
			first := true
			for c := item.FirstChild(); c != nil; c = c.NextSibling() {
				if first {
					d.raw(run(marker, "") + `<w:r><w:tab/></w:r>`)
					first = false
					if _, ok := c.(*ast.List); !ok {
						d.inlines(c)
						d.para(`<w:pStyle w:val="BodyText"/>` + indentPr(indent+1))
						continue
					}
					d.para(indentPr(indent + 1))
				}
				d.block(c, indent+1)
			}
		}
	case *ast.ThematicBreak:
		d.para(`<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="3C4046"/></w:pBdr>`)
	case *ast.HTMLBlock:
		switch {
		case isPageBreak(n, d.src):
			d.out.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		case isMarker(n, d.src, Contents):
			// The table of contents is Word's to make (References →
			// Table of Contents); the headings carry their levels.
		default:
			d.literal(n)
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		d.literal(n)
	case *ast.Blockquote:
		d.italic++
		d.blocks(n, indent+1)
		d.italic--
	case *east.Table:
		d.table(n)
	default:
		d.blocks(n, indent)
	}
}

// literal writes a code or HTML block, a paragraph a line.
func (d *docxWriter) literal(n ast.Node) {
	lines := n.Lines()
	d.code++
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		d.text(strings.TrimRight(string(seg.Value(d.src)), "\n"))
		d.para(`<w:spacing w:after="0"/>`)
	}
	d.code--
}

func (d *docxWriter) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		d.inline(c)
	}
}

func (d *docxWriter) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		if d.code > 0 {
			d.text(string(n.Segment.Value(d.src)))
		} else {
			d.text(unescape(n.Segment.Value(d.src)))
		}
		switch {
		case n.HardLineBreak():
			d.raw(`<w:r><w:br/></w:r>`)
		case n.SoftLineBreak():
			d.text(" ")
		}
	case *ast.String:
		d.text(string(n.Value))
	case *ast.CodeSpan:
		d.code++
		d.inlines(n)
		d.code--
	case *ast.Emphasis:
		if n.Level >= 2 {
			d.bold++
			d.inlines(n)
			d.bold--
		} else {
			d.italic++
			d.inlines(n)
			d.italic--
		}
	case *ast.AutoLink:
		d.text(string(n.Label(d.src)))
	case *ast.Image:
		// A chart or a logo: its caption stands for it here.
		d.italic++
		d.text("[")
		d.inlines(n)
		d.text("]")
		d.italic--
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			d.text(string(seg.Value(d.src)))
		}
	default:
		d.inlines(n)
	}
}

// table writes a table with single borders, its header row bold and
// repeated on each page.
func (d *docxWriter) table(n *east.Table) {
	d.out.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="5000" w:type="pct"/>` +
		`<w:tblBorders><w:top w:val="single" w:sz="4" w:color="8A9099"/><w:left w:val="single" w:sz="4" w:color="8A9099"/>` +
		`<w:bottom w:val="single" w:sz="4" w:color="8A9099"/><w:right w:val="single" w:sz="4" w:color="8A9099"/>` +
		`<w:insideH w:val="single" w:sz="4" w:color="8A9099"/><w:insideV w:val="single" w:sz="4" w:color="8A9099"/></w:tblBorders></w:tblPr>`)
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		_, header := row.(*east.TableHeader)
		d.out.WriteString("<w:tr>")
		switch {
		case header:
			d.out.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		case emptyRow(row):
			// Room to write in: the 결재란's boxes to sign and seal, as
			// tall as the PDF's.
			d.out.WriteString(`<w:trPr><w:cantSplit/><w:trHeight w:val="454" w:hRule="atLeast"/></w:trPr>`)
		default:
			d.out.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for i, cell := 0, row.FirstChild(); cell != nil; i, cell = i+1, cell.NextSibling() {
			d.out.WriteString("<w:tc><w:tcPr>")
			if header {
				d.out.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="EEF0F3"/>`)
			}
			d.out.WriteString("</w:tcPr>")
			jc := ""
			if i < len(n.Alignments) {
				switch n.Alignments[i] {
				case east.AlignRight:
					jc = `<w:jc w:val="right"/>`
				case east.AlignCenter:
					jc = `<w:jc w:val="center"/>`
				}
			}
			if header {
				d.bold++
			}
			d.inlines(cell)
			if header {
				d.bold--
			}
			d.para(`<w:pStyle w:val="TableText"/>` + jc)
			d.out.WriteString("</w:tc>")
		}
		d.out.WriteString("</w:tr>")
	}
	d.out.WriteString("</w:tbl>")
	// A paragraph after the table keeps the next one from touching it.
	d.out.WriteString(`<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>`)
}

const contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const documentRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
	`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`</Relationships>`

// docxStyles: NanumGothic throughout (Korean and Latin), 10 pt body as the
// PDF's, headings 17, 13.5 and 11.5 pt bold; no space put between Korean
// and Latin letters or digits (제36조의2, 1부, not 제 36 조의 2).
const docxStyles = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + docxFont + `" w:hAnsi="` + docxFont + `" w:eastAsia="` + docxFont + `" w:cs="` + docxFont + `"/>` +
	`<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="ko-KR" w:eastAsia="ko-KR"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:spacing w:after="80" w:line="300" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="120"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="34"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="27"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="23"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="40"/><w:outlineLvl w:val="3"/></w:pPr><w:rPr><w:b/><w:sz w:val="21"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="16"/><w:color w:val="5A606A"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="16"/><w:color w:val="5A606A"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:tblPr><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`

// emptyRow reports whether every cell of a table row is blank (a blank
// cell holds no inline at all).
func emptyRow(row ast.Node) bool {
	for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
		if cell.HasChildren() {
			return false
		}
	}
	return true
}
