package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecssim/ecssim/planner"
)

// DefaultEffectPath is the metric of the effect figures of a study without
// an [objective].
const DefaultEffectPath = "cost.monthly_usd"

// EffectPath returns the metric the effect figures show: the objective's
// path, or DefaultEffectPath without an objective.
func EffectPath(st *planner.Study) string {
	if st.Objective != nil {
		return st.Objective.Path
	}
	return DefaultEffectPath
}

// SweepFigures draws the figures of a sweep's report.html, in this order,
// each only when it has something to show:
//
//	pareto      (with [pareto]) every group with both means as a point, x
//	            against y, groups failing subject_to in grey, the front as a
//	            line joining its groups in x order, the best group ringed
//	effect-N    for the N-th varied key (1-based, vary order): the mean of
//	            EffectPath over all runs having each value of the key,
//	            whatever the other keys, with 95 % t-intervals as error bars;
//	            numeric means are joined by a dashed line
//
// Numeric values (int64, float64) of a key are placed at their value;
// otherwise (strings, bools, or a mix) the values are evenly spaced
// categories in the study's order. Effects use sum.Runs, so every
// replication of every group counts once. Deterministic like Figures. It
// panics if st or sum is nil.
func SweepFigures(st *planner.Study, sum *planner.Summary) ([]Figure, error) {
	if st == nil || sum == nil {
		panic("reports: SweepFigures of a nil study or summary")
	}
	var drafts []*figureDraft
	if st.Pareto != nil {
		if d := paretoFigure(st, sum); d != nil {
			drafts = append(drafts, d)
		}
	}
	for i := range st.Vary {
		if d := effectFigure(st, sum, i); d != nil {
			drafts = append(drafts, d)
		}
	}
	figs := make([]Figure, 0, len(drafts))
	for _, d := range drafts {
		svg, png, err := renderFigure(d.plot, d.legend)
		if err != nil {
			return nil, err
		}
		figs = append(figs, Figure{Name: d.name, Title: d.title, Caption: d.caption, SVG: svg, PNG: png, Data: d.data.String()})
	}
	return figs, nil
}

// newSweepDraft starts a sweep figure: its plot with title and axis labels,
// grid lines, and the head of its Data.
func newSweepDraft(name, title, caption, xLabel, yLabel string) *figureDraft {
	d := &figureDraft{name: name, title: title, caption: caption,
		plot: newPlot(title, xLabel, yLabel), legend: newLegend(), data: &dataText{}}
	d.data.line("figure", name)
	d.data.line("title", title)
	d.data.line("x", xLabel)
	d.data.line("y", yLabel)
	g := plotter.NewGrid()
	g.Vertical.Color, g.Vertical.Width = gridColour, vg.Points(0.5)
	g.Horizontal.Color, g.Horizontal.Width = gridColour, vg.Points(0.5)
	d.plot.Add(g)
	return d
}

// The colours of the sweep figures.
var (
	groupColour      = figurePalette[0] // a group meeting subject_to
	infeasibleColour = figurePalette[9] // a group failing it
	frontColour      = figurePalette[1]
	effectColour     = figurePalette[0]
)

func paretoFigure(st *planner.Study, sum *planner.Summary) *figureDraft {
	px, py := st.Pareto.X, st.Pareto.Y
	var ok, bad plotter.XYs
	d := newSweepDraft("pareto", "Pareto front",
		"Each point is a group (a grid point, its means over the replications): the mean of "+px+
			" against the mean of "+py+". The line joins the non-dominated groups, those no other group beats "+
			"on both (both minimized)."+
			ifText(hasChecks(st), " Grey points fail subject_to.")+
			ifText(sum.Best != nil, " The ring marks the best group."),
		px, py)
	hasBest := false
	var bestXY plotter.XY
	for i := range sum.Groups {
		g := &sum.Groups[i]
		x, okX := g.Mean[px]
		y, okY := g.Mean[py]
		if !okX || !okY || !finite(x) || !finite(y) {
			continue
		}
		feasible := planner.Feasible(st, g)
		if feasible {
			ok = append(ok, plotter.XY{X: x, Y: y})
		} else {
			bad = append(bad, plotter.XY{X: x, Y: y})
		}
		if sum.Best != nil && g.Values.Equal(sum.Best.Values) {
			hasBest, bestXY = true, plotter.XY{X: x, Y: y}
		}
		d.data.line("group", valuesText(g.Values), "x", figNum(x), "y", figNum(y), ifText(!feasible, "fails subject_to"))
	}
	if len(ok)+len(bad) == 0 {
		return nil
	}
	var front plotter.XYs
	for _, f := range sum.Pareto {
		if finite(f.X) && finite(f.Y) {
			front = append(front, plotter.XY{X: f.X, Y: f.Y})
			d.data.line("front", valuesText(f.Values), "x", figNum(f.X), "y", figNum(f.Y))
		}
	}
	p := d.plot
	dot := func(c draw.GlyphStyle, xys plotter.XYs) {
		if len(xys) == 0 {
			return
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			panic("reports: " + err.Error()) // finite points never fail
		}
		s.GlyphStyle = c
		p.Add(s)
	}
	okGlyph := draw.GlyphStyle{Color: groupColour, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	badGlyph := draw.GlyphStyle{Color: infeasibleColour, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	// The front first, so the groups' dots (coloured by subject_to) lie
	// on its line.
	if len(front) > 0 {
		l, err := plotter.NewLine(front)
		if err != nil {
			panic("reports: " + err.Error())
		}
		l.LineStyle = draw.LineStyle{Color: frontColour, Width: lineWidth}
		p.Add(l)
	}
	dot(badGlyph, bad)
	dot(okGlyph, ok)
	if len(bad) > 0 {
		d.legend.Add("group failing subject_to", glyphThumb(badGlyph))
	}
	if len(ok) > 0 {
		d.legend.Add(ifText(len(bad) > 0, "group meeting subject_to")+ifText(len(bad) == 0, "group"), glyphThumb(okGlyph))
	}
	if len(front) > 0 {
		d.legend.Add("Pareto front", lineThumb{Color: frontColour, Width: lineWidth})
	}
	if hasBest {
		ring := draw.GlyphStyle{Color: inkColour, Radius: vg.Points(6.5), Shape: draw.RingGlyph{}}
		dot(ring, plotter.XYs{bestXY})
		d.legend.Add("best", glyphThumb(ring))
	}
	padAxis(&p.X)
	padAxis(&p.Y)
	return d
}

// effectFigure draws the effect of the i-th varied key, nil when no run
// has the effect path.
func effectFigure(st *planner.Study, sum *planner.Summary, i int) *figureDraft {
	v := st.Vary[i]
	path := EffectPath(st)
	levels := distinctValues(v.Values)
	numeric := allNumeric(levels)
	d := newSweepDraft(fmt.Sprintf("effect-%d", i+1), "Effect of "+v.Key,
		"The mean of "+path+" over all runs with each value of "+v.Key+" (every value of the other keys, "+
			"every replication), with its 95 % interval (Student's t, n − 1 degrees of freedom) over those runs: "+
			"it spans the other keys' values as well as the seeds, so it shows their spread, not only sampling error; "+
			"a value of one run has no interval.",
		v.Key, path)
	var pts plotter.XYs
	var errs plotter.YErrors
	var labels []string
	for j, lv := range levels {
		labels = append(labels, valueText(lv))
		var xs []float64
		for _, r := range sum.Runs {
			rv, ok := valueOf(r.Values, v.Key)
			if !ok || !planner.SameValue(rv, lv) {
				continue
			}
			if m, ok := r.Metrics[path]; ok {
				xs = append(xs, m)
			}
		}
		mean, hw := planner.MeanCI95(xs)
		d.data.line("value", valueText(lv), "runs", strconv.Itoa(len(xs)), "mean", figNum(mean), "ci95", figNum(hw))
		if len(xs) == 0 || !finite(mean) {
			continue
		}
		x := float64(j)
		if numeric {
			x, _ = planner.NumberOf(lv)
		}
		if !finite(hw) {
			hw = 0
		}
		pts = append(pts, plotter.XY{X: x, Y: mean})
		errs = append(errs, struct{ Low, High float64 }{hw, hw})
	}
	if len(pts) == 0 {
		return nil
	}
	p := d.plot
	bars, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{pts, errs})
	if err != nil {
		panic("reports: " + err.Error()) // finite points never fail
	}
	bars.LineStyle = draw.LineStyle{Color: effectColour, Width: vg.Points(1)}
	bars.CapWidth = vg.Points(8)
	if numeric {
		// A dashed line joins the means in x order; categories have no
		// order, so they are not joined.
		line := append(plotter.XYs(nil), pts...)
		slices.SortStableFunc(line, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
		l, err := plotter.NewLine(line)
		if err != nil {
			panic("reports: " + err.Error())
		}
		l.LineStyle = draw.LineStyle{Color: effectColour, Width: lineWidth, Dashes: dashedDashes}
		p.Add(l)
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		panic("reports: " + err.Error())
	}
	s.GlyphStyle = draw.GlyphStyle{Color: effectColour, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	p.Add(bars, s)
	d.legend.Add("mean", glyphThumb(s.GlyphStyle))
	d.legend.Add("95 % interval", lineThumb(bars.LineStyle))
	if numeric {
		if len(levels) <= 12 {
			ticks := make(plot.ConstantTicks, len(levels))
			for j, lv := range levels {
				x, _ := planner.NumberOf(lv)
				ticks[j] = plot.Tick{Value: x, Label: labels[j]}
			}
			p.X.Tick.Marker = ticks
		}
		padAxis(&p.X)
	} else {
		p.NominalX(labels...)
		p.X.Min, p.X.Max = -0.5, float64(len(levels))-0.5
	}
	padAxis(&p.Y)
	return d
}

// padAxis widens an axis by 5 % of its range on each side (by 1 when the
// range is empty), so that glyphs and error-bar caps at the ends show.
func padAxis(a *plot.Axis) {
	span := a.Max - a.Min
	if span <= 0 || !finite(span) {
		span = math.Max(math.Abs(a.Max), 1) * 20
	}
	a.Min -= 0.05 * span
	a.Max += 0.05 * span
}

// distinctValues returns vs without repeats, first occurrence kept.
func distinctValues(vs []any) []any {
	var out []any
	for _, v := range vs {
		dup := false
		for _, o := range out {
			if planner.SameValue(o, v) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// allNumeric reports whether every value is a number.
func allNumeric(vs []any) bool {
	for _, v := range vs {
		if _, ok := planner.NumberOf(v); !ok {
			return false
		}
	}
	return len(vs) > 0
}

// valueOf returns the value of key in vs.
func valueOf(vs planner.Values, key string) (any, bool) {
	for _, v := range vs {
		if v.Key == key {
			return v.Value, true
		}
	}
	return nil, false
}

// valueText formats a varied value as the study file writes it.
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// valuesText formats a group's values as KEY=VALUE,... in vary order.
func valuesText(vs planner.Values) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Key + "=" + valueText(v.Value)
	}
	return strings.Join(parts, ",")
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// hasChecks reports whether the study's objective has subject_to checks.
func hasChecks(st *planner.Study) bool { return st.Objective != nil && len(st.Objective.SubjectTo) > 0 }

// ifText returns s when cond holds, else "".
func ifText(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}
