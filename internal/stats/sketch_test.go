package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// generators of test inputs, all seeded.
var inputs = []struct {
	name string
	gen  func(n int) []float64
}{
	{"uniform", func(n int) []float64 {
		r := rand.New(rand.NewPCG(1, 2))
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = r.Float64() * 100
		}
		return xs
	}},
	{"exponential", func(n int) []float64 {
		r := rand.New(rand.NewPCG(3, 4))
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = r.ExpFloat64()
		}
		return xs
	}},
	{"ascending", func(n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(i)
		}
		return xs
	}},
	{"descending", func(n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(n - i)
		}
		return xs
	}},
	{"sawtooth", func(n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(i % 977)
		}
		return xs
	}},
	{"ten-distinct", func(n int) []float64 { // counts: many ties
		r := rand.New(rand.NewPCG(5, 6))
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(r.IntN(10))
		}
		return xs
	}},
}

// rankDistance returns how far rank r is from the ranks v occupies in the
// sorted slice: 0 if one of v's copies is at rank r.
func rankDistance(sorted []float64, v float64, r int) int {
	lo := sort.SearchFloat64s(sorted, v) + 1                                  // first rank of v
	hi := sort.Search(len(sorted), func(i int) bool { return sorted[i] > v }) // last rank of v
	switch {
	case lo > hi:
		return math.MaxInt // v is not in the data at all
	case r < lo:
		return lo - r
	case r > hi:
		return r - hi
	}
	return 0
}

// SCENARIO.md "Datapoints and statistics": beyond the exact limit,
// percentiles come "from a deterministic sketch with at most 1 % rank
// error". The sketch is built for 0.5 % (eps = 1/200), checked here too.
func TestSketchRankError(t *testing.T) {
	const n = 200_000
	qs := []float64{0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			xs := in.gen(n)
			s := NewSample(1000)
			for _, x := range xs {
				s.Add(x)
			}
			if s.Exact() {
				t.Fatal("sample still exact")
			}
			sorted := slices.Clone(xs)
			slices.Sort(sorted)
			worst := 0
			for _, q := range qs {
				r := NearestRank(q, n)
				v := s.Quantile(q)
				d := rankDistance(sorted, v, r)
				worst = max(worst, d)
				if d > n/100 {
					t.Errorf("q=%v: returned %v, rank distance %d > 1%% of n = %d", q, v, d, n/100)
				} else if d > n/200 {
					t.Errorf("q=%v: returned %v, rank distance %d > eps·n = %d", q, v, d, n/200)
				}
			}
			t.Logf("worst rank distance %d of n = %d (%.3f %%)", worst, n, 100*float64(worst)/n)
		})
	}
}

// Same input order, same answers, bit for bit; calling Quantile in between
// (which merges pending values into a temporary copy only) changes nothing.
func TestSketchDeterministic(t *testing.T) {
	xs := inputs[1].gen(150_000)
	a, b := NewSample(500), NewSample(500)
	for i, x := range xs {
		a.Add(x)
		b.Add(x)
		if i%7919 == 0 && i > 0 {
			b.Quantile(0.5)
			b.Summary()
		}
	}
	for _, q := range []float64{0.01, 0.5, 0.95, 0.99} {
		va, vb := a.Quantile(q), b.Quantile(q)
		if math.Float64bits(va) != math.Float64bits(vb) {
			t.Errorf("q=%v: %v vs %v", q, va, vb)
		}
	}
	if a.Summary() != b.Summary() {
		t.Errorf("summaries differ: %+v vs %+v", a.Summary(), b.Summary())
	}
}

// The exact values before the switch are handed to the sketch sorted, so
// querying in exact mode (which sorts in place) does not change the sketch.
func TestSketchIndependentOfExactModeQueries(t *testing.T) {
	xs := inputs[0].gen(20_000)
	a, b := NewSample(3000), NewSample(3000)
	for i, x := range xs {
		a.Add(x)
		b.Add(x)
		if i == 1500 {
			b.Quantile(0.3)
		}
	}
	if a.Summary() != b.Summary() {
		t.Errorf("summaries differ: %+v vs %+v", a.Summary(), b.Summary())
	}
}

// GK's space bound is (11/(2·eps))·log2(2·eps·n) tuples; with eps = 1/200 and
// n = 1e6 that is 1100·log2(10^4) ≈ 14,600. The sample holds tuples, a merge
// buffer of the same kind and a 2,048-value input buffer; the test allows
// 20,000 values in all, 2 % of the million a plain slice would hold, and
// checks sub-linear growth: ten times the data, less than twice the state.
func TestSketchMemoryBound(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	s := NewSample(1000)
	var at100k int
	for i := 1; i <= 1_000_000; i++ {
		s.Add(r.NormFloat64())
		if i == 100_000 {
			at100k = s.retained()
		}
	}
	got := s.retained()
	t.Logf("retained: %d values at n=1e5, %d at n=1e6 (tuples %d)", at100k, got, len(s.sketch.tuples))
	if got > 20_000 {
		t.Errorf("retained %d values for 1e6 items, want <= 20,000", got)
	}
	if got >= 2*at100k {
		t.Errorf("retained %d at 1e6 vs %d at 1e5: not sub-linear", got, at100k)
	}
}

// The GK invariant, checked directly: every tuple's rank bounds contain its
// true rank and g + Δ <= floor(2·eps·n).
func TestSketchInvariant(t *testing.T) {
	xs := inputs[4].gen(50_000) // sawtooth, with ties
	k := newGKSketch()
	for _, x := range xs {
		k.add(x)
	}
	k.flush()
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	limit := 2 * k.n / gkEpsDenom
	var rmin int64
	for i, tu := range k.tuples {
		rmin += tu.g
		if tu.g+tu.d > max(limit, 1) {
			t.Errorf("tuple %d: g+Δ = %d > %d", i, tu.g+tu.d, limit)
		}
		lo := int64(sort.SearchFloat64s(sorted, tu.v)) + 1
		hi := int64(sort.Search(len(sorted), func(j int) bool { return sorted[j] > tu.v }))
		if hi < rmin || lo > rmin+tu.d { // no rank of v inside [rmin, rmax]
			t.Errorf("tuple %d (v=%v): bounds [%d,%d], true ranks [%d,%d]", i, tu.v, rmin, rmin+tu.d, lo, hi)
		}
	}
	if rmin != int64(len(xs)) {
		t.Errorf("sum of g = %d, want n = %d", rmin, len(xs))
	}
}
