package sim

import (
	"fmt"
	"math"

	"github.com/ecssim/ecssim/scenarios"
)

// deployment is one entry of a service's deployments (ECS-SEMANTICS.md §6,
// SCENARIO.md "Health and the circuit breaker"): a change of the
// service's task definition, rolled out by its [services.deployment].
type deployment struct {
	seq      uint32 // index in service.deps: timers carry it
	rev      int16  // the revision deployed
	strategy string // ROLLING | BLUE_GREEN | LINEAR | CANARY
	start    Time
	end      Time
	state    string // IN_PROGRESS, COMPLETED, FAILED, ROLLED_BACK, INACTIVE
	failed   int64  // new tasks that failed until the deployment ended

	minHealthy int // fewest healthy RUNNING tasks at any instant
	maxTasks   int // most PENDING + RUNNING tasks at any instant

	baseRate float64 // the service's cost rate at the start, USD/hour
	extra    float64 // cost above baseRate while it ran, USD

	// traffic shifting (BLUE_GREEN, LINEAR, CANARY)
	phase int // 0: green starting; 1: shifting; 2: baking at 100 %
	stuck bool
}

// Deployment phases of the traffic-shifting strategies.
const (
	phaseGreen = iota // the green set starts; blue serves everything
	phaseShift        // traffic moves to green on the strategy's schedule
	phaseBake         // green serves everything; blue is kept for bake_time
)

func (d *deployment) shifting() bool { return d.strategy != "ROLLING" }

// breakerThreshold is the circuit breaker's failure threshold for desired
// count n: min(max(ceil(0.5 × n), 3), 200) (ECS-SEMANTICS.md §6,
// deployment-circuit-breaker).
func breakerThreshold(n int) int64 {
	return int64(min(max((n+1)/2, 3), 200))
}

// deploy starts a deployment of td (a deploy event, or a rollback). A
// deployment still in progress is superseded: its entry ends INACTIVE.
//
// Model assumption: INACTIVE (ECS's status for a superseded deployment)
// is added to the states of SCENARIO.md; the new deployment treats every
// task of another revision as old.
func (s *service) deploy(w *world, td *scenarios.TaskDefinition) {
	rev, err := s.revision(w, td)
	if err != nil {
		panic(err.Error()) // the scenario was validated: every distribution parses
	}
	if d := s.dep; d != nil {
		s.endDeployment(w, "INACTIVE")
	}
	d := &deployment{
		seq: uint32(len(s.deps)), rev: rev, strategy: s.sc.Deployment.Strategy,
		start: w.now, state: "IN_PROGRESS",
		minHealthy: s.load.healthy, maxTasks: s.placed, baseRate: s.rate,
	}
	if d.strategy == "" {
		d.strategy = "ROLLING"
	}
	s.advanceRate(w)
	s.deps = append(s.deps, d)
	s.dep = d
	s.cur = rev
	s.halted = -1
	if d.shifting() {
		// Blue keeps all the traffic until green is healthy.
		s.load.advance(w)
		s.load.shifting, s.load.share = true, 0
	}
	s.reconcile(w)
}

// endDeployment closes the deployment in progress with state.
func (s *service) endDeployment(w *world, state string) {
	d := s.dep
	s.advanceRate(w)
	d.state, d.end = state, w.now
	s.dep = nil
	if d.shifting() {
		s.load.advance(w)
		s.load.shifting, s.load.share = false, 0
		for _, ti := range s.active {
			if t := &w.tasks[ti]; t.green {
				s.setGreen(w, t, false)
			}
		}
	}
}

// setGreen moves a task into or out of the green traffic set.
func (s *service) setGreen(w *world, t *task, green bool) {
	if t.green == green {
		return
	}
	if t.healthy && t.state == tsRunning {
		s.load.taskHealthy(t, s.rev(t), -1)
		t.green = green
		s.load.taskHealthy(t, s.rev(t), 1)
		return
	}
	t.green = green
}

// observe records the deployment's extremes: the fewest healthy RUNNING
// and the most PENDING + RUNNING tasks at any instant.
func (s *service) observe() {
	if d := s.dep; d != nil {
		d.minHealthy = min(d.minHealthy, s.load.healthy)
		d.maxTasks = max(d.maxTasks, s.placed)
	}
}

// advanceRate integrates the cost above the deployment's starting rate.
//
// Model assumption: a task's cost rate is its Fargate price per hour, or
// its instance's price × its CPU / the instance's registered CPU, so
// extra_cost_usd counts the tasks a deployment adds, not the idle share
// of the instances it makes the group launch.
func (s *service) advanceRate(w *world) {
	if d := s.dep; d != nil && w.now > s.rateLast {
		d.extra += math.Max(0, s.rate-d.baseRate) * float64(w.now-s.rateLast) / float64(Hour)
	}
	s.rateLast = w.now
}

// rateChange adds sign × the task's cost rate to the service's.
func (s *service) rateChange(w *world, t *task, sign float64) {
	s.advanceRate(w)
	s.rate += sign * t.costRate
	s.billed += int(sign)
	if s.billed == 0 {
		s.rate = 0 // no float residue
	}
}

// taskFailed counts a new task of the deployment that failed its health
// check or crashed before becoming healthy; at the threshold the circuit
// breaker trips (if enabled): FAILED, or ROLLED_BACK with a new deployment
// of the last COMPLETED revision. It reports whether the breaker tripped.
func (s *service) taskFailed(w *world, rev int16, green bool) bool {
	d := s.dep
	if d == nil || rev != d.rev || (d.shifting() && !green) {
		return false
	}
	d.failed++
	cb := s.sc.Deployment.CircuitBreaker
	if !cb.Enable || d.failed < breakerThreshold(s.desired) {
		return false
	}
	var greenSet []int32
	if d.shifting() {
		for _, ti := range s.active {
			if w.tasks[ti].green {
				greenSet = append(greenSet, ti)
			}
		}
	}
	if !cb.Rollback {
		// A deployment that FAILED stops launching new tasks
		// (DeploymentCircuitBreaker API reference): the service keeps
		// what runs and starts no task of the failed revision until the
		// next deployment.
		s.endDeployment(w, "FAILED")
		if d.shifting() {
			// Model assumption: a failed blue/green deployment without
			// rollback leaves the service on blue: green stops.
			s.stopTasks(w, greenSet)
			s.cur = s.stable
		} else {
			s.halted = d.rev
		}
		return true
	}
	s.endDeployment(w, "ROLLED_BACK")
	if d.shifting() {
		// Blue still runs the restored revision and takes the traffic
		// back at once ("revert to the blue deployment", ECS blue/green
		// deployments): the rollback entry completes now.
		s.stopTasks(w, greenSet)
		s.cur = s.stable
		s.deps = append(s.deps, &deployment{
			seq: uint32(len(s.deps)), rev: s.stable, strategy: d.strategy,
			start: w.now, end: w.now, state: "COMPLETED",
			minHealthy: s.load.healthy, maxTasks: s.placed, baseRate: s.rate,
		})
		s.reconcile(w)
		return true
	}
	s.deploy(w, s.revs[s.stable].td)
	return true
}

// stopTasks stops the given active tasks.
func (s *service) stopTasks(w *world, tasks []int32) {
	for _, ti := range tasks {
		if w.tasks[ti].listPos >= 0 {
			s.stopTask(w, ti)
		}
	}
}

// stopTask stops one active task: cancelled while PROVISIONING, else
// STOPPING for its stop_timeout.
func (s *service) stopTask(w *world, ti int32) {
	t := &w.tasks[ti]
	if t.state == tsProvisioning {
		s.leave(w, ti)
		t.state = tsStopped
		w.freeSlot(ti)
		return
	}
	if w.now >= w.warmup {
		s.counts.Stopped++
	}
	w.beginStop(ti, s.rev(t).stopTimeout)
}

// rollStep advances a ROLLING deployment (ECS-SEMANTICS.md §6): old tasks
// stop while the healthy tasks left stay at or above
// ceil(desired × minimum_healthy_percent / 100) (tasks not healthy stop
// freely), then new tasks start while the tasks (PROVISIONING, PENDING or
// RUNNING) stay at or below floor(desired × maximum_percent / 100). The
// deployment completes when no old task is left and desired new tasks are
// healthy. When neither bound lets it move and nothing is in flight, it
// is stuck (a warning says so) until something changes.
//
// Model assumption: PROVISIONING tasks count toward maximum_percent with
// PENDING and RUNNING ones (a task waiting for capacity is one the
// scheduler has started); tasks owed after an OOM back-off count as new
// tasks in flight.
func (s *service) rollStep(w *world) {
	d := s.dep
	dp := s.sc.Deployment
	n := s.desired
	minH := (n**dp.MinimumHealthyPercent + 99) / 100
	maxT := n * *dp.MaximumPercent / 100
	var old []int32
	total, fresh, freshHealthy, healthy, inFlight := 0, 0, 0, 0, 0
	for _, ti := range s.active {
		t := &w.tasks[ti]
		if t.draining {
			continue
		}
		total++
		if t.healthy {
			healthy++
		}
		if t.rev == d.rev {
			fresh++
			if t.healthy {
				freshHealthy++
			} else {
				inFlight++
			}
			continue
		}
		old = append(old, ti)
	}
	moved := false
	// Old tasks not healthy go first, then healthy ones as the minimum
	// allows.
	for pass := 0; pass < 2; pass++ {
		for _, ti := range old {
			t := &w.tasks[ti]
			if t.state == tsStopped || t.listPos < 0 || t.healthy != (pass == 1) {
				continue
			}
			if t.healthy {
				if healthy-1 < minH {
					break
				}
				healthy--
			}
			s.stopTask(w, ti)
			total--
			moved = true
		}
	}
	left := 0
	for _, ti := range old {
		if w.tasks[ti].listPos >= 0 {
			left++
		}
	}
	for fresh+s.backoff < n && total < maxT {
		s.startTask(w)
		fresh++
		total++
		moved = true
	}
	if left == 0 && fresh+s.backoff > n && fresh > 0 {
		s.scaleIn(w, min(fresh+s.backoff-n, fresh))
	}
	if left == 0 && freshHealthy >= n {
		s.complete(w)
		return
	}
	if !moved && inFlight == 0 && s.backoff == 0 && left > 0 && !d.stuck {
		d.stuck = true
		w.warnings = append(w.warnings, fmt.Sprintf(
			"service %s: the deployment of %s at %s is stuck: unable to stop or start tasks because of the service deployment configuration (desired %d, minimum healthy %d, maximum %d)",
			s.name, s.revs[d.rev].td.Ref(), scenarios.FormatDuration(durationOf(w.now)), n, minH, maxT))
	}
}

// complete ends the deployment in progress as COMPLETED; its revision
// becomes the one a rollback returns to.
func (s *service) complete(w *world) {
	d := s.dep
	s.stable = d.rev
	s.endDeployment(w, "COMPLETED")
}

// shiftStep advances a BLUE_GREEN, LINEAR or CANARY deployment
// (ECS-SEMANTICS.md §6): a full green set of desired tasks starts beside
// blue; once it is healthy, traffic moves to it on the strategy's
// schedule; blue is kept for bake_time after 100 %, then stops.
//
// Model assumption: green tasks that stop are replaced; blue tasks that
// stop during the deployment are not (blue is on its way out).
func (s *service) shiftStep(w *world) {
	d := s.dep
	green, greenHealthy := 0, 0
	for _, ti := range s.active {
		if t := &w.tasks[ti]; t.green && !t.draining {
			green++
			if t.healthy {
				greenHealthy++
			}
		}
	}
	for green+s.backoff < s.desired {
		s.startTask(w)
		green++
	}
	if d.phase == phaseGreen && greenHealthy >= s.desired {
		d.phase = phaseShift
		s.load.advance(w)
		s.load.shifting = true
		dp := s.sc.Deployment
		switch d.strategy {
		case "BLUE_GREEN":
			s.shiftTo(w, 1)
		case "LINEAR":
			s.shiftTo(w, float64(dp.Linear.StepPercent)/100)
		case "CANARY":
			s.shiftTo(w, dp.Canary.Percent/100)
		}
	}
}

// shiftTo sets the green traffic share and schedules the next step: the
// next LINEAR step after step_bake_time, the rest of a CANARY after its
// bake_time, and at 100 % the end of bake_time.
func (s *service) shiftTo(w *world, share float64) {
	d := s.dep
	dp := s.sc.Deployment
	s.load.advance(w)
	share = math.Min(share, 1)
	s.load.share = share
	var wait Time
	switch {
	case share >= 1:
		d.phase = phaseBake
		wait = Time(dp.BakeTime.Millis())
	case d.strategy == "LINEAR":
		wait = Time(dp.Linear.StepBakeTime.Millis())
	case d.strategy == "CANARY":
		wait = Time(dp.Canary.BakeTime.Millis())
	}
	w.push(Event{At: w.now + wait, Kind: KindArrival, Op: opDeployStep, Target: int32(s.idx), Arg: d.seq, Order: int32(s.idx)})
}

// deployTimer runs a shifting deployment's scheduled step.
func (s *service) deployTimer(w *world, seq uint32) {
	d := s.dep
	if d == nil || d.seq != seq {
		return // that deployment has ended
	}
	if d.phase == phaseBake {
		// Bake time over: blue stops, green is the service.
		var blue []int32
		for _, ti := range s.active {
			if !w.tasks[ti].green {
				blue = append(blue, ti)
			}
		}
		for _, ti := range blue {
			s.stopTask(w, ti)
		}
		s.complete(w)
		s.reconcile(w)
		return
	}
	next := 1.0
	if d.strategy == "LINEAR" {
		next = s.load.share + float64(s.sc.Deployment.Linear.StepPercent)/100
		if next > 1-1e-9 {
			next = 1
		}
	}
	s.shiftTo(w, next)
}

// deployEvent runs a deploy [[events]] entry.
func (w *world) deployEvent(e *scenarios.Event) {
	td := w.sc.TaskDefinitionByRef(e.TaskDefinition)
	if td == nil {
		panic("sim: deploy of an unknown task definition " + e.TaskDefinition + " (scenario not validated?)")
	}
	for _, s := range w.services {
		if s.name == e.Service {
			s.deploy(w, td)
		}
	}
}

// deploymentResults lists the service's deployments for results.json; one
// still in progress at the horizon is IN_PROGRESS with no finish time.
func (s *service) deploymentResults(w *world) []DeploymentResult {
	out := []DeploymentResult{}
	s.advanceRate(w)
	for _, d := range s.deps {
		r := DeploymentResult{
			TaskDefinition:    s.revs[d.rev].td.Ref(),
			StartedAtSeconds:  float64(d.start) / float64(Second),
			State:             d.state,
			FailedTasks:       d.failed,
			MinHealthyRunning: d.minHealthy,
			MaxTasks:          d.maxTasks,
			ExtraCostUSD:      d.extra,
		}
		if d.state != "IN_PROGRESS" {
			f := float64(d.end) / float64(Second)
			r.FinishedAtSeconds = &f
		}
		out = append(out, r)
	}
	return out
}
