package sim

import (
	"math"
	"slices"
)

var (
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

// launchN launches k instances of the group's preferred instance type (the
// first by its allocation strategy: lowest_price the cheapest, prioritized
// the first listed; ECS-SEMANTICS.md §7), each in the AZ where the group
// has the fewest instances, as EC2 Auto Scaling balances AZs.
//
// Model assumption: a group with several instance types launches only its
// preferred type while that type has capacity (no Spot shortage is
// modelled yet), ties between AZs go to the first listed AZ.
func (w *world) launchN(p *provider, k int) {
	for ; k > 0; k-- {
		w.launch(p, 0, w.leastLoadedAZ(p))
	}
}

// leastLoadedAZ is the AZ with the fewest live (launching or registered,
// not draining) instances of p, ties to the first AZ.
func (w *world) leastLoadedAZ(p *provider) int {
	counts := make([]int, len(w.azs))
	for _, ii := range p.instances {
		if in := w.instances[ii]; !in.draining {
			counts[in.az]++
		}
	}
	best := 0
	for az, c := range counts {
		if c < counts[best] {
			best = az
		}
	}
	return best
}

// scaleInGroup removes k instances from the group. With emptyOnly (managed
// termination protection: instances running tasks are protected) only
// instances without tasks are candidates. Victims follow the EC2 Auto
// Scaling default termination policy: the AZ with the most instances
// first, then at random within it (every instance shares one launch
// template, and per-second billing makes "closest to the next billing
// hour" moot). A victim still holding tasks drains first when the group
// has managed draining, else its tasks stop at once. It returns how many
// instances it removed (fewer than k when candidates run out).
//
// Model assumption: random choice within the AZ uses the stream
// capacity_provider/NAME/termination.
func (w *world) scaleInGroup(p *provider, k int, emptyOnly bool) int {
	removed := 0
	for ; k > 0; k-- {
		ii, ok := w.pickVictim(p, emptyOnly)
		if !ok {
			break
		}
		removed++
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

// pickVictim chooses the next instance to leave the group.
func (w *world) pickVictim(p *provider, emptyOnly bool) (int32, bool) {
	counts := make([]int, len(w.azs))
	cands := make([][]int32, len(w.azs))
	for _, ii := range p.instances {
		in := w.instances[ii]
		if in.draining {
			continue
		}
		counts[in.az]++
		if !emptyOnly || w.instanceEmpty(ii) {
			cands[in.az] = append(cands[in.az], ii)
		}
	}
	best := -1
	for az := range counts {
		if len(cands[az]) > 0 && (best < 0 || counts[az] > counts[best]) {
			best = az
		}
	}
	if best < 0 {
		return 0, false
	}
	c := cands[best]
	return c[p.rngTerm.IntN(len(c))], true
}

// tasksOn lists the placed tasks (PENDING to STOPPING) on instance ii, in
// slot order.
func (w *world) tasksOn(ii int32) []int32 {
	var out []int32
	for i := range w.tasks {
		t := &w.tasks[i]
		if t.inst == ii && (t.state == tsPending || t.state == tsRunning || t.state == tsStopping) {
			out = append(out, int32(i))
		}
	}
	return out
}

// drain puts an instance in DRAINING (ECS managed draining): it takes no
// new task and leaves N at once; its service tasks stop and their services
// start replacements elsewhere; job (RunTask) tasks run to completion, as
// ECS draining leaves standalone tasks alone. The instance terminates when
// its last task has stopped.
//
// Model assumption: replacements start when the old tasks begin to stop,
// not after they become healthy (ECS honours minimumHealthyPercent while
// draining; deployments, which model that, come with the next issue).
func (w *world) drain(ii int32) {
	in := w.instances[ii]
	p := w.providers[in.prov]
	in.draining = true
	p.setLive(w.now, -1)
	w.cluster.SetPlaceable(in.id, false)
	var touched []int
	for _, ti := range w.tasksOn(ii) {
		t := &w.tasks[ti]
		if t.isJob || t.state == tsStopping {
			continue
		}
		s := w.services[t.owner]
		if w.now >= w.warmup {
			s.counts.Stopped++
		}
		w.beginStop(ti, s.stopTimeout)
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
		var touched []int
		for _, ti := range w.tasksOn(ii) {
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
		cpu, mem := w.cluster.Registered(in.id)
		w.cluster.Remove(in.id)
		p.setRegistered(w.now, -int64(cpu), -int64(mem))
		for _, si := range touched {
			w.services[si].reconcile(w)
		}
	}
	if !in.draining {
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

// afterRelease finishes a draining instance once its last task is gone.
func (w *world) afterRelease(ii int32) {
	in := w.instances[ii]
	if in.draining && !in.terminated && w.cluster.Tasks(in.id) == 0 {
		w.push(Event{At: w.now, Kind: KindTask, Op: opInstanceDrained, Target: ii, Order: int32(len(w.services) + len(w.jobs))})
	}
}
