package scheduler

// Benchmarks and the quality harness for Pack over the "New" vector bin
// packing instances of Mommessin, Erlebach and Shakhlevich (COR 2025), read
// in place from ../../shared/data/vbp (New_instances.tar.gz and
// New_summary_known.csv); they skip when the data is absent.
//
//	go test ./scheduler/ -run '^$' -bench 'BenchmarkPack' -benchtime 3x
//	go test ./scheduler/ -run TestPackQualityNew -pack.long -v   # all 1,080 instances
//
// BenchmarkPackQuality packs all 1,080 instances per iteration in quality
// mode and reports the mean gap to the optimum (or best known) in percent,
// overall and per class, and the wall time per instance with one worker per
// CPU. BenchmarkPackFast packs the 180 instances with 500
// items in fast mode and reports ms/instance and items/s.

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var packLong = flag.Bool("pack.long", false, "TestPackQualityNew: pack all 1,080 New instances, not a subset")

const vbpDataDir = "../../shared/data/vbp"

// vbpInstance is one New instance with its reference number of bins: the
// optimum where known, else the paper's best result.
type vbpInstance struct {
	name  string // e.g. class4_500_3_6
	class string // e.g. class4
	items int    // copies in all
	p     PackProblem
	ref   int  // OPT where known, else best_overall
	opt   bool // ref is the proven optimum
}

var (
	vbpOnce sync.Once
	vbpSet  []vbpInstance
	vbpErr  error
)

// loadNewInstances returns the New instances sorted by name, or skips tb
// when the data is absent.
func loadNewInstances(tb testing.TB) []vbpInstance {
	tb.Helper()
	vbpOnce.Do(func() { vbpSet, vbpErr = readNewInstances(vbpDataDir) })
	if os.IsNotExist(vbpErr) {
		tb.Skipf("VBP data absent (%v); put New_instances.tar.gz and New_summary_known.csv in %s", vbpErr, vbpDataDir)
	}
	if vbpErr != nil {
		tb.Fatal(vbpErr)
	}
	return vbpSet
}

func readNewInstances(dir string) ([]vbpInstance, error) {
	refs, err := readSummary(filepath.Join(dir, "New_summary_known.csv"))
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, "New_instances.tar.gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	var out []vbpInstance
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(h.Name, ".vbp") {
			continue
		}
		name := strings.TrimSuffix(path.Base(h.Name), ".vbp")
		ref, ok := refs[name]
		if !ok {
			return nil, fmt.Errorf("%s: not in New_summary_known.csv", name)
		}
		p, err := ReadVBP(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		n := 0
		for _, c := range p.Counts {
			n += c
		}
		out = append(out, vbpInstance{name: name, class: strings.SplitN(name, "_", 2)[0], items: n, p: p, ref: max(ref, -ref), opt: ref > 0})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].name < out[b].name })
	return out, nil
}

// readSummary maps instance name to OPT where known (> 0), else
// best_overall, from the tab-separated summary.
// A negative ref stands for best_overall where OPT is unknown (-1 in the file).
func readSummary(file string) (map[string]int, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	refs := map[string]int{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		fs := strings.Split(sc.Text(), "\t")
		if line == 1 {
			if len(fs) < 4 || fs[0] != "instance_name" || fs[2] != "OPT" || fs[3] != "best_overall" {
				return nil, fmt.Errorf("%s: unexpected header %q", file, sc.Text())
			}
			continue
		}
		if len(fs) < 4 {
			return nil, fmt.Errorf("%s:%d: %d fields", file, line, len(fs))
		}
		opt, err1 := strconv.Atoi(fs[2])
		best, err2 := strconv.Atoi(fs[3])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s:%d: bad OPT or best_overall", file, line)
		}
		if opt > 0 {
			refs[fs[0]] = opt
		} else {
			refs[fs[0]] = -best
		}
	}
	return refs, sc.Err()
}

// gapReport is the mean gap (Bins − ref)/ref × 100 overall and per class.
type gapReport struct {
	mean    float64
	byClass map[string]float64
	classes []string // sorted
	below   int      // instances with Bins < ref (only possible where ref is not OPT)
}

// packGaps packs every instance with opt (in parallel, one goroutine per
// CPU; each Pack is deterministic) and returns the gaps. It fails tb on an
// error or an invalid packing.
func packGaps(tb testing.TB, set []vbpInstance, opt PackOptions) gapReport {
	tb.Helper()
	bins := make([]int, len(set))
	errs := make([]error, len(set))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.NumCPU()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for x := range next {
				r, err := Pack(set[x].p, opt)
				if err == nil {
					err = r.Valid(set[x].p)
				}
				if err == nil && r.Bins < r.LowerBound {
					err = fmt.Errorf("%d bins below the lower bound %d", r.Bins, r.LowerBound)
				}
				bins[x], errs[x] = r.Bins, err
			}
		}()
	}
	for x := range set {
		next <- x
	}
	close(next)
	wg.Wait()
	rep := gapReport{byClass: map[string]float64{}}
	count := map[string]int{}
	for x, in := range set {
		if errs[x] != nil {
			tb.Fatalf("%s: %v", in.name, errs[x])
		}
		g := float64(bins[x]-in.ref) / float64(in.ref) * 100
		rep.mean += g
		rep.byClass[in.class] += g
		count[in.class]++
		if bins[x] < in.ref {
			if in.opt {
				tb.Fatalf("%s: %d bins, below the optimum %d", in.name, bins[x], in.ref)
			}
			rep.below++
		}
	}
	rep.mean /= float64(len(set))
	for c := range count {
		rep.byClass[c] /= float64(count[c])
		rep.classes = append(rep.classes, c)
	}
	sort.Strings(rep.classes)
	return rep
}

func (g gapReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mean gap %.2f %%", g.mean)
	for _, c := range g.classes {
		fmt.Fprintf(&b, ", %s %.2f %%", c, g.byClass[c])
	}
	if g.below > 0 {
		fmt.Fprintf(&b, " (%d instances below the best known)", g.below)
	}
	return b.String()
}

func BenchmarkPackFast(b *testing.B) {
	var set []vbpInstance
	items := 0
	for _, in := range loadNewInstances(b) {
		if in.items == 500 {
			set = append(set, in)
			items += in.items
		}
	}
	if len(set) == 0 {
		b.Skip("no 500-item instance in the VBP data")
	}
	b.ResetTimer()
	for b.Loop() {
		for _, in := range set {
			if _, err := Pack(in.p, PackOptions{Fast: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec*1000/float64(len(set)), "ms/instance")
	b.ReportMetric(float64(items)/sec, "items/s")
}

func BenchmarkPackQuality(b *testing.B) {
	set := loadNewInstances(b)
	var rep gapReport
	b.ResetTimer()
	for b.Loop() {
		rep = packGaps(b, set, PackOptions{})
	}
	b.ReportMetric(rep.mean, "gap%")
	for _, c := range rep.classes {
		b.ReportMetric(rep.byClass[c], c+"-gap%")
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N*len(set)), "ms/instance")
}

func BenchmarkPackFastGap(b *testing.B) {
	set := loadNewInstances(b)
	var rep gapReport
	for b.Loop() {
		rep = packGaps(b, set, PackOptions{Fast: true})
	}
	b.ReportMetric(rep.mean, "gap%")
}
