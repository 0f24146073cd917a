package planner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// LaunchChange moves a service to a launch-type option's capacity
// provider strategy (SCENARIO.md: "An option may also change
// capacity_provider_strategy (a Fargate Spot share)").
type LaunchChange struct {
	Service  string
	Strategy []scenarios.StrategyItem
	// DropPlacement: the option runs on Fargate, where placement strategies
	// and constraints do not apply; their lines go.
	DropPlacement bool
}

// LaunchChanges returns, per service in name order, the launch-type
// option that passed verification and saves the most a month (more than
// nothing): what `recommend --apply --apply-launch-types` writes. A move
// to Fargate is left out when the size --apply writes for the service is
// not a Fargate size. CheckApplied verifies the combination.
func (r *Recommendation) LaunchChanges() []LaunchChange {
	var out []LaunchChange
	for _, name := range r.ServiceNames() {
		s := r.Services[name]
		best := -1
		for k, lt := range s.LaunchTypeOptions {
			if lt.Verified.Passed && lt.SavingsMonthlyUSD > 0 &&
				(best < 0 || lt.SavingsMonthlyUSD > s.LaunchTypeOptions[best].SavingsMonthlyUSD) {
				best = k
			}
		}
		if best < 0 {
			continue
		}
		lt := s.LaunchTypeOptions[best]
		// The option was verified at the current size; with the size
		// --apply also writes, Fargate must still take the task.
		cpu, mem := s.Current.CPU, s.Current.Memory
		if o := s.Options[0]; o.Verified.Passed {
			cpu, mem = o.CPU, o.Memory
		}
		if lt.LaunchType != LaunchEC2 && !scenarios.ValidFargateSize(cpu, mem) {
			continue
		}
		out = append(out, LaunchChange{Service: name, Strategy: lt.CapacityProviderStrategy, DropPlacement: lt.LaunchType != LaunchEC2})
	}
	return out
}

// ApplyLaunchToTOML rewrites each changed service's [[services]] table of
// src (the k-th table being sc's k-th service): capacity_provider_strategy
// set to the option's one-line array (added after the header when
// absent), launch_type removed, and for a Fargate option the
// placement_strategy and placement_constraints removed (one-line keys or
// [[services.placement_*]] tables). Keys must be one-line values;
// everything else is kept byte for byte.
func ApplyLaunchToTOML(src []byte, sc *scenarios.Scenario, changes []LaunchChange) ([]byte, error) {
	if len(changes) == 0 {
		return src, nil
	}
	e := newTOMLEdit(src)
	svcs, err := e.tables("services", len(sc.Services))
	if err != nil {
		return nil, err
	}
	for _, ch := range changes {
		k := slices.IndexFunc(sc.Services, func(s scenarios.Service) bool { return s.Name == ch.Service })
		if k < 0 {
			return nil, fmt.Errorf("no service %q", ch.Service)
		}
		if err := applyLaunch(e, svcs[k], ch); err != nil {
			return nil, fmt.Errorf("service %s: %w", ch.Service, err)
		}
	}
	return e.bytes(), nil
}

// applyLaunch writes one service's move into its table b.
func applyLaunch(e *tomlEdit, b block, ch LaunchChange) error {
	drop := []string{"launch_type"}
	if ch.DropPlacement {
		drop = append(drop, "placement_strategy", "placement_constraints")
	}
	for _, key := range drop {
		if err := e.drop(b, key); err != nil {
			return err
		}
	}
	if ch.DropPlacement { // the [[services.placement_*]] table form goes whole
		e.dropTables(b, "services.placement_strategy")
		e.dropTables(b, "services.placement_constraints")
	}
	return e.set(b, "capacity_provider_strategy", strategyTOML(ch.Strategy))
}

// strategyTOML is a strategy as a one-line TOML array.
func strategyTOML(items []scenarios.StrategyItem) string {
	parts := make([]string, len(items))
	for k, it := range items {
		s := "{ capacity_provider = " + strconv.Quote(it.CapacityProvider)
		if it.Base > 0 {
			s += ", base = " + strconv.Itoa(it.Base)
		}
		parts[k] = s + ", weight = " + strconv.Itoa(it.W()) + " }"
	}
	return "[ " + strings.Join(parts, ", ") + " ]"
}

// AppliedCheck is the simulation of a scenario with every applied change
// at once (each option was verified alone; services that share instances
// or a group whose types changed with its services resized interact).
type AppliedCheck struct {
	// Passed: every service keeps the policy's limits as an option must
	// (see judge) and every [[assertions]] check holds.
	Passed bool `json:"passed"`
	// MonthlyUSD is the applied scenario's cost.monthly_usd;
	// BaseMonthlyUSD the scenario's as given.
	MonthlyUSD     float64 `json:"monthly_usd"`
	BaseMonthlyUSD float64 `json:"base_monthly_usd"`
	// FailedServices names the services over a limit, in service order.
	FailedServices   []string `json:"failed_services,omitempty"`
	FailedAssertions []string `json:"failed_assertions,omitempty"`
}

// CheckApplied simulates applied (the scenario rewritten by the changes of
// r, parsed back) with opt's seed and judges every service of sc, the
// scenario r was made from, by r's policy against r's base run.
func (r *Recommendation) CheckApplied(sc, applied *scenarios.Scenario, opt RecommendOptions) (AppliedCheck, error) {
	rc := &recommender{sc: sc, opt: opt, pol: r.Policy, base: r.Base}
	res, err := sim.Run(applied, sim.Options{Seed: opt.Seed, Version: opt.Version})
	if err != nil {
		return AppliedCheck{}, err
	}
	c := AppliedCheck{Passed: true, MonthlyUSD: res.Cost.MonthlyUSD, BaseMonthlyUSD: r.Base.Cost.MonthlyUSD}
	for i := range sc.Services {
		name := sc.Services[i].Name
		if !rc.judgeLimits(res, name).Passed {
			c.Passed = false
			c.FailedServices = append(c.FailedServices, name)
		}
	}
	for _, a := range EvaluateAssertions(res, checks(applied)) {
		if !a.Passed {
			c.Passed = false
			c.FailedAssertions = append(c.FailedAssertions, a.Check)
		}
	}
	return c, nil
}
