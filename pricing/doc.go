// Package pricing owns what things cost in ecssim and the facts about EC2
// instance types that placement needs: the dated catalog embedded in the
// binary, the Spot Instance Advisor snapshot, and the billing rules.
//
// Where it sits in the flow:
//
//	scenario.toml ──► scenarios (validates names against the Catalog)
//	                       │
//	                       ▼
//	sim ── asks ──► pricing.Catalog: InstanceType, FargateRate, OnDemandRate,
//	 │                               SpotRate, SpotAdvice
//	 └── meters ──► pricing billing: BilledSeconds, FargateTaskCost, EC2Cost,
//	                                 MonthlyProjection
//
// Vocabulary:
//
//   - Catalog: an immutable-by-default set of prices and instance-type facts,
//     dated (Date). Builtin returns the embedded one; Clone gives a private
//     copy that the setters (SetFargateSpotDiscount) may change.
//   - Instance type: vCPU, memory (GiB), CPU architecture (the ECS attribute
//     ecs.cpu-architecture: "x86_64" or "arm64"), ENI limits.
//   - Rate: USD per hour (EC2) or USD per vCPU-hour / GiB-hour (Fargate; AWS
//     writes "GB" and means GiB).
//   - Spot Advisor: AWS's published savings percentage and monthly
//     interruption-frequency bucket (0..4 = <5%, 5-10%, 10-15%, 15-20%, >20%)
//     per region, OS and instance type. The catalog uses os "Linux".
//   - Offer: prices read from AWS Price List files (LoadOfferFile: the bulk
//     offer index.json or `aws pricing get-products` output, AmazonEC2 and
//     AmazonECS); Catalog.WithOffer overrides a clone's prices with them.
//   - Bucket hazard: the per-instance-hour interruption rate ecssim derives
//     from a bucket (BucketHazardPerHour).
//
// Units: money in USD, durations given to billing functions in milliseconds
// (ecssim's simulated time), CPU in ECS CPU units (1024 = 1 vCPU), memory in
// MiB, ephemeral storage in GiB.
//
// The package imports nothing of ecssim; it is a policy package that the
// simulator, the scenario validator and the planner all read.
package pricing
