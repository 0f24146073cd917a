package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/sim"
)

// document is the content shared by the terminal table and the Markdown
// report: a title, a few lines of identity, and sections of tables. The
// renderers only lay it out.
type document struct {
	title    string
	meta     []string
	sections []section
}

// section is a titled group of text lines and tables; empty is shown when
// it has neither.
type section struct {
	title  string
	lines  []string
	tables []table
	empty  string
}

// table is a header and rows of cells; numeric columns are right-aligned.
type table struct {
	caption string
	head    []string
	numeric []bool
	rows    [][]string
}

func newTable(caption string, cols ...string) table {
	t := table{caption: caption}
	for _, c := range cols {
		// A leading '>' marks a numeric (right-aligned) column.
		num := strings.HasPrefix(c, ">")
		t.head = append(t.head, strings.TrimPrefix(c, ">"))
		t.numeric = append(t.numeric, num)
	}
	return t
}

func (t *table) add(cells ...string) {
	if len(cells) != len(t.head) {
		panic(fmt.Sprintf("reports: row of %d cells in a table of %d columns", len(cells), len(t.head)))
	}
	t.rows = append(t.rows, cells)
}

// buildDocument lays out res as sections. Maps are listed in key order.
func buildDocument(res *sim.Result) document {
	if res == nil {
		panic("reports: nil result")
	}
	d := document{title: "ecssim results: " + res.Scenario.Name}
	sc := res.Scenario
	sha := sc.SHA256
	if len(sha) > 12 {
		sha = sha[:12]
	}
	if sha == "" {
		sha = none
	}
	d.meta = append(d.meta, fmt.Sprintf("seed %d · duration %s · warmup %s · %s events · sha256 %s",
		sc.Seed, duration(sc.DurationSeconds), duration(sc.WarmupSeconds), count(res.Engine.Events), sha))
	if ri := res.RunInfo; ri.ECSSimVersion != "" || ri.GeneratedAt != "" {
		d.meta = append(d.meta, fmt.Sprintf("ecssim %s · generated %s · wall %s s",
			orNone(ri.ECSSimVersion), orNone(ri.GeneratedAt), fixed(ri.WallSeconds, 2)))
	}
	d.sections = append(d.sections,
		costSection(res),
		servicesSection(res),
		jobsSection(res),
		providersSection(res),
		activitiesSection(res),
		eventsSection(res),
		assertionsSection(res),
	)
	if len(res.Warnings) > 0 {
		d.sections = append(d.sections, section{title: "Warnings", lines: res.Warnings})
	}
	return d
}

func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}

func costSection(res *sim.Result) section {
	c := res.Cost
	t := newTable("", "", "name", ">USD")
	t.add("total", "", usd(c.TotalUSD))
	t.add("monthly", "", usd(c.MonthlyUSD))
	t.add("idle", "", usd(c.IdleUSD))
	for _, k := range sortedKeys(c.ByCapacityProvider) {
		t.add("capacity provider", k, usd(c.ByCapacityProvider[k]))
	}
	for _, k := range sortedKeys(c.ByService) {
		t.add("service", k, usd(c.ByService[k]))
	}
	for _, k := range sortedKeys(c.ByJob) {
		t.add("job", k, usd(c.ByJob[k]))
	}
	return section{
		title:  "Cost",
		lines:  []string{"total: the whole run, warmup included; monthly: the post-warmup rate × 730 h; idle: instance time no task holds."},
		tables: []table{t},
	}
}

func servicesSection(res *sim.Result) section {
	s := section{title: "Services", empty: "none"}
	if len(res.Services) == 0 {
		return s
	}
	s.lines = []string{"Counts are means of the per-period datapoints after warmup; percentages 0-100; task counters count events at or after warmup."}
	main := newTable("", "service", ">desired", ">running", ">cpu p95 %", ">mem max %",
		">unserved %", ">overloaded min", ">wait p95 s")
	tasks := newTable("Tasks", "service", ">started", ">stopped", ">failed", ">oom killed", ">interrupted",
		">pending at end", ">scaling activities")
	fails := newTable("Placement failures", "service", "reason", ">count")
	split := newTable("Running tasks by capacity provider (mean)", "service", "capacity provider", ">running")
	deps := newTable("Deployments", "service", "task definition", ">started", ">finished", "state",
		">failed tasks", ">min healthy", ">max tasks", ">extra USD")
	for _, name := range sortedKeys(res.Services) {
		r := res.Services[name]
		main.add(name,
			mmmMean(r.DesiredCount), mmmMean(r.RunningCount),
			distField(r.CPUUtilization, func(d *sim.Dist) float64 { return d.P95 }),
			distField(r.MemoryUtilization, func(d *sim.Dist) float64 { return d.Max }),
			fractionPct(r.UnservedDemandFraction), ptr1(r.OverloadedMinutes),
			distField(r.PlacementWaitSeconds, func(d *sim.Dist) float64 { return d.P95 }))
		tasks.add(name, count(r.Tasks.Started), count(r.Tasks.Stopped), count(r.Tasks.Failed),
			count(r.Tasks.OOMKilled), count(r.Tasks.Interrupted), count(r.PendingAtEnd), count(r.ScalingActivities))
		for _, reason := range sortedKeys(r.PlacementFailures) {
			fails.add(name, reason, count(r.PlacementFailures[reason]))
		}
		for _, cp := range sortedKeys(r.RunningByCapacityProvider) {
			split.add(name, cp, num1(r.RunningByCapacityProvider[cp]))
		}
		for _, dp := range r.Deployments {
			finished := none
			if dp.FinishedAtSeconds != nil {
				finished = duration(*dp.FinishedAtSeconds)
			}
			deps.add(name, dp.TaskDefinition, duration(dp.StartedAtSeconds), finished, dp.State,
				count(dp.FailedTasks), count(dp.MinHealthyRunning), count(dp.MaxTasks), usd(dp.ExtraCostUSD))
		}
	}
	s.tables = append(s.tables, main, tasks)
	for _, t := range []table{fails, split, deps} {
		if len(t.rows) > 0 {
			s.tables = append(s.tables, t)
		}
	}
	return s
}

func jobsSection(res *sim.Result) section {
	s := section{title: "Jobs", empty: "none"}
	if len(res.Jobs) == 0 {
		return s
	}
	s.lines = []string{"Counters count events at or after warmup (a task submitted before warmup may complete after it); in progress is at the end."}
	t := newTable("", "job", ">submitted", ">completed", ">failed to place", ">interrupted", ">retried",
		">dropped", ">in progress", ">wait p95 s", ">run p95 s", ">wasted task h")
	for _, name := range sortedKeys(res.Jobs) {
		j := res.Jobs[name]
		t.add(name, count(j.Submitted), count(j.Completed), count(j.FailedToPlace), count(j.Interrupted),
			count(j.Retried), count(j.Dropped), count(j.InProgressAtEnd),
			distField(j.WaitSeconds, func(d *sim.Dist) float64 { return d.P95 }),
			distField(j.RunSeconds, func(d *sim.Dist) float64 { return d.P95 }),
			num1(j.WastedTaskSeconds/3600))
	}
	s.tables = []table{t}
	return s
}

func providersSection(res *sim.Result) section {
	s := section{title: "Capacity providers", empty: "none"}
	if len(res.CapacityProviders) == 0 {
		return s
	}
	s.lines = []string{"Reservations and CapacityProviderReservation (CPR) are percentages; Fargate has no instances."}
	t := newTable("", "capacity provider", ">instances mean", ">instances max", ">instance h", ">task h",
		">cpu res p95 %", ">mem res p95 %", ">CPR p95 %")
	life := newTable("Instances", "capacity provider", ">launches", ">terminations", ">interruptions")
	for _, name := range sortedKeys(res.CapacityProviders) {
		p := res.CapacityProviders[name]
		t.add(name, mmmMean(p.Instances), mmmMax(p.Instances), ptr1(p.InstanceHours), ptr1(p.TaskHours),
			distField(p.CPUReservation, func(d *sim.Dist) float64 { return d.P95 }),
			distField(p.MemoryReservation, func(d *sim.Dist) float64 { return d.P95 }),
			distField(p.CapacityProviderReservation, func(d *sim.Dist) float64 { return d.P95 }))
		life.add(name, countPtr(p.Launches), countPtr(p.Terminations), count(p.Interruptions))
	}
	s.tables = []table{t, life}
	return s
}

// activityLogEnds is how many activities the terminal log shows from each
// end of a long run; results.json has every one.
const activityLogEnds = 15

func activitiesSection(res *sim.Result) section {
	s := section{title: "Scaling activities"}
	s.lines = []string{fmt.Sprintf("%d scaling activities (every one, with its reason, is in results.json).", len(res.Activities))}
	if len(res.Activities) == 0 {
		return s
	}
	by := map[string]int{}
	for _, a := range res.Activities {
		by[a.Resource]++
	}
	t := newTable("", "resource", ">activities")
	for _, k := range sortedKeys(by) {
		t.add(k, count(by[k]))
	}
	acts := res.Activities
	caption := "Activity log"
	var shown []sim.Activity
	if len(acts) > 2*activityLogEnds {
		caption = fmt.Sprintf("Activity log (the first and last %d of %d)", activityLogEnds, len(acts))
		shown = append(shown, acts[:activityLogEnds]...)
		shown = append(shown, acts[len(acts)-activityLogEnds:]...)
	} else {
		shown = acts
	}
	log := newTable(caption, ">at", "resource", ">from", ">to", "reason")
	for i, a := range shown {
		if len(shown) < len(acts) && i == activityLogEnds {
			log.add("...", "", "", "", "")
		}
		log.add(duration(a.AtSeconds), a.Resource, count(a.From), count(a.To), a.Reason)
	}
	s.tables = []table{t, log}
	return s
}

// eventsSection lists the scenario's events as they ran: deploys,
// outages, Spot storms and shortages, instance failures, scale events.
func eventsSection(res *sim.Result) section {
	s := section{title: "Events", empty: "none"}
	if len(res.Events) == 0 {
		return s
	}
	t := newTable("", ">at", "event", "target", ">lasting")
	for _, e := range res.Events {
		lasting := ""
		if e.DurationSeconds > 0 {
			lasting = duration(e.DurationSeconds)
		}
		t.add(duration(e.AtSeconds), e.Type, e.Target, lasting)
	}
	s.tables = []table{t}
	return s
}

func assertionsSection(res *sim.Result) section {
	s := section{title: "Assertions", empty: "none"}
	if len(res.Assertions) == 0 {
		return s
	}
	passed := 0
	t := newTable("", "result", "check", ">value", "error")
	for _, a := range res.Assertions {
		status := "FAIL"
		if a.Passed {
			status = "PASS"
			passed++
		}
		value := none
		if a.Value != nil {
			value = strconv.FormatFloat(*a.Value, 'g', 6, 64) // results.json has it exactly
		}
		t.add(status, a.Check, value, a.Error)
	}
	s.lines = []string{fmt.Sprintf("%d of %d passed.", passed, len(res.Assertions))}
	s.tables = []table{t}
	return s
}

func mmmMean(m *sim.MinMeanMax) string {
	if m == nil {
		return none
	}
	return num1(m.Mean)
}

func mmmMax(m *sim.MinMeanMax) string {
	if m == nil {
		return none
	}
	return num1(m.Max)
}

func distField(d *sim.Dist, f func(*sim.Dist) float64) string {
	if d == nil {
		return none
	}
	return num1(f(d))
}
