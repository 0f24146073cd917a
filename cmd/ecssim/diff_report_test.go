package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runTo runs the default example with the given seed into a new report
// folder and returns the folder.
func runTo(t *testing.T, scenario string, seed int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "seed"+strconv.Itoa(seed))
	code, _, errOut := ecssim(t, "run", "--quiet", "--seed", strconv.Itoa(seed), "--out", dir, scenario)
	if code != exitOK && code != exitAssertion {
		t.Fatalf("run --seed %d: exit %d; stderr:\n%s", seed, code, errOut)
	}
	return dir
}

// `ecssim diff` of two runs' outputs: exit 0, both runs identified, the
// three formats, and a run compared with itself has no differences.
func TestDiffTwoRuns(t *testing.T) {
	requireSim(t)
	path := exampleWith(t, "")
	a, b := runTo(t, path, 99), runTo(t, path, 7)
	ra, rb := filepath.Join(a, "results.json"), filepath.Join(b, "results.json")

	code, out, errOut := ecssim(t, "diff", ra, rb, "--format", "json")
	if code != exitOK || errOut != "" {
		t.Fatalf("diff --format json: exit %d, stderr %q", code, errOut)
	}
	var doc struct {
		Old, New struct {
			Scenario string
			Seed     uint64
		}
		RowsCompared int `json:"rows_compared"`
		RowsChanged  int `json:"rows_changed"`
		Rows         []struct {
			Path   string
			Status string
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("diff --format json printed invalid JSON: %v\n%s", err, out)
	}
	if doc.Old.Seed != 99 || doc.New.Seed != 7 || doc.Old.Scenario != "web-platform" {
		t.Errorf("runs identified as %+v and %+v", doc.Old, doc.New)
	}
	// Two seeds of a week of random traffic differ at least in cost.
	if doc.RowsCompared == 0 || doc.RowsChanged == 0 || len(doc.Rows) != doc.RowsChanged {
		t.Errorf("%d rows compared, %d changed, %d listed", doc.RowsCompared, doc.RowsChanged, len(doc.Rows))
	}

	code, out, _ = ecssim(t, "diff", ra, rb)
	if code != exitOK || !strings.HasPrefix(out, "ecssim diff\nold: web-platform, seed 99,") || !strings.Contains(out, "COST (USD)") {
		t.Errorf("diff (table): exit %d\n%s", code, out)
	}
	code, out, _ = ecssim(t, "diff", a, b, "--format", "markdown") // folders stand for their results.json
	if code != exitOK || !strings.HasPrefix(out, "## ecssim diff\n") || !strings.Contains(out, "| what | old | new | Δ | % |") {
		t.Errorf("diff --format markdown: exit %d\n%s", code, out)
	}
	code, out, _ = ecssim(t, "diff", ra, ra)
	if code != exitOK || !strings.Contains(out, "No differences in ") {
		t.Errorf("diff of a run with itself: exit %d\n%s", code, out)
	}
	code, all, _ := ecssim(t, "diff", ra, ra, "--all")
	if code != exitOK || !strings.Contains(all, "monthly_usd") {
		t.Errorf("diff --all of a run with itself lists no rows: exit %d\n%s", code, all)
	}
}

// `ecssim report` re-renders a report folder without simulating:
// results.json and timeseries.csv come out byte-identical to the run's.
func TestReportReRendersIdentically(t *testing.T) {
	requireSim(t)
	a := runTo(t, exampleWith(t, ""), 99)
	b := filepath.Join(t.TempDir(), "again")
	code, out, errOut := ecssim(t, "report", filepath.Join(a, "results.json"), "--out", b)
	if code != exitOK || out != "" {
		t.Fatalf("report: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	for _, name := range []string{"results.json", "timeseries.csv"} {
		want, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatalf("report wrote no %s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("re-rendered %s differs from the run's (%d bytes, want %d)", name, len(got), len(want))
		}
	}
}

// Unreadable inputs are invalid input (exit 2) and name the file; a JSON
// error is positioned FILE:LINE:COL (1-based line and byte column) with
// its 0-based byte offset, without the "ecssim: " prefix, like a scenario
// error. Nothing is written on stdout.
func TestDiffAndReportBadInputs(t *testing.T) {
	requireSim(t)
	good := filepath.Join(runTo(t, exampleWith(t, ""), 99), "results.json")
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// 'x' is on line 2 at byte column 11 (two spaces, "cost" in quotes,
	// the colon and a space are columns 1-10); line 1 is 21 bytes and a
	// newline, so its offset is 22 + 10 = 32.
	syntax := file("syntax.json", "{\"schema_version\": 1,\n  \"cost\": x\n}\n")
	// The input ends after 21 bytes: the error is at offset 21, column 22.
	truncated := file("truncated.json", `{"schema_version": 1,`)
	// A string where a number is wanted: the value "one" takes bytes
	// 19-23, and the error points at its end, offset 24, column 25.
	wrongType := file("type.json", `{"schema_version": "one"}`)
	empty := file("empty.json", "\n")
	notResults := file("other.json", `{"name": "x"}`)
	nullService := file("null.json", `{"schema_version": 1, "services": {"web": null}}`)
	missing := filepath.Join(dir, "absent.json")

	cases := []struct {
		name, bad, want string
		exact           bool // stderr is exactly want (else contains it)
	}{
		{"syntax error", syntax, syntax + ":2:11: invalid JSON: invalid character 'x' looking for beginning of value (byte offset 32)\n", true},
		{"truncated", truncated, truncated + ":1:22: invalid JSON: unexpected end of JSON input (byte offset 21)\n", true},
		{"wrong type", wrongType, wrongType + ":1:25: not a results.json: schema_version holds a JSON string, want int (byte offset 24)\n", true},
		{"empty", empty, "ecssim: " + empty + ": empty file", false},
		{"not a results.json", notResults, "ecssim: " + notResults + ": schema_version 0: not an ecssim results.json", false},
		{"null service", nullService, "ecssim: " + nullService + ": services.web is null", false},
		{"missing", missing, missing, false},
	}
	for _, c := range cases {
		for _, args := range [][]string{
			{"diff", c.bad, good},
			{"diff", good, c.bad, "--format", "json"},
			{"report", c.bad, "--out", filepath.Join(t.TempDir(), "out")},
		} {
			code, out, errOut := ecssim(t, args...)
			if code != exitInvalid || out != "" {
				t.Errorf("%s: %q: exit %d, stdout %q; want 2 and nothing", c.name, args, code, out)
			}
			if (c.exact && errOut != c.want) || (!c.exact && !strings.Contains(errOut, c.want)) {
				t.Errorf("%s: %q: stderr\n%q\nwant %q", c.name, args, errOut, c.want)
			}
		}
	}
}

// `ecssim report` needs the timeseries.csv beside results.json, readable,
// and an --out that is not the folder it reads.
func TestReportBadInputs(t *testing.T) {
	requireSim(t)
	src := runTo(t, exampleWith(t, ""), 99)
	results, err := os.ReadFile(filepath.Join(src, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	alone := t.TempDir() // results.json without timeseries.csv
	if err := os.WriteFile(filepath.Join(alone, "results.json"), results, 0o644); err != nil {
		t.Fatal(err)
	}
	badCSV := t.TempDir()
	if err := os.WriteFile(filepath.Join(badCSV, "results.json"), results, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(badCSV, "timeseries.csv"), []byte("period_start_seconds,a\n0,1\n60,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no --out", []string{"report", filepath.Join(src, "results.json")}, "--out DIR is required"},
		{"bad timeseries.csv", []string{"report", badCSV, "--out", out},
			filepath.Join(badCSV, "timeseries.csv") + `: line 3, field 2 (a): "x" is not a number`},
		{"over its input", []string{"report", filepath.Join(src, "results.json"), "--out", src}, "refusing to write"},
	}
	for _, c := range cases {
		code, stdout, errOut := ecssim(t, c.args...)
		if code != exitInvalid || stdout != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", c.name, code, stdout, errOut, c.want)
		}
	}
	// A lone results.json renders, with a warning and no time-series
	// figures.
	code, _, errOut := ecssim(t, "report", filepath.Join(alone, "results.json"), "--out", out)
	if code != exitOK || !strings.Contains(errOut, "warning: "+filepath.Join(alone, "timeseries.csv")+" not found") {
		t.Errorf("lone results.json: exit %d, stderr %q; want 0 and a warning", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); err != nil {
		t.Errorf("lone results.json: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(src, "results.json")); !bytes.Equal(got, results) {
		t.Error("the input results.json was rewritten")
	}
}
