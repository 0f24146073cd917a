package reports

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"io"

	"github.com/ecssim/ecssim/sim"
)

// ReportFile is the name of the HTML report in a report folder.
const ReportFile = "report.html"

// WriteHTML writes report.html: one self-contained page (inline CSS,
// figures as data URIs, no script or style from the network) that opens
// with the scenario's identity, then the summary sections, the figures,
// and the "why" sections (placement failures, scaling activities,
// deployments, interruptions, events, assertions, warnings), using the
// same sections and words as the terminal report. The whole results.json
// is embedded in a <script type="application/json" id="results"> block.
// It is built with html/template, so every string from the scenario
// (names, reasons) is escaped.
//
// extra sections (a caller's own, such as the recommendations) follow the
// summary.
func WriteHTML(w io.Writer, res *sim.Result, figs []Figure, extra ...Section) error {
	d := buildDocument(res)
	split := min(2, len(d.sections)) // cost and services, then the figures
	page := htmlPage{
		Title:   d.title,
		Meta:    d.meta,
		Ident:   identLine(res),
		Summary: htmlSections(d.sections[:split]),
		Why:     htmlSections(d.sections[split:]),
		Results: normalized(res),
	}
	for _, x := range extra {
		s := section{title: x.Title, lines: x.Lines, empty: "none"}
		for _, t := range x.Tables {
			if len(t.Numeric) != len(t.Head) {
				t.Numeric = make([]bool, len(t.Head))
			}
			s.tables = append(s.tables, table{caption: t.Caption, head: t.Head, numeric: t.Numeric, rows: t.Rows})
		}
		page.Summary = append(page.Summary, htmlSections([]section{s})...)
	}
	for _, f := range figs {
		page.Figures = append(page.Figures, htmlFigureOf(f))
	}
	if err := htmlTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("reports: writing %s: %w", ReportFile, err)
	}
	return nil
}

// htmlFigureOf embeds f in a page as its PNG: each SVG embeds its font
// (about 0.5 MB), which would repeat in every figure of the page;
// figures/*.svg keep the vector versions.
func htmlFigureOf(f Figure) htmlFigure {
	return htmlFigure{Name: f.Name, Title: f.Title, Caption: f.Caption,
		Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(f.PNG))}
}

// Section is a titled block of text lines and tables that a caller adds to
// report.html (escaped like everything else).
type Section struct {
	Title  string
	Lines  []string
	Tables []Table
}

// Table is a caption, a header and rows of cells; Numeric marks the
// right-aligned columns (nil: none).
type Table struct {
	Caption string
	Head    []string
	Numeric []bool
	Rows    [][]string
}

// identLine names what the figures mean: region, start, pricing date.
func identLine(res *sim.Result) string {
	sc := res.Scenario
	return fmt.Sprintf("region %s · start %s · horizon %s · warmup %s · seed %d · prices as of %s",
		orNone(sc.Region), orNone(sc.Start), duration(sc.DurationSeconds), duration(sc.WarmupSeconds), sc.Seed, orNone(sc.PricingDate))
}

type htmlPage struct {
	Title, Ident string
	Meta         []string
	Summary, Why []htmlSection
	Figures      []htmlFigure
	Results      *sim.Result
}

type htmlSection struct {
	Title  string
	Lines  []string
	Tables []table
	Empty  string
}

type htmlFigure struct {
	Name, Title, Caption string
	Src                  template.URL
}

func htmlSections(in []section) []htmlSection {
	out := make([]htmlSection, len(in))
	for i, s := range in {
		out[i] = htmlSection{Title: s.title, Lines: s.lines, Tables: s.tables, Empty: s.empty}
	}
	return out
}

// Exported views of a table for the template.
func (t table) Caption() string    { return t.caption }
func (t table) Head() []string     { return t.head }
func (t table) Rows() [][]string   { return t.rows }
func (t table) Numeric(i int) bool { return i < len(t.numeric) && t.numeric[i] }

// pageCSS is the style of every report page (a run's and a sweep's).
const pageCSS = `body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #dde1e7}
.meta{color:#5a6272;margin:2px 0}
table{border-collapse:collapse;margin:8px 0 14px;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{padding:3px 10px;border-bottom:1px solid #eceff3;text-align:left;white-space:nowrap}
th{background:#f1f3f6;font-weight:600}
td.n,th.n{text-align:right}
figure{margin:18px 0 26px}
figure img{display:block;max-width:100%;height:auto;border:1px solid #eceff3}
figcaption{color:#5a6272;margin-top:4px}
.empty{color:#8a91a0}
`

var htmlTemplate = template.Must(template.New(ReportFile).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
` + pageCSS + `</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="meta">{{.Ident}}</p>
{{range .Meta}}<p class="meta">{{.}}</p>
{{end}}
{{define "section"}}<section>
<h2>{{.Title}}</h2>
{{range .Lines}}<p>{{.}}</p>
{{end}}{{range .Tables}}<table>
{{with .Caption}}<caption>{{.}}</caption>{{end}}
<tr>{{$t := .}}{{range $i, $h := .Head}}<th{{if $t.Numeric $i}} class="n"{{end}}>{{$h}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if $t.Numeric $i}} class="n"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{if and (not .Lines) (not .Tables)}}<p class="empty">{{.Empty}}</p>
{{end}}</section>
{{end}}
{{range .Summary}}{{template "section" .}}{{end}}
{{if .Figures}}<section>
<h2>Figures</h2>
{{range .Figures}}<figure id="fig-{{.Name}}">
<img src="{{.Src}}" alt="{{.Title}}">
<figcaption><strong>{{.Title}}.</strong> {{.Caption}}</figcaption>
</figure>
{{end}}</section>
{{end}}
{{range .Why}}{{template "section" .}}{{end}}
</main>
<script type="application/json" id="results">{{.Results}}</script>
</body>
</html>
`))
