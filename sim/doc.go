// Package sim owns simulated time and the state of the simulated ECS
// cluster: the event engine, container instances, tasks, services, jobs,
// capacity providers, the metric datapoints and the billing meter. Run
// replays a validated scenario from its start to its horizon and returns a
// Result, which is results.json.
//
// The flow of one run:
//
//	scenarios.Scenario ─► newWorld ─► start (launches, first tasks, arrivals)
//	                                   │
//	                    loop: pop the earliest Event, dispatch it
//	                      ├─ task transitions   (lifecycle.go, service.go, job.go)
//	                      ├─ arrivals, events   (job.go, run.go)
//	                      ├─ placement pass     (provisioning.go → scheduler)
//	                      ├─ datapoint close    (metrics.go, load.go)
//	                      └─ scaling tick, each minute (autoscale_group.go,
//	                         autoscale_service.go, metrics_minute.go → autoscaling)
//	                                   │
//	                    finish (every meter stops) ─► result (result_build.go)
//
// sim decides nothing about placement, prices, demand or scaling itself: it
// asks the policy packages (scheduler, pricing, workloads, autoscaling), which never import
// sim, and acts on their answers.
//
// Vocabulary:
//   - Time: integer milliseconds since the scenario start.
//   - Event: a small value in the 4-ary heap of engine.go, ordered by
//     (time, kind, entity order, sequence); Kind gives the same-millisecond
//     order of SCENARIO.md "Time and order".
//   - stream: a named math/rand/v2 PCG seeded from (seed, name), such as
//     "service/web/noise"; every random draw comes from one.
//   - provider: a capacity provider; Auto Scaling groups first in scenario
//     order, then FARGATE and FARGATE_SPOT. Its index is also the group's
//     placement pool.
//   - waiting queue: a provider's first-come-first-served queue of
//     PROVISIONING tasks, retried by the placement pass at every capacity
//     change.
//   - datapoint: the time-weighted average of a metric over one
//     metrics_period, kept as a float32 column (Result.Series). The
//     scaling alarms read their own 1-minute datapoints (all five
//     CloudWatch statistics), whatever metrics_period is.
//   - scaling tick: once a simulated minute, groups (managed scaling or
//     the threshold scaler) then services (Application Auto Scaling) close
//     their 1-minute datapoints, feed their alarm windows and act.
//
// Files: engine.go (clock, heap, random streams), world.go (the state and
// its construction), task.go and lifecycle.go (the task lifecycle),
// service.go (the service scheduler), job.go (RunTask work),
// provisioning.go (waiting queues and the placement pass), provider.go
// (instances and capacity providers), instance_lifecycle.go (launch by
// allocation strategy, drain, terminate), autoscale_service.go (Service
// Auto Scaling: policies, windows, scheduled actions), autoscale_group.go
// (managed scaling, the threshold scaler, the scaling tick),
// metrics_minute.go (1-minute alarm datapoints), load.go (demand), metrics.go
// (datapoints, CapacityProviderReservation), billing.go and catalog.go
// (cost), run.go (the event loop), result.go and result_build.go
// (results.json), spot.go (Spot interruptions, storms, shortages),
// faults.go (AZ outages and rebalancing, instance failures),
// deployment.go (rolling and traffic-shifting deployments, the circuit
// breaker).
package sim
