package planner

import (
	"time"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// Policy is the [recommend] table of a scenario with its defaults applied
// (SCENARIO.md "The outputs of pack, recommend and sweep").
type Policy struct {
	// CPUPercentile (0-100] is the percentile of the service's per-period
	// cpu_utilization datapoints a right-sized task must hold; default 95.
	CPUPercentile float64
	// MemoryPercentile (0-100] likewise for memory_utilization; default
	// 100 (the maximum).
	MemoryPercentile float64
	// Margin is the headroom added on top of the percentile, a fraction
	// (0.15: 15 %); default 0.15.
	Margin float64
	// MaxUnservedDemandFraction is the largest unserved demand fraction a
	// verified option may show; default 0.001.
	MaxUnservedDemandFraction float64
	// MaxPlacementWaitP95 is the largest p95 placement wait a verified
	// option may show; default 60 s.
	MaxPlacementWaitP95 time.Duration
}

// Defaults of the [recommend] table.
const (
	DefaultCPUPercentile             = 95
	DefaultMemoryPercentile          = 100
	DefaultMargin                    = 0.15
	DefaultMaxUnservedDemandFraction = 0.001
	DefaultMaxPlacementWaitP95       = 60 * time.Second
)

// PolicyOf returns sc's [recommend] policy with the defaults filled in.
//
// Model assumption: max_placement_wait_p95 is not a pointer in
// scenarios.Recommend, so an explicit "0s" cannot be told from an absent
// key; both mean the default 60 s.
func PolicyOf(sc *scenarios.Scenario) Policy {
	p := Policy{
		CPUPercentile:             DefaultCPUPercentile,
		MemoryPercentile:          DefaultMemoryPercentile,
		Margin:                    DefaultMargin,
		MaxUnservedDemandFraction: DefaultMaxUnservedDemandFraction,
		MaxPlacementWaitP95:       DefaultMaxPlacementWaitP95,
	}
	r := sc.Recommend
	if r == nil {
		return p
	}
	if r.CPUPercentile != nil {
		p.CPUPercentile = *r.CPUPercentile
	}
	if r.MemoryPercentile != nil {
		p.MemoryPercentile = *r.MemoryPercentile
	}
	if r.Margin != nil {
		p.Margin = *r.Margin
	}
	if r.MaxUnservedDemandFraction != nil {
		p.MaxUnservedDemandFraction = *r.MaxUnservedDemandFraction
	}
	if r.MaxPlacementWaitP95 > 0 {
		p.MaxPlacementWaitP95 = r.MaxPlacementWaitP95.D()
	}
	return p
}

// statAtOrAbove returns the statistic of d for percentile pct: results.json
// keeps only p50, p95, p99 and max, so the closest one at or above pct is
// used (pct 90 reads p95, pct 97 reads p99, pct above 99 reads max). It
// also returns the name of the statistic used.
//
// Model assumption: rounding the percentile up, never down, errs on the
// side of a larger task.
func statAtOrAbove(d *sim.Dist, pct float64) (float64, string) {
	switch {
	case pct <= 50:
		return d.P50, "p50"
	case pct <= 95:
		return d.P95, "p95"
	case pct <= 99:
		return d.P99, "p99"
	default:
		return d.Max, "max"
	}
}
