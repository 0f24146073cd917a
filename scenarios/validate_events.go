package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// eventKeys lists the keys each event type uses besides at and type.
var eventKeys = map[string][]string{
	"deploy":                 {"service", "task_definition"},
	"scale":                  {"service", "desired_count"},
	"az_outage":              {"zone", "duration"},
	"spot_interruptions":     {"capacity_provider", "fraction"},
	"spot_capacity_shortage": {"capacity_provider", "duration"},
	"instance_failure":       {"capacity_provider", "count"},
}

// eventOptional lists the keys an event type may use besides eventKeys.
var eventOptional = map[string][]string{
	"spot_capacity_shortage": {"instance_types"},
}

var eventTypes = []string{"deploy", "scale", "az_outage", "spot_interruptions", "spot_capacity_shortage", "instance_failure"}

func (v *validator) validateEvents() {
	all := []string{"service", "task_definition", "desired_count", "zone", "duration", "capacity_provider", "fraction", "count", "instance_types"}
	for i := range v.s.Events {
		e := &v.s.Events[i]
		p := indexPath("events", i)
		if v.required(p + ".at") {
			v.at(p+".at", e.At)
		}
		if !v.enum(p+".type", e.Type, true, eventTypes...) {
			continue
		}
		use := eventKeys[e.Type]
		for _, k := range all {
			if !contains(use, k) && !contains(eventOptional[e.Type], k) {
				v.forbid(p, "to an event of type "+e.Type, k)
			}
		}
		for _, k := range use {
			v.required(p + "." + k)
		}
		switch e.Type {
		case "deploy", "scale":
			if e.Service != "" && v.serviceIndex(e.Service) < 0 {
				v.errf(p+".service", "no service %q", e.Service)
			}
			if e.Type == "deploy" && e.TaskDefinition != "" {
				if tdi := v.refTaskDef(p+".task_definition", e.TaskDefinition); tdi >= 0 {
					if si := v.serviceIndex(e.Service); si >= 0 {
						sv := &v.s.Services[si]
						strategy := sv.CapacityProviderStrategy
						if !v.has[indexPath("services", si)+".capacity_provider_strategy"] {
							strategy = v.s.Cluster.DefaultCapacityProviderStrategy
						}
						v.useTask(p, "service "+strconv.Quote(sv.Name), tdi, sv.LaunchType, strategy)
					}
				}
			}
			if e.DesiredCount != nil {
				v.intRange(p+".desired_count", *e.DesiredCount, 0, maxTasksPerService)
			}
		case "az_outage":
			if e.Zone != "" && !v.zones[e.Zone] {
				v.errf(p+".zone", "%q is not a zone of the cluster (%s)", e.Zone, strings.Join(v.s.Cluster.AvailabilityZones, ", "))
			}
			v.positiveDur(p+".duration", e.Duration)
		case "spot_interruptions", "spot_capacity_shortage", "instance_failure":
			v.eventProvider(p+".capacity_provider", e.Type, e.CapacityProvider)
			switch e.Type {
			case "spot_interruptions":
				if e.Fraction <= 0 || e.Fraction > 1 {
					v.errf(p+".fraction", "must be above 0 and at most 1, got %v", e.Fraction)
				}
			case "spot_capacity_shortage":
				v.positiveDur(p+".duration", e.Duration)
				v.shortageTypes(p+".instance_types", e)
			case "instance_failure":
				if e.Count < 1 {
					v.errf(p+".count", "must be at least 1, got %d", e.Count)
				}
			}
		}
	}
}

// eventProvider checks the capacity provider of an event: spot events need
// FARGATE_SPOT or a spot group; instance_failure needs a group.
func (v *validator) eventProvider(p, typ, name string) {
	if name == "" {
		return
	}
	gi := v.s.ProviderIndex(name)
	switch {
	case typ == "instance_failure":
		if gi < 0 {
			v.errf(p, "no Auto Scaling group provider %q (instance_failure acts on instances)", name)
		}
	case name == ProviderFargateSpot:
	case gi < 0:
		v.errf(p, "no capacity provider %q", name)
	case v.s.CapacityProviders[gi].Market != MarketSpot:
		v.errf(p, "%q is not a spot group (a %s event needs FARGATE_SPOT or market = \"spot\")", name, typ)
	}
}

// shortageTypes checks a shortage's instance_types: only on an Auto
// Scaling group, each an instance type of the catalog, no repeats.
func (v *validator) shortageTypes(p string, e *Event) {
	if !v.has[p] {
		return
	}
	gi := v.s.ProviderIndex(e.CapacityProvider)
	if gi < 0 {
		if e.CapacityProvider == ProviderFargateSpot {
			v.errf(p, "applies to an Auto Scaling group's Spot pools, not to FARGATE_SPOT")
		}
		return
	}
	if len(e.InstanceTypes) == 0 {
		v.errf(p, "is empty; leave it out for a shortage of every type of the group")
	}
	// A type the group does not list is allowed (its pool's shortage does
	// not touch the group): a variant of the scenario, such as a
	// recommended instance type, keeps the event valid.
	for k, t := range e.InstanceTypes {
		_, known := v.cat.InstanceType(t)
		switch {
		case !known:
			v.errf(indexPath(p, k), "%q is not an instance type of the catalog", t)
		case slices.Contains(e.InstanceTypes[:k], t):
			v.errf(indexPath(p, k), "%q is listed twice", t)
		}
	}
}

func (v *validator) serviceIndex(name string) int {
	for i := range v.s.Services {
		if v.s.Services[i].Name == name {
			return i
		}
	}
	return -1
}

// assertionOps are the comparison operators of an assertion, longest
// first so that "<=" is not read as "<".
var assertionOps = []string{"<=", ">=", "==", "!=", "<", ">"}

// ParseAssertion parses "PATH OP NUMBER" (SCENARIO.md [[assertions]]), OP
// one of < <= > >= == !=. Spaces around the operator are optional; the
// number is a finite decimal or exponent form ("0.001", "1e-3", "-5"); the
// path is a dotted path without empty segments or white space. It is the
// one parser of the grammar: validation and planner.ParseCheck use it. An
// error says what is wrong, without repeating the check.
func ParseAssertion(check string) (path, op string, value float64, err error) {
	s := strings.TrimSpace(check)
	i := strings.IndexAny(s, "<>=!")
	if i < 0 {
		return "", "", 0, errors.New("no operator (OP is one of < <= > >= == !=)")
	}
	path, rest := strings.TrimSpace(s[:i]), s[i:]
	for _, o := range assertionOps {
		if strings.HasPrefix(rest, o) {
			op = o
			break
		}
	}
	if op == "" {
		return "", "", 0, fmt.Errorf("unknown operator %q (OP is one of < <= > >= == !=)", rest[:1])
	}
	num := strings.TrimSpace(rest[len(op):])
	switch {
	case path == "":
		return "", "", 0, fmt.Errorf("no path before %s", op)
	case strings.ContainsAny(path, " \t\r\n"):
		return "", "", 0, fmt.Errorf("the path %q contains white space", path)
	case slices.Contains(strings.Split(path, "."), ""):
		return "", "", 0, fmt.Errorf("the path %q has an empty segment (a leading, trailing or doubled dot)", path)
	case num == "":
		return "", "", 0, fmt.Errorf("no number after %s", op)
	case strings.ContainsAny(num, "<>=!"):
		return "", "", 0, errors.New("more than one operator")
	}
	value, perr := strconv.ParseFloat(num, 64)
	if perr != nil || math.IsNaN(value) || math.IsInf(value, 0) || strings.ContainsAny(num, "_xXpP") {
		return "", "", 0, fmt.Errorf("%q is not a finite number", num)
	}
	return path, op, value, nil
}

func (v *validator) validateAssertions() {
	for i, a := range v.s.Assertions {
		p := indexPath("assertions", i)
		if !v.required(p + ".check") {
			continue
		}
		path, _, _, err := ParseAssertion(a.Check)
		if err != nil {
			v.errf(p+".check", "%q is not PATH OP NUMBER: %v", a.Check, err)
			continue
		}
		if msg := CheckResultPath(v.s, path); msg != "" {
			v.errf(p+".check", "%s", msg)
		}
	}
}

func (v *validator) validateRecommend() {
	r := v.s.Recommend
	if r == nil {
		return
	}
	if r.CPUPercentile != nil && (*r.CPUPercentile <= 0 || *r.CPUPercentile > 100) {
		v.errf("recommend.cpu_percentile", "must be above 0 and at most 100, got %v", *r.CPUPercentile)
	}
	if r.MemoryPercentile != nil && (*r.MemoryPercentile <= 0 || *r.MemoryPercentile > 100) {
		v.errf("recommend.memory_percentile", "must be above 0 and at most 100, got %v", *r.MemoryPercentile)
	}
	if r.Margin != nil {
		v.nonNeg("recommend.margin", *r.Margin)
	}
	if r.MaxUnservedDemandFraction != nil {
		v.fracRange("recommend.max_unserved_demand_fraction", *r.MaxUnservedDemandFraction, 0, 1)
	}
	if r.MaxPlacementWaitP95 < 0 {
		v.errf("recommend.max_placement_wait_p95", "must not be negative")
	}
}
