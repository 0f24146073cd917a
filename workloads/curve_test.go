package workloads

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestDiurnal(t *testing.T) {
	// Source: SCENARIO.md "Exact meanings" (Demand): min + (max − min) ×
	// (1 + cos(2π(t − peak)/24 h)) / 2, times weekend_factor on Saturdays and
	// Sundays (UTC). With min 200, max 1500: max at the peak, min twelve
	// hours away, the midpoint (200+1500)/2 = 850 six hours either side.
	peak, err := ParseTimeOfDay("14:00")
	if err != nil {
		t.Fatal(err)
	}
	c := Diurnal(200, 1500, peak, 0.6, monday)
	tests := []struct {
		rule string
		at   time.Duration
		want float64
	}{
		{"Monday at the peak 14:00", 14 * time.Hour, 1500},
		{"peak + 12h = Tuesday 02:00: min", 26 * time.Hour, 200},
		{"peak + 6h: midpoint", 20 * time.Hour, 850},
		{"peak − 6h: midpoint", 8 * time.Hour, 850},
		{"Monday 00:00 = peak − 14h = peak + 10h: 200 + 1300(1+cos(10π/12))/2", 0, 200 + 1300*(1+math.Cos(2*math.Pi*10/24))/2},
		{"Saturday Jan 10 at the peak: 1500 × 0.6", 5*day + 14*time.Hour, 900},
		{"Sunday Jan 11 02:00: 200 × 0.6", 6*day + 2*time.Hour, 120},
		{"Friday Jan 9 23:00 is not weekend: peak + 9h", 4*day + 23*time.Hour, 200 + 1300*(1+math.Cos(2*math.Pi*9/24))/2},
		{"Monday Jan 12 at the peak: weekend over", 7*day + 14*time.Hour, 1500},
	}
	for _, tc := range tests {
		if got := c.At(tc.at); !near(got, tc.want, 1e-9) {
			t.Errorf("%s: At(%v) = %v, want %v", tc.rule, tc.at, got, tc.want)
		}
	}
}

func TestDiurnalStartNotMidnight(t *testing.T) {
	// The time of day is that of start+t, not of t: starting at 13:00,
	// offset 1h is the 14:00 peak.
	c := Diurnal(0, 10, 14*time.Hour, 1, monday.Add(13*time.Hour))
	if got := c.At(time.Hour); !near(got, 10, 1e-9) {
		t.Fatalf("At(1h) = %v, want 10", got)
	}
}

func TestParseTimeOfDay(t *testing.T) {
	ok := []struct {
		in   string
		want time.Duration
	}{{"14:00", 14 * time.Hour}, {"00:00", 0}, {"9:30", 9*time.Hour + 30*time.Minute}, {"23:59", 23*time.Hour + 59*time.Minute}}
	for _, c := range ok {
		if got, err := ParseTimeOfDay(c.in); err != nil || got != c.want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"24:00", "12:60", "1400", "ab:cd", "1:5", "", "-1:00", "12:00:00"} {
		if _, err := ParseTimeOfDay(in); err == nil {
			t.Errorf("ParseTimeOfDay(%q): no error", in)
		}
	}
}

func TestSteps(t *testing.T) {
	// Source: SCENARIO.md "Exact meanings" (Demand): "Steps: the first
	// step's value before it"; each value holds until the next.
	c := Steps([]time.Duration{time.Hour, 2 * time.Hour}, []float64{10, 20})
	tests := []struct {
		at   time.Duration
		want float64
	}{{0, 10}, {-time.Hour, 10}, {time.Hour, 10}, {90 * time.Minute, 10}, {2*time.Hour - time.Millisecond, 10}, {2 * time.Hour, 20}, {100 * time.Hour, 20}}
	for _, tc := range tests {
		if got := c.At(tc.at); got != tc.want {
			t.Errorf("At(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
	for _, bad := range []struct {
		at []time.Duration
		v  []float64
	}{{nil, nil}, {[]time.Duration{0}, []float64{1, 2}}, {[]time.Duration{time.Hour, time.Hour}, []float64{1, 2}}, {[]time.Duration{2 * time.Hour, time.Hour}, []float64{1, 2}}} {
		if _, err := NewSteps(bad.at, bad.v); err == nil {
			t.Errorf("NewSteps(%v, %v): no error", bad.at, bad.v)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Steps with unsorted times did not panic")
		}
	}()
	Steps([]time.Duration{time.Hour, 0}, []float64{1, 2})
}

func TestWithSpikes(t *testing.T) {
	// Source: SCENARIO.md "[services.load]": spikes multiply demand by their
	// factor inside [at, at+duration); overlapping spikes multiply.
	c := WithSpikes(Constant(100), []Spike{
		{At: time.Hour, Duration: 30 * time.Minute, Factor: 3},
		{At: time.Hour + 15*time.Minute, Duration: 30 * time.Minute, Factor: 2},
	})
	tests := []struct {
		at   time.Duration
		want float64
	}{
		{59 * time.Minute, 100},
		{time.Hour, 300},
		{time.Hour + 15*time.Minute, 600},
		{time.Hour + 30*time.Minute, 200}, // the first spike's end is exclusive
		{time.Hour + 45*time.Minute, 100},
	}
	for _, tc := range tests {
		if got := c.At(tc.at); got != tc.want {
			t.Errorf("At(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
	if WithSpikes(Constant(1), nil).At(0) != 1 {
		t.Error("no spikes changed the curve")
	}
}

func TestApplyNoise(t *testing.T) {
	// Source: SCENARIO.md "Demand": × max(0, 1 + noise × N(0,1)). With noise
	// 0.05 the mean factor is 1 (the clamp at 0 is 20 standard deviations
	// away) and its standard deviation 0.05; 100k draws: the mean within
	// 4 × 0.05/√100000 ≈ 0.0006.
	r := rand.New(rand.NewPCG(7, 7))
	if ApplyNoise(5, 0, r) != 5 {
		t.Fatal("zero noise changed the value")
	}
	const n = 100000
	var sum, sq float64
	for range n {
		f := ApplyNoise(1, 0.05, r)
		sum += f
		sq += f * f
	}
	mean := sum / n
	sd := math.Sqrt(sq/n - mean*mean)
	if !near(mean, 1, 0.0006) || !near(sd, 0.05, 0.001) {
		t.Fatalf("noise factor mean %v sd %v, want 1 and 0.05", mean, sd)
	}
	for range 1000 {
		if ApplyNoise(1, 5, r) < 0 {
			t.Fatal("noise made demand negative")
		}
	}
}

func BenchmarkDiurnalAt(b *testing.B) {
	c := WithSpikes(Diurnal(200, 1500, 14*time.Hour, 0.6, monday), []Spike{{At: 2 * day, Duration: time.Hour, Factor: 3}})
	var t time.Duration
	var s float64
	for b.Loop() {
		s += c.At(t)
		t += time.Minute
	}
	_ = s
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "datapoints/s")
}
