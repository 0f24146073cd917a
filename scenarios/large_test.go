package scenarios

import (
	"bytes"
	"math"
	"testing"

	"github.com/ecssim/ecssim/pricing"
)

func TestGenerateLarge(t *testing.T) {
	p := LargeParams{Instances: 5000, Services: 200, JobTasks: 100000, Days: 30, Seed: 1}
	src := GenerateLarge(p)
	if !bytes.Equal(src, GenerateLarge(p)) {
		t.Fatal("GenerateLarge is not deterministic")
	}
	if !bytes.Equal(src, GenerateLarge(LargeParams{})) {
		t.Error("zero LargeParams differ from the documented defaults")
	}
	s, err := Parse("large.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Services) != 200 || s.Duration.D().Hours() != 30*24 || s.MetricsPeriod.D().Minutes() != 1 || s.Warmup.D().Hours() != 1 {
		t.Errorf("services %d, duration %v, period %v, warmup %v", len(s.Services), s.Duration, s.MetricsPeriod, s.Warmup)
	}
	instances := 0
	cpuCap := map[string]float64{}
	memCap := map[string]float64{}
	cat := pricing.Builtin()
	for _, cp := range s.CapacityProviders {
		if cp.MinSize != cp.DesiredCapacity || cp.MaxSize != cp.DesiredCapacity || cp.ManagedScaling != nil || len(cp.StepScaling) > 0 {
			t.Errorf("%s is not fixed-size", cp.Name)
		}
		instances += cp.DesiredCapacity
		it, _ := cat.InstanceType(cp.InstanceTypes[0])
		cpuCap[cp.Name] = float64(cp.DesiredCapacity * it.RegisteredCPU())
		memCap[cp.Name] = float64(cp.DesiredCapacity * it.RegisteredMemory(cp.ReservedMemory))
	}
	if instances != 5000 {
		t.Errorf("instances %d, want 5000", instances)
	}
	// The services' desired tasks reserve well under the capacity: at
	// most 40 % of each group's CPU (by construction) and under 45 % of
	// its memory (task memory ≤ the group's GiB per vCPU).
	cpuRes, memRes := map[string]float64{}, map[string]float64{}
	for _, sv := range s.Services {
		// Every service tracks CPU at 60 % within [desired/4, 2 × desired]
		// (issue 3: the large run with target tracking on its services).
		a := sv.Autoscaling
		switch {
		case a == nil || len(a.TargetTracking) != 1:
			t.Errorf("%s: want one target tracking policy", sv.Name)
		case a.TargetTracking[0].Metric != "ECSServiceAverageCPUUtilization" || a.TargetTracking[0].Target != 60:
			t.Errorf("%s: target tracking %+v", sv.Name, a.TargetTracking[0])
		case a.MinCapacity != max(sv.DesiredCount/4, 1) || a.MaxCapacity != min(2*sv.DesiredCount, 5000):
			t.Errorf("%s: range %d-%d for desired %d", sv.Name, a.MinCapacity, a.MaxCapacity, sv.DesiredCount)
		}
		g := sv.Strategy[0].CapacityProvider
		cpuRes[g] += float64(sv.DesiredCount * sv.TaskDef.CPU)
		memRes[g] += float64(sv.DesiredCount * sv.TaskDef.Memory)
	}
	for g := range cpuCap {
		if c, m := cpuRes[g]/cpuCap[g], memRes[g]/memCap[g]; c > 0.40 || c < 0.35 || m > 0.45 {
			t.Errorf("%s: services reserve %.1f%% of CPU and %.1f%% of memory", g, 100*c, 100*m)
		}
	}
	// Poisson jobs: E[tasks] = Σ rate/h × hours.
	expected := 0.0
	for _, j := range s.Jobs {
		expected += j.Arrivals.RatePerHour * float64(j.Count) * 30 * 24
	}
	if math.Abs(expected-100000) > 10 {
		t.Errorf("expected job tasks %.0f, want 100000", expected)
	}
}

func BenchmarkParseLarge(b *testing.B) {
	src := GenerateLarge(LargeParams{})
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("large.toml", src); err != nil {
			b.Fatal(err)
		}
	}
}
