package scenarios

import (
	"reflect"
	"testing"
	"time"
)

// TestDefaults checks every default of SCENARIO.md ("Defaults" and "Keys,
// table by table") on a scenario that gives only what is required.
func TestDefaults(t *testing.T) {
	src := `name = "d"
duration = "2d"
[[capacity_providers]]
name = "od"
instance_types = ["m6i.xlarge"]
max_size = 4
  [capacity_providers.managed_scaling]
  [[capacity_providers.step_scaling]]
[[capacity_providers]]
name = "sp"
instance_types = ["c6i.xlarge"]
market = "spot"
min_size = 1
max_size = 3
  [[capacity_providers.step_scaling]]
  metric = "CPUReservation"
  scale_out = { threshold = 70, adjustment = 1 }
  evaluation_periods = 3
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
[[services]]
name = "web"
task_definition = "web"
desired_count = 2
  [services.autoscaling]
  min_capacity = 1
  max_capacity = 4
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 50
[[services]]
name = "bg"
task_definition = "web"
  [services.deployment]
  strategy = "BLUE_GREEN"
[[services]]
name = "lin"
task_definition = "web"
  [services.deployment]
  strategy = "LINEAR"
[[services]]
name = "can"
task_definition = "web"
  [services.deployment]
  strategy = "CANARY"
[[jobs]]
name = "j"
task_definition = "web"
schedule = "rate(1 hour)"
duration = "1m"
`
	// managed scaling and step scaling are exclusive: drop the first
	// group's step scaling table for a valid file.
	src = replaceOnce(src, "  [capacity_providers.managed_scaling]\n  [[capacity_providers.step_scaling]]\n", "  [capacity_providers.managed_scaling]\n")
	s, err := Parse("d.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("region", s.Region, "us-east-1")
	check("start", s.Start, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	check("start weekday", s.Start.Weekday(), time.Monday)
	check("warmup", s.Warmup, Duration(0))
	check("seed", s.Seed, uint64(1))
	check("metrics_period", s.MetricsPeriod, Duration(time.Minute))
	check("pricing.catalog", s.Pricing.Catalog, StringList{"builtin"})
	check("pricing.spot_advisor", s.Pricing.SpotAdvisor, "builtin")
	check("cluster.availability_zones", s.Cluster.AvailabilityZones, []string{"us-east-1a", "us-east-1b", "us-east-1c"})
	check("default strategy", s.Cluster.DefaultCapacityProviderStrategy, []StrategyItem{{CapacityProvider: "FARGATE", Weight: intp(1)}})

	od, sp := s.CapacityProviders[0], s.CapacityProviders[1]
	check("od market", od.Market, MarketOnDemand)
	check("od allocation", od.AllocationStrategy, AllocPrioritized)
	check("sp allocation", sp.AllocationStrategy, AllocPriceCapacityOptimized)
	check("launch_time", od.LaunchTime, Duration(90*time.Second))
	check("managed_draining", *od.ManagedDraining, true)
	check("reserved_memory", od.ReservedMemory, 0)
	check("desired_capacity = min_size", sp.DesiredCapacity, 1)
	check("managed scaling", *od.ManagedScaling, ManagedScaling{Status: "ENABLED", TargetCapacity: 100,
		MinimumScalingStepSize: 1, MaximumScalingStepSize: 10000, InstanceWarmupPeriod: Duration(300 * time.Second)})
	st := sp.StepScaling[0]
	check("step statistic", st.Statistic, "Average")
	check("step datapoints_to_alarm = evaluation_periods", st.DatapointsToAlarm, 3)
	check("step cooldown", st.Cooldown, Duration(300*time.Second))

	td := s.TaskDefinitions[0]
	check("revision", td.Revision, 1)
	check("cpu_architecture", td.CPUArchitecture, "X86_64")
	check("network_mode", td.NetworkMode, "awsvpc")
	check("ephemeral_storage", td.EphemeralStorage, 20)
	check("startup_time", td.StartupTime, Const(30*time.Second))
	check("stop_timeout", td.StopTimeout, Duration(30*time.Second))
	check("healthy_after", td.HealthyAfter, Duration(40*time.Second))

	web := s.Services[0]
	check("az rebalancing", web.AvailabilityZoneRebalancing, "ENABLED")
	check("deployment strategy", web.Deployment.Strategy, "ROLLING")
	check("minimum_healthy_percent", *web.Deployment.MinimumHealthyPercent, 100)
	check("maximum_percent", *web.Deployment.MaximumPercent, 200)
	check("circuit breaker", web.Deployment.CircuitBreaker, CircuitBreaker{})
	check("rolling bake_time", web.Deployment.BakeTime, Duration(0))
	tt := web.Autoscaling.TargetTracking[0]
	check("scale_out_cooldown", tt.ScaleOutCooldown, Duration(300*time.Second))
	check("scale_in_cooldown", tt.ScaleInCooldown, Duration(300*time.Second))
	check("web TaskDef", web.TaskDef, &s.TaskDefinitions[0])
	check("web Strategy", web.Strategy, s.Cluster.DefaultCapacityProviderStrategy)

	check("blue/green bake_time", s.Services[1].Deployment.BakeTime, Duration(10*time.Minute))
	check("linear", *s.Services[2].Deployment.Linear, LinearConfig{StepPercent: 10, StepBakeTime: Duration(6 * time.Minute)})
	check("linear bake_time", s.Services[2].Deployment.BakeTime, Duration(10*time.Minute))
	check("canary", *s.Services[3].Deployment.Canary, CanaryConfig{Percent: 5, BakeTime: Duration(10 * time.Minute)})

	j := s.Jobs[0]
	check("job count", j.Count, 1)
	check("job max_retries", *j.MaxRetries, 3)
	check("job on_interruption", j.OnInterruption, "retry")
	check("job cpu_utilization", *j.CPUUtilization, 1.0)
	check("job memory_utilization", *j.MemoryUtilization, 0.5)
}

// TestDefaultsOnlyWhenAbsent: an explicit out-of-range value is reported,
// not replaced by the default.
func TestDefaultsOnlyWhenAbsent(t *testing.T) {
	src := "name = \"d\"\nduration = \"1d\"\n[[task_definitions]]\nfamily = \"a\"\nrevision = 0\ncpu = 256\nmemory = 512\n"
	_, err := Parse("d.toml", []byte(src))
	if err == nil || err.Error() != "d.toml:5:1: task_definitions[0].revision: must be at least 1, got 0" {
		t.Errorf("got %v", err)
	}
}

func TestRegionZones(t *testing.T) {
	s, err := Parse("z.toml", []byte("name = \"z\"\nduration = \"1d\"\nregion = \"eu-west-1\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}; !reflect.DeepEqual(s.Cluster.AvailabilityZones, want) {
		t.Errorf("zones %v, want %v", s.Cluster.AvailabilityZones, want)
	}
}

func replaceOnce(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	panic("replaceOnce: not found: " + old)
}
