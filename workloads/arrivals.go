package workloads

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Arrivals is a point process of job submissions. Next returns the first
// arrival strictly after `after`, drawing from r. Implementations are
// memoryless given `after`, so the caller keeps no state but the last time.
type Arrivals interface {
	Next(after time.Duration, r *rand.Rand) time.Duration
}

// Never is what Arrivals.Next returns when no arrival will ever come (a
// zero rate): the largest Duration.
const Never = time.Duration(math.MaxInt64)

type poisson struct{ meanGap float64 } // seconds; +Inf for rate 0

// Poisson returns a homogeneous Poisson process with ratePerHour arrivals
// per hour on average: inter-arrival gaps are exponential with mean
// 1/ratePerHour hours. A zero rate never arrives (Next returns Never); a
// negative or NaN rate panics.
//
// Model assumption: gaps are rounded to the simulator's millisecond clock
// with a floor of 1 ms, so two arrivals never share an instant; this biases
// the mean gap by less than 0.5 ms, which matters only at rates above
// millions per hour.
func Poisson(ratePerHour float64) Arrivals {
	if !(ratePerHour >= 0) || math.IsInf(ratePerHour, 0) {
		panic(fmt.Sprintf("workloads: Poisson: invalid rate %v", ratePerHour))
	}
	return poisson{meanGap: 3600 / ratePerHour}
}

func (p poisson) Next(after time.Duration, r *rand.Rand) time.Duration {
	if math.IsInf(p.meanGap, 1) {
		return Never
	}
	gap := fromSeconds(r.ExpFloat64() * p.meanGap)
	if gap < time.Millisecond {
		gap = time.Millisecond
	}
	if after > Never-gap {
		return Never
	}
	return after + gap
}
