package workloads

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// maxSeconds is the largest number of seconds a time.Duration can hold.
const maxSeconds = float64(math.MaxInt64) / float64(time.Second)

// roundMs rounds d to the nearest whole millisecond (halves away from zero).
func roundMs(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// secondsToDuration converts a non-negative or negative number of seconds to
// a Duration rounded to the millisecond, saturating at the Duration range.
func secondsToDuration(s float64) time.Duration {
	ms := math.Round(s * 1000)
	switch {
	case ms >= float64(math.MaxInt64/int64(time.Millisecond)):
		return time.Duration(math.MaxInt64/int64(time.Millisecond)) * time.Millisecond
	case ms <= float64(math.MinInt64/int64(time.Millisecond)):
		return time.Duration(math.MinInt64/int64(time.Millisecond)) * time.Millisecond
	}
	return time.Duration(ms) * time.Millisecond
}

// parseSeconds parses a finite decimal number of seconds ("12.5").
func parseSeconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number of seconds", s)
	}
	if math.Abs(f) > maxSeconds {
		return 0, fmt.Errorf("%q seconds is out of range", s)
	}
	return secondsToDuration(f), nil
}

// ParseDuration parses a duration as the scenario format writes them: Go
// units ("500ms", "90s", "5m", "2h") with an optional leading day count
// ("7d", "2d10h30m"), or a plain number of seconds ("12.5"). The result is
// rounded to the millisecond. A day is exactly 24 h.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if d, err := parseSeconds(s); err == nil {
		return d, nil
	}
	neg := false
	rest := s
	if rest[0] == '-' || rest[0] == '+' {
		neg = rest[0] == '-'
		rest = rest[1:]
	}
	var total time.Duration
	if i := strings.IndexByte(rest, 'd'); i > 0 {
		days, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil || days < 0 || days*86400 > maxSeconds {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		total = secondsToDuration(days * 86400)
		rest = rest[i+1:]
	}
	if rest != "" {
		d, err := time.ParseDuration(rest)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		total += d
	}
	if neg {
		total = -total
	}
	return roundMs(total), nil
}
