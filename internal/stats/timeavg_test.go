package stats

import (
	"math"
	"testing"
)

// SCENARIO.md "Datapoints and statistics": "Every datapoint, counts
// included, is the time-weighted average over its period, so count minima
// and maxima may be fractional." Periods here are 60,000 ms.
func TestTimeAvgByHand(t *testing.T) {
	type step struct {
		set   bool // Set(at, v) if true, else Close(at) expecting want/ok
		at    int64
		v     float64
		want  float64
		okWnt bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"constant count is exact", []step{
			{set: true, at: 0, v: 3},
			{at: 60_000, want: 3, okWnt: true},
			{at: 120_000, want: 3, okWnt: true}, // value carries into the next window
		}},
		{"2 tasks, a third from 15 s: (2·15 + 3·45)/60 = 165/60 = 2.75", []step{
			{set: true, at: 0, v: 2},
			{set: true, at: 15_000, v: 3},
			{at: 60_000, want: 2.75, okWnt: true},
		}},
		{"change at the boundary belongs to the next window", []step{
			{set: true, at: 0, v: 1},
			{set: true, at: 60_000, v: 5},
			{at: 60_000, want: 1, okWnt: true},
			{at: 120_000, want: 5, okWnt: true},
		}},
		{"several values: (0·10 + 10·20 + 4·30)/60 = 320/60", []step{
			{set: true, at: 0, v: 0},
			{set: true, at: 10_000, v: 10},
			{set: true, at: 30_000, v: 4},
			{at: 60_000, want: 320.0 / 60, okWnt: true},
		}},
		{"zero-length Set is weightless: (1·30 + 7·0 + 2·30)/60 = 1.5", []step{
			{set: true, at: 0, v: 1},
			{set: true, at: 30_000, v: 7},
			{set: true, at: 30_000, v: 2},
			{at: 60_000, want: 1.5, okWnt: true},
		}},
		{"window starts at the first Set: 4 over [20 s, 60 s)", []step{
			{set: true, at: 20_000, v: 4},
			{at: 60_000, want: 4, okWnt: true},
		}},
		{"zero-length window", []step{
			{set: true, at: 0, v: 4},
			{at: 60_000, want: 4, okWnt: true},
			{at: 60_000, want: math.NaN(), okWnt: false},
		}},
		{"Close before any Set", []step{
			{at: 60_000, want: math.NaN(), okWnt: false},
			{set: true, at: 60_000, v: 1},
			{at: 90_000, want: 1, okWnt: true},
		}},
		{"fraction 0.1 held throughout stays 0.1 exactly", []step{
			{set: true, at: 0, v: 0.1},
			{set: true, at: 7_000, v: 0.1},
			{at: 60_000, want: 0.1, okWnt: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a TimeAvg
			for i, s := range tt.steps {
				if s.set {
					a.Set(s.at, s.v)
					continue
				}
				got, ok := a.Close(s.at)
				if ok != s.okWnt || (ok && got != s.want) || (!ok && !math.IsNaN(got)) {
					t.Errorf("step %d Close(%d) = %v, %v; want %v, %v", i, s.at, got, ok, s.want, s.okWnt)
				}
			}
		})
	}
}

func TestTimeAvgValue(t *testing.T) {
	var a TimeAvg
	if _, ok := a.Value(); ok {
		t.Error("zero TimeAvg has a value")
	}
	a.Set(5, 9)
	a.Close(10)
	if v, ok := a.Value(); !ok || v != 9 {
		t.Errorf("Value() = %v, %v; want 9, true", v, ok)
	}
}

func TestTimeAvgPanicsWhenTimeGoesBack(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Set with an earlier time did not panic")
		}
	}()
	var a TimeAvg
	a.Set(100, 1)
	a.Set(99, 1)
}
