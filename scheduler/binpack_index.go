package scheduler

import "fmt"

// treap is the ordered free-capacity index of binpack_index.go: a treap over
// instance ids kept in order of (key, id), where key is one free resource (free
// memory for the memory index, free CPU for the CPU index). Each node carries
// the subtree maximum of the other resource (val), over all nodes (agg) and
// over the nodes with a free task ENI (aggENI), so one descent finds
//
//	the smallest (key, id) >= (k, i) whose val >= v (and, if asked, with a free ENI)
//
// in O(depth) = O(log n) expected. That is binpack's "least remaining of the
// resource that still fits" in one query: k is the task's need of the binpack
// resource, v its need of the other one.
//
// Nodes are instance ids; the arrays are indexed by id and shared by every
// cell (an instance is in at most one tree of each treap). Priorities are a
// fixed hash of the id, so the shape of a tree, and thus every run, is
// deterministic. Nothing allocates after grow.
type treap struct {
	left, right []int32
	agg, aggENI []int32 // subtree max of val; -1 for none
	// key, val and eni point at the Cluster's free-resource arrays, which the
	// Cluster updates only while the node is out of the tree.
	key, val, eni *[]int32
}

// grow makes room for one more node (the next id).
func (t *treap) grow() {
	t.left = append(t.left, -1)
	t.right = append(t.right, -1)
	t.agg = append(t.agg, -1)
	t.aggENI = append(t.aggENI, -1)
}

// prio is the heap priority of node x: a SplitMix64 finaliser of the id.
func prio(x int32) uint64 {
	z := uint64(x) + 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// above reports whether a belongs above b in the heap order.
func above(a, b int32) bool {
	pa, pb := prio(a), prio(b)
	return pa > pb || (pa == pb && a < b)
}

// less orders nodes by (key, id).
func (t *treap) less(a, b int32) bool {
	k := *t.key
	return k[a] < k[b] || (k[a] == k[b] && a < b)
}

// pull recomputes n's aggregates from its children.
func (t *treap) pull(n int32) {
	v := (*t.val)[n]
	m, me := v, int32(-1)
	if (*t.eni)[n] > 0 {
		me = v
	}
	if l := t.left[n]; l >= 0 {
		m = max(m, t.agg[l])
		me = max(me, t.aggENI[l])
	}
	if r := t.right[n]; r >= 0 {
		m = max(m, t.agg[r])
		me = max(me, t.aggENI[r])
	}
	t.agg[n], t.aggENI[n] = m, me
}

// insert adds node x to the tree rooted at root and returns the new root.
func (t *treap) insert(root, x int32) int32 {
	if root < 0 {
		t.left[x], t.right[x] = -1, -1
		t.pull(x)
		return x
	}
	if above(x, root) {
		l, r := t.split(root, x)
		t.left[x], t.right[x] = l, r
		t.pull(x)
		return x
	}
	if t.less(x, root) {
		t.left[root] = t.insert(t.left[root], x)
	} else {
		t.right[root] = t.insert(t.right[root], x)
	}
	t.pull(root)
	return root
}

// split divides the tree at n into the nodes before x and those after x.
func (t *treap) split(n, x int32) (l, r int32) {
	if n < 0 {
		return -1, -1
	}
	if t.less(n, x) {
		a, b := t.split(t.right[n], x)
		t.right[n] = a
		t.pull(n)
		return n, b
	}
	a, b := t.split(t.left[n], x)
	t.left[n] = b
	t.pull(n)
	return a, n
}

// merge joins two trees, every node of a before every node of b.
func (t *treap) merge(a, b int32) int32 {
	if a < 0 {
		return b
	}
	if b < 0 {
		return a
	}
	if above(a, b) {
		t.right[a] = t.merge(t.right[a], b)
		t.pull(a)
		return a
	}
	t.left[b] = t.merge(a, t.left[b])
	t.pull(b)
	return b
}

// remove takes node x (with its key unchanged since insert) out of the tree
// rooted at root and returns the new root.
func (t *treap) remove(root, x int32) int32 {
	if root < 0 {
		panic(fmt.Sprintf("scheduler: index: node %d not in tree", x))
	}
	if root == x {
		r := t.merge(t.left[x], t.right[x])
		t.left[x], t.right[x] = -1, -1
		return r
	}
	if t.less(x, root) {
		t.left[root] = t.remove(t.left[root], x)
	} else {
		t.right[root] = t.remove(t.right[root], x)
	}
	t.pull(root)
	return root
}

func (t *treap) aggOf(n int32, needENI bool) int32 {
	if needENI {
		return t.aggENI[n]
	}
	return t.agg[n]
}

func (t *treap) ok(n, v int32, needENI bool) bool {
	return (*t.val)[n] >= v && (!needENI || (*t.eni)[n] > 0)
}

// first returns the smallest node by (key, id) with (key, id) >= (lk, lid),
// val >= v, and a free ENI if needENI; or -1. v must be >= 0.
func (t *treap) first(n, lk, lid, v int32, needENI bool) int32 {
	k := *t.key
	for n >= 0 && t.aggOf(n, needENI) >= v {
		if k[n] < lk || (k[n] == lk && n < lid) {
			n = t.right[n] // n and its left subtree are below the bound
			continue
		}
		if r := t.first(t.left[n], lk, lid, v, needENI); r >= 0 {
			return r
		}
		if t.ok(n, v, needENI) {
			return n
		}
		n = t.right[n] // all of it is above the bound
		if n < 0 || t.aggOf(n, needENI) < v {
			return -1
		}
		return t.leftmost(n, v, needENI)
	}
	return -1
}

// leftmost returns the smallest node of the subtree at n with val >= v (and a
// free ENI if needENI). The subtree must hold one: aggOf(n) >= v.
func (t *treap) leftmost(n, v int32, needENI bool) int32 {
	for {
		if l := t.left[n]; l >= 0 && t.aggOf(l, needENI) >= v {
			n = l
			continue
		}
		if t.ok(n, v, needENI) {
			return n
		}
		n = t.right[n]
	}
}

// check verifies the tree at root: order, heap, aggregates, back to the
// arrays; it returns the nodes in order.
func (t *treap) check(root int32, out []int32) ([]int32, error) {
	var err error
	var walk func(n int32)
	walk = func(n int32) {
		if n < 0 || err != nil {
			return
		}
		for _, ch := range [2]int32{t.left[n], t.right[n]} {
			if ch >= 0 && above(ch, n) {
				err = fmt.Errorf("index: node %d above its parent %d in heap order", ch, n)
				return
			}
		}
		walk(t.left[n])
		out = append(out, n)
		walk(t.right[n])
		a, ae := t.agg[n], t.aggENI[n]
		t.pull(n)
		if a != t.agg[n] || ae != t.aggENI[n] {
			err = fmt.Errorf("index: node %d aggregate (%d, %d) should be (%d, %d)", n, a, ae, t.agg[n], t.aggENI[n])
		}
	}
	walk(root)
	for i := 1; err == nil && i < len(out); i++ {
		if !t.less(out[i-1], out[i]) {
			err = fmt.Errorf("index: nodes %d and %d out of order", out[i-1], out[i])
		}
	}
	return out, err
}
