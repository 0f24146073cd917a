package sim

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// Tests of the fault events (SCENARIO.md [[events]]: az_outage,
// instance_failure) and of determinism with every Spot and fault event
// at once.

// faultWorld builds a world for a test that inspects it between events:
// it does what Run does before its loop.
func faultWorld(t *testing.T, sc *scenarios.Scenario) *world {
	t.Helper()
	w, err := newWorld(sc, Options{CheckInvariants: true})
	if err != nil {
		t.Fatal(err)
	}
	w.meter.init(w)
	w.start()
	w.started = true
	return w
}

// stepTo runs every event at or before at, checking invariants.
func stepTo(t *testing.T, w *world, at Time) {
	t.Helper()
	for w.q.Len() > 0 && w.q.PeekTime() <= at && w.q.PeekTime() <= w.horizon {
		e := w.q.Pop()
		w.now = e.At
		w.events++
		w.dispatch(e)
		if err := w.checkInvariants(); err != nil {
			t.Fatalf("invariant broken at %d ms: %v", w.now, err)
		}
	}
}

// finishWorld runs to the horizon and returns the result, as Run does.
func finishWorld(t *testing.T, w *world) *Result {
	t.Helper()
	stepTo(t, w, w.horizon)
	w.now = w.horizon
	w.finish()
	return w.result()
}

// serviceTasksByAZ counts a service's PENDING and RUNNING tasks per AZ
// (in cluster AZ order), from the task table itself.
func serviceTasksByAZ(w *world, service string) []int {
	counts := make([]int, len(w.azs))
	for i := range w.tasks {
		t := &w.tasks[i]
		if t.isJob || (t.state != tsPending && t.state != tsRunning) || w.services[t.owner].name != service {
			continue
		}
		counts[t.az]++
	}
	return counts
}

// outageFargateScenario is a Fargate service "web" of 6 tasks over the
// region's first three AZs (startup, healthy_after, stop_timeout 0 s),
// us-east-1a down on [10m, 30m), a scale to 9 at 20m, and the given
// availability_zone_rebalancing.
func outageFargateScenario(rebalancing string) string {
	return fmt.Sprintf(`
name = "az-outage-fargate"
duration = "1h"
region = "us-east-1"
[cluster]
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
startup_time = "0s"
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "web"
task_definition = "web"
desired_count = 6
launch_type = "FARGATE"
availability_zone_rebalancing = %q
[[events]]
at = "10m"
type = "az_outage"
zone = "us-east-1a"
duration = "20m"
[[events]]
at = "20m"
type = "scale"
service = "web"
desired_count = 9
`, rebalancing)
}

// TestAZOutageFargateRebalancing: an az_outage stops the Fargate tasks in
// the zone and the service replaces them in the other zones; nothing is
// placed in the zone while it is down; when it returns, a service with
// availability_zone_rebalancing ENABLED (the default) moves tasks until
// its AZs differ by at most one task, and with DISABLED nothing moves
// (SCENARIO.md [[events]]; ECS developer guide "Balancing an Amazon ECS
// service across Availability Zones"; faults.go model assumption: a new
// task starts in the emptiest AZ before one in the fullest stops).
//
// Fargate spreads a service's tasks over AZs, the emptiest first (ties to
// the first listed):
//   - before (5m): 6 tasks 2/2/2;
//   - at 10m the 2 tasks in 1a stop (stopped 2) and their replacements go
//     to the emptiest AZs up: 1b (2 vs 2), then 1c: 0/3/3 (started 8);
//   - at 20m the scale to 9 adds 3: 1b, 1c, 1b: 0/5/4 (started 11);
//   - at 30m, ENABLED: move from the fullest (first on ties) to the
//     emptiest while they differ by more than one: 1b→1a (1/4/4),
//     1b→1a (2/3/4), 1c→1a (3/3/3): 3 moves, started 14, stopped 5.
//     DISABLED: 0/5/4 stays; started 11, stopped 2.
func TestAZOutageFargateRebalancing(t *testing.T) {
	for _, tc := range []struct {
		rebalancing      string
		after            []int
		started, stopped int64
	}{
		{"ENABLED", []int{3, 3, 3}, 14, 5},
		{"DISABLED", []int{0, 5, 4}, 11, 2},
	} {
		t.Run(tc.rebalancing, func(t *testing.T) {
			w := faultWorld(t, parseScenario(t, outageFargateScenario(tc.rebalancing)))
			for _, c := range []struct {
				at   Time
				want []int
				when string
			}{
				{5 * Minute, []int{2, 2, 2}, "before the outage"},
				{15 * Minute, []int{0, 3, 3}, "during the outage"},
				{25 * Minute, []int{0, 5, 4}, "after scaling to 9 during the outage"},
				{35 * Minute, tc.after, "after the outage"},
			} {
				stepTo(t, w, c.at)
				if got := serviceTasksByAZ(w, "web"); !slices.Equal(got, c.want) {
					t.Errorf("%s (%d s): tasks per AZ %v, want %v", c.when, c.at/Second, got, c.want)
				}
			}
			r := finishWorld(t, w)
			s := serviceResult(t, r, "web")
			if s.Tasks.Started != tc.started || s.Tasks.Stopped != tc.stopped || s.Tasks.Interrupted != 0 {
				t.Errorf("tasks %+v, want started %d, stopped %d, interrupted 0", s.Tasks, tc.started, tc.stopped)
			}
			if s.PendingAtEnd != 0 {
				t.Errorf("pending_at_end %d, want 0", s.PendingAtEnd)
			}
			if s.RunningCount == nil || s.RunningCount.Min < 6 {
				t.Errorf("running_count %+v, want min ≥ 6 (replacements start at once)", s.RunningCount)
			}
		})
	}
}

// TestAZOutageEC2Group: an az_outage terminates the group's instances in
// the zone with their tasks; the group relaunches in the zones up and the
// services replace the tasks there; a Fargate job's task in the zone is
// killed and retried elsewhere (SCENARIO.md [[events]]; EC2 Auto Scaling
// replaces lost instances in the remaining AZs). EC2 Auto Scaling's own
// AZ rebalancing after the outage is not modelled (faults.go model
// assumption), so nothing moves back.
//
// Group of 3 m5.large (launch_time 0 s), launched round-robin over
// 1a/1b/1c; service "app" of 6 tasks of 512 CPU spread over AZs then
// instances: 2 per instance. Job "etl" (launch_type FARGATE) submits 3
// tasks of 30 min at 5m (rate(1 hour) would be too late, so cron at
// minute 5), spread 1/1/1. us-east-1a down on [10m, 30m):
//   - the 1a instance terminates at 10m: terminations 1; its 2 tasks stop
//     (stopped 2) and are replaced (started 8); the group launches one
//     instance in the emptiest AZ up, 1b: launches 4; instances 3
//     throughout; instance_hours 3 × 1 h = 3 h (the lost instance's 10
//     minutes and its replacement's 50);
//   - the job's 1a task is killed at 10m after running 5 minutes:
//     interrupted 1, retried 1, wasted_task_seconds 300; its retry
//     completes at 40m: completed 3;
//   - during and after the outage nothing is in 1a (no instance, no task).
func TestAZOutageEC2Group(t *testing.T) {
	sc := parseScenario(t, `
name = "az-outage-ec2"
duration = "1h"
region = "us-east-1"
[cluster]
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m5.large"]
min_size = 0
max_size = 10
desired_capacity = 3
launch_time = "0s"
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "bridge"
startup_time = "0s"
healthy_after = "0s"
stop_timeout = "0s"
[[task_definitions]]
family = "etl"
cpu = 256
memory = 512
startup_time = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = 6
[[jobs]]
name = "etl"
task_definition = "etl"
schedule = "cron(5 0 * * ? *)"
count = 3
duration = "30m"
launch_type = "FARGATE"
[[events]]
at = "10m"
type = "az_outage"
zone = "us-east-1a"
duration = "20m"
`)
	w := faultWorld(t, sc)
	nothingIn1a := func(when string) {
		t.Helper()
		for _, ii := range w.providers[w.providerIndex("g")].instances {
			if in := w.instances[ii]; in.az == 0 {
				t.Errorf("%s: instance %s in us-east-1a", when, in.ec2ID)
			}
		}
		for i := range w.tasks {
			if tk := &w.tasks[i]; (tk.state == tsPending || tk.state == tsRunning) && tk.az == 0 {
				t.Errorf("%s: a task in us-east-1a (job %t)", when, tk.isJob)
			}
		}
	}
	stepTo(t, w, 6*Minute)
	if got := serviceTasksByAZ(w, "app"); !slices.Equal(got, []int{2, 2, 2}) {
		t.Errorf("before the outage: app tasks per AZ %v, want [2 2 2]", got)
	}
	stepTo(t, w, 15*Minute)
	nothingIn1a("during the outage")
	if got := serviceTasksByAZ(w, "app"); got[1]+got[2] != 6 {
		t.Errorf("during the outage: app tasks per AZ %v, want 6 in 1b and 1c", got)
	}
	stepTo(t, w, 45*Minute)
	nothingIn1a("after the outage")
	r := finishWorld(t, w)
	p := r.CapacityProviders["g"]
	if *p.Launches != 4 || *p.Terminations != 1 {
		t.Errorf("launches %d terminations %d, want 4 and 1", *p.Launches, *p.Terminations)
	}
	wantClose(t, "instance_hours", *p.InstanceHours, 3, 1e-9)
	checkSeries(t, r, "capacity_provider/g/instances", func(int) float64 { return 3 })
	s := serviceResult(t, r, "app")
	if s.Tasks.Started != 8 || s.Tasks.Stopped != 2 || s.Tasks.Interrupted != 0 || s.PendingAtEnd != 0 {
		t.Errorf("tasks %+v pending_at_end %d, want started 8, stopped 2, interrupted 0, pending 0", s.Tasks, s.PendingAtEnd)
	}
	checkSeries(t, r, "service/app/running_count", func(int) float64 { return 6 })
	j := jobResult(t, r, "etl")
	if j.Submitted != 3 || j.Completed != 3 || j.Interrupted != 1 || j.Retried != 1 || j.Dropped != 0 {
		t.Errorf("job %+v, want submitted 3, completed 3, interrupted 1, retried 1, dropped 0", *j)
	}
	wantClose(t, "wasted_task_seconds", j.WastedTaskSeconds, 300, 1e-12)
}

// TestInstanceFailureReplaced: an instance_failure event fails `count`
// instances of the group at once; their tasks stop without draining and
// are replaced, and the group launches replacements (SCENARIO.md
// [[events]]; a group "stays at desired_capacity, replacing instances that
// fail or are interrupted").
//
// 4 m5.large (2048 CPU each, one AZ, launch_time 60 s), 8 tasks of 512
// CPU spread over instances: 2 each. 2 instances fail at 10m:
//   - terminations 2, launches 4 + 2; interruptions 0 (not Spot);
//   - tasks: 4 stop (stopped 4) and are replaced at once on the 2
//     instances left (2 + 2 free slots each; startup 0 s), started 12,
//     interrupted 0; running_count 8 in every minute;
//   - instances datapoints: 4 (the replacements count from their launch,
//     as they are live while launching); instance_hours = 4 × 1 h.
func TestInstanceFailureReplaced(t *testing.T) {
	r := runScenario(t, `
name = "instance-failure"
duration = "1h"
region = "us-east-1"
[cluster]
availability_zones = ["us-east-1a"]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m5.large"]
min_size = 0
max_size = 10
desired_capacity = 4
launch_time = "60s"
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "bridge"
startup_time = "0s"
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = 8
[[events]]
at = "10m"
type = "instance_failure"
capacity_provider = "g"
count = 2
`, 1)
	p := r.CapacityProviders["g"]
	if *p.Launches != 6 || *p.Terminations != 2 || p.Interruptions != 0 {
		t.Errorf("launches %d terminations %d interruptions %d, want 6, 2, 0", *p.Launches, *p.Terminations, p.Interruptions)
	}
	wantClose(t, "instance_hours", *p.InstanceHours, 4, 1e-9)
	checkSeries(t, r, "capacity_provider/g/instances", func(int) float64 { return 4 })
	s := serviceResult(t, r, "app")
	if s.Tasks.Started != 12 || s.Tasks.Stopped != 4 || s.Tasks.Interrupted != 0 || s.PendingAtEnd != 0 {
		t.Errorf("tasks %+v pending_at_end %d, want started 12, stopped 4, interrupted 0, pending 0", s.Tasks, s.PendingAtEnd)
	}
	checkSeries(t, r, "service/app/running_count", func(k int) float64 {
		if k == 0 {
			return 0 // the instances register at 60 s
		}
		return 8
	})
}

// spotFaultsScenario uses every Spot and fault mechanism at once: Fargate
// Spot interruptions, a shortage window and a shortage event, Spot group
// interruptions by bucket with spot_draining, a storm on each, an AZ
// outage, an instance failure, a job retrying on Fargate Spot and a job
// on the Spot group.
const spotFaultsScenario = `
name = "spot-faults"
duration = "1d"
region = "us-east-1"
[fargate_spot]
interruptions_per_task_hour = 0.2
capacity_shortages = [ { at = "3h", duration = "20m" } ]
[[capacity_providers]]
name = "spot"
instance_types = ["m5.large"]
market = "spot"
min_size = 0
max_size = 20
desired_capacity = 6
spot_draining = true
  [capacity_providers.interruptions]
  frequency = ">20%"
[[capacity_providers]]
name = "od"
instance_types = ["m5.large"]
min_size = 0
max_size = 10
desired_capacity = 3
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "bridge"
[[services]]
name = "web"
task_definition = "web"
desired_count = 8
capacity_provider_strategy = [ { capacity_provider = "FARGATE_SPOT", weight = 3 }, { capacity_provider = "FARGATE", weight = 1 } ]
[[services]]
name = "app"
task_definition = "app"
desired_count = 10
capacity_provider_strategy = [ { capacity_provider = "spot", weight = 1 } ]
[[services]]
name = "api"
task_definition = "app"
desired_count = 4
capacity_provider_strategy = [ { capacity_provider = "od", weight = 1 } ]
[[jobs]]
name = "batch"
task_definition = "web"
arrivals = { process = "poisson", rate_per_hour = 20 }
duration = { dist = "exponential", mean = "20m" }
capacity_provider_strategy = [ { capacity_provider = "FARGATE_SPOT", weight = 1 } ]
max_retries = 2
[[jobs]]
name = "crunch"
task_definition = "app"
arrivals = { process = "poisson", rate_per_hour = 6 }
duration = { dist = "exponential", mean = "30m" }
capacity_provider_strategy = [ { capacity_provider = "spot", weight = 1 } ]
on_interruption = "drop"
[[events]]
at = "2h"
type = "spot_interruptions"
capacity_provider = "FARGATE_SPOT"
fraction = 0.5
[[events]]
at = "4h"
type = "spot_interruptions"
capacity_provider = "spot"
fraction = 0.5
[[events]]
at = "5h"
type = "spot_capacity_shortage"
capacity_provider = "spot"
duration = "30m"
[[events]]
at = "5h10m"
type = "spot_capacity_shortage"
capacity_provider = "FARGATE_SPOT"
duration = "15m"
[[events]]
at = "8h"
type = "az_outage"
zone = "us-east-1b"
duration = "1h"
[[events]]
at = "12h"
type = "instance_failure"
capacity_provider = "od"
count = 1
`

// TestSpotFaultsDeterministic: SCENARIO.md "results.json": everything
// outside run_info is a pure function of the scenario and seed. Two runs
// of a scenario using every Spot and fault mechanism give byte-identical
// results; a different seed changes them (the interruptions, arrivals and
// durations are random). The run must also have exercised the
// mechanisms: interruptions on both Spot providers, a job retry, and the
// cost identity of SCENARIO.md "Billing and cost" holds.
func TestSpotFaultsDeterministic(t *testing.T) {
	a := runScenario(t, spotFaultsScenario, 42)
	b := runScenario(t, spotFaultsScenario, 42)
	ja, jb := resultJSON(t, a), resultJSON(t, b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("same scenario and seed gave different results.json:\n%s", firstDiff(ja, jb))
	}
	c := runScenario(t, spotFaultsScenario, 43)
	cc := *c
	cc.Scenario.Seed = 42
	if bytes.Equal(ja, resultJSON(t, &cc)) {
		t.Error("seeds 42 and 43 gave identical results")
	}
	checkCostIdentity(t, a)
	t.Logf("seed 42: %d bytes; FARGATE_SPOT interruptions %d, spot interruptions %d, batch %+v, crunch %+v",
		len(ja), a.CapacityProviders["FARGATE_SPOT"].Interruptions, a.CapacityProviders["spot"].Interruptions, *a.Jobs["batch"], *a.Jobs["crunch"])
	if p := a.CapacityProviders["FARGATE_SPOT"]; p == nil || p.Interruptions < 2 {
		t.Errorf("FARGATE_SPOT %+v, want interruptions (at least the storm's)", p)
	}
	if p := a.CapacityProviders["spot"]; p == nil || p.Interruptions < 3 {
		t.Errorf("spot %+v, want interruptions (at least the storm's 3)", p)
	}
	if j := jobResult(t, a, "batch"); j.Retried == 0 || j.FailedToPlace == 0 {
		t.Errorf("batch %+v, want retries and failures to place (a shortage)", *j)
	}
	for name, j := range a.Jobs { // the accounting identities of TestSpotJobRetryAccounting
		if j.Submitted != j.Completed+j.Dropped+j.FailedToPlace+j.InProgressAtEnd || j.Interrupted != j.Retried+j.Dropped {
			t.Errorf("job %s %+v: want submitted = completed + dropped + failed_to_place + in_progress_at_end and interrupted = retried + dropped", name, *j)
		}
	}
	if p := a.CapacityProviders["od"]; p == nil || *p.Terminations < 1 {
		t.Errorf("od %+v, want the failed instance's termination", p)
	}
}
