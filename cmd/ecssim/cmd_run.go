package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/planner"
	"github.com/ecssim/ecssim/reports"
	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

type runFlags struct {
	seed            uint64
	format          string
	out             string
	quiet           bool
	checkInvariants bool
	cpuprofile      string
	memprofile      string
}

func newRunCmd(e *env) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [SCENARIO.toml]",
		Short: "Simulate a scenario and report (no file: the embedded example " + defaultExample + ")",
		Long: `Simulate a scenario from its start to its horizon and print the report on
stdout. Without a file, the embedded example "` + defaultExample + `" runs.

--out DIR writes the report folder (atomically): DIR/results.json,
DIR/timeseries.csv, DIR/report.html and the figures; "ecssim report"
re-renders it later without simulating, "ecssim diff" compares two runs.
The scenario's [[assertions]] are evaluated on the result; when one fails
the exit code is 3.

Progress goes to stderr: on a terminal, a bar with the simulated time done
and the time left; elsewhere (a CI log), a plain line each time another 10%
of the horizon is simulated and at least 5 s have passed since the last
one, and a last line with the wall time; with --quiet, none.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var seed *uint64
			if cmd.Flags().Changed("seed") {
				seed = &f.seed
			}
			return runScenario(e, args, seed, f)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&f.seed, "seed", 0, "replace the scenario's seed")
	fl.StringVar(&f.format, "format", "table", "report format on stdout: table, json or markdown")
	fl.StringVar(&f.out, "out", "", "write the report folder (results.json, timeseries.csv, report.html, figures) into `DIR`")
	fl.BoolVar(&f.quiet, "quiet", false, "print no report on stdout and no progress on stderr")
	fl.BoolVar(&f.checkInvariants, "check-invariants", false, "verify the cluster's invariants after every event (slow)")
	fl.StringVar(&f.cpuprofile, "cpuprofile", "", "write a CPU profile of the simulation to `FILE`")
	fl.StringVar(&f.memprofile, "memprofile", "", "write a heap profile after the simulation to `FILE`")
	return cmd
}

// runScenario is `ecssim run`: load, simulate, evaluate the assertions,
// write the report folder and print the report.
func runScenario(e *env, args []string, seed *uint64, f runFlags) error {
	begin := time.Now()
	switch f.format {
	case "table", "json", "markdown":
	default:
		return usageErr("--format %q: use table, json or markdown", f.format)
	}
	sc, label, err := loadScenario(args)
	if err != nil {
		return err
	}
	input := ""
	if len(args) > 0 {
		input = args[0]
	}
	if f.out != "" {
		for _, name := range []string{reports.ResultsFile, reports.TimeseriesFile} {
			if err := notAnInput(filepath.Join(f.out, name), input, "input scenario"); err != nil {
				return err
			}
		}
	}

	opt := sim.Options{Seed: seed, CheckInvariants: f.checkInvariants, Version: ecssimVersion()}
	prog := newProgress(e, sc.Name, f.quiet)
	opt.Progress = prog.update
	res, err := simulate(sc, opt, f.cpuprofile)
	prog.finish(err == nil)
	if err != nil {
		return err
	}
	if f.memprofile != "" {
		if err := writeHeapProfile(f.memprofile); err != nil {
			return err
		}
	}

	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "ecssim: warning: %s\n", w)
	}
	res.Assertions = planner.EvaluateAssertions(res, checks(sc))
	res.RunInfo = sim.RunInfo{
		ECSSimVersion: ecssimVersion(),
		GeneratedAt:   time.Now().UTC().Format(time.RFC3339),
		WallSeconds:   roundMillis(time.Since(begin).Seconds()),
	}

	if f.out != "" {
		if err := reports.WriteDir(f.out, res); err != nil {
			return runtimeErr(err)
		}
		wroteFolder(e, label, f.out)
	}
	if !f.quiet {
		var err error
		switch f.format {
		case "table":
			err = reports.WriteTable(e.stdout, res)
		case "json":
			err = reports.WriteJSON(e.stdout, res)
		case "markdown":
			err = reports.WriteMarkdown(e.stdout, res)
		}
		if err != nil {
			return runtimeErr(err)
		}
	}
	return assertionOutcome(e, res.Assertions)
}

// simulate runs sc under an optional CPU profile. A failure of the run is a
// runtime error (exit 1).
func simulate(sc *scenarios.Scenario, opt sim.Options, cpuprofile string) (res *sim.Result, err error) {
	if cpuprofile != "" {
		pf, err := os.Create(cpuprofile)
		if err != nil {
			return nil, runtimeErr(fmt.Errorf("--cpuprofile: %w", err))
		}
		defer func() {
			pprof.StopCPUProfile()
			if cerr := pf.Close(); cerr != nil && err == nil {
				err = runtimeErr(fmt.Errorf("--cpuprofile: %w", cerr))
			}
		}()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return nil, runtimeErr(fmt.Errorf("--cpuprofile: %w", err))
		}
	}
	res, err = sim.Run(sc, opt)
	if err != nil {
		return nil, runtimeErr(err)
	}
	if res == nil {
		return nil, runtimeErr(errors.New("sim.Run returned no result"))
	}
	return res, nil
}

func writeHeapProfile(path string) error {
	pf, err := os.Create(path)
	if err != nil {
		return runtimeErr(fmt.Errorf("--memprofile: %w", err))
	}
	runtime.GC() // up-to-date statistics
	if err := pprof.WriteHeapProfile(pf); err != nil {
		pf.Close()
		return runtimeErr(fmt.Errorf("--memprofile: %w", err))
	}
	if err := pf.Close(); err != nil {
		return runtimeErr(fmt.Errorf("--memprofile: %w", err))
	}
	return nil
}

// assertionOutcome prints each failed assertion on stderr and returns exit
// code 3 when there is one. A check whose path fails (missing, null, not a
// number) counts as failed, with its reason.
func assertionOutcome(e *env, as []sim.AssertionResult) error {
	failed := 0
	for _, a := range as {
		if a.Passed {
			continue
		}
		failed++
		switch {
		case a.Error != "":
			fmt.Fprintf(e.stderr, "ecssim: assertion failed: %s: %s\n", a.Check, a.Error)
		case a.Value != nil:
			fmt.Fprintf(e.stderr, "ecssim: assertion failed: %s (value %s)\n", a.Check,
				strconv.FormatFloat(*a.Value, 'g', 6, 64))
		default:
			fmt.Fprintf(e.stderr, "ecssim: assertion failed: %s\n", a.Check)
		}
	}
	if failed > 0 {
		fmt.Fprintf(e.stderr, "ecssim: %d of %d assertions failed\n", failed, len(as))
		return silent(exitAssertion)
	}
	return nil
}

// roundMillis rounds seconds to the millisecond, for run_info.wall_seconds.
func roundMillis(s float64) float64 {
	return float64(time.Duration(s*float64(time.Second)).Round(time.Millisecond)) / float64(time.Second)
}
