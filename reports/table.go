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
			for _, part := range wrapText(l, termWidth) {
				bw.WriteString(part + "\n")
			}
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

// termWidth is the terminal width the report is laid out for.
const termWidth = 80

// wrapText breaks s at spaces into lines of at most width runes (a word
// longer than width stands alone).
func wrapText(s string, width int) []string {
	var out []string
	var cur strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		wl := utf8.RuneCountInString(word)
		if n > 0 && n+1+wl > width {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(word)
		n += wl
	}
	if n > 0 || len(out) == 0 {
		out = append(out, cur.String())
	}
	return out
}

// writeTextTable writes t, split into several tables that each repeat the
// first (key) column when t is wider than the terminal width.
func writeTextTable(w *bufio.Writer, t table) {
	parts := splitColumns(t, termWidth)
	for i, p := range parts {
		if i > 0 {
			w.WriteString("\n")
			if p.caption == "" {
				p.caption = "(continued)"
			} else {
				p.caption += " (continued)"
			}
		}
		writeOneTable(w, p)
	}
}

// wrapLastColumn wraps the cells of t's last (text) column so the table
// fits width, when at least 20 columns are left for it.
func wrapLastColumn(t table, width int) table {
	n := len(t.head)
	if n == 0 || t.numeric[n-1] {
		return t
	}
	used := 2 + 2*(n-1)
	for _, cw := range t.widths()[:n-1] {
		used += cw
	}
	avail := width - used
	if avail < 20 {
		return t
	}
	out := t
	out.rows = nil
	for _, r := range t.rows {
		parts := wrapText(r[n-1], avail)
		for j, p := range parts {
			row := make([]string, n)
			if j == 0 {
				copy(row, r)
			}
			row[n-1] = p
			out.rows = append(out.rows, row)
		}
	}
	if utf8.RuneCountInString(t.head[n-1]) > avail {
		return t // the header itself does not fit: leave it
	}
	return out
}

// widths returns each column's width in runes: the widest of its header
// and cells.
func (t table) widths() []int {
	w := make([]int, len(t.head))
	for i, h := range t.head {
		w[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			w[i] = max(w[i], utf8.RuneCountInString(c))
		}
	}
	return w
}

// splitColumns cuts t into tables no wider than width (the two-space
// indent and column gaps included), each with t's first column and as many
// of the following columns as fit, in order.
func splitColumns(t table, width int) []table {
	w := t.widths()
	total := 2 + 2*(len(w)-1)
	for _, x := range w {
		total += x
	}
	if total <= width || len(w) <= 2 {
		return []table{t}
	}
	var out []table
	for next := 1; next < len(w); {
		cols := []int{0}
		used := 2 + w[0]
		for next < len(w) && (len(cols) == 1 || used+2+w[next] <= width) {
			cols = append(cols, next)
			used += 2 + w[next]
			next++
		}
		p := table{}
		if len(out) == 0 {
			p.caption = t.caption
		} else {
			p.caption = strings.TrimSpace(t.caption)
		}
		for _, c := range cols {
			p.head = append(p.head, t.head[c])
			p.numeric = append(p.numeric, t.numeric[c])
		}
		for _, r := range t.rows {
			row := make([]string, len(cols))
			for j, c := range cols {
				row[j] = r[c]
			}
			p.rows = append(p.rows, row)
		}
		out = append(out, p)
	}
	return out
}

// writeOneTable aligns t in columns two spaces apart, indented by two, with
// a rule under the header. A text last column too wide for the terminal
// wraps onto continuation rows.
func writeOneTable(w *bufio.Writer, t table) {
	t = wrapLastColumn(t, termWidth)
	if t.caption != "" {
		w.WriteString(t.caption + "\n")
	}
	width := t.widths()
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
