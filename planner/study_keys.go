package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/ecssim/ecssim/scenarios"
)

// Vary keys (SCENARIO.md "A study file for ecssim sweep"): a key is a
// dotted path into the scenario's TOML document, e.g.
// "services.web.autoscaling.target_tracking.0.target". In a table a segment
// is a key. In an array whose elements are tables, a segment names the
// element whose `name` is the segment, else (task definitions) the element
// of `family:revision` (a table without `revision` has revision 1) or of
// `family` when exactly one revision of that family exists, else the
// element at that 0-based index. In an array of values a segment is an
// index. Every segment but the last must exist in the file; the last may be
// absent (a key left to its default) and whether the scenario accepts the
// value there is decided by scenarios.Parse. A variant is the document
// with values set (on copies of the nodes along each key's path, never in
// place), encoded with toml.NewEncoder and parsed with scenarios.Parse.

// keyStep is one concrete step of a resolved key: a table key, or an
// array index when inArray.
type keyStep struct {
	name    string
	index   int
	inArray bool
}

// resolvedKey is a vary key resolved in the scenario document.
type resolvedKey struct {
	steps []keyStep
	// canon is the key in scenario path syntax with indices, e.g.
	// "services[0].autoscaling.target_tracking[0].target"; two keys with
	// the same canon set the same value.
	canon string
	// existing is the value at the key in the file, nil when absent.
	existing any
}

// keySet is one value to set at one key.
type keySet struct {
	key   resolvedKey
	value any
}

// resolveKey resolves key in doc, the scenario document read from file
// (named in messages).
func resolveKey(doc map[string]any, key, file string) (resolvedKey, error) {
	segs := strings.Split(key, ".")
	var rk resolvedKey
	var cur any = doc
	for i, seg := range segs {
		at, parent := strings.Join(segs[:i+1], "."), strings.Join(segs[:i], ".")
		where := parent
		if where == "" {
			where = "the top level"
		}
		switch n := cur.(type) {
		case map[string]any:
			child, ok := n[seg]
			rk.steps = append(rk.steps, keyStep{name: seg})
			rk.canon = studyJoin(rk.canon, seg)
			if !ok && i < len(segs)-1 {
				return rk, fmt.Errorf("%q does not exist in %s (%s has keys: %s)",
					at, file, where, strings.Join(tableKeys(n), ", "))
			}
			cur = child
		case []map[string]any, []any:
			elems := arrayElems(n)
			idx, why := findArrayElement(elems, seg)
			if idx < 0 {
				return rk, fmt.Errorf("%q does not exist in %s (%s %s)", at, file, where, why)
			}
			rk.steps = append(rk.steps, keyStep{index: idx, inArray: true})
			rk.canon = studyIndex(rk.canon, idx)
			cur = elems[idx]
		default:
			return rk, fmt.Errorf("%q does not exist in %s (%s is %s, which has no keys)", at, file, where, tomlKindOf(n))
		}
	}
	rk.existing = cur
	return rk, nil
}

func arrayElems(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []map[string]any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = m
		}
		return out
	}
	return nil
}

// findArrayElement returns the index of the element seg names (see the rules
// above), or -1 and the end of a message saying what the array holds.
func findArrayElement(elems []any, seg string) (int, string) {
	for i, e := range elems {
		if m, ok := e.(map[string]any); ok && m["name"] == seg {
			return i, ""
		}
	}
	family, revText, hasRev := strings.Cut(seg, ":")
	var same []int // elements of family seg
	var revs []string
	for i, e := range elems {
		m, _ := e.(map[string]any)
		if f, ok := m["family"].(string); !ok || f != family {
			continue
		}
		rev := tdRevision(m)
		if hasRev {
			if r, err := strconv.ParseInt(revText, 10, 64); err == nil && r == rev {
				return i, ""
			}
			continue
		}
		same = append(same, i)
		revs = append(revs, strconv.FormatInt(rev, 10))
	}
	switch {
	case len(same) == 1:
		return same[0], ""
	case len(same) > 1:
		return -1, fmt.Sprintf("has revisions %s of %s: name one as %s:REVISION", strings.Join(revs, ", "), seg, seg)
	}
	if isIndexSeg(seg) {
		if i, err := strconv.Atoi(seg); err == nil && i < len(elems) {
			return i, ""
		}
		if len(elems) == 0 {
			return -1, "is an empty array"
		}
		if len(elems) == 1 {
			return -1, "has 1 element, index 0"
		}
		return -1, fmt.Sprintf("has %d elements, indices 0 to %d", len(elems), len(elems)-1)
	}
	var labels []string
	for _, e := range elems {
		if l := elementLabel(e); l != "" {
			labels = append(labels, l)
		}
	}
	if len(labels) == 0 {
		return -1, fmt.Sprintf("has %d elements, named by 0-based index", len(elems))
	}
	return -1, fmt.Sprintf("has elements %s, or 0-based indices 0 to %d", strings.Join(labels, ", "), len(elems)-1)
}

// tdRevision returns a task definition table's revision, 1 when absent.
func tdRevision(m map[string]any) int64 {
	if r, ok := m["revision"].(int64); ok {
		return r
	}
	return 1
}

// elementLabel is the name an array element may be addressed by: its
// `name`, or `family:revision`; "" when it has neither.
func elementLabel(e any) string {
	m, _ := e.(map[string]any)
	if n, ok := m["name"].(string); ok {
		return n
	}
	if f, ok := m["family"].(string); ok {
		return f + ":" + strconv.FormatInt(tdRevision(m), 10)
	}
	return ""
}

func isIndexSeg(seg string) bool {
	return seg != "" && strings.Trim(seg, "0123456789") == ""
}

// setInDoc returns node with v set at steps, copying each table and array
// along the path (node itself is not modified). The steps must come from
// resolveKey on a document node is a copy-on-write descendant of.
func setInDoc(node any, steps []keyStep, v any) any {
	if len(steps) == 0 {
		return v
	}
	st := steps[0]
	switch n := node.(type) {
	case map[string]any:
		c := maps.Clone(n)
		c[st.name] = setInDoc(n[st.name], steps[1:], v)
		return c
	case []map[string]any:
		c := slices.Clone(n)
		c[st.index] = setInDoc(n[st.index], steps[1:], v).(map[string]any)
		return c
	case []any:
		c := slices.Clone(n)
		c[st.index] = setInDoc(n[st.index], steps[1:], v)
		return c
	}
	panic(fmt.Sprintf("planner: setInDoc: cannot step into %T", node))
}

// parseVariant parses the scenario with sets applied, in order. On
// failure it returns the scenario's messages (without positions, which
// would be in the encoded text, not the user's file).
func (s *Study) parseVariant(sets []keySet) (*scenarios.Scenario, []string) {
	var doc any = s.raw
	for _, k := range sets {
		doc = setInDoc(doc, k.key.steps, k.value)
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(doc); err != nil {
		return nil, []string{"cannot write the scenario as TOML: " + err.Error()}
	}
	sc, err := scenarios.Parse(s.ScenarioPath, buf.Bytes())
	if err == nil {
		return sc, nil
	}
	var list scenarios.ErrorList
	if !errors.As(err, &list) {
		return nil, []string{err.Error()}
	}
	msgs := make([]string, len(list))
	for i, e := range list {
		msgs[i] = e.Msg
	}
	return nil, msgs
}

// scenarioName is the scenario's file name, for messages.
func (s *Study) scenarioName() string { return filepath.Base(s.ScenarioPath) }

// maxRangeErrors is how many failing values of one range are reported one
// by one (a range has no position per value).
const maxRangeErrors = 3

// checkKeys resolves each vary key in the scenario document (file is the
// scenario as the study names it) and checks each value by parsing the
// scenario with that value alone set. Entries with problems already
// reported are skipped.
func (d *studyDecoder) checkKeys(s *Study, file string) {
	canon := map[string]int{}
	for i, v := range s.Vary {
		repeated := slices.ContainsFunc(s.Vary[:i], func(w Vary) bool { return w.Key == v.Key })
		if v.Values == nil || repeated || keySyntaxError(v.Key) != "" {
			continue // reported by studyDecoder.vary
		}
		p := studyIndex("vary", i)
		rk, err := resolveKey(s.raw, v.Key, file)
		if err != nil {
			d.errf(p+".key", "%v", err)
			continue
		}
		if j, dup := canon[rk.canon]; dup {
			d.errf(p+".key", "%q sets the same scenario key as vary[%d] (%s)", v.Key, j, rk.canon)
			continue
		}
		canon[rk.canon] = i
		isRange, failed := d.pos.Has(p+".range"), 0
		for j, val := range v.Values {
			_, msgs := s.parseVariant([]keySet{{rk, val}})
			if msgs == nil {
				continue
			}
			msg := strings.Join(msgs, "; ") + scalarHint(rk.existing)
			if !isRange {
				d.errf(studyIndex(p+".values", j), "%s for %s: %s", valueJSON(val), v.Key, msg)
			} else if failed++; failed <= maxRangeErrors {
				d.errf(p+".range", "value %s for %s: %s", valueJSON(val), v.Key, msg)
			}
		}
		if failed > maxRangeErrors {
			d.errf(p+".range", "%d more values fail", failed-maxRangeErrors)
		}
	}
}

// scalarHint explains a rejected value whose key holds an array or a table
// in the file: a vary value is a scalar.
func scalarHint(existing any) string {
	switch existing.(type) {
	case []any, []map[string]any:
		return " (the key holds an array: a vary value is a scalar, so vary one element, e.g. KEY.0)"
	case map[string]any:
		return " (the key holds a table: a vary value is a scalar, so vary one of its keys)"
	}
	return ""
}

// valueJSON is v as JSON, the form of values in run IDs and messages.
func valueJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
