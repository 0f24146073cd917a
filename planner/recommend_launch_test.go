package planner

import (
	"math"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestLaunchTypeOptions: a Fargate service of 4 tasks of 1 vCPU / 2 GiB is
// compared with a Fargate Spot share (FARGATE base 1 weight 1, FARGATE_SPOT
// weight 3) and with the scenario's Auto Scaling group. The share: base 1
// on FARGATE, then the 3 others by weight 1:3 = 0.75 : 2.25, largest
// remainder (ECS-SEMANTICS.md §3) → 1 more on FARGATE: 2 FARGATE, 2
// FARGATE_SPOT. Prices (`ecssim prices`, us-east-1): 0.04048 per vCPU-hour
// and 0.004445 per GB-hour, so a task costs 0.04937 USD an hour, 36.0401 a
// month (730 h); Fargate Spot is 69 % off. Current: 4 × 36.0401 =
// 144.1604; the share: 2 × 36.0401 + 2 × 36.0401 × 0.31 = 94.4251 a month,
// with no interruption configured, so it verifies. The group
// (m6i.xlarge, 4 vCPU / 16 GiB) holds the task, so it is a candidate too.
func TestLaunchTypeOptions(t *testing.T) {
	sc, err := scenarios.Parse("lt.toml", []byte(`
name = "lt"
duration = "1d"
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
min_size = 2
max_size = 2
desired_capacity = 2
[[task_definitions]]
family = "app"
cpu = 1024
memory = 2048
[[services]]
name = "app"
task_definition = "app"
desired_count = 4
launch_type = "FARGATE"
  [services.load]
  cpu = 1.6
`))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Recommend(sc, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := rec.Services["app"]
	got := map[string]LaunchOption{}
	for _, o := range s.LaunchTypeOptions {
		got[o.LaunchType] = o
	}
	if _, ok := got[LaunchFargate]; ok {
		t.Error("FARGATE offered to a service already on FARGATE")
	}
	share, ok := got[LaunchFargateSpotShare]
	if !ok {
		t.Fatalf("no Fargate Spot share option: %+v", s.LaunchTypeOptions)
	}
	const task = (1*0.04048 + 2*0.004445) * 730
	if want := 2*task + 2*task*0.31; math.Abs(share.MonthlyUSD-want) > 1e-6*want {
		t.Errorf("Spot share monthly %.6f, want %.6f", share.MonthlyUSD, want)
	}
	if want := 4*task - (2*task + 2*task*0.31); math.Abs(share.SavingsMonthlyUSD-want) > 1e-6*want {
		t.Errorf("Spot share savings %.6f, want %.6f", share.SavingsMonthlyUSD, want)
	}
	if !share.Verified.Passed {
		t.Errorf("Spot share failed verification: %+v", share.Verified)
	}
	if _, ok := got[LaunchEC2]; !ok {
		t.Errorf("the group g is no option: %+v", s.LaunchTypeOptions)
	}
}

// TestAtFloor: a size flags the dimensions where a floor binds: Fargate's
// smallest CPU size 256 (need 100 < 256), the smallest memory Fargate
// pairs with 512 CPU units (1024; need 600 < 1024), EC2's 128.
func TestAtFloor(t *testing.T) {
	for _, c := range []struct {
		fargate  bool
		cpu, mem int
		need     Need
		want     string
	}{
		{true, 256, 512, Need{CPU: 100, Memory: 300}, "cpu,memory"},
		{true, 512, 1024, Need{CPU: 400, Memory: 600}, "memory"},
		{true, 512, 2048, Need{CPU: 400, Memory: 1500}, ""},
		{false, 128, 256, Need{CPU: 50, Memory: 200}, "cpu"},
	} {
		got := ""
		for i, d := range atFloor(c.fargate, c.cpu, c.mem, c.need) {
			if i > 0 {
				got += ","
			}
			got += d
		}
		if got != c.want {
			t.Errorf("%v %d/%d need %+v: %q, want %q", c.fargate, c.cpu, c.mem, c.need, got, c.want)
		}
	}
}
