package scheduler

import (
	"fmt"
	"slices"
)

// InstanceID is the dense index Cluster.Add assigns to a container instance,
// starting at 0. Ids are never reused, even after Remove.
type InstanceID int32

// NoInstance means "no container instance": a failed placement, or a Fargate
// task in a Victim.
const NoInstance InstanceID = -1

// MaxReservedPorts is the most host ports a container instance may have
// reserved at once, the agent's default reserved ports included
// [ECS API reference, PortMapping: "A container instance can have up to 100
// reserved ports at a time. This number includes the default reserved ports."].
const MaxReservedPorts = 100

// defaultReservedPorts are reserved on every container instance by the host
// and the ECS agent: 22 for SSH, 2375 and 2376 for Docker, 51678-51680 for the
// agent [ECS API reference, PortMapping]. A task asking for one of them never
// fits, and they count toward MaxReservedPorts.
var defaultReservedPorts = [...]uint16{22, 2375, 2376, 51678, 51679, 51680}

// Required attribute names: every InstanceSpec must carry them.
const (
	AttrAvailabilityZone = "ecs.availability-zone"
	AttrInstanceType     = "ecs.instance-type"
	AttrCPUArchitecture  = "ecs.cpu-architecture"
	AttrOSType           = "ecs.os-type"
)

var requiredAttributes = [...]string{AttrAvailabilityZone, AttrInstanceType, AttrCPUArchitecture, AttrOSType}

// MaxPools is the number of capacity provider pools a Cluster distinguishes
// (pool indexes 0..63, one bit each in Demand.Pools).
const MaxPools = 64

// Demand is what one task needs from a container instance.
type Demand struct {
	CPU    int32    // CPU units (1024 per vCPU), >= 0
	Memory int32    // MiB, >= 0
	Ports  []uint16 // static host ports (bridge/host network mode); nil for none; no duplicates
	ENI    bool     // awsvpc network mode: needs one free task ENI
	// Group is the task group (a service or job index, >= 0). spread and
	// distinctInstance count the tasks of this group; `task:group` in the
	// query language compares against the group's name (Cluster.SetGroupName).
	Group int32
	// Pools is the bitmask of capacity provider pools the task may use (bit p
	// = pool p); 0 means any pool.
	Pools uint64
}

// InstanceSpec describes a container instance as it registers.
type InstanceSpec struct {
	Pool     int   // capacity provider pool index, 0..63
	CPU      int32 // registered CPU units
	Memory   int32 // registered MiB
	TaskENIs int32 // task ENI slots (max ENIs - 1, or the trunked limit); awsvpc tasks need one each
	// Attributes must include ecs.availability-zone, ecs.instance-type,
	// ecs.cpu-architecture and ecs.os-type; custom attributes may follow.
	// Add copies the map.
	Attributes    map[string]string
	EC2InstanceID string // e.g. "i-000000000000000a"
}

// Instance flags.
const (
	flagPlaceable uint8 = 1 << iota // ACTIVE: in its cell's indexes
	flagRemoved                     // gone: holds nothing, in no index
)

// groupCount is the number of tasks of one group on one instance.
type groupCount struct{ group, n int32 }

// inst is the hot state of one instance, in one place so that a Reserve or
// Release on a large cluster costs one cache miss for it, not one per field.
type inst struct {
	freeCPU, freeMem int32 // CPU units, MiB
	freeENI          int32 // free task ENI slots
	tasks            int32
	cellOf           int32 // index into Cluster.cells: pool and AZ
	pos              int32 // position in its cell's ids (and idTree)
	cpu, mem, enis   int32 // registered CPU units, MiB, task ENIs
	flags            uint8
}

// cell holds the instances of one (pool, AZ) pair.
type cell struct {
	pool      int
	az        int32
	memRoot   int32        // root of the (free memory, id) index, -1 when empty
	cpuRoot   int32        // root of the (free CPU, id) index, -1 when empty
	ids       []InstanceID // every instance of the cell not removed, ascending
	placeable int32        // how many of ids are placeable (= size of each index)
	byID      idTree       // kept when Cluster.idIndexed
	// occ: by group, 1 + the index in Cluster.occSets of the group's
	// occupancy set in this cell, 0 when the group has no task here. Kept
	// when Cluster.idIndexed.
	occ []int32
}

// Cluster is the placement view of every container instance of an ECS
// cluster, with the free-capacity index. The zero value is not usable: call
// NewCluster. A Cluster must not be copied.
//
// Per-instance state lives in parallel arrays indexed by InstanceID. Each
// placeable instance sits in the ordered indexes (btree.go) of its (pool, AZ)
// cell; task counts are kept per (instance, group) (group_table.go) and per
// (group, AZ).
type Cluster struct {
	// per instance, indexed by InstanceID
	in     []inst // what placement reads and Reserve/Release write
	attrs  []map[string]string
	ec2ID  []string
	ports  [][]uint16 // host ports reserved by tasks (defaults excluded)
	groups groupTable // tasks per (instance, group)

	azNames []string
	azIndex map[string]int32

	groupNames []string  // by group index; "" when unset
	groupAZ    [][]int32 // [group][az] tasks of the group in the AZ

	cells     []cell
	cellsByAZ [][]int32 // [az] -> cell indexes, ascending pool
	poolCell  map[[2]int32]int32

	memIdx, cpuIdx btree // node pools of the cells' indexes (btree.go)
	// cpuIndexed: the (free CPU, id) indexes are kept. They cost as much to
	// maintain as the memory ones, so they start the first time a binpack
	// cpu placement asks (enableCPUIndex).
	cpuIndexed bool
	// idIndexed: the cells' idTrees are kept, from the first spread
	// instanceId placement on (enableIDIndex).
	idIndexed bool
	// occupancy sets of (group, cell) pairs with a task (occupancy.go), kept
	// with the idTrees; occFree lists the indexes (1-based) free for reuse.
	occSets []occupancy
	occFree []int32
}

// NewCluster returns an empty cluster.
func NewCluster() *Cluster {
	return &Cluster{
		azIndex:  map[string]int32{},
		poolCell: map[[2]int32]int32{},
	}
}

// SetGroupName names a task group for `task:group` in the query language,
// e.g. "service:web" or "family:etl". Unnamed groups have the name "".
func (c *Cluster) SetGroupName(group int32, name string) {
	if group < 0 {
		panic(fmt.Sprintf("scheduler: SetGroupName: negative group %d", group))
	}
	for int(group) >= len(c.groupNames) {
		c.groupNames = append(c.groupNames, "")
	}
	c.groupNames[group] = name
}

// GroupName returns the name set with SetGroupName, or "".
func (c *Cluster) GroupName(group int32) string {
	if group < 0 || int(group) >= len(c.groupNames) {
		return ""
	}
	return c.groupNames[group]
}

// Add registers a container instance, ACTIVE (placeable), with all of its
// registered resources free, and returns its id (the previous Len()).
// It panics when the spec is invalid (a programmer error: sim builds specs
// from a validated scenario).
func (c *Cluster) Add(spec InstanceSpec) InstanceID {
	if spec.Pool < 0 || spec.Pool >= MaxPools {
		panic(fmt.Sprintf("scheduler: Add: pool %d outside 0..%d", spec.Pool, MaxPools-1))
	}
	if spec.CPU < 0 || spec.Memory < 0 || spec.TaskENIs < 0 {
		panic(fmt.Sprintf("scheduler: Add: negative capacity (cpu %d, memory %d, ENIs %d)", spec.CPU, spec.Memory, spec.TaskENIs))
	}
	for _, k := range requiredAttributes {
		if _, ok := spec.Attributes[k]; !ok {
			panic(fmt.Sprintf("scheduler: Add: attribute %q missing", k))
		}
	}
	if len(c.in) >= 1<<31-1 {
		panic("scheduler: Add: too many instances")
	}
	id := InstanceID(len(c.in))
	azName := spec.Attributes[AttrAvailabilityZone]
	az, ok := c.azIndex[azName]
	if !ok {
		az = int32(len(c.azNames))
		c.azNames = append(c.azNames, azName)
		c.azIndex[azName] = az
		c.cellsByAZ = append(c.cellsByAZ, nil)
	}
	key := [2]int32{int32(spec.Pool), az}
	ci, ok := c.poolCell[key]
	if !ok {
		ci = int32(len(c.cells))
		c.cells = append(c.cells, cell{pool: spec.Pool, az: az, memRoot: -1, cpuRoot: -1})
		c.poolCell[key] = ci
		list := append(c.cellsByAZ[az], ci)
		slices.SortFunc(list, func(a, b int32) int { return c.cells[a].pool - c.cells[b].pool })
		c.cellsByAZ[az] = list
	}
	attrs := make(map[string]string, len(spec.Attributes))
	for k, v := range spec.Attributes {
		attrs[k] = v
	}
	c.in = append(c.in, inst{
		freeCPU: spec.CPU, freeMem: spec.Memory, freeENI: spec.TaskENIs,
		cpu: spec.CPU, mem: spec.Memory, enis: spec.TaskENIs,
		cellOf: ci, flags: flagPlaceable,
	})
	c.attrs = append(c.attrs, attrs)
	c.ec2ID = append(c.ec2ID, spec.EC2InstanceID)
	c.ports = append(c.ports, nil)
	c.groups.grow()

	cl := &c.cells[ci]
	c.in[id].pos = int32(len(cl.ids))
	cl.ids = append(cl.ids, id)
	c.indexInsert(id)
	if c.idIndexed {
		if len(cl.ids) > cl.byID.size {
			c.buildIDTree(cl)
		} else {
			c.idLeaf(id)
		}
	}
	return id
}

// indexInsert puts a placeable instance into its cell's indexes, with its
// current free resources.
func (c *Cluster) indexInsert(id InstanceID) {
	cl := &c.cells[c.in[id].cellOf]
	in := &c.in[id]
	x, eni := int32(id), in.freeENI > 0
	cl.memRoot = c.memIdx.insert(cl.memRoot, in.freeMem, x, in.freeCPU, eni)
	if c.cpuIndexed {
		cl.cpuRoot = c.cpuIdx.insert(cl.cpuRoot, in.freeCPU, x, in.freeMem, eni)
	}
	cl.placeable++
}

// indexRemove takes a placeable instance out of its cell's indexes. It must
// run before the instance's free resources change.
func (c *Cluster) indexRemove(id InstanceID) {
	cl := &c.cells[c.in[id].cellOf]
	in := &c.in[id]
	cl.memRoot = c.memIdx.remove(cl.memRoot, in.freeMem, int32(id))
	if c.cpuIndexed {
		cl.cpuRoot = c.cpuIdx.remove(cl.cpuRoot, in.freeCPU, int32(id))
	}
	cl.placeable--
}

// indexUpdate moves a placeable instance, indexed with free memory oldMem
// MiB and free CPU oldCPU units, to its place for its current free
// resources.
func (c *Cluster) indexUpdate(id InstanceID, oldMem, oldCPU int32) {
	in := &c.in[id]
	cl := &c.cells[in.cellOf]
	x, eni := int32(id), in.freeENI > 0
	cl.memRoot = c.memIdx.update(cl.memRoot, oldMem, x, in.freeMem, in.freeCPU, eni)
	if c.cpuIndexed {
		cl.cpuRoot = c.cpuIdx.update(cl.cpuRoot, oldCPU, x, in.freeCPU, in.freeMem, eni)
	}
}

// enableCPUIndex builds the (free CPU, id) indexes, kept from then on.
func (c *Cluster) enableCPUIndex() {
	if c.cpuIndexed {
		return
	}
	c.cpuIndexed = true
	for i := range c.cells {
		cl := &c.cells[i]
		for _, id := range cl.ids {
			if in := &c.in[id]; in.flags == flagPlaceable {
				cl.cpuRoot = c.cpuIdx.insert(cl.cpuRoot, in.freeCPU, int32(id), in.freeMem, in.freeENI > 0)
			}
		}
	}
}

func (c *Cluster) live(op string, id InstanceID) {
	if id < 0 || int(id) >= len(c.in) {
		panic(fmt.Sprintf("scheduler: %s: unknown instance %d", op, id))
	}
	if c.in[id].flags&flagRemoved != 0 {
		panic(fmt.Sprintf("scheduler: %s: instance %d was removed", op, id))
	}
}

// SetPlaceable marks an instance placeable (ACTIVE) or not (DRAINING,
// terminating, in an AZ outage). Tasks already there stay and may be
// released; no new task is placed on an instance that is not placeable.
func (c *Cluster) SetPlaceable(id InstanceID, ok bool) {
	c.live("SetPlaceable", id)
	was := c.in[id].flags&flagPlaceable != 0
	switch {
	case ok && !was:
		c.in[id].flags |= flagPlaceable
		c.indexInsert(id)
	case !ok && was:
		c.indexRemove(id)
		c.in[id].flags &^= flagPlaceable
	}
	if c.idIndexed {
		c.idLeaf(id)
	}
}

// Placeable reports whether new tasks may be placed on the instance.
func (c *Cluster) Placeable(id InstanceID) bool {
	return c.in[id].flags&(flagPlaceable|flagRemoved) == flagPlaceable
}

// Removed reports whether the instance was removed.
func (c *Cluster) Removed(id InstanceID) bool { return c.in[id].flags&flagRemoved != 0 }

// Remove deregisters an instance. It must hold no tasks (it panics
// otherwise). Its id is never reused.
func (c *Cluster) Remove(id InstanceID) {
	c.live("Remove", id)
	if c.in[id].tasks != 0 {
		panic(fmt.Sprintf("scheduler: Remove: instance %d still holds %d tasks", id, c.in[id].tasks))
	}
	if c.in[id].flags&flagPlaceable != 0 {
		c.indexRemove(id)
	}
	c.in[id].flags = flagRemoved
	cl := &c.cells[c.in[id].cellOf]
	if i, found := slices.BinarySearch(cl.ids, id); found {
		cl.ids = slices.Delete(cl.ids, i, i+1)
		for j := i; j < len(cl.ids); j++ {
			c.in[cl.ids[j]].pos = int32(j)
		}
		if c.idIndexed {
			c.occDelete(cl, i)
		}
	}
	if c.idIndexed {
		c.buildIDTree(cl)
	}
}

// Reserve records that a task with demand d now runs on instance id. It
// panics when the task does not fit (not enough CPU, memory or task ENIs, a
// port in use, more than MaxReservedPorts): sim only reserves what a Placer
// chose, so a misfit is a broken invariant. Constraints are not checked, and
// the instance need not be placeable.
func (c *Cluster) Reserve(id InstanceID, d Demand) {
	c.live("Reserve", id)
	c.checkDemand("Reserve", &d)
	if c.in[id].freeCPU < d.CPU || c.in[id].freeMem < d.Memory {
		panic(fmt.Sprintf("scheduler: Reserve: task (cpu %d, memory %d) does not fit instance %d (free cpu %d, memory %d)",
			d.CPU, d.Memory, id, c.in[id].freeCPU, c.in[id].freeMem))
	}
	if d.ENI && c.in[id].freeENI <= 0 {
		panic(fmt.Sprintf("scheduler: Reserve: instance %d has no free task ENI", id))
	}
	if len(d.Ports) > 0 && !c.portsFree(id, d.Ports) {
		panic(fmt.Sprintf("scheduler: Reserve: ports %v not free on instance %d", d.Ports, id))
	}
	in := &c.in[id]
	in.freeCPU -= d.CPU
	in.freeMem -= d.Memory
	if d.ENI {
		in.freeENI--
	}
	if in.flags&flagPlaceable != 0 {
		c.indexUpdate(id, in.freeMem+d.Memory, in.freeCPU+d.CPU)
		if c.idIndexed {
			c.idLeaf(id)
		}
	}
	if len(d.Ports) > 0 {
		c.ports[id] = append(c.ports[id], d.Ports...)
	}
	c.in[id].tasks++
	c.addGroup(id, d.Group, 1)
}

// Release records that a task with demand d (the same value given to
// Reserve) left instance id. It panics when no such task can be there.
func (c *Cluster) Release(id InstanceID, d Demand) {
	c.live("Release", id)
	c.checkDemand("Release", &d)
	if c.GroupTasks(id, d.Group) == 0 {
		panic(fmt.Sprintf("scheduler: Release: instance %d holds no task of group %d", id, d.Group))
	}
	if c.in[id].freeCPU+d.CPU > c.in[id].cpu || c.in[id].freeMem+d.Memory > c.in[id].mem || (d.ENI && c.in[id].freeENI >= c.in[id].enis) {
		panic(fmt.Sprintf("scheduler: Release: task (cpu %d, memory %d, eni %v) was not reserved on instance %d", d.CPU, d.Memory, d.ENI, id))
	}
	for _, p := range d.Ports {
		i := slices.Index(c.ports[id], p)
		if i < 0 {
			panic(fmt.Sprintf("scheduler: Release: port %d not reserved on instance %d", p, id))
		}
		last := len(c.ports[id]) - 1
		c.ports[id][i] = c.ports[id][last]
		c.ports[id] = c.ports[id][:last]
	}
	in := &c.in[id]
	in.freeCPU += d.CPU
	in.freeMem += d.Memory
	if d.ENI {
		in.freeENI++
	}
	if in.flags&flagPlaceable != 0 {
		c.indexUpdate(id, in.freeMem-d.Memory, in.freeCPU-d.CPU)
		if c.idIndexed {
			c.idLeaf(id)
		}
	}
	c.in[id].tasks--
	c.addGroup(id, d.Group, -1)
}

func (c *Cluster) checkDemand(op string, d *Demand) {
	if d.CPU < 0 || d.Memory < 0 || d.Group < 0 {
		panic(fmt.Sprintf("scheduler: %s: invalid demand (cpu %d, memory %d, group %d)", op, d.CPU, d.Memory, d.Group))
	}
}

// addGroup adds delta to the task count of group g on instance id and in the
// instance's AZ, and keeps the group's occupancy set of the instance's cell
// (when kept) when the instance starts or stops holding the group.
func (c *Cluster) addGroup(id InstanceID, g int32, delta int32) {
	n := c.groups.add(id, g, delta)
	if c.idIndexed && (n == 0) != (n-delta == 0) {
		c.occAdd(id, g, n > 0)
	}
	for int(g) >= len(c.groupAZ) {
		c.groupAZ = append(c.groupAZ, nil)
	}
	row := c.groupAZ[g]
	for len(row) < len(c.azNames) {
		row = append(row, 0)
	}
	row[c.cells[c.in[id].cellOf].az] += delta
	c.groupAZ[g] = row
}

// portsFree reports whether none of ports is reserved on the instance and
// the instance may reserve them all without passing MaxReservedPorts.
func (c *Cluster) portsFree(id InstanceID, ports []uint16) bool {
	used := c.ports[id]
	if len(defaultReservedPorts)+len(used)+len(ports) > MaxReservedPorts {
		return false
	}
	for _, p := range ports {
		for _, q := range defaultReservedPorts {
			if p == q {
				return false
			}
		}
		for _, q := range used {
			if p == q {
				return false
			}
		}
	}
	return true
}

// Free returns the instance's free CPU units and MiB.
func (c *Cluster) Free(id InstanceID) (cpu, memory int32) { return c.in[id].freeCPU, c.in[id].freeMem }

// Registered returns the instance's registered CPU units and MiB.
func (c *Cluster) Registered(id InstanceID) (cpu, memory int32) { return c.in[id].cpu, c.in[id].mem }

// FreeENIs returns the instance's free task ENI slots.
func (c *Cluster) FreeENIs(id InstanceID) int32 { return c.in[id].freeENI }

// Tasks returns the number of tasks on the instance (runningTasksCount).
func (c *Cluster) Tasks(id InstanceID) int { return int(c.in[id].tasks) }

// GroupTasks returns the number of tasks of group on the instance.
func (c *Cluster) GroupTasks(id InstanceID, group int32) int {
	return int(c.groups.count(id, group))
}

// groupCount is GroupTasks without the conversion, for the hot loops.
func (c *Cluster) groupCount(id InstanceID, group int32) int32 {
	return c.groups.count(id, group)
}

// AZTasks returns the number of tasks of group on the instances (of any pool,
// placeable or not) in availability zone az.
func (c *Cluster) AZTasks(group int32, az string) int {
	a, ok := c.azIndex[az]
	if !ok || group < 0 || int(group) >= len(c.groupAZ) || int(a) >= len(c.groupAZ[group]) {
		return 0
	}
	return int(c.groupAZ[group][a])
}

// azTasks is AZTasks by AZ index.
func (c *Cluster) azTasks(group, az int32) int32 {
	if int(group) >= len(c.groupAZ) || int(az) >= len(c.groupAZ[group]) {
		return 0
	}
	return c.groupAZ[group][az]
}

// Pool returns the instance's capacity provider pool.
func (c *Cluster) Pool(id InstanceID) int { return c.cells[c.in[id].cellOf].pool }

// AZ returns the instance's availability zone.
func (c *Cluster) AZ(id InstanceID) string { return c.azNames[c.cells[c.in[id].cellOf].az] }

// Attribute returns the instance's attribute name and whether it is set.
func (c *Cluster) Attribute(id InstanceID, name string) (string, bool) {
	v, ok := c.attrs[id][name]
	return v, ok
}

// EC2InstanceID returns the instance's EC2 instance id.
func (c *Cluster) EC2InstanceID(id InstanceID) string { return c.ec2ID[id] }

// Len returns the number of ids ever assigned (removed instances included).
func (c *Cluster) Len() int { return len(c.in) }
