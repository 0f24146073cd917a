package reports

import (
	"math"
	"strconv"
	"strings"
)

// dataText accumulates a figure's Data: one line per fact, words separated
// by single spaces, numbers with at most six significant digits, times as
// durations since the start ("3d10h"). It describes the full-resolution
// data, not the decimated drawing, except for the "drawn" counts.
type dataText struct{ b strings.Builder }

// line appends the non-empty words as one line.
func (d *dataText) line(words ...string) {
	sep := ""
	for _, w := range words {
		if w != "" {
			d.b.WriteString(sep + w)
			sep = " "
		}
	}
	d.b.WriteByte('\n')
}

func (d *dataText) String() string { return d.b.String() }

// figNum formats v with up to six significant digits; NaN is "NaN".
func figNum(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	if v == 0 {
		return "0" // no negative zero
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// headValues is how many values Data shows at each end of a series.
const headValues = 3

// seriesSummary describes a column for Data: "N points, M missing, min A
// mean B max C, values ..." with all values when there are at most
// 2*headValues, else the first and last headValues.
func seriesSummary(data []float32) string {
	st := seriesStatsOf(data)
	var b strings.Builder
	b.WriteString(strconv.Itoa(st.points) + " points, " + strconv.Itoa(st.missing) + " missing")
	b.WriteString(", min " + figNum(st.min) + " mean " + figNum(st.mean) + " max " + figNum(st.max))
	vals := func(vs []float32) string {
		s := make([]string, len(vs))
		for i, v := range vs {
			s[i] = figNum(float64(v))
		}
		return strings.Join(s, " ")
	}
	if len(data) <= 2*headValues {
		b.WriteString(", values " + vals(data))
	} else {
		b.WriteString(", first " + vals(data[:headValues]) + ", last " + vals(data[len(data)-headValues:]))
	}
	return b.String()
}
