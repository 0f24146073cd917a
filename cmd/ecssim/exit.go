package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
)

// Exit codes (SCENARIO.md "The command line").
const (
	exitOK        = 0
	exitRuntime   = 1 // the run itself failed: unreadable trace, unwritable output
	exitInvalid   = 2 // invalid usage or scenario
	exitAssertion = 3 // an [[assertions]] check failed
)

// exitError carries an exit code with the error to print. A nil err prints
// nothing (the command has already explained itself on stderr).
type exitError struct {
	code int
	err  error
	raw  bool // print err's lines as they are, without the "ecssim: " prefix
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr, runtimeErr and invalidScenario classify an error for report.
func usageErr(format string, a ...any) error {
	return &exitError{code: exitInvalid, err: fmt.Errorf(format, a...)}
}

func runtimeErr(err error) error { return &exitError{code: exitRuntime, err: err} }

func invalidScenario(err error) error { return &exitError{code: exitInvalid, err: err} }

// silent ends the command with code and nothing more to print.
func silent(code int) error { return &exitError{code: code} }

// report prints err on stderr and returns its exit code. Scenario errors
// print one per line, each as FILE:LINE:COL: message. Any error that is not
// an *exitError comes from cobra (unknown command or flag, wrong number of
// arguments) and is invalid usage, followed by a pointer to the help of
// command (its path, such as "ecssim run").
func report(stderr io.Writer, err error, command string) int {
	if err == nil {
		return exitOK
	}
	var list scenarios.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(stderr, e.Error())
		}
		return exitInvalid
	}
	var ee *exitError
	if errors.As(err, &ee) {
		switch {
		case ee.err == nil:
		case ee.raw:
			fmt.Fprintln(stderr, strings.TrimRight(ee.err.Error(), "\n"))
		default:
			printLines(stderr, ee.err.Error())
		}
		return ee.code
	}
	printLines(stderr, err.Error())
	fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", command)
	return exitInvalid
}

// printLines prefixes each line of msg with "ecssim: ".
func printLines(w io.Writer, msg string) {
	for _, l := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
		fmt.Fprintln(w, "ecssim: "+l)
	}
}
