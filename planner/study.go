package planner

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/ecssim/ecssim/scenarios"
)

// The study file of `ecssim sweep` (SCENARIO.md "A study file for ecssim
// sweep"): decoding, with every problem reported at once and positioned in
// the study file, then the scenario it names. Keys are resolved and each
// varied value checked against the scenario in study_keys.go; the grid is
// in study_grid.go.

// Limits of a study. A grid is the product of the vary lists' lengths
// times the replications.
const (
	maxReplications = 10000
	maxVaryValues   = 10000
	maxGridRuns     = 1000000
)

// The keys a study file may hold, per table.
var (
	studyTopKeys       = []string{"scenario", "replications", "parallel", "vary", "objective", "pareto", "metrics"}
	studyVaryKeys      = []string{"key", "values", "range"}
	studyRangeKeys     = []string{"from", "to", "step"}
	studyObjectiveKeys = []string{"minimize", "maximize", "subject_to"}
	studyParetoKeys    = []string{"x", "y"}
)

// LoadStudy reads the study file at path and parses it with ParseStudy. A
// file that cannot be read gives that I/O error.
func LoadStudy(path string) (*Study, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseStudy(path, data)
}

// ParseStudy parses data, the text of the study file path, and loads the
// scenario it names (resolved against path's directory) with scenarios.Parse
// semantics. Every problem of the study file is returned at once as a
// scenarios.ErrorList (as error) positioned in the study file: TOML syntax,
// unknown keys, wrong types, out-of-range settings, duplicate or missing
// vary keys, a grid over 1,000,000 runs, and each varied value the scenario
// rejects (checked by parsing the scenario with that one value set). A
// scenario file that is missing is an error at `scenario`; an invalid
// scenario adds its own ErrorList (positioned in the scenario file) after
// the study's errors. It never panics on user input.
func ParseStudy(path string, data []byte) (*Study, error) {
	var top map[string]any
	if _, err := toml.Decode(string(data), &top); err != nil {
		return nil, studySyntaxError(path, data, err)
	}
	d := &studyDecoder{pos: scenarios.NewPositions(path, data)}
	s := &Study{Path: path, Replications: 1}
	d.unknown("", "at the top level", top, studyTopKeys)
	scenario, scenarioOK := d.str("scenario", top, true)
	if n, ok := d.integer("replications", top); ok {
		if n < 1 || n > maxReplications {
			d.errf("replications", "must be 1 to %d, got %d", maxReplications, n)
		} else {
			s.Replications = int(n)
		}
	}
	if n, ok := d.integer("parallel", top); ok {
		if n < 0 || n > math.MaxInt32 {
			d.errf("parallel", "must be 0 (all cores) to %d, got %d", math.MaxInt32, n)
		} else {
			s.Parallel = int(n)
		}
	}
	varyOK := d.vary(s, top)
	s.Objective = d.objective(top)
	s.Pareto = d.pareto(top)
	s.Metrics = d.resultPaths("metrics", top)
	if varyOK {
		d.gridSize(s)
	}
	if !scenarioOK {
		return nil, d.errs.Sorted()
	}
	if filepath.IsAbs(scenario) {
		s.ScenarioPath = scenario
	} else {
		s.ScenarioPath = filepath.Join(filepath.Dir(path), scenario)
	}
	src, err := os.ReadFile(s.ScenarioPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			d.errf("scenario", "%s does not exist", s.ScenarioPath)
		} else {
			d.errf("scenario", "%v", err)
		}
		return nil, d.errs.Sorted()
	}
	base, err := scenarios.Parse(s.ScenarioPath, src)
	if err != nil {
		var list scenarios.ErrorList
		if !errors.As(err, &list) {
			list = scenarios.ErrorList{{File: s.ScenarioPath, Line: 1, Col: 1, Msg: err.Error()}}
		}
		return nil, append(d.errs.Sorted(), list...)
	}
	if _, err := toml.Decode(string(src), &s.raw); err != nil {
		panic("planner: a scenario scenarios.Parse accepted does not decode: " + err.Error())
	}
	s.Base, s.BaseSeed, s.scenarioSrc = base, base.Seed, src
	if last := s.BaseSeed + uint64(s.Replications-1); last > math.MaxInt64 || last < s.BaseSeed {
		d.errf("replications", "the scenario's seed %d + %d exceeds the largest TOML integer", s.BaseSeed, s.Replications-1)
	}
	d.checkKeys(s, scenario)
	if len(d.errs) > 0 {
		return nil, d.errs.Sorted()
	}
	return s, nil
}

// studySyntaxError positions a TOML syntax error by its byte offset, as
// scenarios.Parse does (the library's column is off by one at the start of
// a line).
func studySyntaxError(path string, data []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return scenarios.ErrorList{{File: path, Line: 1, Col: 1, Msg: "malformed TOML: " + err.Error()}}
	}
	line, col := max(pe.Position.Line, 1), max(pe.Position.Col, 1)
	if start := pe.Position.Start; start > 0 && start <= len(data) {
		if strings.Contains(pe.Message, "table array name delimiter") && start < len(data) && data[start] == ']' {
			start++
		}
		lineStart := 0
		line = 1
		for i := 0; i < start && i < len(data); i++ {
			if data[i] == '\n' {
				line, lineStart = line+1, i+1
			}
		}
		col = start - lineStart + 1
	}
	return scenarios.ErrorList{{File: path, Line: line, Col: col, Msg: "malformed TOML: " + pe.Message}}
}

// studyDecoder collects the problems of one study file.
type studyDecoder struct {
	pos  *scenarios.Positions
	errs scenarios.ErrorList
}

// errf records "PATH: msg" positioned at path (a key path such as
// "vary[1].values[2]").
func (d *studyDecoder) errf(path, format string, a ...any) {
	d.errs = append(d.errs, d.pos.Errorf(path, "%s: %s", path, fmt.Sprintf(format, a...)))
}

// unknown reports each key of m not in known.
func (d *studyDecoder) unknown(path, where string, m map[string]any, known []string) {
	for _, k := range tableKeys(m) {
		if !slices.Contains(known, k) {
			kp := studyJoin(path, k)
			d.errs = append(d.errs, d.pos.Errorf(kp, "unknown key %q %s (known keys: %s)", k, where, strings.Join(known, ", ")))
		}
	}
}

// str returns m[key] (under path) as a non-empty string; ok is false when
// it is absent (an error when required) or not a non-empty string.
func (d *studyDecoder) str(path string, m map[string]any, required bool) (string, bool) {
	v, ok := m[lastKeySeg(path)]
	if !ok {
		if required {
			d.errf(path, "is required")
		}
		return "", false
	}
	s, ok := v.(string)
	if !ok || s == "" {
		d.errf(path, "want a non-empty string, got %s", tomlKindOf(v))
		return "", false
	}
	return s, true
}

// integer returns m[key] as an int64; ok is false when absent or not an
// integer (an error).
func (d *studyDecoder) integer(path string, m map[string]any) (int64, bool) {
	v, ok := m[lastKeySeg(path)]
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		d.errf(path, "want an integer, got %s", tomlKindOf(v))
	}
	return n, ok
}

// table returns m[key] as a table; ok is false when absent or not a table
// (an error).
func (d *studyDecoder) table(path string, m map[string]any) (map[string]any, bool) {
	v, ok := m[lastKeySeg(path)]
	if !ok {
		return nil, false
	}
	t, ok := v.(map[string]any)
	if !ok {
		d.errf(path, "want a table, got %s", tomlKindOf(v))
	}
	return t, ok
}

// objective decodes [objective]; nil when absent or invalid.
func (d *studyDecoder) objective(top map[string]any) *Objective {
	t, ok := d.table("objective", top)
	if !ok {
		return nil
	}
	n := len(d.errs)
	d.unknown("objective", "in [objective]", t, studyObjectiveKeys)
	o := &Objective{}
	_, hasMin := t["minimize"]
	_, hasMax := t["maximize"]
	switch {
	case hasMin && hasMax:
		d.errf("objective.maximize", "set one of minimize and maximize, not both")
	case hasMin:
		o.Path, _ = d.resultPath("objective.minimize", t)
	case hasMax:
		o.Path, _ = d.resultPath("objective.maximize", t)
		o.Maximize = true
	default:
		d.errf("objective", "needs minimize or maximize (a results.json path)")
	}
	for i, c := range d.stringArray("objective.subject_to", t) {
		chk, err := ParseCheck(c)
		if err != nil {
			d.errf(studyIndex("objective.subject_to", i), "%v", err)
			continue
		}
		o.SubjectTo = append(o.SubjectTo, chk)
	}
	if len(d.errs) > n {
		return nil
	}
	return o
}

// pareto decodes [pareto]; nil when absent or invalid.
func (d *studyDecoder) pareto(top map[string]any) *ParetoSpec {
	t, ok := d.table("pareto", top)
	if !ok {
		return nil
	}
	d.unknown("pareto", "in [pareto]", t, studyParetoKeys)
	x, okX := d.resultPath("pareto.x", t)
	y, okY := d.resultPath("pareto.y", t)
	if !okX || !okY {
		return nil
	}
	return &ParetoSpec{X: x, Y: y}
}

// resultPath returns the required results.json path at path.
func (d *studyDecoder) resultPath(path string, m map[string]any) (string, bool) {
	s, ok := d.str(path, m, true)
	if ok {
		if err := checkStudyPath(s); err != nil {
			d.errf(path, "%v", err)
			return "", false
		}
	}
	return s, ok
}

// resultPaths returns the optional array of results.json paths at path.
func (d *studyDecoder) resultPaths(path string, m map[string]any) []string {
	var out []string
	for i, s := range d.stringArray(path, m) {
		if err := checkStudyPath(s); err != nil {
			d.errf(studyIndex(path, i), "%v", err)
			continue
		}
		out = append(out, s)
	}
	return out
}

// stringArray returns the optional array of strings at path; elements that
// are not strings are reported and left out.
func (d *studyDecoder) stringArray(path string, m map[string]any) []string {
	v, ok := m[lastKeySeg(path)]
	if !ok {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		d.errf(path, "want an array of strings, got %s", tomlKindOf(v))
		return nil
	}
	var out []string
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			d.errf(studyIndex(path, i), "want a string, got %s", tomlKindOf(e))
			continue
		}
		out = append(out, s)
	}
	return out
}

// checkStudyPath checks the syntax of a dotted results.json path (the
// path rules of scenarios.ParseAssertion); whether a run's results.json
// has it is known only after the run.
func checkStudyPath(p string) error {
	switch {
	case strings.ContainsAny(p, " \t\r\n"):
		return fmt.Errorf("the path %q contains white space", p)
	case slices.Contains(strings.Split(p, "."), ""):
		return fmt.Errorf("the path %q has an empty segment (a leading, trailing or doubled dot)", p)
	}
	return nil
}

// tomlKindOf names the TOML type of a decoded value, for messages.
func tomlKindOf(v any) string { return scenarios.TOMLKind(v) }

func tableKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// studyJoin, studyIndex and lastKeySeg build and take apart study key
// paths in scenarios.Positions syntax ("vary[1].values[2]").
func studyJoin(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

func studyIndex(base string, i int) string { return fmt.Sprintf("%s[%d]", base, i) }

func lastKeySeg(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// MetricPaths returns the results.json paths kept per run, without
// repeats, in this order: "cost.monthly_usd", "cost.total_usd", the
// objective's path, its subject_to paths, pareto x and y, then Metrics.
func (s *Study) MetricPaths() []string {
	out := []string{"cost.monthly_usd", "cost.total_usd"}
	add := func(p string) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if o := s.Objective; o != nil {
		add(o.Path)
		for _, c := range o.SubjectTo {
			add(c.Path)
		}
	}
	if p := s.Pareto; p != nil {
		add(p.X)
		add(p.Y)
	}
	for _, m := range s.Metrics {
		add(m)
	}
	return out
}
