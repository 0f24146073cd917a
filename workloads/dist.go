package workloads

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Dist is a distribution of durations (task startup times, job run times).
// Sample draws from r and returns a whole number of milliseconds, never
// negative. Mean is the analytic mean of the distribution before samples
// are rounded (for ConstDist and Empirical, of the rounded values).
type Dist interface {
	Sample(r *rand.Rand) time.Duration
	Mean() time.Duration
}

// z95 is the standard normal 95th percentile, Φ⁻¹(0.95).
const z95 = 1.6448536269514722

// maxSample caps samples so they stay far from the Duration range limit
// (about 146 years).
const maxSample = time.Duration(math.MaxInt64 / 2)

// fromSeconds converts a sample in seconds into a whole-millisecond,
// non-negative Duration, saturating at maxSample.
func fromSeconds(s float64) time.Duration {
	if !(s > 0) { // also NaN
		return 0
	}
	if s >= maxSample.Seconds() {
		return roundMs(maxSample)
	}
	return secondsToDuration(s)
}

type constDist time.Duration

func (c constDist) Sample(*rand.Rand) time.Duration { return time.Duration(c) }
func (c constDist) Mean() time.Duration             { return time.Duration(c) }

// ConstDist returns the distribution that always yields d rounded to the
// millisecond. d must not be negative (panics otherwise).
func ConstDist(d time.Duration) Dist {
	if d < 0 {
		panic(fmt.Sprintf("workloads: ConstDist: negative duration %v", d))
	}
	return constDist(roundMs(d))
}

type exponential struct{ mean time.Duration }

func (e exponential) Sample(r *rand.Rand) time.Duration {
	return fromSeconds(r.ExpFloat64() * e.mean.Seconds())
}
func (e exponential) Mean() time.Duration { return e.mean }

// Exponential returns the exponential distribution with the given mean
// (rate 1/mean). mean must not be negative (panics otherwise); a zero mean
// always yields 0.
func Exponential(mean time.Duration) Dist {
	if mean < 0 {
		panic(fmt.Sprintf("workloads: Exponential: negative mean %v", mean))
	}
	return exponential{mean}
}

type logNormal struct{ mu, sigma float64 } // of ln(seconds)

func (l logNormal) Sample(r *rand.Rand) time.Duration {
	return fromSeconds(math.Exp(l.mu + l.sigma*r.NormFloat64()))
}

func (l logNormal) Mean() time.Duration {
	return fromSeconds(math.Exp(l.mu + l.sigma*l.sigma/2))
}

// LogNormal returns the log-normal distribution with the given median and
// 95th percentile: ln X ~ N(mu, sigma²) with mu = ln(median) and
// sigma = ln(p95/median) / Φ⁻¹(0.95), Φ⁻¹(0.95) = 1.6448536269514722. Its mean
// is exp(mu + sigma²/2). It is an error if median is not positive or p95 <
// median; p95 == median gives the constant median.
func LogNormal(median, p95 time.Duration) (Dist, error) {
	if median <= 0 {
		return nil, fmt.Errorf("lognormal: median %v must be positive", median)
	}
	if p95 < median {
		return nil, fmt.Errorf("lognormal: p95 %v is below the median %v", p95, median)
	}
	mu := math.Log(median.Seconds())
	sigma := math.Log(p95.Seconds()/median.Seconds()) / z95
	return logNormal{mu: mu, sigma: sigma}, nil
}

type uniform struct{ min, max time.Duration }

func (u uniform) Sample(r *rand.Rand) time.Duration {
	return fromSeconds(u.min.Seconds() + r.Float64()*(u.max-u.min).Seconds())
}
func (u uniform) Mean() time.Duration { return u.min + (u.max-u.min)/2 }

// Uniform returns the continuous uniform distribution on [min, max]. It is
// an error if min is negative or max < min.
func Uniform(min, max time.Duration) (Dist, error) {
	if min < 0 {
		return nil, fmt.Errorf("uniform: min %v is negative", min)
	}
	if max < min {
		return nil, fmt.Errorf("uniform: max %v is below min %v", max, min)
	}
	return uniform{min, max}, nil
}
