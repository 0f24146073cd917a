package reports

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ecssim/ecssim/sim"
)

// ReadTimeseriesCSV reads timeseries.csv as WriteTimeseriesCSV writes it:
// the header period_start_seconds and the column names, then one row per
// metrics period k whose first cell is k × PeriodSeconds. An empty cell is
// NaN (INSUFFICIENT_DATA); every other cell is a float32 datapoint.
//
// PeriodSeconds is the second row's period_start_seconds; with fewer than
// two rows the file does not hold it and it is 0. Every row's
// period_start_seconds must be exactly k × PeriodSeconds, so that writing
// the result again reproduces the file byte for byte. (A column that
// WriteTimeseriesCSV padded with empty cells because it was shorter than
// the others comes back padded with NaN.)
//
// Errors are returned as values naming the line (and field) at fault; the
// caller prefixes the file name.
func ReadTimeseriesCSV(r io.Reader) (*sim.Timeseries, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file, want a header line")
	}
	if err != nil {
		return nil, err
	}
	if len(head) == 0 || head[0] != "period_start_seconds" {
		return nil, fmt.Errorf("line 1, field 1: %q, want period_start_seconds", head[0])
	}
	ts := &sim.Timeseries{Columns: append([]string(nil), head[1:]...)}
	ts.Data = make([][]float32, len(ts.Columns))
	seen := make(map[string]bool, len(ts.Columns))
	for i, c := range ts.Columns {
		if seen[c] {
			return nil, fmt.Errorf("line 1, field %d: column %q twice", i+2, c)
		}
		seen[c] = true
	}
	for k := 0; ; k++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil { // a *csv.ParseError names its line and column
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		start, err := strconv.ParseFloat(rec[0], 64)
		if err != nil || math.IsNaN(start) || math.IsInf(start, 0) {
			return nil, fmt.Errorf("line %d, field 1: period_start_seconds %q is not a number", line, rec[0])
		}
		if k == 1 {
			ts.PeriodSeconds = start
		}
		if want := float64(k) * ts.PeriodSeconds; (k != 1 && start != want) || (k == 1 && start <= 0) {
			return nil, fmt.Errorf("line %d, field 1: period_start_seconds %s, want %s (row %d of a period of %s s)",
				line, rec[0], strconv.FormatFloat(want, 'f', -1, 64), k, strconv.FormatFloat(ts.PeriodSeconds, 'f', -1, 64))
		}
		for c, cell := range rec[1:] {
			v := float32(math.NaN())
			if cell != "" {
				f, err := strconv.ParseFloat(cell, 32)
				if err != nil {
					return nil, fmt.Errorf("line %d, field %d (%s): %q is not a number", line, c+2, ts.Columns[c], cell)
				}
				v = float32(f)
			}
			ts.Data[c] = append(ts.Data[c], v)
		}
	}
	return ts, nil
}
