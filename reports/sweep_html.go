package reports

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"

	"github.com/ecssim/ecssim/planner"
)

// WriteSweepHTML writes a sweep's report.html (SCENARIO.md "A study file
// for ecssim sweep"): one self-contained page in the style of the run
// report (inline CSS, figures as PNG data URIs, nothing from the network)
// with, in order:
//
//   - the title (the study file) and the scenario, a line with the counts
//     of runs, groups and replications, the objective and the Pareto spec;
//   - the best group with its objective mean ± ci95 and subject_to means,
//     or why there is none;
//   - the groups ranked by planner.RankGroups (feasible first, then by
//     the objective mean): rank, each varied key, the objective mean ±
//     ci95 (EffectPath without an objective), the mean of each subject_to
//     check's metric (✗ when the check fails), the Pareto x and y means
//     when not already shown, the number of runs and ● on the Pareto front;
//   - the figures of SweepFigures;
//   - summary.json embedded as <script type="application/json"
//     id="summary">.
//
// It is built with html/template, so every string of the study (keys,
// values, paths) is escaped. It panics if st or sum is nil.
func WriteSweepHTML(w io.Writer, st *planner.Study, sum *planner.Summary) error {
	if st == nil || sum == nil {
		panic("reports: WriteSweepHTML of a nil study or summary")
	}
	figs, err := SweepFigures(st, sum)
	if err != nil {
		return err
	}
	page := sweepPage{
		Title:   "Sweep " + st.Path,
		Meta:    sweepMeta(st, sum),
		Best:    bestSection(st, sum),
		Ranking: rankingTable(st, sum),
		Summary: sum,
	}
	for _, f := range figs {
		page.Figures = append(page.Figures, htmlFigureOf(f))
	}
	if err := sweepTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("reports: writing the sweep's %s: %w", ReportFile, err)
	}
	return nil
}

type sweepPage struct {
	Title   string
	Meta    []string
	Best    htmlSection
	Ranking sweepTable
	Figures []htmlFigure
	Summary *planner.Summary
}

// sweepTable is the ranked table of groups: a header and one row per
// group, best first.
type sweepTable struct {
	Head    []string
	Numeric []bool
	Rows    []sweepRow
	Notes   []string // the legend under the table
}

// IsNumeric reports whether column i is right-aligned.
func (t sweepTable) IsNumeric(i int) bool { return i < len(t.Numeric) && t.Numeric[i] }

// sweepRow is one group's row; Infeasible rows (failing subject_to) are
// greyed, Front rows (on the Pareto front) emphasized.
type sweepRow struct {
	Cells             []string
	Infeasible, Front bool
}

// sweepMeta is the lines under the title.
func sweepMeta(st *planner.Study, sum *planner.Summary) []string {
	meta := []string{
		"scenario " + orNone(st.ScenarioPath),
		fmt.Sprintf("%d runs · %d groups · %d %s per group",
			len(sum.Runs), len(sum.Groups), st.Replications, plural(st.Replications, "replication", "replications")),
	}
	if o := st.Objective; o != nil {
		line := "objective: " + ifText(o.Maximize, "maximize ") + ifText(!o.Maximize, "minimize ") + o.Path
		for i, c := range o.SubjectTo {
			line += ifText(i == 0, " subject to ") + ifText(i > 0, " and ") + c.String()
		}
		meta = append(meta, line)
	} else {
		meta = append(meta, "no objective: the groups are listed in grid order")
	}
	if p := st.Pareto; p != nil {
		meta = append(meta, "Pareto front: minimize "+p.X+" and "+p.Y)
	}
	return meta
}

// bestSection describes the best group, or why there is none.
func bestSection(st *planner.Study, sum *planner.Summary) htmlSection {
	s := htmlSection{Title: "Best group"}
	o := st.Objective
	switch {
	case o == nil:
		s.Empty = "no objective in the study"
		return s
	case sum.Best == nil && !anyGroupHas(sum, o.Path):
		s.Empty = "no group has " + o.Path
		return s
	case sum.Best == nil:
		s.Empty = "no group meets subject_to"
		return s
	}
	g := findGroup(sum, sum.Best.Values)
	for _, v := range sum.Best.Values {
		s.Lines = append(s.Lines, v.Key+" = "+valueText(v.Value))
	}
	ci := map[string]float64(nil)
	runs := 0
	if g != nil {
		ci, runs = g.CI95, g.Runs
	}
	s.Lines = append(s.Lines, o.Path+" = "+meanCIText(sum.Best.Mean, ci, o.Path)+
		ifText(runs > 0, fmt.Sprintf(" (mean of %d %s)", runs, plural(runs, "run", "runs"))))
	for _, c := range o.SubjectTo {
		s.Lines = append(s.Lines, c.Path+" = "+meanCIText(sum.Best.Mean, ci, c.Path)+" (subject to "+c.String()+")")
	}
	return s
}

// rankingTable lists the groups in planner.RankGroups order.
func rankingTable(st *planner.Study, sum *planner.Summary) sweepTable {
	var t sweepTable
	col := func(head string, numeric bool) {
		t.Head = append(t.Head, head)
		t.Numeric = append(t.Numeric, numeric)
	}
	col(ifText(st.Objective != nil, "rank")+ifText(st.Objective == nil, "#"), true)
	for _, v := range st.Vary {
		col(v.Key, allNumeric(v.Values))
	}
	path := EffectPath(st)
	col(path+" mean ± ci95", true)
	shown := map[string]bool{path: true}
	var checks []planner.Check
	if st.Objective != nil {
		checks = st.Objective.SubjectTo
	}
	for _, c := range checks {
		col(c.String(), true)
		shown[c.Path] = true
	}
	var extra []string
	if p := st.Pareto; p != nil {
		for _, q := range []string{p.X, p.Y} {
			if !shown[q] {
				shown[q] = true
				extra = append(extra, q)
				col(q+" mean", true)
			}
		}
	}
	col("runs", true)
	front := map[int]bool{}
	if st.Pareto != nil {
		col("Pareto", false)
		for _, f := range sum.Pareto {
			for i := range sum.Groups {
				if sum.Groups[i].Values.Equal(f.Values) {
					front[i] = true
				}
			}
		}
	}
	t.Notes = append(t.Notes, "Means over each group's runs; ± is the half-width of the 95 % confidence interval "+
		"(Student's t, n − 1 degrees of freedom), absent for a group of one run.")
	if len(checks) > 0 {
		t.Notes = append(t.Notes, "✗: the group's mean fails that subject_to check; grey rows fail one and are ranked after the others.")
	}
	if st.Pareto != nil {
		t.Notes = append(t.Notes, "●: the group is on the Pareto front.")
	}
	for rank, i := range planner.RankGroups(st, sum) {
		g := &sum.Groups[i]
		row := sweepRow{Infeasible: !planner.Feasible(st, g), Front: front[i]}
		row.Cells = append(row.Cells, strconv.Itoa(rank+1))
		for _, v := range st.Vary {
			val, _ := valueOf(g.Values, v.Key)
			row.Cells = append(row.Cells, valueText(val))
		}
		row.Cells = append(row.Cells, meanCIText(g.Mean, g.CI95, path))
		for _, c := range checks {
			cell := meanCIText(g.Mean, nil, c.Path)
			if m, ok := g.Mean[c.Path]; !ok || !c.Holds(m) {
				cell += " ✗"
			}
			row.Cells = append(row.Cells, cell)
		}
		for _, q := range extra {
			row.Cells = append(row.Cells, meanCIText(g.Mean, nil, q))
		}
		row.Cells = append(row.Cells, strconv.Itoa(g.Runs))
		if st.Pareto != nil {
			row.Cells = append(row.Cells, ifText(front[i], "●"))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// meanCIText formats mean[path] as "M ± H" with the half-width from ci
// (just "M" without one), in the same decimals; "-" without a mean.
func meanCIText(mean, ci map[string]float64, path string) string {
	m, ok := mean[path]
	if !ok || !finite(m) {
		return none
	}
	h, hasCI := ci[path]
	hasCI = hasCI && finite(h)
	ref := math.Abs(m)
	if ref == 0 && hasCI {
		ref = math.Abs(h)
	}
	d, exp := decimalsFor(ref)
	if exp {
		s := strconv.FormatFloat(m, 'g', 4, 64)
		if hasCI {
			s += " ± " + strconv.FormatFloat(h, 'g', 2, 64)
		}
		return s
	}
	s := fixed(m, d)
	if hasCI {
		s += " ± " + fixed(h, d)
	}
	return s
}

// decimalsFor returns the decimals that show a number of magnitude ref
// with five significant digits (at most 8 decimals), or exp when ref is so
// small or large that an exponent reads better.
func decimalsFor(ref float64) (d int, exp bool) {
	switch {
	case ref == 0:
		return 0, false
	case ref < 1e-4 || ref >= 1e12:
		return 0, true
	}
	d = 4 - int(math.Floor(math.Log10(ref)))
	return max(0, min(d, 8)), false
}

func anyGroupHas(sum *planner.Summary, path string) bool {
	for _, g := range sum.Groups {
		if _, ok := g.Mean[path]; ok {
			return true
		}
	}
	return false
}

// findGroup returns the group with values vs, nil when none has them.
func findGroup(sum *planner.Summary, vs planner.Values) *planner.Group {
	for i := range sum.Groups {
		if sum.Groups[i].Values.Equal(vs) {
			return &sum.Groups[i]
		}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sweepTemplate is report.html of a sweep. Its CSS is the run report's
// (html.go) plus the rules of the ranked table.
var sweepTemplate = template.Must(template.New("sweep-" + ReportFile).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
` + pageCSS + `.rank th{white-space:normal;overflow-wrap:anywhere;max-width:16em;vertical-align:bottom}
.rank tr.infeasible td{color:#8a91a0}
.rank tr.front td:last-child{color:#f28e2b;text-align:center}
.scroll{overflow-x:auto}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{range .Meta}}<p class="meta">{{.}}</p>
{{end}}<section id="best">
<h2>{{.Best.Title}}</h2>
{{range .Best.Lines}}<p>{{.}}</p>
{{end}}{{with .Best.Empty}}<p class="empty">{{.}}</p>
{{end}}</section>
<section id="groups">
<h2>Groups</h2>
{{if .Ranking.Rows}}<div class="scroll"><table class="rank">
<tr>{{$t := .Ranking}}{{range $i, $h := .Ranking.Head}}<th{{if $t.IsNumeric $i}} class="n"{{end}}>{{$h}}</th>{{end}}</tr>
{{range .Ranking.Rows}}<tr{{if or .Infeasible .Front}} class="{{if .Infeasible}}infeasible{{end}}{{if and .Infeasible .Front}} {{end}}{{if .Front}}front{{end}}"{{end}}>{{range $i, $c := .Cells}}<td{{if $t.IsNumeric $i}} class="n"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</table></div>
{{range .Ranking.Notes}}<p class="meta">{{.}}</p>
{{end}}
{{else}}<p class="empty">no groups</p>
{{end}}</section>
{{if .Figures}}<section id="figures">
<h2>Figures</h2>
{{range .Figures}}<figure id="fig-{{.Name}}">
<img src="{{.Src}}" alt="{{.Title}}">
<figcaption><strong>{{.Title}}.</strong> {{.Caption}}</figcaption>
</figure>
{{end}}</section>
{{end}}</main>
<script type="application/json" id="summary">{{.Summary}}</script>
</body>
</html>
`))
