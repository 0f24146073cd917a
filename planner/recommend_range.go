package planner

import (
	"math"
	"slices"

	"github.com/ecssim/ecssim/scenarios"
)

// AutoscalingRange is a service's Service Auto Scaling range as an option
// changes it (SCENARIO.md: "An option may also change ... the autoscaling
// range, and then lists them").
type AutoscalingRange struct {
	MinCapacity int `json:"min_capacity"`
	MaxCapacity int `json:"max_capacity"`
	// ScheduledMaxCapacity holds, per [[services.autoscaling.scheduled]]
	// action in order, its max_capacity with the option; null for an
	// action that sets none. Omitted when the service has no scheduled
	// action.
	ScheduledMaxCapacity []*int `json:"scheduled_max_capacity,omitempty"`
}

// scaledRange returns the autoscaling range service s needs at task size
// cpu/mem, or nil when it keeps its own: with smaller tasks a policy that
// tracks utilization needs proportionally more of them for the same load,
// so a max_capacity sized for the current tasks would cap the service at
// a fraction of today's peak capacity.
//
// The factor is the largest, over the service's target tracking and step
// scaling metrics, of current size / new size in the dimension the metric
// measures (CPU for CPU utilization, memory for memory utilization, 1 for
// request count per target, which does not depend on the size); when it
// is above 1, max_capacity and every scheduled action's max_capacity
// become ceil(max × factor), at most the 5,000 tasks per service quota.
//
// Model assumption: min_capacity (and scheduled min_capacity) are kept:
// a floor is usually set for availability (tasks in several AZs), not for
// capacity, and target tracking adds tasks above it; verification runs the
// option with the scaled range and catches a floor that was capacity.
func scaledRange(s *scenarios.Service, cpu, mem int) *AutoscalingRange {
	a := s.Autoscaling
	if a == nil {
		return nil
	}
	td := s.TaskDef
	byMetric := func(metric string) float64 {
		switch metric {
		case "ECSServiceAverageCPUUtilization", "CPUUtilization":
			return float64(td.CPU) / float64(cpu)
		case "ECSServiceAverageMemoryUtilization", "MemoryUtilization":
			return float64(td.Memory) / float64(mem)
		}
		return 1
	}
	f := 1.0
	for _, t := range a.TargetTracking {
		f = math.Max(f, byMetric(t.Metric))
	}
	for _, st := range a.StepScaling {
		f = math.Max(f, byMetric(st.Metric))
	}
	if f <= 1 {
		return nil
	}
	scale := func(n int) int {
		return min(int(math.Ceil(float64(n)*f-1e-9)), scenarios.MaxTasksPerService)
	}
	out := currentRange(s)
	out.MaxCapacity = scale(out.MaxCapacity)
	for _, m := range out.ScheduledMaxCapacity {
		if m != nil {
			*m = scale(*m)
		}
	}
	return out
}

// currentRange is service s's autoscaling range as configured, nil
// without autoscaling.
func currentRange(s *scenarios.Service) *AutoscalingRange {
	a := s.Autoscaling
	if a == nil {
		return nil
	}
	out := &AutoscalingRange{MinCapacity: a.MinCapacity, MaxCapacity: a.MaxCapacity}
	for _, sa := range a.Scheduled {
		var m *int
		if sa.MaxCapacity != nil {
			v := *sa.MaxCapacity
			m = &v
		}
		out.ScheduledMaxCapacity = append(out.ScheduledMaxCapacity, m)
	}
	return out
}

// withRange returns a copy of a with r applied (a is not modified).
func withRange(a *scenarios.Autoscaling, r *AutoscalingRange) *scenarios.Autoscaling {
	cp := *a
	cp.MinCapacity, cp.MaxCapacity = r.MinCapacity, r.MaxCapacity
	cp.Scheduled = slices.Clone(a.Scheduled)
	for k := range cp.Scheduled {
		if k < len(r.ScheduledMaxCapacity) && r.ScheduledMaxCapacity[k] != nil {
			v := *r.ScheduledMaxCapacity[k]
			cp.Scheduled[k].MaxCapacity = &v
		}
	}
	return &cp
}
