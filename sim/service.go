package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/workloads"
)

// service is the ECS service scheduler for one [[services]] entry: it keeps
// desired_count tasks, replaces tasks that stop and chooses which task to
// stop on scale-in.
type service struct {
	idx  int
	name string
	sc   *scenarios.Service

	desired int
	backoff int // tasks OOM-killed and not yet replaced (10 s back-off)
	// backoffCancelled counts back-offs given up by a scale-in whose end
	// events are still pending.
	backoffCancelled int
	active           []int32 // PROVISIONING, PENDING and RUNNING tasks
	// draining counts the active tasks on draining instances: they serve
	// until their replacements let them stop (releaseDrained) and do not
	// count toward the desired count.
	draining int
	// replaceOn lists the providers of leaving tasks whose replacements
	// are owed: a replacement goes where its task was (a Fargate Spot task
	// is replaced on Fargate Spot, ECS-SEMANTICS.md §7).
	replaceOn []int32

	launchEC2 bool  // launch_type = "EC2": any instance of the cluster
	stratProv []int // provider index of each strategy item
	base      []int
	weight    []int
	provCount []int // active tasks per strategy item

	placer     *scheduler.Placer
	rngPlace   *rand.Rand
	strats     []scheduler.Strategy
	rngStartup *rand.Rand
	rngHealth  *rand.Rand
	rngCrash   *rand.Rand
	// revs are the task definitions the service has run, in order of
	// first use; cur is the one new tasks use (the deployment's target).
	revs  []*revision
	cur   int16
	pools uint64 // the Auto Scaling groups the service's tasks may use

	// deployments (deployment.go)
	deps     []*deployment
	dep      *deployment // in progress, or nil
	stable   int16       // the last COMPLETED revision: a rollback's target
	halted   int16       // a revision whose deployment FAILED without rollback: no new tasks of it (-1: none)
	placed   int         // active tasks PENDING or RUNNING
	billed   int         // tasks billed (PENDING to STOPPED)
	rate     float64     // cost rate of the billed tasks, USD/hour
	rateLast Time

	// fargateAZ[p][az]: active Fargate tasks per provider and AZ.
	fargateAZ azTally

	scaling        *serviceScaling // nil without [services.autoscaling] policies
	load           loadModel
	runByProvTotal []float64 // running task·ms by provider, after warmup

	// counters after warmup
	counts            TaskCounts
	placementFailures map[string]int64
	waits             waitStats
	scalingActivities int64
}

func (w *world) buildServices() error {
	for i := range w.sc.Services {
		sc := &w.sc.Services[i]
		td := sc.TaskDef
		s := &service{
			idx: i, name: sc.Name, sc: sc, halted: -1,
			desired:           sc.DesiredCount,
			placementFailures: map[string]int64{},
			fargateAZ:         azTally{},
		}
		w.cluster.SetGroupName(int32(i), "service:"+sc.Name)
		switch {
		case sc.LaunchType == "FARGATE":
			s.stratProv, s.base, s.weight = []int{w.fargate}, []int{0}, []int{1}
		case sc.LaunchType == "EC2":
			s.launchEC2 = true
		default:
			for _, it := range sc.Strategy {
				s.stratProv = append(s.stratProv, w.providerIndex(it.CapacityProvider))
				s.base = append(s.base, it.Base)
				s.weight = append(s.weight, it.W())
			}
		}
		s.provCount = make([]int, len(s.stratProv))
		ec2Pools := uint64(0)
		for _, pi := range s.stratProv {
			if !w.providers[pi].fargate {
				ec2Pools |= 1 << uint(pi)
			}
		}
		if s.launchEC2 {
			ec2Pools = w.archPools(td.CPUArchitecture)
		}
		s.pools = ec2Pools
		var err error
		s.strats = toStrategies(sc.PlacementStrategy)
		if len(s.strats) == 0 && s.usesEC2(w) {
			s.strats = defaultServiceStrategy
		}
		s.placer, err = scheduler.NewPlacer(s.strats, toConstraints(sc.PlacementConstraints))
		if err != nil {
			return fmt.Errorf("sim: service %s: %v", sc.Name, err)
		}
		s.rngPlace = w.stream("service/" + sc.Name + "/placement")
		s.rngStartup = w.stream("service/" + sc.Name + "/startup")
		s.rngHealth = w.stream("service/" + sc.Name + "/health")
		s.rngCrash = w.stream("service/" + sc.Name + "/crash")
		if _, err = s.revision(w, td); err != nil {
			return err
		}
		s.runByProvTotal = make([]float64, len(w.providers))
		if err := s.load.init(w, s); err != nil {
			return err
		}
		if err := s.buildScaling(w); err != nil {
			return err
		}
		w.services = append(w.services, s)
	}
	return nil
}

// revision is one task definition a service runs, with what its tasks
// need and how they start, serve and stop.
type revision struct {
	td           *scenarios.TaskDefinition
	demand       scheduler.Demand
	startup      workloads.Dist
	healthyAfter Time // RUNNING to healthy: max(healthy_after, health_check_grace_period)
	stopTimeout  Time
	arm          bool
	vcpu, mem    float64 // vCPUs and MiB reserved
}

// revision returns the index of td among the service's revisions, adding
// it on first use.
func (s *service) revision(w *world, td *scenarios.TaskDefinition) (int16, error) {
	for i, r := range s.revs {
		if r.td == td {
			return int16(i), nil
		}
	}
	r := &revision{
		td:           td,
		demand:       taskDemand(td, int32(s.idx)),
		healthyAfter: Time(max(td.HealthyAfter.Millis(), s.sc.HealthCheckGracePeriod.Millis())),
		stopTimeout:  Time(td.StopTimeout.Millis()),
		arm:          td.CPUArchitecture == "ARM64",
		vcpu:         float64(td.CPU) / 1024,
		mem:          float64(td.Memory),
	}
	r.demand.Pools = s.pools
	if s.launchEC2 {
		r.demand.Pools = w.archPools(td.CPUArchitecture) // a new revision may change architecture
	}
	var err error
	if r.startup, err = toDist(td.StartupTime, w.sc); err != nil {
		return 0, fmt.Errorf("sim: service %s: %s startup_time: %v", s.name, td.Ref(), err)
	}
	s.revs = append(s.revs, r)
	return int16(len(s.revs) - 1), nil
}

// rev returns a task's revision.
func (s *service) rev(t *task) *revision { return s.revs[t.rev] }

// defaultServiceStrategy is the ECS default for services on EC2 with no
// strategy: spread over AZs, then over instances (ECS-SEMANTICS.md §2.3).
var defaultServiceStrategy = []scheduler.Strategy{
	{Type: "spread", Field: "attribute:ecs.availability-zone"},
	{Type: "spread", Field: "instanceId"},
}

func (s *service) usesEC2(w *world) bool {
	if s.launchEC2 {
		return true
	}
	for _, pi := range s.stratProv {
		if !w.providers[pi].fargate {
			return true
		}
	}
	return false
}

// taskDemand is what one task of td needs from an instance.
func taskDemand(td *scenarios.TaskDefinition, group int32) scheduler.Demand {
	d := scheduler.Demand{CPU: int32(td.CPU), Memory: int32(td.Memory), Group: group, ENI: td.NetworkMode == "awsvpc"}
	for _, p := range td.HostPorts {
		d.Ports = append(d.Ports, uint16(p))
	}
	return d
}

// reconcile brings the service's tasks to its desired count: it starts
// tasks while too few and stops tasks while too many.
func (s *service) reconcile(w *world) {
	if d := s.dep; d != nil {
		if d.shifting() {
			s.shiftStep(w)
		} else {
			s.rollStep(w)
		}
		if s.draining > 0 {
			s.releaseDrained(w)
		}
		s.observe()
		return
	}
	for s.cur != s.halted && len(s.active)-s.draining+s.backoff < s.desired {
		s.startTask(w)
	}
	// Replacements still in their OOM back-off are given up first.
	for s.backoff > 0 && len(s.active)-s.draining+s.backoff > s.desired {
		s.backoff--
		s.backoffCancelled++
	}
	if live := len(s.active) - s.draining; live > 0 && live+s.backoff > s.desired {
		s.scaleIn(w, min(live+s.backoff-s.desired, live))
	}
	if s.draining > 0 {
		s.releaseDrained(w)
	} else {
		s.replaceOn = s.replaceOn[:0]
	}
}

// splitCounts are the task counts per strategy item the capacity provider
// split works from: all active tasks, or during a deployment only the new
// revision's, so the new set follows base and weights on its own
// (ECS-SEMANTICS.md §3) and the split holds once the old tasks are gone.
func (s *service) splitCounts(w *world) []int {
	d := s.dep
	if d == nil {
		return s.provCount
	}
	c := make([]int, len(s.stratProv))
	for _, ti := range s.active {
		t := &w.tasks[ti]
		if t.rev != d.rev || (d.shifting() && !t.green) {
			continue
		}
		for i, pi := range s.stratProv {
			if int32(pi) == t.prov {
				c[i]++
			}
		}
	}
	return c
}

// markLeaving marks an active task as leaving: it keeps serving but no
// longer counts toward the desired count, so the next reconcile starts its
// replacement on the same provider.
func (s *service) markLeaving(t *task) {
	if t.draining {
		return
	}
	t.draining = true
	s.draining++
	if !s.launchEC2 {
		s.replaceOn = append(s.replaceOn, t.prov)
	}
}

// releaseDrained stops tasks on draining instances as their replacements
// allow: one not yet healthy at once (it serves nothing), a healthy one
// while the healthy tasks left stay at or above minimum_healthy_percent of
// the desired count (ECS drains service tasks honouring the deployment's
// minimumHealthyPercent, ECS developer guide "Container instance
// draining").
func (s *service) releaseDrained(w *world) {
	pct := 100
	if p := s.sc.Deployment.MinimumHealthyPercent; p != nil {
		pct = *p
	}
	minHealthy := (s.desired*pct + 99) / 100
	for s.draining > 0 {
		pick := int32(-1)
		for _, ti := range s.active {
			if t := &w.tasks[ti]; t.draining && !t.spotWarned { // warned tasks stop with their warning
				if !t.healthy {
					pick = ti
					break
				}
				if pick < 0 {
					pick = ti
				}
			}
		}
		if pick < 0 || w.tasks[pick].healthy && s.load.healthy-1 < minHealthy {
			return
		}
		s.stopTask(w, pick)
	}
}

// startTask creates one task the scheduler wants now and queues it for
// placement on the provider the strategy picks (base, then weight;
// ECS-SEMANTICS.md §3).
func (s *service) startTask(w *world) {
	s.load.advance(w)
	ti := w.newTask()
	t := &w.tasks[ti]
	t.owner = int32(s.idx)
	rv := s.revs[s.cur]
	t.rev = s.cur
	t.green = s.dep != nil && s.dep.shifting()
	t.demand = rv.demand
	t.storage = rv.td.EphemeralStorage
	t.arm = rv.arm
	t.wantedAt = w.now
	if !s.launchEC2 {
		k := -1
		if n := len(s.replaceOn) - s.draining; n > 0 {
			s.replaceOn = s.replaceOn[n:] // owed only for tasks still leaving
		}
		if len(s.replaceOn) > 0 {
			prov := s.replaceOn[0]
			s.replaceOn = s.replaceOn[1:]
			for i, pi := range s.stratProv {
				if int32(pi) == prov {
					k = i
				}
			}
		}
		if k < 0 {
			k = scheduler.NextProvider(s.base, s.weight, s.splitCounts(w))
		}
		s.provCount[k]++
		t.prov = int32(s.stratProv[k])
		if !w.providers[t.prov].fargate {
			t.demand.Pools = 1 << uint(t.prov)
		}
	}
	t.listPos = int32(len(s.active))
	s.active = append(s.active, ti)
	w.enqueue(ti)
}

// leave removes a task from the active set (it is stopping or gone).
func (s *service) leave(w *world, ti int32) {
	t := &w.tasks[ti]
	pos := t.listPos
	if pos < 0 {
		return
	}
	s.load.advance(w)
	last := int32(len(s.active) - 1)
	moved := s.active[last]
	s.active[pos] = moved
	w.tasks[moved].listPos = pos
	s.active = s.active[:last]
	t.listPos = -1
	if t.draining {
		t.draining = false
		s.draining--
	}
	if !s.launchEC2 {
		for k, pi := range s.stratProv {
			if int32(pi) == t.prov {
				s.provCount[k]--
				break
			}
		}
	}
	if t.state == tsRunning {
		rv := s.rev(t)
		s.load.taskRunning(t, rv, -1)
		if t.healthy {
			s.load.taskHealthy(t, rv, -1)
		}
	}
	if t.state == tsPending || t.state == tsRunning {
		s.placed--
		s.observe()
	}
	if t.inst < 0 && t.state >= tsPending && t.az >= 0 {
		s.fargateAZ[int(t.prov)][t.az]--
	}
	t.healthy = false
}

// onPending is called when one of the service's tasks is placed.
//
// Model assumption: tasks.started counts tasks entering PENDING (the
// service event "has started N tasks" is emitted at placement).
func (s *service) onPending(w *world, t *task) {
	if w.now >= w.warmup {
		s.counts.Started++
		s.waits.add(w.now - t.wantedAt)
	}
	if t.inst < 0 {
		s.fargateAZ.of(int(t.prov), len(w.azs))[t.az]++
	}
	s.load.advance(w)
	s.placed++
	s.rateChange(w, t, 1)
	s.observe()
}

// onRunning: the task runs; it becomes healthy (or fails its health check)
// at RUNNING + max(healthy_after, health_check_grace_period), and may crash.
func (s *service) onRunning(w *world, ti int32) {
	t := &w.tasks[ti]
	s.load.advance(w)
	rv := s.rev(t)
	s.load.taskRunning(t, rv, 1)
	td := rv.td
	t.failing = td.FailureRate > 0 && s.rngHealth.Float64() < td.FailureRate
	w.scheduleTask(w.now+rv.healthyAfter, opTaskHealthy, ti)
	if td.CrashRatePerHour > 0 {
		w.scheduleTask(w.now+expDraw(td.CrashRatePerHour, s.rngCrash.ExpFloat64()), opTaskCrash, ti)
	}
}

// onHealthy: the task passes or fails its health check. A failing task is
// counted, stopped and replaced (ECS-SEMANTICS.md §6).
func (s *service) onHealthy(w *world, ti int32) {
	t := &w.tasks[ti]
	if t.failing {
		if w.now >= w.warmup {
			s.counts.Failed++
			s.counts.Stopped++
		}
		rev, green := t.rev, t.green
		w.beginStop(ti, s.rev(t).stopTimeout)
		s.taskFailed(w, rev, green)
		s.reconcile(w)
		return
	}
	s.load.advance(w)
	t.healthy = true
	s.load.taskHealthy(t, s.rev(t), 1)
	s.observe()
	if s.dep != nil || s.draining > 0 {
		s.reconcile(w) // a deployment moves on; a drained task may go
	}
}

// onCrash: an essential container exits; the task stops at once and is
// replaced.
func (s *service) onCrash(w *world, ti int32) {
	if w.now >= w.warmup {
		s.counts.Failed++
		s.counts.Stopped++
	}
	t := &w.tasks[ti]
	rev, green, healthy := t.rev, t.green, t.healthy
	w.finishStop(ti)
	if !healthy {
		s.taskFailed(w, rev, green) // it never reached healthy
	}
	s.reconcile(w)
}

// oomKill stops a task whose memory use exceeds its reservation; the
// replacement starts after a 10 s back-off (SCENARIO.md "Demand").
func (s *service) oomKill(w *world, ti int32) {
	if w.now >= w.warmup {
		s.counts.OOMKilled++
		s.counts.Stopped++
	}
	w.finishStop(ti)
	s.backoff++
	w.push(Event{At: w.now + 10*Second, Kind: KindArrival, Op: opBackoffDone, Target: int32(s.idx), Order: int32(s.idx)})
}

// setDesired changes the desired count (a scale event) and reconciles.
func (s *service) setDesired(w *world, n int, reason string) {
	if n == s.desired {
		return
	}
	s.load.advance(w)
	w.activity(w.now, "service/"+s.name, s.desired, n, reason)
	if w.now >= w.warmup {
		s.scalingActivities++
	}
	s.desired = n
	s.reconcile(w)
}

// scaleIn stops k tasks: first those still PROVISIONING, then PENDING,
// then RUNNING; among RUNNING tasks the capacity provider furthest above
// its weighted share loses one at a time, and within it the placement
// strategy chooses (ECS-SEMANTICS.md §2.4).
//
// Model assumption: tasks not yet running are cancelled before running
// ones, the last in the service's task list first; this is what ECS does
// in practice for a service scaling in while tasks are still starting.
func (s *service) scaleIn(w *world, k int) {
	var early []int32
	for _, st := range []taskState{tsProvisioning, tsPending} {
		for i := len(s.active) - 1; i >= 0 && len(early) < k; i-- {
			if ti := s.active[i]; w.tasks[ti].state == st && !w.tasks[ti].draining {
				early = append(early, ti)
			}
		}
	}
	s.stopTasks(w, early)
	k -= len(early)
	live := s.active
	if s.draining > 0 {
		live = nil
		for _, ti := range s.active {
			if !w.tasks[ti].draining {
				live = append(live, ti)
			}
		}
	}
	if k <= 0 || len(live) == 0 {
		return
	}
	// All live tasks are RUNNING now.
	if s.launchEC2 || len(s.stratProv) <= 1 {
		s.stopRunning(w, live, min(k, len(live)))
		return
	}
	pc := slices.Clone(s.provCount)
	per := make([]int, len(pc))
	for n := 0; n < k; n++ {
		i := scheduler.VictimProvider(s.base, s.weight, pc)
		pc[i]--
		per[i]++
	}
	for i, n := range per {
		if n == 0 {
			continue
		}
		var sub []int32
		for _, ti := range s.active { // afresh: the stops above reorder s.active
			if t := &w.tasks[ti]; t.prov == int32(s.stratProv[i]) && !t.draining {
				sub = append(sub, ti)
			}
		}
		if len(sub) > 0 {
			s.stopRunning(w, sub, min(n, len(sub)))
		}
	}
}

// stopRunning stops k of the RUNNING tasks cands, chosen by the placement
// strategy.
func (s *service) stopRunning(w *world, cands []int32, k int) {
	vs := make([]scheduler.Victim, len(cands))
	for i, ti := range cands {
		t := &w.tasks[ti]
		v := scheduler.Victim{Instance: scheduler.NoInstance, CPU: t.demand.CPU, Memory: t.demand.Memory}
		if t.inst >= 0 {
			v.Instance = w.instances[t.inst].id
		}
		if t.az >= 0 {
			v.AZ = w.azs[t.az]
		}
		vs[i] = v
	}
	victims := make([]int32, 0, k)
	for _, i := range scheduler.ChooseScaleInN(s.strats, int32(s.idx), vs, w.cluster, k) {
		victims = append(victims, cands[i])
	}
	s.stopTasks(w, victims)
}
