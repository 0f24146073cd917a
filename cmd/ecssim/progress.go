package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ecssim/ecssim/sim"
)

// progress draws the simulated time reached as a bar on a terminal. A nil
// *progress does nothing, so callers need not check.
type progress struct {
	w    io.Writer
	name string
	bar  *progressbar.ProgressBar
}

func newProgress(w io.Writer, name string) *progress {
	return &progress{w: w, name: name}
}

// update is the sim.Options.Progress callback: done and total are simulated
// milliseconds. The bar shows the share of the horizon reached; it is created on the first
// call, when the horizon is known.
func (p *progress) update(done, total sim.Time) {
	if p == nil || total <= 0 {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(int64(total),
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("simulating "+p.name),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
	}
	p.bar.Set64(int64(min(done, total)))
}

// finish removes the bar from the terminal.
func (p *progress) finish() {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Finish()
	p.bar.Clear()
}
