package planner

import (
	"fmt"
	"math"
	"strconv"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// Op is a comparison operator of a check.
type Op string

// The operators of SCENARIO.md [[assertions]].
const (
	Less         Op = "<"
	LessEqual    Op = "<="
	Greater      Op = ">"
	GreaterEqual Op = ">="
	Equal        Op = "=="
	NotEqual     Op = "!="
)

// Check is one parsed assertion: the number at Path compared with Value.
type Check struct {
	Path  string  // dotted path into results.json
	Op    Op      // one of the six operators
	Value float64 // finite
}

// String returns the check in its canonical "PATH OP NUMBER" form.
func (c Check) String() string {
	return c.Path + " " + string(c.Op) + " " + strconv.FormatFloat(c.Value, 'g', -1, 64)
}

// Holds reports whether v satisfies the check. == and != compare exactly (a
// check such as "jobs.etl.dropped == 0" is meant on counts); NaN holds
// nothing.
func (c Check) Holds(v float64) bool {
	switch c.Op {
	case Less:
		return v < c.Value
	case LessEqual:
		return v <= c.Value
	case Greater:
		return v > c.Value
	case GreaterEqual:
		return v >= c.Value
	case Equal:
		return v == c.Value
	case NotEqual:
		return v != c.Value && !math.IsNaN(v)
	default:
		panic("planner: unknown operator " + string(c.Op))
	}
}

// ParseCheck parses "PATH OP NUMBER" (SCENARIO.md [[assertions]]) with
// scenarios.ParseAssertion, the one parser of the grammar. Whether the
// result has the path is known only after the run, by EvaluateAssertions.
func ParseCheck(check string) (Check, error) {
	path, op, v, err := scenarios.ParseAssertion(check)
	if err != nil {
		return Check{}, fmt.Errorf("check %q: %w", check, err)
	}
	return Check{Path: path, Op: Op(op), Value: v}, nil
}

// EvaluateAssertions evaluates each check on res, in order, one
// AssertionResult per check with Check as written. A check that does not
// parse, or whose path fails (missing, null, not a number), has Value nil,
// Passed false and Error saying why. It panics if res is nil.
func EvaluateAssertions(res *sim.Result, checks []string) []sim.AssertionResult {
	out := make([]sim.AssertionResult, len(checks))
	if len(checks) == 0 {
		return out
	}
	doc, docErr := NewDoc(res)
	for i, text := range checks {
		out[i].Check = text
		c, err := ParseCheck(text)
		if err != nil {
			out[i].Error = err.Error()
			continue
		}
		if docErr != nil {
			out[i].Error = docErr.Error()
			continue
		}
		v, err := doc.Lookup(c.Path)
		if err != nil {
			out[i].Error = err.Error()
			continue
		}
		out[i].Value = &v
		out[i].Passed = c.Holds(v)
	}
	return out
}
