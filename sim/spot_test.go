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

// checkEC2SpotRate runs a Spot group without spot_draining and checks its
// interruption count against hazard h per instance-hour.
//
// Without spot_draining a warned instance runs 2 minutes, then stops and
// the group launches its replacement (EC2 Auto Scaling replaces
// interrupted instances): the group always has `size` instances, so
// instance_hours = size × T exactly, and the instance-hours at risk are
// instance_hours − I × 2 min (a warned instance is not at risk again),
// less nothing else. Every stop is a termination and every replacement a
// launch: launches = size + terminations, terminations ∈ [I − 1, I].
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
