package sim

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestLaunchTypeEC2KeepsArchitecture: a launch_type = "EC2" task may use
// any instance of the cluster that can run it; an X86_64 image cannot run
// on a Graviton (arm64) instance ([task-placement]: the
// ecs.cpu-architecture attribute). With one arm64 and one x86_64 group,
// all 6 tasks (4 fit per m6i.xlarge: 4096 CPU / 1024) run on the x86
// group.
func TestLaunchTypeEC2KeepsArchitecture(t *testing.T) {
	r := runScenario(t, `
name = "arch"
duration = "1h"
warmup = "10m"
[[capacity_providers]]
name = "arm"
instance_types = ["m6g.xlarge"]
min_size = 2
max_size = 2
desired_capacity = 2
[[capacity_providers]]
name = "x86"
instance_types = ["m6i.xlarge"]
min_size = 2
max_size = 2
desired_capacity = 2
[[task_definitions]]
family = "app"
cpu = 1024
memory = 1024
network_mode = "bridge"
[[services]]
name = "app"
task_definition = "app"
desired_count = 6
launch_type = "EC2"
`, 1)
	s := serviceResult(t, r, "app")
	if got := s.RunningByCapacityProvider["x86"]; got != 6 {
		t.Errorf("running on x86 = %g, want 6 (all tasks)", got)
	}
	if got, ok := s.RunningByCapacityProvider["arm"]; ok {
		t.Errorf("running on arm = %g, want none", got)
	}
}

// TestJobStrategyFollowsWeights: a stream of one-task RunTask calls with
// FARGATE weight 1 and FARGATE_SPOT weight 3 splits its tasks 1:3 (ECS-
// SEMANTICS.md §3, "the relative percentage of the total number of tasks
// launched"). Every task lasts 10 minutes, so task hours split as tasks
// do; the largest-remainder rule keeps the launched split within one task
// of 1:3, and about 2,900 tasks run (6/h × 479 h), so FARGATE's share of
// task hours is 1/4 within 1/2900 plus the few tasks cut by warmup and
// horizon: 0.25 ± 0.005.
func TestJobStrategyFollowsWeights(t *testing.T) {
	r := runScenario(t, `
name = "jobsplit"
duration = "20d"
warmup = "1h"
[[task_definitions]]
family = "etl"
cpu = 1024
memory = 2048
[[jobs]]
name = "etl"
task_definition = "etl"
arrivals = { process = "poisson", rate_per_hour = 6 }
duration = "10m"
capacity_provider_strategy = [
  { capacity_provider = "FARGATE",      weight = 1 },
  { capacity_provider = "FARGATE_SPOT", weight = 3 },
]
`, 1)
	on, spot := r.CapacityProviders["FARGATE"], r.CapacityProviders["FARGATE_SPOT"]
	if on == nil || spot == nil || on.TaskHours == nil || spot.TaskHours == nil {
		t.Fatalf("both Fargate providers must report task hours: %+v %+v", on, spot)
	}
	share := *on.TaskHours / (*on.TaskHours + *spot.TaskHours)
	if share < 0.245 || share > 0.255 {
		t.Errorf("FARGATE share of task hours = %.3f, want about 0.25", share)
	}
}

// TestScaleInDuringOOMBackoff: an OOM-killed task is replaced after a 10 s
// back-off (SCENARIO.md "Demand"); when the desired count drops during the
// back-off, the owed replacement is given up first and the running task is
// kept. The test drives the world directly: run to 30 s, kill one of two
// tasks, scale in to 1, and check that the back-off's end starts nothing.
func TestScaleInDuringOOMBackoff(t *testing.T) {
	sc := parseScenario(t, `
name = "backoff"
duration = "10m"
[[task_definitions]]
family = "app"
cpu = 256
memory = 512
startup_time = "0s"
healthy_after = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = 2
launch_type = "FARGATE"
`)
	w, err := newWorld(sc, Options{CheckInvariants: true})
	if err != nil {
		t.Fatal(err)
	}
	w.meter.init(w)
	w.start()
	s := w.services[0]
	// Run to 30 s: both tasks RUNNING and healthy.
	for w.q.Len() > 0 && w.q.PeekTime() <= 30*Second {
		e := w.q.Pop()
		w.now = e.At
		w.dispatch(e)
	}
	if s.load.healthy != 2 {
		t.Fatalf("healthy = %d, want 2", s.load.healthy)
	}
	// OOM-kill one task: one replacement is owed for 10 s.
	s.oomKill(w, s.active[0])
	if s.backoff != 1 || len(s.active) != 1 {
		t.Fatalf("after the kill: backoff %d active %d, want 1 and 1", s.backoff, len(s.active))
	}
	// Scale in to 1 during the back-off: the owed replacement goes, the
	// running task stays.
	s.setDesired(w, 1, "test")
	if s.backoff != 0 || len(s.active) != 1 || w.tasks[s.active[0]].state != tsRunning {
		t.Fatalf("after scale-in: backoff %d active %d, want 0 and 1 running", s.backoff, len(s.active))
	}
	// The back-off end must not start a task.
	for w.q.Len() > 0 && w.q.PeekTime() <= w.horizon {
		e := w.q.Pop()
		w.now = e.At
		w.dispatch(e)
		if err := w.checkInvariants(); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.active) != 1 || s.backoff != 0 || s.backoffCancelled != 0 {
		t.Errorf("at the end: active %d backoff %d cancelled %d, want 1, 0, 0", len(s.active), s.backoff, s.backoffCancelled)
	}
}

// TestSpotAdvisorFileSetsSpotPrice: pricing.spot_advisor names the Spot
// Instance Advisor JSON that prices EC2 Spot (ECS-SEMANTICS.md §7: Spot =
// on-demand × (1 − savings/100)). With m6i.xlarge at 10 % savings one
// instance for 1 h costs 0.192 × 0.9 = 0.1728 USD.
func TestSpotAdvisorFileSetsSpotPrice(t *testing.T) {
	dir := t.TempDir()
	adv := `{"ranges": [{"index": 0, "label": "<5%"}],
  "spot_advisor": {"us-east-1": {"Linux": {"m6i.xlarge": {"s": 10, "r": 0}}}}}`
	if err := os.WriteFile(filepath.Join(dir, "advisor.json"), []byte(adv), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `
name = "spotprice"
duration = "1h"
[pricing]
spot_advisor = "advisor.json"
[[capacity_providers]]
name = "s"
instance_types = ["m6i.xlarge"]
market = "spot"
min_size = 1
max_size = 1
desired_capacity = 1
`
	path := filepath.Join(dir, "scenario.toml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r := runParsed(t, sc, 1, true)
	wantClose(t, "total_usd", r.Cost.TotalUSD, 0.192*0.9, 1e-9)
}
