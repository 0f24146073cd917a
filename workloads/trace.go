package workloads

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// TaskRow is one job task from a trace: submitted at offset Submit, running
// for Duration once RUNNING, reserving CPU units (1024 = 1 vCPU) and Memory
// MiB. A zero CPU or Memory means "use the task definition's".
type TaskRow struct {
	Submit, Duration time.Duration
	CPU, Memory      int
}

// jobTraceHeader is the required header of a job trace CSV.
var jobTraceHeader = []string{"submit", "duration", "cpu", "memory"}

// ReadJobTraceCSV reads a job trace (SCENARIO.md "[[jobs]]", format "csv"):
// the header exactly `submit,duration,cpu,memory`, then one task per row:
// submit in seconds from the scenario start (>= 0), duration in seconds
// (>= 0), cpu in CPU units and memory in MiB (non-negative integers; empty
// or 0 means the task definition's). Times are rounded to the millisecond.
// Blank lines are skipped. The rows are returned sorted by Submit, ties in
// file order. Errors are *LineError naming the line (and column).
func ReadJobTraceCSV(r io.Reader) ([]TaskRow, error) {
	cr := csv.NewReader(stripBOM(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, lineErrorf(1, 0, "empty file: want the header %s", strings.Join(jobTraceHeader, ","))
	}
	if err != nil {
		return nil, csvError(err)
	}
	line, _ := cr.FieldPos(0)
	if !equalTrimmed(rec, jobTraceHeader) {
		return nil, lineErrorf(line, 0, "header %q: want exactly %s", strings.Join(rec, ","), strings.Join(jobTraceHeader, ","))
	}
	var rows []TaskRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(jobTraceHeader) {
			return nil, lineErrorf(line, 0, "want %d fields (%s), got %d", len(jobTraceHeader), strings.Join(jobTraceHeader, ","), len(rec))
		}
		var row TaskRow
		var ferr error
		pos := func(i int) int { _, col := cr.FieldPos(i); return col }
		if row.Submit, ferr = nonNegSeconds(rec[0], "submit"); ferr != nil {
			return nil, &LineError{Line: line, Column: pos(0), Err: ferr}
		}
		if row.Duration, ferr = nonNegSeconds(rec[1], "duration"); ferr != nil {
			return nil, &LineError{Line: line, Column: pos(1), Err: ferr}
		}
		if row.CPU, ferr = nonNegInt(rec[2], "cpu"); ferr != nil {
			return nil, &LineError{Line: line, Column: pos(2), Err: ferr}
		}
		if row.Memory, ferr = nonNegInt(rec[3], "memory"); ferr != nil {
			return nil, &LineError{Line: line, Column: pos(3), Err: ferr}
		}
		rows = append(rows, row)
	}
	sortBySubmit(rows)
	return rows, nil
}

// sortBySubmit orders rows by submission time, ties in input order.
func sortBySubmit(rows []TaskRow) {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Submit < rows[j].Submit })
}

func equalTrimmed(rec, want []string) bool {
	if len(rec) != len(want) {
		return false
	}
	for i := range rec {
		if strings.TrimSpace(rec[i]) != want[i] {
			return false
		}
	}
	return true
}

func nonNegSeconds(s, name string) (time.Duration, error) {
	d, err := parseSeconds(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s: %v", name, err)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s: %q is negative", name, s)
	}
	return d, nil
}

func nonNegInt(s, name string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%s: %q is not a non-negative integer", name, s)
	}
	return v, nil
}

// nonNegNumber parses a finite non-negative number; empty is 0.
func nonNegNumber(s, name string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("%s: %q is not a non-negative number", name, s)
	}
	return v, nil
}
