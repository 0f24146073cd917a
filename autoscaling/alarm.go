package autoscaling

import (
	"fmt"
	"math"
	"strconv"
)

// Comparison is an alarm's comparison operator: the metric value stands on
// the left, the threshold on the right.
type Comparison uint8

// The four CloudWatch comparison operators.
const (
	GreaterOrEqual Comparison = iota // GreaterThanOrEqualToThreshold
	Greater                          // GreaterThanThreshold
	LessOrEqual                      // LessThanOrEqualToThreshold
	Less                             // LessThanThreshold
)

var cmpNames = [...]string{">=", ">", "<=", "<"}

func (c Comparison) String() string { return cmpNames[c] }

// ParseComparison reads ">=", ">", "<=" or "<".
func ParseComparison(s string) (Comparison, error) {
	for i, n := range cmpNames {
		if n == s {
			return Comparison(i), nil
		}
	}
	return 0, fmt.Errorf("autoscaling: unknown comparison %q", s)
}

// Holds reports whether v compares to threshold as c says.
func (c Comparison) Holds(v, threshold float64) bool {
	switch c {
	case GreaterOrEqual:
		return v >= threshold
	case Greater:
		return v > threshold
	case LessOrEqual:
		return v <= threshold
	case Less:
		return v < threshold
	}
	panic(fmt.Sprintf("autoscaling: bad comparison %d", c))
}

// Upward reports whether the comparison fires on high values (a scale-out
// shape).
func (c Comparison) Upward() bool { return c == GreaterOrEqual || c == Greater }

// State is an alarm's state.
type State uint8

// Alarm states, as CloudWatch names them.
const (
	InsufficientData State = iota
	OK
	InAlarm
)

var stateNames = [...]string{"INSUFFICIENT_DATA", "OK", "ALARM"}

func (s State) String() string { return stateNames[s] }

// Alarm is a CloudWatch metric alarm as a value. It is in ALARM when at
// least DatapointsToAlarm of the last EvaluationPeriods datapoints breach
// (Metric Comparison Threshold).
type Alarm struct {
	Metric            string // for reasons only, e.g. "CPUUtilization"
	Comparison        Comparison
	Threshold         float64
	EvaluationPeriods int
	DatapointsToAlarm int
}

// Evaluation is the outcome of evaluating an alarm over a window.
type Evaluation struct {
	State     State
	Breaching int     // breaching datapoints among those evaluated
	Present   int     // datapoints evaluated: the newest present, at most EvaluationPeriods
	Latest    float64 // the newest datapoint present in the range (NaN if none)
}

// Evaluate evaluates a over win. Missing datapoints (NaN, or slots before
// the first datapoint) are treated as CloudWatch's default
// treatMissingData = "missing": they are skipped (SCENARIO.md "Datapoints
// and statistics": statistics and alarms skip them). When every slot of
// the evaluation range (the newest EvaluationPeriods) is missing the alarm
// is INSUFFICIENT_DATA, which triggers no scaling action. Otherwise the
// alarm looks back past missing slots, as far as the window holds, for
// the newest EvaluationPeriods datapoints present, and is ALARM when at
// least DatapointsToAlarm of them breach, else OK.
//
// Model assumption: CloudWatch does not document how far it looks back;
// ecssim looks back as far as the window (twice the longest evaluation
// range of its alarms; see LookbackWindow).
func (a Alarm) Evaluate(win *Window) Evaluation {
	if a.EvaluationPeriods > win.Cap() {
		panic(fmt.Sprintf("autoscaling: alarm on %s evaluates %d periods over a window of %d", a.Metric, a.EvaluationPeriods, win.Cap()))
	}
	e := Evaluation{Latest: math.NaN()}
	inRange := false
	for i := 0; i < win.Len() && e.Present < a.EvaluationPeriods; i++ {
		v, _ := win.Back(i)
		if math.IsNaN(v) {
			continue
		}
		if i < a.EvaluationPeriods {
			inRange = true
		}
		if e.Present == 0 {
			e.Latest = v
		}
		e.Present++
		if a.Comparison.Holds(v, a.Threshold) {
			e.Breaching++
		}
	}
	switch {
	case !inRange:
		e = Evaluation{State: InsufficientData, Latest: math.NaN()}
	case e.Breaching >= a.DatapointsToAlarm:
		e.State = InAlarm
	default:
		e.State = OK
	}
	return e
}

// LookbackWindow is the window size for alarms whose longest evaluation
// range is periods: room to look back one more range past missing
// datapoints.
func LookbackWindow(periods int) int { return 2 * periods }

// Reason describes an alarm in ALARM for the activity log, for example
// "alarm_high 3/3 CPUUtilization 100 > 60": kind, breaching datapoints of
// the evaluation periods, the metric, its latest value, the comparison and
// the threshold.
func (a Alarm) Reason(kind string, e Evaluation) string {
	return fmt.Sprintf("%s %d/%d %s %s %s %s", kind, e.Breaching, a.EvaluationPeriods, a.Metric, num(e.Latest), a.Comparison, num(a.Threshold))
}

// num formats a metric value for reasons: at most two decimals, no
// trailing zeros.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// Window is a ring buffer of the newest datapoint values of one metric
// statistic, NaN for a missing datapoint. It holds at most Cap values.
type Window struct {
	buf  []float64
	next int // slot of the next Push
	n    int // values held
}

// NewWindow returns an empty window holding up to capacity values.
func NewWindow(capacity int) *Window {
	if capacity <= 0 {
		panic("autoscaling: window capacity must be positive")
	}
	return &Window{buf: make([]float64, capacity)}
}

// Cap returns the capacity.
func (w *Window) Cap() int { return len(w.buf) }

// Len returns how many values the window holds.
func (w *Window) Len() int { return w.n }

// Push appends the newest value (NaN for a missing datapoint), dropping
// the oldest when full.
func (w *Window) Push(v float64) {
	w.buf[w.next] = v
	w.next++
	if w.next == len(w.buf) {
		w.next = 0
	}
	if w.n < len(w.buf) {
		w.n++
	}
}

// Back returns the value i datapoints before the newest (Back(0) is the
// newest); ok is false when the window holds fewer than i+1 values.
func (w *Window) Back(i int) (v float64, ok bool) {
	if i < 0 || i >= w.n {
		return math.NaN(), false
	}
	j := w.next - 1 - i
	if j < 0 {
		j += len(w.buf)
	}
	return w.buf[j], true
}
