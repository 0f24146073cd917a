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
	nodes              []tnode
	path, spine, upath []int32 // scratch for insert/remove, split/merge, update
}

// tnode is one instance in a treap: its links, its copy of the sort key
// (key << 32 | id, so (key, id) order is one integer comparison) and val
// (the Cluster sets them with set while the node is out of the tree), the
// subtree maxima, and its heap priority with the ENI flag in bit 0.
// 32 bytes, two to a cache line.
type tnode struct {
	left, right int32
	sk          int64 // key<<32 | id
	val         int32
	agg, aggENI int32  // subtree max of val (over nodes with a free ENI); -1 for none
	pe          uint32 // prio(id)<<1 | has a free task ENI
}

func sortKey(key, id int32) int64 { return int64(key)<<32 | int64(uint32(id)) }

// grow makes room for one more node (the next id).
func (t *treap) grow() {
	x := int32(len(t.nodes))
	t.nodes = append(t.nodes, tnode{left: -1, right: -1, agg: -1, aggENI: -1, pe: prio(x) << 1})
}

// set gives node x, which must be out of the tree, its key, val and ENI flag.
func (t *treap) set(x, key, val int32, eni bool) {
	n := &t.nodes[x]
	n.sk, n.val = sortKey(key, x), val
	n.pe &^= 1
	if eni {
		n.pe |= 1
	}
}

// key returns node x's key.
func (t *treap) key(x int32) int32 { return int32(t.nodes[x].sk >> 32) }

// prio is the heap priority of node x: a SplitMix64 finaliser of the id,
// 31 bits.
func prio(x int32) uint32 {
	z := uint64(x) + 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return uint32((z ^ (z >> 31)) >> 33)
}

// above reports whether a belongs above b in the heap order.
func (t *treap) above(a, b int32) bool {
	pa, pb := t.nodes[a].pe>>1, t.nodes[b].pe>>1
	return pa > pb || (pa == pb && a < b)
}

// less orders nodes by (key, id).
func (t *treap) less(a, b int32) bool { return t.nodes[a].sk < t.nodes[b].sk }

// pullPath refreshes the maxima of path's nodes, deepest first. Only the
// subtree under the last node changed shape, so once a node's maxima come out
// unchanged, those of its ancestors are unchanged too: stop there.
func (t *treap) pullPath(path []int32) {
	for i := len(path) - 1; i >= 0; i-- {
		n := &t.nodes[path[i]]
		a, ae := n.agg, n.aggENI
		t.pull(path[i])
		if n.agg == a && n.aggENI == ae {
			return
		}
	}
}

// pull recomputes n's aggregates from its children.
func (t *treap) pull(x int32) {
	n := &t.nodes[x]
	m, me := n.val, int32(-1)
	if n.pe&1 != 0 {
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

// insert adds node x to the tree rooted at root and returns the new root:
// descend while the nodes rank above x in the heap, split the subtree found
// there around x, hang the halves under x, and refresh the maxima on the way
// back up. Iterative, O(depth).
func (t *treap) insert(root, x int32) int32 {
	path := t.path[:0]
	link := &root
	xk := t.nodes[x].sk
	for n := *link; n >= 0 && t.above(n, x); n = *link {
		path = append(path, n)
		if xk < t.nodes[n].sk {
			link = &t.nodes[n].left
		} else {
			link = &t.nodes[n].right
		}
	}
	l, r := t.split(*link, x)
	t.nodes[x].left, t.nodes[x].right = l, r
	t.pull(x)
	*link = x
	t.pullPath(path)
	t.path = path
	return root
}

// split divides the tree at n into the nodes before x and those after x.
func (t *treap) split(n, x int32) (l, r int32) {
	l, r = -1, -1
	lLink, rLink := &l, &r
	spine := t.spine[:0]
	xk := t.nodes[x].sk
	for n >= 0 {
		spine = append(spine, n)
		if t.nodes[n].sk < xk {
			*lLink = n
			lLink = &t.nodes[n].right
			n = t.nodes[n].right
		} else {
			*rLink = n
			rLink = &t.nodes[n].left
			n = t.nodes[n].left
		}
	}
	*lLink, *rLink = -1, -1
	for i := len(spine) - 1; i >= 0; i-- {
		t.pull(spine[i])
	}
	t.spine = spine
	return l, r
}

// merge joins two trees, every node of a before every node of b.
func (t *treap) merge(a, b int32) int32 {
	res := int32(-1)
	link := &res
	spine := t.spine[:0]
	for a >= 0 && b >= 0 {
		if t.above(a, b) {
			*link = a
			spine = append(spine, a)
			link = &t.nodes[a].right
			a = t.nodes[a].right
		} else {
			*link = b
			spine = append(spine, b)
			link = &t.nodes[b].left
			b = t.nodes[b].left
		}
	}
	if a >= 0 {
		*link = a
	} else {
		*link = b
	}
	for i := len(spine) - 1; i >= 0; i-- {
		t.pull(spine[i])
	}
	t.spine = spine
	return res
}

// remove takes node x (with its key unchanged since insert) out of the tree
// rooted at root and returns the new root. Iterative, O(depth).
func (t *treap) remove(root, x int32) int32 {
	path := t.path[:0]
	link := &root
	xk := t.nodes[x].sk
	for n := *link; n != x; n = *link {
		if n < 0 {
			panic(fmt.Sprintf("scheduler: index: node %d not in tree", x))
		}
		path = append(path, n)
		if xk < t.nodes[n].sk {
			link = &t.nodes[n].left
		} else {
			link = &t.nodes[n].right
		}
	}
	*link = t.merge(t.nodes[x].left, t.nodes[x].right)
	t.nodes[x].left, t.nodes[x].right = -1, -1
	t.pullPath(path)
	t.path = path
	return root
}

// update gives node x, in the tree rooted at root, a new key, val and ENI
// flag, and returns the new root. It is remove, set, insert, except that the
// walk from the root is shared while the old and the new key lie on the same
// side of each node: only the subtree where they part is rebuilt.
func (t *treap) update(root, x, key, val int32, eni bool) int32 {
	oldSK, newSK := t.nodes[x].sk, sortKey(key, x)
	upath := t.upath[:0]
	link := &root
	for n := *link; n != x; n = *link {
		if n < 0 {
			panic(fmt.Sprintf("scheduler: index: node %d not in tree", x))
		}
		sk := t.nodes[n].sk
		left := oldSK < sk
		if left != (newSK < sk) {
			break
		}
		upath = append(upath, n)
		if left {
			link = &t.nodes[n].left
		} else {
			link = &t.nodes[n].right
		}
	}
	sub := t.remove(*link, x)
	t.set(x, key, val, eni)
	*link = t.insert(sub, x)
	t.pullPath(upath)
	t.upath = upath
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
	return nd.val >= v && (!needENI || nd.pe&1 != 0)
}

// first returns the smallest node by (key, id) with (key, id) >= (lk, lid),
// val >= v, and a free ENI if needENI; or -1. v must be >= 0.
func (t *treap) first(n, lk, lid, v int32, needENI bool) int32 {
	return t.firstSK(n, sortKey(lk, lid), v, needENI)
}

func (t *treap) firstSK(n int32, bound int64, v int32, needENI bool) int32 {
	for n >= 0 && t.aggOf(n, needENI) >= v {
		nd := &t.nodes[n]
		if nd.sk < bound {
			n = nd.right // n and its left subtree are below the bound
			continue
		}
		if r := t.firstSK(nd.left, bound, v, needENI); r >= 0 {
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
