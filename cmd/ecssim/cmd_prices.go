package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/pricing"
)

func newPricesCmd(e *env) *cobra.Command {
	var region string
	cmd := &cobra.Command{
		Use:   "prices",
		Short: "Print the builtin pricing catalog for a region",
		Long: `Print the builtin pricing catalog for one region: the Fargate rates (on
demand and Spot, per architecture) and every EC2 instance type with its
size and its on-demand and Spot prices per hour (USD, Linux).`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return printPrices(e, pricing.Builtin(), region)
		},
	}
	cmd.Flags().StringVar(&region, "region", "us-east-1", "the AWS region")
	return cmd
}

func printPrices(e *env, c *pricing.Catalog, region string) error {
	regions := c.Regions()
	if !slices.Contains(regions, region) {
		return usageErr("--region %q: the builtin catalog has no prices there; it has: %s",
			region, strings.Join(regions, ", "))
	}
	w := e.stdout
	fmt.Fprintf(w, "builtin pricing catalog %s, region %s (USD, Linux)\n\n", c.Date(), region)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Fargate\tarchitecture\tper vCPU-hour\tper GiB-hour\tper storage GiB-hour")
	for _, arch := range []string{"X86_64", "ARM64"} {
		for _, spot := range []bool{false, true} {
			r, ok := c.FargateRate(region, arch, spot)
			if !ok {
				continue
			}
			name := "FARGATE"
			if spot {
				name = "FARGATE_SPOT"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, arch, price(r.VCPUHour), price(r.GBHour), price(r.StorageGBHour))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "instance type\tvCPU\tmemory GiB\tarchitecture\ton-demand/h\tspot/h")
	rows := 0
	for _, t := range c.InstanceTypes() {
		od, ok := c.OnDemandRate(region, t.Name)
		if !ok {
			continue
		}
		spot := "-"
		if s, ok := c.SpotRate(region, t.Name); ok {
			spot = price(s)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", t.Name, t.VCPU,
			strconv.FormatFloat(t.MemoryGiB, 'f', -1, 64), t.Arch, price(od), spot)
		rows++
	}
	if rows == 0 {
		fmt.Fprintf(tw, "(no EC2 prices in %s)\t\t\t\t\t\n", region)
	}
	return tw.Flush()
}

// price formats a rate rounded to a millionth of a dollar, without
// trailing zeros (Fargate storage costs fractions of a cent).
func price(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}
