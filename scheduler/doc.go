// Package scheduler decides where ECS tasks go. It owns task placement on EC2
// container instances (resource fit, constraints and the cluster query
// language, placement strategies), the capacity provider split, the choice of
// the task to stop on scale-in, and the free-capacity index that makes
// placement fast. It imports nothing of ecssim: sim shows it numbers and acts
// on its answers.
//
// The flow of one placement (ECS Developer Guide, task-placement):
//
//	Demand ──► filter (pool, placeable, memory, CPU, ports, ENI)
//	       ──► constraints (distinctInstance, memberOf <query>)
//	       ──► strategies in order (binpack | spread | random), each choosing
//	           among the candidates the earlier ones preferred
//	       ──► lowest InstanceID among the ties left (model assumption)
//	       ──► InstanceID, or NoInstance and a Reason code
//
// Vocabulary:
//   - Cluster: the placement view of every container instance: registered
//     and free CPU units and MiB, task ENI slots, reserved host ports,
//     attributes, task counts per task group. sim mirrors every task start
//     and stop into it with Reserve and Release.
//   - cell: the instances of one (capacity provider pool, Availability Zone)
//     pair. Each cell keeps two ordered indexes over its placeable instances
//     (binpack_index.go): by (free memory, id) with the subtree maximum of
//     free CPU, and by (free CPU, id) with the subtree maximum of free memory.
//     "The instance with the least free memory that still fits" is one
//     O(log n) descent.
//   - Placer: a compiled strategy chain plus constraints. Place uses the
//     index for the chains that matter (binpack, spread by AZ then binpack,
//     spread by AZ then by instance, random) and falls back to PlaceScan, the
//     linear-scan reference, for any other chain. Tests hold Place and
//     PlaceScan to the same answers on thousands of random clusters.
//   - Reason: why a task could not be placed, a stable code for reports.
//   - NextProvider / VictimProvider: the capacity provider strategy split
//     (base, then weight) for a new task and for scale-in.
//   - ChooseScaleIn: which task of a service to stop when it scales in.
//
// Performance: placement with spread(attribute:ecs.availability-zone) then
// binpack(memory) costs O(#AZ · #pools · log n) and allocates nothing; see
// placement_bench_test.go for the numbers and the benchstat recipe.
//
// A Cluster and a Placer are not safe for concurrent use; one simulation run
// owns its own.
package scheduler
