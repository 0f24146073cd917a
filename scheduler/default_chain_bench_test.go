package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkDefaultChain measures the ECS default strategy for services,
// spread(attribute:ecs.availability-zone) then spread(instanceId), in
// placements per second, on the case that used to be linear: a service with
// fewer tasks than instances on a mostly empty cluster, whose tasks sit on
// the low ids of each cell without filling them.
//
// Workload: N instances over 3 AZs, two thirds m6i.xlarge and one third
// m6i.2xlarge (as BenchmarkPlace); one service (group 0) of N/4 tasks of
// 512 CPU units and 2048 MiB, placed with the default chain in setup. Each
// timed op is one Place and Reserve of a new task of the service, then the
// Release of a task chosen uniformly among those running, so the service
// stays at N/4 tasks with its holes spread over the occupied low ids.
func BenchmarkDefaultChain(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			benchDefaultChain(b, n)
		})
	}
}

func benchDefaultChain(b *testing.B, n int) {
	rng := rand.New(rand.NewPCG(uint64(n), 11))
	c := NewCluster()
	for i := range n {
		it := m6iXLarge
		if rng.IntN(3) == 0 {
			it = m6i2XLarge
		}
		c.Add(spec(it, []string{"us-east-1a", "us-east-1b", "us-east-1c"}[i%3], i))
	}
	p, err := NewPlacer(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	d := Demand{CPU: 512, Memory: 2048, Group: 0}
	tasks := make([]InstanceID, 0, n/4)
	place := func() {
		id, r := p.Place(d, c, rng)
		if id == NoInstance {
			b.Fatalf("no instance: %v", r)
		}
		c.Reserve(id, d)
		tasks = append(tasks, id)
	}
	for range n / 4 {
		place()
	}
	if err := c.CheckInvariants(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		place()
		j := rng.IntN(len(tasks))
		c.Release(tasks[j], d)
		tasks[j] = tasks[len(tasks)-1]
		tasks = tasks[:len(tasks)-1]
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "placements/s")
	if err := c.CheckInvariants(); err != nil {
		b.Fatal(err)
	}
}
