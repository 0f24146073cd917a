package stats

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkSampleAdd measures Sample.Add in both modes, in adds/s.
// Compare runs with benchstat:
//
//	go test -run '^$' -bench SampleAdd -count 10 ./internal/stats | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest old.txt new.txt
func BenchmarkSampleAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	xs := make([]float64, 1<<16)
	for i := range xs {
		xs[i] = r.Float64() * 100
	}
	for _, bc := range []struct {
		name  string
		limit int
	}{
		{"mode=exact", 0},     // a million values kept exactly
		{"mode=sketch", 1000}, // sketch after the first thousand
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := NewSample(bc.limit)
			i := 0
			for b.Loop() {
				s.Add(xs[i&(len(xs)-1)])
				i++
				if bc.limit == 0 && s.N() == DefaultExactLimit {
					s = NewSample(0) // stay in exact mode
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "adds/s")
		})
	}
}

// BenchmarkSummary measures a Summary of a full exact sample of a million
// values (one sort), in summaries/s.
func BenchmarkSummary(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 2))
	xs := make([]float64, DefaultExactLimit)
	for i := range xs {
		xs[i] = r.Float64()
	}
	for b.Loop() {
		b.StopTimer()
		s := NewSample(0)
		for _, x := range xs {
			s.Add(x)
		}
		b.StartTimer()
		s.Summary()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "summaries/s")
}
