package planner

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/ecssim/ecssim/internal/atomicfile"
)

// studyFile is DIR/study.json: the expanded study, all a merge needs
// besides the run files. Every shard writes the same bytes.
type studyFile struct {
	Study          string          `json:"study"`    // the study file as first given
	Scenario       string          `json:"scenario"` // the scenario file it names
	ScenarioSHA256 string          `json:"scenario_sha256"`
	Replications   int             `json:"replications"`
	Vary           []studyVary     `json:"vary"`
	Objective      *studyObjective `json:"objective"`
	Pareto         *studyPareto    `json:"pareto"`
	// Metrics are the paths kept per run (Study.MetricPaths).
	Metrics []string   `json:"metrics"`
	Runs    []studyRun `json:"runs"`
}

type studyVary struct {
	Key    string `json:"key"`
	Values []any  `json:"values"`
}

type studyObjective struct {
	Minimize  string   `json:"minimize,omitempty"`
	Maximize  string   `json:"maximize,omitempty"`
	SubjectTo []string `json:"subject_to"`
}

type studyPareto struct {
	X string `json:"x"`
	Y string `json:"y"`
}

type studyRun struct {
	Index       int    `json:"index"`
	ID          string `json:"id"`
	Values      Values `json:"values"`
	Replication int    `json:"replication"`
	Seed        uint64 `json:"seed"`
}

// newStudyFile describes st and its runs.
func newStudyFile(st *Study, specs []RunSpec) studyFile {
	sum := sha256.Sum256(st.scenarioSrc)
	f := studyFile{
		Study: st.Path, Scenario: st.ScenarioPath, ScenarioSHA256: hex.EncodeToString(sum[:]),
		Replications: st.Replications, Metrics: st.MetricPaths(),
	}
	for _, v := range st.Vary {
		f.Vary = append(f.Vary, studyVary{Key: v.Key, Values: v.Values})
	}
	if o := st.Objective; o != nil {
		so := &studyObjective{SubjectTo: []string{}}
		if o.Maximize {
			so.Maximize = o.Path
		} else {
			so.Minimize = o.Path
		}
		for _, c := range o.SubjectTo {
			so.SubjectTo = append(so.SubjectTo, c.String())
		}
		f.Objective = so
	}
	if p := st.Pareto; p != nil {
		f.Pareto = &studyPareto{X: p.X, Y: p.Y}
	}
	for _, r := range specs {
		f.Runs = append(f.Runs, studyRun{Index: r.Index, ID: r.ID, Values: r.Values, Replication: r.Replication, Seed: r.Seed})
	}
	return f
}

// writeStudyFile writes dir/study.json. When one exists it must describe
// the same runs (run IDs: values and seeds) of the same scenario text, so
// a folder never mixes two studies (the study file's own path may differ
// between machines); the objective, Pareto axes and metrics may have
// changed since (the run files hold whole results, so a merge reads the
// new metrics from them), and the file is rewritten with them.
func writeStudyFile(dir string, st *Study, specs []RunSpec) error {
	b, err := encodeJSON(newStudyFile(st, specs))
	if err != nil {
		return fmt.Errorf("encoding %s: %w", SweepStudyFile, err)
	}
	path := filepath.Join(dir, SweepStudyFile)
	old, err := readStudyFile(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	default:
		f := newStudyFile(st, specs)
		same := old.ScenarioSHA256 == f.ScenarioSHA256 && len(old.Runs) == len(f.Runs)
		for i := 0; same && i < len(f.Runs); i++ {
			same = old.Runs[i].ID == f.Runs[i].ID
		}
		if !same {
			return fmt.Errorf("%s holds another study's runs (its %s lists other runs, or another scenario text); use another --out folder", dir, SweepStudyFile)
		}
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, b) {
			return nil
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

// encodeJSON is indented JSON with "<" and ">" kept as they are (checks
// such as "x < 0.01" read as written), and a final newline.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readStudyFile reads dir/study.json. An integer literal reads as int64,
// any other number as float64 (so 40.0, written as 40, reads as int64 40:
// the same JSON, the same RUN_ID).
func readStudyFile(dir string) (*studyFile, error) {
	b, err := os.ReadFile(filepath.Join(dir, SweepStudyFile))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	// Values decode through a raw form to restore their kinds and order.
	var raw struct {
		studyFile
		Vary []struct {
			Key string `json:"key"`
			Raw []any  `json:"values"`
		} `json:"vary"`
		Runs []struct {
			studyRun
			Values json.RawMessage `json:"values"`
		} `json:"runs"`
	}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", SweepStudyFile, err)
	}
	f := raw.studyFile
	f.Vary = nil
	for _, v := range raw.Vary {
		vals := make([]any, len(v.Raw))
		for i, x := range v.Raw {
			vals[i] = numberKind(x)
		}
		f.Vary = append(f.Vary, studyVary{Key: v.Key, Values: vals})
	}
	f.Runs = nil
	for _, r := range raw.Runs {
		vs, err := decodeValues(r.Values)
		if err != nil {
			return nil, fmt.Errorf("%s: run %s: %w", SweepStudyFile, r.ID, err)
		}
		r.studyRun.Values = vs
		f.Runs = append(f.Runs, r.studyRun)
	}
	return &f, nil
}

// numberKind turns a json.Number into int64 when it is an integer
// literal, else float64; other values pass through.
func numberKind(x any) any {
	n, ok := x.(json.Number)
	if !ok {
		return x
	}
	if i, err := n.Int64(); err == nil && !strings.ContainsAny(n.String(), ".eE") {
		return i
	}
	f, _ := n.Float64()
	return f
}

// decodeValues reads a Values object keeping its key order.
func decodeValues(b json.RawMessage) (Values, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("values: want an object")
	}
	var out Values
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, Value{Key: k, Value: numberKind(v)})
	}
	return out, nil
}

// study rebuilds the parts of a Study that Summarize and the report use.
func (f *studyFile) study() (*Study, error) {
	st := &Study{Path: f.Study, ScenarioPath: f.Scenario, Replications: f.Replications, Metrics: f.Metrics}
	for _, v := range f.Vary {
		st.Vary = append(st.Vary, Vary{Key: v.Key, Values: v.Values})
	}
	if o := f.Objective; o != nil {
		obj := &Objective{Path: o.Minimize}
		if o.Maximize != "" {
			obj.Path, obj.Maximize = o.Maximize, true
		}
		for _, s := range o.SubjectTo {
			c, err := ParseCheck(s)
			if err != nil {
				return nil, fmt.Errorf("%s: subject_to %q: %w", SweepStudyFile, s, err)
			}
			obj.SubjectTo = append(obj.SubjectTo, c)
		}
		st.Objective = obj
	}
	if p := f.Pareto; p != nil {
		st.Pareto = &ParetoSpec{X: p.X, Y: p.Y}
	}
	return st, nil
}

// readRun reads run r's file in dir and looks up the metric paths in it;
// absent is true when the file does not exist or does not decode (a run
// to do again).
//
// Model assumption: a metric that is null in the run (a statistic without
// datapoints) is left out of its metrics, and so of its group's mean.
func readRun(dir string, r studyRun, paths []string) (rs RunSummary, absent bool, err error) {
	b, err := os.ReadFile(runPath(dir, r.ID))
	if errors.Is(err, os.ErrNotExist) || (err == nil && !json.Valid(b)) {
		return rs, true, nil
	}
	if err != nil {
		return rs, false, err
	}
	doc, err := NewDocJSON(b)
	if err != nil {
		return rs, false, fmt.Errorf("run %s: %w", r.ID, err)
	}
	m := map[string]float64{}
	for _, p := range paths {
		v, err := doc.Lookup(p)
		switch {
		case errors.Is(err, ErrNull):
			continue
		case err != nil:
			return rs, false, fmt.Errorf("run %s: metric %w", r.ID, err)
		}
		m[p] = v
	}
	return RunSummary{ID: r.ID, Values: r.Values, Replication: r.Replication, Seed: r.Seed, Metrics: m}, false, nil
}

// MergeSweep builds dir/summary.json from dir/study.json and every
// dir/runs/RUN_ID.json, and returns the study (as study.json describes it)
// and the summary. info, when set, fills run_info. It fails when a run's
// file is missing (naming how many and the first) or a metric path names
// nothing in a run's results.json; a path that is null there is left out
// of that run's metrics.
func MergeSweep(dir string, info func(*Summary)) (*Study, *Summary, error) {
	f, err := readStudyFile(dir)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.study()
	if err != nil {
		return nil, nil, err
	}
	// Decode the run files on all cores; each lands at its run's index.
	runs := make([]RunSummary, len(f.Runs))
	errs := make([]error, len(f.Runs))
	absent := make([]bool, len(f.Runs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs[i], absent[i], errs[i] = readRun(dir, f.Runs[i], f.Metrics)
			}
		}()
	}
	for i := range f.Runs {
		next <- i
	}
	close(next)
	wg.Wait()
	var missing []string
	for i, r := range f.Runs {
		if absent[i] {
			missing = append(missing, r.ID)
		} else if errs[i] != nil {
			return nil, nil, errs[i]
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("%d of %d runs have no file in %s (the first: %s.json); run the missing shards, or the sweep again, first",
			len(missing), len(f.Runs), filepath.Join(dir, SweepRunsDir), missing[0])
	}
	sum, err := Summarize(st, runs)
	if err != nil {
		return nil, nil, err
	}
	sum.RunInfo.RunsTotal = len(runs)
	if info != nil {
		info(sum)
	}
	b, err := encodeJSON(sum)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding %s: %w", SweepSummaryFile, err)
	}
	if err := atomicfile.Write(filepath.Join(dir, SweepSummaryFile), func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return nil, nil, err
	}
	return st, sum, nil
}
