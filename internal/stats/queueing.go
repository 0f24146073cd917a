package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ErlangB returns the Erlang B blocking probability: the probability that
// an arrival to a loss system (M/M/c/c) with the given number of servers
// and offered load A = λ/μ (Erlangs) finds every server busy. It uses the
// numerically stable recurrence B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)).
// servers must be >= 0 and offered >= 0.
func ErlangB(servers int, offered float64) float64 {
	if servers < 0 || !(offered >= 0) {
		panic("stats: ErlangB: servers and offered load must be non-negative")
	}
	b := 1.0
	for k := 1; k <= servers; k++ {
		ab := offered * b
		b = ab / (float64(k) + ab)
	}
	return b
}

// ErlangC returns the Erlang C probability that an arrival to an M/M/c
// queue with the given number of servers and offered load A = λ/μ
// (Erlangs) has to wait: C = c·B / (c − A·(1 − B)) with B = ErlangB(c, A).
// It returns 1 when A >= c (the queue is unstable and, in the limit, every
// arrival waits). servers must be >= 1 and offered >= 0.
func ErlangC(servers int, offered float64) float64 {
	if servers < 1 || !(offered >= 0) {
		panic("stats: ErlangC: need servers >= 1 and offered load >= 0")
	}
	c := float64(servers)
	if offered >= c {
		return 1
	}
	b := ErlangB(servers, offered)
	return c * b / (c - offered*(1-b))
}

// MMcMeanWait returns the mean time an arrival waits in the queue of an
// M/M/c system, Wq = C(c, A) / (c·μ − λ) with A = λ/μ, in the time unit of
// 1/lambda and 1/mu. It returns +Inf when λ >= c·μ. servers must be >= 1,
// lambda >= 0 and mu > 0.
func MMcMeanWait(servers int, lambda, mu float64) float64 {
	if servers < 1 || !(lambda >= 0) || !(mu > 0) {
		panic("stats: MMcMeanWait: need servers >= 1, lambda >= 0, mu > 0")
	}
	c := float64(servers)
	if lambda >= c*mu {
		return math.Inf(1)
	}
	return ErlangC(servers, lambda/mu) / (c*mu - lambda)
}

// MeanCI95 returns the mean of x and the half width of its two-sided 95 %
// confidence interval, t(0.975, n−1) · s / √n with s the sample standard
// deviation (divisor n − 1). The values must be independent and roughly
// normal, like the means of independent replications or batch means. With
// no values both results are NaN; with one value the half width is NaN.
func MeanCI95(x []float64) (mean, halfWidth float64) {
	n := len(x)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = stat.Mean(x, nil)
	if n < 2 {
		return mean, math.NaN()
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	return mean, t * stat.StdDev(x, nil) / math.Sqrt(float64(n))
}

// BatchMeans splits x into the given number of consecutive batches of
// len(x)/batches values each and returns their means, in order. The
// len(x) mod batches values at the end are not used. It returns nil if x
// has fewer values than batches. batches must be >= 1.
func BatchMeans(x []float64, batches int) []float64 {
	if batches < 1 {
		panic("stats: BatchMeans: batches must be at least 1")
	}
	m := len(x) / batches
	if m == 0 {
		return nil
	}
	out := make([]float64, batches)
	for i := range out {
		out[i] = stat.Mean(x[i*m:(i+1)*m], nil)
	}
	return out
}
