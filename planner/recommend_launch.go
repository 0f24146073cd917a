package planner

import (
	"slices"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// Launch types of LaunchOption.
const (
	LaunchFargate          = "FARGATE"
	LaunchFargateSpotShare = "FARGATE_SPOT_SHARE" // FARGATE base 1 weight 1, FARGATE_SPOT weight 3
	LaunchEC2              = "EC2"                // an Auto Scaling group capacity provider
)

// LaunchOption runs a service's tasks, at their current size, on other
// capacity: Fargate alone, a Fargate Spot share, or an Auto Scaling group
// of the scenario; costed on the same workload by simulating it, and
// verified by the same rules as the size options.
type LaunchOption struct {
	LaunchType               string                   `json:"launch_type"`
	CapacityProviderStrategy []scenarios.StrategyItem `json:"capacity_provider_strategy"`
	MonthlyUSD               float64                  `json:"monthly_usd"`
	SavingsMonthlyUSD        float64                  `json:"savings_monthly_usd"`
	Verified                 Verified                 `json:"verified"`
}

func intp(v int) *int { return &v }

// launchCandidates lists the strategies to compare for service s: FARGATE
// alone, the Fargate Spot share (FARGATE base 1 weight 1 + FARGATE_SPOT
// weight 3), and each Auto Scaling group whose instances have the task's
// CPU architecture and hold the task; the service's own strategy is left
// out.
//
// Model assumption: a service tolerates Fargate Spot when the verification
// run (with interruptions at fargate_spot.interruptions_per_task_hour)
// keeps the limits; the Spot share keeps one task on FARGATE.
func launchCandidates(sc *scenarios.Scenario, s *scenarios.Service) []LaunchOption {
	td := s.TaskDef
	var out []LaunchOption
	add := func(lt string, items ...scenarios.StrategyItem) {
		if s.LaunchType == "" && slices.EqualFunc(items, s.Strategy, func(a, b scenarios.StrategyItem) bool {
			return a.CapacityProvider == b.CapacityProvider && a.Base == b.Base && a.W() == b.W()
		}) {
			return
		}
		if s.LaunchType == "FARGATE" && lt == LaunchFargate {
			return
		}
		out = append(out, LaunchOption{LaunchType: lt, CapacityProviderStrategy: items})
	}
	if scenarios.ValidFargateSize(td.CPU, td.Memory) && td.NetworkMode == "awsvpc" {
		add(LaunchFargate, scenarios.StrategyItem{CapacityProvider: scenarios.ProviderFargate, Weight: intp(1)})
		add(LaunchFargateSpotShare,
			scenarios.StrategyItem{CapacityProvider: scenarios.ProviderFargate, Base: 1, Weight: intp(1)},
			scenarios.StrategyItem{CapacityProvider: scenarios.ProviderFargateSpot, Weight: intp(3)})
	}
	cat, err := sim.Catalog(sc)
	if err != nil {
		return out
	}
	for _, cp := range sc.CapacityProviders {
		fits := len(cp.InstanceTypes) > 0
		for _, name := range cp.InstanceTypes {
			it, ok := cat.InstanceType(name)
			if !ok || !strings.EqualFold(it.Arch, td.CPUArchitecture) ||
				it.RegisteredCPU() < td.CPU || it.RegisteredMemory(cp.ReservedMemory) < td.Memory {
				fits = false
			}
		}
		if fits {
			add(LaunchEC2, scenarios.StrategyItem{CapacityProvider: cp.Name, Weight: intp(1)})
		}
	}
	return out
}

// launchOptions costs and verifies each candidate strategy for service i
// at its current size.
//
// Model assumption: on an Auto Scaling group the service is costed as its
// share of the group's instances (results.json by_service: instance cost
// split by reserved CPU), so a group with room costs the service little;
// the group's own scaling settings stay as they are.
func (r *recommender) launchOptions(i int, cur Current) ([]LaunchOption, error) {
	s := &r.sc.Services[i]
	cands := launchCandidates(r.sc, s)
	for k := range cands {
		c := &cands[k]
		cp := *r.sc
		cp.Services = append([]scenarios.Service(nil), r.sc.Services...)
		svc := &cp.Services[i]
		svc.LaunchType = ""
		svc.CapacityProviderStrategy = c.CapacityProviderStrategy
		svc.Strategy = c.CapacityProviderStrategy
		if c.LaunchType != LaunchEC2 {
			svc.PlacementStrategy, svc.PlacementConstraints = nil, nil
		}
		res, err := r.simulate(&cp)
		if err != nil {
			return nil, err
		}
		c.MonthlyUSD = monthlyUSD(res, s.Name)
		c.SavingsMonthlyUSD = cur.MonthlyUSD - c.MonthlyUSD
		c.Verified = r.judge(res, s.Name)
	}
	return cands, nil
}
