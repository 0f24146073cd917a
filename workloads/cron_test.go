package workloads

import (
	"strings"
	"testing"
	"time"
)

// monday is the scenario's default start, 2026-01-05T00:00:00Z, a Monday.
// Calendar facts used below, checked against a printed 2026 calendar:
// Jan 1 is a Thursday, Jan 10 a Saturday, Jan 11 a Sunday, Jan 15 a
// Thursday, Jan 30 a Friday, Jan 31 a Saturday, Feb 2 a Monday, Feb 15 a
// Sunday; January has 31 days, February 2026 has 28.
var monday = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// firings returns the first n firings of s, starting with Next(-1).
func firings(t *testing.T, s Schedule, n int) []time.Duration {
	t.Helper()
	var out []time.Duration
	after := time.Duration(-1)
	for range n {
		next, ok := s.Next(after)
		if !ok {
			break
		}
		if next <= after {
			t.Fatalf("Next(%v) = %v, not strictly after", after, next)
		}
		out = append(out, next)
		after = next
	}
	return out
}

func TestCronFirings(t *testing.T) {
	// Source: Amazon EventBridge Scheduler, "cron and rate expressions":
	// six fields (minutes hours day-of-month month day-of-week year), UTC;
	// day-of-week 1-7 = SUN-SAT; L, W and # as documented there.
	tests := []struct {
		rule, expr string
		start      time.Time
		want       []time.Duration
	}{
		{"weekdays at 08:00: Mon 5 .. Fri 9, then Mon 12 (Sat 10 and Sun 11 skipped)",
			"cron(0 8 ? * MON-FRI *)", monday,
			[]time.Duration{8 * time.Hour, day + 8*time.Hour, 2*day + 8*time.Hour, 3*day + 8*time.Hour, 4*day + 8*time.Hour, 7*day + 8*time.Hour}},
		{"the same with numbers: MON-FRI = 2-6",
			"cron(0 8 ? * 2-6 *)", monday,
			[]time.Duration{8 * time.Hour, day + 8*time.Hour, 2*day + 8*time.Hour, 3*day + 8*time.Hour, 4*day + 8*time.Hour, 7*day + 8*time.Hour}},
		{"daily at 02:00",
			"cron(0 2 * * ? *)", monday,
			[]time.Duration{2 * time.Hour, day + 2*time.Hour, 2*day + 2*time.Hour}},
		{"every 15 minutes from minute 0; 00:00 itself is a firing",
			"cron(0/15 * * * ? *)", monday,
			[]time.Duration{0, 15 * time.Minute, 30 * time.Minute, 45 * time.Minute, time.Hour}},
		{"*/20 is the same as 0/20",
			"cron(*/20 * * * ? *)", monday,
			[]time.Duration{0, 20 * time.Minute, 40 * time.Minute, time.Hour}},
		{"1/10: minutes 1, 11, 21, ... (the AWS example)",
			"cron(1/10 * * * ? *)", monday,
			[]time.Duration{time.Minute, 11 * time.Minute, 21 * time.Minute}},
		{"firings are whole UTC minutes even when start is not",
			"cron(0/15 * * * ? *)", monday.Add(30 * time.Second),
			[]time.Duration{14*time.Minute + 30*time.Second, 29*time.Minute + 30*time.Second}},
		{"first of the month at noon: Feb 1 is 27 days after Jan 5, Mar 1 is 28 more",
			"cron(0 12 1 * ? *)", monday,
			[]time.Duration{27*day + 12*time.Hour, 55*day + 12*time.Hour}},
		{"day-of-week 1 = SUN: Sunday Jan 11 09:30, then Jan 18",
			"cron(30 9 ? * 1 *)", monday,
			[]time.Duration{6*day + 9*time.Hour + 30*time.Minute, 13*day + 9*time.Hour + 30*time.Minute}},
		{"day-of-week 7 = SAT: Saturday Jan 10",
			"cron(0 0 ? * 7 *)", monday,
			[]time.Duration{5 * day, 12 * day}},
		{"SUN by name equals 1",
			"cron(0 0 ? * SUN *)", monday,
			[]time.Duration{6 * day, 13 * day}},
		{"lists: hours 6 and 18",
			"cron(0 6,18 * * ? *)", monday,
			[]time.Duration{6 * time.Hour, 18 * time.Hour, day + 6*time.Hour}},
		{"L in day-of-month: Jan 31, then Feb 28",
			"cron(0 0 L * ? *)", monday,
			[]time.Duration{26 * day, 54 * day}},
		{"LW: Jan 31 is a Saturday, so Friday Jan 30",
			"cron(0 0 LW * ? *)", monday,
			[]time.Duration{25 * day}},
		{"15W: Thu Jan 15; Feb 15 is a Sunday, so Mon Feb 16 (42 days after Jan 5)",
			"cron(0 0 15W * ? *)", monday,
			[]time.Duration{10 * day, 42 * day}},
		{"2#1: the first Monday: Jan 5 itself, then Feb 2",
			"cron(0 0 ? * 2#1 *)", monday,
			[]time.Duration{0, 28 * day}},
		{"6L: the last Friday of January is Jan 30",
			"cron(0 0 ? * 6L *)", monday,
			[]time.Duration{25 * day}},
		{"year 2027 only: 2027-01-01 is 361 days after 2026-01-05",
			"cron(0 0 1 1 ? 2027)", monday,
			[]time.Duration{361 * day}},
		{"month names: MAR only; Mar 1 2026 is 55 days after Jan 5",
			"cron(0 0 1 MAR ? *)", monday,
			[]time.Duration{55 * day}},
		{"Feb 29 waits for the leap year 2028: 361 + 365 + 59 = 785 days",
			"cron(0 0 29 2 ? *)", monday,
			[]time.Duration{785 * day}},
		{"a year already past never fires",
			"cron(0 0 1 1 ? 2025)", monday, nil},
		{"February 30 never exists: no firing within the horizon",
			"cron(0 0 30 2 ? *)", monday, nil},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			s, err := ParseSchedule(tc.expr, tc.start)
			if err != nil {
				t.Fatalf("ParseSchedule(%q): %v", tc.expr, err)
			}
			got := firings(t, s, len(tc.want)+boolInt(tc.want == nil))
			if len(tc.want) == 0 && len(got) != 0 {
				t.Fatalf("%s: got %v, want no firing", tc.expr, got)
			}
			if len(tc.want) > 0 && !equalDurations(got, tc.want) {
				t.Fatalf("%s: got %v, want %v", tc.expr, got, tc.want)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCronWeekdaysNeverOnWeekend(t *testing.T) {
	// Source: Amazon EventBridge Scheduler, "cron and rate expressions":
	// MON-FRI selects days 2-6. Over a year of firings none is a Saturday
	// or Sunday, and every weekday of the year fires exactly once.
	s, err := ParseSchedule("cron(0 8 ? * MON-FRI *)", monday)
	if err != nil {
		t.Fatal(err)
	}
	weekdays := 0
	for d := monday; d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			weekdays++
		}
	}
	n := 0
	for _, f := range firings(t, s, 400) {
		w := monday.Add(f)
		if w.Year() != 2026 {
			break
		}
		n++
		if wd := w.Weekday(); wd == time.Saturday || wd == time.Sunday || w.Hour() != 8 || w.Minute() != 0 {
			t.Fatalf("fired at %v", w)
		}
	}
	if n != weekdays {
		t.Fatalf("fired %d times in 2026 after Jan 5, want %d weekdays", n, weekdays)
	}
}

func TestCronErrors(t *testing.T) {
	// Source: Amazon EventBridge Scheduler, "cron and rate expressions":
	// six required fields; value ranges per field; "You can't specify the
	// Day-of-month and Day-of-week fields in the same cron expression. If you
	// specify a value or a * in one of the fields, you must use a ? in the
	// other"; "#" allows a single expression in day-of-week.
	tests := []struct{ expr, want string }{
		{"cron(0 8 * * ?)", "want 6 fields"},
		{"cron(0 8 * * ? * *)", "want 6 fields"},
		{"cron(0 8 * * MON-FRI *)", "must be '?'"},
		{"cron(0 8 1 * MON *)", "must be '?'"},
		{"cron(0 8 ? * ? *)", "both '?'"},
		{"cron(60 8 * * ? *)", "cron: minutes: value 60 out of range 0-59"},
		{"cron(0 24 * * ? *)", "cron: hours: value 24 out of range 0-23"},
		{"cron(0 0 32 * ? *)", "cron: day-of-month: value 32 out of range 1-31"},
		{"cron(0 0 0 * ? *)", "cron: day-of-month: value 0 out of range 1-31"},
		{"cron(0 0 1 13 ? *)", "cron: month: value 13 out of range 1-12"},
		{"cron(0 0 ? * 8 *)", "cron: day-of-week: value 8 out of range 1-7"},
		{"cron(0 0 ? * 0 *)", "cron: day-of-week: value 0 out of range 1-7"},
		{"cron(0 0 1 1 ? 1969)", "cron: year: value 1969 out of range 1970-2199"},
		{"cron(0 0 ? * FUNDAY *)", `cron: day-of-week: unknown name "FUNDAY"`},
		{"cron(0 0 1 JANUARY ? *)", `cron: month: unknown name "JANUARY"`},
		{"cron(0 0 ? * MON/2 *)", "cron: day-of-week: '/' is not allowed"},
		{"cron(0 0 ? * 2#1,3#2 *)", "must be alone"},
		{"cron(0 0 ? * 2#6 *)", "1 to 5"},
		{"cron(0 0 ? * FRI-MON *)", "runs backwards"},
		{"cron(0/0 * * * ? *)", "increment"},
		{"cron(0 0 1,,2 * ? *)", "empty list item"},
		{"cron(x 0 * * ? *)", `cron: minutes: "x" is not a number`},
		{"cron(0 0 W * ? *)", "day-of-month"},
		{"cron(0 0 L,? * ? *)", "must be the whole field"},
		{"cron(? 0 1 * ? *)", "cron: minutes: '?' is not allowed"},
		{"crn(0 0 * * ? *)", "want cron(...), rate(...) or at(...)"},
		{"cron(0 0 * * ? *", "want cron(...), rate(...) or at(...)"},
	}
	for _, tc := range tests {
		_, err := ParseSchedule(tc.expr, monday)
		if err == nil {
			t.Errorf("ParseSchedule(%q): no error, want one containing %q", tc.expr, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSchedule(%q) = %q, want it to contain %q", tc.expr, err, tc.want)
		}
	}
}

func TestCronNamesAnyCase(t *testing.T) {
	// Model assumption (cron.go): names are case-insensitive, as in Quartz.
	a, err := ParseSchedule("cron(0 8 ? * mon-fri *)", monday)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ParseSchedule("cron(0 8 ? * MON-FRI *)", monday)
	if !equalDurations(firings(t, a, 10), firings(t, b, 10)) {
		t.Fatal("lower-case names fire differently")
	}
}

func BenchmarkCronNext(b *testing.B) {
	s, err := ParseSchedule("cron(0 8 ? * MON-FRI *)", monday)
	if err != nil {
		b.Fatal(err)
	}
	after := time.Duration(-1)
	for b.Loop() {
		next, ok := s.Next(after)
		if !ok {
			after = -1
			continue
		}
		after = next
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "firings/s")
}
