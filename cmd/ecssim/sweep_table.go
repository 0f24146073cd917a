package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ecssim/ecssim/planner"
)

// sweepTableRows is how many groups the terminal table lists.
const sweepTableRows = 10

// writeSweepTable prints the sweep's answer: the best group under
// subject_to, then the groups ranked (feasible first, by the objective)
// with the objective's mean ± its 95 % half-width and the means of the
// subject_to paths.
func writeSweepTable(w io.Writer, st *planner.Study, sum *planner.Summary) {
	fmt.Fprintf(w, "Sweep of %s: %d runs, %d groups × %d replication(s)\n", filepath.Base(st.Path), len(sum.Runs), len(sum.Groups), st.Replications)
	metric := "cost.monthly_usd"
	if st.Objective != nil {
		metric = st.Objective.Path
		verb := "minimize"
		if st.Objective.Maximize {
			verb = "maximize"
		}
		var cs []string
		for _, c := range st.Objective.SubjectTo {
			cs = append(cs, c.String())
		}
		fmt.Fprintf(w, "objective: %s %s\n", verb, metric)
		if len(cs) > 0 {
			fmt.Fprintf(w, "subject to: %s\n", strings.Join(cs, ", "))
		}
		if sum.Best != nil {
			fmt.Fprintf(w, "best: %s: %s = %s\n", valuesText(sum.Best.Values), metric, num(sum.Best.Mean[metric]))
		} else {
			fmt.Fprintln(w, "best: no group meets subject_to")
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"#"}
	for _, v := range st.Vary {
		head = append(head, v.Key[strings.LastIndexByte(v.Key, '.')+1:])
	}
	head = append(head, metric[strings.LastIndexByte(metric, '.')+1:], "±95%")
	var extra []string // the subject_to paths, each a column of means
	if st.Objective != nil {
		for _, c := range st.Objective.SubjectTo {
			if c.Path != metric && !slices.Contains(extra, c.Path) {
				extra = append(extra, c.Path)
			}
		}
	}
	for _, p := range extra {
		head = append(head, p[strings.LastIndexByte(p, '.')+1:])
	}
	head = append(head, "runs", "ok")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	rank := planner.RankGroups(st, sum)
	for k, gi := range rank {
		if k == sweepTableRows {
			break
		}
		g := &sum.Groups[gi]
		row := []string{strconv.Itoa(k + 1)}
		for _, v := range g.Values {
			row = append(row, fmt.Sprint(v.Value))
		}
		ci := "-"
		if h, ok := g.CI95[metric]; ok {
			ci = num(h)
		}
		m := "-"
		if v, ok := g.Mean[metric]; ok {
			m = num(v)
		}
		ok := "yes"
		if !planner.Feasible(st, g) {
			ok = "no"
		}
		row = append(row, m, ci)
		for _, p := range extra {
			x := "-"
			if v, ok := g.Mean[p]; ok {
				x = num(v)
			}
			row = append(row, x)
		}
		row = append(row, strconv.Itoa(g.Runs), ok)
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	if len(rank) > sweepTableRows {
		fmt.Fprintf(w, "(%d more groups in summary.json and report.html)\n", len(rank)-sweepTableRows)
	}
}

// valuesText is "target=60, weight=3" (keys by their last segment).
func valuesText(vs planner.Values) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%s=%v", v.Key[strings.LastIndexByte(v.Key, '.')+1:], v.Value)
	}
	return strings.Join(parts, ", ")
}

// num prints a metric with 4 significant digits.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
