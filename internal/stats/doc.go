// Package stats holds the numerical helpers ecssim's results are built
// from. It owns four things:
//
//   - Sample: the statistics of one series of datapoints (N, mean, min, max
//     and nearest-rank percentiles). Percentiles are exact while the series
//     holds at most a set number of values (a million by default) and come
//     from a deterministic Greenwald-Khanna sketch beyond, with a rank error
//     of at most 0.5 % of N (SCENARIO.md promises at most 1 %). Memory stays
//     bounded (ARCHITECTURE.md rule 5).
//   - Series: a compact float32 time series, one value per metrics period,
//     NaN for a period without data (INSUFFICIENT_DATA).
//   - TimeAvg: the time-weighted average of a piecewise-constant quantity
//     over a window, which is how every datapoint is formed ("Every
//     datapoint, counts included, is the time-weighted average over its
//     period", SCENARIO.md "Datapoints and statistics").
//   - Queueing theory (Erlang B and C, M/M/c mean wait, Student-t confidence
//     intervals, batch means) that the simulator's tests compare against.
//
// Vocabulary. A rank is 1-based: rank 1 is the smallest value, rank N the
// largest. The nearest-rank q-quantile is the value at rank ceil(q·N).
// Times are int64 milliseconds of simulated time, as everywhere in ecssim.
//
// Nothing here reads a clock, draws a random number or iterates a map, so
// the same input sequence gives the same output, bit for bit. No type in
// this package is safe for concurrent use.
package stats
