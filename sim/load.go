package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/workloads"
)

// loadModel is a service's demand and what its tasks serve
// (SCENARIO.md [services.load] and "Exact meanings": Demand). Demand is
// constant within a metrics period, evaluated at its start. Only healthy
// tasks serve, each an equal share; demand above their capacity is
// unserved. Integrals are in unit·milliseconds over the open period.
//
// Model assumption: a RUNNING task that is not yet healthy uses no CPU and
// memory_base MiB; it counts in the service's average CPU and memory
// utilization (ECS averages over running tasks), so a service warming up
// shows lower utilization. Since serving tasks share demand equally, a
// memory overrun OOM-kills every serving task at the same datapoint.
type loadModel struct {
	curve     workloads.Curve // vCPUs, or requests/s when rpsMode
	rpsMode   bool
	cpuPerReq float64 // vCPU-seconds per request
	noise     float64
	rng       *rand.Rand
	memBase   float64 // MiB
	memPerRPS float64 // MiB per request/s
	taskVCPU  float64
	taskMem   float64 // MiB

	demand float64 // vCPUs demanded in the current period
	rps    float64 // requests/s in the current period

	running   int
	healthy   int
	runByProv []int // RUNNING tasks by provider index

	last       Time
	iDemand    float64 // vCPU·ms
	iServed    float64 // vCPU·ms
	iUtil      float64 // utilization fraction · ms, while running > 0
	iMem       float64 // memory fraction · ms, while running > 0
	iRunT      float64 // ms with running > 0
	iRunning   float64
	iDesired   float64
	iRunByProv []float64

	// after warmup
	demandTotal       float64 // vCPU·ms
	unservedTotal     float64
	overloadedPeriods int64
	s                 *service

	// scaled: the service has auto scaling policies, so the 1-minute
	// datapoints of its alarms are kept.
	scaled bool
	minute minuteAcc
	// healthyByProv counts healthy tasks by provider index.
	healthyByProv []int
}

func (l *loadModel) init(w *world, s *service) error {
	l.s = s
	l.taskVCPU = float64(s.td.CPU) / 1024
	l.taskMem = float64(s.td.Memory)
	l.runByProv = make([]int, len(w.providers))
	l.healthyByProv = make([]int, len(w.providers))
	l.minute.reset()
	l.iRunByProv = make([]float64, len(w.providers))
	l.rng = w.stream("service/" + s.name + "/noise")
	ld := s.sc.Load
	if ld == nil {
		l.curve = workloads.Constant(0)
		return nil
	}
	l.noise = ld.Noise
	l.memBase = ld.MemoryBase
	l.memPerRPS = ld.MemoryPerRPS
	spec := ld.CPU
	if ld.RequestsPerSecond != nil {
		spec = ld.RequestsPerSecond
		l.rpsMode = true
		l.cpuPerReq = ld.CPUPerRequest.D().Seconds()
	}
	c, err := toCurve(spec, w.sc)
	if err != nil {
		return fmt.Errorf("sim: service %s: load: %v", s.name, err)
	}
	if len(ld.Spikes) > 0 {
		sp := make([]workloads.Spike, len(ld.Spikes))
		for i, x := range ld.Spikes {
			sp[i] = workloads.Spike{At: x.At.D(), Duration: x.Duration.D(), Factor: x.Factor}
		}
		c = workloads.WithSpikes(c, sp)
	}
	l.curve = c
	return nil
}

// evaluate sets the demand of the period starting now.
func (l *loadModel) evaluate(now Time) {
	v := l.curve.At(time.Duration(now) * time.Millisecond)
	if l.noise > 0 {
		v *= math.Max(0, 1+l.noise*l.rng.NormFloat64())
	}
	if l.rpsMode {
		l.rps = v
		l.demand = v * l.cpuPerReq
	} else {
		l.demand = v
		l.rps = 0
	}
}

// served returns the vCPUs the healthy tasks serve now.
func (l *loadModel) served() float64 {
	return math.Min(l.demand, float64(l.healthy)*l.taskVCPU)
}

// advance integrates the current state up to w.now. Call it before any
// change of demand, counts or desired count.
func (l *loadModel) advance(w *world) {
	dt := float64(w.now - l.last)
	if dt <= 0 {
		return
	}
	l.last = w.now
	served := l.served()
	l.iDemand += l.demand * dt
	l.iServed += served * dt
	if l.running > 0 {
		l.iUtil += served / (float64(l.running) * l.taskVCPU) * dt
		servedRPS := 0.0
		if l.demand > 0 {
			servedRPS = l.rps * served / l.demand
		}
		mem := (float64(l.running)*l.memBase + l.memPerRPS*servedRPS) / float64(l.running)
		// Model assumption: a task cannot hold more than its memory; above
		// it, it is OOM-killed at the datapoint's check, so memory
		// utilization tops at 100 %.
		l.iMem += math.Min(mem/l.taskMem, 1) * dt
		l.iRunT += dt
	}
	if l.scaled {
		l.addMinute(dt, served)
	}
	if w.usage != nil {
		l.addUsage(w, dt, served)
	}
	l.iRunning += float64(l.running) * dt
	l.iDesired += float64(l.s.desired) * dt
	for p, n := range l.runByProv {
		if n != 0 {
			l.iRunByProv[p] += float64(n) * dt
		}
	}
}

// memoryPerHealthyTask is the memory (MiB) each serving task uses now.
func (l *loadModel) memoryPerHealthyTask() float64 {
	if l.healthy == 0 {
		return l.memBase
	}
	servedRPS := 0.0
	if l.demand > 0 {
		servedRPS = l.rps * l.served() / l.demand
	}
	return l.memBase + l.memPerRPS*servedRPS/float64(l.healthy)
}

// toCurve builds a demand curve from its spec.
func toCurve(c *scenarios.CurveSpec, sc *scenarios.Scenario) (workloads.Curve, error) {
	switch c.Pattern {
	case "constant":
		return workloads.Constant(c.Value), nil
	case "diurnal":
		peak, err := workloads.ParseTimeOfDay(c.Peak)
		if err != nil {
			return nil, err
		}
		wf := 1.0
		if c.WeekendFactor != nil {
			wf = *c.WeekendFactor
		}
		return workloads.Diurnal(c.Min, c.Max, peak, wf, sc.Start), nil
	case "steps":
		at := make([]time.Duration, len(c.Steps))
		vs := make([]float64, len(c.Steps))
		for i, s := range c.Steps {
			at[i], vs[i] = s.At.D(), s.Value
		}
		return workloads.NewSteps(at, vs)
	case "trace":
		f, err := os.Open(resolvePath(sc, c.File))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		scale := 1.0
		if c.Scale != nil {
			scale = *c.Scale
		}
		if c.Format == "cloudwatch" {
			return workloads.ReadCloudWatchCurve(f, sc.Start, scale)
		}
		return workloads.ReadCSVCurve(f, sc.Start, scale)
	}
	return nil, fmt.Errorf("unknown pattern %q", c.Pattern)
}

// toDist builds a duration distribution from its spec.
func toDist(d scenarios.DistSpec, sc *scenarios.Scenario) (workloads.Dist, error) {
	switch d.Dist {
	case "", "constant":
		return workloads.ConstDist(d.Value.D()), nil
	case "exponential":
		return workloads.Exponential(d.Mean.D()), nil
	case "lognormal":
		return workloads.LogNormal(d.Median.D(), d.P95.D())
	case "uniform":
		return workloads.Uniform(d.Min.D(), d.Max.D())
	case "empirical":
		f, err := os.Open(resolvePath(sc, d.File))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return workloads.ReadEmpirical(f)
	}
	return nil, fmt.Errorf("unknown distribution %q", d.Dist)
}

// resolvePath resolves a path relative to the scenario file.
func resolvePath(sc *scenarios.Scenario, p string) string {
	if filepath.IsAbs(p) || sc.File == "" {
		return p
	}
	return filepath.Join(filepath.Dir(sc.File), p)
}
