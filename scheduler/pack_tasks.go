package scheduler

import (
	"slices"
)

// TaskShape is a group of identical tasks to pack onto container
// instances (managed scaling's instance count, the recommender's instance
// types).
type TaskShape struct {
	CPU    int64 // CPU units per task (1024 per vCPU), >= 0
	Memory int64 // MiB per task, >= 0
	// ENI: the task uses the awsvpc network mode and needs one task ENI
	// slot of the instance.
	ENI bool
	// Ports are the static host ports the task binds; one task per port per
	// instance (ECS-SEMANTICS.md §2).
	Ports []uint16
	// Distinct: the tasks run under a distinctInstance constraint: at most
	// one task of their task group DistinctGroup (a service, say) per
	// instance. Shapes with the same DistinctGroup (a service's old and
	// new sizes during a deployment) share the limit.
	Distinct      bool
	DistinctGroup int
	Count         int // tasks, >= 0
}

// InstanceShape is what one container instance registers.
type InstanceShape struct {
	CPU    int64 // registered CPU units
	Memory int64 // registered MiB (memory minus ECS_RESERVED_MEMORY)
	ENIs   int64 // task ENI slots (awsvpc tasks it can hold)
}

// TaskPackProblem turns tasks on identical instances of shape in into a
// vector bin packing problem whose item type k is tasks[k]. Dimensions:
// CPU units and MiB; then task ENI slots when a task uses awsvpc; then one
// dimension of capacity 1 per distinct static host port, in increasing
// port order (a port is held by one task per instance); then one of
// capacity 1 per DistinctGroup of the Distinct shapes, in order of first
// appearance. ok is false when the instance registers
// no memory, or some task needs an ENI and the instance has no slot.
//
// Placement strategies, memberOf constraints and Availability Zone spread
// are not dimensions: the packing counts the instances the resources
// need, not where ECS would put each task.
func TaskPackProblem(in InstanceShape, tasks []TaskShape) (p PackProblem, ok bool) {
	p = PackProblem{Capacity: []int64{in.CPU, in.Memory}}
	if in.CPU <= 0 || in.Memory <= 0 {
		return p, false
	}
	eni := false
	var ports []uint16
	for _, t := range tasks {
		eni = eni || t.ENI
		for _, hp := range t.Ports {
			if !slices.Contains(ports, hp) {
				ports = append(ports, hp)
			}
		}
	}
	slices.Sort(ports)
	if eni {
		if in.ENIs <= 0 {
			return p, false
		}
		p.Capacity = append(p.Capacity, in.ENIs)
	}
	for range ports {
		p.Capacity = append(p.Capacity, 1)
	}
	var groups []int
	for _, t := range tasks {
		if t.Distinct && !slices.Contains(groups, t.DistinctGroup) {
			groups = append(groups, t.DistinctGroup)
			p.Capacity = append(p.Capacity, 1)
		}
	}
	for _, t := range tasks {
		size := make([]int64, 0, len(p.Capacity))
		size = append(size, t.CPU, t.Memory)
		if eni {
			size = append(size, b2i(t.ENI))
		}
		for _, hp := range ports {
			size = append(size, b2i(slices.Contains(t.Ports, hp)))
		}
		for _, g := range groups {
			size = append(size, b2i(t.Distinct && t.DistinctGroup == g))
		}
		p.Sizes = append(p.Sizes, size)
		p.Counts = append(p.Counts, t.Count)
	}
	return p, true
}

// FitsShape reports whether one task of t fits an empty instance of shape
// in (resources, an ENI slot when it needs one).
func FitsShape(in InstanceShape, t TaskShape) bool {
	return t.CPU <= in.CPU && t.Memory <= in.Memory && (!t.ENI || in.ENIs > 0)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
