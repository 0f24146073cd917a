package sim

import (
	"fmt"
	"slices"

	"github.com/ecssim/ecssim/scenarios"
)

// Run simulates sc from its start to its horizon and returns the result.
// The scenario must come from scenarios.Load (defaulted and validated).
// Errors are runtime problems (an unreadable trace file, say), never
// scenario validation errors.
func Run(sc *scenarios.Scenario, opt Options) (*Result, error) {
	w, err := newWorld(sc, opt)
	if err != nil {
		return nil, err
	}
	w.meter.init(w)
	w.start()
	if err := w.loop(); err != nil {
		return nil, err
	}
	w.finish()
	return w.result(), nil
}

// start schedules what happens at t = 0: instance launches, the services'
// first tasks, job arrivals, scenario events and the first datapoint.
func (w *world) start() {
	for _, s := range w.services {
		if s.sc.Deployment.Alarms != nil {
			w.warnings = append(w.warnings, fmt.Sprintf("services.%s.deployment.alarms is not modelled yet: its deployments roll back only by the circuit breaker", s.name))
		}
	}
	w.launchInitial()
	for _, s := range w.services {
		s.load.evaluate(0)
		s.reconcile(w)
	}
	for _, j := range w.jobs {
		w.scheduleJobArrival(j, true)
	}
	for i, e := range w.sc.Events {
		at := Time(e.At.Millis())
		if at >= w.horizon {
			continue
		}
		w.push(Event{At: at, Kind: KindArrival, Op: opScenarioEvent, Target: int32(i), Order: int32(len(w.services) + len(w.jobs) + i)})
	}
	for _, win := range w.sc.FargateSpot.CapacityShortages {
		w.openWindow(window{prov: w.fargSpot, az: -1}, Time(win.At.Millis()), Time(win.Duration.Millis()))
		if at := Time(win.At.Millis()); at < w.horizon {
			w.marks = append(w.marks, EventMark{AtSeconds: float64(at) / float64(Second), Type: "capacity_shortage", Target: scenarios.ProviderFargateSpot, DurationSeconds: win.Duration.D().Seconds()})
		}
	}
	if w.period <= w.horizon {
		w.push(Event{At: w.period, Kind: KindDatapoint, Op: opDatapoint})
	}
	for _, s := range w.services {
		s.startScheduled(w)
	}
	if w.hasScaling() && Minute <= w.horizon {
		w.push(Event{At: Minute, Kind: KindScaling, Op: opScalingTick})
	}
}

// progressEvery is how many events pass between Progress calls; a call
// also comes every progressPeriods metrics periods, since a run with few
// events spends its time closing datapoints.
const (
	progressEvery   = 1 << 16
	progressPeriods = 64
)

// loop runs events in order until the horizon.
func (w *world) loop() error {
	w.started = true
	for w.q.Len() > 0 {
		if w.q.PeekTime() > w.horizon {
			break
		}
		e := w.q.Pop()
		w.now = e.At
		w.events++
		w.dispatch(e)
		if w.opt.CheckInvariants {
			if err := w.checkInvariants(); err != nil {
				panic(fmt.Sprintf("sim: invariant broken at %s after op %d: %v", scenarios.FormatDuration(durationOf(w.now)), e.Op, err))
			}
		}
		if w.opt.Progress != nil && (w.events%progressEvery == 0 || e.Op == opDatapoint && (w.now/w.period)%progressPeriods == 0) {
			w.opt.Progress(w.now, w.horizon)
		}
	}
	w.now = w.horizon
	if w.opt.Progress != nil {
		w.opt.Progress(w.horizon, w.horizon)
	}
	return nil
}

// dispatch runs one event.
func (w *world) dispatch(e Event) {
	switch e.Op {
	case opTaskRunning, opTaskHealthy, opTaskStopped, opTaskCrash, opJobDone, opTaskSpotWarn, opTaskSpotStop:
		t := &w.tasks[e.Target]
		if t.gen != e.Arg {
			return // the slot was reused: a stale event
		}
		if t.isJob && (e.Op == opTaskHealthy || e.Op == opTaskCrash) || !t.isJob && e.Op == opJobDone {
			panic("sim: task event of the wrong owner kind")
		}
		switch e.Op {
		case opTaskRunning:
			if t.state == tsPending {
				w.onRunning(e.Target)
			}
		case opTaskHealthy:
			if t.state == tsRunning {
				w.services[t.owner].onHealthy(w, e.Target)
			}
		case opTaskStopped:
			if t.state == tsStopping {
				w.finishStop(e.Target)
			}
		case opTaskCrash:
			if t.state == tsRunning {
				w.services[t.owner].onCrash(w, e.Target)
			}
		case opJobDone:
			if t.state == tsRunning {
				w.jobs[t.owner].onDone(w, e.Target)
			}
		case opTaskSpotWarn:
			w.warnTask(e.Target)
		case opTaskSpotStop:
			w.spotStopTask(e.Target)
		}
	case opInstanceReady:
		w.register(e.Target)
	case opBackoffDone:
		s := w.services[e.Target]
		// The earliest back-off end goes to a replacement still owed.
		if s.backoff > 0 {
			s.backoff--
		} else {
			s.backoffCancelled--
		}
		s.reconcile(w)
	case opJobArrival:
		w.jobs[e.Target].arrive(w)
	case opScenarioEvent:
		w.scenarioEvent(int(e.Target))
	case opPlacementPass:
		w.placementPass()
	case opScalingTick:
		w.scalingTick()
		if next := w.now + Minute; next <= w.horizon {
			w.push(Event{At: next, Kind: KindScaling, Op: opScalingTick})
		}
	case opScheduledAction:
		w.services[e.Target].runScheduled(w, int(e.Arg))
	case opInstanceSpotWarn:
		w.warnInstance(e.Target)
	case opInstanceSpotStop:
		w.spotStopInstance(e.Target)
	case opDeployStep:
		w.services[e.Target].deployTimer(w, e.Arg)
	case opWindowStart:
		w.windowStart(int(e.Target))
	case opWindowEnd:
		w.windowEnd(int(e.Target))
	case opInstanceDrained:
		if in := w.instances[e.Target]; !in.terminated && w.cluster.Tasks(in.id) == 0 {
			w.terminate(e.Target)
		}
	case opDatapoint:
		w.closeDatapoint()
		if next := w.now + w.period; next <= w.horizon {
			w.push(Event{At: next, Kind: KindDatapoint, Op: opDatapoint})
		}
	default:
		panic(fmt.Sprintf("sim: unknown op %d", e.Op))
	}
}

// scenarioEvent runs one [[events]] entry.
func (w *world) scenarioEvent(i int) {
	e := &w.sc.Events[i]
	target := e.Service
	switch {
	case e.Zone != "":
		target = e.Zone
	case e.CapacityProvider != "":
		target = e.CapacityProvider
	}
	w.marks = append(w.marks, EventMark{AtSeconds: float64(w.now) / float64(Second), Type: e.Type, Target: target, DurationSeconds: e.Duration.D().Seconds()})
	switch e.Type {
	case "scale":
		for _, s := range w.services {
			if s.name == e.Service && e.DesiredCount != nil {
				s.setDesired(w, *e.DesiredCount, fmt.Sprintf("scale_event desired_count %d", *e.DesiredCount))
			}
		}
	case "deploy":
		w.deployEvent(e)
	case "az_outage":
		w.openWindow(window{prov: -1, az: slices.Index(w.azs, e.Zone)}, w.now, Time(e.Duration.Millis()))
	case "spot_capacity_shortage":
		win := window{prov: w.providerIndex(e.CapacityProvider), az: -1}
		if p := w.providers[win.prov]; len(e.InstanceTypes) > 0 && !p.fargate {
			for ti, t := range p.types {
				if slices.Contains(e.InstanceTypes, t.Name) {
					win.types = append(win.types, ti)
				}
			}
			if len(win.types) == 0 {
				return // pools the group does not use (a recommender's variant)
			}
		}
		w.openWindow(win, w.now, Time(e.Duration.Millis()))
	case "spot_interruptions":
		w.spotStorm(w.providers[w.providerIndex(e.CapacityProvider)], e.Fraction)
	case "instance_failure":
		w.instanceFailure(w.providers[w.providerIndex(e.CapacityProvider)], e.Count)
	}
}

// window is a span in which a provider has a capacity shortage (prov ≥ 0)
// or an AZ is down (az ≥ 0). A shortage with types is on those Spot pools
// of the group only (indices into its types).
type window struct {
	prov, az int
	types    []int
}

// openWindow schedules a window over [at, at+d): it opens at at (now
// when at is now) and closes at its end unless that is past the horizon.
func (w *world) openWindow(win window, at, d Time) {
	if win.az < 0 && win.prov < 0 {
		panic("sim: a window needs a provider or an AZ")
	}
	i := int32(len(w.windows))
	w.windows = append(w.windows, win)
	if at == w.now && w.started {
		w.windowStart(int(i))
	} else {
		w.push(Event{At: at, Kind: KindFault, Op: opWindowStart, Target: i, Order: int32(len(w.providers)) + i})
	}
	// Faults run before arrivals at the same millisecond (SCENARIO.md
	// "Time and order"), so the window is [at, at+d) for RunTask calls.
	w.push(Event{At: at + d, Kind: KindFault, Op: opWindowEnd, Target: i, Order: int32(len(w.providers)) + i})
}

func (w *world) windowStart(i int) {
	win := w.windows[i]
	if win.az >= 0 {
		w.azOutageStart(win.az)
		return
	}
	w.shortageStart(w.providers[win.prov], win.types)
}

func (w *world) windowEnd(i int) {
	win := w.windows[i]
	if win.az >= 0 {
		w.azOutageEnd(win.az)
		return
	}
	w.shortageEnd(w.providers[win.prov], win.types)
}

// activity records a scaling action.
func (w *world) activity(at Time, resource string, from, to int, reason string) {
	w.activities = append(w.activities, Activity{AtSeconds: float64(at) / float64(Second), Resource: resource, From: from, To: to, Reason: reason})
}

// finish stops every meter at the horizon, with minimums applied
// (SCENARIO.md "Billing and cost": at the horizon every meter stops).
func (w *world) finish() {
	w.now = w.horizon
	for _, s := range w.services {
		s.load.advance(w)
	}
	for i := range w.tasks {
		t := &w.tasks[i]
		switch t.state {
		case tsPending, tsRunning, tsStopping:
			w.release(int32(i))
		}
	}
	for _, in := range w.instances {
		if !in.terminated {
			w.terminateBilling(in)
		}
	}
	for _, p := range w.providers {
		if p.fargate {
			p.advanceFargate(w.now)
		}
	}
}
