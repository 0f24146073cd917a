package planner

import (
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// Recommendation is `ecssim recommend --format json` (SCENARIO.md "The
// outputs of pack, recommend and sweep"), in AWS Compute Optimizer's words.
type Recommendation struct {
	// Services holds one entry per service that had utilization
	// datapoints, by name.
	Services map[string]*ServiceRecommendation `json:"services"`
	// CapacityProviders holds one entry per Auto Scaling group capacity
	// provider that ran service tasks, by name (recommend_providers.go).
	CapacityProviders map[string]*ProviderRecommendation `json:"capacity_providers"`
	// Notes says which services got no recommendation and why (ecssim
	// addition), in service order.
	Notes []string `json:"notes,omitempty"`

	// Policy is the policy used; Base the run of the scenario as given.
	Policy Policy      `json:"-"`
	Base   *sim.Result `json:"-"`
}

// Findings and reason codes of AWS Compute Optimizer (ECS services on
// Fargate: "finding", "findingReasonCodes", "performanceRisk").
const (
	Overprovisioned  = "Overprovisioned"
	Underprovisioned = "Underprovisioned"
	Optimized        = "Optimized"

	CPUOverprovisioned     = "CPUOverprovisioned"
	CPUUnderprovisioned    = "CPUUnderprovisioned"
	MemoryOverprovisioned  = "MemoryOverprovisioned"
	MemoryUnderprovisioned = "MemoryUnderprovisioned"

	RiskVeryLow = "VeryLow"
	RiskLow     = "Low"
	RiskMedium  = "Medium"
	RiskHigh    = "High"
)

// ServiceRecommendation is one service's finding and options.
type ServiceRecommendation struct {
	Finding            string   `json:"finding"`
	FindingReasonCodes []string `json:"finding_reason_codes"`
	PerformanceRisk    string   `json:"performance_risk"`
	Current            Current  `json:"current"`
	// Options are the sizes tried, the recommended one first (the first
	// that passed verification; when none passed, the largest tried), the
	// others in the order they were tried; then, for a service without
	// autoscaling, the recommended size with fewer tasks when that holds
	// the need (countOption), verified too but not recommended.
	Options []Option `json:"options"`
	// Need is the CPU units and MiB per task the policy asks for (ecssim
	// addition).
	Need Need `json:"need"`
	// LaunchTypeOptions run the tasks, at their current size, on other
	// capacity (Fargate, a Fargate Spot share, an Auto Scaling group),
	// each costed and verified by simulation (ecssim addition).
	LaunchTypeOptions []LaunchOption `json:"launch_type_options"`
}

// Need is the per-task size the policy asks for: the percentile of
// utilization times the size, plus the margin. CPU units and MiB.
type Need struct {
	CPU    float64 `json:"cpu"`
	Memory float64 `json:"memory"`
}

// Current is the service as the scenario has it.
type Current struct {
	CPU          int     `json:"cpu"`           // CPU units per task
	Memory       int     `json:"memory"`        // MiB per task
	DesiredCount int     `json:"desired_count"` // as configured
	MonthlyUSD   float64 `json:"monthly_usd"`   // see monthlyUSD
	// Autoscaling is the service's autoscaling range as configured; omitted
	// without [services.autoscaling] (ecssim addition).
	Autoscaling *AutoscalingRange `json:"autoscaling,omitempty"`
}

// Option is one candidate task size and what simulating it gave.
type Option struct {
	CPU                        int      `json:"cpu"`    // CPU units per task
	Memory                     int      `json:"memory"` // MiB per task
	DesiredCount               int      `json:"desired_count"`
	LaunchType                 string   `json:"launch_type"`
	MonthlyUSD                 float64  `json:"monthly_usd"`
	SavingsMonthlyUSD          float64  `json:"savings_monthly_usd"` // current minus option; negative costs more
	ProjectedCPUUtilization    Range    `json:"projected_cpu_utilization"`
	ProjectedMemoryUtilization Range    `json:"projected_memory_utilization"`
	Verified                   Verified `json:"verified"`
	// Autoscaling is the service's autoscaling range with the option when
	// the option changes it (smaller tasks need a larger max_capacity for
	// the same peak; see scaledRange); omitted when it is kept.
	Autoscaling *AutoscalingRange `json:"autoscaling,omitempty"`
	// AtFloor names the dimensions ("cpu", "memory") where the size sits
	// on a floor above the need: the smallest Fargate CPU size, the
	// smallest memory Fargate pairs with the CPU size, or 128 on EC2
	// (ecssim addition, as VPA flags a recommendation capped by its
	// minimum).
	AtFloor []string `json:"at_floor,omitempty"`
}

// Range is a projected utilization, percent of the option's size.
type Range struct {
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
}

// Verified is the result of simulating the scenario with the option
// applied, same seed.
type Verified struct {
	// Passed: unserved demand fraction and p95 placement wait within the
	// policy's limits, and every [[assertions]] check holds.
	Passed                 bool     `json:"passed"`
	UnservedDemandFraction *float64 `json:"unserved_demand_fraction"`
	CPUUtilizationP95      *float64 `json:"cpu_utilization_p95"`
	MemoryUtilizationMax   *float64 `json:"memory_utilization_max"`
	// PlacementWaitP95Seconds, OOMKilled and FailedAssertions say why an
	// option failed (ecssim additions).
	PlacementWaitP95Seconds *float64 `json:"placement_wait_p95_seconds"`
	OOMKilled               int64    `json:"oom_killed"`
	// PendingAtEnd is the service's tasks still waiting for capacity when
	// the run ends, and PendingAtEndMaxWaitSeconds how long the longest of
	// them has waited: a task never placed is not in the placement wait
	// figures, so an option also fails when one waits at the end longer
	// than the wait limit and than today's longest.
	PendingAtEnd               int      `json:"pending_at_end"`
	PendingAtEndMaxWaitSeconds *float64 `json:"pending_at_end_max_wait_seconds"`
	FailedAssertions           []string `json:"failed_assertions,omitempty"`
}

// RecommendOptions tune Recommend.
type RecommendOptions struct {
	// Seed, when non-nil, replaces the scenario's seed in every run.
	Seed *uint64
	// MaxSteps is how many larger sizes are tried after the first option
	// fails verification; 0 means 3.
	MaxSteps int
	// Parallel is how many simulations run at once; 0 means GOMAXPROCS.
	// The result does not depend on it.
	Parallel int
	// Version is passed to sim.Options.Version.
	Version string
}

// Recommend right-sizes the tasks of every service of sc, a scenario from
// scenarios.Load, VPA-style: it simulates sc, takes per service the
// policy's percentile of cpu_utilization and memory_utilization (see
// statAtOrAbove), multiplies it by the task's size and 1 + margin, picks
// the smallest task size at or above that need (fitSize; Fargate sizes for
// a service that can run on Fargate) and verifies it by simulating sc again
// with only that service resized, same seed. A size that fails verification
// is kept, marked passed=false, and the next size up is tried (stepUp), up
// to MaxSteps times. Desired count and auto scaling are left as they are.
//
// Model assumption: the need is per task and the number of tasks is kept,
// as a vertical autoscaler (Kubernetes VPA) does; when demand went unserved
// beyond the limit, the need is also at least the policy's percentile of
// demand per running task (from the datapoints, since utilization is
// capped at 100 %), and when tasks were OOM-killed, at least the task's
// memory plus the margin.
//
// Errors are those of sim.Run (runtime problems, such as an unreadable
// trace).
func Recommend(sc *scenarios.Scenario, opt RecommendOptions) (*Recommendation, error) {
	if opt.MaxSteps <= 0 {
		opt.MaxSteps = 3
	}
	if opt.Parallel <= 0 {
		opt.Parallel = runtime.GOMAXPROCS(0)
	}
	pol := PolicyOf(sc)
	r := &recommender{sc: sc, opt: opt, pol: pol, sem: make(chan struct{}, opt.Parallel)}
	base, err := r.simulate(sc)
	if err != nil {
		return nil, err
	}
	r.base = base
	rec := &Recommendation{
		Services:          map[string]*ServiceRecommendation{},
		CapacityProviders: map[string]*ProviderRecommendation{},
		Policy:            pol,
		Base:              base,
	}
	out := make([]*ServiceRecommendation, len(sc.Services))
	notes := make([]string, len(sc.Services))
	errs := make([]error, len(sc.Services))
	var wg sync.WaitGroup
	for i := range sc.Services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], notes[i], errs[i] = r.service(i)
		}()
	}
	var (
		provs     map[string]*ProviderRecommendation
		provNotes []string
		provErr   error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		provs, provNotes, provErr = r.providers()
	}()
	wg.Wait()
	for i := range sc.Services {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if out[i] != nil {
			rec.Services[sc.Services[i].Name] = out[i]
		}
		if notes[i] != "" {
			rec.Notes = append(rec.Notes, notes[i])
		}
	}
	if provErr != nil {
		return nil, provErr
	}
	rec.CapacityProviders = provs
	rec.Notes = append(rec.Notes, provNotes...)
	return rec, nil
}

// Changes returns the recommended options that passed verification and
// differ from the current size, one per service in name order: what
// `--apply` writes.
func (r *Recommendation) Changes() []Change {
	var out []Change
	for _, name := range r.ServiceNames() {
		s := r.Services[name]
		if len(s.Options) == 0 {
			continue
		}
		o := s.Options[0]
		if o.Verified.Passed && (o.CPU != s.Current.CPU || o.Memory != s.Current.Memory) {
			out = append(out, Change{Service: name, CPU: o.CPU, Memory: o.Memory, Autoscaling: o.Autoscaling})
		}
	}
	return out
}

// VerifiedSavingsMonthlyUSD sums the monthly savings of the recommended
// options (services and capacity providers) that passed verification.
func (r *Recommendation) VerifiedSavingsMonthlyUSD() float64 {
	total := 0.0
	for _, name := range r.ServiceNames() {
		if o := r.Services[name].Options[0]; o.Verified.Passed {
			total += o.SavingsMonthlyUSD
		}
	}
	for _, name := range slices.Sorted(maps.Keys(r.CapacityProviders)) {
		if o := r.CapacityProviders[name].Options[0]; o.Verified.Passed {
			total += o.SavingsMonthlyUSD
		}
	}
	return total
}

// ServiceNames returns the names of r.Services, sorted.
func (r *Recommendation) ServiceNames() []string {
	names := make([]string, 0, len(r.Services))
	for n := range r.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

type recommender struct {
	sc   *scenarios.Scenario
	opt  RecommendOptions
	pol  Policy
	base *sim.Result
	sem  chan struct{} // bounds the simulations running at once
}

func (r *recommender) simulate(sc *scenarios.Scenario) (*sim.Result, error) {
	r.sem <- struct{}{}
	defer func() { <-r.sem }()
	return sim.Run(sc, sim.Options{Seed: r.opt.Seed, Version: r.opt.Version})
}

// service recommends for service i; a nil recommendation comes with a note.
func (r *recommender) service(i int) (*ServiceRecommendation, string, error) {
	s := &r.sc.Services[i]
	sr := r.base.Services[s.Name]
	if sr == nil || sr.CPUUtilization == nil || sr.MemoryUtilization == nil {
		return nil, fmt.Sprintf("%s: no utilization datapoints after warmup (no task ran); no recommendation", s.Name), nil
	}
	td := s.TaskDef
	cur := Current{CPU: td.CPU, Memory: td.Memory, DesiredCount: s.DesiredCount, MonthlyUSD: monthlyUSD(r.base, s.Name), Autoscaling: currentRange(s)}
	cpuStat, _ := statAtOrAbove(sr.CPUUtilization, r.pol.CPUPercentile)
	memStat, _ := statAtOrAbove(sr.MemoryUtilization, r.pol.MemoryPercentile)
	grow := 1 + r.pol.Margin
	need := Need{
		CPU:    float64(td.CPU) * cpuStat / 100 * grow,
		Memory: float64(td.Memory) * memStat / 100 * grow,
	}
	unserved := deref(sr.UnservedDemandFraction)
	cpuShort := unserved > r.pol.MaxUnservedDemandFraction
	if cpuShort {
		if d, ok := demandPerTask(r.base, s.Name, r.pol.CPUPercentile); ok {
			need.CPU = math.Max(need.CPU, d*grow)
		}
	}
	memShort := sr.Tasks.OOMKilled > 0
	if memShort {
		need.Memory = math.Max(need.Memory, float64(td.Memory)*grow)
	}
	fargate := onFargate(s)
	c, m, ok := fitSize(fargate, need.CPU, need.Memory)
	if !ok { // beyond the largest Fargate size: the largest
		cpus := scenarios.FargateCPUs()
		c = cpus[len(cpus)-1]
		ms := scenarios.FargateMemories(c)
		m = ms[len(ms)-1]
	}

	var opts []Option
	rec := -1
	for step := 0; step <= r.opt.MaxSteps; step++ {
		o, res, err := r.verify(s, cur, c, m, launchTypeLabel(s))
		if err != nil {
			return nil, "", err
		}
		o.ProjectedCPUUtilization = project(sr.CPUUtilization.P50, cpuStat, td.CPU, c)
		o.ProjectedMemoryUtilization = project(sr.MemoryUtilization.P50, memStat, td.Memory, m)
		o.AtFloor = atFloor(fargate, c, m, need)
		opts = append(opts, o)
		if o.Verified.Passed {
			rec = len(opts) - 1
			break
		}
		short := res != nil && res.Services[s.Name] != nil && res.Services[s.Name].Tasks.OOMKilled > 0
		nc, nm, ok := stepUp(fargate, c, m, short)
		if !ok {
			break
		}
		c, m = nc, nm
	}
	if rec < 0 {
		rec = len(opts) - 1
		for j, o := range opts { // the largest tried
			if o.CPU+o.Memory > opts[rec].CPU+opts[rec].Memory {
				rec = j
			}
		}
	}
	best := opts[rec]
	ordered := append([]Option{best}, slices.Delete(slices.Clone(opts), rec, rec+1)...)
	if best.Verified.Passed {
		co, err := r.countOption(s, cur, best, cpuStat)
		if err != nil {
			return nil, "", err
		}
		if co != nil {
			co.ProjectedCPUUtilization = scaleRange(best.ProjectedCPUUtilization, float64(cur.DesiredCount)/float64(co.DesiredCount))
			co.ProjectedMemoryUtilization = best.ProjectedMemoryUtilization
			co.AtFloor = best.AtFloor
			ordered = append(ordered, *co)
		}
	}

	lts, err := r.launchOptions(i, cur)
	if err != nil {
		return nil, "", err
	}
	out := &ServiceRecommendation{Current: cur, Options: ordered, Need: need, LaunchTypeOptions: lts}
	if out.LaunchTypeOptions == nil {
		out.LaunchTypeOptions = []LaunchOption{}
	}
	out.Finding, out.FindingReasonCodes = finding(cur, best, need, cpuShort, memShort)
	out.PerformanceRisk = risk(best)
	return out, "", nil
}

// verify simulates sc with service s resized to cpu/mem (the base run when
// that is its current size) and judges the result against the policy.
func (r *recommender) verify(s *scenarios.Service, cur Current, cpu, mem int, launch string) (Option, *sim.Result, error) {
	return r.verifyCount(s, cur, cpu, mem, cur.DesiredCount, launch)
}

// verifyCount is verify with the service's desired_count set to count too.
func (r *recommender) verifyCount(s *scenarios.Service, cur Current, cpu, mem, count int, launch string) (Option, *sim.Result, error) {
	o := Option{CPU: cpu, Memory: mem, DesiredCount: count, LaunchType: launch, Autoscaling: scaledRange(s, cpu, mem)}
	res := r.base
	if cpu != cur.CPU || mem != cur.Memory || count != cur.DesiredCount {
		ch := Change{Service: s.Name, CPU: cpu, Memory: mem, Autoscaling: o.Autoscaling}
		if count != cur.DesiredCount {
			ch.DesiredCount = count
		}
		sc, err := applyChanges(r.sc, []Change{ch})
		if err != nil {
			panic("planner: " + err.Error()) // the service is the scenario's own
		}
		res, err = r.simulate(sc)
		if err != nil {
			return o, nil, err
		}
	}
	o.MonthlyUSD = monthlyUSD(res, s.Name)
	o.SavingsMonthlyUSD = cur.MonthlyUSD - o.MonthlyUSD
	o.Verified = r.judge(res, s.Name)
	return o, res, nil
}

// judge applies the policy's limits and the scenario's assertions to res.
// A missing statistic (null) passes its limit: no demand, no wait.
//
// An option also fails when a task of the service still waits at the end
// of the run, and has waited longer than the wait limit and than the
// longest such wait of the current configuration.
//
// Model assumption: the p95 placement wait comes mostly from capacity
// (instance launch and scaling), which a task size barely changes, so an
// option is held to max_placement_wait_p95 or to the current size's own
// p95 wait, whichever is larger: it must not wait longer than today.
func (r *recommender) judge(res *sim.Result, name string) Verified {
	v := r.judgeLimits(res, name)
	for _, a := range EvaluateAssertions(res, checks(r.sc)) {
		if !a.Passed {
			v.Passed = false
			v.FailedAssertions = append(v.FailedAssertions, a.Check)
		}
	}
	return v
}

// judgeLimits is judge without the assertions: the policy's limits on
// service name in res.
func (r *recommender) judgeLimits(res *sim.Result, name string) Verified {
	var v Verified
	sr := res.Services[name]
	if sr != nil {
		v.UnservedDemandFraction = sr.UnservedDemandFraction
		if sr.CPUUtilization != nil {
			v.CPUUtilizationP95 = &sr.CPUUtilization.P95
		}
		if sr.MemoryUtilization != nil {
			v.MemoryUtilizationMax = &sr.MemoryUtilization.Max
		}
		if sr.PlacementWaitSeconds != nil {
			v.PlacementWaitP95Seconds = &sr.PlacementWaitSeconds.P95
		}
		v.OOMKilled = sr.Tasks.OOMKilled
		v.PendingAtEnd = sr.PendingAtEnd
		v.PendingAtEndMaxWaitSeconds = sr.PendingAtEndMaxWaitSeconds
	}
	waitLimit := r.pol.MaxPlacementWaitP95.Seconds()
	if b := r.base.Services[name]; b != nil && b.PlacementWaitSeconds != nil {
		waitLimit = math.Max(waitLimit, b.PlacementWaitSeconds.P95)
	}
	pendLimit := waitLimit
	if b := r.base.Services[name]; b != nil {
		pendLimit = math.Max(pendLimit, deref(b.PendingAtEndMaxWaitSeconds))
	}
	v.Passed = deref(v.UnservedDemandFraction) <= r.pol.MaxUnservedDemandFraction &&
		(v.PlacementWaitP95Seconds == nil || *v.PlacementWaitP95Seconds <= waitLimit) &&
		deref(v.PendingAtEndMaxWaitSeconds) <= pendLimit
	return v
}

func checks(sc *scenarios.Scenario) []string {
	out := make([]string, len(sc.Assertions))
	for i, a := range sc.Assertions {
		out[i] = a.Check
	}
	return out
}

// finding classifies the service by the recommended option (Compute
// Optimizer's rules as the brief states them): Underprovisioned when a
// need exceeds the current size in a dimension, or demand went unserved
// beyond the limit (CPU) or tasks were OOM-killed (memory); else
// Overprovisioned when the option is smaller in a dimension; else
// Optimized. Reason codes list every dimension that is under, then every
// one that is over (smaller in the option), in CPU, memory order.
//
// Model assumption: a dimension larger in the option only because Fargate
// ties memory to CPU (512 CPU units need 1024 MiB) is not a reason code.
func finding(cur Current, o Option, need Need, cpuShort, memShort bool) (string, []string) {
	cpuUnder := cpuShort || need.CPU > float64(cur.CPU)
	memUnder := memShort || need.Memory > float64(cur.Memory)
	cpuOver := !cpuUnder && o.CPU < cur.CPU
	memOver := !memUnder && o.Memory < cur.Memory
	codes := []string{}
	if cpuUnder {
		codes = append(codes, CPUUnderprovisioned)
	}
	if memUnder {
		codes = append(codes, MemoryUnderprovisioned)
	}
	if cpuOver {
		codes = append(codes, CPUOverprovisioned)
	}
	if memOver {
		codes = append(codes, MemoryOverprovisioned)
	}
	switch {
	case cpuUnder || memUnder:
		return Underprovisioned, codes
	case cpuOver || memOver:
		return Overprovisioned, codes
	default:
		return Optimized, codes
	}
}

// risk is the performance risk of the recommended option.
//
// Model assumption: Compute Optimizer publishes no formula; here an option
// that failed verification is High, else the larger projected upper
// utilization (CPU or memory) decides: up to 60 % VeryLow, up to 80 % Low,
// up to 90 % Medium, above High.
func risk(o Option) string {
	if !o.Verified.Passed {
		return RiskHigh
	}
	u := math.Max(o.ProjectedCPUUtilization.Upper, o.ProjectedMemoryUtilization.Upper)
	switch {
	case u <= 60:
		return RiskVeryLow
	case u <= 80:
		return RiskLow
	case u <= 90:
		return RiskMedium
	default:
		return RiskHigh
	}
}

// project scales utilizations measured at size cur to size next: the load
// is the same, so utilization × cur / next. Lower from p50, upper from the
// policy's statistic. Percent.
//
// Model assumption: the projection keeps the run's task counts (an
// autoscaled service may run more tasks of a smaller size; verification
// shows the utilization it then gets); utilization measured while capped at 100 % (an
// overloaded service) projects below the truth.
func project(p50, upper float64, cur, next int) Range {
	f := float64(cur) / float64(next)
	return Range{Lower: p50 * f, Upper: upper * f}
}

// monthlyUSD is the service's share of the monthly projection:
// cost.by_service[name] (the whole run) × cost.monthly_usd /
// cost.total_usd, 0 when the run cost nothing.
//
// Model assumption: the service's cost is spread over the run like the
// whole bill, so the ratio of the bill's monthly projection to its total
// projects the service's cost too.
func monthlyUSD(res *sim.Result, name string) float64 {
	if res.Cost.TotalUSD <= 0 {
		return 0
	}
	return res.Cost.ByService[name] * res.Cost.MonthlyUSD / res.Cost.TotalUSD
}

// demandPerTask returns the pct percentile (nearest rank) of the
// post-warmup datapoints of demand per running task, in CPU units, from
// res's timeseries; ok is false without datapoints.
func demandPerTask(res *sim.Result, name string, pct float64) (float64, bool) {
	ts := res.Series
	if ts == nil || ts.PeriodSeconds <= 0 {
		return 0, false
	}
	col := func(metric string) []float32 {
		want := "service/" + name + "/" + metric
		for i, c := range ts.Columns {
			if c == want {
				return ts.Data[i]
			}
		}
		return nil
	}
	demand, running := col("demand_vcpu"), col("running_count")
	if demand == nil || running == nil {
		return 0, false
	}
	first := int(math.Ceil(res.Scenario.WarmupSeconds/ts.PeriodSeconds - 1e-9))
	var xs []float64
	for k := first; k < len(demand) && k < len(running); k++ {
		if running[k] > 0 && !math.IsNaN(float64(demand[k])) {
			xs = append(xs, float64(demand[k])*1024/float64(running[k]))
		}
	}
	if len(xs) == 0 {
		return 0, false
	}
	sort.Float64s(xs)
	rank := int(math.Ceil(pct/100*float64(len(xs)))) - 1
	return xs[min(max(rank, 0), len(xs)-1)], true
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
