package sim

import (
	"strings"
	"testing"
)

// TestDeploymentKeepsProviderSplit: a deployment's new tasks follow the
// capacity provider strategy (base, then weight; ECS-SEMANTICS.md §3) on
// their own, so once the old tasks are gone the split is what it was
// before: the same service without the deploy event gives the same mean
// running tasks per provider (the deployment ends before warmup).
func TestDeploymentKeepsProviderSplit(t *testing.T) {
	base := `
name = "split"
duration = "4h"
warmup = "2h"
[cluster]
default_capacity_provider_strategy = [
  { capacity_provider = "FARGATE",      base = 2, weight = 1 },
  { capacity_provider = "FARGATE_SPOT",           weight = 3 },
]
[[task_definitions]]
family = "web"
revision = 1
cpu = 1024
memory = 2048
[[task_definitions]]
family = "web"
revision = 2
cpu = 1024
memory = 2048
[[services]]
name = "web"
task_definition = "web:1"
desired_count = 12
  [services.load]
  cpu = 6.0
  [services.deployment]
  strategy = "%s"
`
	deploy := `
[[events]]
at = "1h"
type = "deploy"
service = "web"
task_definition = "web:2"
`
	for _, strategy := range []string{"ROLLING", "BLUE_GREEN"} {
		sc := strings.Replace(base, "%s", strategy, 1)
		without := serviceResult(t, runScenario(t, sc, 1), "web").RunningByCapacityProvider
		with := serviceResult(t, runScenario(t, sc+deploy, 1), "web").RunningByCapacityProvider
		for p, n := range without {
			if with[p] != n {
				t.Errorf("%s: %s runs %g tasks after the deployment, %g without it", strategy, p, with[p], n)
			}
		}
	}
}

// TestFailedDeploymentStopsLaunching: with the circuit breaker and no
// rollback, a FAILED deployment "stops launching new tasks"
// (DeploymentCircuitBreaker, ECS API reference).
//
// Derivation: desired 10, minimum 50 %, maximum 100 %: at 2h five old
// tasks stop and five api:2 tasks start (30 s startup, healthy check 60 s
// later, every one fails). The five fail at 2h1m30s one after another;
// each failure but the fifth lets the rolling step start a new api:2 task
// (4 more), and the fifth trips the breaker (threshold
// min(max(ceil(5), 3), 200) = 5). The 4 still in flight fail 90 s later
// and are not replaced: started 9, failed 9 over the run, and 5 api:1
// tasks run to the end.
func TestFailedDeploymentStopsLaunching(t *testing.T) {
	r := runScenario(t, `
name = "nrb"
duration = "6h"
warmup = "10m"
[[task_definitions]]
family = "api"
revision = 1
cpu = 512
memory = 1024
startup_time = { dist = "constant", value = "30s" }
healthy_after = "60s"
[[task_definitions]]
family = "api"
revision = 2
cpu = 512
memory = 1024
startup_time = { dist = "constant", value = "30s" }
healthy_after = "60s"
failure_rate = 1.0
[[services]]
name = "api"
task_definition = "api:1"
desired_count = 10
  [services.load]
  cpu = 2.5
  [services.deployment]
  minimum_healthy_percent = 50
  maximum_percent = 100
  circuit_breaker = { enable = true, rollback = false }
[[events]]
at = "2h"
type = "deploy"
service = "api"
task_definition = "api:2"
`, 1)
	s := serviceResult(t, r, "api")
	if s.Tasks.Started != 9 || s.Tasks.Failed != 9 {
		t.Errorf("tasks started %d failed %d, want 9 and 9", s.Tasks.Started, s.Tasks.Failed)
	}
	if len(s.Deployments) != 1 || s.Deployments[0].State != "FAILED" || s.Deployments[0].FailedTasks != 5 {
		t.Errorf("deployments %+v, want one FAILED with failed_tasks 5", s.Deployments)
	}
	if got := lastPoint(t, r, "service/api/running_count"); got != 5 {
		t.Errorf("running at the end %g, want 5", got)
	}
}

// TestBlueGreenRollbackSameRevisionKeepsBlue: deploying the revision the
// service already runs, with a breaker that trips, must revert to blue
// ("revert to the blue deployment", ECS blue/green deployments): only the
// green tasks stop, blue never stops serving. desired 10, half the tasks
// fail their checks: the rollback entry's fewest healthy tasks is 10 and
// no demand (5 vCPUs over 10 one-vCPU tasks) goes unserved.
func TestBlueGreenRollbackSameRevisionKeepsBlue(t *testing.T) {
	r := runScenario(t, `
name = "bgsame"
duration = "3h"
warmup = "10m"
[[task_definitions]]
family = "web"
cpu = 1024
memory = 2048
failure_rate = 0.5
[[services]]
name = "web"
task_definition = "web:1"
desired_count = 10
  [services.load]
  cpu = 5.0
  [services.deployment]
  strategy = "BLUE_GREEN"
  circuit_breaker = { enable = true, rollback = true }
[[events]]
at = "1h"
type = "deploy"
service = "web"
task_definition = "web:1"
`, 2)
	s := serviceResult(t, r, "web")
	var rolled bool
	for _, d := range s.Deployments {
		if d.State == "ROLLED_BACK" {
			rolled = true
		}
		if d.MinHealthyRunning < 10 && d.State != "IN_PROGRESS" {
			t.Errorf("deployment %+v: healthy tasks fell below 10", d)
		}
	}
	if !rolled {
		t.Fatalf("seed 2 no longer trips the breaker, so the test checks nothing: deployments %+v", s.Deployments)
	}
	if s.UnservedDemandFraction == nil || *s.UnservedDemandFraction != 0 {
		t.Errorf("unserved_demand_fraction %v, want 0", s.UnservedDemandFraction)
	}
}
