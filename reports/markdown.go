package reports

import (
	"bufio"
	"io"
	"strings"

	"github.com/ecssim/ecssim/sim"
)

// WriteMarkdown writes the content of WriteTable as GitHub-flavoured
// Markdown: a level-2 heading for the scenario, level-3 headings for the
// sections, and pipe tables with numeric columns right-aligned. Suitable for
// a pull-request comment or a CI job summary.
func WriteMarkdown(w io.Writer, res *sim.Result) error {
	d := buildDocument(res)
	bw := bufio.NewWriter(w)
	bw.WriteString("## " + mdEscape(d.title) + "\n\n")
	for i, m := range d.meta {
		end := "  \n" // a hard line break between the identity lines
		if i == len(d.meta)-1 {
			end = "\n"
		}
		bw.WriteString(mdEscape(m) + end)
	}
	for _, s := range d.sections {
		bw.WriteString("\n### " + mdEscape(s.title) + "\n")
		for _, l := range s.lines {
			bw.WriteString("\n" + mdEscape(l) + "\n")
		}
		if len(s.lines) == 0 && len(s.tables) == 0 && s.empty != "" {
			bw.WriteString("\n" + s.empty + "\n")
		}
		for _, t := range s.tables {
			bw.WriteString("\n")
			writeMarkdownTable(bw, t)
		}
	}
	return bw.Flush()
}

func writeMarkdownTable(w *bufio.Writer, t table) {
	if t.caption != "" {
		w.WriteString("**" + mdEscape(t.caption) + "**\n\n")
	}
	row := func(cells []string) {
		w.WriteString("|")
		for _, c := range cells {
			w.WriteString(" " + mdCell(c) + " |")
		}
		w.WriteString("\n")
	}
	row(t.head)
	w.WriteString("|")
	for _, num := range t.numeric {
		if num {
			w.WriteString("---:|")
		} else {
			w.WriteString("---|")
		}
	}
	w.WriteString("\n")
	for _, r := range t.rows {
		row(r)
	}
}

// mdCell escapes a table cell: pipes would end the cell, and an empty cell
// is written as a space-only cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdEscape(s), "|", `\|`)
}

// mdEscape escapes the characters that would turn names such as
// "a*b" into emphasis, and angle brackets. Underscores stay: in names and paths they
// are inside words, where GitHub Markdown does not read them as emphasis.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "`", "\\`", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
