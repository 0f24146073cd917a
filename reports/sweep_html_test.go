package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/planner"
)

const (
	sweepTargetKey = "services.web.autoscaling.target_tracking.0.target"
	sweepLaunchKey = "services.web.launch_type"
	sweepCost      = "cost.monthly_usd"
	sweepUnserved  = "services.web.unserved_demand_fraction"
)

// sweepFixture is a hand-built study of 2 keys × 2 values × 3
// replications (a numeric key and a string key) and its summary:
//
//	group  target  launch    cost (3 runs)   mean  unserved (3 runs)   mean
//	G0     40      FARGATE   300 310 320     310   0 0 0.003           0.001
//	G1     40      EC2       200 200 200     200   0.002 ×3            0.002
//	G2     80      FARGATE   150 150 150     150   0.3 ×3              0.3    fails subject_to
//	G3     80      EC2       100 100 100     100   0.2 ×3              0.2    fails subject_to
//
// Minimizing cost subject to unserved < 0.01: G0 and G1 are feasible, so
// the ranking is G1 (200), G0 (310), then the infeasible G3 (100), G2
// (150); the best group is G1. Pareto (cost, unserved), both minimized:
// G2 (150, 0.3) is dominated by G3 (100, 0.2); G0, G1, G3 are not (each
// has the least unserved among the groups at most as costly).
func sweepFixture(t *testing.T) (*planner.Study, *planner.Summary) {
	t.Helper()
	check, err := planner.ParseCheck(sweepUnserved + " < 0.01")
	if err != nil {
		t.Fatal(err)
	}
	st := &planner.Study{
		Path:         "studies/web-<sweep>&.toml", // escaped on the page
		ScenarioPath: "studies/base.toml",
		Replications: 3,
		Vary: []planner.Vary{
			{Key: sweepTargetKey, Values: []any{int64(40), int64(80)}},
			{Key: sweepLaunchKey, Values: []any{"FARGATE", "EC2"}},
		},
		Objective: &planner.Objective{Path: sweepCost, SubjectTo: []planner.Check{check}},
		Pareto:    &planner.ParetoSpec{X: sweepCost, Y: sweepUnserved},
	}
	groups := []struct {
		target   int64
		launch   string
		cost     [3]float64
		unserved [3]float64
	}{
		{40, "FARGATE", [3]float64{300, 310, 320}, [3]float64{0, 0, 0.003}},
		{40, "EC2", [3]float64{200, 200, 200}, [3]float64{0.002, 0.002, 0.002}},
		{80, "FARGATE", [3]float64{150, 150, 150}, [3]float64{0.3, 0.3, 0.3}},
		{80, "EC2", [3]float64{100, 100, 100}, [3]float64{0.2, 0.2, 0.2}},
	}
	var runs []planner.RunSummary
	for p, g := range groups {
		for r := range 3 {
			runs = append(runs, planner.RunSummary{
				ID:          strconv.Itoa(p*3 + r),
				Values:      planner.Values{{Key: sweepTargetKey, Value: g.target}, {Key: sweepLaunchKey, Value: g.launch}},
				Replication: r,
				Seed:        uint64(r),
				Metrics:     map[string]float64{sweepCost: g.cost[r], sweepUnserved: g.unserved[r]},
			})
		}
	}
	sum, err := planner.Summarize(st, runs)
	if err != nil {
		t.Fatal(err)
	}
	return st, sum
}

// rankRows returns the ranked table's rows: the class attribute and the
// cells' text.
func rankRows(t *testing.T, page string) (classes []string, cells [][]string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<table class="rank">(.*?)</table>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no ranked table")
	}
	rowRe := regexp.MustCompile(`<tr(?: class="([^"]*)")?>(.*?)</tr>`)
	cellRe := regexp.MustCompile(`<td[^>]*>(.*?)</td>`)
	for _, r := range rowRe.FindAllStringSubmatch(m[1], -1) {
		if strings.Contains(r[2], "<th") {
			continue
		}
		var cs []string
		for _, c := range cellRe.FindAllStringSubmatch(r[2], -1) {
			cs = append(cs, c[1])
		}
		classes = append(classes, r[1])
		cells = append(cells, cs)
	}
	return classes, cells
}

func TestSweepHTMLRanksGroups(t *testing.T) {
	st, sum := sweepFixture(t)
	var b bytes.Buffer
	if err := WriteSweepHTML(&b, st, sum); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	classes, cells := rankRows(t, page)
	// Columns: rank, target, launch, cost mean ± ci95, the subject_to
	// check, runs, Pareto. G0's cost: mean 310, s = 10, ci95 = t(0.975, 2)
	// · 10/√3 = 4.3027 · 5.7735 = 24.841 (5 significant digits of 310: 2
	// decimals). G1's: all equal, so ± 0.
	want := []struct {
		class string
		cells []string
	}{
		{"front", []string{"1", "40", "EC2", "200.00 ± 0.00", "0.0020000", "3", "●"}},
		{"front", []string{"2", "40", "FARGATE", "310.00 ± 24.84", "0.0010000", "3", "●"}},
		{"infeasible front", []string{"3", "80", "EC2", "100.00 ± 0.00", "0.20000 ✗", "3", "●"}},
		{"infeasible", []string{"4", "80", "FARGATE", "150.00 ± 0.00", "0.30000 ✗", "3", ""}},
	}
	if len(cells) != len(want) {
		t.Fatalf("%d ranked rows, want %d: %q", len(cells), len(want), cells)
	}
	for i, w := range want {
		if classes[i] != w.class || strings.Join(cells[i], "|") != strings.Join(w.cells, "|") {
			t.Errorf("row %d: class %q cells %q, want %q %q", i+1, classes[i], cells[i], w.class, w.cells)
		}
	}

	// The best group: G1.
	best := regexp.MustCompile(`(?s)<section id="best">(.*?)</section>`).FindStringSubmatch(page)
	if best == nil {
		t.Fatal("no best section")
	}
	for _, s := range []string{sweepTargetKey + " = 40", sweepLaunchKey + " = EC2", sweepCost + " = 200.00 ± 0.00 (mean of 3 runs)"} {
		if !strings.Contains(best[1], s) {
			t.Errorf("best section lacks %q:\n%s", s, best[1])
		}
	}
	for _, s := range []string{"12 runs · 4 groups · 3 replications per group", "scenario studies/base.toml",
		"Sweep studies/web-&lt;sweep&gt;&amp;.toml", "subject to " + sweepUnserved + " &lt; 0.01"} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

// TestSweepHTMLFigures: the Pareto figure and one effect figure per varied
// key, each a PNG data URI.
func TestSweepHTMLFigures(t *testing.T) {
	st, sum := sweepFixture(t)
	var b bytes.Buffer
	if err := WriteSweepHTML(&b, st, sum); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if n := strings.Count(page, `src="data:image/png;base64,`); n != 3 {
		t.Errorf("%d PNG data URIs, want 3 (pareto and one per varied key)", n)
	}
	for _, id := range []string{"fig-pareto", "fig-effect-1", "fig-effect-2"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("no figure %s", id)
		}
	}
	// No network: every src is a data: URI and nothing links out.
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "data:") && !strings.HasPrefix(m[1], "#") {
			t.Errorf("loads %q", m[1])
		}
	}
	// The embedded summary is the summary.
	m := regexp.MustCompile(`(?s)<script type="application/json" id="summary">(.*)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no summary block")
	}
	var back struct {
		Groups []json.RawMessage `json:"groups"`
		Pareto []json.RawMessage `json:"pareto"`
	}
	if err := json.Unmarshal([]byte(m[1]), &back); err != nil {
		t.Fatalf("summary block is not JSON: %v", err)
	}
	if len(back.Groups) != 4 || len(back.Pareto) != 3 {
		t.Errorf("summary block has %d groups and %d Pareto points, want 4 and 3", len(back.Groups), len(back.Pareto))
	}
}

// TestSweepHTMLWellFormed: every opened element of the page's structure
// is closed, in a page with and without the optional parts.
func TestSweepHTMLWellFormed(t *testing.T) {
	st, sum := sweepFixture(t)
	bare := *st
	bare.Objective, bare.Pareto = nil, nil
	bareSum, err := planner.Summarize(&bare, sum.Runs)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		st  *planner.Study
		sum *planner.Summary
	}{"full": {st, sum}, "bare": {&bare, bareSum}} {
		var b bytes.Buffer
		if err := WriteSweepHTML(&b, c.st, c.sum); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		if !strings.HasPrefix(page, "<!DOCTYPE html>\n<html") || !strings.HasSuffix(page, "</html>\n") {
			t.Errorf("%s: page does not start with the doctype and end with </html>", name)
		}
		for _, tag := range []string{"html", "head", "body", "main", "style", "title", "section", "h1", "h2", "p",
			"div", "table", "tr", "th", "td", "figure", "figcaption", "strong", "script"} {
			open := len(regexp.MustCompile(`<`+tag+`[\s>]`).FindAllStringIndex(page, -1))
			closed := strings.Count(page, "</"+tag+">")
			if open != closed {
				t.Errorf("%s: %d <%s> and %d </%s>", name, open, tag, closed, tag)
			}
		}
		if name == "bare" {
			if !strings.Contains(page, "no objective in the study") {
				t.Error("bare: no word on the missing objective")
			}
			if n := strings.Count(page, `src="data:image/png;base64,`); n != 2 {
				t.Errorf("bare: %d figures, want 2 (one per varied key, no Pareto)", n)
			}
		}
	}
}

func TestSweepHTMLNoGroupMeetsSubjectTo(t *testing.T) {
	st, sum := sweepFixture(t)
	c, err := planner.ParseCheck(sweepUnserved + " < 0.0001")
	if err != nil {
		t.Fatal(err)
	}
	st.Objective.SubjectTo = []planner.Check{c}
	sum, err = planner.Summarize(st, sum.Runs)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteSweepHTML(&b, st, sum); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no group meets subject_to") {
		t.Error("page does not say that no group meets subject_to")
	}
}

// TestSweepEffectFigureData checks the effect figures' statistics, over
// all runs having each value, by hand:
//
// target = 40: the six runs of G0 and G1, costs 300 310 320 200 200 200:
//
//	mean = (300 + 310 + 320 + 3 · 200) / 6 = 1530 / 6 = 255
//	Σ(x − mean)² = 45² + 55² + 65² + 3 · 55² = 2025 + 3025 + 4225 + 9075 = 18350
//	s = √(18350 / 5) = 60.581, t(0.975, 5) = 2.571 (tables)
//	ci95 = 2.571 · 60.581 / √6 = 63.59
//
// target = 80: 150 ×3 and 100 ×3: mean 125, s = √(6 · 25² / 5) = 27.386,
// ci95 = 2.571 · 27.386 / √6 = 28.74.
// launch = FARGATE (a category): 300 310 320 150 150 150, mean 230;
// launch = EC2: 200 ×3 and 100 ×3, mean 150.
func TestSweepEffectFigureData(t *testing.T) {
	st, sum := sweepFixture(t)
	figs, err := SweepFigures(st, sum)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 3 || figs[0].Name != "pareto" || figs[1].Name != "effect-1" || figs[2].Name != "effect-2" {
		var names []string
		for _, f := range figs {
			names = append(names, f.Name)
		}
		t.Fatalf("figures %v, want pareto effect-1 effect-2", names)
	}
	lineRe := regexp.MustCompile(`(?m)^value (\S+) runs (\d+) mean (\S+) ci95 (\S+)$`)
	for _, c := range []struct {
		fig        int
		value      string
		mean, ci95 float64
	}{
		{1, "40", 255, 2.571 * math.Sqrt(18350/5.0) / math.Sqrt(6)},
		{1, "80", 125, 2.571 * math.Sqrt(6*25*25/5.0) / math.Sqrt(6)},
		{2, "FARGATE", 230, math.NaN()},
		{2, "EC2", 150, math.NaN()},
	} {
		found := false
		for _, m := range lineRe.FindAllStringSubmatch(figs[c.fig].Data, -1) {
			if m[1] != c.value {
				continue
			}
			found = true
			mean, _ := strconv.ParseFloat(m[3], 64)
			ci, _ := strconv.ParseFloat(m[4], 64)
			if m[2] != "6" || math.Abs(mean-c.mean) > 1e-3 {
				t.Errorf("%s = %s: runs %s mean %v, want 6 and %v", figs[c.fig].Name, c.value, m[2], mean, c.mean)
			}
			// The table's t has three decimals: 5e-4 / 2.571 relative.
			if !math.IsNaN(c.ci95) && math.Abs(ci-c.ci95) > c.ci95*2e-4+1e-3 {
				t.Errorf("%s = %s: ci95 %v, want %v", figs[c.fig].Name, c.value, ci, c.ci95)
			}
		}
		if !found {
			t.Errorf("%s has no line for value %s:\n%s", figs[c.fig].Name, c.value, figs[c.fig].Data)
		}
	}
	// The Pareto figure lists the three front groups in x order.
	var front []string
	for _, m := range regexp.MustCompile(`(?m)^front (\S+) x (\S+)`).FindAllStringSubmatch(figs[0].Data, -1) {
		front = append(front, m[2])
	}
	if strings.Join(front, " ") != "100 200 310" {
		t.Errorf("pareto front x %v, want 100 200 310", front)
	}
}
