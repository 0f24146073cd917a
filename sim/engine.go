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
	Arg    uint32
	Target int32
	// Order is the entity order within a kind (SCENARIO.md: by entity
	// index, then creation order), before insertion order. 0 <= Order < 2^20.
	Order int32
	// Seq is the insertion order, the final tie-breaker; Push assigns it.
	Seq uint64
}

// entry is an Event's place in the heap: its ordering key packed into two
// words, so a comparison is one 128-bit subtraction and an entry is 16
// bytes (four siblings share one 64-byte cache line). What the event says
// (target, arg, op) waits in a side table at index slot, read once when the
// event is popped.
//
//	hi = At<<23 | Kind<<20 | Order   (At < 2^41 ms, about 69 years)
//	lo = Seq<<24 | slot              (Seq < 2^40, slot < 2^24 pending)
type entry struct {
	hi, lo uint64
}

// payload is the part of an Event that does not order it.
type payload struct {
	target int32
	arg    uint32
	op     uint8
}

const (
	orderBits = 20
	kindShift = orderBits
	atShift   = orderBits + 3
	slotBits  = 24
	slotMask  = 1<<slotBits - 1
	maxAt     = 1 << (64 - atShift)
	maxOrder  = 1 << orderBits
	maxSeq    = 1 << (64 - slotBits)
)

// lessBit reports a < b as 0 or 1, without branches: a < b exactly when
// the 128-bit subtraction a - b borrows.
func lessBit(a, b *entry) int {
	_, borrow := bits.Sub64(a.lo, b.lo, 0)
	_, borrow = bits.Sub64(a.hi, b.hi, borrow)
	return int(borrow)
}

func (a *entry) less(b *entry) bool { return lessBit(a, b) != 0 }

// Queue is a 4-ary min-heap of events ordered by (At, Kind, Order, Seq). A
// 4-ary heap halves the depth of a binary heap, and with 16-byte entries a
// node's four children fill one cache line, which makes pops cheaper on
// large queues. The zero value is an empty queue. Push and Pop allocate
// nothing once the queue has reached its largest size.
type Queue struct {
	ev   []entry
	pay  []payload // by slot
	free []uint32  // free slots
	seq  uint64
}

// Len returns the number of pending events.
func (q *Queue) Len() int { return max(len(q.ev)-root, 0) }

// Push schedules e; its Seq is assigned here. It panics (a programmer
// error) when At, Order or the number of pending events is out of range.
func (q *Queue) Push(e Event) {
	if uint64(e.At) >= maxAt || uint32(e.Order) >= maxOrder || q.seq >= maxSeq {
		panic("sim: event time, order or count out of range")
	}
	var slot uint32
	if n := len(q.free); n > 0 {
		slot = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		slot = uint32(len(q.pay))
		if slot > slotMask {
			panic("sim: too many pending events")
		}
		q.pay = append(q.pay, payload{})
	}
	q.pay[slot] = payload{target: e.Target, arg: e.Arg, op: e.Op}
	if q.ev == nil {
		q.ev = make([]entry, root, root+64)
	}
	q.ev = append(q.ev, entry{
		hi: uint64(e.At)<<atShift | uint64(e.Kind)<<kindShift | uint64(e.Order),
		lo: q.seq<<slotBits | uint64(slot),
	})
	q.seq++
	q.up(len(q.ev) - 1)
}

// PeekTime returns the time of the earliest event. The queue must not be
// empty.
func (q *Queue) PeekTime() Time { return Time(q.ev[root].hi >> atShift) }

// Pop removes and returns the earliest event. The queue must not be empty.
func (q *Queue) Pop() Event {
	top := q.ev[root]
	n := len(q.ev) - 1
	q.ev[root] = q.ev[n]
	q.ev = q.ev[:n]
	if n > root+1 {
		q.down(root)
	}
	slot := uint32(top.lo & slotMask)
	p := q.pay[slot]
	q.free = append(q.free, slot)
	return Event{
		At:     Time(top.hi >> atShift),
		Kind:   Kind(top.hi >> kindShift & 7),
		Order:  int32(top.hi & (maxOrder - 1)),
		Seq:    top.lo >> slotBits,
		Target: p.target,
		Arg:    p.arg,
		Op:     p.op,
	}
}

// The heap lives in ev[root:]: three unused entries come first so that the
// four children of every node start at an index divisible by four, that is
// on a 64-byte boundary when the array is (large arrays are page-aligned).
// At array index a, the children are 4a-8 .. 4a-5 and the parent is
// (a-4)>>2 + root.
const root = 3

func parent(a int) int { return (a-4)>>2 + root }

func firstChild(a int) int { return 4*a - 8 }

func (q *Queue) up(a int) {
	ev := q.ev
	x := ev[a]
	for a > root {
		p := parent(a)
		if !x.less(&ev[p]) {
			break
		}
		ev[a] = ev[p]
		a = p
	}
	ev[a] = x
}

// down restores the heap below array index a for the element there. It is
// the bottom-up variant (Wegener): walk to a leaf along the smallest
// children without comparing against the element, then climb back to its
// place. A new event usually belongs near the bottom, so this saves a
// comparison and a hard-to-predict branch per level.
func (q *Queue) down(a int) {
	ev := q.ev
	n := len(ev)
	x := ev[a]
	start := a
	for {
		c := firstChild(a)
		if c+3 < n {
			// The smallest of four children without branches: the
			// comparisons are coin flips a branch predictor cannot learn.
			ch := ev[c : c+4 : c+4]
			m1 := lessBit(&ch[1], &ch[0])
			m2 := 2 + lessBit(&ch[3], &ch[2])
			m := m1 ^ ((m1 ^ m2) & -lessBit(&ch[m2&3], &ch[m1&3]))
			ev[a] = ch[m&3]
			a = c + m&3
			continue
		}
		if c < n {
			m := c
			for j := c + 1; j < n; j++ {
				if ev[j].less(&ev[m]) {
					m = j
				}
			}
			ev[a] = ev[m]
			a = m
		}
		break
	}
	// Climb back up from the leaf to x's place.
	for a > start {
		p := parent(a)
		if !x.less(&ev[p]) {
			break
		}
		ev[a] = ev[p]
		a = p
	}
	ev[a] = x
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
