package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
)

// The decoder turns the generic tree that BurntSushi/toml parsed
// (map[string]any) into the typed Scenario itself, so that it can report
// every unknown key and every wrong type at once (toml.Decode stops at the
// first type error) and knows which keys were present (for defaults).

type decoder struct {
	p       *problems
	present map[string]bool
}

var (
	typeDuration   = reflect.TypeFor[Duration]()
	typeDistSpec   = reflect.TypeFor[DistSpec]()
	typeStringList = reflect.TypeFor[StringList]()
	typeTime       = reflect.TypeFor[time.Time]()
	typeCurveSpec  = reflect.TypeFor[CurveSpec]()
)

const topLevel = "the top level"

// fieldsOf maps toml tag -> field index for a struct type (tags "-" and
// fields without a tag are skipped).
var fieldCache sync.Map

func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("toml")
		if name, _, _ := strings.Cut(tag, ","); name != "" && name != "-" {
			m[name] = i
		}
	}
	fieldCache.Store(t, m)
	return m
}

// TOMLKind names the TOML type of a value BurntSushi/toml decoded into
// an `any`, for messages: `string "x"`, `integer 3`, `float 1.5`,
// `boolean true`, `datetime`, `array`, `table`.
func TOMLKind(v any) string { return tomlKind(v) }

// tomlKind names the TOML type of a decoded value, for messages.
func tomlKind(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("string %q", x)
	case int64:
		return fmt.Sprintf("integer %d", x)
	case float64:
		return fmt.Sprintf("float %v", x)
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case time.Time:
		return "datetime"
	case []any, []map[string]any:
		return "array"
	case map[string]any:
		return "table"
	}
	return fmt.Sprintf("%T", v)
}

func (d *decoder) wrongType(path, want string, v any) {
	d.p.bad[path] = true
	d.p.at(path, "%s: want %s, got %s", path, want, tomlKind(v))
}

// decodeStruct decodes table m into the struct rv. ctx names the table in
// messages ("[[task_definitions]]", "[services.load]", "the top level").
func (d *decoder) decodeStruct(path, ctx string, m map[string]any, rv reflect.Value) {
	fields := fieldsOf(rv.Type())
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kp := joinPath(path, k)
		fi, ok := fields[k]
		if !ok {
			where := "in " + ctx
			if ctx == topLevel {
				where = "at the top level"
			}
			msg := fmt.Sprintf("unknown key %q %s", k, where)
			if s := suggest(k, fields); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.p.at(kp, "%s", msg)
			continue
		}
		f := rv.Type().Field(fi)
		d.decodeValue(kp, schemaOf(ctx, k, f.Type), m[k], rv.Field(fi))
	}
}

// schemaOf is the message context of a child table: [a.b] or [[a.b]].
func schemaOf(ctx, key string, t reflect.Type) string {
	parent := strings.Trim(ctx, "[]")
	if ctx == topLevel {
		parent = ""
	}
	name := joinPath(parent, key)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct {
		return "[[" + name + "]]"
	}
	return "[" + name + "]"
}

func (d *decoder) decodeValue(path, ctx string, v any, rv reflect.Value) {
	d.present[path] = true
	t := rv.Type()
	switch t {
	case typeDuration:
		s, ok := v.(string)
		if !ok {
			d.wrongType(path, `a duration string such as "90s"`, v)
			return
		}
		du, err := ParseDuration(s)
		if err != nil {
			d.p.bad[path] = true
			d.p.at(path, "%s: %v", path, err)
			return
		}
		rv.Set(reflect.ValueOf(du))
		return
	case typeDistSpec:
		switch x := v.(type) {
		case string:
			du, err := ParseDuration(x)
			if err != nil {
				d.p.bad[path] = true
				d.p.at(path, "%s: %v", path, err)
				return
			}
			rv.Set(reflect.ValueOf(DistSpec{Dist: "constant", Value: du}))
		case map[string]any:
			d.decodeStruct(path, ctx, x, rv)
		default:
			d.wrongType(path, `a duration string or a table { dist = ... }`, v)
		}
		return
	case typeStringList:
		switch x := v.(type) {
		case string:
			rv.Set(reflect.ValueOf(StringList{x}))
		case []any:
			out := make(StringList, len(x))
			for i, e := range x {
				ep := indexPath(path, i)
				d.present[ep] = true
				s, ok := e.(string)
				if !ok {
					d.wrongType(ep, "a string", e)
					continue
				}
				out[i] = s
			}
			rv.Set(reflect.ValueOf(out))
		default:
			d.wrongType(path, "a string or a list of strings", v)
		}
		return
	case typeTime:
		switch x := v.(type) {
		case time.Time:
			loc := x.Location().String()
			if loc == "time-local" {
				d.p.bad[path] = true
				d.p.at(path, "%s: want a date and time such as 2026-01-05T00:00:00Z, got a time of day", path)
				return
			}
			if loc == "datetime-local" || loc == "date-local" {
				// Model assumption: a datetime without an offset is UTC
				// (schedules and peaks are UTC too).
				x = time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), time.UTC)
			}
			rv.Set(reflect.ValueOf(x.UTC()))
		case string:
			tm, err := time.Parse(time.RFC3339Nano, x)
			if err != nil {
				d.p.bad[path] = true
				d.p.at(path, "%s: want an RFC 3339 date and time such as 2026-01-05T00:00:00Z, got %q", path, x)
				return
			}
			rv.Set(reflect.ValueOf(tm.UTC()))
		default:
			d.wrongType(path, "a datetime such as 2026-01-05T00:00:00Z", v)
		}
		return
	case typeCurveSpec:
		// Model assumption: a bare number is a constant curve.
		switch x := v.(type) {
		case int64:
			rv.Set(reflect.ValueOf(CurveSpec{Pattern: "constant", Value: float64(x)}))
			return
		case float64:
			rv.Set(reflect.ValueOf(CurveSpec{Pattern: "constant", Value: x}))
			return
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		nv := reflect.New(t.Elem())
		d.decodeValue(path, ctx, v, nv.Elem())
		rv.Set(nv)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.wrongType(path, "a table", v)
			return
		}
		d.decodeStruct(path, ctx, m, rv)
	case reflect.Slice:
		var elems []any
		switch x := v.(type) {
		case []any:
			elems = x
		case []map[string]any:
			elems = make([]any, len(x))
			for i := range x {
				elems[i] = x[i]
			}
		default:
			want := "an array"
			if t.Elem().Kind() == reflect.Struct {
				want = "an array of tables"
			}
			d.wrongType(path, want, v)
			return
		}
		sl := reflect.MakeSlice(t, len(elems), len(elems))
		for i, e := range elems {
			d.decodeValue(indexPath(path, i), ctx, e, sl.Index(i))
		}
		rv.Set(sl)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			d.wrongType(path, "a table", v)
			return
		}
		mv := reflect.MakeMapWithSize(t, len(m))
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ev := reflect.New(t.Elem()).Elem()
			d.decodeValue(joinPath(path, k), ctx, m[k], ev)
			mv.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
		rv.Set(mv)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.wrongType(path, "a string", v)
			return
		}
		rv.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.wrongType(path, "true or false", v)
			return
		}
		rv.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			d.wrongType(path, "an integer", v)
			return
		}
		rv.SetInt(n)
	case reflect.Uint64:
		n, ok := v.(int64)
		if !ok || n < 0 {
			d.wrongType(path, "a non-negative integer", v)
			return
		}
		rv.SetUint(uint64(n))
	case reflect.Float64:
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				d.p.bad[path] = true
				d.p.at(path, "%s: want a finite number, got %v", path, x)
				return
			}
			rv.SetFloat(x)
		case int64:
			rv.SetFloat(float64(x))
		default:
			d.wrongType(path, "a number", v)
		}
	default:
		panic("scenarios: decoder cannot handle " + t.String())
	}
}

// suggest returns the known key closest to k: the same letters in
// another case, or for keys of 4 letters or more, one edit away (two from 8
// letters on), a transposition counting as one edit; "" when none is that
// close.
func suggest(k string, fields map[string]int) string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if strings.EqualFold(n, k) {
			return n
		}
	}
	if len(k) < 4 {
		return ""
	}
	best, bestD := "", 2
	if len(k) >= 8 {
		bestD = 3
	}
	for _, n := range names {
		if dd := editDistance(strings.ToLower(k), n); dd < bestD {
			best, bestD = n, dd
		}
	}
	return best
}

// editDistance is the optimal string alignment distance of a and b
// (Levenshtein plus transpositions of adjacent bytes).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func reflectValueOf(s *Scenario) reflect.Value { return reflect.ValueOf(s).Elem() }

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
