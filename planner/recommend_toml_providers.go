package planner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
)

// ProviderChange is a capacity provider recommendation to apply: the
// group's instance types and market, and, when not empty, its allocation
// strategy and the Spot interruption frequency of a group moved to Spot
// (see ProviderOption).
type ProviderChange struct {
	Provider              string
	InstanceTypes         []string
	Market                string
	AllocationStrategy    string
	InterruptionFrequency string
}

// ProviderChanges returns the recommended capacity provider options that
// passed verification and differ from the group's current types or market,
// sorted by name. An on_demand option for a Spot group that has an
// [interruptions] table is left out (the table would have to go too).
func (r *Recommendation) ProviderChanges(sc *scenarios.Scenario) []ProviderChange {
	var out []ProviderChange
	for _, cp := range sc.CapacityProviders {
		p := r.CapacityProviders[cp.Name]
		if p == nil || len(p.Options) == 0 {
			continue
		}
		o := p.Options[0]
		if !o.Verified.Passed || (slices.Equal(o.InstanceTypes, cp.InstanceTypes) && o.Market == string(cp.Market) &&
			(o.AllocationStrategy == "" || o.AllocationStrategy == string(cp.AllocationStrategy))) {
			continue
		}
		if o.Market == string(scenarios.MarketOnDemand) && cp.Interruptions != nil {
			continue
		}
		out = append(out, ProviderChange{Provider: cp.Name, InstanceTypes: o.InstanceTypes, Market: o.Market,
			AllocationStrategy: o.AllocationStrategy, InterruptionFrequency: o.InterruptionFrequency})
	}
	slices.SortFunc(out, func(a, b ProviderChange) int { return strings.Compare(a.Provider, b.Provider) })
	return out
}

// ApplyProvidersToTOML rewrites the instance_types, market and (when the
// change sets one) allocation_strategy lines of each changed
// [[capacity_providers]] table of src (the k-th table being sc's k-th
// group), keeping everything else byte for byte; a missing market or
// allocation_strategy line is added after the header. A group moved to
// Spot with an interruption frequency gets a
// [capacity_providers.interruptions] table at the end of its block, as
// verification ran it. instance_types must be a one-line array.
func ApplyProvidersToTOML(src []byte, sc *scenarios.Scenario, changes []ProviderChange) ([]byte, error) {
	if len(changes) == 0 {
		return src, nil
	}
	e := newTOMLEdit(src)
	cps, err := e.tables("capacity_providers", len(sc.CapacityProviders))
	if err != nil {
		return nil, err
	}
	for _, ch := range changes {
		k := slices.IndexFunc(sc.CapacityProviders, func(cp scenarios.CapacityProvider) bool { return cp.Name == ch.Provider })
		if k < 0 {
			return nil, fmt.Errorf("no capacity provider %q", ch.Provider)
		}
		if err := applyProvider(e, cps[k], ch); err != nil {
			return nil, fmt.Errorf("capacity provider %s: %w", ch.Provider, err)
		}
	}
	return e.bytes(), nil
}

// applyProvider writes one group's change into its table b.
func applyProvider(e *tomlEdit, b block, ch ProviderChange) error {
	if _, ok := b.keys["instance_types"]; !ok {
		return fmt.Errorf("no instance_types line")
	}
	quoted := make([]string, len(ch.InstanceTypes))
	for j, t := range ch.InstanceTypes {
		quoted[j] = strconv.Quote(t)
	}
	if err := e.set(b, "instance_types", "["+strings.Join(quoted, ", ")+"]"); err != nil {
		return err
	}
	if err := e.set(b, "market", strconv.Quote(ch.Market)); err != nil {
		return err
	}
	if ch.AllocationStrategy != "" {
		if err := e.set(b, "allocation_strategy", strconv.Quote(ch.AllocationStrategy)); err != nil {
			return err
		}
	}
	if ch.InterruptionFrequency != "" && len(e.sub(b, "capacity_providers.interruptions")) == 0 {
		e.insertAfter(e.lastLine(b), "  [capacity_providers.interruptions]\n  frequency = "+strconv.Quote(ch.InterruptionFrequency)+"\n")
	}
	return nil
}
