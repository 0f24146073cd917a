package scenarios

import "testing"

// TestCheckResultPath: an assertion's PATH must address a number of
// results.json (SCENARIO.md [[assertions]] and "results.json"), with the
// scenario's own service, job and capacity provider names; keys known only
// after a run (placement failure reasons, deployment indexes) pass here.
func TestCheckResultPath(t *testing.T) {
	s := &Scenario{
		Services:          []Service{{Name: "web"}},
		Jobs:              []Job{{Name: "etl"}},
		CapacityProviders: []CapacityProvider{{Name: "general"}},
	}
	tests := []struct {
		path string
		ok   bool
	}{
		{"cost.monthly_usd", true},
		{"cost.by_capacity_provider.FARGATE_SPOT", true},
		{"cost.by_service.web", true},
		{"services.web.cpu_utilization.p95", true},
		{"services.web.unserved_demand_fraction", true},
		{"services.web.placement_failures.insufficient_memory", true},
		{"services.web.deployments.0.failed_tasks", true},
		{"services.web.deployments.first.failed_tasks", false},
		{"services.web.running_by_capacity_provider.general", true},
		{"jobs.etl.wait_seconds.p99", true},
		{"capacity_providers.general.capacity_provider_reservation.max", true},
		{"activities.3.to", true},
		{"services.nope.cpu_utilization.p95", false}, // no such service
		{"services.web.cpu_utilization", false},      // an object
		{"cost.monthly", false},                      // no such field
		{"cost.monthly_usd.x", false},                // below a number
		{"scenario.name", false},                     // a string
		{"jobs.web.submitted", false},                // web is a service
	}
	for _, tc := range tests {
		msg := CheckResultPath(s, tc.path)
		if (msg == "") != tc.ok {
			t.Errorf("CheckResultPath(%q) = %q, want ok=%v", tc.path, msg, tc.ok)
		}
	}
}
