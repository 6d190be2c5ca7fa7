package report

import (
	"bytes"
	"fmt"
	"image/color"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Charts are drawn with gonum/plot, a kept library, rather than by hand:
// axes, ticks and labels come from it. Each chart is made twice from the
// same plot: SVG for HTML (sharp at any zoom, small) and PNG at print
// resolution for the PDF (gofpdf places raster images; a vector PDF from
// plot's own backend could not be set inside the page). Both use the
// report's font, NanumGothic, so Korean labels read in the PDF; the SVG
// names it, and a browser without it falls back to its own Korean font.

// chart is one drawn chart, in both forms.
type chart struct {
	svg, png []byte
	// w and h are its size in millimetres, as placed on the page.
	w, h float64
	// jpeg holds an image that is a JPEG (a logo, say) instead of png;
	// left places it at the left margin rather than centred.
	jpeg []byte
	left bool
}

// chartDPI is the PNG's resolution: print quality at its printed size.
const chartDPI = 200

// plotFont is the chart typeface: the embedded NanumGothic, registered
// with plot's font cache once.
var plotFont = sync.OnceValue(func() error {
	reg, err := opentype.Parse(fontRegular)
	if err != nil {
		return fmt.Errorf("chart font: %w", err)
	}
	bold, err := opentype.Parse(fontBold)
	if err != nil {
		return fmt.Errorf("chart font: %w", err)
	}
	nanum := font.Font{Typeface: "NanumGothic"}
	b := nanum
	b.Weight = 700
	font.DefaultCache.Add(font.Collection{{Font: nanum, Face: reg}, {Font: b, Face: bold}})
	plot.DefaultFont = nanum
	plotter.DefaultFont = nanum
	return nil
})

// barChart draws values as bars over labels.
func barChart(title, ylabel string, labels []string, values []float64) (*chart, error) {
	if err := plotFont(); err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 11
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	vals := make(plotter.Values, len(values))
	copy(vals, values)
	if len(vals) == 0 {
		vals = plotter.Values{0}
		labels = []string{"—"}
	}
	width := vg.Points(max(8, min(40, 300/float64(len(vals)))))
	bars, err := plotter.NewBarChart(vals, width)
	if err != nil {
		return nil, err
	}
	bars.Color = color.RGBA{R: 70, G: 110, B: 200, A: 255}
	bars.LineStyle.Width = 0
	p.Add(bars)
	p.NominalX(labels...)
	if len(labels) > 6 {
		p.X.Tick.Label.Rotation = 0.6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	p.Add(plotter.NewGrid())
	return render(p, 160, 70)
}

// histogram draws how values (minutes) spread over bins.
func histogram(title, xlabel, ylabel string, values []float64) (*chart, error) {
	if err := plotFont(); err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 11
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	vals := make(plotter.Values, len(values))
	copy(vals, values)
	if len(vals) == 0 {
		vals = plotter.Values{0}
	}
	bins := min(20, max(3, len(vals)))
	h, err := plotter.NewHist(vals, bins)
	if err != nil {
		return nil, err
	}
	h.FillColor = color.RGBA{R: 70, G: 110, B: 200, A: 255}
	h.LineStyle.Width = vg.Points(0.5)
	p.Add(h, plotter.NewGrid())
	return render(p, 160, 70)
}

// render writes the plot as SVG and as PNG, w by h millimetres.
func render(p *plot.Plot, wmm, hmm float64) (*chart, error) {
	w, h := vg.Length(wmm)*vg.Millimeter, vg.Length(hmm)*vg.Millimeter
	c := &chart{w: wmm, h: hmm}
	sc := vgsvg.NewWith(vgsvg.UseWH(w, h))
	p.Draw(draw.New(sc))
	var buf bytes.Buffer
	if _, err := sc.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart svg: %w", err)
	}
	c.svg = append([]byte(nil), buf.Bytes()...)
	ic := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI))
	p.Draw(draw.New(ic))
	buf.Reset()
	if _, err := (vgimg.PngCanvas{Canvas: ic}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart png: %w", err)
	}
	c.png = buf.Bytes()
	return c, nil
}
