package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkPlace measures placement with the hot chain
// spread(attribute:ecs.availability-zone) then binpack(memory), indexed
// (Place) against the linear-scan reference (PlaceScan), in placements per
// second. Goals (PERFORMANCE.md): >= 1M/s at 1k instances, >= 500k/s and >=
// 20x the scan at 10k, >= 200k/s at 100k and at most 3x the 1k time.
//
// Workload: a seeded cluster of N instances over 3 AZs, two thirds
// m6i.xlarge (4096 CPU units, 15872 MiB) and one third m6i.2xlarge (8192,
// 31744); tasks drawn from six memory-heavy sizes (256 CPU/1024 MiB ...
// 2048/8192) and 50 services. Setup fills the cluster to 80 % of its memory.
// Each timed op is one Place and, when it succeeds, one Reserve; then, while
// more than 80 % of the memory is reserved (or once if the Place failed), it
// releases a task chosen uniformly among those running (usually exactly one),
// so the cluster stays at about 80 % full, fragmented, for the whole run.
// failed/op reports the share of Place calls that found no instance.
//
// Recipe: go test -run XXX -bench BenchmarkPlace -benchmem -count 10 ./scheduler | tee new.txt
// then benchstat old.txt new.txt (go run golang.org/x/perf/cmd/benchstat@latest).
func BenchmarkPlace(b *testing.B) {
	for _, impl := range []string{"indexed", "scan"} {
		for _, n := range []int{1000, 10000, 100000} {
			if impl == "scan" && n > 10000 {
				continue
			}
			b.Run(fmt.Sprintf("impl=%s/instances=%d", impl, n), func(b *testing.B) {
				benchPlace(b, impl == "scan", n)
			})
		}
	}
}

// benchDemands are memory-heavy like the instances (m6i: 4 GiB per vCPU),
// so memory is the binding resource.
var benchDemands = [...]Demand{
	{CPU: 256, Memory: 1024},
	{CPU: 512, Memory: 1536},
	{CPU: 512, Memory: 2048},
	{CPU: 1024, Memory: 3072},
	{CPU: 1024, Memory: 4096},
	{CPU: 2048, Memory: 8192},
}

// benchTask packs a running task in 32 bits (instance id << 9 | group << 3
// | demand index), so the list of running tasks, read at random, pollutes
// the cache as little as it can.
type benchTask uint32

func packTask(id InstanceID, d int, g int32) benchTask {
	return benchTask(uint32(id)<<9 | uint32(g)<<3 | uint32(d))
}
func (t benchTask) id() InstanceID { return InstanceID(t >> 9) }
func (t benchTask) demand() Demand {
	d := benchDemands[t&7]
	d.Group = int32(t>>3) & 63
	return d
}

// BenchmarkOtherChains runs the same workload with the other chains that
// have an indexed plan (and one that falls back to the scan), at 10k
// instances, for information: the default (spread AZ, spread instanceId),
// binpack cpu alone, random, and binpack memory with a memberOf constraint.
func BenchmarkOtherChains(b *testing.B) {
	for _, tc := range []struct {
		name string
		s    []Strategy
		c    []Constraint
	}{
		{"default", nil, nil},
		{"binpack-cpu", []Strategy{{"binpack", "cpu"}}, nil},
		{"random", []Strategy{{"random", ""}}, nil},
		{"binpack-memory+memberOf", []Strategy{{"binpack", "memory"}}, []Constraint{{"memberOf", "attribute:ecs.instance-type =~ m6i.*"}}},
		{"spread-AZ+spread-instance+binpack(scan)", []Strategy{{"spread", "attribute:ecs.availability-zone"}, {"spread", "instanceId"}, {"binpack", "memory"}}, nil},
	} {
		b.Run("chain="+tc.name+"/instances=10000", func(b *testing.B) {
			benchPlaceWith(b, false, 10000, tc.s, tc.c)
		})
	}
}

func benchPlace(b *testing.B, scan bool, n int) {
	benchPlaceWith(b, scan, n, []Strategy{{"spread", "attribute:ecs.availability-zone"}, {"binpack", "memory"}}, nil)
}

func benchPlaceWith(b *testing.B, scan bool, n int, strategies []Strategy, constraints []Constraint) {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	c := NewCluster()
	var total int64
	for i := range n {
		it := m6iXLarge
		if rng.IntN(3) == 0 {
			it = m6i2XLarge
		}
		c.Add(spec(it, []string{"us-east-1a", "us-east-1b", "us-east-1c"}[i%3], i))
		total += int64(it.mem)
	}
	p, err := NewPlacer(strategies, constraints)
	if err != nil {
		b.Fatal(err)
	}
	place := p.Place
	if scan {
		place = p.PlaceScan
	}
	target := total * 8 / 10
	var used int64
	tasks := make([]benchTask, 0, total/512/2)
	step := func() bool {
		k := rng.IntN(len(benchDemands))
		d := benchDemands[k]
		d.Group = rng.Int32N(50)
		id, _ := place(d, c, rng)
		if id == NoInstance {
			return false
		}
		c.Reserve(id, d)
		tasks = append(tasks, packTask(id, k, d.Group))
		used += int64(d.Memory)
		return true
	}
	release := func(failed bool) {
		for used > target || (failed && len(tasks) > 0) {
			failed = false
			j := rng.IntN(len(tasks))
			t := tasks[j]
			d := t.demand()
			c.Release(t.id(), d)
			used -= int64(d.Memory)
			tasks[j] = tasks[len(tasks)-1]
			tasks = tasks[:len(tasks)-1]
		}
	}
	for used < target {
		if !step() {
			break
		}
	}
	if err := c.CheckInvariants(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	failed := 0
	for b.Loop() {
		ok := step()
		if !ok {
			failed++
		}
		release(!ok)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "placements/s")
	if failed > 0 {
		b.ReportMetric(float64(failed)/float64(b.N), "failed/op")
	}
}
