package stats

import (
	"math"
	"slices"
)

// DefaultExactLimit is the number of values a Sample keeps exactly when
// NewSample is given a limit <= 0 (SCENARIO.md: "exact up to a million
// datapoints per series").
const DefaultExactLimit = 1_000_000

// Summary is the usual set of statistics of one Sample. For N == 0 every
// field but N is NaN.
type Summary struct {
	N    int
	Mean float64
	P50  float64
	P95  float64
	P99  float64
	Max  float64
	Min  float64
}

// Sample accumulates float64 observations and answers statistics about
// them in bounded memory. N, Mean, Min and Max are exact at any size (the
// mean uses Neumaier's compensated summation). Quantile is exact while at
// most exactLimit values were added; after that every value moves into a
// deterministic Greenwald-Khanna sketch whose answers have a rank error of
// at most 0.5 % of N, and the exact values are dropped.
//
// The zero Sample is not usable; call NewSample. A Sample is not safe for
// concurrent use, not even for concurrent reads: Quantile sorts the stored
// values in place.
type Sample struct {
	limit  int
	values []float64 // exact mode: every value added; nil in sketch mode
	sorted bool      // values is in increasing order
	sketch *gkSketch // non-nil once more than limit values were added

	n        int
	sum, cmp float64 // Neumaier sum and its compensation
	min, max float64
}

// NewSample returns an empty Sample that keeps up to exactLimit values
// exactly; exactLimit <= 0 means DefaultExactLimit.
func NewSample(exactLimit int) *Sample {
	if exactLimit <= 0 {
		exactLimit = DefaultExactLimit
	}
	return &Sample{limit: exactLimit, sorted: true, min: math.NaN(), max: math.NaN()}
}

// Add records one observation. NaN (a period with INSUFFICIENT_DATA) is
// ignored. Negative zero is recorded as positive zero, so that the sorted
// order, and with it every answer, is unique.
func (s *Sample) Add(v float64) {
	if math.IsNaN(v) {
		return
	}
	if v == 0 {
		v = 0 // canonical +0
	}
	if s.n == 0 {
		s.min, s.max = v, v
	} else if v < s.min {
		s.min = v
	} else if v > s.max {
		s.max = v
	}
	s.n++
	// Neumaier's variant of Kahan summation.
	t := s.sum + v
	if math.Abs(s.sum) >= math.Abs(v) {
		s.cmp += (s.sum - t) + v
	} else {
		s.cmp += (v - t) + s.sum
	}
	s.sum = t

	if s.sketch != nil {
		s.sketch.add(v)
		return
	}
	if len(s.values) < s.limit {
		if s.sorted && len(s.values) > 0 && v < s.values[len(s.values)-1] {
			s.sorted = false
		}
		s.values = append(s.values, v)
		return
	}
	// Past the limit: hand every stored value to the sketch in sorted
	// order. Sorting first makes the sketch's input independent of whether
	// and when Quantile was called before (Quantile sorts in place).
	s.sortValues()
	s.sketch = newGKSketch()
	for _, x := range s.values {
		s.sketch.add(x)
	}
	s.values = nil
	s.sketch.add(v)
}

// N returns the number of observations added, NaN values not counted.
func (s *Sample) N() int { return s.n }

// Mean returns the arithmetic mean of the observations, or NaN if there are
// none.
func (s *Sample) Mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return (s.sum + s.cmp) / float64(s.n)
}

// Min returns the smallest observation, or NaN if there are none.
func (s *Sample) Min() float64 { return s.min }

// Max returns the largest observation, or NaN if there are none.
func (s *Sample) Max() float64 { return s.max }

// Exact reports whether Quantile answers exactly, that is whether at most
// the exact limit of values was added.
func (s *Sample) Exact() bool { return s.sketch == nil }

// Quantile returns the nearest-rank q-quantile: the value at rank
// NearestRank(q, N) of the observations in increasing order. q must be in
// (0, 1]; q = 1 gives Max. With no observations it returns NaN. In sketch
// mode the true rank of the returned value is within 0.5 % of N of the
// requested rank.
func (s *Sample) Quantile(q float64) float64 {
	if !(q > 0 && q <= 1) {
		panic("stats: Quantile: q must be in (0, 1]")
	}
	if s.n == 0 {
		return math.NaN()
	}
	r := NearestRank(q, s.n)
	switch {
	case r == 1:
		return s.min
	case r == s.n:
		return s.max
	case s.sketch != nil:
		return s.sketch.query(int64(r))
	}
	s.sortValues()
	return s.values[r-1]
}

// Summary returns N, the mean, the 50th, 95th and 99th nearest-rank
// percentiles, the maximum and the minimum. For N == 0 every field but N is
// NaN.
func (s *Sample) Summary() Summary {
	if s.n == 0 {
		nan := math.NaN()
		return Summary{Mean: nan, P50: nan, P95: nan, P99: nan, Max: nan, Min: nan}
	}
	return Summary{
		N:    s.n,
		Mean: s.Mean(),
		P50:  s.Quantile(0.50),
		P95:  s.Quantile(0.95),
		P99:  s.Quantile(0.99),
		Max:  s.max,
		Min:  s.min,
	}
}

// retained returns how many values the Sample holds in memory: stored
// exact values, or the sketch's tuples and buffer capacity.
func (s *Sample) retained() int {
	if s.sketch != nil {
		return s.sketch.retained()
	}
	return cap(s.values)
}

func (s *Sample) sortValues() {
	if !s.sorted {
		slices.Sort(s.values)
		s.sorted = true
	}
}

// NearestRank returns the 1-based rank ceil(q·n) of the nearest-rank
// q-quantile of n values, clamped to [1, n]. q must be in (0, 1] and n >= 1.
//
// Model assumption: q·n within a relative 1e-12 of an integer counts as that
// integer, so that a decimal q gives the rank a person computes (0.07 × 100
// is 7.000000000000001 in binary floating point, yet the 7th percentile of
// 100 values is the value at rank 7, not 8).
func NearestRank(q float64, n int) int {
	if !(q > 0 && q <= 1) {
		panic("stats: NearestRank: q must be in (0, 1]")
	}
	if n < 1 {
		panic("stats: NearestRank: n must be at least 1")
	}
	p := q * float64(n)
	f := math.Floor(p)
	r := math.Ceil(p)
	if p-f <= p*1e-12 {
		r = f
	}
	switch {
	case r < 1:
		return 1
	case r > float64(n):
		return n
	}
	return int(r)
}
