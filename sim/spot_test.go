package sim

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/ecssim/ecssim/pricing"
)

// Tests of the Spot model: interruption rates (ECS-SEMANTICS.md §7,
// SCENARIO.md "Spot"), the two-minute warning and what follows it, storms,
// capacity shortages and spot_draining.
//
// Statistical checks compare a Poisson count with its expectation at
// z = 4: |observed − expected| ≤ 4 √expected. Under the model the count is
// Poisson(expected), so a correct simulator fails one such check with
// probability about 6 × 10⁻⁵ (normal approximation); the seeds are fixed,
// so the outcome is reproducible either way.

// poissonZ is the number of standard deviations a Poisson count may lie
// from its mean in the statistical checks.
const poissonZ = 4.0

// checkPoisson reports an observed count outside expected ± z √expected.
func checkPoisson(t *testing.T, what string, observed int64, expected float64) {
	t.Helper()
	dev := math.Abs(float64(observed) - expected)
	bound := poissonZ * math.Sqrt(expected)
	t.Logf("%s: observed %d, expected %.2f, |diff| %.2f, bound (z = %g) %.2f", what, observed, expected, dev, poissonZ, bound)
	if dev > bound {
		t.Errorf("%s: observed %d, expected %.2f: |diff| %.2f > %g √expected = %.2f", what, observed, expected, dev, poissonZ, bound)
	}
}

// spotWarningHours is the two-minute Spot warning in hours.
const spotWarningHours = 2.0 / 60

// fargateSpotServiceScenario is one service "web" of n tasks on
// FARGATE_SPOT by the cluster's default strategy, datapoints every period (FARGATE_SPOT weight 1),
// tasks starting, becoming healthy and stopping at once (startup_time,
// healthy_after and stop_timeout 0 s), so a replacement is PENDING and
// RUNNING at the instant its predecessor is warned.
func fargateSpotServiceScenario(duration, period string, n int, rate float64, extra string) string {
	return fmt.Sprintf(`
name = "fargate-spot"
duration = %q
metrics_period = %q
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "FARGATE_SPOT", weight = 1 } ]
[fargate_spot]
interruptions_per_task_hour = %g
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
desired_count = %d
%s`, duration, period, rate, n, extra)
}

// TestSpotFargateInterruptionRate: Fargate Spot interrupts each task as a
// Poisson process at interruptions_per_task_hour r (SCENARIO.md
// "[fargate_spot]": "no published rate exists: the user sets it";
// ECS-SEMANTICS.md §7), and the service replaces every interrupted task on
// FARGATE_SPOT at the warning (ECS developer guide "AWS Fargate capacity
// providers": Fargate Spot sends a two-minute warning; the service
// scheduler starts a replacement).
//
// N = 40 tasks, r = 0.05 per task-hour, T = 1440 h (60 days), warmup 0.
//
//   - Exposure: a task is at risk from placement until its warning; a
//     warned task runs 2 more minutes next to its replacement, which is
//     placed at once (startup 0 s), so exactly N tasks are at risk at every
//     instant: exposure = N T = 57 600 task-hours and the expected count is
//     r N T = 2880 (σ = √2880 ≈ 53.7).
//   - task_hours bills PENDING to STOPPED: N T plus 2 minutes per warning
//     (the overlap), less what of a warning runs past the horizon:
//     task_hours − N T ∈ [(I − 1) × 2 min, I × 2 min] (at most one warning
//     falls in the last 2 minutes here: 40 × 0.05 / 30 ≈ 0.07 expected).
//     So exposure = task_hours − I × 2 min, derived from the result, must
//     equal N T to within 2 minutes.
//   - No task lost: tasks.interrupted = FARGATE_SPOT interruptions (one
//     service); tasks.started = N + I (every warning starts one
//     replacement); running_count never drops below N (the minimum over
//     datapoints); pending_at_end = 0; stopped = I less the warnings still
//     running at the horizon.
func TestSpotFargateInterruptionRate(t *testing.T) {
	const (
		n    = 40
		rate = 0.05
		T    = 1440.0 // hours
	)
	r := runScenario(t, fargateSpotServiceScenario("60d", "1h", n, rate, ""), 11)
	p := r.CapacityProviders["FARGATE_SPOT"]
	if p == nil || p.TaskHours == nil {
		t.Fatal("no FARGATE_SPOT task_hours in the result")
	}
	I := p.Interruptions
	exposure := *p.TaskHours - float64(I)*spotWarningHours
	if d := exposure - n*T; d > 1e-6 || d < -spotWarningHours-1e-6 {
		t.Errorf("exposure task_hours − I × 2 min = %.6f h, want N T = %g h (within 2 min): task_hours %.6f, I %d",
			exposure, n*T, *p.TaskHours, I)
	}
	checkPoisson(t, "FARGATE_SPOT interruptions", I, rate*exposure)
	checkPoisson(t, "FARGATE_SPOT interruptions vs r N T", I, rate*n*T)

	s := serviceResult(t, r, "web")
	if s.Tasks.Interrupted != I {
		t.Errorf("tasks.interrupted %d, want the provider's %d", s.Tasks.Interrupted, I)
	}
	if s.Tasks.Started != n+I {
		t.Errorf("tasks.started %d, want N + I = %d", s.Tasks.Started, n+I)
	}
	if s.Tasks.Stopped > I || s.Tasks.Stopped < I-1 {
		t.Errorf("tasks.stopped %d, want I = %d (less at most one warning past the horizon)", s.Tasks.Stopped, I)
	}
	if s.PendingAtEnd != 0 {
		t.Errorf("pending_at_end %d, want 0", s.PendingAtEnd)
	}
	if s.RunningCount == nil || s.RunningCount.Min < n {
		t.Errorf("running_count %+v, want min ≥ %d (replacements start at the warning)", s.RunningCount, n)
	}
	// Mean running = N + the warned overlap: N + I × 2 min / T.
	if s.RunningCount != nil {
		wantClose(t, "running_count mean", s.RunningCount.Mean, n+float64(I)*spotWarningHours/T, 1e-4)
	}
}

// ec2SpotGroupScenario is one Spot Auto Scaling group "spot" of m5.large
// with `size` instances registering at once and the given
// [capacity_providers.interruptions] body, no tasks, hourly datapoints.
func ec2SpotGroupScenario(duration string, size int, interruptions, pricingTable string) string {
	return fmt.Sprintf(`
name = "ec2-spot"
duration = %q
metrics_period = "1h"
region = "us-east-1"
%s
[[capacity_providers]]
name = "spot"
instance_types = ["m5.large"]
market = "spot"
min_size = %d
max_size = %d
desired_capacity = %d
launch_time = "0s"
  [capacity_providers.interruptions]
  %s
`, duration, pricingTable, size, size, size, interruptions)
}

// checkEC2SpotRate checks the result of a Spot group without
// spot_draining and without tasks against hazard h per instance-hour.
//
// Without spot_draining a warned instance runs 2 minutes, then stops and
// the group launches its replacement (EC2 Auto Scaling replaces
// interrupted instances): the group always has `size` instances, so
// instance_hours = size × T exactly, and the instance-hours at risk are
// instance_hours − I × 2 min (a warned instance is not at risk again).
// Every stop is a termination and every replacement a launch: launches =
// size + terminations, terminations ∈ [I − 1, I] (a warning in the last
// 2 minutes stops nothing before the horizon).
func checkEC2SpotRate(t *testing.T, r *Result, size int, hours, h float64) {
	t.Helper()
	p := r.CapacityProviders["spot"]
	if p == nil || p.InstanceHours == nil || p.Launches == nil || p.Terminations == nil {
		t.Fatal("no capacity_providers.spot figures")
	}
	I := p.Interruptions
	wantClose(t, "instance_hours", *p.InstanceHours, float64(size)*hours, 1e-9)
	exposure := *p.InstanceHours - float64(I)*spotWarningHours
	checkPoisson(t, "spot interruptions", I, h*exposure)
	if *p.Terminations > I || *p.Terminations < I-1 {
		t.Errorf("terminations %d, want I = %d (less at most one warning past the horizon)", *p.Terminations, I)
	}
	if *p.Launches != int64(size)+*p.Terminations {
		t.Errorf("launches %d, want size + terminations = %d", *p.Launches, int64(size)+*p.Terminations)
	}
	if p.Instances == nil || p.Instances.Min != float64(size) || p.Instances.Max != float64(size) {
		t.Errorf("instances %+v, want %d throughout", p.Instances, size)
	}
}

// TestSpotEC2InterruptionRate: EC2 Spot instances are interrupted as a
// Poisson process per instance-hour (SCENARIO.md "Spot": per_instance_hour
// as given; a Spot Advisor bucket's hazard is −ln(1 − p)/730 for its
// midpoint p; ECS-SEMANTICS.md §7).
//
//   - per_instance_hour = 0.01, 100 instances, 60 days: 100 × 1440 =
//     144 000 instance-hours, expected ≈ 1440 (σ ≈ 38).
//   - frequency "10-15%": p = 0.125, h = −ln(0.875)/730 = 0.133531/730 =
//     1.82919e-4 per hour; 2000 instances × 180 days = 8 640 000
//     instance-hours, expected ≈ 1580 (σ ≈ 39.8). (The linear p/730 would
//     give 1479: 2.5 σ away.)
func TestSpotEC2InterruptionRate(t *testing.T) {
	cases := []struct {
		name          string
		duration      string
		hours         float64
		size          int
		interruptions string
		h             float64 // hand-computed hazard per instance-hour
	}{
		{"per_instance_hour", "60d", 1440, 100, "per_instance_hour = 0.01", 0.01},
		{"frequency 10-15%", "180d", 4320, 2000, `frequency = "10-15%"`, -math.Log(1-0.125) / 730},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "frequency 10-15%" {
				// The hand value must be the pricing package's.
				wantClose(t, "BucketHazardPerHour(2)", pricing.BucketHazardPerHour(2), 1.82919e-4, 1e-5)
			}
			r := runScenario(t, ec2SpotGroupScenario(tc.duration, tc.size, tc.interruptions, ""), 7)
			checkEC2SpotRate(t, r, tc.size, tc.hours, tc.h)
		})
	}
}

// spotAdvisorPath is the Spot Instance Advisor feed in the shared data,
// relative to this package's directory.
const spotAdvisorPath = "../../shared/data/spot/spot-advisor-data.json"

// TestSpotAdvisorInterruptionRate: from_advisor = true takes each type's
// interruption bucket from the Spot Advisor data named by
// pricing.spot_advisor (SCENARIO.md "[capacity_providers.interruptions]").
// The test reads m5.large's us-east-1 bucket b from the JSON itself, so
// the expected hazard is −ln(1 − p_b)/730 whatever the file says; with
// the 2025 feed b = 3 ("15-20%"): h = −ln(0.825)/730 = 2.6352e-4; 1000
// instances × 120 days = 2 880 000 instance-hours, expected ≈ 759.
func TestSpotAdvisorInterruptionRate(t *testing.T) {
	if _, err := os.Stat(spotAdvisorPath); err != nil {
		t.Skipf("Spot Advisor data %s not available: %v", spotAdvisorPath, err)
	}
	adv, err := pricing.LoadSpotAdvisorFile(spotAdvisorPath)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := adv.Advice("us-east-1", "m5.large")
	if !ok {
		t.Skip("the Spot Advisor data has no m5.large in us-east-1")
	}
	mid := []float64{0.025, 0.075, 0.125, 0.175, 0.25}[a.Bucket]
	h := -math.Log(1-mid) / 730
	t.Logf("m5.large us-east-1: bucket %d (%s), p %g, hazard %.6g per instance-hour", a.Bucket, pricing.FrequencyLabel(a.Bucket), mid, h)
	const size, days = 1000, 120
	r := runScenario(t, ec2SpotGroupScenario(fmt.Sprintf("%dd", days), size, "from_advisor = true",
		fmt.Sprintf("[pricing]\nspot_advisor = %q", spotAdvisorPath)), 5)
	checkEC2SpotRate(t, r, size, days*24, h)
}

// spotJobScenario is one job "batch" on FARGATE_SPOT: `rate` RunTask calls
// an hour of one task running `run` (constant; startup 0 s), with the
// given on_interruption and max_retries.
func spotJobScenario(duration string, spotRate, arrivals float64, run, onInt string, maxRetries int, extra string) string {
	return fmt.Sprintf(`
name = "spot-job"
duration = %q
metrics_period = "1h"
[fargate_spot]
interruptions_per_task_hour = %g
[[task_definitions]]
family = "batch"
cpu = 256
memory = 512
startup_time = "0s"
[[jobs]]
name = "batch"
task_definition = "batch"
arrivals = { process = "poisson", rate_per_hour = %g }
duration = %q
capacity_provider_strategy = [ { capacity_provider = "FARGATE_SPOT", weight = 1 } ]
on_interruption = %q
max_retries = %d
%s`, duration, spotRate, arrivals, run, onInt, maxRetries, extra)
}

// TestSpotJobRetryAccounting: a job task on Fargate Spot that is
// interrupted before its work is done is resubmitted from scratch while
// on_interruption = "retry" and retries remain, else dropped (SCENARIO.md
// [[jobs]] on_interruption, max_retries; default 3).
//
// The identities follow from the counting in job.go: submitted counts a
// RunTask task once (a retry is counted in retried, not again in
// submitted); every kill counts interrupted and then exactly one of
// retried or dropped; every attempt ends completed, killed, failed to
// place, or is still in progress at the horizon. So, warmup 0:
//
//	submitted   = completed + dropped + failed_to_place + in_progress_at_end
//	interrupted = retried + dropped
//
// Theory: r = 1 per task-hour, run 32 min, startup 0 s. An attempt is
// interrupted when its warning comes before the work's last 2 minutes (a
// task whose work ends within its warning completes):
// q = 1 − e^{−r × 30 min} = 1 − e^{−0.5} = 0.393469. With max_retries 2 a
// task makes up to 3 attempts: per submitted task E[interrupted] =
// q + q² + q³ = 0.609186, E[retried] = q + q² = 0.548269, E[dropped] = q³ =
// 0.060917. 100 submissions an hour for 30 h ≈ 3000 submitted. The dropped
// count is binomial (≈ Poisson) around q³ × submitted; the retried count
// around (q + q²) × submitted with variance at most its mean (each of a
// task's two retry indicators is Bernoulli; their covariance is
// q² − q·q² > 0, so the check uses the exact variance
// n (q(1−q) + q²(1−q²) + 2(q² − q³))).
//
// With on_interruption = "drop": retried = 0, dropped = interrupted, and
// E[dropped] = q × submitted.
//
// wasted_task_seconds: each interrupted attempt had run at least its
// 2-minute warning (it was RUNNING when warned, startup 0 s) and less than
// 32 minutes: 120 I ≤ wasted < 1920 I. FARGATE_SPOT interruptions count
// warnings, so they are at least the job's interrupted (warned tasks that
// finish their work within the warning complete).
func TestSpotJobRetryAccounting(t *testing.T) {
	const q = 0.3934693402873666 // 1 − e^{−0.5}
	for _, tc := range []struct {
		onInt      string
		maxRetries int
	}{
		{"retry", 2},
		{"drop", 2},
	} {
		t.Run(tc.onInt, func(t *testing.T) {
			r := runScenario(t, spotJobScenario("30h", 1, 100, "32m", tc.onInt, tc.maxRetries, ""), 3)
			j := jobResult(t, r, "batch")
			t.Logf("%s: %+v", tc.onInt, *j)
			if got := j.Completed + j.Dropped + j.FailedToPlace + j.InProgressAtEnd; got != j.Submitted {
				t.Errorf("completed %d + dropped %d + failed_to_place %d + in_progress_at_end %d = %d, want submitted %d",
					j.Completed, j.Dropped, j.FailedToPlace, j.InProgressAtEnd, got, j.Submitted)
			}
			if j.Interrupted != j.Retried+j.Dropped {
				t.Errorf("interrupted %d, want retried %d + dropped %d", j.Interrupted, j.Retried, j.Dropped)
			}
			if j.FailedToPlace != 0 {
				t.Errorf("failed_to_place %d, want 0 (no shortage)", j.FailedToPlace)
			}
			if p := r.CapacityProviders["FARGATE_SPOT"]; p == nil || p.Interruptions < j.Interrupted {
				t.Errorf("FARGATE_SPOT interruptions %+v, want at least the job's %d", p, j.Interrupted)
			}
			if j.WastedTaskSeconds < 120*float64(j.Interrupted) || j.WastedTaskSeconds >= 1920*float64(j.Interrupted) {
				t.Errorf("wasted_task_seconds %g, want in [120, 1920) × interrupted %d", j.WastedTaskSeconds, j.Interrupted)
			}
			n := float64(j.Submitted)
			if n < 2500 {
				t.Fatalf("submitted %d, want about 3000 (100/h for 30 h)", j.Submitted)
			}
			switch tc.onInt {
			case "retry":
				checkPoisson(t, "dropped (all 3 attempts interrupted)", j.Dropped, q*q*q*n)
				mean := (q + q*q) * n
				sd := math.Sqrt(n * (q*(1-q) + q*q*(1-q*q) + 2*(q*q-q*q*q)))
				if d := math.Abs(float64(j.Retried) - mean); d > poissonZ*sd {
					t.Errorf("retried %d, expected %.1f ± %g × %.1f", j.Retried, mean, poissonZ, sd)
				}
				t.Logf("retried: observed %d, expected %.1f, sd %.1f", j.Retried, mean, sd)
			case "drop":
				if j.Retried != 0 {
					t.Errorf("retried %d with on_interruption = drop, want 0", j.Retried)
				}
				if j.Dropped != j.Interrupted {
					t.Errorf("dropped %d, want interrupted %d", j.Dropped, j.Interrupted)
				}
				mean := q * n
				sd := math.Sqrt(n * q * (1 - q))
				if d := math.Abs(float64(j.Dropped) - mean); d > poissonZ*sd {
					t.Errorf("dropped %d, expected %.1f ± %g × %.1f", j.Dropped, mean, poissonZ, sd)
				}
				t.Logf("dropped: observed %d, expected %.1f, sd %.1f", j.Dropped, mean, sd)
			}
		})
	}
}

// checkSeries compares every datapoint of a timeseries column with
// want(k), the hand-derived value of datapoint k (float32 precision).
func checkSeries(t *testing.T, r *Result, col string, want func(k int) float64) {
	t.Helper()
	d := column(t, r, col)
	bad := 0
	for k, v := range d {
		if w := want(k); math.Abs(float64(v)-w) > 1e-5*math.Max(1, math.Abs(w)) {
			if bad < 5 {
				t.Errorf("%s datapoint %d = %g, want %g", col, k, v, w)
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d datapoints wrong in all", col, bad)
	}
}

// TestSpotStormFargate: a spot_interruptions event warns round(fraction ×
// n) of the provider's Fargate Spot tasks at once (SCENARIO.md [[events]]);
// each is a Spot interruption with its two-minute warning, and the service
// replaces it on FARGATE_SPOT at the warning (ECS-SEMANTICS.md §7).
//
// 10 tasks, interruptions_per_task_hour 0, fraction 0.5 at 10m, 30 min:
//   - interruptions = tasks.interrupted = round(0.5 × 10) = 5;
//     started = 10 + 5; stopped = 5 (at 12m).
//   - running_count per minute (startup 0 s: replacements RUNNING at
//     10m): 10 on [0, 10m), 15 on [10m, 12m) (the warned tasks run out
//     their warning), 10 from 12m.
//   - task_hours = 10 × 0.5 h + 5 × 2 min = 5 + 1/6 h.
func TestSpotStormFargate(t *testing.T) {
	r := runScenario(t, fargateSpotServiceScenario("30m", "1m", 10, 0, `
[[events]]
at = "10m"
type = "spot_interruptions"
capacity_provider = "FARGATE_SPOT"
fraction = 0.5
`), 1)
	p := r.CapacityProviders["FARGATE_SPOT"]
	s := serviceResult(t, r, "web")
	if p.Interruptions != 5 || s.Tasks.Interrupted != 5 {
		t.Errorf("interruptions %d, tasks.interrupted %d, want 5 and 5", p.Interruptions, s.Tasks.Interrupted)
	}
	if s.Tasks.Started != 15 || s.Tasks.Stopped != 5 || s.PendingAtEnd != 0 {
		t.Errorf("started %d stopped %d pending_at_end %d, want 15, 5, 0", s.Tasks.Started, s.Tasks.Stopped, s.PendingAtEnd)
	}
	wantClose(t, "FARGATE_SPOT task_hours", *p.TaskHours, 5+5*spotWarningHours, 1e-9)
	checkSeries(t, r, "service/web/running_count", func(k int) float64 {
		if k == 10 || k == 11 {
			return 15
		}
		return 10
	})
}

// ec2SpotServiceScenario is a Spot group "spot" of `size` m5.large (2048
// CPU units) in one AZ, launching at once (launch_time 0 s), with no
// interruption hazard, optional spot_draining, and a service "app" of
// `tasks` tasks of 512 CPU on it (default EC2 placement: spread over AZs,
// then instances, so one task per instance when tasks = size), healthy
// and stopping at once (healthy_after, stop_timeout 0 s).
func ec2SpotServiceScenario(size, tasks int, draining bool, startup, events string) string {
	return fmt.Sprintf(`
name = "ec2-spot-events"
duration = "30m"
region = "us-east-1"
[cluster]
availability_zones = ["us-east-1a"]
default_capacity_provider_strategy = [ { capacity_provider = "spot", weight = 1 } ]
[[capacity_providers]]
name = "spot"
instance_types = ["m5.large"]
market = "spot"
min_size = 0
max_size = 20
desired_capacity = %d
launch_time = "0s"
spot_draining = %t
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "bridge"
startup_time = %q
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = %d
%s`, size, draining, startup, tasks, events)
}

// TestSpotStormEC2: a spot_interruptions event on a Spot group warns
// round(fraction × n) of its instances (SCENARIO.md [[events]]); without
// spot_draining each stops 2 minutes later with its tasks, the service
// replaces them and EC2 Auto Scaling launches a replacement instance
// (ECS-SEMANTICS.md §7; SCENARIO.md: a group "stays at desired_capacity,
// replacing instances that fail or are interrupted").
//
// 10 instances with one task each, fraction 0.5 at 10m:
//   - interruptions = 5; tasks.interrupted = 5 (one task on each warned
//     instance, counted at the warning);
//   - terminations = 5 (at 12m), launches = 10 + 5;
//   - tasks: started 10 + 5, stopped 5, pending_at_end 0;
//   - instances: 10 in every datapoint (the 5 warned run until 12m, their
//     replacements from 12m); instance_hours = 5 × 12 min + 5 × 18 min +
//     5 × 30 min = 300 min = 5 h.
func TestSpotStormEC2(t *testing.T) {
	r := runScenario(t, ec2SpotServiceScenario(10, 10, false, "0s", `
[[events]]
at = "10m"
type = "spot_interruptions"
capacity_provider = "spot"
fraction = 0.5
`), 1)
	p := r.CapacityProviders["spot"]
	s := serviceResult(t, r, "app")
	if p.Interruptions != 5 || *p.Terminations != 5 || *p.Launches != 15 {
		t.Errorf("interruptions %d terminations %d launches %d, want 5, 5, 15", p.Interruptions, *p.Terminations, *p.Launches)
	}
	if s.Tasks.Interrupted != 5 || s.Tasks.Started != 15 || s.Tasks.Stopped != 5 || s.PendingAtEnd != 0 {
		t.Errorf("tasks %+v pending_at_end %d, want interrupted 5, started 15, stopped 5, pending 0", s.Tasks, s.PendingAtEnd)
	}
	wantClose(t, "instance_hours", *p.InstanceHours, 5, 1e-9)
	checkSeries(t, r, "capacity_provider/spot/instances", func(int) float64 { return 10 })
	checkSeries(t, r, "service/app/running_count", func(int) float64 { return 10 })
}

// TestSpotDraining: with spot_draining (ECS_ENABLE_SPOT_INSTANCE_DRAINING)
// a warned instance is set to DRAINING at the warning, so its service
// tasks are replaced elsewhere before it stops; without it the tasks run
// until the instance stops 2 minutes later (ECS developer guide
// "Configuring Amazon ECS Linux container instances to receive Spot
// Instance notices"; ECS-SEMANTICS.md §7). Either way the group launches a
// replacement instance.
//
// 4 instances, one task each (startup 30 s, healthy_after 0 s,
// stop_timeout 0 s), spot_interruptions fraction 0.25 at 10m (1
// instance):
//   - draining: at 10m the instance leaves the group's count and a
//     replacement launches (registered at once); the task's replacement is
//     placed at 10m, RUNNING and healthy at 10m30s, when the drained task
//     stops (100 % minimum healthy: 5 healthy − 1 ≥ 4) and the empty
//     instance terminates. running_count is 4 in every minute (in minute
//     10: 4 for 60 s + 0.5 − 0.5). instance_hours = 3 × 30 + 10.5 + 20 min
//     = 120.5 min. The instances datapoint of minute 10 is 5 for 30 s and
//     4 for 30 s: 4.5.
//   - no draining: the instance and its task stop at 12m; the replacement
//     task is placed at once and runs at 12m30s: minute 12 has 3.5
//     running. instance_hours = 4 × 30 min = 2 h; the instances datapoint
//     is 4 throughout.
//   - minute 0: the first tasks are placed at 0 s and run from 30 s:
//     running_count 4 × 30/60 = 2.
//
// Both: interruptions 1, tasks.interrupted 1, started 5, stopped 1,
// launches 5, terminations 1.
func TestSpotDraining(t *testing.T) {
	storm := `
[[events]]
at = "10m"
type = "spot_interruptions"
capacity_provider = "spot"
fraction = 0.25
`
	for _, tc := range []struct {
		draining     bool
		instHours    float64
		runningDip   int     // minute with the dip, or -1
		runningAtDip float64 // running_count in that minute
		instances10  float64 // instances datapoint of minute 10
	}{
		{true, 120.5 / 60, -1, 4, 4.5},
		{false, 2, 12, 3.5, 4},
	} {
		t.Run(fmt.Sprintf("spot_draining=%t", tc.draining), func(t *testing.T) {
			r := runScenario(t, ec2SpotServiceScenario(4, 4, tc.draining, "30s", storm), 1)
			p := r.CapacityProviders["spot"]
			s := serviceResult(t, r, "app")
			if p.Interruptions != 1 || *p.Terminations != 1 || *p.Launches != 5 {
				t.Errorf("interruptions %d terminations %d launches %d, want 1, 1, 5", p.Interruptions, *p.Terminations, *p.Launches)
			}
			if s.Tasks.Interrupted != 1 || s.Tasks.Started != 5 || s.Tasks.Stopped != 1 || s.PendingAtEnd != 0 {
				t.Errorf("tasks %+v pending_at_end %d, want interrupted 1, started 5, stopped 1, pending 0", s.Tasks, s.PendingAtEnd)
			}
			wantClose(t, "instance_hours", *p.InstanceHours, tc.instHours, 1e-9)
			checkSeries(t, r, "service/app/running_count", func(k int) float64 {
				switch {
				case k == 0:
					return 2 // the first 4 tasks run from 30 s: 4 × 30/60
				case k == tc.runningDip:
					return tc.runningAtDip
				}
				return 4
			})
			checkSeries(t, r, "capacity_provider/spot/instances", func(k int) float64 {
				if k == 10 {
					return tc.instances10
				}
				return 4
			})
		})
	}
}

// shortageScenario is a service "web" of 2 Fargate Spot tasks (startup 0
// s) scaled to 6 at 15m, a job "batch" on FARGATE_SPOT submitting one
// 1-minute task every 5 minutes (rate(5 minutes): at 5m, 10m, ..., 55m;
// 11 in the hour), and the Fargate Spot shortage windows given.
func shortageScenario(shortages, events string) string {
	return fmt.Sprintf(`
name = "fargate-spot-shortage"
duration = "1h"
[fargate_spot]
capacity_shortages = [ %s ]
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
desired_count = 2
capacity_provider_strategy = [ { capacity_provider = "FARGATE_SPOT", weight = 1 } ]
[[jobs]]
name = "batch"
task_definition = "web"
schedule = "rate(5 minutes)"
duration = "1m"
capacity_provider_strategy = [ { capacity_provider = "FARGATE_SPOT", weight = 1 } ]
[[events]]
at = "15m"
type = "scale"
service = "web"
desired_count = 6
%s`, shortages, events)
}

// TestSpotShortageFargate: during a Fargate Spot capacity shortage new
// service tasks stay PROVISIONING until it ends and a RunTask call on
// FARGATE_SPOT fails at once (failed_to_place, reason CAPACITY_UNAVAILABLE);
// fargate_spot.capacity_shortages windows and spot_capacity_shortage
// events add up (SCENARIO.md "Spot"; ECS-SEMANTICS.md §7).
//
//   - one window [12m, 28m): the 4 tasks wanted at 15m wait 13 min:
//     placement_failures {capacity_unavailable: 4}, placement_wait_seconds
//     max 780, mean (2 × 0 + 4 × 780)/6 = 520; running_count 2 up to
//     minute 27, 6 from minute 28. The job's calls at 15m, 20m and 25m
//     fail: failed_to_place 3, completed 11 − 3 = 8.
//   - that window and a spot_capacity_shortage event at 20m for 17m
//     ([20m, 37m)): the shortage lasts until 37m. Waits 22 min = 1320 s,
//     mean 880; running 6 from minute 37; the calls at 15m to 35m fail:
//     failed_to_place 5, completed 6.
//
// No boundary falls on a job submission, so the order of same-instant
// arrivals and window ends does not matter.
func TestSpotShortageFargate(t *testing.T) {
	for _, tc := range []struct {
		name          string
		events        string
		end           int // minute the shortage ends
		wait          float64
		failed, compl int64
	}{
		{"one window", "", 28, 780, 3, 8},
		{"overlapping windows", `
[[events]]
at = "20m"
type = "spot_capacity_shortage"
capacity_provider = "FARGATE_SPOT"
duration = "17m"
`, 37, 1320, 5, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, shortageScenario(`{ at = "12m", duration = "16m" }`, tc.events), 1)
			s := serviceResult(t, r, "web")
			if got := s.PlacementFailures["capacity_unavailable"]; got != 4 || len(s.PlacementFailures) != 1 {
				t.Errorf("placement_failures %v, want {capacity_unavailable: 4}", s.PlacementFailures)
			}
			if w := s.PlacementWaitSeconds; w == nil || w.Max != tc.wait || !closeRel(w.Mean, 4*tc.wait/6, 1e-12) {
				t.Errorf("placement_wait_seconds %+v, want max %g, mean %g", w, tc.wait, 4*tc.wait/6)
			}
			if s.Tasks.Started != 6 || s.PendingAtEnd != 0 {
				t.Errorf("started %d pending_at_end %d, want 6 and 0", s.Tasks.Started, s.PendingAtEnd)
			}
			checkSeries(t, r, "service/web/running_count", func(k int) float64 {
				if k < tc.end {
					return 2
				}
				return 6
			})
			j := jobResult(t, r, "batch")
			if j.Submitted != 11 || j.FailedToPlace != tc.failed || j.Completed != tc.compl {
				t.Errorf("job submitted %d failed_to_place %d completed %d, want 11, %d, %d", j.Submitted, j.FailedToPlace, j.Completed, tc.failed, tc.compl)
			}
			if got := j.FailedToPlaceByReason["CAPACITY_UNAVAILABLE"]; got != tc.failed || len(j.FailedToPlaceByReason) != 1 {
				t.Errorf("failed_to_place_by_reason %v, want {CAPACITY_UNAVAILABLE: %d}", j.FailedToPlaceByReason, tc.failed)
			}
		})
	}
}

// TestSpotShortageEC2Group: a spot_capacity_shortage on an EC2 Spot group
// makes its launches fail for the duration (SCENARIO.md "Spot"); the
// group launches what it lacks when the shortage ends (model assumption
// in fillGroup). 4 instances (one task each, startup 0 s), shortage
// [5m, 30m), spot_interruptions fraction 0.5 at 10m: 2 instances stop at
// 12m and are relaunched only at 30m. Instances datapoints: 4 before
// minute 12, 2 on minutes 12-29, 4 from 30; launches 6, terminations 2.
// The 2 lost tasks are replaced at once on the 2 instances left (each
// holds 4 tasks of 512 CPU): running_count stays 4.
func TestSpotShortageEC2Group(t *testing.T) {
	r := runScenario(t, ec2SpotServiceScenario(4, 4, false, "0s", `
[[events]]
at = "5m"
type = "spot_capacity_shortage"
capacity_provider = "spot"
duration = "25m"
[[events]]
at = "10m"
type = "spot_interruptions"
capacity_provider = "spot"
fraction = 0.5
`)+"\n", 1)
	p := r.CapacityProviders["spot"]
	if p.Interruptions != 2 || *p.Terminations != 2 || *p.Launches != 6 {
		t.Errorf("interruptions %d terminations %d launches %d, want 2, 2, 6", p.Interruptions, *p.Terminations, *p.Launches)
	}
	checkSeries(t, r, "capacity_provider/spot/instances", func(k int) float64 {
		if k >= 12 && k < 30 {
			return 2
		}
		return 4
	})
	checkSeries(t, r, "service/app/running_count", func(int) float64 { return 4 })
	if s := serviceResult(t, r, "app"); s.Tasks.Interrupted != 2 || s.Tasks.Started != 6 || s.PendingAtEnd != 0 {
		t.Errorf("tasks %+v pending_at_end %d, want interrupted 2, started 6, pending 0", s.Tasks, s.PendingAtEnd)
	}
}

// TestSpotShortageWindowBoundary: a fargate_spot.capacity_shortages
// window { at, duration } covers [at, at + duration) (the contract of
// openWindow in run.go, and SCENARIO.md's convention for spans, e.g.
// datapoint k covers [kP, (k+1)P)). A shortage window is a fault, and
// SCENARIO.md "Time and order" runs interruptions and faults before
// arrivals at the same millisecond, so a RunTask call at exactly `at`
// fails and one at exactly at + duration is placed.
//
// Job "batch" submits at 5m, 10m, 15m, ... (rate(5 minutes)):
//   - window [10m, 17m): the calls at 10m and 15m fail: failed_to_place 2;
//   - window [12m, 20m): only the call at 15m fails: failed_to_place 1.
func TestSpotShortageWindowBoundary(t *testing.T) {
	for _, tc := range []struct {
		window string
		failed int64
	}{
		{`{ at = "10m", duration = "7m" }`, 2},
		{`{ at = "12m", duration = "8m" }`, 1},
	} {
		t.Run(tc.window, func(t *testing.T) {
			r := runScenario(t, shortageScenario(tc.window, ""), 1)
			if j := jobResult(t, r, "batch"); j.FailedToPlace != tc.failed {
				t.Errorf("window %s: failed_to_place %d, want %d (the window is [at, at + duration))", tc.window, j.FailedToPlace, tc.failed)
			}
		})
	}
}

// ec2SpotLongScenario is a Spot group of 20 m5.large (default launch_time
// 90 s) interrupted at 0.05 per instance-hour, with or without
// spot_draining, under a service "app" of 20 tasks of 512 CPU (default
// startup 30 s, healthy_after 40 s, stop_timeout 30 s), for 30 days.
func ec2SpotLongScenario(draining bool) string {
	return fmt.Sprintf(`
name = "ec2-spot-service"
duration = "30d"
region = "us-east-1"
[[capacity_providers]]
name = "spot"
instance_types = ["m5.large"]
market = "spot"
min_size = 0
max_size = 40
desired_capacity = 20
spot_draining = %t
  [capacity_providers.interruptions]
  per_instance_hour = 0.05
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "bridge"
[[services]]
name = "app"
task_definition = "app"
desired_count = 20
capacity_provider_strategy = [ { capacity_provider = "spot", weight = 1 } ]
`, draining)
}

// TestSpotEC2ServiceNoTaskLost: over a long run of EC2 Spot interruptions
// every service task lost is replaced (ECS service scheduler; ECS-SEMANTICS.md
// §7), and spot_draining turns the loss of running time at each
// interruption into an overlap.
//
// 20 instances × 720 h × 0.05 ≈ 720 interruptions. Every instance has room
// for 4 tasks, so a replacement is placed at once; it runs after its 30 s
// startup and is healthy 40 s later. The first tasks wait for the
// instances (90 s) and their startup: 20 × 120 s = 2400 task-seconds not
// running at the start. With S = tasks.stopped and T = 720 h:
//   - no draining: a task stops with its instance and its replacement runs
//     30 s later: running_count mean = 20 − (30 S + 2400)/T, exactly
//     but for the horizon; the tolerance is 300 task-seconds. Every stop
//     is replaced: started = 20 + S.
//   - draining: at the warning the replacement starts, runs 30 s later and
//     lets the drained task stop when healthy (70 s): 40 s of overlap per
//     task, mean ≈ 20 + (40 S − 2400)/T. Not exact: a drained task that is
//     not yet healthy stops at once (releaseDrained), and with two
//     instances draining the first replacement healthy may release the
//     other instance's task; the tolerance is 600 task-seconds (2 % of
//     the overlap). The mean must exceed 20. started − S ∈ [20, 20 + the
//     tasks still draining at the horizon].
//
// Both: pending_at_end 0; launches = 20 + interruptions (each warned
// instance is replaced once; the last may be pending at the horizon, so
// launches ∈ [20 + I − 1, 20 + I]).
func TestSpotEC2ServiceNoTaskLost(t *testing.T) {
	const T = 720 * 3600.0 // seconds
	for _, draining := range []bool{false, true} {
		t.Run(fmt.Sprintf("spot_draining=%t", draining), func(t *testing.T) {
			r := runScenario(t, ec2SpotLongScenario(draining), 3)
			p := r.CapacityProviders["spot"]
			s := serviceResult(t, r, "app")
			S := float64(s.Tasks.Stopped)
			t.Logf("interruptions %d, launches %d, terminations %d, tasks %+v, running_count %+v",
				p.Interruptions, *p.Launches, *p.Terminations, s.Tasks, *s.RunningCount)
			checkPoisson(t, "spot interruptions", p.Interruptions, 0.05*(*p.InstanceHours-float64(p.Interruptions)*spotWarningHours))
			if s.PendingAtEnd != 0 {
				t.Errorf("pending_at_end %d, want 0", s.PendingAtEnd)
			}
			if l := *p.Launches; l < 20+p.Interruptions-1 || l > 20+p.Interruptions {
				t.Errorf("launches %d, want 20 + interruptions %d (the last may be owed)", l, p.Interruptions)
			}
			mean := s.RunningCount.Mean
			if !draining {
				want := 20 - (30*S+2400)/T
				t.Logf("running_count mean %.7f, theory %.7f, diff %.1f task-seconds", mean, want, (mean-want)*T)
				if math.Abs(mean-want)*T > 300 {
					t.Errorf("running_count mean %.7f, want 20 − (30 S + 2400)/T = %.7f", mean, want)
				}
				if s.Tasks.Started != 20+s.Tasks.Stopped {
					t.Errorf("started %d, want 20 + stopped = %d", s.Tasks.Started, 20+s.Tasks.Stopped)
				}
				return
			}
			want := 20 + (40*S-2400)/T
			t.Logf("running_count mean %.7f, theory %.7f, diff %.1f task-seconds", mean, want, (mean-want)*T)
			if math.Abs(mean-want)*T > 600 || mean <= 20 {
				t.Errorf("running_count mean %.7f, want about 20 + (40 S − 2400)/T = %.7f, above 20", mean, want)
			}
			if d := s.Tasks.Started - s.Tasks.Stopped; d < 20 || d > 22 {
				t.Errorf("started − stopped = %d, want 20 (+ tasks still draining at the horizon)", d)
			}
		})
	}
}

// TestSpotDrainingWarnedWhileLaunching: with spot_draining, ECS "receives
// the Spot Instance interruption notice and places the instance in
// DRAINING status" (ECS developer guide "Configuring Amazon ECS Linux
// container instances to receive Spot Instance notices"), and
// ECS-SEMANTICS.md §7 has the instance DRAINING for the two minutes of
// the warning. The notice stays in the instance metadata until the
// instance stops, so an instance warned while still launching is seen
// by its agent as soon as it starts: it should register DRAINING and
// never receive a task. (Model reading: the agent's first poll of the
// notice is taken as instantaneous.)
//
// 2 m5.large launching for 90 s, a service of 2 tasks (startup 30 s);
// spot_interruptions fraction 0.5 at 30 s warns one launching instance,
// which stops at 150 s. Both tasks should go to the healthy instance (4
// tasks of 512 CPU fit): started 2, stopped 0, interrupted 0; running
// from 120 s on without a dip.
func TestSpotDrainingWarnedWhileLaunching(t *testing.T) {
	r := runScenario(t, `
name = "warned-launching"
duration = "10m"
region = "us-east-1"
[cluster]
availability_zones = ["us-east-1a"]
[[capacity_providers]]
name = "spot"
instance_types = ["m5.large"]
market = "spot"
min_size = 0
max_size = 4
desired_capacity = 2
launch_time = "90s"
spot_draining = true
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "bridge"
startup_time = "30s"
healthy_after = "0s"
stop_timeout = "0s"
[[services]]
name = "app"
task_definition = "app"
desired_count = 2
capacity_provider_strategy = [ { capacity_provider = "spot", weight = 1 } ]
[[events]]
at = "30s"
type = "spot_interruptions"
capacity_provider = "spot"
fraction = 0.5
`, 1)
	s := serviceResult(t, r, "app")
	if s.Tasks.Started != 2 || s.Tasks.Stopped != 0 {
		t.Errorf("tasks %+v: want started 2, stopped 0 (no task placed on the instance warned while launching)", s.Tasks)
	}
	checkSeries(t, r, "service/app/running_count", func(k int) float64 {
		switch {
		case k < 2:
			return 0 // registered at 90 s, running at 120 s
		}
		return 2
	})
}
