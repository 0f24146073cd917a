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

	demand float64 // vCPUs demanded in the current period
	rps    float64 // requests/s in the current period

	running   int
	healthy   int
	runByProv []int // RUNNING tasks by provider index
	// Reservations of the RUNNING tasks (vCPUs, MiB) and of the healthy
	// ones; hv and healthySet split the healthy tasks into the set that
	// serves by default (0) and a deployment's green set (1).
	rv, rm     float64
	hv         [2]float64
	hm         float64
	healthySet [2]int
	// shifting: a blue/green deployment splits traffic, share going to the
	// green set.
	shifting bool
	share    float64

	last       Time
	iDemand    float64 // vCPU·ms
	iServed    float64 // vCPU·ms
	iUtil      float64 // utilization fraction · ms, while running > 0
	iMem       float64 // memory fraction · ms, while running > 0
	iRunT      float64 // ms with running > 0
	iRunning   float64
	iDesired   float64
	iPending   float64 // PROVISIONING tasks · ms
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

// served returns the vCPUs the healthy tasks serve now. Healthy tasks
// share their set's demand in proportion to their size (equal shares when
// they are alike); during a traffic shift the green set gets share of the
// demand and the rest goes to the others.
//
// Model assumption: tasks of different revisions share demand in
// proportion to their vCPUs, so each is equally utilized.
func (l *loadModel) served() float64 {
	if !l.shifting {
		return math.Min(l.demand, l.hv[0]+l.hv[1])
	}
	return math.Min(l.share*l.demand, l.hv[1]) + math.Min((1-l.share)*l.demand, l.hv[0])
}

// set is the traffic set of a task: 1 for a deployment's green tasks.
func set(t *task) int {
	if t.green {
		return 1
	}
	return 0
}

// taskRunning counts a task entering (sign 1) or leaving (-1) RUNNING.
func (l *loadModel) taskRunning(t *task, rv *revision, sign int) {
	l.running += sign
	l.runByProv[t.prov] += sign
	l.rv += float64(sign) * rv.vcpu
	l.rm += float64(sign) * rv.mem
	if l.running == 0 {
		l.rv, l.rm = 0, 0 // no float residue
	}
}

// taskHealthy counts a task becoming (1) or ceasing to be (-1) healthy.
func (l *loadModel) taskHealthy(t *task, rv *revision, sign int) {
	l.healthy += sign
	l.healthyByProv[t.prov] += sign
	k := set(t)
	l.healthySet[k] += sign
	l.hv[k] += float64(sign) * rv.vcpu
	l.hm += float64(sign) * rv.mem
	if l.healthySet[k] == 0 {
		l.hv[k] = 0
	}
	if l.healthy == 0 {
		l.hm = 0
	}
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
		l.iUtil += served / l.rv * dt
		// Model assumption: a task cannot hold more than its memory; above
		// it, it is OOM-killed at the datapoint's check, so memory
		// utilization tops at 100 %.
		l.iMem += math.Min(l.memoryUsed(served)/l.rm, 1) * dt
		l.iRunT += dt
	}
	if l.scaled {
		l.addMinute(dt, served)
	}
	if w.usage != nil {
		l.addUsage(w, dt, served)
	}
	l.iRunning += float64(l.running) * dt
	l.iPending += float64(len(l.s.active)-l.s.placed) * dt
	l.iDesired += float64(l.s.desired) * dt
	for p, n := range l.runByProv {
		if n != 0 {
			l.iRunByProv[p] += float64(n) * dt
		}
	}
}

// memoryUsed is the memory (MiB) the running tasks use when serving
// served vCPUs: memory_base each, plus memory_per_rps per request/s served.
func (l *loadModel) memoryUsed(served float64) float64 {
	servedRPS := 0.0
	if l.demand > 0 {
		servedRPS = l.rps * served / l.demand
	}
	return float64(l.running)*l.memBase + l.memPerRPS*servedRPS
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
