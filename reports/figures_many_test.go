package reports

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

// TestFiguresDrawTheLargestServices: with more services than colours, the
// utilization and tasks figures draw the maxDrawn services with the
// highest mean (here s10..s17, whose mean CPU is 10 × index) and say how
// many they left out.
func TestFiguresDrawTheLargestServices(t *testing.T) {
	const n, periods = 18, 60
	ts := &sim.Timeseries{PeriodSeconds: 60}
	for i := 0; i < n; i++ {
		for _, m := range []string{"cpu_utilization", "running_count"} {
			col := make([]float32, periods)
			for k := range col {
				col[k] = float32(i)
			}
			ts.Columns = append(ts.Columns, fmt.Sprintf("service/s%02d/%s", i, m))
			ts.Data = append(ts.Data, col)
		}
	}
	res := &sim.Result{Scenario: sim.ScenarioInfo{Name: "many", DurationSeconds: periods * 60}, Series: ts}
	figs, err := Figures(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Name != "utilization" && f.Name != "tasks" {
			continue
		}
		if !strings.Contains(f.Data, "omitted 10 services") {
			t.Errorf("%s: Data does not note the 10 services left out:\n%s", f.Name, f.Data)
		}
		for i := 0; i < n; i++ {
			drawn := strings.Contains(f.Data, fmt.Sprintf("s%02d", i))
			if want := i >= n-maxDrawn; drawn != want {
				t.Errorf("%s: s%02d drawn %v, want %v", f.Name, i, drawn, want)
			}
		}
	}
}
