package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/planner"
	"github.com/ecssim/ecssim/reports"
	"github.com/ecssim/ecssim/sim"
)

// The environment variables --shard auto/N reads the shard index from:
// a Kubernetes Indexed Job's and an AWS Batch array job's.
var shardIndexEnv = []string{"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"}

// SweepReportFile is the sweep's HTML report in its folder.
const sweepReportFile = "report.html"

func newSweepCmd(e *env) *cobra.Command {
	var (
		parallel int
		shard    string
		out      string
		quiet    bool
	)
	cmd := &cobra.Command{
		Use:   "sweep STUDY.toml",
		Short: "Run a what-if study: scenario variants × replications, in parallel or in shards",
		Long: `Run every variant of the study's scenario (the product of its [[vary]] lists,
first key outermost) and replication (seeds: the scenario's seed + 0, 1, ...),
on all cores (--parallel N to choose), writing DIR/runs/RUN_ID.json (one
results.json per run), then DIR/summary.json (group means with 95 %
t-intervals, the objective's best group under subject_to, the Pareto front)
and DIR/report.html.

A run whose file exists is not run again, so an interrupted sweep resumes with
the same command. --shard I/N runs the runs whose index modulo N is I
(0-based); --shard auto/N reads I from JOB_COMPLETION_INDEX (a Kubernetes
Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (an AWS Batch array job). When the
last shard finds every run done it writes the summary; otherwise run
"ecssim sweep merge DIR" once all shards are done. deploy/ has the manifests.

--out defaults to NAME-sweep in the current folder, NAME being the study
file's name without .toml.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if parallel < 0 {
				return usageErr("--parallel %d: want 0 (all cores) or more", parallel)
			}
			i, n, err := parseShard(shard)
			if err != nil {
				return err
			}
			return sweep(e, args[0], parallel, i, n, out, quiet)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&parallel, "parallel", 0, "runs at once (0: the study's parallel, else all cores)")
	fl.StringVar(&shard, "shard", "", "run one shard: `I/N` (0 <= I < N), or auto/N")
	fl.StringVar(&out, "out", "", "the sweep folder `DIR` (default STUDY-sweep)")
	fl.BoolVar(&quiet, "quiet", false, "no summary on stdout, no progress on stderr")
	cmd.AddCommand(newSweepMergeCmd(e))
	return cmd
}

func newSweepMergeCmd(e *env) *cobra.Command {
	var quiet bool
	cmd := &cobra.Command{
		Use:   "merge DIR",
		Short: "Build summary.json and report.html of a sharded sweep from its run files",
		Long: `Read DIR/study.json and every DIR/runs/RUN_ID.json (written by the shards of
"ecssim sweep --shard") and write DIR/summary.json and DIR/report.html. The
result equals the unsharded sweep's outside run_info. Every run must have its
file.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			begin := time.Now()
			st, sum, err := planner.MergeSweep(args[0], runInfo(begin))
			if err != nil {
				return runtimeErr(err)
			}
			return finishSweep(e, st, sum, args[0], quiet)
		},
	}
	cmd.Flags().BoolVar(&quiet, "quiet", false, "no summary on stdout")
	return cmd
}

// parseShard reads --shard: "" (all runs), "I/N" or "auto/N".
func parseShard(s string) (i, n int, err error) {
	if s == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	n, err = strconv.Atoi(b)
	if !ok || err != nil || n < 1 {
		return 0, 0, usageErr("--shard %q: want I/N or auto/N with N >= 1", s)
	}
	if a == "auto" {
		for _, name := range shardIndexEnv {
			if v, set := os.LookupEnv(name); set {
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || i < 0 || i >= n {
					return 0, 0, usageErr("--shard auto/%d: %s=%q is not an index from 0 to %d", n, name, v, n-1)
				}
				return i, n, nil
			}
		}
		return 0, 0, usageErr("--shard auto/%d: neither %s is set", n, strings.Join(shardIndexEnv, " nor "))
	}
	i, err = strconv.Atoi(a)
	if err != nil || i < 0 || i >= n {
		return 0, 0, usageErr("--shard %q: I must be an index from 0 to %d", s, n-1)
	}
	return i, n, nil
}

func sweep(e *env, path string, parallel, shard, shards int, out string, quiet bool) error {
	begin := time.Now()
	if _, set := os.LookupEnv("GOGC"); !set {
		defer debug.SetGCPercent(debug.SetGCPercent(planner.SweepGCPercent))
	}
	st, err := planner.LoadStudy(path)
	if err != nil {
		return invalidScenario(err)
	}
	if err := st.CheckGrid(); err != nil {
		return invalidScenario(err)
	}
	if out == "" {
		out = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + "-sweep"
	}
	if err := notAnInput(filepath.Join(out, planner.SweepSummaryFile), path, "study file"); err != nil {
		return err
	}
	stop := make(chan struct{})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM) // Ctrl-C, and a batch engine stopping the container
	defer func() {
		signal.Stop(sig)
		close(sig) // ends the goroutine below when no signal came
	}()
	go func() {
		if _, ok := <-sig; ok {
			fmt.Fprintln(e.stderr, "ecssim: stopping: the runs in flight finish and are kept (interrupt again to quit at once)")
			signal.Stop(sig) // a second signal takes its default action
			close(stop)
		}
	}()
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	prog := newSweepProgress(e, name, quiet)
	res, err := planner.RunSweep(st, planner.SweepOptions{
		Out: out, Parallel: parallel, Shard: shard, Shards: shards, Version: ecssimVersion(),
		WriteResult: func(w io.Writer, res *sim.Result) error {
			res.RunInfo = sim.RunInfo{ECSSimVersion: ecssimVersion(), GeneratedAt: time.Now().UTC().Format(time.RFC3339)}
			return reports.WriteJSON(w, res)
		},
		Progress: prog.update,
		Stop:     stop,
		Info:     runInfo(begin),
	})
	prog.finish()
	switch {
	case errors.Is(err, planner.ErrStopped):
		return runtimeErr(fmt.Errorf("interrupted: %d runs written to %s this time; the same command resumes", res.Simulated, filepath.Join(out, planner.SweepRunsDir)))
	case err != nil:
		return runtimeErr(err)
	}
	if res.Summary == nil {
		fmt.Fprintf(e.stderr, "ecssim: shard %d/%d: %d runs simulated, %d already done, of the shard's %d (the study has %d); run \"ecssim sweep merge %s\" when every shard is done\n",
			shard, shards, res.Simulated, res.Skipped, res.Share, res.Total, out)
		return nil
	}
	fmt.Fprintf(e.stderr, "ecssim: %s: %d runs (%d simulated, %d already done) in %s\n", name, res.Total, res.Simulated, res.Skipped, out)
	return finishSweep(e, st, res.Summary, out, quiet)
}

// runInfo fills summary.json's run_info.
func runInfo(begin time.Time) func(*planner.Summary) {
	return func(s *planner.Summary) {
		s.RunInfo.EcssimVersion = ecssimVersion()
		s.RunInfo.GeneratedAt = time.Now().UTC().Format(time.RFC3339)
		s.RunInfo.WallSeconds = roundMillis(time.Since(begin).Seconds())
	}
}

// finishSweep writes DIR/report.html and prints the summary table.
func finishSweep(e *env, st *planner.Study, sum *planner.Summary, dir string, quiet bool) error {
	if err := reports.WriteFileAtomic(filepath.Join(dir, sweepReportFile), func(w io.Writer) error {
		return reports.WriteSweepHTML(w, st, sum)
	}); err != nil {
		return runtimeErr(err)
	}
	if !quiet {
		writeSweepTable(e.stdout, st, sum)
	}
	return nil
}
