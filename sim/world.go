package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/internal/stats"
	"github.com/ecssim/ecssim/pricing"
	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/scheduler"
)

// world is the simulated ECS cluster: all mutable state of one run. Only
// world's methods change it; the policy packages read what it shows them.
type world struct {
	sc      *scenarios.Scenario
	cat     *pricing.Catalog
	streams Streams
	opt     Options

	now     Time
	horizon Time
	warmup  Time
	period  Time // metrics_period
	q       Queue
	events  int64

	azs       []string
	providers []*provider // ASG providers in scenario order, then FARGATE, FARGATE_SPOT
	fargate   int         // index of FARGATE in providers
	fargSpot  int         // index of FARGATE_SPOT
	ec2Queue  *waitQueue  // tasks of launch_type = "EC2" services waiting for any instance

	cluster   *scheduler.Cluster
	instances []*instance // every instance ever launched, in launch order
	byID      []int32     // scheduler.InstanceID -> index into instances

	tasks    []task
	freeTask []int32

	services []*service
	jobs     []*job

	placementPending bool // a placement pass is scheduled for now
	failCache        map[failKey]scheduler.Reason
	passQueues       []*waitQueue
	enqSeq           uint64 // global order of entering a provisioning queue

	meter meter
	ts    timeseriesBuilder

	activities []Activity
	marks      []EventMark
	warnings   []string

	// azDown[az] counts the outages now open in each AZ: nothing is placed
	// or launched there.
	azDown []int
	// windows are the shortage and outage windows scheduled so far.
	windows []window
	started bool // the event loop runs (start() is over)

	// usage[p]: group p's threshold scaler reads utilization, so the CPU
	// and memory its tasks use are integrated (nil when none does).
	usage []bool
}

// provider is a capacity provider: an Auto Scaling group, or one of the
// two Fargate providers.
type provider struct {
	idx     int
	name    string
	fargate bool
	spot    bool
	cp      *scenarios.CapacityProvider // nil for Fargate

	types     []pricing.InstanceType // launch order by allocation strategy
	rates     []float64              // USD/hour per types[i]
	waiting   *waitQueue
	instances []int32 // indices into world.instances, live ones
	launches  int64
	terms     int64
	scaling   *groupScaling // nil: the group stays at desired_capacity
	// desiredCap is the Auto Scaling group's desired capacity: the group
	// launches while live < desiredCap (and no Spot shortage holds it).
	desiredCap int
	// shortage counts the capacity shortage windows now open (FARGATE_SPOT
	// and Spot groups): new Fargate Spot tasks wait, group launches fail.
	shortage int
	// typeShort counts, per type of types, the shortage windows open on
	// that Spot pool alone (a spot_capacity_shortage with instance_types).
	typeShort []int
	// hazard is the Spot interruption rate per instance-hour of each of
	// types (EC2 Spot groups), or per task-hour (FARGATE_SPOT, index 0).
	hazard        []float64
	interruptions int64
	rngSpot       *rand.Rand // interruption times and storm victims
	rngFail       *rand.Rand // instance_failure victims
	rngTerm       *rand.Rand // victims within an AZ on scale-in

	// Fargate rates (Fargate providers only), by architecture.
	rateX86, rateARM pricing.FargateRate

	// accumulators for datapoints
	instAvg      stats.TimeAvg // instances (launching or registered)
	cpuResAvg    stats.TimeAvg // reserved CPU units on registered instances
	memResAvg    stats.TimeAvg
	cpuRegAvg    stats.TimeAvg // registered CPU units of registered instances
	memRegAvg    stats.TimeAvg
	reservedCPU  int64
	reservedMem  int64
	registCPU    int64
	registMem    int64
	live         int // launching or registered, not draining
	nDraining    int // draining (registered, still holding tasks)
	busy         int // registered instances holding at least one task
	taskHoursMS  float64
	vcpuHoursMS  float64
	gbHoursMS    float64
	runningTasks int // Fargate: tasks billed (PENDING..STOPPED)
	runVCPU      float64
	runGB        float64
	fargLast     Time
	fargTasksAvg stats.TimeAvg
	costRate     float64       // USD/hour billed now (instances, or Fargate tasks)
	costRateAvg  stats.TimeAvg // its period average
	warmup       Time
}

// instance is one EC2 container instance.
type instance struct {
	prov       int
	typ        pricing.InstanceType
	rate       float64 // USD/hour
	az         int
	id         scheduler.InstanceID // NoInstance until registered
	launchedAt Time
	registered bool
	draining   bool // leaving the group: no new tasks, not counted in N
	spotWarned bool // in its two-minute Spot warning
	terminated bool
	endAt      Time // when it terminated (valid when terminated)
	ec2ID      string
	cost       costAcc
}

// stream returns the named random stream.
func (w *world) stream(name string) *rand.Rand { return w.streams.Stream(name) }

// newWorld builds the initial state of a run from a validated scenario.
func newWorld(sc *scenarios.Scenario, opt Options) (*world, error) {
	seed := sc.Seed
	if opt.Seed != nil {
		seed = *opt.Seed
	}
	cat, warnings, err := catalogFor(sc)
	if err != nil {
		return nil, err
	}
	w := &world{
		warnings: warnings,
		sc:       sc,
		cat:      cat,
		streams:  NewStreams(seed),
		opt:      opt,
		horizon:  Time(sc.Duration.Millis()),
		warmup:   Time(sc.Warmup.Millis()),
		period:   Time(sc.MetricsPeriod.Millis()),
		azs:      sc.Cluster.AvailabilityZones,
		cluster:  scheduler.NewCluster(),
	}
	if w.period <= 0 {
		return nil, fmt.Errorf("sim: metrics_period must be positive")
	}
	for i := range sc.CapacityProviders {
		cp := &sc.CapacityProviders[i]
		p := &provider{idx: i, warmup: Time(sc.Warmup.Millis()), name: cp.Name, cp: cp, spot: cp.Market == scenarios.MarketSpot, waiting: &waitQueue{}}
		for _, tn := range cp.InstanceTypes {
			it, ok := cat.InstanceType(tn)
			if !ok {
				return nil, fmt.Errorf("sim: instance type %q not in the catalog", tn)
			}
			var rate float64
			if p.spot {
				rate, ok = cat.SpotRate(sc.Region, tn)
			} else {
				rate, ok = cat.OnDemandRate(sc.Region, tn)
			}
			if !ok {
				return nil, fmt.Errorf("sim: no %s price for %s in %s", cp.Market, tn, sc.Region)
			}
			p.types = append(p.types, it)
			p.rates = append(p.rates, rate)
		}
		orderTypes(p, cp.AllocationStrategy, cat, sc.Region)
		w.providers = append(w.providers, p)
	}
	for _, spot := range []bool{false, true} {
		name := scenarios.ProviderFargate
		if spot {
			name = scenarios.ProviderFargateSpot
		}
		p := &provider{idx: len(w.providers), warmup: Time(sc.Warmup.Millis()), name: name, fargate: true, spot: spot, waiting: &waitQueue{}}
		x86, ok1 := cat.FargateRate(sc.Region, "x86_64", spot)
		arm, ok2 := cat.FargateRate(sc.Region, "arm64", spot)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("sim: no Fargate price for region %s", sc.Region)
		}
		p.rateX86, p.rateARM = x86, arm
		if spot {
			w.fargSpot = p.idx
		} else {
			w.fargate = p.idx
		}
		w.providers = append(w.providers, p)
	}
	for _, p := range w.providers {
		// Every average starts at t = 0 with the value 0, so the first
		// datapoint averages over its whole period.
		for _, a := range []*stats.TimeAvg{&p.instAvg, &p.cpuResAvg, &p.memResAvg, &p.cpuRegAvg, &p.memRegAvg, &p.fargTasksAvg, &p.costRateAvg} {
			a.Set(0, 0)
		}
	}
	w.ec2Queue = &waitQueue{}
	w.azDown = make([]int, len(w.azs))
	if err := w.buildGroupScaling(); err != nil {
		return nil, err
	}
	if err := w.buildSpot(); err != nil {
		return nil, err
	}
	if err := w.buildServices(); err != nil {
		return nil, err
	}
	if err := w.buildJobs(); err != nil {
		return nil, err
	}
	w.ts.init(w)
	return w, nil
}

// orderTypes sorts a group's instance types into launch preference order
// by its allocation strategy (ECS-SEMANTICS.md §7 "Allocation"):
// prioritized keeps the scenario order; lowest_price sorts by price;
// capacity_optimized by interruption bucket; price_capacity_optimized by
// bucket, then price. Ties keep the scenario order.
func orderTypes(p *provider, s scenarios.AllocationStrategy, cat *pricing.Catalog, region string) {
	n := len(p.types)
	bucket := make([]int, n)
	for i := range bucket {
		if _, b, ok := cat.SpotAdvice(region, p.types[i].Name); ok {
			bucket[i] = b
		}
	}
	idx := autoscaling.LaunchOrder(string(s), p.rates, bucket)
	types := make([]pricing.InstanceType, n)
	rates := make([]float64, n)
	for i, k := range idx {
		types[i], rates[i] = p.types[k], p.rates[k]
	}
	p.types, p.rates = types, rates
}
