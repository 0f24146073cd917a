package sim

import (
	"fmt"
	"math"

	"github.com/ecssim/ecssim/pricing"
)

// spotWarning is the notice a Spot interruption gives before the task or
// instance stops (ECS-SEMANTICS.md §7: "a two-minute warning, then the task
// (or instance) stops").
const spotWarning = 2 * Minute

// buildSpot sets the interruption hazards: per task-hour on FARGATE_SPOT
// (fargate_spot.interruptions_per_task_hour), per instance-hour on Spot
// groups from per_instance_hour, a Spot Advisor bucket (its midpoint p
// gives −ln(1 − p)/730), or the Spot Advisor data per instance type
// (from_advisor).
func (w *world) buildSpot() error {
	for _, p := range w.providers {
		switch {
		case p.idx == w.fargSpot:
			p.hazard = []float64{w.sc.FargateSpot.InterruptionsPerTaskHour}
			p.rngSpot = w.stream("capacity_provider/" + p.name + "/interruptions")
		case !p.fargate && p.spot:
			p.rngSpot = w.stream("capacity_provider/" + p.name + "/interruptions")
			p.hazard = make([]float64, len(p.types))
			in := p.cp.Interruptions
			if in == nil {
				continue
			}
			for i, it := range p.types {
				switch {
				case in.PerInstanceHour != nil:
					p.hazard[i] = *in.PerInstanceHour
				case in.Frequency != "":
					b, err := pricing.ParseFrequency(in.Frequency)
					if err != nil {
						return fmt.Errorf("sim: capacity provider %s: %v", p.name, err)
					}
					p.hazard[i] = pricing.BucketHazardPerHour(b)
				case in.FromAdvisor:
					_, b, ok := w.cat.SpotAdvice(w.sc.Region, it.Name)
					if !ok {
						return fmt.Errorf("sim: capacity provider %s: no Spot Advisor entry for %s in %s", p.name, it.Name, w.sc.Region)
					}
					p.hazard[i] = pricing.BucketHazardPerHour(b)
				}
			}
		}
	}
	return nil
}

// spotInstanceLaunched schedules a Spot instance's interruption: a Poisson
// process at the hazard of its type, so the first event comes after an
// exponential time.
func (w *world) spotInstanceLaunched(p *provider, ti int, ii int32) {
	if !p.spot || p.fargate || p.hazard[ti] <= 0 {
		return
	}
	at := w.now + expDraw(p.hazard[ti], p.rngSpot.ExpFloat64())
	w.push(Event{At: at, Kind: KindFault, Op: opInstanceSpotWarn, Target: ii, Order: int32(p.idx)})
}

// spotTaskPlaced schedules the interruption of a task placed on
// FARGATE_SPOT, at the per-task-hour rate.
func (w *world) spotTaskPlaced(ti int32) {
	t := &w.tasks[ti]
	if int(t.prov) != w.fargSpot {
		return
	}
	p := w.providers[w.fargSpot]
	if p.hazard[0] <= 0 {
		return
	}
	at := w.now + expDraw(p.hazard[0], p.rngSpot.ExpFloat64())
	w.push(Event{At: at, Kind: KindFault, Op: opTaskSpotWarn, Target: ti, Arg: t.gen, Order: int32(p.idx)})
}

// warnTask gives a Fargate Spot task its two-minute warning: it keeps
// running (and serving) until it stops at the end of the warning; a
// service task counts as interrupted at once and the service starts its
// replacement on FARGATE_SPOT (no fallback to FARGATE, ECS-SEMANTICS.md
// §7); a job task is retried or dropped when it stops.
//
// Model assumption: the service starts the replacement at the warning (the
// scheduler "receives the interruption signal"), and a task is exposed to
// interruption from PENDING on; an instance from its launch.
func (w *world) warnTask(ti int32) {
	t := &w.tasks[ti]
	if t.spotWarned || (t.state != tsPending && t.state != tsRunning) {
		return
	}
	p := w.providers[t.prov]
	if w.now >= w.warmup {
		p.interruptions++
	}
	t.spotWarned = true
	if !t.isJob {
		s := w.services[t.owner]
		if w.now >= w.warmup {
			s.counts.Interrupted++
		}
		s.markLeaving(t)
		s.reconcile(w)
	}
	w.scheduleTask(w.now+spotWarning, opTaskSpotStop, ti)
}

// spotStopTask ends a warned Fargate Spot task.
func (w *world) spotStopTask(ti int32) {
	t := &w.tasks[ti]
	if t.state != tsPending && t.state != tsRunning {
		return
	}
	if t.isJob {
		w.jobs[t.owner].kill(w, ti)
		return
	}
	s := w.services[t.owner]
	if w.now >= w.warmup {
		s.counts.Stopped++
	}
	w.finishStop(ti)
	s.reconcile(w)
}

// warnInstance gives a Spot instance its two-minute warning. With
// spot_draining (ECS_ENABLE_SPOT_INSTANCE_DRAINING) the instance drains at
// once: its service tasks are replaced elsewhere first; without it, its
// tasks run until the instance stops. Either way the Auto Scaling group
// launches a replacement for it (at once when it drains, since it leaves
// the group's count, else when it stops).
func (w *world) warnInstance(ii int32) {
	in := w.instances[ii]
	if in.terminated || in.spotWarned {
		return
	}
	in.spotWarned = true
	p := w.providers[in.prov]
	if w.now >= w.warmup {
		p.interruptions++
		for _, ti := range w.tasksOn(ii) {
			if t := &w.tasks[ti]; !t.isJob && t.state != tsStopping {
				w.services[t.owner].counts.Interrupted++
			}
		}
	}
	if p.cp.SpotDraining && in.registered && !in.draining {
		w.drain(ii)
		w.fillGroup(p)
	}
	if !in.terminated {
		w.push(Event{At: w.now + spotWarning, Kind: KindFault, Op: opInstanceSpotStop, Target: ii, Order: int32(p.idx)})
	}
}

// spotStopInstance ends a warned Spot instance; the group replaces it.
func (w *world) spotStopInstance(ii int32) {
	in := w.instances[ii]
	if in.terminated {
		return
	}
	w.terminate(ii)
	w.fillGroup(w.providers[in.prov])
}

// spotStorm is a spot_interruptions event: round(fraction × n) of the
// provider's Fargate Spot tasks (PENDING or RUNNING) or of its Spot
// instances get their warning at once, chosen at random.
//
// Model assumption: the count rounds half away from zero; victims come
// from the stream capacity_provider/NAME/interruptions.
func (w *world) spotStorm(p *provider, fraction float64) {
	var victims []int32
	if p.fargate {
		for i := range w.tasks {
			t := &w.tasks[i]
			if int(t.prov) == p.idx && !t.spotWarned && (t.state == tsPending || t.state == tsRunning) {
				victims = append(victims, int32(i))
			}
		}
	} else {
		for _, ii := range p.instances {
			if in := w.instances[ii]; !in.spotWarned && !in.draining {
				victims = append(victims, ii)
			}
		}
	}
	k := int(math.Round(fraction * float64(len(victims))))
	for i := 0; i < k; i++ { // partial Fisher-Yates
		j := i + p.rngSpot.IntN(len(victims)-i)
		victims[i], victims[j] = victims[j], victims[i]
	}
	for _, v := range victims[:k] {
		if p.fargate {
			w.warnTask(v)
		} else {
			w.warnInstance(v)
		}
	}
}

// shortageStart opens a capacity shortage window on provider p: new
// Fargate Spot tasks wait in PROVISIONING (jobs fail at once), a Spot
// group's launches fail. With types, only those Spot pools of the group
// are short: the group launches its first other type by its allocation
// strategy (EC2 Auto Scaling's mixed instances groups launch from the
// pools that have capacity). Windows add up.
func (w *world) shortageStart(p *provider, types []int) {
	if len(types) == 0 {
		p.shortage++
		return
	}
	if p.typeShort == nil {
		p.typeShort = make([]int, len(p.types))
	}
	for _, ti := range types {
		p.typeShort[ti]++
	}
}

// shortageEnd closes one window; when none is left the waiting tasks are
// retried and the group launches what it lacks.
func (w *world) shortageEnd(p *provider, types []int) {
	if len(types) > 0 {
		for _, ti := range types {
			p.typeShort[ti]--
		}
	} else {
		p.shortage--
	}
	if p.shortage > 0 {
		return
	}
	if p.fargate {
		w.capacityChanged()
	} else {
		w.fillGroup(p)
	}
}

// launchType is the index of the type a group launches now: the first of
// its types, in allocation-strategy order, whose Spot pool has no
// shortage; -1 when every pool is short.
func (p *provider) launchType() int {
	for ti := range p.types {
		if p.typeShort == nil || p.typeShort[ti] == 0 {
			return ti
		}
	}
	return -1
}
