package scenarios

import (
	"time"
)

// Scenario is a decoded, defaulted and validated scenario.toml. Field names
// follow SCENARIO.md; the toml tags are the contract with users. Fields tagged
// `toml:"-"` are filled by Load after validation (resolved references) and
// are never read from the file.
//
// Units: CPU in ECS CPU units (1024 = 1 vCPU), memory in MiB, money in USD,
// durations as Duration, fractions 0-1, percentages 0-100.
type Scenario struct {
	Name          string    `toml:"name" json:"name"`
	Description   string    `toml:"description" json:"description,omitempty"`
	Region        string    `toml:"region" json:"region"`
	Start         time.Time `toml:"start" json:"start"`
	Duration      Duration  `toml:"duration" json:"duration"`
	Warmup        Duration  `toml:"warmup" json:"warmup"`
	Seed          uint64    `toml:"seed" json:"seed"`
	MetricsPeriod Duration  `toml:"metrics_period" json:"metrics_period"`

	Pricing           Pricing            `toml:"pricing" json:"pricing"`
	Cluster           Cluster            `toml:"cluster" json:"cluster"`
	FargateSpot       FargateSpot        `toml:"fargate_spot" json:"fargate_spot"`
	CapacityProviders []CapacityProvider `toml:"capacity_providers" json:"capacity_providers"`
	TaskDefinitions   []TaskDefinition   `toml:"task_definitions" json:"task_definitions"`
	Services          []Service          `toml:"services" json:"services"`
	Jobs              []Job              `toml:"jobs" json:"jobs"`
	Events            []Event            `toml:"events" json:"events"`
	Assertions        []Assertion        `toml:"assertions" json:"assertions"`
	Recommend         *Recommend         `toml:"recommend" json:"recommend,omitempty"`

	// File is the path the scenario was read from ("" for embedded
	// examples); relative paths inside the scenario resolve against its
	// directory.
	File string `toml:"-" json:"-"`
}

// Pricing is the [pricing] table.
type Pricing struct {
	// Catalog is "builtin" or one or more paths to AWS price files.
	Catalog             StringList `toml:"catalog" json:"catalog"`
	FargateSpotDiscount *float64   `toml:"fargate_spot_discount" json:"fargate_spot_discount,omitempty"`
	SpotAdvisor         string     `toml:"spot_advisor" json:"spot_advisor"`
	SpotPriceHistory    string     `toml:"spot_price_history" json:"spot_price_history,omitempty"`
}

// Cluster is the [cluster] table.
type Cluster struct {
	Name                            string         `toml:"name" json:"name"`
	AvailabilityZones               []string       `toml:"availability_zones" json:"availability_zones"`
	DefaultCapacityProviderStrategy []StrategyItem `toml:"default_capacity_provider_strategy" json:"default_capacity_provider_strategy"`
}

// StrategyItem is one entry of a capacity provider strategy (§3 of
// ECS-SEMANTICS.md). Weight defaults to 1, Base to 0.
type StrategyItem struct {
	CapacityProvider string `toml:"capacity_provider" json:"capacity_provider"`
	Base             int    `toml:"base" json:"base"`
	Weight           *int   `toml:"weight" json:"weight"`
}

// W returns the weight with its default (1) applied.
func (s StrategyItem) W() int {
	if s.Weight == nil {
		return 1
	}
	return *s.Weight
}

// FargateSpot is the [fargate_spot] table.
type FargateSpot struct {
	InterruptionsPerTaskHour float64  `toml:"interruptions_per_task_hour" json:"interruptions_per_task_hour"`
	CapacityShortages        []Window `toml:"capacity_shortages" json:"capacity_shortages,omitempty"`
}

// Window is a span of simulated time starting At after the scenario start.
type Window struct {
	At       Duration `toml:"at" json:"at"`
	Duration Duration `toml:"duration" json:"duration"`
}

// Names of the two Fargate capacity providers that always exist.
const (
	ProviderFargate     = "FARGATE"
	ProviderFargateSpot = "FARGATE_SPOT"
)

// CapacityProvider is one [[capacity_providers]] entry: an Auto Scaling
// group.
type CapacityProvider struct {
	Name                         string             `toml:"name" json:"name"`
	InstanceTypes                []string           `toml:"instance_types" json:"instance_types"`
	Market                       Market             `toml:"market" json:"market"`
	AllocationStrategy           AllocationStrategy `toml:"allocation_strategy" json:"allocation_strategy"`
	MinSize                      int                `toml:"min_size" json:"min_size"`
	MaxSize                      int                `toml:"max_size" json:"max_size"`
	DesiredCapacity              int                `toml:"desired_capacity" json:"desired_capacity"`
	LaunchTime                   Duration           `toml:"launch_time" json:"launch_time"`
	ReservedMemory               int                `toml:"reserved_memory" json:"reserved_memory"`
	AwsvpcTrunking               bool               `toml:"awsvpc_trunking" json:"awsvpc_trunking"`
	SpotDraining                 bool               `toml:"spot_draining" json:"spot_draining"`
	ManagedTerminationProtection bool               `toml:"managed_termination_protection" json:"managed_termination_protection"`
	ManagedDraining              *bool              `toml:"managed_draining" json:"managed_draining"`
	Attributes                   map[string]string  `toml:"attributes" json:"attributes,omitempty"`
	ManagedScaling               *ManagedScaling    `toml:"managed_scaling" json:"managed_scaling,omitempty"`
	StepScaling                  []StepScaling      `toml:"step_scaling" json:"step_scaling,omitempty"`
	Interruptions                *Interruptions     `toml:"interruptions" json:"interruptions,omitempty"`
}

// Market is on_demand or spot.
type Market string

const (
	MarketOnDemand Market = "on_demand"
	MarketSpot     Market = "spot"
)

// AllocationStrategy chooses the instance type an Auto Scaling group
// launches.
type AllocationStrategy string

const (
	AllocLowestPrice            AllocationStrategy = "lowest_price"
	AllocCapacityOptimized      AllocationStrategy = "capacity_optimized"
	AllocPriceCapacityOptimized AllocationStrategy = "price_capacity_optimized"
	AllocPrioritized            AllocationStrategy = "prioritized"
)

// ManagedScaling is [capacity_providers.managed_scaling]. Defaults as in
// ECS: target 100, steps 1 and 10000, warmup 300s.
type ManagedScaling struct {
	Status                 string   `toml:"status" json:"status"` // ENABLED | DISABLED
	TargetCapacity         int      `toml:"target_capacity" json:"target_capacity"`
	MinimumScalingStepSize int      `toml:"minimum_scaling_step_size" json:"minimum_scaling_step_size"`
	MaximumScalingStepSize int      `toml:"maximum_scaling_step_size" json:"maximum_scaling_step_size"`
	InstanceWarmupPeriod   Duration `toml:"instance_warmup_period" json:"instance_warmup_period"`
}

// Interruptions is [capacity_providers.interruptions]: exactly one of its
// fields is set.
type Interruptions struct {
	Frequency       string   `toml:"frequency" json:"frequency,omitempty"` // <5% | 5-10% | 10-15% | 15-20% | >20%
	PerInstanceHour *float64 `toml:"per_instance_hour" json:"per_instance_hour,omitempty"`
	FromAdvisor     bool     `toml:"from_advisor" json:"from_advisor,omitempty"`
}

// StepScaling is a step scaling policy, on a service or a capacity
// provider, in the AWS form or the threshold shorthand.
type StepScaling struct {
	Metric                 string          `toml:"metric" json:"metric"`
	Statistic              string          `toml:"statistic" json:"statistic"` // Average | Maximum | Minimum | Sum | SampleCount
	Comparison             string          `toml:"comparison" json:"comparison,omitempty"`
	Threshold              *float64        `toml:"threshold" json:"threshold,omitempty"`
	EvaluationPeriods      int             `toml:"evaluation_periods" json:"evaluation_periods"`
	DatapointsToAlarm      int             `toml:"datapoints_to_alarm" json:"datapoints_to_alarm"`
	AdjustmentType         string          `toml:"adjustment_type" json:"adjustment_type,omitempty"`
	Steps                  []Step          `toml:"steps" json:"steps,omitempty"`
	Cooldown               Duration        `toml:"cooldown" json:"cooldown"`
	MinAdjustmentMagnitude int             `toml:"min_adjustment_magnitude" json:"min_adjustment_magnitude,omitempty"`
	ScaleOut               *ThresholdShort `toml:"scale_out" json:"scale_out,omitempty"`
	ScaleIn                *ThresholdShort `toml:"scale_in" json:"scale_in,omitempty"`
}

// Step is one step adjustment; bounds are relative to the alarm threshold
// and nil means unbounded.
type Step struct {
	Lower      *float64 `toml:"lower" json:"lower,omitempty"`
	Upper      *float64 `toml:"upper" json:"upper,omitempty"`
	Adjustment int      `toml:"adjustment" json:"adjustment"`
}

// ThresholdShort is the shorthand { threshold, adjustment }.
type ThresholdShort struct {
	Threshold  float64 `toml:"threshold" json:"threshold"`
	Adjustment int     `toml:"adjustment" json:"adjustment"`
}

// TaskDefinition is one [[task_definitions]] entry.
type TaskDefinition struct {
	Family           string   `toml:"family" json:"family"`
	Revision         int      `toml:"revision" json:"revision"`
	CPU              int      `toml:"cpu" json:"cpu"`                           // CPU units
	Memory           int      `toml:"memory" json:"memory"`                     // MiB
	CPUArchitecture  string   `toml:"cpu_architecture" json:"cpu_architecture"` // X86_64 | ARM64
	NetworkMode      string   `toml:"network_mode" json:"network_mode"`         // awsvpc | bridge | host
	HostPorts        []int    `toml:"host_ports" json:"host_ports,omitempty"`
	EphemeralStorage int      `toml:"ephemeral_storage" json:"ephemeral_storage"` // GiB
	StartupTime      DistSpec `toml:"startup_time" json:"startup_time"`
	StopTimeout      Duration `toml:"stop_timeout" json:"stop_timeout"`
	HealthyAfter     Duration `toml:"healthy_after" json:"healthy_after"`
	FailureRate      float64  `toml:"failure_rate" json:"failure_rate"`
	CrashRatePerHour float64  `toml:"crash_rate_per_hour" json:"crash_rate_per_hour"`
}

// Ref returns "family:revision".
func (t *TaskDefinition) Ref() string {
	return t.Family + ":" + itoa(t.Revision)
}

// Service is one [[services]] entry.
type Service struct {
	Name                        string                `toml:"name" json:"name"`
	TaskDefinition              string                `toml:"task_definition" json:"task_definition"`
	DesiredCount                int                   `toml:"desired_count" json:"desired_count"`
	LaunchType                  string                `toml:"launch_type" json:"launch_type,omitempty"` // FARGATE | EC2
	CapacityProviderStrategy    []StrategyItem        `toml:"capacity_provider_strategy" json:"capacity_provider_strategy,omitempty"`
	PlacementStrategy           []PlacementStrategy   `toml:"placement_strategy" json:"placement_strategy,omitempty"`
	PlacementConstraints        []PlacementConstraint `toml:"placement_constraints" json:"placement_constraints,omitempty"`
	AvailabilityZoneRebalancing string                `toml:"availability_zone_rebalancing" json:"availability_zone_rebalancing"`
	HealthCheckGracePeriod      Duration              `toml:"health_check_grace_period" json:"health_check_grace_period"`
	Load                        *LoadSpec             `toml:"load" json:"load,omitempty"`
	Autoscaling                 *Autoscaling          `toml:"autoscaling" json:"autoscaling,omitempty"`
	Deployment                  Deployment            `toml:"deployment" json:"deployment"`

	// TaskDef is the resolved task_definition.
	TaskDef *TaskDefinition `toml:"-" json:"-"`
	// Strategy is the effective capacity provider strategy: the service's,
	// else the cluster default; nil when LaunchType is set.
	Strategy []StrategyItem `toml:"-" json:"-"`
}

// PlacementStrategy is one placement strategy item.
type PlacementStrategy struct {
	Type  string `toml:"type" json:"type"`   // binpack | spread | random
	Field string `toml:"field" json:"field"` // cpu | memory | instanceId | host | attribute:NAME
}

// PlacementConstraint is one placement constraint item.
type PlacementConstraint struct {
	Type       string `toml:"type" json:"type"` // distinctInstance | memberOf
	Expression string `toml:"expression" json:"expression,omitempty"`
}

// LoadSpec is [services.load]: the demand model. (Named LoadSpec because
// Load is the function that reads a scenario.)
type LoadSpec struct {
	RequestsPerSecond *CurveSpec `toml:"requests_per_second" json:"requests_per_second,omitempty"`
	CPUPerRequest     Duration   `toml:"cpu_per_request" json:"cpu_per_request"` // vCPU time per request
	CPU               *CurveSpec `toml:"cpu" json:"cpu,omitempty"`               // vCPUs
	MemoryBase        float64    `toml:"memory_base" json:"memory_base"`         // MiB
	MemoryPerRPS      float64    `toml:"memory_per_rps" json:"memory_per_rps"`   // MiB per request/s
	Noise             float64    `toml:"noise" json:"noise"`
	Spikes            []Spike    `toml:"spikes" json:"spikes,omitempty"`
}

// Spike multiplies demand by Factor during [At, At+Duration).
type Spike struct {
	At       Duration `toml:"at" json:"at"`
	Duration Duration `toml:"duration" json:"duration"`
	Factor   float64  `toml:"factor" json:"factor"`
}

// CurveSpec is a demand curve: constant, diurnal, steps or trace.
type CurveSpec struct {
	Pattern       string      `toml:"pattern" json:"pattern"`
	Value         float64     `toml:"value" json:"value,omitempty"`
	Min           float64     `toml:"min" json:"min,omitempty"`
	Max           float64     `toml:"max" json:"max,omitempty"`
	Peak          string      `toml:"peak" json:"peak,omitempty"` // HH:MM UTC
	WeekendFactor *float64    `toml:"weekend_factor" json:"weekend_factor,omitempty"`
	Steps         []CurveStep `toml:"steps" json:"steps,omitempty"`
	File          string      `toml:"file" json:"file,omitempty"`
	Format        string      `toml:"format" json:"format,omitempty"` // csv | cloudwatch
	Scale         *float64    `toml:"scale" json:"scale,omitempty"`
}

// CurveStep is one step of a steps curve.
type CurveStep struct {
	At    Duration `toml:"at" json:"at"`
	Value float64  `toml:"value" json:"value"`
}

// Autoscaling is [services.autoscaling].
type Autoscaling struct {
	MinCapacity    int              `toml:"min_capacity" json:"min_capacity"`
	MaxCapacity    int              `toml:"max_capacity" json:"max_capacity"`
	TargetTracking []TargetTracking `toml:"target_tracking" json:"target_tracking,omitempty"`
	StepScaling    []StepScaling    `toml:"step_scaling" json:"step_scaling,omitempty"`
	Scheduled      []Scheduled      `toml:"scheduled" json:"scheduled,omitempty"`
}

// TargetTracking is one target tracking policy.
type TargetTracking struct {
	Metric           string   `toml:"metric" json:"metric"`
	Target           float64  `toml:"target" json:"target"`
	ScaleOutCooldown Duration `toml:"scale_out_cooldown" json:"scale_out_cooldown"`
	ScaleInCooldown  Duration `toml:"scale_in_cooldown" json:"scale_in_cooldown"`
	DisableScaleIn   bool     `toml:"disable_scale_in" json:"disable_scale_in"`
}

// Scheduled is one scheduled action.
type Scheduled struct {
	Schedule    string `toml:"schedule" json:"schedule"` // cron(...) | rate(...) | at(...)
	MinCapacity *int   `toml:"min_capacity" json:"min_capacity,omitempty"`
	MaxCapacity *int   `toml:"max_capacity" json:"max_capacity,omitempty"`
}

// Deployment is [services.deployment].
type Deployment struct {
	Strategy              string         `toml:"strategy" json:"strategy"`
	MinimumHealthyPercent *int           `toml:"minimum_healthy_percent" json:"minimum_healthy_percent"`
	MaximumPercent        *int           `toml:"maximum_percent" json:"maximum_percent"`
	CircuitBreaker        CircuitBreaker `toml:"circuit_breaker" json:"circuit_breaker"`
	Alarms                *DeployAlarms  `toml:"alarms" json:"alarms,omitempty"`
	BakeTime              Duration       `toml:"bake_time" json:"bake_time"`
	Linear                *LinearConfig  `toml:"linear" json:"linear,omitempty"`
	Canary                *CanaryConfig  `toml:"canary" json:"canary,omitempty"`
}

// CircuitBreaker is the deployment circuit breaker setting.
type CircuitBreaker struct {
	Enable   bool `toml:"enable" json:"enable"`
	Rollback bool `toml:"rollback" json:"rollback"`
}

// DeployAlarms rolls a deployment back when a metric crosses a threshold.
type DeployAlarms struct {
	Rollback  bool    `toml:"rollback" json:"rollback"`
	Metric    string  `toml:"metric" json:"metric"`
	Threshold float64 `toml:"threshold" json:"threshold"`
}

// LinearConfig is the LINEAR deployment's traffic shifting.
type LinearConfig struct {
	StepPercent  int      `toml:"step_percent" json:"step_percent"`
	StepBakeTime Duration `toml:"step_bake_time" json:"step_bake_time"`
}

// CanaryConfig is the CANARY deployment's traffic shifting.
type CanaryConfig struct {
	Percent  float64  `toml:"percent" json:"percent"`
	BakeTime Duration `toml:"bake_time" json:"bake_time"`
}

// Job is one [[jobs]] entry: RunTask work.
type Job struct {
	Name                     string                `toml:"name" json:"name"`
	TaskDefinition           string                `toml:"task_definition" json:"task_definition"`
	Count                    int                   `toml:"count" json:"count"`
	Schedule                 string                `toml:"schedule" json:"schedule,omitempty"`
	Arrivals                 *ArrivalSpec          `toml:"arrivals" json:"arrivals,omitempty"`
	Trace                    *JobTrace             `toml:"trace" json:"trace,omitempty"`
	Duration                 DistSpec              `toml:"duration" json:"duration"`
	LaunchType               string                `toml:"launch_type" json:"launch_type,omitempty"`
	CapacityProviderStrategy []StrategyItem        `toml:"capacity_provider_strategy" json:"capacity_provider_strategy,omitempty"`
	PlacementStrategy        []PlacementStrategy   `toml:"placement_strategy" json:"placement_strategy,omitempty"`
	PlacementConstraints     []PlacementConstraint `toml:"placement_constraints" json:"placement_constraints,omitempty"`
	OnInterruption           string                `toml:"on_interruption" json:"on_interruption"` // retry | drop
	MaxRetries               *int                  `toml:"max_retries" json:"max_retries"`
	CPUUtilization           *float64              `toml:"cpu_utilization" json:"cpu_utilization"`
	MemoryUtilization        *float64              `toml:"memory_utilization" json:"memory_utilization"`

	// TaskDef is the resolved task_definition.
	TaskDef *TaskDefinition `toml:"-" json:"-"`
	// Strategy is the effective capacity provider strategy (nil when
	// LaunchType is set).
	Strategy []StrategyItem `toml:"-" json:"-"`
}

// ArrivalSpec is a job's arrival process.
type ArrivalSpec struct {
	Process     string  `toml:"process" json:"process"` // poisson
	RatePerHour float64 `toml:"rate_per_hour" json:"rate_per_hour"`
}

// JobTrace is a job's task trace.
type JobTrace struct {
	File   string `toml:"file" json:"file"`
	Format string `toml:"format" json:"format"` // csv | alibaba-openb
}

// Event is one [[events]] entry; which keys apply depends on Type.
type Event struct {
	At               Duration `toml:"at" json:"at"`
	Type             string   `toml:"type" json:"type"` // deploy | scale | az_outage | spot_interruptions | spot_capacity_shortage | instance_failure
	Service          string   `toml:"service" json:"service,omitempty"`
	TaskDefinition   string   `toml:"task_definition" json:"task_definition,omitempty"`
	DesiredCount     *int     `toml:"desired_count" json:"desired_count,omitempty"`
	Zone             string   `toml:"zone" json:"zone,omitempty"`
	Duration         Duration `toml:"duration" json:"duration,omitempty"`
	CapacityProvider string   `toml:"capacity_provider" json:"capacity_provider,omitempty"`
	Fraction         float64  `toml:"fraction" json:"fraction,omitempty"`
	Count            int      `toml:"count" json:"count,omitempty"`
	// InstanceTypes narrows a spot_capacity_shortage on an Auto Scaling
	// group to these Spot pools (some of the group's instance_types): the
	// group then launches the first of its other types by its allocation
	// strategy. Empty: every type of the group.
	InstanceTypes []string `toml:"instance_types" json:"instance_types,omitempty"`
}

// Assertion is one [[assertions]] entry: "PATH OP NUMBER".
type Assertion struct {
	Check string `toml:"check" json:"check"`
}

// Recommend is the optional [recommend] policy table (used by issue 6).
type Recommend struct {
	CPUPercentile             *float64 `toml:"cpu_percentile" json:"cpu_percentile,omitempty"`
	MemoryPercentile          *float64 `toml:"memory_percentile" json:"memory_percentile,omitempty"`
	Margin                    *float64 `toml:"margin" json:"margin,omitempty"`
	MaxUnservedDemandFraction *float64 `toml:"max_unserved_demand_fraction" json:"max_unserved_demand_fraction,omitempty"`
	MaxPlacementWaitP95       Duration `toml:"max_placement_wait_p95" json:"max_placement_wait_p95,omitempty"`
}
