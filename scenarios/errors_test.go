package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// TestErrorPositions checks the exact "file:line:col: message" of broken
// scenarios. Lines and columns were counted by hand in each input (Col is
// the byte column of the offending key, or of the table header or key
// holding it when the key is absent).
func TestErrorPositions(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "unknown key, nothing case-folded",
			src: `name = "t"
duration = "1d"
[[task_definitions]]
family = "web"
CPU = 256
memory = 512
`,
			want: []string{
				`t.toml:3:1: task_definitions[0].cpu: is required`,
				`t.toml:5:1: unknown key "CPU" in [[task_definitions]] (did you mean "cpu"?)`,
			},
		},
		{
			name: "wrong types",
			src: `name = "t"
duration = "1d"
seed = "42"
[[task_definitions]]
family = "web"
cpu = 256
memory = "512"
`,
			want: []string{
				`t.toml:3:1: seed: want a non-negative integer, got string "42"`,
				`t.toml:7:1: task_definitions[0].memory: want an integer, got string "512"`,
			},
		},
		{
			name: "bad duration",
			src: `name = "t"
duration = "7 days"
warmup = "1h"
`,
			want: []string{`t.toml:2:1: duration: invalid duration "7 days": unknown unit " days" (want ms, s, m, h or d)`},
		},
		{
			name: "invalid Fargate size names the valid memory values",
			src: `name = "t"
duration = "1d"
[[task_definitions]]
family = "web"
cpu = 512
memory = 5000
[[services]]
name = "web"
task_definition = "web"
desired_count = 1
`,
			want: []string{`t.toml:6:1: task_definitions[0].memory: cpu 512 on Fargate needs memory 1024, 2048, 3072 or 4096 MiB, got 5000 (service "web" runs on Fargate)`},
		},
		{
			name: "dangling references",
			src: `name = "t"
duration = "1d"
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
[[services]]
name = "web"
task_definition = "web:3"
capacity_provider_strategy = [ { capacity_provider = "gpu" } ]
[[events]]
at = "1h"
type = "scale"
service = "api"
desired_count = 2
`,
			want: []string{
				`t.toml:9:1: services[0].task_definition: no task definition "web:3" (defined: web:1)`,
				`t.toml:10:34: services[0].capacity_provider_strategy[0].capacity_provider: no capacity provider "gpu" (known: FARGATE, FARGATE_SPOT)`,
				`t.toml:14:1: events[0].service: no service "api"`,
			},
		},
		{
			name: "duplicate names",
			src: `name = "t"
duration = "1d"
[[capacity_providers]]
name = "g"
instance_types = ["m6i.large"]
max_size = 2
[[capacity_providers]]
name = "g"
instance_types = ["m6i.large"]
max_size = 2
`,
			want: []string{`t.toml:8:1: capacity_providers[1].name: duplicate capacity provider "g" (also capacity_providers[0])`},
		},
		{
			name: "malformed TOML",
			src: `name = "t"
duration = "1d"
[cluster
`,
			want: []string{`t.toml:3:9: malformed TOML: expected '.' or ']' to end table name, but got '\n' instead`},
		},
		{
			// "[[services]" is 11 bytes: the newline the message names
			// is column 12.
			name: "malformed TOML, unclosed array of tables",
			src: `name = "t"
duration = "1d"
[[services]
`,
			want: []string{`t.toml:3:12: malformed TOML: expected end of table array name delimiter ']', but got '\n' instead`},
		},
		{
			name: "enum and host ports",
			src: `name = "t"
duration = "1d"
[[task_definitions]]
family = "api"
cpu = 256
memory = 512
network_mode = "nat"
host_ports = [80]
`,
			want: []string{
				`t.toml:7:1: task_definitions[0].network_mode: "nat" is not one of awsvpc, bridge or host`,
				`t.toml:8:1: task_definitions[0].host_ports: need network_mode bridge or host, not nat`,
			},
		},
		{
			name: "several errors in one file, inside inline tables too",
			src: `name = "t"
duration = "1d"
warmup = "2d"
[cluster]
default_capacity_provider_strategy = [
  { capacity_provider = "FARGATE", weight = 0 },
  { capacity_provider = "FARGATE_SPOT", weight = 0, bsae = 1 },
]
[[services]]
name = "web.1"
task_definition = "web"
desired_count = 1
  [services.load]
  cpu_per_request = "4ms"
  cpu = { pattern = "constant", value = 1 }
`,
			want: []string{
				`t.toml:3:1: warmup: must be shorter than duration (1d), got 2d`,
				`t.toml:5:1: cluster.default_capacity_provider_strategy: needs at least one capacity provider with a weight above 0`,
				`t.toml:7:53: unknown key "bsae" in [[cluster.default_capacity_provider_strategy]] (did you mean "base"?)`,
				`t.toml:10:1: services[0].name: "web.1" is not a valid name: use 1-255 letters, digits, '-' and '_'`,
				`t.toml:11:1: services[0].task_definition: no task definition "web": the scenario defines none`,
				`t.toml:14:3: services[0].load.cpu_per_request: does not apply without requests_per_second`,
			},
		},
		{
			name: "strategy rules and task fit",
			src: `name = "t"
duration = "1d"
[[capacity_providers]]
name = "small"
instance_types = ["m6i.large"]
max_size = 2
[[task_definitions]]
family = "big"
cpu = 4096
memory = 8192
network_mode = "bridge"
[[jobs]]
name = "j"
task_definition = "big"
schedule = "rate(1 hour)"
duration = "5m"
capacity_provider_strategy = [ { capacity_provider = "small", base = 1 }, { capacity_provider = "FARGATE", base = 1 } ]
`,
			want: []string{
				`t.toml:11:1: task_definitions[0].network_mode: big:1 runs on Fargate (job "j"), which needs awsvpc, not bridge`,
				`t.toml:14:1: jobs[0].task_definition: big:1 (cpu 4096, memory 8192 MiB) does not fit instance type m6i.large of capacity provider "small" (registers cpu 2048, memory 8192 MiB)`,
				`t.toml:17:1: jobs[0].capacity_provider_strategy: cannot mix FARGATE with the Auto Scaling group provider "small"`,
				`t.toml:17:108: jobs[0].capacity_provider_strategy[1].base: only one capacity provider in a strategy can have a base`,
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.toml", []byte(c.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("want an ErrorList, got %v", err)
			}
			if got, want := err.Error(), strings.Join(c.want, "\n"); got != want {
				t.Errorf("errors:\n got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "a.toml", Line: 3, Col: 7, Msg: "boom"}
	if e.Error() != "a.toml:3:7: boom" {
		t.Errorf("got %q", e.Error())
	}
	l := ErrorList{{File: "f", Line: 9, Col: 1, Msg: "b"}, {File: "f", Line: 2, Col: 5, Msg: "a"}, {File: "f", Line: 2, Col: 1, Msg: "c"}}
	l.sort()
	if got, want := l.Error(), "f:2:1: c\nf:2:5: a\nf:9:1: b"; got != want {
		t.Errorf("sorted list:\n%s\nwant:\n%s", got, want)
	}
}

func TestSuggest(t *testing.T) {
	fields := fieldsOf(typeOf[TaskDefinition]())
	for _, c := range []struct{ in, want string }{
		{"CPU", "cpu"}, {"memroy", "memory"}, {"familly", "family"}, {"zzzzzz", ""}, {"gpu", ""},
	} {
		if got := suggest(c.in, fields); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
