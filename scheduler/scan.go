package scheduler

import "math/rand/v2"

// PlaceScan is the linear-scan reference for Place: it tests every instance
// against every filter, then applies the strategies to the candidate list
// exactly as the Placer documentation states, with no index. Place returns
// the same answer for every chain without random (tests hold it to that on
// thousands of random clusters); with random both draw uniformly among the
// same candidates, but not necessarily the same one. O(n) per call, O(n)
// more per spread-by-attribute stage.
func (p *Placer) PlaceScan(d Demand, c *Cluster, rng *rand.Rand) (InstanceID, Reason) {
	c.checkDemand("PlaceScan", &d)
	cand, r := p.scanFilter(&d, c)
	if len(cand) == 0 {
		return NoInstance, r
	}
	cand = p.applyStages(cand, &d, c, rng, false)
	return cand[0], ReasonNone
}

// Filter positions: depth counts the filters an instance passes in a row.
const (
	depthPlaceable = iota // fails: not placeable, removed, or pool not allowed
	depthMemory
	depthCPU
	depthPorts
	depthENI
	depthConstraints // + index of the constraint
)

// depth returns how many filters instance id passes in a row, in the order
// pool/placeable, memory, CPU, ports, ENI, constraints; depthConstraints +
// len(p.filters) means it passes them all.
func (p *Placer) depth(c *Cluster, id InstanceID, d *Demand) int {
	switch {
	case !c.Placeable(id) || !poolAllowed(d.Pools, c.Pool(id)):
		return depthPlaceable
	case c.in[id].freeMem < d.Memory:
		return depthMemory
	case c.in[id].freeCPU < d.CPU:
		return depthCPU
	case len(d.Ports) > 0 && !c.portsFree(id, d.Ports):
		return depthPorts
	case d.ENI && c.in[id].freeENI <= 0:
		return depthENI
	}
	for i := range p.filters {
		if !p.filters[i].allows(c, id, d.Group) {
			return depthConstraints + i
		}
	}
	return depthConstraints + len(p.filters)
}

// reasonAt names the filter at position k.
func (p *Placer) reasonAt(k int) Reason {
	switch k {
	case depthPlaceable:
		return ReasonNoContainerInstances
	case depthMemory:
		return ReasonInsufficientMemory
	case depthCPU:
		return ReasonInsufficientCPU
	case depthPorts:
		return ReasonNoFreePort
	case depthENI:
		return ReasonNoFreeENI
	}
	return p.filters[k-depthConstraints].reason()
}

// scanFilter returns every candidate in ascending id order (in p.cand), or,
// when there is none, the Reason: the filter at which the instance that got
// furthest stopped.
func (p *Placer) scanFilter(d *Demand, c *Cluster) ([]InstanceID, Reason) {
	full := depthConstraints + len(p.filters)
	cand, deepest := p.cand[:0], 0
	for id := range InstanceID(c.Len()) {
		k := p.depth(c, id, d)
		if k == full {
			cand = append(cand, id)
		} else if k > deepest {
			deepest = k
		}
	}
	p.cand = cand
	if len(cand) > 0 {
		return cand, ReasonNone
	}
	return nil, p.reasonAt(deepest)
}

// applyStages narrows the candidates (ascending ids) by each strategy in
// turn; the result stays in ascending order, so its first element is the
// lowest id among the ties left. With indexed, spread by AZ reads the
// Cluster's per-(group, AZ) task counts instead of summing over every
// instance.
func (p *Placer) applyStages(cand []InstanceID, d *Demand, c *Cluster, rng *rand.Rand, indexed bool) []InstanceID {
	for _, st := range p.stages {
		switch st.kind {
		case stageBinpack:
			cand = keepMin(cand, func(id InstanceID) int64 {
				cpu, mem := c.Free(id)
				if st.res == resCPU {
					return int64(cpu)
				}
				return int64(mem)
			})
		case stageSpreadInstance:
			cand = keepMin(cand, func(id InstanceID) int64 { return int64(c.GroupTasks(id, d.Group)) })
		case stageSpreadAttr:
			if indexed && st.isAZ {
				cand = keepMin(cand, func(id InstanceID) int64 { return int64(c.azTasks(d.Group, c.cells[c.in[id].cellOf].az)) })
				continue
			}
			clear(p.counts)
			for id := range InstanceID(c.Len()) {
				if !c.Removed(id) {
					v, _ := c.Attribute(id, st.attr)
					p.counts[v] += int32(c.GroupTasks(id, d.Group))
				}
			}
			cand = keepMin(cand, func(id InstanceID) int64 {
				v, _ := c.Attribute(id, st.attr)
				return int64(p.counts[v])
			})
		case stageRandom:
			k := rng.IntN(len(cand))
			cand = cand[k : k+1]
		}
	}
	return cand
}

// keepMin keeps, in order, the candidates with the least score.
func keepMin(cand []InstanceID, score func(InstanceID) int64) []InstanceID {
	best := score(cand[0])
	for _, id := range cand[1:] {
		best = min(best, score(id))
	}
	out := cand[:0]
	for _, id := range cand {
		if score(id) == best {
			out = append(out, id)
		}
	}
	return out
}
