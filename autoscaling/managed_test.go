package autoscaling

import (
	"reflect"
	"testing"
)

// Rule (ECS developer guide "Amazon ECS cluster auto scaling",
// CapacityProviderReservation; ECS-SEMANTICS.md §4): CPR = M/N × 100; with
// N = 0 it is 200 when M > 0 and 100 when M = 0.
func TestCapacityProviderReservation(t *testing.T) {
	tests := []struct {
		m, n int
		want float64
	}{
		{5, 0, 200},
		{1, 0, 200},
		{0, 0, 100},
		{3, 4, 75},
		{4, 4, 100},
		{6, 4, 150},
		{0, 4, 0},
		{1, 3, 100.0 / 3},
		{9, 10, 90},
	}
	for _, tc := range tests {
		if got := CapacityProviderReservation(tc.m, tc.n); !sameFloat(got, tc.want) {
			t.Errorf("CPR(M=%d, N=%d) = %v, want %v", tc.m, tc.n, got, tc.want)
		}
	}
}

// Rule (ECS-SEMANTICS.md §4, SCENARIO.md "Managed scaling"): the goal is
// the instance count at which M sits at the target, ceil(M × 100 / target).
func TestManagedGoal(t *testing.T) {
	tests := []struct{ m, target, want int }{
		{9, 90, 10},  // 10 exactly
		{10, 90, 12}, // 11.11
		{7, 100, 7},  // 7
		{10, 50, 20}, // 20
		{0, 80, 0},   // 0
		{1, 100, 1},  // 1
		{1, 1, 100},  // 100
		{3, 70, 5},   // 4.29
	}
	for _, tc := range tests {
		if got := (Managed{TargetCapacity: tc.target}).Goal(tc.m); got != tc.want {
			t.Errorf("Goal(M=%d) at target %d = %d, want %d", tc.m, tc.target, got, tc.want)
		}
	}
}

// Rule (ECS-SEMANTICS.md §4): scale out on 1 datapoint above the target;
// scale in on 15 datapoints strictly below it.
func TestManagedAlarms(t *testing.T) {
	g := Managed{TargetCapacity: 90}
	hi, lo := g.HighAlarm(), g.LowAlarm()
	tests := []struct {
		name  string
		alarm Alarm
		vals  []float64
		want  State
	}{
		{"high: 90 is not above 90", hi, []float64{90}, OK},
		{"high: 90.5 is above 90, one datapoint", hi, []float64{80, 90.5}, InAlarm},
		{"high: only the newest datapoint counts", hi, []float64{200, 80}, OK},
		{"high: N = 0 with tasks waiting (200)", hi, []float64{200}, InAlarm},
		{"low: 14 below", lo, repeat(80, 14), OK},
		{"low: 15 below", lo, repeat(80, 15), InAlarm},
		{"low: 90 is not strictly below 90", lo, cat(repeat(80, 14), []float64{90}), OK},
		{"low: one at target 15 minutes ago is out of range", lo, cat([]float64{90}, repeat(80, 15)), InAlarm},
	}
	for _, tc := range tests {
		if got := tc.alarm.Evaluate(windowOf(ManagedWindowSize, tc.vals...)).State; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Rule (SCENARIO.md "Managed scaling"; ECS-SEMANTICS.md §4): scale out by
// clamp(max(ceil(N × CPR / target) − N, instances needed), min step, max
// step), where N × CPR / target = M × 100 / target, and 0 when N = 0 (then
// the instances needed for PROVISIONING tasks, or the minimum step,
// decide); the group never exceeds max_size.
func TestManagedScaleOut(t *testing.T) {
	base := Managed{TargetCapacity: 100, MinStep: 1, MaxStep: 10000, MinSize: 0, MaxSize: 100}
	with := func(f func(*Managed)) Managed { g := base; f(&g); return g }
	tests := []struct {
		name         string
		g            Managed
		n, m, needed int
		want         int
	}{
		// CPR = 150: ceil(4 × 150/100) − 4 = 2; needed 2.
		{"target 100: M=6 N=4", base, 4, 6, 2, 2},
		// CPR = 100, target 50: ceil(4 × 100/50) − 4 = 4; needed 0.
		{"target 50: M=4 N=4", with(func(g *Managed) { g.TargetCapacity = 50 }), 4, 4, 0, 4},
		// target 90: ceil(10 × 100/90) − 10 = 12 − 10 = 2.
		{"target 90: M=10 N=10", with(func(g *Managed) { g.TargetCapacity = 90 }), 10, 10, 0, 2},
		// The binpacked need exceeds the target tracking term: 1 vs 3.
		{"needed wins", base, 10, 11, 3, 3},
		// tt = 1, needed 1, min step 3.
		{"min step raises", with(func(g *Managed) { g.MinStep = 3 }), 10, 11, 1, 3},
		// tt = 6, max step 2.
		{"max step caps", with(func(g *Managed) { g.MaxStep = 2 }), 4, 10, 6, 2},
		// tt = 25 − 18 = 7, but max_size 20 leaves room for 2.
		{"max_size caps", with(func(g *Managed) { g.MaxSize = 20 }), 18, 25, 7, 2},
		{"at max_size nothing", with(func(g *Managed) { g.MaxSize = 20 }), 20, 30, 10, 0},
		{"above max_size nothing", with(func(g *Managed) { g.MaxSize = 20 }), 22, 30, 8, 0},
		// N = 0: the target tracking term is 0; needed 3 decides.
		{"N=0: needed", base, 0, 3, 3, 3},
		{"N=0: needed, target 50 changes nothing", with(func(g *Managed) { g.TargetCapacity = 50 }), 0, 3, 3, 3},
		{"N=0: min step above needed", with(func(g *Managed) { g.MinStep = 4 }), 0, 2, 2, 4},
		{"N=0: max step below needed", with(func(g *Managed) { g.MaxStep = 3 }), 0, 5, 5, 3},
		{"N=0: max_size below needed", with(func(g *Managed) { g.MaxSize = 20 }), 0, 30, 30, 20},
		// N = 0 with every task excluded (needed 0, CPR held at 100 by
		// the caller) would not alarm; if asked, the minimum step applies.
		{"N=0: nothing needed gives the min step", base, 0, 0, 0, 1},
	}
	for _, tc := range tests {
		if got := tc.g.ScaleOut(tc.n, tc.m, tc.needed); got != tc.want {
			t.Errorf("%s: ScaleOut(N=%d, M=%d, needed=%d) = %d, want %d", tc.name, tc.n, tc.m, tc.needed, got, tc.want)
		}
	}
	mustPanic(t, "target 0", func() { Managed{}.ScaleOut(1, 1, 0) })
}

// Rule (ECS-SEMANTICS.md §4, SCENARIO.md "Managed scaling"; ECS developer
// guide "Amazon ECS cluster auto scaling": scale-in removes "greater than
// one instance and less than 50 %" a minute): only empty instances leave,
// down toward ceil(M × 100/target), never below min_size, at most
// max(1, floor(N/2)) a minute (model assumption).
func TestManagedScaleIn(t *testing.T) {
	base := Managed{TargetCapacity: 100, MinStep: 1, MaxStep: 10000, MinSize: 0, MaxSize: 100}
	tests := []struct {
		name        string
		g           Managed
		n, m, empty int
		want        int
	}{
		// Goal 4: 6 to remove, 6 empty, floor(10/2) = 5.
		{"half of N caps", base, 10, 4, 6, 5},
		// Goal 4: 6 to remove, only 3 empty.
		{"only empty instances", base, 10, 4, 3, 3},
		// Goal 4 but min_size 8: 2.
		{"min_size floors", Managed{TargetCapacity: 100, MinSize: 8, MaxSize: 100}, 10, 4, 6, 2},
		// N = 1, Goal 0: max(1, floor(1/2)) = 1.
		{"one instance may leave when N=1", base, 1, 0, 1, 1},
		// N = 3, Goal 0: max(1, 1) = 1 a minute.
		{"N=3 removes one", base, 3, 0, 3, 1},
		// CPR 75: Goal 3, one empty.
		{"M=3 N=4", base, 4, 3, 1, 1},
		// target 90, M = 10: Goal 12 = N.
		{"at the goal nothing", Managed{TargetCapacity: 90, MaxSize: 100}, 12, 10, 2, 0},
		// Goal 10 with N = 9 (below the goal): nothing, never negative.
		{"below the goal nothing", Managed{TargetCapacity: 90, MaxSize: 100}, 9, 9, 0, 0},
		{"no empty instance nothing", base, 10, 4, 0, 0},
		// target 50, M = 4: Goal 8: 2 of N = 12, 4 empty.
		{"target 50", Managed{TargetCapacity: 50, MaxSize: 100}, 12, 4, 8, 4},
	}
	for _, tc := range tests {
		if got := tc.g.ScaleIn(tc.n, tc.m, tc.empty); got != tc.want {
			t.Errorf("%s: ScaleIn(N=%d, M=%d, empty=%d) = %d, want %d", tc.name, tc.n, tc.m, tc.empty, got, tc.want)
		}
	}
}

// Rule (ECS developer guide "Amazon ECS cluster auto scaling": managed
// scaling keeps CPR at the target; ECS-SEMANTICS.md §4): with M fixed, the
// minute-by-minute loop of ScaleOut and ScaleIn brings N to
// ceil(M × 100/target) (or the bound of the group) and stays there. The toy
// model launches instantly and has no warmup (the warmup is the caller's):
// M instances' worth of tasks; with N < M the N instances are busy and M − N
// more are needed, with N ≥ M there are N − M empty instances.
func TestManagedConvergence(t *testing.T) {
	type move struct{ minute, n int }
	tests := []struct {
		name     string
		g        Managed
		m, start int
		want     []move
		final    int
	}{
		{
			// Minute 1: CPR 200 > 90, ScaleOut(0, 9, 9) = max(0, 9, 1) = 9.
			// Minute 2: CPR 100 > 90, ceil(9 × 100/90) − 9 = 1 -> 10.
			// CPR 90: neither above nor below.
			name: "M=9 target 90 from 0", g: Managed{TargetCapacity: 90, MinStep: 1, MaxStep: 10000, MaxSize: 100}, m: 9, start: 0,
			want: []move{{1, 9}, {2, 10}}, final: 10,
		},
		{
			// Minute 1: CPR 1000, max(ceil(1000/90) − 1 = 11, needed 9) = 11
			// -> 12. CPR 83.3 < 90 for 15 minutes, but ScaleIn = 12 − 12 = 0.
			name: "M=10 target 90 from 1", g: Managed{TargetCapacity: 90, MinStep: 1, MaxStep: 10000, MaxSize: 100}, m: 10, start: 1,
			want: []move{{1, 12}}, final: 12,
		},
		{
			// CPR 35 < 100 from minute 1; minute 15: min(20 − 7, 13 empty,
			// 10) = 10 -> 10. Minute 16 (still 15 of 15 below): min(3, 3, 5)
			// = 3 -> 7. CPR 100.
			name: "M=7 target 100 from 20", g: Managed{TargetCapacity: 100, MinStep: 1, MaxStep: 10000, MaxSize: 100}, m: 7, start: 20,
			want: []move{{15, 10}, {16, 7}}, final: 7,
		},
		{
			// CPR 30; minute 15: min(30 − 10, 21, 15) = 15 -> 15; minute 16:
			// CPR 60, min(5, 6, 7) = 5 -> 10; CPR 90.
			name: "M=9 target 90 from 30", g: Managed{TargetCapacity: 90, MinStep: 1, MaxStep: 10000, MaxSize: 100}, m: 9, start: 30,
			want: []move{{15, 15}, {16, 10}}, final: 10,
		},
		{
			// CPR 250 > 50: max(ceil(10 × 100/50) − 4 = 16, 6) = 16 -> 20.
			name: "M=10 target 50 from 4", g: Managed{TargetCapacity: 50, MinStep: 1, MaxStep: 10000, MaxSize: 100}, m: 10, start: 4,
			want: []move{{1, 20}}, final: 20,
		},
		{
			// Max step 3: 0 -> 3 -> 6 -> 9 (each min(max(7, 7, 1), 3) = 3
			// once N > 0), then max(1, 1, 1) = 1 -> 10.
			name: "M=10 target 100 max step 3", g: Managed{TargetCapacity: 100, MinStep: 1, MaxStep: 3, MaxSize: 100}, m: 10, start: 0,
			want: []move{{1, 3}, {2, 6}, {3, 9}, {4, 10}}, final: 10,
		},
		{
			// Goal 2 but min_size 5: minute 15 min(8 − 5, 6, 4) = 3 -> 5,
			// then 0 although CPR 40 < 100.
			name: "M=2 target 100 min_size 5 from 8", g: Managed{TargetCapacity: 100, MinStep: 1, MaxStep: 10000, MinSize: 5, MaxSize: 100}, m: 2, start: 8,
			want: []move{{15, 5}}, final: 5,
		},
		{
			// max_size 20: 0 -> min(30, 20) = 20; then CPR 150 but no room.
			name: "M=30 target 100 max_size 20", g: Managed{TargetCapacity: 100, MinStep: 1, MaxStep: 10000, MaxSize: 20}, m: 30, start: 0,
			want: []move{{1, 20}}, final: 20,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWindow(ManagedWindowSize)
			hi, lo := tc.g.HighAlarm(), tc.g.LowAlarm()
			n := tc.start
			var got []move
			for k := 1; k <= 120; k++ {
				w.Push(CapacityProviderReservation(tc.m, n))
				d := 0
				if hi.Evaluate(w).State == InAlarm {
					d = tc.g.ScaleOut(n, tc.m, max(0, tc.m-n))
				} else if lo.Evaluate(w).State == InAlarm {
					d = -tc.g.ScaleIn(n, tc.m, max(0, n-tc.m))
				}
				if d != 0 {
					n += d
					got = append(got, move{k, n})
				}
			}
			if !reflect.DeepEqual(got, tc.want) || n != tc.final {
				t.Errorf("moves %v ending at %d, want %v ending at %d", got, n, tc.want, tc.final)
			}
			if goal := tc.g.Goal(tc.m); n != min(max(goal, tc.g.MinSize), tc.g.MaxSize) {
				t.Errorf("final %d is not the goal %d within [%d, %d]", n, goal, tc.g.MinSize, tc.g.MaxSize)
			}
		})
	}
}
