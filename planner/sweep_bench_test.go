package planner

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

// BenchmarkSweep measures sweep throughput (runs/s) with --parallel 1 and
// 2 on the same 64-run study (7 days simulated per run): the ratio of the
// two is the scaling PERFORMANCE.md asks for ("near-linear in cores").
// The reference does the same simulations in a bare worker pool, with no
// files, summary or study: its 2-to-1 ratio is what the machine allows.
// Both run with the garbage collector target `ecssim sweep` sets
// (SweepGCPercent).
func BenchmarkSweep(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(SweepGCPercent)) // as `ecssim sweep` runs
	dir := b.TempDir()
	base := strings.Replace(sweepBase, `duration = "6h"`, `duration = "7d"`, 1)
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(base), 0o644)
	study := strings.Replace(sweepStudy, "replications = 2", "replications = 16", 1)
	path := filepath.Join(dir, "study.toml")
	os.WriteFile(path, []byte(study), 0o644)
	st, err := LoadStudy(path)
	if err != nil {
		b.Fatal(err)
	}
	specs := st.Expand()
	for _, par := range []int{1, 2} {
		name := map[int]string{1: "1", 2: "2"}[par]
		b.Run("sweep/parallel="+name, func(b *testing.B) {
			runs := 0
			for b.Loop() {
				out, err := RunSweep(st, SweepOptions{Out: b.TempDir(), Parallel: par, WriteResult: writeJSON})
				if err != nil {
					b.Fatal(err)
				}
				runs += out.Simulated
			}
			b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
		})
		b.Run("reference/parallel="+name, func(b *testing.B) {
			runs := 0
			for b.Loop() {
				jobs := make(chan RunSpec)
				var wg sync.WaitGroup
				for range par {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for r := range jobs {
							sc, err := st.Variant(r)
							if err == nil {
								_, err = sim.Run(sc, sim.Options{})
							}
							if err != nil {
								b.Error(err)
							}
						}
					}()
				}
				for _, r := range specs {
					jobs <- r
				}
				close(jobs)
				wg.Wait()
				runs += len(specs)
			}
			b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
