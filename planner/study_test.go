package planner

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// testBase is the scenario the study tests vary: two web revisions are
// absent (web has one), worker has revisions 1 and 2; the second strategy
// item leaves weight to its default; worker's load is a trace file next to
// the scenario (a relative path, resolved against scen/).
const testBase = `name = "sweep-test"
region = "us-east-1"
duration = "2h"
seed = 7

[cluster]
availability_zones = ["us-east-1a", "us-east-1b"]
default_capacity_provider_strategy = [
  { capacity_provider = "FARGATE", base = 1, weight = 1 },
  { capacity_provider = "FARGATE_SPOT" },
]

[[task_definitions]]
family = "web"
cpu = 512
memory = 1024

[[task_definitions]]
family = "worker"
revision = 1
cpu = 256
memory = 512

[[task_definitions]]
family = "worker"
revision = 2
cpu = 512
memory = 1024

[[services]]
name = "web"
task_definition = "web"
desired_count = 2
  [services.load]
  cpu = { pattern = "constant", value = 0.5 }
  [services.autoscaling]
  min_capacity = 1
  max_capacity = 10
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageCPUUtilization"
    target = 50

[[services]]
name = "worker"
task_definition = "worker:2"
desired_count = 1
  [services.load]
  cpu = { pattern = "trace", file = "load.csv" }
`

// parseTestStudy writes scen/base.toml (testBase), scen/load.csv and
// study.toml (text) into a temporary directory and parses the study. Its
// error text has the directory removed ("study.toml:3:1: ...").
func parseTestStudy(t *testing.T, study string) (*Study, string) {
	t.Helper()
	return parseTestStudyWith(t, testBase, study)
}

// parseTestStudyWith is parseTestStudy with scen/base.toml holding
// scenario.
func parseTestStudyWith(t *testing.T, scenario, study string) (*Study, string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("scen/base.toml", scenario)
	write("scen/load.csv", "0,0.2\n3600,0.4\n")
	write("study.toml", study)
	s, err := LoadStudy(filepath.Join(dir, "study.toml"))
	if err != nil {
		return nil, strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	}
	return s, ""
}

// TestParseStudyExample: SCENARIO.md's study ("A study file for ecssim
// sweep") on testBase: the scenario path is relative to the study file,
// vary entries keep their order, values their TOML kinds and positions,
// subject_to parses as checks, and the base's seed is replication 0's.
func TestParseStudyExample(t *testing.T) {
	s, msg := parseTestStudy(t, `scenario = "scen/base.toml"          # relative to the study file
replications = 3                # seeds: the scenario's seed + 0, 1, 2
parallel = 0                    # 0: all cores
[[vary]]
key = "services.web.autoscaling.target_tracking.0.target"
values = [40, 60, 80]           # or: range = { from = 40, to = 80, step = 10 }
[[vary]]
key = "cluster.default_capacity_provider_strategy.1.weight"
values = [0, 3]
[objective]
minimize = "cost.monthly_usd"
subject_to = ["services.web.unserved_demand_fraction < 0.01"]
[pareto]
x = "cost.monthly_usd"
y = "services.web.unserved_demand_fraction"
`)
	if msg != "" {
		t.Fatal(msg)
	}
	if !strings.HasSuffix(s.ScenarioPath, filepath.Join("scen", "base.toml")) || !strings.HasSuffix(s.Path, "study.toml") {
		t.Errorf("paths %q, %q", s.Path, s.ScenarioPath)
	}
	if s.Replications != 3 || s.Parallel != 0 || s.BaseSeed != 7 || s.Base == nil || s.Base.Name != "sweep-test" {
		t.Errorf("replications %d parallel %d seed %d base %v", s.Replications, s.Parallel, s.BaseSeed, s.Base)
	}
	wantVary := []Vary{
		{Key: "services.web.autoscaling.target_tracking.0.target", Values: []any{int64(40), int64(60), int64(80)}, Line: 5, Col: 1},
		{Key: "cluster.default_capacity_provider_strategy.1.weight", Values: []any{int64(0), int64(3)}, Line: 8, Col: 1},
	}
	if !reflect.DeepEqual(s.Vary, wantVary) {
		t.Errorf("vary %+v, want %+v", s.Vary, wantVary)
	}
	wantObj := &Objective{Path: "cost.monthly_usd", SubjectTo: []Check{{Path: "services.web.unserved_demand_fraction", Op: Less, Value: 0.01}}}
	if !reflect.DeepEqual(s.Objective, wantObj) {
		t.Errorf("objective %+v, want %+v", s.Objective, wantObj)
	}
	if want := (&ParetoSpec{X: "cost.monthly_usd", Y: "services.web.unserved_demand_fraction"}); !reflect.DeepEqual(s.Pareto, want) {
		t.Errorf("pareto %+v, want %+v", s.Pareto, want)
	}
	if got := len(s.Expand()); got != 3*2*3 {
		t.Errorf("%d runs, want 3 × 2 values × 3 replications = 18", got)
	}
}

// TestStudyDefaults: replications defaults to 1 and parallel to 0 (all
// cores); objective and pareto are optional; metrics (an ecssim addition)
// is a top-level array of results.json paths.
func TestStudyDefaults(t *testing.T) {
	s, msg := parseTestStudy(t, "scenario = \"scen/base.toml\"\nmetrics = [\"services.web.cpu_utilization.p95\"]\n")
	if msg != "" {
		t.Fatal(msg)
	}
	if s.Replications != 1 || s.Parallel != 0 || s.Vary != nil || s.Objective != nil || s.Pareto != nil {
		t.Errorf("defaults: %+v", s)
	}
	if want := []string{"services.web.cpu_utilization.p95"}; !reflect.DeepEqual(s.Metrics, want) {
		t.Errorf("metrics %v, want %v", s.Metrics, want)
	}
}

// TestStudyErrors: every problem of a study file is reported at once,
// positioned FILE:LINE:COL at the key it concerns (SCENARIO.md: errors as
// FILE:LINE:COL, every problem at once; the study file's keys as in "A
// study file for ecssim sweep"). Columns are counted by hand in the texts.
func TestStudyErrors(t *testing.T) {
	cases := []struct{ name, study, want string }{
		{"unknown keys at every level", `scenario = "scen/base.toml"
replication = 3
[[vary]]
key = "services.web.desired_count"
values = [3]
vals = [4]
[objective]
minimize = "cost.monthly_usd"
subjectto = ["x < 1"]
[pareto]
x = "a"
y = "b"
z = "c"
`, `study.toml:2:1: unknown key "replication" at the top level (known keys: scenario, replications, parallel, vary, objective, pareto, metrics)
study.toml:6:1: unknown key "vals" in [[vary]] (known keys: key, values, range)
study.toml:9:1: unknown key "subjectto" in [objective] (known keys: minimize, maximize, subject_to)
study.toml:13:1: unknown key "z" in [pareto] (known keys: x, y)`},
		{"values and range", `scenario = "scen/base.toml"
[[vary]]
key = "services.web.desired_count"
values = [3]
range = { from = 1, to = 3, step = 1 }
[[vary]]
key = "services.worker.desired_count"
`, `study.toml:5:1: vary[0].range: set one of values and range, not both
study.toml:6:1: vary[1]: needs values (an array) or range = { from, to, step }`},
		// Line 4: "subject_to = [" is 14 bytes, the first check (24 bytes
		// with quotes) is at 15, the second (41 bytes) at 41, "x ~ 3" at
		// 84, 5 at 93.
		{"bad subject_to", `scenario = "scen/base.toml"
[objective]
maximize = "services.web.tasks_running.mean"
subject_to = ["cost.monthly_usd < 100", "services.web.unserved_demand_fraction <", "x ~ 3", 5]
`, `study.toml:4:41: objective.subject_to[1]: check "services.web.unserved_demand_fraction <": no number after <
study.toml:4:84: objective.subject_to[2]: check "x ~ 3": no operator (OP is one of < <= > >= == !=)
study.toml:4:93: objective.subject_to[3]: want a string, got integer 5`},
		// Line 7: "metrics = [" is 11 bytes.
		{"objective and pareto", `scenario = "scen/base.toml"
[objective]
minimize = "cost.monthly_usd"
maximize = "cost.total_usd"
[pareto]
x = "cost..monthly_usd"
metrics = ["a b"]
`, `study.toml:4:1: objective.maximize: set one of minimize and maximize, not both
study.toml:5:1: pareto.y: is required
study.toml:6:1: pareto.x: the path "cost..monthly_usd" has an empty segment (a leading, trailing or doubled dot)
study.toml:7:1: unknown key "metrics" in [pareto] (known keys: x, y)`},
		{"no objective", "scenario = \"scen/base.toml\"\n[objective]\nsubject_to = []\n",
			"study.toml:2:1: objective: needs minimize or maximize (a results.json path)"},
		{"wrong types", `scenario = 3
replications = 0
parallel = 1.5
metrics = "cost.total_usd"
vary = 1
objective = "cost"
`, `study.toml:1:1: scenario: want a non-empty string, got integer 3
study.toml:2:1: replications: must be 1 to 10000, got 0
study.toml:3:1: parallel: want an integer, got float 1.5
study.toml:4:1: metrics: want an array of strings, got string "cost.total_usd"
study.toml:5:1: vary: want an array of tables ([[vary]]), got integer 1
study.toml:6:1: objective: want a table, got string "cost"`},
		{"bad metrics", "scenario = \"scen/base.toml\"\nmetrics = [\"a b\", 3]\n",
			"study.toml:2:12: metrics[0]: the path \"a b\" contains white space\n" +
				"study.toml:2:19: metrics[1]: want a string, got integer 3"},
		{"no scenario", "replications = 2\n", "study.toml:1:1: scenario: is required"},
		{"scenario missing", "\nscenario = \"nope.toml\"\n", "study.toml:2:1: scenario: nope.toml does not exist"},
		{"duplicate keys", `scenario = "scen/base.toml"
[[vary]]
key = "task_definitions.web.memory"
values = [2048]
[[vary]]
key = "task_definitions.web.memory"
values = [3072]
[[vary]]
key = "task_definitions.web:1.memory"
values = [4096]
`, `study.toml:6:1: vary[1].key: "task_definitions.web.memory" is already varied by vary[0]
study.toml:9:1: vary[2].key: "task_definitions.web:1.memory" sets the same scenario key as vary[0] (task_definitions[0].memory)`},
		// 100 × 100 values × 200 replications = 2,000,000 runs.
		{"grid too large", `scenario = "scen/base.toml"
replications = 200
[[vary]]
key = "services.web.autoscaling.target_tracking.0.target"
range = { from = 1, to = 100, step = 1 }
[[vary]]
key = "services.web.load.cpu.value"
range = { from = 0.01, to = 1, step = 0.01 }
`, "study.toml:3:1: vary: the grid has more than 1000000 runs (100 × 100 × 200 replications); at most 1000000"},
		// Line 7: "values = [0.5, " is 15 bytes.
		{"bad values", `scenario = "scen/base.toml"
[[vary]]
key = "services.web.desired_count"
values = []
[[vary]]
key = "services.web.load.cpu.value"
values = [0.5, nan]
[[vary]]
key = ""
values = [1]
[[vary]]
key = "services..desired_count"
values = [1]
`, `study.toml:4:1: vary[0].values: is empty: list at least one value
study.toml:7:16: vary[1].values[1]: want a finite number, got NaN
study.toml:9:1: vary[2].key: want a non-empty string, got string ""
study.toml:12:1: vary[3].key: the key "services..desired_count" has an empty segment (a leading, trailing or doubled dot)`},
		// "replications = " is 15 bytes: the second '=' is at column 16.
		{"TOML syntax", "scenario = \"scen/base.toml\"\nreplications = = 3\n",
			"study.toml:2:16: malformed TOML: expected value but found '=' instead"},
		// "[[vary]" is 7 bytes: the newline is at column 8.
		{"unclosed array table", "scenario = \"scen/base.toml\"\n[[vary]\n",
			`study.toml:2:8: malformed TOML: expected end of table array name delimiter ']', but got '\n' instead`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, msg := parseTestStudy(t, c.study)
			if msg != c.want {
				t.Errorf("got\n%s\nwant\n%s", msg, c.want)
			}
		})
	}
}

// TestStudyInvalidScenario: a scenario with problems gives the scenario's
// own errors, positioned in the scenario file (scenarios.Load semantics).
func TestStudyInvalidScenario(t *testing.T) {
	bad := strings.Replace(testBase, "desired_count = 2\n", "desired_count = 2\ndesired = 3\n", 1)
	_, msg := parseTestStudyWith(t, bad, "scenario = \"scen/base.toml\"\n")
	// testBase's web service has desired_count on line 33: desired is on 34.
	want := filepath.Join("scen", "base.toml") + `:34:1: unknown key "desired" in [[services]]`
	if msg != want {
		t.Errorf("got\n%s\nwant\n%s", msg, want)
	}
}

// TestMetricPaths: the paths kept per run are the two cost totals, then
// those the objective, subject_to and pareto name, then metrics, each once.
func TestMetricPaths(t *testing.T) {
	s := &Study{
		Objective: &Objective{Path: "cost.monthly_usd", SubjectTo: []Check{
			{Path: "services.web.unserved_demand_fraction", Op: Less, Value: 0.01},
			{Path: "cost.total_usd", Op: Less, Value: 5},
		}},
		Pareto:  &ParetoSpec{X: "cost.monthly_usd", Y: "services.web.cpu_utilization.p95"},
		Metrics: []string{"services.web.unserved_demand_fraction", "jobs.etl.dropped"},
	}
	want := []string{"cost.monthly_usd", "cost.total_usd", "services.web.unserved_demand_fraction",
		"services.web.cpu_utilization.p95", "jobs.etl.dropped"}
	if got := s.MetricPaths(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := (&Study{}).MetricPaths(); !reflect.DeepEqual(got, []string{"cost.monthly_usd", "cost.total_usd"}) {
		t.Errorf("no objective: got %v", got)
	}
}

// TestShippedStudiesLoad: every study under scenarios/studies loads.
func TestShippedStudiesLoad(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "scenarios", "studies", "*.toml"))
	n := 0
	for _, p := range paths {
		if strings.HasSuffix(p, "-base.toml") {
			continue // a scenario, not a study
		}
		n++
		if _, err := LoadStudy(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if n == 0 {
		t.Skip("no study files in ../scenarios/studies")
	}
}
