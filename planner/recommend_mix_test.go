package planner

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// poolShortage is oneGroup on Spot with two types listed (t3.large first,
// prioritized; m6i.4xlarge as a fallback) and the t3.large Spot pool
// empty for the whole run: EC2 Auto Scaling launches from the pools that
// have capacity. The group starts with one t3.large (2 of the 4 tasks);
// managed scaling must add capacity for the other 2.
var poolShortage = strings.Replace(strings.Replace(oneGroup,
	`instance_types   = ["m6i.4xlarge"]
market           = "on_demand"`,
	`instance_types   = ["t3.large", "m6i.4xlarge"]
market           = "spot"
allocation_strategy = "prioritized"`, 1),
	`  memory_base = 500
`, `  memory_base = 500

[[events]]
at = "0s"
type = "spot_capacity_shortage"
capacity_provider = "general"
instance_types = ["t3.large"]
duration = "2h"
`, 1)

// TestRecommendSpotMixSurvivesPoolShortage: the cheapest pool (t3.large
// Spot, 2 instances for the 4 tasks, see TestRecommendProviderHandKnown)
// has no capacity in this run. The t3.large-only option cannot launch its
// second instance, so 2 of the 4 tasks never run (the 2 running ones,
// 2 vCPU, serve the 1 vCPU of demand): verification fails it because it
// leaves 2 tasks waiting at the end where today's group leaves none. The mix t3.large + m7i.large + m5.large launches an
// m7i.large instead, places every task before the warmup ends and passes:
// it is the recommendation, at t3.large's estimate (2 × 0.031616 × 730 =
// 46.16 USD a month), with price_capacity_optimized.
func TestRecommendSpotMixSurvivesPoolShortage(t *testing.T) {
	if !strings.Contains(poolShortage, `["t3.large", "m6i.4xlarge"]`) || !strings.Contains(poolShortage, "spot_capacity_shortage") {
		t.Fatal("poolShortage no longer derives from oneGroup")
	}
	sc := parse(t, poolShortage)
	rec, err := Recommend(sc, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := rec.CapacityProviders["general"]
	if p == nil {
		t.Fatalf("no recommendation; notes %v", rec.Notes)
	}
	best := p.Options[0]
	if !slices.Equal(best.InstanceTypes, []string{"t3.large", "m7i.large", "m5.large"}) || best.Market != "spot" ||
		best.AllocationStrategy != "price_capacity_optimized" || !best.Verified.Passed || !near(best.MonthlyUSD, 46.15936, 1e-6) {
		t.Fatalf("options[0] = %+v, want the verified t3.large/m7i.large/m5.large Spot mix at 46.16", best)
	}
	i := slices.IndexFunc(p.Options, func(o ProviderOption) bool { return slices.Equal(o.InstanceTypes, []string{"t3.large"}) })
	if i < 0 {
		t.Fatalf("t3.large alone was not verified: %+v", p.Options)
	}
	single := p.Options[i]
	if single.Verified.Passed || single.Verified.PendingAtEnd != 2 {
		t.Errorf("t3.large alone: %+v, want failed with 2 tasks never placed", single.Verified)
	}
	if best.Verified.PendingAtEnd != 0 {
		t.Errorf("the mix leaves %d tasks waiting, want 0", best.Verified.PendingAtEnd)
	}

	out, err := ApplyProvidersToTOML([]byte(poolShortage), sc, rec.ProviderChanges(sc))
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		`instance_types   = ["t3.large", "m7i.large", "m5.large"]`,
		`allocation_strategy = "price_capacity_optimized"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("applied file lacks %s:\n%s", want, text)
		}
	}
	if _, err := scenarios.Parse("applied.toml", out); err != nil {
		t.Errorf("applied file does not validate: %v", err)
	}
}
