package sim

import (
	"math"

	"github.com/ecssim/ecssim/autoscaling"
)

// CloudWatch metric names of the 1-minute datapoints the scaling loops
// read (SCENARIO.md "Service auto scaling": scaling alarms always read
// 1-minute datapoints, whatever metrics_period is).
const (
	mCPUUtilization        = "CPUUtilization"
	mMemoryUtilization     = "MemoryUtilization"
	mRequestCountPerTarget = "RequestCountPerTarget"
	mCPUReservation        = "CPUReservation"
	mMemoryReservation     = "MemoryReservation"
	mCPR                   = "CapacityProviderReservation"
)

// samplePeriod is how often ECS samples task utilization (every 20
// seconds, per the ECS developer guide "Amazon ECS service utilization
// metrics"); SampleCount counts task samples.
const samplePeriod = 20 * Second

// minuteAcc integrates a service's utilization over the open 1-minute
// scaling period, in unit·ms, with the extremes over its tasks.
//
// Model assumption: a service datapoint's Minimum and Maximum are those of
// its tasks over the minute (the ECS guide: "the utilization of the task
// with the lowest/highest resource usage"); tasks running but not yet
// healthy use no CPU and memory_base MiB; SampleCount is task-time over
// 20 s samples; Sum = Average × SampleCount. RequestCountPerTarget is the
// ALB's Sum: requests per healthy target in the minute, all statistics
// equal, missing while no target is healthy; every request demanded is
// routed (served or not).
type minuteAcc struct {
	util, mem, runT, taskMS float64
	req, reqT               float64 // requests per target (ms·req/s), ms with a healthy target
	minU, maxU, minM, maxM  float64
}

func (m *minuteAcc) reset() {
	*m = minuteAcc{minU: math.Inf(1), maxU: math.Inf(-1), minM: math.Inf(1), maxM: math.Inf(-1)}
}

// addMinute integrates the interval [last, now) of length dt into the
// minute accumulator; served is the vCPUs served over it.
func (l *loadModel) addMinute(dt, served float64) {
	m := &l.minute
	if l.healthy > 0 {
		m.req += l.rps / float64(l.healthy) * dt
		m.reqT += dt
	}
	if l.running == 0 {
		return
	}
	n := float64(l.running)
	m.util += served / l.rv * dt
	servedRPS := 0.0
	if l.demand > 0 {
		servedRPS = l.rps * served / l.demand
	}
	m.mem += math.Min(l.memoryUsed(served)/l.rm, 1) * dt
	m.runT += dt
	m.taskMS += n * dt
	// Per-task extremes, for tasks of the average reservation of their
	// kind (model assumption when revisions differ in size).
	avgMem := l.rm / n
	hiU, hiM := 0.0, l.memBase/avgMem
	if l.healthy > 0 {
		hm := l.hm / float64(l.healthy)
		hiU = served / (l.hv[0] + l.hv[1])
		hiM = (l.memBase + l.memPerRPS*servedRPS/float64(l.healthy)) / hm
	}
	hiM = math.Min(hiM, 1)
	loU, loM := hiU, hiM
	if l.healthy < l.running {
		loU, loM = 0, math.Min(l.memBase/avgMem, 1)
	}
	m.minU, m.maxU = math.Min(m.minU, loU), math.Max(m.maxU, hiU)
	m.minM, m.maxM = math.Min(m.minM, loM), math.Max(m.maxM, hiM)
}

// closeMinute returns the service's CPUUtilization, MemoryUtilization and
// RequestCountPerTarget datapoints of the minute ending now and opens the
// next minute. Call after advance.
func (l *loadModel) closeMinute() (cpu, mem, req autoscaling.Datapoint) {
	m := &l.minute
	if m.runT > 0 {
		samples := m.taskMS / float64(samplePeriod)
		cpu = autoscaling.Datapoint{Average: 100 * m.util / m.runT, Maximum: 100 * m.maxU, Minimum: 100 * m.minU, SampleCount: samples}
		cpu.Sum = cpu.Average * samples
		mem = autoscaling.Datapoint{Average: 100 * m.mem / m.runT, Maximum: 100 * m.maxM, Minimum: 100 * m.minM, SampleCount: samples}
		mem.Sum = mem.Average * samples
	}
	if m.reqT > 0 {
		v := m.req / float64(Second)
		req = autoscaling.Datapoint{Average: v, Maximum: v, Minimum: v, Sum: v, SampleCount: 1}
	}
	m.reset()
	return cpu, mem, req
}
