package planner

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/pricing"
	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/scheduler"
	"github.com/ecssim/ecssim/sim"
)

// monthHours is the month a monthly_usd figure stands for (AWS pricing
// pages use 730 hours).
const monthHours = 730

// providerOptions is how many instance type options a capacity provider
// recommendation lists (and verifies).
const providerOptions = 3

// providerVerifyMax is how many options are verified at most while none
// passes.
const providerVerifyMax = 12

// providerSavingsThreshold is the fraction of the current monthly cost a
// passing option must save for the finding Overprovisioned.
const providerSavingsThreshold = 0.10

// ProviderRecommendation is one Auto Scaling group capacity provider's
// finding and instance type options (SCENARIO.md "The outputs of pack,
// recommend and sweep").
type ProviderRecommendation struct {
	// Finding is Overprovisioned when the recommended option passed
	// verification and saves more than 10 % of the current monthly cost,
	// else Optimized.
	Finding string          `json:"finding"`
	Current ProviderCurrent `json:"current"`
	// Options are the cheapest instance type and market choices by
	// estimated monthly cost (at most 3): the recommended one first (the
	// cheapest that passed verification; when none passed, the cheapest),
	// the others by estimated cost.
	Options []ProviderOption `json:"options"`
	// Tasks is the task mix packed (ecssim addition), in service order.
	Tasks []ProviderTasks `json:"tasks"`
}

// ProviderCurrent is the group as the scenario has it.
type ProviderCurrent struct {
	InstanceTypes []string `json:"instance_types"`
	Market        string   `json:"market"`
	// MonthlyUSD is the simulated cost of the group, projected to a month:
	// cost.by_capacity_provider[name] × cost.monthly_usd / cost.total_usd.
	MonthlyUSD float64 `json:"monthly_usd"`
}

// ProviderTasks is one service's share of the task mix of a group.
type ProviderTasks struct {
	Service string `json:"service"`
	CPU     int    `json:"cpu"`    // CPU units per task
	Memory  int    `json:"memory"` // MiB per task
	Count   int    `json:"count"`  // tasks packed
}

// ProviderOption is one instance type and market for the group.
type ProviderOption struct {
	// InstanceTypes are the group's types, in launch order for a mix.
	InstanceTypes []string `json:"instance_types"`
	Market        string   `json:"market"`
	// AllocationStrategy is the group's new allocation_strategy: set for a
	// Spot mix (price_capacity_optimized) and for an on-demand option of a
	// group whose strategy on demand does not allow; empty keeps it
	// (ecssim addition).
	AllocationStrategy string `json:"allocation_strategy,omitempty"`
	// InterruptionFrequency is the Spot Advisor bucket (its label) the
	// option assumes when it moves an on-demand group to Spot; the
	// verification and --apply give the group that [interruptions]
	// frequency (ecssim addition).
	InterruptionFrequency string `json:"interruption_frequency,omitempty"`
	// Instances is the number of instances the task mix packs onto (at
	// least the group's min_size) (ecssim addition).
	Instances int `json:"instances"`
	// USDPerHour is the hourly price of one instance (ecssim addition).
	USDPerHour float64 `json:"usd_per_hour"`
	// MonthlyUSD is Instances × USDPerHour × 730.
	MonthlyUSD float64 `json:"monthly_usd"`
	// SavingsMonthlyUSD is the current monthly cost minus MonthlyUSD;
	// negative costs more.
	SavingsMonthlyUSD float64          `json:"savings_monthly_usd"`
	Verified          ProviderVerified `json:"verified"`
}

// ProviderVerified is the result of simulating the scenario with the
// group's instance_types replaced by the option's and its market set, same
// seed.
type ProviderVerified struct {
	// Passed: every service with tasks on the group keeps its unserved
	// demand fraction and p95 placement wait within the policy's limits
	// (as for a service option), and every [[assertions]] check holds.
	Passed bool `json:"passed"`
	// UnservedDemandFraction is the largest of those services'; null when
	// none had demand.
	UnservedDemandFraction *float64 `json:"unserved_demand_fraction"`
	// PlacementWaitP95Seconds is the largest of those services'.
	PlacementWaitP95Seconds *float64 `json:"placement_wait_p95_seconds"`
	OOMKilled               int64    `json:"oom_killed"`
	// PendingAtEnd sums the services' tasks waiting at the end, and
	// PendingAtEndMaxWaitSeconds is the longest such wait (ecssim
	// additions).
	PendingAtEnd               int      `json:"pending_at_end"`
	PendingAtEndMaxWaitSeconds *float64 `json:"pending_at_end_max_wait_seconds"`
	// FailedServices names the services whose limits failed, in service
	// order (ecssim addition).
	FailedServices   []string `json:"failed_services,omitempty"`
	FailedAssertions []string `json:"failed_assertions,omitempty"`
	// SimulatedMonthlyUSD is the group's simulated cost in the verifying
	// run, projected to a month like ProviderCurrent.MonthlyUSD (ecssim
	// addition).
	SimulatedMonthlyUSD float64 `json:"simulated_monthly_usd"`
}

// providers recommends for every Auto Scaling group capacity provider of
// the scenario, in scenario order; a provider with no recommendation comes
// with a note.
func (r *recommender) providers() (map[string]*ProviderRecommendation, []string, error) {
	cat, err := sim.Catalog(r.sc)
	if err != nil {
		return nil, nil, err
	}
	n := len(r.sc.CapacityProviders)
	out := make([]*ProviderRecommendation, n)
	notes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], notes[i], errs[i] = r.provider(cat, i)
		}()
	}
	wg.Wait()
	recs := map[string]*ProviderRecommendation{}
	var ns []string
	for i := range n {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		if out[i] != nil {
			recs[r.sc.CapacityProviders[i].Name] = out[i]
		}
		if notes[i] != "" {
			ns = append(ns, notes[i])
		}
	}
	return recs, ns, nil
}

// provider recommends for capacity provider i of the scenario.
func (r *recommender) provider(cat *pricing.Catalog, i int) (*ProviderRecommendation, string, error) {
	cp := &r.sc.CapacityProviders[i]
	mix := taskMix(r.sc, r.base, cp.Name)
	if len(mix) == 0 {
		return nil, fmt.Sprintf("capacity provider %s: no service task ran on it; no recommendation", cp.Name), nil
	}
	arch := ""
	for _, t := range cp.InstanceTypes {
		if it, ok := cat.InstanceType(t); ok {
			arch = it.Arch
			break
		}
	}
	cur := ProviderCurrent{
		InstanceTypes: slices.Clone(cp.InstanceTypes),
		Market:        string(cp.Market),
		MonthlyUSD:    providerMonthlyUSD(r.base, cp.Name),
	}
	opts := providerCandidates(r.sc, cat, arch, cp, mix)
	if len(opts) == 0 {
		return nil, fmt.Sprintf("capacity provider %s: the task mix fits no %s instance type of the catalog within max_size; no recommendation", cp.Name, arch), nil
	}
	// Verify the cheapest in batches of providerOptions until one passes
	// (placement constraints such as memberOf are not packed, so a cheap
	// type may fail), at most providerVerifyMax.
	all := opts
	opts = nil
	for start := 0; start < len(all) && start < providerVerifyMax; start += providerOptions {
		batch := slices.Clone(all[start:min(start+providerOptions, len(all), providerVerifyMax)])
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for j := range batch {
			batch[j].SavingsMonthlyUSD = cur.MonthlyUSD - batch[j].MonthlyUSD
			wg.Add(1)
			go func() {
				defer wg.Done()
				batch[j].Verified, errs[j] = r.verifyProvider(i, mix, batch[j])
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, "", err
			}
		}
		opts = append(opts, batch...)
		if slices.ContainsFunc(batch, func(o ProviderOption) bool { return o.Verified.Passed }) {
			break
		}
	}
	rec := 0
	for j := range opts {
		if opts[j].Verified.Passed {
			rec = j
			break
		}
	}
	best := opts[rec]
	ordered := append([]ProviderOption{best}, slices.Delete(slices.Clone(opts), rec, rec+1)...)
	finding := Optimized
	if best.Verified.Passed && best.SavingsMonthlyUSD > providerSavingsThreshold*cur.MonthlyUSD {
		finding = Overprovisioned
	}
	return &ProviderRecommendation{Finding: finding, Current: cur, Options: ordered, Tasks: mix}, "", nil
}

// taskMix returns the tasks of every service that ran on capacity
// provider name in res, in scenario service order.
//
// Model assumption: the mix a group must hold is each service's largest
// desired count (desired_count max of the run, after warmup) times the
// service's share of running tasks on the group
// (running_by_capacity_provider[name] over the sum of its values), rounded
// up: the peak the group had to place, split as the strategy split it.
// Jobs are not packed (their concurrency is not summarized); verification
// runs them.
func taskMix(sc *scenarios.Scenario, res *sim.Result, name string) []ProviderTasks {
	var out []ProviderTasks
	for i := range sc.Services {
		s := &sc.Services[i]
		sr := res.Services[s.Name]
		if sr == nil || sr.RunningByCapacityProvider[name] <= 0 {
			continue
		}
		total := 0.0
		for _, v := range sr.RunningByCapacityProvider {
			total += v
		}
		peak := 0.0
		if sr.DesiredCount != nil {
			peak = sr.DesiredCount.Max
		}
		if sr.RunningCount != nil {
			peak = math.Max(peak, sr.RunningCount.Max)
		}
		n := int(math.Ceil(peak*sr.RunningByCapacityProvider[name]/total - 1e-9))
		if n <= 0 {
			continue
		}
		out = append(out, ProviderTasks{Service: s.Name, CPU: s.TaskDef.CPU, Memory: s.TaskDef.Memory, Count: n})
	}
	return out
}

// packProblem builds the vector bin packing problem of mix on one instance
// of it in group cp with scheduler.TaskPackProblem, the builder managed
// scaling's instance count uses: registered CPU units and MiB
// (vCPU × 1024 and memory − reserved_memory), task ENI slots when a task
// uses awsvpc, static host ports, and distinctInstance. ok is false when
// the type cannot hold awsvpc tasks at all.
//
// Model assumption: memberOf constraints, placement strategies and
// Availability Zone spread are not packed; verification simulates them.
func packProblem(sc *scenarios.Scenario, mix []ProviderTasks, it pricing.InstanceType, cp *scenarios.CapacityProvider) (scheduler.PackProblem, bool) {
	in := scheduler.InstanceShape{
		CPU:    int64(it.RegisteredCPU()),
		Memory: int64(it.RegisteredMemory(cp.ReservedMemory)),
		ENIs:   int64(it.TaskENIs(cp.AwsvpcTrunking)),
	}
	shapes := make([]scheduler.TaskShape, len(mix))
	for k, m := range mix {
		s := serviceByName(sc, m.Service)
		ts := scheduler.TaskShape{CPU: int64(m.CPU), Memory: int64(m.Memory), ENI: s.TaskDef.NetworkMode == "awsvpc", Count: m.Count}
		for _, hp := range s.TaskDef.HostPorts {
			ts.Ports = append(ts.Ports, uint16(hp))
		}
		for _, c := range s.PlacementConstraints {
			ts.Distinct = ts.Distinct || c.Type == "distinctInstance"
		}
		ts.DistinctGroup = k // one mix entry per service
		shapes[k] = ts
	}
	return scheduler.TaskPackProblem(in, shapes)
}

func serviceByName(sc *scenarios.Scenario, name string) *scenarios.Service {
	for i := range sc.Services {
		if sc.Services[i].Name == name {
			return &sc.Services[i]
		}
	}
	panic("planner: no service " + name) // the mix comes from the scenario
}

// providerCandidates packs mix onto every instance type of the catalog
// with architecture arch and an on-demand price in region, and returns an
// option per type and market (on_demand; spot when the catalog has a Spot
// price; only spot for a group with Spot events), plus Spot mixes (see
// spotMixes), sorted by monthly cost, then
// mixes first (more pools for the same price), then type names, then
// market. Types the mix does not fit (a task larger than the instance, no
// ENI slot) or that need more than the group's max_size instances are left
// out.
//
// Model assumption: the group's min_size, max_size, scaling and other
// settings are kept; the instance count is the packing's, at least
// min_size, all month (a group that scales in costs less).
func providerCandidates(sc *scenarios.Scenario, cat *pricing.Catalog, arch string, cp *scenarios.CapacityProvider, mix []ProviderTasks) []ProviderOption {
	var out []ProviderOption
	var spot []spotPool
	spotOnly := hasSpotEvent(sc, cp.Name)
	for _, it := range cat.InstanceTypes() {
		if it.Arch != arch {
			continue
		}
		od, ok := cat.OnDemandRate(sc.Region, it.Name)
		if !ok {
			continue
		}
		p, ok := packProblem(sc, mix, it, cp)
		if !ok {
			continue
		}
		res, err := scheduler.Pack(p, scheduler.PackOptions{Seed: 1})
		if err != nil { // a task larger than the instance
			continue
		}
		n := max(res.Bins, cp.MinSize)
		if cp.MaxSize > 0 && n > cp.MaxSize {
			continue
		}
		if !spotOnly {
			out = append(out, singleOption(cat, sc.Region, cp, it.Name, scenarios.MarketOnDemand, n, od))
		}
		if sp, ok := cat.SpotRate(sc.Region, it.Name); ok {
			out = append(out, singleOption(cat, sc.Region, cp, it.Name, scenarios.MarketSpot, n, sp))
			_, b, _ := cat.SpotAdvice(sc.Region, it.Name)
			spot = append(spot, spotPool{it: it, n: n, rate: sp, bucket: b})
		}
	}
	out = append(out, spotMixes(cat, sc.Region, cp, spot)...)
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.MonthlyUSD != y.MonthlyUSD {
			return x.MonthlyUSD < y.MonthlyUSD
		}
		if len(x.InstanceTypes) != len(y.InstanceTypes) {
			return len(x.InstanceTypes) > len(y.InstanceTypes)
		}
		if c := slices.Compare(x.InstanceTypes, y.InstanceTypes); c != 0 {
			return c < 0
		}
		return x.Market < y.Market
	})
	return out
}

// hasSpotEvent reports whether an [[events]] entry of sc is a Spot event
// (spot_interruptions, spot_capacity_shortage) on group name: such a group
// must stay on Spot (the scenario would not validate on demand).
func hasSpotEvent(sc *scenarios.Scenario, name string) bool {
	for _, e := range sc.Events {
		if e.CapacityProvider == name && strings.HasPrefix(e.Type, "spot_") {
			return true
		}
	}
	return false
}

// spotPool is one instance type's Spot pool as a candidate: the packed
// instance count, the Spot price (USD/hour) and the Spot Advisor
// interruption bucket.
type spotPool struct {
	it     pricing.InstanceType
	n      int
	rate   float64
	bucket int
}

// mixPeers is how many other types a Spot mix adds to its type.
const mixPeers = 2

// spotMixes returns, for each Spot pool, a mixed instances option: the
// type plus the mixPeers cheapest other types with the same vCPUs and
// memory (the same packing), launched by price_capacity_optimized, AWS's
// recommended Spot allocation strategy; diversified pools keep the group
// launching when one pool runs dry (a spot_capacity_shortage with
// instance_types shows it in verification). A mix is kept only when its
// own type is the one the strategy launches first (one mix per first
// type), and costs its count (the largest of its types' packings) at that
// type's price.
//
// Model assumption: the group launches its first type by allocation
// strategy while that pool has capacity (as the simulator does), so a
// mix costs what that type costs.
func spotMixes(cat *pricing.Catalog, region string, cp *scenarios.CapacityProvider, pools []spotPool) []ProviderOption {
	var out []ProviderOption
	for _, p := range pools {
		var peers []spotPool
		for _, q := range pools {
			if q.it.Name != p.it.Name && q.it.VCPU == p.it.VCPU && q.it.MemoryGiB == p.it.MemoryGiB {
				peers = append(peers, q)
			}
		}
		if len(peers) == 0 {
			continue
		}
		slices.SortStableFunc(peers, func(a, b spotPool) int {
			if a.rate != b.rate {
				return cmp.Compare(a.rate, b.rate)
			}
			return strings.Compare(a.it.Name, b.it.Name)
		})
		members := append([]spotPool{p}, peers[:min(mixPeers, len(peers))]...)
		rates := make([]float64, len(members))
		buckets := make([]int, len(members))
		n := 0
		for k, m := range members {
			rates[k], buckets[k], n = m.rate, m.bucket, max(n, m.n)
		}
		order := autoscaling.LaunchOrder(autoscaling.AllocPriceCapacityOptimized, rates, buckets)
		names := make([]string, len(members))
		for k, j := range order {
			names[k] = members[j].it.Name
		}
		if order[0] != 0 {
			continue // another type launches first: its own mix covers it
		}
		first := members[order[0]]
		o := singleOption(cat, region, cp, first.it.Name, scenarios.MarketSpot, n, first.rate)
		o.InstanceTypes = names
		o.AllocationStrategy = autoscaling.AllocPriceCapacityOptimized
		out = append(out, o)
	}
	return out
}

// singleOption is the option of n instances of type name in market at
// rate USD/hour. It keeps the group's allocation strategy unless the
// market does not allow it (on demand takes lowest_price or prioritized:
// then lowest_price), and names the Spot Advisor bucket of the type when
// it moves an on-demand group to Spot (see verifyProvider).
func singleOption(cat *pricing.Catalog, region string, cp *scenarios.CapacityProvider, name string, market scenarios.Market, n int, rate float64) ProviderOption {
	o := ProviderOption{
		InstanceTypes: []string{name}, Market: string(market), Instances: n,
		USDPerHour: rate, MonthlyUSD: float64(n) * rate * monthHours,
	}
	if market == scenarios.MarketOnDemand && cp.AllocationStrategy != "" &&
		cp.AllocationStrategy != scenarios.AllocLowestPrice && cp.AllocationStrategy != scenarios.AllocPrioritized {
		o.AllocationStrategy = string(scenarios.AllocLowestPrice)
	}
	if market == scenarios.MarketSpot && cp.Market != scenarios.MarketSpot {
		if _, b, ok := cat.SpotAdvice(region, name); ok {
			o.InterruptionFrequency = pricing.FrequencyLabel(b)
		}
	}
	return o
}

// verifyProvider simulates the scenario with capacity provider i running
// the option's instance type and market, and judges every service of mix
// and the assertions.
//
// Model assumption: a group moved from on_demand to spot gets the Spot
// Advisor interruption-frequency bucket of the type it launches first in
// the region (the option's InterruptionFrequency; none when the catalog
// has no advice); a spot group keeps its own [interruptions] table.
func (r *recommender) verifyProvider(i int, mix []ProviderTasks, o ProviderOption) (ProviderVerified, error) {
	cp := *r.sc
	cp.CapacityProviders = slices.Clone(r.sc.CapacityProviders)
	g := &cp.CapacityProviders[i]
	g.InstanceTypes = slices.Clone(o.InstanceTypes)
	if o.AllocationStrategy != "" {
		g.AllocationStrategy = scenarios.AllocationStrategy(o.AllocationStrategy)
	}
	if string(g.Market) != o.Market {
		g.Market = scenarios.Market(o.Market)
		g.Interruptions = nil
		if o.InterruptionFrequency != "" {
			g.Interruptions = &scenarios.Interruptions{Frequency: o.InterruptionFrequency}
		}
	}
	res, err := r.simulate(&cp)
	if err != nil {
		return ProviderVerified{}, err
	}
	v := ProviderVerified{Passed: true, SimulatedMonthlyUSD: providerMonthlyUSD(res, g.Name)}
	for _, m := range mix {
		sv := r.judgeLimits(res, m.Service)
		if !sv.Passed {
			v.Passed = false
			v.FailedServices = append(v.FailedServices, m.Service)
		}
		v.UnservedDemandFraction = maxPtr(v.UnservedDemandFraction, sv.UnservedDemandFraction)
		v.PlacementWaitP95Seconds = maxPtr(v.PlacementWaitP95Seconds, sv.PlacementWaitP95Seconds)
		v.OOMKilled += sv.OOMKilled
		v.PendingAtEnd += sv.PendingAtEnd
		v.PendingAtEndMaxWaitSeconds = maxPtr(v.PendingAtEndMaxWaitSeconds, sv.PendingAtEndMaxWaitSeconds)
	}
	for _, a := range EvaluateAssertions(res, checks(r.sc)) {
		if !a.Passed {
			v.Passed = false
			v.FailedAssertions = append(v.FailedAssertions, a.Check)
		}
	}
	return v, nil
}

func maxPtr(a, b *float64) *float64 {
	switch {
	case b == nil:
		return a
	case a == nil || *b > *a:
		x := *b
		return &x
	default:
		return a
	}
}

// providerMonthlyUSD is the group's share of the monthly projection:
// cost.by_capacity_provider[name] × cost.monthly_usd / cost.total_usd, 0
// when the run cost nothing (the model assumption of monthlyUSD).
func providerMonthlyUSD(res *sim.Result, name string) float64 {
	if res.Cost.TotalUSD <= 0 {
		return 0
	}
	return res.Cost.ByCapacityProvider[name] * res.Cost.MonthlyUSD / res.Cost.TotalUSD
}
