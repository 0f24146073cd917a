package main

import (
	"os"
	"path/filepath"

	"github.com/ecssim/ecssim/scenarios"
)

// defaultExample is what `ecssim run` simulates without a file.
const defaultExample = "web-platform"

// loadScenario loads the scenario file named by args, or the embedded
// default example when args is empty. It returns the scenario and a label
// for messages (the file name, or "NAME (embedded example)"). Every failure
// is an invalid scenario (exit 2); a scenarios.ErrorList is passed through so
// that each of its errors prints on its own line.
func loadScenario(args []string) (*scenarios.Scenario, string, error) {
	if len(args) == 0 {
		sc, err := scenarios.LoadExample(defaultExample)
		if err != nil {
			return nil, "", invalidScenario(err)
		}
		return sc, defaultExample + " (embedded example)", nil
	}
	path := args[0]
	sc, err := scenarios.Load(path)
	if err != nil {
		return nil, "", invalidScenario(err)
	}
	return sc, path, nil
}

// checks returns the scenario's assertion texts in order.
func checks(sc *scenarios.Scenario) []string {
	out := make([]string, len(sc.Assertions))
	for i, a := range sc.Assertions {
		out[i] = a.Check
	}
	return out
}

// notAnInput refuses to write out when it is the input file itself; what
// names the input in the message ("input scenario").
func notAnInput(out, input, what string) error {
	if input == "" {
		return nil
	}
	oi, err1 := os.Stat(out)
	ii, err2 := os.Stat(input)
	if err1 == nil && err2 == nil && os.SameFile(oi, ii) {
		return usageErr("refusing to write %s over the %s %s", out, what, input)
	}
	ao, _ := filepath.Abs(out)
	ai, _ := filepath.Abs(input)
	if ao == ai {
		return usageErr("refusing to write %s over the %s %s", out, what, input)
	}
	return nil
}
