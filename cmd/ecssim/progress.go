package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ecssim/ecssim/sim"
)

// progress reports how far a run has simulated, on stderr. update is the
// sim.Options.Progress callback (done and total are simulated
// milliseconds); finish is called once after the run, with whether it
// completed.
type progress interface {
	update(done, total sim.Time)
	finish(completed bool)
}

// newProgress picks how `ecssim run` shows progress: a bar on a terminal,
// plain lines on any other stderr, nothing off a terminal with --quiet.
// now is the wall clock.
func newProgress(e *env, name string, quiet bool) progress {
	switch {
	case quiet:
		return noProgress{} // nothing with --quiet, terminal or not
	case e.stderrIsTerminal():
		return &barProgress{w: e.stderr, name: name}
	}
	return newLineProgress(e.stderr, name, e.clock())
}

type noProgress struct{}

func (noProgress) update(sim.Time, sim.Time) {}
func (noProgress) finish(bool)               {}

// barProgress draws the simulated time reached as a bar on a terminal:
// "simulating NAME 2d19h/7d", the share of the horizon, and the elapsed
// and remaining wall time. It is created on the first update, when the
// horizon is known, and cleared at the end.
type barProgress struct {
	w    io.Writer
	name string
	desc string
	bar  *progressbar.ProgressBar
}

func (p *barProgress) update(done, total sim.Time) {
	if total <= 0 {
		return
	}
	done = min(max(done, 0), total)
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(int64(total),
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true), // [elapsed:remaining]
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
	}
	if d := fmt.Sprintf("simulating %s %s/%s", p.name, simTime(done, 2), simTime(total, 0)); d != p.desc {
		p.desc = d
		p.bar.Describe(d)
	}
	p.bar.Set64(int64(done))
}

func (p *barProgress) finish(bool) {
	if p.bar == nil {
		return
	}
	p.bar.Finish()
	p.bar.Clear()
}

// The pace of the plain progress lines: a line when the run has simulated
// another lineStepPercent of its horizon and lineEvery of wall time has
// passed since the previous line (or the start), whichever comes later.
const (
	lineStepPercent = 10
	lineEvery       = 5 * time.Second
)

// lineProgress writes plain progress lines, for a stderr that is not a
// terminal (a CI log, a file):
//
//	ecssim: NAME: 40% simulated 2d19h of 7d, 6.2 s elapsed, ETA 9.3 s
//
// at the pace of lineStepPercent and lineEvery, and when the run completes
//
//	ecssim: NAME: 100% simulated 7d of 7d, 15.5 s elapsed
//
// The percentage is rounded down, the simulated time done truncated to two
// units; the ETA assumes the rest of the horizon goes at the pace so far.
type lineProgress struct {
	w     io.Writer
	name  string
	pace  linePace
	done  sim.Time
	total sim.Time
}

func newLineProgress(w io.Writer, name string, now func() time.Time) *lineProgress {
	return &lineProgress{w: w, name: name, pace: newLinePace(now)}
}

func (p *lineProgress) update(done, total sim.Time) {
	if total <= 0 {
		return
	}
	p.done, p.total = min(max(done, 0), total), total
	pct := int64(p.done) * 100 / int64(total) // rounded down; exact in integers
	if p.done == total {
		return // the last line is finish's
	}
	t, ok := p.pace.due(pct)
	if !ok {
		return
	}
	elapsed := t.Sub(p.pace.start)
	eta := time.Duration(float64(elapsed) * float64(total-p.done) / float64(p.done))
	fmt.Fprintf(p.w, "ecssim: %s: %d%% simulated %s of %s, %s elapsed, ETA %s\n", p.name,
		pct, simTime(p.done, 2), simTime(total, 0), wallTime(elapsed), wallTime(eta))
}

func (p *lineProgress) finish(completed bool) {
	if !completed || p.total <= 0 || p.done < p.total {
		return
	}
	fmt.Fprintf(p.w, "ecssim: %s: 100%% simulated %s of %s, %s elapsed\n", p.name,
		simTime(p.total, 0), simTime(p.total, 0), wallTime(p.pace.now().Sub(p.pace.start)))
}

// linePace times plain progress lines (of a run and of a sweep): a line is
// due when another lineStepPercent is done and lineEvery of wall time has
// passed since the previous line (or the start), whichever comes later.
type linePace struct {
	now   func() time.Time
	start time.Time
	last  time.Time // wall time of the previous line, or the start
	next  int64     // the percentage the next line waits for
}

func newLinePace(now func() time.Time) linePace {
	t := now()
	return linePace{now: now, start: t, last: t, next: lineStepPercent}
}

// due reports whether a line is due at pct percent done, with the wall
// time; when it is, the line counts as written.
func (p *linePace) due(pct int64) (time.Time, bool) {
	if pct < p.next {
		return time.Time{}, false
	}
	t := p.now()
	if t.Sub(p.last) < lineEvery {
		return t, false
	}
	p.last = t
	// The next line waits for the next whole step beyond this one.
	p.next = (pct/lineStepPercent + 1) * lineStepPercent
	return t, true
}

// simTime formats simulated milliseconds the way scenarios write durations
// ("2d19h", "45m", "30s"), truncated to its units most significant units
// counted from the largest nonzero one (1d0h5m is "1d" with two units), or
// exact to the millisecond when units is 0.
func simTime(t sim.Time, units int) string {
	ms := int64(t)
	if ms <= 0 {
		return "0s"
	}
	var b strings.Builder
	n := 0
	for _, u := range []struct {
		name string
		ms   int64
	}{{"d", 86_400_000}, {"h", 3_600_000}, {"m", 60_000}, {"s", 1000}, {"ms", 1}} {
		q := ms / u.ms
		if n == 0 && q == 0 {
			continue // not yet at the largest nonzero unit
		}
		if q > 0 {
			b.WriteString(strconv.FormatInt(q, 10) + u.name)
		}
		ms -= q * u.ms
		if n++; n == units {
			break
		}
	}
	return b.String()
}

// wallTime formats a wall-clock duration: "1.2 s" under a minute, else to
// the second ("3m20s", "1h2m3s").
func wallTime(d time.Duration) string {
	if d < time.Minute {
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	}
	return d.Round(time.Second).String()
}
