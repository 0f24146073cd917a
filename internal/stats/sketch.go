package stats

import "slices"

// The sketch is Greenwald and Khanna's quantile summary ("Space-efficient
// online computation of quantile summaries", SIGMOD 2001) with eps = 1/200:
// every answer's true rank is within eps·n = 0.5 % of n of the requested
// rank, whatever the input order. It is fully deterministic: no random
// numbers, and all bookkeeping is integer arithmetic.
//
// Values are not inserted one by one (that costs a copy of the summary per
// value) but collected in a buffer, sorted, and merged into the summary in
// one pass, followed by one compress pass. Batching keeps the GK
// invariants; see insert. The merge and compress points depend only on the
// count of values added, so the same input sequence gives the same summary.

const (
	// gkEpsDenom is 1/eps. Compress keeps g+Δ <= floor(2·eps·n) = n/100.
	gkEpsDenom = 200
	// gkBufSize is the number of values collected before a merge.
	gkBufSize = 2048
)

// gkTuple is one entry of the summary. For the i-th tuple, with
// rmin_i = g_1 + ... + g_i, the true rank of v lies in [rmin_i, rmin_i+d].
type gkTuple struct {
	v float64
	g int64 // rmin_i − rmin_{i−1}
	d int64 // Δ: rmax_i − rmin_i
}

type gkSketch struct {
	n       int64     // values merged into tuples
	tuples  []gkTuple // increasing v; tuples[0] is the minimum, the last the maximum
	buf     []float64 // values added but not yet merged
	scratch []gkTuple // second buffer for merges
}

func newGKSketch() *gkSketch {
	return &gkSketch{buf: make([]float64, 0, gkBufSize)}
}

func (k *gkSketch) add(v float64) {
	k.buf = append(k.buf, v)
	if len(k.buf) == gkBufSize {
		k.flush()
	}
}

// flush merges the buffer into the summary and compresses it.
func (k *gkSketch) flush() {
	if len(k.buf) == 0 {
		return
	}
	slices.Sort(k.buf)
	k.scratch = insert(k.scratch[:0], k.tuples, k.buf)
	k.n += int64(len(k.buf))
	k.buf = k.buf[:0]
	k.tuples, k.scratch = k.scratch, k.tuples
	k.compress()
}

// insert appends to dst the merge of the summary ts with the sorted values
// xs, each x becoming a tuple (x, 1, Δ) placed after every tuple with
// v <= x. A new minimum or maximum gets Δ = 0; otherwise Δ = g_s + Δ_s − 1
// where s is the old tuple that follows x.
//
// Why this keeps the invariant "true rank of v_i is in [rmin_i, rmax_i]"
// when k values land between old tuples p and s: the m-th of them has
// rmin = rmin_p + m, and at least rank(v_p) + m values are <= it; its rmax
// is rmin_p + m + g_s + Δ_s − 1 = rmax_s(old) + m − 1, and at most that many
// are, since s (whose rank is at most rmax_s(old) + k afterwards) and the
// k − m new values after it are above it. The new tuples have
// g + Δ = g_s + Δ_s, so the compress bound g + Δ <= floor(2·eps·n) holds too.
func insert(dst, ts []gkTuple, xs []float64) []gkTuple {
	i := 0
	for _, x := range xs {
		for i < len(ts) && ts[i].v <= x {
			dst = append(dst, ts[i])
			i++
		}
		var d int64
		if i > 0 && i < len(ts) {
			d = ts[i].g + ts[i].d - 1
		}
		dst = append(dst, gkTuple{v: x, g: 1, d: d})
	}
	return append(dst, ts[i:]...)
}

// compress merges tuple i into tuple i+1 (dropping v_i) whenever
// g_i + g_{i+1} + Δ_{i+1} <= floor(2·eps·n), scanning from the right. The
// first tuple (the minimum) and the last (the maximum) are never dropped.
func (k *gkSketch) compress() {
	ts := k.tuples
	if len(ts) < 3 {
		return
	}
	limit := 2 * k.n / gkEpsDenom
	out := k.scratch[:0]
	cur := ts[len(ts)-1]
	for i := len(ts) - 2; i >= 1; i-- {
		t := ts[i]
		if t.g+cur.g+cur.d <= limit {
			cur.g += t.g
			continue
		}
		out = append(out, cur)
		cur = t
	}
	out = append(out, cur, ts[0])
	slices.Reverse(out)
	k.tuples, k.scratch = out, ts
}

// query returns the value whose rank bounds lie closest to r, 1 <= r <= n:
// the first tuple minimising max(r − rmin, rmax − r). Since every tuple has
// g + Δ <= 2·eps·n, one of them has that distance <= eps·n (GK, Prop. 1).
// query does not change the sketch: pending values are merged into a
// temporary copy, so when and how often it is called does not change later
// answers.
func (k *gkSketch) query(r int64) float64 {
	ts := k.tuples
	if len(k.buf) > 0 {
		xs := slices.Clone(k.buf)
		slices.Sort(xs)
		ts = insert(make([]gkTuple, 0, len(ts)+len(xs)), ts, xs)
	}
	best, bestErr := 0, int64(-1)
	var rmin int64
	for i, t := range ts {
		rmin += t.g
		e := max(r-rmin, rmin+t.d-r)
		if bestErr < 0 || e < bestErr {
			best, bestErr = i, e
		}
	}
	return ts[best].v
}

// retained returns the number of values the sketch holds: tuples, merge
// buffer and buffer capacity.
func (k *gkSketch) retained() int {
	return cap(k.tuples) + cap(k.scratch) + cap(k.buf)
}
