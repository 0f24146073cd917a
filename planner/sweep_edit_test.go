package planner

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// studyIn writes sweepBase and the given study text to a folder and loads
// the study; the error is LoadStudy's.
func studyIn(t *testing.T, study string) (*Study, error) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(sweepBase), 0o644)
	path := filepath.Join(dir, "study.toml")
	os.WriteFile(path, []byte(study), 0o644)
	return LoadStudy(path)
}

// An edited objective (minimize → maximize) in a folder whose runs are
// done: nothing is simulated again, and the summary answers the new
// objective (study.json is rewritten with it).
func TestSweepEditedObjective(t *testing.T) {
	st, err := studyIn(t, sweepStudy)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first, err := RunSweep(st, SweepOptions{Out: dir, WriteResult: writeJSON})
	if err != nil {
		t.Fatal(err)
	}
	maxi, err := studyIn(t, strings.Replace(sweepStudy, "minimize", "maximize", 1))
	if err != nil {
		t.Fatal(err)
	}
	again, err := RunSweep(maxi, SweepOptions{Out: dir, WriteResult: writeJSON})
	if err != nil {
		t.Fatal(err)
	}
	if again.Simulated != 0 || again.Summary == nil || again.Summary.Best == nil || first.Summary.Best == nil {
		t.Fatalf("rerun: %+v", again)
	}
	// The cheapest and the dearest group differ (target 50 with no Spot
	// costs more than target 70 with Spot weight 3).
	lo, hi := first.Summary.Best.Mean["cost.monthly_usd"], again.Summary.Best.Mean["cost.monthly_usd"]
	if !(hi > lo) {
		t.Errorf("maximize after minimize: best %v, want above %v", hi, lo)
	}
	for _, g := range again.Summary.Groups {
		if g.Mean["cost.monthly_usd"] > hi && Feasible(maxi, &g) {
			t.Errorf("a feasible group costs %v, more than the maximum %v", g.Mean["cost.monthly_usd"], hi)
		}
	}
}

// A metric path that names nothing in results.json stops the sweep after
// its first run (one worker), not after every run.
func TestSweepBadMetricStopsEarly(t *testing.T) {
	st, err := studyIn(t, "metrics = [\"services.web.no_such_metric\"]\n"+sweepStudy)
	if err != nil {
		t.Fatal(err)
	}
	out, err := RunSweep(st, SweepOptions{Out: t.TempDir(), Parallel: 1, WriteResult: writeJSON})
	if err == nil || !strings.Contains(err.Error(), "no_such_metric") || !errors.Is(err, ErrNoSuchPath) {
		t.Fatalf("err %v, want one naming the path", err)
	}
	if out.Simulated > 1 {
		t.Errorf("%d runs simulated, want at most 1", out.Simulated)
	}
}

// CheckGrid: max_capacity 5 with desired_count 8 violates
// min_capacity ≤ desired_count ≤ max_capacity [service-auto-scaling],
// though each value alone passes (the base has desired 4 and max 20): the
// grid point (1, 1), number 3, is an error at the first [[vary]] entry
// before anything runs.
func TestCheckGridCombination(t *testing.T) {
	study := `scenario = "base.toml"
[[vary]]
key = "services.web.autoscaling.max_capacity"
values = [20, 5]
[[vary]]
key = "services.web.desired_count"
values = [4, 8]
`
	st, err := studyIn(t, study)
	if err != nil {
		t.Fatalf("each value alone is valid: %v", err)
	}
	err = st.CheckGrid()
	var list scenarios.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Line != 3 || !strings.Contains(list[0].Msg, "grid point 3") {
		t.Fatalf("CheckGrid: %v, want one error for grid point 3 at line 3 (the first vary key)", err)
	}
}

// A value listed twice would make two identical groups: an error at the
// repeat (40 and 40.0 are the same value).
func TestStudyRepeatedValue(t *testing.T) {
	_, err := studyIn(t, strings.Replace(sweepStudy, "values = [50, 70]", "values = [50, 50.0]", 1))
	if err == nil || !strings.Contains(err.Error(), "study.toml:5:") || !strings.Contains(err.Error(), "repeats values[0]") {
		t.Errorf("err %v, want a repeat at study.toml:5", err)
	}
}
