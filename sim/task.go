package sim

import (
	"github.com/ecssim/ecssim/scheduler"
)

// taskState is a task's place in the ECS lifecycle (ECS-SEMANTICS.md §1).
type taskState uint8

const (
	tsFree         taskState = iota // slot unused
	tsProvisioning                  // waiting for capacity
	tsPending                       // placed: image pull and start
	tsRunning
	tsStopping // draining for stop_timeout; keeps its reservation and billing
	tsStopped
)

var stateNames = [...]string{"FREE", "PROVISIONING", "PENDING", "RUNNING", "STOPPING", "STOPPED"}

func (s taskState) String() string { return stateNames[s] }

// task is one ECS task of a service or a job. Slots are reused; gen counts
// reuses so events scheduled for an earlier occupant are ignored.
type task struct {
	state      taskState
	gen        uint32
	isJob      bool
	healthy    bool
	failing    bool  // drawn to fail its health check
	draining   bool  // a service task leaving (draining instance, Spot warning, AZ rebalancing), awaiting its replacement
	spotWarned bool  // a Fargate Spot task in its two-minute warning
	green      bool  // a blue/green deployment's new (green) task
	owner      int32 // service or job index
	prov       int32 // provider index; -1 for launch_type EC2 until placed
	inst       int32 // index into world.instances, -1 on Fargate or unplaced
	az         int16
	listPos    int32 // position in the owner's active list, -1 when not there
	retries    int16
	rev        int16 // service tasks: index into the service's revisions
	demand     scheduler.Demand
	storage    int // ephemeral storage GiB
	arm        bool
	wantedAt   Time // when the scheduler wanted it (service) or it was submitted (job)
	pendAt     Time
	runAt      Time
	runFor     Time             // job tasks: run time once RUNNING
	costMark   float64          // instance cost-per-CPU accumulator at placement
	costRate   float64          // USD/hour: a Fargate task's price, or its CPU share of its instance's
	failReason scheduler.Reason // the last placement failure counted
}

// newTask takes a free slot and returns its index.
func (w *world) newTask() int32 {
	var i int32
	if n := len(w.freeTask); n > 0 {
		i = w.freeTask[n-1]
		w.freeTask = w.freeTask[:n-1]
	} else {
		w.tasks = append(w.tasks, task{})
		i = int32(len(w.tasks) - 1)
	}
	t := &w.tasks[i]
	gen := t.gen + 1
	*t = task{gen: gen, inst: -1, listPos: -1, prov: -1, az: -1}
	return i
}

// freeSlot returns a STOPPED task's slot to the free list.
func (w *world) freeSlot(i int32) {
	t := &w.tasks[i]
	t.state = tsFree
	w.freeTask = append(w.freeTask, i)
}

// push schedules e unless it falls after the horizon, where it could never
// run (a crash drawn years away, a launch finishing after the end).
func (w *world) push(e Event) {
	if e.At > w.horizon {
		return
	}
	w.q.Push(e)
}

// scheduleTask pushes a task event guarded by the task's generation.
// Within a kind, task events order by owner (services in scenario order,
// then jobs), then by when they were scheduled.
func (w *world) scheduleTask(at Time, op uint8, ti int32) {
	t := &w.tasks[ti]
	w.push(Event{At: at, Kind: KindTask, Op: op, Target: ti, Arg: t.gen, Order: w.taskOrder(t)})
}

// taskOrder is the entity order of a task's events within a kind: services
// first in scenario order, then jobs (SCENARIO.md "Time and order").
func (w *world) taskOrder(t *task) int32 {
	if t.isJob {
		return int32(len(w.services)) + t.owner
	}
	return t.owner
}
