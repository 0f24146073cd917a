package sim

import (
	"fmt"
	"math"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/scheduler"
)

// setReserved changes the CPU and memory reserved by tasks on the
// provider's registered instances.
func (p *provider) setReserved(now Time, dcpu, dmem int64) {
	p.reservedCPU += dcpu
	p.reservedMem += dmem
	p.cpuResAvg.Set(int64(now), float64(p.reservedCPU))
	p.memResAvg.Set(int64(now), float64(p.reservedMem))
	if g := p.scaling; g != nil && g.step != nil {
		g.res.set(now, float64(p.reservedCPU))
		g.memRes.set(now, float64(p.reservedMem))
	}
}

func (p *provider) setRegistered(now Time, dcpu, dmem int64) {
	p.registCPU += dcpu
	p.registMem += dmem
	p.cpuRegAvg.Set(int64(now), float64(p.registCPU))
	p.memRegAvg.Set(int64(now), float64(p.registMem))
	if g := p.scaling; g != nil && g.step != nil {
		g.reg.set(now, float64(p.registCPU))
		g.memReg.set(now, float64(p.registMem))
	}
}

// jobUsage adds sign × the CPU and memory a running job task uses to its
// group's utilization, when the threshold scaler watches it.
func (w *world) jobUsage(t *task, sign float64) {
	if w.usage == nil || t.inst < 0 || !w.usage[t.prov] {
		return
	}
	j := w.jobs[t.owner]
	g := w.providers[t.prov].scaling
	g.jobCPU.set(w.now, g.jobCPU.v+sign*j.cpuUtil*float64(t.demand.CPU))
	g.jobMem.set(w.now, g.jobMem.v+sign*j.memUtil*float64(t.demand.Memory))
}

// setLive changes the count of instances launching or registered and not
// draining (managed scaling's N).
func (p *provider) setLive(now Time, d int) {
	p.live += d
	p.instAvg.Set(int64(now), float64(p.live+p.nDraining))
}

// setDraining changes the count of draining instances; the instances
// datapoint counts them with the live ones (they run and are billed).
func (p *provider) setDraining(now Time, d int) {
	p.nDraining += d
	p.instAvg.Set(int64(now), float64(p.live+p.nDraining))
}

// fargateStart and fargateStop track the Fargate provider's billed tasks
// (PENDING to STOPPED) for task, vCPU and GB hours.
func (p *provider) fargateStart(now Time, t *task) {
	p.advanceFargate(now)
	p.runningTasks++
	p.fargTasksAvg.Set(int64(now), float64(p.runningTasks))
	p.runVCPU += float64(t.demand.CPU) / 1024
	p.runGB += float64(t.demand.Memory) / 1024
	p.addCostRate(now, t.costRate)
}

// addCostRate changes the provider's billing rate (USD/hour).
func (p *provider) addCostRate(now Time, d float64) {
	p.costRate += d
	if math.Abs(p.costRate) < 1e-9 {
		p.costRate = 0
	}
	p.costRateAvg.Set(int64(now), p.costRate)
}

func (p *provider) fargateStop(now Time, t *task) {
	p.advanceFargate(now)
	p.runningTasks--
	p.fargTasksAvg.Set(int64(now), float64(p.runningTasks))
	p.runVCPU -= float64(t.demand.CPU) / 1024
	p.runGB -= float64(t.demand.Memory) / 1024
	p.addCostRate(now, -t.costRate)
}

// advanceFargate integrates task, vCPU and GB time up to now (after warmup
// only: these are statistics).
func (p *provider) advanceFargate(now Time) {
	from := p.fargLast
	p.fargLast = now
	if now <= p.warmup {
		return
	}
	from = max(from, p.warmup)
	dt := float64(now - from)
	p.taskHoursMS += float64(p.runningTasks) * dt
	p.vcpuHoursMS += p.runVCPU * dt
	p.gbHoursMS += p.runGB * dt
}

// launchInitial starts the desired_capacity instances of every Auto Scaling
// group at t = 0, spread over the AZs in order.
//
// Model assumption: a fixed-size group launches its first (preferred by
// allocation strategy) instance type, balancing AZs round-robin as EC2
// Auto Scaling does.
func (w *world) launchInitial() {
	for _, p := range w.providers {
		if p.fargate {
			continue
		}
		p.desiredCap = p.cp.DesiredCapacity
		for k := 0; k < p.cp.DesiredCapacity; k++ {
			w.launch(p, 0, k%len(w.azs))
		}
		if g := p.scaling; g != nil && g.managed != nil && p.cp.DesiredCapacity > 0 {
			g.warmUntil = g.instWarmup // the first instances warm up too
		}
	}
}

// launch starts one instance of type p.types[ti] in AZ az; it registers
// after the group's launch_time.
func (w *world) launch(p *provider, ti, az int) {
	in := &instance{
		prov:       p.idx,
		typ:        p.types[ti],
		rate:       p.rates[ti],
		az:         az,
		id:         scheduler.NoInstance,
		launchedAt: w.now,
		ec2ID:      fmt.Sprintf("i-%017x", len(w.instances)+1),
	}
	in.cost.last = w.now
	ii := int32(len(w.instances))
	w.instances = append(w.instances, in)
	p.instances = append(p.instances, ii)
	p.setLive(w.now, 1)
	p.addCostRate(w.now, in.rate)
	p.launches++ // every launch counts, warmup and the initial desired_capacity included (SCENARIO.md "Datapoints and statistics")
	w.push(Event{At: w.now + Time(p.cp.LaunchTime.Millis()), Kind: KindTask, Op: opInstanceReady, Target: ii, Order: int32(len(w.services) + len(w.jobs))})
	w.spotInstanceLaunched(p, ti, ii)
}

// register makes a launched instance a container instance: it joins the
// placement view with registered CPU = vCPUs × 1024 and memory = GiB × 1024
// − reserved_memory (SCENARIO.md "Identity").
func (w *world) register(ii int32) {
	in := w.instances[ii]
	if in.terminated {
		return // terminated while launching
	}
	p := w.providers[in.prov]
	cp := p.cp
	attrs := map[string]string{
		"ecs.availability-zone": w.azs[in.az],
		"ecs.instance-type":     in.typ.Name,
		"ecs.cpu-architecture":  in.typ.Arch,
		"ecs.os-type":           "linux",
		"ecs.capacity-provider": cp.Name,
	}
	for k, v := range cp.Attributes {
		attrs[k] = v
	}
	cpu := int32(in.typ.RegisteredCPU())
	mem := int32(in.typ.RegisteredMemory(cp.ReservedMemory))
	in.id = w.cluster.Add(scheduler.InstanceSpec{
		Pool:          p.idx,
		CPU:           cpu,
		Memory:        mem,
		TaskENIs:      int32(in.typ.TaskENIs(cp.AwsvpcTrunking)),
		Attributes:    attrs,
		EC2InstanceID: in.ec2ID,
	})
	for int(in.id) >= len(w.byID) {
		w.byID = append(w.byID, -1)
	}
	w.byID[in.id] = ii
	in.registered = true
	p.setRegistered(w.now, int64(cpu), int64(mem))
	if in.spotWarned && p.cp.SpotDraining {
		// Warned while launching: the agent sees the notice and the
		// instance drains from the start (ECS developer guide "Spot
		// Instance draining").
		w.drain(ii)
		w.fillGroup(p)
		return
	}
	w.capacityChanged()
}

// archPools is the pool mask of the Auto Scaling groups whose instances
// have the task definition's CPU architecture: a launch_type = "EC2" task
// may use any instance of the cluster that can run its image.
func (w *world) archPools(cpuArch string) uint64 {
	var m uint64
	for _, p := range w.providers {
		if !p.fargate && len(p.types) > 0 && strings.EqualFold(p.types[0].Arch, cpuArch) {
			m |= 1 << uint(p.idx)
		}
	}
	if m == 0 {
		panic("sim: no group for architecture " + cpuArch + " (scenario not validated?)")
	}
	return m
}

// providerIndex returns the index of a capacity provider by name.
func (w *world) providerIndex(name string) int {
	for _, p := range w.providers {
		if p.name == name {
			return p.idx
		}
	}
	panic("sim: unknown capacity provider " + name + " (scenario not validated?)")
}

// toStrategies converts scenario placement strategies.
func toStrategies(in []scenarios.PlacementStrategy) []scheduler.Strategy {
	out := make([]scheduler.Strategy, len(in))
	for i, s := range in {
		out[i] = scheduler.Strategy{Type: s.Type, Field: s.Field}
	}
	return out
}

// toConstraints converts scenario placement constraints.
func toConstraints(in []scenarios.PlacementConstraint) []scheduler.Constraint {
	out := make([]scheduler.Constraint, len(in))
	for i, c := range in {
		out[i] = scheduler.Constraint{Type: c.Type, Expression: c.Expression}
	}
	return out
}
