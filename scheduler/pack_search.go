package scheduler

// The improvement search of quality mode: repeatedly try to empty one bin.
// An attempt removes a lightly filled bin and puts its copies in a pool,
// then spends moves emptying the pool into the remaining bins: a move either
// inserts a pool copy into a bin where it fits, or inserts it into a bin
// after ejecting one or two copies of that bin back into the pool, choosing
// the ejection that returns the least normalized size (a consistent
// neighbourhood search after Buljubašić and Vasquez, "Consistent
// neighborhood search for one-dimensional bin packing and two-dimensional
// vector packing", COR 2016, much simplified). A short tabu list keeps an
// ejected copy out of the bin it left. The attempt succeeds when the pool is
// empty (one bin fewer); else the packing before it is restored. The total
// number of moves is bounded by the effort, so the search is deterministic
// for a seed.

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// searchState is a packing of some copies into bins plus a pool of copies
// not yet packed.
type searchState struct {
	pk    *packer
	bins  [][]int
	load  [][]int64
	pool  []int
	tabu  map[[2]int]int // (copy, bin) -> last move at which the copy may not re-enter the bin
	moves int
	rng   *rand.Rand
}

func (pk *packer) newState(bins [][]int, rng *rand.Rand) *searchState {
	st := &searchState{pk: pk, rng: rng}
	for _, b := range bins {
		l := make([]int64, pk.d)
		for _, i := range b {
			pk.add(l, i)
		}
		st.bins = append(st.bins, slices.Clone(b))
		st.load = append(st.load, l)
	}
	return st
}

// fill returns the normalized fill of bin b (sum of its copies' l1).
func (st *searchState) fill(b int) float64 {
	var f float64
	for _, i := range st.bins[b] {
		f += st.pk.l1[i]
	}
	return f
}

// improve runs the search from bins until it has spent effort moves or
// reached lb bins, and returns the best packing found.
func (pk *packer) improve(bins [][]int, lb, effort int, seed uint64) [][]int {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	best := bins
	spent := 0
	attempt := 0
	perAttempt := max(effort/4, 100)
	for spent < effort && len(best) > lb {
		// Try the bins from the least filled; the k-th failed attempt in a
		// row tries the k-th least filled (mod the bin count).
		st := pk.newState(best, rng)
		rank := make([]int, len(st.bins))
		fill := make([]float64, len(st.bins))
		for b := range rank {
			rank[b] = b
			fill[b] = st.fill(b)
		}
		sort.SliceStable(rank, func(a, b int) bool { return fill[rank[a]] < fill[rank[b]] })
		target := rank[attempt%len(rank)]
		budget := min(perAttempt, effort-spent)
		ok := st.empty(target, budget)
		spent += st.moves
		if ok {
			best = st.bins
			attempt = 0
		} else {
			attempt++
		}
	}
	return best
}

// empty removes bin target, moves its copies to the pool and tries to pack
// the pool into the other bins within budget moves. It reports success.
func (st *searchState) empty(target, budget int) bool {
	pk := st.pk
	st.pool = append(st.pool, st.bins[target]...)
	last := len(st.bins) - 1
	st.bins[target], st.load[target] = st.bins[last], st.load[last]
	st.bins, st.load = st.bins[:last], st.load[:last]
	st.tabu = map[[2]int]int{}
	// Largest first, for the greedy insertions.
	sort.SliceStable(st.pool, func(a, b int) bool { return pk.l1[st.pool[a]] > pk.l1[st.pool[b]] })
	for len(st.pool) > 0 {
		if st.moves >= budget {
			return false
		}
		st.moves++
		// Pick a pool copy: the largest, or one at random half the time.
		at := 0
		if len(st.pool) > 1 && st.rng.IntN(2) == 0 {
			at = st.rng.IntN(len(st.pool))
		}
		i := st.pool[at]
		if b := st.bestInsert(i); b >= 0 {
			st.pool = slices.Delete(st.pool, at, at+1)
			st.put(i, b)
			continue
		}
		b, ej := st.bestEjection(i)
		if b < 0 {
			// Every ejection is tabu or none makes room: eject from a
			// random bin, largest copies first, until i fits.
			b = st.rng.IntN(len(st.bins))
			ej = st.forceRoom(i, b)
		}
		st.pool = slices.Delete(st.pool, at, at+1)
		tenure := 5 + st.rng.IntN(len(st.pool)+len(ej)+3)
		for _, j := range ej {
			st.remove(j, b)
			st.tabu[[2]int{j, b}] = st.moves + tenure
			st.pool = append(st.pool, j)
		}
		st.put(i, b)
		sort.SliceStable(st.pool, func(a, c int) bool { return pk.l1[st.pool[a]] > pk.l1[st.pool[c]] })
	}
	return true
}

func (st *searchState) put(i, b int) {
	st.pk.add(st.load[b], i)
	st.bins[b] = append(st.bins[b], i)
}

func (st *searchState) remove(i, b int) {
	st.pk.sub(st.load[b], i)
	at := slices.Index(st.bins[b], i)
	st.bins[b] = slices.Delete(st.bins[b], at, at+1)
}

// bestInsert returns the bin where copy i fits with the least normalized
// free capacity left (ties to the lowest bin), or -1.
func (st *searchState) bestInsert(i int) int {
	pk := st.pk
	best, bestFree := -1, math.Inf(1)
	for b, l := range st.load {
		if !pk.fitsAdd(l, i) {
			continue
		}
		var free float64
		for k, c := range pk.cap {
			free += float64(c-l[k]) / float64(c)
		}
		if free < bestFree {
			best, bestFree = b, free
		}
	}
	return best
}

// bestEjection returns the bin b and the one or two copies of b to eject so
// that copy i fits in b, minimizing the ejected normalized size (plus a
// small penalty per ejected copy and random noise to break ties), skipping
// tabu moves. It returns b = -1 when there is none.
func (st *searchState) bestEjection(i int) (int, []int) {
	pk := st.pk
	d := pk.d
	const perCopy = 0.05
	tmp := make([]int64, d)
	bestB, bestV := -1, math.Inf(1)
	var bestEj [2]int
	nEj := 0
	si := pk.sz[i*d : i*d+d]
	for b, l := range st.load {
		if t, ok := st.tabu[[2]int{i, b}]; ok && t >= st.moves {
			continue
		}
		for k := range d {
			tmp[k] = l[k] + si[k]
		}
		bin := st.bins[b]
		for x, j := range bin {
			vj := pk.l1[j]
			if vj+perCopy >= bestV {
				continue // ejecting j, alone or with another, costs too much
			}
			if pk.fitsSub(tmp, j, -1) {
				v := vj + perCopy + 1e-9*st.rng.Float64()
				if v < bestV {
					bestB, bestV, bestEj, nEj = b, v, [2]int{j, -1}, 1
				}
				continue // a pair with j costs more than j alone
			}
			for _, j2 := range bin[x+1:] {
				v := vj + pk.l1[j2] + 2*perCopy
				if v >= bestV || !pk.fitsSub(tmp, j, j2) {
					continue
				}
				v += 1e-9 * st.rng.Float64()
				bestB, bestV, bestEj, nEj = b, v, [2]int{j, j2}, 2
			}
		}
	}
	if bestB < 0 {
		return -1, nil
	}
	return bestB, slices.Clone(bestEj[:nEj])
}

// fitsSub reports whether load minus copies j and j2 (j2 = -1 for none)
// is within capacity.
func (pk *packer) fitsSub(load []int64, j, j2 int) bool {
	d := pk.d
	for k, c := range pk.cap {
		v := load[k] - pk.sz[j*d+k]
		if j2 >= 0 {
			v -= pk.sz[j2*d+k]
		}
		if v > c {
			return false
		}
	}
	return true
}

// forceRoom returns the copies of bin b to eject, largest first, so that
// copy i fits in b.
func (st *searchState) forceRoom(i, b int) []int {
	pk := st.pk
	bin := slices.Clone(st.bins[b])
	sort.SliceStable(bin, func(a, c int) bool { return pk.l1[bin[a]] > pk.l1[bin[c]] })
	l := slices.Clone(st.load[b])
	var ej []int
	for _, j := range bin {
		if pk.fitsAdd(l, i) {
			break
		}
		pk.sub(l, j)
		ej = append(ej, j)
	}
	return ej
}
