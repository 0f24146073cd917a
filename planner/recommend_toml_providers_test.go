package planner

import (
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestApplyProvidersToTOML: the instance_types and market lines of the
// changed group are rewritten (market added when absent), comments and
// everything else kept, and the result parses with the new values; a
// group moved to Spot gets the [interruptions] frequency verification
// assumed, inside its own block.
func TestApplyProvidersToTOML(t *testing.T) {
	src := `name = "p"
duration = "1h"
[[capacity_providers]]
name = "g"
instance_types = ["m6i.4xlarge"]   # big
min_size = 1
max_size = 4
desired_capacity = 1
[[capacity_providers]]
name = "h"
instance_types = ["m6i.large"]
market = "on_demand"
min_size = 1
max_size = 2
desired_capacity = 1
[[task_definitions]]
family = "app"
cpu = 1024
memory = 2048
[[services]]
name = "app"
task_definition = "app"
desired_count = 1
capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
`
	sc, err := scenarios.Parse("p.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out, err := ApplyProvidersToTOML([]byte(src), sc, []ProviderChange{
		{Provider: "g", InstanceTypes: []string{"m6i.large"}, Market: "spot", InterruptionFrequency: "10-15%"},
		{Provider: "h", InstanceTypes: []string{"c6i.large", "m6i.large"}, Market: "on_demand"},
	})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{`instance_types = ["m6i.large"]   # big`, "[[capacity_providers]]\nmarket = \"spot\"\nname = \"g\"", `instance_types = ["c6i.large", "m6i.large"]`} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	back, err := scenarios.Parse("p2.toml", out)
	if err != nil {
		t.Fatalf("rewritten scenario: %v\n%s", err, text)
	}
	if g := back.CapacityProviders[0]; g.Market != "spot" || g.InstanceTypes[0] != "m6i.large" ||
		g.Interruptions == nil || g.Interruptions.Frequency != "10-15%" {
		t.Errorf("group g = %+v", g)
	}
	if h := back.CapacityProviders[1]; len(h.InstanceTypes) != 2 || h.InstanceTypes[0] != "c6i.large" {
		t.Errorf("group h = %+v", h)
	}
}
