package sim

import (
	"fmt"
	"testing"
)

// TestCapacityProviderReservation pins CapacityProviderReservation = M/N ×
// 100 (ECS-SEMANTICS.md §4, [cluster-auto-scaling]): N = instances
// launching or running; M = instances running a task + instances needed
// for the PROVISIONING tasks, binpacked onto the largest type; N = 0 gives
// 200 when M > 0 and 100 when M = 0. Groups stay at desired_capacity here
// (managed scaling is a later issue), so each case is a constant.
func TestCapacityProviderReservation(t *testing.T) {
	cases := []struct {
		name       string
		desired    int    // instances in the group
		tasks      int    // service desired_count
		cpu, mem   int    // task size
		hostPorts  string // host_ports line, or ""
		svcLine    string // an extra [[services]] line, or ""
		wantCPR    float64
		derivation string
	}{
		{"empty group, nothing waiting", 0, 0, 1024, 1024, "", "", 100,
			"N = 0, M = 0 → 100"},
		{"empty group, tasks waiting", 0, 3, 1024, 1024, "", "", 200,
			"N = 0, M > 0 → 200"},
		{"one busy instance of two", 2, 1, 1024, 1024, "", "", 50,
			"binpack puts the one task on one instance: M = 1, N = 2 → 50"},
		{"static port: one task per instance, two waiting", 1, 3, 256, 512, "host_ports = [8080]", "", 300,
			"1 task runs (M busy = 1); the 2 waiting tasks share port 8080, so they need 2 instances: M = 3, N = 1 → 300"},
		{"small tasks waiting share one instance", 1, 5, 2048, 4096, "", "", 300,
			"m6i.xlarge holds 2 tasks of 2048 CPU (4096 CPU registered): 2 run, 3 wait; packed onto the largest type (m6i.xlarge) they need ceil(3/2) = 2: M = 1 + 2, N = 1 → 300"},
		{"distinctInstance: one waiting task per instance", 1, 3, 256, 512, "",
			`placement_constraints = [ { type = "distinctInstance" } ]`, 300,
			"1 task runs (M busy = 1); the 2 waiting tasks fit one m6i.xlarge by resources, but distinctInstance allows one task of the service per instance, so they need 2: M = 3, N = 1 → 300"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			toml := fmt.Sprintf(`
name = "cpr"
duration = "1h"
warmup = "10m"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
min_size = 0
max_size = 10
desired_capacity = %d
launch_time = "0s"
[[task_definitions]]
family = "app"
cpu = %d
memory = %d
network_mode = "bridge"
%s
[[services]]
name = "app"
task_definition = "app"
desired_count = %d
placement_strategy = [ { type = "binpack", field = "memory" } ]
%s
`, tc.desired, tc.cpu, tc.mem, tc.hostPorts, tc.tasks, tc.svcLine)
			r := runScenario(t, toml, 1)
			cpr := r.CapacityProviders["g"].CapacityProviderReservation
			if cpr == nil {
				t.Fatalf("capacity_provider_reservation is null")
			}
			if cpr.P50 != tc.wantCPR || cpr.Max != tc.wantCPR {
				t.Errorf("CPR p50 %g max %g, want %g (%s)", cpr.P50, cpr.Max, tc.wantCPR, tc.derivation)
			}
		})
	}
}
