package scenarios

import (
	"fmt"
	"strconv"

	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/workloads"
)

func (v *validator) validateServices() {
	seen := map[string]int{}
	for i := range v.s.Services {
		sv := &v.s.Services[i]
		p := indexPath("services", i)
		if v.name(p+".name", sv.Name) {
			if j, dup := seen[sv.Name]; dup {
				v.errf(p+".name", "duplicate service %q (also services[%d])", sv.Name, j)
			} else {
				seen[sv.Name] = i
			}
		}
		tdi := v.refTaskDef(p+".task_definition", sv.TaskDefinition)
		v.intRange(p+".desired_count", sv.DesiredCount, 0, maxTasksPerService)
		strategy := v.placementOf(p, sv.LaunchType, sv.CapacityProviderStrategy)
		v.useTask(p, fmt.Sprintf("service %q", sv.Name), tdi, sv.LaunchType, strategy)
		onFargate := v.onFargate(sv.LaunchType, strategy)
		v.validatePlacement(p, sv.PlacementStrategy, sv.PlacementConstraints, onFargate)
		v.enum(p+".availability_zone_rebalancing", sv.AvailabilityZoneRebalancing, true, "ENABLED", "DISABLED")
		if sv.HealthCheckGracePeriod < 0 {
			v.errf(p+".health_check_grace_period", "must not be negative")
		}
		if sv.Load != nil {
			v.validateLoad(p+".load", sv.Load)
		}
		if sv.Autoscaling != nil {
			v.validateAutoscaling(p, sv)
		}
		v.validateDeployment(p+".deployment", &sv.Deployment)
	}
}

// placementOf checks launch_type and the own strategy of a service or job
// and returns the effective strategy (nil with a launch type).
func (v *validator) placementOf(p, launchType string, own []StrategyItem) []StrategyItem {
	if v.has[p+".launch_type"] {
		v.enum(p+".launch_type", launchType, true, "FARGATE", "EC2")
		if v.has[p+".capacity_provider_strategy"] {
			v.errf(p+".capacity_provider_strategy", "is exclusive with launch_type: set one of them")
		}
		return nil
	}
	if v.has[p+".capacity_provider_strategy"] {
		v.validateStrategy(p+".capacity_provider_strategy", own)
		return own
	}
	return v.s.Cluster.DefaultCapacityProviderStrategy
}

func (v *validator) onFargate(launchType string, strategy []StrategyItem) bool {
	if launchType != "" {
		return launchType == "FARGATE"
	}
	_, f := v.s.strategyGroups(strategy)
	return f
}

// validatePlacement checks placement strategies and constraints
// [task-placement-strategies, task-placement-constraints]: at most 5 and
// 10, valid types, fields and expressions, and none on Fargate.
func (v *validator) validatePlacement(p string, strategies []PlacementStrategy, constraints []PlacementConstraint, fargate bool) {
	if fargate && len(strategies) > 0 {
		v.errf(p+".placement_strategy", "Fargate tasks take no placement strategies")
	}
	if fargate && len(constraints) > 0 {
		v.errf(p+".placement_constraints", "Fargate tasks take no placement constraints")
	}
	if len(strategies) > maxPlacementStrategies {
		v.errf(p+".placement_strategy", "at most %d placement strategies, got %d", maxPlacementStrategies, len(strategies))
	}
	if len(constraints) > maxPlacementConstr {
		v.errf(p+".placement_constraints", "at most %d placement constraints, got %d", maxPlacementConstr, len(constraints))
	}
	for i, st := range strategies {
		sp := indexPath(p+".placement_strategy", i)
		if err := scheduler.ValidateStrategy(scheduler.Strategy{Type: st.Type, Field: st.Field}); err != nil {
			v.errf(sp, "%v", err)
		}
	}
	for i, c := range constraints {
		cp := indexPath(p+".placement_constraints", i)
		if !v.enum(cp+".type", c.Type, true, "distinctInstance", "memberOf") {
			continue
		}
		if c.Type == "distinctInstance" {
			v.forbid(cp, "to distinctInstance", "expression")
			continue
		}
		if c.Expression == "" {
			v.errf(cp+".expression", "is required for memberOf")
		} else if _, err := scheduler.ParseExpression(c.Expression); err != nil {
			v.errf(cp+".expression", "%v", err)
		}
	}
}

// validateLoad checks [services.load]: demand is either
// requests_per_second × cpu_per_request or cpu, never both.
func (v *validator) validateLoad(p string, l *LoadSpec) {
	switch {
	case l.RequestsPerSecond != nil && l.CPU != nil:
		v.errf(p+".cpu", "give either requests_per_second (with cpu_per_request) or cpu, not both")
	case l.RequestsPerSecond != nil:
		if !v.has[p+".cpu_per_request"] {
			v.errf(p+".cpu_per_request", "is required with requests_per_second")
		} else {
			v.positiveDur(p+".cpu_per_request", l.CPUPerRequest)
		}
		v.validateCurve(p+".requests_per_second", l.RequestsPerSecond)
	case l.CPU != nil:
		v.forbid(p, "without requests_per_second", "cpu_per_request", "memory_per_rps")
		v.validateCurve(p+".cpu", l.CPU)
	}
	v.nonNeg(p+".memory_base", l.MemoryBase)
	v.nonNeg(p+".memory_per_rps", l.MemoryPerRPS)
	v.fracRange(p+".noise", l.Noise, 0, 1)
	for i, sp := range l.Spikes {
		ip := indexPath(p+".spikes", i)
		v.window(ip, Window{At: sp.At, Duration: sp.Duration})
		if v.required(ip + ".factor") {
			v.nonNeg(ip+".factor", sp.Factor)
		}
	}
}

// validateCurve checks a demand curve and that it uses only its pattern's
// keys.
func (v *validator) validateCurve(p string, c *CurveSpec) {
	keys := map[string][]string{
		"constant": {"value"},
		"diurnal":  {"min", "max", "peak", "weekend_factor"},
		"steps":    {"steps"},
		"trace":    {"file", "format", "scale"},
	}
	use, ok := keys[c.Pattern]
	if !ok {
		v.enum(p+".pattern", c.Pattern, true, "constant", "diurnal", "steps", "trace")
		return
	}
	for _, k := range []string{"value", "min", "max", "peak", "weekend_factor", "steps", "file", "format", "scale"} {
		if !contains(use, k) {
			v.forbid(p, "to pattern "+strconv.Quote(c.Pattern), k)
		}
	}
	switch c.Pattern {
	case "constant":
		v.nonNeg(p+".value", c.Value)
	case "diurnal":
		for _, k := range []string{"min", "max", "peak"} {
			v.required(p + "." + k)
		}
		v.nonNeg(p+".min", c.Min)
		if c.Max < c.Min {
			v.errf(p+".max", "%v is below min %v", c.Max, c.Min)
		}
		if c.Peak != "" {
			if _, err := workloads.ParseTimeOfDay(c.Peak); err != nil {
				v.errf(p+".peak", "%v", err)
			}
		}
		if c.WeekendFactor != nil {
			v.nonNeg(p+".weekend_factor", *c.WeekendFactor)
		}
	case "steps":
		if len(c.Steps) == 0 {
			v.errf(p+".steps", "needs at least one { at, value }")
		}
		for i, st := range c.Steps {
			sp := indexPath(p+".steps", i)
			v.required(sp + ".at")
			v.required(sp + ".value")
			v.nonNeg(sp+".value", st.Value)
			if i > 0 && st.At <= c.Steps[i-1].At {
				v.errf(sp+".at", "%v must come after the previous step's %v", st.At, c.Steps[i-1].At)
			}
		}
	case "trace":
		v.file(p+".file", c.File)
		v.enum(p+".format", c.Format, true, "csv", "cloudwatch")
		if c.Scale != nil && *c.Scale <= 0 {
			v.errf(p+".scale", "must be above 0, got %v", *c.Scale)
		}
	}
}

// validateAutoscaling checks [services.autoscaling]
// [service-auto-scaling]: min_capacity ≤ desired_count ≤ max_capacity,
// metrics, targets and schedules.
func (v *validator) validateAutoscaling(sp string, sv *Service) {
	a := sv.Autoscaling
	p := sp + ".autoscaling"
	okMin, okMax := v.required(p+".min_capacity"), v.required(p+".max_capacity")
	if okMin && okMax {
		v.intRange(p+".max_capacity", a.MaxCapacity, 0, maxTasksPerService)
		if a.MinCapacity < 0 || a.MinCapacity > a.MaxCapacity {
			v.errf(p+".min_capacity", "must be between 0 and max_capacity %d, got %d", a.MaxCapacity, a.MinCapacity)
		} else if sv.DesiredCount < a.MinCapacity || sv.DesiredCount > a.MaxCapacity {
			v.errf(sp+".desired_count", "%d is outside the autoscaling range %d-%d (min_capacity ≤ desired_count ≤ max_capacity)", sv.DesiredCount, a.MinCapacity, a.MaxCapacity)
		}
	}
	for i := range a.TargetTracking {
		t := &a.TargetTracking[i]
		tp := indexPath(p+".target_tracking", i)
		v.enum(tp+".metric", t.Metric, true, "ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget")
		if v.required(tp + ".target") {
			if t.Target <= 0 {
				v.errf(tp+".target", "must be above 0, got %v", t.Target)
			} else if t.Metric != "ALBRequestCountPerTarget" && t.Target > 100 {
				v.errf(tp+".target", "is a percentage: at most 100, got %v", t.Target)
			}
		}
		if t.ScaleOutCooldown < 0 {
			v.errf(tp+".scale_out_cooldown", "must not be negative")
		}
		if t.ScaleInCooldown < 0 {
			v.errf(tp+".scale_in_cooldown", "must not be negative")
		}
	}
	for i := range a.StepScaling {
		v.validateStep(indexPath(p+".step_scaling", i), &a.StepScaling[i], "CPUUtilization", "MemoryUtilization", "RequestCountPerTarget")
	}
	for i, sc := range a.Scheduled {
		cp := indexPath(p+".scheduled", i)
		if v.required(cp + ".schedule") {
			if _, err := workloads.ParseSchedule(sc.Schedule, v.s.Start); err != nil {
				v.errf(cp+".schedule", "%v", err)
			}
		}
		if sc.MinCapacity == nil && sc.MaxCapacity == nil {
			v.errf(cp, "set min_capacity, max_capacity or both")
		}
		if sc.MinCapacity != nil {
			v.intRange(cp+".min_capacity", *sc.MinCapacity, 0, maxTasksPerService)
		}
		if sc.MaxCapacity != nil {
			v.intRange(cp+".max_capacity", *sc.MaxCapacity, 0, maxTasksPerService)
		}
		if sc.MinCapacity != nil && sc.MaxCapacity != nil && *sc.MinCapacity > *sc.MaxCapacity {
			v.errf(cp+".min_capacity", "%d is above max_capacity %d", *sc.MinCapacity, *sc.MaxCapacity)
		}
	}
}

// validateDeployment checks [services.deployment]
// [deployment-type-ecs, deployment-type-blue-green].
func (v *validator) validateDeployment(p string, d *Deployment) {
	v.enum(p+".strategy", d.Strategy, true, "ROLLING", "BLUE_GREEN", "LINEAR", "CANARY")
	v.intRange(p+".minimum_healthy_percent", *d.MinimumHealthyPercent, 0, 100)
	if *d.MaximumPercent < 100 {
		v.errf(p+".maximum_percent", "must be at least 100, got %d", *d.MaximumPercent)
	}
	// Model assumption: a rolling deployment needs room to start or stop a
	// task, so maximum_percent must exceed minimum_healthy_percent.
	if d.Strategy == "ROLLING" && *d.MaximumPercent <= *d.MinimumHealthyPercent {
		v.errf(p+".maximum_percent", "%d must be above minimum_healthy_percent %d, or a rolling deployment cannot replace any task", *d.MaximumPercent, *d.MinimumHealthyPercent)
	}
	if d.Strategy == "ROLLING" {
		v.forbid(p, "to ROLLING deployments", "bake_time")
	}
	if d.Strategy != "LINEAR" {
		v.forbid(p, "unless strategy is LINEAR", "linear")
	}
	if d.Strategy != "CANARY" {
		v.forbid(p, "unless strategy is CANARY", "canary")
	}
	if d.BakeTime < 0 {
		v.errf(p+".bake_time", "must not be negative")
	}
	if l := d.Linear; l != nil && d.Strategy == "LINEAR" {
		v.intRange(p+".linear.step_percent", l.StepPercent, 1, 100)
		if l.StepBakeTime < 0 {
			v.errf(p+".linear.step_bake_time", "must not be negative")
		}
	}
	if c := d.Canary; c != nil && d.Strategy == "CANARY" {
		if c.Percent <= 0 || c.Percent > 100 {
			v.errf(p+".canary.percent", "must be above 0 and at most 100, got %v", c.Percent)
		}
		if c.BakeTime < 0 {
			v.errf(p+".canary.bake_time", "must not be negative")
		}
	}
	if a := d.Alarms; a != nil {
		if a.Metric == "" {
			v.errf(p+".alarms.metric", "is required")
		}
	}
}
