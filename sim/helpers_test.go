package sim

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// parseScenario parses an inline scenario and fails the test on any
// validation error.
func parseScenario(t testing.TB, tomlText string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("test.toml", []byte(tomlText))
	if err != nil {
		t.Fatalf("scenario does not parse: %v", err)
	}
	return sc
}

// runScenario parses and runs an inline scenario with invariant checks on
// and the given seed.
func runScenario(t testing.TB, tomlText string, seed uint64) *Result {
	t.Helper()
	return runParsed(t, parseScenario(t, tomlText), seed, true)
}

// runParsed runs a parsed scenario with the given seed.
func runParsed(t testing.TB, sc *scenarios.Scenario, seed uint64, check bool) *Result {
	t.Helper()
	res, err := Run(sc, Options{CheckInvariants: check, Seed: &seed})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

// resultJSON is results.json outside run_info: the part that must be a
// pure function of the scenario and seed.
func resultJSON(t testing.TB, r *Result) []byte {
	t.Helper()
	c := *r
	c.RunInfo = RunInfo{}
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

// closeRel reports whether got is within rel (relative) of want, with an
// absolute floor of 1e-12 for values near zero.
func closeRel(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-12/rel)
}

func wantClose(t testing.TB, what string, got, want, rel float64) {
	t.Helper()
	if !closeRel(got, want, rel) {
		t.Errorf("%s = %.12g, want %.12g (relative tolerance %g)", what, got, want, rel)
	}
}

func serviceResult(t testing.TB, r *Result, name string) *ServiceResult {
	t.Helper()
	s, ok := r.Services[name]
	if !ok {
		t.Fatalf("no service %q in the result", name)
	}
	return s
}

func jobResult(t testing.TB, r *Result, name string) *JobResult {
	t.Helper()
	j, ok := r.Jobs[name]
	if !ok {
		t.Fatalf("no job %q in the result", name)
	}
	return j
}
