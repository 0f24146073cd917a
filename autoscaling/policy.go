package autoscaling

import (
	"fmt"
	"math"
	"time"
)

// Predefined target tracking metrics of ECS services and the CloudWatch
// metric each reads (ECS-SEMANTICS.md §5).
const (
	MetricServiceCPU      = "ECSServiceAverageCPUUtilization"    // CPUUtilization, Average
	MetricServiceMemory   = "ECSServiceAverageMemoryUtilization" // MemoryUtilization, Average
	MetricRequestsPerTask = "ALBRequestCountPerTarget"           // RequestCountPerTarget, Sum
)

// CloudWatchMetric returns the CloudWatch metric name and statistic behind
// a predefined target tracking metric.
func CloudWatchMetric(predefined string) (name string, stat Statistic, err error) {
	switch predefined {
	case MetricServiceCPU:
		return "CPUUtilization", Average, nil
	case MetricServiceMemory:
		return "MemoryUtilization", Average, nil
	case MetricRequestsPerTask:
		return "RequestCountPerTarget", Sum, nil
	}
	return "", 0, fmt.Errorf("autoscaling: unknown predefined metric %q", predefined)
}

// Target tracking alarm shapes (Application Auto Scaling creates them for
// ECS services; ECS-SEMANTICS.md §5): scale out when 3 of 3 one-minute
// datapoints are above the target, scale in when 15 of 15 are below 90 %
// of it.
const (
	TTHighPeriods   = 3
	TTLowPeriods    = 15
	TTLowFraction   = 0.9
	DefaultCooldown = 300 * time.Second
)

// TargetTracking is one target tracking policy.
type TargetTracking struct {
	Metric           string  // CloudWatch metric name, e.g. "CPUUtilization"
	Target           float64 // in the metric's unit
	ScaleOutCooldown time.Duration
	ScaleInCooldown  time.Duration
	DisableScaleIn   bool
}

// HighAlarm is the policy's scale-out alarm: Metric > Target, 3 of 3.
func (p TargetTracking) HighAlarm() Alarm {
	return Alarm{Metric: p.Metric, Comparison: Greater, Threshold: p.Target, EvaluationPeriods: TTHighPeriods, DatapointsToAlarm: TTHighPeriods}
}

// LowAlarm is the policy's scale-in alarm: Metric < 0.9 × Target, 15 of 15.
func (p TargetTracking) LowAlarm() Alarm {
	return Alarm{Metric: p.Metric, Comparison: Less, Threshold: TTLowFraction * p.Target, EvaluationPeriods: TTLowPeriods, DatapointsToAlarm: TTLowPeriods}
}

// WindowSize is the window a target tracking policy needs, look-back
// included.
var WindowSize = LookbackWindow(TTLowPeriods)

// Desired is the target tracking formula: ceil(capacity × metric / target)
// (SCENARIO.md "Service auto scaling").
//
// Model assumption: AWS documents only that capacity changes in proportion
// to the metric; ecssim uses this formula for scale-out and scale-in. A
// tiny tolerance keeps float noise such as 7 × (900/7)/60 =
// 15.000000000000002 from adding a task.
func (p TargetTracking) Desired(capacity int, metric float64) int {
	x := float64(capacity) * metric / p.Target
	return int(math.Ceil(x - 1e-9))
}

// AdjustmentType is how a step's adjustment applies.
type AdjustmentType uint8

// The three Application Auto Scaling adjustment types.
const (
	ChangeInCapacity AdjustmentType = iota
	PercentChangeInCapacity
	ExactCapacity
)

// ParseAdjustmentType reads an adjustment type as AWS spells it ("" is
// ChangeInCapacity).
func ParseAdjustmentType(s string) (AdjustmentType, error) {
	switch s {
	case "", "ChangeInCapacity":
		return ChangeInCapacity, nil
	case "PercentChangeInCapacity":
		return PercentChangeInCapacity, nil
	case "ExactCapacity":
		return ExactCapacity, nil
	}
	return 0, fmt.Errorf("autoscaling: unknown adjustment type %q", s)
}

// StepAdjustment is one step: it applies when Lower ≤ metric − threshold <
// Upper above the threshold, Lower < metric − threshold ≤ Upper below it
// (the Application Auto Scaling bound rule). Unbounded sides are ±Inf.
type StepAdjustment struct {
	Lower, Upper float64
	Adjustment   int
}

// StepPolicy is one step scaling policy with its alarm.
type StepPolicy struct {
	Alarm                  Alarm
	Statistic              Statistic
	AdjustmentType         AdjustmentType
	Steps                  []StepAdjustment
	MinAdjustmentMagnitude int
	Cooldown               time.Duration
}

// ThresholdStep builds the AWS policy the threshold shorthand stands for:
// scale_out = { threshold, adjustment } is "metric >= threshold: add
// adjustment" (one step with lower bound 0), scale_in = { threshold,
// adjustment } is "metric <= threshold: add adjustment" (one step with
// upper bound 0). Adjustments are ChangeInCapacity.
func ThresholdStep(metric string, stat Statistic, threshold float64, adjustment, evaluationPeriods, datapointsToAlarm int, cooldown time.Duration) StepPolicy {
	p := StepPolicy{
		Alarm:          Alarm{Metric: metric, Threshold: threshold, EvaluationPeriods: evaluationPeriods, DatapointsToAlarm: datapointsToAlarm},
		Statistic:      stat,
		AdjustmentType: ChangeInCapacity,
		Cooldown:       cooldown,
	}
	if adjustment > 0 {
		p.Alarm.Comparison = GreaterOrEqual
		p.Steps = []StepAdjustment{{Lower: 0, Upper: math.Inf(1), Adjustment: adjustment}}
	} else {
		p.Alarm.Comparison = LessOrEqual
		p.Steps = []StepAdjustment{{Lower: math.Inf(-1), Upper: 0, Adjustment: adjustment}}
	}
	return p
}

// Step returns the step that applies to metric value v, false when none
// does (a gap, or v on the non-breaching side).
func (p StepPolicy) Step(v float64) (StepAdjustment, bool) {
	d := v - p.Alarm.Threshold
	above := d >= 0
	if d == 0 {
		// At the threshold itself: the alarm's direction decides which
		// side's bound rule applies.
		above = p.Alarm.Comparison.Upward()
	}
	for _, s := range p.Steps {
		if above && s.Lower <= d && d < s.Upper {
			return s, true
		}
		if !above && s.Lower < d && d <= s.Upper {
			return s, true
		}
	}
	return StepAdjustment{}, false
}

// Apply returns the capacity the step sets from the current capacity,
// before clamping to the scalable target's range. Percent changes round as
// Application Auto Scaling does: a result above 1 rounds down, between 0
// and 1 becomes 1, between -1 and 0 becomes -1, below -1 rounds toward
// zero; MinAdjustmentMagnitude then raises a smaller change to that
// magnitude.
func (p StepPolicy) Apply(s StepAdjustment, current int) int {
	switch p.AdjustmentType {
	case ExactCapacity:
		return s.Adjustment
	case PercentChangeInCapacity:
		return current + PercentChange(current, s.Adjustment, p.MinAdjustmentMagnitude)
	}
	return current + s.Adjustment
}

// PercentChange is the capacity change of a percent adjustment of current
// capacity, rounded as Application Auto Scaling rounds it, with the
// minimum magnitude applied.
func PercentChange(current, percent, minMagnitude int) int {
	x := float64(current) * float64(percent) / 100
	var c int
	switch {
	case x > 1:
		c = int(math.Floor(x + 1e-9))
	case x > 0:
		c = 1
	case x == 0:
		c = 0
	case x >= -1:
		c = -1
	default:
		c = int(math.Ceil(x - 1e-9))
	}
	if minMagnitude > 0 && c != 0 && abs(c) < minMagnitude {
		if c > 0 {
			c = minMagnitude
		} else {
			c = -minMagnitude
		}
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
