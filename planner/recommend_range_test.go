package planner

import (
	"math"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestScaledRange: a policy that tracks utilization needs size-ratio times
// as many tasks for the same load (utilization = load / (n × size)), so
// max_capacity scales by current size / new size in the tracked
// dimension; request count per target does not depend on the size; mins
// stay; the 5,000 tasks per service quota caps the result.
func TestScaledRange(t *testing.T) {
	five, nine := 5, 9
	svc := func(metric string, max int) *scenarios.Service {
		return &scenarios.Service{
			TaskDef: &scenarios.TaskDefinition{CPU: 4096, Memory: 8192},
			Autoscaling: &scenarios.Autoscaling{
				MinCapacity: 2, MaxCapacity: max,
				TargetTracking: []scenarios.TargetTracking{{Metric: metric, Target: 50}},
				Scheduled:      []scenarios.Scheduled{{MaxCapacity: &five}, {MinCapacity: &nine}},
			},
		}
	}
	// CPU 4096 → 1024: factor 4; max 3 → 12, scheduled 5 → 20.
	r := scaledRange(svc("ECSServiceAverageCPUUtilization", 3), 1024, 8192)
	if r == nil || r.MinCapacity != 2 || r.MaxCapacity != 12 || len(r.ScheduledMaxCapacity) != 2 ||
		r.ScheduledMaxCapacity[0] == nil || *r.ScheduledMaxCapacity[0] != 20 || r.ScheduledMaxCapacity[1] != nil {
		t.Errorf("CPU tracking 4096→1024: %+v", r)
	}
	// Memory 8192 → 3072: factor 8/3; max 3 → ceil(8) = 8.
	if r := scaledRange(svc("ECSServiceAverageMemoryUtilization", 3), 1024, 3072); r == nil || r.MaxCapacity != 8 {
		t.Errorf("memory tracking 8192→3072: %+v, want max 8", r)
	}
	// Memory tracking, memory unchanged: kept.
	if r := scaledRange(svc("ECSServiceAverageMemoryUtilization", 3), 1024, 8192); r != nil {
		t.Errorf("memory tracking, memory kept: %+v, want nil", r)
	}
	// Request count per target: kept.
	if r := scaledRange(svc("ALBRequestCountPerTarget", 3), 1024, 2048); r != nil {
		t.Errorf("request count tracking: %+v, want nil", r)
	}
	// A larger task: kept (the current max already covers the load).
	if r := scaledRange(svc("ECSServiceAverageCPUUtilization", 3), 8192, 16384); r != nil {
		t.Errorf("larger task: %+v, want nil", r)
	}
	// Quota: 2000 × 4 caps at 5000.
	if r := scaledRange(svc("ECSServiceAverageCPUUtilization", 2000), 1024, 8192); r == nil || r.MaxCapacity != 5000 {
		t.Errorf("quota: %+v, want max 5000", r)
	}
	// No autoscaling: nothing to scale.
	if r := scaledRange(&scenarios.Service{TaskDef: &scenarios.TaskDefinition{CPU: 4096, Memory: 8192}}, 1024, 2048); r != nil {
		t.Errorf("no autoscaling: %+v", r)
	}
}

// trackedService: 3 vCPU of constant demand on 2 tasks of 4 vCPU under
// target tracking at 50 % CPU, range 1-2 (also set hourly by a scheduled
// action). Per task 3/8 = 37.5 %, below 45 % (90 % of target) but
// ceil(2 × 37.5 / 50) = 2: it stays at 2.
const trackedExtra = `
  [services.autoscaling]
  min_capacity = 1
  max_capacity = 2     # sized for 4-vCPU tasks
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 50
    scale_out_cooldown = "60s"
    [[services.autoscaling.scheduled]]
    schedule = "rate(1 hour)"   # re-asserts the range hourly
    min_capacity = 1
    max_capacity = 2
`

// TestRecommendScalesTheAutoscalingRange: the policy asks for
// 4096 × 0.375 × 1.15 = 1766 CPU units, so 2048 (Fargate 2048 pairs with
// 4096 MiB at least; memory needs 1000 × 1.15 MiB). Half-size tasks need
// twice as many for the same utilization, so the option carries
// max_capacity 2 × 2 = 4, and so does the scheduled action; in its
// verifying run target tracking settles at
// ceil(3 vCPU / (2 vCPU × 50 %)) = 3 tasks, CPU utilization 50 %, and the
// monthly cost is 3 × (2 × 0.04048 + 4 × 0.004445) × 730 = 216.24 USD
// against 2 × (4 × 0.04048 + 8 × 0.004445) × 730 = 288.32 today. --apply
// writes the range.
func TestRecommendScalesTheAutoscalingRange(t *testing.T) {
	text := oneService(4096, 8192, 2, 3.0, 1000, trackedExtra)
	s := recommendOne(t, text)
	o := s.Options[0]
	if o.CPU != 2048 || o.Memory != 4096 {
		t.Fatalf("option %d/%d, want 2048/4096", o.CPU, o.Memory)
	}
	if a := o.Autoscaling; a == nil || a.MinCapacity != 1 || a.MaxCapacity != 4 ||
		len(a.ScheduledMaxCapacity) != 1 || a.ScheduledMaxCapacity[0] == nil || *a.ScheduledMaxCapacity[0] != 4 {
		t.Fatalf("autoscaling %+v, want min 1 max 4, scheduled max 4", o.Autoscaling)
	}
	if !o.Verified.Passed {
		t.Fatalf("not verified: %+v", o.Verified)
	}
	if p95 := o.Verified.CPUUtilizationP95; p95 == nil || math.Abs(*p95-50) > 0.5 {
		t.Errorf("verified CPU p95 %v, want 50 (3 tasks)", p95)
	}
	if want := fargateMonthly(3, 2048, 4096); math.Abs(o.MonthlyUSD-want) > 0.01*want {
		t.Errorf("monthly %.2f, want %.2f (3 tasks)", o.MonthlyUSD, want)
	}
	if want := fargateMonthly(2, 4096, 8192); math.Abs(s.Current.MonthlyUSD-want) > 0.01*want {
		t.Errorf("current monthly %.2f, want %.2f", s.Current.MonthlyUSD, want)
	}

	sc := parse(t, text)
	rec, err := Recommend(sc, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := ApplyToTOML([]byte(text), sc, rec.Changes())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "max_capacity = 4     # sized for 4-vCPU tasks") || strings.Count(string(out), "max_capacity = 4") != 2 {
		t.Errorf("max_capacity (range and scheduled action) not rewritten in place:\n%s", out)
	}
	nsc := parse(t, string(out))
	if a := nsc.Services[0].Autoscaling; a.MinCapacity != 1 || a.MaxCapacity != 4 || nsc.Services[0].TaskDef.CPU != 2048 {
		t.Errorf("applied scenario: range %d-%d, cpu %d", a.MinCapacity, a.MaxCapacity, nsc.Services[0].TaskDef.CPU)
	}
}
