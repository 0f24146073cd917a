package scheduler

import (
	"slices"
	"testing"
)

// TestTaskPackProblem pins the dimensions of a task packing: CPU and
// memory as registered, one ENI slot per awsvpc task (ECS-SEMANTICS.md §2:
// an awsvpc task needs a free task ENI), one capacity-1 dimension per
// static host port (a port is held by one task per instance) and per
// distinctInstance group (one task of the group per instance).
func TestTaskPackProblem(t *testing.T) {
	in := InstanceShape{CPU: 4096, Memory: 15872, ENIs: 3}
	tasks := []TaskShape{
		{CPU: 512, Memory: 1024, ENI: true, Count: 5},
		{CPU: 256, Memory: 512, Ports: []uint16{8080, 80}, Count: 2},
		{CPU: 1024, Memory: 2048, Ports: []uint16{80}, Distinct: true, DistinctGroup: 7, Count: 3},
	}
	p, ok := TaskPackProblem(in, tasks)
	if !ok {
		t.Fatal("ok = false")
	}
	// Dimensions: cpu, mem, eni, port 80, port 8080, distinct(task 2).
	wantCap := []int64{4096, 15872, 3, 1, 1, 1}
	if !slices.Equal(p.Capacity, wantCap) {
		t.Fatalf("capacity %v, want %v", p.Capacity, wantCap)
	}
	wantSizes := [][]int64{
		{512, 1024, 1, 0, 0, 0},
		{256, 512, 0, 1, 1, 0},
		{1024, 2048, 0, 1, 0, 1},
	}
	for k := range wantSizes {
		if !slices.Equal(p.Sizes[k], wantSizes[k]) {
			t.Errorf("sizes[%d] %v, want %v", k, p.Sizes[k], wantSizes[k])
		}
	}
	if !slices.Equal(p.Counts, []int{5, 2, 3}) {
		t.Errorf("counts %v", p.Counts)
	}
	// By hand: the 5 ENI tasks need ceil(5/3) = 2 instances; the 2 + 3
	// tasks on port 80 need 5 instances, and nothing else binds: 5.
	res, err := Pack(p, PackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Bins != 5 || res.LowerBound != 5 {
		t.Errorf("bins %d, lower bound %d, want 5 and 5", res.Bins, res.LowerBound)
	}

	if _, ok := TaskPackProblem(InstanceShape{CPU: 1024, Memory: 1024}, tasks[:1]); ok {
		t.Error("an awsvpc task on an instance with no ENI slot: ok = true")
	}
	// Two shapes of one distinct group (a deployment's old and new sizes)
	// share one dimension: 2 + 2 tasks need 4 instances, not 2.
	dep := []TaskShape{
		{CPU: 256, Memory: 512, Distinct: true, DistinctGroup: 3, Count: 2},
		{CPU: 512, Memory: 1024, Distinct: true, DistinctGroup: 3, Count: 2},
	}
	pd, _ := TaskPackProblem(in, dep)
	if len(pd.Capacity) != 3 {
		t.Errorf("one distinct group: %d dimensions, want 3", len(pd.Capacity))
	}
	if r, _ := Pack(pd, PackOptions{}); r.Bins != 4 {
		t.Errorf("a distinct group's 4 tasks in %d bins, want 4", r.Bins)
	}
	if !FitsShape(in, tasks[0]) || FitsShape(InstanceShape{CPU: 256, Memory: 1 << 20, ENIs: 1}, tasks[0]) {
		t.Error("FitsShape")
	}
}
