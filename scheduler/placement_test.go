package scheduler

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// lit builds a literal cluster: one m6i.xlarge (4096 CPU units, 15872 MiB,
// 3 task ENIs) per AZ name given, ids in order.
func lit(azs ...string) *Cluster {
	c := NewCluster()
	for i, az := range azs {
		c.Add(spec(m6iXLarge, az, i))
	}
	return c
}

// fill reserves memory MiB (and cpu units) on id with a task of group g.
func fill(c *Cluster, id InstanceID, cpu, memory int32, g int32) {
	c.Reserve(id, Demand{CPU: cpu, Memory: memory, Group: g})
}

// both runs Place and PlaceScan and requires them to agree.
func both(t *testing.T, p *Placer, d Demand, c *Cluster) (InstanceID, Reason) {
	t.Helper()
	a, ra := p.Place(d, c, nil)
	b, rb := p.PlaceScan(d, c, nil)
	if a != b || ra != rb {
		t.Fatalf("Place = (%d, %q) but PlaceScan = (%d, %q)", a, ra, b, rb)
	}
	return a, ra
}

func mustPlacer(t *testing.T, s []Strategy, cons ...Constraint) *Placer {
	t.Helper()
	p, err := NewPlacer(s, cons)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	binpackMemory = []Strategy{{"binpack", "memory"}}
	binpackCPU    = []Strategy{{"binpack", "cpu"}}
	spreadAZ      = Strategy{"spread", "attribute:ecs.availability-zone"}
	spreadAZMem   = []Strategy{spreadAZ, {"binpack", "memory"}}
)

func TestBinpackPicksLeastRemaining(t *testing.T) {
	// [task-placement-strategies] binpack: "Tasks are placed on container
	// instances so as to leave the least amount of unused CPU or memory."
	// Free memory after the fills: 0 -> 15872-11872 = 4000, 1 -> 15872-13872
	// = 2000, 2 -> 15872-12872 = 3000. Free CPU: 0 -> 4096-1000 = 3096, 1 ->
	// 4096-3000 = 1096, 2 -> 4096-2000 = 2096.
	c := lit("a", "a", "a")
	fill(c, 0, 1000, 11872, 9)
	fill(c, 1, 3000, 13872, 9)
	fill(c, 2, 2000, 12872, 9)
	tests := []struct {
		rule     string
		s        []Strategy
		d        Demand
		want     InstanceID
		wantFail Reason
	}{
		{"memory: 1500 MiB fits all, instance 1 leaves the least (2000-1500)", binpackMemory, Demand{CPU: 10, Memory: 1500}, 1, ""},
		{"memory: 2500 MiB does not fit 1; instance 2 leaves 500", binpackMemory, Demand{CPU: 10, Memory: 2500}, 2, ""},
		{"memory: 2500 MiB and 2500 CPU fits only instance 0", binpackMemory, Demand{CPU: 2500, Memory: 2500}, 0, ""},
		{"memory: 3500 MiB fits only instance 0", binpackMemory, Demand{CPU: 10, Memory: 3500}, 0, ""},
		{"cpu: 1000 units fits all, instance 1 leaves the least (1096-1000)", binpackCPU, Demand{CPU: 1000, Memory: 10}, 1, ""},
		{"cpu: 2000 units; instance 2 leaves 96", binpackCPU, Demand{CPU: 2000, Memory: 10}, 2, ""},
		{"memory: 4001 MiB fits nowhere", binpackMemory, Demand{CPU: 10, Memory: 4001}, NoInstance, ReasonInsufficientMemory},
		{"cpu: 3097 units fits nowhere, memory does", binpackCPU, Demand{CPU: 3097, Memory: 10}, NoInstance, ReasonInsufficientCPU},
	}
	for _, tc := range tests {
		got, r := both(t, mustPlacer(t, tc.s), tc.d, c)
		if got != tc.want || r != tc.wantFail {
			t.Errorf("%s: got (%d, %q), want (%d, %q)", tc.rule, got, r, tc.want, tc.wantFail)
		}
	}
}

func TestBinpackTiesGoToLowestID(t *testing.T) {
	// Model assumption: ties left after the last strategy break by the
	// lowest instance id. Instances 1 and 2 both have 15872-1872 = 14000 MiB
	// free; instance 0 is empty.
	c := lit("a", "b", "c")
	fill(c, 2, 100, 1872, 0)
	fill(c, 1, 100, 1872, 0)
	if got, _ := both(t, mustPlacer(t, binpackMemory), Demand{CPU: 1, Memory: 1}, c); got != 1 {
		t.Errorf("got %d, want 1 (tied with 2, lower id)", got)
	}
}

func TestSpreadPicksFewest(t *testing.T) {
	// [task-placement-strategies] spread: "Tasks are placed evenly based on
	// the specified value"; the value with the fewest tasks of the service
	// (ECS-SEMANTICS.md §2.3).
	// Instances: 0 a, 1 a, 2 b, 3 c. Group 7 has 2 tasks in a (on 0), 1 in b,
	// 1 in c; group 8 (another service) has 5 tasks in c, which do not count.
	c := lit("a", "a", "b", "c")
	fill(c, 0, 10, 10, 7)
	fill(c, 0, 10, 10, 7)
	fill(c, 2, 10, 10, 7)
	fill(c, 3, 10, 10, 7)
	for range 5 {
		fill(c, 3, 10, 10, 8)
	}
	// b and c tie at one task of group 7; binpack memory then picks the one
	// with less free memory: 3 holds 6 tasks of 10 MiB, 2 holds one.
	if got, _ := both(t, mustPlacer(t, spreadAZMem), Demand{CPU: 1, Memory: 1, Group: 7}, c); got != 3 {
		t.Errorf("spread AZ then binpack: got %d, want 3", got)
	}
	// spread by instance: instance 1 has no task of group 7.
	if got, _ := both(t, mustPlacer(t, []Strategy{{"spread", "instanceId"}}), Demand{CPU: 1, Memory: 1, Group: 7}, c); got != 1 {
		t.Errorf("spread instanceId: got %d, want 1", got)
	}
	// The default (spread AZ, then instance): AZs b and c tie with one task
	// each, and instances 2 and 3 have one task of group 7 each: lowest id 2.
	if got, _ := both(t, mustPlacer(t, nil), Demand{CPU: 1, Memory: 1, Group: 7}, c); got != 2 {
		t.Errorf("default: got %d, want 2", got)
	}
	// With b and c full, spread falls to AZ a (only values held by a
	// candidate compete): instance 1 has the fewest tasks there.
	fill(c, 2, 4000, 15000, 9)
	fill(c, 3, 4000, 15000, 9)
	if got, _ := both(t, mustPlacer(t, nil), Demand{CPU: 100, Memory: 1000, Group: 7}, c); got != 1 {
		t.Errorf("default with b, c full: got %d, want 1", got)
	}
}

func TestSpreadCountsDrainingInstances(t *testing.T) {
	// Model assumption: spread counts the group's tasks on instances that are
	// not placeable (draining) too. AZ a holds two tasks on a draining
	// instance, so b (one task) is preferred although a has an empty
	// placeable instance.
	c := lit("a", "a", "b")
	fill(c, 0, 10, 10, 1)
	fill(c, 0, 10, 10, 1)
	fill(c, 2, 10, 10, 1)
	c.SetPlaceable(0, false)
	if got, _ := both(t, mustPlacer(t, nil), Demand{CPU: 1, Memory: 1, Group: 1}, c); got != 2 {
		t.Errorf("got %d, want 2", got)
	}
}

func TestRandomIsUniform(t *testing.T) {
	// [task-placement-strategies] random: "Tasks are placed randomly."
	// Uniform among the candidates: 4 candidates of 10 instances (6 are too
	// full), 40,000 draws, 10,000 expected each. Chi-square with 3 degrees of
	// freedom; the critical value at significance 0.001 is 16.27, so a
	// uniform draw fails this 1 time in 1,000 seeds (the seed is fixed).
	// The cluster also exercises both paths of Place: 4 of 10 instances
	// accept a rejection-sampling draw; with 32 draws the fallback scan is
	// rare, so a second cluster (2 candidates of 100) hits it about half the
	// time (0.98^32 = 0.52).
	for _, tc := range []struct {
		n, feasible int
	}{{10, 4}, {100, 2}} {
		c := NewCluster()
		for i := range tc.n {
			c.Add(spec(m6iXLarge, []string{"a", "b"}[i%2], i))
			if i >= tc.feasible {
				fill(c, InstanceID(i), 4096, 100, 0)
			}
		}
		for _, place := range []string{"Place", "PlaceScan"} {
			p := mustPlacer(t, []Strategy{{"random", ""}})
			f := p.Place
			if place == "PlaceScan" {
				f = p.PlaceScan
			}
			rng := rand.New(rand.NewPCG(1, 2))
			const draws = 40000
			counts := make([]int, tc.feasible)
			for range draws {
				id, r := f(Demand{CPU: 1, Memory: 1}, c, rng)
				if r != "" || int(id) >= tc.feasible {
					t.Fatalf("%s chose %d (%q), not a candidate", place, id, r)
				}
				counts[id]++
			}
			exp := float64(draws) / float64(tc.feasible)
			chi2 := 0.0
			for _, o := range counts {
				chi2 += (float64(o) - exp) * (float64(o) - exp) / exp
			}
			crit := map[int]float64{3: 16.27, 1: 10.83}[tc.feasible-1] // chi-square 0.999 quantiles
			if chi2 > crit {
				t.Errorf("%s, %d of %d feasible: counts %v, chi-square %.2f > %.2f", place, tc.feasible, tc.n, counts, chi2, crit)
			}
		}
	}
}

func TestFilters(t *testing.T) {
	// [task-placement] "Amazon ECS ... identifies the instances that satisfy
	// the CPU, GPU, memory, and port requirements in the task definition";
	// awsvpc tasks need a free ENI (ECS-SEMANTICS.md §2.1).
	tests := []struct {
		rule  string
		setup func(c *Cluster)
		d     Demand
		want  InstanceID
		why   Reason
	}{
		{"a used host port excludes the instance", func(c *Cluster) {
			c.Reserve(0, Demand{Ports: []uint16{80}})
		}, Demand{Ports: []uint16{80}}, 1, ""},
		{"the agent's default reserved port 22 is never free [PortMapping]", nil, Demand{Ports: []uint16{22}}, NoInstance, ReasonNoFreePort},
		{"ports 51678-51680 are the agent's [PortMapping]", nil, Demand{Ports: []uint16{51680}}, NoInstance, ReasonNoFreePort},
		{"at most 100 reserved ports, the 6 defaults included [PortMapping]", func(c *Cluster) {
			ports := make([]uint16, 94) // 6 + 94 = 100 on instance 0
			for i := range ports {
				ports[i] = uint16(10000 + i)
			}
			c.Reserve(0, Demand{Ports: ports})
		}, Demand{Ports: []uint16{9999}}, 1, ""},
		{"awsvpc needs a free task ENI (m6i.xlarge: 3)", func(c *Cluster) {
			for range 3 {
				c.Reserve(0, Demand{ENI: true})
			}
		}, Demand{ENI: true}, 1, ""},
		{"no ENI anywhere", func(c *Cluster) {
			for id := range InstanceID(2) {
				for range 3 {
					c.Reserve(id, Demand{ENI: true})
				}
			}
		}, Demand{ENI: true}, NoInstance, ReasonNoFreeENI},
		{"a draining instance is skipped", func(c *Cluster) { c.SetPlaceable(0, false) }, Demand{}, 1, ""},
		{"no placeable instance", func(c *Cluster) { c.SetPlaceable(0, false); c.SetPlaceable(1, false) }, Demand{}, NoInstance, ReasonNoContainerInstances},
		{"pools: the task may use pool 1 only (instance 1)", nil, Demand{Pools: 1 << 1}, 1, ""},
		{"pools: no instance in pool 2", nil, Demand{Pools: 1 << 2}, NoInstance, ReasonNoContainerInstances},
		{"exact fit: free memory == demand fits", nil, Demand{CPU: 4096, Memory: 15872}, 0, ""},
	}
	for _, tc := range tests {
		c := NewCluster()
		c.Add(spec(m6iXLarge, "a", 0))
		s := spec(m6iXLarge, "a", 1)
		s.Pool = 1
		c.Add(s)
		if tc.setup != nil {
			tc.setup(c)
		}
		got, why := both(t, mustPlacer(t, binpackMemory), tc.d, c)
		if got != tc.want || why != tc.why {
			t.Errorf("%s: got (%d, %q), want (%d, %q)", tc.rule, got, why, tc.want, tc.why)
		}
	}
}

func TestConstraints(t *testing.T) {
	// [task-placement-constraints] distinctInstance: "Place each task on a
	// different container instance"; memberOf: "Place tasks on container
	// instances that satisfy an expression".
	c := NewCluster()
	c.SetGroupName(3, "service:api")
	c.Add(spec(m6iXLarge, "a", 0))
	c.Add(spec(c6iXLarge, "b", 1))
	c.Add(spec(m6i2XLarge, "c", 2))
	fill(c, 0, 10, 5000, 3) // instance 0 holds a task of group 3; the least free memory
	distinct := Constraint{Type: "distinctInstance"}
	tests := []struct {
		rule string
		s    []Strategy
		cons []Constraint
		d    Demand
		want InstanceID
		why  Reason
	}{
		{"without constraints binpack takes instance 1 (7680 MiB, the least free)", binpackMemory, nil, Demand{Group: 3, Memory: 100}, 1, ""},
		{"memberOf m6i.* excludes the c6i", binpackMemory, []Constraint{{"memberOf", "attribute:ecs.instance-type =~ m6i.*"}}, Demand{Group: 3, Memory: 100}, 0, ""},
		{"distinctInstance excludes instance 0 (holds group 3)", binpackMemory, []Constraint{{"memberOf", "attribute:ecs.instance-type =~ m6i.*"}, distinct}, Demand{Group: 3, Memory: 100}, 2, ""},
		{"distinctInstance counts only the task's group", binpackMemory, []Constraint{{"memberOf", "attribute:ecs.instance-type =~ m6i.*"}, distinct}, Demand{Group: 4, Memory: 100}, 0, ""},
		{"task:group affinity", binpackMemory, []Constraint{{"memberOf", "task:group == service:api"}}, Demand{Group: 5, Memory: 100}, 0, ""},
		{"memberOf selecting nothing", binpackMemory, []Constraint{{"memberOf", "attribute:ecs.instance-type == t3.large"}}, Demand{Memory: 100}, NoInstance, ReasonMemberOf},
		{"constraints in the order given: 1 and 2 pass distinctInstance, then memberOf removes them", binpackMemory, []Constraint{distinct, {"memberOf", "attribute:ecs.availability-zone == a"}}, Demand{Group: 3, Memory: 100}, NoInstance, ReasonMemberOf},
		{"constraints in the order given: 0 passes memberOf, then distinctInstance removes it", binpackMemory, []Constraint{{"memberOf", "attribute:ecs.availability-zone == a"}, distinct}, Demand{Group: 3, Memory: 100}, NoInstance, ReasonDistinctInstance},
		{"constraints in the order given: memberOf empties first", binpackMemory, []Constraint{{"memberOf", "attribute:ecs.availability-zone == z"}, distinct}, Demand{Group: 3, Memory: 100}, NoInstance, ReasonMemberOf},
		{"default strategy with distinctInstance", nil, []Constraint{distinct}, Demand{Group: 3, Memory: 100}, 1, ""},
	}
	for _, tc := range tests {
		got, why := both(t, mustPlacer(t, tc.s, tc.cons...), tc.d, c)
		if got != tc.want || why != tc.why {
			t.Errorf("%s: got (%d, %q), want (%d, %q)", tc.rule, got, why, tc.want, tc.why)
		}
	}
}

func TestFailureReasonOrder(t *testing.T) {
	// The closest reason: the filter that removed the last candidates, in the
	// order pool/placeable -> memory -> CPU -> ports -> ENI -> constraints.
	// Instance 0: 15872-15000 = 872 MiB free, all CPU. Instance 1: all
	// memory, 4096-4000 = 96 CPU units free, port 80 used, ENIs used.
	c := lit("a", "a")
	fill(c, 0, 0, 15000, 0)
	c.Reserve(1, Demand{CPU: 4000, Ports: []uint16{80}, ENI: true})
	c.Reserve(1, Demand{ENI: true})
	c.Reserve(1, Demand{ENI: true})
	tests := []struct {
		rule string
		d    Demand
		why  Reason
	}{
		{"memory fits only 1 and CPU nowhere: CPU is the last filter standing", Demand{CPU: 200, Memory: 1000}, ReasonInsufficientCPU},
		{"memory fits nowhere", Demand{CPU: 10, Memory: 16000}, ReasonInsufficientMemory},
		{"memory and CPU fit 1, port 80 is taken there", Demand{CPU: 10, Memory: 1000, Ports: []uint16{80}}, ReasonNoFreePort},
		{"memory and CPU fit 1, its ENIs are taken (ports come first, are free)", Demand{CPU: 10, Memory: 1000, Ports: []uint16{81}, ENI: true}, ReasonNoFreeENI},
		{"both port and ENI fail on 1: ports come first", Demand{CPU: 10, Memory: 1000, Ports: []uint16{80}, ENI: true}, ReasonNoFreePort},
		{"memory fits 0 (872 >= 800) and 1, CPU fits 0, port 81 and an ENI are free on 0: placed", Demand{CPU: 50, Memory: 800, Ports: []uint16{81}, ENI: true, Group: 5}, ""},
		{"the same task of group 0: instance 0 holds group 0, distinctInstance removes it", Demand{CPU: 50, Memory: 800, Ports: []uint16{81}, ENI: true}, ReasonDistinctInstance},
	}
	for _, tc := range tests {
		_, why := both(t, mustPlacer(t, binpackMemory, Constraint{Type: "distinctInstance"}), tc.d, c)
		if why != tc.why {
			t.Errorf("%s: reason %q, want %q", tc.rule, why, tc.why)
		}
	}
}

func TestEmptyCluster(t *testing.T) {
	for _, s := range [][]Strategy{nil, binpackMemory, {{"random", ""}}, {{"spread", "attribute:x"}}} {
		got, why := mustPlacer(t, s).Place(Demand{}, NewCluster(), rand.New(rand.NewPCG(1, 1)))
		if got != NoInstance || why != ReasonNoContainerInstances {
			t.Errorf("%v: got (%d, %q)", s, got, why)
		}
	}
}

func TestNewPlacerErrors(t *testing.T) {
	tests := []struct {
		s    []Strategy
		c    []Constraint
		want string
	}{
		{[]Strategy{{"binpack", "disk"}}, nil, `binpack field "disk"`},
		{[]Strategy{{"spread", "attribute:"}}, nil, `spread field "attribute:"`},
		{[]Strategy{{"random", "x"}}, nil, "random takes no field"},
		{[]Strategy{{"pack", ""}}, nil, `type "pack"`},
		{make([]Strategy, 6), nil, "6 placement strategies, at most 5"},
		{nil, []Constraint{{"memberOf", ""}}, "memberOf needs an expression"},
		{nil, []Constraint{{"memberOf", "attribute:a =="}}, "placement constraint 1: query"},
		{nil, []Constraint{{"distinctInstance", "x"}}, "takes no expression"},
		{nil, []Constraint{{"sameZone", ""}}, `type "sameZone"`},
	}
	for _, tc := range tests {
		_, err := NewPlacer(tc.s, tc.c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewPlacer(%v, %v) = %v, want an error containing %q", tc.s, tc.c, err, tc.want)
		}
	}
	for _, s := range []Strategy{{"binpack", "cpu"}, {"binpack", "memory"}, {"spread", "host"}, {"spread", "instanceId"}, {"spread", "attribute:ecs.instance-type"}, {"random", ""}} {
		if err := ValidateStrategy(s); err != nil {
			t.Errorf("ValidateStrategy(%v) = %v", s, err)
		}
	}
}

func TestPlaceDoesNotAllocate(t *testing.T) {
	c := NewCluster()
	for i := range 300 {
		c.Add(spec(m6iXLarge, []string{"a", "b", "c"}[i%3], i))
	}
	for _, s := range [][]Strategy{spreadAZMem, binpackMemory, binpackCPU, nil, {{"random", ""}}} {
		p := mustPlacer(t, s)
		rng := rand.New(rand.NewPCG(3, 4))
		d := Demand{CPU: 256, Memory: 1024, Group: 1}
		p.Place(d, c, rng) // warm the scratch space
		if n := testing.AllocsPerRun(200, func() {
			id, _ := p.Place(d, c, rng)
			c.Reserve(id, d)
			c.Release(id, d)
		}); n != 0 {
			t.Errorf("%v: %.1f allocations per Place+Reserve+Release, want 0", s, n)
		}
	}
}
