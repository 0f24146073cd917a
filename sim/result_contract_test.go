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
	sc, err := scenarios.LoadExample("web-platform")
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
