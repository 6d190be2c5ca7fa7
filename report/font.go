package report

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// The PDF font: NanumGothic, regular and bold (SIL OFL 1.1, licence in
// fonts/OFL.txt). It covers all 11,172 modern Hangul syllables, Latin and
// the KS X 1001 symbols and hanja, so a fresh machine needs no font.
var (
	//go:embed fonts/NanumGothic.ttf
	fontRegular []byte
	//go:embed fonts/NanumGothicBold.ttf
	fontBold []byte
	// FontLicence is the licence the embedded font ships under.
	//go:embed fonts/OFL.txt
	FontLicence string
)

// glyphSet records which Basic Multilingual Plane runes a font can draw.
type glyphSet [0x10000 / 64]uint64

func (g *glyphSet) has(r rune) bool { return r >= 0 && r < 0x10000 && g[r/64]&(1<<(r%64)) != 0 }

// coverage is the set of runes both weights can draw, computed once.
var coverage = sync.OnceValues(func() (*glyphSet, error) {
	var set glyphSet
	fonts := make([]*sfnt.Font, 2)
	for i, b := range [][]byte{fontRegular, fontBold} {
		f, err := sfnt.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("parse embedded font: %w", err)
		}
		fonts[i] = f
	}
	var buf sfnt.Buffer
	for r := rune(0x20); r < 0x10000; r++ {
		ok := true
		for _, f := range fonts {
			if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
				ok = false
				break
			}
		}
		if ok {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return &set, nil
})

// replacement stands, visibly, for a character the font cannot draw.
const replacement = "□"

// fontSafe returns s with every character the font cannot draw (emoji and
// anything else outside the Basic Multilingual Plane, which gofpdf refuses
// outright, and any glyph the font lacks) replaced by a white square, and
// control characters dropped.
func fontSafe(set *glyphSet, s string) string {
	clean := true
	for _, r := range s {
		if !set.has(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case set.has(r):
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f, r == 0x200d, r >= 0xfe00 && r <= 0xfe0f:
			// controls, zero-width joiners and variation selectors draw nothing
		default:
			b.WriteString(replacement)
		}
	}
	return b.String()
}
