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
// deterministic. Updates allocate nothing once the scratch spine has grown
// to the trees' depth.
type treap struct {
	nodes []tnode
	spine []int32 // scratch for split and merge
}

// tnode is one instance in a treap: its links (parent too, so a node leaves
// its tree without a walk from the root), its copies of the key and val (the
// Cluster sets them with set while the node is out of the tree), the subtree
// maxima, and its heap priority with the ENI flag in bit 0. 32 bytes, two
// to a cache line.
type tnode struct {
	left, right, parent int32
	key, val            int32
	agg, aggENI         int32  // subtree max of val (over nodes with a free ENI); -1 for none
	pe                  uint32 // prio(id)<<1 | has a free task ENI
}

// sortKey is the (key, id) order as one integer.
func sortKey(key, id int32) int64 { return int64(key)<<32 | int64(uint32(id)) }

// sk returns node x's sort key.
func (t *treap) sk(x int32) int64 { return sortKey(t.nodes[x].key, x) }

// key returns node x's key.
func (t *treap) key(x int32) int32 { return t.nodes[x].key }

// grow makes room for one more node (the next id).
func (t *treap) grow() {
	x := int32(len(t.nodes))
	t.nodes = append(t.nodes, tnode{left: -1, right: -1, parent: -1, agg: -1, aggENI: -1, pe: prio(x) << 1})
}

// set gives node x, which must be out of the tree, its key, val and ENI flag.
func (t *treap) set(x, key, val int32, eni bool) {
	n := &t.nodes[x]
	n.key, n.val = key, val
	n.pe &^= 1
	if eni {
		n.pe |= 1
	}
}

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
func (t *treap) less(a, b int32) bool { return t.sk(a) < t.sk(b) }

// pullUp refreshes the maxima from n up to the root. Only the subtree under
// n changed, so once a node's maxima come out unchanged, those of its
// ancestors are unchanged too: stop there.
func (t *treap) pullUp(n int32) {
	for n >= 0 {
		nd := &t.nodes[n]
		a, ae := nd.agg, nd.aggENI
		t.pull(n)
		if nd.agg == a && nd.aggENI == ae {
			return
		}
		n = nd.parent
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
	link, par := &root, int32(-1)
	xk := t.sk(x)
	for n := *link; n >= 0 && t.above(n, x); n = *link {
		par = n
		if xk < t.sk(n) {
			link = &t.nodes[n].left
		} else {
			link = &t.nodes[n].right
		}
	}
	l, r := t.split(*link, xk)
	nx := &t.nodes[x]
	nx.left, nx.right, nx.parent = l, r, par
	if l >= 0 {
		t.nodes[l].parent = x
	}
	if r >= 0 {
		t.nodes[r].parent = x
	}
	t.pull(x)
	*link = x
	t.pullUp(par)
	return root
}

// split divides the tree at n into the nodes before sort key xk and those
// after; both roots get parent -1.
func (t *treap) split(n int32, xk int64) (l, r int32) {
	l, r = -1, -1
	lLink, rLink := &l, &r
	lPar, rPar := int32(-1), int32(-1)
	spine := t.spine[:0]
	for n >= 0 {
		spine = append(spine, n)
		nd := &t.nodes[n]
		if t.sk(n) < xk {
			*lLink, nd.parent, lPar = n, lPar, n
			lLink = &nd.right
			n = nd.right
		} else {
			*rLink, nd.parent, rPar = n, rPar, n
			rLink = &nd.left
			n = nd.left
		}
	}
	*lLink, *rLink = -1, -1
	for i := len(spine) - 1; i >= 0; i-- {
		t.pull(spine[i])
	}
	t.spine = spine
	return l, r
}

// merge joins two trees, every node of a before every node of b; the root
// returned has parent -1.
func (t *treap) merge(a, b int32) int32 {
	res, par := int32(-1), int32(-1)
	link := &res
	spine := t.spine[:0]
	for a >= 0 && b >= 0 {
		if t.above(a, b) {
			na := &t.nodes[a]
			*link, na.parent, par = a, par, a
			spine = append(spine, a)
			link = &na.right
			a = na.right
		} else {
			nb := &t.nodes[b]
			*link, nb.parent, par = b, par, b
			spine = append(spine, b)
			link = &nb.left
			b = nb.left
		}
	}
	rest := a
	if rest < 0 {
		rest = b
	}
	*link = rest
	if rest >= 0 {
		t.nodes[rest].parent = par
	}
	for i := len(spine) - 1; i >= 0; i-- {
		t.pull(spine[i])
	}
	t.spine = spine
	return res
}

// remove takes node x (with its key unchanged since insert) out of the tree
// rooted at root and returns the new root. It starts at x, not at the root:
// x's children are merged in its place and the maxima refreshed upward,
// usually for a level or two.
func (t *treap) remove(root, x int32) int32 {
	nx := &t.nodes[x]
	p := nx.parent
	if p < 0 && root != x {
		panic(fmt.Sprintf("scheduler: index: node %d not in tree", x))
	}
	m := t.merge(nx.left, nx.right)
	if m >= 0 {
		t.nodes[m].parent = p
	}
	nx.left, nx.right, nx.parent = -1, -1, -1
	if p < 0 {
		return m
	}
	if pn := &t.nodes[p]; pn.left == x {
		pn.left = m
	} else {
		pn.right = m
	}
	t.pullUp(p)
	return root
}

// update gives node x, in the tree rooted at root, a new key, val and ENI
// flag, and returns the new root.
func (t *treap) update(root, x, key, val int32, eni bool) int32 {
	root = t.remove(root, x)
	t.set(x, key, val, eni)
	return t.insert(root, x)
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
		if sortKey(nd.key, n) < bound {
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
			if ch >= 0 && t.nodes[ch].parent != n {
				err = fmt.Errorf("index: node %d has parent %d, not %d", ch, t.nodes[ch].parent, n)
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
	if root >= 0 && t.nodes[root].parent != -1 {
		return out, fmt.Errorf("index: root %d has parent %d", root, t.nodes[root].parent)
	}
	walk(root)
	for i := 1; err == nil && i < len(out); i++ {
		if !t.less(out[i-1], out[i]) {
			err = fmt.Errorf("index: nodes %d and %d out of order", out[i-1], out[i])
		}
	}
	return out, err
}
