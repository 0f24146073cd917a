package scenarios

import (
	"slices"
	"sort"
	"strings"

	"github.com/ecssim/ecssim/pricing"
)

// isFargateProvider reports whether name is FARGATE or FARGATE_SPOT.
func isFargateProvider(name string) bool {
	return name == ProviderFargate || name == ProviderFargateSpot
}

// ProviderIndex returns the index of the Auto Scaling group provider named
// name in s.CapacityProviders, or -1 (always for FARGATE and FARGATE_SPOT,
// which have no entry).
func (s *Scenario) ProviderIndex(name string) int {
	for i := range s.CapacityProviders {
		if s.CapacityProviders[i].Name == name {
			return i
		}
	}
	return -1
}

// maxAutoScalingGroups is ecssim's limit on Auto Scaling group capacity
// providers in one scenario: placement keeps them in a 64-bit pool mask.
const maxAutoScalingGroups = 64

func (v *validator) indexCapacityProviders() {
	v.cpByNm = map[string]int{}
	sumMin, sumDesired := 0, 0
	for i := range v.s.CapacityProviders {
		cp := &v.s.CapacityProviders[i]
		p := indexPath("capacity_providers", i)
		if v.name(p+".name", cp.Name) {
			low := strings.ToLower(cp.Name)
			switch {
			case isFargateProvider(cp.Name):
				v.errf(p+".name", "%q is reserved: FARGATE and FARGATE_SPOT always exist and need no table", cp.Name)
			case strings.HasPrefix(low, "aws") || strings.HasPrefix(low, "ecs") || strings.HasPrefix(low, "fargate"):
				// CreateCapacityProvider API: the name can't be prefixed
				// with "aws", "ecs", or "fargate".
				v.errf(p+".name", "%q: a capacity provider name cannot start with \"aws\", \"ecs\" or \"fargate\"", cp.Name)
			default:
				if j, dup := v.cpByNm[cp.Name]; dup {
					v.errf(p+".name", "duplicate capacity provider %q (also capacity_providers[%d])", cp.Name, j)
				} else {
					v.cpByNm[cp.Name] = i
				}
			}
		}
		v.validateProvider(p, cp)
		sumMin += cp.MinSize
		sumDesired += cp.DesiredCapacity
	}
	if n := len(v.s.CapacityProviders); n > maxAutoScalingGroups {
		v.errf(indexPath("capacity_providers", maxAutoScalingGroups), "%d Auto Scaling group capacity providers: ecssim models at most %d per scenario", n, maxAutoScalingGroups)
	}
	if sumMin > maxInstancesPerCluster || sumDesired > maxInstancesPerCluster {
		v.errf("capacity_providers", "the groups start with %d instances (min_size total %d): at most %d container instances per cluster",
			sumDesired, sumMin, maxInstancesPerCluster)
	}
}

func (v *validator) validateProvider(p string, cp *CapacityProvider) {
	s := v.s
	if len(cp.InstanceTypes) == 0 {
		v.errf(p+".instance_types", "needs at least one instance type")
	}
	spot := cp.Market == MarketSpot
	v.enum(p+".market", string(cp.Market), true, string(MarketOnDemand), string(MarketSpot))
	if spot {
		v.enum(p+".allocation_strategy", string(cp.AllocationStrategy), true,
			string(AllocLowestPrice), string(AllocCapacityOptimized), string(AllocPriceCapacityOptimized), string(AllocPrioritized))
	} else {
		// EC2 Auto Scaling allocation strategies: On-Demand capacity
		// uses lowest-price or prioritized only.
		v.enum(p+".allocation_strategy", string(cp.AllocationStrategy), true,
			string(AllocLowestPrice), string(AllocPrioritized))
	}
	arch := ""
	seen := map[string]bool{}
	for j, name := range cp.InstanceTypes {
		tp := indexPath(p+".instance_types", j)
		if seen[name] {
			v.errf(tp, "duplicate instance type %q", name)
			continue
		}
		seen[name] = true
		it, ok := v.cat.InstanceType(name)
		if !ok {
			v.errf(tp, "instance type %q is not in the builtin catalog (%s)", name, v.catalogHint(name))
			continue
		}
		if arch == "" {
			arch = it.Arch
		} else if it.Arch != arch {
			v.errf(tp, "%s is %s but the group's first type is %s: a group launches one architecture", name, it.Arch, arch)
		}
		if cp.ReservedMemory >= it.RegisteredMemory(0) {
			v.errf(p+".reserved_memory", "%d MiB leaves nothing of %s's %d MiB", cp.ReservedMemory, name, it.RegisteredMemory(0))
		}
		if cp.AwsvpcTrunking && it.TrunkENIs == 0 {
			v.errf(p+".awsvpc_trunking", "%s does not support awsvpc trunking", name)
		}
		if v.builtin {
			if _, ok := v.cat.OnDemandRate(s.Region, name); !ok {
				v.errf(tp, "no price for instance type %s in region %s in the builtin catalog", name, s.Region)
			} else if spot && s.Pricing.SpotPriceHistory == "" && s.Pricing.SpotAdvisor == "builtin" {
				if _, ok := v.cat.SpotRate(s.Region, name); !ok {
					v.errf(tp, "a Spot group needs a Spot price for each type: none for %s in %s (give pricing.spot_price_history or pricing.spot_advisor)", name, s.Region)
				}
			}
		}
	}
	v.intRange(p+".reserved_memory", cp.ReservedMemory, 0, 1<<30)
	if v.required(p + ".max_size") {
		v.intRange(p+".max_size", cp.MaxSize, 0, maxInstancesPerCluster)
	}
	if cp.MinSize < 0 {
		v.errf(p+".min_size", "must not be negative, got %d", cp.MinSize)
	} else if cp.MinSize > cp.MaxSize {
		v.errf(p+".min_size", "min_size %d is above max_size %d", cp.MinSize, cp.MaxSize)
	}
	if cp.DesiredCapacity < cp.MinSize || cp.DesiredCapacity > cp.MaxSize {
		v.errf(p+".desired_capacity", "must be between min_size %d and max_size %d, got %d", cp.MinSize, cp.MaxSize, cp.DesiredCapacity)
	}
	if cp.LaunchTime < 0 {
		v.errf(p+".launch_time", "must not be negative")
	}
	if cp.SpotDraining && !spot {
		v.errf(p+".spot_draining", "applies to spot groups only (market = \"spot\")")
	}
	for _, k := range sortedKeys(cp.Attributes) {
		ap := joinPath(p+".attributes", k)
		// Custom attribute names [task-placement-constraints, "Attributes"]:
		// letters, digits, '-', '_', '.', '@', '/' and ':', up to 128; the
		// ecs. prefix belongs to the built-in attributes.
		if k == "" || len(k) > 128 || strings.Trim(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@/:") != "" {
			v.errf(ap, "%q is not a valid attribute name", k)
		} else if strings.HasPrefix(k, "ecs.") {
			v.errf(ap, "%q: the ecs. prefix is reserved for built-in attributes", k)
		}
	}
	managed := cp.ManagedScaling != nil && cp.ManagedScaling.Status == "ENABLED"
	if ms := cp.ManagedScaling; ms != nil {
		mp := p + ".managed_scaling"
		v.enum(mp+".status", ms.Status, true, "ENABLED", "DISABLED")
		v.intRange(mp+".target_capacity", ms.TargetCapacity, 1, 100)
		v.intRange(mp+".minimum_scaling_step_size", ms.MinimumScalingStepSize, 1, 10000)
		v.intRange(mp+".maximum_scaling_step_size", ms.MaximumScalingStepSize, 1, 10000)
		if ms.MinimumScalingStepSize > ms.MaximumScalingStepSize {
			v.errf(mp+".minimum_scaling_step_size", "%d is above maximum_scaling_step_size %d", ms.MinimumScalingStepSize, ms.MaximumScalingStepSize)
		}
		if ms.InstanceWarmupPeriod < 0 || ms.InstanceWarmupPeriod.D().Seconds() > 10000 {
			v.errf(mp+".instance_warmup_period", "must be between 0s and 10000s, got %v", ms.InstanceWarmupPeriod)
		}
	}
	if cp.ManagedTerminationProtection && !managed {
		// [cluster-auto-scaling]: managed termination protection works
		// only with managed scaling.
		v.errf(p+".managed_termination_protection", "needs managed scaling ([capacity_providers.managed_scaling] with status ENABLED)")
	}
	if managed && len(cp.StepScaling) > 0 {
		v.errf(indexPath(p+".step_scaling", 0), "step scaling is exclusive with managed scaling: use one of them")
	}
	for j := range cp.StepScaling {
		v.validateStep(indexPath(p+".step_scaling", j), &cp.StepScaling[j],
			"CPUReservation", "MemoryReservation", "CPUUtilization", "MemoryUtilization")
	}
	if in := cp.Interruptions; in != nil {
		ip := p + ".interruptions"
		if !spot {
			v.errf(ip, "applies to spot groups only (market = \"spot\")")
		}
		n := 0
		if v.has[ip+".frequency"] {
			n++
			if _, err := pricing.ParseFrequency(in.Frequency); err != nil {
				v.errf(ip+".frequency", "%v", err)
			}
		}
		if in.PerInstanceHour != nil {
			n++
			v.nonNeg(ip+".per_instance_hour", *in.PerInstanceHour)
		}
		if in.FromAdvisor {
			n++
		}
		if n != 1 {
			v.errf(ip, "set exactly one of frequency, per_instance_hour or from_advisor = true")
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validateStrategy checks a capacity provider strategy
// [cluster-capacity-providers, CapacityProviderStrategyItem]: known
// providers, base 0-100000 on at most one item, weight 0-1000 with at least
// one above 0, at most 20 items, no duplicates, and not Fargate and Auto
// Scaling group providers together.
func (v *validator) validateStrategy(p string, items []StrategyItem) {
	if len(items) == 0 {
		v.errf(p, "needs at least one capacity provider")
		return
	}
	if len(items) > maxProvidersInStrategy {
		v.errf(p, "at most %d capacity providers per strategy, got %d", maxProvidersInStrategy, len(items))
	}
	seen := map[string]bool{}
	bases, weights := 0, 0
	var fargate, asg string
	for i, it := range items {
		ip := indexPath(p, i)
		name := it.CapacityProvider
		switch {
		case name == "":
			v.errf(ip+".capacity_provider", "is required")
		case isFargateProvider(name):
			fargate = name
		case v.s.ProviderIndex(name) >= 0:
			asg = name
		default:
			known := []string{ProviderFargate, ProviderFargateSpot}
			for _, cp := range v.s.CapacityProviders {
				known = append(known, cp.Name)
			}
			v.errf(ip+".capacity_provider", "no capacity provider %q (known: %s)", name, strings.Join(known, ", "))
		}
		if name != "" && seen[name] {
			v.errf(ip+".capacity_provider", "%q appears twice in the strategy", name)
		}
		seen[name] = true
		if v.intRange(ip+".base", it.Base, 0, 100000) && it.Base > 0 {
			bases++
			if bases == 2 {
				v.errf(ip+".base", "only one capacity provider in a strategy can have a base")
			}
		}
		if v.intRange(ip+".weight", it.W(), 0, 1000) && it.W() > 0 {
			weights++
		}
	}
	if weights == 0 {
		v.errf(p, "needs at least one capacity provider with a weight above 0")
	}
	if fargate != "" && asg != "" {
		v.errf(p, "cannot mix %s with the Auto Scaling group provider %q", fargate, asg)
	}
}

// strategyGroups returns the indexes of the Auto Scaling group providers a
// strategy names, and whether it names FARGATE or FARGATE_SPOT.
func (s *Scenario) strategyGroups(items []StrategyItem) (groups []int, fargate bool) {
	for _, it := range items {
		if isFargateProvider(it.CapacityProvider) {
			fargate = true
		} else if i := s.ProviderIndex(it.CapacityProvider); i >= 0 && !slices.Contains(groups, i) {
			groups = append(groups, i)
		}
	}
	return groups, fargate
}

// validateStep checks a step scaling policy: its metric is one of metrics;
// it uses either the AWS form (comparison, threshold, steps) or the
// shorthand (scale_out and/or scale_in), not both.
func (v *validator) validateStep(p string, st *StepScaling, metrics ...string) {
	v.enum(p+".metric", st.Metric, true, metrics...)
	v.enum(p+".statistic", st.Statistic, true, "Average", "Maximum", "Minimum", "Sum", "SampleCount")
	if st.EvaluationPeriods < 1 {
		v.errf(p+".evaluation_periods", "must be at least 1, got %d", st.EvaluationPeriods)
	}
	if st.DatapointsToAlarm < 1 || st.DatapointsToAlarm > st.EvaluationPeriods {
		v.errf(p+".datapoints_to_alarm", "must be between 1 and evaluation_periods (%d), got %d", st.EvaluationPeriods, st.DatapointsToAlarm)
	}
	if st.Cooldown < 0 {
		v.errf(p+".cooldown", "must not be negative")
	}
	short := st.ScaleOut != nil || st.ScaleIn != nil
	aws := v.has[p+".comparison"] || v.has[p+".threshold"] || v.has[p+".steps"] || v.has[p+".adjustment_type"]
	switch {
	case short && aws:
		v.errf(p, "use either comparison, threshold and steps or the scale_out/scale_in shorthand, not both")
	case short:
		if o := st.ScaleOut; o != nil && o.Adjustment <= 0 {
			v.errf(p+".scale_out.adjustment", "must be above 0 to scale out, got %d", o.Adjustment)
		}
		if in := st.ScaleIn; in != nil && in.Adjustment >= 0 {
			v.errf(p+".scale_in.adjustment", "must be below 0 to scale in, got %d", in.Adjustment)
		}
		if st.ScaleOut != nil && st.ScaleIn != nil && st.ScaleIn.Threshold >= st.ScaleOut.Threshold {
			v.errf(p+".scale_in.threshold", "%v must be below scale_out's threshold %v", st.ScaleIn.Threshold, st.ScaleOut.Threshold)
		}
		v.forbid(p, "with the scale_out/scale_in shorthand", "min_adjustment_magnitude")
	default:
		v.enum(p+".comparison", st.Comparison, true, ">=", ">", "<=", "<")
		if st.Threshold == nil {
			v.errf(p+".threshold", "is required")
		}
		v.enum(p+".adjustment_type", st.AdjustmentType, true, "ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity")
		v.validateSteps(p+".steps", st.Steps)
		if st.MinAdjustmentMagnitude < 0 {
			v.errf(p+".min_adjustment_magnitude", "must not be negative")
		} else if st.MinAdjustmentMagnitude > 0 && st.AdjustmentType != "PercentChangeInCapacity" {
			v.errf(p+".min_adjustment_magnitude", "applies to adjustment_type PercentChangeInCapacity only")
		}
	}
}

// validateSteps checks step adjustments [Application Auto Scaling, step
// scaling policies]: the intervals must not overlap or leave gaps; only the
// first may be unbounded below and only the last unbounded above.
func (v *validator) validateSteps(p string, steps []Step) {
	if len(steps) == 0 {
		v.errf(p, "needs at least one step { lower, upper, adjustment }")
		return
	}
	order := make([]int, len(steps))
	for i := range order {
		order[i] = i
	}
	lo := func(i int) float64 {
		if steps[i].Lower == nil {
			return -1e308
		}
		return *steps[i].Lower
	}
	sort.SliceStable(order, func(a, b int) bool { return lo(order[a]) < lo(order[b]) })
	for k, i := range order {
		st := steps[i]
		sp := indexPath(p, i)
		if st.Lower != nil && st.Upper != nil && *st.Lower >= *st.Upper {
			v.errf(sp, "lower %v must be below upper %v", *st.Lower, *st.Upper)
		}
		if k > 0 && st.Lower == nil {
			v.errf(sp, "only the lowest step may leave lower unbounded")
		}
		if k < len(order)-1 {
			next := steps[order[k+1]]
			if st.Upper == nil {
				v.errf(sp, "only the highest step may leave upper unbounded")
			} else if next.Lower != nil && *next.Lower != *st.Upper {
				v.errf(indexPath(p, order[k+1]), "steps must not overlap or leave a gap: lower %v should equal the previous upper %v", *next.Lower, *st.Upper)
			}
		}
	}
}

// catalogHint names the builtin types of name's family, or the families,
// for an instance type the catalog lacks.
func (v *validator) catalogHint(name string) string {
	family, _, _ := strings.Cut(name, ".")
	var same, families []string
	for _, it := range v.cat.InstanceTypes() {
		f, _, _ := strings.Cut(it.Name, ".")
		if f == family {
			same = append(same, it.Name)
		}
		if !slices.Contains(families, f) {
			families = append(families, f)
		}
	}
	if len(same) > 0 {
		return "it has " + strings.Join(same, ", ")
	}
	return "families " + strings.Join(families, ", ")
}
