package pricing

import (
	"math"
	"testing"
)

// Model assumption (ECS-SEMANTICS §7): bucket midpoints p = 2.5, 7.5, 12.5,
// 17.5, 25 %; hazard per instance-hour = −ln(1 − p)/730. Hand values:
//
//	−ln(0.975) = 0.0253178080 → /730 = 3.4681929e-5
//	−ln(0.925) = 0.0779615415 → /730 = 1.0679663e-4
//	−ln(0.875) = 0.1335313926 → /730 = 1.8291972e-4
//	−ln(0.825) = 0.1923718926 → /730 = 2.6352314e-4
//	−ln(0.750) = 0.2876820725 → /730 = 3.9408503e-4
func TestBucketHazardPerHour(t *testing.T) {
	want := []float64{3.4681929e-5, 1.0679663e-4, 1.8291972e-4, 2.6352314e-4, 3.9408503e-4}
	for b, w := range want {
		got := BucketHazardPerHour(b)
		if math.Abs(got-w) > 1e-7*w {
			t.Errorf("bucket %d: hazard %.10g, want %.8g", b, got, w)
		}
		// Survival over a 730-hour month is 1 − p.
		if s := math.Exp(-got * 730); math.Abs(s-(1-BucketMidpoint(b))) > 1e-12 {
			t.Errorf("bucket %d: monthly survival %g, want %g", b, s, 1-BucketMidpoint(b))
		}
	}
	mustPanic(t, "bucket -1", func() { BucketHazardPerHour(-1) })
	mustPanic(t, "bucket 5", func() { BucketHazardPerHour(5) })
}

// Spot Advisor labels (the feed's "ranges"): <5%, 5-10%, 10-15%, 15-20%, >20%.
func TestParseFrequency(t *testing.T) {
	for i, label := range []string{"<5%", "5-10%", "10-15%", "15-20%", ">20%"} {
		b, err := ParseFrequency(label)
		if err != nil || b != i {
			t.Errorf("ParseFrequency(%q) = %d, %v; want %d", label, b, err, i)
		}
		if FrequencyLabel(i) != label {
			t.Errorf("FrequencyLabel(%d) = %q", i, FrequencyLabel(i))
		}
	}
	for _, bad := range []string{"", "<5", "5-10 %", "5–10%", ">20", "low", "<10%"} {
		if _, err := ParseFrequency(bad); err == nil {
			t.Errorf("ParseFrequency(%q): no error", bad)
		}
	}
	mustPanic(t, "label 7", func() { FrequencyLabel(7) })
}
