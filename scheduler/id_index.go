package scheduler

import "fmt"

// idTree is the second index of a cell, for spread(instanceId): a max
// segment tree over the cell's ids in ascending order, holding each
// instance's free memory and free CPU (-1 when not placeable). It finds the
// next instance in id order that fits a task's memory and CPU without
// visiting the full ones in between. Together with the group's occupancy set
// of the cell (occupancy.go), which skips the instances already holding a
// task of the group, it finds "the lowest id that fits and holds no task of
// the group" in O(log n) per step plus word scans.
//
// The Cluster keeps it (and the occupancy sets) only once a
// spread-by-instance placement has asked (enableIDIndex): it costs an
// O(log n) update per Reserve and Release.
type idTree struct {
	size     int     // leaves, a power of two >= len(cell.ids)
	mem, cpu []int32 // 2*size; node 1 is the root, leaf i is size+i
}

// build sizes the tree for the cell and fills it from the instances.
func (c *Cluster) buildIDTree(cl *cell) {
	size := 1
	for size < len(cl.ids) {
		size *= 2
	}
	t := &cl.byID
	t.size = size
	if cap(t.mem) >= 2*size {
		t.mem, t.cpu = t.mem[:2*size], t.cpu[:2*size]
	} else {
		t.mem, t.cpu = make([]int32, 2*size), make([]int32, 2*size)
	}
	for i := range size {
		m, cp := int32(-1), int32(-1)
		if i < len(cl.ids) {
			id := cl.ids[i]
			c.in[id].pos = int32(i)
			if c.in[id].flags == flagPlaceable {
				m, cp = c.in[id].freeMem, c.in[id].freeCPU
			}
		}
		t.mem[size+i], t.cpu[size+i] = m, cp
	}
	for n := size - 1; n >= 1; n-- {
		t.mem[n] = max(t.mem[2*n], t.mem[2*n+1])
		t.cpu[n] = max(t.cpu[2*n], t.cpu[2*n+1])
	}
}

// set refreshes leaf i and its ancestors.
func (t *idTree) set(i int, mem, cpu int32) {
	n := t.size + i
	t.mem[n], t.cpu[n] = mem, cpu
	for n > 1 {
		n /= 2
		m, cp := max(t.mem[2*n], t.mem[2*n+1]), max(t.cpu[2*n], t.cpu[2*n+1])
		if t.mem[n] == m && t.cpu[n] == cp {
			return
		}
		t.mem[n], t.cpu[n] = m, cp
	}
}

// first returns the first position >= from whose instance has free memory
// >= m and free CPU >= cpu, or -1. The maxima of a subtree may come from
// different instances, so a subtree that passes can still come up empty;
// the descent then moves on to the next one.
func (t *idTree) first(from int, m, cpu int32) int {
	if t.size == 0 {
		return -1
	}
	return t.firstIn(1, 0, t.size, from, m, cpu)
}

func (t *idTree) firstIn(n, lo, hi, from int, m, cpu int32) int {
	if hi <= from || t.mem[n] < m || t.cpu[n] < cpu {
		return -1
	}
	if n >= t.size {
		return n - t.size
	}
	mid := (lo + hi) / 2
	if r := t.firstIn(2*n, lo, mid, from, m, cpu); r >= 0 {
		return r
	}
	return t.firstIn(2*n+1, mid, hi, from, m, cpu)
}

// idLeaf refreshes instance id's leaf in its cell's idTree.
func (c *Cluster) idLeaf(id InstanceID) {
	in := &c.in[id]
	m, cp := int32(-1), int32(-1)
	if in.flags == flagPlaceable {
		m, cp = in.freeMem, in.freeCPU
	}
	c.cells[in.cellOf].byID.set(int(in.pos), m, cp)
}

// enableIDIndex builds the idTrees, kept from then on.
func (c *Cluster) enableIDIndex() {
	if c.idIndexed {
		return
	}
	c.idIndexed = true
	for i := range c.cells {
		c.buildIDTree(&c.cells[i])
	}
	c.buildOcc()
}

// checkIDTree verifies a cell's idTree against the instances.
func (c *Cluster) checkIDTree(ci int) error {
	cl := &c.cells[ci]
	t := &cl.byID
	if t.size < len(cl.ids) || len(t.mem) != 2*t.size {
		return fmt.Errorf("cell %d id index: %d leaves for %d instances", ci, t.size, len(cl.ids))
	}
	for i := range t.size {
		m, cp := int32(-1), int32(-1)
		if i < len(cl.ids) {
			id := cl.ids[i]
			if c.in[id].pos != int32(i) {
				return fmt.Errorf("cell %d id index: instance %d at %d records position %d", ci, id, i, c.in[id].pos)
			}
			if c.in[id].flags == flagPlaceable {
				m, cp = c.in[id].freeMem, c.in[id].freeCPU
			}
		}
		if t.mem[t.size+i] != m || t.cpu[t.size+i] != cp {
			return fmt.Errorf("cell %d id index: leaf %d holds (%d, %d), want (%d, %d)", ci, i, t.mem[t.size+i], t.cpu[t.size+i], m, cp)
		}
	}
	for n := t.size - 1; n >= 1; n-- {
		if t.mem[n] != max(t.mem[2*n], t.mem[2*n+1]) || t.cpu[n] != max(t.cpu[2*n], t.cpu[2*n+1]) {
			return fmt.Errorf("cell %d id index: node %d maxima stale", ci, n)
		}
	}
	return nil
}
