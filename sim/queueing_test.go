package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/ecssim/ecssim/internal/stats"
)

// Queueing tests: a fixed cluster with exponential job sizes and Poisson
// arrivals is an M/M/c queue (capacity provider strategy: tasks wait in
// PROVISIONING, first come first served) or an M/M/c/c loss system
// (launch_type EC2: a task that does not fit fails at once). Rule:
// SCENARIO.md "Queueing and waiting" and [[jobs]] ("Queueing follows ECS");
// ECS developer guide [cluster-capacity-providers] (PROVISIONING) and the
// RunTask API reference (failures RESOURCE:CPU / RESOURCE:MEMORY).
//
// Expected values come from queueing theory, computed by internal/stats
// (ErlangB, ErlangC, MMcMeanWait), whose values for these loads are checked
// against hand-derived fractions below. The simulation's figures are
// compared across independent replications (one seed each) with a
// Student-t 95 % confidence interval (stats.MeanCI95).
//
// Acceptance band: theory must lie within the replication mean ± 2 half
// widths (≈ 4.2 standard errors). The seeds are fixed, so the test is
// deterministic, but any change to the random streams redraws it; with a
// dozen interval checks a bare 95 % interval would then fail somewhere about
// half the time although nothing is wrong, while 2 half widths fails
// spuriously with probability ~1e-4 per check. The bands stay narrow
// (a few percent, logged below) because each replication is 200 days long.

const (
	queueReplications = 20
	queueHorizon      = "200d"
	queueWarmup       = "2d"
)

// mmcCase is one M/M/c configuration: instances × slotsPer servers, arrival
// rate lambda per hour, exponential run time of mean meanHours.
type mmcCase struct {
	name         string
	instanceType string
	instances    int
	slotsPer     int // tasks of taskCPU that fit one instance by CPU
	taskCPU      int
	lambda       float64 // arrivals per hour
	meanHours    float64 // mean run time, hours
}

func (c mmcCase) servers() int     { return c.instances * c.slotsPer }
func (c mmcCase) offered() float64 { return c.lambda * c.meanHours } // Erlangs

// scenario builds the TOML: one fixed Auto Scaling group (no scaling: it
// stays at desired_capacity), bridge networking (no ENI limit), memory far
// below the instance's, startup_time 0s so a task holds its slot exactly
// for its run time (the slot is also held in PENDING, which then lasts 0 s).
// launchEC2 selects the loss system.
func (c mmcCase) scenario(launchEC2 bool) string {
	placement := `capacity_provider_strategy = [ { capacity_provider = "fixed", weight = 1 } ]`
	if launchEC2 {
		placement = `launch_type = "EC2"`
	}
	return fmt.Sprintf(`
name = "mmc-%s"
duration = %q
warmup = %q
metrics_period = "1h"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "fixed", weight = 1 } ]
[[capacity_providers]]
name = "fixed"
instance_types = [%q]
market = "on_demand"
min_size = %d
max_size = %d
desired_capacity = %d
[[task_definitions]]
family = "work"
cpu = %d
memory = 512
network_mode = "bridge"
startup_time = "0s"
[[jobs]]
name = "work"
task_definition = "work"
arrivals = { process = "poisson", rate_per_hour = %g }
duration = { dist = "exponential", mean = "%gm" }
%s
`, c.name, queueHorizon, queueWarmup, c.instanceType, c.instances, c.instances, c.instances,
		c.taskCPU, c.lambda, c.meanHours*60, placement)
}

var mmcCases = []mmcCase{
	// c = 4, A = 3, ρ = 0.75: C(4,3) = 27/53, Wq = C/(cμ−λ) = 27/53 h.
	{"c4-rho75", "m6i.xlarge", 2, 2, 2048, 3, 1},
	// c = 8, A = 6, ρ = 0.75: C ≈ 0.357 < 1/2, so the median wait is 0.
	{"c8-rho75", "m6i.2xlarge", 2, 4, 2048, 12, 0.5},
	// c = 2, A = 1.5, ρ = 0.75: C = 9/14 > 1/2, so the median wait is > 0.
	{"c2-rho75", "m6i.xlarge", 1, 2, 2048, 1.5, 1},
}

// TestErlangHandValues pins the theory the queueing tests rely on to
// fractions derived by hand from B(0)=1, B(k) = A·B(k−1)/(k + A·B(k−1)) and
// C = c·B/(c − A(1 − B)).
func TestErlangHandValues(t *testing.T) {
	// B(4,3): 3/4, 9/17, 9/26 (=27/78), 27/131.
	wantClose(t, "ErlangB(4,3)", stats.ErlangB(4, 3), 27.0/131, 1e-12)
	// C(4,3) = 4·(27/131) / (4 − 3·104/131) = 108/212 = 27/53.
	wantClose(t, "ErlangC(4,3)", stats.ErlangC(4, 3), 27.0/53, 1e-12)
	// B(2,1.5): 1.5/2.5 = 3/5, then 0.9/2.9 = 9/29; C = 2·(9/29)/(2 − 1.5·20/29) = 18/28 = 9/14.
	wantClose(t, "ErlangB(2,1.5)", stats.ErlangB(2, 1.5), 9.0/29, 1e-12)
	wantClose(t, "ErlangC(2,1.5)", stats.ErlangC(2, 1.5), 9.0/14, 1e-12)
}

// replicationSeed gives every (test, case, replication) its own seed.
// Streams are named by entity ("job/work/duration"), so cases that shared
// seeds would share their random draws and their errors would correlate.
func replicationSeed(test, caseIdx, rep int) uint64 {
	return uint64(test*1_000_000 + caseIdx*1000 + rep + 1)
}

// ciCheck asserts that theory lies within mean ± 2 half widths of the
// replication values xs, and logs the comparison.
func ciCheck(t *testing.T, what string, xs []float64, theory float64) {
	t.Helper()
	m, hw := stats.MeanCI95(xs)
	in95 := math.Abs(m-theory) <= hw
	t.Logf("%s: theory %.4g, simulated %.4g ± %.3g (95%% CI, %d reps, %.1f%% of theory; theory inside 95%% CI: %v)",
		what, theory, m, hw, len(xs), 100*hw/math.Abs(theory), in95)
	if math.Abs(m-theory) > 2*hw {
		t.Errorf("%s: theory %.6g outside simulated %.6g ± 2×%.4g", what, theory, m, hw)
	}
}

// TestMMcWaitMatchesErlangC: jobs on a capacity provider strategy queue
// FCFS in PROVISIONING on a fixed group of c identical slots, so with
// Poisson arrivals and exponential run times the system is M/M/c and
//   - the mean wait (submission to PENDING) is Wq = C(c,A)/(cμ − λ);
//   - P(Wq > t) = C·exp(−(cμ − λ)t), so the 95th percentile of the wait is
//     ln(C/0.05)/(cμ − λ) (C > 0.05);
//   - P(wait > 0) = C: the median wait is 0 when C < 1/2 and positive when
//     C > 1/2 (nearest rank over thousands of jobs);
//   - Little's law on the servers: mean busy slots = λ·E[S] = A, so the
//     provider's cpu_reservation mean is 100·A/c percent.
//
// Long (20 replications × 200 simulated days per case, up to 250,000
// events each). Invariant checks run on the first replication only: they
// double the run time, and the other replications take the same code paths
// with other random draws.
func TestMMcWaitMatchesErlangC(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test: 20 replications × 200 days per case")
	}
	for ci, c := range mmcCases {
		t.Run(c.name, func(t *testing.T) {
			sc := parseScenario(t, c.scenario(false))
			servers, a := c.servers(), c.offered()
			lambda, mu := c.lambda/3600, 1/(c.meanHours*3600) // per second
			cw := stats.ErlangC(servers, a)
			wantWait := stats.MMcMeanWait(servers, lambda, mu)
			wantP95 := math.Log(cw/0.05) / (float64(servers)*mu - lambda)
			wantRes := 100 * a / float64(servers)
			var waits, p95s, runs, res []float64
			for rep := 0; rep < queueReplications; rep++ {
				r := runParsed(t, sc, replicationSeed(1, ci, rep), rep == 0)
				j := jobResult(t, r, "work")
				if j.WaitSeconds == nil || j.RunSeconds == nil {
					t.Fatalf("rep %d: no wait or run statistics", rep)
				}
				if j.FailedToPlace != 0 {
					t.Fatalf("rep %d: %d jobs failed to place; with a capacity provider strategy they must wait", rep, j.FailedToPlace)
				}
				waits = append(waits, j.WaitSeconds.Mean)
				p95s = append(p95s, j.WaitSeconds.P95)
				runs = append(runs, j.RunSeconds.Mean)
				res = append(res, r.CapacityProviders["fixed"].CPUReservation.Mean)
				switch {
				case cw < 0.45 && j.WaitSeconds.P50 != 0:
					t.Errorf("rep %d: P(wait>0) = C = %.3f < 1/2, so p50 must be 0, got %g", rep, cw, j.WaitSeconds.P50)
				case cw > 0.55 && !(j.WaitSeconds.P50 > 0):
					t.Errorf("rep %d: P(wait>0) = C = %.3f > 1/2, so p50 must be > 0, got %g", rep, cw, j.WaitSeconds.P50)
				}
			}
			ciCheck(t, "mean run seconds (= E[S])", runs, c.meanHours*3600)
			ciCheck(t, "mean wait seconds (Erlang C)", waits, wantWait)
			ciCheck(t, "p95 wait seconds", p95s, wantP95)
			ciCheck(t, "cpu_reservation mean % (Little: busy slots = A)", res, wantRes)
		})
	}
}

// TestLossSystemMatchesErlangB: jobs with launch_type EC2 fail at once when
// no instance fits (failed_to_place), so c identical slots with Poisson
// arrivals form an M/M/c/c loss system: the blocked fraction
// failed_to_place/submitted is Erlang B(c, A) (insensitive to the run-time
// distribution), and by Little's law the mean busy slots are A·(1 − B).
// Invariant checks run on the first replication only, as in
// TestMMcWaitMatchesErlangC.
// Jobs on EC2 place at random by default; the slots are identical, so the
// choice does not matter.
func TestLossSystemMatchesErlangB(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test: 20 replications × 200 days per case")
	}
	for ci, c := range mmcCases[:2] {
		t.Run(c.name, func(t *testing.T) {
			sc := parseScenario(t, c.scenario(true))
			servers, a := c.servers(), c.offered()
			wantB := stats.ErlangB(servers, a)
			wantRes := 100 * a * (1 - wantB) / float64(servers)
			var blocked, res []float64
			for rep := 0; rep < queueReplications; rep++ {
				r := runParsed(t, sc, replicationSeed(2, ci, rep), rep == 0)
				j := jobResult(t, r, "work")
				if j.Submitted == 0 {
					t.Fatalf("rep %d: nothing submitted", rep)
				}
				if j.WaitSeconds != nil && j.WaitSeconds.Max != 0 {
					t.Errorf("rep %d: a launch_type EC2 job never waits, max wait %g", rep, j.WaitSeconds.Max)
				}
				if got := j.FailedToPlaceByReason["RESOURCE:CPU"]; got != j.FailedToPlace {
					t.Errorf("rep %d: failures by reason %v, want all %d as RESOURCE:CPU", rep, j.FailedToPlaceByReason, j.FailedToPlace)
				}
				blocked = append(blocked, float64(j.FailedToPlace)/float64(j.Submitted))
				res = append(res, r.CapacityProviders["fixed"].CPUReservation.Mean)
			}
			ciCheck(t, "blocked fraction (Erlang B)", blocked, wantB)
			ciCheck(t, "cpu_reservation mean % (Little: busy slots = A(1−B))", res, wantRes)
		})
	}
}
