package sim

import (
	"math/rand/v2"

	"github.com/ecssim/ecssim/scheduler"
)

// waitQueue is one capacity provider's first-come-first-served queue of
// PROVISIONING tasks, shared by services and jobs (SCENARIO.md "Queueing
// and waiting"). Entries carry the task generation, so a task cancelled
// while queued is dropped lazily, and a global sequence number, so the
// placement pass can serve all queues in arrival order.
type waitQueue struct {
	items []queued
	// pass state
	cur, kept, end int
}

type queued struct {
	task int32
	gen  uint32
	seq  uint64
}

func (q *waitQueue) len() int { return len(q.items) }

// enqueue puts a new PROVISIONING task at the tail of its provider's queue
// and asks for a placement pass.
func (w *world) enqueue(ti int32) {
	t := &w.tasks[ti]
	t.state = tsProvisioning
	q := w.ec2Queue
	if t.prov >= 0 {
		q = w.providers[t.prov].waiting
	}
	q.items = append(q.items, queued{ti, t.gen, w.enqSeq})
	w.enqSeq++
	w.schedulePlacement()
}

// Reasons a Fargate task waits (besides the placement filters').
const (
	reasonCapacityUnavailable scheduler.Reason = "capacity_unavailable" // a Fargate Spot shortage
	reasonAZUnavailable       scheduler.Reason = "az_unavailable"       // every AZ in an outage
)

// failKey identifies tasks that place alike: within one pass capacity only
// shrinks, so a task whose key already failed fails again.
type failKey struct {
	isJob  bool
	owner  int32
	prov   int32
	cpu    int32
	memory int32
}

// placementPass retries every waiting task in the order the tasks started
// waiting, across all queues (the provider queues and the queue of
// launch_type = "EC2" services, which compete for the same instances). A
// task that does not fit does not block smaller ones behind it.
func (w *world) placementPass() {
	w.placementPending = false
	if w.failCache == nil {
		w.failCache = make(map[failKey]scheduler.Reason)
	}
	failed := w.failCache
	clear(failed)
	qs := w.passQueues[:0]
	for _, p := range w.providers {
		if len(p.waiting.items) > 0 {
			qs = append(qs, p.waiting)
		}
	}
	if len(w.ec2Queue.items) > 0 {
		qs = append(qs, w.ec2Queue)
	}
	w.passQueues = qs
	for _, q := range qs {
		q.cur, q.kept, q.end = 0, 0, len(q.items)
	}
	for {
		// The queue whose next task has waited longest.
		var q *waitQueue
		for _, c := range qs {
			if c.cur < c.end && (q == nil || c.items[c.cur].seq < q.items[q.cur].seq) {
				q = c
			}
		}
		if q == nil {
			break
		}
		e := q.items[q.cur]
		q.cur++
		t := &w.tasks[e.task]
		if t.gen != e.gen || t.state != tsProvisioning {
			continue // cancelled while waiting
		}
		k := failKey{t.isJob, t.owner, t.prov, t.demand.CPU, t.demand.Memory}
		r, known := failed[k]
		if !known {
			if r = w.tryPlace(e.task); r == "" {
				continue
			}
			failed[k] = r
		}
		w.noteWaiting(e.task, r)
		q.items[q.kept] = e
		q.kept++
	}
	for _, q := range qs {
		// Keep what still waits, and anything queued during the pass.
		n := copy(q.items[q.kept:], q.items[q.end:])
		for i := q.kept + n; i < len(q.items); i++ {
			q.items[i] = queued{}
		}
		q.items = q.items[:q.kept+n]
	}
}

// tryPlace places one PROVISIONING task if capacity allows; it returns ""
// when it did, else the reason it could not.
func (w *world) tryPlace(ti int32) scheduler.Reason {
	t := &w.tasks[ti]
	if t.prov >= 0 && w.providers[t.prov].fargate {
		p := w.providers[t.prov]
		if p.shortage > 0 {
			return reasonCapacityUnavailable
		}
		az := fargateAZ(w.ownerAZCounts(t, p.idx), w.azDown)
		if az < 0 {
			return reasonAZUnavailable
		}
		w.startPending(ti, -1, az)
		w.spotTaskPlaced(ti)
		return ""
	}
	placer, rng := w.ownerPlacer(t)
	id, reason := placer.Place(t.demand, w.cluster, rng)
	if id == scheduler.NoInstance {
		return reason
	}
	ii := w.byID[id]
	in := w.instances[ii]
	if t.prov < 0 {
		// launch_type EC2: the task belongs to the instance's provider.
		t.prov = int32(in.prov)
	}
	w.startPending(ti, ii, in.az)
	return ""
}

// noteWaiting records a service task's placement failure: once when it
// first fails and again whenever its reason changes (the service event
// "unable to place a task ..." names the closest reason).
//
// Model assumption: placement_failures counts over the whole run, warmup
// included, since a task that cannot be placed at start may wait past the
// warmup without being retried.
func (w *world) noteWaiting(ti int32, r scheduler.Reason) {
	t := &w.tasks[ti]
	if t.isJob || t.failReason == r {
		return
	}
	t.failReason = r
	w.services[t.owner].placementFailures[string(r)]++
}

// azTally counts an owner's Fargate tasks (PENDING to STOPPED) per
// provider index and AZ, for spreading new ones over AZs.
type azTally map[int][]int

// of returns the per-AZ counts on provider p, made on first use.
func (m azTally) of(p, nAZ int) []int {
	c := m[p]
	if c == nil {
		c = make([]int, nAZ)
		m[p] = c
	}
	return c
}

// ownerAZCounts returns the task's owner's tasks per AZ on Fargate
// provider p.
func (w *world) ownerAZCounts(t *task, p int) []int {
	if t.isJob {
		return w.jobs[t.owner].fargateAZ.of(p, len(w.azs))
	}
	return w.services[t.owner].fargateAZ.of(p, len(w.azs))
}

// ownerPlacer returns the placer and random stream of the task's owner.
func (w *world) ownerPlacer(t *task) (*scheduler.Placer, *rand.Rand) {
	if t.isJob {
		j := w.jobs[t.owner]
		return j.placer, j.rngPlace
	}
	s := w.services[t.owner]
	return s.placer, s.rngPlace
}
