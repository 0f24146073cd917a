package stats

import (
	"math"
	"slices"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Erlang B = (A^c/c!) / Σ_{k=0..c} A^k/k!, worked by hand.
func TestErlangB(t *testing.T) {
	tests := []struct {
		c    int
		a    float64
		want float64
		tol  float64
		why  string
	}{
		{0, 3, 1, 0, "no servers: every arrival is blocked"},
		{1, 1, 0.5, 1e-15, "A/(1+A) = 1/2"},
		{1, 3, 0.75, 1e-15, "A/(1+A) = 3/4"},
		{2, 1, 0.2, 1e-15, "(A²/2)/(1+A+A²/2) = 0.5/2.5"},
		{3, 0, 0, 0, "no load, no blocking"},
		// (5^10/10!) / Σ_{k<=10} 5^k/k! = 0.01838457 (awk, both by the
		// recurrence and by the direct sum); Erlang B tables give 1.84 %
		// for 10 circuits at 5 Erlangs.
		{10, 5, 0.01838457, 5e-9, "table value"},
	}
	for _, tt := range tests {
		if got := ErlangB(tt.c, tt.a); !near(got, tt.want, tt.tol) {
			t.Errorf("ErlangB(%d, %v) = %v, want %v (%s)", tt.c, tt.a, got, tt.want, tt.why)
		}
	}
}

// Erlang C = P_wait = (A^c/c!)(c/(c−A)) / (Σ_{k<c} A^k/k! + (A^c/c!)(c/(c−A))).
func TestErlangC(t *testing.T) {
	tests := []struct {
		c    int
		a    float64
		want float64
		tol  float64
		why  string
	}{
		// c = 1: (A·1/(1−A)) / (1 + A/(1−A)) = A, the utilisation ρ.
		{1, 0.3, 0.3, 1e-15, "M/M/1: C = ρ"},
		{1, 0.5, 0.5, 1e-15, "M/M/1: C = ρ"},
		{1, 0.9, 0.9, 1e-15, "M/M/1: C = ρ"},
		// c = 2, A = 1: (1/2)(2/1) = 1 over (1 + 1) + 1 = 3: C = 1/3.
		{2, 1, 1.0 / 3, 1e-15, "(0.5·2)/(1+1+1)"},
		// c = 10, A = 5: direct formula in awk gives 0.0361053592; Erlang C
		// tables give 3.6 %.
		{10, 5, 0.0361053592, 5e-11, "table value"},
		{2, 2, 1, 0, "A = c: unstable, every arrival waits"},
		{2, 0, 0, 0, "no load, no waiting"},
	}
	for _, tt := range tests {
		if got := ErlangC(tt.c, tt.a); !near(got, tt.want, tt.tol) {
			t.Errorf("ErlangC(%d, %v) = %v, want %v (%s)", tt.c, tt.a, got, tt.want, tt.why)
		}
	}
}

func TestMMcMeanWait(t *testing.T) {
	tests := []struct {
		c          int
		lambda, mu float64
		want       float64
		why        string
	}{
		{1, 0.8, 1, 4, "M/M/1: Wq = ρ/(μ−λ) = 0.8/0.2"},
		{1, 1, 2, 0.5, "M/M/1: Wq = 0.5/(2−1)"},
		{2, 1, 1, 1.0 / 3, "C(2,1)/(2·1−1) = (1/3)/1"},
		{2, 2, 1, math.Inf(1), "λ = c·μ: unstable"},
	}
	for _, tt := range tests {
		if got := MMcMeanWait(tt.c, tt.lambda, tt.mu); !near(got, tt.want, 1e-14) && got != tt.want {
			t.Errorf("MMcMeanWait(%d, %v, %v) = %v, want %v (%s)", tt.c, tt.lambda, tt.mu, got, tt.want, tt.why)
		}
	}
}

// Half width = t(0.975, n−1)·s/√n; t values from a Student-t table.
func TestMeanCI95(t *testing.T) {
	tests := []struct {
		x        []float64
		mean, hw float64
		why      string
	}{
		// s² = (4+1+0+1+4)/4 = 2.5, s/√n = √0.5; t(0.975, 4) = 2.7764451.
		{[]float64{1, 2, 3, 4, 5}, 3, 2.7764451 * math.Sqrt(0.5), "n = 5"},
		// s = √2, s/√n = 1; t(0.975, 1) = 12.7062047.
		{[]float64{0, 2}, 1, 12.7062047, "n = 2"},
		{[]float64{7, 7, 7}, 7, 0, "no spread, no width"},
	}
	for _, tt := range tests {
		m, hw := MeanCI95(tt.x)
		if m != tt.mean || !near(hw, tt.hw, 1e-6) {
			t.Errorf("MeanCI95(%v) = %v ± %v, want %v ± %v (%s)", tt.x, m, hw, tt.mean, tt.hw, tt.why)
		}
	}
	if m, hw := MeanCI95(nil); !math.IsNaN(m) || !math.IsNaN(hw) {
		t.Errorf("MeanCI95(nil) = %v, %v; want NaN, NaN", m, hw)
	}
	if m, hw := MeanCI95([]float64{4}); m != 4 || !math.IsNaN(hw) {
		t.Errorf("MeanCI95([4]) = %v, %v; want 4, NaN", m, hw)
	}
}

func TestBatchMeans(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		batches int
		want    []float64
		why     string
	}{
		{3, []float64{2, 5, 8}, "batches of 3; the trailing 10 is unused"},
		{2, []float64{3, 8}, "(1..5)/5, (6..10)/5"},
		{1, []float64{5.5}, "one batch: the mean"},
		{10, x, "batches of one"},
		{11, nil, "fewer values than batches"},
	}
	for _, tt := range tests {
		if got := BatchMeans(x, tt.batches); !slices.Equal(got, tt.want) {
			t.Errorf("BatchMeans(x, %d) = %v, want %v (%s)", tt.batches, got, tt.want, tt.why)
		}
	}
}

func TestQueueingPanicsOnProgrammerErrors(t *testing.T) {
	for name, f := range map[string]func(){
		"ErlangB c<0":   func() { ErlangB(-1, 1) },
		"ErlangB A<0":   func() { ErlangB(1, -1) },
		"ErlangC c=0":   func() { ErlangC(0, 1) },
		"MMc mu=0":      func() { MMcMeanWait(1, 1, 0) },
		"BatchMeans b0": func() { BatchMeans([]float64{1}, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}
