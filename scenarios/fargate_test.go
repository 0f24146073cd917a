package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

// fargateTable is ECS-SEMANTICS.md §8 [AWS_Fargate, "Supported task CPU
// and memory values"], written out value by value.
var fargateTable = map[int][]int{
	256:  {512, 1024, 2048},
	512:  {1024, 2048, 3072, 4096},
	1024: {2048, 3072, 4096, 5120, 6144, 7168, 8192},
	2048: {4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384},
	4096: {8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384, 17408, 18432, 19456, 20480,
		21504, 22528, 23552, 24576, 25600, 26624, 27648, 28672, 29696, 30720},
	8192:  {16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440},
	16384: {32768, 40960, 49152, 57344, 65536, 73728, 81920, 90112, 98304, 106496, 114688, 122880},
}

func fargateScenario(cpu, mem int) []byte {
	return fmt.Appendf(nil, `name = "f"
duration = "1d"
[[task_definitions]]
family = "t"
cpu = %d
memory = %d
[[services]]
name = "s"
task_definition = "t"
desired_count = 1
`, cpu, mem)
}

// TestFargateSizesExhaustive: every valid Fargate combination is accepted;
// its neighbours (memory ± 1 MiB, ± 512 MiB, one step outside the range)
// are rejected with the message naming the valid memory values.
func TestFargateSizesExhaustive(t *testing.T) {
	total := 0
	for cpu, mems := range fargateTable {
		if got := FargateMemories(cpu); fmt.Sprint(got) != fmt.Sprint(mems) {
			t.Errorf("FargateMemories(%d) = %v, want %v", cpu, got, mems)
		}
		valid := map[int]bool{}
		for _, m := range mems {
			valid[m] = true
		}
		list := make([]string, len(mems))
		for i, m := range mems {
			list[i] = fmt.Sprint(m)
		}
		names := strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
		for _, m := range mems {
			total++
			if _, err := Parse("f.toml", fargateScenario(cpu, m)); err != nil {
				t.Errorf("cpu %d memory %d rejected: %v", cpu, m, err)
			}
			for _, n := range []int{m - 1, m + 1, m - 512, m + 512, mems[0] - 1024, mems[len(mems)-1] + 1024} {
				if valid[n] || n <= 0 {
					continue
				}
				_, err := Parse("f.toml", fargateScenario(cpu, n))
				want := fmt.Sprintf("f.toml:6:1: task_definitions[0].memory: cpu %d on Fargate needs memory %s MiB, got %d (service \"s\" runs on Fargate)", cpu, names, n)
				if err == nil || err.Error() != want {
					t.Errorf("cpu %d memory %d: got %v\nwant %s", cpu, n, err, want)
				}
			}
		}
	}
	if total != 3+4+7+13+23+12+12 {
		t.Errorf("checked %d combinations, want 74", total)
	}
}

func TestFargateCPUNotASize(t *testing.T) {
	for _, cpu := range []int{128, 384, 768, 3072, 6144, 12288, 32768} {
		_, err := Parse("f.toml", fargateScenario(cpu, 8192))
		want := fmt.Sprintf("f.toml:5:1: task_definitions[0].cpu: cpu %d is not a Fargate size: want 256, 512, 1024, 2048, 4096, 8192 or 16384 (service \"s\" runs on Fargate)", cpu)
		if err == nil || err.Error() != want {
			t.Errorf("cpu %d: got %v\nwant %s", cpu, err, want)
		}
	}
}

// TestFargateOnlyWhenUsed: sizes that Fargate refuses are fine on EC2.
func TestFargateOnlyWhenUsed(t *testing.T) {
	src := `name = "f"
duration = "1d"
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
max_size = 1
[[task_definitions]]
family = "t"
cpu = 700
memory = 3000
[[services]]
name = "s"
task_definition = "t"
capacity_provider_strategy = [ { capacity_provider = "g" } ]
`
	if _, err := Parse("f.toml", []byte(src)); err != nil {
		t.Error(err)
	}
}
