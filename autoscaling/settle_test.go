package autoscaling

import (
	"math"
	"reflect"
	"testing"
)

// Rule (ECS-SEMANTICS.md §5, SCENARIO.md "Service auto scaling"): target
// tracking "keeps the metric at, or close to, the target" (Application Auto
// Scaling User Guide "Target tracking scaling policies"). In ecssim's terms a
// service settles where neither alarm acts: the metric is at or below the
// target (no scale-out), and either not below 90 % of it (no scale-in) or
// the scale-in formula would not lower the capacity.
//
// The closed loop: demand D vCPU spread over c tasks of v vCPU each gives
// CPUUtilization = min(100, 100·D/(c·v)) (a task cannot exceed 100 %), a
// datapoint a minute, and the decision applied at once. Without the 100 %
// cap one decision gives ceil(c·(100·D/(c·v))/target) = ceil(100·D/(v·target))
// from any c, so the loop settles at c* = ceil(100·D/(v·target)) clamped to
// [Min, Max]. The hand derivations are in each case.
func TestTargetTrackingSettles(t *testing.T) {
	const v = 0.5 // task vCPU
	tests := []struct {
		name     string
		demand   float64 // vCPU
		target   float64
		min, max int
		start    int
		want     []change
		final    int
		clamped  bool // the final capacity sits at a bound, outside the band
	}{
		{
			// m(c) = 1000/c. m(10) = 100 > 60: at minute 3 ceil(10·100/60)
			// = 17; m(17) = 58.82, in [54, 60].
			name: "scale out into the band", demand: 5, target: 60, min: 1, max: 100, start: 10,
			want: []change{{3, 10, 17}}, final: 17,
		},
		{
			// m(40) = 25 < 54: at minute 15 ceil(40·25/60) = ceil(16.67) = 17.
			name: "scale in into the band", demand: 5, target: 60, min: 1, max: 100, start: 40,
			want: []change{{15, 40, 17}}, final: 17,
		},
		{
			// m(c) = 3000/c. m(32) = 93.75 > 75: ceil(32·93.75/75) = 40;
			// m(40) = 75, exactly the target, which is not above it.
			name: "settles exactly at the target", demand: 15, target: 75, min: 1, max: 100, start: 32,
			want: []change{{3, 32, 40}}, final: 40,
		},
		{
			// The same demand from 10 tasks, saturated (100 %) below 30
			// tasks; each step waits out the 5-minute cooldown, proposals in
			// between coming from the pre-scale-out capacity:
			// minute 3:  ceil(10·100/75) = ceil(13.33) = 14
			// minute 8:  ceil(14·100/75) = ceil(18.67) = 19
			// minute 13: ceil(19·100/75) = ceil(25.33) = 26
			// minute 18: ceil(26·100/75) = ceil(34.67) = 35
			// minute 23: m(35) = 85.71, ceil(35·85.71/75) = 3000/75 = 40.
			name: "saturated tasks: five scale-outs to the target", demand: 15, target: 75, min: 1, max: 100, start: 10,
			want: []change{{3, 10, 14}, {8, 14, 19}, {13, 19, 26}, {18, 26, 35}, {23, 35, 40}}, final: 40,
		},
		{
			// m(c) = 50/c. m(4) = 12.5: at minute 15 ceil(4·12.5/60) = 1.
			// m(1) = 50 < 54 keeps the low alarm in ALARM, but ceil(1·50/60)
			// = 1: the scale-in formula does not lower it.
			name: "below 90 % of target where scale-in cannot lower it", demand: 0.25, target: 60, min: 1, max: 100, start: 4,
			want: []change{{15, 4, 1}}, final: 1,
		},
		{
			// m(c) = 2000/c, capped at 100. m(10) = 100 (capped): minute 3
			// ceil(10·100/60) = 17, cooldown until minute 8, proposals from
			// 10 give 17 again. m(17) = 117.6 -> 100: minute 8 ceil(17·100/60)
			// = ceil(28.33) = 29, cooldown until 13, proposals from 17 give
			// ceil(17·68.97/60) = 20 < 29. m(29) = 68.97: minute 13
			// ceil(29·68.97/60) = ceil(33.33) = 34. m(34) = 58.82, in the band.
			name: "saturated tasks: three scale-outs a cooldown apart", demand: 10, target: 60, min: 1, max: 100, start: 10,
			want: []change{{3, 10, 17}, {8, 17, 29}, {13, 29, 34}}, final: 34,
		},
		{
			// m(c) = 1000/c. ceil(10·100/60) = 17 clamped to 12; m(12) = 83.3
			// stays above the target with nothing more to add.
			name: "clamped at max", demand: 5, target: 60, min: 1, max: 12, start: 10,
			want: []change{{3, 10, 12}}, final: 12, clamped: true,
		},
		{
			// m(c) = 50/c. m(10) = 5: ceil(10·5/60) = 1 clamped to 3; m(3) =
			// 16.7 stays below 54.
			name: "clamped at min", demand: 0.25, target: 60, min: 3, max: 100, start: 10,
			want: []change{{15, 10, 3}}, final: 3, clamped: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := TargetTracking{Metric: "CPUUtilization", Target: tc.target, ScaleOutCooldown: cool, ScaleInCooldown: cool}
			s := Scaler{Min: tc.min, Max: tc.max, TT: []TargetTracking{p}}
			metric := func(c int) float64 { return math.Min(100, 100*tc.demand/(float64(c)*v)) }
			w := NewWindow(WindowSize)
			win := Windows{TT: []*Window{w}}
			cur := tc.start
			var got []change
			for k := 1; k <= 240; k++ {
				w.Push(metric(cur))
				if d, ok := s.Evaluate(minute(k), cur, win, false); ok {
					got = append(got, change{k, d.From, d.To})
					cur = d.To
				}
			}
			if !reflect.DeepEqual(got, tc.want) || cur != tc.final {
				t.Fatalf("changes %v ending at %d, want %v ending at %d", got, cur, tc.want, tc.final)
			}
			if tc.clamped {
				if cur != tc.min && cur != tc.max {
					t.Errorf("final %d is not at a bound", cur)
				}
				return
			}
			m := metric(cur)
			if m > tc.target {
				t.Errorf("settled metric %v above target %v", m, tc.target)
			}
			if m < TTLowFraction*tc.target && p.Desired(cur, m) < cur {
				t.Errorf("settled metric %v below 90 %% of target and the formula would lower %d to %d", m, cur, p.Desired(cur, m))
			}
		})
	}
}
