package planner

import (
	"fmt"
	"maps"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// The statistics of summary.json (SCENARIO.md "A study file for ecssim
// sweep"): a sweep's runs grouped by grid point, their means and 95 %
// confidence intervals, the objective's best group and the Pareto front.

// StudentT975 returns the 0.975 quantile of Student's t distribution with
// df degrees of freedom, the factor of a two-sided 95 % confidence interval
// of a mean of df+1 values (12.706 for df 1, 1.96 as df grows). It panics
// if df < 1.
func StudentT975(df int) float64 {
	if df < 1 {
		panic(fmt.Sprintf("planner: StudentT975 with %d degrees of freedom", df))
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}

// MeanCI95 returns the mean of xs, summed in order, and the half-width of
// its 95 % confidence interval, StudentT975(n-1) × s / √n with s the sample
// standard deviation (n-1 denominator). The half-width is NaN when xs has
// fewer than two values; both are NaN when xs is empty.
func MeanCI95(xs []float64) (mean, halfWidth float64) {
	n := len(xs)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN()
	}
	// Two passes: the squared deviations from the mean, not the
	// cancellation-prone Σx² − n·mean².
	ss := 0.0
	for _, x := range xs {
		d := x - mean
		ss += d * d
	}
	s := math.Sqrt(ss / float64(n-1))
	return mean, StudentT975(n-1) * s / math.Sqrt(float64(n))
}

// Summarize builds summary.json from all of a study's runs, in index order
// (index = grid point × st.Replications + replication), so that each
// consecutive chunk of st.Replications runs is one group. It fails when
// len(runs) is not a multiple of st.Replications or when the runs of a
// chunk do not have the same Values (the runs are then not the study's, or
// not in order).
//
// Per group: Mean holds, for each metric path any of its runs has, the
// mean over the runs that have it; CI95 the half-width of its 95 %
// confidence interval (MeanCI95) over the same runs, nil for a group of one
// run, and without the metrics fewer than two runs have.
//
// Best is the group with the least (or, with Maximize, the greatest) mean
// of st.Objective.Path among the groups whose means meet every
// st.Objective.SubjectTo check (Feasible); ties go to the first in
// grid order. It is nil when the study has no objective or no group
// qualifies.
//
// Pareto is nil without st.Pareto; with it, the ParetoFront of the groups
// that have both the X and the Y mean (never nil then).
//
// Summary.Runs is runs as given (not copied); RunInfo is left zero for the
// caller. The result depends only on st and runs: sums run in run order and
// no map order reaches it. Summarize panics if st is nil or
// st.Replications < 1.
func Summarize(st *Study, runs []RunSummary) (*Summary, error) {
	if st == nil {
		panic("planner: Summarize of a nil study")
	}
	reps := st.Replications
	if reps < 1 {
		panic(fmt.Sprintf("planner: Summarize with %d replications", reps))
	}
	if len(runs)%reps != 0 {
		return nil, fmt.Errorf("sweep: %d runs are not a whole number of groups of %d replications", len(runs), reps)
	}
	sum := &Summary{Runs: runs, Groups: make([]Group, 0, len(runs)/reps)}
	for start := 0; start < len(runs); start += reps {
		chunk := runs[start : start+reps]
		for i := 1; i < len(chunk); i++ {
			if !chunk[i].Values.Equal(chunk[0].Values) {
				return nil, fmt.Errorf("sweep: run %d (%s) and run %d (%s) should be replications of one grid point but have different values",
					start, chunk[0].ID, start+i, chunk[i].ID)
			}
		}
		sum.Groups = append(sum.Groups, summarizeGroup(chunk))
	}
	sum.Best = bestGroup(st, sum.Groups)
	if st.Pareto != nil {
		var pts []ParetoPoint
		for _, g := range sum.Groups {
			x, okX := g.Mean[st.Pareto.X]
			y, okY := g.Mean[st.Pareto.Y]
			if okX && okY {
				pts = append(pts, ParetoPoint{Values: g.Values, X: x, Y: y})
			}
		}
		sum.Pareto = ParetoFront(pts)
	}
	return sum, nil
}

// summarizeGroup computes one group's Mean and CI95 from its runs.
func summarizeGroup(runs []RunSummary) Group {
	g := Group{Values: runs[0].Values, Runs: len(runs), Mean: map[string]float64{}}
	if len(runs) > 1 {
		g.CI95 = map[string]float64{}
	}
	for _, path := range metricUnion(runs) {
		var xs []float64
		for _, r := range runs {
			if v, ok := r.Metrics[path]; ok {
				xs = append(xs, v)
			}
		}
		mean, hw := MeanCI95(xs)
		g.Mean[path] = mean
		if len(xs) >= 2 {
			g.CI95[path] = hw
		}
	}
	return g
}

// metricUnion returns the metric paths any of runs has, sorted.
func metricUnion(runs []RunSummary) []string {
	seen := map[string]bool{}
	var paths []string
	for _, r := range runs {
		for p := range r.Metrics {
			if !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	return paths
}

// bestGroup returns the objective's best group among the Feasible ones:
// the first of RankGroups when it is feasible and has the objective (ties
// keep grid order); nil when st has no objective or no group qualifies.
func bestGroup(st *Study, groups []Group) *Best {
	o := st.Objective
	if o == nil || len(groups) == 0 {
		return nil
	}
	g := &groups[RankGroups(st, &Summary{Groups: groups})[0]]
	if v, ok := g.Mean[o.Path]; !ok || math.IsNaN(v) || !Feasible(st, g) {
		return nil
	}
	return &Best{Values: g.Values, Mean: maps.Clone(g.Mean)} // Best does not alias the group's map
}

// Equal reports whether vs and other name the same keys in the same order
// with equal values. Numbers compare by value whatever their Go type (an
// int64 40 equals a float64 40, as after a JSON round trip); strings and
// bools compare exactly; a value of another type equals nothing.
func (vs Values) Equal(other Values) bool {
	if len(vs) != len(other) {
		return false
	}
	for i := range vs {
		if vs[i].Key != other[i].Key || !SameValue(vs[i].Value, other[i].Value) {
			return false
		}
	}
	return true
}

// SameValue reports whether two varied values are equal: numbers (int64,
// int, float64) by value, strings and bools exactly. NaN equals nothing.
func SameValue(a, b any) bool {
	if x, ok := intOf(a); ok {
		if y, ok := intOf(b); ok {
			return x == y // exact, also beyond 2^53
		}
	}
	if x, ok := NumberOf(a); ok {
		y, ok := NumberOf(b)
		return ok && x == y
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return false
}

// intOf returns v as an int64 when it is an integer type.
func intOf(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	}
	return 0, false
}

// NumberOf returns a varied value as a float64 when it is a number (an
// int64 or float64 from a study, an int from code).
func NumberOf(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}
