package workloads

import (
	"errors"
	"strings"
	"testing"
	"time"
)

type probe struct {
	at   time.Duration
	want float64
}

func checkCurve(t *testing.T, name string, c Curve, probes []probe) {
	t.Helper()
	for _, p := range probes {
		if got := c.At(p.at); !near(got, p.want, 1e-9) {
			t.Errorf("%s: At(%v) = %v, want %v", name, p.at, got, p.want)
		}
	}
}

func TestReadCSVCurve(t *testing.T) {
	// Source: SCENARIO.md "Curves" (trace, format csv: timestamp,value rows,
	// RFC 3339 or seconds from start) and "Exact meanings" (Demand: each
	// value holds until the next, the last to the end; before the first,
	// the first value). Scale 2 doubles every value.
	//   00:00Z        5  -> 10
	//   1800 s = 30m  7  -> 14
	//   03:00+02:00 = 01:00Z  9 -> 18
	const withHeader = "timestamp,value\n2026-01-05T00:00:00Z,5\n1800,7\n# a comment\n\n2026-01-05T03:00:00+02:00,9\n"
	const unsorted = "2026-01-05T03:00:00+02:00,9\n1800,7\n2026-01-05T00:00:00,5\n"
	probes := []probe{{-time.Hour, 10}, {0, 10}, {29 * time.Minute, 10}, {30 * time.Minute, 14}, {time.Hour, 18}, {100 * time.Hour, 18}}
	for name, in := range map[string]string{"header": withHeader, "unsorted, zone-less, no header": unsorted} {
		c, err := ReadCSVCurve(strings.NewReader(in), monday, 2)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkCurve(t, name, c, probes)
	}
	// Two rows at the same time: the later in the file wins.
	c, err := ReadCSVCurve(strings.NewReader("0,1\n0,2\n"), monday, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkCurve(t, "duplicate", c, []probe{{0, 2}})
}

func TestReadCSVCurveErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"bad value", "timestamp,value\n0,1\n60,abc\n", 3, "not a finite number"},
		{"bad timestamp", "0,1\nyesterday,2\n", 2, "neither RFC 3339 nor seconds"},
		{"negative value", "0,1\n60,-2\n", 2, "negative"},
		{"three fields", "0,1\n60,2,3\n", 2, "want 2 fields"},
		{"bad quote", "0,1\n\"60,2\n", 2, ""},
	}
	for _, tc := range tests {
		_, err := ReadCSVCurve(strings.NewReader(tc.in), monday, 1)
		var le *LineError
		if !errors.As(err, &le) || le.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a LineError at line %d containing %q", tc.name, err, tc.line, tc.want)
		}
	}
	if _, err := ReadCSVCurve(strings.NewReader("timestamp,value\n"), monday, 1); err == nil {
		t.Error("header only: no error")
	}
	if _, err := ReadCSVCurve(strings.NewReader("0,1\n"), monday, -1); err == nil {
		t.Error("negative scale: no error")
	}
}

// getMetricData is the shape printed by `aws cloudwatch get-metric-data`,
// newest first (the default ScanBy TimestampDescending).
const getMetricData = `{
    "MetricDataResults": [
        {
            "Id": "m1",
            "Label": "CPUUtilization",
            "Timestamps": [
                "2026-01-05T00:10:00+00:00",
                "2026-01-05T00:05:00+00:00",
                "2026-01-05T00:00:00+00:00"
            ],
            "Values": [30.0, 20.0, 10.0],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}`

// getMetricStatistics is the shape printed by `aws cloudwatch
// get-metric-statistics`; datapoints come in no particular order.
const getMetricStatistics = `{
    "Label": "CPUUtilization",
    "Datapoints": [
        {"Timestamp": "2026-01-05T00:05:00Z", "Average": 20.0, "Maximum": 40.0, "Unit": "Percent"},
        {"Timestamp": "2026-01-05T00:10:00Z", "Average": 30.0, "Maximum": 50.0, "Unit": "Percent"},
        {"Timestamp": "2026-01-05T00:00:00Z", "Average": 10.0, "Maximum": 35.0, "Unit": "Percent"}
    ]
}`

func TestReadCloudWatchCurve(t *testing.T) {
	// Source: SCENARIO.md "Curves" (trace, format cloudwatch) and "Exact
	// meanings" (Demand: traces). Scale 0.5 halves the values 10, 20, 30
	// at 00:00, 00:05, 00:10.
	probes := []probe{{-time.Minute, 5}, {0, 5}, {4 * time.Minute, 5}, {5 * time.Minute, 10}, {7 * time.Minute, 10}, {10 * time.Minute, 15}, {day, 15}}
	for name, in := range map[string]string{"get-metric-data": getMetricData, "get-metric-statistics (Average preferred)": getMetricStatistics} {
		c, err := ReadCloudWatchCurve(strings.NewReader(in), monday, 0.5)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkCurve(t, name, c, probes)
	}
	// Without Average, Sum comes next in preference; then Maximum.
	sumMax := `{"Datapoints":[{"Timestamp":"2026-01-05T00:00:00Z","Sum":7,"Maximum":9}]}`
	c, err := ReadCloudWatchCurve(strings.NewReader(sumMax), monday, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkCurve(t, "Sum", c, []probe{{0, 7}})
	maxOnly := `{"Datapoints":[{"Timestamp":"2026-01-05T00:00:00Z","Maximum":9,"Minimum":1}]}`
	c, err = ReadCloudWatchCurve(strings.NewReader(maxOnly), monday, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkCurve(t, "Maximum", c, []probe{{0, 9}})
	ext := `{"Datapoints":[{"Timestamp":"2026-01-05T00:00:00Z","ExtendedStatistics":{"p99":4.5}}]}`
	c, err = ReadCloudWatchCurve(strings.NewReader(ext), monday, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkCurve(t, "p99", c, []probe{{0, 4.5}})
}

func TestReadCloudWatchCurveErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"neither shape", `{"Label":"x"}`, "neither MetricDataResults"},
		{"lengths differ", `{"MetricDataResults":[{"Timestamps":["2026-01-05T00:00:00Z"],"Values":[1,2]}]}`, "1 Timestamps but 2 Values"},
		{"no results", `{"MetricDataResults":[]}`, "no data rows"},
		{"bad time", `{"MetricDataResults":[{"Timestamps":["noon"],"Values":[1]}]}`, "Timestamps[0]"},
		{"no common statistic", `{"Datapoints":[{"Timestamp":"2026-01-05T00:00:00Z","Average":1},{"Timestamp":"2026-01-05T00:01:00Z","Sum":1}]}`, "no statistic"},
		{"empty datapoints", `{"Datapoints":[]}`, "no data rows"},
	}
	for _, tc := range tests {
		_, err := ReadCloudWatchCurve(strings.NewReader(tc.in), monday, 1)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	// A syntax error is positioned: the stray comma is on line 3.
	_, err := ReadCloudWatchCurve(strings.NewReader("{\n  \"Datapoints\": [\n    ,\n  ]\n}"), monday, 1)
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 {
		t.Errorf("syntax error: err = %v, want a LineError at line 3", err)
	}
}
