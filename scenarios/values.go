package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration is a span of simulated time, written in scenario files as
// "500ms", "90s", "5m", "2h", "7d" or sums such as "2d10h30m".
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Millis returns d in whole milliseconds.
func (d Duration) Millis() int64 { return time.Duration(d).Milliseconds() }

// ParseDuration parses the scenario duration syntax: one or more
// <number><unit> terms with units ms, s, m, h, d (days of 24 h). Numbers
// may have a fractional part ("1.5h"). The empty string is an error.
func ParseDuration(s string) (Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	orig := s
	var total float64
	for s != "" {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("invalid duration %q: want terms such as \"90s\", \"5m\", \"2d10h\"", orig)
		}
		v, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q: bad number %q", orig, s[:i])
		}
		s = s[i:]
		j := 0 // the unit runs to the next number
		for j < len(s) && !(s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		var unit float64
		switch s[:j] {
		case "ms":
			unit = float64(time.Millisecond)
		case "s":
			unit = float64(time.Second)
		case "m":
			unit = float64(time.Minute)
		case "h":
			unit = float64(time.Hour)
		case "d":
			unit = float64(24 * time.Hour)
		case "":
			return 0, fmt.Errorf("invalid duration %q: missing unit (ms, s, m, h or d)", orig)
		default:
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (want ms, s, m, h or d)", orig, s[:j])
		}
		total += v * unit
		s = s[j:]
	}
	if total >= float64(math.MaxInt64) {
		return 0, fmt.Errorf("invalid duration %q: too long", orig)
	}
	return Duration(time.Duration(total).Round(time.Millisecond)), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements encoding.TextMarshaler, in the scenario syntax.
func (d Duration) MarshalText() ([]byte, error) { return []byte(FormatDuration(d.D())), nil }

// String returns d in the scenario syntax ("2d10h30m").
func (d Duration) String() string { return FormatDuration(d.D()) }

// FormatDuration prints d in the scenario syntax: days, hours, minutes,
// seconds and milliseconds, largest first, zero terms left out ("0s" for
// zero).
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	units := []struct {
		n string
		v time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}}
	for _, u := range units {
		if d >= u.v {
			fmt.Fprintf(&b, "%d%s", d/u.v, u.n)
			d %= u.v
		}
	}
	return b.String()
}

// StringList is a string or a list of strings.
type StringList []string

// UnmarshalTOML accepts "a" or ["a", "b"].
func (l *StringList) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		*l = StringList{x}
	case []any:
		out := make(StringList, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("want a string or a list of strings, found %T", e)
			}
			out = append(out, s)
		}
		*l = out
	default:
		return fmt.Errorf("want a string or a list of strings, found %T", v)
	}
	return nil
}

// DistSpec is a duration distribution: a plain duration (constant) or a
// table { dist = "constant"|"exponential"|"lognormal"|"uniform"|"empirical", ... }.
// The zero value (Dist == "") means absent.
type DistSpec struct {
	Dist   string   `toml:"dist" json:"dist"`
	Value  Duration `toml:"value" json:"value,omitempty"`
	Mean   Duration `toml:"mean" json:"mean,omitempty"`
	Median Duration `toml:"median" json:"median,omitempty"`
	P95    Duration `toml:"p95" json:"p95,omitempty"`
	Min    Duration `toml:"min" json:"min,omitempty"`
	Max    Duration `toml:"max" json:"max,omitempty"`
	File   string   `toml:"file" json:"file,omitempty"`
}

// UnmarshalTOML lets toml.Decode fill a DistSpec directly (Parse does not
// use it): a duration string is a constant; a table sets the fields.
func (d *DistSpec) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		du, err := ParseDuration(x)
		if err != nil {
			return err
		}
		*d = DistSpec{Dist: "constant", Value: du}
		return nil
	case map[string]any:
		var out DistSpec
		for k, e := range x {
			var err error
			switch k {
			case "dist":
				out.Dist, err = asString(k, e)
			case "file":
				out.File, err = asString(k, e)
			case "value", "mean", "median", "p95", "min", "max":
				var s string
				if s, err = asString(k, e); err == nil {
					var du Duration
					if du, err = ParseDuration(s); err == nil {
						*map[string]*Duration{"value": &out.Value, "mean": &out.Mean, "median": &out.Median,
							"p95": &out.P95, "min": &out.Min, "max": &out.Max}[k] = du
					}
				}
			default:
				err = fmt.Errorf("unknown key %q in a distribution", k)
			}
			if err != nil {
				return err
			}
		}
		*d = out
		return nil
	}
	return fmt.Errorf("want a duration string or a table { dist = ... }, got %T", v)
}

func asString(k string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: want a string, got %T", k, v)
	}
	return s, nil
}

// IsZero reports whether the distribution was absent.
func (d DistSpec) IsZero() bool { return d.Dist == "" }

// Const returns a constant distribution.
func Const(d time.Duration) DistSpec { return DistSpec{Dist: "constant", Value: Duration(d)} }

func itoa(i int) string { return strconv.Itoa(i) }
