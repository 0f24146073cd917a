package workloads

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// cronHorizonYears bounds the search for a cron's next firing: a cron with
// no match within this many years of `after` has none (ok = false).
const cronHorizonYears = 5

// EventBridge's year range (Amazon EventBridge Scheduler: cron expressions).
const (
	cronMinYear = 1970
	cronMaxYear = 2199
)

// cron is a parsed EventBridge cron expression: six fields, evaluated in
// UTC on whole minutes. Bit i of a mask means value i matches.
type cron struct {
	start   time.Time // UTC; offset 0
	minutes uint64    // bits 0-59
	hours   uint32    // bits 0-23
	months  uint16    // bits 1-12
	years   [4]uint64 // bit y-1970 for y in 1970-2199

	domAny bool // day-of-month is '?': days follow day-of-week
	dom    domSpec
	dow    dowSpec
}

// domSpec is a day-of-month field.
type domSpec struct {
	days        uint32 // bits 1-31
	last        bool   // L: the last day of the month
	lastWeekday bool   // LW: the last weekday (Mon-Fri) of the month
	nearest     uint32 // bits N of NW: the weekday nearest day N, within the month
}

// dowSpec is a day-of-week field; weekdays are 1 = SUN .. 7 = SAT.
type dowSpec struct {
	days    uint8 // bits 1-7
	lastOf  uint8 // bits d of dL: the last such weekday of the month
	nthDay  int   // d#n: the n-th weekday d of the month (0 when absent)
	nthWeek int
}

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
	"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

// cronField describes one field: its name in errors, range, names and the
// wildcards EventBridge allows in it.
type cronField struct {
	name      string
	min, max  int
	names     map[string]int
	wildcards string // of ", - * / ? L W #" beyond digits and names
}

var (
	fMinute = cronField{"minutes", 0, 59, nil, ",-*/"}
	fHour   = cronField{"hours", 0, 23, nil, ",-*/"}
	fDom    = cronField{"day-of-month", 1, 31, nil, ",-*?/LW"}
	fMonth  = cronField{"month", 1, 12, monthNames, ",-*/"}
	fDow    = cronField{"day-of-week", 1, 7, dayNames, ",-*?L#"}
	fYear   = cronField{"year", cronMinYear, cronMaxYear, nil, ",-*/"}
)

// parseCron parses the six space-separated fields inside cron(...); the
// rules are listed on ParseSchedule.
//
// Model assumption: names (JAN, MON, L, W) are accepted in any letter case,
// as in the Quartz syntax EventBridge derives from; ranges must not wrap
// ("FRI-MON" is an error: write "FRI-SAT,SUN-MON").
func parseCron(body string, start time.Time) (*cron, error) {
	fields := strings.Fields(body)
	if len(fields) != 6 {
		return nil, fmt.Errorf("cron: want 6 fields (minutes hours day-of-month month day-of-week year), got %d", len(fields))
	}
	c := &cron{start: start.UTC()}
	var err error
	var mask []bool
	if mask, err = fMinute.parseSimple(fields[0]); err != nil {
		return nil, err
	}
	c.minutes = uint64(maskBits(mask))
	if mask, err = fHour.parseSimple(fields[1]); err != nil {
		return nil, err
	}
	c.hours = uint32(maskBits(mask))
	if mask, err = fMonth.parseSimple(fields[3]); err != nil {
		return nil, err
	}
	c.months = uint16(maskBits(mask))
	if mask, err = fYear.parseSimple(fields[5]); err != nil {
		return nil, err
	}
	for y := cronMinYear; y <= cronMaxYear; y++ {
		if mask[y] {
			c.years[(y-cronMinYear)/64] |= 1 << ((y - cronMinYear) % 64)
		}
	}
	domQ, dowQ := fields[2] == "?", fields[4] == "?"
	switch {
	case domQ && dowQ:
		return nil, fmt.Errorf("cron: day-of-month and day-of-week are both '?': exactly one must be")
	case !domQ && !dowQ:
		return nil, fmt.Errorf("cron: one of day-of-month (%q) and day-of-week (%q) must be '?'", fields[2], fields[4])
	case domQ:
		c.domAny = true
		if c.dow, err = parseDow(fields[4]); err != nil {
			return nil, err
		}
	default:
		if c.dom, err = parseDom(fields[2]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func maskBits(mask []bool) uint64 {
	var b uint64
	for i, ok := range mask {
		if ok {
			b |= 1 << i
		}
	}
	return b
}

// parseSimple parses a field made of "*", values, ranges and increments,
// returning a mask indexed by value (0..max).
func (f cronField) parseSimple(s string) ([]bool, error) {
	mask := make([]bool, f.max+1)
	if s == "" {
		return nil, f.errorf("empty")
	}
	for _, item := range strings.Split(s, ",") {
		if err := f.addItem(item, mask); err != nil {
			return nil, err
		}
	}
	return mask, nil
}

// addItem adds one comma-separated item of the forms *, a, a-b, with an
// optional /step, to mask.
func (f cronField) addItem(item string, mask []bool) error {
	if item == "" {
		return f.errorf("empty list item")
	}
	if item == "?" {
		if strings.ContainsRune(f.wildcards, '?') {
			return f.errorf("'?' must be the whole field")
		}
		return f.errorf("'?' is not allowed (only in day-of-month or day-of-week)")
	}
	rng, stepStr, hasStep := strings.Cut(item, "/")
	lo, hi := f.min, f.max
	switch {
	case rng == "*":
	case strings.Contains(rng, "-"):
		a, b, _ := strings.Cut(rng, "-")
		var err error
		if lo, err = f.value(a); err != nil {
			return err
		}
		if hi, err = f.value(b); err != nil {
			return err
		}
		if hi < lo {
			return f.errorf("range %q runs backwards", rng)
		}
	default:
		v, err := f.value(rng)
		if err != nil {
			return err
		}
		lo = v
		hi = v
		if hasStep {
			hi = f.max // "a/n": from a to the end of the field
		}
	}
	step := 1
	if hasStep {
		if !strings.ContainsRune(f.wildcards, '/') {
			return f.errorf("'/' is not allowed")
		}
		n, err := strconv.Atoi(stepStr)
		if err != nil || n < 1 || n > f.max-f.min+1 || !isDigits(stepStr) {
			return f.errorf("increment %q must be a number from 1 to %d", stepStr, f.max-f.min+1)
		}
		step = n
	}
	for v := lo; v <= hi; v += step {
		mask[v] = true
	}
	return nil
}

// value parses a number or a name of the field and checks its range.
func (f cronField) value(s string) (int, error) {
	if s == "" {
		return 0, f.errorf("missing value")
	}
	if isDigits(s) {
		v, err := strconv.Atoi(s)
		if err != nil || v < f.min || v > f.max {
			return 0, f.errorf("value %s out of range %d-%d", s, f.min, f.max)
		}
		return v, nil
	}
	if f.names != nil {
		if v, ok := f.names[strings.ToUpper(s)]; ok {
			return v, nil
		}
		return 0, f.errorf("unknown name %q", s)
	}
	return 0, f.errorf("%q is not a number", s)
}

func (f cronField) errorf(format string, args ...any) error {
	return fmt.Errorf("cron: %s: %s", f.name, fmt.Sprintf(format, args...))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDom parses a day-of-month field: the simple forms plus L, LW and NW.
func parseDom(s string) (domSpec, error) {
	var d domSpec
	mask := make([]bool, 32)
	for _, item := range strings.Split(s, ",") {
		u := strings.ToUpper(item)
		switch {
		case u == "L":
			d.last = true
		case u == "LW":
			d.lastWeekday = true
		case strings.HasSuffix(u, "W") && isDigits(u[:len(u)-1]):
			v, err := fDom.value(u[:len(u)-1])
			if err != nil {
				return d, err
			}
			d.nearest |= 1 << v
		case strings.ContainsAny(u, "LW"):
			return d, fDom.errorf("%q: 'L' and 'W' stand alone, as in L, LW or 15W", item)
		default:
			if err := fDom.addItem(item, mask); err != nil {
				return d, err
			}
		}
	}
	d.days = uint32(maskBits(mask))
	return d, nil
}

// parseDow parses a day-of-week field: the simple forms plus L, dL and d#n.
func parseDow(s string) (dowSpec, error) {
	var d dowSpec
	items := strings.Split(s, ",")
	mask := make([]bool, 8)
	for _, item := range items {
		u := strings.ToUpper(item)
		switch {
		case strings.Contains(u, "#"):
			if len(items) != 1 {
				return d, fDow.errorf("%q: an expression with '#' must be alone in the field", s)
			}
			a, b, _ := strings.Cut(u, "#")
			day, err := fDow.value(a)
			if err != nil {
				return d, err
			}
			n, err := strconv.Atoi(b)
			if err != nil || !isDigits(b) || n < 1 || n > 5 {
				return d, fDow.errorf("%q: the week after '#' must be 1 to 5", item)
			}
			d.nthDay, d.nthWeek = day, n
		case u == "L":
			mask[7] = true // L alone: the last day of the week, SAT
		case strings.HasSuffix(u, "L"):
			day, err := fDow.value(u[:len(u)-1])
			if err != nil {
				return d, err
			}
			d.lastOf |= 1 << day
		default:
			if err := fDow.addItem(item, mask); err != nil {
				return d, err
			}
		}
	}
	d.days = uint8(maskBits(mask))
	return d, nil
}

// Next returns the first firing strictly after `after` and not before
// offset 0, searching up to cronHorizonYears ahead and not past 2199.
func (c *cron) Next(after time.Duration) (time.Duration, bool) {
	lb := time.Duration(0)
	if after >= 0 {
		lb = after + time.Nanosecond
	}
	t := c.start.Add(lb)
	if tr := t.Truncate(time.Minute); tr.Before(t) {
		t = tr.Add(time.Minute)
	}
	limit := t.AddDate(cronHorizonYears, 0, 0)
	for !t.After(limit) {
		y, mo, d := t.Date()
		if y > cronMaxYear {
			return 0, false
		}
		if y < cronMinYear || c.years[(y-cronMinYear)/64]&(1<<((y-cronMinYear)%64)) == 0 {
			t = time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
			continue
		}
		if c.months&(1<<mo) == 0 {
			t = time.Date(y, mo+1, 1, 0, 0, 0, 0, time.UTC)
			continue
		}
		if !c.dayMatches(y, mo, d, t.Weekday()) {
			t = time.Date(y, mo, d+1, 0, 0, 0, 0, time.UTC)
			continue
		}
		h, mi, _ := t.Clock()
		if c.hours&(1<<h) == 0 {
			next := nextBit(uint64(c.hours), h)
			if next < 0 {
				t = time.Date(y, mo, d+1, 0, 0, 0, 0, time.UTC)
			} else {
				t = time.Date(y, mo, d, next, 0, 0, 0, time.UTC)
			}
			continue
		}
		if c.minutes&(1<<mi) == 0 {
			next := nextBit(c.minutes, mi)
			if next < 0 {
				t = time.Date(y, mo, d, h+1, 0, 0, 0, time.UTC)
			} else {
				t = time.Date(y, mo, d, h, next, 0, 0, time.UTC)
			}
			continue
		}
		return t.Sub(c.start), true
	}
	return 0, false
}

// nextBit returns the lowest set bit of mask above position i, or -1.
func nextBit(mask uint64, i int) int {
	m := mask >> (i + 1) << (i + 1)
	if m == 0 {
		return -1
	}
	return bits.TrailingZeros64(m)
}

// dayMatches reports whether the date matches the day-of-month or (when
// that is '?') the day-of-week field.
func (c *cron) dayMatches(y int, mo time.Month, d int, wd time.Weekday) bool {
	last := daysIn(y, mo)
	if !c.domAny {
		s := &c.dom
		switch {
		case s.days&(1<<d) != 0:
			return true
		case s.last && d == last:
			return true
		case s.lastWeekday && d == lastWeekday(y, mo):
			return true
		}
		for n := s.nearest; n != 0; n &= n - 1 {
			if nearestWeekday(y, mo, bits.TrailingZeros32(n)) == d {
				return true
			}
		}
		return false
	}
	s := &c.dow
	day := int(wd) + 1 // 1 = SUN
	switch {
	case s.days&(1<<day) != 0:
		return true
	case s.lastOf&(1<<day) != 0 && d+7 > last:
		return true
	case s.nthDay == day && (d-1)/7+1 == s.nthWeek:
		return true
	}
	return false
}

func daysIn(y int, mo time.Month) int {
	return time.Date(y, mo+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func weekday(y int, mo time.Month, d int) time.Weekday {
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Weekday()
}

// lastWeekday is the last Monday-to-Friday day of the month (LW).
func lastWeekday(y int, mo time.Month) int {
	d := daysIn(y, mo)
	switch weekday(y, mo, d) {
	case time.Saturday:
		return d - 1
	case time.Sunday:
		return d - 2
	}
	return d
}

// nearestWeekday is the Monday-to-Friday day nearest day n of the month,
// never leaving the month (NW): a Saturday moves to Friday unless n is the
// 1st (then Monday the 3rd), a Sunday to Monday unless n is the last day
// (then Friday). It is -1 when the month has no day n.
func nearestWeekday(y int, mo time.Month, n int) int {
	last := daysIn(y, mo)
	if n > last {
		return -1
	}
	switch weekday(y, mo, n) {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}
