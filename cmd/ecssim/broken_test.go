package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBrokenScenarios feeds each scenario in testdata/broken to `validate`
// and to `run --quiet` and checks the contract of SCENARIO.md
// ("Conventions"): "Every unknown key, wrong type, out-of-range value,
// dangling reference, duplicate name ... is an error reported as
// FILE:LINE:COL: message, all of them at once, exit 2." So each command
// exits 2, writes nothing on stdout, and writes on stderr exactly the lines
// of NAME.want: no "ecssim: " prefix, no usage text, no stack trace.
//
// The .want files were written by hand: the messages from the wording in
// scenarios/decode.go, values.go and validate*.go, the positions counted in
// the .toml files (1-based line, 1-based byte column of the offending key;
// of the enclosing table header when the key is missing).
func TestBrokenScenarios(t *testing.T) {
	cases := []struct {
		name string
		rule string
	}{
		// Nothing is case-folded: CPU is an unknown key (with a
		// suggestion), and so the required cpu is missing, reported at
		// the [[task_definitions]] header that lacks it.
		{"unknown-key", "unknown key"},
		// desired_count must be a TOML integer, not a string.
		{"wrong-type", "wrong type"},
		// Durations take the units ms, s, m, h and d only.
		{"bad-duration", "out-of-range value (duration syntax)"},
		// Fargate offers cpu 512 only with 1-4 GB of memory
		// [AWS_Fargate, "Task CPU and memory"].
		{"fargate-size", "out-of-range value (Fargate task size)"},
		// task_definition names a family:revision that is not defined.
		{"dangling-reference", "dangling reference"},
		// Service names are unique in a cluster.
		{"duplicate-name", "duplicate name"},
		// A TOML syntax error (a string left open to the end of the
		// line) stops decoding: one error, at the newline the string may
		// not contain.
		{"malformed", "malformed TOML"},
		// A bad duration, an unknown key inside an inline table, a
		// dangling reference, an out-of-range count, a wrong type inside
		// an inline table and a duplicate name: all reported at once,
		// sorted by position.
		{"several-errors", "all of them at once"},
	}
	for _, c := range cases {
		file := filepath.Join("testdata", "broken", c.name+".toml")
		wantBytes, err := os.ReadFile(filepath.Join("testdata", "broken", c.name+".want"))
		if err != nil {
			t.Fatal(err)
		}
		want := string(wantBytes)
		for _, args := range [][]string{
			{"validate", file},
			{"run", "--quiet", file},
		} {
			t.Run(c.name+"/"+args[0], func(t *testing.T) {
				var code int
				var out, errOut string
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("%q panicked (%s): %v", args, c.rule, r)
						}
					}()
					code, out, errOut = ecssim(t, args...)
				}()
				if code != exitInvalid {
					t.Errorf("%q (%s): exit %d, want %d", args, c.rule, code, exitInvalid)
				}
				if out != "" {
					t.Errorf("%q (%s): wrote to stdout: %q", args, c.rule, out)
				}
				if errOut != want {
					t.Errorf("%q (%s): stderr\n got:\n%s\nwant:\n%s", args, c.rule, errOut, want)
				}
			})
		}
	}
}
