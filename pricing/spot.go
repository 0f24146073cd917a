package pricing

import (
	"fmt"
	"math"
	"strings"
)

// NumBuckets is the number of Spot Advisor interruption-frequency buckets.
const NumBuckets = 5

// frequencyLabels are the Spot Advisor bucket labels, index = bucket.
// Source: the Spot Instance Advisor feed's "ranges" (<5%, 5-10%, 10-15%,
// 15-20%, >20% of instances interrupted per month).
var frequencyLabels = [NumBuckets]string{"<5%", "5-10%", "10-15%", "15-20%", ">20%"}

// bucketMidpoints are the monthly interruption probabilities ecssim assigns
// to each bucket.
//
// Model assumption (ECS-SEMANTICS §7): a bucket is its midpoint, and the
// open-ended >20% bucket is 25 %.
var bucketMidpoints = [NumBuckets]float64{0.025, 0.075, 0.125, 0.175, 0.25}

// HoursPerMonth is the month length AWS pricing and ecssim use: 730 hours.
const HoursPerMonth = 730.0

// FrequencyLabel returns the Spot Advisor label of bucket ("<5%" ...
// ">20%"). It panics for a bucket outside 0..4.
func FrequencyLabel(bucket int) string {
	checkBucket(bucket)
	return frequencyLabels[bucket]
}

// ParseFrequency returns the bucket (0..4) of a Spot Advisor frequency label:
// "<5%", "5-10%", "10-15%", "15-20%" or ">20%", spelled exactly so.
func ParseFrequency(label string) (bucket int, err error) {
	for i, l := range frequencyLabels {
		if label == l {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown Spot interruption frequency %q (want one of %s)",
		label, `"`+strings.Join(frequencyLabels[:], `", "`)+`"`)
}

// BucketMidpoint returns the monthly interruption probability ecssim assigns
// to bucket: 0.025, 0.075, 0.125, 0.175 or 0.25. It panics for a bucket
// outside 0..4.
func BucketMidpoint(bucket int) float64 {
	checkBucket(bucket)
	return bucketMidpoints[bucket]
}

// BucketHazardPerHour returns the interruption hazard per instance-hour of a
// Spot Advisor bucket: −ln(1 − p)/730 for its midpoint p, so that an
// instance running a 730-hour month survives it with probability 1 − p.
// It panics for a bucket outside 0..4.
//
// Model assumption (ECS-SEMANTICS §7, SCENARIO.md "Spot"): interruptions are
// a Poisson process with this constant rate.
func BucketHazardPerHour(bucket int) float64 {
	checkBucket(bucket)
	return -math.Log1p(-bucketMidpoints[bucket]) / HoursPerMonth
}

func checkBucket(bucket int) {
	if bucket < 0 || bucket >= NumBuckets {
		panic(fmt.Sprintf("pricing: Spot Advisor bucket %d outside 0..%d", bucket, NumBuckets-1))
	}
}
