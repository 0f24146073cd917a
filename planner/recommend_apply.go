package planner

import (
	"fmt"

	"github.com/ecssim/ecssim/scenarios"
)

// Change resizes one service's task definition and, when Autoscaling is
// not nil, sets its autoscaling range (see scaledRange); a DesiredCount
// above 0 sets its desired_count (verifying a countOption; ApplyToTOML
// does not write it, as --apply writes only recommended options).
type Change struct {
	Service      string // service name
	CPU          int    // CPU units
	Memory       int    // MiB
	Autoscaling  *AutoscalingRange
	DesiredCount int
}

// plan says how a set of changes edits a scenario: for each change, the
// index of the task definition edited and whether it is a clone appended
// to the task definitions (a task definition used by anything else than
// the service: another service, a job or an event) or edited in place.
type plan struct {
	change   Change
	service  int    // index in sc.Services
	taskDef  int    // index in sc.TaskDefinitions of the service's task definition
	clone    bool   // append a copy under family cloneFam, revision 1
	cloneFam string // family of the clone
}

// planChanges resolves changes against sc. It fails on an unknown service.
//
// Model assumption: a task definition shared with another service, a job
// or an [[events]] entry is not resized in place (that would resize the
// others too); the service gets a copy named FAMILY-SERVICE (revision 1,
// with a numeric suffix when that family exists). A later deploy event of
// the service still deploys the revision it names, at that revision's size.
func planChanges(sc *scenarios.Scenario, changes []Change) ([]plan, error) {
	families := map[string]bool{}
	for _, td := range sc.TaskDefinitions {
		families[td.Family] = true
	}
	tdIndex := func(ref string) int {
		p := sc.TaskDefinitionByRef(ref)
		for i := range sc.TaskDefinitions {
			if &sc.TaskDefinitions[i] == p {
				return i
			}
		}
		return -1
	}
	var out []plan
	for _, c := range changes {
		si := -1
		for i := range sc.Services {
			if sc.Services[i].Name == c.Service {
				si = i
			}
		}
		if si < 0 {
			return nil, fmt.Errorf("no service %q in the scenario", c.Service)
		}
		ti := tdIndex(sc.Services[si].TaskDefinition)
		if ti < 0 {
			return nil, fmt.Errorf("service %q: task definition %q not found", c.Service, sc.Services[si].TaskDefinition)
		}
		shared := false
		for i := range sc.Services {
			if i != si && tdIndex(sc.Services[i].TaskDefinition) == ti {
				shared = true
			}
		}
		for i := range sc.Jobs {
			if tdIndex(sc.Jobs[i].TaskDefinition) == ti {
				shared = true
			}
		}
		for i := range sc.Events {
			if sc.Events[i].TaskDefinition != "" && tdIndex(sc.Events[i].TaskDefinition) == ti {
				shared = true
			}
		}
		// Two changes of services sharing one definition: each clones.
		for _, o := range out {
			if o.taskDef == ti && !o.clone {
				shared = true
			}
		}
		p := plan{change: c, service: si, taskDef: ti, clone: shared}
		if shared {
			base := sc.TaskDefinitions[ti].Family + "-" + c.Service
			fam := base
			for n := 2; families[fam]; n++ {
				fam = fmt.Sprintf("%s-%d", base, n)
			}
			families[fam] = true
			p.cloneFam = fam
		}
		out = append(out, p)
	}
	return out, nil
}

// applyChanges returns a copy of sc with changes applied; sc is not
// modified. The copy shares everything but its Services and
// TaskDefinitions slices with sc (the simulator only reads a scenario),
// and its TaskDef pointers are resolved anew.
func applyChanges(sc *scenarios.Scenario, changes []Change) (*scenarios.Scenario, error) {
	plans, err := planChanges(sc, changes)
	if err != nil {
		return nil, err
	}
	cp := *sc
	cp.TaskDefinitions = append([]scenarios.TaskDefinition(nil), sc.TaskDefinitions...)
	cp.Services = append([]scenarios.Service(nil), sc.Services...)
	cp.Jobs = append([]scenarios.Job(nil), sc.Jobs...)
	for _, p := range plans {
		if p.change.DesiredCount > 0 {
			cp.Services[p.service].DesiredCount = p.change.DesiredCount
		}
		if r := p.change.Autoscaling; r != nil && sc.Services[p.service].Autoscaling != nil {
			cp.Services[p.service].Autoscaling = withRange(sc.Services[p.service].Autoscaling, r)
		}
		if p.clone {
			td := sc.TaskDefinitions[p.taskDef]
			td.Family, td.Revision = p.cloneFam, 1
			td.CPU, td.Memory = p.change.CPU, p.change.Memory
			cp.TaskDefinitions = append(cp.TaskDefinitions, td)
			cp.Services[p.service].TaskDefinition = td.Ref()
			continue
		}
		cp.TaskDefinitions[p.taskDef].CPU = p.change.CPU
		cp.TaskDefinitions[p.taskDef].Memory = p.change.Memory
	}
	for i := range cp.Services {
		cp.Services[i].TaskDef = cp.TaskDefinitionByRef(cp.Services[i].TaskDefinition)
	}
	for i := range cp.Jobs {
		cp.Jobs[i].TaskDef = cp.TaskDefinitionByRef(cp.Jobs[i].TaskDefinition)
	}
	return &cp, nil
}
