package autoscaling

import (
	"math"
	"testing"
	"time"
)

var inf = math.Inf(1)

// Rule (Application Auto Scaling User Guide "Step scaling policies", step
// adjustments; API StepAdjustment; ECS-SEMANTICS.md §5): bounds are
// relative to the alarm threshold. Above the threshold the lower bound is
// inclusive and the upper bound exclusive; below it the lower bound is
// exclusive and the upper bound inclusive. The API reference's example: for
// a threshold of 50, bounds [0, 10) mean 50 <= metric < 60 and bounds
// (-10, 0] mean 40 < metric <= 50.
func TestStepBounds(t *testing.T) {
	out := StepPolicy{
		Alarm: Alarm{"CPUUtilization", GreaterOrEqual, 50, 1, 1},
		Steps: []StepAdjustment{{0, 10, 1}, {10, 20, 2}, {20, inf, 3}},
	}
	in := StepPolicy{
		Alarm: Alarm{"CPUUtilization", LessOrEqual, 50, 1, 1},
		Steps: []StepAdjustment{{-10, 0, -1}, {-20, -10, -2}, {-inf, -20, -3}},
	}
	apiUp := StepPolicy{Alarm: Alarm{"CPUUtilization", GreaterOrEqual, 50, 1, 1}, Steps: []StepAdjustment{{0, 10, 1}}}
	apiDown := StepPolicy{Alarm: Alarm{"CPUUtilization", LessOrEqual, 50, 1, 1}, Steps: []StepAdjustment{{-10, 0, -1}}}
	gap := StepPolicy{Alarm: Alarm{"CPUUtilization", GreaterOrEqual, 50, 1, 1}, Steps: []StepAdjustment{{0, 10, 1}, {20, inf, 3}}}
	const none = 0 // no step applies
	tests := []struct {
		name string
		p    StepPolicy
		v    float64
		want int
	}{
		{"out: at the threshold, lower bound 0 inclusive", out, 50, 1},
		{"out: just below the first upper bound", out, 59.99, 1},
		{"out: 60 = upper bound of [0,10) excluded, lower of [10,20) included", out, 60, 2},
		{"out: 69.99", out, 69.99, 2},
		{"out: 70 starts the open step", out, 70, 3},
		{"out: far above", out, 1000, 3},
		{"out: below the threshold, no step", out, 49.99, none},
		{"in: at the threshold, upper bound 0 inclusive", in, 50, -1},
		{"in: 40.01", in, 40.01, -1},
		{"in: 40 = lower bound of (-10,0] excluded, upper of (-20,-10] included", in, 40, -2},
		{"in: 30.01", in, 30.01, -2},
		{"in: 30 = upper bound of the open step", in, 30, -3},
		{"in: zero", in, 0, -3},
		{"in: above the threshold, no step", in, 50.01, none},
		{"API example [0,10): 50 applies", apiUp, 50, 1},
		{"API example [0,10): 59.999 applies", apiUp, 59.999, 1},
		{"API example [0,10): 60 does not", apiUp, 60, none},
		{"API example (-10,0]: 50 applies", apiDown, 50, -1},
		{"API example (-10,0]: 40.001 applies", apiDown, 40.001, -1},
		{"API example (-10,0]: 40 does not", apiDown, 40, none},
		{"a gap between steps applies nothing", gap, 65, none},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := tc.p.Step(tc.v)
			got := none
			if ok {
				got = s.Adjustment
			}
			if got != tc.want || ok != (tc.want != none) {
				t.Errorf("Step(%v) = %+d, %v; want %+d", tc.v, got, ok, tc.want)
			}
		})
	}
}

// Rule (Application Auto Scaling User Guide "Step scaling policies",
// PercentChangeInCapacity; ECS-SEMANTICS.md §5): the change is
// current × percent / 100; a value greater than 1 is rounded down (12.7 ->
// 12), between 0 and 1 becomes 1, between -1 and 0 becomes -1, less than -1
// is rounded toward zero (-6.67 -> -6). MinAdjustmentMagnitude raises a
// smaller change to that magnitude (API StepScalingPolicyConfiguration: 25 %
// of 4 tasks is 1, with MinAdjustmentMagnitude 2 the service scales out by
// 2).
func TestPercentChange(t *testing.T) {
	tests := []struct {
		name                     string
		current, percent, minMag int
		want                     int
	}{
		{"12.7 rounds down to 12", 127, 10, 0, 12},
		{"2.5 rounds down to 2", 10, 25, 0, 2},
		{"2.1 rounds down to 2", 3, 70, 0, 2},
		{"exactly 3", 10, 30, 0, 3},
		{"exactly 1 stays 1", 10, 10, 0, 1},
		{"0.4 becomes 1", 4, 10, 0, 1},
		{"0.5 becomes 1", 1, 50, 0, 1},
		{"0.99 becomes 1", 3, 33, 0, 1},
		{"300 % of 7 is 21", 7, 300, 0, 21},
		{"-0.4 becomes -1", 4, -10, 0, -1},
		{"exactly -1 stays -1", 10, -10, 0, -1},
		{"-6.67 rounds toward zero to -6", 667, -1, 0, -6},
		{"-6.6 rounds toward zero to -6", 20, -33, 0, -6},
		{"-2.5 rounds toward zero to -2", 10, -25, 0, -2},
		{"-100 % of 8 is -8", 8, -100, 0, -8},
		{"0 % is no change", 10, 0, 0, 0},
		{"a percent of zero capacity is no change", 0, 50, 0, 0},
		{"MinAdjustmentMagnitude: 25 % of 4 with 2 gives 2", 4, 25, 2, 2},
		{"MinAdjustmentMagnitude applies to scale-in: -25 % of 4 with 2 gives -2", 4, -25, 2, -2},
		{"MinAdjustmentMagnitude after rounding: 0.3 -> 1 -> 2", 3, 10, 2, 2},
		{"MinAdjustmentMagnitude leaves a larger change: 50 % of 20 with 2", 20, 50, 2, 10},
		{"MinAdjustmentMagnitude equal to the change", 10, 30, 3, 3},
		// Model assumption (PercentChange): MinAdjustmentMagnitude raises a
		// change, it does not create one where the percent gives zero.
		{"MinAdjustmentMagnitude does not move zero capacity", 0, 50, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PercentChange(tc.current, tc.percent, tc.minMag); got != tc.want {
				t.Errorf("PercentChange(%d, %d, %d) = %d, want %d", tc.current, tc.percent, tc.minMag, got, tc.want)
			}
		})
	}
}

// Rule (Application Auto Scaling User Guide "Step scaling policies",
// scaling adjustment types): ChangeInCapacity adds the adjustment,
// ExactCapacity sets it, PercentChangeInCapacity adds the rounded percent
// of the current capacity.
func TestStepApply(t *testing.T) {
	tests := []struct {
		name   string
		typ    AdjustmentType
		adj    int
		minMag int
		want   int // from current 10
	}{
		{"ChangeInCapacity +3", ChangeInCapacity, 3, 0, 13},
		{"ChangeInCapacity -4", ChangeInCapacity, -4, 0, 6},
		{"ExactCapacity 7", ExactCapacity, 7, 0, 7},
		{"ExactCapacity 25", ExactCapacity, 25, 0, 25},
		{"PercentChangeInCapacity +25 (2.5 -> 2)", PercentChangeInCapacity, 25, 0, 12},
		{"PercentChangeInCapacity -25 (-2.5 -> -2)", PercentChangeInCapacity, -25, 0, 8},
		{"PercentChangeInCapacity +10 with MinAdjustmentMagnitude 3", PercentChangeInCapacity, 10, 3, 13},
		{"MinAdjustmentMagnitude ignored for ChangeInCapacity", ChangeInCapacity, 1, 3, 11},
	}
	for _, tc := range tests {
		p := StepPolicy{AdjustmentType: tc.typ, MinAdjustmentMagnitude: tc.minMag}
		if got := p.Apply(StepAdjustment{Adjustment: tc.adj}, 10); got != tc.want {
			t.Errorf("%s: Apply from 10 = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// Rule (API names of the adjustment types; "" is the default
// ChangeInCapacity as in SCENARIO.md).
func TestParseAdjustmentType(t *testing.T) {
	tests := []struct {
		in   string
		want AdjustmentType
	}{
		{"", ChangeInCapacity},
		{"ChangeInCapacity", ChangeInCapacity},
		{"PercentChangeInCapacity", PercentChangeInCapacity},
		{"ExactCapacity", ExactCapacity},
	}
	for _, tc := range tests {
		if got, err := ParseAdjustmentType(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseAdjustmentType(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"exact", "Percent", "ChangeInCapacity "} {
		if _, err := ParseAdjustmentType(bad); err == nil {
			t.Errorf("ParseAdjustmentType(%q): no error", bad)
		}
	}
}

// Rule (SCENARIO.md "Keys": the threshold shorthand stands for two AWS step
// policies, ">=" and "<="): scale_out = { threshold = 70, adjustment = 2 }
// is "metric >= 70: add 2" and scale_in = { threshold = 30, adjustment =
// -1 } is "metric <= 30: add -1", both ChangeInCapacity.
func TestThresholdStep(t *testing.T) {
	out := ThresholdStep("CPUReservation", Average, 70, 2, 3, 3, 300*time.Second)
	in := ThresholdStep("CPUReservation", Average, 30, -1, 3, 2, 120*time.Second)

	check := func(name string, p StepPolicy, cmp Comparison, th float64, periods, dta int, cd time.Duration) {
		t.Helper()
		a := p.Alarm
		if a.Metric != "CPUReservation" || a.Comparison != cmp || a.Threshold != th || a.EvaluationPeriods != periods || a.DatapointsToAlarm != dta {
			t.Errorf("%s: alarm %+v", name, a)
		}
		if p.Statistic != Average || p.AdjustmentType != ChangeInCapacity || p.Cooldown != cd || len(p.Steps) != 1 {
			t.Errorf("%s: policy %+v", name, p)
		}
	}
	check("scale_out", out, GreaterOrEqual, 70, 3, 3, 300*time.Second)
	check("scale_in", in, LessOrEqual, 30, 3, 2, 120*time.Second)

	tests := []struct {
		name    string
		p       StepPolicy
		v       float64
		ok      bool
		applied int // Apply from 5
	}{
		{"scale_out at 70 (>=)", out, 70, true, 7},
		{"scale_out at 100", out, 100, true, 7},
		{"scale_out at 69.99", out, 69.99, false, 0},
		{"scale_in at 30 (<=)", in, 30, true, 4},
		{"scale_in at 0", in, 0, true, 4},
		{"scale_in at 30.01", in, 30.01, false, 0},
	}
	for _, tc := range tests {
		s, ok := tc.p.Step(tc.v)
		if ok != tc.ok {
			t.Errorf("%s: Step ok = %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		if ok {
			if got := tc.p.Apply(s, 5); got != tc.applied {
				t.Errorf("%s: Apply from 5 = %d, want %d", tc.name, got, tc.applied)
			}
		}
		// The alarm agrees with the step: ALARM exactly when a step applies
		// (one datapoint, 1 of 1).
		a := tc.p.Alarm
		a.EvaluationPeriods, a.DatapointsToAlarm = 1, 1
		if got := a.Evaluate(windowOf(1, tc.v)).State == InAlarm; got != tc.ok {
			t.Errorf("%s: alarm in ALARM = %v, want %v", tc.name, got, tc.ok)
		}
	}
}
