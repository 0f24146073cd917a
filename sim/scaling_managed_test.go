package sim

import (
	"fmt"
	"testing"
)

// managedScenario is one Auto Scaling group "g" of m6i.xlarge (4 vCPU =
// 4096 CPU units, 16 GiB = 16384 MiB registered) with managed scaling and
// instances that register at once (launch_time 0 s), and one service "app"
// on it whose tasks start and become healthy at once. warmup excludes the
// initial placements from the task counters.
func managedScenario(desired, minSize, maxSize, tasks, cpu, mem int, managed, placement, extra string) string {
	return fmt.Sprintf(`
name = "managed"
duration = "1h"
warmup = "30s"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
min_size = %d
max_size = %d
desired_capacity = %d
launch_time = "0s"
%s
  [capacity_providers.managed_scaling]
  status = "ENABLED"
%s
[[task_definitions]]
family = "app"
cpu = %d
memory = %d
network_mode = "bridge"
startup_time = { dist = "constant", value = "0s" }
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = %d
placement_strategy = [ %s ]
`, minSize, maxSize, desired, extra, managed, cpu, mem, tasks, placement)
}

const (
	spreadInstance = `{ type = "spread", field = "instanceId" }`
	binpackMemory  = `{ type = "binpack", field = "memory" }`
)

// TestManagedScalingSpreadVersusBinpack shows how the placement strategy
// drives CapacityProviderReservation and so managed scaling
// (ECS-SEMANTICS.md §2 and §4; SCENARIO.md "Managed scaling"; ECS guide
// "Amazon ECS cluster auto scaling" and "Amazon ECS task placement
// strategies"). 4 tasks of 512 CPU / 1024 MiB could share one m6i.xlarge
// (8 fit), target_capacity 100, managed termination protection on.
//
//   - spread on instanceId puts one task on each instance while empty ones
//     exist: M = 4. With N = 4: CPR = 100, neither above nor strictly
//     below the target: no activity ever.
//   - spread with N = 6: M = 4, CPR = 66.7 < 100. The 15th datapoint (1m ..
//     15m) is at 15m = 900 s: remove min(N − ceil(M·100/100) = 2, empty 2,
//     max(1, floor(6/2)) = 3) = 2 → N = 4, CPR 100: done.
//   - binpack on memory with N = 6 puts all 4 tasks on one instance: M = 1,
//     CPR = 16.7. At 900 s: min(6 − 1 = 5, empty 5, 3) = 3 → 3; at 960 s
//     (window still 15 of 15 below: CPR 33.3 now): min(3 − 1, 2, max(1, 1))
//     = 1 → 2; at 1020 s (CPR 50): min(1, 1, 1) = 1 → 1 = ceil(1·100/100);
//     then CPR 100.
func TestManagedScalingSpreadVersusBinpack(t *testing.T) {
	cases := []struct {
		name       string
		n          int
		placement  string
		want       []wantActivity
		wantN      float64
		derivation string
	}{
		{"spread N=4", 4, spreadInstance, nil, 4, "M = N = 4: CPR 100 forever"},
		{"spread N=6", 6, spreadInstance, []wantActivity{{900, 6, 4}}, 4,
			"M = 4, N = 6: after 15 datapoints remove min(2, 2, 3) = 2"},
		{"binpack N=6", 6, binpackMemory, []wantActivity{{900, 6, 3}, {960, 3, 2}, {1020, 2, 1}}, 1,
			"M = 1: at most floor(N/2) a minute: 6 → 3 → 2 → 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			toml := managedScenario(tc.n, 0, 10, 4, 512, 1024, "  target_capacity = 100", tc.placement, "managed_termination_protection = true")
			r := runScenario(t, toml, 1)
			checkActivities(t, r, "capacity_provider/g", tc.want, tc.derivation)
			if got := lastPoint(t, r, "capacity_provider/g/instances"); got != tc.wantN {
				t.Errorf("final instances %g, want %g", got, tc.wantN)
			}
			if got := lastPoint(t, r, "capacity_provider/g/capacity_provider_reservation"); got != 100 {
				t.Errorf("final CPR %g, want 100", got)
			}
			s := serviceResult(t, r, "app")
			if s.Tasks.Started != 0 || s.Tasks.Stopped != 0 {
				t.Errorf("tasks started %d stopped %d after warmup, want 0 and 0: only empty instances leave", s.Tasks.Started, s.Tasks.Stopped)
			}
		})
	}
}

// TestManagedScalingConvergence: a group starting empty converges to
// N = ceil(M × 100 / target_capacity) (ECS-SEMANTICS.md §4; SCENARIO.md
// "Managed scaling"; ECS guide "Amazon ECS cluster auto scaling"). 6 tasks
// of 2048 CPU / 4096 MiB: an m6i.xlarge (4096 CPU) holds 2, so the tasks
// need M = 3 instances.
//
//   - target 100: at 1m, N = 0 and M = 3 (needed) → CPR 200 > 100: launch
//     clamp(max(0, needed 3), 1, 10000) = 3 (N = 0 gives no target-tracking
//     term) → 0 → 3 at 60 s. Then CPR 3/3 = 100: done. N = 3.
//   - target 50: the same 0 → 3 at 60 s; then CPR 100 > 50 but the
//     instances warm up until 60 + 300 = 360 s; at 360 s launch
//     ceil(3·100/50) − 3 = 3 → 6. CPR 3/6 = 50: done. N = 6 = 2 × 3.
//   - target 100, maximum_scaling_step_size 2, instance_warmup_period 120s:
//     0 → 2 at 60 s (4 tasks run, 2 wait); at 120 s M = 2 + 1, N = 2,
//     CPR 150 but the warmup blocks until 180 s; at 180 s launch
//     max(ceil(3·100/100) − 2, needed 1) = 1 → 3.
//   - target 100, minimum_scaling_step_size 5: 0 → 5 at 60 s (max(0, 3, 5));
//     then M = 3 (binpack: 2 per instance on three of them), CPR 60 < 100
//     from 2m; the 15th datapoint below target is at 16m = 960 s: remove
//     min(5 − 3, empty 2, floor(5/2) = 2) = 2 → 3 (the minimum step size
//     applies to scale-out only, as the ECS API reference says).
func TestManagedScalingConvergence(t *testing.T) {
	cases := []struct {
		name, managed string
		want          []wantActivity
		wantN         float64
		derivation    string
	}{
		{"target 100", "  target_capacity = 100", []wantActivity{{60, 0, 3}}, 3,
			"N = 0 → CPR 200 → launch the 3 needed"},
		{"target 50", "  target_capacity = 50", []wantActivity{{60, 0, 3}, {360, 3, 6}}, 6,
			"then CPR 100 > 50 after the 300 s warmup: ceil(3·100/50) − 3 = 3 more"},
		{"max step 2, warmup 120s", "  target_capacity = 100\n  maximum_scaling_step_size = 2\n  instance_warmup_period = \"120s\"",
			[]wantActivity{{60, 0, 2}, {180, 2, 3}}, 3,
			"capped at 2; the second scale-out waits for the 120 s warmup"},
		{"min step 5", "  target_capacity = 100\n  minimum_scaling_step_size = 5",
			[]wantActivity{{60, 0, 5}, {960, 5, 3}}, 3,
			"at least 5 launched; 2 empty ones leave after 15 datapoints below 100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			toml := managedScenario(0, 0, 20, 6, 2048, 4096, tc.managed, binpackMemory, "managed_termination_protection = true")
			r := runScenario(t, toml, 1)
			checkActivities(t, r, "capacity_provider/g", tc.want, tc.derivation)
			if got := lastPoint(t, r, "capacity_provider/g/instances"); got != tc.wantN {
				t.Errorf("final instances %g, want %g", got, tc.wantN)
			}
			// The first datapoint closes at 60 s with N = 0 and 3 instances
			// needed: 200; at the end M = 3 of N: 300 / N.
			cpr := column(t, r, "capacity_provider/g/capacity_provider_reservation")
			if cpr[0] != 200 {
				t.Errorf("first CPR datapoint %g, want 200 (N = 0, M > 0)", cpr[0])
			}
			if got, want := float64(cpr[len(cpr)-1]), 300/tc.wantN; !closeRel(got, want, 1e-6) {
				t.Errorf("final CPR %g, want M/N × 100 = %g", got, want)
			}
			s := serviceResult(t, r, "app")
			if s.PendingAtEnd != 0 {
				t.Errorf("pending_at_end %d, want 0", s.PendingAtEnd)
			}
		})
	}
}

// TestManagedScalingFirstReason pins the activity reason of the first
// managed scale-out from an empty group: the high alarm is 1 of 1 on
// CapacityProviderReservation, whose value with N = 0 and tasks waiting is
// 200 (ECS-SEMANTICS.md §4).
func TestManagedScalingFirstReason(t *testing.T) {
	toml := managedScenario(0, 0, 20, 6, 2048, 4096, "  target_capacity = 100", binpackMemory, "")
	r := runScenario(t, toml, 1)
	acts := activitiesOf(r, "capacity_provider/g")
	if len(acts) == 0 {
		t.Fatal("no managed scaling activity")
	}
	if want := "alarm_high 1/1 CapacityProviderReservation 200 > 100"; acts[0].Reason != want {
		t.Errorf("reason %q, want %q", acts[0].Reason, want)
	}
}

// TestManagedScalingTerminationProtection: managed scale-in removes only
// empty instances (ECS-SEMANTICS.md §4: "only empty instances (no
// non-daemon tasks) are removed"; SCENARIO.md "Managed scaling"), with or
// without managed_termination_protection (which guards busy instances
// from any other remover).
//
// Derivation. N = 6 instances placed round-robin over 3 AZs (a b c a b c);
// 4 tasks of 2048 CPU spread on instanceId take i0 .. i3 (ties to the
// lowest instance id), so M = 4 and CPR 66.7 < 100. At 900 s (15th
// datapoint) managed scaling removes min(6 − 4, empty 2, 3) = 2: the empty
// i4 and i5 leave; no task stops or restarts (tasks started and stopped
// after warmup stay 0); terminations 2; N = 4.
func TestManagedScalingTerminationProtection(t *testing.T) {
	for _, protect := range []bool{true, false} {
		t.Run(fmt.Sprintf("protection=%v", protect), func(t *testing.T) {
			extra := ""
			if protect {
				extra = "managed_termination_protection = true"
			}
			toml := managedScenario(6, 0, 10, 4, 2048, 4096, "  target_capacity = 100", spreadInstance, extra)
			r := runScenario(t, toml, 1)
			checkActivities(t, r, "capacity_provider/g", []wantActivity{{900, 6, 4}}, "M = 4, N = 6: remove 2 at the 15th datapoint")
			p := r.CapacityProviders["g"]
			if p.Terminations == nil || *p.Terminations != 2 {
				t.Errorf("terminations %v, want 2", p.Terminations)
			}
			if p.Launches == nil || *p.Launches != 6 {
				t.Errorf("launches %v, want 6 (the initial desired_capacity)", p.Launches)
			}
			s := serviceResult(t, r, "app")
			if s.Tasks.Started != 0 || s.Tasks.Stopped != 0 {
				t.Errorf("tasks started %d stopped %d after warmup, want 0 and 0", s.Tasks.Started, s.Tasks.Stopped)
			}
			if s.RunningCount == nil || s.RunningCount.Min != 4 {
				t.Errorf("running_count %+v, want min 4", s.RunningCount)
			}
		})
	}
}

// TestManagedScalingMaxSize: a managed scale-out never takes the group
// above max_size (SCENARIO.md "Managed scaling"; the Auto Scaling group's
// maximum bounds its desired capacity). 6 tasks needing 3 m6i.xlarge, but
// max_size 2: 0 → 2 at 60 s; CPR stays 150 > 100 but no launch is possible,
// so no further activity, and the 2 tasks that do not fit stay
// PROVISIONING to the end.
func TestManagedScalingMaxSize(t *testing.T) {
	toml := managedScenario(0, 0, 2, 6, 2048, 4096, "  target_capacity = 100", binpackMemory, "")
	r := runScenario(t, toml, 1)
	checkActivities(t, r, "capacity_provider/g", []wantActivity{{60, 0, 2}}, "capped at max_size 2")
	if got := lastPoint(t, r, "capacity_provider/g/capacity_provider_reservation"); got != 150 {
		t.Errorf("final CPR %g, want (2 busy + 1 needed) / 2 × 100 = 150", got)
	}
	if s := serviceResult(t, r, "app"); s.PendingAtEnd != 2 {
		t.Errorf("pending_at_end %d, want 2", s.PendingAtEnd)
	}
}
