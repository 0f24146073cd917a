package workloads

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ReadCSVCurve reads a load trace of "timestamp,value" rows into a step
// curve: each value holds from its timestamp until the next, the last to
// the end, and the first value also before the first timestamp
// (SCENARIO.md "Demand": traces). A timestamp is either an RFC 3339 time
// (a time without a zone is taken as UTC) or a number of seconds from the
// scenario start; offsets are rounded to the millisecond. Values must be
// finite and non-negative and are multiplied by scale. The first row may be
// a header: it is one when its second field is not a number. Blank lines
// and lines starting with '#' are skipped. Rows need not be sorted; rows at
// the same time keep the last in file order. Errors are *LineError.
func ReadCSVCurve(r io.Reader, start time.Time, scale float64) (Curve, error) {
	if err := checkScale(scale); err != nil {
		return nil, err
	}
	cr := csv.NewReader(stripBOM(r))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	cr.ReuseRecord = true
	var pts []point
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != 2 {
			return nil, lineErrorf(line, 0, "want 2 fields (timestamp,value), got %d", len(rec))
		}
		if first {
			first = false
			if _, err := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64); err != nil {
				continue // header row
			}
		}
		t, err := parseTimestamp(strings.TrimSpace(rec[0]), start)
		if err != nil {
			_, col := cr.FieldPos(0)
			return nil, &LineError{Line: line, Column: col, Err: err}
		}
		v, err := parseValue(strings.TrimSpace(rec[1]))
		if err != nil {
			_, col := cr.FieldPos(1)
			return nil, &LineError{Line: line, Column: col, Err: err}
		}
		pts = append(pts, point{t, v * scale})
	}
	if len(pts) == 0 {
		return nil, errNoData
	}
	return newTraceCurve(pts), nil
}

// point is one sample of a trace curve.
type point struct {
	t time.Duration
	v float64
}

// newTraceCurve sorts the points by time (stably, so among equal times the
// last in input order wins the lookup) and builds the step curve.
func newTraceCurve(pts []point) Curve {
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].t < pts[j].t })
	c := &stepCurve{at: make([]time.Duration, len(pts)), values: make([]float64, len(pts))}
	for i, p := range pts {
		c.at[i], c.values[i] = p.t, p.v
	}
	return c
}

func checkScale(scale float64) error {
	if scale < 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
		return fmt.Errorf("scale %v must be a finite number >= 0", scale)
	}
	return nil
}

// parseTimestamp reads seconds from start ("3600", "90.5") or an RFC 3339
// time ("2026-01-05T01:00:00Z", a zone-less time is UTC) and returns the
// offset from start rounded to the millisecond.
func parseTimestamp(s string, start time.Time) (time.Duration, error) {
	if d, err := parseSeconds(s); err == nil {
		return d, nil
	}
	t, err := parseRFC3339(s)
	if err != nil {
		return 0, fmt.Errorf("timestamp %q is neither RFC 3339 nor seconds from start", s)
	}
	return roundMs(t.Sub(start)), nil
}

// parseRFC3339 parses an RFC 3339 time, with or without fractional seconds,
// and with or without a zone (then UTC).
func parseRFC3339(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
}

func parseValue(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("value %q is not a finite number", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("value %v is negative", v)
	}
	return v, nil
}

// csvError turns an encoding/csv parse error into a *LineError.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &LineError{Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return err
}

// stripBOM drops a leading UTF-8 byte order mark, which spreadsheet
// programs write and which would otherwise corrupt the first field.
func stripBOM(r io.Reader) io.Reader {
	var b [3]byte
	n, err := io.ReadFull(r, b[:])
	if n == 3 && b == [3]byte{0xEF, 0xBB, 0xBF} {
		return r
	}
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return io.MultiReader(strings.NewReader(string(b[:n])), errReader{err})
	}
	return io.MultiReader(strings.NewReader(string(b[:n])), r)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
