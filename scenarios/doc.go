// Package scenarios owns the scenario file: its Go types (types.go), how
// it is read (Load, Parse), its defaults, its validation, its identity
// (SHA256), the embedded examples and the generator of the large benchmark
// scenario. SCENARIO.md is its contract.
//
// The flow of Parse:
//
//	TOML text ──BurntSushi/toml──▶ map[string]any ──decoder──▶ *Scenario
//	    │                                              (unknown keys, types)
//	    └──posIndex (key path → line:col)       applyDefaults (absent keys only)
//	                                            validator (ranges, rules, refs)
//	                                            resolve (TaskDef, Strategy)
//
// Vocabulary:
//   - key path: where a value sits, as "services[1].load.cpu_per_request";
//     every problem is recorded at one and printed as FILE:LINE:COL.
//   - ErrorList: every problem of a file at once, sorted by position.
//   - group: an Auto Scaling group capacity provider ([[capacity_providers]]);
//     FARGATE and FARGATE_SPOT always exist and have no entry.
//   - effective strategy: a service's or job's own capacity provider
//     strategy, else the cluster default; none with a launch type.
//
// The package decides nothing about simulation; it only guarantees that a
// Scenario it returns is complete (defaults applied), consistent (every
// reference resolves, every task fits where it may be placed) and within
// the ECS quotas it enforces.
package scenarios
