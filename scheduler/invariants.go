package scheduler

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// CheckInvariants verifies the Cluster's bookkeeping and returns the first
// violation found, or nil: no instance over-allocated (free resources within
// [0, registered]), task counts per instance equal to the sum per group and
// per AZ, reserved ports distinct and within MaxReservedPorts, and every
// cell's id list and both indexes holding exactly its instances with their
// current free resources (order, node fill, leaf depth and every node's
// summary checked; every pool node in a tree or free). O(n + tasks groups); for tests and
// --check-invariants.
func (c *Cluster) CheckInvariants() error {
	n := len(c.in)
	for _, l := range []int{len(c.attrs), len(c.ec2ID), len(c.ports), len(c.groups.slots) / groupSlots, len(c.groups.more)} {
		if l != n {
			return fmt.Errorf("per-instance arrays of different lengths (%d, %d)", l, n)
		}
	}
	groupAZ := map[[2]int32]int32{}
	for i := range n {
		id := InstanceID(i)
		if c.in[id].flags&flagRemoved != 0 {
			if first, rest := c.groups.lists(id); c.in[id].tasks != 0 || len(first)+len(rest) != 0 || len(c.ports[id]) != 0 || c.in[id].flags != flagRemoved {
				return fmt.Errorf("instance %d: removed but holds tasks, ports or flags %b", id, c.in[id].flags)
			}
		}
		if c.in[id].freeCPU < 0 || c.in[id].freeCPU > c.in[id].cpu {
			return fmt.Errorf("instance %d: free CPU %d outside [0, %d]", id, c.in[id].freeCPU, c.in[id].cpu)
		}
		if c.in[id].freeMem < 0 || c.in[id].freeMem > c.in[id].mem {
			return fmt.Errorf("instance %d: free memory %d outside [0, %d]", id, c.in[id].freeMem, c.in[id].mem)
		}
		if c.in[id].freeENI < 0 || c.in[id].freeENI > c.in[id].enis {
			return fmt.Errorf("instance %d: free ENIs %d outside [0, %d]", id, c.in[id].freeENI, c.in[id].enis)
		}
		sum := int32(0)
		first, rest := c.groups.lists(id)
		if len(rest) > 0 && len(first) < groupSlots {
			return fmt.Errorf("instance %d: groups overflow with slots free", id)
		}
		for _, o := range c.groups.line(id)[len(first):] {
			if o != (groupCount{}) {
				return fmt.Errorf("instance %d: group %d after the end of its list", id, o.group)
			}
		}
		groups := append(slices.Clip(first), rest...)
		for j, gc := range groups {
			if gc.n <= 0 {
				return fmt.Errorf("instance %d: group %d has count %d", id, gc.group, gc.n)
			}
			for _, o := range groups[:j] {
				if o.group == gc.group {
					return fmt.Errorf("instance %d: group %d listed twice", id, gc.group)
				}
			}
			sum += gc.n
			groupAZ[[2]int32{gc.group, c.cells[c.in[id].cellOf].az}] += gc.n
		}
		if sum != c.in[id].tasks {
			return fmt.Errorf("instance %d: %d tasks but groups sum to %d", id, c.in[id].tasks, sum)
		}
		ports := c.ports[id]
		if len(ports)+len(defaultReservedPorts) > MaxReservedPorts {
			return fmt.Errorf("instance %d: %d ports reserved, limit %d", id, len(ports)+len(defaultReservedPorts), MaxReservedPorts)
		}
		for j, p := range ports {
			if slices.Contains(ports[:j], p) || slices.Contains(defaultReservedPorts[:], p) {
				return fmt.Errorf("instance %d: port %d reserved twice", id, p)
			}
		}
	}
	for g, row := range c.groupAZ {
		for az, v := range row {
			if want := groupAZ[[2]int32{int32(g), int32(az)}]; v != want {
				return fmt.Errorf("group %d in AZ %s: %d tasks counted, instances hold %d", g, c.azNames[az], v, want)
			}
			delete(groupAZ, [2]int32{int32(g), int32(az)})
		}
	}
	if len(groupAZ) > 0 {
		keys := slices.SortedFunc(maps.Keys(groupAZ), func(a, b [2]int32) int {
			return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
		})
		k := keys[0]
		return fmt.Errorf("group %d in AZ %s: instances hold %d tasks, none counted", k[0], c.azNames[k[1]], groupAZ[k])
	}
	listed := 0
	var entries []bentry
	var treeNodes [2]int // nodes in the memory and CPU trees of every cell
	for ci := range c.cells {
		cl := &c.cells[ci]
		placeable := int32(0)
		for j, id := range cl.ids {
			if j > 0 && cl.ids[j-1] >= id {
				return fmt.Errorf("cell %d: ids out of order at %d", ci, id)
			}
			if c.in[id].cellOf != int32(ci) || c.in[id].flags&flagRemoved != 0 {
				return fmt.Errorf("cell %d: lists instance %d which is removed or of cell %d", ci, id, c.in[id].cellOf)
			}
			if c.in[id].flags&flagPlaceable != 0 {
				placeable++
			}
		}
		listed += len(cl.ids)
		if c.idIndexed {
			if err := c.checkIDTree(ci); err != nil {
				return err
			}
			if err := c.checkOcc(ci); err != nil {
				return err
			}
		}
		if placeable != cl.placeable {
			return fmt.Errorf("cell %d: %d placeable instances, counted %d", ci, placeable, cl.placeable)
		}
		for k, idx := range [...]struct {
			name   string
			t      *btree
			root   int32
			cpuKey bool
			on     bool
		}{{"memory", &c.memIdx, cl.memRoot, false, true}, {"cpu", &c.cpuIdx, cl.cpuRoot, true, c.cpuIndexed}} {
			name := idx.name
			if !idx.on {
				if idx.root != -1 {
					return fmt.Errorf("cell %d: %s index off but not empty", ci, name)
				}
				continue
			}
			var err error
			var nn int
			entries, nn, err = idx.t.check(idx.root, entries[:0])
			if err != nil {
				return fmt.Errorf("cell %d %s %w", ci, name, err)
			}
			treeNodes[k] += nn
			if int32(len(entries)) != placeable {
				return fmt.Errorf("cell %d %s index: %d entries, %d placeable instances", ci, name, len(entries), placeable)
			}
			for _, e := range entries {
				x := e.id
				if x < 0 || int(x) >= n || c.in[x].cellOf != int32(ci) || c.in[x].flags != flagPlaceable {
					return fmt.Errorf("cell %d %s index: holds instance %d, not a placeable instance of the cell", ci, name, x)
				}
				key, val := c.in[x].freeMem, c.in[x].freeCPU
				if idx.cpuKey {
					key, val = val, key
				}
				if e.key != key || e.val != val || e.eni != (c.in[x].freeENI > 0) {
					return fmt.Errorf("cell %d %s index: instance %d has stale key %d, val %d, eni %v", ci, name, x, e.key, e.val, e.eni)
				}
			}
		}
	}
	for k, t := range [...]*btree{&c.memIdx, &c.cpuIdx} {
		if treeNodes[k]+len(t.free) != len(t.nodes) {
			return fmt.Errorf("index: %d nodes in trees and %d free, pool holds %d", treeNodes[k], len(t.free), len(t.nodes))
		}
	}
	live := 0
	for i := range c.in {
		if c.in[i].flags&flagRemoved == 0 {
			live++
		}
	}
	if listed != live {
		return fmt.Errorf("cells list %d instances, %d are registered", listed, live)
	}
	return nil
}
