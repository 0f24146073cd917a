package reports

import (
	"gonum.org/v1/plot"

	"github.com/ecssim/ecssim/sim"
)

// Figure is one rendered figure of a run's report.
type Figure struct {
	Name    string // file stem, [a-z0-9-]+, e.g. "utilization"; files are NAME.svg and NAME.png
	Title   string // shown above it in report.html
	Caption string // one or two sentences: what it shows, units
	SVG     []byte // self-contained SVG (fonts embedded by vg/vgsvg)
	PNG     []byte
	Data    string // the data behind the figure as text, for golden tests
}

// Figures draws the figures of res (its Series must be set; a nil Series
// gives no time-series figures). Deterministic: the same res gives
// byte-identical Data; SVG/PNG may embed nothing time-dependent.
//
// The figures, in this order, each drawn only when it has something to
// show:
//
//	utilization  CPU (solid) and memory (dashed) utilization per service, %
//	tasks        running (solid), desired (dashed), pending (dotted) tasks per
//	             service, with events, deployments and service scaling activities
//	capacity     instances per Auto Scaling group provider and tasks per Fargate
//	             provider, with events and provider scaling activities
//	cpr          CapacityProviderReservation per Auto Scaling group provider, %
//	cost         cost rate by capacity provider, stacked, USD/hour
//	waits        placement wait per service and queue wait per job (seconds
//	             or longer units): p50–p95 box, whisker to p99, max, mean
//
// Time axes run from 0 to the end of the run in minutes, hours or days
// (timeAxis); the warmup is shaded. Long series are decimated for drawing
// (decimate, bucketMeans); Data describes the full-resolution series. A
// name has the same colour in every figure (figurePalette).
//
// Figures panics if res is nil (a programmer error).
func Figures(res *sim.Result) ([]Figure, error) {
	if res == nil {
		panic("reports: Figures of a nil result")
	}
	fc := newFigureContext(res)
	builders := []func(*figureContext) *figureDraft{
		utilizationFigure,
		tasksFigure,
		capacityFigure,
		cprFigure,
		costFigure,
		waitsFigure,
	}
	var figs []Figure
	for _, build := range builders {
		d := build(fc)
		if d == nil {
			continue
		}
		svg, png, err := renderFigure(d.plot, d.legend)
		if err != nil {
			return nil, err
		}
		figs = append(figs, Figure{
			Name: d.name, Title: d.title, Caption: d.caption,
			SVG: svg, PNG: png, Data: d.data.String(),
		})
	}
	return figs, nil
}

// figureDraft is a figure before rendering.
type figureDraft struct {
	name, title, caption string
	plot                 *plot.Plot
	legend               plot.Legend
	markKeys             []func() // legend keys of the marks, added after the data's
	data                 *dataText
}

// figureContext holds what every figure of one result shares.
type figureContext struct {
	res     *sim.Result
	set     *seriesSet
	colours colourIndex
	axis    timeAxis
}

func newFigureContext(res *sim.Result) *figureContext {
	set := indexSeries(res.Series)
	end := res.Scenario.DurationSeconds
	if !set.empty() {
		end = max(end, float64(set.periods)*set.period)
	}
	return &figureContext{res: res, set: set, colours: newColourIndex(res, set), axis: newTimeAxis(end)}
}

// newDraft starts a figure: its plot with title and labels and the head of
// its Data.
func (fc *figureContext) newDraft(name, title, caption, xLabel, yLabel string) *figureDraft {
	d := &figureDraft{name: name, title: title, caption: caption,
		plot: newPlot(title, xLabel, yLabel), legend: newLegend(), data: &dataText{}}
	d.data.line("figure", name)
	d.data.line("title", title)
	if xLabel != "" {
		d.data.line("x", xLabel)
	}
	d.data.line("y", yLabel)
	return d
}
