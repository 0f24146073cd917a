package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// timeDraft starts a time-series figure: the time axis, grid lines, and the
// time line of Data.
func (fc *figureContext) timeDraft(name, title, caption, yLabel string) *figureDraft {
	d := fc.newDraft(name, title, caption, fc.axis.label(), yLabel)
	d.plot.X.Tick.Marker = fc.axis
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = gridColour, gridColour
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	d.plot.Add(g)
	d.data.line("time 0s to", duration(fc.axis.end)+",", "period", duration(fc.set.period)+",",
		strconv.Itoa(fc.set.periods), "datapoints, at most", strconv.Itoa(maxDrawPoints), "drawn per line")
	return d
}

// addLine draws one column as a line and describes it in Data as
// "line ENTITY METRIC STYLE COLOUR: summary, drawn N".
func (fc *figureContext) addLine(d *figureDraft, entity, metric string, data []float32, c color.RGBA, dashes []vg.Length, styleName string) {
	segs := decimate(data, fc.set.period, maxDrawPoints)
	for _, s := range segs {
		for i := range s {
			s[i].x = fc.axis.x(s[i].x)
		}
	}
	d.plot.Add(&seriesLine{segs: segs, style: draw.LineStyle{Color: c, Width: lineWidth, Dashes: dashes}})
	d.data.line("line", entity, metric, styleName, hexColour(c)+":", seriesSummary(data)+", drawn", strconv.Itoa(countPoints(segs)))
}

// finishTime fixes the axes of a time-series figure: time from 0 to the
// end of the run, y from 0 to 4 % over the data's maximum but at least
// yAtLeast; and adds the mark keys to the legend after the data's.
func (fc *figureContext) finishTime(d *figureDraft, yAtLeast float64) {
	p := d.plot
	p.X.Min, p.X.Max = 0, fc.axis.x(fc.axis.end)
	p.Y.Min = 0
	p.Y.Max *= 1.04
	if math.IsInf(p.Y.Max, 0) || math.IsNaN(p.Y.Max) || p.Y.Max < yAtLeast {
		p.Y.Max = yAtLeast
	}
	for _, k := range d.markKeys {
		k()
	}
}

// servicesWith returns the services (in colour order) having a column of
// one of the metrics with a datapoint; none when the series cannot be
// drawn (no datapoints or no period).
func (fc *figureContext) servicesWith(metrics ...string) []string {
	if fc.set.empty() {
		return nil
	}
	var out []string
	for _, s := range fc.set.services {
		for _, m := range metrics {
			if seriesHasData(fc.set.get(kindService, s, m)) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// maxDrawn is the most services one figure draws: beyond it colours repeat
// and lines merge, so the figure shows the largest and says how many it
// left out.
const maxDrawn = 8

// largest keeps the maxDrawn services with the highest mean of metric
// (ties by name), in colour order, and notes the others in the figure's
// caption and Data.
func (fc *figureContext) largest(d *figureDraft, svcs []string, metric string) []string {
	if len(svcs) <= maxDrawn {
		return svcs
	}
	rank := slices.Clone(svcs)
	mean := func(s string) float64 {
		m := seriesStatsOf(fc.set.get(kindService, s, metric)).mean
		if math.IsNaN(m) {
			return math.Inf(-1)
		}
		return m
	}
	slices.SortStableFunc(rank, func(a, b string) int { return cmp.Compare(mean(b), mean(a)) })
	keep := map[string]bool{}
	for _, s := range rank[:maxDrawn] {
		keep[s] = true
	}
	var out []string
	for _, s := range svcs {
		if keep[s] {
			out = append(out, s)
		}
	}
	left := len(svcs) - maxDrawn
	d.caption += fmt.Sprintf(" The %d services with the highest mean %s are drawn; %d others are not (timeseries.csv has them).", maxDrawn, strings.ReplaceAll(metric, "_", " "), left)
	d.data.line("omitted", strconv.Itoa(left), "services (drawn: the", strconv.Itoa(maxDrawn), "with the highest mean", metric+")")
	return out
}

func utilizationFigure(fc *figureContext) *figureDraft {
	svcs := fc.servicesWith("cpu_utilization", "memory_utilization")
	if len(svcs) == 0 {
		return nil
	}
	d := fc.timeDraft("utilization", "CPU and memory utilization by service",
		"Average CPU (solid) and memory (dashed) utilization of each service's running tasks per metrics period, "+
			"in percent of the CPU and memory the tasks reserve (ECS CPUUtilization and MemoryUtilization); "+
			"gaps are periods with no running task.",
		"utilization (%)")
	fc.addMarks(d, markSet{})
	svcs = fc.largest(d, svcs, "cpu_utilization")
	for _, s := range svcs {
		c := fc.colours.service(s)
		fc.addLine(d, s, "cpu_utilization", fc.set.get(kindService, s, "cpu_utilization"), c, solidDashes, "solid")
		fc.addLine(d, s, "memory_utilization", fc.set.get(kindService, s, "memory_utilization"), c, dashedDashes, "dashed")
		entityKey(d, s, c)
	}
	styleKey(d, "CPU", solidDashes)
	styleKey(d, "memory", dashedDashes)
	fc.finishTime(d, 100)
	return d
}

func tasksFigure(fc *figureContext) *figureDraft {
	svcs := fc.servicesWith("running_count", "desired_count", "pending_count")
	if len(svcs) == 0 {
		return nil
	}
	d := fc.timeDraft("tasks", "Running and desired tasks by service",
		"Tasks of each service per metrics period (period averages): running (solid), desired (dashed) and, "+
			"when any, pending (dotted); with the scenario's events, deployments (shaded from start to finish) "+
			"and service scaling activities (triangles).",
		"tasks")
	d.plot.Y.Tick.Marker = countTicker{}
	fc.addMarks(d, markSet{events: true, deployments: true, activities: kindService})
	pending := false
	svcs = fc.largest(d, svcs, "running_count")
	for _, s := range svcs {
		c := fc.colours.service(s)
		fc.addLine(d, s, "running_count", fc.set.get(kindService, s, "running_count"), c, solidDashes, "solid")
		fc.addLine(d, s, "desired_count", fc.set.get(kindService, s, "desired_count"), c, dashedDashes, "dashed")
		if p := fc.set.get(kindService, s, "pending_count"); anyPositive(p) {
			fc.addLine(d, s, "pending_count", p, c, dottedDashes, "dotted")
			pending = true
		}
		entityKey(d, s, c)
	}
	styleKey(d, "running", solidDashes)
	styleKey(d, "desired", dashedDashes)
	if pending {
		styleKey(d, "pending", dottedDashes)
	}
	fc.finishTime(d, 1)
	return d
}

// providerCount returns a provider's count column: "instances" for an Auto
// Scaling group provider, "tasks" for a Fargate one.
func (fc *figureContext) providerCount(name string) (metric string, data []float32) {
	for _, m := range []string{"instances", "tasks"} {
		if data := fc.set.get(kindProvider, name, m); data != nil {
			return m, data
		}
	}
	return "", nil
}

// providersWith returns the providers (in colour order) whose column
// chosen by col has a datapoint; none when the series cannot be drawn.
func (fc *figureContext) providersWith(col func(name string) []float32) []string {
	if fc.set.empty() {
		return nil
	}
	var out []string
	for _, p := range fc.set.providers {
		if seriesHasData(col(p)) {
			out = append(out, p)
		}
	}
	return out
}

// providerColumn returns the col function of one metric for providersWith.
func (fc *figureContext) providerColumn(metric string) func(string) []float32 {
	return func(p string) []float32 { return fc.set.get(kindProvider, p, metric) }
}

func capacityFigure(fc *figureContext) *figureDraft {
	provs := fc.providersWith(func(p string) []float32 { _, data := fc.providerCount(p); return data })
	if len(provs) == 0 {
		return nil
	}
	d := fc.timeDraft("capacity", "Capacity by capacity provider",
		"Instances of each Auto Scaling group capacity provider (solid) and billed tasks of each Fargate "+
			"capacity provider (dashed) per metrics period (period averages); with the scenario's events and "+
			"capacity provider scaling activities (triangles).",
		"instances (EC2) or tasks (Fargate)")
	d.plot.Y.Tick.Marker = countTicker{}
	fc.addMarks(d, markSet{events: true, activities: kindProvider})
	for _, p := range provs {
		c := fc.colours.provider(p)
		metric, data := fc.providerCount(p)
		dashes, style, label := solidDashes, "solid", p+" (instances)"
		if metric == "tasks" {
			dashes, style, label = dashedDashes, "dashed", p+" (tasks)"
		}
		fc.addLine(d, p, metric, data, c, dashes, style)
		d.legend.Add(label, lineThumb{Color: c, Width: lineWidth * 1.5, Dashes: dashes})
	}
	fc.finishTime(d, 1)
	return d
}

func cprFigure(fc *figureContext) *figureDraft {
	provs := fc.providersWith(fc.providerColumn("capacity_provider_reservation"))
	if len(provs) == 0 {
		return nil
	}
	d := fc.timeDraft("cpr", "CapacityProviderReservation by capacity provider",
		"CapacityProviderReservation of each Auto Scaling group capacity provider per metrics period, in percent: "+
			"the instances the tasks need over the instances running (ECS managed scaling's metric). "+
			"The dotted line marks 100 %, where the running instances exactly fit the tasks.",
		"CapacityProviderReservation (%)")
	fc.addMarks(d, markSet{})
	// The 100 % reference: managed scaling's target is not in the result.
	ref := draw.LineStyle{Color: inkColour, Width: vg.Points(0.8), Dashes: dottedDashes}
	d.plot.Add(&seriesLine{segs: [][]drawPt{{{0, 100}, {fc.axis.x(fc.axis.end), 100}}}, style: ref})
	for _, p := range provs {
		c := fc.colours.provider(p)
		fc.addLine(d, p, "capacity_provider_reservation", fc.set.get(kindProvider, p, "capacity_provider_reservation"), c, solidDashes, "solid")
		entityKey(d, p, c)
	}
	d.legend.Add("100 %", lineThumb(ref))
	fc.finishTime(d, 100)
	return d
}

func costFigure(fc *figureContext) *figureDraft {
	provs := fc.providersWith(fc.providerColumn("cost_usd_per_hour"))
	if len(provs) == 0 {
		return nil
	}
	d := fc.timeDraft("cost", "Cost rate by capacity provider",
		"What each capacity provider bills, in USD per hour, stacked in name order; each step is a metrics "+
			"period's average (or the mean of several periods on long runs), so the area is the bill "+
			"before the 60-second minimum charges.",
		"cost rate (USD/hour)")
	fc.addMarks(d, markSet{})
	area := &stackedArea{}
	var edges []float64
	for _, p := range provs {
		c := fc.colours.provider(p)
		data := fc.set.get(kindProvider, p, "cost_usd_per_hour")
		var means []float64
		edges, means = bucketMeans(data, fc.set.periods, fc.set.period, maxAreaSteps)
		area.layers = append(area.layers, areaLayer{means: means, colour: c})
		usd := 0.0
		for _, v := range data {
			if !nan32(v) {
				usd += float64(v) * fc.set.period / 3600
			}
		}
		d.data.line("layer", p, "cost_usd_per_hour", hexColour(c)+":", seriesSummary(data)+
			", area", figNum(usd), "USD, drawn", strconv.Itoa(len(means)), "steps")
	}
	area.edges = make([]float64, len(edges))
	for i, e := range edges {
		area.edges[i] = fc.axis.x(e)
	}
	d.plot.Add(area)
	// Legend top to bottom as the stack reads.
	for i := len(provs) - 1; i >= 0; i-- {
		d.legend.Add(provs[i], fillThumb{withAlpha(fc.colours.provider(provs[i]), 0xb0)})
	}
	fc.finishTime(d, 0.01)
	return d
}
