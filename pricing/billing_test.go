package pricing

import (
	"math"
	"testing"
)

// Rule: Fargate and EC2 Linux bill per second with a one-minute minimum
// (AWS Fargate pricing; EC2 User Guide, per-second billing). Model
// assumption: partial seconds round up.
func TestBilledSeconds(t *testing.T) {
	cases := []struct {
		ms   int64
		want int64
	}{
		{-5, 0},
		{0, 0},
		{1, 60},           // any run bills the minute
		{30_000, 60},      // 30 s → 60 s
		{59_999, 60},      // 60 s after rounding up
		{60_000, 60},      // exactly the minimum
		{60_001, 61},      // 60.001 s rounds up to 61
		{61_000, 61},      // whole seconds stay
		{600_000, 600},    // 10 min
		{3_600_000, 3600}, /* 1 h */
	}
	for _, tc := range cases {
		if got := BilledSeconds(tc.ms); got != tc.want {
			t.Errorf("BilledSeconds(%d) = %d, want %d", tc.ms, got, tc.want)
		}
	}
}

// Fargate task cost = billed s/3600 × (vCPU × VCPUHour + GiB × GBHour +
// GiB above 20 × StorageGBHour). Rates: us-east-1 Linux x86 0.04048 /
// 0.004445 / 0.000111 (AWS Fargate pricing, 2026-01).
func TestFargateTaskCost(t *testing.T) {
	r, _ := Builtin().FargateRate("us-east-1", "x86_64", false)
	cases := []struct {
		name              string
		cpu, mem, storage int
		ms                int64
		want              float64
	}{
		// 512 CPU = 0.5 vCPU, 1024 MiB = 1 GiB, 10 min = 600 s:
		// hourly = 0.5 × 0.04048 + 1 × 0.004445 = 0.02024 + 0.004445 = 0.024685;
		// cost = 600/3600 × 0.024685 = 0.024685/6 = 0.00411416666…
		{"512/1024 for 10 min", 512, 1024, 20, 600_000, 0.024685 / 6},
		// 30 s bills the 60 s minimum: 60/3600 × 0.024685 = 0.024685/60 = 0.000411416…
		{"512/1024 for 30 s", 512, 1024, 20, 30_000, 0.024685 / 60},
		// 1 vCPU / 2 GiB / 30 GiB storage for 1 h: 10 GiB above 20 billed:
		// 0.04048 + 2 × 0.004445 + 10 × 0.000111 = 0.04048 + 0.00889 + 0.00111 = 0.05048.
		{"1024/2048 30 GiB for 1 h", 1024, 2048, 30, 3_600_000, 0.05048},
		// 20 GiB or less of storage is free: same task with 20 GiB = 0.04048 + 0.00889 = 0.04937.
		{"1024/2048 20 GiB for 1 h", 1024, 2048, 20, 3_600_000, 0.04937},
		{"1024/2048 0 GiB for 1 h", 1024, 2048, 0, 3_600_000, 0.04937},
		// 4 vCPU / 8 GiB for 2 h: 2 × (4 × 0.04048 + 8 × 0.004445) = 2 × (0.16192 + 0.03556) = 0.39496.
		{"4096/8192 for 2 h", 4096, 8192, 20, 7_200_000, 0.39496},
		{"never ran", 512, 1024, 20, 0, 0},
	}
	for _, tc := range cases {
		got := FargateTaskCost(r, tc.cpu, tc.mem, tc.storage, tc.ms)
		if !near(got, tc.want) {
			t.Errorf("%s: cost = %.12g, want %.12g", tc.name, got, tc.want)
		}
	}
	mustPanic(t, "negative cpu", func() { FargateTaskCost(r, -1, 1024, 20, 1000) })
}

// ARM vs x86 for the same task (AWS Fargate pricing: Graviton 20 % lower).
func TestFargateTaskCostARM(t *testing.T) {
	c := Builtin()
	x, _ := c.FargateRate("us-east-1", "X86_64", false)
	a, _ := c.FargateRate("us-east-1", "ARM64", false)
	// 1 vCPU / 2 GiB for 1 h: x86 0.04048 + 0.00889 = 0.04937;
	// ARM 0.03238 + 2 × 0.00356 = 0.03238 + 0.00712 = 0.0395.
	if got := FargateTaskCost(x, 1024, 2048, 20, 3_600_000); !near(got, 0.04937) {
		t.Errorf("x86 = %g", got)
	}
	if got := FargateTaskCost(a, 1024, 2048, 20, 3_600_000); !near(got, 0.0395) {
		t.Errorf("ARM = %g", got)
	}
	// Fargate Spot x86, default 0.69: 0.0125488 + 2 × 0.00137795 = 0.0153047.
	s, _ := c.FargateRate("us-east-1", "X86_64", true)
	if got := FargateTaskCost(s, 1024, 2048, 20, 3_600_000); !near(got, 0.0153047) {
		t.Errorf("Spot = %g", got)
	}
}

// EC2 cost = $/h × billed s/3600; m6i.xlarge us-east-1 0.192 $/h.
func TestEC2Cost(t *testing.T) {
	rate, _ := Builtin().OnDemandRate("us-east-1", "m6i.xlarge")
	cases := []struct {
		name string
		ms   int64
		want float64
	}{
		{"1 h", 3_600_000, 0.192},
		{"20 s bills 60 s", 20_000, 0.192 / 60}, // = 0.0032
		{"90.5 s bills 91 s", 90_500, 0.192 * 91 / 3600},
		{"7 d", 7 * 24 * 3_600_000, 0.192 * 168}, // = 32.256
		{"never ran", 0, 0},
	}
	for _, tc := range cases {
		if got := EC2Cost(rate, tc.ms); !near(got, tc.want) {
			t.Errorf("%s: %.12g, want %.12g", tc.name, got, tc.want)
		}
	}
	if !near(0.192/60, 0.0032) {
		t.Error("hand value")
	}
}

// monthly_usd = cost in [warmup, end) × 730 h / (duration − warmup)
// (SCENARIO.md "Billing and cost").
func TestMonthlyProjection(t *testing.T) {
	cases := []struct{ usd, hours, want float64 }{
		{10, 24, 10 * 730.0 / 24},  // = 304.1666…
		{0.192 * 167, 167, 140.16}, // a 7 d run with 1 h warmup of one m6i.xlarge: 0.192 × 730
		{5, 730, 5},                // a full month projects to itself
		{0, 1, 0},
	}
	for _, tc := range cases {
		if got := MonthlyProjection(tc.usd, tc.hours); !near(got, tc.want) {
			t.Errorf("MonthlyProjection(%g, %g) = %g, want %g", tc.usd, tc.hours, got, tc.want)
		}
	}
	mustPanic(t, "zero window", func() { MonthlyProjection(1, 0) })
	mustPanic(t, "NaN window", func() { MonthlyProjection(1, math.NaN()) })
}

func BenchmarkFargateTaskCost(b *testing.B) {
	r, _ := Builtin().FargateRate("us-east-1", "x86_64", false)
	var sink float64
	for i := 0; i < b.N; i++ {
		sink += FargateTaskCost(r, 512, 1024, 30, int64(i)*1000)
	}
	_ = sink
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "costs/s")
}

func BenchmarkCatalogLookups(b *testing.B) {
	c := Builtin()
	var sink float64
	for i := 0; i < b.N; i++ {
		od, _ := c.OnDemandRate("us-east-1", "m6i.xlarge")
		sp, _ := c.SpotRate("us-east-1", "m6i.xlarge")
		sink += od + sp
	}
	_ = sink
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}
