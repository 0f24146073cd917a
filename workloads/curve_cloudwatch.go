package workloads

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// cwFile holds the two AWS CLI output shapes; a nil field was absent.
type cwFile struct {
	// aws cloudwatch get-metric-data
	MetricDataResults *[]struct {
		ID         string    `json:"Id"`
		Timestamps []string  `json:"Timestamps"`
		Values     []float64 `json:"Values"`
	} `json:"MetricDataResults"`
	// aws cloudwatch get-metric-statistics
	Datapoints *[]cwDatapoint `json:"Datapoints"`
}

type cwDatapoint struct {
	Timestamp          string             `json:"Timestamp"`
	Average            *float64           `json:"Average"`
	Sum                *float64           `json:"Sum"`
	Maximum            *float64           `json:"Maximum"`
	Minimum            *float64           `json:"Minimum"`
	SampleCount        *float64           `json:"SampleCount"`
	ExtendedStatistics map[string]float64 `json:"ExtendedStatistics"`
}

// cwStatistics is the order of preference among get-metric-statistics
// statistics.
var cwStatistics = []struct {
	name string
	get  func(*cwDatapoint) *float64
}{
	{"Average", func(d *cwDatapoint) *float64 { return d.Average }},
	{"Sum", func(d *cwDatapoint) *float64 { return d.Sum }},
	{"Maximum", func(d *cwDatapoint) *float64 { return d.Maximum }},
	{"Minimum", func(d *cwDatapoint) *float64 { return d.Minimum }},
	{"SampleCount", func(d *cwDatapoint) *float64 { return d.SampleCount }},
}

// ReadCloudWatchCurve reads the JSON printed by `aws cloudwatch
// get-metric-data` (the first entry of MetricDataResults: Timestamps and
// Values, in any order; the CLI prints them newest first) or by `aws
// cloudwatch get-metric-statistics` (Datapoints, each with a Timestamp and
// statistics; the first of Average, Sum, Maximum, Minimum, SampleCount that
// every datapoint carries is used, else an ExtendedStatistics percentile
// that every datapoint carries, if exactly one does). The curve holds each
// value from its timestamp until the next, the last to the end and the
// first before the first timestamp; values are multiplied by scale.
// A JSON syntax error is a *LineError; other errors name the JSON path.
func ReadCloudWatchCurve(r io.Reader, start time.Time, scale float64) (Curve, error) {
	if err := checkScale(scale); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var f cwFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, jsonError(data, err)
	}
	var pts []point
	switch {
	case f.MetricDataResults != nil && f.Datapoints != nil:
		return nil, fmt.Errorf("both MetricDataResults and Datapoints present: want the output of one command")
	case f.MetricDataResults != nil:
		res := *f.MetricDataResults
		if len(res) == 0 {
			return nil, fmt.Errorf("MetricDataResults: %w", errNoData)
		}
		m := res[0]
		if len(m.Timestamps) != len(m.Values) {
			return nil, fmt.Errorf("MetricDataResults[0]: %d Timestamps but %d Values", len(m.Timestamps), len(m.Values))
		}
		for i, ts := range m.Timestamps {
			t, err := cwTime(ts, start)
			if err != nil {
				return nil, fmt.Errorf("MetricDataResults[0].Timestamps[%d]: %w", i, err)
			}
			if m.Values[i] < 0 {
				return nil, fmt.Errorf("MetricDataResults[0].Values[%d]: value %v is negative", i, m.Values[i])
			}
			pts = append(pts, point{t, m.Values[i] * scale})
		}
	case f.Datapoints != nil:
		dps := *f.Datapoints
		get, err := cwChooseStatistic(dps)
		if err != nil {
			return nil, err
		}
		for i := range dps {
			t, err := cwTime(dps[i].Timestamp, start)
			if err != nil {
				return nil, fmt.Errorf("Datapoints[%d].Timestamp: %w", i, err)
			}
			v := get(&dps[i])
			if v < 0 {
				return nil, fmt.Errorf("Datapoints[%d]: value %v is negative", i, v)
			}
			pts = append(pts, point{t, v * scale})
		}
	default:
		return nil, fmt.Errorf("neither MetricDataResults (get-metric-data) nor Datapoints (get-metric-statistics) found")
	}
	if len(pts) == 0 {
		return nil, errNoData
	}
	return newTraceCurve(pts), nil
}

func cwTime(s string, start time.Time) (time.Duration, error) {
	t, err := parseRFC3339(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	return roundMs(t.Sub(start)), nil
}

// cwChooseStatistic returns the accessor of the preferred statistic that
// every datapoint carries.
func cwChooseStatistic(dps []cwDatapoint) (func(*cwDatapoint) float64, error) {
	if len(dps) == 0 {
		return nil, fmt.Errorf("Datapoints: %w", errNoData)
	}
	for _, st := range cwStatistics {
		all := true
		for i := range dps {
			if st.get(&dps[i]) == nil {
				all = false
				break
			}
		}
		if all {
			get := st.get
			return func(d *cwDatapoint) float64 { return *get(d) }, nil
		}
	}
	var common []string
	for k := range dps[0].ExtendedStatistics {
		all := true
		for i := range dps {
			if _, ok := dps[i].ExtendedStatistics[k]; !ok {
				all = false
				break
			}
		}
		if all {
			common = append(common, k)
		}
	}
	sort.Strings(common)
	switch len(common) {
	case 1:
		k := common[0]
		return func(d *cwDatapoint) float64 { return d.ExtendedStatistics[k] }, nil
	case 0:
		return nil, fmt.Errorf("Datapoints: no statistic (Average, Sum, Maximum, Minimum, SampleCount or one extended statistic) present in every datapoint")
	}
	return nil, fmt.Errorf("Datapoints: several extended statistics (%s) and no standard one: keep one", strings.Join(common, ", "))
}

// jsonError positions a JSON decoding error by line and column.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var off int64 = -1
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return err
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return &LineError{Line: line, Column: col, Err: err}
}
