// Package reports renders a sim.Result; it computes nothing new and decides
// nothing. It owns the output formats:
//
//	sim.Result ─┬─► WriteJSON          results.json (indented, deterministic)
//	            ├─► WriteTable         the terminal table of `ecssim run`
//	            ├─► WriteMarkdown      the same content as GitHub tables
//	            ├─► WriteTimeseriesCSV timeseries.csv (one row per metrics period)
//	            └─► WriteDir           results.json + timeseries.csv, atomically
//
// report.html and the figures come with a later issue.
//
// Conventions: a statistic with no datapoints (a nil pointer in the Result)
// is "-" in tables and null in JSON; percentages are shown 0-100; money in
// USD with cents; durations as in scenarios ("7d", "2h30m"). Every listing
// of a map is sorted by key, so the output is a pure function of the Result.
package reports
