package sim

import (
	"testing"
)

// Waiting tests: SCENARIO.md "Queueing and waiting": tasks that cannot be
// placed wait per capacity provider in one first-come-first-served queue
// shared by services and jobs, retried at every capacity change in queue
// order; a task that does not fit does not block smaller ones behind it.
// placement_wait_seconds runs from when the service scheduler wants the
// task to the start of PENDING; a job's wait_seconds from submission to
// the start of PENDING. ECS: [cluster-capacity-providers] (PROVISIONING).

// TestServiceWaitsForCapacity: one m6i.xlarge (4096 CPU units) registers
// after launch_time 90 s; the service wants 3 tasks of 2048 at t = 0. Two
// are placed at 90 s (placement_wait_seconds 90 each), the third never
// fits and is counted in pending_at_end, not in the wait statistics.
func TestServiceWaitsForCapacity(t *testing.T) {
	r := runScenario(t, `
name = "fill"
duration = "1h"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "general", weight = 1 } ]
[[capacity_providers]]
name = "general"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 1
max_size = 1
desired_capacity = 1
launch_time = "90s"
[[task_definitions]]
family = "web"
cpu = 2048
memory = 1024
network_mode = "bridge"
[[services]]
name = "web"
task_definition = "web"
desired_count = 3
`, 1)
	s := serviceResult(t, r, "web")
	w := s.PlacementWaitSeconds
	if w == nil {
		t.Fatal("placement_wait_seconds is null")
	}
	if w.Mean != 90 || w.P50 != 90 || w.Max != 90 {
		t.Errorf("placement_wait_seconds = %+v, want 90 s for both placed tasks", *w)
	}
	if s.Tasks.Started != 2 || s.PendingAtEnd != 1 {
		t.Errorf("started %d, pending_at_end %d; want 2 and 1", s.Tasks.Started, s.PendingAtEnd)
	}
	if s.RunningCount.Max != 2 {
		t.Errorf("running_count max = %g, want 2", s.RunningCount.Max)
	}
}

// TestQueueFCFSAcrossJobsAndServices: one m6i.xlarge (4096 CPU units,
// launch_time 0 s, startup 0 s everywhere). Cron jobs (count 1):
//   - A 4096 CPU at 01:00 for 1 h: placed at once, holds the instance to 02:00;
//   - B 4096 CPU at 01:30 for 1 h: waits 1800 s, runs 02:00-03:00;
//   - C 1024 CPU at 01:40 for 10 min: at 02:00 B is ahead of it in the queue
//     and takes the whole instance, so C waits until 03:00: 4800 s;
//   - service "web" (1024 CPU) scaled from 0 to 1 at 01:45 joins the same
//     queue behind C and is placed at 03:00 with it: 4500 s.
//
// If the queue were not FCFS (or not shared), C or web would take the
// freed capacity at 02:00 and B would wait longer.
func TestQueueFCFSAcrossJobsAndServices(t *testing.T) {
	r := runScenario(t, `
name = "fcfs"
duration = "4h"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "general", weight = 1 } ]
[[capacity_providers]]
name = "general"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 1
max_size = 1
desired_capacity = 1
launch_time = "0s"
[[task_definitions]]
family = "whole"
cpu = 4096
memory = 1024
network_mode = "bridge"
startup_time = "0s"
[[task_definitions]]
family = "quarter"
cpu = 1024
memory = 1024
network_mode = "bridge"
startup_time = "0s"
[[services]]
name = "web"
task_definition = "quarter"
desired_count = 0
[[jobs]]
name = "A"
task_definition = "whole"
schedule = "cron(0 1 * * ? *)"
duration = "1h"
[[jobs]]
name = "B"
task_definition = "whole"
schedule = "cron(30 1 * * ? *)"
duration = "1h"
[[jobs]]
name = "C"
task_definition = "quarter"
schedule = "cron(40 1 * * ? *)"
duration = "10m"
[[events]]
at = "1h45m"
type = "scale"
service = "web"
desired_count = 1
`, 1)
	for _, tc := range []struct {
		job  string
		wait float64
	}{{"A", 0}, {"B", 1800}, {"C", 4800}} {
		j := jobResult(t, r, tc.job)
		if j.Submitted != 1 || j.Completed != 1 || j.WaitSeconds == nil {
			t.Errorf("job %s: submitted %d completed %d wait %v; want 1, 1 and a wait", tc.job, j.Submitted, j.Completed, j.WaitSeconds)
			continue
		}
		if j.WaitSeconds.Max != tc.wait || j.WaitSeconds.Mean != tc.wait {
			t.Errorf("job %s: wait_seconds = %+v, want %g", tc.job, *j.WaitSeconds, tc.wait)
		}
	}
	s := serviceResult(t, r, "web")
	if s.PlacementWaitSeconds == nil || s.PlacementWaitSeconds.Max != 4500 {
		t.Errorf("web placement_wait_seconds = %+v, want 4500", s.PlacementWaitSeconds)
	}
	if s.PendingAtEnd != 0 {
		t.Errorf("web pending_at_end = %d, want 0", s.PendingAtEnd)
	}
}

// TestNoHeadOfLineBlocking: a job task that does not fit does not block
// smaller ones behind it. One m6i.xlarge (4096 CPU) of which a service
// holds 2048. "big" (4096 CPU, rate(1 hour): 1 h, 2 h, 3 h) never fits and
// stays queued; "small" (1024 CPU, at minute 30 of every hour: 4 runs of
// 10 min) is behind it in the queue from 1 h 30 on and must never wait.
func TestNoHeadOfLineBlocking(t *testing.T) {
	r := runScenario(t, `
name = "hol"
duration = "4h"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "general", weight = 1 } ]
[[capacity_providers]]
name = "general"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 1
max_size = 1
desired_capacity = 1
launch_time = "0s"
[[task_definitions]]
family = "whole"
cpu = 4096
memory = 1024
network_mode = "bridge"
startup_time = "0s"
[[task_definitions]]
family = "half"
cpu = 2048
memory = 1024
network_mode = "bridge"
[[task_definitions]]
family = "quarter"
cpu = 1024
memory = 1024
network_mode = "bridge"
startup_time = "0s"
[[services]]
name = "hold"
task_definition = "half"
desired_count = 1
[[jobs]]
name = "big"
task_definition = "whole"
schedule = "rate(1 hour)"
duration = "10m"
[[jobs]]
name = "small"
task_definition = "quarter"
schedule = "cron(30 * * * ? *)"
duration = "10m"
`, 1)
	big := jobResult(t, r, "big")
	if big.Submitted != 3 || big.Completed != 0 || big.InProgressAtEnd != 3 || big.WaitSeconds != nil {
		t.Errorf("big = %+v: want 3 submitted, none placed (wait_seconds null), 3 in progress at end", *big)
	}
	small := jobResult(t, r, "small")
	if small.Submitted != 4 || small.Completed != 4 {
		t.Errorf("small: submitted %d completed %d, want 4 and 4", small.Submitted, small.Completed)
	}
	if small.WaitSeconds == nil || small.WaitSeconds.Max != 0 {
		t.Errorf("small wait_seconds = %+v, want all 0 (not blocked by big)", small.WaitSeconds)
	}
}

// TestProviderQueuesAreIndependent: each capacity provider has its own
// queue (SCENARIO.md "Queueing and waiting": "wait per capacity
// provider"), so a task that does not fit provider a must not stop the
// same service's tasks queued for provider b from placing. Strategy a:1,
// b:1 with 6 tasks of 2048 CPU gives 3 tasks to each provider
// (ECS-SEMANTICS.md §3); a has one m6i.xlarge (2 slots), b has two (4
// slots). So a runs 2 and keeps 1 waiting, b runs 3: running 5,
// pending_at_end 1. Tasks are wanted at 0 and run from 90 s (launch) + 30 s
// (startup); statistics start at the 10 min warmup.
func TestProviderQueuesAreIndependent(t *testing.T) {
	r := runScenario(t, `
name = "two-providers"
duration = "1h"
warmup = "10m"
[cluster]
default_capacity_provider_strategy = [
  { capacity_provider = "a", weight = 1 },
  { capacity_provider = "b", weight = 1 },
]
[[capacity_providers]]
name = "a"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 1
max_size = 1
desired_capacity = 1
[[capacity_providers]]
name = "b"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 2
max_size = 2
desired_capacity = 2
[[task_definitions]]
family = "web"
cpu = 2048
memory = 1024
network_mode = "bridge"
[[services]]
name = "web"
task_definition = "web"
desired_count = 6
`, 1)
	s := serviceResult(t, r, "web")
	if s.PendingAtEnd != 1 {
		t.Errorf("pending_at_end = %d, want 1", s.PendingAtEnd)
	}
	wantClose(t, "running_by_capacity_provider[a]", s.RunningByCapacityProvider["a"], 2, 1e-9)
	wantClose(t, "running_by_capacity_provider[b]", s.RunningByCapacityProvider["b"], 3, 1e-9)
	wantClose(t, "running_count mean", s.RunningCount.Mean, 5, 1e-9)
}
