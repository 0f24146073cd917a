// Package autoscaling owns pure scaling decisions (ECS-SEMANTICS.md §4 and
// §5): CloudWatch-style datapoints and alarms over a ring buffer of them,
// target tracking, step scaling (the AWS form and the threshold
// shorthand), scheduled actions, and the arithmetic of capacity provider
// managed scaling (CapacityProviderReservation, scale-out and scale-in
// sizes).
//
// The flow: package sim closes one 1-minute Datapoint per metric, pushes
// the statistic each alarm reads into that alarm's Window, and asks a
// Scaler (services, threshold-scaled groups) or a Managed (managed scaling)
// for a decision. A decision carries its reason, such as
// "alarm_high 3/3 CPUUtilization 100 > 60". The package never imports
// anything of ecssim, never reads a clock (times are passed in as offsets
// from the scenario start) and never acts.
//
// Vocabulary: an Alarm is a value (threshold, comparison, evaluation
// periods, datapoints to alarm); its Evaluation over a Window is OK,
// InAlarm or InsufficientData (every datapoint in the evaluation range
// missing, which triggers no action, as in CloudWatch). Each policy
// proposes a capacity; a Scaler combines the proposals (scale out if any policy
// says so, scale in only if all target tracking policies agree) under
// cooldowns.
package autoscaling
