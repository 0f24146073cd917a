package planner

import (
	"fmt"
	"regexp"
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

// arrayLineRe matches a one-line "key = [ ... ]  # comment".
var arrayLineRe = regexp.MustCompile(`^(\s*[A-Za-z0-9_\-]+\s*=\s*)\[[^\]\n]*\](.*)$`)

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
	lines := strings.SplitAfter(string(src), "\n")
	cps := tableBlocks(lines, "capacity_providers")
	if len(cps) != len(sc.CapacityProviders) {
		return nil, fmt.Errorf("cannot rewrite the file: it has %d [[capacity_providers]] tables for %d groups", len(cps), len(sc.CapacityProviders))
	}
	inserts := map[int]string{}
	setKey := func(b block, key, value string) {
		if j, ok := b.keys[key]; ok {
			lines[j] = replaceValue(lines[j], value)
		} else {
			inserts[b.start] += key + " = " + value + "\n"
		}
	}
	for _, ch := range changes {
		k := slices.IndexFunc(sc.CapacityProviders, func(cp scenarios.CapacityProvider) bool { return cp.Name == ch.Provider })
		if k < 0 {
			return nil, fmt.Errorf("no capacity provider %q", ch.Provider)
		}
		b := cps[k]
		i, ok := b.keys["instance_types"]
		if !ok {
			return nil, fmt.Errorf("capacity provider %s: no instance_types line", ch.Provider)
		}
		quoted := make([]string, len(ch.InstanceTypes))
		for j, t := range ch.InstanceTypes {
			quoted[j] = strconv.Quote(t)
		}
		nl := ""
		l := lines[i]
		if strings.HasSuffix(l, "\n") {
			nl, l = "\n", strings.TrimSuffix(l, "\n")
		}
		m := arrayLineRe.FindStringSubmatch(l)
		if m == nil {
			return nil, fmt.Errorf("capacity provider %s: instance_types is not a one-line array", ch.Provider)
		}
		lines[i] = m[1] + "[" + strings.Join(quoted, ", ") + "]" + m[2] + nl
		setKey(b, "market", strconv.Quote(ch.Market))
		if ch.AllocationStrategy != "" {
			setKey(b, "allocation_strategy", strconv.Quote(ch.AllocationStrategy))
		}
		if ch.InterruptionFrequency != "" && len(subTables(lines, b, "capacity_providers.interruptions")) == 0 {
			last := b.end - 1
			for last > b.start && strings.TrimSpace(lines[last]) == "" {
				last-- // after the block's last line, before blank lines
			}
			ins := "  [capacity_providers.interruptions]\n  frequency = " + strconv.Quote(ch.InterruptionFrequency) + "\n"
			if !strings.HasSuffix(lines[last], "\n") {
				ins = "\n" + ins
			}
			inserts[last] += ins
		}
	}
	var out strings.Builder
	for i, l := range lines {
		out.WriteString(l)
		if ins, ok := inserts[i]; ok {
			out.WriteString(ins)
		}
	}
	return []byte(out.String()), nil
}
