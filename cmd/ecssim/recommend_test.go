package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// overScenario: four 4 vCPU / 8 GiB Fargate tasks serving 1 vCPU in all
// and 1000 MiB each. Need 4096 × 6.25 % × 1.15 = 294.4 CPU units and 1150
// MiB → Fargate 512/2048 (planner's TestRecommendOverprovisionedFargate
// derives it).
const overScenario = `name     = "over"
region   = "us-east-1"
duration = "2h"
warmup   = "30m"
seed     = 1

[cluster]
availability_zones = ["us-east-1a", "us-east-1b"]

[[task_definitions]]
family = "app"
cpu    = 4096   # 4 vCPU
memory = 8192
network_mode = "awsvpc"

[[services]]
name            = "app"
task_definition = "app:1"
desired_count   = 4
launch_type     = "FARGATE"
  [services.load]
  cpu = { pattern = "constant", value = 1.0 }
  memory_base = 1000
`

// TestRecommendJSON: the JSON shape of SCENARIO.md "The outputs of pack,
// recommend and sweep".
func TestRecommendJSON(t *testing.T) {
	path := writeFile(t, "over.toml", overScenario)
	code, out, errOut := ecssim(t, "recommend", "--format", "json", path)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var doc map[string]map[string]map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if _, ok := doc["capacity_providers"]; !ok {
		t.Error("no capacity_providers object")
	}
	app := doc["services"]["app"]
	for _, k := range []string{"finding", "finding_reason_codes", "performance_risk", "current", "options"} {
		if _, ok := app[k]; !ok {
			t.Errorf("services.app has no %s", k)
		}
	}
	if app["finding"] != "Overprovisioned" {
		t.Errorf("finding %v, want Overprovisioned", app["finding"])
	}
	cur := app["current"].(map[string]any)
	for _, k := range []string{"cpu", "memory", "desired_count", "monthly_usd"} {
		if _, ok := cur[k]; !ok {
			t.Errorf("current has no %s", k)
		}
	}
	o := app["options"].([]any)[0].(map[string]any)
	for _, k := range []string{"cpu", "memory", "desired_count", "launch_type", "monthly_usd", "savings_monthly_usd",
		"projected_cpu_utilization", "projected_memory_utilization", "verified"} {
		if _, ok := o[k]; !ok {
			t.Errorf("options[0] has no %s", k)
		}
	}
	if o["cpu"] != 512.0 || o["memory"] != 2048.0 {
		t.Errorf("options[0] %v/%v, want 512/2048", o["cpu"], o["memory"])
	}
	for _, k := range []string{"lower", "upper"} {
		if _, ok := o["projected_cpu_utilization"].(map[string]any)[k]; !ok {
			t.Errorf("projected_cpu_utilization has no %s", k)
		}
	}
	v := o["verified"].(map[string]any)
	for _, k := range []string{"passed", "unserved_demand_fraction", "cpu_utilization_p95", "memory_utilization_max"} {
		if _, ok := v[k]; !ok {
			t.Errorf("verified has no %s", k)
		}
	}
	// The same run twice prints the same bytes.
	if _, again, _ := ecssim(t, "recommend", "--format", "json", path); again != out {
		t.Error("two runs printed different JSON")
	}
	for _, f := range []string{"table", "markdown"} {
		code, out, _ := ecssim(t, "recommend", "--format", f, path)
		if code != exitOK || !strings.Contains(out, "Overprovisioned") || !strings.Contains(out, "512/2048") {
			t.Errorf("--format %s: exit %d\n%s", f, code, out)
		}
		if f == "table" {
			for _, l := range strings.Split(out, "\n") {
				if len(l) > 80 {
					t.Errorf("table line over 80 columns: %q", l)
				}
			}
		}
	}
}

// TestRecommendApply: --apply writes the scenario with 512/2048, comments
// kept; it validates and simulating it gives the verified numbers.
func TestRecommendApply(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "over.toml")
	os.WriteFile(in, []byte(overScenario), 0o644)
	newPath := filepath.Join(dir, "new.toml")
	code, out, errOut := ecssim(t, "recommend", "--format", "json", "--apply", newPath, in)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var rec struct {
		Services map[string]struct {
			Options []struct {
				CPU, Memory int
				MonthlyUSD  float64 `json:"monthly_usd"`
				Verified    struct {
					Unserved float64 `json:"unserved_demand_fraction"`
					CPUP95   float64 `json:"cpu_utilization_p95"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(newPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "cpu    = 512   # 4 vCPU") || !strings.Contains(string(text), "memory = 2048\n") {
		t.Errorf("rewritten file:\n%s", text)
	}
	sc, err := scenarios.Load(newPath)
	if err != nil {
		t.Fatalf("applied scenario does not load: %v", err)
	}
	res, err := sim.Run(sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := rec.Services["app"].Options[0]
	got := res.Services["app"]
	monthly := res.Cost.ByService["app"] * res.Cost.MonthlyUSD / res.Cost.TotalUSD
	if *got.UnservedDemandFraction != o.Verified.Unserved || got.CPUUtilization.P95 != o.Verified.CPUP95 || monthly != o.MonthlyUSD {
		t.Errorf("re-run of the applied file: unserved %v p95 %v monthly %v; verified %+v monthly %v",
			*got.UnservedDemandFraction, got.CPUUtilization.P95, monthly, o.Verified, o.MonthlyUSD)
	}
	// The written file is simulated as a whole and judged.
	if !strings.Contains(errOut, "simulated as a whole") || !strings.Contains(errOut, "every assertion holds") {
		t.Errorf("stderr lacks the whole-scenario check: %q", errOut)
	}
	// --apply-launch-types needs --apply.
	if code, _, _ := ecssim(t, "recommend", "--apply-launch-types", in); code != exitInvalid {
		t.Errorf("--apply-launch-types alone: exit %d, want 2", code)
	}
	// Refuses to overwrite its input.
	if code, _, _ := ecssim(t, "recommend", "--apply", in, in); code != exitInvalid {
		t.Errorf("--apply over the input: exit %d, want 2", code)
	}
}

// TestRecommendErrors: an invalid scenario exits 2 with positioned errors
// as `run` prints them; so do a bad format and a missing file.
func TestRecommendErrors(t *testing.T) {
	bad := writeFile(t, "bad.toml", strings.Replace(overScenario, "memory = 8192", "memory = 1000", 1))
	code, _, errOut := ecssim(t, "recommend", bad)
	if code != exitInvalid || !strings.Contains(errOut, "bad.toml:") || !strings.Contains(errOut, "memory") {
		t.Errorf("invalid scenario: exit %d, stderr %q; want 2 and FILE:LINE:COL: ... memory", code, errOut)
	}
	good := writeFile(t, "ok.toml", overScenario)
	for _, args := range [][]string{
		{"recommend", "--format", "yaml", good},
		{"recommend", filepath.Join(t.TempDir(), "none.toml")},
		{"recommend", good, good},
	} {
		if code, _, errOut := ecssim(t, args...); code != exitInvalid || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

// TestRecommendApplyLaunchTypes: on web-platform, web's verified Fargate
// Spot share (FARGATE base 1 weight 1, FARGATE_SPOT weight 3) saves money
// (README "Right-sizing, verified"), so --apply-launch-types writes it as
// web's capacity_provider_strategy; the file validates and the whole
// scenario is simulated and judged.
func TestRecommendApplyLaunchTypes(t *testing.T) {
	dir := t.TempDir()
	_, src, _ := ecssim(t, "examples", "web-platform")
	in := filepath.Join(dir, "wp.toml")
	os.WriteFile(in, []byte(src), 0o644)
	newPath := filepath.Join(dir, "new.toml")
	code, _, errOut := ecssim(t, "recommend", "--apply", newPath, "--apply-launch-types", in)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(errOut, "1 service(s) moved") || !strings.Contains(errOut, "simulated as a whole") {
		t.Errorf("stderr %q", errOut)
	}
	sc, err := scenarios.Load(newPath)
	if err != nil {
		t.Fatalf("applied scenario: %v", err)
	}
	for _, s := range sc.Services {
		if s.Name != "web" {
			continue
		}
		if len(s.Strategy) != 2 || s.Strategy[0].CapacityProvider != "FARGATE" || s.Strategy[0].Base != 1 ||
			s.Strategy[1].CapacityProvider != "FARGATE_SPOT" || s.Strategy[1].W() != 3 {
			t.Errorf("web's strategy %+v", s.Strategy)
		}
	}
}
