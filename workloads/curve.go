package workloads

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Curve is a deterministic demand curve: At returns the demand at offset t
// from the scenario start, in the unit of the key that defined it (vCPUs or
// requests per second). Curves never depend on a random stream.
type Curve interface {
	At(t time.Duration) float64
}

type constant float64

func (c constant) At(time.Duration) float64 { return float64(c) }

// Constant returns the curve whose value is v at every offset.
func Constant(v float64) Curve { return constant(v) }

type diurnal struct {
	min, max, weekendFactor float64
	peak                    time.Duration
	start                   time.Time
}

// Diurnal returns a cosine over the day (SCENARIO.md "Demand"):
//
//	min + (max − min) × (1 + cos(2π (tod − peak) / 24 h)) / 2
//
// where tod is the UTC time of day of start+t, so the value is max at peak
// and min twelve hours later; on Saturdays and Sundays (UTC) the value is
// multiplied by weekendFactor. peak is a time of day in [0, 24h), as
// returned by ParseTimeOfDay.
func Diurnal(min, max float64, peak time.Duration, weekendFactor float64, start time.Time) Curve {
	if peak < 0 || peak >= 24*time.Hour {
		panic(fmt.Sprintf("workloads: Diurnal: peak %v is not a time of day", peak))
	}
	return diurnal{min: min, max: max, weekendFactor: weekendFactor, peak: peak, start: start.UTC()}
}

func (d diurnal) At(t time.Duration) float64 {
	u := d.start.Add(t)
	h, m, s := u.Clock()
	tod := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(u.Nanosecond())
	phase := 2 * math.Pi * float64(tod-d.peak) / float64(24*time.Hour)
	v := d.min + (d.max-d.min)*(1+math.Cos(phase))/2
	if wd := u.Weekday(); wd == time.Saturday || wd == time.Sunday {
		v *= d.weekendFactor
	}
	return v
}

// ParseTimeOfDay parses "HH:MM" (24-hour clock, 00:00 to 23:59; the hour
// may have one digit) into the offset since midnight.
func ParseTimeOfDay(s string) (time.Duration, error) {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || hs[0] == '+' || hs[0] == '-' || ms[0] == '+' || ms[0] == '-' {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("time of day %q: out of range 00:00-23:59", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// stepCurve holds values[i] on [at[i], at[i+1]); values[0] before at[0];
// the last value to the end. at is non-decreasing; among equal times the
// later entry wins.
type stepCurve struct {
	at     []time.Duration
	values []float64
}

func (s *stepCurve) At(t time.Duration) float64 {
	// The number of steps at or before t; the last of those holds.
	i := sort.Search(len(s.at), func(i int) bool { return s.at[i] > t })
	if i == 0 {
		return s.values[0]
	}
	return s.values[i-1]
}

// Steps returns the step curve with values[i] from at[i] until at[i+1], the
// first value before at[0] and the last value to the end (SCENARIO.md
// "Demand": "the first step's value before it"). at must be strictly
// increasing and as long as values, with at least one step; Steps panics
// otherwise (use NewSteps for input not yet validated).
func Steps(at []time.Duration, values []float64) Curve {
	c, err := NewSteps(at, values)
	if err != nil {
		panic("workloads: Steps: " + err.Error())
	}
	return c
}

// NewSteps is Steps returning an error for user input: no steps, lengths
// that differ, or times not strictly increasing. The error names the step
// by its 0-based index.
func NewSteps(at []time.Duration, values []float64) (Curve, error) {
	if len(at) != len(values) {
		return nil, fmt.Errorf("%d times but %d values", len(at), len(values))
	}
	if len(at) == 0 {
		return nil, fmt.Errorf("no steps")
	}
	for i := 1; i < len(at); i++ {
		if at[i] <= at[i-1] {
			return nil, fmt.Errorf("steps[%d].at %v is not after steps[%d].at %v", i, at[i], i-1, at[i-1])
		}
	}
	return &stepCurve{at: append([]time.Duration(nil), at...), values: append([]float64(nil), values...)}, nil
}

// Spike multiplies demand by Factor on [At, At+Duration).
type Spike struct {
	At, Duration time.Duration
	Factor       float64
}

type spiked struct {
	base   Curve
	spikes []Spike
}

func (s *spiked) At(t time.Duration) float64 {
	v := s.base.At(t)
	for _, sp := range s.spikes {
		if t >= sp.At && t-sp.At < sp.Duration {
			v *= sp.Factor
		}
	}
	return v
}

// WithSpikes returns c multiplied by each spike's Factor inside its window
// [At, At+Duration); where spikes overlap their factors multiply. A spike
// with a negative duration or factor panics (the scenario validates them).
func WithSpikes(c Curve, spikes []Spike) Curve {
	if len(spikes) == 0 {
		return c
	}
	for i, sp := range spikes {
		if sp.Duration < 0 || sp.Factor < 0 || math.IsNaN(sp.Factor) {
			panic(fmt.Sprintf("workloads: WithSpikes: spike %d has negative duration or factor", i))
		}
	}
	return &spiked{base: c, spikes: append([]Spike(nil), spikes...)}
}

// ApplyNoise returns v × max(0, 1 + noise × N(0, 1)) with the normal draw
// taken from r (SCENARIO.md "Demand"; the simulator uses the stream
// service/NAME/noise). noise is a relative standard deviation (a fraction);
// with noise == 0 it returns v and draws nothing.
func ApplyNoise(v, noise float64, r *rand.Rand) float64 {
	if noise == 0 {
		return v
	}
	return v * math.Max(0, 1+noise*r.NormFloat64())
}
