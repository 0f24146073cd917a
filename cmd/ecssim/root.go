package main

import (
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// env is what the commands may touch of the outside world.
type env struct {
	stdout io.Writer // data: tables, JSON, TOML
	stderr io.Writer // progress, notes, errors
	// now is the wall clock of the progress lines; nil is time.Now.
	now func() time.Time
}

// clock returns the wall clock.
func (e *env) clock() func() time.Time {
	if e.now == nil {
		return time.Now
	}
	return e.now
}

// stderrIsTerminal reports whether stderr is an interactive terminal (the
// progress bar is drawn only then; elsewhere progress is plain lines).
func (e *env) stderrIsTerminal() bool {
	f, ok := e.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newRootCmd builds the command tree. Cobra prints nothing itself: errors
// are returned to run, which prints them and picks the exit code.
func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "ecssim",
		Short: "Simulate an AWS ECS cluster and report what it does and costs",
		Long: `ecssim replays days of traffic through a model of an ECS cluster (services,
jobs, capacity providers, auto scaling, deployments, Spot) and reports
utilization, waiting, scaling activity and cost.

For example:
  ecssim run scenario.toml --out out           simulate; write a report folder
  ecssim report out/results.json --out html    re-render it without simulating
  ecssim diff base/results.json out/results.json     what changed between runs

Data goes to stdout; progress, warnings and errors to stderr.
Exit codes: 0 ok, 1 runtime error, 2 invalid usage or scenario,
3 an assertion failed.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		Args:              cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.AddCommand(
		newRunCmd(e),
		newValidateCmd(e),
		newReportCmd(e),
		newDiffCmd(e),
		newExamplesCmd(e),
		newPricesCmd(e),
		newPackCmd(e),
		newRecommendCmd(e),
		newSweepCmd(e),
		newVersionCmd(e),
	)
	return root
}
