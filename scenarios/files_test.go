package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileContentsAreValidated: validate reads the files a scenario names
// with the simulation's own readers, so a malformed price file, a bad row
// in a load trace or a trace row too big for Fargate is an exit-2 error at
// validation (SCENARIO.md: every problem reported at once as
// FILE:LINE:COL), positioned in the trace file itself when the reader
// knows the line. Expected lines are derived from the inputs below: in
// load.csv "bad" starts at line 2, column 5; in s.toml catalog is on line
// 4 and the trace inline table's file key at line 18, column 11.
func TestFileContentsAreValidated(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("prices.json", "not json")
	write("load.csv", "0,100\n600,bad\n")
	write("jobs.csv", "submit,duration,cpu,memory\n30,60,100000,512\n40,60,256,512\n")
	write("s.toml", `name = "fv"
duration = "1h"
[pricing]
catalog = "prices.json"
[[task_definitions]]
family = "a"
cpu = 256
memory = 512
[[services]]
name = "a"
task_definition = "a"
desired_count = 1
  [services.load]
  cpu = { pattern = "trace", file = "load.csv" }
[[jobs]]
name = "j"
task_definition = "a"
trace = { file = "jobs.csv", format = "csv" }
launch_type = "FARGATE"
`)
	_, err := Load(filepath.Join(dir, "s.toml"))
	if err == nil {
		t.Fatal("want errors")
	}
	got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	want := []string{
		`load.csv:2:5: value "bad" is not a finite number (read for services[0].load.cpu.file)`,
		`s.toml:4:1: pricing.catalog: prices.json: offer file: invalid character 'o' in literal null (expecting 'u')`,
		`s.toml:18:11: jobs[0].trace.file: jobs.csv: row 1 (submit 30s) asks for cpu 100000, memory 512 MiB, more than Fargate's largest task (16384 CPU, 122880 MiB)`,
	}
	if got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}
