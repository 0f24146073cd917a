package planner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkSweep measures sweep throughput (runs/s) with --parallel 1 and
// 2 on the same 16-run study (14 days simulated per run): the ratio of the
// two is the scaling PERFORMANCE.md asks for ("near-linear in cores").
func BenchmarkSweep(b *testing.B) {
	dir := b.TempDir()
	base := strings.Replace(sweepBase, `duration = "6h"`, `duration = "14d"`, 1)
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(base), 0o644)
	study := strings.Replace(sweepStudy, "replications = 2", "replications = 4", 1)
	path := filepath.Join(dir, "study.toml")
	os.WriteFile(path, []byte(study), 0o644)
	st, err := LoadStudy(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, par := range []int{1, 2} {
		b.Run(map[int]string{1: "parallel-1", 2: "parallel-2"}[par], func(b *testing.B) {
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
	}
}
