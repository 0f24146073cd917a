package planner

import (
	"math"
	"slices"
)

// Feasible reports whether group g's means meet every subject_to check of
// st's objective (true without an objective).
//
// Model assumption: a group lacking a checked metric (null in all its
// runs) fails the check.
func Feasible(st *Study, g *Group) bool {
	if st.Objective == nil {
		return true
	}
	for _, c := range st.Objective.SubjectTo {
		v, ok := g.Mean[c.Path]
		if !ok || !c.Holds(v) {
			return false
		}
	}
	return true
}

// RankGroups returns the indices of sum.Groups best first: feasible groups
// before the others, then by the objective mean (ascending to minimize,
// descending to maximize; a group without it last), ties in grid order.
// Without an objective the grid order stands.
func RankGroups(st *Study, sum *Summary) []int {
	idx := make([]int, len(sum.Groups))
	for i := range idx {
		idx[i] = i
	}
	if st.Objective == nil {
		return idx
	}
	key := func(i int) (bool, float64) {
		g := &sum.Groups[i]
		v, ok := g.Mean[st.Objective.Path]
		if !ok || math.IsNaN(v) {
			v = math.Inf(1)
		} else if st.Objective.Maximize {
			v = -v
		}
		return Feasible(st, g), v
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		fa, va := key(a)
		fb, vb := key(b)
		switch {
		case fa != fb && fa:
			return -1
		case fa != fb:
			return 1
		case va < vb:
			return -1
		case va > vb:
			return 1
		}
		return 0
	})
	return idx
}
