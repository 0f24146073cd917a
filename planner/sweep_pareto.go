package planner

import (
	"cmp"
	"math"
	"slices"
)

// ParetoFront returns the points of points that no other point dominates,
// minimizing both X and Y (SCENARIO.md "A study file for ecssim sweep":
// "the Pareto front minimizes both x and y").
//
// A point p is dominated when another point q has q.X <= p.X and
// q.Y <= p.Y with at least one of the two strictly less. Hence equal points
// do not dominate each other and are all kept; a point with the same X as
// another but a larger Y is dominated. A point whose X or Y is NaN is
// dropped (it can be compared with nothing); ±Inf compare as usual.
//
// The result is a new slice (never nil, possibly empty), sorted by X, then
// Y, then position in points; points is not modified. It costs
// O(n log n): one sort, then one scan.
func ParetoFront(points []ParetoPoint) []ParetoPoint {
	idx := make([]int, 0, len(points))
	for i, p := range points {
		if !math.IsNaN(p.X) && !math.IsNaN(p.Y) {
			idx = append(idx, i)
		}
	}
	// Sort by (X, Y, input position): a total order, so the output does
	// not depend on the sort algorithm.
	slices.SortFunc(idx, func(a, b int) int {
		pa, pb := points[a], points[b]
		if c := cmp.Compare(pa.X, pb.X); c != 0 {
			return c
		}
		if c := cmp.Compare(pa.Y, pb.Y); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// In this order, only an earlier point can dominate a later one: a
	// later q has q.X > p.X, or q.X == p.X and q.Y >= p.Y, which is never
	// "both <= with one <". An earlier q (q.X <= p.X) dominates p iff
	// q.Y < p.Y, or q.Y == p.Y and q.X < p.X. So it suffices to keep the
	// least Y seen so far and the least X at which it was first seen.
	out := make([]ParetoPoint, 0, len(idx))
	minY, minYX := math.Inf(1), math.Inf(1)
	seen := false
	for _, i := range idx {
		p := points[i]
		dominated := seen && (minY < p.Y || (minY == p.Y && minYX < p.X))
		if !dominated {
			out = append(out, p)
		}
		if !seen || p.Y < minY {
			minY, minYX = p.Y, p.X
			seen = true
		}
	}
	return out
}
