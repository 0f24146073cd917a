package autoscaling

import (
	"fmt"
	"time"
)

// Scaler is Application Auto Scaling for one scalable target (a service's
// desired count, or a threshold-scaled Auto Scaling group's capacity): its
// range, its policies and their cooldown state. It decides; the caller
// applies every decision it returns.
//
// Combining policies (ECS-SEMANTICS.md §5): the target scales out if any
// policy says so, to the largest capacity proposed; it scales in only if
// all agree: every target tracking policy with scale-in enabled and every
// step policy whose alarm fires on low values (<, <=) proposes a scale-in,
// to the largest capacity proposed (Application Auto Scaling picks the
// policy giving the largest capacity). A step whose adjustment goes
// against its alarm's direction proposes nothing.
//
// Cooldowns: during a scale-out cooldown the capacity added by the
// scale-out that started it counts toward the next decision, so a policy
// proposes from the capacity before that scale-out and acts only when it
// asks for more than is already there. A scale-in cooldown blocks scale-in
// only, and a scale-out ends it. Scheduled actions ignore cooldowns.
//
// Model assumption: the cooldown state is the target's, not each
// policy's: a scale-out by any policy starts the scale-out cooldown of the
// policy that made it (its length) for all, and likewise for scale-in.
// Application Auto Scaling documents cooldowns per policy; with the
// combination rule above the two differ only when policies disagree on
// cooldown lengths.
type Scaler struct {
	Min, Max int
	TT       []TargetTracking
	Steps    []StepPolicy

	outUntil time.Duration // end of the scale-out cooldown
	outBase  int           // capacity before the scale-out that started it
	inUntil  time.Duration // end of the scale-in cooldown
	inOut    bool          // a scale-out cooldown is running
	inIn     bool          // a scale-in cooldown is running
}

// Decision is a change of capacity and why.
type Decision struct {
	From, To int
	Reason   string
}

// Windows are the metric windows a Scaler reads: TT[i] holds the
// datapoints of Scaler.TT[i]'s metric (its statistic), Steps[i] those of
// Scaler.Steps[i]'s alarm metric and statistic. Policies on the same
// metric may share a window.
type Windows struct {
	TT    []*Window
	Steps []*Window
}

// proposal is one policy's wish.
type proposal struct {
	to     int
	reason string
}

// Evaluate runs every policy at now (an offset from the scenario start)
// against the current capacity and returns the decision, ok false when the
// capacity stays. scaleInSuspended (a deployment in progress) blocks
// scale-in. The Scaler's cooldown state advances when a decision is
// returned.
func (s *Scaler) Evaluate(now time.Duration, current int, win Windows, scaleInSuspended bool) (Decision, bool) {
	if len(win.TT) != len(s.TT) || len(win.Steps) != len(s.Steps) {
		panic("autoscaling: one window per policy")
	}
	if s.inOut && now >= s.outUntil {
		s.inOut = false
	}
	if s.inIn && now >= s.inUntil {
		s.inIn = false
	}
	// Proposals are made from the base: the capacity before the scale-out
	// whose cooldown runs, else the current capacity.
	base := current
	if s.inOut {
		// A scale-in or a lower maximum since the scale-out leaves less
		// than the base: propose from what is there.
		base = min(s.outBase, current)
	}
	var out, in *proposal
	var outCooldown, inCooldown time.Duration
	ttInEnabled, ttInAgree := 0, 0
	var ttIn *proposal
	var ttInCool time.Duration
	for i, p := range s.TT {
		hi := p.HighAlarm()
		if e := hi.Evaluate(win.TT[i]); e.State == InAlarm {
			to := s.clamp(p.Desired(base, e.Latest))
			if to > current && (out == nil || to > out.to) {
				out = &proposal{to, hi.Reason("alarm_high", e)}
				outCooldown = p.ScaleOutCooldown
			}
		}
		if p.DisableScaleIn {
			continue
		}
		ttInEnabled++
		lo := p.LowAlarm()
		if e := lo.Evaluate(win.TT[i]); e.State == InAlarm {
			to := s.clamp(p.Desired(current, e.Latest))
			if to < current {
				ttInAgree++
				if ttIn == nil || to > ttIn.to {
					ttIn = &proposal{to, lo.Reason("alarm_low", e)}
					ttInCool = p.ScaleInCooldown
				}
			}
		}
	}
	var stepIn *proposal
	var stepInCool time.Duration
	stepInEnabled, stepInAgree := 0, 0
	for i, p := range s.Steps {
		upward := p.Alarm.Comparison.Upward()
		if !upward {
			stepInEnabled++ // a scale-in policy: it must agree to scale in
		}
		e := p.Alarm.Evaluate(win.Steps[i])
		if e.State != InAlarm {
			continue
		}
		st, ok := p.Step(e.Latest)
		if !ok {
			continue
		}
		kind := "alarm_high"
		if !p.Alarm.Comparison.Upward() {
			kind = "alarm_low"
		}
		// The step's direction is fixed from the current capacity: a
		// scale-out step proposed from the base that lands at or below the
		// current capacity asks for nothing (it must not scale in).
		up := p.Apply(st, current) > current
		if up != upward {
			continue // a step against its alarm's direction asks for nothing
		}
		from := current
		if up {
			from = base
		}
		to := s.clamp(p.Apply(st, from))
		reason := p.Alarm.Reason(kind, e) + fmt.Sprintf(" step %+d", st.Adjustment)
		switch {
		case up && to > current:
			if out == nil || to > out.to {
				out = &proposal{to, reason}
				outCooldown = p.Cooldown
			}
		case !up && to < current:
			stepInAgree++
			if stepIn == nil || to > stepIn.to {
				stepIn = &proposal{to, reason}
				stepInCool = p.Cooldown
			}
		}
	}
	if out != nil {
		if !s.inOut {
			s.outBase = current
		}
		s.inOut, s.outUntil = true, now+outCooldown
		s.inIn = false // a scale-out ends the scale-in cooldown
		return Decision{From: current, To: out.to, Reason: out.reason}, true
	}
	if scaleInSuspended || s.inIn {
		return Decision{}, false
	}
	// Scale in only if every policy that can scale in agrees: each target
	// tracking policy with scale-in enabled and each step policy whose
	// alarm fires on low values; the largest capacity proposed wins.
	if enabled := ttInEnabled + stepInEnabled; enabled == 0 || ttInAgree+stepInAgree < enabled {
		return Decision{}, false
	}
	in, inCooldown = ttIn, ttInCool
	if stepIn != nil && (in == nil || stepIn.to > in.to) {
		in, inCooldown = stepIn, stepInCool
	}
	s.inIn, s.inUntil = true, now+inCooldown
	return Decision{From: current, To: in.to, Reason: in.reason}, true
}

// SetRange is a scheduled action: it sets min and/or max (nil leaves one
// as it is) and returns the current capacity clamped into the new range at
// once, whatever the cooldowns (ECS-SEMANTICS.md §5). A new minimum above
// the maximum raises the maximum too, and the reverse, as
// RegisterScalableTarget would reject the pair otherwise.
//
// Model assumption: ecssim keeps min ≤ max by moving the bound the action
// did not name; AWS rejects such an action instead.
func (s *Scaler) SetRange(min, max *int, current int) int {
	if min != nil {
		s.Min = *min
		if s.Max < s.Min {
			s.Max = s.Min
		}
	}
	if max != nil {
		s.Max = *max
		if s.Min > s.Max {
			s.Min = s.Max
		}
	}
	return s.clamp(current)
}

func (s *Scaler) clamp(n int) int {
	return min(max(n, s.Min), s.Max)
}
