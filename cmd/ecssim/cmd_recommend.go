package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/planner"
	"github.com/ecssim/ecssim/reports"
	"github.com/ecssim/ecssim/scenarios"
)

func newRecommendCmd(e *env) *cobra.Command {
	var (
		format string
		seed   uint64
		apply  string
		out    string
		launch bool
	)
	cmd := &cobra.Command{
		Use:   "recommend [SCENARIO.toml]",
		Short: "Right-size the services' tasks and verify each size by simulating it",
		Long: `Simulate the scenario, then right-size every service's task (CPU units and
MiB, the number of tasks kept): the [recommend] percentile of its
utilization (cpu_percentile 95, memory_percentile 100 by default) times
the task's size plus the margin (0.15), rounded up to the next Fargate size
(or to 128 on EC2). Each size is verified by simulating the scenario again
with it, same seed: it passes when the unserved demand fraction and the p95
placement wait stay within the [recommend] limits and every [[assertions]]
check holds; a size that fails is kept, marked, and the next size up is
tried (three times at most). The words are AWS Compute Optimizer's:
Overprovisioned, Underprovisioned, Optimized.

--apply NEW.toml writes the scenario with the recommended sizes and
instance types that passed (the input's text with the cpu, memory,
autoscaling max_capacity, instance_types, market and allocation_strategy
lines rewritten; comments kept); with --apply-launch-types also each
service's verified launch-type option that saves the most. The written
scenario is then simulated as a whole (each option was verified alone)
and judged by the same limits; when it fails them the exit code is 3.
--out DIR writes the simulated run's report folder (as run --out) with a
Recommendations section in report.html, and DIR/recommendations.json.
Without a file, the embedded example "` + defaultExample + `" is used.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "json", "markdown":
			default:
				return usageErr("--format %q: use table, json or markdown", format)
			}
			opt := planner.RecommendOptions{Version: ecssimVersion()}
			if cmd.Flags().Changed("seed") {
				opt.Seed = &seed
			}
			if launch && apply == "" {
				return usageErr("--apply-launch-types needs --apply NEW.toml")
			}
			return recommend(e, args, format, apply, launch, out, opt)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "table", "output on stdout: table, json or markdown")
	fl.Uint64Var(&seed, "seed", 0, "replace the scenario's seed in every run")
	fl.StringVar(&apply, "apply", "", "write the scenario with the recommended sizes to `NEW.toml`")
	fl.BoolVar(&launch, "apply-launch-types", false, "with --apply, also move each service to its verified launch-type option that saves the most")
	fl.StringVar(&out, "out", "", "write the report folder, with the recommendations, to `DIR`")
	return cmd
}

// recommend is `ecssim recommend`.
func recommend(e *env, args []string, format, apply string, launch bool, out string, opt planner.RecommendOptions) error {
	sc, label, err := loadScenario(args)
	if err != nil {
		return err
	}
	input := ""
	if len(args) > 0 {
		input = args[0]
	}
	if apply != "" {
		if err := notAnInput(apply, input, "input scenario"); err != nil {
			return err
		}
	}
	rec, err := planner.Recommend(sc, opt)
	if err != nil {
		return runtimeErr(err)
	}
	for _, w := range rec.Base.Warnings {
		fmt.Fprintf(e.stderr, "ecssim: warning: %s\n", w)
	}
	for _, n := range rec.Notes {
		fmt.Fprintf(e.stderr, "ecssim: note: %s\n", n)
	}
	appliedOK := true
	if apply != "" {
		ok, err := writeApplied(e, sc, input, apply, launch, rec, opt)
		if err != nil {
			return err
		}
		appliedOK = ok
	}
	if out != "" {
		if err := notAnInput(filepath.Join(out, reports.ResultsFile), input, "input scenario"); err != nil {
			return err
		}
		if err := reports.WriteDirWith(out, rec.Base, recommendSection(rec)); err != nil {
			return runtimeErr(err)
		}
		if err := reports.WriteFileAtomic(filepath.Join(out, "recommendations.json"), func(w io.Writer) error {
			b, err := json.MarshalIndent(rec, "", "  ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(w, "%s\n", b)
			return err
		}); err != nil {
			return runtimeErr(err)
		}
		fmt.Fprintf(e.stderr, "ecssim: %s: wrote %s (the report folder, with the recommendations, and recommendations.json)\n", label, out)
	}
	switch format {
	case "json":
		b, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return runtimeErr(err)
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	case "markdown":
		writeRecommendMarkdown(e.stdout, label, rec)
	default:
		writeRecommendTable(e.stdout, label, rec)
	}
	if !appliedOK {
		return silent(exitAssertion)
	}
	return nil
}

// writeApplied writes the scenario with rec's changes to path, after
// checking that the text validates, then simulates it as a whole and
// reports on stderr whether it keeps the limits; ok is false when not.
func writeApplied(e *env, sc *scenarios.Scenario, input, path string, launch bool, rec *planner.Recommendation, opt planner.RecommendOptions) (ok bool, err error) {
	var src []byte
	if input == "" {
		b, ok := scenarios.ExampleSource(defaultExample)
		if !ok {
			return false, runtimeErr(fmt.Errorf("--apply: no source of the example %s", defaultExample))
		}
		src = b
	} else {
		b, err := os.ReadFile(input)
		if err != nil {
			return false, runtimeErr(err)
		}
		src = b
	}
	changes := rec.Changes()
	out, err := planner.ApplyToTOML(src, sc, changes)
	if err != nil {
		return false, runtimeErr(fmt.Errorf("--apply: %v", err))
	}
	pchanges := rec.ProviderChanges(sc)
	if out, err = planner.ApplyProvidersToTOML(out, sc, pchanges); err != nil {
		return false, runtimeErr(fmt.Errorf("--apply: %v", err))
	}
	var lchanges []planner.LaunchChange
	if launch {
		lchanges = rec.LaunchChanges()
		if out, err = planner.ApplyLaunchToTOML(out, sc, lchanges); err != nil {
			return false, runtimeErr(fmt.Errorf("--apply: %v", err))
		}
	}
	applied, err := scenarios.Parse(path, out)
	if err != nil {
		return false, runtimeErr(fmt.Errorf("--apply: the rewritten scenario does not validate (a bug): %v", err))
	}
	if err := reports.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(out)
		return err
	}); err != nil {
		return false, runtimeErr(fmt.Errorf("--apply: %v", err))
	}
	msg := fmt.Sprintf("%d service(s) resized, %d capacity provider(s) changed", len(changes), len(pchanges))
	if launch {
		msg += fmt.Sprintf(", %d service(s) moved", len(lchanges))
	}
	fmt.Fprintf(e.stderr, "ecssim: wrote %s (%s)\n", path, msg)
	c, err := rec.CheckApplied(sc, applied, opt)
	if err != nil {
		return false, runtimeErr(fmt.Errorf("--apply: simulating %s: %v", path, err))
	}
	if c.Passed {
		fmt.Fprintf(e.stderr, "ecssim: %s simulated as a whole: %.2f USD a month (now %.2f); every service within the limits, every assertion holds\n", path, c.MonthlyUSD, c.BaseMonthlyUSD)
		return true, nil
	}
	var why []string
	if len(c.FailedServices) > 0 {
		why = append(why, "over the limits: "+strings.Join(c.FailedServices, ", "))
	}
	for _, a := range c.FailedAssertions {
		why = append(why, "assertion "+a)
	}
	fmt.Fprintf(e.stderr, "ecssim: %s simulated as a whole: %.2f USD a month (now %.2f), but it FAILS (%s); the options were verified one at a time\n", path, c.MonthlyUSD, c.BaseMonthlyUSD, strings.Join(why, "; "))
	return false, nil
}

// size is "CPU/MEMORY" in CPU units and MiB.
func size(cpu, mem int) string { return fmt.Sprintf("%d/%d", cpu, mem) }

// verdict is "passed", or "FAILED" and why.
func verdict(v planner.Verified) string {
	if v.Passed {
		return "passed"
	}
	return "FAILED"
}

// whyFailed says which limit an option broke.
func whyFailed(v planner.Verified) string {
	var why []string
	if v.UnservedDemandFraction != nil && *v.UnservedDemandFraction > 0 {
		why = append(why, fmt.Sprintf("unserved %.3g%%", 100**v.UnservedDemandFraction))
	}
	if v.PlacementWaitP95Seconds != nil {
		why = append(why, fmt.Sprintf("wait p95 %.0fs", *v.PlacementWaitP95Seconds))
	}
	if v.OOMKilled > 0 {
		why = append(why, fmt.Sprintf("%d OOM-killed", v.OOMKilled))
	}
	if v.PendingAtEnd > 0 {
		why = append(why, fmt.Sprintf("%d tasks waiting at the end (the longest %.0f s)", v.PendingAtEnd, orZero(v.PendingAtEndMaxWaitSeconds)))
	}
	for _, a := range v.FailedAssertions {
		why = append(why, "assertion "+a)
	}
	return strings.Join(why, ", ")
}

// writeRecommendTable prints one row per service (within 80 columns for
// names of up to 15 characters; a recommended size that failed
// verification is starred), then per service the reasons, the projection
// and the sizes rejected by verification.
func writeRecommendTable(w io.Writer, label string, rec *planner.Recommendation) {
	fmt.Fprintf(w, "Recommendations for %s\n", label)
	fmt.Fprintf(w, "(task sizes in CPU units/MiB; USD a month; * failed verification)\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "service\tfinding\tnow\tnew\t$ now\t$ new\trisk")
	for _, name := range rec.ServiceNames() {
		s := rec.Services[name]
		o := s.Options[0]
		star := ""
		if !o.Verified.Passed {
			star = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\t%.2f\t%.2f\t%s\n", name, s.Finding,
			size(s.Current.CPU, s.Current.Memory), size(o.CPU, o.Memory), star,
			s.Current.MonthlyUSD, o.MonthlyUSD, s.PerformanceRisk)
	}
	tw.Flush()
	for _, name := range rec.ServiceNames() {
		s := rec.Services[name]
		o := s.Options[0]
		var lines []string
		if len(s.FindingReasonCodes) > 0 {
			lines = append(lines, "reasons: "+strings.Join(s.FindingReasonCodes, ", "))
		}
		if o.Autoscaling != nil && s.Current.Autoscaling != nil {
			lines = append(lines, "autoscaling "+rangeChange(s.Current.Autoscaling, o.Autoscaling))
		}
		lines = append(lines, fmt.Sprintf("%d tasks; projected cpu %.0f-%.0f%%, memory %.0f-%.0f%%",
			o.DesiredCount, o.ProjectedCPUUtilization.Lower, o.ProjectedCPUUtilization.Upper,
			o.ProjectedMemoryUtilization.Lower, o.ProjectedMemoryUtilization.Upper))
		if !o.Verified.Passed {
			lines = append(lines, "no size passed: "+whyFailed(o.Verified))
		}
		for _, x := range s.Options[1:] {
			if x.DesiredCount != s.Current.DesiredCount { // the count option
				v := "verified"
				if !x.Verified.Passed {
					v = "failed: " + whyFailed(x.Verified)
				}
				lines = append(lines, fmt.Sprintf("with %d tasks of %s: %.2f USD a month (%+.2f), %s",
					x.DesiredCount, size(x.CPU, x.Memory), x.MonthlyUSD, -x.SavingsMonthlyUSD, v))
				continue
			}
			lines = append(lines, fmt.Sprintf("rejected %s: %s", size(x.CPU, x.Memory), whyFailed(x.Verified)))
		}
		for _, lt := range s.LaunchTypeOptions {
			v := "verified"
			if !lt.Verified.Passed {
				v = "failed: " + whyFailed(lt.Verified)
			}
			lines = append(lines, fmt.Sprintf("on %s: %.2f USD a month (%+.2f), %s", strategyText(lt), lt.MonthlyUSD, -lt.SavingsMonthlyUSD, v))
		}
		fmt.Fprintf(w, "\n%s:\n", name)
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(rec.CapacityProviders)) {
		p := rec.CapacityProviders[name]
		o := p.Options[0]
		v := "verified"
		if !o.Verified.Passed {
			v = "failed verification"
		}
		fmt.Fprintf(w, "\ncapacity provider %s: %s\n", name, p.Finding)
		fmt.Fprintf(w, "  now: %s, %.2f USD a month\n", typesAndMarket(p.Current.InstanceTypes, p.Current.Market), p.Current.MonthlyUSD)
		fmt.Fprintf(w, "  new: %d × %s, %.2f USD a month (%s)\n", o.Instances, typesAndMarket(o.InstanceTypes, o.Market), o.MonthlyUSD, v)
		if o.AllocationStrategy != "" {
			fmt.Fprintf(w, "  allocation_strategy %s", o.AllocationStrategy)
			if len(o.InstanceTypes) > 1 {
				fmt.Fprintf(w, " (launches %s while its pool has capacity)", o.InstanceTypes[0])
			}
			fmt.Fprintln(w)
		}
		shown, more := 0, 0
		for _, x := range p.Options[1:] {
			switch {
			case x.Verified.Passed:
			case shown < 3:
				fmt.Fprintf(w, "  rejected %d × %s: %s\n", x.Instances, typesAndMarket(x.InstanceTypes, x.Market), providerWhy(x.Verified))
				shown++
			default:
				more++
			}
		}
		if more > 0 {
			fmt.Fprintf(w, "  (%d more rejected; --format json lists them)\n", more)
		}
	}
	fmt.Fprintf(w, "\nSavings of the verified recommendations: %.2f USD a month\n", rec.VerifiedSavingsMonthlyUSD())
}

// orZero is *p, or 0 for nil.
func orZero(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// providerWhy says why a capacity provider option failed verification.
func providerWhy(v planner.ProviderVerified) string {
	var why []string
	if len(v.FailedServices) > 0 {
		why = append(why, "services "+strings.Join(v.FailedServices, ", "))
	}
	if v.UnservedDemandFraction != nil && *v.UnservedDemandFraction > 0 {
		why = append(why, fmt.Sprintf("unserved %.3g%%", 100**v.UnservedDemandFraction))
	}
	if v.PendingAtEnd > 0 {
		why = append(why, fmt.Sprintf("%d tasks waiting at the end (the longest %.0f s)", v.PendingAtEnd, orZero(v.PendingAtEndMaxWaitSeconds)))
	}
	for _, a := range v.FailedAssertions {
		why = append(why, "assertion "+a)
	}
	return strings.Join(why, ", ")
}

// strategyText is a launch option's strategy: "FARGATE:1 base 1,
// FARGATE_SPOT:3".
func strategyText(lt planner.LaunchOption) string {
	var parts []string
	for _, it := range lt.CapacityProviderStrategy {
		p := fmt.Sprintf("%s:%d", it.CapacityProvider, it.W())
		if it.Base > 0 {
			p += fmt.Sprintf(" base %d", it.Base)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// rangeChange describes how an option changes the autoscaling range, e.g.
// "max_capacity 60 → 120, scheduled action 2 max_capacity 10 → 20".
func rangeChange(cur, o *planner.AutoscalingRange) string {
	parts := []string{fmt.Sprintf("max_capacity %d → %d (min_capacity %d)", cur.MaxCapacity, o.MaxCapacity, o.MinCapacity)}
	for k, m := range o.ScheduledMaxCapacity {
		if m != nil && k < len(cur.ScheduledMaxCapacity) && cur.ScheduledMaxCapacity[k] != nil && *m != *cur.ScheduledMaxCapacity[k] {
			parts = append(parts, fmt.Sprintf("scheduled action %d max_capacity %d → %d", k+1, *cur.ScheduledMaxCapacity[k], *m))
		}
	}
	return strings.Join(parts, ", ")
}

// tasksText is the tasks cell: the desired count, and the autoscaling
// range when the option changes it.
func tasksText(o planner.Option) string {
	if o.Autoscaling == nil {
		return strconv.Itoa(o.DesiredCount)
	}
	return fmt.Sprintf("%d (range %d-%d)", o.DesiredCount, o.Autoscaling.MinCapacity, o.Autoscaling.MaxCapacity)
}

// typesAndMarket is "m6i.large spot" or "m6i.xlarge,m6i.2xlarge on_demand".
func typesAndMarket(types []string, market string) string {
	return strings.Join(types, ",") + " " + market
}

// recommendSection is the Recommendations section of report.html: one row
// per service with its finding, sizes, cost and verification.
func recommendSection(rec *planner.Recommendation) reports.Section {
	t := reports.Table{
		Head:    []string{"service", "finding", "reasons", "now", "new", "tasks", "USD/month now", "USD/month new", "savings", "risk", "verified"},
		Numeric: []bool{false, false, false, true, true, true, true, true, true, false, false},
	}
	for _, name := range rec.ServiceNames() {
		s := rec.Services[name]
		o := s.Options[0]
		v := verdict(o.Verified)
		if !o.Verified.Passed {
			v += " (" + whyFailed(o.Verified) + ")"
		}
		t.Rows = append(t.Rows, []string{name, s.Finding, strings.Join(s.FindingReasonCodes, ", "),
			size(s.Current.CPU, s.Current.Memory), size(o.CPU, o.Memory), tasksText(o),
			fmt.Sprintf("%.2f", s.Current.MonthlyUSD), fmt.Sprintf("%.2f", o.MonthlyUSD),
			fmt.Sprintf("%.2f", o.SavingsMonthlyUSD), s.PerformanceRisk, v})
	}
	tables := []reports.Table{t}
	if len(rec.CapacityProviders) > 0 {
		pt := reports.Table{
			Caption: "Capacity providers (instance types from packing the task mix, verified)",
			Head:    []string{"capacity provider", "finding", "now", "new", "instances", "USD/month now", "USD/month new", "verified"},
			Numeric: []bool{false, false, false, false, true, true, true, false},
		}
		for _, name := range slices.Sorted(maps.Keys(rec.CapacityProviders)) {
			p := rec.CapacityProviders[name]
			o := p.Options[0]
			v := "passed"
			if !o.Verified.Passed {
				v = "failed"
			}
			pt.Rows = append(pt.Rows, []string{name, p.Finding, typesAndMarket(p.Current.InstanceTypes, p.Current.Market),
				typesAndMarket(o.InstanceTypes, o.Market), strconv.Itoa(o.Instances),
				fmt.Sprintf("%.2f", p.Current.MonthlyUSD), fmt.Sprintf("%.2f", o.MonthlyUSD), v})
		}
		tables = append(tables, pt)
	}
	return reports.Section{
		Title: "Recommendations",
		Lines: []string{
			"Task sizes in CPU units/MiB. Each recommended size was verified by simulating the scenario again with it (same seed).",
			fmt.Sprintf("Savings of the verified recommendations: %.2f USD a month.", rec.VerifiedSavingsMonthlyUSD()),
		},
		Tables: tables,
	}
}

// writeRecommendMarkdown prints the table as GitHub-flavoured Markdown.
func writeRecommendMarkdown(w io.Writer, label string, rec *planner.Recommendation) {
	fmt.Fprintf(w, "## Recommendations for %s\n\n", label)
	fmt.Fprintln(w, "| service | finding | reasons | now | new | tasks | USD/month now | USD/month new | savings | risk | verified |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|")
	for _, name := range rec.ServiceNames() {
		s := rec.Services[name]
		o := s.Options[0]
		v := verdict(o.Verified)
		if !o.Verified.Passed {
			v += " (" + whyFailed(o.Verified) + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %s | %s |\n", name, s.Finding,
			strings.Join(s.FindingReasonCodes, ", "), size(s.Current.CPU, s.Current.Memory), size(o.CPU, o.Memory),
			tasksText(o), s.Current.MonthlyUSD, o.MonthlyUSD, o.SavingsMonthlyUSD, s.PerformanceRisk, v)
	}
	for _, n := range rec.Notes {
		fmt.Fprintf(w, "\n- %s", n)
	}
	if len(rec.Notes) > 0 {
		fmt.Fprintln(w)
	}
}
