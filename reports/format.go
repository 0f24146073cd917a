package reports

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// none is how a table shows a missing value (a statistic with no datapoints).
const none = "-"

// fixed formats v with d decimals; -0 is shown as 0.
func fixed(v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return none
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

// usd formats an amount of money with cents.
func usd(v float64) string { return fixed(v, 2) }

// count formats an integer count.
func count[T ~int | ~int64](v T) string { return strconv.FormatInt(int64(v), 10) }

// countPtr formats an optional count.
func countPtr(v *int64) string {
	if v == nil {
		return none
	}
	return count(*v)
}

// num1 formats a mean or a percentage with one decimal.
func num1(v float64) string { return fixed(v, 1) }

// ptr1 formats an optional value with one decimal.
func ptr1(v *float64) string {
	if v == nil {
		return none
	}
	return num1(*v)
}

// fractionPct shows a fraction 0-1 as a percentage with two decimals; a
// small nonzero fraction that would round to 0.00 is "<0.01", so that a
// little unserved demand is never shown as none.
func fractionPct(v *float64) string {
	if v == nil {
		return none
	}
	p := *v * 100
	if p > 0 && p < 0.005 {
		return "<0.01"
	}
	return fixed(p, 2)
}

// duration formats seconds the way scenarios write durations: "7d",
// "2d10h30m", "90s" (kept as seconds below two minutes when not whole
// minutes), "500ms". Fractions of a millisecond are rounded.
func duration(seconds float64) string {
	if math.IsNaN(seconds) || math.IsInf(seconds, 0) {
		return none
	}
	ms := int64(math.Round(seconds * 1000))
	if ms == 0 {
		return "0s"
	}
	var b strings.Builder
	if ms < 0 {
		b.WriteByte('-')
		ms = -ms
	}
	units := []struct {
		name string
		ms   int64
	}{{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}}
	for _, u := range units {
		if n := ms / u.ms; n > 0 {
			b.WriteString(strconv.FormatInt(n, 10))
			b.WriteString(u.name)
			ms -= n * u.ms
		}
	}
	return b.String()
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
