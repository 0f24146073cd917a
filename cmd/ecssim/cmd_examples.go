package main

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/scenarios"
)

func newExamplesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "examples [NAME]",
		Short: "List the embedded example scenarios, or print one",
		Long: `Without NAME, list the embedded example scenarios, one per line: the name,
then a description. With NAME, print that example's TOML, ready to edit:

  ecssim examples web-platform > my.toml

"ecssim examples large" generates a large scenario for performance tests.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
				for _, ex := range scenarios.Examples() {
					fmt.Fprintf(tw, "%s\t%s\n", ex.Name, ex.Description)
				}
				return tw.Flush()
			}
			src, ok := scenarios.ExampleSource(args[0])
			if !ok {
				return usageErr("no example %q; the examples are: %s", args[0], exampleNames())
			}
			_, err := e.stdout.Write(src)
			return err
		},
	}
	cmd.AddCommand(newLargeCmd(e))
	return cmd
}

func exampleNames() string {
	var names []string
	for _, ex := range scenarios.Examples() {
		names = append(names, ex.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ") + " (and large)"
}

func newLargeCmd(e *env) *cobra.Command {
	var p scenarios.LargeParams
	cmd := &cobra.Command{
		Use:   "large",
		Short: "Print a generated large scenario (the performance goal's shape)",
		Long: `Print a generated scenario of the size named by the flags; the defaults are
the performance goal of PERFORMANCE.md: 5,000 instances, 200 services and
100,000 job tasks over 30 days.

  ecssim examples large > out/large.toml && ecssim run --quiet out/large.toml`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			for _, c := range []struct {
				name string
				v    int
				min  int
			}{{"--instances", p.Instances, 1}, {"--services", p.Services, 0}, {"--job-tasks", p.JobTasks, 0}, {"--days", p.Days, 1}} {
				if c.v < c.min {
					return usageErr("%s %d: must be at least %d", c.name, c.v, c.min)
				}
			}
			_, err := e.stdout.Write(scenarios.GenerateLarge(p))
			return err
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&p.Instances, "instances", 5000, "EC2 instances, in total over the capacity providers")
	fl.IntVar(&p.Services, "services", 200, "services")
	fl.IntVar(&p.JobTasks, "job-tasks", 100000, "job tasks submitted over the run")
	fl.IntVar(&p.Days, "days", 30, "simulated days")
	fl.Uint64Var(&p.Seed, "seed", 1, "the generator's seed")
	return cmd
}
