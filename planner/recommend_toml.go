package planner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
)

// ApplyToTOML rewrites src, the text sc was parsed from, with changes
// applied exactly as Recommend verified them: the cpu and memory lines of
// the service's [[task_definitions]] table are rewritten in place, or (for
// a task definition shared with something else, see planChanges) a copy of
// the table is appended at the end of the file under a new family and the
// service's task_definition line names it. Everything else of the file,
// comments included, is kept byte for byte.
//
// It needs the task definitions and services written as [[task_definitions]]
// and [[services]] tables (the form of every example), the k-th table being
// sc's k-th entry; other forms give an error. The caller validates the
// result (scenarios.Parse).
func ApplyToTOML(src []byte, sc *scenarios.Scenario, changes []Change) ([]byte, error) {
	plans, err := planChanges(sc, changes)
	if err != nil {
		return nil, err
	}
	e := newTOMLEdit(src)
	tds, err := e.tables("task_definitions", len(sc.TaskDefinitions))
	if err != nil {
		return nil, err
	}
	svcs, err := e.tables("services", len(sc.Services))
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if err := applyPlan(e, tds[p.taskDef], svcs[p.service], p); err != nil {
			return nil, fmt.Errorf("service %s: %w", p.change.Service, err)
		}
	}
	return e.bytes(), nil
}

// applyPlan writes one change: the task definition's cpu and memory (in
// place, or in a copy appended at the end with the service pointing at
// it), then the autoscaling range.
func applyPlan(e *tomlEdit, td, svc block, p plan) error {
	cpu, mem := strconv.Itoa(p.change.CPU), strconv.Itoa(p.change.Memory)
	if !p.clone {
		if err := e.set(td, "cpu", cpu); err != nil {
			return err
		}
		if err := e.set(td, "memory", mem); err != nil {
			return err
		}
	} else {
		// The copy: the table's lines with family, revision, cpu and
		// memory replaced (added after the header when absent).
		e.appended = append(e.appended, "\n")
		keys := []string{"family", "revision", "cpu", "memory"}
		vals := map[string]string{"family": strconv.Quote(p.cloneFam), "revision": "1", "cpu": cpu, "memory": mem}
		for i := td.start; i < td.end; i++ {
			l := e.lines[i]
			for _, key := range keys {
				if j, ok := td.keys[key]; ok && j == i {
					l = replaceValue(l, vals[key])
				}
			}
			if !strings.HasSuffix(l, "\n") {
				l += "\n"
			}
			e.appended = append(e.appended, l)
			if i == td.start {
				for _, key := range keys {
					if _, ok := td.keys[key]; !ok {
						e.appended = append(e.appended, key+" = "+vals[key]+"\n")
					}
				}
			}
		}
		if err := e.set(svc, "task_definition", strconv.Quote(p.cloneFam+":1")); err != nil {
			return err
		}
	}
	r := p.change.Autoscaling
	if r == nil {
		return nil
	}
	as := e.sub(svc, "services.autoscaling")
	if len(as) != 1 {
		return fmt.Errorf("cannot rewrite the autoscaling range: want one [services.autoscaling] table after its [[services]] header, found %d", len(as))
	}
	if err := e.set(as[0], "min_capacity", strconv.Itoa(r.MinCapacity)); err != nil {
		return err
	}
	if err := e.set(as[0], "max_capacity", strconv.Itoa(r.MaxCapacity)); err != nil {
		return err
	}
	sched := e.sub(svc, "services.autoscaling.scheduled")
	if slices.ContainsFunc(r.ScheduledMaxCapacity, func(m *int) bool { return m != nil }) && len(sched) != len(r.ScheduledMaxCapacity) {
		return fmt.Errorf("cannot rewrite the scheduled actions: %d [[services.autoscaling.scheduled]] tables for %d actions", len(sched), len(r.ScheduledMaxCapacity))
	}
	for k, m := range r.ScheduledMaxCapacity {
		if m != nil {
			if err := e.set(sched[k], "max_capacity", strconv.Itoa(*m)); err != nil {
				return err
			}
		}
	}
	return nil
}
