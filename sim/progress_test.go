package sim

import (
	"testing"

	"github.com/ecssim/ecssim/scenarios"
)

// TestProgress: Options.Progress sees simulated time move forward, never
// past the horizon, and ends with (horizon, horizon); it does not change
// the result.
func TestProgress(t *testing.T) {
	sc, err := scenarios.LoadExample("production-web-cluster")
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	var last Time
	r, err := Run(sc, Options{Progress: func(done, total Time) {
		calls++
		if done < last || done > total || total != Time(sc.Duration.Millis()) {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	// 7 days of 1-minute periods: a call every 64 periods, and the last.
	if calls < 7*24*60/64 || last != Time(sc.Duration.Millis()) {
		t.Errorf("%d calls, last %d", calls, last)
	}
	plain, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(resultJSON(t, r)) != string(resultJSON(t, plain)) {
		t.Error("Progress changed the result")
	}
}
