package sim

import (
	"container/heap"
	"math/rand/v2"
	"sort"
	"testing"
)

// less orders events the way the Queue must, for the tests: it is the
// specification the packed keys implement, by (At, Kind, Order, Seq).
func (e *Event) less(o *Event) bool {
	if e.At != o.At {
		return e.At < o.At
	}
	if e.Kind != o.Kind {
		return e.Kind < o.Kind
	}
	if e.Order != o.Order {
		return e.Order < o.Order
	}
	return e.Seq < o.Seq
}

// TestQueueOrder checks the engine's ordering contract against a sort of
// the same events: (At, Kind, Order, Seq), so equal-time events follow
// SCENARIO.md "Time and order" and otherwise insertion order.
func TestQueueOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		var q Queue
		var want []Event
		n := 1 + r.IntN(500)
		for i := 0; i < n; i++ {
			e := Event{At: Time(r.IntN(50)), Kind: Kind(r.IntN(6)), Order: int32(r.IntN(3)), Target: int32(i)}
			q.Push(e)
			e.Seq = uint64(i)
			want = append(want, e)
			// Interleave pops to exercise the heap under churn.
			if r.IntN(4) == 0 && q.Len() > 0 {
				got := q.Pop()
				sort.SliceStable(want, func(a, b int) bool { return want[a].less(&want[b]) })
				if got != want[0] {
					t.Fatalf("trial %d: popped %+v, want %+v", trial, got, want[0])
				}
				want = want[1:]
			}
		}
		sort.SliceStable(want, func(a, b int) bool { return want[a].less(&want[b]) })
		for i := range want {
			got := q.Pop()
			if got != want[i] {
				t.Fatalf("trial %d pos %d: popped %+v, want %+v", trial, i, got, want[i])
			}
		}
		if q.Len() != 0 {
			t.Fatalf("queue not empty")
		}
	}
}

// TestStreamsIndependent: a stream depends only on (seed, name).
func TestStreamsIndependent(t *testing.T) {
	a := NewStreams(42).Stream("service/web/noise").Uint64()
	b := NewStreams(42).Stream("service/web/noise").Uint64()
	c := NewStreams(42).Stream("service/api/noise").Uint64()
	d := NewStreams(43).Stream("service/web/noise").Uint64()
	if a != b {
		t.Fatal("same seed and name must give the same draws")
	}
	if a == c || a == d {
		t.Fatal("different names or seeds should give different draws")
	}
}

// TestQueueNoAllocSteadyState: pop + push on a warm queue allocates nothing
// (ARCHITECTURE.md rule 3).
func TestQueueNoAllocSteadyState(t *testing.T) {
	var q Queue
	for i := 0; i < 1000; i++ {
		q.Push(Event{At: Time(i)})
	}
	allocs := testing.AllocsPerRun(1000, func() {
		e := q.Pop()
		e.At += 1000
		q.Push(e)
	})
	if allocs != 0 {
		t.Fatalf("allocs per hold = %v, want 0", allocs)
	}
}

// chEvents is the reference: the same events in container/heap, as a
// binary heap of values behind the heap.Interface.
type chEvents []Event

func (h chEvents) Len() int           { return len(h) }
func (h chEvents) Less(i, j int) bool { return h[i].less(&h[j]) }
func (h chEvents) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *chEvents) Push(x any)        { *h = append(*h, x.(Event)) }
func (h *chEvents) Pop() any {
	old := *h
	n := len(old) - 1
	e := old[n]
	*h = old[:n]
	return e
}

// BenchmarkEngineHold runs the classic hold model: with 100k events
// pending, each operation pops the earliest event and pushes one at a
// random (exponential) delay later. It compares the engine's 4-ary heap
// with container/heap in the same run:
//
//	go test -run XXX -bench EngineHold -count 10 ./sim | tee new.txt; benchstat new.txt
func BenchmarkEngineHold(b *testing.B) {
	const pending = 100_000
	b.Run("impl=ecssim", func(b *testing.B) {
		r := rand.New(rand.NewPCG(7, 7))
		var q Queue
		for i := 0; i < pending; i++ {
			q.Push(Event{At: Time(r.ExpFloat64() * 1000), Target: int32(i)})
		}
		delays := holdDelays(r)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			e := q.Pop()
			e.At += delays[i&(len(delays)-1)]
			q.Push(e)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("impl=container-heap", func(b *testing.B) {
		r := rand.New(rand.NewPCG(7, 7))
		h := make(chEvents, 0, pending)
		var seq uint64
		for i := 0; i < pending; i++ {
			h = append(h, Event{At: Time(r.ExpFloat64() * 1000), Target: int32(i), Seq: seq})
			seq++
		}
		heap.Init(&h)
		delays := holdDelays(r)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			e := heap.Pop(&h).(Event)
			e.At += delays[i&(len(delays)-1)]
			e.Seq = seq
			seq++
			heap.Push(&h, e)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
}

// holdDelays precomputes exponential delays (mean 1 s) so the benchmark
// times the queue, not the random generator.
func holdDelays(r *rand.Rand) []Time {
	d := make([]Time, 1<<16)
	for i := range d {
		d[i] = Time(r.ExpFloat64()*1000) + 1
	}
	return d
}
