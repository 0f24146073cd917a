package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

// ecssim runs the command line in-process and returns the exit code and
// both streams.
func ecssim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVersion(t *testing.T) {
	code, out, errOut := ecssim(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "ecssim ") || errOut != "" {
		t.Errorf("version: code %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// Exit code 2 is invalid usage: unknown flags and commands, wrong argument
// counts, bad flag values. Cobra's usage text is not dumped; one line says
// what is wrong and one where help is.
func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--bogus"},
		{"--bogus"},
		{"frobnicate"},
		{"validate"},
		{"validate", "a.toml", "b.toml"},
		{"run", "a.toml", "b.toml"},
		{"run", "--format", "xml"},
		{"run", "--seed", "minus-one"},
		{"examples", "no-such-example"},
		{"examples", "large", "--days", "0"},
		{"prices", "--region", "mars-north-1"},
		{"version", "extra"},
		{"diff", "a.json"},
		{"diff", "a.json", "b.json", "c.json"},
		{"diff", "a.json", "b.json", "--format", "xml"},
		{"report"},
		{"report", "results.json"}, // no --out
	} {
		code, out, errOut := ecssim(t, args...)
		if code != exitInvalid {
			t.Errorf("%q: exit %d, want %d (stderr %q)", args, code, exitInvalid, errOut)
		}
		if out != "" {
			t.Errorf("%q: wrote to stdout: %q", args, out)
		}
		if strings.Contains(errOut, "Usage:") || strings.Count(errOut, "\n") > 2 {
			t.Errorf("%q: stderr should be a short message, got %q", args, errOut)
		}
	}
}

func TestExamples(t *testing.T) {
	code, out, _ := ecssim(t, "examples")
	if code != exitOK {
		t.Fatalf("examples: exit %d", code)
	}
	exs := scenarios.Examples()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(exs) == 0 || len(lines) != len(exs) {
		t.Fatalf("examples printed %d lines for %d examples:\n%s", len(lines), len(exs), out)
	}
	sawDefault := false
	for i, ex := range exs {
		if !strings.HasPrefix(lines[i], ex.Name+" ") || !strings.Contains(lines[i], ex.Description) {
			t.Errorf("line %q does not show %q then its description", lines[i], ex.Name)
		}
		sawDefault = sawDefault || ex.Name == defaultExample
		// Every example prints as TOML that validates.
		code, src, errOut := ecssim(t, "examples", ex.Name)
		if code != exitOK || src == "" {
			t.Errorf("examples %s: exit %d, stderr %q", ex.Name, code, errOut)
			continue
		}
		path := writeFile(t, ex.Name+".toml", src)
		code, got, errOut := ecssim(t, "validate", path)
		if code != exitOK || got != "ok: "+ex.Name+"\n" {
			t.Errorf("validate %s: exit %d, stdout %q, stderr:\n%s", ex.Name, code, got, errOut)
		}
	}
	if !sawDefault {
		t.Errorf("no embedded example %q, which `ecssim run` runs without a file", defaultExample)
	}
}

func TestExamplesLargeValidates(t *testing.T) {
	code, src, errOut := ecssim(t, "examples", "large", "--instances", "20", "--services", "3",
		"--job-tasks", "50", "--days", "1", "--seed", "3")
	if code != exitOK {
		t.Fatalf("examples large: exit %d, stderr %q", code, errOut)
	}
	path := writeFile(t, "large.toml", src)
	if code, out, errOut := ecssim(t, "validate", path); code != exitOK {
		t.Errorf("validate of the generated large scenario: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
}

// brokenScenario has three mistakes, each reported with its position:
// an unknown key (line 3), a bad duration (line 2) and a dangling task
// definition reference (line 12).
const brokenScenario = `name = "broken"
duration = "7x"
CPU = 1

[[task_definitions]]
family = "web"
cpu = 256
memory = 512

[[services]]
name = "web"
task_definition = "nope"
desired_count = 1
`

var positionLine = regexp.MustCompile(`^(.+):(\d+):(\d+): \S`)

func TestValidateBrokenScenario(t *testing.T) {
	path := writeFile(t, "broken.toml", brokenScenario)
	for _, args := range [][]string{{"validate", path}, {"run", path}} {
		code, out, errOut := ecssim(t, args...)
		if code != exitInvalid {
			t.Errorf("%q: exit %d, want %d", args, code, exitInvalid)
		}
		if out != "" {
			t.Errorf("%q: stdout %q, want nothing", args, out)
		}
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		seen := map[string]bool{}
		for _, l := range lines {
			m := positionLine.FindStringSubmatch(l)
			if m == nil || m[1] != path {
				t.Errorf("%q: stderr line %q is not %s:LINE:COL: message", args, l, path)
				continue
			}
			seen[m[2]] = true
		}
		for _, line := range []string{"2", "3", "12"} {
			if !seen[line] {
				t.Errorf("%q: no error reported at line %s; stderr:\n%s", args, line, errOut)
			}
		}
		if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: stack trace or usage dump on stderr:\n%s", args, errOut)
		}
	}
}

func TestValidateMissingFile(t *testing.T) {
	code, _, errOut := ecssim(t, "validate", filepath.Join(t.TempDir(), "absent.toml"))
	if code != exitInvalid || !strings.Contains(errOut, "absent.toml") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}

// A malformed check is an invalid scenario, found before any simulation.
func TestValidateBadAssertion(t *testing.T) {
	src, ok := scenarios.ExampleSource(defaultExample)
	if !ok {
		t.Fatalf("no example %s", defaultExample)
	}
	path := writeFile(t, "s.toml", string(src)+"\n[[assertions]]\ncheck = \"cost.monthly_usd\"\n")
	code, _, errOut := ecssim(t, "validate", path)
	if code != exitInvalid || !strings.Contains(errOut, "cost.monthly_usd") {
		t.Errorf("check without operator: exit %d, stderr %q", code, errOut)
	}
}

func TestPrices(t *testing.T) {
	code, out, errOut := ecssim(t, "prices", "--region", "us-east-1")
	if code != exitOK {
		t.Fatalf("prices: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"FARGATE", "FARGATE_SPOT", "m6i.xlarge", "us-east-1"} {
		if !strings.Contains(out, want) {
			t.Errorf("prices output lacks %q:\n%s", want, out)
		}
	}
}

// exampleWith writes the default example with its own [[assertions]]
// removed and the given extra TOML (assertions) appended.
func exampleWith(t *testing.T, extra string) string {
	t.Helper()
	src, ok := scenarios.ExampleSource(defaultExample)
	if !ok {
		t.Fatalf("no example %s", defaultExample)
	}
	own := regexp.MustCompile(`(?m)^\[\[assertions\]\][^\n]*\ncheck\s*=[^\n]*\n?`)
	s := own.ReplaceAllString(string(src), "")
	return writeFile(t, "example.toml", s+"\n"+extra)
}

var (
	simOnce sync.Once
	simErr  error
)

// requireSim skips the test while sim.Run is a stub, so the run tests turn
// on by themselves once the simulator exists.
func requireSim(t *testing.T) {
	t.Helper()
	simOnce.Do(func() {
		path := exampleWith(t, "")
		sc, err := scenarios.Load(path)
		if err != nil {
			simErr = err
			return
		}
		_, simErr = sim.Run(sc, sim.Options{})
	})
	if simErr != nil && strings.Contains(simErr.Error(), "not implemented") {
		t.Skip("sim.Run not implemented")
	}
}

func TestRunFailingAssertionExits3(t *testing.T) {
	requireSim(t)
	path := exampleWith(t, "[[assertions]]\ncheck = \"cost.total_usd < 0\"\n[[assertions]]\ncheck = \"cost.total_usd >= 0\"\n")
	code, out, errOut := ecssim(t, "run", "--quiet", path)
	if code != exitAssertion {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitAssertion, errOut)
	}
	if out != "" {
		t.Errorf("--quiet wrote %q", out)
	}
	if !strings.Contains(errOut, "cost.total_usd < 0") || strings.Contains(errOut, "cost.total_usd >= 0") {
		t.Errorf("stderr should name the failed check only:\n%s", errOut)
	}
}

func TestRunWritesReportFolder(t *testing.T) {
	requireSim(t)
	path := exampleWith(t, "[[assertions]]\ncheck = \"cost.total_usd >= 0\"\n")
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errOut := ecssim(t, "run", "--format", "json", "--seed", "99", "--out", dir, path)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	var printed, written map[string]any
	if err := json.Unmarshal([]byte(out), &printed); err != nil {
		t.Fatalf("--format json printed invalid JSON: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &written); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	if written["schema_version"] != 1.0 {
		t.Errorf("schema_version = %v", written["schema_version"])
	}
	if seed := written["scenario"].(map[string]any)["seed"]; seed != 99.0 {
		t.Errorf("scenario.seed = %v, want 99 from --seed", seed)
	}
	ri := written["run_info"].(map[string]any)
	if ri["generated_at"] == "" || ri["ecssim_version"] == "" {
		t.Errorf("run_info not filled: %v", ri)
	}
	as := written["assertions"].([]any)
	if len(as) != 1 || as[0].(map[string]any)["passed"] != true {
		t.Errorf("assertions = %v", as)
	}
	if _, err := os.Stat(filepath.Join(dir, "timeseries.csv")); err != nil {
		t.Error(err)
	}
}

// Without a file, run simulates the embedded example. Stderr is not a
// terminal here, so there is no progress bar; with --quiet there are no
// progress lines either, and nothing on stderr but warnings.
func TestRunDefaultExampleQuietIsSilent(t *testing.T) {
	requireSim(t)
	if testing.Short() {
		t.Skip("runs the full default example")
	}
	code, out, errOut := ecssim(t, "run", "--quiet")
	if code != exitOK && code != exitAssertion {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if out != "" {
		t.Errorf("--quiet wrote to stdout")
	}
	// Warnings (what the run could not model) are the only stderr output
	// allowed: no progress off a terminal with --quiet.
	for _, line := range strings.Split(strings.TrimSuffix(errOut, "\n"), "\n") {
		if line != "" && !strings.HasPrefix(line, "ecssim: warning: ") {
			t.Errorf("stderr is not silent off a terminal with --quiet: %q", line)
		}
	}
}

// progressLine is the shape of a plain progress line: the scenario, the
// share simulated, the simulated time done and the horizon, the wall time
// elapsed, and the ETA on every line but the last.
var progressLine = regexp.MustCompile(`^ecssim: web-platform: (\d{1,3})% simulated \w+ of 7d, (\d+\.\d s|\w+) elapsed(, ETA (\d+\.\d s|\w+))?$`)

// Off a terminal and without --quiet, run writes plain progress lines on
// stderr: the default example runs in well under 5 s, so only the last
// line ("100% simulated 7d of 7d, ...") is certain; every progress line
// has the shape, and the report is on stdout as usual.
func TestRunProgressLinesOffTerminal(t *testing.T) {
	requireSim(t)
	if testing.Short() {
		t.Skip("runs the full default example")
	}
	code, out, errOut := ecssim(t, "run")
	if code != exitOK && code != exitAssertion {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "web-platform") {
		t.Errorf("no report on stdout:\n%s", out)
	}
	var progress []string
	for _, line := range strings.Split(strings.TrimSuffix(errOut, "\n"), "\n") {
		if strings.HasPrefix(line, "ecssim: web-platform: ") {
			progress = append(progress, line)
			if !progressLine.MatchString(line) {
				t.Errorf("progress line of the wrong shape: %q", line)
			}
		}
	}
	if len(progress) == 0 {
		t.Fatalf("no progress lines on stderr:\n%s", errOut)
	}
	last := progress[len(progress)-1]
	if !strings.HasPrefix(last, "ecssim: web-platform: 100% simulated 7d of 7d, ") || strings.Contains(last, "ETA") {
		t.Errorf("last progress line %q, want the 100%% line without ETA", last)
	}
	for _, l := range progress[:len(progress)-1] {
		if !strings.Contains(l, ", ETA ") {
			t.Errorf("progress line without ETA: %q", l)
		}
	}
}

// Outputs are never written over an input: a scenario file that --out would
// replace is refused before anything runs (ARCHITECTURE.md rule 7).
func TestRunRefusesToOverwriteItsInput(t *testing.T) {
	src, _ := scenarios.ExampleSource(defaultExample)
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := ecssim(t, "run", "--quiet", "--out", dir, path)
	if code != exitInvalid || !strings.Contains(errOut, "refusing") {
		t.Errorf("exit %d, stderr %q; want 2 and a refusal", code, errOut)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, src) {
		t.Error("the input scenario was overwritten")
	}
}
