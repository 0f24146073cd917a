package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test run this test binary as the ecssim command in a
// child process (ECSSIM_TEST_AS_MAIN=1), to kill it for real.
func TestMain(m *testing.M) {
	if os.Getenv("ECSSIM_TEST_AS_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestSweepSurvivesSIGKILL: ARCHITECTURE.md rule 7 ("outputs are written
// atomically ... nothing is lost when a run is interrupted"). A sweep
// process is killed with SIGKILL (no chance to clean up) once some runs
// are written; every run file then left decodes, the same command skips
// exactly those and does the rest, and the summary equals that of a sweep
// never interrupted.
func TestSweepSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	study := sweepFiles(t, strings.Replace(cliStudy, "replications = 2", "replications = 12", 1))
	dir := filepath.Join(t.TempDir(), "killed")
	child := exec.Command(os.Args[0], "sweep", study, "--out", dir, "--parallel", "1", "--quiet")
	child.Env = append(os.Environ(), "ECSSIM_TEST_AS_MAIN=1")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	runs := filepath.Join(dir, "runs", "*.json")
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, _ := filepath.Glob(runs)
		if len(n) >= 5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	child.Process.Kill()
	child.Wait()
	left, _ := filepath.Glob(runs)
	if len(left) < 5 || len(left) >= 48 {
		t.Fatalf("%d run files when killed, want between 5 and 47 (the sweep has 48 runs)", len(left))
	}
	t.Logf("killed with %d of 48 run files written", len(left))
	for _, f := range left {
		b, err := os.ReadFile(f)
		if err != nil || !strings.HasPrefix(string(b), "{") || !strings.HasSuffix(strings.TrimSpace(string(b)), "}") {
			t.Errorf("%s: a run file left incomplete by the kill", f)
		}
	}
	code, _, errOut := ecssim(t, "sweep", study, "--out", dir, "--quiet")
	if code != exitOK || !strings.Contains(errOut, "already done") {
		t.Fatalf("resume: exit %d, stderr %q", code, errOut)
	}
	if want := "(" + strconv.Itoa(48-len(left)) + " simulated, " + strconv.Itoa(len(left)) + " already done)"; !strings.Contains(errOut, want) {
		t.Errorf("resume: stderr %q, want %q", errOut, want)
	}
	whole := filepath.Join(t.TempDir(), "whole")
	if code, _, errOut := ecssim(t, "sweep", study, "--out", whole, "--quiet"); code != exitOK {
		t.Fatalf("uninterrupted: exit %d, stderr %q", code, errOut)
	}
	if withoutRunInfo(t, filepath.Join(dir, "summary.json")) != withoutRunInfo(t, filepath.Join(whole, "summary.json")) {
		t.Error("the resumed sweep's summary differs from an uninterrupted one's")
	}
}
