package sim

import (
	"github.com/ecssim/ecssim/pricing"
)

// costAcc meters one EC2 instance (SCENARIO.md "Billing and cost"). It
// splits each instance-millisecond's cost among the tasks holding the
// instance by reserved CPU (Model assumption: the whole cost, not just the
// reserved fraction, goes to the holders while any task holds the
// instance; only instance time with no task is idle): perCPU integrates rate / reservedCPU while any
// task holds the instance, so a task's share over [a, b) is its CPU times
// perCPU(b) - perCPU(a). Time with no task is idle.
type costAcc struct {
	last        Time
	perCPU      float64 // USD per CPU unit
	reservedCPU int64
	assigned    float64 // USD handed to tasks so far
}

// advance integrates up to now at rate USD/hour.
func (c *costAcc) advance(now Time, rate float64) {
	dt := now - c.last
	if dt <= 0 {
		return
	}
	c.last = now
	if c.reservedCPU > 0 {
		c.perCPU += rate * float64(dt) / float64(Hour) / float64(c.reservedCPU)
	}
}

// meter accumulates the bill of a run.
type meter struct {
	byProvider []float64 // USD by provider index
	byService  []float64
	byJob      []float64
	idle       float64
	// window is the cost accrued in [warmup, horizon), for the monthly
	// projection.
	window float64
	w      *world
}

func (m *meter) init(w *world) {
	m.w = w
	m.byProvider = make([]float64, len(w.providers))
	m.byService = make([]float64, len(w.services))
	m.byJob = make([]float64, len(w.jobs))
}

func (m *meter) addProvider(p int, usd float64) { m.byProvider[p] += usd }

// addOwner books usd to a task's service or job.
func (m *meter) addOwner(t *task, usd float64) {
	if t.isJob {
		m.byJob[t.owner] += usd
	} else {
		m.byService[t.owner] += usd
	}
}

// addWindow books the in-window share of usd billed for [from, to).
//
// Model assumption: a billed item's cost (minimum charge included) accrues
// evenly over its life, so the part inside [warmup, horizon) is the
// overlapping fraction of its life.
func (m *meter) addWindow(usd float64, from, to Time) {
	if to <= from {
		if from >= m.w.warmup {
			m.window += usd
		}
		return
	}
	lo, hi := max(from, m.w.warmup), min(to, m.w.horizon)
	if hi > lo {
		m.window += usd * float64(hi-lo) / float64(to-from)
	}
}

// fargateCost is the bill of a Fargate task that ran (PENDING to STOPPED)
// for ms milliseconds: per second, one-minute minimum, storage above 20 GiB
// (ECS-SEMANTICS.md §1, §9).
func fargateCost(p *provider, t *task, ms Time) float64 {
	r := p.rateX86
	if t.arm {
		r = p.rateARM
	}
	return pricing.FargateTaskCost(r, int(t.demand.CPU), int(t.demand.Memory), t.storage, int64(ms))
}

// terminateBilling closes an instance's meter at now: the instance's bill
// (per second, 60 s minimum, from launch) goes to its provider and the part
// no task held goes to idle.
func (w *world) terminateBilling(in *instance) {
	w.providers[in.prov].addCostRate(w.now, -in.rate)
	in.cost.advance(w.now, in.rate)
	bill := pricing.EC2Cost(in.rate, int64(w.now-in.launchedAt))
	w.meter.addProvider(in.prov, bill)
	w.meter.idle += bill - in.cost.assigned
	w.meter.addWindow(bill, in.launchedAt, w.now)
}
