package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// TestGridExpandOrder: "The grid is the product of all vary lists, the
// first key outermost; runs are ordered by grid position, then
// replication" and "replications = 3  # seeds: the scenario's seed + 0, 1,
// 2" (SCENARIO.md "A study file for ecssim sweep"). A 3×2 grid with 2
// replications is 12 runs; run i is grid point i/2, replication i%2, and
// point p has a = [40,60,80][p/2], b = [0,3][p%2]. Listed by hand.
func TestGridExpandOrder(t *testing.T) {
	s := &Study{
		Replications: 2,
		BaseSeed:     7,
		Vary: []Vary{
			{Key: "a", Values: []any{int64(40), int64(60), int64(80)}},
			{Key: "b", Values: []any{int64(0), int64(3)}},
		},
	}
	want := []struct {
		a, b       int64
		point, rep int
		seed       uint64
	}{
		{40, 0, 0, 0, 7}, {40, 0, 0, 1, 8},
		{40, 3, 1, 0, 7}, {40, 3, 1, 1, 8},
		{60, 0, 2, 0, 7}, {60, 0, 2, 1, 8},
		{60, 3, 3, 0, 7}, {60, 3, 3, 1, 8},
		{80, 0, 4, 0, 7}, {80, 0, 4, 1, 8},
		{80, 3, 5, 0, 7}, {80, 3, 5, 1, 8},
	}
	runs := s.Expand()
	if len(runs) != len(want) {
		t.Fatalf("got %d runs, want %d", len(runs), len(want))
	}
	ids := map[string]bool{}
	for i, w := range want {
		r := runs[i]
		vals := Values{{Key: "a", Value: w.a}, {Key: "b", Value: w.b}}
		if r.Index != i || r.Point != w.point || r.Replication != w.rep || r.Seed != w.seed || !reflect.DeepEqual(r.Values, vals) {
			t.Errorf("run %d = %+v, want point %d replication %d seed %d values %v", i, r, w.point, w.rep, w.seed, vals)
		}
		if id := RunID(i, 4, vals, w.seed); r.ID != id {
			t.Errorf("run %d ID %q, want %q", i, r.ID, id)
		}
		ids[r.ID] = true
	}
	if len(ids) != len(want) {
		t.Errorf("run IDs are not distinct: %d of %d", len(ids), len(want))
	}
}

// TestGridExpandNoVary: a study without [[vary]] is one grid point with
// no values, repeated per replication.
func TestGridExpandNoVary(t *testing.T) {
	runs := (&Study{Replications: 3, BaseSeed: 10}).Expand()
	if len(runs) != 3 {
		t.Fatalf("got %d runs, want 3", len(runs))
	}
	for i, r := range runs {
		if r.Index != i || r.Point != 0 || r.Replication != i || r.Seed != 10+uint64(i) || len(r.Values) != 0 {
			t.Errorf("run %d = %+v", i, r)
		}
	}
}

// TestRunIDFormat: "RUN_ID is the zero-padded run index, a dash, and the
// first 8 hex digits of sha256 of the run's values and seed" (SCENARIO.md
// "A study file for ecssim sweep"); the canonical text is "KEY=JSON\n" per
// value, then "seed=DECIMAL". The expected digits are computed here from
// the literal text, and pinned (sha256sum of the same text) so that IDs
// stay stable across versions and machines.
func TestRunIDFormat(t *testing.T) {
	vals := Values{{"a", int64(40)}, {"b", "x"}, {"c", 0.5}, {"d", true}}
	canonical := "a=40\nb=\"x\"\nc=0.5\nd=true\nseed=7"
	sum := sha256.Sum256([]byte(canonical))
	want := "0003-" + hex.EncodeToString(sum[:])[:8]
	if want != "0003-694aae83" { // printf 'a=40\nb="x"\nc=0.5\nd=true\nseed=7' | sha256sum
		t.Fatalf("test's own expectation %q is off", want)
	}
	if got := RunID(3, 4, vals, 7); got != want {
		t.Errorf("RunID = %q, want %q", got, want)
	}
	if got := RunID(3, 4, vals, 7); got != want {
		t.Errorf("RunID is not stable: %q then %q", want, got)
	}
	// No values: the text is "seed=0" (sha256 427928697a4c...).
	if got := RunID(12345, 6, nil, 0); got != "012345-42792869" {
		t.Errorf("RunID(no values) = %q, want 012345-42792869", got)
	}
	// JSON writes 40.0 as 40: a float and an integer of the same value
	// are the same run.
	f := Values{{"a", 40.0}, {"b", "x"}, {"c", 0.5}, {"d", true}}
	if got := RunID(3, 4, f, 7); got != want {
		t.Errorf("RunID with 40.0 = %q, want %q", got, want)
	}
	// The seed and each value change the hash.
	if RunID(3, 4, vals, 8) == want || RunID(3, 4, Values{{"a", int64(41)}, {"b", "x"}, {"c", 0.5}, {"d", true}}, 7) == want {
		t.Error("a different seed or value gives the same ID")
	}
}

// TestRunIDWidth: the index is padded to the digits of the last index,
// at least 4.
func TestRunIDWidth(t *testing.T) {
	for _, c := range []struct{ total, want int }{
		{0, 4}, {1, 4}, {10000, 4}, {10001, 5}, {100000, 5}, {100001, 6}, {1000000, 6},
	} {
		if got := RunIDWidth(c.total); got != c.want {
			t.Errorf("RunIDWidth(%d) = %d, want %d", c.total, got, c.want)
		}
	}
}

// TestRangeExpansion: range = { from, to, step } (SCENARIO.md "A study
// file for ecssim sweep": values = [40, 60, 80] "or: range = { from = 40,
// to = 80, step = 10 }"). The k-th value is from + k×step (multiplied, not
// accumulated), up to to inclusive within 1e-9 relative; integers when
// from, to and step all are, floats otherwise.
func TestRangeExpansion(t *testing.T) {
	cases := []struct {
		name, key, rng string
		want           []any
	}{
		{"integers", "services.web.autoscaling.target_tracking.0.target", "{ from = 40, to = 80, step = 10 }",
			[]any{int64(40), int64(50), int64(60), int64(70), int64(80)}},
		{"to off the grid", "services.web.desired_count", "{ from = 1, to = 9, step = 3 }",
			[]any{int64(1), int64(4), int64(7)}},
		{"one value", "services.web.desired_count", "{ from = 4, to = 4, step = 1 }", []any{int64(4)}},
		{"floats", "services.web.load.cpu.value", "{ from = 0.1, to = 0.3, step = 0.1 }",
			[]any{0.1, 0.2, 0.3}}, // 0.1 + 2 × 0.1 is 0.30000000000000004 in floats, rounded to 12 digits
		// 3 × 0.1 = 0.30000000000000004 > 0.3, within the tolerance.
		{"floats from 0", "services.web.load.cpu.value", "{ from = 0, to = 0.3, step = 0.1 }",
			[]any{0.0, 0.1, 0.2, 0.3}},
		{"mixed is float", "services.web.autoscaling.target_tracking.0.target", "{ from = 40, to = 50, step = 2.5 }",
			[]any{40.0, 42.5, 45.0, 47.5, 50.0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, msg := parseTestStudy(t, "scenario = \"scen/base.toml\"\n[[vary]]\nkey = \""+c.key+"\"\nrange = "+c.rng+"\n")
			if msg != "" {
				t.Fatal(msg)
			}
			if !reflect.DeepEqual(s.Vary[0].Values, c.want) {
				t.Errorf("values %#v, want %#v", s.Vary[0].Values, c.want)
			}
		})
	}
}

// TestRangeErrors: a range needs step > 0, from <= to and at most 10000
// values; each problem is positioned at its key in the study file (line
// 4 holds the range; "from" is at column 11, "to" at 21, "step" at 29).
func TestRangeErrors(t *testing.T) {
	cases := []struct{ rng, want string }{
		{"{ from = 1, to = 5, step = 0 }", "study.toml:4:29: vary[0].range.step: must be above 0, got 0"},
		{"{ from = 6, to = 5, step = 1 }", "study.toml:4:21: vary[0].range.to: must be at least from (6), got 5"},
		{"{ from = 1, to = 5, step = 1e-9 }", "study.toml:4:1: vary[0].range: from 1 to 5 step 1e-09 gives more than 10000 values"},
		{"{ from = 1, to = 5, stp = 1 }", "study.toml:4:1: vary[0].range.step: is required\n" +
			`study.toml:4:29: unknown key "stp" in range (known keys: from, to, step)`},
		{"{ from = 1, to = \"5\", step = 1 }", `study.toml:4:21: vary[0].range.to: want a number, got string "5"`},
	}
	for _, c := range cases {
		_, msg := parseTestStudy(t, "scenario = \"scen/base.toml\"\n[[vary]]\nkey = \"services.web.desired_count\"\nrange = "+c.rng+"\n")
		if msg != c.want {
			t.Errorf("range %s:\ngot  %s\nwant %s", c.rng, msg, c.want)
		}
	}
}

// TestVariantSeed: run i's scenario has seed = the scenario's seed +
// replication, written into the scenario (so results.json shows it), and
// every varied value set.
func TestVariantSeed(t *testing.T) {
	s, msg := parseTestStudy(t, `scenario = "scen/base.toml"
replications = 2
[[vary]]
key = "services.web.desired_count"
values = [3, 4]
`)
	if msg != "" {
		t.Fatal(msg)
	}
	runs := s.Expand()
	if len(runs) != 4 {
		t.Fatalf("%d runs, want 4", len(runs))
	}
	for _, r := range runs {
		sc, err := s.Variant(r)
		if err != nil {
			t.Fatal(err)
		}
		wantSeed := 7 + uint64(r.Replication) // testBase has seed = 7
		if sc.Seed != wantSeed || r.Seed != wantSeed {
			t.Errorf("run %s: seed %d (spec %d), want %d", r.ID, sc.Seed, r.Seed, wantSeed)
		}
		if got, want := int64(sc.Services[0].DesiredCount), r.Values[0].Value.(int64); got != want {
			t.Errorf("run %s: desired_count %d, want %d", r.ID, got, want)
		}
		if !strings.HasSuffix(sc.File, "base.toml") {
			t.Errorf("run %s: File %q, want the scenario's path", r.ID, sc.File)
		}
	}
}
