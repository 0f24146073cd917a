package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ecssim/ecssim/sim"
)

// fakeClock is a wall clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// The plain progress lines come at each further 10 % of the horizon once
// 5 s have passed since the previous line, whichever is later, and a last
// line when the run completes. The run is 7 days; the sim reports every
// 1 % of it.
//
// Fast clock (0.25 s per 1 %): 10 % is reached at 2.5 s, too early; the
// first line is at 20 % (5 s), the next 10 % mark is then 30 % (7.5 s,
// only 2.5 s later), so the next line is at 40 % (10 s), then 60 % and 80 %.
// At 20 %: 1.4 d = 1d9h36m simulated, shown to two units "1d9h"; ETA =
// 5 s × 80/20 = 20 s. At 40 %: 2.8 d = 2d19h12m, ETA 10 × 60/40 = 15 s.
// At 60 %: 4.2 d = 4d4h48m, ETA 15 × 40/60 = 10 s. At 80 %: 5.6 d =
// 5d14h24m, ETA 20 × 20/80 = 5 s. The end is at 25 s.
//
// Slow clock (2 s per 1 %): 5 s pass long before each 10 %, so a line
// comes at every 10 % mark: 10 % at 20 s (0.7 d = 16h48m, ETA 20 × 9 =
// 180 s = 3m0s), 20 % at 40 s, ..., 90 % at 180 s (6.3 d = 6d7h12m, ETA
// 180/9 = 20 s). The end is at 200 s = 3m20s.
func TestLineProgress(t *testing.T) {
	const total = sim.Time(7 * 86_400_000)
	cases := []struct {
		name    string
		perStep time.Duration
		want    []string
	}{
		{"5 s comes later", 250 * time.Millisecond, []string{
			"ecssim: demo: 20% simulated 1d9h of 7d, 5.0 s elapsed, ETA 20.0 s",
			"ecssim: demo: 40% simulated 2d19h of 7d, 10.0 s elapsed, ETA 15.0 s",
			"ecssim: demo: 60% simulated 4d4h of 7d, 15.0 s elapsed, ETA 10.0 s",
			"ecssim: demo: 80% simulated 5d14h of 7d, 20.0 s elapsed, ETA 5.0 s",
			"ecssim: demo: 100% simulated 7d of 7d, 25.0 s elapsed",
		}},
		{"10 % comes later", 2 * time.Second, []string{
			"ecssim: demo: 10% simulated 16h48m of 7d, 20.0 s elapsed, ETA 3m0s",
			"ecssim: demo: 20% simulated 1d9h of 7d, 40.0 s elapsed, ETA 2m40s",
			"ecssim: demo: 30% simulated 2d2h of 7d, 1m0s elapsed, ETA 2m20s",
			"ecssim: demo: 40% simulated 2d19h of 7d, 1m20s elapsed, ETA 2m0s",
			"ecssim: demo: 50% simulated 3d12h of 7d, 1m40s elapsed, ETA 1m40s",
			"ecssim: demo: 60% simulated 4d4h of 7d, 2m0s elapsed, ETA 1m20s",
			"ecssim: demo: 70% simulated 4d21h of 7d, 2m20s elapsed, ETA 1m0s",
			"ecssim: demo: 80% simulated 5d14h of 7d, 2m40s elapsed, ETA 40.0 s",
			"ecssim: demo: 90% simulated 6d7h of 7d, 3m0s elapsed, ETA 20.0 s",
			"ecssim: demo: 100% simulated 7d of 7d, 3m20s elapsed",
		}},
	}
	for _, c := range cases {
		clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		var b bytes.Buffer
		p := newLineProgress(&b, "demo", clock.now)
		p.update(0, total)
		for i := 1; i <= 100; i++ {
			clock.t = clock.t.Add(c.perStep)
			p.update(total*sim.Time(i)/100, total)
		}
		p.finish(true)
		got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: lines\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

// A run that fails or stops short prints no last line.
func TestLineProgressNoLastLineWhenIncomplete(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var b bytes.Buffer
	p := newLineProgress(&b, "demo", clock.now)
	p.update(500, 1000)
	p.finish(false)
	p.finish(true) // 50 % reached only
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
}

func TestSimTime(t *testing.T) {
	const d, h, m, s = 86_400_000, 3_600_000, 60_000, 1000
	cases := []struct {
		t     sim.Time
		units int
		want  string
	}{
		{7 * d, 0, "7d"},
		{7 * d, 2, "7d"},
		{2*d + 19*h + 12*m, 2, "2d19h"},
		{2*d + 19*h + 12*m, 0, "2d19h12m"},
		{d + 5*m, 2, "1d"}, // the hours (0) count as the second unit
		{45*m + 30*s, 2, "45m30s"},
		{90 * s, 1, "1m"},
		{1500, 0, "1s500ms"},
		{0, 2, "0s"},
	}
	for _, c := range cases {
		if got := simTime(c.t, c.units); got != c.want {
			t.Errorf("simTime(%d, %d) = %q, want %q", c.t, c.units, got, c.want)
		}
	}
}

func TestWallTime(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{1234 * time.Millisecond, "1.2 s"},
		{0, "0.0 s"},
		{59940 * time.Millisecond, "59.9 s"},
		{200 * time.Second, "3m20s"},
		{time.Hour + 2*time.Minute + 3400*time.Millisecond, "1h2m3s"},
	} {
		if got := wallTime(c.d); got != c.want {
			t.Errorf("wallTime(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestLineSweepProgress: a sweep's plain lines follow the run's pacing (a
// line each 10 % once 5 s have passed) and give runs/s and the ETA over
// the runs this invocation simulated. 200 runs, 100 already done (resume),
// one more each 0.5 s: 50 % is past the first 10 % step, so the first
// line waits only for the 5 s: 110 runs (55 %), 10 simulated in 5 s: 2.0
// runs/s, 90 left: ETA 45 s; then lines at 60, 70, 80 and 90 %, and the
// last at 100 % (100 runs in 50 s).
func TestLineSweepProgress(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var b strings.Builder
	p := &lineSweepProgress{w: &b, name: "s", pace: newLinePace(clock.now)}
	p.update(100, 200)
	for done := 101; done <= 200; done++ {
		clock.t = clock.t.Add(500 * time.Millisecond)
		p.update(done, 200)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6 (55, 60, 70, 80, 90, 100 %%):\n%s", len(lines), b.String())
	}
	if want := "ecssim: sweep s: 110/200 runs (55%), 2.0 runs/s, 5.0 s elapsed, ETA 45.0 s"; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	if want := "ecssim: sweep s: 200/200 runs (100%), 2.0 runs/s, 50.0 s elapsed"; lines[5] != want {
		t.Errorf("last line %q, want %q", lines[5], want)
	}
}
