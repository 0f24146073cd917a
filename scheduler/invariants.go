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
// cell's id list and both indexes holding exactly its instances (order, heap
// and subtree maxima checked). O(n + tasks groups); for tests and
// --check-invariants.
func (c *Cluster) CheckInvariants() error {
	n := len(c.pool)
	for _, l := range []int{len(c.az), len(c.cellOf), len(c.cpu), len(c.mem), len(c.enis), len(c.freeCPU),
		len(c.freeMem), len(c.freeENI), len(c.tasks), len(c.flags), len(c.attrs), len(c.ec2ID), len(c.ports),
		len(c.groups), len(c.memIdx.left), len(c.cpuIdx.left)} {
		if l != n {
			return fmt.Errorf("per-instance arrays of different lengths (%d, %d)", l, n)
		}
	}
	groupAZ := map[[2]int32]int32{}
	for i := range n {
		id := InstanceID(i)
		if c.flags[id]&flagRemoved != 0 {
			if c.tasks[id] != 0 || len(c.groups[id]) != 0 || len(c.ports[id]) != 0 || c.flags[id] != flagRemoved {
				return fmt.Errorf("instance %d: removed but holds tasks, ports or flags %b", id, c.flags[id])
			}
		}
		if c.freeCPU[id] < 0 || c.freeCPU[id] > c.cpu[id] {
			return fmt.Errorf("instance %d: free CPU %d outside [0, %d]", id, c.freeCPU[id], c.cpu[id])
		}
		if c.freeMem[id] < 0 || c.freeMem[id] > c.mem[id] {
			return fmt.Errorf("instance %d: free memory %d outside [0, %d]", id, c.freeMem[id], c.mem[id])
		}
		if c.freeENI[id] < 0 || c.freeENI[id] > c.enis[id] {
			return fmt.Errorf("instance %d: free ENIs %d outside [0, %d]", id, c.freeENI[id], c.enis[id])
		}
		sum := int32(0)
		for j, gc := range c.groups[id] {
			if gc.n <= 0 {
				return fmt.Errorf("instance %d: group %d has count %d", id, gc.group, gc.n)
			}
			for _, o := range c.groups[id][:j] {
				if o.group == gc.group {
					return fmt.Errorf("instance %d: group %d listed twice", id, gc.group)
				}
			}
			sum += gc.n
			groupAZ[[2]int32{gc.group, c.az[id]}] += gc.n
		}
		if sum != c.tasks[id] {
			return fmt.Errorf("instance %d: %d tasks but groups sum to %d", id, c.tasks[id], sum)
		}
		ports := c.ports[id]
		if len(ports)+len(DefaultReservedPorts) > MaxReservedPorts {
			return fmt.Errorf("instance %d: %d ports reserved, limit %d", id, len(ports)+len(DefaultReservedPorts), MaxReservedPorts)
		}
		for j, p := range ports {
			if slices.Contains(ports[:j], p) || slices.Contains(DefaultReservedPorts[:], p) {
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
	var nodes []int32
	for ci := range c.cells {
		cl := &c.cells[ci]
		placeable := int32(0)
		for j, id := range cl.ids {
			if j > 0 && cl.ids[j-1] >= id {
				return fmt.Errorf("cell %d: ids out of order at %d", ci, id)
			}
			if c.cellOf[id] != int32(ci) || c.flags[id]&flagRemoved != 0 {
				return fmt.Errorf("cell %d: lists instance %d which is removed or of cell %d", ci, id, c.cellOf[id])
			}
			if c.flags[id]&flagPlaceable != 0 {
				placeable++
			}
		}
		listed += len(cl.ids)
		if placeable != cl.placeable {
			return fmt.Errorf("cell %d: %d placeable instances, counted %d", ci, placeable, cl.placeable)
		}
		for _, idx := range [...]struct {
			name string
			t    *treap
			root int32
		}{{"memory", &c.memIdx, cl.memRoot}, {"cpu", &c.cpuIdx, cl.cpuRoot}} {
			name := idx.name
			var err error
			nodes, err = idx.t.check(idx.root, nodes[:0])
			if err != nil {
				return fmt.Errorf("cell %d %s %w", ci, name, err)
			}
			if int32(len(nodes)) != placeable {
				return fmt.Errorf("cell %d %s index: %d nodes, %d placeable instances", ci, name, len(nodes), placeable)
			}
			for _, x := range nodes {
				if c.cellOf[x] != int32(ci) || c.flags[x] != flagPlaceable {
					return fmt.Errorf("cell %d %s index: holds instance %d (cell %d, flags %b)", ci, name, x, c.cellOf[x], c.flags[x])
				}
			}
		}
	}
	live := 0
	for _, f := range c.flags {
		if f&flagRemoved == 0 {
			live++
		}
	}
	if listed != live {
		return fmt.Errorf("cells list %d instances, %d are registered", listed, live)
	}
	return nil
}
