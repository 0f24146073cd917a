package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

// sweepBase is a short Fargate scenario with a Spot share: 6 hours, so a
// 2 × 2 × 2 sweep of it takes a fraction of a second.
const sweepBase = `name     = "sw"
region   = "us-east-1"
duration = "6h"
warmup   = "30m"
seed     = 5

[cluster]
availability_zones = ["us-east-1a", "us-east-1b"]
default_capacity_provider_strategy = [
  { capacity_provider = "FARGATE",      base = 1, weight = 1 },
  { capacity_provider = "FARGATE_SPOT",           weight = 3 },
]

[fargate_spot]
interruptions_per_task_hour = 0.05

[[task_definitions]]
family = "web"
cpu    = 512
memory = 1024

[[services]]
name = "web"
task_definition = "web"
desired_count = 4
  [services.load]
  requests_per_second = { pattern = "diurnal", min = 100, max = 600, peak = "03:00" }
  cpu_per_request = "4ms"
  noise = 0.05
  [services.autoscaling]
  min_capacity = 2
  max_capacity = 20
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 60
    scale_out_cooldown = "60s"
`

const sweepStudy = `scenario = "base.toml"
replications = 2
[[vary]]
key = "services.web.autoscaling.target_tracking.0.target"
values = [50, 70]
[[vary]]
key = "cluster.default_capacity_provider_strategy.1.weight"
values = [0, 3]
[objective]
minimize = "cost.monthly_usd"
subject_to = ["services.web.unserved_demand_fraction < 0.01"]
[pareto]
x = "cost.monthly_usd"
y = "services.web.unserved_demand_fraction"
`

// loadSweepStudy writes the study and its scenario to a folder and loads
// it.
func loadSweepStudy(t *testing.T) *Study {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(sweepBase), 0o644)
	path := filepath.Join(dir, "study.toml")
	os.WriteFile(path, []byte(sweepStudy), 0o644)
	st, err := LoadStudy(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func writeJSON(w io.Writer, res *sim.Result) error {
	return json.NewEncoder(w).Encode(res)
}

// summaryBytes is summary.json of dir without run_info.
func summaryBytes(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, SweepSummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "run_info")
	out, _ := json.Marshal(m)
	return out
}

// TestSweepShardsMergeEqualsUnsharded: ARCHITECTURE.md "Merged results
// equal an unsharded run, bit for bit" (outside run_info). Three shards
// (runs 0,3,6 / 1,4,7 / 2,5) in one folder, then MergeSweep, against one
// unsharded sweep; the last shard to finish also writes the summary. A
// second unsharded sweep of the same study gives the same bytes
// (determinism).
func TestSweepShardsMergeEqualsUnsharded(t *testing.T) {
	st := loadSweepStudy(t)
	whole := t.TempDir()
	out, err := RunSweep(st, SweepOptions{Out: whole, Parallel: 2, WriteResult: writeJSON})
	if err != nil {
		t.Fatal(err)
	}
	if out.Total != 8 || out.Simulated != 8 || out.Summary == nil || len(out.Summary.Groups) != 4 {
		t.Fatalf("unsharded: %+v", out)
	}
	again := t.TempDir()
	if _, err := RunSweep(st, SweepOptions{Out: again, Parallel: 1, WriteResult: writeJSON}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(summaryBytes(t, whole), summaryBytes(t, again)) {
		t.Error("two sweeps of one study (parallel 2 and 1) differ outside run_info")
	}

	sharded := t.TempDir()
	shares := []int{3, 3, 2}
	for i := range 3 {
		o, err := RunSweep(st, SweepOptions{Out: sharded, Shard: i, Shards: 3, WriteResult: writeJSON})
		if err != nil {
			t.Fatal(err)
		}
		if o.Share != shares[i] || o.Simulated != shares[i] {
			t.Errorf("shard %d: share %d simulated %d, want %d", i, o.Share, o.Simulated, shares[i])
		}
		if (o.Summary != nil) != (i == 2) {
			t.Errorf("shard %d: summary written %v, want only by the last", i, o.Summary != nil)
		}
	}
	os.Remove(filepath.Join(sharded, SweepSummaryFile))
	if _, _, err := MergeSweep(sharded, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(summaryBytes(t, whole), summaryBytes(t, sharded)) {
		t.Errorf("merged shards differ from the unsharded sweep:\n%s\n%s", summaryBytes(t, whole), summaryBytes(t, sharded))
	}
}

// TestSweepResumesAfterKill: a sweep stopped after 3 runs keeps them (each
// written atomically); the same command then simulates only the other 5
// and the summary equals an uninterrupted sweep's. A merge before every
// run is done fails and names a missing run.
func TestSweepResumesAfterKill(t *testing.T) {
	st := loadSweepStudy(t)
	dir := t.TempDir()
	stop := make(chan struct{})
	stopped := false
	out, err := RunSweep(st, SweepOptions{Out: dir, Parallel: 1, WriteResult: writeJSON, Stop: stop,
		Progress: func(done, total int) {
			if done == 3 && !stopped {
				stopped = true
				close(stop)
			}
		}})
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("err %v, want ErrStopped", err)
	}
	runs, _ := filepath.Glob(filepath.Join(dir, SweepRunsDir, "*.json"))
	// The run in flight when Stop closed may finish too.
	if len(runs) != out.Simulated || out.Simulated < 3 || out.Simulated > 4 {
		t.Fatalf("%d run files, %d simulated, want 3 or 4 of each", len(runs), out.Simulated)
	}
	if _, _, err := MergeSweep(dir, nil); err == nil {
		t.Error("merge with runs missing: no error")
	}
	again, err := RunSweep(st, SweepOptions{Out: dir, Parallel: 2, WriteResult: writeJSON})
	if err != nil {
		t.Fatal(err)
	}
	if again.Skipped != len(runs) || again.Simulated != 8-len(runs) || again.Summary == nil {
		t.Errorf("resume: %+v, want %d skipped and %d simulated", again, len(runs), 8-len(runs))
	}
	whole := t.TempDir()
	if _, err := RunSweep(st, SweepOptions{Out: whole, WriteResult: writeJSON}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(summaryBytes(t, whole), summaryBytes(t, dir)) {
		t.Error("resumed sweep differs from an uninterrupted one")
	}
	// A run file left empty (a power loss after an unsynced write) is run
	// again.
	if err := os.WriteFile(runs[0], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fixed, err := RunSweep(st, SweepOptions{Out: dir, WriteResult: writeJSON})
	if err != nil || fixed.Simulated != 1 || fixed.Skipped != 7 {
		t.Errorf("after emptying a run file: %+v %v, want 1 simulated, 7 skipped", fixed, err)
	}
	if !bytes.Equal(summaryBytes(t, whole), summaryBytes(t, dir)) {
		t.Error("summary after re-running the empty run differs")
	}
}

// TestSweepRefusesAnotherStudysFolder: a folder whose study.json lists
// other runs is not mixed into.
func TestSweepRefusesAnotherStudysFolder(t *testing.T) {
	st := loadSweepStudy(t)
	dir := t.TempDir()
	if _, err := RunSweep(st, SweepOptions{Out: dir, WriteResult: writeJSON}); err != nil {
		t.Fatal(err)
	}
	st.Replications = 3
	if _, err := RunSweep(st, SweepOptions{Out: dir, WriteResult: writeJSON}); err == nil {
		t.Error("another study in the same folder: no error")
	}
}
