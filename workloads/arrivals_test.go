package workloads

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestPoisson(t *testing.T) {
	// Source: SCENARIO.md "[[jobs]]" (arrivals = { process = "poisson",
	// rate_per_hour }). A Poisson process with rate λ = 40/h: counts per
	// hour are Poisson(40), mean = variance = 40, and gaps are exponential
	// with mean 90 s. Over n = 10,000 one-hour windows:
	//   - mean count: standard error √(40/n) = 0.063; tolerance 0.25 (4 SE);
	//   - count variance: Var(s²) ≈ (μ4 − σ⁴)/n with μ4 = λ + 3λ² = 4840, so
	//     SE = √(3240/n) = 0.57; tolerance 2.3 (4 SE);
	//   - mean gap: relative SE 1/√400000 = 0.16 %; tolerance 1 %;
	//   - P(gap > 90 s) = e^-1: SE √(0.2325/400000) = 0.0008; tolerance 0.004.
	const (
		rate  = 40.0
		hours = 10000
	)
	p := Poisson(rate)
	r := rand.New(rand.NewPCG(42, 0))
	counts := make([]float64, hours)
	var gaps, above, n float64
	last := time.Duration(0)
	for {
		next := p.Next(last, r)
		if next <= last {
			t.Fatalf("Next(%v) = %v, not strictly after", last, next)
		}
		if next >= hours*time.Hour {
			break
		}
		counts[next/time.Hour]++
		g := (next - last).Seconds()
		gaps += g
		if g > 90 {
			above++
		}
		n++
		last = next
	}
	var mean, v float64
	for _, c := range counts {
		mean += c
	}
	mean /= hours
	for _, c := range counts {
		v += (c - mean) * (c - mean)
	}
	v /= hours - 1
	if !near(mean, rate, 0.25) {
		t.Errorf("mean count per hour %v, want 40 ± 0.25", mean)
	}
	if !near(v, rate, 2.3) {
		t.Errorf("count variance %v, want 40 ± 2.3", v)
	}
	if g := gaps / n; !relNear(g, 90, 0.01) {
		t.Errorf("mean gap %v s, want 90 s ± 1%%", g)
	}
	if q := above / n; !near(q, math.Exp(-1), 0.004) {
		t.Errorf("P(gap > mean) = %v, want e^-1", q)
	}
}

func TestPoissonEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	if got := Poisson(0).Next(0, r); got != Never {
		t.Errorf("rate 0: Next = %v, want Never", got)
	}
	// Model assumption (arrivals.go): gaps are whole milliseconds, at least
	// 1 ms, so even an absurd rate advances time.
	fast := Poisson(1e12)
	for range 100 {
		if got := fast.Next(5*time.Second, r); got != 5*time.Second+time.Millisecond {
			t.Fatalf("rate 1e12/h: Next(5s) = %v, want 5.001s", got)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("negative rate did not panic")
		}
	}()
	Poisson(-1)
}

func BenchmarkPoissonNext(b *testing.B) {
	p := Poisson(40)
	r := rand.New(rand.NewPCG(1, 1))
	var t time.Duration
	for b.Loop() {
		t = p.Next(t, r)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "arrivals/s")
}
