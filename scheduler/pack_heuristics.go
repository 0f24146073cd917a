package scheduler

// Constructive vector bin packing heuristics, after Panigrahy, Talwar, Uyeda
// and Wieder, "Heuristics for Vector Bin Packing" (Microsoft Research, 2011)
// and Mommessin, Erlebach and Shakhlevich (Computers & Operations Research,
// 2025): item-centric first fit decreasing under several size measures and
// dimension weights, best fit decreasing, and bin-centric packing that fills
// one bin at a time with the item that best matches its residual capacity.
// Every size is normalized by the bin capacity of its dimension.

import (
	"math"
	"sort"
)

// measure is how a copy's normalized size vector becomes one number.
type measure int

const (
	measureL1   measure = iota // sum of w_k·s_k
	measureL2                  // sqrt of sum of w_k·s_k²
	measureLinf                // max of w_k·s_k
	measureProd                // product of (1 + s_k)^w_k, as a sum of logs
)

// size returns the measure of copy i under weights w.
func (pk *packer) size(m measure, w []float64, i int) float64 {
	s := pk.nrm[i*pk.d : i*pk.d+pk.d]
	var v float64
	for k, x := range s {
		switch m {
		case measureL1:
			v += w[k] * x
		case measureL2:
			v += w[k] * x * x
		case measureLinf:
			v = math.Max(v, w[k]*x)
		case measureProd:
			v += w[k] * math.Log1p(x)
		}
	}
	if m == measureL2 {
		v = math.Sqrt(v)
	}
	return v
}

// order returns the copies by decreasing measure, ties by increasing index.
func (pk *packer) order(m measure, w []float64) []int {
	key := make([]float64, pk.n)
	idx := make([]int, pk.n)
	for i := range pk.n {
		key[i] = pk.size(m, w, i)
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return key[idx[a]] > key[idx[b]] })
	return idx
}

// ffd packs the copies in the given order, each into the first open bin
// where it fits, opening a bin when none does.
func (pk *packer) ffd(order []int) [][]int {
	d := pk.d
	var bins [][]int
	var load []int64
	for _, i := range order {
		placed := false
		for b := range bins {
			if pk.fitsAdd(load[b*d:b*d+d], i) {
				pk.add(load[b*d:b*d+d], i)
				bins[b] = append(bins[b], i)
				placed = true
				break
			}
		}
		if !placed {
			load = append(load, make([]int64, d)...)
			pk.add(load[len(load)-d:], i)
			bins = append(bins, []int{i})
		}
	}
	return bins
}

// bfd packs the copies in the given order, each into the open bin where it
// fits and leaves the least weighted residual capacity (sum of w_k times the
// normalized free capacity), ties to the lowest bin.
func (pk *packer) bfd(order []int, w []float64) [][]int {
	d := pk.d
	var bins [][]int
	var load []int64
	var free []float64 // weighted normalized free capacity per bin
	for _, i := range order {
		best, bestFree := -1, math.Inf(1)
		add := pk.size(measureL1, w, i)
		for b := range bins {
			if f := free[b] - add; f < bestFree && pk.fitsAdd(load[b*d:b*d+d], i) {
				best, bestFree = b, f
			}
		}
		if best < 0 {
			load = append(load, make([]int64, d)...)
			bins = append(bins, nil)
			var f float64
			for _, x := range w {
				f += x
			}
			free = append(free, f)
			best = len(bins) - 1
		}
		pk.add(load[best*d:best*d+d], i)
		bins[best] = append(bins[best], i)
		free[best] -= add
	}
	return bins
}

// binScore is how bin-centric packing rates a copy for the open bin.
type binScore int

const (
	scoreDot    binScore = iota // maximize sum of w_k·s_k·r_k (r: normalized residual)
	scoreL2Norm                 // minimize sum of w_k·(r_k − s_k)²
)

// binCentric opens one bin at a time and fills it: among the copies not yet
// packed that fit, it adds the best by sc under weights w (ties to the
// lowest copy index), until none fits. Copies of one type score alike and
// are contiguous, so it scans types, taking a type's lowest unpacked copy:
// O(copies · types · d) rather than O(copies² · d).
func (pk *packer) binCentric(sc binScore, w []float64) [][]int {
	d := pk.d
	nt := len(pk.cnt)
	used := make([]int, nt) // copies of each type packed so far
	active := make([]int, 0, nt)
	for t := range nt {
		if pk.cnt[t] > 0 {
			active = append(active, t) // types with copies left, in order
		}
	}
	left := pk.n
	var bins [][]int
	load := make([]int64, d)
	res := make([]float64, d)
	for left > 0 {
		clear(load)
		for k := range res {
			res[k] = 1
		}
		var bin []int
		for {
			best, bestAt := -1, -1
			bestV := math.Inf(-1)
			for at, t := range active {
				i := pk.first[t]
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
					best, bestAt, bestV = t, at, v
				}
			}
			if best < 0 {
				break
			}
			i := pk.first[best] + used[best]
			if used[best]++; used[best] == pk.cnt[best] {
				active = append(active[:bestAt], active[bestAt+1:]...)
			}
			left--
			pk.add(load, i)
			for k := range res {
				res[k] -= pk.nrm[i*d+k]
			}
			bin = append(bin, i)
		}
		bins = append(bins, bin)
	}
	return bins
}

// portfolio runs every constructive heuristic and returns the packing with
// the fewest bins (the first such, in the fixed order below). It stops early
// when a packing meets the lower bound lb.
func (pk *packer) portfolio(lb int) [][]int {
	// Weights that emphasize the scarce dimensions: the average demand,
	// and that average over the free share, (avg / (1 − avg)) clipped.
	scarce := make([]float64, pk.d)
	for k, a := range pk.avgW {
		scarce[k] = a / math.Max(1-a, 0.05)
	}
	weights := [][]float64{pk.avgW, pk.oneW, scarce}
	var runs []func() [][]int
	for _, w := range weights {
		w := w
		runs = append(runs,
			func() [][]int { return pk.binCentric(scoreDot, w) },
			func() [][]int { return pk.binCentric(scoreL2Norm, w) },
		)
		for _, m := range []measure{measureL2, measureL1, measureLinf, measureProd} {
			m := m
			runs = append(runs,
				func() [][]int { return pk.ffd(pk.order(m, w)) },
				func() [][]int { return pk.bfd(pk.order(m, w), w) },
			)
		}
	}
	var best [][]int
	for _, run := range runs {
		bins := run()
		if best == nil || len(bins) < len(best) {
			best = bins
			if len(best) <= lb {
				break
			}
		}
	}
	return best
}
