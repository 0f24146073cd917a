package sim

import (
	"math"

	"github.com/ecssim/ecssim/scheduler"
)

// Event ops.
const (
	opTaskRunning      uint8 = iota + 1 // PENDING -> RUNNING
	opTaskHealthy                       // RUNNING -> healthy, or failed health check
	opTaskStopped                       // STOPPING -> STOPPED
	opTaskCrash                         // a running service task exits on its own
	opJobDone                           // a job task's work ends: RUNNING -> STOPPED
	opInstanceReady                     // a launched instance registers
	opBackoffDone                       // an OOM back-off ends: the service may replace the task
	opJobArrival                        // a job's next submission
	opScenarioEvent                     // one [[events]] entry
	opPlacementPass                     // retry provisioning queues
	opDatapoint                         // close a metrics period
	opScalingTick                       // close 1-minute datapoints, evaluate alarms, scale
	opScheduledAction                   // a service's scheduled scaling action
	opInstanceDrained                   // a draining instance's last task is gone: terminate it
	opTaskSpotWarn                      // a Fargate Spot task's two-minute warning
	opTaskSpotStop                      // a warned Fargate Spot task stops
	opInstanceSpotWarn                  // a Spot instance's two-minute warning
	opInstanceSpotStop                  // a warned Spot instance stops
	opWindowEnd                         // a shortage or outage window closes (Target: window index)
	opWindowStart                       // a shortage or outage window opens (Target: window index)
	opDeployStep                        // a shifting deployment's next step (Target: service, Arg: deployment)
)

// startPending moves a PROVISIONING task to PENDING on instance ii (-1 for
// Fargate, with the AZ chosen). It reserves resources and starts billing.
func (w *world) startPending(ti int32, ii int32, az int) {
	t := &w.tasks[ti]
	t.state = tsPending
	t.pendAt = w.now
	t.inst = ii
	t.az = int16(az)
	p := w.providers[t.prov]
	if ii >= 0 {
		in := w.instances[ii]
		t.costRate = in.rate * float64(t.demand.CPU) / float64(in.typ.RegisteredCPU())
		w.cluster.Reserve(in.id, t.demand)
		if w.cluster.Tasks(in.id) == 1 {
			p.busy++
		}
		in.cost.advance(w.now, in.rate)
		t.costMark = in.cost.perCPU
		in.cost.reservedCPU += int64(t.demand.CPU)
		p.setReserved(w.now, int64(t.demand.CPU), int64(t.demand.Memory))
	} else {
		t.costRate = fargateCost(p, t, Hour)
		p.fargateStart(w.now, t)
	}
	var startup Time
	if t.isJob {
		j := w.jobs[t.owner]
		startup = Time(j.startup.Sample(j.rngStartup).Milliseconds())
		j.onPending(w, t)
	} else {
		s := w.services[t.owner]
		startup = Time(s.rev(t).startup.Sample(s.rngStartup).Milliseconds())
		s.onPending(w, t)
	}
	w.scheduleTask(w.now+startup, opTaskRunning, ti)
}

// onRunning handles PENDING -> RUNNING.
func (w *world) onRunning(ti int32) {
	t := &w.tasks[ti]
	t.state = tsRunning
	t.runAt = w.now
	if t.isJob {
		w.jobUsage(t, 1)
		w.jobs[t.owner].onRunning(w, ti)
		return
	}
	w.services[t.owner].onRunning(w, ti)
}

// beginStop moves a PENDING or RUNNING task to STOPPING; it leaves its
// owner's active set at once and stops after stopTimeout.
func (w *world) beginStop(ti int32, stopTimeout Time) {
	t := &w.tasks[ti]
	if t.isJob {
		panic("sim: beginStop on a job task")
	}
	s := w.services[t.owner]
	s.leave(w, ti)
	t.state = tsStopping
	w.scheduleTask(w.now+stopTimeout, opTaskStopped, ti)
}

// finishStop moves a task to STOPPED: it releases its reservation, ends its
// billing and frees the slot. Capacity changed, so waiting tasks are
// retried.
func (w *world) finishStop(ti int32) {
	t := &w.tasks[ti]
	if t.state == tsRunning || t.state == tsPending {
		// A task that exits without draining (crash, OOM kill, job end).
		if !t.isJob {
			w.services[t.owner].leave(w, ti)
		}
	}
	w.release(ti)
	t.state = tsStopped
	w.freeSlot(ti)
	w.capacityChanged()
}

// release ends a placed task's reservation and billing.
func (w *world) release(ti int32) {
	t := &w.tasks[ti]
	p := w.providers[t.prov]
	if t.isJob && t.state == tsRunning {
		w.jobUsage(t, -1)
	}
	if t.inst >= 0 {
		in := w.instances[t.inst]
		w.cluster.Release(in.id, t.demand)
		if w.cluster.Tasks(in.id) == 0 {
			p.busy--
			if in.draining {
				w.afterRelease(t.inst)
			}
		}
		in.cost.advance(w.now, in.rate)
		share := float64(t.demand.CPU) * (in.cost.perCPU - t.costMark)
		in.cost.assigned += share
		in.cost.reservedCPU -= int64(t.demand.CPU)
		w.meter.addOwner(t, share)
		p.setReserved(w.now, -int64(t.demand.CPU), -int64(t.demand.Memory))
	} else {
		p.fargateStop(w.now, t)
	}
	if !t.isJob {
		w.services[t.owner].rateChange(w, t, -1)
	}
	if t.inst < 0 {
		cost := fargateCost(p, t, w.now-t.pendAt)
		w.meter.addProvider(p.idx, cost)
		w.meter.addOwner(t, cost)
		w.meter.addWindow(cost, t.pendAt, w.now)
	}
}

// capacityChanged schedules a placement pass when tasks wait.
func (w *world) capacityChanged() {
	if w.placementPending {
		return
	}
	for _, p := range w.providers {
		if p.waiting.len() > 0 {
			w.schedulePlacement()
			return
		}
	}
	if w.ec2Queue.len() > 0 {
		w.schedulePlacement()
	}
}

func (w *world) schedulePlacement() {
	if w.placementPending {
		return
	}
	w.placementPending = true
	w.push(Event{At: w.now, Kind: KindPlacement, Op: opPlacementPass})
}

// fargateAZ picks the AZ for a Fargate task: the AZ with the fewest tasks
// of its owner on that provider, ties by AZ order (ECS-SEMANTICS.md §2.6:
// Fargate spreads tasks over AZs).
//
// down[az] > 0 marks an AZ in an outage, which gets nothing; -1 when every
// AZ is down.
func fargateAZ(counts, down []int) int {
	best := -1
	for i, c := range counts {
		if down[i] == 0 && (best < 0 || c < counts[best]) {
			best = i
		}
	}
	return best
}

// reasonToRunTask maps a placement reason to the RunTask failure code
// (ECS API reference, RunTask failures: RESOURCE:CPU, RESOURCE:MEMORY, ...).
func reasonToRunTask(r scheduler.Reason) string {
	switch r {
	case "insufficient_cpu":
		return "RESOURCE:CPU"
	case "insufficient_memory":
		return "RESOURCE:MEMORY"
	case "no_free_port":
		return "RESOURCE:PORTS"
	case "no_free_eni":
		return "RESOURCE:ENI"
	case "no_container_instances":
		return "MISSING"
	}
	return string(r)
}

// expDraw turns u, a draw of Exp(1), into a waiting time in ms for a rate
// per hour, capped far beyond any horizon so the conversion cannot
// overflow (w.push drops such events).
func expDraw(ratePerHour float64, u float64) Time {
	const far = float64(1 << 50)
	if ratePerHour <= 0 {
		return Time(far)
	}
	return Time(math.Min(u/ratePerHour*float64(Hour), far))
}
