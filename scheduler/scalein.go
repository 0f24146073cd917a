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
	if len(tasks) == 0 {
		panic("scheduler: ChooseScaleIn: no tasks")
	}
	if len(strategies) == 0 {
		strategies = defaultStrategies
	}
	for i, t := range tasks {
		if t.Instance != NoInstance && (c == nil || c.GroupTasks(t.Instance, group) == 0) {
			panic(fmt.Sprintf("scheduler: ChooseScaleIn: task %d: instance %d holds no task of group %d", i, t.Instance, group))
		}
	}
	cand := make([]int, len(tasks))
	for i := range cand {
		cand[i] = i
	}
	for _, s := range strategies {
		st, err := compileStrategy(s)
		if err != nil {
			panic("scheduler: ChooseScaleIn: " + err.Error())
		}
		switch st.kind {
		case stageSpreadAttr:
			value := func(i int) string {
				if st.isAZ {
					return tasks[i].AZ
				}
				if tasks[i].Instance == NoInstance {
					return ""
				}
				v, _ := c.Attribute(tasks[i].Instance, st.attr)
				return v
			}
			counts := map[string]int64{}
			for i := range tasks {
				counts[value(i)]++
			}
			cand = keepMax(cand, func(i int) int64 { return counts[value(i)] })
		case stageSpreadInstance:
			counts := map[InstanceID]int64{}
			for _, t := range tasks {
				if t.Instance != NoInstance {
					counts[t.Instance]++
				}
			}
			cand = keepMax(cand, func(i int) int64 {
				if tasks[i].Instance == NoInstance {
					return 1
				}
				return counts[tasks[i].Instance]
			})
		case stageBinpack:
			cand = keepMax(cand, func(i int) int64 {
				id := tasks[i].Instance
				if id == NoInstance {
					return -1
				}
				cpu, mem := c.Free(id)
				if st.res == resCPU {
					return int64(cpu) + int64(tasks[i].CPU)
				}
				return int64(mem) + int64(tasks[i].Memory)
			})
		case stageRandom:
		}
	}
	return cand[len(cand)-1]
}

// keepMax keeps, in order, the indexes with the greatest score.
func keepMax(cand []int, score func(int) int64) []int {
	best := score(cand[0])
	for _, i := range cand[1:] {
		best = max(best, score(i))
	}
	out := cand[:0]
	for _, i := range cand {
		if score(i) == best {
			out = append(out, i)
		}
	}
	return out
}
