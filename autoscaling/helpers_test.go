package autoscaling

import (
	"math"
	"strings"
	"testing"
	"time"
)

// nan is a missing datapoint as a Window holds it.
var nan = math.NaN()

// windowOf returns a window of the given capacity holding vals, oldest
// first (the last value is the newest datapoint).
func windowOf(capacity int, vals ...float64) *Window {
	w := NewWindow(capacity)
	for _, v := range vals {
		w.Push(v)
	}
	return w
}

// repeat returns n copies of v.
func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// cat concatenates value lists.
func cat(parts ...[]float64) []float64 {
	var out []float64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// minute is the offset of minute k from the scenario start.
func minute(k int) time.Duration { return time.Duration(k) * time.Minute }

// mustPanic fails t unless f panics with a message starting "autoscaling: ".
func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s: no panic", name)
			return
		}
		msg, ok := r.(string)
		if !ok || !strings.HasPrefix(msg, "autoscaling: ") {
			t.Errorf("%s: panic %v, want a string starting \"autoscaling: \"", name, r)
		}
	}()
	f()
}

// sameFloat reports whether a and b are equal within 1e-9 (NaN equals NaN).
func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9
}
