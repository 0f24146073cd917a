# Summarizes `go test -bench` output for `make bench`: one line per headline
# benchmark (name, rate, unit), then the ratios PERFORMANCE.md sets goals
# for, each against its reference measured in the same run.
/^Benchmark/ {
	sub(/-[0-9]+$/, "", $1) # the GOMAXPROCS suffix, which depends on the machine
	for (i = 3; i <= NF; i++) {
		if ($i == "events/s" || $i == "placements/s" || $i == "decisions/s" || $i == "runs/s") {
			printf "%-52s %14.0f %s\n", $1, $(i - 1), $i
			v[$1] = $(i - 1)
		}
	}
}
END {
	e = v["BenchmarkEngineHold/impl=ecssim"]; h = v["BenchmarkEngineHold/impl=container-heap"]
	if (e && h) printf "engine vs container/heap:            %.2fx (goal >= 1.5x)\n", e / h
	i = v["BenchmarkPlace/impl=indexed/instances=10000"]; s = v["BenchmarkPlace/impl=scan/instances=10000"]
	if (i && s) printf "placement at 10k, indexed vs scan:   %.0fx (goal >= 20x)\n", i / s
	a = v["BenchmarkPlace/impl=indexed/instances=1000"]; b = v["BenchmarkPlace/impl=indexed/instances=100000"]
	if (a && b) printf "placement, 100k time / 1k time:      %.2fx (goal <= 3x)\n", a / b
	s1 = v["BenchmarkSweep/sweep/parallel=1"]; s2 = v["BenchmarkSweep/sweep/parallel=2"]
	r1 = v["BenchmarkSweep/reference/parallel=1"]; r2 = v["BenchmarkSweep/reference/parallel=2"]
	if (s1 && s2) printf "sweep, parallel 2 / parallel 1:       %.2fx (near-linear: 2x; bare simulations %.2fx)\n", s2 / s1, r2 / r1
}
