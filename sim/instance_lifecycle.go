package sim

import (
	"fmt"
	"math"
	"slices"
)

var (
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

// setGroupDesired sets the Auto Scaling group's desired capacity, within
// [min_size, max_size], and launches toward it.
func (w *world) setGroupDesired(p *provider, d int) {
	p.desiredCap = min(max(d, p.cp.MinSize), p.cp.MaxSize)
	w.fillGroup(p)
}

// fillGroup launches instances while the group has fewer live instances
// than its desired capacity, as EC2 Auto Scaling does (it also replaces
// instances that fail or are interrupted). Each launch is of the group's
// preferred instance type (the first by its allocation strategy:
// lowest_price the cheapest, prioritized the first listed;
// ECS-SEMANTICS.md §7) whose Spot pool has capacity, in the AZ where the
// group has the fewest instances, skipping AZs in an outage. A Spot
// capacity shortage of the group, or of every pool it lists, makes
// launches fail until it ends (SCENARIO.md "Spot").
//
// Model assumption: a group with several instance types launches only its
// preferred type while that pool has capacity; ties between AZs go to the
// first listed AZ; a launch that fails during a shortage is retried when
// the shortage ends (no instance is replaced by a preferred type then).
func (w *world) fillGroup(p *provider) {
	if p.shortage > 0 || p.live >= p.desiredCap {
		return
	}
	ti := p.launchType()
	if ti < 0 {
		return
	}
	counts := w.azCounts(p)
	for p.live < p.desiredCap {
		best := -1
		for az, c := range counts {
			if w.azDown[az] == 0 && (best < 0 || c < counts[best]) {
				best = az
			}
		}
		if best < 0 {
			return // every AZ is down
		}
		w.launch(p, ti, best)
		counts[best]++
	}
}

// azCounts counts p's live (launching or registered, not draining)
// instances per AZ.
func (w *world) azCounts(p *provider) []int {
	counts := make([]int, len(w.azs))
	for _, ii := range p.instances {
		if in := w.instances[ii]; !in.draining {
			counts[in.az]++
		}
	}
	return counts
}

// emptyInstances counts p's live instances running no task (launching
// ones included): every draining instance holds a task (it terminates as
// its last one stops), so the busy live ones are busy − draining.
func (p *provider) emptyInstances() int {
	e := p.live - (p.busy - p.nDraining)
	if e < 0 || e > p.live {
		panic(fmt.Sprintf("sim: %s: %d empty instances of %d live", p.name, e, p.live))
	}
	return e
}

// scaleInGroup removes k instances from the group. With emptyOnly only
// instances running no task are candidates (managed scaling, ECS-SEMANTICS.md
// §4). Victims follow the EC2 Auto Scaling default termination policy: the
// AZ with the most instances first, then at random within it (every
// instance shares one launch template, and per-second billing makes
// "closest to the next billing hour" moot). A victim still holding tasks
// drains first when the group has managed draining, else its tasks stop at
// once. It returns how many instances it removed (fewer than k when
// candidates run out).
//
// Model assumption: random choice within the AZ uses the stream
// capacity_provider/NAME/termination; the threshold scaler's victims are
// chosen without regard to tasks, as EC2 Auto Scaling knows nothing of
// them.
func (w *world) scaleInGroup(p *provider, k int, emptyOnly bool) int {
	counts := w.azCounts(p)
	cands := make([][]int32, len(w.azs))
	for _, ii := range p.instances {
		if !w.instances[ii].draining && (!emptyOnly || w.instanceEmpty(ii)) {
			az := w.instances[ii].az
			cands[az] = append(cands[az], ii)
		}
	}
	removed := 0
	for ; removed < k; removed++ {
		best := -1
		for az := range counts {
			if len(cands[az]) > 0 && (best < 0 || counts[az] > counts[best]) {
				best = az
			}
		}
		if best < 0 {
			break
		}
		c := cands[best]
		j := p.rngTerm.IntN(len(c))
		ii := c[j]
		c[j] = c[len(c)-1]
		cands[best] = c[:len(c)-1]
		counts[best]--
		if w.instanceEmpty(ii) || !p.managedDraining() {
			w.terminate(ii)
		} else {
			w.drain(ii)
		}
	}
	return removed
}

// managedDraining reports the group's managed_draining setting (default
// true).
func (p *provider) managedDraining() bool {
	return p.cp.ManagedDraining == nil || *p.cp.ManagedDraining
}

// instanceEmpty reports whether an instance runs no task (launching
// instances run none).
func (w *world) instanceEmpty(ii int32) bool {
	in := w.instances[ii]
	return !in.registered || w.cluster.Tasks(in.id) == 0
}

// tasksOn lists the placed tasks (PENDING to STOPPING) on instance ii, in
// slot order.
func (w *world) tasksOn(ii int32) []int32 {
	if w.instanceEmpty(ii) {
		return nil
	}
	var out []int32
	for i := range w.tasks {
		t := &w.tasks[i]
		if t.inst == ii && (t.state == tsPending || t.state == tsRunning || t.state == tsStopping) {
			out = append(out, int32(i))
		}
	}
	return out
}

// drain puts an instance in DRAINING (ECS managed draining,
// ECS-SEMANTICS.md §4: "tasks replaced elsewhere, then stopped"): it takes
// no new task and leaves N at once; its services start replacements
// elsewhere and stop the drained tasks as minimum_healthy_percent allows
// (service.releaseDrained); job (RunTask) tasks run to completion, as ECS
// draining leaves standalone tasks alone. The instance terminates when its
// last task has stopped.
//
// Model assumption: draining replacements may exceed maximum_percent (ECS
// counts them against it; ecssim applies that limit to deployments only).
func (w *world) drain(ii int32) {
	in := w.instances[ii]
	p := w.providers[in.prov]
	in.draining = true
	p.setLive(w.now, -1)
	p.setDraining(w.now, 1)
	w.cluster.SetPlaceable(in.id, false)
	var touched []int
	for _, ti := range w.tasksOn(ii) {
		t := &w.tasks[ti]
		if t.isJob || t.state == tsStopping || t.draining {
			continue
		}
		s := w.services[t.owner]
		s.markLeaving(t)
		if !slices.Contains(touched, s.idx) {
			touched = append(touched, s.idx)
		}
	}
	for _, si := range touched {
		w.services[si].reconcile(w)
	}
	if w.instanceEmpty(ii) {
		w.terminate(ii)
	}
}

// terminate ends an instance: tasks still on it stop at once (service
// tasks are replaced, job tasks are killed and retried by their rules), it
// leaves the cluster and its meter stops.
func (w *world) terminate(ii int32) {
	in := w.instances[ii]
	if in.terminated {
		return
	}
	p := w.providers[in.prov]
	if in.registered {
		w.cluster.SetPlaceable(in.id, false) // nothing lands on it while its tasks go
		w.stopAtOnce(w.tasksOn(ii))
		cpu, mem := w.cluster.Registered(in.id)
		w.cluster.Remove(in.id)
		p.setRegistered(w.now, -int64(cpu), -int64(mem))
	}
	if in.draining {
		p.setDraining(w.now, -1)
	} else {
		p.setLive(w.now, -1)
	}
	in.terminated = true
	in.endAt = w.now
	w.terminateBilling(in)
	if i := slices.Index(p.instances, ii); i >= 0 {
		p.instances = slices.Delete(p.instances, i, i+1)
	}
	if w.now >= w.warmup {
		p.terms++
	}
}

// stopAtOnce ends placed tasks whose instance or zone is gone, without
// draining: a task already STOPPING stops, a job task is killed (retried or
// dropped by its rules), a service task stops (counted) and its service
// then reconciles, which starts the replacements (placed by a later pass,
// so never on what is going).
func (w *world) stopAtOnce(tasks []int32) {
	var touched []int
	for _, ti := range tasks {
		t := &w.tasks[ti]
		switch {
		case t.isJob && t.state != tsStopping:
			w.jobs[t.owner].kill(w, ti)
		case t.isJob || t.state == tsStopping:
			w.finishStop(ti)
		default:
			s := w.services[t.owner]
			if w.now >= w.warmup {
				s.counts.Stopped++
			}
			w.finishStop(ti)
			if !slices.Contains(touched, s.idx) {
				touched = append(touched, s.idx)
			}
		}
	}
	for _, si := range touched {
		w.services[si].reconcile(w)
	}
}

// afterRelease finishes a draining instance once its last task is gone.
func (w *world) afterRelease(ii int32) {
	in := w.instances[ii]
	if in.draining && !in.terminated && w.cluster.Tasks(in.id) == 0 {
		w.push(Event{At: w.now, Kind: KindTask, Op: opInstanceDrained, Target: ii, Order: int32(len(w.services) + len(w.jobs))})
	}
}
