package autoscaling

import (
	"fmt"
	"math"
)

// Statistic is a CloudWatch statistic of a datapoint.
type Statistic uint8

// The five CloudWatch statistics.
const (
	Average Statistic = iota
	Maximum
	Minimum
	Sum
	SampleCount
)

var statNames = [...]string{"Average", "Maximum", "Minimum", "Sum", "SampleCount"}

func (s Statistic) String() string { return statNames[s] }

// ParseStatistic reads a statistic name as CloudWatch spells it.
func ParseStatistic(s string) (Statistic, error) {
	for i, n := range statNames {
		if n == s {
			return Statistic(i), nil
		}
	}
	return 0, fmt.Errorf("autoscaling: unknown statistic %q", s)
}

// Datapoint is one period of one metric, as CloudWatch aggregates it. A
// datapoint with SampleCount 0 is missing (the resource reported nothing
// in the period: INSUFFICIENT_DATA for alarms that see only such points).
type Datapoint struct {
	Average, Maximum, Minimum, Sum, SampleCount float64
}

// Missing is the missing datapoint.
var Missing = Datapoint{}

// Present reports whether the datapoint holds data.
func (d Datapoint) Present() bool { return d.SampleCount > 0 }

// Value returns the statistic s of d, NaN when d is missing.
func (d Datapoint) Value(s Statistic) float64 {
	if !d.Present() {
		return math.NaN()
	}
	switch s {
	case Average:
		return d.Average
	case Maximum:
		return d.Maximum
	case Minimum:
		return d.Minimum
	case Sum:
		return d.Sum
	case SampleCount:
		return d.SampleCount
	}
	panic(fmt.Sprintf("autoscaling: bad statistic %d", s))
}
