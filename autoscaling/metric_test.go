package autoscaling

import (
	"math"
	"testing"
)

// Rule (CloudWatch "Statistics definitions"; SCENARIO.md "Datapoints and
// statistics"): a datapoint carries the five statistics of its period, and
// a period without samples is a missing datapoint, which reads as NaN so
// that alarms and statistics skip it.
func TestDatapointValue(t *testing.T) {
	d := Datapoint{Average: 40, Maximum: 90, Minimum: 5, Sum: 120, SampleCount: 3}
	tests := []struct {
		stat Statistic
		want float64
	}{
		{Average, 40},
		{Maximum, 90},
		{Minimum, 5},
		{Sum, 120},
		{SampleCount, 3},
	}
	for _, tc := range tests {
		if got := d.Value(tc.stat); got != tc.want {
			t.Errorf("Value(%v) = %v, want %v", tc.stat, got, tc.want)
		}
		if got := Missing.Value(tc.stat); !math.IsNaN(got) {
			t.Errorf("Missing.Value(%v) = %v, want NaN", tc.stat, got)
		}
	}
	if !d.Present() {
		t.Error("a datapoint with 3 samples is not present")
	}
	if Missing.Present() {
		t.Error("Missing is present")
	}
	// SampleCount 0 is missing whatever the other fields hold.
	if (Datapoint{Average: 50}).Present() {
		t.Error("a datapoint with SampleCount 0 is present")
	}
	mustPanic(t, "Value(bad statistic)", func() { d.Value(Statistic(9)) })
}

// Rule (CloudWatch statistic names as the API spells them): parsing and
// printing round-trip, and anything else is a user error.
func TestParseStatistic(t *testing.T) {
	for _, s := range []Statistic{Average, Maximum, Minimum, Sum, SampleCount} {
		got, err := ParseStatistic(s.String())
		if err != nil || got != s {
			t.Errorf("ParseStatistic(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	for _, bad := range []string{"", "average", "p99", "Avg"} {
		if _, err := ParseStatistic(bad); err == nil {
			t.Errorf("ParseStatistic(%q): no error", bad)
		}
	}
}

// Rule (ECS-SEMANTICS.md §5; Application Auto Scaling "Target tracking
// scaling policies", predefined metrics for ECS): the three predefined ECS
// service metrics read CPUUtilization and MemoryUtilization (Average) and
// RequestCountPerTarget (Sum).
func TestCloudWatchMetric(t *testing.T) {
	tests := []struct {
		predefined, name string
		stat             Statistic
	}{
		{"ECSServiceAverageCPUUtilization", "CPUUtilization", Average},
		{"ECSServiceAverageMemoryUtilization", "MemoryUtilization", Average},
		{"ALBRequestCountPerTarget", "RequestCountPerTarget", Sum},
	}
	for _, tc := range tests {
		name, stat, err := CloudWatchMetric(tc.predefined)
		if err != nil || name != tc.name || stat != tc.stat {
			t.Errorf("CloudWatchMetric(%q) = %q, %v, %v; want %q, %v", tc.predefined, name, stat, err, tc.name, tc.stat)
		}
	}
	if _, _, err := CloudWatchMetric("CPUUtilization"); err == nil {
		t.Error("CloudWatchMetric accepted a raw CloudWatch metric name")
	}
}
