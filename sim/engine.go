package sim

import (
	"hash/fnv"
	"math/bits"
	"math/rand/v2"
)

// Time is simulated time: integer milliseconds since the scenario start.
type Time int64

// Common spans of simulated time.
const (
	Millisecond Time = 1
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
	Day              = 24 * Hour
)

// Kind orders events that fall on the same millisecond (SCENARIO.md "Time
// and order"): a lower kind runs first.
type Kind uint8

// Event kinds, in their same-time order.
const (
	KindTask      Kind = iota // task state transitions
	KindFault                 // interruptions and faults
	KindArrival               // arrivals, scheduled actions, [[events]]
	KindPlacement             // the placement pass
	KindDatapoint             // datapoint close
	KindScaling               // alarm evaluation and scaling decisions
)

// Event is one scheduled happening. It is a small value: the engine never
// allocates per event. Op says what to do, Target names the entity (a task,
// service, job, instance or provider index) and Arg carries one extra word
// (a generation counter, so stale events can be ignored).
type Event struct {
	At     Time
	Kind   Kind
	Op     uint8
	Arg    uint16
	Target int32
	// Order is the entity order within a kind (SCENARIO.md: by entity
	// index, then creation order), before insertion order. 0 <= Order < 2^20.
	Order int32
	// Seq is the insertion order, the final tie-breaker; Push assigns it.
	Seq uint64
}

// entry is an Event as the heap stores it: the ordering key packed into two
// words so a comparison is two integer compares, and 24 bytes so more
// entries share a cache line.
//
//	hi = At<<3 | Kind          (At < 2^60 ms)
//	lo = Order<<44 | Seq       (Order < 2^20, Seq < 2^44)
type entry struct {
	hi, lo uint64
	target int32
	arg    uint16
	op     uint8
}

func (a *entry) less(b *entry) bool {
	// A 128-bit compare without branches: a < b exactly when a - b
	// borrows.
	_, borrow := bits.Sub64(a.lo, b.lo, 0)
	_, borrow = bits.Sub64(a.hi, b.hi, borrow)
	return borrow != 0
}

const (
	seqBits  = 44
	seqMask  = 1<<seqBits - 1
	maxOrder = 1 << 20
)

func pack(e Event) entry {
	if e.At < 0 || e.Order < 0 || e.Order >= maxOrder {
		panic("sim: event time or order out of range")
	}
	return entry{
		hi:     uint64(e.At)<<3 | uint64(e.Kind),
		lo:     uint64(e.Order)<<seqBits | e.Seq&seqMask,
		target: e.Target,
		arg:    e.Arg,
		op:     e.Op,
	}
}

func (x *entry) event() Event {
	return Event{
		At:     Time(x.hi >> 3),
		Kind:   Kind(x.hi & 7),
		Op:     x.op,
		Arg:    x.arg,
		Target: x.target,
		Order:  int32(x.lo >> seqBits),
		Seq:    x.lo & seqMask,
	}
}

// less orders events by (At, Kind, Order, Seq).
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

// Queue is a 4-ary min-heap of events ordered by (At, Kind, Order, Seq). A
// 4-ary heap halves the depth of a binary heap and keeps a node's children
// in one or two cache lines, which makes pops cheaper on large queues.
// The zero value is an empty queue.
type Queue struct {
	ev  []entry
	seq uint64
}

// Len returns the number of pending events.
func (q *Queue) Len() int { return len(q.ev) }

// Push schedules e; its Seq is assigned here.
func (q *Queue) Push(e Event) {
	e.Seq = q.seq
	q.seq++
	q.ev = append(q.ev, pack(e))
	q.up(len(q.ev) - 1)
}

// PeekTime returns the time of the earliest event. The queue must not be
// empty.
func (q *Queue) PeekTime() Time { return Time(q.ev[0].hi >> 3) }

// Pop removes and returns the earliest event. The queue must not be empty.
func (q *Queue) Pop() Event {
	top := q.ev[0]
	n := len(q.ev) - 1
	q.ev[0] = q.ev[n]
	q.ev = q.ev[:n]
	if n > 1 {
		q.down(0)
	}
	return top.event()
}

func (q *Queue) up(i int) {
	ev := q.ev
	x := ev[i]
	for i > 0 {
		p := (i - 1) >> 2
		if !x.less(&ev[p]) {
			break
		}
		ev[i] = ev[p]
		i = p
	}
	ev[i] = x
}

// down restores the heap below i for the element at i. It is the
// bottom-up variant (Wegener): walk to a leaf along the smallest children
// without comparing against the element, then climb back to its place. A
// new event usually belongs near the bottom, so this saves a comparison
// and a hard-to-predict branch per level.
func (q *Queue) down(i int) {
	ev := q.ev
	n := len(ev)
	x := ev[i]
	start := i
	for {
		c := i<<2 + 1
		if c+3 < n {
			ch := ev[c : c+4 : c+4]
			m1, m2 := 0, 2
			if ch[1].less(&ch[0]) {
				m1 = 1
			}
			if ch[3].less(&ch[2]) {
				m2 = 3
			}
			if ch[m2].less(&ch[m1]) {
				m1 = m2
			}
			ev[i] = ch[m1]
			i = c + m1
			continue
		}
		if c < n {
			m := c
			for j := c + 1; j < n; j++ {
				if ev[j].less(&ev[m]) {
					m = j
				}
			}
			ev[i] = ev[m]
			i = m
		}
		break
	}
	// Climb back up from the leaf to x's place.
	for i > start {
		p := (i - 1) >> 2
		if !x.less(&ev[p]) {
			break
		}
		ev[i] = ev[p]
		i = p
	}
	ev[i] = x
}

// Streams hands out named, independently seeded random streams: the stream
// for a name depends only on (seed, name), so adding a service does not
// change another's draws (ARCHITECTURE.md rule 1).
type Streams struct {
	seed uint64
}

// NewStreams returns the stream factory for a scenario seed.
func NewStreams(seed uint64) Streams { return Streams{seed: seed} }

// Stream returns a new PCG generator for name, e.g. "service/web/noise".
func (s Streams) Stream(name string) *rand.Rand {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	k := h.Sum64()
	return rand.New(rand.NewPCG(s.seed, k^0x9e3779b97f4a7c15))
}
