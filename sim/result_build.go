package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ecssim/ecssim/internal/stats"
	"github.com/ecssim/ecssim/pricing"
)

func durationOf(t Time) time.Duration { return time.Duration(t) * time.Millisecond }

// result assembles results.json from the finished world.
func (w *world) result() *Result {
	firstK := int((w.warmup + w.period - 1) / w.period) // first datapoint with k·P >= warmup
	r := &Result{
		SchemaVersion: 1,
		Scenario: ScenarioInfo{
			Name:            w.sc.Name,
			Seed:            w.seedUsed(),
			DurationSeconds: float64(w.horizon) / float64(Second),
			WarmupSeconds:   float64(w.warmup) / float64(Second),
			SHA256:          w.sc.SHA256(),
			Region:          w.sc.Region,
			Start:           w.sc.Start.UTC().Format(time.RFC3339),
			PricingDate:     w.cat.Date(),
		},
		Engine:            EngineInfo{Events: w.events},
		Services:          map[string]*ServiceResult{},
		Jobs:              map[string]*JobResult{},
		CapacityProviders: map[string]*ProviderResult{},
		Activities:        w.activities,
		Assertions:        []AssertionResult{},
		Warnings:          w.warnings,
	}
	if r.Activities == nil {
		r.Activities = []Activity{}
	}
	r.Events = w.marks
	slices.SortStableFunc(r.Events, func(a, b EventMark) int { return cmp.Compare(a.AtSeconds, b.AtSeconds) })
	if r.Events == nil {
		r.Events = []EventMark{}
	}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	cost := Cost{ByCapacityProvider: map[string]float64{}, ByService: map[string]float64{}, ByJob: map[string]float64{}}
	for i, p := range w.providers {
		if p.fargate && w.meter.byProvider[i] == 0 && p.runningTasks == 0 && !w.providerUsed(p) {
			continue
		}
		cost.ByCapacityProvider[p.name] = w.meter.byProvider[i]
		cost.TotalUSD += w.meter.byProvider[i]
	}
	for i, s := range w.services {
		cost.ByService[s.name] = w.meter.byService[i]
	}
	for i, j := range w.jobs {
		cost.ByJob[j.name] = w.meter.byJob[i]
	}
	cost.IdleUSD = w.meter.idle
	if winH := float64(w.horizon-w.warmup) / float64(Hour); winH > 0 {
		cost.MonthlyUSD = pricing.MonthlyProjection(w.meter.window, winH)
	}
	r.Cost = cost

	post := func(col int) []float32 {
		v := w.ts.cols[col]
		if firstK >= len(v) {
			return nil
		}
		return v[firstK:]
	}
	for i, s := range w.services {
		c := w.ts.svcCol[i]
		l := &s.load
		sr := &ServiceResult{
			DesiredCount:              minMeanMax(post(c + colDesired)),
			RunningCount:              minMeanMax(post(c + colRunning)),
			CPUUtilization:            distOf(post(c + colCPU)),
			MemoryUtilization:         distOf(post(c + colMem)),
			Tasks:                     s.counts,
			PlacementFailures:         s.placementFailures,
			PlacementWaitSeconds:      s.waits.dist(),
			RunningByCapacityProvider: map[string]float64{},
			ScalingActivities:         s.scalingActivities,
			Deployments:               s.deploymentResults(w),
		}
		if len(post(c+colDesired)) > 0 {
			m := float64(l.overloadedPeriods) * float64(w.period) / float64(Minute)
			sr.OverloadedMinutes = &m
		}
		if l.demandTotal > 0 {
			f := l.unservedTotal / l.demandTotal
			sr.UnservedDemandFraction = &f
		} else if len(post(c+colDesired)) > 0 {
			zero := 0.0
			sr.UnservedDemandFraction = &zero
		}
		for _, ti := range s.active {
			if t := &w.tasks[ti]; t.state == tsProvisioning {
				sr.PendingAtEnd++
				wait := float64(w.horizon-t.wantedAt) / float64(Second)
				if sr.PendingAtEndMaxWaitSeconds == nil || wait > *sr.PendingAtEndMaxWaitSeconds {
					sr.PendingAtEndMaxWaitSeconds = &wait
				}
			}
		}
		if win := float64(len(post(c+colDesired))) * float64(w.period); win > 0 {
			for p, v := range s.runByProvTotal {
				if v > 0 {
					sr.RunningByCapacityProvider[w.providers[p].name] = v / win
				}
			}
		}
		r.Services[s.name] = sr
	}
	for _, j := range w.jobs {
		jr := j.res
		jr.WaitSeconds = j.waits.dist()
		jr.RunSeconds = j.runs.dist()
		jr.FailedToPlaceByReason = j.failReasons
		r.Jobs[j.name] = &jr
	}
	for i := range w.tasks {
		t := &w.tasks[i]
		if t.isJob && (t.state == tsProvisioning || t.state == tsPending || t.state == tsRunning) {
			r.Jobs[w.jobs[t.owner].name].InProgressAtEnd++
		}
	}
	for i, p := range w.providers {
		c := w.ts.provCol[i]
		if p.fargate {
			if !w.providerUsed(p) {
				continue
			}
			th := p.taskHoursMS / float64(Hour)
			vh := p.vcpuHoursMS / float64(Hour)
			gh := p.gbHoursMS / float64(Hour)
			r.CapacityProviders[p.name] = &ProviderResult{TaskHours: &th, VCPUHours: &vh, GBHours: &gh, Interruptions: p.interruptions}
			continue
		}
		ih := 0.0
		byType := map[string]int64{}
		for _, in := range w.instances {
			if in.prov != p.idx {
				continue
			}
			byType[in.typ.Name]++
			end := w.horizon
			if in.terminated {
				end = in.endAt
			}
			lo := max(in.launchedAt, w.warmup)
			if end > lo {
				ih += float64(end-lo) / float64(Hour)
			}
		}
		launches, terms := p.launches, p.terms
		r.CapacityProviders[p.name] = &ProviderResult{
			Interruptions:               p.interruptions,
			Instances:                   minMeanMax(post(c + colInstances)),
			InstanceHours:               &ih,
			CPUReservation:              distOf(post(c + colCPURes)),
			MemoryReservation:           distOf(post(c + colMemRes)),
			Launches:                    &launches,
			LaunchesByInstanceType:      byType,
			Terminations:                &terms,
			CapacityProviderReservation: distOf(post(c + colCPR)),
		}
	}
	ts := &Timeseries{PeriodSeconds: float64(w.period) / float64(Second), Columns: w.ts.names, Data: w.ts.cols}
	r.Series = ts
	return r
}

// providerUsed reports whether any task ever used a Fargate provider.
func (w *world) providerUsed(p *provider) bool {
	for _, s := range w.services {
		if s.runByProvTotal[p.idx] > 0 || slices.Contains(s.stratProv, p.idx) {
			return true
		}
	}
	for _, j := range w.jobs {
		if (p.idx == w.fargate && j.fargate) || slices.Contains(j.stratProv, p.idx) {
			return true
		}
	}
	return false
}

func (w *world) seedUsed() uint64 {
	if w.opt.Seed != nil {
		return *w.opt.Seed
	}
	return w.sc.Seed
}

// minMeanMax summarizes datapoints (NaN ones skipped); nil with none.
func minMeanMax(v []float32) *MinMeanMax {
	n := 0
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if x != x { // NaN: no datapoint
			continue
		}
		f := float64(x)
		n++
		sum += f
		lo, hi = min(lo, f), max(hi, f)
	}
	if n == 0 {
		return nil
	}
	return &MinMeanMax{Min: lo, Mean: sum / float64(n), Max: hi}
}

// distOf is {mean,p50,p95,p99,max} of datapoints (NaN skipped), nil with
// none. Percentiles are nearest rank, exact up to stats.DefaultExactLimit
// datapoints and from the deterministic sketch beyond (ARCHITECTURE.md
// rule 5).
func distOf(v []float32) *Dist {
	if len(v) > stats.DefaultExactLimit {
		s := stats.NewSample(0)
		for _, x := range v {
			s.Add(float64(x))
		}
		if s.N() == 0 {
			return nil
		}
		m := s.Summary()
		return &Dist{Mean: m.Mean, P50: m.P50, P95: m.P95, P99: m.P99, Max: m.Max}
	}
	xs := make([]float32, 0, len(v))
	var sum float64
	for _, x := range v {
		if x == x { // not NaN
			xs = append(xs, x)
			sum += float64(x)
		}
	}
	n := len(xs)
	if n == 0 {
		return nil
	}
	slices.Sort(xs)
	q := func(p float64) float64 { return float64(xs[stats.NearestRank(p, n)-1]) }
	return &Dist{Mean: sum / float64(n), P50: q(0.50), P95: q(0.95), P99: q(0.99), Max: float64(xs[n-1])}
}

// checkInvariants verifies the world after an event (--check-invariants):
// the placement view is consistent and no instance is over-allocated, and
// every task is in exactly one state, with its owner's books agreeing.
func (w *world) checkInvariants() error {
	if err := w.cluster.CheckInvariants(); err != nil {
		return err
	}
	for _, s := range w.services {
		running, healthy := 0, 0
		for _, ti := range s.active {
			t := &w.tasks[ti]
			if t.isJob || t.owner != int32(s.idx) {
				return fmt.Errorf("service %s holds a foreign task %d", s.name, ti)
			}
			switch t.state {
			case tsProvisioning, tsPending:
			case tsRunning:
				running++
				if t.healthy {
					healthy++
				}
			default:
				return fmt.Errorf("service %s: active task %d is %s", s.name, ti, t.state)
			}
		}
		if running != s.load.running || healthy != s.load.healthy {
			return fmt.Errorf("service %s: running %d/%d healthy %d/%d", s.name, running, s.load.running, healthy, s.load.healthy)
		}
	}
	for _, p := range w.providers {
		if p.reservedCPU < 0 || p.reservedMem < 0 || p.reservedCPU > p.registCPU || p.reservedMem > p.registMem {
			if !p.fargate {
				return fmt.Errorf("provider %s: reserved %d/%d CPU %d/%d MiB", p.name, p.reservedCPU, p.registCPU, p.reservedMem, p.registMem)
			}
		}
	}
	if math.IsNaN(w.meter.idle) {
		return fmt.Errorf("idle cost is NaN")
	}
	return nil
}
