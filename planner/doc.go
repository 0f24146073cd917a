// Package planner owns recommendations and sweeps: changing a scenario,
// re-simulating it and comparing the results.
//
// Its base is looking up a number in a result by its dotted results.json
// path (Lookup, Doc) and the checks of a scenario's [[assertions]]
// (ParseCheck, EvaluateAssertions).
//
//	results.json ──► Doc ──► Lookup("services.web.cpu_utilization.p95") ──► 63.2
//	"cost.monthly_usd < 9000" ──► ParseCheck ──► Check{Path, Op, Value} ──► Holds(v)
//
// Vocabulary: a path is a dotted path into results.json, each segment an
// object key (service, job and capacity provider names match
// [A-Za-z0-9_-]+; a key with dots, such as an instance type, matches the
// longest run of segments that names it) or a 0-based array index; a check
// is "PATH OP NUMBER" with OP one of < <= > >= == !=.
//
// Recommendations (recommend*.go): Recommend runs a scenario, sizes each
// service's tasks from its utilization percentiles with a safety margin
// (in Compute Optimizer's words: finding, reason codes, performance risk),
// and verifies every option by re-running the scenario with it applied;
// ApplyToTOML, ApplyProvidersToTOML and ApplyLaunchToTOML write the chosen
// options into the scenario's text, and CheckApplied simulates the result
// as a whole.
//
// Sweeps (study*.go, sweep*.go): LoadStudy reads a study file (the keys
// varied, their values, replications, objective, Pareto axes); Expand
// lists its runs (grid position × replication, each with a stable RUN_ID
// and seed) and Variant builds each run's scenario; RunSweep runs them in
// parallel, or one shard of them, into a folder (runs/RUN_ID.json,
// study.json), resuming where files exist; MergeSweep builds summary.json
// from the files: Summarize (group means, Student-t intervals, the best
// group under subject_to, ParetoFront), RankGroups.
//
//	study.toml ─► LoadStudy ─► Expand ─► RunSweep (Variant, sim.Run, runs/*.json)
//	runs/*.json + study.json ─► MergeSweep ─► Summarize ─► summary.json
package planner
