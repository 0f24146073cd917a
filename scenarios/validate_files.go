package scenarios

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ecssim/ecssim/pricing"
	"github.com/ecssim/ecssim/workloads"
)

// Fargate's largest task (ECS-SEMANTICS.md §8): a trace row that overrides
// a Fargate task's size may not ask for more. Model assumption: below that,
// the row's size is used (and billed) as given, not rounded up to a Fargate
// size combination.
const (
	maxFargateCPU    = 16384
	maxFargateMemory = 122880
)

// validateFileContents reads every file the scenario names (AWS price
// files, Spot Advisor data, load traces, job traces, empirical
// distributions) with the readers the simulation uses, so `validate`
// reports what `run` would trip on. A problem inside a file is positioned
// in that file (FILE:LINE:COL) when the reader knows the line; otherwise at
// the scenario key that names the file. Files that do not exist were
// reported already and are skipped here.
func (v *validator) validateFileContents() {
	s := v.s
	for i, c := range s.Pricing.Catalog {
		if c == "builtin" {
			continue
		}
		p := "pricing.catalog"
		if v.has[indexPath(p, i)] {
			p = indexPath(p, i)
		}
		v.readFile(p, c, func(r io.Reader) error {
			_, err := pricing.LoadOfferFile(r)
			return err
		})
	}
	if a := s.Pricing.SpotAdvisor; a != "" && a != "builtin" {
		v.readFile("pricing.spot_advisor", a, func(r io.Reader) error {
			_, err := pricing.LoadSpotAdvisor(r)
			return err
		})
	}
	for i := range s.Services {
		l := s.Services[i].Load
		if l == nil {
			continue
		}
		p := indexPath("services", i) + ".load"
		for key, c := range map[string]*CurveSpec{"requests_per_second": l.RequestsPerSecond, "cpu": l.CPU} {
			if c == nil || c.Pattern != "trace" || c.File == "" {
				continue
			}
			scale := 1.0
			if c.Scale != nil {
				scale = *c.Scale
			}
			read := workloads.ReadCSVCurve
			if c.Format == "cloudwatch" {
				read = workloads.ReadCloudWatchCurve
			}
			v.readFile(p+"."+key+".file", c.File, func(r io.Reader) error {
				_, err := read(r, s.Start, scale)
				return err
			})
		}
	}
	for i := range s.TaskDefinitions {
		v.readEmpirical(indexPath("task_definitions", i)+".startup_time", s.TaskDefinitions[i].StartupTime)
	}
	for i := range s.Jobs {
		j := &s.Jobs[i]
		p := indexPath("jobs", i)
		v.readEmpirical(p+".duration", j.Duration)
		if j.Trace != nil && j.Trace.File != "" {
			v.readFile(p+".trace.file", j.Trace.File, func(r io.Reader) error {
				var rows []workloads.TaskRow
				var err error
				if j.Trace.Format == "alibaba-openb" {
					rows, _, err = workloads.ReadAlibabaOpenB(r)
				} else {
					rows, err = workloads.ReadJobTraceCSV(r)
				}
				if err == nil {
					v.checkTraceSizes(p+".trace.file", j, rows)
				}
				return err
			})
		}
	}
}

func (v *validator) readEmpirical(p string, d DistSpec) {
	if d.Dist != "empirical" || d.File == "" {
		return
	}
	v.readFile(p+".file", d.File, func(r io.Reader) error {
		_, err := workloads.ReadEmpirical(r)
		return err
	})
}

// readFile opens name (relative to the scenario) and runs read on it. A
// *workloads.LineError becomes an error positioned in the file itself.
func (v *validator) readFile(p, name string, read func(io.Reader) error) {
	full := name
	if !filepath.IsAbs(full) {
		full = filepath.Join(v.dir, full)
	}
	f, err := os.Open(full)
	if err != nil {
		return // reported by the existence check
	}
	defer f.Close()
	err = read(f)
	if err == nil {
		return
	}
	var le *workloads.LineError
	if errors.As(err, &le) {
		v.p.list = append(v.p.list, &Error{File: full, Line: le.Line, Col: max(le.Column, 1),
			Msg: fmt.Sprintf("%v (read for %s)", le.Err, p)})
		return
	}
	v.errf(p, "%s: %v", name, err)
}

// checkTraceSizes checks that every trace row that overrides the task size
// can run where the job places it: on Fargate at most the largest Fargate
// task, on EC2 within the smallest instance type of each group of its
// strategy (or of some group for launch_type EC2), as SCENARIO.md
// "Validation" asks of task definitions. It reports the first few rows.
func (v *validator) checkTraceSizes(p string, j *Job, rows []workloads.TaskRow) {
	groups, fargate := v.s.strategyGroups(j.CapacityProviderStrategy)
	if j.CapacityProviderStrategy == nil && j.LaunchType == "" {
		groups, fargate = v.s.strategyGroups(v.s.Cluster.DefaultCapacityProviderStrategy)
	}
	switch j.LaunchType {
	case "FARGATE":
		groups, fargate = nil, true
	case "EC2":
		groups, fargate = nil, false
	}
	fits := func(cpu, mem int) bool {
		if fargate {
			return cpu <= maxFargateCPU && mem <= maxFargateMemory
		}
		if j.LaunchType == "EC2" {
			for _, cp := range v.s.CapacityProviders {
				for _, name := range cp.InstanceTypes {
					if it, ok := v.cat.InstanceType(name); ok && cpu <= it.RegisteredCPU() && mem <= it.RegisteredMemory(cp.ReservedMemory) {
						return true
					}
				}
			}
			return false
		}
		for _, g := range groups {
			cp := &v.s.CapacityProviders[g]
			for _, name := range cp.InstanceTypes {
				if it, ok := v.cat.InstanceType(name); ok && (cpu > it.RegisteredCPU() || mem > it.RegisteredMemory(cp.ReservedMemory)) {
					return false
				}
			}
		}
		return true
	}
	td := v.s.TaskDefinitionByRef(j.TaskDefinition)
	bad := 0
	for i, r := range rows {
		cpu, mem := r.CPU, r.Memory
		if td != nil {
			if cpu == 0 {
				cpu = td.CPU
			}
			if mem == 0 {
				mem = td.Memory
			}
		}
		if fits(cpu, mem) {
			continue
		}
		bad++
		if bad <= 3 {
			where := "the cluster's instance types"
			if fargate {
				where = "Fargate's largest task (16384 CPU, 122880 MiB)"
			}
			v.errf(p, "%s: row %d (submit %v) asks for cpu %d, memory %d MiB, more than %s", j.Trace.File, i+1, r.Submit, cpu, mem, where)
		}
	}
	if bad > 3 {
		v.errf(p, "%s: %d more rows do not fit", j.Trace.File, bad-3)
	}
}
