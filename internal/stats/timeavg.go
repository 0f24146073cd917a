package stats

import "math"

// TimeAvg integrates a piecewise-constant quantity (a task count, a
// utilization) over time and returns its time-weighted average per window.
// The value set at time t holds from t until the next Set. This is how a
// datapoint is formed: SCENARIO.md "Datapoints and statistics", "Every
// datapoint, counts included, is the time-weighted average over its period".
//
// Times are int64 milliseconds of simulated time and must not decrease
// across calls. The zero TimeAvg has no value yet: time before the first Set
// is not part of any window.
type TimeAvg struct {
	started   bool
	last      int64   // time of the last Set or Close
	cur       float64 // value holding since last
	integral  float64 // Neumaier sum of value × ms over the window
	comp      float64
	covered   int64 // ms of the window with a value
	mixed     bool  // more than one value held for a positive time in the window
	windowVal float64
}

// Set records that the quantity has value v from time now (ms) on. It
// panics if now is before the previous Set or Close.
func (a *TimeAvg) Set(now int64, v float64) {
	if !a.started {
		a.started = true
		a.last, a.cur = now, v
		return
	}
	a.advance(now)
	a.cur = v
}

// Close ends the window at now (ms) and returns the time-weighted average
// of the value over it: from the previous Close (or the first Set, if
// later) to now. ok is false, and avg NaN, if that span is empty or no value
// was set before now. The next window starts at now with the current value.
// It panics if now is before the previous Set or Close.
//
// If one value held throughout the window, avg is that value exactly, with
// no rounding from the integration.
func (a *TimeAvg) Close(now int64) (avg float64, ok bool) {
	if !a.started {
		return math.NaN(), false
	}
	a.advance(now)
	switch {
	case a.covered == 0:
		avg = math.NaN()
	case !a.mixed:
		avg, ok = a.windowVal, true
	default:
		avg, ok = (a.integral+a.comp)/float64(a.covered), true
	}
	a.integral, a.comp, a.covered, a.mixed = 0, 0, 0, false
	return avg, ok
}

// Value returns the current value and whether one was ever set.
func (a *TimeAvg) Value() (float64, bool) { return a.cur, a.started }

// advance adds the segment [last, now) with the current value.
func (a *TimeAvg) advance(now int64) {
	if now < a.last {
		panic("stats: TimeAvg: time went backwards")
	}
	dt := now - a.last
	if dt == 0 {
		return
	}
	if a.covered == 0 {
		a.windowVal = a.cur
	} else if a.cur != a.windowVal {
		a.mixed = true
	}
	x := a.cur * float64(dt)
	t := a.integral + x
	if math.Abs(a.integral) >= math.Abs(x) {
		a.comp += (a.integral - t) + x
	} else {
		a.comp += (x - t) + a.integral
	}
	a.integral = t
	a.covered += dt
	a.last = now
}
