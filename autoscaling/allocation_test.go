package autoscaling

import (
	"slices"
	"testing"
)

// TestLaunchOrder: AWS "Allocation strategies for multiple instance
// types": lowest-price launches the cheapest pools, capacity-optimized the
// deepest (here: the smallest Spot Advisor bucket), price-capacity-
// optimized the deepest, then the cheapest of those; prioritized keeps the
// listed order. Ties keep the listed order.
func TestLaunchOrder(t *testing.T) {
	prices := []float64{0.30, 0.10, 0.20, 0.10}
	buckets := []int{0, 2, 0, 1}
	cases := map[string][]int{
		AllocPrioritized:            {0, 1, 2, 3},
		"":                          {0, 1, 2, 3},
		AllocLowestPrice:            {1, 3, 2, 0},
		AllocCapacityOptimized:      {0, 2, 3, 1},
		AllocPriceCapacityOptimized: {2, 0, 3, 1},
	}
	for s, want := range cases {
		if got := LaunchOrder(s, prices, buckets); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}
