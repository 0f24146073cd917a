// Command ecssim simulates an AWS ECS cluster over days of traffic and
// reports what it does and what it costs. See README.md and
// SCENARIO.md ("The command line") for the commands.
//
// This package is the only one that prints, exits or knows cobra: it parses
// flags, wires scenarios → sim → planner → reports, and maps outcomes to
// exit codes (0 ok, 1 runtime error, 2 invalid usage or scenario, 3 an
// assertion failed).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args with the given output streams and
// returns the process exit code. It never panics: a panic that escapes a
// command (a bug) is reported in one line with exit code 1.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "ecssim: internal error (please report it): %v\n", r)
			code = exitRuntime
		}
	}()
	root := newRootCmd(&env{stdout: stdout, stderr: stderr})
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	hint := "ecssim"
	if cmd != nil {
		hint = cmd.CommandPath()
	}
	return report(stderr, err, hint)
}
