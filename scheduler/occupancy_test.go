package scheduler

import (
	"math/rand/v2"
	"testing"
)

// nextZero returns the first clear bit at or after from; positions past the
// words count as clear. Expected values by reading the bit patterns.
func TestOccupancyNextZero(t *testing.T) {
	for _, tc := range []struct {
		name  string
		words []uint64
		from  int
		want  int
	}{
		{"no words", nil, 7, 7},
		{"low run of 3", []uint64{0b0111}, 0, 3},
		{"from a clear bit", []uint64{0b0111}, 5, 5},
		{"full first word, bit 64 set", []uint64{^uint64(0), 0b1}, 0, 65},
		{"full last word: just past it", []uint64{^uint64(0)}, 10, 64},
		{"from past the words", []uint64{^uint64(0)}, 200, 200},
		{"skip own low bits", []uint64{0b1011_0000}, 4, 6},
	} {
		o := occupancy{words: tc.words}
		if got := o.nextZero(tc.from); got != tc.want {
			t.Errorf("%s: nextZero(%d) = %d, want %d", tc.name, tc.from, got, tc.want)
		}
	}
}

// The occupancy sets follow the cell positions when an instance leaves
// (Remove shifts the later positions down by one, across word boundaries),
// are freed when the group's last task in the cell leaves, and are reused.
func TestOccupancyRemoveFreeReuse(t *testing.T) {
	c := NewCluster()
	for i := range 130 { // one cell, positions over three words
		c.Add(spec(m6iXLarge, "a", i))
	}
	p, err := NewPlacer([]Strategy{{"spread", "instanceId"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d0 := Demand{CPU: 256, Memory: 512, Group: 0}
	holders := []InstanceID{0, 64, 65, 129}
	for _, id := range holders {
		c.Reserve(id, d0)
	}
	// First spread(instanceId) placement builds the index: lowest id without
	// a task of group 0 is 1.
	if id, _ := p.Place(d0, c, nil); id != 1 {
		t.Fatalf("Place = %d, want 1", id)
	}
	c.Remove(1) // positions of ids 2..129 drop by one
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	cl := &c.cells[0]
	o := c.cellOcc(cl, 0)
	for _, id := range holders {
		pos := int(c.in[id].pos)
		if o.words[pos>>6]&(1<<(uint(pos)&63)) == 0 {
			t.Errorf("instance %d at position %d: bit clear after Remove", id, pos)
		}
	}
	if id, _ := p.Place(d0, c, nil); id != 2 {
		t.Fatalf("after Remove(1): Place = %d, want 2", id)
	}
	for _, id := range holders {
		c.Release(id, d0)
	}
	if c.cellOcc(cl, 0) != nil || len(c.occFree) != 1 {
		t.Fatalf("group 0 gone from the cell: set %v, free list %v, want none and one free", c.cellOcc(cl, 0), c.occFree)
	}
	c.Reserve(3, Demand{CPU: 256, Memory: 512, Group: 1})
	if len(c.occSets) != 1 || len(c.occFree) != 0 {
		t.Fatalf("group 1's first task: %d sets, %d free, want the freed set reused", len(c.occSets), len(c.occFree))
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// Rule (task-placement-strategies, spread): spread(instanceId) places on the
// instance with the fewest tasks of the group. When every fitting instance
// holds one, the fewest wins, then the lowest id (model assumption); a full
// instance without a task of the group does not count.
func TestSpreadInstanceAllHold(t *testing.T) {
	c := NewCluster()
	for i := range 4 {
		c.Add(spec(m6iXLarge, "a", i))
	}
	p, err := NewPlacer([]Strategy{{"spread", "instanceId"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := Demand{CPU: 256, Memory: 512, Group: 0}
	for _, id := range []InstanceID{0, 0, 1, 2, 2} { // counts 2, 1, 2, 0
		c.Reserve(id, d)
	}
	c.Reserve(3, Demand{CPU: 4096, Memory: 15872, Group: 1}) // fills instance 3
	if id, _ := p.Place(d, c, nil); id != 1 {
		t.Fatalf("Place = %d, want 1 (fewest tasks of the group among those that fit)", id)
	}
}

// Place and PlaceScan agree for the default chain on a service with fewer
// tasks than instances while tasks come and go (the case the occupancy sets
// serve), with invariants checked throughout.
func TestDefaultChainSparseServiceMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	c := NewCluster()
	for i := range 600 {
		c.Add(spec(m6iXLarge, []string{"a", "b", "c"}[i%3], i))
	}
	p, err := NewPlacer(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := Demand{CPU: 512, Memory: 2048, Group: 2}
	var tasks []InstanceID
	for step := range 3000 {
		if len(tasks) < 150 || rng.IntN(2) == 0 {
			got, _ := p.Place(d, c, nil)
			want, _ := p.PlaceScan(d, c, nil)
			if got != want {
				t.Fatalf("step %d: Place = %d, PlaceScan = %d", step, got, want)
			}
			c.Reserve(got, d)
			tasks = append(tasks, got)
		} else {
			j := rng.IntN(len(tasks))
			c.Release(tasks[j], d)
			tasks[j] = tasks[len(tasks)-1]
			tasks = tasks[:len(tasks)-1]
		}
		if len(tasks) > 200 {
			j := rng.IntN(len(tasks))
			c.Release(tasks[j], d)
			tasks[j] = tasks[len(tasks)-1]
			tasks = tasks[:len(tasks)-1]
		}
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}
