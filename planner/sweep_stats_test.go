package planner

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestStudentT975 checks the quantile against a printed table of Student's
// t (two-sided 95 %, i.e. the 0.975 quantile; e.g. NIST/SEMATECH
// e-Handbook, table 1.3.6.7.2), given there to three decimals.
func TestStudentT975(t *testing.T) {
	for _, tc := range []struct {
		df   int
		want float64
	}{
		{1, 12.706},
		{2, 4.303},
		{4, 2.776},
		{29, 2.045},
	} {
		if got := StudentT975(tc.df); math.Abs(got-tc.want) > 5e-4 {
			t.Errorf("StudentT975(%d) = %.6f, want %.3f", tc.df, got, tc.want)
		}
	}
	// df = 2 has a closed form: F(t) = 1/2 + t / (2√(2+t²)), so with
	// a = 2·0.975 − 1 = 0.95, t = a·√(2 / (1 − a²)) = 0.95·√(2/0.0975).
	if got, want := StudentT975(2), 0.95*math.Sqrt(2/0.0975); math.Abs(got-want) > 1e-9 {
		t.Errorf("StudentT975(2) = %.12f, want the closed form %.12f", got, want)
	}
}

func TestStudentT975PanicsBelowOneDegree(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "planner: ") {
			t.Errorf("recover() = %v, want a planner: panic", r)
		}
	}()
	StudentT975(0)
}

// svals builds Values from key, value pairs.
func svals(kv ...any) Values {
	var vs Values
	for i := 0; i < len(kv); i += 2 {
		vs = append(vs, Value{Key: kv[i].(string), Value: kv[i+1]})
	}
	return vs
}

// srun builds a RunSummary of one replication.
func srun(id string, v Values, rep int, metrics map[string]float64) RunSummary {
	return RunSummary{ID: id, Values: v, Replication: rep, Seed: uint64(rep), Metrics: metrics}
}

// TestSummarizeCI95 checks a group's mean and confidence half-width on a
// hand-computed set.
//
// Metric "m" is 10, 12, 14 over three replications:
//
//	mean  = (10 + 12 + 14) / 3 = 12
//	s²    = ((−2)² + 0² + 2²) / (3 − 1) = 8 / 2 = 4, s = 2
//	t     = t(0.975, 2) = 0.95·√(2/0.0975) = 4.302652729749… (closed form
//	        for 2 degrees of freedom, see TestStudentT975; tables: 4.303)
//	ci95  = t · s / √3 = 4.302652729749 · 2 / 1.732050807569 = 4.968275…
//
// Metric "p" is in two of the runs, 1 and 3: mean 2, s² = (1 + 1) / 1 = 2,
// s = √2, t(0.975, 1) = tan(π·0.475) = 12.7062…, ci95 = t·√2/√2 = t.
// Metric "q" is in one run only: mean 7, no ci95.
func TestSummarizeCI95(t *testing.T) {
	st := &Study{Replications: 3}
	v := svals("k", int64(1))
	runs := []RunSummary{
		srun("0", v, 0, map[string]float64{"m": 10, "p": 1}),
		srun("1", v, 1, map[string]float64{"m": 12, "q": 7}),
		srun("2", v, 2, map[string]float64{"m": 14, "p": 3}),
	}
	sum, err := Summarize(st, runs)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Groups) != 1 {
		t.Fatalf("%d groups, want 1", len(sum.Groups))
	}
	g := sum.Groups[0]
	if g.Runs != 3 || !g.Values.Equal(v) {
		t.Errorf("group runs %d values %v, want 3 and %v", g.Runs, g.Values, v)
	}
	tp := math.Tan(math.Pi * 0.475) // t(0.975, 1): the Cauchy quantile
	for _, c := range []struct {
		path       string
		mean, ci95 float64
		hasCI      bool
	}{
		{"m", 12, 0.95 * math.Sqrt(2/0.0975) * 2 / math.Sqrt(3), true},
		{"p", 2, tp, true},
		{"q", 7, 0, false},
	} {
		if got := g.Mean[c.path]; math.Abs(got-c.mean) > 1e-12 {
			t.Errorf("mean[%s] = %v, want %v", c.path, got, c.mean)
		}
		got, ok := g.CI95[c.path]
		if ok != c.hasCI || (ok && math.Abs(got-c.ci95) > 1e-9) {
			t.Errorf("ci95[%s] = %v (present %v), want %v (present %v)", c.path, got, ok, c.ci95, c.hasCI)
		}
	}
	if math.Abs(g.CI95["m"]-4.968275) > 1e-6 {
		t.Errorf("ci95[m] = %.7f, want 4.968275 (hand computed)", g.CI95["m"])
	}
	if sum.Best != nil || sum.Pareto != nil {
		t.Errorf("best %v pareto %v without objective or pareto, want nil", sum.Best, sum.Pareto)
	}
	if &sum.Runs[0] != &runs[0] {
		t.Error("Summary.Runs is not the runs as given")
	}
}

// TestSummarizeGroupOfOneCI95IsNull: SCENARIO.md "ci95 is null for groups
// of one run".
func TestSummarizeGroupOfOneCI95IsNull(t *testing.T) {
	st := &Study{Replications: 1}
	runs := []RunSummary{
		srun("0", svals("k", int64(1)), 0, map[string]float64{"m": 10}),
		srun("1", svals("k", int64(2)), 0, map[string]float64{"m": 20}),
	}
	sum, err := Summarize(st, runs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(sum.Groups)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"values":{"k":1},"runs":1,"mean":{"m":10},"ci95":null},{"values":{"k":2},"runs":1,"mean":{"m":20},"ci95":null}]`
	if string(b) != want {
		t.Errorf("groups JSON\n got %s\nwant %s", b, want)
	}
}

// TestSummarizeGroupsInIndexOrder: runs are grouped in consecutive chunks
// of Replications (index = point × replications + replication), and the
// groups keep grid order.
func TestSummarizeGroupsInIndexOrder(t *testing.T) {
	st := &Study{Replications: 2}
	a, b := svals("k", "a"), svals("k", "b")
	runs := []RunSummary{
		srun("0", a, 0, map[string]float64{"m": 1}),
		srun("1", a, 1, map[string]float64{"m": 3}),
		srun("2", b, 0, map[string]float64{"m": 10}),
		srun("3", b, 1, map[string]float64{"m": 30}),
	}
	sum, err := Summarize(st, runs)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Groups) != 2 || !sum.Groups[0].Values.Equal(a) || !sum.Groups[1].Values.Equal(b) {
		t.Fatalf("groups %+v, want a then b", sum.Groups)
	}
	if sum.Groups[0].Mean["m"] != 2 || sum.Groups[1].Mean["m"] != 20 {
		t.Errorf("means %v %v, want 2 and 20", sum.Groups[0].Mean, sum.Groups[1].Mean)
	}
}

func TestSummarizeErrors(t *testing.T) {
	a, b := svals("k", "a"), svals("k", "b")
	for _, tc := range []struct {
		name string
		reps int
		runs []RunSummary
		want string
	}{
		{"not a multiple", 2, []RunSummary{srun("0", a, 0, nil), srun("1", a, 1, nil), srun("2", b, 0, nil)},
			"not a whole number of groups"},
		{"values differ within a chunk", 2, []RunSummary{srun("0", a, 0, nil), srun("1", b, 0, nil)},
			"different values"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Summarize(&Study{Replications: tc.reps}, tc.runs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestSummarizeNoRuns(t *testing.T) {
	sum, err := Summarize(&Study{Replications: 3, Pareto: &ParetoSpec{X: "x", Y: "y"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(sum)
	if !strings.Contains(string(b), `"groups":[]`) || !strings.Contains(string(b), `"pareto":[]`) {
		t.Errorf("summary %s, want empty groups and pareto arrays", b)
	}
}

// bestCase summarizes a study of one replication per point, whose group means
// are the runs' metrics.
func bestCase(t *testing.T, obj *Objective, metrics ...map[string]float64) *Summary {
	t.Helper()
	st := &Study{Replications: 1, Objective: obj}
	var runs []RunSummary
	for i, m := range metrics {
		runs = append(runs, srun(string(rune('0'+i)), svals("point", int64(i)), 0, m))
	}
	sum, err := Summarize(st, runs)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func sweepCheck(t *testing.T, s string) Check {
	t.Helper()
	c, err := ParseCheck(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBest: SCENARIO.md "best: the objective's best group meeting
// subject_to"; "subject_to applies to group means". Ties go to the first
// group in grid order; a group without a checked metric fails the check.
func TestBest(t *testing.T) {
	under1pct := sweepCheck(t, "unserved < 0.01")
	for _, tc := range []struct {
		name    string
		obj     *Objective
		metrics []map[string]float64
		want    int // index of the best point; -1: none
	}{
		{
			name: "subject_to excludes the cheapest group",
			obj:  &Objective{Path: "cost", SubjectTo: []Check{under1pct}},
			metrics: []map[string]float64{
				{"cost": 300, "unserved": 0},
				{"cost": 100, "unserved": 0.05}, // cheapest, fails
				{"cost": 200, "unserved": 0.009},
				{"cost": 250, "unserved": 0},
			},
			want: 2,
		},
		{
			name: "a group lacking the checked metric fails the check",
			obj:  &Objective{Path: "cost", SubjectTo: []Check{under1pct}},
			metrics: []map[string]float64{
				{"cost": 300, "unserved": 0},
				{"cost": 100}, // no unserved: fails
			},
			want: 0,
		},
		{
			name: "ties go to the first in grid order",
			obj:  &Objective{Path: "cost"},
			metrics: []map[string]float64{
				{"cost": 300},
				{"cost": 200},
				{"cost": 200},
				{"cost": 250},
			},
			want: 1,
		},
		{
			name: "maximize",
			obj:  &Objective{Path: "served", Maximize: true},
			metrics: []map[string]float64{
				{"served": 0.9},
				{"served": 0.99},
				{"served": 0.99},
				{"served": 0.95},
			},
			want: 1,
		},
		{
			name: "groups without the objective path are skipped",
			obj:  &Objective{Path: "cost"},
			metrics: []map[string]float64{
				{"other": 1},
				{"cost": 500},
			},
			want: 1,
		},
		{
			name:    "no group meets subject_to",
			obj:     &Objective{Path: "cost", SubjectTo: []Check{under1pct}},
			metrics: []map[string]float64{{"cost": 1, "unserved": 0.5}, {"cost": 2, "unserved": 0.01}},
			want:    -1,
		},
		{
			name:    "no objective",
			obj:     nil,
			metrics: []map[string]float64{{"cost": 1}},
			want:    -1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum := bestCase(t, tc.obj, tc.metrics...)
			if tc.want < 0 {
				if sum.Best != nil {
					t.Errorf("best = %+v, want nil", sum.Best)
				}
				return
			}
			if sum.Best == nil {
				t.Fatalf("best = nil, want point %d", tc.want)
			}
			if want := svals("point", int64(tc.want)); !sum.Best.Values.Equal(want) {
				t.Errorf("best values %v, want %v", sum.Best.Values, want)
			}
			for k, v := range tc.metrics[tc.want] {
				if sum.Best.Mean[k] != v {
					t.Errorf("best mean[%s] = %v, want %v", k, sum.Best.Mean[k], v)
				}
			}
		})
	}
}

// TestSummarizePareto: the front is over the groups having both means.
func TestSummarizePareto(t *testing.T) {
	st := &Study{Replications: 1, Pareto: &ParetoSpec{X: "cost", Y: "unserved"}}
	runs := []RunSummary{
		srun("0", svals("p", int64(0)), 0, map[string]float64{"cost": 100, "unserved": 0.2}),
		srun("1", svals("p", int64(1)), 0, map[string]float64{"cost": 200, "unserved": 0.1}),
		srun("2", svals("p", int64(2)), 0, map[string]float64{"cost": 300, "unserved": 0.3}), // dominated by both
		srun("3", svals("p", int64(3)), 0, map[string]float64{"cost": 50}),                   // no y: left out
	}
	sum, err := Summarize(st, runs)
	if err != nil {
		t.Fatal(err)
	}
	want := []ParetoPoint{{svals("p", int64(0)), 100, 0.2}, {svals("p", int64(1)), 200, 0.1}}
	if len(sum.Pareto) != len(want) {
		t.Fatalf("pareto %+v, want %+v", sum.Pareto, want)
	}
	for i := range want {
		if !sum.Pareto[i].Values.Equal(want[i].Values) || sum.Pareto[i].X != want[i].X || sum.Pareto[i].Y != want[i].Y {
			t.Errorf("pareto[%d] = %+v, want %+v", i, sum.Pareto[i], want[i])
		}
	}
}

// TestMeanCI95Edges: no values, and one value.
func TestMeanCI95Edges(t *testing.T) {
	if m, h := MeanCI95(nil); !math.IsNaN(m) || !math.IsNaN(h) {
		t.Errorf("MeanCI95(nil) = %v, %v, want NaN, NaN", m, h)
	}
	if m, h := MeanCI95([]float64{4}); m != 4 || !math.IsNaN(h) {
		t.Errorf("MeanCI95([4]) = %v, %v, want 4, NaN", m, h)
	}
	// Identical values: s = 0, so the interval has no width.
	if m, h := MeanCI95([]float64{5, 5, 5, 5}); m != 5 || h != 0 {
		t.Errorf("MeanCI95([5 5 5 5]) = %v, %v, want 5, 0", m, h)
	}
}

func TestValuesEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b Values
		want bool
	}{
		{svals("k", int64(40)), svals("k", float64(40)), true}, // as after a JSON round trip
		{svals("k", int64(40)), svals("k", "40"), false},
		{svals("k", int64(1<<53+1)), svals("k", int64(1<<53)), false},
		{svals("k", true), svals("k", true), true},
		{svals("k", true), svals("k", false), false},
		{svals("k", math.NaN()), svals("k", math.NaN()), false},
		{svals("k", "a"), svals("j", "a"), false},
		{svals("k", "a", "j", "b"), svals("k", "a"), false},
		{nil, Values{}, true},
	} {
		if got := tc.a.Equal(tc.b); got != tc.want {
			t.Errorf("%v.Equal(%v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
