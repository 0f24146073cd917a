package scheduler

import "testing"

func TestChooseScaleIn(t *testing.T) {
	// ECS-SEMANTICS.md §2.4 [task-placement-strategies]: scale-in picks the
	// task to stop; with spread, keep the values balanced; with binpack, on
	// the instance with the most remaining resource; by default, the AZ then
	// the instance with the most tasks of the service.
	//
	// Instances: 0 (a), 1 (a), 2 (b), 3 (c). Group 1 tasks:
	//   index 0: instance 0   index 1: instance 0   index 2: instance 1
	//   index 3: instance 2   index 4: instance 2   index 5: Fargate in c
	// AZ a has 3 tasks, b 2, c 1. Free memory (other groups fill): 0 -> 872,
	// 1 -> 10872, 2 -> 14872 (only its two 500 MiB tasks), 3 -> 15872.
	c := lit("a", "a", "b", "c")
	fill(c, 0, 10, 500, 1)
	fill(c, 0, 10, 500, 1)
	fill(c, 1, 10, 500, 1)
	fill(c, 2, 10, 500, 1)
	fill(c, 2, 10, 500, 1)
	fill(c, 0, 10, 14000, 2)
	fill(c, 1, 10, 4500, 2)
	v := func(id InstanceID, az string) Victim { return Victim{Instance: id, AZ: az, CPU: 10, Memory: 500} }
	tasks := []Victim{v(0, "a"), v(0, "a"), v(1, "a"), v(2, "b"), v(2, "b"), v(NoInstance, "c")}
	tests := []struct {
		rule string
		s    []Strategy
		want int
	}{
		{"default: AZ a (3 tasks), then instance 0 (2 tasks); the last of the ties", nil, 1},
		{"spread AZ alone: AZ a; ties to the last (model assumption)", []Strategy{spreadAZ}, 2},
		{"spread instanceId: instances 0 and 2 tie at 2; the last", []Strategy{{"spread", "instanceId"}}, 4},
		{"binpack memory: instance 2 has the most free memory", binpackMemory, 4},
		{"binpack cpu: instance 2 has the most free CPU (4076 vs 1 at 4066 vs 0 at 4056)", binpackCPU, 4},
		{"random narrows nothing (model assumption): the last task", []Strategy{{"random", ""}}, 5},
	}
	for _, tc := range tests {
		if got := ChooseScaleIn(tc.s, 1, tasks, c); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.rule, got, tc.want)
		}
	}
	// Fargate only: spread over AZs, c is nil.
	far := []Victim{v(NoInstance, "a"), v(NoInstance, "b"), v(NoInstance, "b"), v(NoInstance, "a"), v(NoInstance, "b")}
	if got := ChooseScaleIn(nil, 1, far, nil); got != 4 {
		t.Errorf("Fargate: got %d, want 4 (b has 3 tasks)", got)
	}
}

// TestChooseScaleInBinpackCountsTheTask: with binpack, scale-in stops the
// task on the instance that would have the most remaining resource once it
// stops (ECS-SEMANTICS.md §2.4 [task-placement-strategies]), which differs
// from the most free now when task sizes differ (mid-deployment). Instance
// 0 (15872 MiB) holds a 12000 MiB task and a 3000 MiB other task: 872 free
// now, 12872 after. Instance 1 holds a 500 MiB task and a 10000 MiB other
// task: 5372 free now, 5872 after. The task on instance 0 goes.
func TestChooseScaleInBinpackCountsTheTask(t *testing.T) {
	c := lit("a", "a")
	fill(c, 0, 10, 12000, 1)
	fill(c, 0, 10, 3000, 2)
	fill(c, 1, 10, 500, 1)
	fill(c, 1, 10, 10000, 2)
	tasks := []Victim{
		{Instance: 0, AZ: "a", CPU: 10, Memory: 12000},
		{Instance: 1, AZ: "a", CPU: 10, Memory: 500},
	}
	if got := ChooseScaleIn(binpackMemory, 1, tasks, c); got != 0 {
		t.Errorf("binpack memory: got task %d, want 0 (12872 MiB free after it stops, against 5872)", got)
	}
}

// TestChooseScaleInNMatchesRepeatedPicks: picking k victims at once equals
// k single picks, each on the tasks left in their order (the contract of
// ChooseScaleInN), for every strategy chain of TestChooseScaleIn and for
// every k.
func TestChooseScaleInNMatchesRepeatedPicks(t *testing.T) {
	c := lit("a", "a", "b", "c", "b", "a")
	v := func(id InstanceID, az string) Victim { return Victim{Instance: id, AZ: az, CPU: 10, Memory: 500} }
	var tasks []Victim
	for i, id := range []InstanceID{0, 0, 1, 2, 2, 4, 4, 4, 5, 0, 1, 5} {
		fill(c, id, 10, 500, 1)
		tasks = append(tasks, v(id, []string{"a", "a", "b", "c", "b", "a"}[id]))
		if i%4 == 0 {
			tasks = append(tasks, v(NoInstance, []string{"a", "b", "c"}[i%3]))
		}
	}
	fill(c, 1, 10, 3000, 2)
	chains := [][]Strategy{nil, {spreadAZ}, {{"spread", "instanceId"}}, binpackMemory, binpackCPU,
		{{"random", ""}}, {spreadAZ, {"binpack", "memory"}}}
	for ci, s := range chains {
		for k := 1; k <= len(tasks); k++ {
			got := ChooseScaleInN(s, 1, tasks, c, k)
			left := make([]int, len(tasks))
			for i := range left {
				left[i] = i
			}
			for p := 0; p < k; p++ {
				sub := make([]Victim, len(left))
				for j, i := range left {
					sub[j] = tasks[i]
				}
				j := ChooseScaleIn(s, 1, sub, c)
				if got[p] != left[j] {
					t.Fatalf("chain %d, k = %d: pick %d is task %d, want %d", ci, k, p, got[p], left[j])
				}
				left = append(left[:j], left[j+1:]...)
			}
		}
	}
}
