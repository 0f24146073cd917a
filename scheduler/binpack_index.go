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
// Nodes are instance ids; the node array is indexed by id and shared by every
// cell (an instance is in at most one tree of each treap). Priorities are a
// fixed hash of the id, so the shape of a tree, and thus every run, is
// deterministic. Nothing allocates after grow.
type treap struct {
	nodes []tnode
}

// tnode is one instance in a treap: its links, its copy of the key and val
// (the Cluster sets them with set while the node is out of the tree), and
// the subtree maxima. 32 bytes, two to a cache line.
type tnode struct {
	left, right int32
	key, val    int32
	agg, aggENI int32 // subtree max of val (over nodes with a free ENI); -1 for none
	prio        uint32
	eni         bool // has a free task ENI
}

// grow makes room for one more node (the next id).
func (t *treap) grow() {
	x := int32(len(t.nodes))
	t.nodes = append(t.nodes, tnode{left: -1, right: -1, agg: -1, aggENI: -1, prio: prio(x)})
}

// set gives node x, which must be out of the tree, its key, val and ENI flag.
func (t *treap) set(x, key, val int32, eni bool) {
	n := &t.nodes[x]
	n.key, n.val, n.eni = key, val, eni
}

// prio is the heap priority of node x: a SplitMix64 finaliser of the id.
func prio(x int32) uint32 {
	z := uint64(x) + 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return uint32((z ^ (z >> 31)) >> 32)
}

// above reports whether a belongs above b in the heap order.
func (t *treap) above(a, b int32) bool {
	pa, pb := t.nodes[a].prio, t.nodes[b].prio
	return pa > pb || (pa == pb && a < b)
}

// less orders nodes by (key, id).
func (t *treap) less(a, b int32) bool {
	ka, kb := t.nodes[a].key, t.nodes[b].key
	return ka < kb || (ka == kb && a < b)
}

// pull recomputes n's aggregates from its children.
func (t *treap) pull(x int32) {
	n := &t.nodes[x]
	m, me := n.val, int32(-1)
	if n.eni {
		me = m
	}
	if n.left >= 0 {
		l := &t.nodes[n.left]
		m = max(m, l.agg)
		me = max(me, l.aggENI)
	}
	if n.right >= 0 {
		r := &t.nodes[n.right]
		m = max(m, r.agg)
		me = max(me, r.aggENI)
	}
	n.agg, n.aggENI = m, me
}

// insert adds node x to the tree rooted at root and returns the new root.
func (t *treap) insert(root, x int32) int32 {
	if root < 0 {
		t.nodes[x].left, t.nodes[x].right = -1, -1
		t.pull(x)
		return x
	}
	if t.above(x, root) {
		l, r := t.split(root, x)
		t.nodes[x].left, t.nodes[x].right = l, r
		t.pull(x)
		return x
	}
	if t.less(x, root) {
		t.nodes[root].left = t.insert(t.nodes[root].left, x)
	} else {
		t.nodes[root].right = t.insert(t.nodes[root].right, x)
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
		a, b := t.split(t.nodes[n].right, x)
		t.nodes[n].right = a
		t.pull(n)
		return n, b
	}
	a, b := t.split(t.nodes[n].left, x)
	t.nodes[n].left = b
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
	if t.above(a, b) {
		t.nodes[a].right = t.merge(t.nodes[a].right, b)
		t.pull(a)
		return a
	}
	t.nodes[b].left = t.merge(a, t.nodes[b].left)
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
		r := t.merge(t.nodes[x].left, t.nodes[x].right)
		t.nodes[x].left, t.nodes[x].right = -1, -1
		return r
	}
	if t.less(x, root) {
		t.nodes[root].left = t.remove(t.nodes[root].left, x)
	} else {
		t.nodes[root].right = t.remove(t.nodes[root].right, x)
	}
	t.pull(root)
	return root
}

func (t *treap) aggOf(n int32, needENI bool) int32 {
	if needENI {
		return t.nodes[n].aggENI
	}
	return t.nodes[n].agg
}

func (t *treap) ok(n, v int32, needENI bool) bool {
	nd := &t.nodes[n]
	return nd.val >= v && (!needENI || nd.eni)
}

// first returns the smallest node by (key, id) with (key, id) >= (lk, lid),
// val >= v, and a free ENI if needENI; or -1. v must be >= 0.
func (t *treap) first(n, lk, lid, v int32, needENI bool) int32 {
	for n >= 0 && t.aggOf(n, needENI) >= v {
		nd := &t.nodes[n]
		if nd.key < lk || (nd.key == lk && n < lid) {
			n = nd.right // n and its left subtree are below the bound
			continue
		}
		if r := t.first(nd.left, lk, lid, v, needENI); r >= 0 {
			return r
		}
		if t.ok(n, v, needENI) {
			return n
		}
		n = nd.right // all of it is above the bound
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
		if l := t.nodes[n].left; l >= 0 && t.aggOf(l, needENI) >= v {
			n = l
			continue
		}
		if t.ok(n, v, needENI) {
			return n
		}
		n = t.nodes[n].right
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
		for _, ch := range [2]int32{t.nodes[n].left, t.nodes[n].right} {
			if ch >= 0 && t.above(ch, n) {
				err = fmt.Errorf("index: node %d above its parent %d in heap order", ch, n)
				return
			}
		}
		walk(t.nodes[n].left)
		out = append(out, n)
		walk(t.nodes[n].right)
		a, ae := t.nodes[n].agg, t.nodes[n].aggENI
		t.pull(n)
		if a != t.nodes[n].agg || ae != t.nodes[n].aggENI {
			err = fmt.Errorf("index: node %d aggregate (%d, %d) should be (%d, %d)", n, a, ae, t.nodes[n].agg, t.nodes[n].aggENI)
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
