package planner

import (
	"math"

	"github.com/ecssim/ecssim/scenarios"
)

// minCountOption is the fewest tasks a count option keeps.
//
// Model assumption: two tasks, so that one task stopping (a deployment, a
// Spot interruption, an AZ outage) leaves the service serving; AWS's
// guidance for production services is to run tasks in more than one
// Availability Zone.
const minCountOption = 2

// countOption is a service option with fewer tasks (SCENARIO.md: an option
// may come "with a new desired count"), for a service without Service
// Auto Scaling (with it, the count is the policy's). At the size of the
// recommended option o, the count that holds the policy's CPU need is
//
//	ceil(desired × current CPU × percentile utilization / 100 × (1 + margin) / o.CPU),
//
// at least minCountOption; when that is below the desired count, the
// option is verified by simulation like any other and returned, else nil.
// It is listed after the size options, not recommended: fewer tasks also
// means less redundancy, a choice for the service's owner (the VPA-style
// recommendation keeps the count).
//
// Model assumption: CPU need scales with load and load divides evenly
// over tasks, so the count tracks total CPU; memory per task (which grows
// as fewer tasks share the load) is left to verification.
func (r *recommender) countOption(s *scenarios.Service, cur Current, o Option, cpuStat float64) (*Option, error) {
	if s.Autoscaling != nil {
		return nil, nil
	}
	total := float64(cur.DesiredCount) * float64(cur.CPU) * cpuStat / 100 * (1 + r.pol.Margin)
	n := max(minCountOption, int(math.Ceil(total/float64(o.CPU)-1e-9)))
	if n >= cur.DesiredCount {
		return nil, nil
	}
	co, _, err := r.verifyCount(s, cur, o.CPU, o.Memory, n, o.LaunchType)
	if err != nil {
		return nil, err
	}
	return &co, nil
}

// scaleRange multiplies both bounds by f.
func scaleRange(r Range, f float64) Range { return Range{Lower: r.Lower * f, Upper: r.Upper * f} }
