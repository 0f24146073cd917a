package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

// ReadTimeseriesCSV inverts WriteTimeseriesCSV: the series read back equals
// the one written (NaN where the cell was empty, every float32 bit for
// bit), and writing it again gives the same bytes.
func TestReadTimeseriesCSVRoundTrip(t *testing.T) {
	nan := float32(math.NaN())
	cases := []struct {
		name string
		ts   *sim.Timeseries
	}{
		{"values and gaps", &sim.Timeseries{
			PeriodSeconds: 60,
			Columns:       []string{"service/web/cpu_utilization", "service/web/desired_count", "capacity_provider/general/cost_usd_per_hour"},
			Data: [][]float32{
				// 0.1 and 1/3 are not exact in binary: the shortest
				// float32 decimal must bring back the same bits.
				{0.1, nan, 99.99, float32(1) / 3, 100},
				{4, 4, 5, 6, 6},
				{1.234e-7, 3.4e38, 0, nan, 12345.678},
			},
		}},
		// A fractional period: row k starts at k × 0.5 s.
		{"fractional period", &sim.Timeseries{PeriodSeconds: 0.5, Columns: []string{"a"},
			Data: [][]float32{{1, 2, 3, 4}}}},
		{"two rows", &sim.Timeseries{PeriodSeconds: 300, Columns: []string{"a", "b"},
			Data: [][]float32{{nan, nan}, {7, nan}}}},
		{"no rows", &sim.Timeseries{Columns: []string{"a", "b"}, Data: [][]float32{nil, nil}}},
	}
	for _, c := range cases {
		var first bytes.Buffer
		if err := WriteTimeseriesCSV(&first, c.ts); err != nil {
			t.Fatal(err)
		}
		got, err := ReadTimeseriesCSV(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, first.String())
		}
		if got.PeriodSeconds != c.ts.PeriodSeconds || strings.Join(got.Columns, ",") != strings.Join(c.ts.Columns, ",") {
			t.Errorf("%s: period %v columns %q; want %v %q", c.name, got.PeriodSeconds, got.Columns, c.ts.PeriodSeconds, c.ts.Columns)
		}
		for i, col := range c.ts.Data {
			if len(got.Data[i]) != len(col) {
				t.Errorf("%s: column %d has %d values, want %d", c.name, i, len(got.Data[i]), len(col))
				continue
			}
			for k, v := range col {
				g := got.Data[i][k]
				if math.Float32bits(g) != math.Float32bits(v) && !(g != g && v != v) {
					t.Errorf("%s: column %d row %d = %v, want %v", c.name, i, k, g, v)
				}
			}
		}
		var second bytes.Buffer
		if err := WriteTimeseriesCSV(&second, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("%s: rewritten file differs:\n%s\nwant:\n%s", c.name, second.String(), first.String())
		}
	}
}

// A nil series is written as the header alone, which reads back as a
// series of no columns and writes again as the same header.
func TestReadTimeseriesCSVHeaderOnly(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTimeseriesCSV(&b, nil); err != nil {
		t.Fatal(err)
	}
	ts, err := ReadTimeseriesCSV(bytes.NewReader(b.Bytes()))
	if err != nil || len(ts.Columns) != 0 {
		t.Fatalf("header only: %v, %v", ts, err)
	}
	var again bytes.Buffer
	if err := WriteTimeseriesCSV(&again, ts); err != nil || again.String() != b.String() {
		t.Errorf("rewritten %q, want %q (%v)", again.String(), b.String(), err)
	}
}

// Malformed files are errors naming the line (and the field).
func TestReadTimeseriesCSVErrors(t *testing.T) {
	cases := []struct {
		name, csv, want string
	}{
		{"empty", "", "empty file"},
		{"wrong first column", "time,a\n0,1\n", "line 1, field 1"},
		{"duplicate column", "period_start_seconds,a,a\n", `line 1, field 3: column "a" twice`},
		{"bad value", "period_start_seconds,a,b\n0,1,2\n60,1,x\n", `line 3, field 3 (b): "x" is not a number`},
		{"bad start", "period_start_seconds,a\nzero,1\n", "line 2, field 1"},
		{"first row not at 0", "period_start_seconds,a\n60,1\n", "line 2, field 1: period_start_seconds 60, want 0"},
		{"uneven periods", "period_start_seconds,a\n0,1\n60,1\n180,1\n", "line 4, field 1: period_start_seconds 180, want 120"},
		{"nonpositive period", "period_start_seconds,a\n0,1\n0,1\n", "line 3, field 1"},
		{"short row", "period_start_seconds,a,b\n0,1\n", "line 2"},
	}
	for _, c := range cases {
		_, err := ReadTimeseriesCSV(strings.NewReader(c.csv))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
