package autoscaling

import "fmt"

// Managed is capacity provider managed scaling of one Auto Scaling group
// (ECS-SEMANTICS.md §4): a target tracking policy on
// CapacityProviderReservation that ECS creates for the group.
type Managed struct {
	TargetCapacity int // 1-100, percent
	MinStep        int // minimum_scaling_step_size
	MaxStep        int // maximum_scaling_step_size
	MinSize        int // the group's min_size
	MaxSize        int // the group's max_size
}

// Managed scaling alarm shapes: scale out on 1 datapoint above target,
// scale in on 15 datapoints strictly below it.
const (
	ManagedHighPeriods = 1
	ManagedLowPeriods  = 15
)

// ManagedWindowSize is the window managed scaling's alarms need,
// look-back included.
var ManagedWindowSize = LookbackWindow(ManagedLowPeriods)

// CapacityProviderReservation is M / N × 100 for M instances needed (those
// running non-daemon tasks plus those needed for PROVISIONING tasks) and N
// instances launching or running; N = 0 gives 200 when M > 0 and 100 when
// M = 0 (ECS-SEMANTICS.md §4).
func CapacityProviderReservation(m, n int) float64 {
	switch {
	case n == 0 && m > 0:
		return 200
	case n == 0:
		return 100
	}
	return 100 * float64(m) / float64(n)
}

// HighAlarm is the scale-out alarm: CapacityProviderReservation > target,
// 1 of 1.
func (g Managed) HighAlarm() Alarm {
	return Alarm{Metric: "CapacityProviderReservation", Comparison: Greater, Threshold: float64(g.TargetCapacity), EvaluationPeriods: ManagedHighPeriods, DatapointsToAlarm: ManagedHighPeriods}
}

// LowAlarm is the scale-in alarm: CapacityProviderReservation < target,
// 15 of 15.
func (g Managed) LowAlarm() Alarm {
	return Alarm{Metric: "CapacityProviderReservation", Comparison: Less, Threshold: float64(g.TargetCapacity), EvaluationPeriods: ManagedLowPeriods, DatapointsToAlarm: ManagedLowPeriods}
}

// Goal is the instance count at which M instances sit at the target:
// ceil(M × 100 / target_capacity).
func (g Managed) Goal(m int) int {
	return (100*m + g.TargetCapacity - 1) / g.TargetCapacity
}

// ScaleOut returns how many instances to launch when the scale-out alarm
// fires with N = n instances, M = m and needed instances for PROVISIONING
// tasks: clamp(max(ceil(N × CPR / target) − N, needed), min step, max
// step), where N × CPR / target = M × 100 / target for N > 0 and 0 for
// N = 0 (SCENARIO.md "Managed scaling"), then capped so the group stays
// within max_size.
func (g Managed) ScaleOut(n, m, needed int) int {
	if g.TargetCapacity <= 0 {
		panic(fmt.Sprintf("autoscaling: target capacity %d", g.TargetCapacity))
	}
	tt := 0
	if n > 0 {
		tt = g.Goal(m) - n
	}
	k := min(max(tt, needed, g.MinStep), g.MaxStep)
	return max(0, min(k, g.MaxSize-n))
}

// ScaleIn returns how many instances to remove when the scale-in alarm
// fires: down toward Goal(m) and not below min_size, at most empty (the
// instances that may go), and at most max(1, floor(N/2)) a minute.
//
// Model assumption: scale-in stops at Goal(m) = ceil(M × 100 / target),
// the count the target tracking policy on CapacityProviderReservation
// asks for, so a group does not shrink below what its tasks need and
// then scale straight out again.
//
// Model assumption: the guide says desired capacity drops by "greater
// than one instance and less than 50 %" a minute; ecssim reads that as
// max(1, floor(N/2)).
func (g Managed) ScaleIn(n, m, empty int) int {
	k := n - max(g.Goal(m), g.MinSize)
	k = min(k, empty, max(1, n/2))
	return max(0, k)
}
