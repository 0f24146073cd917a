package planner

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// Fargate Linux x86 prices in us-east-1 (ECS-SEMANTICS.md §8): USD per
// vCPU-hour and per GB-hour; a month is 730 hours.
const (
	fargateVCPUHour = 0.04048
	fargateGBHour   = 0.004445
	hoursPerMonth   = 730
)

// fargateMonthly is the monthly bill of n Fargate tasks of cpu units and
// mem MiB running all month.
func fargateMonthly(n, cpu, mem int) float64 {
	return float64(n) * (float64(cpu)/1024*fargateVCPUHour + float64(mem)/1024*fargateGBHour) * hoursPerMonth
}

// oneService is a scenario with one Fargate service "app" of n tasks of
// cpu/mem under a constant demand of vcpu vCPUs in total, memoryBase MiB a
// task, plus extra TOML appended to the [services.load] table. Two hours,
// 30 minutes of warmup, one-minute datapoints, no noise.
func oneService(cpu, mem, n int, vcpu, memoryBase float64, extra string) string {
	return fmt.Sprintf(`name     = "t"
region   = "us-east-1"
duration = "2h"
warmup   = "30m"
seed     = 1

[cluster]
availability_zones = ["us-east-1a", "us-east-1b"]

[[task_definitions]]
family = "app"   # the app
cpu    = %d
memory = %d      # MiB
network_mode = "awsvpc"

[[services]]
name            = "app"
task_definition = "app:1"
desired_count   = %d
launch_type     = "FARGATE"
  [services.load]
  cpu = { pattern = "constant", value = %v }
  memory_base = %v
%s`, cpu, mem, n, vcpu, memoryBase, extra)
}

func parse(t *testing.T, text string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("t.toml", []byte(text))
	if err != nil {
		t.Fatalf("scenario does not parse: %v\n%s", err, text)
	}
	return sc
}

func recommendOne(t *testing.T, text string) *ServiceRecommendation {
	t.Helper()
	rec, err := Recommend(parse(t, text), RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := rec.Services["app"]
	if s == nil {
		t.Fatalf("no recommendation for app; notes %v", rec.Notes)
	}
	return s
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// (1) Four 4 vCPU / 8 GiB Fargate tasks serving 1 vCPU in all: each task
// is 1024/4 = 256 CPU units busy, 6.25 % of 4096. Need = 4096 × 0.0625 ×
// 1.15 = 294.4 CPU units → the smallest Fargate CPU size at or above is
// 512. Memory 1000 MiB → need 1150 MiB; 512 CPU units take 1024-4096 MiB
// in 1 GiB steps → 2048 (AWS "Supported task CPU and memory values").
func TestRecommendOverprovisionedFargate(t *testing.T) {
	s := recommendOne(t, oneService(4096, 8192, 4, 1.0, 1000, ""))
	if !near(s.Need.CPU, 294.4, 1e-6) || !near(s.Need.Memory, 1150, 1e-6) {
		t.Errorf("need = %+v, want cpu 294.4, memory 1150", s.Need)
	}
	o := s.Options[0]
	if o.CPU != 512 || o.Memory != 2048 || o.DesiredCount != 4 || o.LaunchType != "FARGATE" {
		t.Fatalf("options[0] = %+v, want 512/2048 ×4 FARGATE", o)
	}
	if s.Finding != Overprovisioned || !slices.Equal(s.FindingReasonCodes, []string{CPUOverprovisioned, MemoryOverprovisioned}) {
		t.Errorf("finding %s %v, want Overprovisioned [CPUOverprovisioned MemoryOverprovisioned]", s.Finding, s.FindingReasonCodes)
	}
	if !o.Verified.Passed || deref(o.Verified.UnservedDemandFraction) != 0 {
		t.Errorf("verified = %+v, want passed with nothing unserved", o.Verified)
	}
	// Costs: 4 tasks all month at Fargate rates.
	wantCur, wantOpt := fargateMonthly(4, 4096, 8192), fargateMonthly(4, 512, 2048)
	if !near(s.Current.MonthlyUSD, wantCur, 0.01) || !near(o.MonthlyUSD, wantOpt, 0.01) {
		t.Errorf("monthly %v → %v, want %v → %v", s.Current.MonthlyUSD, o.MonthlyUSD, wantCur, wantOpt)
	}
	if !near(o.SavingsMonthlyUSD, wantCur-wantOpt, 0.02) || o.SavingsMonthlyUSD <= 0 {
		t.Errorf("savings %v, want %v", o.SavingsMonthlyUSD, wantCur-wantOpt)
	}
	// Projected: the same 256 units on 512 → 50 %; 1000 MiB of 2048 →
	// 48.83 %. Upper 50 % < 60 % → VeryLow risk.
	if !near(o.ProjectedCPUUtilization.Upper, 50, 1e-6) || !near(o.ProjectedMemoryUtilization.Upper, 100*1000.0/2048, 1e-6) {
		t.Errorf("projected %+v %+v, want cpu 50, memory 48.83", o.ProjectedCPUUtilization, o.ProjectedMemoryUtilization)
	}
	if o.Verified.CPUUtilizationP95 == nil || !near(*o.Verified.CPUUtilizationP95, 50, 1e-6) {
		t.Errorf("verified cpu p95 = %v, want 50 (the projection, simulated)", o.Verified.CPUUtilizationP95)
	}
	if s.PerformanceRisk != RiskVeryLow {
		t.Errorf("risk %s, want VeryLow", s.PerformanceRisk)
	}
}

// (2) Two 0.25 vCPU tasks under 1 vCPU of demand serve 0.5 vCPU: half the
// demand goes unserved (> 0.001). Utilization is capped at 100 %, so the
// need comes from demand per task: 512 units × 1.15 = 588.8 → 1024 CPU
// units, whose smallest memory is 2048 MiB. With 2 × 1 vCPU the demand is
// served.
func TestRecommendUnderprovisioned(t *testing.T) {
	s := recommendOne(t, oneService(256, 512, 2, 1.0, 200, ""))
	if s.Finding != Underprovisioned || !slices.Equal(s.FindingReasonCodes, []string{CPUUnderprovisioned}) {
		t.Errorf("finding %s %v, want Underprovisioned [CPUUnderprovisioned]", s.Finding, s.FindingReasonCodes)
	}
	if !near(s.Need.CPU, 588.8, 1e-3) {
		t.Errorf("need cpu %v, want 588.8", s.Need.CPU)
	}
	o := s.Options[0]
	if o.CPU != 1024 || o.Memory != 2048 || !o.Verified.Passed {
		t.Fatalf("options[0] = %+v, want 1024/2048 passing", o)
	}
	if o.SavingsMonthlyUSD >= 0 {
		t.Errorf("savings %v, want negative (a larger size costs more)", o.SavingsMonthlyUSD)
	}
}

// (3) Two 0.5 vCPU / 1 GiB tasks serving 0.6 vCPU: 307.2 units each, 60 %;
// need 512 × 0.6 × 1.15 = 353.3 → 512. Memory 800 MiB → 920 → 1024. The
// current size: Optimized, no reason code, nothing saved. Upper
// utilization max(60, 78.1) → Low risk.
func TestRecommendOptimized(t *testing.T) {
	s := recommendOne(t, oneService(512, 1024, 2, 0.6, 800, ""))
	o := s.Options[0]
	if s.Finding != Optimized || len(s.FindingReasonCodes) != 0 || o.CPU != 512 || o.Memory != 1024 {
		t.Fatalf("finding %s %v options[0] %d/%d, want Optimized [] 512/1024", s.Finding, s.FindingReasonCodes, o.CPU, o.Memory)
	}
	if !o.Verified.Passed || o.SavingsMonthlyUSD != 0 || len(s.Options) != 1 {
		t.Errorf("option %+v (of %d), want passing, no savings, alone", o, len(s.Options))
	}
	if s.PerformanceRisk != RiskLow {
		t.Errorf("risk %s, want Low", s.PerformanceRisk)
	}
}

// (4) Two 2 vCPU tasks under 0.2 vCPU with a ×9 spike of 2 minutes (1.8
// vCPU): 2 of 90 datapoints, so p95 is the quiet 5 % → need 2048 × 0.05 ×
// 1.15 = 117.8 → 256/512 (memory 300 → 345 MiB). Verification: 2 × 256
// units serve 0.5 vCPU of the spike's 1.8, fail; the next CPU size 512
// serves 1.0, fail; 1024 serves 2.0 ≥ 1.8, pass. Unserved of 256:
// 2 min × 1.3 vCPU / (88 × 0.2 + 2 × 1.8) vCPU·min = 2.6 / 21.2.
func TestRecommendVerificationRejectsSpikyFit(t *testing.T) {
	spike := `  spikes = [ { at = "60m", duration = "2m", factor = 9 } ]` + "\n"
	s := recommendOne(t, oneService(2048, 4096, 2, 0.2, 300, spike))
	var got []string
	for _, o := range s.Options {
		got = append(got, fmt.Sprintf("%d/%d:%v", o.CPU, o.Memory, o.Verified.Passed))
	}
	want := []string{"1024/2048:true", "256/512:false", "512/1024:false"}
	if !slices.Equal(got, want) {
		t.Fatalf("options %v, want %v", got, want)
	}
	if u := deref(s.Options[1].Verified.UnservedDemandFraction); !near(u, 2.6/21.2, 1e-6) {
		t.Errorf("unserved of 256/512 = %v, want 2.6/21.2 = %v", u, 2.6/21.2)
	}
	if s.Finding != Overprovisioned {
		t.Errorf("finding %s, want Overprovisioned (1024/2048 < 2048/4096)", s.Finding)
	}
}

// An assertion the option breaks fails verification even when the limits
// hold: "services.app.cpu_utilization.p95 < 40" fails at 512 (50 %) and at
// 1024/2048 (25 %) holds.
func TestRecommendAssertionsGateVerification(t *testing.T) {
	text := oneService(4096, 8192, 4, 1.0, 1000, "") + `
[[assertions]]
check = "services.app.cpu_utilization.p95 < 40"
`
	s := recommendOne(t, text)
	o := s.Options[0]
	if o.CPU != 1024 || o.Memory != 2048 || !o.Verified.Passed {
		t.Fatalf("options[0] = %d/%d passed %v, want 1024/2048 passing", o.CPU, o.Memory, o.Verified.Passed)
	}
	if f := s.Options[1].Verified.FailedAssertions; len(f) != 1 || !strings.Contains(f[0], "< 40") {
		t.Errorf("512 option's failed assertions %v, want the p95 check", f)
	}
}

// The [recommend] table changes the policy: cpu_percentile 50 reads p50,
// margin 0 adds nothing.
func TestPolicyOf(t *testing.T) {
	sc := parse(t, oneService(512, 1024, 1, 0.1, 100, "")+`
[recommend]
cpu_percentile = 50
margin = 0
max_placement_wait_p95 = "2m"
`)
	p := PolicyOf(sc)
	want := Policy{CPUPercentile: 50, MemoryPercentile: 100, Margin: 0, MaxUnservedDemandFraction: 0.001, MaxPlacementWaitP95: 120e9}
	if p != want {
		t.Errorf("PolicyOf = %+v, want %+v", p, want)
	}
	d := &sim.Dist{P50: 1, P95: 2, P99: 3, Max: 4}
	for _, tt := range []struct {
		pct  float64
		want float64
	}{{50, 1}, {90, 2}, {95, 2}, {97, 3}, {99, 3}, {99.5, 4}, {100, 4}} {
		if got, _ := statAtOrAbove(d, tt.pct); got != tt.want {
			t.Errorf("statAtOrAbove(%v) = %v, want %v", tt.pct, got, tt.want)
		}
	}
}

// Fargate sizes: AWS "Supported task CPU and memory values".
func TestFitSize(t *testing.T) {
	tests := []struct {
		fargate          bool
		needCPU, needMem float64
		cpu, mem         int
	}{
		{true, 100, 100, 256, 512},
		{true, 256, 2048, 256, 2048},
		{true, 256, 2049, 512, 3072},  // 256 stops at 2 GiB
		{true, 300, 6000, 1024, 6144}, // 512 stops at 4 GiB
		{true, 8193, 1, 16384, 32768},
		{false, 100, 100, 128, 128}, // EC2: multiples of 128
		{false, 129, 1000, 256, 1024},
	}
	for _, tt := range tests {
		c, m, ok := fitSize(tt.fargate, tt.needCPU, tt.needMem)
		if !ok || c != tt.cpu || m != tt.mem {
			t.Errorf("fitSize(%v, %v, %v) = %d, %d, %v; want %d, %d", tt.fargate, tt.needCPU, tt.needMem, c, m, ok, tt.cpu, tt.mem)
		}
	}
	if _, _, ok := fitSize(true, 20000, 1); ok {
		t.Error("fitSize above 16 vCPU succeeded")
	}
	if c, m, _ := stepUp(true, 512, 4096, true); c != 1024 || m != 5120 {
		t.Errorf("stepUp memory at 512/4096 = %d/%d, want 1024/5120", c, m)
	}
	if c, m, _ := stepUp(true, 256, 512, false); c != 512 || m != 1024 {
		t.Errorf("stepUp cpu at 256/512 = %d/%d, want 512/1024", c, m)
	}
}
