package main

// Static checks of the GNU parallel script (see deploy_test.go).

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// ---- GNU parallel ---------------------------------------------------------------

func deployBash(t *testing.T) string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skipf("bash not found: %s cannot be checked (%v)", deployParallelSh, err)
	}
	return bash
}

func TestDeployGNUParallelScript(t *testing.T) {
	bash := deployBash(t)
	script := filepath.Join(deployRoot, filepath.FromSlash(deployParallelSh))
	src := string(deployRead(t, deployParallelSh))
	if !strings.HasPrefix(src, "#!/usr/bin/env bash\n") && !strings.HasPrefix(src, "#!/bin/bash\n") {
		t.Errorf("%s: the first line is not a bash shebang", deployParallelSh)
	}
	if !strings.Contains(src, "\nset -euo pipefail\n") {
		t.Errorf("%s: no \"set -euo pipefail\" line", deployParallelSh)
	}
	if fi, err := os.Stat(script); err == nil && fi.Mode()&0o111 == 0 {
		t.Errorf("%s: not executable (mode %v)", deployParallelSh, fi.Mode())
	}
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Errorf("%s: bash -n: %v\n%s", deployParallelSh, err, out)
	}
	// Missing arguments: the usage on stderr, exit code 2 (invalid usage).
	for _, args := range [][]string{nil, {"s.toml", "out"}, {"s.toml", "out", "0"}, {"s.toml", "out", "x"}} {
		cmd := exec.Command(bash, append([]string{script}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "usage: gnu-parallel.sh STUDY.toml DIR N") {
			t.Errorf("%s %q: %v, stderr %q; want exit 2 and the usage", deployParallelSh, args, err, stderr.String())
		}
	}
}

// TestDeployGNUParallelRuns runs the script with a stand-in for ecssim
// that logs its arguments: N shard commands, then the merge after them
// all, and no merge when a shard fails.
func TestDeployGNUParallelRuns(t *testing.T) {
	bash := deployBash(t)
	if _, err := exec.LookPath("parallel"); err != nil {
		t.Skipf("GNU parallel not installed (Debian package parallel): %s's shard runs are not exercised", deployParallelSh)
	}
	script, err := filepath.Abs(filepath.Join(deployRoot, filepath.FromSlash(deployParallelSh)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "ecssim")
	// One line per call, arguments separated by "|"; $4 is the --shard value.
	if err := os.WriteFile(fake, []byte(`#!/usr/bin/env bash
printf '%s|' "$@" >> "$FAKE_LOG"; printf '\n' >> "$FAKE_LOG"
if [ -n "${FAKE_FAIL:-}" ] && [ "${4:-}" = "$FAKE_FAIL" ]; then exit 1; fi
`), 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(fail string, args ...string) ([]string, error) {
		log := filepath.Join(dir, "log"+fail)
		cmd := exec.Command(bash, append([]string{script}, args...)...)
		cmd.Dir = dir
		var env []string
		for _, e := range os.Environ() {
			if name, _, _ := strings.Cut(e, "="); name != "PARALLEL" && name != "ECSSIM_PARALLEL" {
				env = append(env, e)
			}
		}
		cmd.Env = append(env, "ECSSIM="+fake, "FAKE_LOG="+log, "FAKE_FAIL="+fail)
		out, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(log)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if err != nil {
			err = fmt.Errorf("%v\n%s", err, out)
		}
		return lines, err
	}

	// A study path with a space: the shard command must keep it one argument.
	lines, err := run("", "my study.toml", "out", "3")
	if err != nil {
		t.Fatalf("%s \"my study.toml\" out 3: %v", deployParallelSh, err)
	}
	want := []string{
		"sweep|my study.toml|--shard|0/3|--out|out|--quiet|",
		"sweep|my study.toml|--shard|1/3|--out|out|--quiet|",
		"sweep|my study.toml|--shard|2/3|--out|out|--quiet|",
		"sweep|merge|out|",
	}
	if len(lines) != len(want) {
		t.Fatalf("%s: ecssim was called %q, want %q", deployParallelSh, lines, want)
	}
	shards := slices.Clone(lines[:3]) // the shards run in any order
	sort.Strings(shards)
	if !slices.Equal(append(shards, lines[3]), want) {
		t.Errorf("%s: ecssim was called %q, want the shards %q in any order, then %q", deployParallelSh, lines, want[:3], want[3])
	}

	lines, err = run("1/2", "s.toml", "o", "2")
	if err == nil {
		t.Errorf("%s: a failing shard: exit 0, want an error", deployParallelSh)
	}
	if slices.Contains(lines, "sweep|merge|o|") {
		t.Errorf("%s: a shard failed, but merge ran: %q", deployParallelSh, lines)
	}
}
