package sim

import (
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/workloads"
)

// job is one [[jobs]] entry: RunTask work (SCENARIO.md [[jobs]]).
type job struct {
	idx  int
	name string
	sc   *scenarios.Job
	td   *scenarios.TaskDefinition

	fargate   bool // launch_type FARGATE
	launchEC2 bool // launch_type EC2: fails at once when nothing fits
	stratProv []int
	base      []int
	weight    []int
	provCount []int // tasks in flight per strategy item
	launched  []int // tasks launched by weight (not for base) per strategy item
	noBase    []int // zeros: the weight split ignores base

	demand     scheduler.Demand
	arm        bool
	placer     *scheduler.Placer
	rngPlace   *rand.Rand
	startup    workloads.Dist
	rngStartup *rand.Rand
	dur        workloads.Dist
	rngDur     *rand.Rand
	arrivals   workloads.Arrivals
	rngArr     *rand.Rand
	sched      workloads.Schedule
	trace      []workloads.TaskRow
	traceNext  int
	count      int

	fargateAZ azTally

	// cpuUtil and memUtil are the fractions of its reservation a running
	// task uses (cpu_utilization, memory_utilization).
	cpuUtil, memUtil float64

	// counters after warmup
	res         JobResult
	waits       waitStats
	runs        waitStats
	failReasons map[string]int64
}

func (w *world) buildJobs() error {
	for i := range w.sc.Jobs {
		sc := &w.sc.Jobs[i]
		td := sc.TaskDef
		group := int32(len(w.sc.Services) + i)
		j := &job{idx: i, name: sc.Name, sc: sc, td: td, count: sc.Count, fargateAZ: azTally{}, failReasons: map[string]int64{}}
		j.demand = taskDemand(td, group)
		j.cpuUtil, j.memUtil = 1, 0.5
		if sc.CPUUtilization != nil {
			j.cpuUtil = *sc.CPUUtilization
		}
		if sc.MemoryUtilization != nil {
			j.memUtil = *sc.MemoryUtilization
		}
		j.arm = td.CPUArchitecture == "ARM64"
		w.cluster.SetGroupName(group, "family:"+td.Family)
		switch sc.LaunchType {
		case "FARGATE":
			j.fargate = true
		case "EC2":
			j.launchEC2 = true
			j.demand.Pools = w.archPools(td.CPUArchitecture)
		default:
			for _, it := range sc.Strategy {
				j.stratProv = append(j.stratProv, w.providerIndex(it.CapacityProvider))
				j.base = append(j.base, it.Base)
				j.weight = append(j.weight, it.W())
			}
		}
		j.provCount = make([]int, len(j.stratProv))
		j.launched = make([]int, len(j.stratProv))
		j.noBase = make([]int, len(j.stratProv))
		strats := toStrategies(sc.PlacementStrategy)
		if len(strats) == 0 {
			// SCENARIO.md "Queueing and waiting": jobs on EC2 default to
			// random placement.
			strats = []scheduler.Strategy{{Type: "random"}}
		}
		var err error
		if j.placer, err = scheduler.NewPlacer(strats, toConstraints(sc.PlacementConstraints)); err != nil {
			return fmt.Errorf("sim: job %s: %v", sc.Name, err)
		}
		j.rngPlace = w.stream("job/" + sc.Name + "/placement")
		j.rngStartup = w.stream("job/" + sc.Name + "/startup")
		j.rngDur = w.stream("job/" + sc.Name + "/duration")
		j.rngArr = w.stream("job/" + sc.Name + "/arrivals")
		if j.startup, err = toDist(td.StartupTime, w.sc); err != nil {
			return fmt.Errorf("sim: job %s: startup_time: %v", sc.Name, err)
		}
		switch {
		case sc.Trace != nil:
			if err := j.readTrace(w.sc); err != nil {
				return fmt.Errorf("sim: job %s: trace: %v", sc.Name, err)
			}
		case sc.Arrivals != nil:
			j.arrivals = workloads.Poisson(sc.Arrivals.RatePerHour)
		case sc.Schedule != "":
			if j.sched, err = workloads.ParseSchedule(sc.Schedule, w.sc.Start); err != nil {
				return fmt.Errorf("sim: job %s: schedule: %v", sc.Name, err)
			}
		}
		if sc.Trace == nil {
			if j.dur, err = toDist(sc.Duration, w.sc); err != nil {
				return fmt.Errorf("sim: job %s: duration: %v", sc.Name, err)
			}
		}
		w.jobs = append(w.jobs, j)
	}
	return nil
}

func (j *job) readTrace(sc *scenarios.Scenario) error {
	f, err := os.Open(resolvePath(sc, j.sc.Trace.File))
	if err != nil {
		return err
	}
	defer f.Close()
	if j.sc.Trace.Format == "alibaba-openb" {
		j.trace, _, err = workloads.ReadAlibabaOpenB(f)
	} else {
		j.trace, err = workloads.ReadJobTraceCSV(f)
	}
	return err
}

// nextArrival returns the time of the job's next submission strictly after
// now, or false when there is none before the horizon.
func (j *job) nextArrival(w *world, first bool) (Time, bool) {
	after := w.now
	if first {
		after = -1 // a schedule may fire at t = 0
	}
	var at Time
	switch {
	case j.trace != nil:
		if j.traceNext >= len(j.trace) {
			return 0, false
		}
		at = Time(j.trace[j.traceNext].Submit.Milliseconds())
		if at < w.now {
			at = w.now
		}
	case j.arrivals != nil:
		at = Time(j.arrivals.Next(time.Duration(max(after, 0))*time.Millisecond, j.rngArr).Milliseconds())
	case j.sched != nil:
		d, ok := j.sched.Next(time.Duration(after) * time.Millisecond)
		if !ok {
			return 0, false
		}
		at = Time(d.Milliseconds())
	default:
		return 0, false
	}
	if at >= w.horizon {
		return 0, false
	}
	return at, true
}

func (w *world) scheduleJobArrival(j *job, first bool) {
	if at, ok := j.nextArrival(w, first); ok {
		w.push(Event{At: at, Kind: KindArrival, Op: opJobArrival, Target: int32(j.idx), Order: int32(len(w.services) + j.idx)})
	}
}

// arrive submits one RunTask call: count tasks (one per trace row).
func (j *job) arrive(w *world) {
	if j.trace != nil {
		for j.traceNext < len(j.trace) && Time(j.trace[j.traceNext].Submit.Milliseconds()) <= w.now {
			row := j.trace[j.traceNext]
			j.traceNext++
			d := j.demand
			if row.CPU > 0 {
				d.CPU = int32(row.CPU)
			}
			if row.Memory > 0 {
				d.Memory = int32(row.Memory)
			}
			j.submit(w, d, Time(row.Duration.Milliseconds()), 0)
		}
	} else {
		for k := 0; k < j.count; k++ {
			j.submit(w, j.demand, Time(j.dur.Sample(j.rngDur).Milliseconds()), 0)
		}
	}
	w.scheduleJobArrival(j, false)
}

// submit creates one job task with run time runFor. A FARGATE task is
// placed at once; an EC2 launch-type task fails at once when nothing fits;
// a capacity provider strategy task waits in PROVISIONING.
//
// Model assumption: a job's capacity provider strategy fills base first,
// counting the job's tasks in flight (PROVISIONING to STOPPED) on the base
// provider, and splits the rest by weight over all the tasks the job has
// launched by weight so far ("the relative percentage of the total number
// of tasks launched", RunTask API reference), so a stream of one-task
// RunTask calls follows the weights.
func (j *job) submit(w *world, d scheduler.Demand, runFor Time, retries int16) {
	if w.now >= w.warmup && retries == 0 {
		j.res.Submitted++ // a retry is counted in retried, not again here
	}
	ti := w.newTask()
	t := &w.tasks[ti]
	t.isJob = true
	t.owner = int32(j.idx)
	t.demand = d
	t.storage = j.td.EphemeralStorage
	t.arm = j.arm
	t.wantedAt = w.now
	t.runFor = runFor
	t.retries = retries
	t.state = tsProvisioning
	switch {
	case j.fargate:
		t.prov = int32(w.fargate)
		t.demand.Pools = 0
		az := fargateAZ(j.fargateAZ.of(w.fargate, len(w.azs)), w.azDown)
		if az < 0 {
			j.failSubmit(w, ti, "AZ_UNAVAILABLE")
			return
		}
		w.startPending(ti, -1, az)
	case j.launchEC2:
		id, reason := j.placer.Place(t.demand, w.cluster, j.rngPlace)
		if id == scheduler.NoInstance {
			if w.now >= w.warmup {
				j.res.FailedToPlace++
				j.failReasons[reasonToRunTask(reason)]++
			}
			t.state = tsStopped
			w.freeSlot(ti)
			return
		}
		ii := w.byID[id]
		t.prov = int32(w.instances[ii].prov)
		w.startPending(ti, ii, w.instances[ii].az)
	default:
		k := j.chooseProvider()
		if pi := j.stratProv[k]; pi == w.fargSpot && w.providers[pi].shortage > 0 {
			// RunTask on Fargate Spot during a shortage fails at once
			// (SCENARIO.md "Spot").
			j.failSubmit(w, ti, "CAPACITY_UNAVAILABLE")
			return
		}
		j.provCount[k]++
		t.prov = int32(j.stratProv[k])
		if !w.providers[t.prov].fargate {
			t.demand.Pools = 1 << uint(t.prov)
		}
		w.enqueue(ti)
	}
}

// failSubmit ends a RunTask call that could not place its task.
func (j *job) failSubmit(w *world, ti int32, reason string) {
	if w.now >= w.warmup {
		j.res.FailedToPlace++
		j.failReasons[reason]++
	}
	w.tasks[ti].state = tsStopped
	w.freeSlot(ti)
}

// chooseProvider picks the strategy item for the job's next task: the base
// provider while its tasks in flight are below base, else the provider
// furthest below its weighted share of the tasks launched by weight.
func (j *job) chooseProvider() int {
	for k, b := range j.base {
		if b > 0 && j.provCount[k] < b {
			return k
		}
	}
	k := scheduler.NextProvider(j.noBase, j.weight, j.launched)
	j.launched[k]++
	return k
}

// onPending: the task is placed; its wait ends.
func (j *job) onPending(w *world, t *task) {
	if w.now >= w.warmup {
		j.waits.add(w.now - t.wantedAt)
	}
	if t.inst < 0 {
		j.fargateAZ.of(int(t.prov), len(w.azs))[t.az]++
	}
}

// onRunning: the task works for its run time, then stops.
func (j *job) onRunning(w *world, ti int32) {
	t := &w.tasks[ti]
	w.scheduleTask(w.now+t.runFor, opJobDone, ti)
}

// onDone: the task's work is finished; it stops at once.
//
// Model assumption: a job task whose essential container exits goes to
// STOPPED without the stop_timeout drain (there is nothing left to
// drain), so its billing ends when its work does.
func (j *job) onDone(w *world, ti int32) {
	t := &w.tasks[ti]
	if w.now >= w.warmup {
		j.res.Completed++
		j.runs.add(w.now - t.runAt)
	}
	j.taskGone(w, t)
	w.finishStop(ti)
}

// taskGone takes a placed task out of the job's in-flight counts.
func (j *job) taskGone(w *world, t *task) {
	if t.inst < 0 {
		j.fargateAZ.of(int(t.prov), len(w.azs))[t.az]--
	}
	for k, pi := range j.stratProv {
		if int32(pi) == t.prov {
			j.provCount[k]--
			break
		}
	}
}

// kill stops a placed job task before its work is done (its instance is
// terminated under it): it counts as interrupted, its time so far is
// wasted, and it is resubmitted from scratch while on_interruption is
// "retry" and retries remain, else dropped.
//
// Model assumption: a task lost to a scale-in termination follows the
// job's on_interruption rule, as a Spot interruption does.
func (j *job) kill(w *world, ti int32) {
	t := &w.tasks[ti]
	runFor, retries, d := t.runFor, t.retries, t.demand
	if w.now >= w.warmup {
		j.res.Interrupted++
		if t.state == tsRunning {
			j.res.WastedTaskSeconds += float64(w.now-t.runAt) / float64(Second)
		}
	}
	j.taskGone(w, t)
	w.finishStop(ti)
	maxRetries := 3
	if j.sc.MaxRetries != nil {
		maxRetries = *j.sc.MaxRetries
	}
	if j.sc.OnInterruption != "drop" && int(retries) < maxRetries {
		if w.now >= w.warmup {
			j.res.Retried++
		}
		d.Pools = j.demand.Pools
		j.submit(w, d, runFor, retries+1)
		return
	}
	if w.now >= w.warmup {
		j.res.Dropped++
	}
}
