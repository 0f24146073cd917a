package reports

import (
	"bytes"
	"fmt"
	"image/png"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure size: 9 × 4.5 inches (taller when the legend needs it); the PNG
// has pngDPI dots per inch, so 1080 × 540 pixels.
const (
	figureWidth  = 9 * vg.Inch
	figureHeight = 4.5 * vg.Inch
	figureMargin = vg.Length(6) // points around the drawing
	legendGap    = vg.Length(10)
	pngDPI       = 120
)

// pngEncoder favours speed: the figures are mostly flat colour, which
// compresses well at any level.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed}

// renderFigure draws p with leg on its right, once, onto an SVG canvas with the
// font embedded and a PNG canvas, and returns both encodings.
func renderFigure(p *plot.Plot, leg plot.Legend) (svg, png []byte, err error) {
	// Size the legend on a throwaway canvas: Rectangle only measures text.
	probe := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: figureWidth, Y: figureHeight}}}
	lr := leg.Rectangle(probe)
	legW, legH := lr.Max.X-lr.Min.X, lr.Max.Y-lr.Min.Y
	titleH := vg.Length(0)
	if p.Title.Text != "" {
		titleH = p.Title.TextStyle.Height(p.Title.Text) + p.Title.Padding
	}
	w := figureWidth
	h := max(figureHeight, legH+titleH+2*figureMargin+vg.Points(4))

	sc := vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
	ic := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI))
	dc := draw.NewCanvas(vg.MultiCanvas(sc, ic), w, h)

	// The plot fills the canvas but the margins and the legend strip; the
	// legend starts under the title.
	right := figureMargin
	if legW > 0 {
		right += legW + legendGap
	}
	p.Draw(draw.Crop(dc, figureMargin, -right, figureMargin, -figureMargin))
	if legW > 0 {
		lc := draw.Crop(dc, w-figureMargin-legW, -figureMargin, figureMargin, -(figureMargin + titleH))
		leg.Draw(lc)
	}

	var sb, pb bytes.Buffer
	if _, err := sc.WriteTo(&sb); err != nil {
		return nil, nil, fmt.Errorf("reports: writing SVG: %w", err)
	}
	if err := pngEncoder.Encode(&pb, ic.Image()); err != nil {
		return nil, nil, fmt.Errorf("reports: writing PNG: %w", err)
	}
	return sb.Bytes(), pb.Bytes(), nil
}
