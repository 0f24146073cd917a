package planner

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

// oneGroup is a scenario with one on-demand Auto Scaling group "general"
// of m6i.4xlarge (16 vCPU, 64 GiB) under managed scaling, min 1 max 4,
// reserved_memory 256, and one service "app" of 4 bridge-mode tasks of
// 1024 CPU units / 2048 MiB on it under 1 vCPU of demand.
const oneGroup = `name     = "g"
region   = "us-east-1"
duration = "2h"
warmup   = "30m"
seed     = 1

[cluster]
availability_zones = ["us-east-1a", "us-east-1b"]
default_capacity_provider_strategy = [ { capacity_provider = "general", weight = 1 } ]

[[capacity_providers]]
name             = "general"
instance_types   = ["m6i.4xlarge"]
market           = "on_demand"
min_size         = 1
max_size         = 4
desired_capacity = 1
reserved_memory  = 256
  [capacity_providers.managed_scaling]
  status = "ENABLED"
  target_capacity = 100

[[task_definitions]]
family = "app"
cpu    = 1024
memory = 2048
network_mode = "bridge"

[[services]]
name            = "app"
task_definition = "app:1"
desired_count   = 4
  [services.load]
  cpu = { pattern = "constant", value = 1.0 }
  memory_base = 500
`

// TestRecommendProviderHandKnown: 4 tasks of 1024/2048 need 4096 CPU units
// and 8192 MiB. By the builtin catalog (`ecssim prices`, us-east-1, x86_64):
//   - a 2 vCPU / 8 GiB type (t3, m5, m6i, m7i .large) registers 2048 units
//     and 8192 − 256 = 7936 MiB: 2 tasks by CPU → 2 instances;
//   - a 4 vCPU / 16 GiB type (m5, t3 .xlarge) holds 4 by CPU, 7 by memory
//     → 1 instance; c6i/c7i.large (4 GiB: 3840 MiB) hold 1 → 4 instances.
//
// Spot per hour: t3.large 2 × 0.031616 = 0.063232, m7i.large 2 × 0.032256
// = 0.064512, m5.large 2 × 0.03264 = 0.06528 = m5.xlarge 1 × 0.06528, then
// t3.xlarge 0.06656, c7i.large 4 × 0.030345 = 0.12138. So the top three are
// t3.large spot 46.15936 USD a month (× 730), m7i.large spot 47.09376 and
// m5.large or m5.xlarge spot 47.6544 (a tie up to rounding). The Spot mix
// of t3.large with its two cheapest same-size peers (m7i.large, m5.large)
// under price_capacity_optimized launches t3.large first (Spot Advisor
// us-east-1 buckets: t3.large 1 = "5-10%", m7i.large and m5.large 3; the
// tie goes to the cheaper m7i.large), so it costs what t3.large costs and
// leads (same price, more pools); the single types follow. On demand,
// m6i.large needs 2 × 0.096 × 730 = 140.16. The current group is one
// m6i.4xlarge all month: 0.768 × 730 = 560.64.
func TestRecommendProviderHandKnown(t *testing.T) {
	rec, err := Recommend(parse(t, oneGroup), RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := rec.CapacityProviders["general"]
	if p == nil {
		t.Fatalf("no capacity provider recommendation; notes %v", rec.Notes)
	}
	if !near(p.Current.MonthlyUSD, 560.64, 0.5) {
		t.Errorf("current monthly %v, want 560.64", p.Current.MonthlyUSD)
	}
	if !slices.Equal(p.Tasks, []ProviderTasks{{Service: "app", CPU: 1024, Memory: 2048, Count: 4}}) {
		t.Errorf("tasks %+v, want app 4 × 1024/2048", p.Tasks)
	}
	want := []struct {
		types     []string
		instances int
		monthly   float64
	}{
		{[]string{"t3.large", "m7i.large", "m5.large"}, 2, 46.15936},
		{[]string{"t3.large"}, 2, 46.15936},
		{[]string{"m7i.large"}, 2, 47.09376},
	}
	if len(p.Options) != 3 {
		t.Fatalf("%d options, want 3: %+v", len(p.Options), p.Options)
	}
	for i, w := range want {
		o := p.Options[i]
		if o.Market != "spot" || !near(o.MonthlyUSD, w.monthly, 1e-6) ||
			(w.types != nil && (!slices.Equal(o.InstanceTypes, w.types) || o.Instances != w.instances)) {
			t.Errorf("options[%d] = %v %s ×%d %v, want %v spot ×%d %v", i, o.InstanceTypes, o.Market, o.Instances, o.MonthlyUSD, w.types, w.instances, w.monthly)
		}
		if !near(o.SavingsMonthlyUSD, p.Current.MonthlyUSD-o.MonthlyUSD, 1e-9) {
			t.Errorf("options[%d] savings %v, want current − monthly", i, o.SavingsMonthlyUSD)
		}
	}
	if s := p.Options[0].AllocationStrategy; s != "price_capacity_optimized" {
		t.Errorf("options[0] allocation_strategy %q, want price_capacity_optimized", s)
	}
	if f := p.Options[0].InterruptionFrequency; f != "5-10%" {
		t.Errorf("options[0] interruption_frequency %q, want 5-10%% (t3.large's bucket)", f)
	}
	if !p.Options[0].Verified.Passed {
		t.Errorf("options[0] failed verification: %+v", p.Options[0].Verified)
	}
	if p.Finding != Overprovisioned {
		t.Errorf("finding %s, want Overprovisioned (saves %v of %v)", p.Finding, p.Options[0].SavingsMonthlyUSD, p.Current.MonthlyUSD)
	}
}

// TestProviderCandidatesOnDemand checks the on-demand m6i.large row of the
// full candidate list: 2 instances × 0.096 × 730 = 140.16 USD a month, and
// the current type, 1 × 0.768 × 730 = 560.64.
func TestProviderCandidatesOnDemand(t *testing.T) {
	sc := parse(t, oneGroup)
	cat, err := sim.Catalog(sc)
	if err != nil {
		t.Fatal(err)
	}
	mix := []ProviderTasks{{Service: "app", CPU: 1024, Memory: 2048, Count: 4}}
	opts := providerCandidates(sc, cat, "x86_64", &sc.CapacityProviders[0], mix)
	got := map[string]ProviderOption{}
	for _, o := range opts {
		got[o.InstanceTypes[0]+"/"+o.Market] = o
		if strings.HasSuffix(o.InstanceTypes[0], "g.large") {
			t.Errorf("arm64 type %s offered to an x86_64 group", o.InstanceTypes[0])
		}
	}
	for key, w := range map[string]struct {
		n       int
		monthly float64
	}{
		"m6i.large/on_demand":   {2, 140.16},
		"m6i.4xlarge/on_demand": {1, 560.64},
		"c6i.large/on_demand":   {4, 4 * 0.085 * 730},
	} {
		o, ok := got[key]
		if !ok || o.Instances != w.n || !near(o.MonthlyUSD, w.monthly, 1e-6) {
			t.Errorf("%s = %+v (present %v), want ×%d %v", key, o, ok, w.n, w.monthly)
		}
	}
	for i := 1; i < len(opts); i++ {
		if opts[i].MonthlyUSD < opts[i-1].MonthlyUSD {
			t.Fatalf("candidates not sorted by monthly cost at %d", i)
		}
	}
}

// TestPackProblemPorts: a static host port is a dimension of capacity 1
// (ECS "Amazon ECS task definition parameters: portMappings": a host port
// can be held by one task per instance), so 4 tasks of host port 8080 take
// 4 instances whatever their size.
func TestPackProblemPorts(t *testing.T) {
	sc := parse(t, strings.Replace(oneGroup, `network_mode = "bridge"`, `network_mode = "bridge"
host_ports = [8080]`, 1))
	cat, _ := sim.Catalog(sc)
	it, _ := cat.InstanceType("m6i.xlarge")
	p, ok := packProblem(sc, []ProviderTasks{{Service: "app", CPU: 1024, Memory: 2048, Count: 4}}, it, &sc.CapacityProviders[0])
	if !ok || !slices.Equal(p.Capacity, []int64{4096, 16384 - 256, 1}) || !slices.Equal(p.Sizes[0], []int64{1024, 2048, 1}) {
		t.Fatalf("problem %+v, want capacity [4096 16128 1] and size [1024 2048 1]", p)
	}
	opts := providerCandidates(sc, cat, "x86_64", &sc.CapacityProviders[0], []ProviderTasks{{Service: "app", CPU: 1024, Memory: 2048, Count: 4}})
	for _, o := range opts {
		if o.Instances != 4 {
			t.Errorf("%v: %d instances, want 4 (one port 8080 per instance)", o.InstanceTypes, o.Instances)
		}
	}
}

// TestProviderJSONShape: the keys SCENARIO.md lists for
// capacity_providers.
func TestProviderJSONShape(t *testing.T) {
	one := 0.0
	r := ProviderRecommendation{Finding: Optimized, Current: ProviderCurrent{InstanceTypes: []string{"m6i.large"}},
		Options: []ProviderOption{{InstanceTypes: []string{"m6i.large"}, Market: "spot", Verified: ProviderVerified{UnservedDemandFraction: &one}}}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	cur := m["current"].(map[string]any)
	opt := m["options"].([]any)[0].(map[string]any)
	for _, k := range []string{"finding", "current", "options"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	for _, k := range []string{"instance_types", "monthly_usd"} {
		if _, ok := cur[k]; !ok {
			t.Errorf("no current.%q in %s", k, b)
		}
	}
	for _, k := range []string{"instance_types", "market", "monthly_usd", "savings_monthly_usd", "verified"} {
		if _, ok := opt[k]; !ok {
			t.Errorf("no options[0].%q in %s", k, b)
		}
	}
	if _, ok := opt["verified"].(map[string]any)["passed"]; !ok {
		t.Errorf("no verified.passed in %s", b)
	}
}
