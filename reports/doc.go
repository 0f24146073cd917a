// Package reports renders a sim.Result; it computes nothing new and decides
// nothing. It owns the output formats:
//
//	sim.Result ─┬─► WriteJSON          results.json (indented, deterministic)
//	            ├─► WriteTable         the terminal table of `ecssim run`
//	            ├─► WriteMarkdown      the same content as GitHub tables
//	            ├─► WriteTimeseriesCSV timeseries.csv (one row per metrics period)
//	            ├─► Figures            the report's figures (gonum/plot), SVG and PNG
//	            ├─► WriteHTML          report.html: one self-contained page
//	            └─► WriteDir           all of them into a folder, each file atomically
//
//	two results ──► Diff ─► WriteDiffTable / WriteDiffJSON / WriteDiffMarkdown
//	timeseries.csv ──► ReadTimeseriesCSV (so `ecssim report` re-renders)
//	planner.Summary ──► WriteSweepHTML   a sweep's report.html (ranked groups,
//	                    SweepFigures     the Pareto chart, each key's effect)
//
// Files: model.go (the sections shared by the table, Markdown and HTML),
// table.go, markdown.go, json.go, csv.go, csv_read.go, html.go, dir.go,
// figures*.go (one file per concern: series, time axis, style, marks,
// plotters, rendering, the data text), diff.go and diff_write.go,
// sweep_html.go and sweep_figures.go.
//
// Conventions: a statistic with no datapoints (a nil pointer in the Result)
// is "-" in tables and null in JSON; percentages are shown 0-100; money in
// USD with cents; durations as in scenarios ("7d", "2h30m"). Every listing
// of a map is sorted by key, so the output is a pure function of the Result.
package reports
