package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/reports"
)

func newDiffCmd(e *env) *cobra.Command {
	var format string
	var all bool
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "Compare two results.json and show what changed",
		Long: `Compare two results.json files (or report folders, for the results.json
inside) and print what changed, for a pull request: the monthly cost and its
parts, and per service, job and capacity provider the headline figures
(utilization, unserved demand, waits, counts, instances, reservations).
Each row shows old, new, Δ = new − old and % = Δ/old × 100 ("new" where old
is 0 or null, "gone" where new is null). Services, jobs and capacity
providers present on one side only are listed as added or removed.
Unchanged rows are counted but not shown unless --all is given.
  ecssim diff main/results.json pr/results.json --format markdown
The exit code is 0 whatever changed; 2 when a file cannot be read, with
FILE:LINE:COL for a JSON error.`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			return diffResults(e, args[0], args[1], format, all)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or markdown")
	cmd.Flags().BoolVar(&all, "all", false, "show unchanged rows too")
	return cmd
}

// diffResults is `ecssim diff`: read both files, compare, print.
func diffResults(e *env, oldArg, newArg, format string, all bool) error {
	write, err := diffWriter(format)
	if err != nil {
		return err
	}
	old, err := readResults(resultsPath(oldArg))
	if err != nil {
		return err
	}
	cur, err := readResults(resultsPath(newArg))
	if err != nil {
		return err
	}
	d := reports.Diff(old, cur)
	d.ShowUnchanged = all
	if err := write(e.stdout, d); err != nil {
		return runtimeErr(err)
	}
	return nil
}

func diffWriter(format string) (func(w io.Writer, d reports.DiffReport) error, error) {
	switch format {
	case "table":
		return reports.WriteDiffTable, nil
	case "json":
		return reports.WriteDiffJSON, nil
	case "markdown":
		return reports.WriteDiffMarkdown, nil
	}
	return nil, usageErr("--format %q: use table, json or markdown", format)
}
