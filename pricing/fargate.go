package pricing

import "fmt"

// FargateRate is the on-demand or Spot price of Fargate Linux capacity in one
// region and CPU architecture, in USD. GB means GiB (SCENARIO.md "Units").
type FargateRate struct {
	VCPUHour      float64 // per vCPU-hour
	GBHour        float64 // per GiB of memory per hour
	StorageGBHour float64 // per GiB-hour of ephemeral storage above FreeStorageGiB
	Source        string  // where the figures come from, with date
}

// FreeStorageGiB is the ephemeral storage every Fargate task gets without
// charge; only storage above it is billed. Source: AWS Fargate pricing.
const FreeStorageGiB = 20

// DefaultFargateSpotDiscount is the builtin Fargate Spot discount, a fraction
// of the on-demand price (0.69 = 69 % off). AWS publishes Fargate Spot as
// about 0.0126 per vCPU-hour and 0.00139 per GB-hour in us-east-1; with
// 0.69, 0.04048 × 0.31 = 0.0125488 and 0.004445 × 0.31 = 0.00137795, within
// half a percent of those (the published Spot price moves with supply).
const DefaultFargateSpotDiscount = 0.69

// Architecture spellings. InstanceType.Arch uses the ECS attribute values;
// task definitions (runtimePlatform.cpuArchitecture, the scenario key
// cpu_architecture) use the upper-case ones. FargateRate accepts both.
const (
	ArchX86_64 = "x86_64"
	ArchARM64  = "arm64"
)

// normalizeArch maps the accepted architecture spellings to the ECS attribute
// values; ok is false for anything else.
func normalizeArch(arch string) (string, bool) {
	switch arch {
	case "x86_64", "X86_64":
		return ArchX86_64, true
	case "arm64", "ARM64":
		return ArchARM64, true
	}
	return "", false
}

// Sources of the Fargate rows.
const (
	srcFargate    = "AWS Fargate pricing, Linux/%s, %s, 2026-01"
	srcStorageUSE = "; ephemeral storage above 20 GB: us-east-1 rate, 2026-01"
	// Model assumption: the ephemeral-storage rate outside us-east-1 is the
	// us-east-1 rate (0.000111 per GB-hour); ecssim embeds no other figure.
	srcStorageAssumed = "; ephemeral storage: us-east-1 rate assumed (model assumption), 2026-01"
	// eu-central-1 ARM: AWS prices Fargate on Graviton 20 % below x86 in
	// every region, so the rows are the x86 figures × 0.8 exactly.
	srcARMDerived = "derived: AWS Fargate pricing Linux/X86 eu-central-1 × 0.8 " +
		"(Graviton is priced 20 % below x86), 2026-01"
)

const fargateStorageGBHour = 0.000111

type fargateKey struct{ region, arch string }

// builtinFargate returns the builtin Fargate on-demand rates.
func builtinFargate() map[fargateKey]FargateRate {
	m := map[fargateKey]FargateRate{}
	for _, r := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		storageSrc := srcStorageAssumed
		if r == "us-east-1" {
			storageSrc = srcStorageUSE
		}
		m[fargateKey{r, ArchX86_64}] = FargateRate{
			VCPUHour: 0.04048, GBHour: 0.004445, StorageGBHour: fargateStorageGBHour,
			Source: fmt.Sprintf(srcFargate, "X86", r) + storageSrc,
		}
		m[fargateKey{r, ArchARM64}] = FargateRate{
			VCPUHour: 0.03238, GBHour: 0.00356, StorageGBHour: fargateStorageGBHour,
			Source: fmt.Sprintf(srcFargate, "ARM", r) + storageSrc,
		}
	}
	m[fargateKey{"eu-central-1", ArchX86_64}] = FargateRate{
		VCPUHour: 0.04656, GBHour: 0.00511, StorageGBHour: fargateStorageGBHour,
		Source: fmt.Sprintf(srcFargate, "X86", "eu-central-1") + srcStorageAssumed,
	}
	m[fargateKey{"eu-central-1", ArchARM64}] = FargateRate{
		VCPUHour: 0.04656 * 0.8, GBHour: 0.00511 * 0.8, StorageGBHour: fargateStorageGBHour,
		Source: srcARMDerived + srcStorageAssumed,
	}
	return m
}

// spotRate applies a Fargate Spot discount to an on-demand rate.
//
// Model assumption: the discount applies to vCPU and memory; ephemeral
// storage above 20 GiB keeps its on-demand rate (AWS lists no separate Spot
// storage rate).
func (r FargateRate) spotRate(discount float64) FargateRate {
	return FargateRate{
		VCPUHour:      r.VCPUHour * (1 - discount),
		GBHour:        r.GBHour * (1 - discount),
		StorageGBHour: r.StorageGBHour,
		Source:        r.Source + fmt.Sprintf("; Fargate Spot = on-demand × (1 − %g)", discount),
	}
}
