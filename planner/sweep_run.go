package planner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/ecssim/ecssim/internal/atomicfile"
	"github.com/ecssim/ecssim/sim"
)

// The files of a sweep folder (SCENARIO.md "A study file for ecssim
// sweep").
const (
	SweepRunsDir     = "runs"         // DIR/runs/RUN_ID.json, one results.json per run
	SweepStudyFile   = "study.json"   // the expanded study, written by every shard
	SweepSummaryFile = "summary.json" // written once every run has its file
)

// SweepGCPercent is the garbage collector target (GOGC) `ecssim sweep`
// runs with unless GOGC is set. Each run allocates some 60 MB over a
// small live heap; at the default 100 the collector's background work
// takes a share of the cores the runs need, and a 2-core sweep runs about
// 1.4 times as fast as one core instead of about 2 (BenchmarkSweep).
const SweepGCPercent = 400

// SweepOptions tune RunSweep.
type SweepOptions struct {
	// Out is the sweep folder.
	Out string
	// Parallel is how many runs simulate at once; 0 takes the study's
	// `parallel`, and 0 there means GOMAXPROCS.
	Parallel int
	// Shard and Shards select the runs whose index modulo Shards is Shard
	// (0-based); Shards <= 1 runs them all.
	Shard, Shards int
	// Version is passed to sim.Options.Version.
	Version string
	// WriteResult encodes a run's results.json (the caller passes
	// reports.WriteJSON, which planner cannot import). Required.
	WriteResult func(w io.Writer, res *sim.Result) error
	// Progress, when set, is called after each run of this shard is
	// simulated or found done, with the count so far and the shard's
	// total; calls do not overlap.
	Progress func(done, total int)
	// Stop, when set and closed, stops starting runs: those in flight
	// finish and are written, and RunSweep returns ErrStopped.
	Stop <-chan struct{}
	// Info fills summary.json's run_info (wall clock, version): planner
	// reads no clock. Nil leaves it zero.
	Info func(s *Summary)
}

// ErrStopped is returned when SweepOptions.Stop closed before every run of
// the shard was done; the runs written so far stay, and the same command
// resumes.
var ErrStopped = errors.New("sweep stopped before its runs were done")

// SweepOutcome says what RunSweep did.
type SweepOutcome struct {
	Total     int // runs in the study
	Share     int // runs of this shard
	Simulated int // runs simulated by this call
	Skipped   int // runs of the shard whose file existed
	// Summary is summary.json as written, when every run of the study has
	// its file (always for an unsharded sweep); nil otherwise.
	Summary *Summary
}

// RunSweep runs the study's runs of one shard into opt.Out: it writes
// Out/study.json (or checks that an existing one is this study's), then
// each run's results.json to Out/runs/RUN_ID.json, atomically, skipping
// runs whose file exists and decodes (so an interrupted sweep resumes and
// shards can share a folder). When every run of the study then has its file, it
// builds Out/summary.json from the run files (MergeSweep), so a sweep and
// the merge of its shards give the same summary outside run_info.
//
// Errors: a folder holding another study, a run that fails to simulate or
// to be written (the first error stops new runs; the runs written stay),
// ErrStopped.
func RunSweep(st *Study, opt SweepOptions) (*SweepOutcome, error) {
	if opt.WriteResult == nil {
		panic("planner: SweepOptions.WriteResult is nil")
	}
	specs := st.Expand()
	if err := os.MkdirAll(filepath.Join(opt.Out, SweepRunsDir), 0o755); err != nil {
		return nil, err
	}
	if err := writeStudyFile(opt.Out, st, specs); err != nil {
		return nil, err
	}
	out := &SweepOutcome{Total: len(specs)}
	var todo []RunSpec
	for _, r := range specs {
		if opt.Shards > 1 && r.Index%opt.Shards != opt.Shard {
			continue
		}
		out.Share++
		if runDone(runPath(opt.Out, r.ID)) {
			out.Skipped++
			continue
		}
		todo = append(todo, r)
	}
	// A metric path that names nothing in results.json fails the first
	// run checked, not the merge after every run.
	metrics := st.MetricPaths()
	var checkOnce sync.Once
	var checkErr error
	check := func(path string) error {
		checkOnce.Do(func() { checkErr = checkMetricPaths(path, metrics) })
		return checkErr
	}
	if out.Skipped > 0 {
		for _, r := range specs {
			if p := runPath(opt.Out, r.ID); runDone(p) {
				if err := check(p); err != nil {
					return out, err
				}
				break
			}
		}
	}
	done := out.Skipped
	if opt.Progress != nil {
		opt.Progress(done, out.Share)
	}
	par := opt.Parallel
	if par <= 0 {
		par = st.Parallel
	}
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan RunSpec)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	for range min(par, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				if err := runOne(st, r, opt); err != nil {
					fail(err)
					continue
				}
				if err := check(runPath(opt.Out, r.ID)); err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				out.Simulated++
				done++
				if opt.Progress != nil {
					opt.Progress(done, out.Share)
				}
				mu.Unlock()
			}
		}()
	}
	stopped := false
feed:
	for _, r := range todo {
		mu.Lock()
		bad := firstErr != nil
		mu.Unlock()
		if bad {
			break
		}
		select { // a closed Stop wins over an idle worker
		case <-opt.Stop:
			stopped = true
			break feed
		default:
		}
		select {
		case jobs <- r:
		case <-opt.Stop:
			stopped = true
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return out, firstErr
	}
	if stopped {
		return out, ErrStopped
	}
	if opt.Shards > 1 { // an unsharded sweep has just checked or written every run
		for _, r := range specs {
			if !runDone(runPath(opt.Out, r.ID)) {
				return out, nil // other shards' runs are still to come
			}
		}
	}
	_, sum, err := MergeSweep(opt.Out, func(s *Summary) {
		if opt.Info != nil {
			opt.Info(s)
		}
		s.RunInfo.RunsSimulated = out.Simulated
	})
	if err != nil {
		return out, err
	}
	out.Summary = sum
	return out, nil
}

// checkMetricPaths looks up every metric path in the run file at path: a
// path that names nothing (not one that is null) is an error, naming it.
func checkMetricPaths(path string, metrics []string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, err := NewDocJSON(b)
	if err != nil {
		return err
	}
	for _, p := range metrics {
		if _, err := doc.Lookup(p); err != nil && !errors.Is(err, ErrNull) {
			return fmt.Errorf("the study's metric %w (objective, subject_to, pareto or metrics); fix the path and run the same command again, the runs done are kept", err)
		}
	}
	return nil
}

// runOne simulates run r and writes its results.json.
func runOne(st *Study, r RunSpec, opt SweepOptions) error {
	sc, err := st.Variant(r)
	if err != nil {
		return err // it names the run
	}
	res, err := sim.Run(sc, sim.Options{Version: opt.Version})
	if err != nil {
		return fmt.Errorf("run %s: %w", r.ID, err)
	}
	res.Assertions = EvaluateAssertions(res, checks(sc)) // as `ecssim run` records them
	return atomicfile.WriteUnsynced(runPath(opt.Out, r.ID), func(w io.Writer) error {
		return opt.WriteResult(w, res)
	})
}

func runPath(dir, id string) string { return filepath.Join(dir, SweepRunsDir, id+".json") }

// runDone reports whether a run's file exists and ends its JSON object
// (run files are written without syncing to disk, so after a power loss
// one may be empty or short: such a run is run again). It reads only the
// file's tail; the merge decodes the whole file and treats one that does
// not decode as missing.
func runDone(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return false
	}
	tail := make([]byte, min(fi.Size(), 64))
	if _, err := f.ReadAt(tail, fi.Size()-int64(len(tail))); err != nil {
		return false
	}
	tail = bytes.TrimRight(tail, " \t\r\n")
	return len(tail) > 0 && tail[len(tail)-1] == '}'
}
