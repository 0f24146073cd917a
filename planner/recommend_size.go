package planner

import (
	"math"

	"github.com/ecssim/ecssim/scenarios"
)

// Task sizes a recommendation may choose. On Fargate only the published
// CPU/memory combinations exist (scenarios.FargateCPUs,
// scenarios.FargateMemories; ECS-SEMANTICS.md §8, AWS "Fargate task
// definition considerations: Supported task CPU and memory values"). On
// EC2 a task may reserve any CPU units and MiB.
//
// Model assumption: an EC2 task size is rounded up to a multiple of
// ecsGranule (128 CPU units, 128 MiB), AWS states no granularity; and the
// step up after a failed verification on EC2 is +25 % of the stepped
// dimension, rounded up likewise.
const ecsGranule = 128

// onFargate reports whether the service can run on Fargate: its launch
// type is FARGATE or its strategy names FARGATE or FARGATE_SPOT. Such a
// service is sized to Fargate sizes (which EC2 also accepts).
func onFargate(s *scenarios.Service) bool {
	if s.LaunchType != "" {
		return s.LaunchType == "FARGATE"
	}
	for _, it := range s.Strategy {
		if isFargateProvider(it.CapacityProvider) {
			return true
		}
	}
	return false
}

func isFargateProvider(name string) bool {
	return name == scenarios.ProviderFargate || name == scenarios.ProviderFargateSpot
}

// launchTypeLabel names where the service runs: its launch type when set;
// else FARGATE when every strategy item is FARGATE or FARGATE_SPOT, EC2 when
// none is, MIXED otherwise (an ecssim word: ECS reports no launch type for a
// capacity provider strategy).
func launchTypeLabel(s *scenarios.Service) string {
	if s.LaunchType != "" {
		return s.LaunchType
	}
	far, ec2 := 0, 0
	for _, it := range s.Strategy {
		if isFargateProvider(it.CapacityProvider) {
			far++
		} else {
			ec2++
		}
	}
	switch {
	case ec2 == 0:
		return "FARGATE"
	case far == 0:
		return "EC2"
	default:
		return "MIXED"
	}
}

// fitSize returns the smallest size holding needCPU CPU units and needMem
// MiB: on Fargate the smallest CPU size at or above needCPU that offers a
// memory at or above needMem, with the smallest such memory; on EC2 the
// needs rounded up to 128. ok is false when no Fargate size is large
// enough.
func fitSize(fargate bool, needCPU, needMem float64) (cpu, mem int, ok bool) {
	if !fargate {
		return roundUp(needCPU), roundUp(needMem), true
	}
	for _, c := range scenarios.FargateCPUs() {
		if float64(c) < needCPU {
			continue
		}
		for _, m := range scenarios.FargateMemories(c) {
			if float64(m) >= needMem {
				return c, m, true
			}
		}
	}
	return 0, 0, false
}

// stepUp returns the next size above cpu/mem: on Fargate the next memory
// of the same CPU size when memory is short, else (and when the CPU size
// has no larger memory) the next CPU size with the smallest memory at or
// above mem; on EC2 +25 % of the short dimension. ok is false at the top
// of the Fargate sizes.
func stepUp(fargate bool, cpu, mem int, memoryShort bool) (int, int, bool) {
	if !fargate {
		if memoryShort {
			return cpu, roundUp(float64(mem) * 1.25), true
		}
		return roundUp(float64(cpu) * 1.25), mem, true
	}
	if memoryShort {
		for _, m := range scenarios.FargateMemories(cpu) {
			if m > mem {
				return cpu, m, true
			}
		}
		return fitSize(true, float64(cpu)+1, float64(mem)+1)
	}
	return fitSize(true, float64(cpu)+1, float64(mem))
}

// roundUp rounds v up to a multiple of ecsGranule, at least ecsGranule.
func roundUp(v float64) int {
	n := int(math.Ceil(v/ecsGranule-1e-9)) * ecsGranule
	return max(n, ecsGranule)
}

// atFloor names the dimensions in which size cpu/mem is a floor the need
// is below: the smallest Fargate CPU size (256), the smallest memory
// Fargate allows with cpu, or 128 on EC2.
func atFloor(fargate bool, cpu, mem int, need Need) []string {
	cpuFloor, memFloor := 128, 128
	if fargate {
		cpuFloor = scenarios.FargateCPUs()[0]
		if ms := scenarios.FargateMemories(cpu); len(ms) > 0 {
			memFloor = ms[0]
		}
	}
	var out []string
	if cpu == cpuFloor && need.CPU < float64(cpu) {
		out = append(out, "cpu")
	}
	if mem == memFloor && need.Memory < float64(mem) {
		out = append(out, "memory")
	}
	return out
}
