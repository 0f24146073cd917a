package planner

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// pp is a Pareto point named by a one-key Values.
func pp(name string, x, y float64) ParetoPoint {
	return ParetoPoint{Values: Values{{Key: "p", Value: name}}, X: x, Y: y}
}

func ppName(p ParetoPoint) string { return p.Values[0].Value.(string) }

// TestParetoFront: SCENARIO.md "the Pareto front minimizes both x and y";
// a point is dominated when another has x and y both at most its own with
// one strictly less. The front, worked out by hand:
//
//	A (1, 5)    kept: only I has a smaller x, and I's y (9) is larger
//	B (2, 3)    kept: A and I, the points with x < 2, have larger y
//	C (2, 4)    dominated by B: same x, larger y
//	D (3, 3)    dominated by B: same y, larger x
//	E (4, 1)    kept: the least y
//	F (4, 1)    kept: equal to E, and equal points do not dominate
//	G (NaN, 0)  dropped: NaN
//	H (5, 2)    dominated by E
//	I (0.5, 9)  kept: the least x
//	J (2, 3)    kept: equal to B
//	K (1, NaN)  dropped: NaN
//
// sorted by x, then y, then input order: I, A, B, J, E, F.
func TestParetoFront(t *testing.T) {
	in := []ParetoPoint{
		pp("A", 1, 5), pp("B", 2, 3), pp("C", 2, 4), pp("D", 3, 3), pp("E", 4, 1),
		pp("F", 4, 1), pp("G", math.NaN(), 0), pp("H", 5, 2), pp("I", 0.5, 9),
		pp("J", 2, 3), pp("K", 1, math.NaN()),
	}
	orig := slices.Clone(in)
	got := ParetoFront(in)
	var names []string
	for _, p := range got {
		names = append(names, ppName(p))
	}
	if want := []string{"I", "A", "B", "J", "E", "F"}; !slices.Equal(names, want) {
		t.Errorf("front %v, want %v", names, want)
	}
	for i := range in {
		if ppName(in[i]) != ppName(orig[i]) {
			t.Fatal("ParetoFront reordered its input")
		}
	}
}

func TestParetoFrontEmpty(t *testing.T) {
	for _, in := range [][]ParetoPoint{nil, {pp("G", math.NaN(), math.NaN())}} {
		if got := ParetoFront(in); got == nil || len(got) != 0 {
			t.Errorf("ParetoFront(%v) = %#v, want an empty non-nil slice", in, got)
		}
	}
}

// TestParetoFrontMatchesDefinition compares the sort-and-scan front with
// the definition applied to every pair, on random points on a small
// integer grid (so that ties in x, in y and in both are frequent).
func TestParetoFrontMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := rng.IntN(30)
		in := make([]ParetoPoint, n)
		for i := range in {
			in[i] = ParetoPoint{Values: Values{{Key: "i", Value: int64(i)}}, X: float64(rng.IntN(6)), Y: float64(rng.IntN(6))}
		}
		var want []ParetoPoint
		for i, p := range in {
			dominated := false
			for j, q := range in {
				if i != j && q.X <= p.X && q.Y <= p.Y && (q.X < p.X || q.Y < p.Y) {
					dominated = true
					break
				}
			}
			if !dominated {
				want = append(want, p)
			}
		}
		slices.SortStableFunc(want, func(a, b ParetoPoint) int {
			if a.X != b.X {
				return int(a.X - b.X)
			}
			return int(a.Y - b.Y)
		})
		got := ParetoFront(in)
		if len(got) != len(want) {
			t.Fatalf("trial %d: front of %d points, want %d", trial, len(got), len(want))
		}
		for i := range want {
			if !got[i].Values.Equal(want[i].Values) {
				t.Fatalf("trial %d: front[%d] = %v, want %v", trial, i, got[i], want[i])
			}
		}
	}
}

// BenchmarkParetoFront measures the front of 10,000 random groups.
func BenchmarkParetoFront(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	in := make([]ParetoPoint, 10000)
	for i := range in {
		in[i] = ParetoPoint{X: rng.Float64(), Y: rng.Float64()}
	}
	n := 0
	for b.Loop() {
		ParetoFront(in)
		n++
	}
	b.ReportMetric(float64(len(in)*n)/b.Elapsed().Seconds(), "points/s")
}
