package workloads

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a recurring or one-time firing rule in simulated time.
type Schedule interface {
	// Next returns the first firing strictly after `after`, as an offset
	// from the scenario start; ok is false when there is none (an at() in
	// the past, or a cron with no match within 5 years of `after` or before
	// the end of 2199). Firings are never before offset 0: call Next(-1) to
	// ask for the first one, which may be at 0.
	Next(after time.Duration) (t time.Duration, ok bool)
}

// ParseSchedule parses a schedule expression anchored at start (UTC):
//
//   - cron(min hour day-of-month month day-of-week year): fires at whole
//     UTC minutes matching every field (Amazon EventBridge Scheduler: cron
//     expressions; Application Auto Scaling scheduled actions use the same
//     syntax). Ranges: minutes 0-59, hours 0-23, day-of-month 1-31, month
//     1-12 or JAN-DEC, day-of-week 1-7 (1 = SUN) or SUN-SAT, year
//     1970-2199. Wildcards: "," lists, "-" ranges, "*" all, "/" increments
//     ("0/15", "*/10", "10-50/20"; not in day-of-week), "?" any (the whole
//     day-of-month or day-of-week field), "L" last (day-of-month: the last
//     day; day-of-week alone: SAT; "6L": the last Friday), "W" the weekday
//     nearest a day ("15W", "LW"; day-of-month), "#" the n-th weekday of the
//     month ("2#1": the first Monday; alone in day-of-week). Exactly one of
//     day-of-month and day-of-week must be "?";
//   - rate(N unit) with unit minute(s), hour(s) or day(s): fires at
//     start+N, start+2N, ... (SCENARIO.md "Service auto scaling"); the unit
//     is singular exactly when N is 1, as AWS requires;
//   - at(yyyy-mm-ddThh:mm:ss): fires once at that UTC time (Application
//     Auto Scaling scheduled actions); an RFC 3339 time with a zone is
//     accepted too.
//
// Errors name what is wrong, e.g. `cron: day-of-week: unknown name "FUNDAY"`.
func ParseSchedule(expr string, start time.Time) (Schedule, error) {
	s := strings.TrimSpace(expr)
	kind, rest, ok := strings.Cut(s, "(")
	if !ok || !strings.HasSuffix(rest, ")") {
		return nil, fmt.Errorf("schedule %q: want cron(...), rate(...) or at(...)", expr)
	}
	body := strings.TrimSpace(rest[:len(rest)-1])
	switch strings.TrimSpace(kind) {
	case "cron":
		return parseCron(body, start)
	case "rate":
		return parseRate(body)
	case "at":
		return parseAt(body, start)
	}
	return nil, fmt.Errorf("schedule %q: want cron(...), rate(...) or at(...)", expr)
}

// rate fires at every positive multiple of period.
type rate struct{ period time.Duration }

func (r rate) Next(after time.Duration) (time.Duration, bool) {
	if after < r.period {
		return r.period, true
	}
	k := after/r.period + 1
	if k > Never/r.period {
		return 0, false
	}
	return k * r.period, true
}

var rateUnits = map[string]time.Duration{
	"minute": time.Minute, "minutes": time.Minute,
	"hour": time.Hour, "hours": time.Hour,
	"day": 24 * time.Hour, "days": 24 * time.Hour,
}

// parseRate parses "N unit" (Amazon EventBridge Scheduler: rate
// expressions): N a positive integer; unit singular when N is 1 and plural
// otherwise.
func parseRate(body string) (Schedule, error) {
	f := strings.Fields(body)
	if len(f) != 2 {
		return nil, fmt.Errorf("rate: want rate(value unit), got rate(%s)", body)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || !isDigits(f[0]) || n < 1 {
		return nil, fmt.Errorf("rate: value %q must be a positive integer", f[0])
	}
	unit, ok := rateUnits[f[1]]
	if !ok {
		return nil, fmt.Errorf("rate: unknown unit %q (want minute(s), hour(s) or day(s))", f[1])
	}
	plural := strings.HasSuffix(f[1], "s")
	switch {
	case n == 1 && plural:
		return nil, fmt.Errorf("rate: value 1 needs the singular unit %q", strings.TrimSuffix(f[1], "s"))
	case n > 1 && !plural:
		return nil, fmt.Errorf("rate: value %d needs the plural unit %q", n, f[1]+"s")
	}
	if int64(n) > int64(Never/unit) {
		return nil, fmt.Errorf("rate: %d %s is too long", n, f[1])
	}
	return rate{period: time.Duration(n) * unit}, nil
}

// once fires at a single offset.
type once struct{ at time.Duration }

func (o once) Next(after time.Duration) (time.Duration, bool) {
	if o.at > after && o.at >= 0 {
		return o.at, true
	}
	return 0, false
}

// parseAt parses "yyyy-mm-ddThh:mm:ss" (UTC) or an RFC 3339 time.
//
// Model assumption: an at() before the scenario start never fires (the
// action's time has passed when the simulated account is created).
func parseAt(body string, start time.Time) (Schedule, error) {
	t, err := parseRFC3339(body)
	if err != nil {
		return nil, fmt.Errorf("at: %q is not yyyy-mm-ddThh:mm:ss or an RFC 3339 time", body)
	}
	return once{at: roundMs(t.Sub(start.UTC()))}, nil
}
