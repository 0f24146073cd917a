package autoscaling

import (
	"math"
	"testing"
)

// Rule (design: ARCHITECTURE.md, alarms over "a ring buffer of
// datapoints"): a Window keeps the newest Cap values; Back(0) is the
// newest, Back(Cap-1) the oldest kept; older values are overwritten as the
// ring wraps around.
func TestWindowRing(t *testing.T) {
	tests := []struct {
		name   string
		cap    int
		pushes []float64
		back   []float64 // Back(0), Back(1), ... expected ok
		len    int
	}{
		{"empty", 3, nil, nil, 0},
		{"one value", 3, []float64{1}, []float64{1}, 1},
		{"exactly full", 3, []float64{1, 2, 3}, []float64{3, 2, 1}, 3},
		{"wraps once", 3, []float64{1, 2, 3, 4}, []float64{4, 3, 2}, 3},
		{"wraps to the start slot again", 3, []float64{1, 2, 3, 4, 5, 6}, []float64{6, 5, 4}, 3},
		{"wraps more than twice", 3, []float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{8, 7, 6}, 3},
		{"capacity one", 1, []float64{1, 2, 3}, []float64{3}, 1},
		{"missing kept as NaN", 4, []float64{1, nan, 3}, []float64{3, nan, 1}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := windowOf(tc.cap, tc.pushes...)
			if w.Cap() != tc.cap || w.Len() != tc.len {
				t.Fatalf("Cap, Len = %d, %d; want %d, %d", w.Cap(), w.Len(), tc.cap, tc.len)
			}
			for i, want := range tc.back {
				got, ok := w.Back(i)
				if !ok || !sameFloat(got, want) {
					t.Errorf("Back(%d) = %v, %v; want %v, true", i, got, ok, want)
				}
			}
			for _, i := range []int{-1, len(tc.back), tc.cap, tc.cap + 1} {
				if v, ok := w.Back(i); ok || !math.IsNaN(v) {
					t.Errorf("Back(%d) = %v, %v; want NaN, false", i, v, ok)
				}
			}
		})
	}
}

// Rule: a long run of pushes through a small ring always returns the newest
// values, at every wraparound offset.
func TestWindowRingLongRun(t *testing.T) {
	w := NewWindow(5)
	for k := 1; k <= 23; k++ {
		w.Push(float64(k))
		for i := 0; i < min(k, 5); i++ {
			if got, ok := w.Back(i); !ok || got != float64(k-i) {
				t.Fatalf("after %d pushes Back(%d) = %v, %v; want %d", k, i, got, ok, k-i)
			}
		}
	}
}

// Rule (STYLE.md §8): programmer errors panic with the package prefix: a
// window without room, an alarm over more periods than its window holds, an
// unknown comparison.
func TestWindowPanics(t *testing.T) {
	mustPanic(t, "NewWindow(0)", func() { NewWindow(0) })
	mustPanic(t, "NewWindow(-3)", func() { NewWindow(-3) })
	a := Alarm{Metric: "CPUUtilization", Comparison: Greater, Threshold: 60, EvaluationPeriods: 4, DatapointsToAlarm: 4}
	mustPanic(t, "4 periods over a window of 3", func() { a.Evaluate(NewWindow(3)) })
	mustPanic(t, "bad comparison", func() { Comparison(7).Holds(1, 1) })
}

// Rule (ECS-SEMANTICS.md §5; SCENARIO.md "Service auto scaling"): the
// target tracking scale-out alarm fires when 3 of 3 one-minute datapoints
// are above the target and the scale-in alarm when 15 of 15 are below 90 %
// of it; so with a steady breaching metric pushed once a minute the alarm
// goes to ALARM exactly at the 3rd (15th) datapoint and not before. The same
// holds for a 1-of-1 alarm (managed scaling scale-out, ECS-SEMANTICS.md §4).
func TestAlarmFiresAtNthConsecutiveBreach(t *testing.T) {
	tests := []struct {
		name   string
		alarm  Alarm
		value  float64
		fireAt int
	}{
		{"TT scale-out 3 of 3, CPU 100 > 60", Alarm{"CPUUtilization", Greater, 60, 3, 3}, 100, 3},
		{"TT scale-in 15 of 15, CPU 30 < 54", Alarm{"CPUUtilization", Less, 54, 15, 15}, 30, 15},
		{"managed scale-out 1 of 1, CPR 200 > 100", Alarm{"CapacityProviderReservation", Greater, 100, 1, 1}, 200, 1},
		{"TargetTracking.HighAlarm target 60", TargetTracking{Metric: "CPUUtilization", Target: 60}.HighAlarm(), 60.5, 3},
		{"TargetTracking.LowAlarm target 60", TargetTracking{Metric: "CPUUtilization", Target: 60}.LowAlarm(), 53.9, 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWindow(WindowSize)
			for k := 1; k <= 20; k++ {
				w.Push(tc.value)
				e := tc.alarm.Evaluate(w)
				want := OK
				if k >= tc.fireAt {
					want = InAlarm
				}
				if e.State != want {
					t.Errorf("after %d datapoints: %v, want %v", k, e.State, want)
				}
				if wantB := min(k, tc.alarm.EvaluationPeriods); e.Breaching != wantB || e.Present != wantB {
					t.Errorf("after %d datapoints: breaching %d present %d, want %d and %d", k, e.Breaching, e.Present, wantB, wantB)
				}
				if e.Latest != tc.value {
					t.Errorf("after %d datapoints: latest %v, want %v", k, e.Latest, tc.value)
				}
			}
		})
	}
}

// Rule (CloudWatch "Alarm evaluation": N consecutive periods): one
// non-breaching datapoint restarts the count of an N-of-N alarm; 3 of 3
// needs three breaching datapoints after it.
func TestAlarmStreakRestarts(t *testing.T) {
	a := Alarm{"CPUUtilization", Greater, 60, 3, 3}
	// minute:       1    2    3   4    5    6    7
	vals := []float64{100, 100, 50, 100, 100, 100, 60}
	want := []State{OK, OK, OK, OK, OK, InAlarm, OK} // 60 > 60 is false
	w := NewWindow(WindowSize)
	for i, v := range vals {
		w.Push(v)
		if got := a.Evaluate(w).State; got != want[i] {
			t.Errorf("minute %d (value %v): %v, want %v", i+1, v, got, want[i])
		}
	}
}

// Rule (CloudWatch "Alarm evaluation", "Datapoints to Alarm"): with M of N
// the alarm is in ALARM when at least M of the newest N datapoints breach,
// consecutive or not; datapoints older than N do not count.
func TestAlarmMOfN(t *testing.T) {
	tests := []struct {
		name      string
		alarm     Alarm
		vals      []float64 // oldest first
		want      State
		breaching int
	}{
		{"2 of 3, breach-ok-breach", Alarm{"CPUUtilization", Greater, 60, 3, 2}, []float64{100, 50, 100}, InAlarm, 2},
		{"2 of 3, two newest breach", Alarm{"CPUUtilization", Greater, 60, 3, 2}, []float64{50, 100, 100}, InAlarm, 2},
		{"2 of 3, one breach", Alarm{"CPUUtilization", Greater, 60, 3, 2}, []float64{100, 50, 50}, OK, 1},
		{"2 of 3, breaches older than the range", Alarm{"CPUUtilization", Greater, 60, 3, 2}, []float64{100, 100, 50, 50, 100}, OK, 1},
		{"3 of 5, alternating", Alarm{"CPUUtilization", GreaterOrEqual, 70, 5, 3}, []float64{70, 0, 70, 0, 70}, InAlarm, 3},
		{"3 of 5, two of five", Alarm{"CPUUtilization", GreaterOrEqual, 70, 5, 3}, []float64{0, 70, 0, 70, 0}, OK, 2},
		{"1 of 3, newest only", Alarm{"CPUUtilization", Less, 30, 3, 1}, []float64{40, 40, 10}, InAlarm, 1},
		{"1 of 3, none", Alarm{"CPUUtilization", Less, 30, 3, 1}, []float64{40, 40, 30}, OK, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.alarm.Evaluate(windowOf(WindowSize, tc.vals...))
			if e.State != tc.want || e.Breaching != tc.breaching {
				t.Errorf("got %v with %d breaching, want %v with %d", e.State, e.Breaching, tc.want, tc.breaching)
			}
		})
	}
}

// Rule (CloudWatch PutMetricAlarm ComparisonOperator): the metric stands
// on the left, the threshold on the right; a value exactly at the
// threshold breaches >= and <= and does not breach > and <.
func TestComparisonsAtThreshold(t *testing.T) {
	const th = 60.0
	tests := []struct {
		cmp              Comparison
		below, at, above bool
		name             string
		upward           bool
	}{
		{GreaterOrEqual, false, true, true, ">=", true},
		{Greater, false, false, true, ">", true},
		{LessOrEqual, true, true, false, "<=", false},
		{Less, true, false, false, "<", false},
	}
	for _, tc := range tests {
		for _, c := range []struct {
			v    float64
			want bool
		}{{59.99, tc.below}, {60, tc.at}, {60.01, tc.above}} {
			if got := tc.cmp.Holds(c.v, th); got != c.want {
				t.Errorf("%v %s %v: Holds = %v, want %v", c.v, tc.name, th, got, c.want)
			}
			// The same through a 1-of-1 alarm.
			want := OK
			if c.want {
				want = InAlarm
			}
			a := Alarm{"CPUUtilization", tc.cmp, th, 1, 1}
			if got := a.Evaluate(windowOf(1, c.v)).State; got != want {
				t.Errorf("alarm %v %s %v: %v, want %v", c.v, tc.name, th, got, want)
			}
		}
		if tc.cmp.String() != tc.name {
			t.Errorf("String() = %q, want %q", tc.cmp.String(), tc.name)
		}
		if got, err := ParseComparison(tc.name); err != nil || got != tc.cmp {
			t.Errorf("ParseComparison(%q) = %v, %v", tc.name, got, err)
		}
		if tc.cmp.Upward() != tc.upward {
			t.Errorf("%s Upward() = %v, want %v", tc.name, tc.cmp.Upward(), tc.upward)
		}
	}
	for _, bad := range []string{"", "==", "=>", "GreaterThanThreshold", "≥"} {
		if _, err := ParseComparison(bad); err == nil {
			t.Errorf("ParseComparison(%q): no error", bad)
		}
	}
}

// Rule (CloudWatch "Configuring how CloudWatch alarms treat missing data",
// default treatMissingData = missing; SCENARIO.md "Datapoints and
// statistics": alarms skip missing datapoints): when every datapoint in the
// evaluation range is missing the alarm is INSUFFICIENT_DATA (no scaling
// action). Otherwise missing datapoints are skipped: the alarm looks back
// past them for the newest EvaluationPeriods present datapoints.
//
// Model assumption (alarm.go, Evaluate): the look-back reaches as far as
// the window (WindowSize here: 30 slots), and CloudWatch's "premature
// transition" rule is not modelled.
func TestAlarmMissingData(t *testing.T) {
	high := Alarm{"CPUUtilization", Greater, 60, 3, 3}
	twoOf3 := Alarm{"CPUUtilization", Greater, 60, 3, 2}
	low := Alarm{"CPUUtilization", Less, 54, 15, 15}
	tests := []struct {
		name      string
		alarm     Alarm
		vals      []float64
		want      State
		breaching int
		present   int
		latest    float64
	}{
		{"empty window", high, nil, InsufficientData, 0, 0, nan},
		{"every datapoint missing", high, []float64{nan, nan, nan}, InsufficientData, 0, 0, nan},
		{"one missing datapoint only", high, []float64{nan}, InsufficientData, 0, 0, nan},
		{"breaching data older than the all-missing range", high, []float64{100, 100, 100, nan, nan, nan}, InsufficientData, 0, 0, nan},
		{"one present datapoint is enough data", high, []float64{nan, nan, 50}, OK, 0, 1, 50},
		{"missing does not breach (3 of 3, newest missing)", high, []float64{100, 100, nan}, OK, 2, 2, 100},
		{"missing does not breach (3 of 3, gap inside)", high, []float64{100, nan, 100}, OK, 2, 2, 100},
		{"missing does not clear (2 of 3, newest missing)", twoOf3, []float64{100, 100, nan}, InAlarm, 2, 2, 100},
		{"missing does not clear (2 of 3, gap inside)", twoOf3, []float64{100, nan, 100}, InAlarm, 2, 2, 100},
		{"latest is the newest present datapoint", twoOf3, []float64{70, 80, nan}, InAlarm, 2, 2, 80},
		{"scale-in 15 of 15 with one gap", low, cat(repeat(30, 7), []float64{nan}, repeat(30, 7)), OK, 14, 14, 30},
		{"scale-in 15 of 15 all present", low, cat([]float64{nan}, repeat(30, 15)), InAlarm, 15, 15, 30},
		{"window not yet full (fewer than N datapoints)", high, []float64{100, 100}, OK, 2, 2, 100},
		{"look-back past a gap completes 3 of 3", high, []float64{100, 100, nan, 100}, InAlarm, 3, 3, 100},
		{"look-back past a gap finds a clear datapoint", high, []float64{50, 100, nan, 100}, OK, 2, 3, 100},
		{"look-back completes 15 of 15 past a gap", low, cat(repeat(30, 8), []float64{nan}, repeat(30, 7)), InAlarm, 15, 15, 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.alarm.Evaluate(windowOf(WindowSize, tc.vals...))
			if e.State != tc.want || e.Breaching != tc.breaching || e.Present != tc.present || !sameFloat(e.Latest, tc.latest) {
				t.Errorf("got %v breaching %d present %d latest %v; want %v, %d, %d, %v",
					e.State, e.Breaching, e.Present, e.Latest, tc.want, tc.breaching, tc.present, tc.latest)
			}
		})
	}
}

// Rule (STYLE.md §3 "Record why"; the Alarm.Reason contract): a reason
// reads "<kind> <breaching>/<periods> <metric> <latest> <cmp> <threshold>",
// numbers with at most two decimals and no trailing zeros.
func TestAlarmReason(t *testing.T) {
	tt := TargetTracking{Metric: "CPUUtilization", Target: 60}
	tests := []struct {
		name  string
		kind  string
		alarm Alarm
		vals  []float64
		want  string
	}{
		{"TT scale-out", "alarm_high", tt.HighAlarm(), []float64{100, 100, 100}, "alarm_high 3/3 CPUUtilization 100 > 60"},
		{"TT scale-in at 90 % of 60", "alarm_low", tt.LowAlarm(), repeat(30, 15), "alarm_low 15/15 CPUUtilization 30 < 54"},
		{"fractions rounded to two decimals", "alarm_high", Alarm{"MemoryUtilization", GreaterOrEqual, 62.5, 3, 2}, []float64{70, 80.125, 64.456}, "alarm_high 3/3 MemoryUtilization 64.46 >= 62.5"},
		{"M of N shows the breaching count", "alarm_high", Alarm{"CPUUtilization", Greater, 60, 3, 2}, []float64{100, 50, 90}, "alarm_high 2/3 CPUUtilization 90 > 60"},
		{"managed scaling", "alarm_high", Managed{TargetCapacity: 90}.HighAlarm(), []float64{200}, "alarm_high 1/1 CapacityProviderReservation 200 > 90"},
		{"a third, <=", "alarm_low", Alarm{"CPUReservation", LessOrEqual, 30, 1, 1}, []float64{100.0 / 3}, "alarm_low 0/1 CPUReservation 33.33 <= 30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.alarm.Evaluate(windowOf(WindowSize, tc.vals...))
			if got := tc.alarm.Reason(tc.kind, e); got != tc.want {
				t.Errorf("Reason = %q, want %q", got, tc.want)
			}
		})
	}
}

// Rule (CloudWatch alarm state names).
func TestStateNames(t *testing.T) {
	for s, want := range map[State]string{InsufficientData: "INSUFFICIENT_DATA", OK: "OK", InAlarm: "ALARM"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), want)
		}
	}
}
