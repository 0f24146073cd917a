package scheduler

import "fmt"

// btree is the ordered free-capacity index of a cell: a B+-tree of instances
// in order of (key, id), where key is one free resource (free memory for the
// memory index, free CPU for the CPU index). Every entry also carries the
// other resource (val) and whether the instance has a free task ENI, and
// every node slot the maximum val of its subtree, over all entries (agg) and
// over the entries with a free ENI (aggE), so one descent finds
//
//	the smallest (key, id) >= (k, i) whose val >= v (and, if asked, with a free ENI)
//
// touching O(log_B n) nodes. That is binpack's "least remaining of the
// resource that still fits" in one query: k is the task's need of the binpack
// resource, v its need of the other one.
//
// Why a B+-tree: on a large cluster a placement's cost is cache misses. A
// node holds btreeB slots in a few cache lines, so a tree of 30k instances
// is four levels deep and its upper levels stay in cache; a binary tree of
// the same size is 25-30 levels, most of them misses.
//
// The nodes of every tree of one index (one per cell) share one pool; a tree
// is named by its root node, -1 when empty. Every method that changes a tree
// takes its root and returns the new one. The tree keeps no copy per
// instance: the caller names an entry by the (key, id) it was indexed under.
// The shape depends only on the sequence of operations, so every run is
// deterministic. Updates allocate nothing once the pool has grown to the
// trees' size.
type btree struct {
	nodes []bnode
	free  []int32 // pool slots not in any tree
	path  [btreeMaxDepth]bstep
}

// btreeB is the number of slots of a node; btreeMin the fewest a node other
// than the root holds (a node that falls below is merged with or refilled
// from a sibling); btreeMerge the most two siblings may hold together to be
// merged rather than evened out.
const (
	btreeB        = 16
	btreeMin      = btreeB / 4
	btreeMerge    = btreeB * 3 / 4
	btreeMaxDepth = 32 // 4^15 > 2^30 entries: never reached
)

// bnode is one node. In a leaf, slot i is an entry: sk its sort key, agg its
// val, aggE its val when it has a free task ENI and -1 otherwise. In an inner
// node, slot i is a child: kid its node, sk the largest sort key under it,
// agg and aggE the maxima of those of its entries. Slots are in ascending sk.
type bnode struct {
	n    int32 // slots in use, 1..btreeB
	leaf bool
	sk   [btreeB]int64
	agg  [btreeB]int32
	aggE [btreeB]int32
	kid  [btreeB]int32
}

// bstep is one level of a root-to-leaf path: a node and the slot taken.
type bstep struct{ node, slot int32 }

// bentry is one entry as check lists them.
type bentry struct {
	key, id, val int32
	eni          bool
}

// sortKey is the (key, id) order as one integer; key must be >= 0.
func sortKey(key, id int32) int64 { return int64(key)<<32 | int64(uint32(id)) }

// eniVal is an entry's aggE: val when the instance has a free task ENI.
func eniVal(val int32, eni bool) int32 {
	if eni {
		return val
	}
	return -1
}

// alloc returns a fresh empty node from the pool.
func (t *btree) alloc(leaf bool) int32 {
	var x int32
	if k := len(t.free); k > 0 {
		x = t.free[k-1]
		t.free = t.free[:k-1]
	} else {
		x = int32(len(t.nodes))
		t.nodes = append(t.nodes, bnode{})
	}
	t.nodes[x].n, t.nodes[x].leaf = 0, leaf
	return x
}

func (t *btree) release(x int32) {
	t.nodes[x].n = 0
	t.free = append(t.free, x)
}

// summary returns what a parent's slot says of node x.
func (t *btree) summary(x int32) (sk int64, agg, aggE int32) {
	nd := &t.nodes[x]
	agg, aggE = -1, -1
	for i := range nd.n {
		agg = max(agg, nd.agg[i])
		aggE = max(aggE, nd.aggE[i])
	}
	return nd.sk[nd.n-1], agg, aggE
}

// refresh sets slot i of inner node p from its child; it reports whether
// the slot changed.
func (t *btree) refresh(p, i int32) bool {
	sk, a, ae := t.summary(t.nodes[p].kid[i])
	nd := &t.nodes[p]
	if nd.sk[i] == sk && nd.agg[i] == a && nd.aggE[i] == ae {
		return false
	}
	nd.sk[i], nd.agg[i], nd.aggE[i] = sk, a, ae
	return true
}

// refreshPath refreshes the slots of path[:depth] from the bottom up,
// stopping at the first that does not change (those above it cannot).
func (t *btree) refreshPath(depth int) {
	for d := depth - 1; d >= 0; d-- {
		if !t.refresh(t.path[d].node, t.path[d].slot) {
			return
		}
	}
}

// shiftIn opens slot i of node x (which has room) and fills it.
func (t *btree) shiftIn(x, i int32, sk int64, agg, aggE, kid int32) {
	nd := &t.nodes[x]
	n := nd.n
	copy(nd.sk[i+1:n+1], nd.sk[i:n])
	copy(nd.agg[i+1:n+1], nd.agg[i:n])
	copy(nd.aggE[i+1:n+1], nd.aggE[i:n])
	if !nd.leaf {
		copy(nd.kid[i+1:n+1], nd.kid[i:n])
	}
	nd.sk[i], nd.agg[i], nd.aggE[i], nd.kid[i] = sk, agg, aggE, kid
	nd.n = n + 1
}

// shiftOut deletes slot i of node x.
func (t *btree) shiftOut(x, i int32) {
	nd := &t.nodes[x]
	n := nd.n
	copy(nd.sk[i:n-1], nd.sk[i+1:n])
	copy(nd.agg[i:n-1], nd.agg[i+1:n])
	copy(nd.aggE[i:n-1], nd.aggE[i+1:n])
	if !nd.leaf {
		copy(nd.kid[i:n-1], nd.kid[i+1:n])
	}
	nd.n = n - 1
}

// moveSlots moves the k slots of node src from slot s on to node dst at
// slot d (dst must have them free at and after d, src keeps what is before s).
func (t *btree) moveSlots(dst, d, src, s, k int32) {
	a, b := &t.nodes[dst], &t.nodes[src]
	copy(a.sk[d:d+k], b.sk[s:s+k])
	copy(a.agg[d:d+k], b.agg[s:s+k])
	copy(a.aggE[d:d+k], b.aggE[s:s+k])
	copy(a.kid[d:d+k], b.kid[s:s+k])
}

// lowerBound returns the first slot of node x with sk >= k, or n.
func (t *btree) lowerBound(x int32, k int64) int32 {
	nd := &t.nodes[x]
	i := int32(0)
	for i < nd.n && nd.sk[i] < k {
		i++
	}
	return i
}

// descend walks from root to the leaf where sort key k belongs (the first
// subtree whose largest key is >= k, else the last), recording the path,
// and returns the leaf and the path's depth.
func (t *btree) descend(root int32, k int64) (leaf int32, depth int) {
	x := root
	for !t.nodes[x].leaf {
		i := min(t.lowerBound(x, k), t.nodes[x].n-1)
		if depth == btreeMaxDepth {
			panic("scheduler: index: tree too deep")
		}
		t.path[depth] = bstep{x, i}
		depth++
		x = t.nodes[x].kid[i]
	}
	return x, depth
}

// descendAdding is descend for an entry about to be added: it raises the
// maxima of every slot it takes to cover the entry on the way down.
func (t *btree) descendAdding(root int32, sk int64, val, valE int32) (leaf int32, depth int) {
	x := root
	for {
		nd := &t.nodes[x]
		if nd.leaf {
			return x, depth
		}
		i := t.lowerBound(x, sk)
		if i == nd.n {
			i--
			nd.sk[i] = sk
		}
		nd.agg[i] = max(nd.agg[i], val)
		nd.aggE[i] = max(nd.aggE[i], valE)
		if depth == btreeMaxDepth {
			panic("scheduler: index: tree too deep")
		}
		t.path[depth] = bstep{x, i}
		depth++
		x = nd.kid[i]
	}
}

// insert adds the entry (key, id) with val and ENI flag to the tree rooted
// at root and returns the new root. The entry must not be in the tree.
func (t *btree) insert(root, key, id, val int32, eni bool) int32 {
	sk, ae := sortKey(key, id), eniVal(val, eni)
	if root < 0 {
		root = t.alloc(true)
		t.shiftIn(root, 0, sk, val, ae, 0)
		return root
	}
	leaf, depth := t.descendAdding(root, sk, val, ae)
	i := t.lowerBound(leaf, sk)
	if i < t.nodes[leaf].n && t.nodes[leaf].sk[i] == sk {
		panic(fmt.Sprintf("scheduler: index: instance %d already indexed", id))
	}
	// The slots above already cover the entry; only splits change them.
	carry := t.put(leaf, i, sk, val, ae, 0)
	for d := depth - 1; d >= 0 && carry >= 0; d-- {
		p, s := t.path[d].node, t.path[d].slot
		t.refresh(p, s)
		sk, a, ae := t.summary(carry)
		carry = t.put(p, s+1, sk, a, ae, carry)
	}
	if carry >= 0 { // the root split: grow a level
		r := t.alloc(false)
		for _, kid := range [2]int32{root, carry} {
			sk, a, ae := t.summary(kid)
			t.shiftIn(r, t.nodes[r].n, sk, a, ae, kid)
		}
		root = r
	}
	return root
}

// put fills slot i of node x with the given slot, splitting x when it is
// full; it returns the new right half, or -1.
func (t *btree) put(x, i int32, sk int64, agg, aggE, kid int32) int32 {
	if t.nodes[x].n < btreeB {
		t.shiftIn(x, i, sk, agg, aggE, kid)
		return -1
	}
	r := t.alloc(t.nodes[x].leaf)
	const half = btreeB / 2
	t.moveSlots(r, 0, x, half, btreeB-half)
	t.nodes[r].n, t.nodes[x].n = btreeB-half, half
	if i <= half {
		t.shiftIn(x, i, sk, agg, aggE, kid)
	} else {
		t.shiftIn(r, i-half, sk, agg, aggE, kid)
	}
	return r
}

// remove takes the entry (key, id) out of the tree rooted at root and returns
// the new root. It panics when the entry is not there.
func (t *btree) remove(root, key, id int32) int32 {
	leaf, depth, i := t.find(root, key, id)
	return t.removeAt(root, leaf, depth, i)
}

// removeAt deletes slot i of leaf, found with the path t.path[:depth], and
// restores the tree above: it merges or evens out nodes that fell below
// btreeMin, recomputes the slots whose maxima were the entry's, and shrinks
// the root. It returns the new root.
func (t *btree) removeAt(root, leaf int32, depth int, i int32) int32 {
	nd := &t.nodes[leaf]
	sk, a, ae := nd.sk[i], nd.agg[i], nd.aggE[i]
	t.shiftOut(leaf, i)
	x := leaf
	for d := depth - 1; d >= 0; d-- {
		p, s := t.path[d].node, t.path[d].slot
		if t.nodes[x].n < btreeMin {
			t.rebalance(p, s)
		} else if pn := &t.nodes[p]; (pn.sk[s] != sk && pn.agg[s] != a && (ae < 0 || pn.aggE[s] != ae)) || !t.refresh(p, s) {
			// The slot's maxima are held by other entries, so are those of
			// the slots above, and no node above changed its count.
			return root
		}
		x = p
	}
	for !t.nodes[root].leaf && t.nodes[root].n == 1 {
		old := root
		root = t.nodes[root].kid[0]
		t.release(old)
	}
	if t.nodes[root].n == 0 {
		t.release(root)
		return -1
	}
	return root
}

// find returns the leaf and slot of entry (key, id), with the path to it in
// t.path[:depth]. It panics when the entry is not in the tree.
func (t *btree) find(root, key, id int32) (leaf int32, depth int, slot int32) {
	sk := sortKey(key, id)
	if root >= 0 {
		leaf, depth = t.descend(root, sk)
		slot = t.lowerBound(leaf, sk)
		if slot < t.nodes[leaf].n && t.nodes[leaf].sk[slot] == sk {
			return leaf, depth, slot
		}
	}
	panic(fmt.Sprintf("scheduler: index: instance %d not indexed under key %d", id, key))
}

// rebalance fixes child s of inner node p, which has fewer than btreeMin
// slots (maybe none): merged with a neighbour when they fit together in
// btreeMerge slots, else evened out with it.
func (t *btree) rebalance(p, s int32) {
	pn := &t.nodes[p]
	if pn.n == 1 { // no sibling: only the root has one child; removeAt shrinks it
		if t.nodes[pn.kid[0]].n == 0 {
			t.release(pn.kid[0])
			pn.n = 0
		} else {
			t.refresh(p, 0)
		}
		return
	}
	l := s - 1 // the pair (l, l+1) of siblings
	if s == 0 {
		l = 0
	}
	a, b := pn.kid[l], pn.kid[l+1]
	na, nb := t.nodes[a].n, t.nodes[b].n
	if na+nb <= btreeMerge {
		t.moveSlots(a, na, b, 0, nb)
		t.nodes[a].n = na + nb
		t.release(b)
		t.shiftOut(p, l+1)
		if na+nb > 0 {
			t.refresh(p, l)
		} else {
			t.release(a)
			t.shiftOut(p, l)
		}
		return
	}
	// even out: the pair holds more than btreeMerge, so each half >= btreeMin
	half := (na + nb) / 2
	if na < half { // b's first slots go to the end of a
		k := half - na
		t.moveSlots(a, na, b, 0, k)
		copy(t.nodes[b].sk[:nb-k], t.nodes[b].sk[k:nb])
		copy(t.nodes[b].agg[:nb-k], t.nodes[b].agg[k:nb])
		copy(t.nodes[b].aggE[:nb-k], t.nodes[b].aggE[k:nb])
		copy(t.nodes[b].kid[:nb-k], t.nodes[b].kid[k:nb])
	} else { // a's last slots go to the front of b
		k := na - half
		bn := &t.nodes[b]
		copy(bn.sk[k:nb+k], bn.sk[:nb])
		copy(bn.agg[k:nb+k], bn.agg[:nb])
		copy(bn.aggE[k:nb+k], bn.aggE[:nb])
		copy(bn.kid[k:nb+k], bn.kid[:nb])
		t.moveSlots(b, 0, a, half, k)
	}
	t.nodes[a].n, t.nodes[b].n = half, na+nb-half
	t.refresh(p, l)
	t.refresh(p, l+1)
}

// update moves entry (oldKey, id) of the tree rooted at root to key with the
// given val and ENI flag, and returns the new root. When the new sort key
// falls strictly between two other entries of the same leaf, the entry moves
// within the leaf, with no second descent and no change of shape.
func (t *btree) update(root, oldKey, id, key, val int32, eni bool) int32 {
	leaf, depth, i := t.find(root, oldKey, id)
	sk, ae := sortKey(key, id), eniVal(val, eni)
	nd := &t.nodes[leaf]
	lo, hi := int32(0), nd.n-1 // the other entries' extremes
	if i == 0 {
		lo = 1
	}
	if i == nd.n-1 {
		hi--
	}
	if lo >= hi || sk <= nd.sk[lo] || sk >= nd.sk[hi] {
		root = t.removeAt(root, leaf, depth, i)
		return t.insert(root, key, id, val, eni)
	}
	t.shiftOut(leaf, i)
	t.shiftIn(leaf, t.lowerBound(leaf, sk), sk, val, ae, 0)
	t.refreshPath(depth)
	return root
}

// first returns the smallest sort key (key, id) >= (lk, lid) whose entry has
// val >= v, and a free ENI if needENI; or -1. v must be >= 0.
func (t *btree) first(root, lk, lid, v int32, needENI bool) int64 {
	return t.firstSK(root, sortKey(lk, lid), v, needENI)
}

// firstSK is first with the bound as a sort key. The instance is the low 32
// bits of the result (skID).
func (t *btree) firstSK(root int32, bound int64, v int32, needENI bool) int64 {
	if root < 0 {
		return -1
	}
	return t.firstIn(root, bound, v, needENI)
}

// skID is the instance of a sort key.
func skID(sk int64) int32 { return int32(uint32(sk)) }

// firstIn is firstSK in the subtree at x. Only the first slot it enters may
// straddle the bound; every later slot lies wholly above it, so a descent
// into one whose maximum qualifies always succeeds.
func (t *btree) firstIn(x int32, bound int64, v int32, needENI bool) int64 {
	nd := &t.nodes[x]
	aggs := &nd.agg
	if needENI {
		aggs = &nd.aggE
	}
	for i := t.lowerBound(x, bound); i < nd.n; i++ {
		if aggs[i] < v {
			continue
		}
		if nd.leaf {
			return nd.sk[i]
		}
		if r := t.firstIn(nd.kid[i], bound, v, needENI); r >= 0 {
			return r
		}
	}
	return -1
}

// check verifies the tree at root (slot counts, order, leaves at one depth,
// every slot's summary of its child), appends its entries in order to out,
// and returns them with the number of nodes.
func (t *btree) check(root int32, out []bentry) ([]bentry, int, error) {
	if root < 0 {
		return out, 0, nil
	}
	nodes, leafDepth := 0, -1
	prev := int64(-1)
	var walk func(x int32, depth int) error
	walk = func(x int32, depth int) error {
		if x < 0 || int(x) >= len(t.nodes) || depth > btreeMaxDepth {
			return fmt.Errorf("index: bad node %d at depth %d", x, depth)
		}
		nodes++
		nd := &t.nodes[x]
		lo := int32(btreeMin)
		if x == root {
			lo = 1
			if !nd.leaf {
				lo = 2
			}
		}
		if nd.n < lo || nd.n > btreeB {
			return fmt.Errorf("index: node %d holds %d slots", x, nd.n)
		}
		if nd.leaf {
			if leafDepth >= 0 && depth != leafDepth {
				return fmt.Errorf("index: leaves at depths %d and %d", leafDepth, depth)
			}
			leafDepth = depth
			for i := range nd.n {
				sk := nd.sk[i]
				if sk <= prev {
					return fmt.Errorf("index: entries %d and %d out of order", skID(prev), skID(sk))
				}
				prev = sk
				if nd.agg[i] < 0 || (nd.aggE[i] != nd.agg[i] && nd.aggE[i] != -1) {
					return fmt.Errorf("index: entry %d has val %d, ENI val %d", skID(sk), nd.agg[i], nd.aggE[i])
				}
				out = append(out, bentry{key: int32(sk >> 32), id: skID(sk), val: nd.agg[i], eni: nd.aggE[i] >= 0})
			}
			return nil
		}
		for i := range nd.n {
			if err := walk(nd.kid[i], depth+1); err != nil {
				return err
			}
			sk, a, ae := t.summary(nd.kid[i])
			if nd.sk[i] != sk || nd.agg[i] != a || nd.aggE[i] != ae {
				return fmt.Errorf("index: node %d slot %d says (%d, %d, %d), child holds (%d, %d, %d)",
					x, i, nd.sk[i], nd.agg[i], nd.aggE[i], sk, a, ae)
			}
		}
		return nil
	}
	err := walk(root, 0)
	return out, nodes, err
}
