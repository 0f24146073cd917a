// Package autoscaling owns pure scaling decisions: alarms over datapoints,
// target tracking, step scaling, scheduled actions, and managed scaling
// (capacity provider reservation). It is handed numbers (datapoints, current
// and desired counts, the M and N of managed scaling) by package sim and
// returns decisions with their reasons; it never imports anything of ecssim,
// never reads a clock and never acts.
//
// Filled by a later issue.
package autoscaling
