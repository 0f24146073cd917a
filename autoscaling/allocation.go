package autoscaling

// Allocation strategies of an EC2 Auto Scaling mixed instances group
// (ECS-SEMANTICS.md §7; AWS "Allocation strategies for multiple instance
// types"), as the scenario spells them.
const (
	AllocLowestPrice            = "lowest_price"
	AllocCapacityOptimized      = "capacity_optimized"
	AllocPriceCapacityOptimized = "price_capacity_optimized"
	AllocPrioritized            = "prioritized"
)

// LaunchOrder returns the indices 0..len(prices)-1 of a group's instance
// types in the order the group prefers to launch them under strategy:
// prioritized (and any other value) keeps the listed order; lowest_price
// sorts by price; capacity_optimized by interruption bucket (a smaller
// bucket is a deeper pool, fewer interruptions); price_capacity_optimized
// by bucket, then price. Ties keep the listed order. prices are USD/hour
// and buckets Spot Advisor bucket indices (0 = "<5%"), one per type.
func LaunchOrder(strategy string, prices []float64, buckets []int) []int {
	n := len(prices)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	less := func(a, b int) bool { return false }
	switch strategy {
	case AllocLowestPrice:
		less = func(a, b int) bool { return prices[a] < prices[b] }
	case AllocCapacityOptimized:
		less = func(a, b int) bool { return buckets[a] < buckets[b] }
	case AllocPriceCapacityOptimized:
		less = func(a, b int) bool {
			if buckets[a] != buckets[b] {
				return buckets[a] < buckets[b]
			}
			return prices[a] < prices[b]
		}
	}
	// Stable insertion sort: a group lists a few types.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && less(idx[j], idx[j-1]); j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	return idx
}
