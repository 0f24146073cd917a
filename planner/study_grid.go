package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
)

// The grid of a study (SCENARIO.md "A study file for ecssim sweep"): the
// [[vary]] lists (explicit values or a range), their product in run order,
// the run IDs, and the scenario of one run.

// vary decodes the [[vary]] entries into s.Vary. ok is false when any entry
// has a problem (each is reported).
func (d *studyDecoder) vary(s *Study, top map[string]any) (ok bool) {
	v, present := top["vary"]
	if !present {
		return true
	}
	var entries []any
	switch x := v.(type) {
	case []map[string]any:
		for _, e := range x {
			entries = append(entries, e)
		}
	case []any:
		entries = x
	default:
		d.errf("vary", "want an array of tables ([[vary]]), got %s", tomlKindOf(v))
		return false
	}
	n := len(d.errs)
	seen := map[string]int{}
	for i, e := range entries {
		p := studyIndex("vary", i)
		m, isTable := e.(map[string]any)
		if !isTable {
			d.errf(p, "want a table, got %s", tomlKindOf(e))
			continue
		}
		d.unknown(p, "in [[vary]]", m, studyVaryKeys)
		key, keyOK := d.str(p+".key", m, true)
		if keyOK {
			d.checkKeySyntax(p+".key", key, seen, i)
		}
		_, hasValues := m["values"]
		_, hasRange := m["range"]
		var vals []any
		switch {
		case hasValues && hasRange:
			d.errf(p+".range", "set one of values and range, not both")
		case hasValues:
			vals = d.values(p+".values", m["values"])
		case hasRange:
			vals = d.rangeValues(p+".range", m["range"])
		default:
			d.errf(p, "needs values (an array) or range = { from, to, step }")
		}
		at := d.pos.Errorf(p+".key", "")
		s.Vary = append(s.Vary, Vary{Key: key, Values: vals, Line: at.Line, Col: at.Col})
	}
	return len(d.errs) == n
}

// checkKeySyntax reports a vary key that is not a dotted path, is the
// seed (replications vary it), or repeats an earlier entry's key.
func (d *studyDecoder) checkKeySyntax(path, key string, seen map[string]int, i int) {
	if msg := keySyntaxError(key); msg != "" {
		d.errf(path, "%s", msg)
		return
	}
	if j, dup := seen[key]; dup {
		d.errf(path, "%q is already varied by vary[%d]", key, j)
		return
	}
	seen[key] = i
}

// keySyntaxError says why key cannot be a vary key whatever the
// scenario: it is empty, not a dotted path, or the seed (replications
// vary it); "" when it can be.
func keySyntaxError(key string) string {
	switch {
	case key == "":
		return "the key is empty"
	case strings.ContainsAny(key, " \t\r\n"):
		return fmt.Sprintf("the key %q contains white space", key)
	case strings.HasPrefix(key, ".") || strings.HasSuffix(key, ".") || strings.Contains(key, ".."):
		return fmt.Sprintf("the key %q has an empty segment (a leading, trailing or doubled dot)", key)
	case key == "seed":
		return "the seed cannot be varied: replications set it (the scenario's seed + 0, 1, ...)"
	}
	return ""
}

// values decodes an explicit, non-empty list of scalar values.
func (d *studyDecoder) values(path string, v any) []any {
	arr, ok := v.([]any)
	if !ok {
		d.errf(path, "want an array of values, got %s", tomlKindOf(v))
		return nil
	}
	if len(arr) == 0 {
		d.errf(path, "is empty: list at least one value")
		return nil
	}
	if len(arr) > maxVaryValues {
		d.errf(path, "has %d values; at most %d", len(arr), maxVaryValues)
		return nil
	}
	bad := false
	for i, e := range arr {
		ep := studyIndex(path, i)
		switch x := e.(type) {
		case int64, string, bool:
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				d.errf(ep, "want a finite number, got %v", x)
				bad = true
			}
		default:
			d.errf(ep, "a value is a scalar (integer, float, string or boolean), got %s: "+
				"arrays and tables cannot be varied; vary one element or key, e.g. KEY.0", tomlKindOf(e))
			bad = true
			continue
		}
		for j := range i {
			if SameValue(arr[j], e) {
				d.errf(ep, "repeats values[%d] (%v): each value makes a group, so a repeat would run it twice", j, arr[j])
				bad = true
				break
			}
		}
	}
	if bad {
		return nil
	}
	return arr
}

// rangeValues decodes range = { from, to, step } and expands it: the k-th
// value is from + k×step (by multiplication, not accumulation) for k = 0,
// 1, ... while it is at most to, to within 1e-9 × max(|from|, |to|, step).
// The values are int64 when from, to and step are all integers, float64
// otherwise.
func (d *studyDecoder) rangeValues(path string, v any) []any {
	m, ok := v.(map[string]any)
	if !ok {
		d.errf(path, "want a table { from, to, step }, got %s", tomlKindOf(v))
		return nil
	}
	n := len(d.errs)
	d.unknown(path, "in range", m, studyRangeKeys)
	var nums [3]any
	for i, k := range studyRangeKeys {
		kp := path + "." + k
		switch x := m[k].(type) {
		case nil:
			d.errf(kp, "is required")
		case int64:
			nums[i] = x
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				d.errf(kp, "want a finite number, got %v", x)
			}
			nums[i] = x
		default:
			d.errf(kp, "want a number, got %s", tomlKindOf(x))
		}
	}
	if len(d.errs) > n {
		return nil
	}
	from, to, step := rangeNumber(nums[0]), rangeNumber(nums[1]), rangeNumber(nums[2])
	switch {
	case step <= 0:
		d.errf(path+".step", "must be above 0, got %v", nums[2])
		return nil
	case from > to:
		d.errf(path+".to", "must be at least from (%v), got %v", nums[0], nums[1])
		return nil
	case (to-from)/step > maxVaryValues+1: // before allocating
		d.errf(path, "from %v to %v step %v gives more than %d values", nums[0], nums[1], nums[2], maxVaryValues)
		return nil
	}
	fi, iFrom := nums[0].(int64)
	ti, iTo := nums[1].(int64)
	si, iStep := nums[2].(int64)
	var vals []any
	if iFrom && iTo && iStep {
		vals = intRangeValues(fi, ti, si)
	} else {
		vals = floatRangeValues(from, to, step)
	}
	if len(vals) > maxVaryValues {
		d.errf(path, "from %v to %v step %v gives %d values; at most %d", nums[0], nums[1], nums[2], len(vals), maxVaryValues)
		return nil
	}
	return vals
}

// intRangeValues returns from, from+step, ... up to to (from <= to, step > 0),
// in uint64 arithmetic so that no intermediate overflows.
func intRangeValues(from, to, step int64) []any {
	diff := uint64(to) - uint64(from)
	n := diff / uint64(step)
	out := make([]any, 0, n+1)
	for k := uint64(0); k <= n; k++ {
		out = append(out, int64(uint64(from)+k*uint64(step)))
	}
	return out
}

// floatRangeValues is rangeValues' float case, each value rounded to 12
// significant digits (from <= to, step > 0, (to-from)/step
// small enough to allocate).
func floatRangeValues(from, to, step float64) []any {
	tol := 1e-9 * max(math.Abs(from), math.Abs(to), step)
	n := int(math.Floor((to - from) / step))
	for from+float64(n+1)*step <= to+tol {
		n++
	}
	for n > 0 && from+float64(n)*step > to+tol {
		n--
	}
	out := make([]any, 0, n+1)
	for k := 0; k <= n; k++ {
		out = append(out, round12(from+float64(k)*step))
	}
	return out
}

// round12 rounds v to 12 significant digits, so that 0.1 + 2 × 0.1 is the
// 0.3 a user wrote a range for, not 0.30000000000000004 (a study's values
// name its groups and runs).
func round12(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

func rangeNumber(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// gridSize reports a grid of more than maxGridRuns runs.
func (d *studyDecoder) gridSize(s *Study) {
	runs := s.Replications
	factors := []string{}
	for _, v := range s.Vary {
		factors = append(factors, strconv.Itoa(len(v.Values)))
		if runs <= maxGridRuns {
			runs *= len(v.Values) // at most 1e6 × 1e4: no overflow
		}
	}
	if runs > maxGridRuns {
		factors = append(factors, strconv.Itoa(s.Replications)+" replications")
		d.errf("vary", "the grid has more than %d runs (%s); at most %d", maxGridRuns, strings.Join(factors, " × "), maxGridRuns)
	}
}

// Expand returns the study's runs in run order: the product of the vary
// lists, the first key outermost (the last varies fastest), each grid point
// repeated for replications 0 .. Replications-1 (a Replications below 1
// counts as 1). Run i has Index i = Point × Replications + Replication,
// Seed = BaseSeed + Replication, and ID RunID(i, RunIDWidth(total), Values,
// Seed). A study without vary entries has one grid point with no values.
func (s *Study) Expand() []RunSpec {
	reps := max(s.Replications, 1)
	points := 1
	for _, v := range s.Vary {
		points *= len(v.Values)
	}
	total := points * reps
	width := RunIDWidth(total)
	runs := make([]RunSpec, 0, total)
	digit := make([]int, len(s.Vary))
	for p := range points {
		rem := p
		for k := len(s.Vary) - 1; k >= 0; k-- {
			n := len(s.Vary[k].Values)
			digit[k], rem = rem%n, rem/n
		}
		for r := range reps {
			vals := make(Values, len(s.Vary))
			for k, v := range s.Vary {
				vals[k] = Value{Key: v.Key, Value: v.Values[digit[k]]}
			}
			i, seed := p*reps+r, s.BaseSeed+uint64(r)
			runs = append(runs, RunSpec{Index: i, ID: RunID(i, width, vals, seed), Point: p,
				Values: vals, Replication: r, Seed: seed})
		}
	}
	return runs
}

// RunID returns the run's stable name: index zero-padded to width digits,
// "-", and the first 8 hex digits of the SHA-256 of the canonical text
// "KEY=JSON(value)\n" for each value in order, then "seed=DECIMAL" (no
// newline), JSON being encoding/json.Marshal (so 40 and 40.0 give "40").
// It panics if a value does not marshal (values are finite scalars).
func RunID(index, width int, values Values, seed uint64) string {
	var b strings.Builder
	for _, v := range values {
		j, err := json.Marshal(v.Value)
		if err != nil {
			panic("planner: RunID: " + err.Error())
		}
		b.WriteString(v.Key)
		b.WriteByte('=')
		b.Write(j)
		b.WriteByte('\n')
	}
	b.WriteString("seed=")
	b.WriteString(strconv.FormatUint(seed, 10))
	sum := sha256.Sum256([]byte(b.String()))
	return fmt.Sprintf("%0*d-%s", width, index, hex.EncodeToString(sum[:4]))
}

// RunIDWidth is the index width of a study of total runs: the number of
// decimal digits of total-1, at least 4.
func RunIDWidth(total int) int {
	return max(4, len(strconv.Itoa(max(total-1, 0))))
}

// Variant returns the scenario of run r: the base scenario with each of
// r's values set at its key and the `seed` key set to r.Seed (so the
// run's results.json shows it), parsed with scenarios.Parse under
// ScenarioPath (relative paths inside the scenario resolve as in the base).
// A combination of values the scenario rejects (each value alone was
// checked by ParseStudy) is an error naming the run and the scenario's
// messages. It panics on a Study not made by ParseStudy or LoadStudy.
func (s *Study) Variant(r RunSpec) (*scenarios.Scenario, error) {
	if s.raw == nil {
		panic("planner: Variant on a Study not made by ParseStudy")
	}
	if r.Seed > math.MaxInt64 {
		return nil, fmt.Errorf("run %s: seed %d exceeds the largest TOML integer", r.ID, r.Seed)
	}
	sets := make([]keySet, 0, len(r.Values)+1)
	for _, v := range r.Values {
		k, err := resolveKey(s.raw, v.Key, s.scenarioName())
		if err != nil {
			return nil, fmt.Errorf("run %s: %v", r.ID, err)
		}
		sets = append(sets, keySet{k, v.Value})
	}
	sets = append(sets, keySet{resolvedKey{steps: []keyStep{{name: "seed"}}}, int64(r.Seed)})
	sc, msgs := s.parseVariant(sets)
	if msgs != nil {
		return nil, fmt.Errorf("run %s (%s): the scenario with these values is invalid: %s",
			r.ID, valuesText(r.Values), strings.Join(msgs, "; "))
	}
	return sc, nil
}

// valuesText writes "KEY=JSON(value), ..." for messages.
func valuesText(vs Values) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Key + "=" + valueJSON(v.Value)
	}
	return strings.Join(parts, ", ")
}

// maxGridErrors is how many failing grid points CheckGrid lists.
const maxGridErrors = 20

// CheckGrid builds the scenario of every grid point (at replication 0;
// replications change only the seed) before anything runs, so a
// combination of values the scenario rejects (each value alone passed
// ParseStudy; a max_capacity below a desired_count needs both) stops the
// sweep at once rather than midway, leaving a study that could never be
// summarized. It returns a scenarios.ErrorList positioned at the first
// [[vary]] entry, one error per failing point (at most maxGridErrors, then
// a count), or nil.
func (s *Study) CheckGrid() error {
	var list scenarios.ErrorList
	failed := 0
	line, col := 1, 1
	if len(s.Vary) > 0 {
		line, col = s.Vary[0].Line, s.Vary[0].Col
	}
	for _, r := range s.Expand() {
		if r.Replication != 0 {
			continue
		}
		if _, err := s.Variant(r); err != nil {
			failed++
			if failed <= maxGridErrors {
				list = append(list, &scenarios.Error{File: s.Path, Line: line, Col: col, Msg: fmt.Sprintf("grid point %d: %v", r.Point, err)})
			}
		}
	}
	if failed > maxGridErrors {
		list = append(list, &scenarios.Error{File: s.Path, Line: line, Col: col, Msg: fmt.Sprintf("%d more grid points fail", failed-maxGridErrors)})
	}
	if len(list) == 0 {
		return nil
	}
	return list
}
