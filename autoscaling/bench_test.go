package autoscaling

import "testing"

// BenchmarkScalerEvaluate measures one scaling decision of a service with
// two target tracking policies and one step policy, the work package sim
// does per service per simulated minute. Run with
//
//	go test -run '^$' -bench ScalerEvaluate -count 10 ./autoscaling/ | benchstat -
func BenchmarkScalerEvaluate(b *testing.B) {
	s := Scaler{Min: 1, Max: 1000, TT: []TargetTracking{cpu60, mem70}, Steps: []StepPolicy{reqOut}}
	cpu, mem, req := NewWindow(WindowSize), NewWindow(WindowSize), NewWindow(WindowSize)
	win := Windows{TT: []*Window{cpu, mem}, Steps: []*Window{req}}
	cur := 100
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A sawtooth around the targets so that every path runs.
		x := float64(i % 40)
		cpu.Push(40 + x)
		mem.Push(50 + x)
		req.Push(900 + 5*x)
		if d, ok := s.Evaluate(minute(i), cur, win, false); ok {
			cur = d.To
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
}
