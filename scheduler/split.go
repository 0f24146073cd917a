package scheduler

import "fmt"

// Capacity provider strategy split [cluster-capacity-providers]: base is
// filled first, then tasks split by weight. Example (ECS-SEMANTICS.md §3):
// FARGATE base 2 weight 1 and FARGATE_SPOT weight 3 with 18 tasks gives
// FARGATE 2 + 4 = 6, FARGATE_SPOT 12.
//
// Model assumption: when counts do not divide, each new task goes to the
// provider furthest below its weighted share (largest remainder), ties in
// strategy order. Precisely, with E_i = current_i - base_i the tasks beyond
// base, N = 1 + Σ E_i the count beyond base after the new task and W = Σ w_i,
// the task goes to the provider with the largest N·w_i - E_i·W (its deficit
// scaled by W, exact in integers) among those with w_i > 0.

func checkSplit(op string, base, weight, current []int) {
	if len(base) == 0 || len(base) != len(weight) || len(base) != len(current) {
		panic(fmt.Sprintf("scheduler: %s: need equal, non-empty base, weight and current (%d, %d, %d)", op, len(base), len(weight), len(current)))
	}
	for i := range base {
		if base[i] < 0 || weight[i] < 0 || current[i] < 0 {
			panic(fmt.Sprintf("scheduler: %s: negative base, weight or count at %d", op, i))
		}
	}
}

// NextProvider returns the index of the provider that gets the next task,
// given the tasks each provider has now. The first provider (in strategy
// order) below its base gets it; otherwise the one furthest below its
// weighted share of the tasks beyond base. It panics when every weight is 0
// and every base is met (the scenario validation forbids that strategy).
func NextProvider(base, weight, current []int) int {
	checkSplit("NextProvider", base, weight, current)
	for i := range base {
		if current[i] < base[i] {
			return i
		}
	}
	var w, n int64 = 0, 1
	for i := range base {
		w += int64(weight[i])
		n += int64(current[i] - base[i])
	}
	best, bestD := -1, int64(0)
	for i := range base {
		if weight[i] == 0 {
			continue
		}
		d := n*int64(weight[i]) - int64(current[i]-base[i])*w
		if best < 0 || d > bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		panic("scheduler: NextProvider: every base is met and no provider has a weight > 0")
	}
	return best
}

// VictimProvider returns the index of the provider that loses a task on
// scale-in, the inverse of NextProvider. Model assumption: among providers
// above their base, the one furthest above its weighted share of the tasks
// beyond base after the removal (largest E_i·W - (Σ E - 1)·w_i), ties to the
// later provider in strategy order (so the earlier, usually on-demand, keeps
// its tasks, and NextProvider would give the task straight back); when no
// provider is above its base, the last provider with a task, so base tasks
// go last. It panics when no provider has a task.
func VictimProvider(base, weight, current []int) int {
	checkSplit("VictimProvider", base, weight, current)
	var w, n int64 = 0, -1
	for i := range base {
		w += int64(weight[i])
		if e := current[i] - base[i]; e > 0 {
			n += int64(e)
		}
	}
	best, bestS := -1, int64(0)
	for i := range base {
		e := int64(current[i] - base[i])
		if e <= 0 {
			continue
		}
		s := e*w - n*int64(weight[i])
		if best < 0 || s >= bestS {
			best, bestS = i, s
		}
	}
	if best >= 0 {
		return best
	}
	for i := len(current) - 1; i >= 0; i-- {
		if current[i] > 0 {
			return i
		}
	}
	panic("scheduler: VictimProvider: no provider has a task")
}
