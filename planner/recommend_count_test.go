package planner

import (
	"math"
	"testing"
)

// TestCountOption: 6 Fargate tasks of 256/512 (the smallest size) under a
// constant 0.3 vCPU run at 0.3 / (6 × 0.25) = 20 % CPU, so no smaller
// size exists; the count that holds the need is
// ceil(6 × 256 × 0.20 × 1.15 / 256) = ceil(1.38) = 2 tasks. It is listed
// after the size options (options[0] keeps 6 tasks), verified: 2 tasks run
// at 0.3 / 0.5 = 60 % CPU, and cost 2 × (0.25 × 0.04048 + 0.5 × 0.004445)
// × 730 = 18.02 USD a month against 54.06. --apply writes only options[0].
func TestCountOption(t *testing.T) {
	s := recommendOne(t, oneService(256, 512, 6, 0.3, 100, ""))
	if o := s.Options[0]; o.DesiredCount != 6 || o.CPU != 256 {
		t.Errorf("options[0] %d × %d, want the current 6 × 256", o.DesiredCount, o.CPU)
	}
	last := s.Options[len(s.Options)-1]
	if last.DesiredCount != 2 || last.CPU != 256 || last.Memory != 512 || !last.Verified.Passed {
		t.Fatalf("count option %+v, want 2 × 256/512, verified", last)
	}
	if p95 := last.Verified.CPUUtilizationP95; p95 == nil || math.Abs(*p95-60) > 0.5 {
		t.Errorf("count option CPU p95 %v, want 60", p95)
	}
	if want := fargateMonthly(2, 256, 512); math.Abs(last.MonthlyUSD-want) > 0.01*want {
		t.Errorf("count option %.2f USD a month, want %.2f", last.MonthlyUSD, want)
	}
	if want := fargateMonthly(6, 256, 512); math.Abs(last.SavingsMonthlyUSD-(want-fargateMonthly(2, 256, 512))) > 0.01*want {
		t.Errorf("count option saves %.2f", last.SavingsMonthlyUSD)
	}
	// Projected CPU at 2 tasks: 20 % × 6 / 2 = 60 %.
	if r := last.ProjectedCPUUtilization; math.Abs(r.Upper-60) > 0.5 {
		t.Errorf("count option projected CPU %+v, want 60", r)
	}

	// The floor: 3 tasks under 0.05 vCPU run at 6.7 %, and
	// ceil(3 × 256 × 0.0667 × 1.15 / 256) = 1, raised to 2 tasks.
	if s := recommendOne(t, oneService(256, 512, 3, 0.05, 100, "")); len(s.Options) != 2 || s.Options[1].DesiredCount != 2 {
		t.Errorf("3 tasks at 6.7 %%: options %+v, want the size and a count option of 2", s.Options)
	}
	// Two tasks already: the size option alone (256/512 passes at once);
	// with autoscaling, no count option either (the count is the policy's).
	if s := recommendOne(t, oneService(256, 512, 2, 0.1, 100, "")); len(s.Options) != 1 {
		t.Errorf("2 tasks: options %+v, want the size option alone", s.Options)
	}
	scaled := oneService(256, 512, 6, 0.3, 100, `
  [services.autoscaling]
  min_capacity = 2
  max_capacity = 10
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 60
`)
	for _, o := range recommendOne(t, scaled).Options {
		if o.DesiredCount != 6 {
			t.Errorf("an autoscaled service got a count option %+v", o)
		}
	}
}
