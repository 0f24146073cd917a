package scenarios

import (
	"fmt"

	"github.com/ecssim/ecssim/workloads"
)

// validateJobs checks [[jobs]]: exactly one of schedule, arrivals and
// trace; duration with schedule and arrivals only; placement as for
// services.
func (v *validator) validateJobs() {
	seen := map[string]int{}
	for i := range v.s.Jobs {
		j := &v.s.Jobs[i]
		p := indexPath("jobs", i)
		if v.name(p+".name", j.Name) {
			if k, dup := seen[j.Name]; dup {
				v.errf(p+".name", "duplicate job %q (also jobs[%d])", j.Name, k)
			} else {
				seen[j.Name] = i
			}
		}
		tdi := v.refTaskDef(p+".task_definition", j.TaskDefinition)
		strategy := v.placementOf(p, j.LaunchType, j.CapacityProviderStrategy)
		v.useTask(p, fmt.Sprintf("job %q", j.Name), tdi, j.LaunchType, strategy)
		v.validatePlacement(p, j.PlacementStrategy, j.PlacementConstraints, v.onFargate(j.LaunchType, strategy))

		n := 0
		for _, k := range []string{"schedule", "arrivals", "trace"} {
			if v.has[p+"."+k] {
				n++
			}
		}
		if n != 1 {
			at := p
			if n > 1 {
				at = p + ".trace"
				if !v.has[at] {
					at = p + ".arrivals"
				}
			}
			v.errf(at, "a job needs exactly one of schedule, arrivals or trace")
		}
		if v.has[p+".schedule"] {
			if _, err := workloads.ParseSchedule(j.Schedule, v.s.Start); err != nil {
				v.errf(p+".schedule", "%v", err)
			}
		}
		if a := j.Arrivals; a != nil {
			v.enum(p+".arrivals.process", a.Process, true, "poisson")
			if a.RatePerHour <= 0 {
				v.errf(p+".arrivals.rate_per_hour", "must be above 0, got %v", a.RatePerHour)
			}
		}
		if t := j.Trace; t != nil {
			v.file(p+".trace.file", t.File)
			v.enum(p+".trace.format", t.Format, true, "csv", "alibaba-openb")
			v.forbid(p, "with a trace (its rows give the durations and one task each)", "duration", "count")
		} else if n == 1 && !v.has[p+".duration"] {
			v.errf(p+".duration", "is required (how long each task runs)")
		}
		v.validateDist(p+".duration", j.Duration)
		if j.Count < 1 || j.Count > 10 {
			// RunTask starts at most 10 tasks per call.
			v.errf(p+".count", "must be between 1 and 10 (RunTask's limit), got %d", j.Count)
		}
		v.enum(p+".on_interruption", j.OnInterruption, true, "retry", "drop")
		if *j.MaxRetries < 0 {
			v.errf(p+".max_retries", "must not be negative, got %d", *j.MaxRetries)
		}
		v.fracRange(p+".cpu_utilization", *j.CPUUtilization, 0, 1)
		v.fracRange(p+".memory_utilization", *j.MemoryUtilization, 0, 1)
	}
}
