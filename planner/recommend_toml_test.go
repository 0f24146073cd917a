package planner

import (
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

// twoServices shares task definition app:1 between "app" and "other"; app
// is over-provisioned (4 × 4 vCPU serving 1 vCPU, see
// TestRecommendOverprovisionedFargate) and other serves nothing but its
// memory.
const twoServices = `name     = "t"
region   = "us-east-1"
duration = "2h"
warmup   = "30m"
seed     = 1

[cluster]
availability_zones = ["us-east-1a", "us-east-1b"]

[[task_definitions]]
family = "app"
cpu    = 4096
memory = 8192
network_mode = "awsvpc"
startup_time = { dist = "constant", value = "5s" }

[[services]]
name            = "app"
task_definition = "app:1"   # shared
desired_count   = 4
launch_type     = "FARGATE"
  [services.load]
  cpu = { pattern = "constant", value = 1.0 }
  memory_base = 1000

[[services]]
name            = "other"
task_definition = "app:1"
desired_count   = 1
launch_type     = "FARGATE"
  [services.load]
  cpu = { pattern = "constant", value = 3.0 }
  memory_base = 6000
`

// A task definition shared with another service is not resized in place:
// app gets a copy app-app:1 at 512/2048 and other keeps 4096/8192. The
// rewritten text validates, and simulating it reproduces the verified
// numbers of app's recommendation (other is unchanged and Fargate tasks do
// not share capacity).
func TestApplyToTOMLSharedTaskDefinition(t *testing.T) {
	sc := parse(t, twoServices)
	rec, err := Recommend(sc, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	changes := rec.Changes()
	if len(changes) != 1 || changes[0] != (Change{Service: "app", CPU: 512, Memory: 2048}) {
		t.Fatalf("changes %+v, want app → 512/2048 only", changes)
	}
	out, err := ApplyToTOML([]byte(twoServices), sc, changes)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if !strings.Contains(text, `task_definition = "app-app:1"   # shared`) || !strings.HasPrefix(text, twoServices[:strings.Index(twoServices, "[[services]]")]) {
		t.Errorf("rewritten text:\n%s", text)
	}
	sc2 := parse(t, text)
	if td := sc2.Services[0].TaskDef; td.Ref() != "app-app:1" || td.CPU != 512 || td.Memory != 2048 || td.StartupTime != sc.TaskDefinitions[0].StartupTime {
		t.Errorf("app's task definition %+v", td)
	}
	if td := sc2.Services[1].TaskDef; td.Ref() != "app:1" || td.CPU != 4096 {
		t.Errorf("other's task definition %+v, want app:1 at 4096", td)
	}
	res, err := sim.Run(sc2, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := rec.Services["app"].Options[0]
	if got := res.Services["app"].CPUUtilization.P95; got != *v.Verified.CPUUtilizationP95 || monthlyUSD(res, "app") != v.MonthlyUSD {
		t.Errorf("re-run: p95 %v monthly %v, verified %v monthly %v", got, monthlyUSD(res, "app"), *v.Verified.CPUUtilizationP95, v.MonthlyUSD)
	}
	// The scenario Recommend was given is untouched.
	if sc.TaskDefinitions[0].CPU != 4096 || len(sc.TaskDefinitions) != 1 || sc.Services[0].TaskDefinition != "app:1" {
		t.Error("Recommend modified its scenario")
	}
}

// Keys missing from the table are added after its header; values keep
// their comments; sub-tables do not end the table.
func TestReplaceValueAndBlocks(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"cpu = 256\n", "cpu = 512\n"},
		{"  cpu=256 # small\n", "  cpu=512 # small\n"},
		{`task_definition = "a:1"  # x` + "\n", `task_definition = "b:1"  # x` + "\n"},
	} {
		val := "512"
		if strings.Contains(tt.in, "task_definition") {
			val = `"b:1"`
		}
		if got := replaceValue(tt.in, val); got != tt.want {
			t.Errorf("replaceValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	lines := strings.SplitAfter("[[services]]\nname = \"a\"\n  [services.load]\ncpu = 1\n[[services]]\nname = \"b\"\n[cluster]\nx = 1\n", "\n")
	b := tableBlocks(lines, "services")
	if len(b) != 2 || b[0].start != 0 || b[0].end != 4 || b[1].end != 6 {
		t.Fatalf("blocks %+v", b)
	}
	if _, ok := b[0].keys["cpu"]; ok {
		t.Error("a sub-table's key counted as the table's")
	}
}
