package reports

import (
	"image/color"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecssim/ecssim/sim"
)

// markSet says which marks a time-series figure carries besides the
// warmup band, which every one has.
type markSet struct {
	events      bool   // the scenario's events: lines, or bands for their duration
	deployments bool   // service deployments: bands from start to finish
	activities  string // scaling activities of resources of this kind ("service", "capacity_provider"); "" for none
}

// addMarks adds the marks plotter (call it before the data, so the marks
// lie behind the lines), their legend keys, and their Data lines.
func (fc *figureContext) addMarks(d *figureDraft, want markSet) {
	m := &markLayer{}
	ax := fc.axis
	res := fc.res
	end := ax.end
	var keys []func()

	if w := res.Scenario.WarmupSeconds; w > 0 {
		m.bands = append(m.bands, markBand{x0: 0, x1: ax.x(w), fill: warmupFill, label: "warmup"})
		d.data.line("warmup 0s to", duration(w))
		keys = append(keys, func() { d.legend.Add("warmup", fillThumb{warmupFill}) })
	}

	if want.deployments {
		some := false
		for _, name := range sortedKeys(res.Services) {
			c := fc.colours.service(name)
			for _, dep := range res.Services[name].Deployments {
				to, toText := end, "end"
				if dep.FinishedAtSeconds != nil {
					to, toText = *dep.FinishedAtSeconds, duration(*dep.FinishedAtSeconds)
				}
				m.bands = append(m.bands, markBand{x0: ax.x(dep.StartedAtSeconds), x1: ax.x(max(to, dep.StartedAtSeconds)),
					colour: c, fill: withAlpha(c, 0x22)})
				d.data.line("deployment", name, dep.TaskDefinition, duration(dep.StartedAtSeconds), "to", toText,
					dep.State, "failed_tasks", strconv.FormatInt(dep.FailedTasks, 10))
				some = true
			}
		}
		if some {
			keys = append(keys, func() {
				d.legend.Add("deployment (service colour)", fillThumb{withAlpha(inkColour, 0x22)})
			})
		}
	}

	if want.events {
		evs := append([]sim.EventMark(nil), res.Events...)
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].AtSeconds < evs[j].AtSeconds })
		types := map[string]bool{} // type -> has a duration
		for _, e := range evs {
			c := eventColour(e.Type)
			label := strings.TrimSpace(e.Type + " " + e.Target)
			words := []string{"event", duration(e.AtSeconds), e.Type, e.Target}
			b := markBand{x0: ax.x(e.AtSeconds), x1: ax.x(e.AtSeconds), colour: c, label: label}
			if e.DurationSeconds > 0 {
				b.x1 = ax.x(e.AtSeconds + e.DurationSeconds)
				words = append(words, "for", duration(e.DurationSeconds))
			}
			m.bands = append(m.bands, b)
			d.data.line(words...)
			types[e.Type] = types[e.Type] || e.DurationSeconds > 0
		}
		for _, t := range sortedKeys(types) {
			c := eventColour(t)
			if types[t] {
				keys = append(keys, func() { d.legend.Add(t, fillThumb{withAlpha(c, 0x30)}) })
			} else {
				keys = append(keys, func() {
					d.legend.Add(t, lineThumb{Color: c, Width: vg.Points(0.8), Dashes: dashedDashes})
				})
			}
		}
	}

	if want.activities != "" {
		fc.addActivities(d, m, want.activities, &keys)
	}

	labelled := 0
	for _, b := range m.bands {
		if b.label != "" {
			labelled++
		}
	}
	m.labels = labelled <= maxMarkLabels
	if !m.labels {
		d.data.line("mark labels omitted:", strconv.Itoa(labelled), "labelled marks >", strconv.Itoa(maxMarkLabels))
	}
	d.plot.Add(m)
	d.markKeys = keys
}

// addActivities adds the scaling activities of resources of the given kind
// as triangles and summarises them per resource in Data: count, how many
// scaled out (To > From) and in, and the first and last.
func (fc *figureContext) addActivities(d *figureDraft, m *markLayer, kind string, keys *[]func()) {
	acts := make([]sim.Activity, 0, len(fc.res.Activities))
	for _, a := range fc.res.Activities {
		if strings.HasPrefix(a.Resource, kind+"/") {
			acts = append(acts, a)
		}
	}
	if len(acts) == 0 {
		return
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].AtSeconds < acts[j].AtSeconds })
	byRes := map[string][]sim.Activity{}
	// One triangle per direction and colour per 1/1000 of the axis: a
	// month of minute-by-minute activities would otherwise draw hundreds
	// of thousands of glyphs on the same few pixels.
	type slot struct {
		bin    int
		up     bool
		colour color.RGBA
	}
	seen := map[slot]bool{}
	span := fc.axis.x(fc.res.Scenario.DurationSeconds)
	for _, a := range acts {
		x := fc.axis.x(a.AtSeconds)
		k := slot{0, a.To >= a.From, fc.colours.resource(a.Resource)}
		if span > 0 {
			k.bin = int(x / span * 1000)
		}
		if !seen[k] {
			seen[k] = true
			m.ticks = append(m.ticks, markTick{x: x, up: k.up, colour: k.colour})
		}
		byRes[a.Resource] = append(byRes[a.Resource], a)
	}
	act := func(a sim.Activity) string {
		return duration(a.AtSeconds) + " " + strconv.Itoa(a.From) + "->" + strconv.Itoa(a.To)
	}
	for _, r := range sortedKeys(byRes) {
		as := byRes[r]
		out := 0
		for _, a := range as {
			if a.To >= a.From {
				out++
			}
		}
		d.data.line("activities", r+":", strconv.Itoa(len(as)), "("+strconv.Itoa(out), "out,",
			strconv.Itoa(len(as)-out), "in), first", act(as[0])+", last", act(as[len(as)-1]))
	}
	*keys = append(*keys, func() {
		d.legend.Add("scale-out", glyphThumb{Color: inkColour, Radius: vg.Points(3), Shape: draw.PyramidGlyph{}})
		d.legend.Add("scale-in", glyphThumb{Color: inkColour, Radius: vg.Points(3), Shape: downPyramid{}})
	})
}

// entityKey adds a legend entry for a service or provider: its name with a
// solid line in its colour.
func entityKey(d *figureDraft, name string, c color.RGBA) {
	d.legend.Add(name, lineThumb{Color: c, Width: lineWidth * 1.5})
}

// styleKey adds a legend entry for a line style in ink.
func styleKey(d *figureDraft, name string, dashes []vg.Length) {
	d.legend.Add(name, lineThumb{Color: inkColour, Width: lineWidth, Dashes: dashes})
}
