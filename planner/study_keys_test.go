package planner

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/ecssim/ecssim/scenarios"
)

// oneKeyStudy is a study varying key over the TOML values list (line 3
// holds the key, line 4 the values).
func oneKeyStudy(key, values string) string {
	return "scenario = \"scen/base.toml\"\n[[vary]]\nkey = \"" + key + "\"\nvalues = " + values + "\n"
}

// TestKeyAddressing: "A key is a dotted path into the scenario; in an
// array of tables an element is named by its `name` (or
// `family:revision`) or by its 0-based index" (SCENARIO.md "A study file
// for ecssim sweep"). A task definition without `revision` is revision 1
// (ECS numbers a family's first registration 1), and a family alone names
// its only revision. The last key may be absent from the file (a default),
// and an integer sets a float field as in the scenario itself. Each case
// checks the resolved element and the value in the parsed variant.
func TestKeyAddressing(t *testing.T) {
	cases := []struct {
		name, key, lit string
		val            any
		canon          string
		get            func(*scenarios.Scenario) any
	}{
		{"service by name", "services.web.desired_count", "5", int64(5), "services[0].desired_count",
			func(s *scenarios.Scenario) any { return int64(s.Services[0].DesiredCount) }},
		{"service by index", "services.1.desired_count", "3", int64(3), "services[1].desired_count",
			func(s *scenarios.Scenario) any { return int64(s.Services[1].DesiredCount) }},
		{"family:revision", "task_definitions.worker:1.memory", "1024", int64(1024), "task_definitions[1].memory",
			func(s *scenarios.Scenario) any { return int64(s.TaskDefinitions[1].Memory) }},
		{"family with one revision", "task_definitions.web.memory", "2048", int64(2048), "task_definitions[0].memory",
			func(s *scenarios.Scenario) any { return int64(s.TaskDefinitions[0].Memory) }},
		{"revision omitted is 1", "task_definitions.web:1.memory", "3072", int64(3072), "task_definitions[0].memory",
			func(s *scenarios.Scenario) any { return int64(s.TaskDefinitions[0].Memory) }},
		{"inline array by index, last key absent", "cluster.default_capacity_provider_strategy.1.weight", "3", int64(3),
			"cluster.default_capacity_provider_strategy[1].weight",
			func(s *scenarios.Scenario) any { return int64(s.Cluster.DefaultCapacityProviderStrategy[1].W()) }},
		{"array of values by index", "cluster.availability_zones.1", `"us-east-1c"`, "us-east-1c", "cluster.availability_zones[1]",
			func(s *scenarios.Scenario) any { return s.Cluster.AvailabilityZones[1] }},
		{"integer for a float field", "services.web.autoscaling.target_tracking.0.target", "40", int64(40),
			"services[0].autoscaling.target_tracking[0].target",
			func(s *scenarios.Scenario) any { return s.Services[0].Autoscaling.TargetTracking[0].Target }},
		{"float in an inline table", "services.web.load.cpu.value", "0.75", 0.75, "services[0].load.cpu.value",
			func(s *scenarios.Scenario) any { return s.Services[0].Load.CPU.Value }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, msg := parseTestStudy(t, oneKeyStudy(c.key, "["+c.lit+"]"))
			if msg != "" {
				t.Fatal(msg)
			}
			if !reflect.DeepEqual(s.Vary[0].Values, []any{c.val}) {
				t.Errorf("values %#v, want [%#v]", s.Vary[0].Values, c.val)
			}
			rk, err := resolveKey(s.raw, c.key, "base.toml")
			if err != nil || rk.canon != c.canon {
				t.Errorf("resolved %q (%v), want %q", rk.canon, err, c.canon)
			}
			sc, err := s.Variant(s.Expand()[0])
			if err != nil {
				t.Fatal(err)
			}
			want := c.val
			if c.name == "integer for a float field" {
				want = 40.0 // the scenario reads target = 40 as 40.0
			}
			if got := c.get(sc); got != want {
				t.Errorf("variant has %#v, want %#v", got, want)
			}
		})
	}
}

// TestKeyErrors: a key's tables and elements must exist in the scenario
// file, except its last segment, and each value must be one the scenario
// accepts there (SCENARIO.md: every problem reported at once as
// FILE:LINE:COL). Key problems are at the entry's key (line 3, column 1);
// value problems at the value (line 4; "values = [" is 10 bytes, so the
// first value is at column 11) with the scenario's own message.
func TestKeyErrors(t *testing.T) {
	const pct = "services.web.autoscaling.target_tracking.0.target"
	const weight = "cluster.default_capacity_provider_strategy.1.weight"
	cases := []struct{ name, key, values, want string }{
		{"middle missing", "services.web.autoscaling.policy.target", "[50]",
			`study.toml:3:1: vary[0].key: "services.web.autoscaling.policy" does not exist in scen/base.toml (services.web.autoscaling has keys: max_capacity, min_capacity, target_tracking)`},
		{"top-level key missing", "fargate.discount", "[1]",
			`study.toml:3:1: vary[0].key: "fargate" does not exist in scen/base.toml (the top level has keys: cluster, duration, name, region, seed, services, task_definitions)`},
		{"no such name", "services.api.desired_count", "[2]",
			`study.toml:3:1: vary[0].key: "services.api" does not exist in scen/base.toml (services has elements web, worker, or 0-based indices 0 to 1)`},
		{"index out of range", "services.web.autoscaling.target_tracking.1.target", "[50]",
			`study.toml:3:1: vary[0].key: "services.web.autoscaling.target_tracking.1" does not exist in scen/base.toml (services.web.autoscaling.target_tracking has 1 element, index 0)`},
		{"inline index out of range", "cluster.default_capacity_provider_strategy.2.weight", "[1]",
			`study.toml:3:1: vary[0].key: "cluster.default_capacity_provider_strategy.2" does not exist in scen/base.toml (cluster.default_capacity_provider_strategy has 2 elements, indices 0 to 1)`},
		{"family of two revisions", "task_definitions.worker.cpu", "[512]",
			`study.toml:3:1: vary[0].key: "task_definitions.worker" does not exist in scen/base.toml (task_definitions has revisions 1, 2 of worker: name one as worker:REVISION)`},
		{"through a value", "services.web.name.x", "[1]",
			`study.toml:3:1: vary[0].key: "services.web.name.x" does not exist in scen/base.toml (services.web.name is string "web", which has no keys)`},
		{"seed", "seed", "[1]",
			`study.toml:3:1: vary[0].key: the seed cannot be varied: replications set it (the scenario's seed + 0, 1, ...)`},
		{"misspelt last key", "services.web.autoscaling.target_tracking.0.targt", "[50]",
			`study.toml:4:11: vary[0].values[0]: 50 for services.web.autoscaling.target_tracking.0.targt: unknown key "targt" in [[services.autoscaling.target_tracking]] (did you mean "target"?)`},
		// "values = [40, " is 14 bytes: 150 is at column 15.
		{"invalid value", pct, "[40, 150]",
			`study.toml:4:15: vary[0].values[1]: 150 for ` + pct + `: services[0].autoscaling.target_tracking[0].target: is a percentage: at most 100, got 150`},
		{"float for an integer field", weight, "[2.5]",
			`study.toml:4:11: vary[0].values[0]: 2.5 for ` + weight + `: cluster.default_capacity_provider_strategy[1].weight: want an integer, got float 2.5`},
		{"a whole array", "cluster.availability_zones", `["us-east-1a"]`,
			`study.toml:4:11: vary[0].values[0]: "us-east-1a" for cluster.availability_zones: cluster.availability_zones: want an array, got string "us-east-1a" (the key holds an array: a vary value is a scalar, so vary one element, e.g. KEY.0)`},
		{"an array value", pct, "[[40, 60]]",
			`study.toml:4:11: vary[0].values[0]: a value is a scalar (integer, float, string or boolean), got array: arrays and tables cannot be varied; vary one element or key, e.g. KEY.0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, msg := parseTestStudy(t, oneKeyStudy(c.key, c.values))
			if msg != c.want {
				t.Errorf("got\n%s\nwant\n%s", msg, c.want)
			}
		})
	}
}

// TestKeyErrorsInRange: a range has no position per value, so a rejected
// range value is reported at the range with the value in the message.
func TestKeyErrorsInRange(t *testing.T) {
	_, msg := parseTestStudy(t, "scenario = \"scen/base.toml\"\n[[vary]]\nkey = \"services.web.autoscaling.target_tracking.0.target\"\nrange = { from = 90, to = 110, step = 10 }\n")
	want := "study.toml:4:1: vary[0].range: value 110 for services.web.autoscaling.target_tracking.0.target: " +
		"services[0].autoscaling.target_tracking[0].target: is a percentage: at most 100, got 110"
	if msg != want {
		t.Errorf("got\n%s\nwant\n%s", msg, want)
	}
}

// TestVariantLeavesRawUnchanged: a variant sets values on copies of the
// nodes along each key's path, so the study's document stays the file as
// written and one run's values never leak into the next.
func TestVariantLeavesRawUnchanged(t *testing.T) {
	s, msg := parseTestStudy(t, `scenario = "scen/base.toml"
[[vary]]
key = "services.web.autoscaling.target_tracking.0.target"
values = [40]
[[vary]]
key = "cluster.default_capacity_provider_strategy.1.weight"
values = [3]
`)
	if msg != "" {
		t.Fatal(msg)
	}
	var fresh map[string]any
	if _, err := toml.Decode(string(s.scenarioSrc), &fresh); err != nil {
		t.Fatal(err)
	}
	first, err := s.Variant(s.Expand()[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := first.Services[0].Autoscaling.TargetTracking[0].Target; got != 40 {
		t.Fatalf("first variant target %v, want 40", got)
	}
	// The second run sets nothing: it must be the base (target 50, the
	// second strategy item's weight absent, so 1) with seed 7.
	second, err := s.Variant(RunSpec{ID: "none", Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got := second.Services[0].Autoscaling.TargetTracking[0].Target; got != 50 {
		t.Errorf("second variant target %v, want the base's 50", got)
	}
	if w := second.Cluster.DefaultCapacityProviderStrategy[1].W(); w != 1 {
		t.Errorf("second variant weight %d, want the default 1", w)
	}
	if !reflect.DeepEqual(s.raw, fresh) {
		t.Error("Variant modified the study's scenario document")
	}
}

// TestVariantCombinationInvalid: each value is checked alone; a
// combination the scenario rejects is Variant's error, naming the run,
// its values and the scenario's message.
func TestVariantCombinationInvalid(t *testing.T) {
	s, msg := parseTestStudy(t, `scenario = "scen/base.toml"
[[vary]]
key = "services.web.autoscaling.max_capacity"
values = [3]
[[vary]]
key = "services.web.desired_count"
values = [5]
`)
	if msg != "" {
		t.Fatal(msg)
	}
	r := s.Expand()[0]
	_, err := s.Variant(r)
	if err == nil {
		t.Fatal("want an error: desired_count 5 is above max_capacity 3")
	}
	if !strings.HasPrefix(err.Error(), "run "+r.ID+" (services.web.autoscaling.max_capacity=3, services.web.desired_count=5): ") ||
		!strings.Contains(err.Error(), "services[0].desired_count") {
		t.Errorf("error %q", err)
	}
}

// TestVariantRoundTrip: a variant is the scenario document encoded again
// as TOML; with no values set it must be the scenario itself, for every
// example scenario (datetimes, durations, inline tables, arrays of
// tables, files named relative to the scenario).
func TestVariantRoundTrip(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "scenarios", "examples", "*.toml"))
	if err != nil || len(paths) == 0 {
		t.Skip("no example scenarios in ../scenarios/examples")
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			abs, err := filepath.Abs(p)
			if err != nil {
				t.Fatal(err)
			}
			s, err := ParseStudy(filepath.Join(t.TempDir(), "study.toml"), []byte("scenario = "+strconv.Quote(abs)+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			runs := s.Expand()
			if len(runs) != 1 {
				t.Fatalf("%d runs, want 1", len(runs))
			}
			sc, err := s.Variant(runs[0])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sc, s.Base) {
				t.Errorf("the variant without values differs from the scenario")
			}
		})
	}
}

// TestVariantConcurrent: runs are built in parallel by the sweep's
// workers; Variant only reads the study (run with -race).
func TestVariantConcurrent(t *testing.T) {
	s, msg := parseTestStudy(t, oneKeyStudy("services.web.desired_count", "[2, 3, 4, 5]"))
	if msg != "" {
		t.Fatal(msg)
	}
	runs := s.Expand()
	errs := make(chan error, len(runs))
	for _, r := range runs {
		go func() {
			sc, err := s.Variant(r)
			if err == nil && int64(sc.Services[0].DesiredCount) != r.Values[0].Value.(int64) {
				err = fmt.Errorf("run %s: desired_count %d", r.ID, sc.Services[0].DesiredCount)
			}
			errs <- err
		}()
	}
	for range runs {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
