package sim

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// Deployment tests (ECS-SEMANTICS.md §6; SCENARIO.md "Health and the
// circuit breaker" and results.json deployments). Every scenario here is a
// Fargate service (tasks are placed the instant they are wanted) whose
// revisions start in a constant startup_time S, become healthy
// healthy_after H after RUNNING and stop stop_timeout after STOPPING begins,
// so every instant below is exact. Revision web:1 is the one the service
// starts with; a deploy event at t0 = 1h rolls out web:2.

// depScenario describes one deployment scenario; zero fields take the
// defaults given in depScenario.toml.
type depScenario struct {
	duration string // "2h"
	desired  int
	// web:1 and web:2 sizes (CPU units, MiB): 1024 / 2048 when zero.
	cpu1, mem1, cpu2, mem2 int
	failure2               float64 // web:2 failure_rate
	startup, healthy, stop string  // S, H, stop_timeout of both: "30s", "20s", "10s"
	deployment             string  // the [services.deployment] body
	load                   string  // the [services.load] body, "" for none
	autoscaling            string  // the [services.autoscaling] section, "" for none
	deployAt               string  // "1h"; "" with noDeploy
	noDeploy               bool
}

func orStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func (d depScenario) toml() string {
	var b strings.Builder
	fmt.Fprintf(&b, `
name = "deploy"
duration = %q
region = "us-east-1"
metrics_period = "1m"
`, orStr(d.duration, "2h"))
	for rev, sz := range [][2]int{{orInt(d.cpu1, 1024), orInt(d.mem1, 2048)}, {orInt(d.cpu2, 1024), orInt(d.mem2, 2048)}} {
		fail := 0.0
		if rev == 1 {
			fail = d.failure2
		}
		fmt.Fprintf(&b, `
[[task_definitions]]
family = "web"
revision = %d
cpu = %d
memory = %d
startup_time = { dist = "constant", value = %q }
healthy_after = %q
stop_timeout = %q
failure_rate = %g
`, rev+1, sz[0], sz[1], orStr(d.startup, "30s"), orStr(d.healthy, "20s"), orStr(d.stop, "10s"), fail)
	}
	fmt.Fprintf(&b, `
[[services]]
name = "web"
task_definition = "web:1"
desired_count = %d
launch_type = "FARGATE"
`, d.desired)
	if d.load != "" {
		fmt.Fprintf(&b, "  [services.load]\n%s\n", d.load)
	}
	if d.autoscaling != "" {
		b.WriteString(d.autoscaling + "\n")
	}
	fmt.Fprintf(&b, "  [services.deployment]\n%s\n", d.deployment)
	if !d.noDeploy {
		fmt.Fprintf(&b, `
[[events]]
at = %q
type = "deploy"
service = "web"
task_definition = "web:2"
`, orStr(d.deployAt, "1h"))
	}
	return b.String()
}

// Prices (builtin catalog, `ecssim prices`, us-east-1 Linux x86 FARGATE):
// 0.04048 USD per vCPU-hour and 0.004445 per GiB-hour. A 1 vCPU / 2 GiB
// task: 0.04048 + 2 × 0.004445 = 0.04937 USD/hour.
const (
	fgVCPUHour = 0.04048
	fgGBHour   = 0.004445
	rate1x2    = fgVCPUHour + 2*fgGBHour // 0.04937 USD/hour
)

// deployments returns the service's deployment entries, failing the test
// when there are not n of them.
func deployments(t *testing.T, r *Result, n int) []DeploymentResult {
	t.Helper()
	deps := serviceResult(t, r, "web").Deployments
	if len(deps) != n {
		t.Fatalf("deployments = %+v, want %d entries", deps, n)
	}
	return deps
}

// wantDep is what a test expects of one deployment entry; finished < 0
// means IN_PROGRESS (finished_at_seconds null).
type wantDep struct {
	td                 string
	state              string
	started, finished  float64
	failed             int64
	minHealthy, maxTsk int
}

func checkDep(t *testing.T, got DeploymentResult, want wantDep, derivation string) {
	t.Helper()
	fin := "null"
	if got.FinishedAtSeconds != nil {
		fin = fmt.Sprint(*got.FinishedAtSeconds)
	}
	ok := got.TaskDefinition == want.td && got.State == want.state && got.StartedAtSeconds == want.started &&
		got.FailedTasks == want.failed && got.MinHealthyRunning == want.minHealthy && got.MaxTasks == want.maxTsk
	if want.finished < 0 {
		ok = ok && got.FinishedAtSeconds == nil
	} else {
		ok = ok && got.FinishedAtSeconds != nil && *got.FinishedAtSeconds == want.finished
	}
	if !ok {
		t.Errorf("deployment {td %s state %s started %g finished %s failed %d min_healthy %d max_tasks %d}\nwant     {td %s state %s started %g finished %g failed %d min_healthy %d max_tasks %d}\n(%s)",
			got.TaskDefinition, got.State, got.StartedAtSeconds, fin, got.FailedTasks, got.MinHealthyRunning, got.MaxTasks,
			want.td, want.state, want.started, want.finished, want.failed, want.minHealthy, want.maxTsk, derivation)
	}
}

// TestRollingDeploymentBounds pins the four rolling examples of
// ECS-SEMANTICS.md §6 (ECS developer guide "Deploy Amazon ECS services by
// replacing tasks" [deployment-type-ecs]): at least
// ceil(desired × minimum_healthy_percent / 100) tasks healthy, at most
// floor(desired × maximum_percent / 100) tasks PENDING or RUNNING.
//
// Desired 4 (or 2, 3) tasks of web:1, 1 vCPU / 2 GiB (0.04937 USD/h), S =
// 30 s, H = 20 s, stop_timeout 10 s; deploy web:2 (same size, healthy) at
// t0 = 3600 s. Tasks of web:1 are all healthy by then.
//
//   - min 50 %, max 100 %, desired 4: minimum healthy ceil(2) = 2, maximum
//     4. At t0 two old tasks stop (healthy 4 → 2; they are STOPPING, billed
//     to t0 + 10 s, not counted), two new start (PENDING: 4 tasks). At
//     t0 + S + H = 3650 the two are healthy: healthy 4, so the last two old
//     stop (→ 2) and two more new start; they are healthy at t0 + 2(S + H)
//     = 3700: COMPLETED at 3700. min_healthy_running 2, max_tasks 4.
//     Cost rate: 6 tasks billed for [t0, t0+10 s) and [3650, 3660) (old
//     STOPPING + new), 4 otherwise: extra = 2 × 0.04937 × 20 / 3600 =
//     0.000548555… USD.
//   - max 200 %, min 100 %, desired 4: minimum 4, maximum 8. Four new start
//     at t0 (8 tasks), none may stop; at 3650 the four are healthy, the
//     four old stop, COMPLETED at 3650. min_healthy 4, max_tasks 8; extra =
//     4 × 0.04937 × 50 / 3600 = 0.0027427… USD (the old tasks' stop_timeout
//     comes after the deployment ended).
//   - min 75 %, max 100 %, desired 2: minimum ceil(1.5) = 2, maximum 2: no
//     task may stop and none may start: stuck, IN_PROGRESS at the horizon,
//     a warning saying "stuck"; min_healthy 2, max_tasks 2, no extra cost.
//   - max 125 %, min 100 %, desired 3: maximum floor(3.75) = 3, minimum 3:
//     stuck likewise.
func TestRollingDeploymentBounds(t *testing.T) {
	cases := []struct {
		name            string
		desired, mn, mx int
		want            wantDep
		extra           float64
		stuck           bool
		derivation      string
	}{
		{"min 50 desired 4", 4, 50, 100,
			wantDep{"web:2", "COMPLETED", 3600, 3700, 0, 2, 4}, 2 * rate1x2 * 20 / 3600, false,
			"stop 2, start 2; at 3650 stop 2, start 2; done at 3600 + 2 × 50"},
		{"max 200 desired 4", 4, 100, 200,
			wantDep{"web:2", "COMPLETED", 3600, 3650, 0, 4, 8}, 4 * rate1x2 * 50 / 3600, false,
			"start 4 beside 4; at 3650 stop the 4 old; done at 3600 + 50"},
		{"min 75 desired 2 stuck", 2, 75, 100,
			wantDep{"web:2", "IN_PROGRESS", 3600, -1, 0, 2, 2}, 0, true,
			"minimum ceil(1.5) = 2 = maximum 2: cannot stop nor start"},
		{"max 125 desired 3 stuck", 3, 100, 125,
			wantDep{"web:2", "IN_PROGRESS", 3600, -1, 0, 3, 3}, 0, true,
			"maximum floor(3.75) = 3 = minimum 3: cannot start nor stop"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, depScenario{desired: tc.desired,
				deployment: fmt.Sprintf("  minimum_healthy_percent = %d\n  maximum_percent = %d", tc.mn, tc.mx)}.toml(), 1)
			d := deployments(t, r, 1)[0]
			checkDep(t, d, tc.want, tc.derivation)
			wantClose(t, "extra_cost_usd", d.ExtraCostUSD, tc.extra, 1e-9)
			stuckWarned := false
			for _, w := range r.Warnings {
				if strings.Contains(w, "stuck") {
					stuckWarned = true
				}
			}
			if stuckWarned != tc.stuck {
				t.Errorf("stuck warning %v, want %v (warnings %q)", stuckWarned, tc.stuck, r.Warnings)
			}
			s := serviceResult(t, r, "web")
			wantStarted := int64(tc.desired) * 2 // web:1 then web:2
			if tc.stuck {
				wantStarted = int64(tc.desired)
			}
			if s.Tasks.Started != wantStarted || s.Tasks.Failed != 0 {
				t.Errorf("tasks %+v, want started %d, failed 0", s.Tasks, wantStarted)
			}
		})
	}
}

// TestBreakerThreshold pins the circuit breaker's failure threshold
// min(max(ceil(0.5 × desired), 3), 200) (ECS developer guide "How the
// Amazon ECS deployment circuit breaker detects failures"
// [deployment-circuit-breaker]).
func TestBreakerThreshold(t *testing.T) {
	for _, c := range []struct {
		desired int
		want    int64
	}{
		{1, 3}, {4, 3}, {5, 3}, {6, 3}, {7, 4}, {10, 5}, {30, 15},
		{397, 199}, {399, 200}, {400, 200}, {401, 200}, {420, 200},
	} {
		if got := breakerThreshold(c.desired); got != c.want {
			t.Errorf("breakerThreshold(%d) = %d, want min(max(ceil(%d/2), 3), 200) = %d", c.desired, got, c.desired, c.want)
		}
	}
}

// TestBreakerTripsAtThreshold: with exactly one new task in flight the
// breaker's count reaches the threshold one failure at a time, so
// failed_tasks equals it (SCENARIO.md results.json: "with one new task in
// flight it equals the circuit breaker's threshold"; ECS-SEMANTICS.md §6).
//
// minimum 100 % and maximum_percent with floor(desired × max / 100) =
// desired + 1: desired 1 max 200 (2), desired 4 max 125 (5), desired 10
// max 110 (11). Every web:2 task fails its health check (failure_rate 1)
// at RUNNING + H = placed + 50 s and is replaced the same instant; the
// k-th fails at t0 + 50 k. Threshold 3, 3, 5 → trip at 3600 + 50 × thr =
// 3750, 3750, 3850.
//   - rollback: the entry is ROLLED_BACK at the trip, a second entry for
//     web:1 starts then and is COMPLETED at once (all desired tasks are
//     healthy web:1 tasks).
//   - no rollback: FAILED at the trip, no second entry; the old tasks
//     keep running, so no further task starts or fails.
//
// min_healthy_running = desired (no old task may stop), max_tasks =
// desired + 1; tasks.failed = thr.
func TestBreakerTripsAtThreshold(t *testing.T) {
	for _, c := range []struct {
		desired, maxPct int
		thr             int64
	}{{1, 200, 3}, {4, 125, 3}, {10, 110, 5}} {
		for _, rollback := range []bool{true, false} {
			t.Run(fmt.Sprintf("desired %d rollback %v", c.desired, rollback), func(t *testing.T) {
				r := runScenario(t, depScenario{desired: c.desired, failure2: 1,
					deployment: fmt.Sprintf("  minimum_healthy_percent = 100\n  maximum_percent = %d\n  circuit_breaker = { enable = true, rollback = %v }", c.maxPct, rollback)}.toml(), 1)
				trip := 3600 + 50*float64(c.thr)
				der := fmt.Sprintf("one new task in flight fails every 50 s; threshold %d → trip at %g", c.thr, trip)
				if rollback {
					deps := deployments(t, r, 2)
					checkDep(t, deps[0], wantDep{"web:2", "ROLLED_BACK", 3600, trip, c.thr, c.desired, c.desired + 1}, der)
					checkDep(t, deps[1], wantDep{"web:1", "COMPLETED", trip, trip, 0, c.desired, c.desired}, "the rollback of "+der)
				} else {
					deps := deployments(t, r, 1)
					checkDep(t, deps[0], wantDep{"web:2", "FAILED", 3600, trip, c.thr, c.desired, c.desired + 1}, der)
				}
				s := serviceResult(t, r, "web")
				if s.Tasks.Failed != c.thr || s.Tasks.Started != int64(c.desired)+c.thr {
					t.Errorf("tasks %+v, want failed %d and started %d + %d", s.Tasks, c.thr, c.desired, c.thr)
				}
			})
		}
	}
}

// TestRollbackRestoresOldRevision: after a rollback every task runs the
// last COMPLETED revision again (ECS-SEMANTICS.md §6: "with rollback the
// service redeploys the last COMPLETED task definition"). web:1 is 1 vCPU
// / 2 GiB, web:2 2 vCPU / 4 GiB and fails every health check; desired 4,
// min 50 %, max 100 %, breaker with rollback; S 30 s, H 20 s, stop 10 s;
// horizon 2 h.
//
//   - t0 = 3600: old A, B stop (STOPPING to 3610); new N1, N2 start.
//   - 3650: N1, N2 fail (count 2 < 3), stop (to 3660); N3, N4 start (2 old
//     and 2 new in flight: 4 tasks).
//   - 3700: N3 fails: count 3 = threshold → ROLLED_BACK; web:1 is
//     redeployed: N4 (web:2, not healthy) stops at once (to 3710) and two
//     web:1 tasks R1, R2 start. N4's health check never comes (it is
//     STOPPING), so failed stays 3.
//   - 3750: R1, R2 healthy: the rollback deployment is COMPLETED.
//     min_healthy 2 (C and D), max_tasks: 3 at its start (C, D, N4), then 4.
//
// FARGATE vcpu_hours: A, B 1 vCPU × 3610 s; C, D 1 × 7200; N1..N4 2 ×
// 60 s each (PENDING to STOPPED); R1, R2 1 × 3500 → (7220 + 14400 + 480
// + 7000) / 3600 = 29100 / 3600 = 8.08333… If the service had kept web:2
// the replacements would have been 2-vCPU tasks.
func TestRollbackRestoresOldRevision(t *testing.T) {
	r := runScenario(t, depScenario{desired: 4, cpu2: 2048, mem2: 4096, failure2: 1,
		deployment: "  minimum_healthy_percent = 50\n  maximum_percent = 100\n  circuit_breaker = { enable = true, rollback = true }"}.toml(), 1)
	deps := deployments(t, r, 2)
	checkDep(t, deps[0], wantDep{"web:2", "ROLLED_BACK", 3600, 3700, 3, 2, 4}, "two failures at 3650, the third at 3700")
	checkDep(t, deps[1], wantDep{"web:1", "COMPLETED", 3700, 3750, 0, 2, 4}, "two web:1 tasks start at 3700, healthy at 3750")
	s := serviceResult(t, r, "web")
	if s.Tasks.Failed != 3 || s.Tasks.Started != 10 {
		t.Errorf("tasks %+v, want failed 3, started 4 + 4 (web:2) + 2 (web:1)", s.Tasks)
	}
	fg, ok := r.CapacityProviders["FARGATE"]
	if !ok || fg.VCPUHours == nil || fg.GBHours == nil {
		t.Fatalf("no FARGATE vcpu_hours in %+v", r.CapacityProviders)
	}
	wantClose(t, "FARGATE vcpu_hours", *fg.VCPUHours, 29100.0/3600, 1e-9)
	// GiB: twice the vCPUs for both revisions.
	wantClose(t, "FARGATE gb_hours", *fg.GBHours, 2*29100.0/3600, 1e-9)
	if got := lastPoint(t, r, "capacity_provider/FARGATE/tasks"); got != 4 {
		t.Errorf("billed Fargate tasks at the end %g, want 4", got)
	}
}

// TestBlueGreenDoublesCapacity: BLUE_GREEN starts a full green set, shifts
// all traffic once it is healthy, keeps blue for bake_time, then stops
// blue; while both sets run both are billed (ECS-SEMANTICS.md §6; ECS
// developer guide "Amazon ECS blue/green deployments"
// [deployment-type-blue-green]).
//
// N = 3 tasks of 1 vCPU / 2 GiB (r = 0.04937 USD/h), S = 30 s, H = 30 s,
// bake_time B = 10m, stop_timeout 20 s, deploy at t0 = 3600, horizon 2 h.
//   - green PENDING at 3600, healthy at 3660 (100 % of traffic), blue
//     stops at 3660 + 600 = 4260 (STOPPING, billed to 4280): COMPLETED at
//     4260. max_tasks 2N = 6, min_healthy_running N = 3.
//   - extra_cost_usd (cost above the starting rate 3r while the deployment
//     ran, SCENARIO.md results.json): 3r for [3600, 4260) = 3 × 0.04937 ×
//     660 / 3600 = 0.0271535 USD.
//   - total Fargate cost: blue 3 × 4280 s + green 3 × 3600 s = 23640
//     task-seconds × r / 3600 = 0.3241953… USD.
func TestBlueGreenDoublesCapacity(t *testing.T) {
	r := runScenario(t, depScenario{desired: 3, startup: "30s", healthy: "30s", stop: "20s",
		deployment: "  strategy = \"BLUE_GREEN\"\n  bake_time = \"10m\""}.toml(), 1)
	d := deployments(t, r, 1)[0]
	checkDep(t, d, wantDep{"web:2", "COMPLETED", 3600, 4260, 0, 3, 6}, "green healthy at 3660, bake 600 s")
	wantClose(t, "extra_cost_usd", d.ExtraCostUSD, 3*rate1x2*660/3600, 1e-9)
	wantClose(t, "FARGATE cost", r.Cost.ByCapacityProvider["FARGATE"], 23640*rate1x2/3600, 1e-9)
	running := column(t, r, "service/web/running_count")
	// [60m, 61m): blue 3 + green RUNNING from 60m30s → 3 + 1.5; [62m, 71m):
	// 6; [71m, 72m): blue stops at 71m → 3.
	for _, c := range []struct {
		k    int
		want float64
	}{{59, 3}, {60, 4.5}, {61, 6}, {70, 6}, {71, 3}, {119, 3}} {
		if got := float64(running[c.k]); got != c.want {
			t.Errorf("running_count datapoint [%dm, %dm) = %g, want %g", c.k, c.k+1, got, c.want)
		}
	}
}

// shiftScenario is the traffic-shifting case of TestLinearAndCanaryShift:
// 2 tasks; blue web:1 is 0.25 vCPU (256 / 512), green web:2 4 vCPU (4096 /
// 8192); constant demand 8 vCPU; S = H = 30 s, stop 0 s; bake_time 10m.
func shiftScenario(deployment string) string {
	return depScenario{desired: 2, cpu1: 256, mem1: 512, cpu2: 4096, mem2: 8192,
		startup: "30s", healthy: "30s", stop: "0s",
		load:       "  cpu = { pattern = \"constant\", value = 8 }",
		deployment: deployment + "\n  bake_time = \"10m\""}.toml()
}

// TestLinearAndCanaryShift pins the LINEAR and CANARY schedules
// (ECS-SEMANTICS.md §6; ECS developer guide "Amazon ECS linear
// deployments" and "Amazon ECS canary deployments"): LINEAR shifts
// step_percent each step_bake_time, CANARY shifts percent, waits its
// bake_time, then the rest; both keep blue bake_time after 100 %.
//
// The share s is visible in the unserved demand: blue serves at most 2 ×
// 0.25 = 0.5 vCPU, green 2 × 4 = 8, demand 8, so during the shift served
// = min(8s, 8) + min(8(1 − s), 0.5) and unserved = 8 − served (the load
// model splits traffic by share, SCENARIO.md "Health and the circuit
// breaker"). Green is PENDING at t0 = 60m, healthy at 61m.
//   - before the shift (blue only, 59m-61m): unserved 7.5.
//   - LINEAR 25 % / 6m: s = 0.25 [61m, 67m): served 2.5, unserved 5.5;
//     0.5 [67m, 73m): 3.5; 0.75 [73m, 79m): 1.5; 1 [79m, 89m): 0. Blue
//     stops at 89m: COMPLETED at 5340 s. CPU utilization (served / running
//     reservation 8.5 vCPU) at 100 %: 8 / 8.5 = 94.12 %; green alone from
//     89m: 8 / 8 = 100 %.
//   - CANARY 10 % / 5m: s = 0.1 [61m, 66m): served 0.8 + 0.5 = 1.3,
//     unserved 6.7; 1 [66m, 76m): 0. COMPLETED at 76m = 4560 s.
func TestLinearAndCanaryShift(t *testing.T) {
	cases := []struct {
		name, deployment string
		finish           float64
		unserved         []struct {
			from, to int // minutes [from, to)
			want     float64
		}
		bakeFrom int // minute from which green serves 100 %
	}{
		{"LINEAR 25 % every 6m", "  strategy = \"LINEAR\"\n  linear = { step_percent = 25, step_bake_time = \"6m\" }", 5340,
			[]struct {
				from, to int
				want     float64
			}{{59, 61, 7.5}, {61, 67, 5.5}, {67, 73, 3.5}, {73, 79, 1.5}, {79, 120, 0}}, 79},
		{"CANARY 10 % for 5m", "  strategy = \"CANARY\"\n  canary = { percent = 10, bake_time = \"5m\" }", 4560,
			[]struct {
				from, to int
				want     float64
			}{{59, 61, 7.5}, {61, 66, 6.7}, {66, 120, 0}}, 66},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, shiftScenario(tc.deployment), 1)
			d := deployments(t, r, 1)[0]
			checkDep(t, d, wantDep{"web:2", "COMPLETED", 3600, tc.finish, 0, 2, 4}, "green healthy at 3660, schedule, then 10m bake")
			uns := column(t, r, "service/web/unserved_vcpu")
			for _, seg := range tc.unserved {
				for k := seg.from; k < seg.to; k++ {
					if got := float64(uns[k]); math.Abs(got-seg.want) > 1e-5 {
						t.Errorf("unserved_vcpu [%dm, %dm) = %g, want %g", k, k+1, got, seg.want)
					}
				}
			}
			cpu := column(t, r, "service/web/cpu_utilization")
			end := int(tc.finish) / 60
			for k := tc.bakeFrom; k < 120; k++ {
				want := 100.0 // green alone
				if k < end {
					want = 100 * 8 / 8.5 // blue kept during bake_time
				}
				if got := float64(cpu[k]); math.Abs(got-want) > 1e-4 {
					t.Errorf("cpu_utilization [%dm, %dm) = %g, want %g", k, k+1, got, want)
				}
			}
		})
	}
}

// TestScaleInSuspendedDuringDeployment: Application Auto Scaling holds
// scale-in while a deployment is in progress (ECS-SEMANTICS.md §5; ECS
// developer guide "Service auto scaling": "scale-in processes are
// suspended during deployments").
//
// 4 tasks of 1 vCPU, S 0 s, H 30 s, stop 0 s, demand 1 vCPU, target
// tracking 50 % on CPU (scale in when 15 of 15 datapoints < 45):
//   - utilization is 12.5 % in [0, 1m) (served from 30 s) and 25 %
//     after; without a deployment the first 15 datapoints are below 45 at
//     15m = 900 s: ceil(4 × 25 / 50) = 2.
//   - with a BLUE_GREEN deploy at 10m, bake 30m: green healthy at 10m30s,
//     blue stops at 40m30s = 2430 s (COMPLETED). Nothing scales in before.
//     At the 41m tick the window is 15 of 15 below 45 (running 8 for 30 s
//     at 1/8 = 12.5 % and 4 for 30 s at 25 %: latest 18.75 %): desired =
//     ceil(4 × 18.75 / 50) = ceil(1.5) = 2 at 2460 s.
func TestScaleInSuspendedDuringDeployment(t *testing.T) {
	as := `  [services.autoscaling]
  min_capacity = 1
  max_capacity = 10
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 50`
	base := depScenario{duration: "1h", desired: 4, startup: "0s", healthy: "30s", stop: "0s",
		load: "  cpu = { pattern = \"constant\", value = 1 }", autoscaling: as,
		deployment: "  strategy = \"BLUE_GREEN\"\n  bake_time = \"30m\"", deployAt: "10m"}
	t.Run("no deployment", func(t *testing.T) {
		nd := base
		nd.noDeploy = true
		r := runScenario(t, nd.toml(), 1)
		checkActivities(t, r, "service/web", []wantActivity{{900, 4, 2}},
			"15 datapoints below 45 (12.5 % then 25 %) at 15m: ceil(4·25/50) = 2; then 1/2 = 50 %: settled")
	})
	t.Run("deployment 10m to 40m30s", func(t *testing.T) {
		r := runScenario(t, base.toml(), 1)
		d := deployments(t, r, 1)[0]
		checkDep(t, d, wantDep{"web:2", "COMPLETED", 600, 2430, 0, 4, 8}, "green healthy at 630 s, bake 1800 s")
		acts := checkActivities(t, r, "service/web", []wantActivity{{2460, 4, 2}},
			"none while IN_PROGRESS (600-2430 s); at 41m latest 18.75 %: ceil(4·18.75/50) = 2; then 50 %: settled")
		if len(acts) > 0 && !strings.HasPrefix(acts[0].Reason, "alarm_low") {
			t.Errorf("reason %q, want prefix alarm_low", acts[0].Reason)
		}
	})
}

// TestDeploymentDeterminism: a run with a deployment, random startup
// times, a failure rate below 1 and the circuit breaker with rollback is a
// pure function of the scenario and seed (SCENARIO.md results.json:
// byte-identical output outside run_info). Several seeds, so that runs
// where the breaker trips (and a rollback entry is added) and runs where
// the deployment completes are both covered.
func TestDeploymentDeterminism(t *testing.T) {
	sc := depScenario{desired: 6, failure2: 0.3,
		deployment: "  minimum_healthy_percent = 50\n  maximum_percent = 150\n  circuit_breaker = { enable = true, rollback = true }",
		load:       "  cpu = { pattern = \"constant\", value = 3 }\n  noise = 0.1"}.toml()
	constant := `startup_time = { dist = "constant", value = "30s" }`
	if strings.Count(sc, constant) != 2 {
		t.Fatalf("scenario template changed: no constant startup_time to replace in\n%s", sc)
	}
	sc = strings.ReplaceAll(sc, constant, `startup_time = { dist = "lognormal", median = "30s", p95 = "80s" }`)
	for seed := uint64(1); seed <= 4; seed++ {
		a := resultJSON(t, runScenario(t, sc, seed))
		b := resultJSON(t, runScenario(t, sc, seed))
		if !bytes.Equal(a, b) {
			t.Errorf("two runs with seed %d differ:\n%s\n%s", seed, a, b)
		}
		if !bytes.Contains(a, []byte(`"deployments":[{"task_definition":"web:2"`)) {
			t.Errorf("seed %d: no web:2 deployment entry in %s", seed, a)
		}
	}
}

// TestSupersededDeploymentInactive: a deploy while another deployment is
// in progress supersedes it; the superseded entry ends INACTIVE (ECS's
// status for a replaced deployment; the INACTIVE state is the model's
// addition to SCENARIO.md, deploy() in deployment.go).
//
// Desired 4, min 100 %, max 200 %: at 3600 four web:2 tasks start beside
// the four web:1 (PENDING until 3630). At 3610 web:1 is deployed again:
// the web:2 entry is INACTIVE at 3610 (min_healthy 4, max_tasks 8, extra
// 4 × 0.04937 × 10 / 3600 USD); the new deployment sees the web:2 tasks
// as old and not healthy, stops them at once, and finds 4 healthy web:1
// tasks: COMPLETED at 3610 (max_tasks 8: they were still PENDING at its
// start). vcpu_hours: web:1 4 × 7200 s + web:2 4 × (10 s PENDING + 10 s
// stop_timeout) = 28880 / 3600.
func TestSupersededDeploymentInactive(t *testing.T) {
	sc := depScenario{desired: 4, deployment: "  minimum_healthy_percent = 100\n  maximum_percent = 200"}.toml() + `
[[events]]
at = "1h10s"
type = "deploy"
service = "web"
task_definition = "web:1"
`
	r := runScenario(t, sc, 1)
	deps := deployments(t, r, 2)
	checkDep(t, deps[0], wantDep{"web:2", "INACTIVE", 3600, 3610, 0, 4, 8}, "superseded at 3610")
	checkDep(t, deps[1], wantDep{"web:1", "COMPLETED", 3610, 3610, 0, 4, 8}, "web:1 already runs at full count")
	wantClose(t, "superseded extra_cost_usd", deps[0].ExtraCostUSD, 4*rate1x2*10/3600, 1e-9)
	wantClose(t, "FARGATE vcpu_hours", *r.CapacityProviders["FARGATE"].VCPUHours, 28880.0/3600, 1e-9)
}

// TestBlueGreenRollbackReturnsToBlue: when the breaker rolls back a
// BLUE_GREEN deployment, traffic returns to blue, which still runs the
// restored revision at full count (ECS developer guide "Amazon ECS
// blue/green deployments": "If problems arise with the green deployment,
// you can quickly revert to the blue deployment"; ECS-SEMANTICS.md §6
// "with rollback the service redeploys the last COMPLETED task
// definition"). No new set of the restored revision is needed.
//
// Desired 4 web:1 (1 vCPU); web:2 2 vCPU / 4 GiB, failure_rate 1; S = H
// = 30 s, stop 10 s; breaker with rollback (threshold 3). The green set
// starts at 3600 and all four fail at 3660: the third trips the breaker,
// the fourth is stopped with green. The web:2 entry is ROLLED_BACK at 3660
// (failed 3, min_healthy 4, max_tasks 8); the web:1 entry starts and is
// COMPLETED at 3660 (blue is 4 healthy web:1 tasks; max_tasks 4 once green
// has left). Tasks started 4 + 4; vcpu_hours 4 × 1 × 7200 s + 4 × 2 × 70 s
// (PENDING 3600 to STOPPED 3670) = 29360 / 3600 = 8.1556.
func TestBlueGreenRollbackReturnsToBlue(t *testing.T) {
	r := runScenario(t, depScenario{desired: 4, cpu2: 2048, mem2: 4096, failure2: 1, startup: "30s", healthy: "30s",
		deployment: "  strategy = \"BLUE_GREEN\"\n  circuit_breaker = { enable = true, rollback = true }"}.toml(), 1)
	deps := deployments(t, r, 2)
	checkDep(t, deps[0], wantDep{"web:2", "ROLLED_BACK", 3600, 3660, 3, 4, 8}, "all green fail at 3660; the third trips")
	checkDep(t, deps[1], wantDep{"web:1", "COMPLETED", 3660, 3660, 0, 4, 4}, "blue already serves web:1 at full count")
	s := serviceResult(t, r, "web")
	if s.Tasks.Started != 8 || s.Tasks.Failed != 3 {
		t.Errorf("tasks %+v, want started 8 (4 blue + 4 green), failed 3", s.Tasks)
	}
	wantClose(t, "FARGATE vcpu_hours", *r.CapacityProviders["FARGATE"].VCPUHours, 29360.0/3600, 1e-9)
}

// TestInProgressDeploymentAtHorizon: a deployment still running at the
// horizon is IN_PROGRESS with finished_at_seconds null, and its extra cost
// runs to the horizon (SCENARIO.md results.json: IN_PROGRESS "horizon
// ended"; extra_cost_usd is the cost above the starting rate while it
// ran). BLUE_GREEN with bake_time 2h, 3 tasks of 0.04937 USD/h, deploy at
// 1h, horizon 2h: green is billed from 3600 to 7200 beside blue: extra =
// 3 × 0.04937 × 1 h = 0.14811 USD; max_tasks 6, min_healthy 3.
func TestInProgressDeploymentAtHorizon(t *testing.T) {
	r := runScenario(t, depScenario{desired: 3, startup: "30s", healthy: "30s",
		deployment: "  strategy = \"BLUE_GREEN\"\n  bake_time = \"2h\""}.toml(), 1)
	d := deployments(t, r, 1)[0]
	checkDep(t, d, wantDep{"web:2", "IN_PROGRESS", 3600, -1, 0, 3, 6}, "bake_time outlasts the horizon")
	wantClose(t, "extra_cost_usd", d.ExtraCostUSD, 3*rate1x2, 1e-9)
}
