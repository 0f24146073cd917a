package scheduler

import (
	"math/rand/v2"
	"testing"
)

// TestGroupTableMatchesModel adds and drops task groups on a few instances,
// up to well past the groupSlots kept in an instance's line, and compares
// every count and list with a map.
func TestGroupTableMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var gt groupTable
	const ids, groups = 4, 24
	for range ids {
		gt.grow()
	}
	model := map[[2]int32]int32{}
	for op := range 20000 {
		id, g := rng.Int32N(ids), rng.Int32N(groups)
		k := [2]int32{id, g}
		if model[k] > 0 && rng.IntN(2) == 0 {
			gt.add(InstanceID(id), g, -1)
			model[k]--
		} else {
			gt.add(InstanceID(id), g, 1)
			model[k]++
		}
		for x := range int32(ids) {
			first, rest := gt.lists(InstanceID(x))
			if len(rest) > 0 && len(first) < groupSlots {
				t.Fatalf("op %d: instance %d overflows with free slots", op, x)
			}
			listed := 0
			for _, gs := range [2][]groupCount{first, rest} {
				for _, gc := range gs {
					if gc.n <= 0 || model[[2]int32{x, gc.group}] != gc.n {
						t.Fatalf("op %d: instance %d lists group %d with %d, model %d", op, x, gc.group, gc.n, model[[2]int32{x, gc.group}])
					}
					listed++
				}
			}
			want := 0
			for g := range int32(groups) {
				if n := model[[2]int32{x, g}]; n > 0 {
					want++
				}
				if got := gt.count(InstanceID(x), g); got != model[[2]int32{x, g}] {
					t.Fatalf("op %d: count(%d, %d) = %d, model %d", op, x, g, got, model[[2]int32{x, g}])
				}
			}
			if listed != want {
				t.Fatalf("op %d: instance %d lists %d groups, model %d", op, x, listed, want)
			}
		}
	}
}
