package sim

import (
	"fmt"
	"time"

	"github.com/ecssim/ecssim/autoscaling"
)

// groupScaling is how an Auto Scaling group capacity provider changes
// size: capacity provider managed scaling (ECS-SEMANTICS.md §4), or the
// classic threshold scaler (step scaling on the group's ECS metrics).
// A group with neither stays at desired_capacity.
type groupScaling struct {
	managed    *autoscaling.Managed
	cprWin     *autoscaling.Window
	instWarmup Time // instance_warmup_period
	warmUntil  Time // no managed scale-out before this: an instance is warming up

	step  *autoscaling.Scaler
	win   autoscaling.Windows
	feeds []metricFeed

	// 1-minute integrals (unit·ms) of the group's ECS metrics, for the
	// threshold scaler.
	res, reg, memRes, memReg integ
	jobCPU, jobMem           integ   // CPU units and MiB used by job tasks
	usedCPU, usedMem         float64 // CPU units·ms and MiB·ms used by service tasks
}

// integ integrates a piecewise-constant value over time.
type integ struct {
	v, acc float64
	last   Time
}

// set changes the value at now.
func (g *integ) set(now Time, v float64) {
	g.acc += g.v * float64(now-g.last)
	g.last, g.v = now, v
}

// take returns the integral since the last take and restarts it.
func (g *integ) take(now Time) float64 {
	g.set(now, g.v)
	a := g.acc
	g.acc = 0
	return a
}

// buildGroupScaling sets up each group's scaling.
func (w *world) buildGroupScaling() error {
	for _, p := range w.providers {
		if p.fargate {
			continue
		}
		cp := p.cp
		p.rngTerm = w.stream("capacity_provider/" + cp.Name + "/termination")
		p.rngFail = w.stream("capacity_provider/" + cp.Name + "/failure")
		if ms := cp.ManagedScaling; ms != nil && ms.Status != "DISABLED" {
			p.scaling = &groupScaling{
				managed: &autoscaling.Managed{
					TargetCapacity: ms.TargetCapacity, MinStep: ms.MinimumScalingStepSize, MaxStep: ms.MaximumScalingStepSize,
					MinSize: cp.MinSize, MaxSize: cp.MaxSize,
				},
				cprWin:     autoscaling.NewWindow(autoscaling.ManagedWindowSize),
				instWarmup: Time(ms.InstanceWarmupPeriod.Millis()),
			}
			continue
		}
		if len(cp.StepScaling) == 0 {
			continue
		}
		steps, err := stepPolicies(cp.StepScaling)
		if err != nil {
			return fmt.Errorf("sim: capacity provider %s: step_scaling: %v", cp.Name, err)
		}
		gs := &groupScaling{step: &autoscaling.Scaler{Min: cp.MinSize, Max: cp.MaxSize, Steps: steps}}
		reqs := make([]feedReq, len(steps))
		for k, st := range steps {
			reqs[k] = feedReq{st.Alarm.Metric, st.Statistic, st.Alarm.EvaluationPeriods}
		}
		gs.feeds, gs.win.Steps = newFeeds(reqs)
		for _, f := range gs.feeds {
			if f.metric == mCPUUtilization || f.metric == mMemoryUtilization {
				if w.usage == nil {
					w.usage = make([]bool, len(w.providers))
				}
				w.usage[p.idx] = true
			}
		}
		p.scaling = gs
	}
	return nil
}

// scalingTick runs every simulated minute (SCENARIO.md "Time and order":
// after datapoint close): groups first, so CapacityProviderReservation
// sees the tasks the last minute left waiting, then services.
//
// Model assumption: tasks a service wants in the same millisecond get a
// placement pass before CapacityProviderReservation counts them, so only
// tasks that found no room count as PROVISIONING; a scale-out decided by a
// service at this tick reaches managed scaling at the next one.
func (w *world) scalingTick() {
	if w.placementPending {
		w.placementPass() // tasks wanted this millisecond get their chance first
	}
	if w.usage != nil {
		// Group utilization integrates the services' use: bring every
		// service up to now (with metrics_period above a minute, nothing
		// else would this minute).
		for _, s := range w.services {
			s.load.advance(w)
		}
	}
	for _, p := range w.providers {
		if p.scaling == nil {
			continue
		}
		if p.scaling.managed != nil {
			w.managedTick(p)
		} else {
			w.stepGroupTick(p)
		}
	}
	for _, s := range w.services {
		s.scaleTick(w)
	}
}

// hasScaling reports whether anything needs the 1-minute scaling tick.
func (w *world) hasScaling() bool {
	for _, p := range w.providers {
		if p.scaling != nil {
			return true
		}
	}
	for _, s := range w.services {
		if s.scaling != nil && len(s.scaling.feeds) > 0 {
			return true
		}
	}
	return false
}

// managedTick is one minute of capacity provider managed scaling
// (SCENARIO.md "Managed scaling"): CapacityProviderReservation = M/N × 100;
// scale out when it is above target (1 datapoint), unless an instance is
// still within instance_warmup_period; scale in when 15 datapoints are
// strictly below target, removing instances down toward
// ceil(M × 100 / target), at most max(1, floor(N/2)) a minute.
func (w *world) managedTick(p *provider) {
	g := p.scaling
	needed := w.instancesNeeded(p)
	m, n := p.busy+needed, p.live
	cpr := autoscaling.CapacityProviderReservation(m, n)
	g.cprWin.Push(cpr)
	hi := g.managed.HighAlarm()
	if e := hi.Evaluate(g.cprWin); e.State == autoscaling.InAlarm {
		if w.now < g.warmUntil {
			return
		}
		if k := g.managed.ScaleOut(n, m, needed); k > 0 {
			w.activity(w.now, "capacity_provider/"+p.name, n, n+k, hi.Reason("alarm_high", e))
			w.setGroupDesired(p, n+k)
			g.warmUntil = w.now + g.instWarmup
		}
		return
	}
	lo := g.managed.LowAlarm()
	e := lo.Evaluate(g.cprWin)
	if e.State != autoscaling.InAlarm {
		return
	}
	// Only instances running no task leave (ECS-SEMANTICS.md §4, with or
	// without managed termination protection: managed scaling sizes the
	// group so that M instances stay; protection guards the busy ones
	// against any other remover).
	if k := g.managed.ScaleIn(n, m, p.emptyInstances()); k > 0 {
		if k = w.scaleInGroup(p, k, true); k > 0 {
			w.activity(w.now, "capacity_provider/"+p.name, n, n-k, lo.Reason("alarm_low", e))
			p.desiredCap = p.live
		}
	}
}

// stepGroupTick is one minute of the classic threshold scaler: the group's
// 1-minute ECS metrics feed its step policies, and the decision launches
// or removes instances (victims by the default termination policy; no
// termination protection without managed scaling).
func (w *world) stepGroupTick(p *provider) {
	g := p.scaling
	res, reg := g.res.take(w.now), g.reg.take(w.now)
	mres, mreg := g.memRes.take(w.now), g.memReg.take(w.now)
	used := g.usedCPU + g.jobCPU.take(w.now)
	usedMem := g.usedMem + g.jobMem.take(w.now)
	g.usedCPU, g.usedMem = 0, 0
	// Model assumption: the group's metrics are the cluster metrics
	// restricted to its own instances (ACTIVE and DRAINING), one sample a
	// minute, so every statistic of a datapoint is its average.
	one := func(num, den float64) autoscaling.Datapoint {
		if !(den > 0) {
			return autoscaling.Missing
		}
		v := 100 * num / den
		return autoscaling.Datapoint{Average: v, Maximum: v, Minimum: v, Sum: v, SampleCount: 1}
	}
	for i := range g.feeds {
		f := &g.feeds[i]
		var d autoscaling.Datapoint
		switch f.metric {
		case mCPUReservation:
			d = one(res, reg)
		case mMemoryReservation:
			d = one(mres, mreg)
		case mCPUUtilization:
			d = one(used, reg)
		case mMemoryUtilization:
			d = one(usedMem, mreg)
		default:
			panic("sim: group metric " + f.metric)
		}
		f.win.Push(d.Value(f.stat))
	}
	// The scalable target is the group's desired capacity.
	n := p.desiredCap
	dec, ok := g.step.Evaluate(time.Duration(w.now)*time.Millisecond, n, g.win, false)
	if !ok {
		return
	}
	w.activity(w.now, "capacity_provider/"+p.name, n, dec.To, dec.Reason)
	if dec.To > n {
		w.setGroupDesired(p, dec.To)
		return
	}
	p.desiredCap = dec.To
	if k := p.live - dec.To; k > 0 {
		w.scaleInGroup(p, k, false)
	}
}

// addUsage integrates the CPU and memory the service's tasks use on each
// group that the threshold scaler watches by utilization. dt in ms,
// served in vCPUs.
func (l *loadModel) addUsage(w *world, dt, served float64) {
	servedRPS := 0.0
	if l.demand > 0 {
		servedRPS = l.rps * served / l.demand
	}
	for p, n := range l.runByProv {
		if n == 0 || !w.usage[p] {
			continue
		}
		g := w.providers[p].scaling
		h := float64(l.healthyByProv[p])
		if l.healthy > 0 {
			g.usedCPU += h * served / float64(l.healthy) * 1024 * dt
			g.usedMem += h * l.memPerRPS * servedRPS / float64(l.healthy) * dt
		}
		g.usedMem += float64(n) * l.memBase * dt
	}
}
