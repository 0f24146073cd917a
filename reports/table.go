package reports

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ecssim/ecssim/sim"
)

// WriteTable writes res as the terminal report of `ecssim run`: the
// scenario's identity, the cost summary (total, monthly, idle, by capacity
// provider, service and job), one table each for services, jobs and
// capacity providers, the count of scaling activities, and each assertion
// as PASS or FAIL. Columns are aligned with spaces (numbers to the right);
// a statistic with no datapoints is "-". Plain text, no colour.
func WriteTable(w io.Writer, res *sim.Result) error {
	d := buildDocument(res)
	bw := bufio.NewWriter(w)
	bw.WriteString(d.title + "\n")
	for _, m := range d.meta {
		bw.WriteString(m + "\n")
	}
	for _, s := range d.sections {
		bw.WriteString("\n" + strings.ToUpper(s.title) + "\n")
		for _, l := range s.lines {
			bw.WriteString(l + "\n")
		}
		if len(s.lines) == 0 && len(s.tables) == 0 && s.empty != "" {
			bw.WriteString(s.empty + "\n")
		}
		for i, t := range s.tables {
			if i > 0 || len(s.lines) > 0 {
				bw.WriteString("\n")
			}
			writeTextTable(bw, t)
		}
	}
	return bw.Flush()
}

// writeTextTable aligns t in columns two spaces apart, indented by two, with
// a rule under the header.
func writeTextTable(w *bufio.Writer, t table) {
	if t.caption != "" {
		w.WriteString(t.caption + "\n")
	}
	width := make([]int, len(t.head))
	for i, h := range t.head {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range cells {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.numeric[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		w.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
	line(t.head)
	rule := make([]string, len(width))
	for i, n := range width {
		rule[i] = strings.Repeat("-", n)
	}
	line(rule)
	for _, r := range t.rows {
		line(r)
	}
}
