package scheduler

import "fmt"

// Victim is a running task of a service that could be stopped on scale-in.
type Victim struct {
	Instance InstanceID // NoInstance for a Fargate task
	AZ       string     // the task's availability zone
	// CPU (units) and Memory (MiB) the task reserves: binpack ranks an
	// instance by what it would have free once the task stops.
	CPU, Memory int32
}

// ChooseScaleIn returns the index into tasks of the task to stop when the
// service (task group group) scales in by one, following its placement
// strategies [task-placement-strategies; ECS-SEMANTICS.md §2.4]. tasks are
// all of the group's tasks that may be stopped, in the caller's order
// (oldest first is the natural choice). Each strategy keeps the tasks it
// would stop first:
//
//   - spread (attribute:NAME): keep the tasks whose value has the most tasks
//     in the list, to keep the values balanced. The AZ comes from
//     Victim.AZ; other attributes from the instance. Model assumption: a
//     Fargate task has the value "" for any attribute but the AZ.
//   - spread (instanceId): keep the tasks on the instance with the most tasks
//     in the list. Model assumption: each Fargate task counts as an
//     instance of its own (one task).
//   - binpack (cpu|memory): keep the tasks on the instance with the most
//     free resource, the one closest to empty.
//     Model assumption: Fargate tasks rank below every instance.
//   - random: Model assumption: keeps every task (scale-in draws no random
//     numbers; the last rule decides).
//
// Nil or empty strategies mean the ECS default: spread by AZ, then by
// instance ("the AZ then instance with the most tasks of the service").
// Model assumption: the ties left go to the last of them in tasks, the
// newest when tasks are oldest first. It panics when tasks is empty, a
// strategy is invalid, or a task's instance holds no task of group
// (programmer errors); c may be nil when every task is on Fargate.
func ChooseScaleIn(strategies []Strategy, group int32, tasks []Victim, c *Cluster) int {
	return ChooseScaleInN(strategies, group, tasks, c, 1)[0]
}

// ChooseScaleInN returns the indexes into tasks of the k tasks to stop,
// in stopping order: the same as calling ChooseScaleIn k times, each time
// on the tasks left (in their order), with the cluster unchanged between
// picks (a stopping task keeps its reservation until it has stopped, so
// binpack ranks stay put). It panics when k is outside [1, len(tasks)]
// and in the cases ChooseScaleIn does.
//
// Cost: O(k × len(tasks) × len(strategies)) with no allocation per pick;
// a service scaling in by hundreds of tasks costs milliseconds.
func ChooseScaleInN(strategies []Strategy, group int32, tasks []Victim, c *Cluster, k int) []int {
	if len(tasks) == 0 {
		panic("scheduler: ChooseScaleIn: no tasks")
	}
	if k < 1 || k > len(tasks) {
		panic(fmt.Sprintf("scheduler: ChooseScaleInN: k = %d for %d tasks", k, len(tasks)))
	}
	if len(strategies) == 0 {
		strategies = defaultStrategies
	}
	for i, t := range tasks {
		if t.Instance != NoInstance && (c == nil || c.GroupTasks(t.Instance, group) == 0) {
			panic(fmt.Sprintf("scheduler: ChooseScaleIn: task %d: instance %d holds no task of group %d", i, t.Instance, group))
		}
	}
	// Each stage gives every task either a fixed score (binpack) or a key
	// into a table of counts that shrinks as tasks are picked (spread).
	type rank struct {
		random bool
		key    []int32 // spread: task -> dense value index; -1: a task of its own
		counts []int64 // spread: tasks left per value
		score  []int64 // binpack: fixed score per task
	}
	ranks := make([]rank, 0, len(strategies))
	for _, s := range strategies {
		st, err := compileStrategy(s)
		if err != nil {
			panic("scheduler: ChooseScaleIn: " + err.Error())
		}
		var r rank
		switch st.kind {
		case stageSpreadAttr:
			idx := map[string]int32{}
			r.key = make([]int32, len(tasks))
			for i, t := range tasks {
				v := t.AZ
				if !st.isAZ {
					v = ""
					if t.Instance != NoInstance {
						v, _ = c.Attribute(t.Instance, st.attr)
					}
				}
				j, ok := idx[v]
				if !ok {
					j = int32(len(idx))
					idx[v] = j
					r.counts = append(r.counts, 0)
				}
				r.key[i] = j
				r.counts[j]++
			}
		case stageSpreadInstance:
			idx := map[InstanceID]int32{}
			r.key = make([]int32, len(tasks))
			for i, t := range tasks {
				if t.Instance == NoInstance {
					r.key[i] = -1 // a Fargate task counts as an instance of its own
					continue
				}
				j, ok := idx[t.Instance]
				if !ok {
					j = int32(len(idx))
					idx[t.Instance] = j
					r.counts = append(r.counts, 0)
				}
				r.key[i] = j
				r.counts[j]++
			}
		case stageBinpack:
			r.score = make([]int64, len(tasks))
			for i, t := range tasks {
				if t.Instance == NoInstance {
					r.score[i] = -1
					continue
				}
				cpu, mem := c.Free(t.Instance)
				if st.res == resCPU {
					r.score[i] = int64(cpu) + int64(t.CPU)
				} else {
					r.score[i] = int64(mem) + int64(t.Memory)
				}
			}
		case stageRandom:
			r.random = true
		}
		ranks = append(ranks, r)
	}
	score := func(r *rank, i int) int64 {
		if r.score != nil {
			return r.score[i]
		}
		if r.key[i] < 0 {
			return 1
		}
		return r.counts[r.key[i]]
	}
	left := make([]int, len(tasks)) // tasks not yet picked, in order
	for i := range left {
		left[i] = i
	}
	cand := make([]int, 0, len(tasks))
	picks := make([]int, 0, k)
	for len(picks) < k {
		cand = append(cand[:0], left...)
		for ri := range ranks {
			r := &ranks[ri]
			if r.random {
				continue
			}
			best := score(r, cand[0])
			for _, i := range cand[1:] {
				best = max(best, score(r, i))
			}
			out := cand[:0]
			for _, i := range cand {
				if score(r, i) == best {
					out = append(out, i)
				}
			}
			cand = out
		}
		v := cand[len(cand)-1]
		picks = append(picks, v)
		for ri := range ranks {
			if r := &ranks[ri]; r.key != nil && r.key[v] >= 0 {
				r.counts[r.key[v]]--
			}
		}
		for j, i := range left {
			if i == v {
				left = append(left[:j], left[j+1:]...)
				break
			}
		}
	}
	return picks
}
