package sim

import "fmt"

// unmodelledWarnings lists the parts of the scenario this version of the
// simulator reads but does not act on yet, so a run never ignores
// configuration silently. Each becomes a warning in the result and on
// stderr.
func (w *world) unmodelledWarnings() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	sc := w.sc
	for _, cp := range sc.CapacityProviders {
		if cp.Interruptions != nil {
			add("capacity_providers.%s.interruptions: EC2 Spot interruptions are not modelled yet", cp.Name)
		}
	}
	if sc.FargateSpot.InterruptionsPerTaskHour > 0 {
		add("fargate_spot.interruptions_per_task_hour: Fargate Spot interruptions are not modelled yet")
	}
	if len(sc.FargateSpot.CapacityShortages) > 0 {
		add("fargate_spot.capacity_shortages are not modelled yet")
	}
	return out
}
