package reports

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecssim/ecssim/sim"
)

// figurePalette is the one palette of every figure (Tableau 10). Services
// take the colour of their index among the sorted service names, capacity
// providers of their index among the sorted provider names, and jobs follow
// the services (index = number of services + job index); past ten names the
// palette repeats.
var figurePalette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, // blue
	{0xf2, 0x8e, 0x2b, 0xff}, // orange
	{0xe1, 0x57, 0x59, 0xff}, // red
	{0x76, 0xb7, 0xb2, 0xff}, // teal
	{0x59, 0xa1, 0x4f, 0xff}, // green
	{0xed, 0xc9, 0x48, 0xff}, // yellow
	{0xb0, 0x7a, 0xa1, 0xff}, // purple
	{0xff, 0x9d, 0xa7, 0xff}, // pink
	{0x9c, 0x75, 0x5f, 0xff}, // brown
	{0xba, 0xb0, 0xac, 0xff}, // grey
}

// neutral colours for keys and marks.
var (
	inkColour  = color.RGBA{0x33, 0x33, 0x33, 0xff}
	gridColour = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	warmupFill = withAlpha(color.RGBA{0x80, 0x80, 0x80, 0xff}, 0x26)
)

// eventColours gives each scenario event type the colour of its line (an
// instant) or band (a window); other types are grey.
var eventColours = map[string]color.RGBA{
	"deploy":                 {0x2e, 0x7d, 0x32, 0xff},
	"scale":                  {0x1f, 0x4e, 0x9a, 0xff},
	"az_outage":              {0xc6, 0x28, 0x28, 0xff},
	"spot_interruptions":     {0xe6, 0x6a, 0x00, 0xff},
	"capacity_shortage":      {0x6a, 0x1b, 0x9a, 0xff},
	"spot_capacity_shortage": {0x6a, 0x1b, 0x9a, 0xff},
	"instance_failure":       {0x5d, 0x40, 0x37, 0xff},
}

func eventColour(typ string) color.RGBA {
	if c, ok := eventColours[typ]; ok {
		return c
	}
	return color.RGBA{0x61, 0x61, 0x61, 0xff}
}

// withAlpha returns c with alpha a, premultiplied as image/color requires.
func withAlpha(c color.RGBA, a uint8) color.RGBA {
	s := func(v uint8) uint8 { return uint8(uint16(v) * uint16(a) / 0xff) }
	return color.RGBA{s(c.R), s(c.G), s(c.B), a}
}

// hexColour formats c (opaque) as #rrggbb for Data.
func hexColour(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// colourIndex assigns the palette index of every service, capacity provider
// and job of a result (see figurePalette).
type colourIndex struct {
	services, providers, jobs map[string]int
}

// newColourIndex indexes the names of res and of its series columns, so a
// name has the same colour in every figure.
func newColourIndex(res *sim.Result, set *seriesSet) colourIndex {
	index := func(names ...[]string) map[string]int {
		var all []string
		seen := map[string]bool{}
		for _, ns := range names {
			for _, n := range ns {
				if !seen[n] {
					seen[n] = true
					all = append(all, n)
				}
			}
		}
		sort.Strings(all)
		m := make(map[string]int, len(all))
		for i, n := range all {
			m[n] = i
		}
		return m
	}
	ci := colourIndex{
		services:  index(sortedKeys(res.Services), set.services),
		providers: index(sortedKeys(res.CapacityProviders), set.providers),
		jobs:      index(sortedKeys(res.Jobs)),
	}
	for n, i := range ci.jobs {
		ci.jobs[n] = i + len(ci.services)
	}
	return ci
}

func paletteColour(i int) color.RGBA { return figurePalette[i%len(figurePalette)] }

func (ci colourIndex) service(name string) color.RGBA  { return paletteColour(ci.services[name]) }
func (ci colourIndex) provider(name string) color.RGBA { return paletteColour(ci.providers[name]) }
func (ci colourIndex) job(name string) color.RGBA      { return paletteColour(ci.jobs[name]) }

// resource returns the colour of an activity's resource, "service/NAME" or
// "capacity_provider/NAME"; ink when it names no known entity.
func (ci colourIndex) resource(res string) color.RGBA {
	kind, name, _ := strings.Cut(res, "/")
	switch kind {
	case kindService:
		if i, ok := ci.services[name]; ok {
			return paletteColour(i)
		}
	case kindProvider:
		if i, ok := ci.providers[name]; ok {
			return paletteColour(i)
		}
	}
	return inkColour
}

// Line dash patterns: solid, dashed, dotted.
var (
	solidDashes  []vg.Length
	dashedDashes = []vg.Length{vg.Points(5), vg.Points(3)}
	dottedDashes = []vg.Length{vg.Points(1.2), vg.Points(2)}
)

// lineWidth is the width of data lines.
const lineWidth = vg.Length(1.2)

// figureFont is the one font face of the figures (Liberation Sans Regular,
// bundled with gonum/plot), so an SVG embeds a single font.
var figureFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle returns a text style in the figure font.
func textStyle(size vg.Length, xa text.XAlignment, ya text.YAlignment) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(figureFont, size),
		XAlign:  xa,
		YAlign:  ya,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot styled for the report, with the given title and
// axis labels, and grid lines.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(12, draw.XCenter, draw.YTop)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = textStyle(10, draw.XCenter, draw.YBottom)
		a.Tick.Label.Font = font.From(figureFont, 9)
		a.Padding = vg.Points(2)
	}
	p.Legend = plot.NewLegend()
	return p
}

// newLegend returns the legend drawn right of a plot.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle = textStyle(9, draw.XLeft, draw.YBottom)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(22)
	l.Padding = vg.Points(1.5)
	return l
}
