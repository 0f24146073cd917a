package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ecssim/ecssim/sim"
)

// diffOld and diffNew are two small hand-built results; the comments of
// TestDiffRows derive every expected Δ and % from their numbers.
func diffOld() *sim.Result {
	return &sim.Result{
		SchemaVersion: 1,
		Scenario: sim.ScenarioInfo{Name: "web-platform", Seed: 42, DurationSeconds: 7 * 86400,
			SHA256: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		RunInfo: sim.RunInfo{ECSSimVersion: "v0.1.0"},
		Cost: sim.Cost{TotalUSD: 1000, MonthlyUSD: 4000, IdleUSD: 50,
			ByCapacityProvider: map[string]float64{"general": 600, "FARGATE": 400},
			ByService:          map[string]float64{"web": 700, "api": 250},
			ByJob:              map[string]float64{"etl": 50}},
		Services: map[string]*sim.ServiceResult{
			"web": {
				CPUUtilization:         &sim.Dist{Mean: 40, P50: 38, P95: 70, P99: 80, Max: 90},
				MemoryUtilization:      &sim.Dist{Mean: 30, P50: 30, P95: 45, P99: 48, Max: 50},
				UnservedDemandFraction: f64(0),
				OverloadedMinutes:      f64(0),
				PlacementWaitSeconds:   &sim.Dist{Mean: 3, P50: 2, P95: 8, P99: 9, Max: 10},
				DesiredCount:           &sim.MinMeanMax{Min: 4, Mean: 6, Max: 8},
				RunningCount:           &sim.MinMeanMax{Min: 4, Mean: 6, Max: 8},
				Tasks:                  sim.TaskCounts{Started: 10, Failed: 2},
				ScalingActivities:      4,
			},
			"api": {
				CPUUtilization:         &sim.Dist{Mean: 20, P50: 20, P95: 30, P99: 31, Max: 32},
				MemoryUtilization:      &sim.Dist{Mean: 10, P50: 10, P95: 12, P99: 13, Max: 14},
				UnservedDemandFraction: f64(0),
				OverloadedMinutes:      f64(0),
				DesiredCount:           &sim.MinMeanMax{Min: 2, Mean: 2, Max: 2},
				RunningCount:           &sim.MinMeanMax{Min: 2, Mean: 2, Max: 2},
			},
			// Removed in new; its statistics are mostly null.
			"legacy": {
				CPUUtilization:    &sim.Dist{Mean: 10, P50: 10, P95: 12, P99: 12, Max: 12},
				DesiredCount:      &sim.MinMeanMax{Min: 1, Mean: 1, Max: 1},
				RunningCount:      &sim.MinMeanMax{Min: 1, Mean: 1, Max: 1},
				ScalingActivities: 0,
			},
		},
		Jobs: map[string]*sim.JobResult{
			"etl": {Submitted: 10, Completed: 10},
		},
		CapacityProviders: map[string]*sim.ProviderResult{
			"general": {Instances: &sim.MinMeanMax{Min: 3, Mean: 4, Max: 5}, InstanceHours: f64(672),
				CPUReservation:              &sim.Dist{Mean: 55, P50: 55, P95: 80, P99: 85, Max: 90},
				CapacityProviderReservation: &sim.Dist{Mean: 100, P50: 100, P95: 100, P99: 100, Max: 100}},
			"FARGATE": {TaskHours: f64(100)},
		},
	}
}

func diffNew() *sim.Result {
	return &sim.Result{
		SchemaVersion: 1,
		Scenario: sim.ScenarioInfo{Name: "web-platform", Seed: 43, DurationSeconds: 7 * 86400,
			SHA256: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
		RunInfo: sim.RunInfo{ECSSimVersion: "v0.2.0"},
		Cost: sim.Cost{TotalUSD: 1100, MonthlyUSD: 4400, IdleUSD: 40,
			ByCapacityProvider: map[string]float64{"general": 500, "FARGATE": 400, "spot": 200},
			ByService:          map[string]float64{"web": 800, "api": 250},
			ByJob:              map[string]float64{"etl": 50}},
		Services: map[string]*sim.ServiceResult{
			"web": {
				CPUUtilization:         &sim.Dist{Mean: 50, P50: 48, P95: 70, P99: 85, Max: 95},
				MemoryUtilization:      &sim.Dist{Mean: 20, P50: 20, P95: 24, P99: 25, Max: 25},
				UnservedDemandFraction: f64(0.00125),
				OverloadedMinutes:      f64(0),
				PlacementWaitSeconds:   nil, // no task waited after warmup
				DesiredCount:           &sim.MinMeanMax{Min: 4, Mean: 7.5, Max: 10},
				RunningCount:           &sim.MinMeanMax{Min: 4, Mean: 7.5, Max: 10},
				Tasks:                  sim.TaskCounts{Started: 14, Interrupted: 3, Failed: 2},
				ScalingActivities:      6,
			},
			"api": {
				CPUUtilization:         &sim.Dist{Mean: 20, P50: 20, P95: 30, P99: 31, Max: 32},
				MemoryUtilization:      &sim.Dist{Mean: 10, P50: 10, P95: 12, P99: 13, Max: 14},
				UnservedDemandFraction: f64(0),
				OverloadedMinutes:      f64(0),
				PlacementWaitSeconds:   &sim.Dist{Mean: 1, P50: 1, P95: 4, P99: 4, Max: 4},
				DesiredCount:           &sim.MinMeanMax{Min: 2, Mean: 2, Max: 2},
				RunningCount:           &sim.MinMeanMax{Min: 2, Mean: 2, Max: 2},
			},
		},
		Jobs: map[string]*sim.JobResult{
			"etl": {Submitted: 12, Completed: 12},
			"reports": {Submitted: 6, Completed: 5, FailedToPlace: 1,
				WaitSeconds: &sim.Dist{Mean: 10, P50: 8, P95: 30, P99: 30, Max: 30}},
		},
		CapacityProviders: map[string]*sim.ProviderResult{
			"general": {Instances: &sim.MinMeanMax{Min: 3, Mean: 3.5, Max: 5}, InstanceHours: f64(588),
				CPUReservation:              &sim.Dist{Mean: 60, P50: 60, P95: 85, P99: 88, Max: 90},
				CapacityProviderReservation: &sim.Dist{Mean: 100, P50: 100, P95: 100, P99: 100, Max: 100}},
			"FARGATE": {TaskHours: f64(100)},
			"spot": {Instances: &sim.MinMeanMax{Min: 1, Mean: 2, Max: 3}, InstanceHours: f64(336),
				CPUReservation:              &sim.Dist{Mean: 70, P50: 70, P95: 90, P99: 92, Max: 95},
				CapacityProviderReservation: &sim.Dist{Mean: 90, P50: 90, P95: 90, P99: 90, Max: 90}},
		},
	}
}

// TestDiffRows checks the rows of Diff(diffOld, diffNew) that differ, each
// expected value derived by hand: Δ = new − old, % = Δ / old × 100; "new"
// when old is 0, null or absent; "gone" when new is null or absent.
func TestDiffRows(t *testing.T) {
	d := Diff(diffOld(), diffNew())
	type want struct {
		status     DiffStatus
		old, new   *float64
		delta, pct *float64
		note       string
	}
	cases := map[string]want{
		// 4400 − 4000 = 400; 400 / 4000 = 10 %.
		"cost.monthly_usd": {DiffChanged, f64(4000), f64(4400), f64(400), f64(10), ""},
		// 1100 − 1000 = 100; 10 %.
		"cost.total_usd": {DiffChanged, f64(1000), f64(1100), f64(100), f64(10), ""},
		// 500 − 600 = −100; −100 / 600 = −16.67 %.
		"cost.by_capacity_provider.general": {DiffChanged, f64(600), f64(500), f64(-100), f64(-100.0 / 600 * 100), ""},
		// Absent in old: added, no Δ, "new".
		"cost.by_capacity_provider.spot": {DiffAdded, nil, f64(200), nil, nil, NoteNew},
		// 800 − 700 = 100; 100 / 700 = 14.29 %.
		"cost.by_service.web": {DiffChanged, f64(700), f64(800), f64(100), f64(100.0 / 700 * 100), ""},
		// 40 − 50 = −10; −20 %.
		"cost.idle_usd": {DiffChanged, f64(50), f64(40), f64(-10), f64(-20), ""},
		// 50 − 40 = 10; 25 %.
		"services.web.cpu_utilization.mean": {DiffChanged, f64(40), f64(50), f64(10), f64(25), ""},
		// 25 − 50 = −25; −50 %.
		"services.web.memory_utilization.max": {DiffChanged, f64(50), f64(25), f64(-25), f64(-50), ""},
		// Old 0: Δ 0.00125 but no percentage, "new".
		"services.web.unserved_demand_fraction": {DiffChanged, f64(0), f64(0.00125), f64(0.00125), nil, NoteNew},
		// New null: no Δ, "gone".
		"services.web.placement_wait_seconds.p95": {DiffChanged, f64(8), nil, nil, nil, NoteGone},
		// 7.5 − 6 = 1.5; 25 %.
		"services.web.desired_count.mean": {DiffChanged, f64(6), f64(7.5), f64(1.5), f64(25), ""},
		"services.web.running_count.mean": {DiffChanged, f64(6), f64(7.5), f64(1.5), f64(25), ""},
		// 0 → 3: Δ 3, "new".
		"services.web.tasks.interrupted": {DiffChanged, f64(0), f64(3), f64(3), nil, NoteNew},
		// 6 − 4 = 2; 50 %.
		"services.web.scaling_activities": {DiffChanged, f64(4), f64(6), f64(2), f64(50), ""},
		// Old null: no Δ, "new".
		"services.api.placement_wait_seconds.p95": {DiffChanged, nil, f64(4), nil, nil, NoteNew},
		// A removed service: its numbers are "gone"; a statistic null in
		// old has nothing to compare and is unchanged.
		"services.legacy.cpu_utilization.mean":       {DiffRemoved, f64(10), nil, nil, nil, NoteGone},
		"services.legacy.placement_wait_seconds.p95": {DiffUnchanged, nil, nil, nil, nil, ""},
		"capacity_providers.spot.task_hours":         {DiffUnchanged, nil, nil, nil, nil, ""},
		// 12 − 10 = 2; 20 %.
		"jobs.etl.completed": {DiffChanged, f64(10), f64(12), f64(2), f64(20), ""},
		// An added job.
		"jobs.reports.wait_seconds.p95": {DiffAdded, nil, f64(30), nil, nil, NoteNew},
		// 3.5 − 4 = −0.5; −12.5 %. 588 − 672 = −84; −84/672 = −12.5 %.
		"capacity_providers.general.instances.mean": {DiffChanged, f64(4), f64(3.5), f64(-0.5), f64(-12.5), ""},
		"capacity_providers.general.instance_hours": {DiffChanged, f64(672), f64(588), f64(-84), f64(-12.5), ""},
		// 60 − 55 = 5; 5 / 55 = 9.09 %.
		"capacity_providers.general.cpu_reservation.mean": {DiffChanged, f64(55), f64(60), f64(5), f64(5.0 / 55 * 100), ""},
		// Unchanged rows: equal numbers, or both null.
		"capacity_providers.general.capacity_provider_reservation.p95": {DiffUnchanged, f64(100), f64(100), f64(0), f64(0), ""},
		"capacity_providers.general.task_hours":                        {DiffUnchanged, nil, nil, nil, nil, ""},
		"jobs.etl.wait_seconds.p95":                                    {DiffUnchanged, nil, nil, nil, nil, ""},
		// 0 → 0: unchanged, Δ 0, no percentage of 0 and no note.
		"services.web.overloaded_minutes": {DiffUnchanged, f64(0), f64(0), f64(0), nil, ""},
	}
	got := map[string]DiffRow{}
	for _, r := range d.Rows {
		if _, dup := got[r.Path()]; dup {
			t.Errorf("row %s twice", r.Path())
		}
		got[r.Path()] = r
	}
	eq := func(a, b *float64) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
	}
	show := func(v *float64) string {
		if v == nil {
			return "null"
		}
		return fixed(*v, 6)
	}
	for path, w := range cases {
		r, ok := got[path]
		if !ok {
			t.Errorf("no row %s", path)
			continue
		}
		if r.Status != w.status || !eq(r.Old, w.old) || !eq(r.New, w.new) || !eq(r.Delta, w.delta) ||
			!eq(r.Percent, w.pct) || r.Note != w.note {
			t.Errorf("%s: got %s old %s new %s Δ %s %% %s note %q; want %s old %s new %s Δ %s %% %s note %q", path,
				r.Status, show(r.Old), show(r.New), show(r.Delta), show(r.Percent), r.Note,
				w.status, show(w.old), show(w.new), show(w.delta), show(w.pct), w.note)
		}
	}

	// Rows: cost 9 (monthly, total, 3 by_capacity_provider, 2 by_service,
	// 1 by_job, idle), 3 services × 11, 2 jobs × 3, 3 providers × 5 = 63.
	// Differing: cost 6 (monthly, total, general, spot, web, idle); web 8
	// (cpu mean, mem max, unserved, wait p95, desired, running,
	// interrupted, scaling); api 1; legacy 7 (11 less its 4 nulls: memory
	// max, unserved, overloaded, wait p95); etl 1; reports 3; general 3;
	// spot 4 (5 less task_hours); FARGATE 0 = 33.
	if len(d.Rows) != 63 || d.Changed() != 33 {
		t.Errorf("%d rows, %d differing; want 63 and 33", len(d.Rows), d.Changed())
	}
	if strings.Join(d.Added, ",") != "jobs.reports,capacity_providers.spot" {
		t.Errorf("added %q", d.Added)
	}
	if strings.Join(d.Removed, ",") != "services.legacy" {
		t.Errorf("removed %q", d.Removed)
	}
}

// The rows come in report order: the cost (monthly, total, the maps by
// sorted key, idle), then services, jobs and capacity providers by sorted
// name, whatever the maps' iteration order.
func TestDiffOrder(t *testing.T) {
	d := Diff(diffOld(), diffNew())
	var paths []string
	for _, r := range d.Rows {
		paths = append(paths, r.Path())
	}
	wantPrefix := []string{"cost.monthly_usd", "cost.total_usd",
		"cost.by_capacity_provider.FARGATE", "cost.by_capacity_provider.general", "cost.by_capacity_provider.spot",
		"cost.by_service.api", "cost.by_service.web", "cost.by_job.etl", "cost.idle_usd",
		"services.api.cpu_utilization.mean"}
	for i, p := range wantPrefix {
		if paths[i] != p {
			t.Fatalf("row %d is %s, want %s; rows:\n%s", i, paths[i], p, strings.Join(paths, "\n"))
		}
	}
	entities := []string{}
	for _, r := range d.Rows {
		if r.Entity != "" && (len(entities) == 0 || entities[len(entities)-1] != r.Section+"."+r.Entity) {
			entities = append(entities, r.Section+"."+r.Entity)
		}
	}
	want := "services.api services.legacy services.web jobs.etl jobs.reports " +
		"capacity_providers.FARGATE capacity_providers.general capacity_providers.spot"
	if got := strings.Join(entities, " "); got != want {
		t.Errorf("entities in order %s, want %s", got, want)
	}
	for i := 0; i < 20; i++ {
		again := Diff(diffOld(), diffNew())
		for k := range again.Rows {
			if again.Rows[k].Path() != paths[k] {
				t.Fatalf("run %d: row %d is %s, was %s", i, k, again.Rows[k].Path(), paths[k])
			}
		}
	}
}

// A result compared with itself has no differences; every writer says so
// and lists no row.
func TestDiffIdentical(t *testing.T) {
	d := Diff(diffOld(), diffOld())
	if d.Changed() != 0 || len(d.Shown()) != 0 || len(d.Added)+len(d.Removed) != 0 {
		t.Fatalf("self-diff: %d differing, %d shown, added %v, removed %v", d.Changed(), len(d.Shown()), d.Added, d.Removed)
	}
	var b bytes.Buffer
	if err := WriteDiffTable(&b, d); err != nil {
		t.Fatal(err)
	}
	// diffOld has 8 cost rows (monthly, total, 2 by_capacity_provider, 2
	// by_service, 1 by_job, idle), 3 services × 11, 1 job × 3 and 2
	// providers × 5: 8 + 33 + 3 + 10 = 54 rows.
	if !strings.Contains(b.String(), "No differences in 54 rows.") || strings.Contains(b.String(), "COST") {
		t.Errorf("self-diff table:\n%s", b.String())
	}
}

// Null handling of a single row, for each combination of old and new:
// number, 0, null and absent.
func TestDiffCompareNulls(t *testing.T) {
	cases := []struct {
		name       string
		old, new   *float64
		op, np     bool
		status     DiffStatus
		delta, pct *float64
		note       string
		pctShown   string
	}{
		{"both numbers", f64(8), f64(6), true, true, DiffChanged, f64(-2), f64(-25), "", "-25.0%"},
		{"equal numbers", f64(8), f64(8), true, true, DiffUnchanged, f64(0), f64(0), "", "0.0%"},
		{"old 0", f64(0), f64(6), true, true, DiffChanged, f64(6), nil, NoteNew, "new"},
		{"both 0", f64(0), f64(0), true, true, DiffUnchanged, f64(0), nil, "", "-"},
		{"new 0", f64(4), f64(0), true, true, DiffChanged, f64(-4), f64(-100), "", "-100.0%"},
		{"old null", nil, f64(6), true, true, DiffChanged, nil, nil, NoteNew, "new"},
		{"new null", f64(6), nil, true, true, DiffChanged, nil, nil, NoteGone, "gone"},
		{"old 0, new null", f64(0), nil, true, true, DiffChanged, nil, nil, NoteGone, "gone"},
		{"both null", nil, nil, true, true, DiffUnchanged, nil, nil, "", "-"},
		{"NaN is null", f64(math.NaN()), nil, true, true, DiffUnchanged, nil, nil, "", "-"},
		{"absent in old", nil, f64(6), false, true, DiffAdded, nil, nil, NoteNew, "new"},
		{"absent in new", f64(6), nil, true, false, DiffRemoved, nil, nil, NoteGone, "gone"},
		{"absent in old, null in new", nil, nil, false, true, DiffUnchanged, nil, nil, "", "-"},
		{"null in old, absent in new", nil, nil, true, false, DiffUnchanged, nil, nil, "", "-"},
	}
	for _, c := range cases {
		r := diffCompare("services", "web", "x", "percent", c.old, c.new, c.op, c.np)
		okNum := func(a, b *float64) bool {
			if a == nil || b == nil {
				return a == nil && b == nil
			}
			return *a == *b
		}
		if r.Status != c.status || !okNum(r.Delta, c.delta) || !okNum(r.Percent, c.pct) || r.Note != c.note {
			t.Errorf("%s: status %s Δ %v %% %v note %q; want %s %v %v %q", c.name, r.Status, r.Delta, r.Percent, r.Note,
				c.status, c.delta, c.pct, c.note)
		}
		if got := diffPercent(r); got != c.pctShown {
			t.Errorf("%s: %% shown %q, want %q", c.name, got, c.pctShown)
		}
	}
}

// TestDiffGolden pins the three renderings of Diff(diffOld, diffNew)
// (go test ./reports -run Diff -update rewrites them). The table must fit
// in 80 columns.
func TestDiffGolden(t *testing.T) {
	for _, c := range []struct {
		file  string
		all   bool
		write func(*bytes.Buffer, DiffReport) error
	}{
		{"diff.golden.txt", false, func(b *bytes.Buffer, d DiffReport) error { return WriteDiffTable(b, d) }},
		{"diff.golden.md", false, func(b *bytes.Buffer, d DiffReport) error { return WriteDiffMarkdown(b, d) }},
		{"diff.golden.json", false, func(b *bytes.Buffer, d DiffReport) error { return WriteDiffJSON(b, d) }},
		{"diff-all.golden.txt", true, func(b *bytes.Buffer, d DiffReport) error { return WriteDiffTable(b, d) }},
	} {
		d := Diff(diffOld(), diffNew())
		d.ShowUnchanged = c.all
		var b bytes.Buffer
		if err := c.write(&b, d); err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		path := filepath.Join("testdata", "diff", c.file)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from the golden file:\n%s", c.file, b.String())
		}
		if strings.HasSuffix(c.file, ".txt") {
			for _, l := range strings.Split(b.String(), "\n") {
				if n := utf8.RuneCountInString(l); n > 80 {
					t.Errorf("%s: line of %d columns: %q", c.file, n, l)
				}
			}
		}
	}
}

// The JSON form is a stable structure: every key present, rows as
// documented, unchanged rows only when asked for.
func TestDiffJSONStructure(t *testing.T) {
	for _, all := range []bool{false, true} {
		d := Diff(diffOld(), diffNew())
		d.ShowUnchanged = all
		var b bytes.Buffer
		if err := WriteDiffJSON(&b, d); err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"old", "new", "rows_compared", "rows_changed", "rows_unchanged",
			"unchanged_shown", "added", "removed", "rows"} {
			if _, ok := doc[k]; !ok {
				t.Errorf("all=%v: no key %q", all, k)
			}
		}
		if doc["rows_compared"] != 63.0 || doc["rows_changed"] != 33.0 || doc["rows_unchanged"] != 30.0 {
			t.Errorf("all=%v: counts %v %v %v", all, doc["rows_compared"], doc["rows_changed"], doc["rows_unchanged"])
		}
		rows := doc["rows"].([]any)
		wantRows := 33
		if all {
			wantRows = 63
		}
		if len(rows) != wantRows {
			t.Errorf("all=%v: %d rows, want %d", all, len(rows), wantRows)
		}
		for _, r := range rows {
			m := r.(map[string]any)
			if len(m) != 11 {
				t.Errorf("row with %d keys: %v", len(m), m)
			}
		}
	}
	// Empty lists are [] (never null) when nothing differs.
	var b bytes.Buffer
	if err := WriteDiffJSON(&b, Diff(diffOld(), diffOld())); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"rows": []`) || !strings.Contains(b.String(), `"added": []`) {
		t.Errorf("empty diff JSON:\n%s", b.String())
	}
}
