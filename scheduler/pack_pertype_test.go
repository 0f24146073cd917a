package scheduler

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The per-type binCentric and lowerBound must give exactly what the
// per-copy definitions give (copies of one type are identical). These are
// the per-copy definitions, kept as the reference.

func (pk *packer) binCentricCopies(sc binScore, w []float64) [][]int {
	d := pk.d
	left := make([]int, pk.n)
	for i := range left {
		left[i] = i
	}
	var bins [][]int
	load := make([]int64, d)
	res := make([]float64, d)
	for len(left) > 0 {
		clear(load)
		for k := range res {
			res[k] = 1
		}
		var bin []int
		for {
			best, bestAt := -1, -1
			bestV := math.Inf(-1)
			for at, i := range left {
				if !pk.fitsAdd(load, i) {
					continue
				}
				s := pk.nrm[i*d : i*d+d]
				var v float64
				switch sc {
				case scoreDot:
					for k, x := range s {
						v += w[k] * x * res[k]
					}
				case scoreL2Norm:
					for k, x := range s {
						r := res[k] - x
						v -= w[k] * r * r
					}
				}
				if v > bestV {
					best, bestAt, bestV = i, at, v
				}
			}
			if best < 0 {
				break
			}
			pk.add(load, best)
			for k := range res {
				res[k] -= pk.nrm[best*d+k]
			}
			bin = append(bin, best)
			left = append(left[:bestAt], left[bestAt+1:]...)
		}
		bins = append(bins, bin)
	}
	return bins
}

func (pk *packer) lowerBoundCopies() int {
	lb := pk.volumeBound(nil)
	keep := make([]bool, pk.n)
	alone := 0
	for i := range pk.n {
		for j := range pk.n {
			if j != i && pk.pairFits(i, j) {
				keep[i] = true
				break
			}
		}
		if !keep[i] {
			alone++
		}
	}
	if b := alone + pk.volumeBound(keep); b > lb {
		lb = b
	}
	idx := pk.order(measureL1, pk.oneW)
	var clique []int
	for _, i := range idx {
		ok := true
		for _, j := range clique {
			if pk.pairFits(i, j) {
				ok = false
				break
			}
		}
		if ok {
			clique = append(clique, i)
		}
	}
	return max(lb, len(clique))
}

// TestPerTypeEqualsPerCopy: on random problems with repeated item types
// (some too large to pair, some tiny), both heuristics' bins and the lower
// bound equal the per-copy reference exactly.
func TestPerTypeEqualsPerCopy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		d := 1 + r.IntN(3)
		p := PackProblem{Capacity: make([]int64, d)}
		for k := range d {
			p.Capacity[k] = 50 + r.Int64N(100)
		}
		for range 1 + r.IntN(8) {
			s := make([]int64, d)
			big := r.IntN(4) == 0
			for k := range d {
				if big {
					s[k] = p.Capacity[k]/2 + 1 + r.Int64N(p.Capacity[k]/2)
				} else {
					s[k] = r.Int64N(p.Capacity[k]/3 + 1)
				}
			}
			p.Sizes = append(p.Sizes, s)
			p.Counts = append(p.Counts, r.IntN(12))
		}
		pk := newPacker(p)
		if got, want := pk.lowerBound(), pk.lowerBoundCopies(); got != want {
			t.Fatalf("trial %d: lower bound %d, per-copy %d (%+v)", trial, got, want, p)
		}
		for _, sc := range []binScore{scoreDot, scoreL2Norm} {
			got, want := pk.binCentric(sc, pk.avgW), pk.binCentricCopies(sc, pk.avgW)
			if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
				t.Fatalf("trial %d score %d: bins %v, per-copy %v", trial, sc, got, want)
			}
		}
	}
}

// BenchmarkBinCentricManyCopies: managed scaling packs its waiting tasks,
// many copies of few task shapes, every minute. 3,000 copies of 3 types on
// m6i.xlarge-like bins, per type against the per-copy reference.
func BenchmarkBinCentricManyCopies(b *testing.B) {
	p := PackProblem{
		Capacity: []int64{4096, 15872},
		Sizes:    [][]int64{{256, 512}, {512, 1024}, {1024, 3072}},
		Counts:   []int{1500, 1000, 500},
	}
	pk := newPacker(p)
	for _, c := range []struct {
		name string
		f    func(binScore, []float64) [][]int
	}{{"per-type", pk.binCentric}, {"per-copy", pk.binCentricCopies}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.f(scoreDot, pk.avgW)
			}
			b.ReportMetric(float64(pk.n)*float64(b.N)/b.Elapsed().Seconds(), "copies/s")
		})
	}
}
