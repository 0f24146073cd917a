package scheduler

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// Placer places tasks by one strategy chain and set of constraints
// [task-placement]. Build it once per service or job with NewPlacer; it
// holds scratch space, so it is not safe for concurrent use.
//
// The decision, in both Place and PlaceScan:
//
//  1. Filter. An instance is a candidate when it is placeable, in a pool the
//     task allows, has free memory >= Demand.Memory and free CPU >=
//     Demand.CPU, none of Demand.Ports reserved (and room under
//     MaxReservedPorts), a free task ENI if Demand.ENI, and passes every
//     constraint.
//  2. Strategies, in order, each keeping the candidates it prefers:
//     binpack keeps the least free memory (or CPU); spread keeps the
//     instances whose value of the field has the fewest tasks of the group;
//     random keeps one candidate drawn uniformly.
//  3. Model assumption: the lowest InstanceID among the candidates left wins.
//
// Spread counts the group's tasks on every registered instance with the
// value, placeable or not and in any pool (Model assumption: ECS balances the
// service as a whole, so a draining instance's tasks still count until they
// stop). Only values held by a candidate compete. Model assumption: an
// instance without the spread attribute has the value "" (one more value).
//
// When no instance passes the filter, the Reason is the filter that removed
// the last candidates, taking the filters in the order pool/placeable ->
// memory -> CPU -> ports -> ENI -> constraints (in the order given): for
// each instance count how many of these it passes in a row; the reason is
// the filter at which the best instance stopped. So a cluster where every
// instance lacks memory says insufficient_memory, one where memory fits
// somewhere but CPU nowhere says insufficient_cpu, and no placeable
// instance at all says no_container_instances. (Model assumption: ECS
// reports "the closest" match without defining it.)
type Placer struct {
	stages  []stage
	filters []filter
	plan    plan
	res     resource // binpack resource of planBinpack, planSpreadAZBinpack

	// scratch, reused by every call
	cand    []InstanceID
	azOrder []int32
	cells   []int32
	counts  map[string]int32
}

// plan is the fast path Place takes for a strategy chain.
type plan uint8

const (
	planScan            plan = iota // any other chain: PlaceScan
	planBinpack                     // [binpack r]
	planSpreadAZBinpack             // [spread AZ, binpack r]
	planSpreadAZ                    // [spread AZ, spread instanceId] (and the default)
	planSpreadInstance              // [spread instanceId]
	planRandom                      // [random]
	planSpreadAZRandom              // [spread AZ, random]
)

// NewPlacer compiles a strategy chain and constraints. Nil or empty
// strategies mean the ECS default for services: spread by
// attribute:ecs.availability-zone, then by instanceId
// [task-placement-strategies]. Errors name the offending strategy or
// constraint (user errors, from the scenario).
func NewPlacer(strategies []Strategy, constraints []Constraint) (*Placer, error) {
	if len(strategies) == 0 {
		strategies = defaultStrategies
	}
	var errs []error
	if len(strategies) > MaxStrategies {
		errs = append(errs, fmt.Errorf("%d placement strategies, at most %d allowed", len(strategies), MaxStrategies))
	}
	if len(constraints) > MaxConstraints {
		errs = append(errs, fmt.Errorf("%d placement constraints, at most %d allowed", len(constraints), MaxConstraints))
	}
	p := &Placer{counts: map[string]int32{}}
	for i, s := range strategies {
		st, err := compileStrategy(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("placement strategy %d: %w", i+1, err))
			continue
		}
		p.stages = append(p.stages, st)
	}
	for i, c := range constraints {
		f, err := compileConstraint(c)
		if err != nil {
			errs = append(errs, fmt.Errorf("placement constraint %d: %w", i+1, err))
			continue
		}
		p.filters = append(p.filters, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p.plan, p.res = choosePlan(p.stages)
	return p, nil
}

func choosePlan(st []stage) (plan, resource) {
	isAZ := func(s stage) bool { return s.kind == stageSpreadAttr && s.isAZ }
	switch {
	case len(st) == 1 && st[0].kind == stageBinpack:
		return planBinpack, st[0].res
	case len(st) == 1 && st[0].kind == stageSpreadInstance:
		return planSpreadInstance, 0
	case len(st) == 1 && st[0].kind == stageRandom:
		return planRandom, 0
	case len(st) == 2 && isAZ(st[0]) && st[1].kind == stageBinpack:
		return planSpreadAZBinpack, st[1].res
	case len(st) == 2 && isAZ(st[0]) && st[1].kind == stageSpreadInstance:
		return planSpreadAZ, 0
	case len(st) == 2 && isAZ(st[0]) && st[1].kind == stageRandom:
		return planSpreadAZRandom, 0
	}
	return planScan, 0
}

// Place chooses the instance for a task with demand d, or returns NoInstance
// and the Reason. It does not reserve: the caller calls c.Reserve. rng is
// drawn from only by a random strategy. For every chain without random it
// returns what PlaceScan returns; it answers from the free-capacity index for
// the chains [binpack], [spread AZ, binpack], [spread AZ, spread instanceId]
// (the default), [spread instanceId], [random] and [spread AZ, random], and
// scans for any other chain. It allocates nothing in steady state.
//
// Costs, with n instances in the cells the task may use: binpack and spread
// AZ then binpack, O(#cells · log n) (one index descent per cell, plus one
// per instance that fits the resources but fails ports, ENI or a
// constraint); spread instanceId (alone or after spread AZ), per cell,
// r rounds of one idTree descent (O(log n)) and one word scan of the
// group's occupancy set (64 instances a word) to find the lowest-id fitting
// instance without a task of the group, where r is 1 plus the number of
// times, below the answer, a run of instances holding the group is followed
// by a full one, plus one per instance rejected by ports, ENI or a
// constraint: O(log n + n/64) when the group's tasks sit on the low ids,
// O(n) at worst for alternating patterns; and, when every fitting instance
// of the cell holds the group (a service with more tasks than fitting
// instances), O(h + n/64) more with h the instances of the cell holding the
// group, since the minimum count needs every candidate; random, O(1) expected while at least a few percent of
// the instances are candidates; other chains, O(n).
// The first binpack(cpu) or spread(instanceId) placement builds that index
// in c (kept from then on; for spread(instanceId) the idTrees and the
// occupancy sets, which then cost Reserve and Release O(log n) more and
// Remove O(#groups in the cell · n/64) more), so Place may write to c even
// though it never changes what c holds. It panics on a negative CPU, memory or group (a
// programmer error).
func (p *Placer) Place(d Demand, c *Cluster, rng *rand.Rand) (InstanceID, Reason) {
	if d.CPU < 0 || d.Memory < 0 || d.Group < 0 {
		c.checkDemand("Place", &d)
	}
	var best InstanceID
	switch p.plan {
	case planBinpack:
		best = p.binpackCells(&d, c, p.allowedCells(&d, c))
	case planSpreadAZBinpack, planSpreadAZ, planSpreadAZRandom:
		best = p.spreadAZ(&d, c, rng)
	case planSpreadInstance:
		best = p.spreadInstanceCells(&d, c, p.allowedCells(&d, c))
	case planRandom:
		best = p.randomCells(&d, c, p.allowedCells(&d, c), rng)
	default:
		// No indexed plan: filter by scanning, then apply the strategies,
		// with the per-AZ task counts from the index.
		cand, r := p.scanFilter(&d, c)
		if len(cand) == 0 {
			return NoInstance, r
		}
		return p.applyStages(cand, &d, c, rng, true)[0], ReasonNone
	}
	if best != NoInstance {
		return best, ReasonNone
	}
	return NoInstance, p.failReason(&d, c)
}

func poolAllowed(mask uint64, pool int) bool { return mask == 0 || mask&(1<<uint(pool)) != 0 }

// allowedCells lists the cells of the pools d may use, in p.cells.
func (p *Placer) allowedCells(d *Demand, c *Cluster) []int32 {
	p.cells = p.cells[:0]
	for i := range c.cells {
		if poolAllowed(d.Pools, c.cells[i].pool) {
			p.cells = append(p.cells, int32(i))
		}
	}
	return p.cells
}

// extraOK applies the filters the index does not: ports, ENI, constraints.
func (p *Placer) extraOK(c *Cluster, id InstanceID, d *Demand) bool {
	if len(d.Ports) > 0 && !c.portsFree(id, d.Ports) {
		return false
	}
	if d.ENI && c.in[id].freeENI <= 0 {
		return false
	}
	for i := range p.filters {
		if !p.filters[i].allows(c, id, d.Group) {
			return false
		}
	}
	return true
}

// bestFit returns the candidate of cell ci with the least free res (ties:
// lowest id) and its sort key (sortKey(free res, id)), or NoInstance: one
// index descent, plus one more for each instance that fits the resources but
// fails ports, ENI or constraints.
func (p *Placer) bestFit(d *Demand, c *Cluster, ci int32, res resource) (InstanceID, int64) {
	cl := &c.cells[ci]
	t, root, k, v := &c.memIdx, cl.memRoot, d.Memory, d.CPU
	if res == resCPU {
		c.enableCPUIndex()
		t, root, k, v = &c.cpuIdx, cl.cpuRoot, d.CPU, d.Memory
	}
	bound := sortKey(k, 0)
	for {
		sk := t.firstSK(root, bound, v, d.ENI)
		if sk < 0 {
			return NoInstance, -1
		}
		if x := InstanceID(skID(sk)); p.extraOK(c, x, d) {
			return x, sk
		}
		bound = sk + 1 // the next (key, id) after x
	}
}

// binpackCells is binpack over the given cells: the least free resource,
// then the lowest id.
func (p *Placer) binpackCells(d *Demand, c *Cluster, cells []int32) InstanceID {
	best, bestSK := NoInstance, int64(0)
	for _, ci := range cells {
		// the sort keys order by (free resource, id)
		if x, sk := p.bestFit(d, c, ci, p.res); x != NoInstance && (best == NoInstance || sk < bestSK) {
			best, bestSK = x, sk
		}
	}
	return best
}

// spreadAZ is spread(attribute:ecs.availability-zone) followed by the plan's
// second stage: it takes the AZs in order of the group's task count, a tier
// of equal counts at a time, and returns what the second stage chooses among
// the tier's allowed cells; the first tier with a candidate wins.
// O(#AZ²) (few AZs) plus the second stage's work.
func (p *Placer) spreadAZ(d *Demand, c *Cluster, rng *rand.Rand) InstanceID {
	var counts []int32
	if int(d.Group) < len(c.groupAZ) {
		counts = c.groupAZ[d.Group]
	}
	count := func(az int32) int32 {
		if int(az) < len(counts) {
			return counts[az]
		}
		return 0
	}
	// insertion sort of the AZs by (count, index): few AZs
	order := p.azOrder[:0]
	for az := range int32(len(c.azNames)) {
		order = append(order, az)
		for i := len(order) - 1; i > 0 && count(order[i]) < count(order[i-1]); i-- {
			order[i], order[i-1] = order[i-1], order[i]
		}
	}
	p.azOrder = order
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && count(order[j]) == count(order[i]) {
			j++
		}
		cells := p.cells[:0]
		for _, az := range order[i:j] {
			for _, ci := range c.cellsByAZ[az] {
				if poolAllowed(d.Pools, c.cells[ci].pool) && c.cells[ci].placeable > 0 {
					cells = append(cells, ci)
				}
			}
		}
		p.cells = cells
		if len(cells) > 0 {
			x := NoInstance
			switch p.plan {
			case planSpreadAZBinpack:
				x = p.binpackCells(d, c, cells)
			case planSpreadAZ:
				x = p.spreadInstanceCells(d, c, cells)
			default:
				x = p.randomCells(d, c, cells, rng)
			}
			if x != NoInstance {
				return x
			}
		}
		i = j
	}
	return NoInstance
}

// spreadInstanceCells is spread(instanceId) over the given cells: the
// candidate with the fewest tasks of the group, then the lowest id. In each
// cell it looks for the lowest position whose instance both fits the task's
// memory and CPU (the cell's idTree, which skips full instances) and holds no
// task of the group (the group's occupancy set of the cell, which skips the
// instances holding one), alternating "first fitting position >= pos" and
// "first clear bit >= pos" until they agree; the first such instance that
// passes ports, ENI and constraints is the cell's answer, which no later
// instance of the cell can beat. Each step costs O(log n) or a scan of
// 64 positions per word, and each step moves past at least one instance that
// fails. Only when no candidate of the cell is free of the group (every
// fitting instance holds a task of it, as in a service with more tasks than
// instances) does it examine the instances holding the group one by one:
// the minimum count then needs every candidate anyway. A cell is skipped
// once an earlier cell gave a candidate without a task of the group and
// the cell's remaining ids are higher.
func (p *Placer) spreadInstanceCells(d *Demand, c *Cluster, cells []int32) InstanceID {
	c.enableIDIndex()
	best, bestN := NoInstance, int32(0)
	for _, ci := range cells {
		cl := &c.cells[ci]
		occ := c.cellOcc(cl, d.Group)
		done := false
		for pos := 0; pos < len(cl.ids); {
			i := cl.byID.first(pos, d.Memory, d.CPU)
			if i < 0 || i >= len(cl.ids) {
				break
			}
			if best != NoInstance && bestN == 0 && cl.ids[i] > best {
				done = true // ids ascend within a cell: nothing later can win
				break
			}
			if occ != nil {
				if j := occ.nextZero(i); j != i {
					pos = j // i holds a task of the group
					continue
				}
			}
			if id := cl.ids[i]; p.extraOK(c, id, d) {
				best, bestN, done = id, 0, true
				break
			}
			pos = i + 1
		}
		if done || occ == nil || (best != NoInstance && bestN == 0) {
			continue
		}
		// Every candidate of the cell holds a task of the group (those
		// without one failed above): examine the holders.
		for w, x := range occ.words {
			for x != 0 {
				i := w<<6 | bits.TrailingZeros64(x)
				x &= x - 1
				id := cl.ids[i]
				in := &c.in[id]
				if in.flags != flagPlaceable || in.freeMem < d.Memory || in.freeCPU < d.CPU {
					continue
				}
				n := c.groupCount(id, d.Group)
				if best != NoInstance && (n > bestN || (n == bestN && id > best)) {
					continue
				}
				if p.extraOK(c, id, d) {
					best, bestN = id, n
				}
			}
		}
	}
	return best
}

// randomTries is how many uniform draws over the cells' instances random
// placement makes before it scans for the candidates.
const randomTries = 32

// randomCells draws uniformly among the candidates of the given cells:
// rejection sampling over every instance of the cells (uniform over the
// candidates when it accepts), then, if every try missed, a uniform draw
// over the candidates found by a scan.
func (p *Placer) randomCells(d *Demand, c *Cluster, cells []int32, rng *rand.Rand) InstanceID {
	total := 0
	for _, ci := range cells {
		total += len(c.cells[ci].ids)
	}
	if total == 0 {
		return NoInstance
	}
	feasible := func(id InstanceID) bool {
		return c.in[id].flags == flagPlaceable && c.in[id].freeMem >= d.Memory && c.in[id].freeCPU >= d.CPU && p.extraOK(c, id, d)
	}
	for range randomTries {
		k := rng.IntN(total)
		for _, ci := range cells {
			ids := c.cells[ci].ids
			if k < len(ids) {
				if id := ids[k]; feasible(id) {
					return id
				}
				break
			}
			k -= len(ids)
		}
	}
	cand := p.cand[:0]
	for _, ci := range cells {
		for _, id := range c.cells[ci].ids {
			if feasible(id) {
				cand = append(cand, id)
			}
		}
	}
	p.cand = cand
	if len(cand) == 0 {
		return NoInstance
	}
	return cand[rng.IntN(len(cand))]
}

// failReason finds the Reason when the indexed search found no candidate:
// from the index when it can, else by the scan's rule (see Placer).
func (p *Placer) failReason(d *Demand, c *Cluster) Reason {
	anyPlaceable, anyMem, anyBoth := false, false, false
	for i := range c.cells {
		cl := &c.cells[i]
		if !poolAllowed(d.Pools, cl.pool) || cl.placeable == 0 {
			continue
		}
		anyPlaceable = true
		if c.memIdx.first(cl.memRoot, d.Memory, 0, 0, false) >= 0 {
			anyMem = true
			if c.memIdx.first(cl.memRoot, d.Memory, 0, d.CPU, false) >= 0 {
				anyBoth = true
				break
			}
		}
	}
	switch {
	case !anyPlaceable:
		return ReasonNoContainerInstances
	case !anyMem:
		return ReasonInsufficientMemory
	case !anyBoth:
		return ReasonInsufficientCPU
	}
	// Memory and CPU fit somewhere, so one of the later filters emptied the
	// set; when only one of them is active, it is the one.
	active, only := 0, ReasonNone
	if len(d.Ports) > 0 {
		active, only = active+1, ReasonNoFreePort
	}
	if d.ENI {
		active, only = active+1, ReasonNoFreeENI
	}
	for i := range p.filters {
		active, only = active+1, p.filters[i].reason()
	}
	if active == 1 {
		return only
	}
	_, r := p.scanFilter(d, c)
	return r
}
