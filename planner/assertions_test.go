package planner

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// testResult is a small literal result: one service with a hyphenated name,
// one job with an underscore, an EC2 provider and FARGATE (instance fields
// null), one deployment and an unfinished one.
func testResult() *sim.Result {
	return &sim.Result{
		SchemaVersion: 1,
		Scenario:      sim.ScenarioInfo{Name: "t", Seed: 7, DurationSeconds: 86400, WarmupSeconds: 3600, SHA256: "ab"},
		Engine:        sim.EngineInfo{Events: 1000},
		Cost: sim.Cost{
			TotalUSD: 120.5, MonthlyUSD: 3650,
			ByCapacityProvider: map[string]float64{"FARGATE": 20.5, "general": 100},
			ByService:          map[string]float64{"web-api": 90},
			ByJob:              map[string]float64{"nightly_etl": 10.5},
			IdleUSD:            20,
		},
		Services: map[string]*sim.ServiceResult{
			"web-api": {
				DesiredCount:           &sim.MinMeanMax{Min: 2, Mean: 3.5, Max: 6},
				RunningCount:           &sim.MinMeanMax{Min: 2, Mean: 3.25, Max: 6},
				CPUUtilization:         &sim.Dist{Mean: 40, P50: 38, P95: 71.5, P99: 80, Max: 95},
				MemoryUtilization:      nil, // no datapoints
				UnservedDemandFraction: f64(0.0005),
				Tasks:                  sim.TaskCounts{Started: 9, Failed: 1},
				PlacementFailures:      map[string]int64{"RESOURCE:MEMORY": 3},
				Deployments: []sim.DeploymentResult{
					{TaskDefinition: "web:1", StartedAtSeconds: 0, FinishedAtSeconds: f64(120), State: "COMPLETED", MaxTasks: 4},
					{TaskDefinition: "web:2", StartedAtSeconds: 5000, FinishedAtSeconds: nil, State: "IN_PROGRESS", FailedTasks: 3},
				},
			},
		},
		Jobs: map[string]*sim.JobResult{
			"nightly_etl": {Submitted: 8, Completed: 8, WaitSeconds: &sim.Dist{P95: 12}},
		},
		CapacityProviders: map[string]*sim.ProviderResult{
			"general": {Instances: &sim.MinMeanMax{Min: 1, Mean: 2, Max: 3}, InstanceHours: f64(48), Launches: i64(3), Terminations: i64(1),
				LaunchesByInstanceType: map[string]int64{"m6i.xlarge": 2, "m6i": 7, "c6i.2xlarge": 1}},
			"FARGATE": {TaskHours: f64(70), VCPUHours: f64(35), GBHours: f64(70)},
		},
		Activities: []sim.Activity{{AtSeconds: 60, Resource: "service/web-api", From: 2, To: 3, Reason: "alarm_high 3/3"}},
		Assertions: []sim.AssertionResult{},
	}
}

func TestLookup(t *testing.T) {
	res := testResult()
	tests := []struct {
		path string
		want float64
	}{
		{"schema_version", 1},
		{"scenario.seed", 7},
		{"cost.monthly_usd", 3650},
		{"cost.by_capacity_provider.FARGATE", 20.5},
		{"cost.by_job.nightly_etl", 10.5},                     // '_' in a name
		{"services.web-api.cpu_utilization.p95", 71.5},        // '-' in a name
		{"services.web-api.unserved_demand_fraction", 0.0005}, // *float64 set
		{"services.web-api.placement_failures.RESOURCE:MEMORY", 3},
		{"services.web-api.tasks.failed", 1},
		{"services.web-api.deployments.0.finished_at_seconds", 120},
		{"services.web-api.deployments.1.failed_tasks", 3},
		{"jobs.nightly_etl.wait_seconds.p95", 12},
		{"capacity_providers.general.launches", 3},
		{"capacity_providers.general.launches_by_instance_type.m6i.xlarge", 2}, // a key with a dot
		{"capacity_providers.general.launches_by_instance_type.c6i.2xlarge", 1},
		{"capacity_providers.general.launches_by_instance_type.m6i", 7},
		{"capacity_providers.FARGATE.vcpu_hours", 35},
		{"activities.0.to", 3},
	}
	for _, tt := range tests {
		got, err := Lookup(res, tt.path)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tt.path, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	res := testResult()
	tests := []struct {
		path    string
		kind    error
		mention string // a fragment the message must contain to be useful
	}{
		{"", ErrBadPath, "empty"},
		{"cost..total_usd", ErrBadPath, "empty segment"},
		{"cost.total_usd.", ErrBadPath, "empty segment"},
		{"services.web", ErrNoSuchPath, "web-api"}, // lists the names it has
		{"cost.yearly_usd", ErrNoSuchPath, "monthly_usd"},
		{"services.web-api.deployments.2.state", ErrNoSuchPath, "2 elements"},
		{"services.web-api.deployments.first", ErrNoSuchPath, "0-based index"},
		{"services.web-api.deployments.-1", ErrNoSuchPath, "0-based index"},
		{"cost.total_usd.x", ErrNoSuchPath, "number"},
		{"services.web-api.memory_utilization.p95", ErrNull, "null"},
		{"services.web-api.memory_utilization", ErrNull, "null"},
		{"services.web-api.deployments.1.finished_at_seconds", ErrNull, "null"},
		{"capacity_providers.FARGATE.instances", ErrNull, "null"},
		{"services.web-api.cpu_utilization", ErrNotNumber, "p95"},
		{"services.web-api.deployments.0.state", ErrNotNumber, "COMPLETED"},
		{"services.web-api.deployments", ErrNotNumber, "array"},
		{"scenario.name", ErrNotNumber, "string"},
	}
	for _, tt := range tests {
		_, err := Lookup(res, tt.path)
		if err == nil {
			t.Errorf("Lookup(%q) succeeded, want %v", tt.path, tt.kind)
			continue
		}
		if !errors.Is(err, tt.kind) {
			t.Errorf("Lookup(%q) = %v, want kind %v", tt.path, err, tt.kind)
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("Lookup(%q) = %q, want it to mention %q", tt.path, err, tt.mention)
		}
	}
}

// Booleans are not numbers for assertions: the result has no boolean field
// today, so the rule is pinned on a Doc built by hand.
func TestLookupBooleanIsNotANumber(t *testing.T) {
	d := &Doc{root: map[string]any{"ok": true}}
	_, err := d.Lookup("ok")
	if !errors.Is(err, ErrNotNumber) || !strings.Contains(err.Error(), "1/0") {
		t.Fatalf("Lookup of a boolean = %v, want ErrNotNumber saying booleans are not 1/0", err)
	}
}

func TestLookupUnencodableResult(t *testing.T) {
	res := testResult()
	res.Cost.TotalUSD = math.NaN()
	if _, err := Lookup(res, "cost.total_usd"); err == nil {
		t.Fatal("Lookup on a result holding NaN succeeded; results.json cannot hold NaN")
	}
}

func TestParseCheck(t *testing.T) {
	tests := []struct {
		in   string
		want Check
	}{
		{"services.web.unserved_demand_fraction < 0.001", Check{"services.web.unserved_demand_fraction", Less, 0.001}},
		{"cost.monthly_usd <= 9000", Check{"cost.monthly_usd", LessEqual, 9000}},
		{"a.b > -5", Check{"a.b", Greater, -5}},
		{"a.b >= 1e3", Check{"a.b", GreaterEqual, 1000}},
		{"jobs.etl.dropped == 0", Check{"jobs.etl.dropped", Equal, 0}},
		{"jobs.etl.dropped != 0", Check{"jobs.etl.dropped", NotEqual, 0}},
		{"  cost.total_usd<5  ", Check{"cost.total_usd", Less, 5}}, // spaces optional
		{"services.my-svc_2.running_count.mean>=3", Check{"services.my-svc_2.running_count.mean", GreaterEqual, 3}},
	}
	for _, tt := range tests {
		got, err := ParseCheck(tt.in)
		if err != nil {
			t.Errorf("ParseCheck(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseCheck(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseCheckErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"cost.total_usd",           // no operator
		"cost.total_usd 5",         // no operator
		"cost.total_usd = 5",       // '=' alone is not an operator
		"cost.total_usd ! 5",       // '!' alone
		"cost.total_usd =< 5",      // reversed
		"< 5",                      // no path
		"cost.total_usd <",         // no number
		"cost.total_usd < abc",     // not a number
		"cost.total_usd < NaN",     // not finite
		"cost.total_usd < Inf",     // not finite
		"cost.total_usd < 0x10",    // hex is not accepted
		"cost.total_usd < 5 < 6",   // two operators
		"cost..total_usd < 5",      // malformed path
		"cost total_usd < 5",       // white space in the path
		"cost.total_usd <> 5",      // not an operator
		"cost.total_usd < 5 extra", // trailing words
	} {
		if c, err := ParseCheck(in); err == nil {
			t.Errorf("ParseCheck(%q) = %+v, want an error", in, c)
		}
	}
}

func TestCheckHolds(t *testing.T) {
	tests := []struct {
		op   Op
		v    float64
		want bool
	}{
		{Less, 4, true}, {Less, 5, false},
		{LessEqual, 5, true}, {LessEqual, 5.0001, false},
		{Greater, 6, true}, {Greater, 5, false},
		{GreaterEqual, 5, true}, {GreaterEqual, 4.9999, false},
		{Equal, 5, true}, {Equal, 5.0000001, false},
		{NotEqual, 4, true}, {NotEqual, 5, false},
		{Less, math.NaN(), false}, {NotEqual, math.NaN(), false},
	}
	for _, tt := range tests {
		c := Check{Path: "x", Op: tt.op, Value: 5}
		if got := c.Holds(tt.v); got != tt.want {
			t.Errorf("%v %s 5 = %v, want %v", tt.v, tt.op, got, tt.want)
		}
	}
}

func TestCheckStringRoundTrips(t *testing.T) {
	for _, in := range []string{"cost.monthly_usd < 9000", "a.b >= 0.001", "x != -2"} {
		c, err := ParseCheck(in)
		if err != nil {
			t.Fatal(err)
		}
		if c.String() != in {
			t.Errorf("ParseCheck(%q).String() = %q", in, c.String())
		}
	}
}

func TestEvaluateAssertions(t *testing.T) {
	res := testResult()
	checks := []string{
		"services.web-api.unserved_demand_fraction < 0.001", // 0.0005: passes
		"cost.monthly_usd < 3000",                           // 3650: fails
		"services.web-api.memory_utilization.max < 90",      // null: fails with an error
		"services.nope.cpu_utilization.p95 < 90",            // missing: fails with an error
		"cost.monthly_usd",                                  // malformed: fails with an error
		"capacity_providers.general.instances.max == 3",     // passes
	}
	got := EvaluateAssertions(res, checks)
	if len(got) != len(checks) {
		t.Fatalf("got %d results, want %d", len(got), len(checks))
	}
	type want struct {
		passed bool
		value  *float64
		hasErr bool
	}
	wants := []want{
		{true, f64(0.0005), false},
		{false, f64(3650), false},
		{false, nil, true},
		{false, nil, true},
		{false, nil, true},
		{true, f64(3), false},
	}
	for i, w := range wants {
		g := got[i]
		if g.Check != checks[i] {
			t.Errorf("%d: Check = %q, want %q", i, g.Check, checks[i])
		}
		if g.Passed != w.passed {
			t.Errorf("%q: Passed = %v, want %v (error %q)", checks[i], g.Passed, w.passed, g.Error)
		}
		if (g.Error != "") != w.hasErr {
			t.Errorf("%q: Error = %q, want error: %v", checks[i], g.Error, w.hasErr)
		}
		switch {
		case w.value == nil && g.Value != nil:
			t.Errorf("%q: Value = %v, want nil", checks[i], *g.Value)
		case w.value != nil && (g.Value == nil || *g.Value != *w.value):
			t.Errorf("%q: Value = %v, want %v", checks[i], g.Value, *w.value)
		}
	}
	if got := EvaluateAssertions(res, nil); len(got) != 0 {
		t.Errorf("no checks gave %d results", len(got))
	}
}
