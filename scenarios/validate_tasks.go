package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/workloads"
)

// Task size limits [task_definition_parameters, "Task size"]: on EC2 the
// task-level CPU is 128 to 196608 units.
const (
	minTaskCPU            = 128
	maxTaskCPU            = 196608
	minTaskMemory         = 6 // MiB: the smallest container memory ECS accepts
	maxFargateStopTimeout = 120 * time.Second
)

func (v *validator) validateTaskDefinitions() {
	for i := range v.s.TaskDefinitions {
		td := &v.s.TaskDefinitions[i]
		p := indexPath("task_definitions", i)
		if v.required(p + ".cpu") {
			v.intRange(p+".cpu", td.CPU, minTaskCPU, maxTaskCPU)
		}
		if v.required(p + ".memory") {
			v.intRange(p+".memory", td.Memory, minTaskMemory, 1<<30)
		}
		v.enum(p+".cpu_architecture", td.CPUArchitecture, true, "X86_64", "ARM64")
		v.enum(p+".network_mode", td.NetworkMode, true, "awsvpc", "bridge", "host")
		if len(td.HostPorts) > 0 && td.NetworkMode != "bridge" && td.NetworkMode != "host" {
			v.errf(p+".host_ports", "need network_mode bridge or host, not %s", td.NetworkMode)
		}
		seen := map[int]bool{}
		for j, hp := range td.HostPorts {
			hpp := indexPath(p+".host_ports", j)
			if v.intRange(hpp, hp, 1, 65535) && seen[hp] {
				v.errf(hpp, "duplicate port %d", hp)
			}
			seen[hp] = true
		}
		if v.has[p+".ephemeral_storage"] {
			// [fargate-task-storage]: 21 to 200 GiB; 20 GiB when absent.
			v.intRange(p+".ephemeral_storage", td.EphemeralStorage, 21, 200)
		}
		v.validateDist(p+".startup_time", td.StartupTime)
		if td.StopTimeout < 0 {
			v.errf(p+".stop_timeout", "must not be negative")
		}
		if td.HealthyAfter < 0 {
			v.errf(p+".healthy_after", "must not be negative")
		}
		v.fracRange(p+".failure_rate", td.FailureRate, 0, 1)
		v.nonNeg(p+".crash_rate_per_hour", td.CrashRatePerHour)
		if user, ok := v.fargate[i]; ok {
			v.validateFargateTask(p, td, user)
		}
	}
}

// validateFargateTask checks what Fargate adds [AWS_Fargate]: awsvpc, a
// valid size, stop_timeout at most 120 s, and a Fargate price.
func (v *validator) validateFargateTask(p string, td *TaskDefinition, user string) {
	if td.NetworkMode != "awsvpc" {
		v.errf(p+".network_mode", "%s runs on Fargate (%s), which needs awsvpc, not %s", td.Ref(), user, td.NetworkMode)
	}
	if td.CPU > 0 && td.Memory > 0 {
		mems := FargateMemories(td.CPU)
		switch {
		case mems == nil:
			cpus := make([]string, 0, 7)
			for _, c := range FargateCPUs() {
				cpus = append(cpus, strconv.Itoa(c))
			}
			v.errf(p+".cpu", "cpu %d is not a Fargate size: want %s (%s runs on Fargate)", td.CPU, orList(cpus, false), user)
		case !ValidFargateSize(td.CPU, td.Memory):
			ms := make([]string, len(mems))
			for i, m := range mems {
				ms[i] = strconv.Itoa(m)
			}
			v.errf(p+".memory", "cpu %d on Fargate needs memory %s MiB, got %d (%s runs on Fargate)", td.CPU, orList(ms, false), td.Memory, user)
		}
	}
	if td.StopTimeout.D() > maxFargateStopTimeout {
		v.errf(p+".stop_timeout", "at most 120s on Fargate (%s runs on Fargate), got %v", user, td.StopTimeout)
	}
	if v.builtin {
		arch := strings.ToLower(td.CPUArchitecture)
		if _, ok := v.cat.FargateRate(v.s.Region, arch, false); !ok {
			v.errf("region", "no Fargate price for %s in region %s in the builtin catalog", arch, v.s.Region)
		}
	}
}

// useTask checks that the task definition tdi can run where its user
// (a service or job at path p, described by who) places it.
func (v *validator) useTask(p, who string, tdi int, launchType string, strategy []StrategyItem) {
	if tdi < 0 {
		return
	}
	td := &v.s.TaskDefinitions[tdi]
	groups, fargate := v.s.strategyGroups(strategy)
	switch launchType {
	case "FARGATE":
		fargate, groups = true, nil
	case "EC2":
		fargate, groups = false, nil
		v.fitsAnyInstance(p, td)
	}
	if fargate {
		if _, ok := v.fargate[tdi]; !ok {
			v.fargate[tdi] = who
		}
	}
	for _, g := range groups {
		v.fitsGroup(p, td, g)
	}
}

// fitsGroup checks SCENARIO.md "Validation": a task must fit the smallest
// instance type of every Auto Scaling group in its strategy, and share its
// CPU architecture. Registered memory = GiB × 1024 − reserved_memory.
func (v *validator) fitsGroup(p string, td *TaskDefinition, g int) {
	cp := &v.s.CapacityProviders[g]
	for _, name := range cp.InstanceTypes {
		it, ok := v.cat.InstanceType(name)
		if !ok {
			continue // reported with the group
		}
		if !strings.EqualFold(it.Arch, td.CPUArchitecture) {
			v.errf(p+".task_definition", "%s is %s but capacity provider %q launches %s (%s)", td.Ref(), td.CPUArchitecture, cp.Name, name, it.Arch)
			return
		}
		if cpu, mem := it.RegisteredCPU(), it.RegisteredMemory(cp.ReservedMemory); td.CPU > cpu || td.Memory > mem {
			v.errf(p+".task_definition", "%s (cpu %d, memory %d MiB) does not fit instance type %s of capacity provider %q (registers cpu %d, memory %d MiB)",
				td.Ref(), td.CPU, td.Memory, name, cp.Name, cpu, mem)
			return
		}
	}
}

// fitsAnyInstance checks that a launch_type EC2 task fits at least one
// instance type of the cluster.
func (v *validator) fitsAnyInstance(p string, td *TaskDefinition) {
	if len(v.s.CapacityProviders) == 0 {
		v.errf(p+".launch_type", "EC2 needs container instances: define a [[capacity_providers]] group")
		return
	}
	var sizes []string
	for _, cp := range v.s.CapacityProviders {
		for _, name := range cp.InstanceTypes {
			it, ok := v.cat.InstanceType(name)
			if !ok {
				return
			}
			if strings.EqualFold(it.Arch, td.CPUArchitecture) && td.CPU <= it.RegisteredCPU() && td.Memory <= it.RegisteredMemory(cp.ReservedMemory) {
				return
			}
			sizes = append(sizes, fmt.Sprintf("%s %d/%d", name, it.RegisteredCPU(), it.RegisteredMemory(cp.ReservedMemory)))
		}
	}
	sort.Strings(sizes)
	v.errf(p+".task_definition", "%s (cpu %d, memory %d MiB, %s) fits no instance type of the cluster (cpu/memory: %s)",
		td.Ref(), td.CPU, td.Memory, td.CPUArchitecture, strings.Join(sizes, ", "))
}

// validateDist checks a duration distribution; the zero DistSpec (absent)
// is accepted.
func (v *validator) validateDist(p string, d DistSpec) {
	if d.IsZero() && !v.has[p] {
		return
	}
	all := []string{"value", "mean", "median", "p95", "min", "max", "file"}
	use := func(keys ...string) {
		for _, k := range all {
			if !contains(keys, k) {
				v.forbid(p, "to dist "+strconv.Quote(d.Dist), k)
			}
		}
		for _, k := range keys {
			if v.has[p+".dist"] && !v.has[p+"."+k] {
				v.errf(p+"."+k, "is required for dist %q", d.Dist)
			}
		}
	}
	switch d.Dist {
	case "constant":
		use("value")
		if d.Value < 0 {
			v.errf(p+".value", "must not be negative")
		}
	case "exponential":
		use("mean")
		v.positiveDur(p+".mean", d.Mean)
	case "lognormal":
		use("median", "p95")
		if _, err := workloads.LogNormal(d.Median.D(), d.P95.D()); err != nil {
			v.errf(p, "%v", err)
		}
	case "uniform":
		use("min", "max")
		if _, err := workloads.Uniform(d.Min.D(), d.Max.D()); err != nil {
			v.errf(p, "%v", err)
		}
	case "empirical":
		use("file")
		if d.File != "" {
			v.file(p+".file", d.File)
		}
	default:
		v.enum(p+".dist", d.Dist, true, "constant", "exponential", "lognormal", "uniform", "empirical")
	}
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}
