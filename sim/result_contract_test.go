package sim

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestResultHasEveryContractField checks results.json against the field
// list of SCENARIO.md "results.json": every listed field is present (null
// when a statistic has no datapoints, never omitted), for a service, a job,
// an Auto Scaling group provider and a Fargate provider.
func TestResultHasEveryContractField(t *testing.T) {
	_, doc := exampleResultDoc(t, "web-platform")
	dist := []string{"mean", "p50", "p95", "p99", "max"}
	mmm := []string{"min", "mean", "max"}
	want := map[string][]string{
		"":                                     {"schema_version", "scenario", "run_info", "engine", "cost", "services", "jobs", "capacity_providers", "activities", "assertions"},
		"scenario":                             {"name", "seed", "duration_seconds", "warmup_seconds", "sha256"},
		"run_info":                             {"ecssim_version", "generated_at", "wall_seconds"},
		"engine":                               {"events"},
		"cost":                                 {"total_usd", "monthly_usd", "by_capacity_provider", "by_service", "by_job", "idle_usd"},
		"services.web":                         {"desired_count", "running_count", "cpu_utilization", "memory_utilization", "unserved_demand_fraction", "overloaded_minutes", "tasks", "pending_at_end", "placement_failures", "placement_wait_seconds", "running_by_capacity_provider", "scaling_activities", "deployments"},
		"services.web.desired_count":           mmm,
		"services.web.running_count":           mmm,
		"services.web.cpu_utilization":         dist,
		"services.web.memory_utilization":      dist,
		"services.web.tasks":                   {"started", "stopped", "interrupted", "failed", "oom_killed"},
		"jobs.thumbnails":                      {"submitted", "completed", "failed_to_place", "interrupted", "retried", "dropped", "in_progress_at_end", "wasted_task_seconds", "wait_seconds", "run_seconds"},
		"jobs.thumbnails.run_seconds":          dist,
		"capacity_providers.general":           {"instances", "instance_hours", "cpu_reservation", "memory_reservation", "launches", "terminations", "interruptions", "capacity_provider_reservation"},
		"capacity_providers.general.instances": mmm,
		"capacity_providers.general.cpu_reservation": dist,
		"capacity_providers.FARGATE":                 {"instances", "instance_hours", "cpu_reservation", "memory_reservation", "launches", "terminations", "interruptions", "capacity_provider_reservation", "task_hours", "vcpu_hours", "gb_hours"},
	}
	for path, keys := range want {
		var node any = doc
		if path != "" {
			for _, seg := range strings.Split(path, ".") {
				m, ok := node.(map[string]any)
				if !ok {
					t.Fatalf("%s: %q is not an object", path, seg)
				}
				node = m[seg]
			}
		}
		m, ok := node.(map[string]any)
		if !ok {
			t.Errorf("%q: not an object (%v)", path, node)
			continue
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("%q lacks %q", path, k)
			}
		}
	}
	// FARGATE has no instances: its instance fields are null.
	fg := doc["capacity_providers"].(map[string]any)["FARGATE"].(map[string]any)
	for _, k := range []string{"instances", "instance_hours", "cpu_reservation", "memory_reservation", "launches", "terminations", "capacity_provider_reservation"} {
		if fg[k] != nil {
			t.Errorf("FARGATE.%s = %v, want null", k, fg[k])
		}
	}
}

// TestResultPathsResolve keeps scenarios.CheckResultPath honest: every
// numeric path it accepts for the web-platform example resolves in that
// run's results.json to a number or null, except those that SCENARIO.md
// lets a run leave out: FARGATE providers appear only when used, and
// task_hours, vcpu_hours and gb_hours only on Fargate providers.
func TestResultPathsResolve(t *testing.T) {
	sc, doc := exampleResultDoc(t, "web-platform")
	fargate := map[string]bool{scenarios.ProviderFargate: true, scenarios.ProviderFargateSpot: true}
	for _, path := range scenarios.ResultPaths(sc) {
		segs := strings.Split(path, ".")
		var node any = doc
		missing := ""
		for _, seg := range segs {
			if node == nil {
				break // a null statistic: its fields read as null
			}
			m, ok := node.(map[string]any)
			if !ok {
				t.Fatalf("%s: %v is not an object", path, node)
			}
			if node, ok = m[seg]; !ok {
				missing = seg
				break
			}
		}
		if missing != "" {
			last := segs[len(segs)-1]
			optional := (segs[0] == "capacity_providers" || segs[0] == "cost") && fargate[segs[len(segs)-1]] ||
				segs[0] == "capacity_providers" && (fargate[segs[1]] || last == "task_hours" || last == "vcpu_hours" || last == "gb_hours") ||
				segs[0] == "services" && segs[2] == "running_by_capacity_provider"
			if !optional {
				t.Errorf("%s: no %q in results.json", path, missing)
			}
			continue
		}
		switch node.(type) {
		case float64, nil:
		default:
			t.Errorf("%s = %v (%T), want a number or null", path, node, node)
		}
	}
}

// exampleResultDoc runs an embedded example and returns its scenario and
// results.json as a generic document.
func exampleResultDoc(t *testing.T, name string) (*scenarios.Scenario, map[string]any) {
	t.Helper()
	sc, err := scenarios.LoadExample(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(resultJSON(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	return sc, doc
}
