package reports

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// seriesLine draws one time series as a polyline broken at missing
// datapoints; a segment of a single point is drawn as a dot. Its points
// are in axis units (x already converted by the time axis). It implements
// plot.Plotter, plot.DataRanger and plot.Thumbnailer.
type seriesLine struct {
	segs  [][]drawPt
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l *seriesLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	dot := draw.GlyphStyle{Color: l.style.Color, Radius: l.style.Width, Shape: draw.CircleGlyph{}}
	for _, seg := range l.segs {
		if len(seg) == 1 {
			c.DrawGlyph(dot, vg.Point{X: trX(seg[0].x), Y: trY(seg[0].y)})
			continue
		}
		pts := make([]vg.Point, len(seg))
		for i, q := range seg {
			pts[i] = vg.Point{X: trX(q.x), Y: trY(q.y)}
		}
		c.StrokeLines(l.style, chunkLines(c.ClipLinesXY(pts))...)
	}
}

// strokeChunk is the most points stroked as one path. The PNG rasterizer
// (freetype's) slows down with the cells of a path, so a long polyline is
// stroked as consecutive pieces sharing their end points; dashes restart
// at each piece, which is not visible at this length.
const strokeChunk = 64

// chunkLines cuts every line into pieces of at most strokeChunk points.
func chunkLines(lines [][]vg.Point) [][]vg.Point {
	var out [][]vg.Point
	for _, l := range lines {
		for len(l) > strokeChunk {
			out = append(out, l[:strokeChunk])
			l = l[strokeChunk-1:]
		}
		out = append(out, l)
	}
	return out
}

// DataRange implements plot.DataRanger.
func (l *seriesLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, seg := range l.segs {
		for _, q := range seg {
			xmin, xmax = math.Min(xmin, q.x), math.Max(xmax, q.x)
			ymin, ymax = math.Min(ymin, q.y), math.Max(ymax, q.y)
		}
	}
	return
}

// Thumbnail implements plot.Thumbnailer.
func (l *seriesLine) Thumbnail(c *draw.Canvas) { lineThumb(l.style).Thumbnail(c) }

// lineThumb is a legend key: a horizontal line in a style.
type lineThumb draw.LineStyle

// Thumbnail implements plot.Thumbnailer.
func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(t), c.Min.X, y, c.Max.X, y)
}

// fillThumb is a legend key: a filled rectangle.
type fillThumb struct{ fill color.Color }

// Thumbnail implements plot.Thumbnailer.
func (t fillThumb) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y}}
	c.FillPolygon(t.fill, pts)
}

// glyphThumb is a legend key: one glyph.
type glyphThumb draw.GlyphStyle

// Thumbnail implements plot.Thumbnailer.
func (t glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyphNoClip(draw.GlyphStyle(t), c.Center()) }

// stackedArea draws layers stacked bottom to top as filled steps: layer i
// spans [lower_i, lower_i+means_i[j]] over [edges[j], edges[j+1]), where
// lower_i is the sum of the layers below. Edges are in axis units.
type stackedArea struct {
	edges  []float64
	layers []areaLayer
}

type areaLayer struct {
	means  []float64
	colour color.RGBA
}

// tops returns the cumulative top of every layer, bucket by bucket.
func (a *stackedArea) tops() [][]float64 {
	out := make([][]float64, len(a.layers))
	var below []float64
	for i, l := range a.layers {
		top := make([]float64, len(l.means))
		for j, m := range l.means {
			top[j] = m
			if below != nil {
				top[j] += below[j]
			}
		}
		out[i] = top
		below = top
	}
	return out
}

// Plot implements plot.Plotter.
func (a *stackedArea) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	tops := a.tops()
	steps := func(vals []float64, fwd bool) []vg.Point {
		pts := make([]vg.Point, 0, 2*len(vals))
		for j := range vals {
			k := j
			if !fwd {
				k = len(vals) - 1 - j
			}
			x0, x1 := trX(a.edges[k]), trX(a.edges[k+1])
			y := trY(vals[k])
			if fwd {
				pts = append(pts, vg.Point{X: x0, Y: y}, vg.Point{X: x1, Y: y})
			} else {
				pts = append(pts, vg.Point{X: x1, Y: y}, vg.Point{X: x0, Y: y})
			}
		}
		return pts
	}
	for i, l := range a.layers {
		upper := steps(tops[i], true)
		var lower []vg.Point
		if i == 0 {
			lower = []vg.Point{{X: trX(a.edges[len(a.edges)-1]), Y: trY(0)}, {X: trX(a.edges[0]), Y: trY(0)}}
		} else {
			lower = steps(tops[i-1], false)
		}
		poly := append(append([]vg.Point{}, upper...), lower...)
		c.FillPolygon(withAlpha(l.colour, 0xb0), c.ClipPolygonXY(poly))
		c.StrokeLines(draw.LineStyle{Color: l.colour, Width: vg.Points(0.8)}, c.ClipLinesXY(upper)...)
	}
}

// DataRange implements plot.DataRanger.
func (a *stackedArea) DataRange() (xmin, xmax, ymin, ymax float64) {
	if len(a.edges) == 0 {
		return 0, 0, 0, 0
	}
	tops := a.tops()
	for _, top := range tops {
		for _, v := range top {
			ymax = math.Max(ymax, v)
		}
	}
	return a.edges[0], a.edges[len(a.edges)-1], 0, ymax
}

// markBand is a marked time on a time axis, in axis units: a shaded band
// over [x0, x1] when x1 > x0, else a vertical line at x0; label (may be
// empty) is written along its left edge, at the top.
type markBand struct {
	x0, x1 float64
	colour color.RGBA // the line colour; bands are drawn translucent
	fill   color.RGBA // the band fill; zero means colour made translucent
	label  string
}

// markTick is a scaling activity: a small triangle at the bottom of the
// plot pointing up for a scale-out, down for a scale-in.
type markTick struct {
	x      float64
	up     bool
	colour color.RGBA
}

// markLayer draws bands and lines behind the data and activity triangles along
// the bottom edge. It has no DataRange: the time axis is set to the run.
type markLayer struct {
	bands  []markBand
	ticks  []markTick
	labels bool // draw band labels
}

// maxMarkLabels is the most band labels drawn; with more, the figure would
// be unreadable and Data still lists them.
const maxMarkLabels = 30

// Plot implements plot.Plotter.
func (m *markLayer) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	lab := textStyle(7, draw.XRight, draw.YTop)
	lab.Color = inkColour
	lab.Rotation = math.Pi / 2
	for _, b := range m.bands {
		x0 := trX(b.x0)
		if b.x1 > b.x0 {
			fill := b.fill
			if fill == (color.RGBA{}) {
				fill = withAlpha(b.colour, 0x30)
			}
			x1 := trX(b.x1)
			pts := []vg.Point{{X: x0, Y: c.Min.Y}, {X: x0, Y: c.Max.Y}, {X: x1, Y: c.Max.Y}, {X: x1, Y: c.Min.Y}}
			c.FillPolygon(fill, c.ClipPolygonX(pts))
		} else if c.ContainsX(x0) {
			c.StrokeLine2(draw.LineStyle{Color: b.colour, Width: vg.Points(0.8), Dashes: dashedDashes}, x0, c.Min.Y, x0, c.Max.Y)
		}
		if m.labels && b.label != "" && c.ContainsX(x0) {
			c.FillText(lab, vg.Point{X: x0 + vg.Points(1.5), Y: c.Max.Y - vg.Points(2)}, b.label)
		}
	}
	for _, t := range m.ticks {
		x := trX(t.x)
		if !c.ContainsX(x) {
			continue
		}
		g := draw.GlyphStyle{Color: t.colour, Radius: vg.Points(3), Shape: draw.PyramidGlyph{}}
		if !t.up {
			g.Shape = downPyramid{}
		}
		c.DrawGlyphNoClip(g, vg.Point{X: x, Y: c.Min.Y + vg.Points(4)})
	}
}

// downPyramid is a filled triangle pointing down (draw.PyramidGlyph
// mirrored).
type downPyramid struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (downPyramid) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	const sin, cos = 0.5, 0.8660254037844386 // of π/6
	r := sty.Radius + (sty.Radius-sty.Radius*sin)/2
	var path vg.Path
	path.Move(vg.Point{X: pt.X, Y: pt.Y - r})
	path.Line(vg.Point{X: pt.X - r*cos, Y: pt.Y + r*sin})
	path.Line(vg.Point{X: pt.X + r*cos, Y: pt.Y + r*sin})
	path.Close()
	c.SetColor(sty.Color)
	c.Fill(path)
}

// thickCross is draw.CrossGlyph with lines 1.2 points wide.
type thickCross struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (thickCross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 0.7071067811865476 // cos π/4
	ls := draw.LineStyle{Color: sty.Color, Width: vg.Points(1.2)}
	c.StrokeLine2(ls, pt.X-r, pt.Y-r, pt.X+r, pt.Y+r)
	c.StrokeLine2(ls, pt.X-r, pt.Y+r, pt.X+r, pt.Y-r)
}

// waitBox is one distribution of the waits figure.
type waitBox struct {
	mean, p50 float64
	p95, p99  float64
	max       float64
	colour    color.RGBA
}

// waitBoxes draws distributions at x = 0, 1, ...: a box from p50 to p95,
// a whisker from p95 to p99 with a cap, a cross at the max and a dot at the
// mean.
type waitBoxes []waitBox

// Plot implements plot.Plotter.
func (ws waitBoxes) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	half := vg.Points(9)
	for i, w := range ws {
		x := trX(float64(i))
		y50, y95, y99 := trY(w.p50), trY(w.p95), trY(w.p99)
		edge := draw.LineStyle{Color: w.colour, Width: vg.Points(1)}
		c.StrokeLine2(edge, x, y95, x, y99)
		c.StrokeLine2(edge, x-half/2, y99, x+half/2, y99)
		box := []vg.Point{{X: x - half, Y: y50}, {X: x - half, Y: y95}, {X: x + half, Y: y95}, {X: x + half, Y: y50}}
		c.FillPolygon(withAlpha(w.colour, 0x60), box)
		c.StrokeLines(edge, append(box, box[0]))
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: w.colour, Radius: vg.Points(3.5), Shape: thickCross{}}, vg.Point{X: x, Y: trY(w.max)})
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: inkColour, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: trY(w.mean)})
	}
}

// DataRange implements plot.DataRanger.
func (ws waitBoxes) DataRange() (xmin, xmax, ymin, ymax float64) {
	for _, w := range ws {
		ymax = math.Max(ymax, math.Max(w.max, math.Max(w.p99, w.mean)))
	}
	return -0.5, float64(len(ws)) - 0.5, 0, ymax
}
