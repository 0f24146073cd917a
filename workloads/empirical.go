package workloads

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

type empirical struct {
	values []time.Duration // rounded to the millisecond
	mean   time.Duration
}

func (e *empirical) Sample(r *rand.Rand) time.Duration { return e.values[r.IntN(len(e.values))] }
func (e *empirical) Mean() time.Duration               { return e.mean }

// Empirical returns the distribution that draws one of values uniformly at
// random (each entry with probability 1/len(values), so repeated values
// weigh more). Values are rounded to the millisecond. It is an error if
// values is empty or holds a negative duration.
func Empirical(values []time.Duration) (Dist, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("empirical: no values")
	}
	e := &empirical{values: make([]time.Duration, len(values))}
	var sum, rem int64 // mean without overflow: quotient and remainder sums
	n := int64(len(values))
	for i, v := range values {
		if v < 0 {
			return nil, fmt.Errorf("empirical: value %d (%v) is negative", i, v)
		}
		v = roundMs(v)
		e.values[i] = v
		sum += int64(v) / n
		rem += int64(v) % n
	}
	e.mean = time.Duration(sum + rem/n)
	return e, nil
}

// ReadEmpirical reads an empirical distribution, one duration per line:
// a Go duration with an optional day count ("90s", "5m", "1d2h") or a plain
// number of seconds ("12.5"). Blank lines and comments (from '#' to the end
// of the line) are skipped. Errors are *LineError.
func ReadEmpirical(r io.Reader) (Dist, error) {
	sc := bufio.NewScanner(stripBOM(r))
	var vals []time.Duration
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		d, err := ParseDuration(s)
		if err != nil {
			return nil, lineErrorf(line, 0, "%v", err)
		}
		if d < 0 {
			return nil, lineErrorf(line, 0, "duration %q is negative", s)
		}
		vals = append(vals, d)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("empirical: %w", errNoData)
	}
	return Empirical(vals)
}
