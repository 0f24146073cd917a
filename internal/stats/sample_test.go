package stats

import (
	"math"
	"testing"
)

// Nearest rank: the q-quantile of n values is the value at 1-based rank
// ceil(q·n) (SCENARIO.md "Datapoints and statistics").
func TestNearestRank(t *testing.T) {
	tests := []struct {
		q    float64
		n    int
		want int
		why  string
	}{
		{0.5, 5, 3, "ceil(2.5) = 3"},
		{0.95, 5, 5, "ceil(4.75) = 5"},
		{0.4, 5, 2, "0.4·5 = 2 exactly, rank 2"},
		{1, 5, 5, "q = 1 is the maximum"},
		{0.01, 5, 1, "ceil(0.05) = 1"},
		{1e-300, 7, 1, "tiny q clamps to rank 1"},
		{0.5, 1, 1, "one value"},
		{0.95, 20, 19, "0.95·20 = 19"},
		{0.07, 100, 7, "0.07·100 is 7.000000000000001 in float64, but 7 is meant"},
		{0.99, 1000, 990, "0.99·1000 = 990"},
		{0.29, 100, 29, "0.29·100 is 28.999999999999996 in float64, ceil 29"},
		{0.5, 1_000_001, 500_001, "ceil(500000.5)"},
	}
	for _, tt := range tests {
		if got := NearestRank(tt.q, tt.n); got != tt.want {
			t.Errorf("NearestRank(%v, %d) = %d, want %d (%s)", tt.q, tt.n, got, tt.want, tt.why)
		}
	}
}

func sampleOf(limit int, xs ...float64) *Sample {
	s := NewSample(limit)
	for _, x := range xs {
		s.Add(x)
	}
	return s
}

// Worked by hand; the input order is shuffled to show sorting happens.
func TestQuantileSmallByHand(t *testing.T) {
	s := sampleOf(0, 40, 15, 50, 35, 20) // sorted: 15 20 35 40 50
	tests := []struct {
		q    float64
		want float64
		why  string
	}{
		{0.05, 15, "rank ceil(0.25) = 1"},
		{0.2, 15, "rank ceil(1.0) = 1"},
		{0.3, 20, "rank ceil(1.5) = 2"},
		{0.4, 20, "rank ceil(2.0) = 2"},
		{0.5, 35, "rank ceil(2.5) = 3"},
		{0.95, 50, "rank ceil(4.75) = 5"},
		{1, 50, "q = 1 is the maximum"},
	}
	for _, tt := range tests {
		if got := s.Quantile(tt.q); got != tt.want {
			t.Errorf("Quantile(%v) = %v, want %v (%s)", tt.q, got, tt.want, tt.why)
		}
	}
	// Mean (15+20+35+40+50)/5 = 160/5 = 32.
	want := Summary{N: 5, Mean: 32, P50: 35, P95: 50, P99: 50, Max: 50, Min: 15}
	if got := s.Summary(); got != want {
		t.Errorf("Summary() = %+v, want %+v", got, want)
	}
}

func TestSampleAddAfterQuantileResorts(t *testing.T) {
	s := sampleOf(0, 3, 1, 2)
	if got := s.Quantile(0.5); got != 2 { // sorted 1 2 3, rank 2
		t.Fatalf("p50 = %v, want 2", got)
	}
	s.Add(0)
	s.Add(-1) // sorted -1 0 1 2 3: p50 rank 3 → 1, p40 rank 2 → 0
	if got := s.Quantile(0.5); got != 1 {
		t.Errorf("p50 = %v, want 1", got)
	}
	if got := s.Quantile(0.4); got != 0 {
		t.Errorf("p40 = %v, want 0", got)
	}
}

func TestSampleNaNIgnored(t *testing.T) {
	s := sampleOf(0, math.NaN(), 4, math.NaN(), 2)
	if s.N() != 2 || s.Mean() != 3 || s.Min() != 2 || s.Max() != 4 || s.Quantile(0.5) != 2 {
		t.Errorf("got N=%d mean=%v min=%v max=%v p50=%v; want 2, 3, 2, 4, 2",
			s.N(), s.Mean(), s.Min(), s.Max(), s.Quantile(0.5))
	}
}

func TestSampleEmpty(t *testing.T) {
	for _, s := range []*Sample{NewSample(0), sampleOf(0, math.NaN())} {
		sum := s.Summary()
		if sum.N != 0 {
			t.Errorf("N = %d, want 0", sum.N)
		}
		for name, v := range map[string]float64{
			"Mean": sum.Mean, "P50": sum.P50, "P95": sum.P95, "P99": sum.P99,
			"Max": sum.Max, "Min": sum.Min, "Quantile": s.Quantile(0.5),
		} {
			if !math.IsNaN(v) {
				t.Errorf("%s = %v, want NaN", name, v)
			}
		}
	}
}

func TestSampleNegativeZeroIsZero(t *testing.T) {
	s := sampleOf(0, math.Copysign(0, -1), 0)
	for _, v := range []float64{s.Min(), s.Max(), s.Quantile(0.5)} {
		if v != 0 || math.Signbit(v) {
			t.Errorf("got %v (signbit %v), want +0", v, math.Signbit(v))
		}
	}
}

// The mean is compensated: 1e16 followed by ten 1s sums to 1e16+10 exactly,
// which naive left-to-right float64 summation loses (1e16+1 rounds to 1e16).
func TestSampleMeanCompensated(t *testing.T) {
	s := NewSample(0)
	s.Add(1e16)
	for range 10 {
		s.Add(1)
	}
	s.Add(-1e16)
	if got, want := s.Mean(), 10.0/12; got != want {
		t.Errorf("Mean = %v, want 10/12 = %v", got, want)
	}
}

func TestQuantilePanicsOutsideRange(t *testing.T) {
	for _, q := range []float64{0, -0.5, 1.5, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Quantile(%v) did not panic", q)
				}
			}()
			sampleOf(0, 1).Quantile(q)
		}()
	}
}

// The switch to the sketch happens on the value after the limit.
func TestSampleExactLimit(t *testing.T) {
	s := NewSample(5)
	for i := range 5 {
		s.Add(float64(i))
	}
	if !s.Exact() {
		t.Fatal("exact after 5 values with limit 5: Exact() = false")
	}
	s.Add(5)
	if s.Exact() {
		t.Fatal("6 values with limit 5: Exact() = true")
	}
	// With n < 100 the compress threshold floor(n/100) is 0, so the sketch
	// drops nothing and still answers exactly: 0..5, p50 rank 3 → 2.
	if got := s.Quantile(0.5); got != 2 {
		t.Errorf("p50 = %v, want 2", got)
	}
	if s.Mean() != 2.5 || s.Min() != 0 || s.Max() != 5 || s.N() != 6 {
		t.Errorf("N=%d mean=%v min=%v max=%v, want 6, 2.5, 0, 5", s.N(), s.Mean(), s.Min(), s.Max())
	}
}

func TestNewSampleDefaultLimit(t *testing.T) {
	if got := NewSample(-3).limit; got != DefaultExactLimit {
		t.Errorf("limit = %d, want %d", got, DefaultExactLimit)
	}
}
