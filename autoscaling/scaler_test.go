package autoscaling

import (
	"reflect"
	"testing"
	"time"
)

// phase pushes the same datapoints for n consecutive minutes: vals holds
// one value per window, the Scaler's TT windows first, then its step
// windows.
type phase struct {
	n       int
	vals    []float64
	suspend bool // scale-in suspended (deployment in progress)
}

// change is one decision the Scaler returned, at the end of minute k.
type change struct{ minute, from, to int }

// runScaler drives s minute by minute from minute 1 through phases: each
// minute closes one datapoint per window, evaluates at that minute and
// applies the decision at once. It returns the decisions, their reasons
// and the final capacity.
func runScaler(t *testing.T, s *Scaler, start int, phases []phase) ([]change, []string, int) {
	t.Helper()
	nw := len(s.TT) + len(s.Steps)
	wins := make([]*Window, nw)
	for i := range wins {
		wins[i] = NewWindow(WindowSize)
	}
	w := Windows{TT: wins[:len(s.TT)], Steps: wins[len(s.TT):]}
	cur, k := start, 0
	var changes []change
	var reasons []string
	for _, p := range phases {
		if len(p.vals) != nw {
			t.Fatalf("phase %+v: %d values for %d windows", p, len(p.vals), nw)
		}
		for i := 0; i < p.n; i++ {
			k++
			for j, v := range p.vals {
				wins[j].Push(v)
			}
			d, ok := s.Evaluate(minute(k), cur, w, p.suspend)
			if !ok {
				continue
			}
			if d.From != cur || d.To == d.From || d.To < s.Min || d.To > s.Max {
				t.Errorf("minute %d: decision %+v from capacity %d in [%d, %d]", k, d, cur, s.Min, s.Max)
			}
			changes = append(changes, change{k, d.From, d.To})
			reasons = append(reasons, d.Reason)
			cur = d.To
		}
	}
	return changes, reasons, cur
}

const cool = 5 * time.Minute // DefaultCooldown, 300 s

var (
	cpu60     = TargetTracking{Metric: "CPUUtilization", Target: 60, ScaleOutCooldown: cool, ScaleInCooldown: cool}
	cpu60NoIn = TargetTracking{Metric: "CPUUtilization", Target: 60, ScaleOutCooldown: cool, ScaleInCooldown: cool, DisableScaleIn: true}
	mem70     = TargetTracking{Metric: "MemoryUtilization", Target: 70, ScaleOutCooldown: cool, ScaleInCooldown: cool}
	// reqOut: RequestCountPerTarget >= 1000, [0,100) -> +2, [100,inf) -> +3.
	reqOut = StepPolicy{
		Alarm:     Alarm{"RequestCountPerTarget", GreaterOrEqual, 1000, 1, 1},
		Statistic: Sum,
		Steps:     []StepAdjustment{{0, 100, 2}, {100, inf, 3}},
		Cooldown:  cool,
	}
	// reqOutBig: RequestCountPerTarget >= 1000, +8.
	reqOutBig = ThresholdStep("RequestCountPerTarget", Sum, 1000, 8, 1, 1, cool)
	// reqIn: RequestCountPerTarget <= 100, -2.
	reqIn = ThresholdStep("RequestCountPerTarget", Sum, 100, -2, 1, 1, cool)
)

func TestDefaults(t *testing.T) {
	// ECS-SEMANTICS.md §5: cooldowns default to 300 s; 3 of 3 above the
	// target, 15 of 15 below 90 % of it.
	if DefaultCooldown != 300*time.Second || TTHighPeriods != 3 || TTLowPeriods != 15 || TTLowFraction != 0.9 || WindowSize < TTLowPeriods {
		t.Errorf("defaults: cooldown %v, periods %d/%d, fraction %v, window %d", DefaultCooldown, TTHighPeriods, TTLowPeriods, TTLowFraction, WindowSize)
	}
	hi, lo := cpu60.HighAlarm(), cpu60.LowAlarm()
	if hi != (Alarm{"CPUUtilization", Greater, 60, 3, 3}) {
		t.Errorf("HighAlarm = %+v", hi)
	}
	if lo != (Alarm{"CPUUtilization", Less, 54, 15, 15}) {
		t.Errorf("LowAlarm = %+v", lo)
	}
}

// Rule (SCENARIO.md "Service auto scaling", model assumption): new desired
// = ceil(desired × latest datapoint / target), the same formula in both
// directions.
func TestTargetTrackingDesired(t *testing.T) {
	tests := []struct {
		capacity int
		metric   float64
		target   float64
		want     int
	}{
		{10, 90, 60, 15},      // 15 exactly
		{10, 60, 60, 10},      // at the target: unchanged
		{10, 100, 60, 17},     // 16.67
		{15, 90, 60, 23},      // 22.5
		{10, 120, 60, 20},     // 20 exactly
		{20, 30, 60, 10},      // 10 exactly
		{20, 49, 70, 14},      // 14 exactly
		{4, 6, 60, 1},         // 0.4
		{1, 50, 60, 1},        // 0.83
		{3, 100.0 / 3, 50, 2}, // 2 up to float noise
		{29, 2000.0 / 29, 60, 34},
		// 7 × (900/7) / 60 is 15.000000000000002 in float64; the exact
		// value is 15, and float noise must not add a task.
		{7, 900.0 / 7, 60, 15},
		{7, 1800.0 / 7, 90, 20},
	}
	for _, tc := range tests {
		p := TargetTracking{Target: tc.target}
		if got := p.Desired(tc.capacity, tc.metric); got != tc.want {
			t.Errorf("Desired(%d, %v) at target %v = %d, want %d", tc.capacity, tc.metric, tc.target, got, tc.want)
		}
	}
}

// Rules for target tracking alone (ECS-SEMANTICS.md §5; SCENARIO.md
// "Service auto scaling"; Application Auto Scaling User Guide "Target
// tracking scaling policies", "Define cooldown periods" and API
// TargetTrackingScalingPolicyConfiguration: ScaleOutCooldown, ScaleInCooldown,
// DisableScaleIn). Every expected change is derived by hand in its comment.
func TestScalerTargetTracking(t *testing.T) {
	tests := []struct {
		name    string
		s       Scaler
		start   int
		phases  []phase
		want    []change
		reasons []string // expected reasons, when given
	}{
		{
			// 10 minutes at 57 (in the band 54..60), then 90: the alarm fires
			// at the 3rd datapoint of 90 (minute 13): ceil(10 × 90/60) = 15.
			name: "load step scales out at the 3rd datapoint above target",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 10,
			phases:  []phase{{10, []float64{57}, false}, {3, []float64{90}, false}},
			want:    []change{{13, 10, 15}},
			reasons: []string{"alarm_high 3/3 CPUUtilization 90 > 60"},
		},
		{
			// Minute 3: 10 -> 15; cooldown until minute 8, proposals from the
			// pre-scale-out capacity 10: ceil(10 × 90/60) = 15 = current, no
			// action at minutes 4..7. Minute 8: cooldown over, ceil(15 ×
			// 1.5) = 23 (cooldown until 13). Minutes 9..12 propose from 15:
			// 23 = current. Minute 13: ceil(23 × 1.5) = ceil(34.5) = 35.
			name: "scale-out cooldown: the same metric does not scale again until the cooldown ends",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 10,
			phases: []phase{{13, []float64{90}, false}},
			want:   []change{{3, 10, 15}, {8, 15, 23}, {13, 23, 35}},
		},
		{
			// Minute 3: 10 -> 15. Minute 5, metric 120: from the pre-scale-out
			// capacity 10, ceil(10 × 120/60) = 20 > 15: scale out to 20 (the
			// capacity added at minute 3 counts, it is not 15 × 2 = 30). That
			// scale-out starts a new cooldown, until minute 10. Minutes 6..9
			// at 90 propose ceil(10 × 1.5) = 15 < 20. Minute 10: ceil(20 ×
			// 1.5) = 30.
			name: "scale-out cooldown: a higher metric scales out, counting the capacity already added",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 10,
			phases: []phase{{4, []float64{90}, false}, {1, []float64{120}, false}, {5, []float64{90}, false}},
			want:   []change{{3, 10, 15}, {5, 15, 20}, {10, 20, 30}},
		},
		{
			// 30 < 0.9 × 60 = 54 from minute 1: at the 15th datapoint
			// ceil(20 × 30/60) = 10. Scale-in cooldown until minute 20; then
			// ceil(10 × 30/60) = 5.
			name: "scale-in at the 15th datapoint below 90 % of target; the scale-in cooldown blocks scale-in",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 20,
			phases:  []phase{{22, []float64{30}, false}},
			want:    []change{{15, 20, 10}, {20, 10, 5}},
			reasons: []string{"alarm_low 15/15 CPUUtilization 30 < 54", "alarm_low 15/15 CPUUtilization 30 < 54"},
		},
		{
			// Minute 8 is exactly 54, which is not below 54: 15 of 15 below
			// needs minutes 9..23.
			name: "a datapoint at exactly 90 % of target restarts the scale-in count",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 20,
			phases: []phase{{7, []float64{30}, false}, {1, []float64{54}, false}, {15, []float64{30}, false}},
			want:   []change{{23, 20, 10}},
		},
		{
			// Minute 15: 20 -> 10 (scale-in cooldown until 20). 90 at minutes
			// 16..18: the scale-out at 18 is not blocked: ceil(10 × 1.5) = 15.
			name: "the scale-in cooldown does not block scale-out",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 20,
			phases: []phase{{15, []float64{30}, false}, {3, []float64{90}, false}},
			want:   []change{{15, 20, 10}, {18, 10, 15}},
		},
		{
			// Scale-out cooldown 30 minutes. Minute 3: 10 -> 15. CPU 30 from
			// minute 4; minute 18 is the 15th datapoint below 54: ceil(15 ×
			// 30/60) = ceil(7.5) = 8, inside the scale-out cooldown (until
			// minute 33), which does not block scale-in.
			name: "the scale-out cooldown does not block scale-in",
			s: Scaler{Min: 1, Max: 100, TT: []TargetTracking{{Metric: "CPUUtilization", Target: 60,
				ScaleOutCooldown: 30 * time.Minute, ScaleInCooldown: cool}}}, start: 10,
			phases: []phase{{3, []float64{90}, false}, {15, []float64{30}, false}},
			want:   []change{{3, 10, 15}, {18, 15, 8}},
		},
		{
			// Never scales in; scale-out still works: ceil(20 × 1.5) = 30 at
			// minute 33.
			name: "DisableScaleIn turns scale-in off, not scale-out",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60NoIn}}, start: 20,
			phases: []phase{{30, []float64{30}, false}, {3, []float64{90}, false}},
			want:   []change{{33, 20, 30}},
		},
		{
			// ceil(10 × 1.5) = 15 clamped to 12; later proposals 15 and
			// ceil(12 × 1.5) = 18 clamp to 12 = current.
			name: "scale-out clamped to max",
			s:    Scaler{Min: 2, Max: 12, TT: []TargetTracking{cpu60}}, start: 10,
			phases: []phase{{20, []float64{90}, false}},
			want:   []change{{3, 10, 12}},
		},
		{
			// ceil(4 × 6/60) = 1 clamped to 3; then ceil(3 × 0.1) = 1 -> 3.
			name: "scale-in clamped to min",
			s:    Scaler{Min: 3, Max: 12, TT: []TargetTracking{cpu60}}, start: 4,
			phases: []phase{{30, []float64{6}, false}},
			want:   []change{{15, 4, 3}},
		},
		{
			// ECS-SEMANTICS.md §5: scale-in is suspended while a deployment
			// is in progress. Suspended through minute 17; at 18 the alarm
			// (still 15 of 15) scales in: ceil(20 × 0.5) = 10.
			name: "scaleInSuspended blocks scale-in until it is lifted",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 20,
			phases: []phase{{17, []float64{30}, true}, {1, []float64{30}, false}},
			want:   []change{{18, 20, 10}},
		},
		{
			name: "scaleInSuspended does not block scale-out",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 10,
			phases: []phase{{3, []float64{90}, true}},
			want:   []change{{3, 10, 15}},
		},
		{
			// Metric missing (no running task): INSUFFICIENT_DATA triggers no
			// action, whatever the capacity.
			name: "missing datapoints trigger nothing",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}, start: 10,
			phases: []phase{{20, []float64{nan}, false}},
			want:   nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			got, reasons, _ := runScaler(t, &s, tc.start, tc.phases)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("changes %v, want %v", got, tc.want)
			}
			if tc.reasons != nil && !reflect.DeepEqual(reasons, tc.reasons) {
				t.Errorf("reasons %q, want %q", reasons, tc.reasons)
			}
		})
	}
}

// Rules for several policies (ECS-SEMANTICS.md §5; Application Auto Scaling
// User Guide "Target tracking scaling policies", multiple scaling policies:
// scale out if any policy is ready to, scale in only if all target tracking
// policies with scale-in enabled are; "Step scaling policies": the policy
// giving the largest capacity wins, and during a step policy's cooldown the
// capacity added by the scale-out that started it counts as part of the
// current capacity; the Scaler doc comment for step policies next to
// target tracking).
func TestScalerMultiplePolicies(t *testing.T) {
	both := []TargetTracking{cpu60, mem70}
	tests := []struct {
		name    string
		s       Scaler
		start   int
		phases  []phase
		want    []change
		reasons []string
	}{
		{
			// CPU: ceil(10 × 90/60) = 15; memory 65 is not above 70.
			name: "two TT: one policy above target scales out",
			s:    Scaler{Min: 1, Max: 100, TT: both}, start: 10,
			phases:  []phase{{3, []float64{90, 65}, false}},
			want:    []change{{3, 10, 15}},
			reasons: []string{"alarm_high 3/3 CPUUtilization 90 > 60"},
		},
		{
			// CPU: 15; memory: ceil(10 × 140/70) = 20: the largest wins.
			name: "two TT: the largest scale-out wins",
			s:    Scaler{Min: 1, Max: 100, TT: both}, start: 10,
			phases:  []phase{{3, []float64{90, 140}, false}},
			want:    []change{{3, 10, 20}},
			reasons: []string{"alarm_high 3/3 MemoryUtilization 140 > 70"},
		},
		{
			// CPU 30 < 54 would scale in, memory 65 is not below 63.
			name: "two TT: no scale-in unless both agree",
			s:    Scaler{Min: 1, Max: 100, TT: both}, start: 20,
			phases: []phase{{30, []float64{30, 65}, false}},
			want:   nil,
		},
		{
			// CPU: ceil(20 × 30/60) = 10; memory: ceil(20 × 49/70) = 14; both
			// agree, the largest capacity (the smaller scale-in) wins.
			name: "two TT: both agree, the largest capacity wins",
			s:    Scaler{Min: 1, Max: 100, TT: both}, start: 20,
			phases:  []phase{{15, []float64{30, 49}, false}},
			want:    []change{{15, 20, 14}},
			reasons: []string{"alarm_low 15/15 MemoryUtilization 49 < 63"},
		},
		{
			// The CPU policy has scale-in disabled and is in the band; the
			// memory policy alone decides: 14.
			name: "two TT: a policy with scale-in disabled has no vote",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60NoIn, mem70}}, start: 20,
			phases: []phase{{15, []float64{57, 49}, false}},
			want:   []change{{15, 20, 14}},
		},
		{
			// Application Auto Scaling User Guide "Step scaling policies",
			// cooldown: "+2, then a more aggressive step of 3 during the
			// cooldown adds only 1". Minute 1: 1050 is in [0,100) above 1000:
			// 10 + 2 = 12. Minute 2: 1200 is in [100,inf): 10 + 3 = 13 (the 2
			// added count), a new cooldown until minute 7. Minutes 3..6: 13 =
			// current. Minute 7: 13 + 3 = 16.
			name: "step cooldown: the capacity already added counts",
			s:    Scaler{Min: 1, Max: 100, Steps: []StepPolicy{reqOut}}, start: 10,
			phases: []phase{{1, []float64{1050}, false}, {6, []float64{1200}, false}},
			want:   []change{{1, 10, 12}, {2, 12, 13}, {7, 13, 16}},
			reasons: []string{
				"alarm_high 1/1 RequestCountPerTarget 1050 >= 1000 step +2",
				"alarm_high 1/1 RequestCountPerTarget 1200 >= 1000 step +3",
				"alarm_high 1/1 RequestCountPerTarget 1200 >= 1000 step +3",
			},
		},
		{
			// Minute 1: 1200 -> +3: 13 (cooldown until 6, base 10). Minute
			// 2: 1050 -> +2 from the base is 12, less than the 13 already
			// there: a scale-out policy asks for no more, and certainly not
			// for less (no policy but this one, so nothing vetoes a
			// scale-in). Minute 6: 13 + 2 = 15.
			name: "step cooldown: a smaller step than already added does nothing",
			s:    Scaler{Min: 1, Max: 100, Steps: []StepPolicy{reqOut}}, start: 10,
			phases: []phase{{1, []float64{1200}, false}, {5, []float64{1050}, false}},
			want:   []change{{1, 10, 13}, {6, 13, 15}},
		},
		{
			// Minute 3: TT (scale-in disabled) 10 -> 15, cooldown until 8 from
			// base 10. Minutes 4..7: the step policy's +2 from the base is
			// 12 <= 15: nothing (and no scale-in). Minute 8: TT ceil(15 ×
			// 1.5) = 23 beats the step's 15 + 2 = 17.
			name: "TT and step: a scale-out step during the cooldown never scales in",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60NoIn}, Steps: []StepPolicy{reqOut}}, start: 10,
			phases: []phase{{3, []float64{90, 0}, false}, {5, []float64{90, 1050}, false}},
			want:   []change{{3, 10, 15}, {8, 15, 23}},
		},
		{
			// Minute 3: TT ceil(10 × 1.5) = 15, step 10 + 3 = 13: TT wins.
			name: "TT and step: the larger scale-out (TT) wins",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}, Steps: []StepPolicy{reqOut}}, start: 10,
			phases:  []phase{{2, []float64{90, 0}, false}, {1, []float64{90, 1150}, false}},
			want:    []change{{3, 10, 15}},
			reasons: []string{"alarm_high 3/3 CPUUtilization 90 > 60"},
		},
		{
			// Minute 3: TT 15, step 10 + 8 = 18: the step wins.
			name: "TT and step: the larger scale-out (step) wins",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}, Steps: []StepPolicy{reqOutBig}}, start: 10,
			phases:  []phase{{2, []float64{90, 0}, false}, {1, []float64{90, 1150}, false}},
			want:    []change{{3, 10, 18}},
			reasons: []string{"alarm_high 1/1 RequestCountPerTarget 1150 >= 1000 step +8"},
		},
		{
			// The step policy wants 20 - 2 = 18 every minute, but the TT
			// policy (CPU 57, in the band) does not agree.
			name: "TT and step: a step scale-in waits for the TT policies",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}, Steps: []StepPolicy{reqIn}}, start: 20,
			phases: []phase{{20, []float64{57, 50}, false}},
			want:   nil,
		},
		{
			// Minute 15: TT ceil(20 × 0.5) = 10, step 20 - 2 = 18: 18 wins.
			// Scale-in cooldown until minute 20: TT ceil(18 × 0.5) = 9, step
			// 16: 16.
			name: "TT and step: when TT agrees the largest capacity wins",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}, Steps: []StepPolicy{reqIn}}, start: 20,
			phases:  []phase{{20, []float64{30, 50}, false}},
			want:    []change{{15, 20, 18}, {20, 18, 16}},
			reasons: []string{"alarm_low 1/1 RequestCountPerTarget 50 <= 100 step -2", "alarm_low 1/1 RequestCountPerTarget 50 <= 100 step -2"},
		},
		{
			// No TT policy has scale-in enabled: the step policy scales in on
			// its own, every 5 minutes (its cooldown): 18 at 1, 16 at 6, 14
			// at 11.
			name: "TT with scale-in disabled: the step policy scales in alone",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60NoIn}, Steps: []StepPolicy{reqIn}}, start: 20,
			phases: []phase{{12, []float64{57, 50}, false}},
			want:   []change{{1, 20, 18}, {6, 18, 16}, {11, 16, 14}},
		},
		{
			// Minute 15: TT scale-in 20 -> 10, scale-in cooldown until 20.
			// Minute 16: the step policy scales out 10 + 2 = 12, which ends
			// the scale-in cooldown. Minute 17: the TT low alarm is still 15
			// of 15: ceil(12 × 0.5) = 6.
			name: "a scale-out ends the scale-in cooldown",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}, Steps: []StepPolicy{reqOut}}, start: 20,
			phases: []phase{{15, []float64{30, 0}, false}, {1, []float64{30, 1050}, false}, {1, []float64{30, 0}, false}},
			want:   []change{{15, 20, 10}, {16, 10, 12}, {17, 12, 6}},
		},
		{
			// The control for the case above: without the scale-out the
			// scale-in cooldown holds through minute 19.
			name: "control: without a scale-out the scale-in cooldown holds",
			s:    Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}, Steps: []StepPolicy{reqOut}}, start: 20,
			phases: []phase{{19, []float64{30, 0}, false}},
			want:   []change{{15, 20, 10}},
		},
		{
			// Only a step policy: PercentChangeInCapacity -25 % of 20 = -5
			// (exact), then -25 % of 15 = -3.75 -> -3 (toward zero) after the
			// 5-minute cooldown.
			name: "step only: percent scale-in with its cooldown",
			s: Scaler{Min: 1, Max: 100, Steps: []StepPolicy{{
				Alarm: Alarm{"CPUUtilization", Less, 40, 2, 2}, Statistic: Average, AdjustmentType: PercentChangeInCapacity,
				Steps: []StepAdjustment{{-inf, 0, -25}}, Cooldown: cool,
			}}}, start: 20,
			phases: []phase{{7, []float64{20}, false}},
			want:   []change{{2, 20, 15}, {7, 15, 12}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			got, reasons, _ := runScaler(t, &s, tc.start, tc.phases)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("changes %v, want %v", got, tc.want)
			}
			if tc.reasons != nil && !reflect.DeepEqual(reasons, tc.reasons) {
				t.Errorf("reasons %q, want %q", reasons, tc.reasons)
			}
		})
	}
}

// Rule (ECS-SEMANTICS.md §5; Application Auto Scaling User Guide "Scheduled
// scaling"): a scheduled action sets min and/or max capacity, and the
// current capacity is clamped into the new range at once. Model assumption
// (SetRange): a new bound that crosses the other one moves it too.
func TestSetRange(t *testing.T) {
	ip := func(v int) *int { return &v }
	tests := []struct {
		name             string
		min, max         *int
		current          int
		want             int
		wantMin, wantMax int
	}{
		{"raise min above current", ip(10), nil, 6, 10, 10, 60},
		{"raise min below current", ip(10), nil, 20, 20, 10, 60},
		{"lower max below current", nil, ip(5), 8, 5, 4, 5},
		{"lower max above current", nil, ip(50), 8, 8, 4, 50},
		{"min above max raises max", ip(70), nil, 20, 70, 70, 70},
		{"max below min lowers min", nil, ip(2), 3, 2, 2, 2},
		{"both", ip(8), ip(9), 20, 9, 8, 9},
		{"neither", nil, nil, 61, 60, 4, 60},
	}
	for _, tc := range tests {
		s := Scaler{Min: 4, Max: 60}
		got := s.SetRange(tc.min, tc.max, tc.current)
		if got != tc.want || s.Min != tc.wantMin || s.Max != tc.wantMax {
			t.Errorf("%s: SetRange = %d with range [%d, %d], want %d with [%d, %d]", tc.name, got, s.Min, s.Max, tc.want, tc.wantMin, tc.wantMax)
		}
	}
}

// Rule (ECS-SEMANTICS.md §5): scheduled actions run even during a
// cooldown, and later decisions respect the new range.
func TestSetRangeDuringCooldown(t *testing.T) {
	s := Scaler{Min: 1, Max: 100, TT: []TargetTracking{cpu60}}
	w := NewWindow(WindowSize)
	win := Windows{TT: []*Window{w}}
	cur := 10
	for k := 1; k <= 3; k++ {
		w.Push(90)
		if d, ok := s.Evaluate(minute(k), cur, win, false); ok {
			cur = d.To
		}
	}
	if cur != 15 {
		t.Fatalf("after the load step: %d, want ceil(10 × 90/60) = 15", cur)
	}
	// Minute 3.5, inside the scale-out cooldown: max 12 clamps 15 -> 12.
	max12 := 12
	if cur = s.SetRange(nil, &max12, cur); cur != 12 {
		t.Fatalf("SetRange(max 12) = %d, want 12", cur)
	}
	// Minute 4: the proposal ceil(10 × 1.5) = 15 clamps to 12 = current.
	w.Push(90)
	if d, ok := s.Evaluate(minute(4), cur, win, false); ok {
		t.Errorf("minute 4: unexpected %+v", d)
	}
	// A min of 20 raises the max to 20 and the capacity to 20 at once.
	min20 := 20
	if cur = s.SetRange(&min20, nil, cur); cur != 20 || s.Max != 20 {
		t.Errorf("SetRange(min 20) = %d, max %d; want 20, 20", cur, s.Max)
	}
}

// Rule (Windows contract; STYLE.md §8): one window per policy, else a
// programmer error.
func TestScalerWindowMismatchPanics(t *testing.T) {
	s := Scaler{Min: 1, Max: 10, TT: []TargetTracking{cpu60}}
	mustPanic(t, "no TT window", func() { s.Evaluate(0, 5, Windows{}, false) })
	mustPanic(t, "an extra step window", func() {
		s.Evaluate(0, 5, Windows{TT: []*Window{NewWindow(15)}, Steps: []*Window{NewWindow(15)}}, false)
	})
}

// TestScalerScaleInNeedsEveryScaleInPolicy: ECS-SEMANTICS.md §5 "Several
// policies: scale out if any says so; scale in only if all agree". With
// two step scale-in policies (CPU <= 30: -1; memory <= 30: -2) on a target
// of 10, one alarm alone does not scale in; both together give the largest
// capacity, 10 - 1 = 9. A target tracking policy (target 60) that agrees
// is still blocked by a step scale-in policy not in ALARM.
func TestScalerScaleInNeedsEveryScaleInPolicy(t *testing.T) {
	cpuIn := ThresholdStep("CPUUtilization", Average, 30, -1, 1, 1, time.Minute)
	memIn := ThresholdStep("MemoryUtilization", Average, 30, -2, 1, 1, time.Minute)
	low, high := windowOf(2, 20), windowOf(2, 50)
	s := &Scaler{Min: 1, Max: 20, Steps: []StepPolicy{cpuIn, memIn}}
	if d, ok := s.Evaluate(minute(1), 10, Windows{Steps: []*Window{low, high}}, false); ok {
		t.Errorf("one of two scale-in policies in ALARM scaled in: %+v", d)
	}
	d, ok := s.Evaluate(minute(2), 10, Windows{Steps: []*Window{low, low}}, false)
	if !ok || d.To != 9 {
		t.Errorf("both scale-in policies in ALARM: %+v %v, want 10 -> 9 (the larger capacity)", d, ok)
	}

	tt := TargetTracking{Metric: "CPUUtilization", Target: 60, ScaleInCooldown: time.Minute}
	s = &Scaler{Min: 1, Max: 20, TT: []TargetTracking{tt}, Steps: []StepPolicy{memIn}}
	ttLow := windowOf(WindowSize, repeat(30, 15)...) // 15 of 15 below 54: ceil(10 × 30/60) = 5
	if d, ok := s.Evaluate(minute(15), 10, Windows{TT: []*Window{ttLow}, Steps: []*Window{high}}, false); ok {
		t.Errorf("target tracking scaled in while the step scale-in policy was OK: %+v", d)
	}
	d, ok = s.Evaluate(minute(16), 10, Windows{TT: []*Window{ttLow}, Steps: []*Window{low}}, false)
	if !ok || d.To != 8 {
		t.Errorf("all agree: %+v %v, want 10 -> 8 (max of 5 and 10 - 2)", d, ok)
	}
}

// TestScalerCooldownBaseNeverAboveCurrent: a scale-out cooldown makes
// proposals from the capacity before the scale-out (ECS-SEMANTICS.md §5),
// but once capacity has dropped below that (a scheduled lower maximum) the
// proposal starts from what is there. Step +2 on CPU >= 70: 10 -> 12 at
// minute 1; a scheduled max of 6 clamps to 6; at minute 2, still in the
// 5-minute cooldown, the alarm proposes 6 + 2 = 8, clamped to 6: nothing.
// Raising max to 20 again, the next proposal is 6 + 2 = 8 (from the
// current 6, not from the base 10, which would give 12).
func TestScalerCooldownBaseNeverAboveCurrent(t *testing.T) {
	out := ThresholdStep("CPUUtilization", Average, 70, 2, 1, 1, 5*time.Minute)
	s := &Scaler{Min: 1, Max: 20, Steps: []StepPolicy{out}}
	hot := Windows{Steps: []*Window{windowOf(2, 90)}}
	if d, ok := s.Evaluate(minute(1), 10, hot, false); !ok || d.To != 12 {
		t.Fatalf("first scale-out: %+v %v, want 10 -> 12", d, ok)
	}
	six := 6
	cur := s.SetRange(nil, &six, 12)
	if d, ok := s.Evaluate(minute(2), cur, hot, false); ok {
		t.Errorf("at max: %+v", d)
	}
	twenty := 20
	cur = s.SetRange(nil, &twenty, cur)
	if d, ok := s.Evaluate(minute(3), cur, hot, false); !ok || d.To != 8 {
		t.Errorf("after the lower maximum: %+v %v, want 6 -> 8", d, ok)
	}
}
