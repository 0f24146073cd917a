package planner

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/sim"
)

// The kinds of lookup failure, for errors.Is. Every error Lookup returns
// wraps exactly one of them and names the path.
var (
	// ErrBadPath: the path is not a dotted path (empty, or an empty segment).
	ErrBadPath = errors.New("malformed path")
	// ErrNoSuchPath: a segment names a key or index the result does not have.
	ErrNoSuchPath = errors.New("no such path")
	// ErrNull: the value exists but is null (a statistic without
	// datapoints, or a value that does not apply, such as the instance
	// fields of FARGATE).
	ErrNull = errors.New("value is null")
	// ErrNotNumber: the value is an object, an array, a string or a
	// boolean. Booleans are deliberately not read as 1/0.
	ErrNotNumber = errors.New("value is not a number")
)

// Doc is a result decoded into its results.json shape, for repeated path
// lookups without re-encoding. The zero Doc is empty; build one with NewDoc.
type Doc struct {
	root any
}

// NewDoc encodes res as results.json and keeps the generic tree. It fails
// only when res cannot be encoded (a NaN or infinite float, which results.json
// cannot hold).
func NewDoc(res *sim.Result) (*Doc, error) {
	if res == nil {
		panic("planner: NewDoc of a nil result")
	}
	b, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("planner: encoding the result: %w", err)
	}
	var root any
	if err := json.Unmarshal(b, &root); err != nil {
		panic("planner: decoding a result just encoded: " + err.Error())
	}
	return &Doc{root: root}, nil
}

// NewDocJSON keeps the generic tree of a results.json file's bytes.
func NewDocJSON(b []byte) (*Doc, error) {
	var root any
	if err := json.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("planner: decoding results.json: %w", err)
	}
	return &Doc{root: root}, nil
}

// Lookup returns the number at path in res's results.json: a dotted path
// whose segments are object keys (service, job and capacity provider names
// included, which may contain '-' and '_'; a key with dots, such as an
// instance type in launches_by_instance_type, is matched as the longest
// run of segments that names one) or 0-based array indices, for
// example "services.web.cpu_utilization.p95",
// "cost.by_capacity_provider.FARGATE_SPOT" or
// "services.web.deployments.0.failed_tasks".
//
// It fails (wrapping ErrBadPath, ErrNoSuchPath, ErrNull or ErrNotNumber)
// when the path is malformed, names something the result does not have,
// ends at null, or ends at anything but a number. Booleans are not numbers
// here: true is not read as 1. To look up many paths in one result, build a
// Doc once with NewDoc.
func Lookup(res *sim.Result, path string) (float64, error) {
	d, err := NewDoc(res)
	if err != nil {
		return 0, err
	}
	return d.Lookup(path)
}

// Lookup returns the number at path; see the package function Lookup for
// the path syntax and the errors.
func (d *Doc) Lookup(path string) (float64, error) {
	segs, err := splitPath(path)
	if err != nil {
		return 0, err
	}
	cur := d.root
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		here := strings.Join(segs[:i], ".") // the path walked so far
		if here == "" {
			here = "the result"
		}
		switch v := cur.(type) {
		case map[string]any:
			// A key may hold dots itself (an instance type such as
			// m6i.xlarge): take the longest run of segments that names one.
			var next any
			ok := false
			for j := len(segs); !ok && j > i; j-- {
				if next, ok = v[strings.Join(segs[i:j], ".")]; ok {
					i = j - 1
				}
			}
			if !ok {
				return 0, fmt.Errorf("%q: %w: %s has no key %q (it has: %s)",
					path, ErrNoSuchPath, here, seg, keyList(v))
			}
			cur = next
		case []any:
			k, ok := parseIndex(seg)
			if !ok {
				return 0, fmt.Errorf("%q: %w: %s is an array; name an element by its 0-based index, not %q",
					path, ErrNoSuchPath, here, seg)
			}
			if k >= len(v) {
				return 0, fmt.Errorf("%q: %w: index %d out of range (%s has %d elements)",
					path, ErrNoSuchPath, k, here, len(v))
			}
			cur = v[k]
		case nil:
			return 0, fmt.Errorf("%q: %w: %s is null, so it has no %q",
				path, ErrNull, here, seg)
		default:
			return 0, fmt.Errorf("%q: %w: %s is a %s, so it has no %q",
				path, ErrNoSuchPath, here, kindOf(cur), seg)
		}
	}
	switch v := cur.(type) {
	case float64:
		return v, nil
	case nil:
		return 0, fmt.Errorf("%q: %w (a statistic without datapoints, or a value that does not apply)", path, ErrNull)
	case bool:
		return 0, fmt.Errorf("%q: %w: it is a boolean, and booleans are not read as 1/0", path, ErrNotNumber)
	case string:
		return 0, fmt.Errorf("%q: %w: it is the string %q", path, ErrNotNumber, v)
	case map[string]any:
		return 0, fmt.Errorf("%q: %w: it is an object; name one of its keys: %s", path, ErrNotNumber, keyList(v))
	case []any:
		return 0, fmt.Errorf("%q: %w: it is an array of %d elements; name one by its 0-based index", path, ErrNotNumber, len(v))
	default:
		panic(fmt.Sprintf("planner: unexpected JSON value %T", cur))
	}
}

// splitPath splits a dotted path into its segments.
func splitPath(path string) ([]string, error) {
	if strings.TrimSpace(path) == "" {
		return nil, fmt.Errorf("%q: %w: empty", path, ErrBadPath)
	}
	segs := strings.Split(path, ".")
	for _, s := range segs {
		if s == "" {
			return nil, fmt.Errorf("%q: %w: empty segment (a leading, trailing or doubled dot)", path, ErrBadPath)
		}
		if strings.ContainsAny(s, " \t\r\n") {
			return nil, fmt.Errorf("%q: %w: segment %q contains white space", path, ErrBadPath, s)
		}
	}
	return segs, nil
}

// parseIndex reads a 0-based array index: decimal digits only (no sign).
func parseIndex(s string) (int, bool) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	k, err := strconv.Atoi(s)
	return k, err == nil
}

// keyList lists an object's keys, sorted, for error messages; long lists are
// cut after ten keys.
func keyList(m map[string]any) string {
	if len(m) == 0 {
		return "no keys"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	const maxKeys = 10
	if len(keys) > maxKeys {
		return strings.Join(keys[:maxKeys], ", ") + fmt.Sprintf(", … (%d more)", len(keys)-maxKeys)
	}
	return strings.Join(keys, ", ")
}

func kindOf(v any) string {
	switch v.(type) {
	case float64:
		return "number"
	case bool:
		return "boolean"
	case string:
		return "string"
	default:
		return fmt.Sprintf("%T", v)
	}
}
