package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/reports"
)

func newReportCmd(e *env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "report RESULTS.json --out DIR",
		Short: "Re-render a report folder from results.json without simulating",
		Long: `Read RESULTS.json (or a report folder, for the results.json inside) and the
timeseries.csv beside it, and write the report folder DIR again as
` + "`ecssim run --out`" + ` does, without simulating: results.json and timeseries.csv
(byte-identical to their inputs when written by the same version),
report.html and the figures. DIR may not be the folder being read.
  ecssim run --quiet --out base scenario.toml && ecssim report base --out html
Exit code 2 when an input cannot be read, naming the file (FILE:LINE:COL for
a JSON error).`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return rerender(e, args[0], out)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the report folder into `DIR` (required)")
	return cmd
}

// rerender is `ecssim report`: read results.json and timeseries.csv, write
// the report folder.
func rerender(e *env, arg, out string) error {
	if out == "" {
		return usageErr("--out DIR is required: the folder to write the report into")
	}
	path := resultsPath(arg)
	csvPath := filepath.Join(filepath.Dir(path), reports.TimeseriesFile)
	for _, name := range []string{reports.ResultsFile, reports.TimeseriesFile} {
		for _, input := range []string{path, csvPath} {
			if err := notAnInput(filepath.Join(out, name), input, "input"); err != nil {
				return err
			}
		}
	}
	res, err := readResults(path)
	if err != nil {
		return err
	}
	if _, serr := os.Stat(csvPath); errors.Is(serr, fs.ErrNotExist) {
		// A lone results.json: the report without its time-series figures.
		fmt.Fprintf(e.stderr, "ecssim: warning: %s not found: the report has no time-series figures\n", csvPath)
	} else if res.Series, err = readTimeseries(csvPath); err != nil {
		return err
	}
	if err := reports.WriteDir(out, res); err != nil {
		return runtimeErr(err)
	}
	wroteFolder(e, path, out)
	return nil
}

// wroteFolder notes on stderr that the report folder dir was written from
// label (the scenario or the results.json read).
func wroteFolder(e *env, label, dir string) {
	fmt.Fprintf(e.stderr, "ecssim: %s: wrote %s (%s, %s, %s and %s/)\n", label, dir,
		reports.ResultsFile, reports.TimeseriesFile, reports.ReportFile, reports.FiguresDir)
}
