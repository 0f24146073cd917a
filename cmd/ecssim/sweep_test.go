package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sweepFiles writes the example study's scenario, shortened to 6 hours,
// and a 2 × 2 study of it with 2 replications, to a folder.
func sweepFiles(t *testing.T, study string) string {
	t.Helper()
	dir := t.TempDir()
	base, err := os.ReadFile("../../scenarios/studies/spot-share-base.toml")
	if err != nil {
		t.Fatal(err)
	}
	short := strings.Replace(string(base), `duration    = "2d"`, `duration    = "6h"`, 1)
	short = strings.Replace(short, `warmup      = "2h"`, `warmup      = "30m"`, 1)
	short = strings.ReplaceAll(short, `"1d14h"`, `"3h"`) // the storm, within the 6 hours
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(short), 0o644)
	path := filepath.Join(dir, "study.toml")
	os.WriteFile(path, []byte(study), 0o644)
	return path
}

const cliStudy = `scenario = "base.toml"
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
`

// TestSweepCLI: a sweep writes runs/, study.json, summary.json and
// report.html and prints the ranked table; the same command again
// simulates nothing (resume); shards through JOB_COMPLETION_INDEX and
// AWS_BATCH_JOB_ARRAY_INDEX (--shard auto/2) plus `sweep merge` give the
// same summary outside run_info.
func TestSweepCLI(t *testing.T) {
	study := sweepFiles(t, cliStudy)
	out := filepath.Join(t.TempDir(), "sw")
	code, stdout, errOut := ecssim(t, "sweep", study, "--out", out, "--parallel", "2")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, f := range []string{"study.json", "summary.json", "report.html"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if runs, _ := filepath.Glob(filepath.Join(out, "runs", "*.json")); len(runs) != 8 {
		t.Errorf("%d run files, want 8", len(runs))
	}
	if !strings.Contains(stdout, "best: ") || !strings.Contains(stdout, "monthly_usd") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if _, _, errOut := ecssim(t, "sweep", study, "--out", out, "--quiet"); !strings.Contains(errOut, "0 simulated, 8 already done") {
		t.Errorf("rerun: stderr %q, want every run skipped", errOut)
	}

	sharded := filepath.Join(t.TempDir(), "sh")
	t.Setenv("JOB_COMPLETION_INDEX", "0")
	if code, _, errOut := ecssim(t, "sweep", study, "--out", sharded, "--shard", "auto/2", "--quiet"); code != exitOK || !strings.Contains(errOut, "shard 0/2") {
		t.Fatalf("shard 0: exit %d, stderr %q", code, errOut)
	}
	os.Unsetenv("JOB_COMPLETION_INDEX")
	t.Setenv("AWS_BATCH_JOB_ARRAY_INDEX", "1")
	if code, _, errOut := ecssim(t, "sweep", study, "--out", sharded, "--shard", "auto/2", "--quiet"); code != exitOK {
		t.Fatalf("shard 1: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := ecssim(t, "sweep", "merge", sharded, "--quiet"); code != exitOK {
		t.Fatalf("merge: exit %d, stderr %q", code, errOut)
	}
	if a, b := withoutRunInfo(t, filepath.Join(out, "summary.json")), withoutRunInfo(t, filepath.Join(sharded, "summary.json")); a != b {
		t.Errorf("merged shards differ from the unsharded sweep")
	}
}

// withoutRunInfo is a summary.json's text without its run_info lines.
func withoutRunInfo(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.Contains(l, `"generated_at"`) && !strings.Contains(l, `"wall_seconds"`) && !strings.Contains(l, `"runs_simulated"`) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestSweepCLIErrors: a study with a key the scenario lacks exits 2 with
// the study file's line; bad --shard values and --shard auto without the
// batch engines' variables exit 2; merging a folder with runs missing
// exits 1 and says how many.
func TestSweepCLIErrors(t *testing.T) {
	bad := sweepFiles(t, strings.Replace(cliStudy, "autoscaling.target_tracking.0.target", "autoscaling.target_trackin.0.target", 1))
	code, _, errOut := ecssim(t, "sweep", bad, "--out", t.TempDir())
	if code != exitInvalid || !strings.Contains(errOut, "study.toml:4:") {
		t.Errorf("bad key: exit %d, stderr %q; want 2 and study.toml:4:COL", code, errOut)
	}
	good := sweepFiles(t, cliStudy)
	os.Unsetenv("JOB_COMPLETION_INDEX")
	os.Unsetenv("AWS_BATCH_JOB_ARRAY_INDEX")
	for _, shard := range []string{"2/2", "x/2", "0/0", "1", "auto/2"} {
		if code, _, errOut := ecssim(t, "sweep", good, "--shard", shard, "--out", t.TempDir()); code != exitInvalid || errOut == "" {
			t.Errorf("--shard %s: exit %d, stderr %q; want 2", shard, code, errOut)
		}
	}
	t.Setenv("JOB_COMPLETION_INDEX", "5")
	if code, _, _ := ecssim(t, "sweep", good, "--shard", "auto/2", "--out", t.TempDir()); code != exitInvalid {
		t.Errorf("JOB_COMPLETION_INDEX=5 with auto/2: exit %d, want 2", code)
	}
	os.Unsetenv("JOB_COMPLETION_INDEX")
	dir := filepath.Join(t.TempDir(), "part")
	if code, _, _ := ecssim(t, "sweep", good, "--shard", "0/2", "--out", dir, "--quiet"); code != exitOK {
		t.Fatal("shard 0/2 failed")
	}
	if code, _, errOut := ecssim(t, "sweep", "merge", dir); code != exitRuntime || !strings.Contains(errOut, "4 of 8 runs have no file") {
		t.Errorf("merge with half the runs: exit %d, stderr %q", code, errOut)
	}
}
