package pricing

import "math"

// near reports whether got equals want within a relative 1e-12 (absolute
// 1e-15 near zero): hand-derived decimals against float64 arithmetic.
func near(got, want float64) bool {
	d := math.Abs(got - want)
	return d <= 1e-12*math.Abs(want) || d <= 1e-15
}
