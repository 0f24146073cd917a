package sim

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// stepGroupScenario is one Auto Scaling group "g" of m6i.xlarge (4096 CPU
// units registered) whose instances register at once, scaled by the
// threshold scaler on CPUReservation (SCENARIO.md [[capacity_providers.
// step_scaling]] shorthand), and one service "app" of 1024-CPU tasks with
// the default EC2 placement (spread over AZs, then instances).
func stepGroupScenario(desired, tasks int) string {
	return fmt.Sprintf(`
name = "stepgroup"
duration = "1h"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
min_size = 1
max_size = 10
desired_capacity = %d
launch_time = "0s"
  [[capacity_providers.step_scaling]]
  metric = "CPUReservation"
  scale_out = { threshold = 70, adjustment = 2 }
  scale_in  = { threshold = 30, adjustment = -1 }
  evaluation_periods = 3
[[task_definitions]]
family = "app"
cpu = 1024
memory = 2048
network_mode = "bridge"
startup_time = { dist = "constant", value = "0s" }
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = %d
`, desired, tasks)
}

// TestStepGroupScalingOnCPUReservation pins the threshold scaler of a group
// (SCENARIO.md "Step scaling" shorthand: scale_out = metric >= threshold,
// add adjustment; scale_in = metric <= threshold; ECS-SEMANTICS.md §5 for
// step scaling and its 300 s default cooldown; Application Auto Scaling
// guide "Step scaling policies"; CloudWatch alarm: evaluation_periods 3
// with datapoints_to_alarm defaulting to 3).
//
//   - 7 tasks on N = 2: CPUReservation = 7 × 1024 / (2 × 4096) = 87.5 %
//     ≥ 70 from the first datapoint [0, 1m). The third, [2m, 3m), closes at
//     180 s: +2 → 4. Then 7168 / 16384 = 43.75 %: between 30 and 70, no
//     more action.
//   - 2 tasks on N = 3: 2048 / 12288 = 16.7 % ≤ 30: at 180 s −1 → 2
//     (the victim's task, if any, moves at once: stop_timeout 0 s). Then
//     2048 / 8192 = 25 % ≤ 30 in every datapoint from [3m, 4m), but the
//     scale-in cooldown runs to 180 + 300 = 480 s; at 480 s the window
//     [5m, 8m) is 3 of 3 at 25 %: −1 → 1 = min_size. Then 50 %.
func TestStepGroupScalingOnCPUReservation(t *testing.T) {
	cases := []struct {
		name        string
		n, tasks    int
		want        []wantActivity
		wantN       float64
		wantReason0 string
		derivation  string
	}{
		{"scale out", 2, 7, []wantActivity{{180, 2, 4}}, 4,
			"alarm_high 3/3 CPUReservation 87.5 >= 70 step +2",
			"87.5 % ≥ 70 for 3 datapoints: +2 at 180 s; then 43.75 %"},
		{"scale in with cooldown", 3, 2, []wantActivity{{180, 3, 2}, {480, 2, 1}}, 1,
			"alarm_low 3/3 CPUReservation 16.67 <= 30 step -1",
			"16.7 % ≤ 30 for 3 datapoints: −1 at 180 s; 25 % but cooldown to 480 s: −1 again"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, stepGroupScenario(tc.n, tc.tasks), 1)
			acts := checkActivities(t, r, "capacity_provider/g", tc.want, tc.derivation)
			if len(acts) > 0 && acts[0].Reason != tc.wantReason0 {
				t.Errorf("first reason %q, want %q", acts[0].Reason, tc.wantReason0)
			}
			if got := lastPoint(t, r, "capacity_provider/g/instances"); got != tc.wantN {
				t.Errorf("final instances %g, want %g", got, tc.wantN)
			}
			if s := serviceResult(t, r, "app"); s.PendingAtEnd != 0 {
				t.Errorf("pending_at_end %d, want 0", s.PendingAtEnd)
			}
		})
	}
}

// mixedScenario is a group "g" of two instance types with an allocation
// strategy; with managed = "" it stays at desired_capacity.
func mixedScenario(alloc string, desired, tasks int, managed string) string {
	return fmt.Sprintf(`
name = "mixed"
duration = "1h"
region = "us-east-1"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m6i.2xlarge", "m6i.xlarge"]
allocation_strategy = %q
min_size = 0
max_size = 10
desired_capacity = %d
launch_time = "0s"
%s
[[task_definitions]]
family = "app"
cpu = 2048
memory = 4096
network_mode = "bridge"
startup_time = { dist = "constant", value = "0s" }
healthy_after = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = %d
placement_strategy = [ { type = "binpack", field = "memory" } ]
`, alloc, desired, managed, tasks)
}

// TestMixedInstanceTypes pins the allocation strategies of a group with
// several instance types (ECS-SEMANTICS.md §7 and §9; SCENARIO.md "Spot":
// lowest_price and prioritized as named). Prices from the builtin catalog
// (`ecssim prices`, us-east-1 on-demand Linux): m6i.xlarge $0.192/h (4
// vCPU), m6i.2xlarge $0.384/h (8 vCPU).
//
//   - lowest_price, 2 instances for 1 h: 2 × m6i.xlarge = $0.384; 2 tasks
//     of 2048 CPU reserve 4096 of 8192 CPU units = 50 %.
//   - prioritized: the first listed, m6i.2xlarge: 2 × 0.384 = $0.768; 4096
//     of 16384 = 25 %.
//   - lowest_price with managed scaling from 0 and 4 tasks: the instances
//     needed are counted on the largest type (m6i.2xlarge holds 4 tasks of
//     2048 CPU): 1; the group launches the cheapest, an m6i.xlarge holding 2,
//     at 60 s. At 120 s, M = 1 busy + 1 needed for the 2 waiting tasks, N = 1:
//     CPR 200, but the 300 s warmup holds until 360 s, when
//     ceil(2·100/100) − 1 = 1 more m6i.xlarge launches. Cost: (3540 s +
//     3240 s) × 0.192 / 3600 = $0.3616.
func TestMixedInstanceTypes(t *testing.T) {
	managed := `  [capacity_providers.managed_scaling]
  status = "ENABLED"
  target_capacity = 100`
	cases := []struct {
		name, alloc string
		desired     int
		tasks       int
		managed     string
		wantCost    float64
		wantCPURes  float64 // p50 CPU reservation, or -1 to skip
		want        []wantActivity
	}{
		{"lowest_price", "lowest_price", 2, 2, "", 2 * 0.192, 50, nil},
		{"prioritized", "prioritized", 2, 2, "", 2 * 0.384, 25, nil},
		{"lowest_price managed", "lowest_price", 0, 4, managed, (3540 + 3240) * 0.192 / 3600, -1,
			[]wantActivity{{60, 0, 1}, {360, 1, 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, mixedScenario(tc.alloc, tc.desired, tc.tasks, tc.managed), 1)
			wantClose(t, "cost of g", r.Cost.ByCapacityProvider["g"], tc.wantCost, 1e-9)
			p := r.CapacityProviders["g"]
			if tc.wantCPURes >= 0 {
				if p.CPUReservation == nil || p.CPUReservation.P50 != tc.wantCPURes {
					t.Errorf("cpu_reservation %+v, want p50 %g", p.CPUReservation, tc.wantCPURes)
				}
			}
			checkActivities(t, r, "capacity_provider/g", tc.want, "needed counted on the largest type, launches of the cheapest")
			if s := serviceResult(t, r, "app"); s.PendingAtEnd != 0 {
				t.Errorf("pending_at_end %d, want 0", s.PendingAtEnd)
			}
		})
	}
}

// allLoopsScenario exercises every scaling loop at once: a Fargate service
// with target tracking, noise and scheduled actions; a service on a managed
// scaling group; a service on a group with the threshold scaler.
const allLoopsScenario = `
name = "all-loops"
duration = "3h"
warmup = "10m"
[[capacity_providers]]
name = "managed"
instance_types = ["m6i.xlarge", "m6i.2xlarge"]
allocation_strategy = "lowest_price"
min_size = 0
max_size = 20
desired_capacity = 0
launch_time = "60s"
managed_termination_protection = true
  [capacity_providers.managed_scaling]
  status = "ENABLED"
  target_capacity = 80
  instance_warmup_period = "120s"
[[capacity_providers]]
name = "stepped"
instance_types = ["m6i.xlarge"]
min_size = 1
max_size = 10
desired_capacity = 1
launch_time = "90s"
  [[capacity_providers.step_scaling]]
  metric = "CPUReservation"
  scale_out = { threshold = 70, adjustment = 2 }
  scale_in  = { threshold = 30, adjustment = -1 }
  evaluation_periods = 3
[[task_definitions]]
family = "web"
cpu = 512
memory = 1024
startup_time = { dist = "lognormal", median = "30s", p95 = "60s" }
[[task_definitions]]
family = "api"
cpu = 1024
memory = 2048
network_mode = "bridge"
[[services]]
name = "web"
task_definition = "web"
desired_count = 3
launch_type = "FARGATE"
  [services.load]
  requests_per_second = { pattern = "steps", steps = [ { at = "0s", value = 200 }, { at = "40m", value = 900 }, { at = "2h", value = 150 } ] }
  cpu_per_request = "4ms"
  noise = 0.1
  [services.autoscaling]
  min_capacity = 2
  max_capacity = 30
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 60
    scale_out_cooldown = "60s"
    [[services.autoscaling.scheduled]]
    schedule = "cron(30 1 * * ? *)"
    min_capacity = 8
[[services]]
name = "api"
task_definition = "api"
desired_count = 2
capacity_provider_strategy = [ { capacity_provider = "managed", weight = 1 } ]
  [services.load]
  cpu = { pattern = "steps", steps = [ { at = "0s", value = 1 }, { at = "1h", value = 5 } ] }
  noise = 0.05
  [services.autoscaling]
  min_capacity = 2
  max_capacity = 20
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 50
[[services]]
name = "worker"
task_definition = "api"
desired_count = 6
capacity_provider_strategy = [ { capacity_provider = "stepped", weight = 1 } ]
[[events]]
at = "2h30m"
type = "scale"
service = "worker"
desired_count = 1
`

// TestScalingDeterministic: every scaling loop together gives a
// byte-identical results.json (outside run_info) and identical timeseries
// for the same seed (STYLE.md / ARCHITECTURE.md: results are a pure
// function of the scenario and seed).
func TestScalingDeterministic(t *testing.T) {
	a := runScenario(t, allLoopsScenario, 7)
	b := runScenario(t, allLoopsScenario, 7)
	ja, jb := resultJSON(t, a), resultJSON(t, b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("results differ for the same seed: %s", firstDiff(ja, jb))
	}
	if len(a.Series.Columns) != len(b.Series.Columns) {
		t.Fatalf("timeseries columns differ")
	}
	for i := range a.Series.Data {
		da, db := a.Series.Data[i], b.Series.Data[i]
		if len(da) != len(db) {
			t.Fatalf("column %s: %d vs %d datapoints", a.Series.Columns[i], len(da), len(db))
		}
		for k := range da {
			if math.Float32bits(da[k]) != math.Float32bits(db[k]) {
				t.Fatalf("column %s datapoint %d: %g vs %g", a.Series.Columns[i], k, da[k], db[k])
			}
		}
	}
	// Every loop acted, so the comparison covers them.
	for _, res := range []string{"service/web", "service/api", "capacity_provider/managed", "capacity_provider/stepped"} {
		if len(activitiesOf(a, res)) == 0 {
			var kinds []string
			for _, x := range a.Activities {
				kinds = append(kinds, x.Resource)
			}
			t.Errorf("no activity on %s (activities on: %s)", res, strings.Join(kinds, ", "))
		}
	}
}

// TestStepGroupScaleInDrainsBusyInstance: the threshold scaler's victims
// are chosen as EC2 Auto Scaling chooses them, busy ones included; with
// managed_draining (the default) a busy victim drains: its service task is
// replaced elsewhere first and stopped once minimum_healthy_percent allows
// (ECS-SEMANTICS.md §4 "managed_draining: tasks replaced elsewhere, then
// stopped"; ECS guide "Container instance draining"). Without managed
// draining the victim terminates at once, killing its task.
//
// Derivation. One AZ, two m6i.xlarge (4096 CPU each) registered at once;
// 2 tasks of 1024 CPU spread on instanceId, one per instance; startup
// 20 s, healthy 40 s after RUNNING, stop_timeout 30 s. CPUReservation =
// 2048/8192 = 25 % <= 30 on the first datapoint: at 60 s the scaler
// removes one instance (both are busy).
//   - draining: the replacement is placed at 60 s on the other instance,
//     RUNNING at 80 s, healthy at 120 s; then 3 healthy tasks − 1 ≥ 2 (100 %
//     of desired 2): the drained task stops (STOPPING 120 s, STOPPED 150 s)
//     and its instance terminates at 150 s. Running tasks never drop below
//     2 after the first minute: running_count over [60 s, 120 s) is
//     (20 × 2 + 40 × 3)/60 = 2.667 (the drained task runs until 120 s) and
//     2 from then on; tasks started 3 (2 at t = 0, warmup 0, and the
//     replacement), stopped 1.
//   - no draining: the victim terminates at 60 s with its task; the
//     replacement runs from 80 s: running_count over [60 s, 120 s) is
//     (20 × 1 + 40 × 2)/60 = 1.667.
//
// Instance hours: the victim lives 150 s (draining) or 60 s (not), the
// other the whole hour.
func TestStepGroupScaleInDrainsBusyInstance(t *testing.T) {
	for _, draining := range []bool{true, false} {
		t.Run(fmt.Sprintf("managed_draining=%v", draining), func(t *testing.T) {
			r := runScenario(t, fmt.Sprintf(`
name = "drain"
duration = "1h"
[cluster]
availability_zones = ["us-east-1a"]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
min_size = 1
max_size = 4
desired_capacity = 2
launch_time = "0s"
managed_draining = %v
  [[capacity_providers.step_scaling]]
  metric = "CPUReservation"
  scale_in = { threshold = 30, adjustment = -1 }
[[task_definitions]]
family = "app"
cpu = 1024
memory = 2048
network_mode = "bridge"
startup_time = { dist = "constant", value = "20s" }
healthy_after = "40s"
stop_timeout = "30s"
[[services]]
name = "app"
task_definition = "app"
desired_count = 2
placement_strategy = [ { type = "spread", field = "instanceId" } ]
`, draining), 1)
			checkActivities(t, r, "capacity_provider/g", []wantActivity{{60, 2, 1}}, "25 % <= 30 at the first datapoint")
			p := r.CapacityProviders["g"]
			if p.Terminations == nil || *p.Terminations != 1 {
				t.Errorf("terminations %v, want 1", p.Terminations)
			}
			victim := 150.0
			if !draining {
				victim = 60
			}
			wantClose(t, "instance_hours", *p.InstanceHours, (victim+3600)/3600, 1e-12)
			s := serviceResult(t, r, "app")
			if s.Tasks.Started != 3 || s.Tasks.Stopped != 1 {
				t.Errorf("tasks started %d stopped %d, want 3 and 1", s.Tasks.Started, s.Tasks.Stopped)
			}
			wantMin, wantSecond := 2.0, (20*2+40*3)/60.0
			if !draining {
				wantMin = (20*1 + 40*2) / 60.0
				wantSecond = wantMin
			}
			running := column(t, r, "service/app/running_count")
			lo := float64(running[1])
			for _, v := range running[1:] {
				lo = min(lo, float64(v))
			}
			wantClose(t, "running_count min from the second minute", lo, wantMin, 1e-6)
			wantClose(t, "running_count over [60 s, 120 s)", float64(running[1]), wantSecond, 1e-6)
		})
	}
}
