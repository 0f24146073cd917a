package sim

import (
	"fmt"
	"math"
	"testing"
)

// Service scheduler tests: ECS developer guide [ecs_services] (the service
// scheduler keeps desired_count tasks and replaces tasks that stop),
// [cluster-capacity-providers] (base and weight), ECS-SEMANTICS.md §2-§3,
// SCENARIO.md [services.load], "Demand" and "Datapoints and statistics".

// TestCapacityProviderSplit pins ECS-SEMANTICS.md §3's example
// [cluster-capacity-providers]: FARGATE base 2 weight 1 + FARGATE_SPOT
// weight 3 with 18 tasks gives FARGATE 2 + 4 = 6 and FARGATE_SPOT 12. Tasks
// are all running after warmup, so the mean running tasks per provider are
// exactly those counts.
func TestCapacityProviderSplit(t *testing.T) {
	r := runScenario(t, `
name = "split"
duration = "2h"
warmup = "10m"
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
[[services]]
name = "web"
task_definition = "web"
desired_count = 18
capacity_provider_strategy = [
  { capacity_provider = "FARGATE",      base = 2, weight = 1 },
  { capacity_provider = "FARGATE_SPOT",           weight = 3 },
]
`, 1)
	s := serviceResult(t, r, "web")
	byCP := s.RunningByCapacityProvider
	wantClose(t, "running_by_capacity_provider[FARGATE]", byCP["FARGATE"], 6, 1e-9)
	wantClose(t, "running_by_capacity_provider[FARGATE_SPOT]", byCP["FARGATE_SPOT"], 12, 1e-9)
	wantClose(t, "running_count mean", s.RunningCount.Mean, 18, 1e-9)
	// Cost follows the split: Fargate Spot tasks bill at × 0.31.
	h := 2 * (0.25*fargateVCPUHour + 0.5*fargateGBHour) // per task over the 2 h run, startup included
	wantClose(t, "by_capacity_provider[FARGATE]", r.Cost.ByCapacityProvider["FARGATE"], 6*h, 1e-9)
	wantClose(t, "by_capacity_provider[FARGATE_SPOT]", r.Cost.ByCapacityProvider["FARGATE_SPOT"], 12*h*fargateSpotMult, 1e-9)
}

// TestCrashedTasksAreReplaced: a running task that exits on its own
// (crash_rate_per_hour) is counted in tasks.failed (SCENARIO.md results:
// "failed counts health-check failures and crashes") and the service
// scheduler starts a replacement at once [ecs_services]. With 4 Fargate
// tasks, startup 30 s and rate 1/h, each crash costs one task 30 s of
// running time, so
//   - expected crashes in the 199 h window: 4 × 199 × 3600/3630 ≈ 789.4
//     (Poisson, sd ≈ 28);
//   - running_count mean = 4 − 30 s × failed / 199 h, up to the few
//     crashes straddling the warmup boundary;
//   - every stop is a crash and every crash is replaced: started ≈ stopped
//     = failed.
func TestCrashedTasksAreReplaced(t *testing.T) {
	r := runScenario(t, `
name = "crash"
duration = "200h"
warmup = "1h"
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
startup_time = "30s"
crash_rate_per_hour = 1.0
[[services]]
name = "web"
task_definition = "web"
desired_count = 4
launch_type = "FARGATE"
`, 3)
	s := serviceResult(t, r, "web")
	tc := s.Tasks
	const windowS = 199 * 3600.0
	wantCrashes := 4 * 199 * 3600.0 / 3630
	if math.Abs(float64(tc.Failed)-wantCrashes) > 4*math.Sqrt(wantCrashes) {
		t.Errorf("tasks.failed = %d, want %.1f ± 4 sd (%.1f)", tc.Failed, wantCrashes, 4*math.Sqrt(wantCrashes))
	}
	if tc.Stopped != tc.Failed || tc.OOMKilled != 0 {
		t.Errorf("tasks = %+v: every stop must be a crash", tc)
	}
	if d := tc.Started - tc.Failed; d < -4 || d > 4 {
		t.Errorf("started %d vs failed %d: every crash must be replaced", tc.Started, tc.Failed)
	}
	wantRunning := 4 - 30*float64(tc.Failed)/windowS
	if d := math.Abs(s.RunningCount.Mean - wantRunning); d > 4*30/windowS {
		t.Errorf("running_count mean = %.6f, want %.6f (4 − 30 s × failed / window)", s.RunningCount.Mean, wantRunning)
	}
	if s.DesiredCount.Min != 4 || s.DesiredCount.Max != 4 {
		t.Errorf("desired_count = %+v, want 4 throughout", *s.DesiredCount)
	}
	if s.RunningCount.Max != 4 || !(s.RunningCount.Min < 4) {
		t.Errorf("running_count = %+v, want max 4 and some period below 4", *s.RunningCount)
	}
}

// TestScaleEvents: a `scale` event sets desired_count at its time
// (SCENARIO.md [[events]]); desired_count statistics are time-weighted
// over 1-minute datapoints, every change is an activity with its reason,
// and scale-in stops the surplus tasks.
// desired: 4 on [0, 2h), 8 on [2h, 4h), 2 on [4h, 6h): mean 28/6.
func TestScaleEvents(t *testing.T) {
	r := runScenario(t, `
name = "scale"
duration = "6h"
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
[[services]]
name = "web"
task_definition = "web"
desired_count = 4
launch_type = "FARGATE"
[[events]]
at = "2h"
type = "scale"
service = "web"
desired_count = 8
[[events]]
at = "4h"
type = "scale"
service = "web"
desired_count = 2
`, 1)
	s := serviceResult(t, r, "web")
	if s.DesiredCount.Min != 2 || s.DesiredCount.Max != 8 {
		t.Errorf("desired_count = %+v, want min 2 and max 8", *s.DesiredCount)
	}
	wantClose(t, "desired_count mean", s.DesiredCount.Mean, 28.0/6, 1e-6)
	if s.RunningCount.Max != 8 {
		t.Errorf("running_count max = %g, want 8", s.RunningCount.Max)
	}
	if s.ScalingActivities != 2 {
		t.Errorf("scaling_activities = %d, want 2", s.ScalingActivities)
	}
	// 4 at t = 0 and 4 more at 2 h; 6 stopped at 4 h.
	if s.Tasks.Started != 8 || s.Tasks.Stopped != 6 {
		t.Errorf("tasks = %+v, want started 8 and stopped 6", s.Tasks)
	}
	want := []Activity{
		{AtSeconds: 7200, Resource: "service/web", From: 4, To: 8},
		{AtSeconds: 14400, Resource: "service/web", From: 8, To: 2},
	}
	if len(r.Activities) != len(want) {
		t.Fatalf("activities = %+v, want %d entries", r.Activities, len(want))
	}
	for i, w := range want {
		a := r.Activities[i]
		if a.AtSeconds != w.AtSeconds || a.Resource != w.Resource || a.From != w.From || a.To != w.To || a.Reason == "" {
			t.Errorf("activities[%d] = %+v, want %+v with a reason", i, a, w)
		}
	}
}

// TestStaticHostPortLimitsTasks: a static host port allows one task of the
// service per instance (ECS-SEMANTICS.md §2.1 [task-placement]: an instance
// must have the port free). 3 instances and desired 5 → 3 run and 2 stay
// PROVISIONING (pending_at_end 2) with the closest reason "no_free_port".
// launch_time 0 s: the instances register before the first placement pass
// (task transitions precede the placement pass at the same instant).
func TestStaticHostPortLimitsTasks(t *testing.T) {
	r := runScenario(t, `
name = "ports"
duration = "2h"
warmup = "10m"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "general", weight = 1 } ]
[[capacity_providers]]
name = "general"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 3
max_size = 3
desired_capacity = 3
launch_time = "0s"
[[task_definitions]]
family = "api"
cpu = 256
memory = 512
network_mode = "bridge"
host_ports = [8080]
[[services]]
name = "api"
task_definition = "api"
desired_count = 5
`, 1)
	s := serviceResult(t, r, "api")
	if s.PendingAtEnd != 2 {
		t.Errorf("pending_at_end = %d, want 2", s.PendingAtEnd)
	}
	wantClose(t, "running_count mean", s.RunningCount.Mean, 3, 1e-9)
	if s.RunningCount.Max != 3 {
		t.Errorf("running_count max = %g, want 3", s.RunningCount.Max)
	}
	if got := s.PlacementFailures["no_free_port"]; got != 2 {
		t.Errorf("placement_failures = %v, want no_free_port: 2 (one per waiting task)", s.PlacementFailures)
	}
}

// loadScenario is a Fargate service of `tasks` tasks of 1024 CPU / 2048
// MiB with the given [services.load] body. Warmup 10 min: tasks are
// healthy (startup 30 s + healthy_after 40 s) before statistics start.
func loadScenario(tasks int, load string) string {
	return fmt.Sprintf(`
name = "load"
duration = "2h"
warmup = "10m"
[[task_definitions]]
family = "web"
cpu = 1024
memory = 2048
[[services]]
name = "web"
task_definition = "web"
desired_count = %d
launch_type = "FARGATE"
  [services.load]
%s`, tasks, load)
}

// TestLoadUtilization pins SCENARIO.md [services.load] and "Demand": each
// healthy task serves an equal share of the demand in vCPUs; task CPU
// utilization = 100 × share / task vCPUs, capped at 100; demand above the
// running tasks' capacity is unserved; memory per task = memory_base (+
// memory_per_rps × rps share), as a percent of the task memory.
func TestLoadUtilization(t *testing.T) {
	for _, tc := range []struct {
		name, load         string
		cpu, mem, unserved float64
		overloadedMinutes  float64
	}{
		// 1.6 vCPU over 2 tasks of 1 vCPU: 0.8 each → 80 %. Memory 1024 of
		// 2048 MiB → 50 %.
		{"below-capacity", `cpu = { pattern = "constant", value = 1.6 }
memory_base = 1024`, 80, 50, 0, 0},
		// 3 vCPU over 2 vCPU of tasks: 100 %, unserved (3 − 2)/3 = 1/3,
		// every one of the 110 post-warmup minutes overloaded.
		{"above-capacity", `cpu = { pattern = "constant", value = 3.0 }`, 100, 0, 1.0 / 3, 110},
		// requests: 400 rps × 4 ms = 1.6 vCPU → 80 %; memory 512 + 0.5 ×
		// 200 rps per task = 612 MiB of 2048 → 29.8828125 %.
		{"requests", `requests_per_second = { pattern = "constant", value = 400 }
cpu_per_request = "4ms"
memory_base = 512
memory_per_rps = 0.5`, 80, 100 * 612.0 / 2048, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, loadScenario(2, tc.load), 1)
			s := serviceResult(t, r, "web")
			if s.CPUUtilization == nil || s.MemoryUtilization == nil || s.UnservedDemandFraction == nil {
				t.Fatalf("missing statistics: %+v", s)
			}
			// Datapoints are float32: compare to 1e-6 relative.
			wantClose(t, "cpu_utilization mean", s.CPUUtilization.Mean, tc.cpu, 1e-6)
			wantClose(t, "cpu_utilization p50", s.CPUUtilization.P50, tc.cpu, 1e-6)
			wantClose(t, "cpu_utilization max", s.CPUUtilization.Max, tc.cpu, 1e-6)
			wantClose(t, "memory_utilization mean", s.MemoryUtilization.Mean, tc.mem, 1e-6)
			wantClose(t, "unserved_demand_fraction", *s.UnservedDemandFraction, tc.unserved, 1e-9)
			wantClose(t, "overloaded_minutes", *s.OverloadedMinutes, tc.overloadedMinutes, 1e-9)
			if s.Tasks.OOMKilled != 0 {
				t.Errorf("oom_killed = %d, want 0", s.Tasks.OOMKilled)
			}
		})
	}
}

// TestOOMKill: a task whose memory use exceeds its memory is stopped
// (OutOfMemory) and replaced after a 10 s back-off; memory is checked per
// datapoint (SCENARIO.md "Demand"). memory_base 3000 MiB > 2048 MiB task
// memory, so a task is killed at the first datapoint close (every 60 s)
// after it turns healthy. Timeline of each of the 2 tasks: RUNNING at 30 s,
// healthy at 70 s, killed at 120 s; back-off to 130 s, PENDING → RUNNING
// at 160 s, healthy 200 s, killed at 240 s; so kills at every 120k s and
// starts at 10 + 120k s.
//   - kills in [600 s, 7200 s]: k = 5..60, 56 × 2 = 112 (the datapoint
//     closing at the 7200 s horizon checks memory too; 110 if it does not);
//   - starts in [600 s, 7200 s): 610, 730, ..., 7090: 55 × 2 = 110;
//   - running: 80 s of every 120 s → mean 2 × 80/120 = 4/3; minute
//     datapoints alternate 2 × 20/60 = 2/3 and 2.
func TestOOMKill(t *testing.T) {
	r := runScenario(t, loadScenario(2, `cpu = { pattern = "constant", value = 0.5 }
memory_base = 3000`), 1)
	s := serviceResult(t, r, "web")
	tc := s.Tasks
	if tc.OOMKilled != 112 && tc.OOMKilled != 110 {
		t.Errorf("oom_killed = %d, want 112 (or 110 without the horizon check)", tc.OOMKilled)
	}
	if tc.Stopped != tc.OOMKilled || tc.Failed != 0 {
		t.Errorf("tasks = %+v: every stop must be an OOM kill", tc)
	}
	if tc.Started != 110 {
		t.Errorf("tasks.started = %d, want 110 (replacements after a 10 s back-off)", tc.Started)
	}
	wantClose(t, "running_count mean", s.RunningCount.Mean, 4.0/3, 1e-6)
	wantClose(t, "running_count min", s.RunningCount.Min, 2.0/3, 1e-6)
	wantClose(t, "running_count max", s.RunningCount.Max, 2, 1e-6)
}
