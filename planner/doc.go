// Package planner owns recommendations and sweeps: changing a scenario,
// re-simulating it and comparing the results.
//
// For now it holds the part every later planner feature builds on: looking
// up a number in a result by its dotted results.json path (Lookup, Doc) and
// the checks of a scenario's [[assertions]] (ParseCheck, EvaluateAssertions).
//
//	results.json ──► Doc ──► Lookup("services.web.cpu_utilization.p95") ──► 63.2
//	"cost.monthly_usd < 9000" ──► ParseCheck ──► Check{Path, Op, Value} ──► Holds(v)
//
// Vocabulary: a path is a dotted path into results.json, each segment an
// object key (service, job and capacity provider names match
// [A-Za-z0-9_-]+, so they never contain a dot) or a 0-based array index; a
// check is "PATH OP NUMBER" with OP one of < <= > >= == !=.
//
// Recommendations (recommend*.go): Recommend runs a scenario, sizes each
// service's tasks from its utilization percentiles with a safety margin
// (in Compute Optimizer's words: finding, reason codes, performance risk),
// and verifies every option by re-running the scenario with it applied;
// ApplyToTOML writes the chosen sizes into the scenario's text.
package planner
