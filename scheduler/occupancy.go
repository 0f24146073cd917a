package scheduler

import (
	"fmt"
	"math/bits"
)

// occupancy marks, for one (group, cell) pair, the cell positions whose
// instance holds at least one task of the group: bit i of words is the
// instance at cell.ids[i] (and idTree leaf i). spread(instanceId) uses it to
// jump over the instances that already hold a task of the group.
//
// Memory stays bounded: a set exists only while the group has a task in the
// cell (Cluster.occAdd allocates it with the first, frees it to a free list
// with the last), so there are at most min(#tasks, #groups · #cells) sets of
// ⌈len(cell.ids)/64⌉ words each. Kept only while Cluster.idIndexed.
type occupancy struct {
	words []uint64
	set   int32 // bits set (instances of the cell holding the group)
}

// nextZero returns the first position >= from whose bit is clear; positions
// past the words are clear. A scan of 64 positions per word.
func (o *occupancy) nextZero(from int) int {
	w := from >> 6
	if w >= len(o.words) {
		return from
	}
	x := ^o.words[w] &^ (1<<(uint(from)&63) - 1)
	for x == 0 {
		w++
		if w == len(o.words) {
			return w << 6
		}
		x = ^o.words[w]
	}
	return w<<6 | bits.TrailingZeros64(x)
}

// cellOcc returns group g's occupancy set in cell cl, or nil when the group
// has no task there.
func (c *Cluster) cellOcc(cl *cell, g int32) *occupancy {
	if int(g) >= len(cl.occ) || cl.occ[g] == 0 {
		return nil
	}
	return &c.occSets[cl.occ[g]-1]
}

// occAdd sets (on) or clears the bit of instance id in group g's set of its
// cell: on when the group's count on the instance went 0 -> 1, off when it
// went 1 -> 0. It allocates the set with its first bit and frees it with its
// last.
func (c *Cluster) occAdd(id InstanceID, g int32, on bool) {
	in := &c.in[id]
	cl := &c.cells[in.cellOf]
	pos := int(in.pos)
	if on {
		for int(g) >= len(cl.occ) {
			cl.occ = append(cl.occ, 0)
		}
		if cl.occ[g] == 0 {
			if k := len(c.occFree); k > 0 {
				cl.occ[g] = c.occFree[k-1]
				c.occFree = c.occFree[:k-1]
			} else {
				c.occSets = append(c.occSets, occupancy{})
				cl.occ[g] = int32(len(c.occSets))
			}
		}
		o := &c.occSets[cl.occ[g]-1]
		for pos>>6 >= len(o.words) {
			o.words = append(o.words, 0)
		}
		o.words[pos>>6] |= 1 << (uint(pos) & 63)
		o.set++
		return
	}
	o := c.cellOcc(cl, g)
	if o == nil || pos>>6 >= len(o.words) || o.words[pos>>6]&(1<<(uint(pos)&63)) == 0 {
		panic(fmt.Sprintf("scheduler: occupancy of group %d lacks instance %d", g, id))
	}
	o.words[pos>>6] &^= 1 << (uint(pos) & 63)
	o.set--
	if o.set == 0 { // every word is 0 again: reusable as it is
		o.words = o.words[:0]
		c.occFree = append(c.occFree, cl.occ[g])
		cl.occ[g] = 0
	}
}

// occDelete shifts every set of cell cl down by one position from pos on,
// after the instance at pos (whose bits are clear: it held no task) left
// cl.ids. O(#sets of the cell · len(cl.ids)/64).
func (c *Cluster) occDelete(cl *cell, pos int) {
	for _, k := range cl.occ {
		if k == 0 {
			continue
		}
		w := c.occSets[k-1].words
		for i := pos >> 6; i < len(w); i++ {
			x := w[i]
			lowMask := uint64(1)<<(uint(pos)&63) - 1
			if i > pos>>6 {
				lowMask = 0
			}
			hi := (x &^ lowMask) >> 1 &^ lowMask
			if i+1 < len(w) {
				hi |= w[i+1] << 63
			}
			w[i] = x&lowMask | hi
		}
	}
}

// buildOcc fills the occupancy sets from the group table (enableIDIndex).
func (c *Cluster) buildOcc() {
	for ci := range c.cells {
		for _, id := range c.cells[ci].ids {
			first, rest := c.groups.lists(id)
			for _, gc := range first {
				c.occAdd(id, gc.group, true)
			}
			for _, gc := range rest {
				c.occAdd(id, gc.group, true)
			}
		}
	}
}

// checkOcc verifies cell ci's occupancy sets against the group table.
func (c *Cluster) checkOcc(ci int) error {
	cl := &c.cells[ci]
	for _, id := range cl.ids { // groups past len(cl.occ) have no set
		first, rest := c.groups.lists(id)
		for _, gcs := range [2][]groupCount{first, rest} {
			for _, gc := range gcs {
				if int(gc.group) >= len(cl.occ) {
					return fmt.Errorf("cell %d occupancy: no set for group %d of instance %d", ci, gc.group, id)
				}
			}
		}
	}
	for g := range cl.occ {
		o := c.cellOcc(cl, int32(g))
		set := int32(0)
		for i, id := range cl.ids {
			has := c.groupCount(id, int32(g)) > 0
			bit := o != nil && i>>6 < len(o.words) && o.words[i>>6]&(1<<(uint(i)&63)) != 0
			if has != bit {
				return fmt.Errorf("cell %d occupancy of group %d: position %d (instance %d) bit %v, holds a task %v", ci, g, i, id, bit, has)
			}
			if has {
				set++
			}
		}
		if o != nil {
			if o.set != set || set == 0 {
				return fmt.Errorf("cell %d occupancy of group %d: counts %d bits, %d set", ci, g, o.set, set)
			}
			for i := len(cl.ids); i < len(o.words)*64; i++ {
				if o.words[i>>6]&(1<<(uint(i)&63)) != 0 {
					return fmt.Errorf("cell %d occupancy of group %d: bit %d past the cell", ci, g, i)
				}
			}
		}
	}
	return nil
}
