package workloads

import (
	"strings"
	"testing"
	"time"
)

func TestRate(t *testing.T) {
	// Source: SCENARIO.md "Exact meanings" (Service auto scaling): rate(N
	// unit) first fires at start + N; Amazon EventBridge Scheduler, "rate
	// expressions": then every N.
	tests := []struct {
		expr string
		want []time.Duration
	}{
		{"rate(15 minutes)", []time.Duration{15 * time.Minute, 30 * time.Minute, 45 * time.Minute, time.Hour}},
		{"rate(1 minute)", []time.Duration{time.Minute, 2 * time.Minute}},
		{"rate(1 hour)", []time.Duration{time.Hour, 2 * time.Hour}},
		{"rate(2 hours)", []time.Duration{2 * time.Hour, 4 * time.Hour}},
		{"rate(1 day)", []time.Duration{day, 2 * day}},
		{"rate(3 days)", []time.Duration{3 * day, 6 * day}},
		{" rate( 5 minutes ) ", []time.Duration{5 * time.Minute, 10 * time.Minute}},
	}
	for _, tc := range tests {
		s, err := ParseSchedule(tc.expr, monday)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		if got := firings(t, s, len(tc.want)); !equalDurations(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.expr, got, tc.want)
		}
	}
	// Asking from a point between firings.
	s, _ := ParseSchedule("rate(15 minutes)", monday)
	for _, c := range []struct{ after, want time.Duration }{
		{0, 15 * time.Minute}, {15 * time.Minute, 30 * time.Minute}, {29 * time.Minute, 30 * time.Minute}, {-time.Hour, 15 * time.Minute},
	} {
		if got, ok := s.Next(c.after); !ok || got != c.want {
			t.Errorf("rate(15 minutes).Next(%v) = %v, %v; want %v", c.after, got, ok, c.want)
		}
	}
}

func TestRateErrors(t *testing.T) {
	// Source: Amazon EventBridge Scheduler, "rate expressions": "If the
	// value is equal to 1, then the unit must be singular. Similarly, for
	// values greater than 1, the unit must be plural"; the value is a
	// positive integer; units are minute(s), hour(s), day(s).
	tests := []struct{ expr, want string }{
		{"rate(1 minutes)", `singular unit "minute"`},
		{"rate(1 hours)", `singular unit "hour"`},
		{"rate(5 minute)", `plural unit "minutes"`},
		{"rate(0 minutes)", "positive integer"},
		{"rate(-5 minutes)", "positive integer"},
		{"rate(1.5 hours)", "positive integer"},
		{"rate(5 weeks)", "unknown unit"},
		{"rate(5)", "want rate(value unit)"},
		{"rate(5 Minutes)", "unknown unit"},
	}
	for _, tc := range tests {
		_, err := ParseSchedule(tc.expr, monday)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSchedule(%q) = %v, want an error containing %q", tc.expr, err, tc.want)
		}
	}
}

func TestAt(t *testing.T) {
	// Source: Application Auto Scaling, "scheduled scaling": one-time
	// actions use at(yyyy-mm-ddThh:mm:ss), UTC unless a time zone is given.
	// Model assumption (schedule.go): an at() before the start never fires.
	tests := []struct {
		rule, expr string
		want       time.Duration
		ok         bool
	}{
		{"10:00 UTC on the start day", "at(2026-01-05T10:00:00)", 10 * time.Hour, true},
		{"RFC 3339 with a zone: 12:00+02:00 is 10:00 UTC", "at(2026-01-05T12:00:00+02:00)", 10 * time.Hour, true},
		{"RFC 3339 Z", "at(2026-01-06T00:00:00Z)", day, true},
		{"at the start itself fires at offset 0", "at(2026-01-05T00:00:00)", 0, true},
		{"before the start: never", "at(2025-12-31T00:00:00)", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			s, err := ParseSchedule(tc.expr, monday)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := s.Next(-1)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Fatalf("Next(-1) = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
			if ok {
				if _, again := s.Next(got); again {
					t.Fatal("at() fired twice")
				}
			}
		})
	}
	if _, err := ParseSchedule("at(tomorrow)", monday); err == nil || !strings.Contains(err.Error(), "at:") {
		t.Errorf("at(tomorrow): err = %v", err)
	}
}
