package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// sweepProgress reports a sweep's runs on stderr: a bar with the count,
// runs per second and the ETA on a terminal; plain lines elsewhere;
// nothing with --quiet. update is the planner.SweepOptions.Progress
// callback.
type sweepProgress interface {
	update(done, total int)
	finish()
}

func newSweepProgress(e *env, name string, quiet bool) sweepProgress {
	switch {
	case quiet:
		return noSweepProgress{}
	case e.stderrIsTerminal():
		return &barSweepProgress{w: e.stderr, name: name}
	}
	return &lineSweepProgress{w: e.stderr, name: name, pace: newLinePace(e.clock())}
}

type noSweepProgress struct{}

func (noSweepProgress) update(int, int) {}
func (noSweepProgress) finish()         {}

// barSweepProgress: "sweep NAME  45% |████      | (450/1000, 37 runs/s) [12s:15s]".
// The bar counts the runs this invocation simulates: runs found done at
// the start (resume) would inflate its rate and shorten its ETA.
type barSweepProgress struct {
	w     io.Writer
	name  string
	first int // runs done at the first update
	bar   *progressbar.ProgressBar
}

func (p *barSweepProgress) update(done, total int) {
	if total <= 0 {
		return
	}
	if p.bar == nil {
		p.first = done
		if done > 0 {
			p.name += fmt.Sprintf(" (%d of %d already done)", done, total)
		}
		p.bar = progressbar.NewOptions(total-done,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("sweep "+p.name),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("runs"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
	}
	p.bar.Set(done - p.first)
}

func (p *barSweepProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}

// lineSweepProgress writes, at the pace of lineStepPercent and lineEvery,
//
//	ecssim: sweep NAME: 450/1000 runs (45%), 37.2 runs/s, 12.1 s elapsed, ETA 14.8 s
//
// and a last line when every run is done. Runs found done at the start
// (resume) count toward the share but not toward the pace.
type lineSweepProgress struct {
	w           io.Writer
	name        string
	pace        linePace
	first       int // runs done at the first update
	seen        bool
	done, total int
}

func (p *lineSweepProgress) update(done, total int) {
	if total <= 0 {
		return
	}
	if !p.seen {
		p.seen, p.first = true, done
	}
	p.done, p.total = done, total
	if done == total {
		return // the last line is finish's
	}
	if t, ok := p.pace.due(int64(done * 100 / total)); ok {
		fmt.Fprintln(p.w, p.line(t))
	}
}

func (p *lineSweepProgress) line(t time.Time) string {
	elapsed := t.Sub(p.pace.start)
	ran := p.done - p.first
	s := fmt.Sprintf("ecssim: sweep %s: %d/%d runs (%d%%)", p.name, p.done, p.total, p.done*100/p.total)
	if ran > 0 && elapsed > 0 {
		rate := float64(ran) / elapsed.Seconds()
		s += fmt.Sprintf(", %.1f runs/s, %s elapsed", rate, wallTime(elapsed))
		if p.done < p.total {
			s += ", ETA " + wallTime(time.Duration(float64(p.total-p.done)/rate*float64(time.Second)))
		}
	}
	return s
}

func (p *lineSweepProgress) finish() {
	if p.total > 0 && p.done == p.total {
		fmt.Fprintln(p.w, p.line(p.pace.now()))
	}
}
