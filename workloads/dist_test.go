package workloads

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// draw returns n samples of d sorted increasingly, checking that each is a
// whole, non-negative number of milliseconds.
func draw(t *testing.T, d Dist, n int, seed uint64) []time.Duration {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]time.Duration, n)
	for i := range out {
		s := d.Sample(r)
		if s < 0 || s%time.Millisecond != 0 {
			t.Fatalf("sample %v is negative or not whole milliseconds", s)
		}
		out[i] = s
	}
	slices.Sort(out)
	return out
}

// quantile is the nearest-rank quantile of sorted samples.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func meanOf(s []time.Duration) float64 {
	var sum float64
	for _, v := range s {
		sum += v.Seconds()
	}
	return sum / float64(len(s))
}

func relNear(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

func TestLogNormal(t *testing.T) {
	// Source: SCENARIO.md "Distributions" ({dist = "lognormal", median, p95})
	// and the brief: mu = ln(median), sigma = ln(p95/median)/Φ⁻¹(0.95).
	// For median 35 s, p95 80 s: sigma = ln(2.2857)/1.64485 = 0.50258 and the
	// mean exp(mu + sigma²/2) = 35 × e^0.12630 = 39.71 s (by hand). With 200k
	// samples the sample median's relative standard error is about
	// sigma·√(π/2n) = 0.14 % and the p95's about 0.24 %, so 1 % is > 4 SE.
	d, err := LogNormal(35*time.Second, 80*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if m := d.Mean().Seconds(); !near(m, 39.71, 0.01) {
		t.Errorf("Mean() = %v s, want 39.71 s", m)
	}
	s := draw(t, d, 200000, 1)
	if got := quantile(s, 0.5).Seconds(); !relNear(got, 35, 0.01) {
		t.Errorf("sample median %v s, want 35 s ± 1%%", got)
	}
	if got := quantile(s, 0.95).Seconds(); !relNear(got, 80, 0.01) {
		t.Errorf("sample p95 %v s, want 80 s ± 1%%", got)
	}
	if got := meanOf(s); !relNear(got, 39.71, 0.01) {
		t.Errorf("sample mean %v s, want 39.71 s ± 1%%", got)
	}
	// p95 == median: the constant median.
	c, err := LogNormal(time.Minute, time.Minute)
	if err != nil || draw(t, c, 10, 2)[9] != time.Minute {
		t.Errorf("LogNormal(1m, 1m) is not constant 1m (err %v)", err)
	}
	for _, bad := range [][2]time.Duration{{80 * time.Second, 35 * time.Second}, {0, time.Second}, {-time.Second, time.Second}} {
		if _, err := LogNormal(bad[0], bad[1]); err == nil {
			t.Errorf("LogNormal(%v, %v): no error", bad[0], bad[1])
		}
	}
}

func TestExponential(t *testing.T) {
	// Source: SCENARIO.md "Distributions" ({dist = "exponential", mean}).
	// Mean 6 min; 200k samples: relative standard error of the mean is
	// 1/√200000 = 0.22 %, so 1 % is 4.5 SE. P(X > mean) = e^-1 = 0.3679,
	// standard error √(0.2325/200000) = 0.0011; tolerance 0.005.
	d := Exponential(6 * time.Minute)
	if d.Mean() != 6*time.Minute {
		t.Errorf("Mean() = %v", d.Mean())
	}
	s := draw(t, d, 200000, 3)
	if got := meanOf(s); !relNear(got, 360, 0.01) {
		t.Errorf("sample mean %v s, want 360 s ± 1%%", got)
	}
	above := 0
	for _, v := range s {
		if v > 6*time.Minute {
			above++
		}
	}
	if p := float64(above) / float64(len(s)); !near(p, math.Exp(-1), 0.005) {
		t.Errorf("P(X > mean) = %v, want e^-1 = 0.3679", p)
	}
	if draw(t, Exponential(0), 5, 4)[4] != 0 {
		t.Error("Exponential(0) is not 0")
	}
}

func TestUniform(t *testing.T) {
	// Source: SCENARIO.md "Distributions" ({dist = "uniform", min, max}).
	// On [10 s, 20 s]: mean 15 s, standard deviation 10/√12 = 2.89 s; 200k
	// samples give a standard error of 0.0065 s, so 1 % (0.15 s) is ample.
	// The median is 15 s too.
	d, err := Uniform(10*time.Second, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d.Mean() != 15*time.Second {
		t.Errorf("Mean() = %v", d.Mean())
	}
	s := draw(t, d, 200000, 5)
	if s[0] < 10*time.Second || s[len(s)-1] > 20*time.Second {
		t.Errorf("samples span [%v, %v], outside [10s, 20s]", s[0], s[len(s)-1])
	}
	if got := meanOf(s); !relNear(got, 15, 0.01) {
		t.Errorf("sample mean %v s, want 15 s ± 1%%", got)
	}
	if got := quantile(s, 0.5).Seconds(); !relNear(got, 15, 0.01) {
		t.Errorf("sample median %v s, want 15 s ± 1%%", got)
	}
	for _, bad := range [][2]time.Duration{{20 * time.Second, 10 * time.Second}, {-time.Second, time.Second}} {
		if _, err := Uniform(bad[0], bad[1]); err == nil {
			t.Errorf("Uniform(%v, %v): no error", bad[0], bad[1])
		}
	}
}

func TestConstDist(t *testing.T) {
	// Samples are whole milliseconds: 1.2345 s rounds (half away from zero)
	// to 1.235 s.
	d := ConstDist(1234500 * time.Microsecond)
	if got := d.Sample(nil); got != 1235*time.Millisecond {
		t.Errorf("Sample = %v, want 1.235s", got)
	}
	if d.Mean() != 1235*time.Millisecond {
		t.Errorf("Mean = %v", d.Mean())
	}
}

func TestEmpirical(t *testing.T) {
	// Source: SCENARIO.md "Distributions" ({dist = "empirical", file}): a
	// uniform draw from the list, so 2 s listed twice of four has
	// probability 1/2 (standard error √(0.25/100000) = 0.0016; tolerance
	// 0.01) and the mean is (1+2+2+5)/4 = 2.5 s.
	d, err := Empirical([]time.Duration{time.Second, 2 * time.Second, 2 * time.Second, 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if d.Mean() != 2500*time.Millisecond {
		t.Errorf("Mean() = %v, want 2.5s", d.Mean())
	}
	s := draw(t, d, 100000, 6)
	twos := 0
	for _, v := range s {
		switch v {
		case 2 * time.Second:
			twos++
		case time.Second, 5 * time.Second:
		default:
			t.Fatalf("sample %v not in the list", v)
		}
	}
	if p := float64(twos) / float64(len(s)); !near(p, 0.5, 0.01) {
		t.Errorf("P(2s) = %v, want 0.5", p)
	}
	if _, err := Empirical(nil); err == nil {
		t.Error("Empirical(nil): no error")
	}
	if _, err := Empirical([]time.Duration{-time.Second}); err == nil {
		t.Error("negative value: no error")
	}
}

func TestReadEmpirical(t *testing.T) {
	// One duration per line: 90 s, 5 min, 12.5 s, 1 day; the mean is
	// (90 + 300 + 12.5 + 86400)/4 = 21700.625 s.
	in := "# job durations\n90s\n\n5m   # five minutes\n12.5\n1d\n"
	d, err := ReadEmpirical(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := 21700625 * time.Millisecond; d.Mean() != want {
		t.Errorf("Mean() = %v, want %v", d.Mean(), want)
	}
	for _, tc := range []struct {
		in   string
		line int
	}{{"90s\nabc\n", 2}, {"1\n2\n-3\n", 3}, {"\n\n5 minutes\n", 3}} {
		_, err := ReadEmpirical(strings.NewReader(tc.in))
		var le *LineError
		if !errors.As(err, &le) || le.Line != tc.line {
			t.Errorf("ReadEmpirical(%q): err = %v, want a LineError at line %d", tc.in, err, tc.line)
		}
	}
	if _, err := ReadEmpirical(strings.NewReader("# nothing\n\n")); err == nil {
		t.Error("no values: no error")
	}
}

func TestParseDuration(t *testing.T) {
	// Source: SCENARIO.md "Conventions": durations such as "500ms", "90s",
	// "5m", "2h", "7d" and sums such as "2d10h30m".
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"500ms", 500 * time.Millisecond}, {"90s", 90 * time.Second}, {"5m", 5 * time.Minute},
		{"2h", 2 * time.Hour}, {"7d", 7 * day}, {"2d10h30m", 2*day + 10*time.Hour + 30*time.Minute},
		{"12.5", 12500 * time.Millisecond}, {"0", 0},
	}
	for _, tc := range tests {
		if got, err := ParseDuration(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "d", "5 minutes", "1d-5h", "xd"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q): no error", bad)
		}
	}
}

func BenchmarkLogNormalSample(b *testing.B) {
	d, _ := LogNormal(35*time.Second, 80*time.Second)
	r := rand.New(rand.NewPCG(1, 1))
	var s time.Duration
	for b.Loop() {
		s += d.Sample(r)
	}
	_ = s
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}
