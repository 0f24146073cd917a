package scenarios

import "testing"

// TestPositionIndex: key paths map to the line:col of their key (counted
// by hand below), through [[array]] headers with per-parent counters,
// dotted keys, inline tables, arrays of inline tables and multi-line
// strings.
func TestPositionIndex(t *testing.T) {
	src := `# comment [not] = a header
top = 1
[[services]]
name = "a"
[[services]]
name = "b"  # [x]
  [services.load]
  cpu = { pattern = "constant", value = 2 }
  [[services.autoscaling.target_tracking]]
  target = 1
  [[services.autoscaling.target_tracking]]
  target = 2
[[services]]
x.y.z = """
not = a key
[neither]"""
after = [ 1, [2, 3], { k = 'v' } ]
strategy = [
  { capacity_provider = "A", weight = 1 },
  { capacity_provider = "B" },
]
"quoted key" = 3
`
	ix := buildIndex([]byte(src))
	for _, c := range []struct {
		path      string
		line, col int
	}{
		{"top", 2, 1},
		{"services", 3, 1},
		{"services[0]", 3, 1},
		{"services[0].name", 4, 1},
		{"services[1]", 5, 1},
		{"services[1].name", 6, 1},
		{"services[1].load", 7, 3},
		{"services[1].load.cpu", 8, 3},
		{"services[1].load.cpu.pattern", 8, 11},
		{"services[1].load.cpu.value", 8, 33},
		{"services[1].autoscaling.target_tracking[0]", 9, 3},
		{"services[1].autoscaling.target_tracking[0].target", 10, 3},
		{"services[1].autoscaling.target_tracking[1].target", 12, 3},
		{"services[2]", 13, 1},
		{"services[2].x.y.z", 14, 5},
		{"services[2].after", 17, 1},
		{"services[2].after[1]", 17, 14},
		{"services[2].after[1][1]", 17, 18},
		{"services[2].after[2].k", 17, 24},
		{"services[2].strategy[1]", 20, 3},
		{"services[2].strategy[0].weight", 19, 30},
		{"services[2].strategy[1].capacity_provider", 20, 5},
		{"services[2].quoted key", 22, 1},
		// absent keys fall back to the closest ancestor
		{"services[2].strategy[1].weight", 20, 3},
		{"services[1].deployment.strategy", 5, 1},
		{"nothing", 1, 1},
	} {
		if got := ix.lookup(c.path); got != (pos{c.line, c.col}) {
			t.Errorf("%s at %d:%d, want %d:%d", c.path, got.line, got.col, c.line, c.col)
		}
	}
	if ix.has("neither") || ix.has("services[2].not") {
		t.Error("keys inside a multi-line string were indexed")
	}
}
