package scenarios

import (
	"slices"
	"strconv"
	"strings"
)

// pathNode is one level of the results.json schema (SCENARIO.md
// "results.json") as far as [[assertions]] can address it: a number
// (leaf), an object of fixed fields, a map keyed by entity names (names
// lists them), a map with keys only known after a run (open), or a list
// addressed by index (list).
type pathNode struct {
	leaf   bool
	fields map[string]*pathNode
	names  func(*Scenario) []string
	open   bool
	list   bool
	elem   *pathNode // of names, open and list nodes
}

func leaf() *pathNode { return &pathNode{leaf: true} }

func object(fields ...any) *pathNode {
	n := &pathNode{fields: map[string]*pathNode{}}
	for i := 0; i < len(fields); i += 2 {
		n.fields[fields[i].(string)] = fields[i+1].(*pathNode)
	}
	return n
}

func leaves(names ...string) *pathNode {
	n := &pathNode{fields: map[string]*pathNode{}}
	for _, k := range names {
		n.fields[k] = leaf()
	}
	return n
}

func byName(names func(*Scenario) []string, elem *pathNode) *pathNode {
	return &pathNode{names: names, elem: elem}
}

func serviceNames(s *Scenario) []string {
	out := make([]string, len(s.Services))
	for i, x := range s.Services {
		out[i] = x.Name
	}
	return out
}

func jobNames(s *Scenario) []string {
	out := make([]string, len(s.Jobs))
	for i, x := range s.Jobs {
		out[i] = x.Name
	}
	return out
}

func providerNames(s *Scenario) []string {
	out := make([]string, 0, len(s.CapacityProviders)+2)
	for _, x := range s.CapacityProviders {
		out = append(out, x.Name)
	}
	return append(out, ProviderFargate, ProviderFargateSpot)
}

// resultSchema is the numeric part of results.json.
var resultSchema = func() *pathNode {
	dist := leaves("mean", "p50", "p95", "p99", "max")
	mmm := leaves("min", "mean", "max")
	openNum := &pathNode{open: true, elem: leaf()}
	return object(
		"schema_version", leaf(),
		"scenario", leaves("seed", "duration_seconds", "warmup_seconds"),
		"run_info", leaves("wall_seconds"),
		"engine", leaves("events"),
		"cost", object(
			"total_usd", leaf(), "monthly_usd", leaf(), "idle_usd", leaf(),
			"by_capacity_provider", byName(providerNames, leaf()),
			"by_service", byName(serviceNames, leaf()),
			"by_job", byName(jobNames, leaf()),
		),
		"services", byName(serviceNames, object(
			"desired_count", mmm, "running_count", mmm,
			"cpu_utilization", dist, "memory_utilization", dist,
			"unserved_demand_fraction", leaf(), "overloaded_minutes", leaf(),
			"tasks", leaves("started", "stopped", "interrupted", "failed", "oom_killed"),
			"pending_at_end", leaf(),
			"placement_failures", openNum,
			"placement_wait_seconds", dist,
			"running_by_capacity_provider", byName(providerNames, leaf()),
			"scaling_activities", leaf(),
			"deployments", &pathNode{list: true, elem: leaves("started_at_seconds", "finished_at_seconds",
				"failed_tasks", "min_healthy_running", "max_tasks", "extra_cost_usd")},
		)),
		"jobs", byName(jobNames, object(
			"submitted", leaf(), "completed", leaf(), "failed_to_place", leaf(), "interrupted", leaf(),
			"retried", leaf(), "dropped", leaf(), "in_progress_at_end", leaf(), "wasted_task_seconds", leaf(),
			"wait_seconds", dist, "run_seconds", dist,
			"failed_to_place_by_reason", openNum,
		)),
		"capacity_providers", byName(providerNames, object(
			"instances", mmm, "instance_hours", leaf(),
			"cpu_reservation", dist, "memory_reservation", dist,
			"launches", leaf(), "terminations", leaf(), "interruptions", leaf(),
			"capacity_provider_reservation", dist,
			"task_hours", leaf(), "vcpu_hours", leaf(), "gb_hours", leaf(),
		)),
		"activities", &pathNode{list: true, elem: leaves("at_seconds", "from", "to")},
	)
}()

// CheckResultPath reports whether path can address a number in the
// results.json of a run of s: every segment must exist in the schema, and
// names of services, jobs and capacity providers must be the scenario's.
// It returns "" when the path is fine, else what is wrong. Values that
// exist only after a run (a placement failure reason, a deployment index)
// are accepted here and checked when the assertion is evaluated.
func CheckResultPath(s *Scenario, path string) string {
	n := resultSchema
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		where := strings.Join(segs[:i], ".")
		if where == "" {
			where = "the top level"
		}
		switch {
		case n.leaf:
			return "results.json has no " + strconv.Quote(seg) + " under " + where + ": it is a number"
		case n.fields != nil:
			next, ok := n.fields[seg]
			if !ok {
				keys := make([]string, 0, len(n.fields))
				for k := range n.fields {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				return "results.json has no " + strconv.Quote(seg) + " at " + where + " (fields there: " + strings.Join(keys, ", ") + ")"
			}
			n = next
		case n.names != nil:
			names := n.names(s)
			if !slices.Contains(names, seg) {
				return "no " + strconv.Quote(seg) + " in " + where + " (the scenario has: " + strings.Join(names, ", ") + ")"
			}
			n = n.elem
		case n.list:
			if k, err := strconv.Atoi(seg); err != nil || k < 0 {
				return where + " is a list: address an element by its 0-based index, not " + strconv.Quote(seg)
			}
			n = n.elem
		default: // open
			n = n.elem
		}
	}
	if !n.leaf {
		return strings.Join(segs, ".") + " is an object, not a number: add one of its fields"
	}
	return ""
}

// ResultPaths lists every numeric results.json path of a run of s that
// CheckResultPath accepts, except under open maps and lists (whose keys
// exist only after the run). Tests use it to keep the schema honest.
func ResultPaths(s *Scenario) []string {
	var out []string
	var walk func(prefix string, n *pathNode)
	walk = func(prefix string, n *pathNode) {
		join := func(k string) string {
			if prefix == "" {
				return k
			}
			return prefix + "." + k
		}
		switch {
		case n.leaf:
			out = append(out, prefix)
		case n.fields != nil:
			for k, c := range n.fields {
				walk(join(k), c)
			}
		case n.names != nil:
			for _, k := range n.names(s) {
				walk(join(k), n.elem)
			}
		}
	}
	walk("", resultSchema)
	slices.Sort(out)
	return out
}
