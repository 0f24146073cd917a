package scheduler

// Offline d-dimensional vector bin packing (the `ecssim pack` command).
//
// Pack places every copy of every item type into identical bins so that no
// bin exceeds its capacity in any dimension, using as few bins as it can.
// Quality mode runs a portfolio of constructive heuristics (pack_heuristics.go)
// and then a seeded improvement search bounded by a count of moves
// (pack_search.go); fast mode runs one heuristic. ReadVBP (pack_vbp.go) reads
// the VPSolver .vbp instance format.

import (
	"fmt"
	"math"
	"sort"
)

// PackProblem is an offline vector bin packing instance: item types with
// d-dimensional non-negative integer sizes and a count of copies each, and
// one bin type whose capacity in each of the d dimensions is Capacity.
// Units are whatever the caller uses (CPU units, MiB, ...), the same in
// Capacity and Sizes dimension by dimension.
type PackProblem struct {
	Capacity []int64   // per dimension, > 0
	Sizes    [][]int64 // per item type, len(Capacity) values each, >= 0
	Counts   []int     // per item type, copies to pack, >= 0
}

// PackOptions selects the packing mode.
type PackOptions struct {
	// Fast runs one heuristic and no search: bin-centric packing that fills
	// one bin at a time with the copy of largest dot product between its
	// normalized sizes and the bin's normalized residual capacity, weighted
	// by the average demand per dimension (Panigrahy et al.'s
	// DotProduct-Avg). O(n²·d) for n copies.
	Fast bool
	// Effort bounds the improvement search of quality mode, in moves (an
	// insertion or an ejection of items from one bin). 0 means
	// DefaultPackEffort. It is a count, not a time, so the result does not
	// depend on the machine's speed.
	Effort int
	// Seed seeds the improvement search; the same problem, options and seed
	// give the same result.
	Seed uint64
}

// DefaultPackEffort is the improvement-search budget, in moves, used when
// PackOptions.Effort is 0.
const DefaultPackEffort = 4000

// PackResult is a packing.
type PackResult struct {
	// Bins is the number of bins used (len(Assignment)).
	Bins int
	// LowerBound is a proven lower bound on the optimal number of bins
	// (see PackLowerBound).
	LowerBound int
	// Assignment holds one list per bin of the 0-based item-type indices it
	// holds, an index repeated once per copy, in increasing order within a
	// bin. Bins are ordered by their lists, lexicographically.
	Assignment [][]int
}

// Pack packs p. It returns an error when p is malformed (no dimensions, a
// capacity <= 0, a size list of the wrong length, a negative size or count,
// len(Sizes) != len(Counts)) or when an item type with a count > 0 is larger
// than the bin in some dimension.
func Pack(p PackProblem, opt PackOptions) (PackResult, error) {
	if err := p.check(); err != nil {
		return PackResult{}, err
	}
	pk := newPacker(p)
	lb := pk.lowerBound()
	var best [][]int
	if opt.Fast {
		best = pk.binCentric(scoreDot, pk.avgW)
	} else {
		best = pk.portfolio(lb)
		if len(best) > lb {
			effort := opt.Effort
			if effort <= 0 {
				effort = DefaultPackEffort
			}
			best = pk.improve(best, lb, effort, opt.Seed)
		}
	}
	return pk.result(best, lb), nil
}

// PackLowerBound returns a proven lower bound on the number of bins p needs:
// the largest of (1) the volume bound, max over dimensions of
// ceil(sum of sizes / capacity); (2) the number of copies that fit with no
// other copy in one bin, plus the volume bound of the remaining copies; and
// (3) the size of a set of copies no two of which fit together (found
// greedily from the largest). It returns an error for a malformed p.
func PackLowerBound(p PackProblem) (int, error) {
	if err := p.check(); err != nil {
		return 0, err
	}
	return newPacker(p).lowerBound(), nil
}

// check validates the shape of p and that every item fits in an empty bin.
func (p PackProblem) check() error {
	d := len(p.Capacity)
	if d == 0 {
		return fmt.Errorf("pack: no dimensions (empty capacity)")
	}
	for k, c := range p.Capacity {
		if c <= 0 {
			return fmt.Errorf("pack: capacity in dimension %d is %d, must be > 0", k, c)
		}
	}
	if len(p.Sizes) != len(p.Counts) {
		return fmt.Errorf("pack: %d size lists but %d counts", len(p.Sizes), len(p.Counts))
	}
	var total int64
	for i, s := range p.Sizes {
		if len(s) != d {
			return fmt.Errorf("pack: item type %d has %d sizes, want %d", i, len(s), d)
		}
		if p.Counts[i] < 0 {
			return fmt.Errorf("pack: item type %d has count %d, must be >= 0", i, p.Counts[i])
		}
		total += int64(p.Counts[i])
		for k, v := range s {
			if v < 0 {
				return fmt.Errorf("pack: item type %d has size %d in dimension %d, must be >= 0", i, v, k)
			}
			if v > p.Capacity[k] && p.Counts[i] > 0 {
				return fmt.Errorf("pack: item type %d does not fit in a bin: size %d > capacity %d in dimension %d", i, v, p.Capacity[k], k)
			}
		}
	}
	if total > math.MaxInt32 {
		return fmt.Errorf("pack: %d copies in all, too many", total)
	}
	return nil
}

// Valid reports whether r is a packing of p: every copy of every item type
// assigned exactly once, no bin over capacity in any dimension, no empty
// bin, and Bins == len(Assignment).
func (r PackResult) Valid(p PackProblem) error {
	if len(p.Sizes) != len(p.Counts) {
		return fmt.Errorf("pack: problem has %d size lists but %d counts", len(p.Sizes), len(p.Counts))
	}
	if r.Bins != len(r.Assignment) {
		return fmt.Errorf("pack: Bins is %d but the assignment has %d bins", r.Bins, len(r.Assignment))
	}
	d := len(p.Capacity)
	seen := make([]int, len(p.Counts))
	load := make([]int64, d)
	for b, bin := range r.Assignment {
		if len(bin) == 0 {
			return fmt.Errorf("pack: bin %d is empty", b)
		}
		clear(load)
		for _, t := range bin {
			if t < 0 || t >= len(p.Sizes) {
				return fmt.Errorf("pack: bin %d holds unknown item type %d", b, t)
			}
			if len(p.Sizes[t]) != d {
				return fmt.Errorf("pack: item type %d has %d sizes, want %d", t, len(p.Sizes[t]), d)
			}
			seen[t]++
			for k := range d {
				load[k] += p.Sizes[t][k]
			}
		}
		for k := range d {
			if load[k] > p.Capacity[k] {
				return fmt.Errorf("pack: bin %d holds %d in dimension %d, capacity %d", b, load[k], k, p.Capacity[k])
			}
		}
	}
	for t, c := range p.Counts {
		if seen[t] != c {
			return fmt.Errorf("pack: item type %d assigned %d times, count is %d", t, seen[t], c)
		}
	}
	return nil
}

// packer holds a validated problem expanded into copies.
type packer struct {
	d    int
	cap  []int64
	n    int       // number of copies
	typ  []int     // copy -> item type
	sz   []int64   // copy i's sizes at sz[i*d : i*d+d]
	nrm  []float64 // sizes / capacity, same layout
	l1   []float64 // sum over dimensions of nrm, per copy
	avgW []float64 // per dimension, mean normalized size over copies (Panigrahy et al.'s "Avg" weights)
	oneW []float64 // all ones
	// Copies of one item type are contiguous, in type order: type t's are
	// first[t], ..., first[t]+cnt[t]-1. Routines that treat identical
	// copies alike work per type (O(types) instead of O(copies)).
	first []int
	cnt   []int
}

func newPacker(p PackProblem) *packer {
	d := len(p.Capacity)
	pk := &packer{d: d, cap: p.Capacity}
	for t, c := range p.Counts {
		pk.first = append(pk.first, len(pk.typ))
		pk.cnt = append(pk.cnt, c)
		for range c {
			pk.typ = append(pk.typ, t)
		}
	}
	pk.n = len(pk.typ)
	pk.sz = make([]int64, pk.n*d)
	pk.nrm = make([]float64, pk.n*d)
	pk.l1 = make([]float64, pk.n)
	pk.avgW = make([]float64, d)
	pk.oneW = make([]float64, d)
	for i, t := range pk.typ {
		for k := range d {
			v := p.Sizes[t][k]
			x := float64(v) / float64(p.Capacity[k])
			pk.sz[i*d+k] = v
			pk.nrm[i*d+k] = x
			pk.l1[i] += x
			pk.avgW[k] += x
		}
	}
	for k := range d {
		pk.oneW[k] = 1
		if pk.n > 0 {
			pk.avgW[k] /= float64(pk.n)
		}
	}
	return pk
}

// fitsAdd reports whether copy i fits in a bin whose load is load.
func (pk *packer) fitsAdd(load []int64, i int) bool {
	s := pk.sz[i*pk.d : i*pk.d+pk.d]
	for k, c := range pk.cap {
		if load[k]+s[k] > c {
			return false
		}
	}
	return true
}

func (pk *packer) add(load []int64, i int) {
	s := pk.sz[i*pk.d : i*pk.d+pk.d]
	for k := range s {
		load[k] += s[k]
	}
}

func (pk *packer) sub(load []int64, i int) {
	s := pk.sz[i*pk.d : i*pk.d+pk.d]
	for k := range s {
		load[k] -= s[k]
	}
}

// pairFits reports whether copies i and j fit together in one bin.
func (pk *packer) pairFits(i, j int) bool {
	for k, c := range pk.cap {
		if pk.sz[i*pk.d+k]+pk.sz[j*pk.d+k] > c {
			return false
		}
	}
	return true
}

// volumeBound is max over dimensions of ceil(sum of sizes of the copies
// with keep[i] / capacity); keep nil means all copies.
func (pk *packer) volumeBound(keep []bool) int {
	best := 0
	for k, c := range pk.cap {
		var sum int64
		for i := range pk.n {
			if keep == nil || keep[i] {
				sum += pk.sz[i*pk.d+k]
			}
		}
		if b := int((sum + c - 1) / c); b > best {
			best = b
		}
	}
	return best
}

// lowerBound is the bound of PackLowerBound: the volume bound; the copies
// that fit with no other copy (one bin each) plus the volume bound of the
// rest; a set of pairwise incompatible copies grown greedily from the
// largest (by L1 size, ties in copy order). Copies of one type are
// identical, so both pairwise bounds work per type: O(types² · d).
func (pk *packer) lowerBound() int {
	lb := pk.volumeBound(nil)
	nt := len(pk.cnt)
	// selfFits[t]: two copies of t fit together.
	selfFits := make([]bool, nt)
	for t := range nt {
		if pk.cnt[t] > 0 {
			selfFits[t] = pk.pairFits(pk.first[t], pk.first[t])
		}
	}
	// Copies that fit with no other copy need a bin each, to themselves.
	keep := make([]bool, pk.n)
	alone := 0
	for t := range nt {
		if pk.cnt[t] == 0 {
			continue
		}
		partner := pk.cnt[t] >= 2 && selfFits[t]
		for u := 0; u < nt && !partner; u++ {
			partner = u != t && pk.cnt[u] > 0 && pk.pairFits(pk.first[t], pk.first[u])
		}
		for i := pk.first[t]; i < pk.first[t]+pk.cnt[t]; i++ {
			keep[i] = partner
		}
		if !partner {
			alone += pk.cnt[t]
		}
	}
	if b := alone + pk.volumeBound(keep); b > lb {
		lb = b
	}
	// A set of pairwise incompatible copies needs one bin per copy; grow
	// one greedily from the largest copies. The order keeps each type's
	// copies together (a stable sort by a per-type key), so each run of a
	// type is decided at its first copy: rejected whole, or its first copy
	// taken and the rest taken too unless two of them fit together.
	idx := pk.order(measureL1, pk.oneW)
	var cliqueTypes []int
	size := 0
	for a := 0; a < len(idx); {
		t := pk.typ[idx[a]]
		b := a
		for b < len(idx) && pk.typ[idx[b]] == t {
			b++
		}
		ok := true
		for _, u := range cliqueTypes {
			if pk.pairFits(pk.first[t], pk.first[u]) {
				ok = false
				break
			}
		}
		if ok {
			cliqueTypes = append(cliqueTypes, t)
			if selfFits[t] {
				size++
			} else {
				size += b - a
			}
		}
		a = b
	}
	return max(lb, size)
}

// result turns bins of copies into a PackResult in canonical order.
func (pk *packer) result(bins [][]int, lb int) PackResult {
	out := make([][]int, 0, len(bins))
	for _, b := range bins {
		if len(b) == 0 {
			continue
		}
		ts := make([]int, len(b))
		for j, i := range b {
			ts[j] = pk.typ[i]
		}
		sort.Ints(ts)
		out = append(out, ts)
	}
	sort.Slice(out, func(a, b int) bool { return lessInts(out[a], out[b]) })
	return PackResult{Bins: len(out), LowerBound: lb, Assignment: out}
}

// lessInts orders int slices lexicographically, a shorter prefix first.
func lessInts(a, b []int) bool {
	for k := range min(len(a), len(b)) {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return len(a) < len(b)
}
