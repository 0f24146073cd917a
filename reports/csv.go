package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ecssim/ecssim/sim"
)

// WriteTimeseriesCSV writes ts as timeseries.csv: the header
// period_start_seconds followed by ts.Columns, then one row per metrics
// period k with k × PeriodSeconds and each column's datapoint. NaN
// (INSUFFICIENT_DATA) and a column shorter than the longest are written as
// an empty cell. Values are the float32 datapoints in their shortest exact
// decimal form. A nil ts writes the header alone.
func WriteTimeseriesCSV(w io.Writer, ts *sim.Timeseries) error {
	cw := csv.NewWriter(w)
	head := []string{"period_start_seconds"}
	var rows int
	if ts != nil {
		if len(ts.Data) != len(ts.Columns) {
			panic(fmt.Sprintf("reports: timeseries with %d columns and %d data series", len(ts.Columns), len(ts.Data)))
		}
		head = append(head, ts.Columns...)
		for _, col := range ts.Data {
			rows = max(rows, len(col))
		}
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("reports: writing timeseries.csv: %w", err)
	}
	rec := make([]string, len(head))
	for k := 0; k < rows; k++ {
		rec[0] = strconv.FormatFloat(float64(k)*ts.PeriodSeconds, 'f', -1, 64)
		for c, col := range ts.Data {
			rec[c+1] = ""
			if k < len(col) && !math.IsNaN(float64(col[k])) {
				rec[c+1] = strconv.FormatFloat(float64(col[k]), 'g', -1, 32)
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("reports: writing timeseries.csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("reports: writing timeseries.csv: %w", err)
	}
	return nil
}
