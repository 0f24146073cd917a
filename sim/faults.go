package sim

// azOutageStart takes an AZ down (an az_outage event): its instances stop
// with their tasks, its Fargate tasks stop, and nothing is placed or
// launched there until it ends. Services replace their tasks elsewhere and
// groups their instances (ECS-SEMANTICS.md §2; SCENARIO.md [[events]]).
func (w *world) azOutageStart(az int) {
	w.azDown[az]++
	for _, p := range w.providers {
		if p.fargate {
			continue
		}
		var gone []int32
		for _, ii := range p.instances {
			if w.instances[ii].az == az {
				gone = append(gone, ii)
			}
		}
		for _, ii := range gone {
			w.terminate(ii)
		}
	}
	var gone []int32
	for i := range w.tasks {
		t := &w.tasks[i]
		if t.inst < 0 && int(t.az) == az && t.prov >= 0 && w.providers[t.prov].fargate &&
			(t.state == tsPending || t.state == tsRunning || t.state == tsStopping) {
			gone = append(gone, int32(i))
		}
	}
	w.stopAtOnce(gone)
	for _, p := range w.providers {
		if !p.fargate {
			w.fillGroup(p)
		}
	}
}

// azOutageEnd brings an AZ back: groups launch what they lack, waiting
// tasks are retried, and services with availability_zone_rebalancing
// ENABLED move tasks back to balance their AZs (ECS AZ rebalancing: a new
// task starts in the emptiest AZ before one in the fullest stops).
//
// Model assumption: rebalancing moves Fargate tasks only (an EC2 service's
// tasks can only move once its group has instances in the zone again,
// and EC2 Auto Scaling's own AZ rebalancing is not modelled); it moves
// tasks until the AZs differ by at most one.
func (w *world) azOutageEnd(az int) {
	w.azDown[az]--
	if w.azDown[az] > 0 {
		return
	}
	for _, p := range w.providers {
		if !p.fargate {
			w.fillGroup(p)
		}
	}
	w.capacityChanged()
	for _, s := range w.services {
		if s.sc.AvailabilityZoneRebalancing == "DISABLED" {
			continue
		}
		s.rebalanceAZs(w)
	}
}

// rebalanceAZs marks Fargate tasks in the fullest AZ as leaving, one at a
// time, while the AZs (those up) differ by more than one task; each
// leaving task's replacement goes to the emptiest AZ (Fargate placement
// spreads over AZs) and the old task stops once the replacement is
// healthy.
func (s *service) rebalanceAZs(w *world) {
	counts := make([]int, len(w.azs))
	byAZ := make([][]int32, len(w.azs))
	for _, ti := range s.active {
		t := &w.tasks[ti]
		if t.inst < 0 && t.az >= 0 && !t.draining && (t.state == tsPending || t.state == tsRunning) {
			counts[t.az]++
			byAZ[t.az] = append(byAZ[t.az], ti)
		}
	}
	moved := false
	for {
		hi, lo := -1, -1
		for az, c := range counts {
			if w.azDown[az] > 0 {
				continue
			}
			if hi < 0 || c > counts[hi] {
				hi = az
			}
			if lo < 0 || c < counts[lo] {
				lo = az
			}
		}
		if hi < 0 || counts[hi]-counts[lo] <= 1 || len(byAZ[hi]) == 0 {
			break
		}
		ti := byAZ[hi][len(byAZ[hi])-1]
		byAZ[hi] = byAZ[hi][:len(byAZ[hi])-1]
		s.markLeaving(&w.tasks[ti])
		counts[hi]--
		counts[lo]++
		moved = true
	}
	if moved {
		s.reconcile(w)
	}
}

// instanceFailure is an instance_failure event: count instances of the
// group, chosen at random, fail at once (their tasks stop without
// draining) and the group replaces them.
func (w *world) instanceFailure(p *provider, count int) {
	var live []int32
	for _, ii := range p.instances {
		if !w.instances[ii].draining {
			live = append(live, ii)
		}
	}
	count = min(count, len(live))
	for i := 0; i < count; i++ {
		j := i + p.rngFail.IntN(len(live)-i)
		live[i], live[j] = live[j], live[i]
	}
	for _, ii := range live[:count] {
		w.terminate(ii)
	}
	w.fillGroup(p)
}
