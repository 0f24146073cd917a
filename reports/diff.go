package reports

import (
	"math"

	"github.com/ecssim/ecssim/sim"
)

// DiffReport is what changed between two results.json documents, for a
// pull request: the headline figures of the cost, of each service, job and
// capacity provider, old beside new. Diff builds it; WriteDiffTable,
// WriteDiffMarkdown and WriteDiffJSON render it.
type DiffReport struct {
	// Old and New identify the two runs.
	Old, New DiffRun
	// Rows holds every compared quantity in report order: the cost, then
	// each service, job and capacity provider by sorted name, each
	// entity's metrics in a fixed order (see Diff). Unchanged rows are
	// included; the writers leave them out unless ShowUnchanged is set.
	Rows []DiffRow
	// Added and Removed name the entities present only in New and only in
	// Old, as their results.json paths ("services.api", "jobs.etl",
	// "capacity_providers.spot"), in report order.
	Added, Removed []string
	// ShowUnchanged makes the writers list unchanged rows too. By default
	// they are left out and only counted.
	ShowUnchanged bool
}

// DiffRun identifies one side of a diff.
type DiffRun struct {
	Scenario      string `json:"scenario"`
	Seed          uint64 `json:"seed"`
	SHA256        string `json:"sha256"`
	ECSSimVersion string `json:"ecssim_version"`
}

// DiffStatus says how a row differs.
type DiffStatus string

// The row statuses. Added and Removed rows belong to an entity (or a cost
// key) present on one side only; they count as changed.
const (
	DiffUnchanged DiffStatus = "unchanged"
	DiffChanged   DiffStatus = "changed"
	DiffAdded     DiffStatus = "added"
	DiffRemoved   DiffStatus = "removed"
)

// The percent notes of a row whose percentage is undefined.
const (
	// NoteNew marks a row whose old value is 0, null or absent while the
	// new one is a number (a percentage of 0 is undefined).
	NoteNew = "new"
	// NoteGone marks a row whose new value is null or absent while the
	// old one is not.
	NoteGone = "gone"
)

// DiffRow is one compared quantity.
//
// Old and New are nil when the quantity is null (a statistic with no
// datapoints) or absent (its entity or cost key is missing on that side;
// Status then says added or removed, unless the other side is null too:
// a row nil on both sides is unchanged). Delta = New − Old when both are
// numbers, else nil. Percent = Delta / |Old| × 100 when both are numbers
// and Old ≠ 0 (no quantity of results.json is negative, so this is
// Delta/Old), else nil; then Note is NoteGone when New is nil and Old is
// not, NoteNew when New is a number and Old is nil or 0, and "" otherwise
// (both nil, or both 0).
type DiffRow struct {
	// Section is "cost", "services", "jobs" or "capacity_providers".
	Section string
	// Entity is the service, job or capacity provider; "" in the cost.
	Entity string
	// Metric is the quantity's path within the entity in results.json:
	// "cpu_utilization.p95", "by_service.web", "monthly_usd".
	Metric string
	// Unit is "usd", "percent" (0-100), "fraction" (0-1), "count",
	// "tasks", "instances", "minutes", "seconds" or "hours".
	Unit string
	// Status says whether and how the row differs.
	Status   DiffStatus
	Old, New *float64
	Delta    *float64
	Percent  *float64
	Note     string
}

// Path is the row's path in results.json, as assertions write it:
// "cost.monthly_usd", "services.web.cpu_utilization.p95".
func (r DiffRow) Path() string {
	if r.Entity == "" {
		return r.Section + "." + r.Metric
	}
	return r.Section + "." + r.Entity + "." + r.Metric
}

// Changed counts the rows that differ (changed, added or removed).
func (d DiffReport) Changed() int {
	n := 0
	for _, r := range d.Rows {
		if r.Status != DiffUnchanged {
			n++
		}
	}
	return n
}

// Shown returns the rows the writers list: every row when ShowUnchanged is
// set, else the rows that differ.
func (d DiffReport) Shown() []DiffRow {
	if d.ShowUnchanged {
		return d.Rows
	}
	var out []DiffRow
	for _, r := range d.Rows {
		if r.Status != DiffUnchanged {
			out = append(out, r)
		}
	}
	return out
}

// diffMetric is one compared quantity of an entity of type T: its path
// within the entity, its unit, and how to read it (nil for null).
type diffMetric[T any] struct {
	name string
	unit string
	get  func(*T) *float64
}

// The compared quantities of each kind of entity, in report order.
var (
	serviceDiffMetrics = []diffMetric[sim.ServiceResult]{
		{"cpu_utilization.mean", "percent", func(s *sim.ServiceResult) *float64 { return diffMean(s.CPUUtilization) }},
		{"cpu_utilization.p95", "percent", func(s *sim.ServiceResult) *float64 { return diffP95(s.CPUUtilization) }},
		{"memory_utilization.max", "percent", func(s *sim.ServiceResult) *float64 { return diffMax(s.MemoryUtilization) }},
		{"unserved_demand_fraction", "fraction", func(s *sim.ServiceResult) *float64 { return s.UnservedDemandFraction }},
		{"overloaded_minutes", "minutes", func(s *sim.ServiceResult) *float64 { return s.OverloadedMinutes }},
		{"placement_wait_seconds.p95", "seconds", func(s *sim.ServiceResult) *float64 { return diffP95(s.PlacementWaitSeconds) }},
		{"desired_count.mean", "tasks", func(s *sim.ServiceResult) *float64 { return diffMMMMean(s.DesiredCount) }},
		{"running_count.mean", "tasks", func(s *sim.ServiceResult) *float64 { return diffMMMMean(s.RunningCount) }},
		{"tasks.interrupted", "count", func(s *sim.ServiceResult) *float64 { return diffNum(float64(s.Tasks.Interrupted)) }},
		{"tasks.failed", "count", func(s *sim.ServiceResult) *float64 { return diffNum(float64(s.Tasks.Failed)) }},
		{"scaling_activities", "count", func(s *sim.ServiceResult) *float64 { return diffNum(float64(s.ScalingActivities)) }},
	}
	jobDiffMetrics = []diffMetric[sim.JobResult]{
		{"wait_seconds.p95", "seconds", func(j *sim.JobResult) *float64 { return diffP95(j.WaitSeconds) }},
		{"failed_to_place", "count", func(j *sim.JobResult) *float64 { return diffNum(float64(j.FailedToPlace)) }},
		{"completed", "count", func(j *sim.JobResult) *float64 { return diffNum(float64(j.Completed)) }},
	}
	providerDiffMetrics = []diffMetric[sim.ProviderResult]{
		{"instances.mean", "instances", func(p *sim.ProviderResult) *float64 { return diffMMMMean(p.Instances) }},
		{"instance_hours", "hours", func(p *sim.ProviderResult) *float64 { return p.InstanceHours }},
		// Fargate providers have task hours instead of instances.
		{"task_hours", "hours", func(p *sim.ProviderResult) *float64 { return p.TaskHours }},
		{"cpu_reservation.mean", "percent", func(p *sim.ProviderResult) *float64 { return diffMean(p.CPUReservation) }},
		{"capacity_provider_reservation.p95", "percent", func(p *sim.ProviderResult) *float64 {
			return diffP95(p.CapacityProviderReservation)
		}},
	}
)

// Diff compares two results and returns every compared quantity, old
// beside new (see DiffRow for Δ, % and null handling):
//
//   - cost: monthly_usd, total_usd, by_capacity_provider.NAME,
//     by_service.NAME, by_job.NAME (each map's keys from both sides,
//     sorted), idle_usd;
//   - each service: cpu_utilization mean and p95, memory_utilization max,
//     unserved_demand_fraction, overloaded_minutes, placement_wait_seconds
//     p95, desired_count and running_count mean, tasks.interrupted and
//     tasks.failed, scaling_activities;
//   - each job: wait_seconds p95, failed_to_place, completed;
//   - each capacity provider: instances mean, instance_hours, task_hours,
//     cpu_reservation mean, capacity_provider_reservation p95.
//
// Services, jobs and capacity providers are taken from both sides by
// sorted name; one present on a single side has its rows marked added or
// removed and is listed in Added or Removed. Two values are unchanged when
// they are equal numbers or both null; a NaN is taken as null. Diff reads
// old and new only; it panics on a nil result.
func Diff(old, new *sim.Result) DiffReport {
	if old == nil || new == nil {
		panic("reports: Diff of a nil result")
	}
	d := DiffReport{Old: diffRun(old), New: diffRun(new)}
	oc, nc := &old.Cost, &new.Cost
	costRow := func(metric string, o, n *float64, op, np bool) {
		d.Rows = append(d.Rows, diffCompare("cost", "", metric, "usd", o, n, op, np))
	}
	costRow("monthly_usd", diffNum(oc.MonthlyUSD), diffNum(nc.MonthlyUSD), true, true)
	costRow("total_usd", diffNum(oc.TotalUSD), diffNum(nc.TotalUSD), true, true)
	for _, part := range []struct {
		name     string
		old, new map[string]float64
	}{
		{"by_capacity_provider", oc.ByCapacityProvider, nc.ByCapacityProvider},
		{"by_service", oc.ByService, nc.ByService},
		{"by_job", oc.ByJob, nc.ByJob},
	} {
		for _, k := range diffUnionKeys(part.old, part.new) {
			o, op := part.old[k]
			n, np := part.new[k]
			costRow(part.name+"."+k, diffPresent(o, op), diffPresent(n, np), op, np)
		}
	}
	costRow("idle_usd", diffNum(oc.IdleUSD), diffNum(nc.IdleUSD), true, true)

	diffEntityRows(&d, "services", old.Services, new.Services, serviceDiffMetrics)
	diffEntityRows(&d, "jobs", old.Jobs, new.Jobs, jobDiffMetrics)
	diffEntityRows(&d, "capacity_providers", old.CapacityProviders, new.CapacityProviders, providerDiffMetrics)
	return d
}

func diffRun(r *sim.Result) DiffRun {
	return DiffRun{Scenario: r.Scenario.Name, Seed: r.Scenario.Seed, SHA256: r.Scenario.SHA256,
		ECSSimVersion: r.RunInfo.ECSSimVersion}
}

// diffEntityRows appends the rows of every entity of one section, by sorted
// name, and records the entities present on one side only. A nil entry of
// a map counts as absent.
func diffEntityRows[T any](d *DiffReport, section string, old, new map[string]*T, metrics []diffMetric[T]) {
	for _, name := range diffUnionKeys(old, new) {
		o, n := old[name], new[name]
		op, np := o != nil, n != nil
		switch {
		case !op && !np:
			continue
		case !op:
			d.Added = append(d.Added, section+"."+name)
		case !np:
			d.Removed = append(d.Removed, section+"."+name)
		}
		for _, m := range metrics {
			var ov, nv *float64
			if op {
				ov = m.get(o)
			}
			if np {
				nv = m.get(n)
			}
			d.Rows = append(d.Rows, diffCompare(section, name, m.name, m.unit, ov, nv, op, np))
		}
	}
}

// diffCompare derives a row's status, Δ, % and note from its two values and
// whether each side has the quantity at all (see DiffRow).
func diffCompare(section, entity, metric, unit string, old, new *float64, oldPresent, newPresent bool) DiffRow {
	old, new = diffNaNToNull(old), diffNaNToNull(new)
	r := DiffRow{Section: section, Entity: entity, Metric: metric, Unit: unit, Old: old, New: new}
	switch {
	case old == nil && new == nil:
		// Null (or absent) on both sides: nothing to show, even for an
		// added or removed entity.
		r.Status = DiffUnchanged
	case !oldPresent:
		r.Status = DiffAdded
	case !newPresent:
		r.Status = DiffRemoved
	case old != nil && new != nil && *old == *new:
		r.Status = DiffUnchanged
	default:
		r.Status = DiffChanged
	}
	if old != nil && new != nil {
		r.Delta = diffNum(*new - *old)
		if *old != 0 {
			r.Percent = diffNum(*r.Delta / math.Abs(*old) * 100)
		}
	}
	switch {
	case r.Percent != nil:
	case new == nil && old != nil:
		r.Note = NoteGone
	case new != nil && (old == nil || *old != *new):
		// Old is null, absent or 0 (else Percent would be set).
		r.Note = NoteNew
	}
	return r
}

// diffUnionKeys returns the keys of a and b, each once, sorted.
func diffUnionKeys[V any](a, b map[string]V) []string {
	u := make(map[string]struct{}, len(a)+len(b))
	for k := range a {
		u[k] = struct{}{}
	}
	for k := range b {
		u[k] = struct{}{}
	}
	return sortedKeys(u)
}

func diffNum(v float64) *float64 { return &v }

func diffPresent(v float64, present bool) *float64 {
	if !present {
		return nil
	}
	return diffNum(v)
}

func diffNaNToNull(v *float64) *float64 {
	if v == nil || math.IsNaN(*v) {
		return nil
	}
	return v
}

func diffMean(d *sim.Dist) *float64 {
	if d == nil {
		return nil
	}
	return diffNum(d.Mean)
}

func diffP95(d *sim.Dist) *float64 {
	if d == nil {
		return nil
	}
	return diffNum(d.P95)
}

func diffMax(d *sim.Dist) *float64 {
	if d == nil {
		return nil
	}
	return diffNum(d.Max)
}

func diffMMMMean(m *sim.MinMeanMax) *float64 {
	if m == nil {
		return nil
	}
	return diffNum(m.Mean)
}
