package pricing

import "fmt"

// MinimumBilledSeconds is the one-minute minimum of Fargate and of per-second
// EC2 Linux billing. Sources: AWS Fargate pricing ("per second with a
// 1-minute minimum"), Amazon EC2 pricing / EC2 User Guide "Instance
// billing" ("per-second billing, with a minimum of 60 seconds", Linux).
const MinimumBilledSeconds = 60

// BilledSeconds returns the seconds billed for a meter that ran ms
// milliseconds: max(60, ceil(ms/1000)) for ms > 0, and 0 for ms <= 0 (a
// meter that never ran bills nothing).
//
// Model assumption: AWS bills whole seconds; a partial second rounds up.
func BilledSeconds(ms int64) int64 {
	if ms <= 0 {
		return 0
	}
	s := ms / 1000
	if ms%1000 != 0 {
		s++
	}
	if s < MinimumBilledSeconds {
		return MinimumBilledSeconds
	}
	return s
}

// FargateTaskCost returns the USD cost of one Fargate task of cpuUnits CPU
// units (1024 = 1 vCPU), memoryMiB MiB and storageGiB GiB of ephemeral
// storage that ran ms milliseconds (from the start of PENDING to STOPPED):
//
//	BilledSeconds(ms)/3600 × (cpu/1024 × VCPUHour + memory/1024 × GBHour
//	                          + max(0, storage − 20) × StorageGBHour)
//
// Source: AWS Fargate pricing; ECS-SEMANTICS §1. It panics on negative
// sizes.
func FargateTaskCost(r FargateRate, cpuUnits, memoryMiB, storageGiB int, ms int64) float64 {
	if cpuUnits < 0 || memoryMiB < 0 || storageGiB < 0 {
		panic(fmt.Sprintf("pricing: negative Fargate task size cpu=%d memory=%d storage=%d",
			cpuUnits, memoryMiB, storageGiB))
	}
	s := BilledSeconds(ms)
	if s == 0 {
		return 0
	}
	return float64(s) / 3600 * FargateHourlyCost(r, cpuUnits, memoryMiB, storageGiB)
}

// FargateHourlyCost returns the USD per hour of a running Fargate task of
// the given size (no minimum applied): cpu/1024 × VCPUHour + memory/1024 ×
// GBHour + max(0, storage − 20) × StorageGBHour.
func FargateHourlyCost(r FargateRate, cpuUnits, memoryMiB, storageGiB int) float64 {
	extra := storageGiB - FreeStorageGiB
	if extra < 0 {
		extra = 0
	}
	return float64(cpuUnits)/1024*r.VCPUHour +
		float64(memoryMiB)/1024*r.GBHour +
		float64(extra)*r.StorageGBHour
}

// EC2Cost returns the USD cost of an instance at usdPerHour that ran ms
// milliseconds (launch to termination): usdPerHour × BilledSeconds(ms)/3600.
func EC2Cost(usdPerHour float64, ms int64) float64 {
	return usdPerHour * float64(BilledSeconds(ms)) / 3600
}

// MonthlyProjection scales usd accrued over windowHours hours to a 730-hour
// month: usd × 730 / windowHours. ecssim calls it with the cost accrued in
// [warmup, end) and windowHours = duration − warmup (SCENARIO.md "Billing and
// cost"). It panics when windowHours is not positive.
func MonthlyProjection(usd float64, windowHours float64) float64 {
	if !(windowHours > 0) {
		panic(fmt.Sprintf("pricing: MonthlyProjection window %g h is not positive", windowHours))
	}
	return usd * HoursPerMonth / windowHours
}
