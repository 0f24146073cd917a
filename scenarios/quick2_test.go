package scenarios

import "testing"

func TestQuickBroken(t *testing.T) {
	src := `name = "x"
duration = "7dd"
CPU = 1
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "FARGATE", wieght = 1 }, {capacity_provider="nope"} ]
[[task_definitions]]
family = "web"
cpu = 512
memory = 5000
[[task_definitions]]
family = "web"
cpu = "1024"
memory = 2048
[[services]]
name = "web"
task_definition = "web:3"
desired_count = 2
[[services]]
name = "web"
task_definition = "web"
desired_count = 2
  [services.load]
  cpu = { pattern = "constant", value = 1, peak = "10:00" }
  [services.deployment]
  strategy = "FOO"
[[capacity_providers]]
name = "g"
instance_types = ["m6i.large", "m9.huge"]
max_size = 1
desired_capacity = 3
managed_termination_protection = true
`
	_, err := Parse("t.toml", []byte(src))
	t.Logf("\n%v", err)
	_, err = Parse("t.toml", []byte("name = \"x\"\nduration = 3\n[a\n"))
	t.Logf("\n%v", err)
}
