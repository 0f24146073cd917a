package reports

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// timeAxis is the horizontal axis of the time-series figures: seconds since
// the start of the run drawn in minutes (runs up to 3 hours), hours (up to
// 3 days) or days, from 0 to the end of the run.
type timeAxis struct {
	unit    string  // "minutes", "hours" or "days"
	perUnit float64 // seconds per unit
	end     float64 // seconds; the axis runs from 0 to end
	steps   []tickStep
}

// tickStep is a major tick spacing and the minor spacing drawn with it, in
// axis units.
type tickStep struct{ major, minor float64 }

// maxMajorTicks bounds the labelled ticks of the time axis.
const maxMajorTicks = 12

// newTimeAxis returns the axis for a run of the given length in seconds
// (at least one second).
func newTimeAxis(seconds float64) timeAxis {
	if !(seconds > 1) {
		seconds = 1
	}
	switch {
	case seconds <= 3*3600:
		return timeAxis{unit: "minutes", perUnit: 60, end: seconds, steps: []tickStep{
			{1, 0}, {2, 1}, {5, 1}, {10, 5}, {15, 5}, {30, 10}, {60, 15}}}
	case seconds <= 3*86400:
		return timeAxis{unit: "hours", perUnit: 3600, end: seconds, steps: []tickStep{
			{1, 0}, {2, 1}, {3, 1}, {6, 1}, {12, 3}}}
	default:
		return timeAxis{unit: "days", perUnit: 86400, end: seconds, steps: []tickStep{
			{1, 0.25}, {2, 1}, {5, 1}, {10, 5}, {20, 5}, {30, 10}, {60, 10}, {90, 30}, {180, 30}, {360, 30}}}
	}
}

// x converts seconds to axis units.
func (a timeAxis) x(seconds float64) float64 { return seconds / a.perUnit }

// label is the axis label.
func (a timeAxis) label() string { return "time since start (" + a.unit + ")" }

// Ticks implements plot.Ticker: the first step of the unit's list giving at
// most maxMajorTicks labelled ticks, at whole multiples of the step and
// labelled with the number of units ("0", "6", "12", ...), with unlabelled
// minor ticks in between.
func (a timeAxis) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	st := a.steps[len(a.steps)-1]
	for _, s := range a.steps {
		if (hi-lo)/s.major <= maxMajorTicks {
			st = s
			break
		}
	}
	// Beyond the list, grow the last step by powers of two.
	for (hi-lo)/st.major > maxMajorTicks {
		st.major *= 2
		st.minor *= 2
	}
	var ticks []plot.Tick
	eps := 1e-9 * (hi - lo)
	if st.minor > 0 {
		for i := math.Ceil((lo - eps) / st.minor); i*st.minor <= hi+eps; i++ {
			v := i * st.minor
			if r := math.Mod(v, st.major); math.Abs(r) < eps || math.Abs(r-st.major) < eps {
				continue
			}
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	for i := math.Ceil((lo - eps) / st.major); i*st.major <= hi+eps; i++ {
		v := i*st.major + 0 // no negative zero
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

// countTicker labels a count axis (tasks, instances) at whole numbers:
// every one up to a range of 10, else the plot's default ticks without the
// fractional ones.
type countTicker struct{}

// Ticks implements plot.Ticker.
func (countTicker) Ticks(lo, hi float64) []plot.Tick {
	if hi-lo <= 10 {
		var ts []plot.Tick
		for v := math.Ceil(lo); v <= hi; v++ {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
		return ts
	}
	var ts []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Value == math.Trunc(t.Value) {
			if t.Label != "" {
				t.Label = strconv.FormatFloat(t.Value, 'f', -1, 64) // "500", not "500.00"
			}
			ts = append(ts, t)
		}
	}
	return ts
}
