package stats

// Series is a compact time series of per-period datapoints: value i covers
// metrics period i, [i·P, (i+1)·P). A period with INSUFFICIENT_DATA holds
// NaN. Values are float32 (4 bytes; 30 days at one minute is 43,200 points,
// 173 kB), which is ample for percentages and counts; statistics are
// computed from the float64 datapoints before they are narrowed (see
// Sample). The zero Series is empty and ready to use.
type Series struct {
	v []float32
}

// NewSeries returns an empty Series with room for capacity values without
// reallocation; capacity < 0 is treated as 0.
func NewSeries(capacity int) *Series {
	return &Series{v: make([]float32, 0, max(capacity, 0))}
}

// Append adds the value of the next period.
func (s *Series) Append(v float32) { s.v = append(s.v, v) }

// Len returns the number of periods stored.
func (s *Series) Len() int { return len(s.v) }

// At returns the value of period i, 0 <= i < Len(); it panics otherwise.
func (s *Series) At(i int) float32 {
	if i < 0 || i >= len(s.v) {
		panic("stats: Series.At: index out of range")
	}
	return s.v[i]
}

// Values returns the stored values in period order. The slice shares the
// Series' storage: the caller must not modify it, and a later Append may or
// may not be visible through it.
func (s *Series) Values() []float32 { return s.v[:len(s.v):len(s.v)] }
