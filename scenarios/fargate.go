package scenarios

// Fargate task sizes [AWS_Fargate, "Supported task CPU and memory values";
// ECS-SEMANTICS.md §8]: for each CPU size (CPU units) the memory sizes
// (MiB) it accepts.
var fargateSizes = []struct {
	cpu            int
	from, to, step int
	list           []int
}{
	{cpu: 256, list: []int{512, 1024, 2048}},
	{cpu: 512, from: 1024, to: 4096, step: 1024},
	{cpu: 1024, from: 2048, to: 8192, step: 1024},
	{cpu: 2048, from: 4096, to: 16384, step: 1024},
	{cpu: 4096, from: 8192, to: 30720, step: 1024},
	{cpu: 8192, from: 16384, to: 61440, step: 4096},
	{cpu: 16384, from: 32768, to: 122880, step: 8192},
}

// FargateCPUs returns the CPU sizes Fargate accepts, in CPU units,
// ascending.
func FargateCPUs() []int {
	out := make([]int, len(fargateSizes))
	for i, f := range fargateSizes {
		out[i] = f.cpu
	}
	return out
}

// FargateMemories returns the memory sizes (MiB, ascending) Fargate
// accepts with cpu CPU units, or nil when cpu is not a Fargate size.
func FargateMemories(cpu int) []int {
	for _, f := range fargateSizes {
		if f.cpu != cpu {
			continue
		}
		if f.list != nil {
			return append([]int(nil), f.list...)
		}
		var out []int
		for m := f.from; m <= f.to; m += f.step {
			out = append(out, m)
		}
		return out
	}
	return nil
}

// ValidFargateSize reports whether cpu units and memory MiB are a Fargate
// task size.
func ValidFargateSize(cpu, memory int) bool {
	for _, m := range FargateMemories(cpu) {
		if m == memory {
			return true
		}
	}
	return false
}
