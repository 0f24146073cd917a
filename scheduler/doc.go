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
//     pair, with its indexes over the placeable ones: a B+-tree ordered by
//     (free memory, id) whose node slots carry the maximum free CPU below
//     them (btree.go), so "the instance with the least free memory that
//     still fits" is one O(log n) descent through a few cache-friendly
//     nodes; the same ordered by (free CPU, id),
//     kept from the first binpack(cpu) placement on; and a max tree in id
//     order (id_index.go) with, per group with a task in the cell, a bitset
//     over the cell's positions marking the instances holding one of its
//     tasks (occupancy.go), both kept from the first spread(instanceId)
//     placement on, which together skip full instances and instances already
//     holding the group when looking for the lowest id without a task of
//     the group. Task counts are kept per (instance, group)
//     (group_table.go) and per (group, AZ), so spread by AZ costs O(#AZ²) with few AZs.
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
// binpack(memory) costs O(#AZ · #pools · log n) and allocates nothing; the
// default, spread AZ then spread(instanceId), costs per cell
// O(log n + n/64) when the group's tasks sit on the low ids of the cell
// (more when full instances and instances holding the group alternate), and
// a pass over the instances holding the group when every fitting instance
// holds one (see Placer.Place).
// See placement_bench_test.go and default_chain_bench_test.go for the
// numbers and the benchstat recipe.
//
// A Cluster and a Placer are not safe for concurrent use; one simulation run
// owns its own.
//
// Offline packing (pack.go, pack_heuristics.go, pack_search.go,
// pack_vbp.go): Pack solves d-dimensional vector bin packing (identical
// bins) with a proven lower bound; the fast mode is one bin-centric
// heuristic, the quality mode the best of a portfolio (first- and
// best-fit decreasing under several weightings and sizes, bin-centric
// dot-product and L2 rules) followed by a seeded improvement search of a
// fixed number of moves. ReadVBP reads VPSolver .vbp files. `ecssim pack`
// and the recommendations use it.
package scheduler
