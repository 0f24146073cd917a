package reports

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// goldenResult is a hand-built result exercising every rendering rule:
// a service whose statistics are all null ("-" in tables, null in JSON), a
// tiny unserved fraction ("<0.01" %), a deployment still in progress, a
// FARGATE provider with null instance fields, a reason holding '>' (kept
// unescaped in JSON), and a passing, a failing and an erroring assertion.
func goldenResult() *sim.Result {
	return &sim.Result{
		SchemaVersion: 1,
		Scenario: sim.ScenarioInfo{Name: "web-platform", Seed: 42, DurationSeconds: 7 * 86400,
			WarmupSeconds: 3600, SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		RunInfo: sim.RunInfo{ECSSimVersion: "v0.1.0", GeneratedAt: "2026-01-05T12:00:00Z", WallSeconds: 1.234},
		Engine:  sim.EngineInfo{Events: 1234567},
		Cost: sim.Cost{
			TotalUSD: 1000, MonthlyUSD: 4321.987,
			ByCapacityProvider: map[string]float64{"general": 600, "FARGATE_SPOT": 150, "FARGATE": 250},
			ByService:          map[string]float64{"web": 400, "api": 450},
			ByJob:              map[string]float64{"nightly-etl": 100},
			IdleUSD:            50,
		},
		Services: map[string]*sim.ServiceResult{
			"web": {
				DesiredCount:           &sim.MinMeanMax{Min: 4, Mean: 7.25, Max: 12},
				RunningCount:           &sim.MinMeanMax{Min: 4, Mean: 7.125, Max: 12},
				CPUUtilization:         &sim.Dist{Mean: 45.5, P50: 44, P95: 71.26, P99: 88, Max: 100},
				MemoryUtilization:      &sim.Dist{Mean: 30, P50: 30, P95: 35, P99: 36, Max: 38.04},
				UnservedDemandFraction: f64(0.00002),
				OverloadedMinutes:      f64(3),
				Tasks:                  sim.TaskCounts{Started: 40, Stopped: 34, Interrupted: 2, Failed: 6, OOMKilled: 1},
				PendingAtEnd:           0,
				PlacementFailures:      map[string]int64{},
				PlacementWaitSeconds:   &sim.Dist{Mean: 2, P50: 1, P95: 8.5, P99: 12, Max: 30},
				RunningByCapacityProvider: map[string]float64{
					"FARGATE": 2.5, "FARGATE_SPOT": 4.625,
				},
				ScalingActivities: 2,
				Deployments: []sim.DeploymentResult{
					{TaskDefinition: "web:1", StartedAtSeconds: 0, FinishedAtSeconds: f64(150), State: "COMPLETED",
						MinHealthyRunning: 0, MaxTasks: 6},
					{TaskDefinition: "web:2", StartedAtSeconds: 295200, FinishedAtSeconds: nil, State: "IN_PROGRESS",
						FailedTasks: 3, MinHealthyRunning: 6, MaxTasks: 12, ExtraCostUSD: 1.5},
				},
			},
			"api": {
				// Nothing ever ran: every statistic is null.
				PlacementFailures:         map[string]int64{"RESOURCE:MEMORY": 5, "RESOURCE:CPU": 2},
				RunningByCapacityProvider: map[string]float64{},
				PendingAtEnd:              4,
			},
		},
		Jobs: map[string]*sim.JobResult{
			"nightly-etl": {Submitted: 56, Completed: 50, FailedToPlace: 1, Interrupted: 3, Retried: 3, Dropped: 0,
				InProgressAtEnd: 5, WastedTaskSeconds: 5400,
				WaitSeconds: &sim.Dist{Mean: 10, P50: 5, P95: 95.5, P99: 120, Max: 130},
				RunSeconds:  &sim.Dist{Mean: 1600, P50: 1500, P95: 3000, P99: 3100, Max: 3200}},
			"thumbnails": {Submitted: 0},
		},
		CapacityProviders: map[string]*sim.ProviderResult{
			"general": {Instances: &sim.MinMeanMax{Min: 2, Mean: 3.5, Max: 6}, InstanceHours: f64(588),
				CPUReservation:    &sim.Dist{Mean: 60, P50: 61, P95: 88.8, P99: 90, Max: 95},
				MemoryReservation: &sim.Dist{Mean: 50, P50: 51, P95: 70.1, P99: 72, Max: 75},
				Launches:          i64(9), Terminations: i64(5), Interruptions: 0,
				CapacityProviderReservation: &sim.Dist{Mean: 95, P50: 100, P95: 133.3, P99: 150, Max: 200}},
			"FARGATE": {TaskHours: f64(420), VCPUHours: f64(210), GBHours: f64(420)},
		},
		Activities: []sim.Activity{
			{AtSeconds: 3660, Resource: "service/web", From: 6, To: 8, Reason: "alarm_high 3/3 CPUUtilization 100 > 60"},
			{AtSeconds: 7200, Resource: "capacity_provider/general", From: 2, To: 3, Reason: "CapacityProviderReservation 133 > 90"},
			{AtSeconds: 9000, Resource: "service/web", From: 8, To: 7, Reason: "alarm_low 15/15 CPUUtilization 20 < 54"},
		},
		Assertions: []sim.AssertionResult{
			{Check: "services.web.unserved_demand_fraction < 0.001", Value: f64(0.00002), Passed: true},
			{Check: "cost.monthly_usd < 4000", Value: f64(4321.987), Passed: false},
			{Check: "services.api.cpu_utilization.p95 < 80", Passed: false,
				Error: `"services.api.cpu_utilization.p95": value is null: services.api.cpu_utilization is null, so it has no "p95"`},
		},
		Series: &sim.Timeseries{
			PeriodSeconds: 60,
			Columns:       []string{"service/web/cpu_utilization", "service/web/running_count", "capacity_provider/general/instances"},
			Data: [][]float32{
				{float32(math.NaN()), 45.5, 0.1},
				{4, 4.5, 5},
				{2, 2}, // shorter: the last cell is empty
			},
		},
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; review the change and run go test ./reports -update\n--- got ---\n%s", name, got)
	}
}

func TestGoldenJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, goldenResult()); err != nil {
		t.Fatal(err)
	}
	golden(t, "result.golden.json", b.Bytes())
}

func TestGoldenTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, goldenResult()); err != nil {
		t.Fatal(err)
	}
	golden(t, "result.golden.txt", b.Bytes())
}

func TestGoldenMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, goldenResult()); err != nil {
		t.Fatal(err)
	}
	golden(t, "result.golden.md", b.Bytes())
}

func TestGoldenTimeseries(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTimeseriesCSV(&b, goldenResult().Series); err != nil {
		t.Fatal(err)
	}
	golden(t, "timeseries.golden.csv", b.Bytes())
}

// The contract rules of results.json that the golden file shows, checked
// directly so that an -update cannot silently accept a break.
func TestJSONContract(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, goldenResult()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasSuffix(out, "}\n") {
		t.Error("results.json does not end with a newline")
	}
	if !strings.Contains(out, `"reason": "alarm_high 3/3 CPUUtilization 100 > 60"`) {
		t.Error("'>' in a reason is escaped")
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	api := doc["services"].(map[string]any)["api"].(map[string]any)
	for _, k := range []string{"desired_count", "running_count", "cpu_utilization", "memory_utilization",
		"unserved_demand_fraction", "placement_wait_seconds"} {
		v, ok := api[k]
		if !ok || v != nil {
			t.Errorf("services.api.%s = %v (present %v), want null", k, v, ok)
		}
	}
	if d, ok := api["deployments"].([]any); !ok || len(d) != 0 {
		t.Errorf("a nil deployments list is %v, want []", api["deployments"])
	}
	if _, ok := doc["timeseries"]; ok {
		t.Error("Series leaked into results.json")
	}

	// Byte-identical output on the same input.
	var again bytes.Buffer
	if err := WriteJSON(&again, goldenResult()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("two encodings of the same result differ")
	}
}

func TestJSONEmptyCollections(t *testing.T) {
	var b bytes.Buffer
	res := &sim.Result{SchemaVersion: 1}
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"services": {}`, `"jobs": {}`, `"capacity_providers": {}`,
		`"activities": []`, `"assertions": []`, `"by_job": {}`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("empty result lacks %s:\n%s", want, b.String())
		}
	}
	if res.Services != nil || res.Activities != nil {
		t.Error("WriteJSON modified its input")
	}
}

func TestJSONRejectsNaN(t *testing.T) {
	res := goldenResult()
	res.Cost.TotalUSD = math.NaN()
	if err := WriteJSON(&bytes.Buffer{}, res); err == nil {
		t.Error("a NaN cost encoded without error")
	}
}

func TestTimeseriesNil(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTimeseriesCSV(&b, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "period_start_seconds\n" {
		t.Errorf("nil timeseries wrote %q", b.String())
	}
}

func TestFormatHelpers(t *testing.T) {
	durations := []struct {
		s    float64
		want string
	}{
		{0, "0s"}, {0.5, "500ms"}, {90, "1m30s"}, {3600, "1h"}, {7 * 86400, "7d"},
		{2*86400 + 10*3600 + 30*60, "2d10h30m"}, {-60, "-1m"},
	}
	for _, d := range durations {
		if got := duration(d.s); got != d.want {
			t.Errorf("duration(%v) = %q, want %q", d.s, got, d.want)
		}
	}
	pcts := []struct {
		f    *float64
		want string
	}{
		{nil, "-"}, {f64(0), "0.00"}, {f64(0.00002), "<0.01"}, {f64(0.00005), "0.01"}, {f64(0.125), "12.50"}, {f64(1), "100.00"},
	}
	for _, p := range pcts {
		if got := fractionPct(p.f); got != p.want {
			t.Errorf("fractionPct(%v) = %q, want %q", p.f, got, p.want)
		}
	}
	if got := fixed(-0.0001, 1); got != "0.0" {
		t.Errorf("fixed(-0.0001, 1) = %q, want 0.0 (no negative zero)", got)
	}
}

func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b") // parents are created
	res := goldenResult()
	if err := WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	WriteJSON(&want, res)
	got, err := os.ReadFile(filepath.Join(dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Error("results.json differs from WriteJSON")
	}
	csv, err := os.ReadFile(filepath.Join(dir, TimeseriesFile))
	if err != nil || !strings.HasPrefix(string(csv), "period_start_seconds,") {
		t.Errorf("timeseries.csv: %v %q", err, csv)
	}
	// A second write replaces the files and leaves no temporary file.
	if err := WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	var names []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return nil
	})
	figs, _ := Figures(res)
	nwant := 3 + 2*len(figs) // results.json, timeseries.csv, report.html, NAME.svg and NAME.png each
	if len(names) != nwant {
		t.Errorf("dir holds %v, want %d files and no temporary file", names, nwant)
	}
	for _, n := range names {
		if strings.Contains(n, ".tmp") {
			t.Errorf("temporary file %s left", n)
		}
	}
}

// A failed write leaves the previous file intact and no temporary file.
func TestWriteFileAtomicKeepsOldOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	os.WriteFile(path, []byte("old\n"), 0o644)
	res := goldenResult()
	res.Cost.IdleUSD = math.Inf(1) // cannot be encoded
	if err := WriteDir(dir, res); err == nil {
		t.Fatal("WriteDir of an unencodable result succeeded")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old\n" {
		t.Errorf("results.json = %q after a failed write, want the old content", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a failed write left %d entries, want 1", len(entries))
	}
}
