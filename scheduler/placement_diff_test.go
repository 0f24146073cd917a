package scheduler

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The differential test: on thousands of seeded random clusters, under random
// interleavings of Add, SetPlaceable, Remove, Reserve and Release, Place (the
// index) and PlaceScan (the linear-scan reference) must choose the same
// instance and give the same failure reason for every deterministic chain,
// with and without constraints; random chains must choose a candidate.
// CheckInvariants runs after every operation.

var diffChains = [][]Strategy{
	{{"binpack", "memory"}},
	{{"binpack", "cpu"}},
	{{"spread", "attribute:ecs.availability-zone"}, {"binpack", "memory"}},
	{{"spread", "attribute:ecs.availability-zone"}, {"binpack", "cpu"}},
	{{"spread", "attribute:ecs.availability-zone"}, {"spread", "instanceId"}},
	{{"spread", "instanceId"}},
	nil, // the default: spread AZ, spread instanceId
	{{"spread", "attribute:team"}, {"binpack", "memory"}},                                         // scan plan
	{{"binpack", "memory"}, {"spread", "host"}},                                                   // scan plan
	{{"spread", "attribute:ecs.availability-zone"}, {"spread", "instanceId"}, {"binpack", "cpu"}}, // scan plan
}

var diffRandomChains = [][]Strategy{
	{{"random", ""}},
	{{"spread", "attribute:ecs.availability-zone"}, {"random", ""}},
}

var diffConstraints = [][]Constraint{
	nil,
	{{"distinctInstance", ""}},
	{{"memberOf", "attribute:ecs.instance-type =~ m6i.*"}},
	{{"memberOf", "runningTasksCount <= 4 and attribute:team exists"}},
	{{"distinctInstance", ""}, {"memberOf", "task:group != service:g1 or attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"}},
	{{"memberOf", "not(attribute:team == red)"}, {"distinctInstance", ""}},
}

type diffTask struct {
	id InstanceID
	d  Demand
}

type diffWorld struct {
	rng    *rand.Rand
	c      *Cluster
	tasks  []diffTask
	azs    []string
	pools  int
	serial int
}

func (w *diffWorld) addInstance() {
	types := []itype{m6iLarge, m6iXLarge, m6i2XLarge, c6iXLarge, r6iLarge}
	s := spec(types[w.rng.IntN(len(types))], w.azs[w.rng.IntN(len(w.azs))], w.serial)
	w.serial++
	s.Pool = w.rng.IntN(w.pools)
	s.TaskENIs = w.rng.Int32N(4)
	switch w.rng.IntN(3) {
	case 0:
		s.Attributes["team"] = "red"
	case 1:
		s.Attributes["team"] = "blue"
	}
	id := w.c.Add(s)
	if w.rng.IntN(8) == 0 {
		w.c.SetPlaceable(id, false)
	}
}

func (w *diffWorld) demand() Demand {
	r := w.rng
	d := Demand{
		CPU:    []int32{0, 128, 256, 512, 1024, 2048, 4096}[r.IntN(7)],
		Memory: []int32{128, 512, 1024, 2048, 4096, 8192}[r.IntN(6)],
		Group:  r.Int32N(4),
		ENI:    r.IntN(4) == 0,
	}
	switch r.IntN(8) {
	case 0:
		d.Ports = []uint16{80}
	case 1:
		d.Ports = []uint16{80, 443}
	case 2:
		d.Ports = []uint16{8080}
	}
	switch r.IntN(4) {
	case 0:
		d.Pools = 1 << uint(r.IntN(w.pools))
	case 1:
		d.Pools = r.Uint64() & (1<<uint(w.pools) - 1)
	}
	return d
}

func TestPlaceMatchesScan(t *testing.T) {
	seeds, ops := 2000, 150
	if testing.Short() {
		seeds = 200
	}
	compared, failures := 0, map[Reason]int{}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 0xd1ff))
		w := &diffWorld{rng: rng, c: NewCluster(), pools: 1 + rng.IntN(3)}
		w.azs = []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"}[:1+rng.IntN(4)]
		for g := range int32(4) {
			w.c.SetGroupName(g, fmt.Sprintf("service:g%d", g))
		}
		for range rng.IntN(40) {
			w.addInstance()
		}
		cons := diffConstraints[seed%len(diffConstraints)]
		var det, rnd []*Placer
		for _, ch := range diffChains {
			p, err := NewPlacer(ch, cons)
			if err != nil {
				t.Fatal(err)
			}
			det = append(det, p)
		}
		for _, ch := range diffRandomChains {
			p, err := NewPlacer(ch, cons)
			if err != nil {
				t.Fatal(err)
			}
			rnd = append(rnd, p)
		}
		for op := range ops {
			where := fmt.Sprintf("seed %d op %d", seed, op)
			switch r := rng.IntN(100); {
			case r < 55:
				d := w.demand()
				var chosen []InstanceID
				for i, p := range det {
					a, ra := p.Place(d, w.c, rng)
					b, rb := p.PlaceScan(d, w.c, rng)
					if a != b || ra != rb {
						t.Fatalf("%s chain %v constraints %v demand %+v: Place = (%d, %q), PlaceScan = (%d, %q)",
							where, diffChains[i], cons, d, a, ra, b, rb)
					}
					compared++
					failures[ra]++
					chosen = append(chosen, a)
				}
				for i, p := range rnd {
					a, ra := p.Place(d, w.c, rng)
					cand, rb := p.scanFilter(&d, w.c)
					if (a == NoInstance) != (len(cand) == 0) || ra != rb {
						t.Fatalf("%s random chain %d: Place = (%d, %q), scan candidates %v reason %q", where, i, a, ra, cand, rb)
					}
					if a != NoInstance {
						if i == 1 { // spread AZ first: only the AZs with the fewest tasks of the group
							cand = keepMin(cand, func(id InstanceID) int64 { return int64(w.c.AZTasks(d.Group, w.c.AZ(id))) })
						}
						if !slices.Contains(cand, a) {
							t.Fatalf("%s random chain %d chose %d, not among candidates %v", where, i, a, cand)
						}
					}
				}
				if a := chosen[rng.IntN(len(chosen))]; a != NoInstance {
					w.c.Reserve(a, d)
					w.tasks = append(w.tasks, diffTask{a, d})
				}
			case r < 80:
				if len(w.tasks) > 0 {
					j := rng.IntN(len(w.tasks))
					w.c.Release(w.tasks[j].id, w.tasks[j].d)
					w.tasks = slices.Delete(w.tasks, j, j+1)
				}
			case r < 88:
				if n := w.c.Len(); n > 0 {
					if id := InstanceID(rng.IntN(n)); !w.c.Removed(id) {
						w.c.SetPlaceable(id, !w.c.Placeable(id))
					}
				}
			case r < 94:
				w.addInstance()
			default:
				if n := w.c.Len(); n > 0 {
					if id := InstanceID(rng.IntN(n)); !w.c.Removed(id) && w.c.Tasks(id) == 0 {
						w.c.Remove(id)
					}
				}
			}
			if err := w.c.CheckInvariants(); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
		}
	}
	t.Logf("%d placements compared; outcomes %v", compared, failures)
	for _, r := range []Reason{ReasonNone, ReasonNoContainerInstances, ReasonInsufficientMemory, ReasonInsufficientCPU,
		ReasonNoFreePort, ReasonNoFreeENI, ReasonDistinctInstance, ReasonMemberOf} {
		if failures[r] == 0 && !testing.Short() {
			t.Errorf("outcome %q never occurred: the generator misses a case", r)
		}
	}
}
