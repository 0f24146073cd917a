package sim

import (
	"bytes"
	"math"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestExamplesDeterministic pins SCENARIO.md "results.json": "Everything
// outside run_info is a pure function of the scenario and seed: the same
// inputs give byte-identical output". Each embedded example runs twice with
// the same seed (fresh parses, so no state is shared) and the marshalled
// results, run_info zeroed, must be equal byte for byte. A different seed
// must change something, since every example draws random numbers
// (arrivals, durations, noise or placement).
//
// It also checks the cost identity of SCENARIO.md "Billing and cost" on
// every example: Σ by_service + Σ by_job + idle_usd = Σ
// by_capacity_provider = total_usd.
//
// Examples built to be checked by hand draw no random number at all
// (constant startup times, no noise, one AZ): drawsNothing lists them.
func TestExamplesDeterministic(t *testing.T) {
	exs := scenarios.Examples()
	if len(exs) == 0 {
		t.Fatal("no embedded examples")
	}
	for _, ex := range exs {
		t.Run(ex.Name, func(t *testing.T) {
			load := func() *scenarios.Scenario {
				sc, err := scenarios.LoadExample(ex.Name)
				if err != nil {
					t.Fatalf("LoadExample(%q): %v", ex.Name, err)
				}
				return sc
			}
			sc := load()
			seed := sc.Seed
			a := runParsed(t, sc, seed, true)
			b := runParsed(t, load(), seed, true)
			ja, jb := resultJSON(t, a), resultJSON(t, b)
			if !bytes.Equal(ja, jb) {
				t.Errorf("same scenario and seed %d gave different results.json:\n%s", seed, firstDiff(ja, jb))
			}
			if a.Scenario.Seed != seed {
				t.Errorf("scenario.seed = %d, want %d", a.Scenario.Seed, seed)
			}
			checkCostIdentity(t, a)
			if testing.Short() {
				return // the different-seed run below doubles the time
			}
			c := runParsed(t, load(), seed+1, true)
			if c.Scenario.Seed != seed+1 {
				t.Errorf("scenario.seed = %d with Options.Seed %d", c.Scenario.Seed, seed+1)
			}
			cc := *c
			cc.Scenario.Seed = seed // the seed field itself differs by construction
			if drawsNothing[ex.Name] {
				return
			}
			if bytes.Equal(ja, resultJSON(t, &cc)) {
				t.Errorf("seeds %d and %d gave identical results", seed, seed+1)
			}
		})
	}
}

// drawsNothing names the embedded examples that use no random stream, so a
// different seed cannot change them.
var drawsNothing = map[string]bool{"scaling-walkthrough": true, "bad-release": true}

// checkCostIdentity: Σ by_service + Σ by_job + idle_usd = total_usd =
// Σ by_capacity_provider, to 1e-9 relative (SCENARIO.md "Billing and
// cost").
func checkCostIdentity(t *testing.T, r *Result) {
	t.Helper()
	var owners, providers float64
	for _, v := range r.Cost.ByService {
		owners += v
	}
	for _, v := range r.Cost.ByJob {
		owners += v
	}
	for _, v := range r.Cost.ByCapacityProvider {
		providers += v
	}
	tot := r.Cost.TotalUSD
	if !(tot > 0) {
		t.Errorf("total_usd = %g, want > 0", tot)
	}
	wantClose(t, "Σ by_capacity_provider vs total_usd", providers, tot, 1e-9)
	wantClose(t, "Σ by_service + Σ by_job + idle_usd vs total_usd", owners+r.Cost.IdleUSD, tot, 1e-9)
	if r.Cost.IdleUSD < -1e-9*tot {
		t.Errorf("idle_usd = %g is negative", r.Cost.IdleUSD)
	}
	for name, v := range r.Cost.ByService {
		if v < 0 || math.IsNaN(v) {
			t.Errorf("by_service[%s] = %g", name, v)
		}
	}
}

// firstDiff shows the neighbourhood of the first differing byte.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-120)
	return "first:  ..." + string(a[lo:min(len(a), i+120)]) + "\nsecond: ..." + string(b[lo:min(len(b), i+120)])
}
