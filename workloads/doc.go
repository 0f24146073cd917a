// Package workloads owns what drives a simulation from outside the cluster:
// demand curves, arrival processes, duration distributions, EventBridge and
// Application Auto Scaling schedules, and the readers for user-supplied
// traces (load curves as CSV or CloudWatch JSON, job traces as CSV or the
// Alibaba cluster-trace-gpu-v2023 "OpenB" pod list).
//
// It is a policy package: it imports nothing of ecssim and holds no state of
// the simulation. The simulator asks it questions in simulated time:
//
//	scenario.toml ─▶ scenarios ─▶ workloads values (Curve, Dist, Arrivals, Schedule, []TaskRow)
//	                                   │
//	sim: datapoint close ─▶ Curve.At(t)           demand in vCPUs or requests/s
//	     job arrival      ─▶ Arrivals.Next(t, rng) next submission
//	     scheduled action ─▶ Schedule.Next(t)     next firing
//	     task start       ─▶ Dist.Sample(rng)     startup time, job duration
//
// Vocabulary:
//   - offset: a time.Duration since the scenario start; the start is a
//     wall-clock instant (UTC) that anchors time of day, weekends and cron.
//   - Curve: a deterministic function of the offset (spikes included; the
//     simulator multiplies in noise with ApplyNoise from its own stream).
//   - Dist: a distribution of durations; samples are whole milliseconds,
//     never negative, because the simulator's clock counts milliseconds.
//   - Arrivals: a point process; Next is memoryless given `after`.
//   - Schedule: cron(...), rate(...) or at(...), parsed by ParseSchedule.
//   - TaskRow: one job task from a trace: submission, run time and sizes.
//   - ParseDuration: the scenario's duration strings ("90s", "2d10h30m",
//     or plain seconds), used by the readers and offered to callers.
//
// Randomness comes only from the *rand.Rand the caller passes, so each
// caller keeps its own named stream. Nothing here reads the wall clock.
//
// Errors: a user's mistake is returned as an error value. Readers return a
// *LineError carrying the line (and, where known, column) within the input,
// so the caller can prefix the file name ("trace.csv:12:3: ..."). Schedule
// errors name the part of the expression at fault
// (`cron: day-of-week: unknown name "FUNDAY"`). A programmer's mistake (a
// negative mean, mismatched slices) panics with the prefix "workloads: ".
package workloads
