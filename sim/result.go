package sim

// Result is results.json (SCENARIO.md "results.json"). Every listed field is
// always present; a statistic with no datapoints is null (a nil pointer).
// Maps are marshalled by encoding/json with sorted keys, so the output is a
// pure function of the scenario and seed outside RunInfo.
type Result struct {
	SchemaVersion     int                        `json:"schema_version"`
	Scenario          ScenarioInfo               `json:"scenario"`
	RunInfo           RunInfo                    `json:"run_info"`
	Engine            EngineInfo                 `json:"engine"`
	Cost              Cost                       `json:"cost"`
	Services          map[string]*ServiceResult  `json:"services"`
	Jobs              map[string]*JobResult      `json:"jobs"`
	CapacityProviders map[string]*ProviderResult `json:"capacity_providers"`
	Activities        []Activity                 `json:"activities"`
	// Events are the scenario's happenings (deploys, outages, Spot storms,
	// shortages, instance failures, scale events) as they ran, for marking
	// on time axes (ecssim addition).
	Events     []EventMark       `json:"events"`
	Assertions []AssertionResult `json:"assertions"`
	// Warnings lists what the run could not model (ecssim addition).
	Warnings []string `json:"warnings"`

	// Series holds the per-period datapoints behind the statistics, for
	// timeseries.csv and the figures; not part of results.json.
	Series *Timeseries `json:"-"`
}

// ScenarioInfo identifies the run's inputs.
type ScenarioInfo struct {
	Name            string  `json:"name"`
	Seed            uint64  `json:"seed"`
	DurationSeconds float64 `json:"duration_seconds"`
	WarmupSeconds   float64 `json:"warmup_seconds"`
	SHA256          string  `json:"sha256"`
	// Region, Start (RFC 3339) and PricingDate (the price catalog's
	// snapshot date) identify what the figures mean (ecssim additions).
	Region      string `json:"region"`
	Start       string `json:"start"`
	PricingDate string `json:"pricing_date"`
}

// RunInfo is the only part of the result that depends on the machine.
type RunInfo struct {
	ECSSimVersion string  `json:"ecssim_version"`
	GeneratedAt   string  `json:"generated_at"`
	WallSeconds   float64 `json:"wall_seconds"`
}

// EngineInfo reports the event engine's work.
type EngineInfo struct {
	Events int64 `json:"events"`
}

// Cost is the bill of the whole run, warmup included, and its monthly
// projection from the post-warmup window. USD.
type Cost struct {
	TotalUSD           float64            `json:"total_usd"`
	MonthlyUSD         float64            `json:"monthly_usd"`
	ByCapacityProvider map[string]float64 `json:"by_capacity_provider"`
	ByService          map[string]float64 `json:"by_service"`
	ByJob              map[string]float64 `json:"by_job"`
	IdleUSD            float64            `json:"idle_usd"`
}

// MinMeanMax is {min, mean, max} of per-period datapoints.
type MinMeanMax struct {
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
}

// Dist is {mean, p50, p95, p99, max}; percentiles are nearest rank.
type Dist struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// TaskCounts counts service task outcomes after warmup.
type TaskCounts struct {
	Started     int64 `json:"started"`
	Stopped     int64 `json:"stopped"`
	Interrupted int64 `json:"interrupted"`
	Failed      int64 `json:"failed"`
	OOMKilled   int64 `json:"oom_killed"`
}

// ServiceResult is one service's figures.
type ServiceResult struct {
	DesiredCount           *MinMeanMax `json:"desired_count"`
	RunningCount           *MinMeanMax `json:"running_count"`
	CPUUtilization         *Dist       `json:"cpu_utilization"`
	MemoryUtilization      *Dist       `json:"memory_utilization"`
	UnservedDemandFraction *float64    `json:"unserved_demand_fraction"`
	OverloadedMinutes      *float64    `json:"overloaded_minutes"`
	Tasks                  TaskCounts  `json:"tasks"`
	PendingAtEnd           int         `json:"pending_at_end"`
	// PendingAtEndMaxWaitSeconds is how long the longest-waiting of the
	// tasks still PROVISIONING at the end has waited (a wait the placement
	// wait figures cannot count); null when none is (ecssim addition).
	PendingAtEndMaxWaitSeconds *float64           `json:"pending_at_end_max_wait_seconds"`
	PlacementFailures          map[string]int64   `json:"placement_failures"`
	PlacementWaitSeconds       *Dist              `json:"placement_wait_seconds"`
	RunningByCapacityProvider  map[string]float64 `json:"running_by_capacity_provider"`
	ScalingActivities          int64              `json:"scaling_activities"`
	Deployments                []DeploymentResult `json:"deployments"`
}

// DeploymentResult is one deployment of a service (filled by the
// deployments model).
type DeploymentResult struct {
	TaskDefinition    string   `json:"task_definition"`
	StartedAtSeconds  float64  `json:"started_at_seconds"`
	FinishedAtSeconds *float64 `json:"finished_at_seconds"`
	State             string   `json:"state"`
	FailedTasks       int64    `json:"failed_tasks"`
	MinHealthyRunning int      `json:"min_healthy_running"`
	MaxTasks          int      `json:"max_tasks"`
	ExtraCostUSD      float64  `json:"extra_cost_usd"`
}

// JobResult is one job's figures.
type JobResult struct {
	Submitted             int64            `json:"submitted"`
	Completed             int64            `json:"completed"`
	FailedToPlace         int64            `json:"failed_to_place"`
	Interrupted           int64            `json:"interrupted"`
	Retried               int64            `json:"retried"`
	Dropped               int64            `json:"dropped"`
	InProgressAtEnd       int64            `json:"in_progress_at_end"`
	WastedTaskSeconds     float64          `json:"wasted_task_seconds"`
	WaitSeconds           *Dist            `json:"wait_seconds"`
	RunSeconds            *Dist            `json:"run_seconds"`
	FailedToPlaceByReason map[string]int64 `json:"failed_to_place_by_reason"`
}

// ProviderResult is one capacity provider's figures. For FARGATE and
// FARGATE_SPOT the instance fields are null and the task fields are set.
type ProviderResult struct {
	Instances         *MinMeanMax `json:"instances"`
	InstanceHours     *float64    `json:"instance_hours"`
	CPUReservation    *Dist       `json:"cpu_reservation"`
	MemoryReservation *Dist       `json:"memory_reservation"`
	Launches          *int64      `json:"launches"`
	// LaunchesByInstanceType splits launches by instance type (ecssim
	// addition; null for Fargate).
	LaunchesByInstanceType      map[string]int64 `json:"launches_by_instance_type"`
	Terminations                *int64           `json:"terminations"`
	Interruptions               int64            `json:"interruptions"`
	CapacityProviderReservation *Dist            `json:"capacity_provider_reservation"`
	TaskHours                   *float64         `json:"task_hours,omitempty"`
	VCPUHours                   *float64         `json:"vcpu_hours,omitempty"`
	GBHours                     *float64         `json:"gb_hours,omitempty"`
}

// Activity is one scaling action with its reason.
type Activity struct {
	AtSeconds float64 `json:"at_seconds"`
	Resource  string  `json:"resource"`
	From      int     `json:"from"`
	To        int     `json:"to"`
	Reason    string  `json:"reason"`
}

// EventMark is one scenario event as it ran: its time, type (the
// [[events]] type, or "capacity_shortage" for a fargate_spot window) and
// what it applied to.
type EventMark struct {
	AtSeconds       float64 `json:"at_seconds"`
	Type            string  `json:"type"`
	Target          string  `json:"target"`
	DurationSeconds float64 `json:"duration_seconds,omitempty"`
}

// AssertionResult is one [[assertions]] check evaluated on the result.
type AssertionResult struct {
	Check  string   `json:"check"`
	Value  *float64 `json:"value"`
	Passed bool     `json:"passed"`
	Error  string   `json:"error,omitempty"`
}

// Timeseries is the full-resolution datapoint record: one row per metrics
// period, one column per (entity, metric). Values are float32; NaN marks
// INSUFFICIENT_DATA.
type Timeseries struct {
	PeriodSeconds float64
	Columns       []string    // "service/web/cpu_utilization", ...
	Data          [][]float32 // Data[col][period]
}
