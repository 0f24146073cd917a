package sim

import (
	"fmt"
	"strings"
	"testing"
)

// activitiesOf returns the activities of one resource ("service/NAME" or
// "capacity_provider/NAME") in the order they happened.
func activitiesOf(r *Result, resource string) []Activity {
	var out []Activity
	for _, a := range r.Activities {
		if a.Resource == resource {
			out = append(out, a)
		}
	}
	return out
}

// wantActivity is one expected scaling action: when (seconds from the
// start) and the capacity it moved from and to.
type wantActivity struct {
	at       float64
	from, to int
}

// checkActivities compares a resource's activities with the expected ones
// exactly (times, from and to), reporting the whole list on a mismatch.
func checkActivities(t *testing.T, r *Result, resource string, want []wantActivity, derivation string) []Activity {
	t.Helper()
	got := activitiesOf(r, resource)
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = got[i].AtSeconds == want[i].at && got[i].From == want[i].from && got[i].To == want[i].to
	}
	if !ok {
		var b strings.Builder
		for _, a := range got {
			fmt.Fprintf(&b, "\n  %gs %d→%d %q", a.AtSeconds, a.From, a.To, a.Reason)
		}
		t.Errorf("%s activities:%s\nwant %v\n(%s)", resource, b.String(), want, derivation)
	}
	return got
}

// lastPoint returns the last datapoint of a timeseries column.
func lastPoint(t *testing.T, r *Result, col string) float64 {
	t.Helper()
	for i, c := range r.Series.Columns {
		if c == col {
			d := r.Series.Data[i]
			if len(d) == 0 {
				t.Fatalf("column %s has no datapoint", col)
			}
			return float64(d[len(d)-1])
		}
	}
	t.Fatalf("no column %s in the timeseries", col)
	return 0
}

// column returns a whole timeseries column.
func column(t *testing.T, r *Result, col string) []float32 {
	t.Helper()
	for i, c := range r.Series.Columns {
		if c == col {
			return r.Series.Data[i]
		}
	}
	t.Fatalf("no column %s in the timeseries", col)
	return nil
}

// ttScenario is a Fargate service "web" of 1-vCPU tasks that start and
// become healthy at once (startup 0 s, healthy_after 0 s), so its CPU
// utilization is exactly min(demand, desired) / desired, with demand given
// in vCPUs as steps, and one target tracking policy on CPU.
func ttScenario(duration string, desired, minCap, maxCap int, steps, policy string) string {
	return fmt.Sprintf(`
name = "tt"
duration = %q
[[task_definitions]]
family = "web"
cpu = 1024
memory = 2048
startup_time = { dist = "constant", value = "0s" }
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "web"
task_definition = "web"
desired_count = %d
launch_type = "FARGATE"
  [services.load]
  cpu = { pattern = "steps", steps = [ %s ] }
  [services.autoscaling]
  min_capacity = %d
  max_capacity = %d
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 50
%s
`, duration, desired, steps, minCap, maxCap, policy)
}

// TestTargetTrackingScaleOutTiming pins the target tracking scale-out
// alarm and formula (ECS-SEMANTICS.md §5; SCENARIO.md "Service auto
// scaling"; Application Auto Scaling guide "Target tracking scaling
// policies"): 3 of 3 one-minute datapoints above target, new desired =
// ceil(desired × latest / target), and the 300 s scale-out cooldown during
// which the proposal is made from the count before the scale-out.
//
// Derivation. 4 tasks of 1 vCPU, target 50 %.
//   - [0, 30m): demand 2 vCPU, served 2, utilization 2/4 = 50 %: not above
//     50 (strict), not below 0.9 × 50 = 45: no action.
//   - From 30m demand 6: served = min(6, 4 healthy × 1) = 4, utilization
//     100 %. The datapoints [30m,31m), [31m,32m), [32m,33m) are the first
//     three above target; the alarm is evaluated at 33m = 1980 s:
//     desired = ceil(4 × 100 / 50) = 8. Reason "alarm_high 3/3
//     CPUUtilization 100 > 50".
//   - The 8 tasks are healthy at once: utilization 6/8 = 75 % from 33m.
//     Datapoints [33m,34m) .. [35m,36m) are 3 of 3 above target at 36m,
//     but the cooldown (until 33m + 300 s = 38m) makes the proposal from
//     the base 4: ceil(4 × 75 / 50) = 6 ≤ 8, no action at 36m and 37m.
//   - At 38m = 2280 s the cooldown is over: ceil(8 × 75 / 50) = 12.
//   - Then 6/12 = 50 %: neither above 50 nor below 45: settled at 12 tasks
//     at 50 % until the end.
func TestTargetTrackingScaleOutTiming(t *testing.T) {
	toml := ttScenario("1h30m", 4, 1, 20, `{ at = "0s", value = 2 }, { at = "30m", value = 6 }`, "")
	r := runScenario(t, toml, 1)
	acts := checkActivities(t, r, "service/web", []wantActivity{{1980, 4, 8}, {2280, 8, 12}},
		"first three datapoints above target close at 33m: ceil(4·100/50) = 8; cooldown to 38m, then ceil(8·75/50) = 12")
	if len(acts) > 0 && !strings.HasPrefix(acts[0].Reason, "alarm_high 3/3 CPUUtilization") {
		t.Errorf("first reason %q, want prefix %q", acts[0].Reason, "alarm_high 3/3 CPUUtilization")
	}
	if len(acts) > 0 && acts[0].Reason != "alarm_high 3/3 CPUUtilization 100 > 50" {
		t.Errorf("first reason %q, want %q (latest datapoint 100 %%, threshold 50)", acts[0].Reason, "alarm_high 3/3 CPUUtilization 100 > 50")
	}
	if got := lastPoint(t, r, "service/web/desired_count"); got != 12 {
		t.Errorf("settled desired count %g, want 12 (6 vCPU at 50 %% of 1-vCPU tasks)", got)
	}
	if got := lastPoint(t, r, "service/web/cpu_utilization"); got != 50 {
		t.Errorf("settled CPU utilization %g, want 50", got)
	}
	s := serviceResult(t, r, "web")
	if s.ScalingActivities != 2 {
		t.Errorf("scaling_activities %d, want 2", s.ScalingActivities)
	}
}

// TestTargetTrackingScaleOutCooldownShort: the same step with a 60 s
// scale-out cooldown. The first scale-out is still at 33m (4 → 8); the
// cooldown ends at 34m, but the window [33m,36m) needs three datapoints of
// the new 75 % before the alarm is again 3 of 3 with latest 75: at 34m
// and 35m the window still holds 100 % datapoints from before the
// scale-out, so the alarm is in ALARM with latest 75: ceil(8 × 75 / 50) =
// 12 at 34m already.
//
// Derivation at 34m = 2040 s: window = [31m,32m) 100, [32m,33m) 100,
// [33m,34m) 75: 3 of 3 above 50, latest 75; the cooldown ended at 33m + 60 s
// = 34m (now ≥ end), so the base is the current 8: ceil(8 × 75 / 50) = 12.
func TestTargetTrackingScaleOutCooldownShort(t *testing.T) {
	policy := `    scale_out_cooldown = "60s"`
	toml := ttScenario("1h30m", 4, 1, 20, `{ at = "0s", value = 2 }, { at = "30m", value = 6 }`, policy)
	r := runScenario(t, toml, 1)
	checkActivities(t, r, "service/web", []wantActivity{{1980, 4, 8}, {2040, 8, 12}},
		"cooldown 60 s ends at 34m; the window still holds 3 breaching datapoints, latest 75: ceil(8·75/50) = 12")
}

// TestTargetTrackingScaleInTiming pins the scale-in alarm (15 of 15
// one-minute datapoints below 90 % of the target) and the scale-in
// cooldown, which blocks a second scale-in (ECS-SEMANTICS.md §5;
// SCENARIO.md "Service auto scaling").
//
// Derivation. 8 tasks of 1 vCPU, target 50, scale-in threshold 45.
//   - [0, 30m): demand 4: 4/8 = 50 %: no action.
//   - From 30m demand 2: 2/8 = 25 % < 45. Datapoints [30m,31m) ..
//     [44m,45m) are the first 15 below; at 45m = 2700 s the alarm fires:
//     desired = ceil(8 × 25 / 50) = 4 (to 50 %).
//   - From 46m demand 1: 1/4 = 25 %. Datapoint [45m,46m) is 50 %, so the
//     window is again 15 of 15 below 45 only at 61m (datapoints [46m,47m)
//     .. [60m,61m)). With scale_in_cooldown 30m (until 45m + 30m = 75m)
//     the scale-in waits for 75m = 4500 s: ceil(4 × 25 / 50) = 2.
//   - Then 1/2 = 50 %: settled.
//
// With the default 300 s cooldown the second scale-in comes at 61m = 3660 s.
func TestTargetTrackingScaleInTiming(t *testing.T) {
	steps := `{ at = "0s", value = 4 }, { at = "30m", value = 2 }, { at = "46m", value = 1 }`
	cases := []struct {
		name, policy string
		want         []wantActivity
		derivation   string
	}{
		{"cooldown 30m", `    scale_in_cooldown = "30m"`, []wantActivity{{2700, 8, 4}, {4500, 4, 2}},
			"15 datapoints below 45 close at 45m: ceil(8·25/50) = 4; the second alarm at 61m waits for the cooldown's end at 75m"},
		{"default cooldown", "", []wantActivity{{2700, 8, 4}, {3660, 4, 2}},
			"15 datapoints below 45 close at 45m; the next 15 (from 46m) at 61m, after the 300 s cooldown"},
		{"scale-in disabled", `    disable_scale_in = true`, nil,
			"disable_scale_in turns scale-in off (ECS-SEMANTICS.md §5): desired stays 8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, ttScenario("2h", 8, 1, 20, steps, tc.policy), 1)
			acts := checkActivities(t, r, "service/web", tc.want, tc.derivation)
			for _, a := range acts {
				if !strings.HasPrefix(a.Reason, "alarm_low 15/15 CPUUtilization") {
					t.Errorf("reason %q, want prefix %q", a.Reason, "alarm_low 15/15 CPUUtilization")
				}
			}
			want := 8.0
			if n := len(tc.want); n > 0 {
				want = float64(tc.want[n-1].to)
			}
			if got := lastPoint(t, r, "service/web/desired_count"); got != want {
				t.Errorf("final desired count %g, want %g", got, want)
			}
		})
	}
}

// TestTargetTrackingScaleInNeeds15 checks the alarm needs all 15: demand
// drops for exactly 14 minutes and comes back, so no scale-in ever happens
// (ECS-SEMANTICS.md §5: scale-in when 15 of 15 are below 90 % of target).
//
// Derivation: 8 tasks, demand 4 (50 %) except [30m, 44m) with demand 2
// (25 %): 14 datapoints below 45 between two at 50 %: never 15 of 15.
func TestTargetTrackingScaleInNeeds15(t *testing.T) {
	steps := `{ at = "0s", value = 4 }, { at = "30m", value = 2 }, { at = "44m", value = 4 }`
	r := runScenario(t, ttScenario("1h30m", 8, 1, 20, steps, ""), 1)
	checkActivities(t, r, "service/web", nil, "14 datapoints below 45 % are not 15 of 15")
}

// schedScenario is a Fargate service "web" with desired 2 in [1, 10] and
// the given scheduled actions (and optional extra autoscaling lines),
// starting on Monday 2026-01-05 00:00 UTC (the default start).
func schedScenario(cpu float64, scheduled string) string {
	return fmt.Sprintf(`
name = "sched"
duration = "2h"
[[task_definitions]]
family = "web"
cpu = 1024
memory = 2048
startup_time = { dist = "constant", value = "0s" }
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "web"
task_definition = "web"
desired_count = 2
launch_type = "FARGATE"
  [services.load]
  cpu = { pattern = "constant", value = %g }
  [services.autoscaling]
  min_capacity = 1
  max_capacity = 10
%s
`, cpu, scheduled)
}

// TestScheduledActions pins scheduled actions (ECS-SEMANTICS.md §5;
// SCENARIO.md "Service auto scaling"; Application Auto Scaling guide
// "Scheduled scaling"): they set min and/or max capacity and the desired
// count is clamped into the new range at that exact second, even during a
// cooldown. cron() is EventBridge's six-field form in UTC, rate(N unit)
// first fires at start + N, at() at the given UTC time. The start is
// Monday 2026-01-05 00:00 UTC.
func TestScheduledActions(t *testing.T) {
	cases := []struct {
		name       string
		cpu        float64
		scheduled  string
		want       []wantActivity
		derivation string
	}{
		{"cron raises min", 0.5, `
    [[services.autoscaling.scheduled]]
    schedule = "cron(30 0 * * ? *)"
    min_capacity = 6`,
			[]wantActivity{{1800, 2, 6}},
			"00:30 UTC daily = 1800 s; desired 2 below the new min 6 → 6; next firing is a day later"},
		{"cron weekdays", 0.5, `
    [[services.autoscaling.scheduled]]
    schedule = "cron(0 1 ? * MON-FRI *)"
    min_capacity = 5`,
			[]wantActivity{{3600, 2, 5}},
			"2026-01-05 is a Monday: 01:00 UTC = 3600 s"},
		{"rate", 0.5, `
    [[services.autoscaling.scheduled]]
    schedule = "rate(45 minutes)"
    min_capacity = 4`,
			[]wantActivity{{2700, 2, 4}},
			"rate(45 minutes) fires at start + 45m = 2700 s and again at 5400 s, where desired is already 4: no activity"},
		{"at lowers max", 0.5, `
    [[services.autoscaling.scheduled]]
    schedule = "at(2026-01-05T01:15:00)"
    max_capacity = 1`,
			[]wantActivity{{4500, 2, 1}},
			"at 01:15 UTC = 4500 s; desired 2 above the new max 1 → 1"},
		{"raise then lower", 0.5, `
    [[services.autoscaling.scheduled]]
    schedule = "cron(30 0 * * ? *)"
    min_capacity = 6
    [[services.autoscaling.scheduled]]
    schedule = "at(2026-01-05T01:00:00)"
    max_capacity = 3`,
			[]wantActivity{{1800, 2, 6}, {3600, 6, 3}},
			"min 6 at 1800 s; max 3 at 3600 s clamps 6 → 3 at once (min moves down with it)"},
		{"max during scale-out cooldown", 4, `
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 50
    [[services.autoscaling.scheduled]]
    schedule = "at(2026-01-05T00:05:00)"
    max_capacity = 3`,
			[]wantActivity{{180, 2, 4}, {300, 4, 3}},
			"demand 4 vCPU on 2 tasks: 100 % for 3 datapoints → ceil(2·100/50) = 4 at 180 s; the scheduled max 3 at 300 s clamps 4 → 3 inside the scale-out cooldown; then 4/3 vCPU per task caps at 100 % and target tracking is capped at max 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, schedScenario(tc.cpu, tc.scheduled), 1)
			acts := checkActivities(t, r, "service/web", tc.want, tc.derivation)
			for _, a := range acts {
				if a.AtSeconds == 180 {
					continue // the target tracking action of the last case
				}
				if !strings.HasPrefix(a.Reason, "scheduled ") {
					t.Errorf("reason %q, want prefix %q", a.Reason, "scheduled ")
				}
			}
		})
	}
}
