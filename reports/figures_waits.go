package reports

import (
	"image/color"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecssim/ecssim/sim"
)

// waitUnit picks the unit of the waits axis from the longest wait shown:
// seconds below 10 minutes, minutes below 3 hours, else hours.
func waitUnit(maxSeconds float64) (name string, seconds float64) {
	switch {
	case maxSeconds < 600:
		return "s", 1
	case maxSeconds < 3*3600:
		return "min", 60
	default:
		return "h", 3600
	}
}

func waitsFigure(fc *figureContext) *figureDraft {
	type entry struct {
		kind, name, label string
		d                 *sim.Dist
		colour            color.RGBA
	}
	var es []entry
	for _, s := range sortedKeys(fc.res.Services) {
		if w := fc.res.Services[s].PlacementWaitSeconds; w != nil {
			es = append(es, entry{"service", s, s + "\nplacement", w, fc.colours.service(s)})
		}
	}
	for _, j := range sortedKeys(fc.res.Jobs) {
		if w := fc.res.Jobs[j].WaitSeconds; w != nil {
			es = append(es, entry{"job", j, j + "\njob wait", w, fc.colours.job(j)})
		}
	}
	if len(es) == 0 {
		return nil
	}
	longest := 0.0
	for _, e := range es {
		longest = max(longest, e.d.Max, e.d.P99, e.d.Mean)
	}
	unit, per := waitUnit(longest)
	d := fc.newDraft("waits", "Placement and job waits",
		"Distribution of each service's placement wait (from a task's creation until it is placed) and each "+
			"job's wait (from submission until its task is placed), after warmup, in "+map[string]string{
			"s": "seconds", "min": "minutes", "h": "hours"}[unit]+": the box spans p50 to p95, the whisker "+
			"reaches p99, the cross marks the longest wait and the dot the mean.",
		"", "wait ("+unit+")")
	var boxes waitBoxes
	var names []string
	for _, e := range es {
		boxes = append(boxes, waitBox{mean: e.d.Mean / per, p50: e.d.P50 / per,
			p95: e.d.P95 / per, p99: e.d.P99 / per, max: e.d.Max / per, colour: e.colour})
		names = append(names, e.label)
		d.data.line(e.kind, e.name, hexColour(e.colour)+":", "mean", figNum(e.d.Mean), "p50", figNum(e.d.P50),
			"p95", figNum(e.d.P95), "p99", figNum(e.d.P99), "max", figNum(e.d.Max), "seconds")
	}
	p := d.plot
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color, g.Horizontal.Width = gridColour, vg.Points(0.5)
	p.Add(g, boxes)
	p.NominalX(names...)
	p.X.Tick.Label.Font.Size = 8
	p.X.Min, p.X.Max = -0.6, float64(len(es))-0.4
	p.Y.Min = 0
	if p.Y.Max <= 0 {
		p.Y.Max = 1
	}
	p.Y.Max *= 1.05
	// The glyph key, drawn in ink.
	d.legend.Add("p50 to p95", fillThumb{withAlpha(inkColour, 0x60)})
	d.legend.Add("p95 to p99", lineThumb{Color: inkColour, Width: vg.Points(1)})
	d.legend.Add("max", glyphThumb{Color: inkColour, Radius: vg.Points(3.5), Shape: thickCross{}})
	d.legend.Add("mean", glyphThumb{Color: inkColour, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}})
	return d
}
