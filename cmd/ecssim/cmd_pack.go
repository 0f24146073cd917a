package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecssim/ecssim/scheduler"
)

func newPackCmd(e *env) *cobra.Command {
	var (
		format string
		bin    string
		fast   bool
		effort int
		seed   uint64
	)
	cmd := &cobra.Command{
		Use:   "pack ITEMS",
		Short: "Pack items into as few bins as possible (d-dimensional vector bin packing)",
		Long: `Pack items into as few identical bins as possible: the offline vector bin
packing behind the recommendations. ITEMS is a VPSolver .vbp file (the bin
capacities come from it) or a CSV of cpu,memory[,count] rows with --bin
cpu=N,memory=N. It prints the bins used, a proven lower bound and, with
--format json, the assignment of item types to bins
({dimensions, items, bins, lower_bound, seconds, assignment}).

The default is the quality mode: the best of a portfolio of heuristics,
then a seeded improvement search of --effort moves (a count, so the answer
does not depend on the machine's speed). --fast runs the single fastest
good heuristic.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return usageErr("--format %q: want table or json", format)
			}
			p, err := readPackItems(args[0], bin)
			if err != nil {
				return err
			}
			start := time.Now()
			res, err := scheduler.Pack(p, scheduler.PackOptions{Fast: fast, Effort: effort, Seed: seed})
			if err != nil {
				return usageErr("%s: %v", args[0], err)
			}
			secs := time.Since(start).Seconds()
			if err := res.Valid(p); err != nil {
				return runtimeErr(fmt.Errorf("pack: invalid packing (a bug): %v", err))
			}
			items := 0
			for _, c := range p.Counts {
				items += c
			}
			if format == "json" {
				out := struct {
					Dimensions int     `json:"dimensions"`
					Items      int     `json:"items"`
					Bins       int     `json:"bins"`
					LowerBound int     `json:"lower_bound"`
					Seconds    float64 `json:"seconds"`
					Assignment [][]int `json:"assignment"`
				}{len(p.Capacity), items, res.Bins, res.LowerBound, secs, res.Assignment}
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			fmt.Fprintf(e.stdout, "%d items of %d types in %d dimensions: %d bins (lower bound %d), %.3f s\n",
				items, len(p.Counts), len(p.Capacity), res.Bins, res.LowerBound, secs)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "table", "output format: table or json")
	fl.StringVar(&bin, "bin", "", "bin capacities for a CSV: cpu=N,memory=N")
	fl.BoolVar(&fast, "fast", false, "one fast heuristic instead of the quality mode")
	fl.IntVar(&effort, "effort", 0, "improvement moves in quality mode (0: the default)")
	fl.Uint64Var(&seed, "seed", 1, "seed of the improvement search")
	return cmd
}

// readPackItems reads a .vbp file, or a CSV of cpu,memory[,count] rows
// (a header row of names is allowed) with the bin from --bin.
func readPackItems(path, bin string) (scheduler.PackProblem, error) {
	f, err := os.Open(path)
	if err != nil {
		return scheduler.PackProblem{}, usageErr("%v", err)
	}
	defer f.Close()
	if strings.HasSuffix(path, ".vbp") {
		if bin != "" {
			return scheduler.PackProblem{}, usageErr("--bin applies to CSV items; a .vbp file has its capacities")
		}
		p, err := scheduler.ReadVBP(f)
		if err != nil {
			return p, usageErr("%s: %v", path, err)
		}
		return p, nil
	}
	capCPU, capMem, err := parseBin(bin)
	if err != nil {
		return scheduler.PackProblem{}, err
	}
	p := scheduler.PackProblem{Capacity: []int64{capCPU, capMem}}
	return p, readPackCSV(f, path, &p)
}

func parseBin(bin string) (cpu, mem int64, err error) {
	if bin == "" {
		return 0, 0, usageErr("--bin cpu=N,memory=N is required with CSV items")
	}
	for _, kv := range strings.Split(bin, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		n, perr := strconv.ParseInt(v, 10, 64)
		if !ok || perr != nil || n <= 0 {
			return 0, 0, usageErr("--bin %q: want cpu=N,memory=N with positive integers", bin)
		}
		switch k {
		case "cpu":
			cpu = n
		case "memory":
			mem = n
		default:
			return 0, 0, usageErr("--bin %q: unknown dimension %q (want cpu and memory)", bin, k)
		}
	}
	if cpu == 0 || mem == 0 {
		return 0, 0, usageErr("--bin %q: want both cpu and memory", bin)
	}
	return cpu, mem, nil
}

func readPackCSV(r io.Reader, path string, p *scheduler.PackProblem) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	line := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return usageErr("%s: %v", path, err)
		}
		if len(rec) < 2 || len(rec) > 3 {
			return usageErr("%s:%d: want cpu,memory[,count], got %d fields", path, line, len(rec))
		}
		var v [3]int64
		v[2] = 1
		bad := false
		for i, s := range rec {
			n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || n <= 0 {
				bad = true
				break
			}
			v[i] = n
		}
		if bad {
			if line == 1 {
				continue // a header row
			}
			return usageErr("%s:%d: %q: want positive integers cpu,memory[,count]", path, line, strings.Join(rec, ","))
		}
		p.Sizes = append(p.Sizes, []int64{v[0], v[1]})
		p.Counts = append(p.Counts, int(v[2]))
	}
	if len(p.Sizes) == 0 {
		return usageErr("%s: no items", path)
	}
	return nil
}
