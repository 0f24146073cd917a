package sim

import (
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// BenchmarkRunLarge runs the generated PERFORMANCE.md scenario (5,000
// instances, 200 services, about 100k job tasks) for a shortened horizon
// and reports the whole simulation's speed in events per second and
// simulated days per second. The full 30-day run is `make large`.
//
//	go test -run XXX -bench RunLarge -benchtime 3x ./sim
func BenchmarkRunLarge(b *testing.B) {
	src := scenarios.GenerateLarge(scenarios.LargeParams{Instances: 5000, Services: 200, JobTasks: 100000, Days: 30, Seed: 1})
	sc, err := scenarios.Parse("large.toml", src)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var events int64
	for i := 0; i < b.N; i++ {
		res, err := Run(sc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += res.Engine.Events
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/s, "events/s")
	b.ReportMetric(float64(b.N)*sc.Duration.D().Hours()/24/s, "sim-days/s")
}
