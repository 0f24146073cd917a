package sim

import (
	"maps"
	"testing"
)

// TestSpotPoolShortage: a spot_capacity_shortage with instance_types
// empties only those Spot pools; EC2 Auto Scaling's mixed instances
// groups launch from the pools that still have capacity, so the group
// replaces a failed instance with its next type by allocation strategy
// (prioritized: the order listed). A shortage of the whole group stops
// every launch until it ends (SCENARIO.md [[events]]).
//
// Group: c6i.2xlarge then c7i.2xlarge, desired 2, launch_time 0 s.
//   - 10m-40m: c6i.2xlarge pool short; 20m: one instance fails →
//     replaced at once by a c7i.2xlarge;
//   - 50m: one fails → replaced by a c6i.2xlarge (the pool is back);
//   - 60m-70m: whole-group shortage; 62m: one fails → no launch until
//     70m, then a c6i.2xlarge; the group has 1 instance for those 8
//     minutes.
//
// Launches: 2 at start + 3 replacements = 5; c6i.2xlarge 4, c7i.2xlarge 1;
// terminations 3; instance-hours over 2 h = 2 × 2 − 8/60.
func TestSpotPoolShortage(t *testing.T) {
	r := runScenario(t, `
name = "spot-pools"
duration = "2h"
region = "us-east-1"
[cluster]
availability_zones = ["us-east-1a"]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["c6i.2xlarge", "c7i.2xlarge"]
allocation_strategy = "prioritized"
market = "spot"
min_size = 0
max_size = 10
desired_capacity = 2
launch_time = "0s"
[[events]]
at = "10m"
type = "spot_capacity_shortage"
capacity_provider = "g"
instance_types = ["c6i.2xlarge"]
duration = "30m"
[[events]]
at = "20m"
type = "instance_failure"
capacity_provider = "g"
count = 1
[[events]]
at = "50m"
type = "instance_failure"
capacity_provider = "g"
count = 1
[[events]]
at = "60m"
type = "spot_capacity_shortage"
capacity_provider = "g"
duration = "10m"
[[events]]
at = "62m"
type = "instance_failure"
capacity_provider = "g"
count = 1
`, 1)
	p := r.CapacityProviders["g"]
	if *p.Launches != 5 || *p.Terminations != 3 {
		t.Errorf("launches %d terminations %d, want 5 and 3", *p.Launches, *p.Terminations)
	}
	want := map[string]int64{"c6i.2xlarge": 4, "c7i.2xlarge": 1}
	if !maps.Equal(p.LaunchesByInstanceType, want) {
		t.Errorf("launches by type %v, want %v", p.LaunchesByInstanceType, want)
	}
	wantClose(t, "instance_hours", *p.InstanceHours, 4-8.0/60, 1e-9)
}
