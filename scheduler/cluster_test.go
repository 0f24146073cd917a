package scheduler

import (
	"strings"
	"testing"
	"unsafe"
)

func mustPanic(t *testing.T, what, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		s, _ := r.(string)
		if !strings.HasPrefix(s, "scheduler: ") || !strings.Contains(s, want) {
			t.Errorf("%s: panic %v, want a \"scheduler: \" panic containing %q", what, r, want)
		}
	}()
	f()
}

func TestClusterBookkeeping(t *testing.T) {
	c := lit("a", "b")
	c.SetGroupName(4, "service:web")
	d := Demand{CPU: 1024, Memory: 2048, Ports: []uint16{80}, ENI: true, Group: 4}
	c.Reserve(0, d)
	if cpu, mem := c.Free(0); cpu != 4096-1024 || mem != 15872-2048 {
		t.Errorf("Free = %d, %d", cpu, mem)
	}
	if c.Tasks(0) != 1 || c.GroupTasks(0, 4) != 1 || c.GroupTasks(0, 5) != 0 || c.FreeENIs(0) != 2 || c.AZTasks(4, "a") != 1 {
		t.Errorf("counts: tasks %d group %d ENIs %d AZ %d", c.Tasks(0), c.GroupTasks(0, 4), c.FreeENIs(0), c.AZTasks(4, "a"))
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	mustPanic(t, "port twice", "ports [80] not free", func() { c.Reserve(0, d) })
	mustPanic(t, "too much memory", "does not fit", func() { c.Reserve(1, Demand{Memory: 20000}) })
	mustPanic(t, "remove with tasks", "still holds 1 tasks", func() { c.Remove(0) })
	mustPanic(t, "release unknown group", "no task of group 5", func() { c.Release(0, Demand{Group: 5}) })
	mustPanic(t, "missing attribute", "ecs.os-type", func() {
		s := spec(m6iXLarge, "a", 9)
		delete(s.Attributes, AttrOSType)
		c.Add(s)
	})
	c.Release(0, d)
	c.Remove(0)
	if !c.Removed(0) || c.Placeable(0) || c.Len() != 2 {
		t.Errorf("after Remove: removed %v placeable %v len %d", c.Removed(0), c.Placeable(0), c.Len())
	}
	if id := c.Add(spec(m6iXLarge, "a", 2)); id != 2 {
		t.Errorf("Add after Remove = %d, want 2 (ids never reused)", id)
	}
	mustPanic(t, "use removed", "was removed", func() { c.Reserve(0, Demand{}) })
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

func TestCheckInvariantsDetects(t *testing.T) {
	c := lit("a", "a", "b")
	fill(c, 1, 100, 100, 0)
	c.in[1].freeMem = -5 // corrupt: over-allocation
	if err := c.CheckInvariants(); err == nil || !strings.Contains(err.Error(), "free memory -5") {
		t.Errorf("over-allocation: %v", err)
	}
	c.in[1].freeMem = 15872 - 100
	corruptKey(&c.memIdx, 1, 7) // corrupt: stale index key
	if err := c.CheckInvariants(); err == nil {
		t.Error("stale index key not detected")
	}
}

// corruptKey rewrites the key of instance id's entry in t, as a stale index
// would hold it.
func corruptKey(t *btree, id, key int32) {
	for i := range t.nodes {
		nd := &t.nodes[i]
		for j := range nd.n {
			if nd.leaf && skID(nd.sk[j]) == id {
				nd.sk[j] = sortKey(key, id)
			}
		}
	}
}

func TestInstFitsACacheLine(t *testing.T) {
	// Reserve and Release on a large cluster touch one instance at random:
	// its hot state is one 64-byte cache line.
	if n := unsafe.Sizeof(inst{}); n > 64 {
		t.Errorf("inst is %d bytes, want at most 64", n)
	}
}
