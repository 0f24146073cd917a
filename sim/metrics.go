package sim

import (
	"math"
	"slices"

	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/internal/stats"
	"github.com/ecssim/ecssim/pricing"
	"github.com/ecssim/ecssim/scheduler"
)

// waitStats collects durations (in seconds) with bounded memory.
type waitStats struct {
	s *stats.Sample
}

func (w *waitStats) add(d Time) {
	if w.s == nil {
		w.s = stats.NewSample(0)
	}
	w.s.Add(float64(d) / float64(Second))
}

// dist returns {mean,p50,p95,p99,max}, or nil with no observations.
func (w *waitStats) dist() *Dist {
	if w.s == nil || w.s.N() == 0 {
		return nil
	}
	s := w.s.Summary()
	return &Dist{Mean: s.Mean, P50: s.P50, P95: s.P95, P99: s.P99, Max: s.Max}
}

// timeseriesBuilder holds one float32 column per (entity, metric), one
// value per metrics period: the datapoints behind every statistic
// (ARCHITECTURE.md rule 5). Columns are preallocated for the whole horizon.
type timeseriesBuilder struct {
	periods int
	names   []string
	cols    [][]float32

	svcCol  []int // first column of each service
	provCol []int // first column of each provider
}

// Service columns, in order.
const (
	colDesired = iota
	colRunning
	colCPU
	colMem
	colDemand   // vCPUs demanded (period average)
	colUnserved // vCPUs unserved (period average)
	colPending  // tasks PROVISIONING (period average)
	svcCols
)

// Provider columns, in order.
const (
	colInstances = iota // ASG: instances; Fargate: billed tasks
	colCPURes
	colMemRes
	colCPR
	colCostRate // USD/hour of what the provider bills (period average)
	provCols
)

func (b *timeseriesBuilder) init(w *world) {
	b.periods = int(w.horizon / w.period)
	add := func(name string) {
		b.names = append(b.names, name)
		b.cols = append(b.cols, make([]float32, 0, b.periods))
	}
	for _, s := range w.services {
		b.svcCol = append(b.svcCol, len(b.names))
		for _, m := range []string{"desired_count", "running_count", "cpu_utilization", "memory_utilization", "demand_vcpu", "unserved_vcpu", "pending_count"} {
			add("service/" + s.name + "/" + m)
		}
	}
	for _, p := range w.providers {
		b.provCol = append(b.provCol, len(b.names))
		first := "instances"
		if p.fargate {
			first = "tasks"
		}
		for _, m := range []string{first, "cpu_reservation", "memory_reservation", "capacity_provider_reservation", "cost_usd_per_hour"} {
			add("capacity_provider/" + p.name + "/" + m)
		}
	}
}

func (b *timeseriesBuilder) put(col int, v float64) {
	b.cols[col] = append(b.cols[col], float32(v))
}

// closeDatapoint closes metrics period k = [kP, (k+1)P) at w.now: every
// datapoint is the time-weighted average over its period (SCENARIO.md
// "Datapoints and statistics"), then the next period's demand is drawn.
func (w *world) closeDatapoint() {
	start := w.now - w.period
	afterWarmup := start >= w.warmup
	P := float64(w.period)
	for i, s := range w.services {
		l := &s.load
		l.advance(w)
		c := w.ts.svcCol[i]
		w.ts.put(c+colDesired, l.iDesired/P)
		w.ts.put(c+colRunning, l.iRunning/P)
		if l.iRunT > 0 {
			w.ts.put(c+colCPU, 100*l.iUtil/l.iRunT)
			w.ts.put(c+colMem, 100*l.iMem/l.iRunT)
		} else {
			w.ts.put(c+colCPU, math.NaN())
			w.ts.put(c+colMem, math.NaN())
		}
		unserved := l.iDemand - l.iServed
		w.ts.put(c+colDemand, l.iDemand/P)
		w.ts.put(c+colUnserved, unserved/P)
		w.ts.put(c+colPending, l.iPending/P)
		if afterWarmup {
			l.demandTotal += l.iDemand
			l.unservedTotal += unserved
			if unserved > 1e-9*l.iDemand && unserved > 0 {
				l.overloadedPeriods++
			}
			for p, v := range l.iRunByProv {
				s.runByProvTotal[p] += v
			}
		}
		l.iDemand, l.iServed, l.iUtil, l.iMem, l.iRunT, l.iRunning, l.iDesired, l.iPending = 0, 0, 0, 0, 0, 0, 0, 0
		clear(l.iRunByProv)
	}
	for i, p := range w.providers {
		c := w.ts.provCol[i]
		if p.fargate {
			p.advanceFargate(w.now)
			n, _ := p.fargTasksAvg.Close(int64(w.now))
			w.ts.put(c+colInstances, nanZero(n))
			w.ts.put(c+colCPURes, math.NaN())
			w.ts.put(c+colMemRes, math.NaN())
			w.ts.put(c+colCPR, math.NaN())
			cr, _ := p.costRateAvg.Close(int64(w.now))
			w.ts.put(c+colCostRate, nanZero(cr))
			continue
		}
		n, _ := p.instAvg.Close(int64(w.now))
		res, _ := p.cpuResAvg.Close(int64(w.now))
		reg, _ := p.cpuRegAvg.Close(int64(w.now))
		mres, _ := p.memResAvg.Close(int64(w.now))
		mreg, _ := p.memRegAvg.Close(int64(w.now))
		w.ts.put(c+colInstances, nanZero(n))
		w.ts.put(c+colCPURes, ratio(res, reg))
		w.ts.put(c+colMemRes, ratio(mres, mreg))
		w.ts.put(c+colCPR, w.capacityProviderReservation(p))
		cr, _ := p.costRateAvg.Close(int64(w.now))
		w.ts.put(c+colCostRate, nanZero(cr))
	}
	if w.now >= w.horizon {
		return // no period follows
	}
	// OOM check and next period's demand.
	for _, s := range w.services {
		s.checkMemory(w)
		s.load.evaluate(w.now)
	}
}

// ratio is 100·a/b, NaN when b is zero (no registered capacity: no
// datapoint).
func ratio(a, b float64) float64 {
	if !(b > 0) {
		return math.NaN()
	}
	return 100 * a / b
}

func nanZero(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// capacityProviderReservation is CapacityProviderReservation = M/N × 100
// (ECS-SEMANTICS.md §4), computed when a datapoint closes, as ECS computes
// it once a minute (Model assumption: with a metrics_period above one
// minute the datapoint is this closing sample, not an average): N instances launching or registered; M instances
// running at least one task plus the instances needed for the provider's
// PROVISIONING tasks, binpacked onto the largest instance type. N = 0 gives
// 200 when M > 0 and 100 when M = 0.
func (w *world) capacityProviderReservation(p *provider) float64 {
	return autoscaling.CapacityProviderReservation(p.busy+w.instancesNeeded(p), p.live)
}

// instancesNeeded counts the instances of the provider's largest type
// that its PROVISIONING tasks need: the tasks grouped by identical needs
// (CPU, memory, ENI, static host ports, and the task group when it runs
// under distinctInstance), packed by scheduler.Pack in fast mode (the
// recommender uses the same packer in quality mode; ECS-SEMANTICS.md §4). Tasks that fit not
// even the smallest type are left out.
//
// Model assumption: the fast packer (bin-centric, dot product) stands in
// for ECS's own, undocumented, binpacking of waiting tasks.
func (w *world) instancesNeeded(p *provider) int {
	if p.waiting.len() == 0 || len(p.types) == 0 {
		return 0
	}
	big, small := p.types[0], p.types[0]
	for _, t := range p.types {
		if t.VCPU > big.VCPU || (t.VCPU == big.VCPU && t.MemoryGiB > big.MemoryGiB) {
			big = t
		}
		if t.MemoryGiB < small.MemoryGiB || (t.MemoryGiB == small.MemoryGiB && t.VCPU < small.VCPU) {
			small = t
		}
	}
	shape := func(it pricing.InstanceType) scheduler.InstanceShape {
		return scheduler.InstanceShape{
			CPU:    int64(it.RegisteredCPU()),
			Memory: int64(it.RegisteredMemory(p.cp.ReservedMemory)),
			ENIs:   int64(it.TaskENIs(p.cp.AwsvpcTrunking)),
		}
	}
	bigShape, smallShape := shape(big), shape(small)
	type key struct {
		isJob bool
		owner int32 // -1 unless distinct
	}
	var shapes []scheduler.TaskShape
	var keys []key
	for _, e := range p.waiting.items {
		t := &w.tasks[e.task]
		if t.gen != e.gen || t.state != tsProvisioning {
			continue
		}
		d := &t.demand
		ts := scheduler.TaskShape{CPU: int64(d.CPU), Memory: int64(d.Memory), ENI: d.ENI, Ports: d.Ports, Count: 1}
		if !scheduler.FitsShape(smallShape, ts) {
			continue
		}
		k := key{t.isJob, -1}
		if t.isJob {
			ts.Distinct = w.jobs[t.owner].placer.Distinct()
			ts.DistinctGroup = len(w.services) + int(t.owner)
		} else {
			ts.Distinct = w.services[t.owner].placer.Distinct()
			ts.DistinctGroup = int(t.owner)
		}
		if ts.Distinct {
			k.owner = t.owner
		}
		found := false
		for i := range shapes {
			g := &shapes[i]
			if keys[i] == k && g.CPU == ts.CPU && g.Memory == ts.Memory && g.ENI == ts.ENI && slices.Equal(g.Ports, ts.Ports) {
				g.Count++
				found = true
				break
			}
		}
		if !found {
			shapes = append(shapes, ts)
			keys = append(keys, k)
		}
	}
	if len(shapes) == 0 {
		return 0
	}
	prob, ok := scheduler.TaskPackProblem(bigShape, shapes)
	if !ok {
		return 0 // the largest type holds no awsvpc task: no instance helps
	}
	res, err := scheduler.Pack(prob, scheduler.PackOptions{Fast: true})
	if err != nil {
		return 0 // a task fits the smallest type but not the largest: cannot happen
	}
	return res.Bins
}

// checkMemory OOM-kills serving tasks whose memory use exceeds their
// reservation (checked per datapoint; SCENARIO.md "Demand").
func (s *service) checkMemory(w *world) {
	l := &s.load
	if l.healthy == 0 {
		return
	}
	use := l.memoryPerHealthyTask()
	fits := true
	for _, r := range s.revs {
		fits = fits && use <= r.mem
	}
	if fits {
		return // no task of any revision is over its memory
	}
	var victims []int32
	for _, ti := range s.active {
		if t := &w.tasks[ti]; t.state == tsRunning && t.healthy && use > s.rev(t).mem {
			victims = append(victims, ti)
		}
	}
	for _, ti := range victims {
		s.oomKill(w, ti)
	}
}
