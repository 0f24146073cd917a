package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteDiffTable writes d for a terminal, readable in 80 columns for
// entity names of up to about 20 characters: the two runs' identities, a
// count of the rows that differ (and of the unchanged rows left out), the
// entities added and removed, then one table per entity (COST, SERVICE
// NAME, JOB NAME, CAPACITY PROVIDER NAME) of the rows shown, with the
// columns what, old, new, Δ and %. A null or absent value is "-"; the %
// column holds "new" or "gone" where a percentage is undefined (see
// DiffRow). Money has cents, fractions five decimals, counts none, the
// rest one.
func WriteDiffTable(w io.Writer, d DiffReport) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("ecssim diff\n")
	for _, l := range diffHeader(d) {
		bw.WriteString(l + "\n")
	}
	for _, s := range diffSections(d) {
		bw.WriteString("\n" + s.title + "\n")
		writeTextTable(bw, s.table)
	}
	return bw.Flush()
}

// WriteDiffMarkdown writes the content of WriteDiffTable as GitHub-flavoured
// Markdown for a pull-request comment: a level-2 heading, the header lines,
// and a level-3 heading and a pipe table (numbers right-aligned) per entity.
func WriteDiffMarkdown(w io.Writer, d DiffReport) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("## ecssim diff\n\n")
	head := diffHeader(d)
	for i, l := range head {
		end := "  \n" // a hard line break between the header lines
		if i == len(head)-1 {
			end = "\n"
		}
		bw.WriteString(mdEscape(l) + end)
	}
	for _, s := range diffSections(d) {
		bw.WriteString("\n### " + mdEscape(s.mdTitle) + "\n\n")
		writeMarkdownTable(bw, s.table)
	}
	return bw.Flush()
}

// diffJSON is the document WriteDiffJSON writes. Every field is always
// present; lists are [] when empty.
type diffJSON struct {
	Old            DiffRun       `json:"old"`
	New            DiffRun       `json:"new"`
	RowsCompared   int           `json:"rows_compared"`
	RowsChanged    int           `json:"rows_changed"`
	RowsUnchanged  int           `json:"rows_unchanged"`
	UnchangedShown bool          `json:"unchanged_shown"`
	Added          []string      `json:"added"`
	Removed        []string      `json:"removed"`
	Rows           []diffRowJSON `json:"rows"`
}

type diffRowJSON struct {
	Path    string     `json:"path"`
	Section string     `json:"section"`
	Entity  string     `json:"entity"`
	Metric  string     `json:"metric"`
	Unit    string     `json:"unit"`
	Status  DiffStatus `json:"status"`
	Old     *float64   `json:"old"`
	New     *float64   `json:"new"`
	Delta   *float64   `json:"delta"`
	Percent *float64   `json:"percent"`
	Note    string     `json:"note"`
}

// WriteDiffJSON writes d as one JSON object, indented by two spaces with a
// trailing newline:
//
//	{old, new: {scenario, seed, sha256, ecssim_version},
//	 rows_compared, rows_changed, rows_unchanged, unchanged_shown,
//	 added [PATH], removed [PATH],
//	 rows [{path, section, entity, metric, unit, status,
//	        old, new, delta, percent, note}]}
//
// Every key is always present; old, new, delta and percent are numbers or
// null, status is "changed", "added", "removed" or (when unchanged rows are
// shown) "unchanged", note is "new", "gone" or "". The rows are those of
// DiffReport.Shown, in report order; numbers are exact, not rounded.
func WriteDiffJSON(w io.Writer, d DiffReport) error {
	out := diffJSON{
		Old: d.Old, New: d.New,
		RowsCompared:   len(d.Rows),
		RowsChanged:    d.Changed(),
		RowsUnchanged:  len(d.Rows) - d.Changed(),
		UnchangedShown: d.ShowUnchanged,
		Added:          orEmptyList(d.Added),
		Removed:        orEmptyList(d.Removed),
		Rows:           []diffRowJSON{},
	}
	for _, r := range d.Shown() {
		out.Rows = append(out.Rows, diffRowJSON{Path: r.Path(), Section: r.Section, Entity: r.Entity,
			Metric: r.Metric, Unit: r.Unit, Status: r.Status, Old: r.Old, New: r.New,
			Delta: r.Delta, Percent: r.Percent, Note: r.Note})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("reports: writing the diff: %w", err)
	}
	return nil
}

func orEmptyList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// diffHeader is the identity of both runs, the count of rows that differ
// and the entities added and removed.
func diffHeader(d DiffReport) []string {
	lines := []string{"old: " + diffRunLine(d.Old), "new: " + diffRunLine(d.New)}
	changed := d.Changed()
	switch {
	case changed == 0:
		lines = append(lines, fmt.Sprintf("No differences in %d rows.", len(d.Rows)))
	case d.ShowUnchanged || changed == len(d.Rows):
		lines = append(lines, fmt.Sprintf("%d of %d rows differ.", changed, len(d.Rows)))
	default:
		lines = append(lines, fmt.Sprintf("%d of %d rows differ; %d unchanged rows not shown.",
			changed, len(d.Rows), len(d.Rows)-changed))
	}
	for _, a := range d.Added {
		lines = append(lines, "added: "+a)
	}
	for _, r := range d.Removed {
		lines = append(lines, "removed: "+r)
	}
	return lines
}

func diffRunLine(r DiffRun) string {
	sha := r.SHA256
	if len(sha) > 12 {
		sha = sha[:12]
	}
	return fmt.Sprintf("%s, seed %d, sha256 %s, ecssim %s", orNone(r.Scenario), r.Seed, orNone(sha), orNone(r.ECSSimVersion))
}

// diffSection is the table of one entity's shown rows.
type diffSection struct {
	title   string // for the terminal: "SERVICE web (added)"
	mdTitle string // for Markdown: "Service web (added)"
	table   table
}

// diffSectionKinds names each section in headings.
var diffSectionKinds = map[string]string{
	"cost":               "Cost (USD)",
	"services":           "Service",
	"jobs":               "Job",
	"capacity_providers": "Capacity provider",
}

// diffSections groups the shown rows by entity, in report order; an entity
// with no row shown has no section.
func diffSections(d DiffReport) []diffSection {
	var out []diffSection
	var cur *diffSection
	var curKey string
	for _, r := range d.Shown() {
		key := r.Section + "\x00" + r.Entity
		if cur == nil || key != curKey {
			kind, ok := diffSectionKinds[r.Section]
			if !ok {
				panic("reports: diff row in unknown section " + r.Section)
			}
			title := kind
			if r.Entity != "" {
				title += " " + r.Entity
			}
			switch path := r.Section + "." + r.Entity; {
			case r.Entity != "" && slices.Contains(d.Added, path):
				title += " (added)"
			case r.Entity != "" && slices.Contains(d.Removed, path):
				title += " (removed)"
			}
			upper := strings.ToUpper(kind)
			if r.Entity != "" {
				upper += strings.TrimPrefix(title, kind)
			}
			out = append(out, diffSection{title: upper, mdTitle: title,
				table: newTable("", "what", ">old", ">new", ">Δ", ">%")})
			cur, curKey = &out[len(out)-1], key
		}
		cur.table.add(r.Metric, diffValue(r.Old, r.Unit), diffValue(r.New, r.Unit), diffDelta(r), diffPercent(r))
	}
	return out
}

// diffDecimals is how many decimals a unit is shown with.
func diffDecimals(unit string) int {
	switch unit {
	case "usd":
		return 2
	case "fraction":
		return 5
	case "count":
		return 0
	default:
		return 1
	}
}

func diffValue(v *float64, unit string) string {
	if v == nil {
		return none
	}
	return fixed(*v, diffDecimals(unit))
}

// diffDelta shows Δ with its sign ("+1.5", "-2", "0.00").
func diffDelta(r DiffRow) string {
	if r.Delta == nil {
		return none
	}
	s := fixed(*r.Delta, diffDecimals(r.Unit))
	if *r.Delta != 0 && strings.Trim(strings.TrimPrefix(s, "-"), "0.") == "" {
		// Below the unit's precision: two significant digits, so a change
		// never reads as none.
		s = strconv.FormatFloat(*r.Delta, 'g', 2, 64)
	}
	return signed(s)
}

// diffPercent shows % with its sign and one decimal, or the row's note.
func diffPercent(r DiffRow) string {
	switch {
	case r.Percent != nil:
		s := fixed(*r.Percent, 1)
		if *r.Percent != 0 && strings.Trim(strings.TrimPrefix(s, "-"), "0.") == "" {
			s = fixed(*r.Percent, 2)
			if strings.Trim(strings.TrimPrefix(s, "-"), "0.") == "" {
				s = strconv.FormatFloat(*r.Percent, 'g', 1, 64)
			}
		}
		return signed(s) + "%"
	case r.Note != "":
		return r.Note
	}
	return none
}

// signed puts a "+" before a formatted positive number.
func signed(s string) string {
	if s == none || strings.HasPrefix(s, "-") || strings.Trim(s, "0.") == "" {
		return s
	}
	return "+" + s
}
