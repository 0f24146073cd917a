package planner

import (
	"math"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestApplyLaunchToTOML: moving an EC2 service to the Fargate Spot share
// sets its capacity_provider_strategy (FARGATE base 1 weight 1,
// FARGATE_SPOT weight 3), removes launch_type (exclusive with a strategy
// [CreateService]) and the placement lines (Fargate places tasks itself),
// and keeps everything else; the result validates.
func TestApplyLaunchToTOML(t *testing.T) {
	src := `name = "l"
duration = "1h"
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
max_size = 2
desired_capacity = 1
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "awsvpc"
[[services]]
name = "app"   # the app
task_definition = "app"
desired_count = 2
launch_type = "EC2"
placement_strategy = [ { type = "binpack", field = "memory" } ]
`
	sc, err := scenarios.Parse("l.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ch := LaunchChange{Service: "app", DropPlacement: true, Strategy: []scenarios.StrategyItem{
		{CapacityProvider: "FARGATE", Base: 1, Weight: intp(1)},
		{CapacityProvider: "FARGATE_SPOT", Weight: intp(3)},
	}}
	out, err := ApplyLaunchToTOML([]byte(src), sc, []LaunchChange{ch})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	want := `capacity_provider_strategy = [ { capacity_provider = "FARGATE", base = 1, weight = 1 }, { capacity_provider = "FARGATE_SPOT", weight = 3 } ]`
	if !strings.Contains(text, want) || strings.Contains(text, "launch_type") || strings.Contains(text, "placement_strategy") ||
		!strings.Contains(text, `name = "app"   # the app`) {
		t.Errorf("rewritten:\n%s", text)
	}
	back, err := scenarios.Parse("l2.toml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	s := back.Services[0]
	if s.LaunchType != "" || len(s.Strategy) != 2 || s.Strategy[0].Base != 1 || s.Strategy[1].W() != 3 || s.PlacementStrategy != nil {
		t.Errorf("service %+v", s)
	}
	if !oneLine(`a = [ { x = "]" }, 2 ] # [`) || oneLine(`a = [`) {
		t.Error("oneLine")
	}
}

// TestCheckApplied: the rewritten twoServices scenario (app resized to
// 512/2048 in a copy of the shared task definition, see
// TestApplyToTOMLSharedTaskDefinition) simulated as a whole keeps every
// limit, and its monthly cost is the Fargate price of 4 tasks of
// 512/2048 plus 1 of 4096/8192; the base is 5 tasks of 4096/8192.
func TestCheckApplied(t *testing.T) {
	sc := parse(t, twoServices)
	rec, err := Recommend(sc, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := ApplyToTOML([]byte(twoServices), sc, rec.Changes())
	if err != nil {
		t.Fatal(err)
	}
	c, err := rec.CheckApplied(sc, parse(t, string(out)), RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := fargateMonthly(4, 512, 2048) + fargateMonthly(1, 4096, 8192)
	base := fargateMonthly(5, 4096, 8192)
	if !c.Passed || math.Abs(c.MonthlyUSD-want) > 0.01*want || math.Abs(c.BaseMonthlyUSD-base) > 0.01*base {
		t.Errorf("check %+v, want passed, monthly %.2f, base %.2f", c, want, base)
	}
	// app at 256/512: its tasks use 1000 MiB each, above 512, so they are
	// OOM-killed and demand goes unserved: the check fails and names app.
	small, err := applyChanges(sc, []Change{{Service: "app", CPU: 256, Memory: 512}})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := rec.CheckApplied(sc, small, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if bad.Passed || len(bad.FailedServices) != 1 || bad.FailedServices[0] != "app" {
		t.Errorf("undersized app: %+v, want failed on app", bad)
	}
	// The scenario as given, checked against itself, passes at its own cost.
	self, err := rec.CheckApplied(sc, sc, RecommendOptions{})
	if err != nil || !self.Passed || self.MonthlyUSD != self.BaseMonthlyUSD {
		t.Errorf("self-check %+v %v", self, err)
	}
}

// The [[services.placement_strategy]] table form goes whole too.
func TestApplyLaunchToTOMLPlacementTables(t *testing.T) {
	src := `name = "l"
duration = "1h"
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
max_size = 2
desired_capacity = 1
[[task_definitions]]
family = "app"
cpu = 512
memory = 1024
network_mode = "awsvpc"
[[services]]
name = "app"
task_definition = "app"
desired_count = 2
launch_type = "EC2"
  [[services.placement_strategy]]
  type = "spread"
  field = "attribute:ecs.availability-zone"
  [[services.placement_constraints]]
  type = "distinctInstance"
  [services.load]
  cpu = { pattern = "constant", value = 0.5 }
`
	sc, err := scenarios.Parse("l.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out, err := ApplyLaunchToTOML([]byte(src), sc, []LaunchChange{{Service: "app", DropPlacement: true,
		Strategy: []scenarios.StrategyItem{{CapacityProvider: "FARGATE", Weight: intp(1)}}}})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if strings.Contains(text, "placement_") || !strings.Contains(text, "[services.load]") {
		t.Errorf("rewritten:\n%s", text)
	}
	back, err := scenarios.Parse("l2.toml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if s := back.Services[0]; s.PlacementStrategy != nil || s.PlacementConstraints != nil || s.Load.CPU == nil {
		t.Errorf("service %+v", s)
	}
}

// LaunchChanges leaves out a move to Fargate when the size --apply writes
// is not a Fargate size (Fargate takes only its published CPU/memory
// pairs, ECS-SEMANTICS.md §8): 128/256 is not one, 512/1024 is.
func TestLaunchChangesFargateSize(t *testing.T) {
	mk := func(cpu, mem int) *Recommendation {
		return &Recommendation{Services: map[string]*ServiceRecommendation{"app": {
			Current: Current{CPU: 1024, Memory: 2048},
			Options: []Option{{CPU: cpu, Memory: mem, Verified: Verified{Passed: true}}},
			LaunchTypeOptions: []LaunchOption{{LaunchType: LaunchFargate, SavingsMonthlyUSD: 10, Verified: Verified{Passed: true},
				CapacityProviderStrategy: []scenarios.StrategyItem{{CapacityProvider: "FARGATE", Weight: intp(1)}}}},
		}}}
	}
	if got := mk(128, 256).LaunchChanges(); len(got) != 0 {
		t.Errorf("128/256: %+v, want no move", got)
	}
	if got := mk(512, 1024).LaunchChanges(); len(got) != 1 || !got[0].DropPlacement {
		t.Errorf("512/1024: %+v, want the move to FARGATE", got)
	}
}
