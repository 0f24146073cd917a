package reports

import (
	"math"
	"sort"
	"strings"

	"github.com/ecssim/ecssim/sim"
)

// maxDrawPoints bounds the points drawn for one line. A longer series is
// decimated by min/max buckets (see decimate), so a 30-day run at a
// 1-minute period (43,200 datapoints) draws about 2,000 points per line.
const maxDrawPoints = 2000

// maxAreaSteps bounds the steps drawn for one stacked-area layer; a longer
// series is averaged per bucket (see bucketMeans).
const maxAreaSteps = 1000

// Column kinds of sim.Timeseries column names "KIND/NAME/METRIC".
const (
	kindService  = "service"
	kindProvider = "capacity_provider"
)

// seriesKey names one column of a sim.Timeseries.
type seriesKey struct{ kind, entity, metric string }

// seriesSet indexes the columns of a sim.Timeseries by (kind, entity,
// metric). Column names that do not have three '/'-separated parts are
// ignored.
type seriesSet struct {
	period    float64 // seconds per datapoint
	periods   int     // length of the longest column
	cols      map[seriesKey][]float32
	services  []string // sorted names of services with a column
	providers []string // sorted names of capacity providers with a column
}

// indexSeries indexes ts; a nil ts gives an empty set.
func indexSeries(ts *sim.Timeseries) *seriesSet {
	s := &seriesSet{cols: map[seriesKey][]float32{}}
	if ts == nil {
		return s
	}
	s.period = ts.PeriodSeconds
	seen := map[seriesKey]bool{}
	for i, name := range ts.Columns {
		parts := strings.SplitN(name, "/", 3)
		if len(parts) != 3 || i >= len(ts.Data) {
			continue
		}
		k := seriesKey{parts[0], parts[1], parts[2]}
		s.cols[k] = ts.Data[i]
		s.periods = max(s.periods, len(ts.Data[i]))
		e := seriesKey{kind: parts[0], entity: parts[1]}
		if seen[e] {
			continue
		}
		seen[e] = true
		switch parts[0] {
		case kindService:
			s.services = append(s.services, parts[1])
		case kindProvider:
			s.providers = append(s.providers, parts[1])
		}
	}
	sort.Strings(s.services)
	sort.Strings(s.providers)
	return s
}

// get returns the column, or nil when there is none.
func (s *seriesSet) get(kind, entity, metric string) []float32 {
	return s.cols[seriesKey{kind, entity, metric}]
}

// empty reports whether the set has no datapoints to draw.
func (s *seriesSet) empty() bool { return s.periods == 0 || !(s.period > 0) }

// seriesHasData reports whether data holds a datapoint that is not NaN.
func seriesHasData(data []float32) bool {
	for _, v := range data {
		if !nan32(v) {
			return true
		}
	}
	return false
}

// anyPositive reports whether data holds a datapoint above zero.
func anyPositive(data []float32) bool {
	for _, v := range data {
		if v > 0 {
			return true
		}
	}
	return false
}

func nan32(v float32) bool { return v != v }

// drawPt is one drawn point: x in seconds since the start, y in the series'
// unit.
type drawPt struct{ x, y float64 }

// decimate returns the points to draw of data, whose datapoint i covers
// [i*period, (i+1)*period) and is drawn at the period's middle (it is the
// period's average), as NaN-free segments: a missing datapoint (NaN)
// breaks the line.
//
// When data has more than maxPoints datapoints, it is cut into buckets of
// k = ceil(len/(maxPoints/2)) consecutive datapoints and each bucket
// contributes its minimum and its maximum, in time order and at their own
// times, so spikes and dips stay visible and no more than maxPoints points
// are drawn. A bucket whose datapoints are all NaN breaks the line; NaNs in
// a bucket that has a value are not shown (a gap shorter than a bucket is
// below the drawing's resolution).
func decimate(data []float32, period float64, maxPoints int) [][]drawPt {
	var segs [][]drawPt
	var cur []drawPt
	flush := func() {
		if len(cur) > 0 {
			segs = append(segs, cur)
			cur = nil
		}
	}
	if len(data) <= maxPoints {
		for i, v := range data {
			if nan32(v) {
				flush()
				continue
			}
			cur = append(cur, drawPt{(float64(i) + 0.5) * period, float64(v)})
		}
		flush()
		return segs
	}
	k := (len(data) + maxPoints/2 - 1) / (maxPoints / 2)
	for start := 0; start < len(data); start += k {
		end := min(start+k, len(data))
		lo, hi := -1, -1
		for i := start; i < end; i++ {
			v := data[i]
			if nan32(v) {
				continue
			}
			if lo < 0 || v < data[lo] {
				lo = i
			}
			if hi < 0 || v > data[hi] {
				hi = i
			}
		}
		if lo < 0 {
			flush()
			continue
		}
		first, second := min(lo, hi), max(lo, hi)
		cur = append(cur, drawPt{(float64(first) + 0.5) * period, float64(data[first])})
		if second != first {
			cur = append(cur, drawPt{(float64(second) + 0.5) * period, float64(data[second])})
		}
	}
	flush()
	return segs
}

// countPoints returns the number of points in segs.
func countPoints(segs [][]drawPt) int {
	n := 0
	for _, s := range segs {
		n += len(s)
	}
	return n
}

// bucketMeans averages data (datapoint i covering [i*period, (i+1)*period))
// over buckets of k = ceil(n/maxSteps) datapoints, for n = periods (data
// shorter than n is missing at its end). A missing datapoint (NaN) counts
// as zero, so that the area under the steps, value times width, stays the
// sum of the datapoints times the period. edges has len(means)+1 entries,
// in seconds; the last is n*period.
func bucketMeans(data []float32, periods int, period float64, maxSteps int) (edges, means []float64) {
	if periods == 0 {
		return nil, nil
	}
	k := (periods + maxSteps - 1) / maxSteps
	for start := 0; start < periods; start += k {
		end := min(start+k, periods)
		sum := 0.0
		for i := start; i < end && i < len(data); i++ {
			if v := data[i]; !nan32(v) {
				sum += float64(v)
			}
		}
		edges = append(edges, float64(start)*period)
		means = append(means, sum/float64(end-start))
	}
	edges = append(edges, float64(periods)*period)
	return edges, means
}

// seriesStats summarises a column for Data: its datapoints, how many are
// missing (NaN), and min, mean and max of the others (NaN when none).
type seriesStats struct {
	points, missing int
	min, mean, max  float64
}

func seriesStatsOf(data []float32) seriesStats {
	st := seriesStats{points: len(data), min: math.NaN(), mean: math.NaN(), max: math.NaN()}
	sum, n := 0.0, 0
	for _, v32 := range data {
		if nan32(v32) {
			st.missing++
			continue
		}
		v := float64(v32)
		if n == 0 || v < st.min {
			st.min = v
		}
		if n == 0 || v > st.max {
			st.max = v
		}
		sum += v
		n++
	}
	if n > 0 {
		st.mean = sum / float64(n)
	}
	return st
}
