package scenarios

import (
	"time"
)

// Defaults of SCENARIO.md "Defaults" and "Keys, table by table". A default
// applies only where the key is absent from the file (has reports the key
// paths that were present), so an explicit out-of-range value is still
// reported by validation rather than silently replaced.
var (
	DefaultRegion        = "us-east-1"
	DefaultStart         = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday
	DefaultSeed   uint64 = 1
)

const (
	defaultMetricsPeriod = Duration(time.Minute)
	defaultLaunchTime    = Duration(90 * time.Second)
	defaultStartup       = Duration(30 * time.Second)
	defaultStopTimeout   = Duration(30 * time.Second)
	defaultHealthyAfter  = Duration(40 * time.Second)
	defaultCooldown      = Duration(300 * time.Second)
	defaultBakeTime      = Duration(10 * time.Minute)
	defaultLinearBake    = Duration(6 * time.Minute)
	defaultEphemeral     = 20 // GiB
)

func intp(i int) *int           { return &i }
func floatp(f float64) *float64 { return &f }
func boolp(b bool) *bool        { return &b }

func applyDefaults(s *Scenario, has map[string]bool) {
	if !has["region"] {
		s.Region = DefaultRegion
	}
	if !has["start"] {
		s.Start = DefaultStart
	}
	if !has["seed"] {
		s.Seed = DefaultSeed
	}
	if !has["metrics_period"] {
		s.MetricsPeriod = defaultMetricsPeriod
	}
	if !has["pricing.catalog"] {
		s.Pricing.Catalog = StringList{"builtin"}
	}
	if !has["pricing.spot_advisor"] {
		s.Pricing.SpotAdvisor = "builtin"
	}
	if !has["cluster.name"] {
		s.Cluster.Name = s.Name
	}
	if !has["cluster.availability_zones"] {
		s.Cluster.AvailabilityZones = []string{s.Region + "a", s.Region + "b", s.Region + "c"}
	}
	if !has["cluster.default_capacity_provider_strategy"] {
		s.Cluster.DefaultCapacityProviderStrategy = []StrategyItem{{CapacityProvider: ProviderFargate, Weight: intp(1)}}
	}
	defaultStrategy(s.Cluster.DefaultCapacityProviderStrategy)

	for i := range s.CapacityProviders {
		cp := &s.CapacityProviders[i]
		p := indexPath("capacity_providers", i)
		if !has[p+".market"] {
			cp.Market = MarketOnDemand
		}
		if !has[p+".allocation_strategy"] {
			if cp.Market == MarketSpot {
				cp.AllocationStrategy = AllocPriceCapacityOptimized
			} else {
				cp.AllocationStrategy = AllocPrioritized
			}
		}
		if !has[p+".desired_capacity"] {
			cp.DesiredCapacity = cp.MinSize // as an Auto Scaling group does
		}
		if !has[p+".launch_time"] {
			cp.LaunchTime = defaultLaunchTime
		}
		if cp.ManagedDraining == nil {
			cp.ManagedDraining = boolp(true)
		}
		if ms := cp.ManagedScaling; ms != nil {
			mp := p + ".managed_scaling"
			// Model assumption: writing the table means ENABLED unless
			// status says otherwise.
			if !has[mp+".status"] {
				ms.Status = "ENABLED"
			}
			if !has[mp+".target_capacity"] {
				ms.TargetCapacity = 100
			}
			if !has[mp+".minimum_scaling_step_size"] {
				ms.MinimumScalingStepSize = 1
			}
			if !has[mp+".maximum_scaling_step_size"] {
				ms.MaximumScalingStepSize = 10000
			}
			if !has[mp+".instance_warmup_period"] {
				ms.InstanceWarmupPeriod = defaultCooldown
			}
		}
		for j := range cp.StepScaling {
			defaultStep(&cp.StepScaling[j], indexPath(p+".step_scaling", j), has)
		}
	}

	for i := range s.TaskDefinitions {
		td := &s.TaskDefinitions[i]
		p := indexPath("task_definitions", i)
		if !has[p+".revision"] {
			td.Revision = 1
		}
		if !has[p+".cpu_architecture"] {
			td.CPUArchitecture = "X86_64"
		}
		if !has[p+".network_mode"] {
			td.NetworkMode = "awsvpc"
		}
		if !has[p+".ephemeral_storage"] {
			td.EphemeralStorage = defaultEphemeral
		}
		if !has[p+".startup_time"] {
			td.StartupTime = DistSpec{Dist: "constant", Value: defaultStartup}
		}
		if !has[p+".stop_timeout"] {
			td.StopTimeout = defaultStopTimeout
		}
		if !has[p+".healthy_after"] {
			td.HealthyAfter = defaultHealthyAfter
		}
	}

	for i := range s.Services {
		sv := &s.Services[i]
		p := indexPath("services", i)
		defaultStrategy(sv.CapacityProviderStrategy)
		if !has[p+".availability_zone_rebalancing"] {
			sv.AvailabilityZoneRebalancing = "ENABLED"
		}
		if l := sv.Load; l != nil {
			defaultCurve(l.RequestsPerSecond)
			defaultCurve(l.CPU)
		}
		if a := sv.Autoscaling; a != nil {
			for j := range a.TargetTracking {
				tp := indexPath(p+".autoscaling.target_tracking", j)
				if !has[tp+".scale_out_cooldown"] {
					a.TargetTracking[j].ScaleOutCooldown = defaultCooldown
				}
				if !has[tp+".scale_in_cooldown"] {
					a.TargetTracking[j].ScaleInCooldown = defaultCooldown
				}
			}
			for j := range a.StepScaling {
				defaultStep(&a.StepScaling[j], indexPath(p+".autoscaling.step_scaling", j), has)
			}
		}
		dp := &sv.Deployment
		if !has[p+".deployment.strategy"] {
			dp.Strategy = "ROLLING"
		}
		if dp.MinimumHealthyPercent == nil {
			dp.MinimumHealthyPercent = intp(100)
		}
		if dp.MaximumPercent == nil {
			dp.MaximumPercent = intp(200)
		}
		if dp.Strategy == "BLUE_GREEN" || dp.Strategy == "LINEAR" || dp.Strategy == "CANARY" {
			if !has[p+".deployment.bake_time"] {
				dp.BakeTime = defaultBakeTime
			}
		}
		if dp.Strategy == "LINEAR" && dp.Linear == nil {
			dp.Linear = &LinearConfig{}
		}
		if l := dp.Linear; l != nil {
			if !has[p+".deployment.linear.step_percent"] {
				l.StepPercent = 10
			}
			if !has[p+".deployment.linear.step_bake_time"] {
				l.StepBakeTime = defaultLinearBake
			}
		}
		if dp.Strategy == "CANARY" && dp.Canary == nil {
			dp.Canary = &CanaryConfig{}
		}
		if c := dp.Canary; c != nil {
			if !has[p+".deployment.canary.percent"] {
				c.Percent = 5
			}
			if !has[p+".deployment.canary.bake_time"] {
				c.BakeTime = defaultBakeTime
			}
		}
	}

	for i := range s.Jobs {
		j := &s.Jobs[i]
		p := indexPath("jobs", i)
		defaultStrategy(j.CapacityProviderStrategy)
		if !has[p+".count"] {
			j.Count = 1
		}
		if j.MaxRetries == nil {
			j.MaxRetries = intp(3)
		}
		if !has[p+".on_interruption"] {
			j.OnInterruption = "retry"
		}
		if j.CPUUtilization == nil {
			j.CPUUtilization = floatp(1.0)
		}
		if j.MemoryUtilization == nil {
			j.MemoryUtilization = floatp(0.5)
		}
		if t := j.Trace; t != nil && !has[p+".trace.format"] {
			t.Format = "csv"
		}
	}
}

// defaultStrategy gives each item without a weight the weight 1.
func defaultStrategy(items []StrategyItem) {
	for i := range items {
		if items[i].Weight == nil {
			items[i].Weight = intp(1)
		}
	}
}

func defaultCurve(c *CurveSpec) {
	if c == nil {
		return
	}
	if c.Pattern == "diurnal" && c.WeekendFactor == nil {
		c.WeekendFactor = floatp(1)
	}
	if c.Pattern == "trace" {
		if c.Scale == nil {
			c.Scale = floatp(1)
		}
		if c.Format == "" {
			c.Format = "csv"
		}
	}
}

func defaultStep(st *StepScaling, p string, has map[string]bool) {
	if !has[p+".statistic"] {
		st.Statistic = "Average"
	}
	if !has[p+".evaluation_periods"] {
		st.EvaluationPeriods = 1
	}
	if !has[p+".datapoints_to_alarm"] {
		st.DatapointsToAlarm = st.EvaluationPeriods
	}
	if !has[p+".cooldown"] {
		st.Cooldown = defaultCooldown
	}
	// Model assumption: the AWS form without adjustment_type changes the
	// capacity by the step's adjustment (ChangeInCapacity).
	if !has[p+".adjustment_type"] && len(st.Steps) > 0 {
		st.AdjustmentType = "ChangeInCapacity"
	}
}
