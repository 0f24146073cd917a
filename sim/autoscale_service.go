package sim

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecssim/ecssim/autoscaling"
	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/workloads"
)

// serviceScaling is Application Auto Scaling of one service: its scalable
// target (the desired count) with its policies, the metric windows they
// read and its scheduled actions.
type serviceScaling struct {
	scaler *autoscaling.Scaler
	win    autoscaling.Windows
	// feeds lists each distinct (metric, statistic) window once.
	feeds []metricFeed
	sched []workloads.Schedule
}

// metricFeed is one window fed from one CloudWatch metric and statistic.
type metricFeed struct {
	metric string
	stat   autoscaling.Statistic
	win    *autoscaling.Window
}

// feedReq asks for a window over (metric, stat) able to evaluate an alarm
// of periods evaluation periods.
type feedReq struct {
	metric  string
	stat    autoscaling.Statistic
	periods int
}

// newFeeds makes one window per distinct (metric, stat) of reqs, sized for
// the longest evaluation range asked of it with look-back, and returns the
// feeds and each request's window, in order.
func newFeeds(reqs []feedReq) ([]metricFeed, []*autoscaling.Window) {
	var feeds []metricFeed
	idx := make([]int, len(reqs))
	for i, r := range reqs {
		j := slices.IndexFunc(feeds, func(f metricFeed) bool { return f.metric == r.metric && f.stat == r.stat })
		if j < 0 {
			j = len(feeds)
			feeds = append(feeds, metricFeed{metric: r.metric, stat: r.stat})
		}
		idx[i] = j
	}
	size := make([]int, len(feeds))
	for i, r := range reqs {
		size[idx[i]] = max(size[idx[i]], autoscaling.LookbackWindow(r.periods))
	}
	for j := range feeds {
		feeds[j].win = autoscaling.NewWindow(size[j])
	}
	wins := make([]*autoscaling.Window, len(reqs))
	for i := range reqs {
		wins[i] = feeds[idx[i]].win
	}
	return feeds, wins
}

// stepPolicies converts [[...step_scaling]] tables into Application Auto
// Scaling step policies; the threshold shorthand gives up to two.
func stepPolicies(in []scenarios.StepScaling) ([]autoscaling.StepPolicy, error) {
	var out []autoscaling.StepPolicy
	for _, st := range in {
		stat, err := autoscaling.ParseStatistic(st.Statistic)
		if err != nil {
			return nil, err
		}
		cd := st.Cooldown.D()
		if st.ScaleOut != nil || st.ScaleIn != nil {
			for _, sh := range []*scenarios.ThresholdShort{st.ScaleOut, st.ScaleIn} {
				if sh != nil {
					out = append(out, autoscaling.ThresholdStep(st.Metric, stat, sh.Threshold, sh.Adjustment, st.EvaluationPeriods, st.DatapointsToAlarm, cd))
				}
			}
			continue
		}
		cmp, err := autoscaling.ParseComparison(st.Comparison)
		if err != nil {
			return nil, err
		}
		at, err := autoscaling.ParseAdjustmentType(st.AdjustmentType)
		if err != nil {
			return nil, err
		}
		p := autoscaling.StepPolicy{
			Alarm:                  autoscaling.Alarm{Metric: st.Metric, Comparison: cmp, Threshold: *st.Threshold, EvaluationPeriods: st.EvaluationPeriods, DatapointsToAlarm: st.DatapointsToAlarm},
			Statistic:              stat,
			AdjustmentType:         at,
			MinAdjustmentMagnitude: st.MinAdjustmentMagnitude,
			Cooldown:               cd,
		}
		for _, s := range st.Steps {
			sa := autoscaling.StepAdjustment{Lower: negInf, Upper: posInf, Adjustment: s.Adjustment}
			if s.Lower != nil {
				sa.Lower = *s.Lower
			}
			if s.Upper != nil {
				sa.Upper = *s.Upper
			}
			p.Steps = append(p.Steps, sa)
		}
		out = append(out, p)
	}
	return out, nil
}

// buildScaling sets up the service's auto scaling, if it has any policy
// or scheduled action.
func (s *service) buildScaling(w *world) error {
	a := s.sc.Autoscaling
	if a == nil || len(a.TargetTracking)+len(a.StepScaling)+len(a.Scheduled) == 0 {
		return nil
	}
	ss := &serviceScaling{scaler: &autoscaling.Scaler{Min: a.MinCapacity, Max: a.MaxCapacity}}
	steps, err := stepPolicies(a.StepScaling)
	if err != nil {
		return fmt.Errorf("sim: service %s: step_scaling: %v", s.name, err)
	}
	var reqs []feedReq
	for _, tt := range a.TargetTracking {
		m, st, err := autoscaling.CloudWatchMetric(tt.Metric)
		if err != nil {
			return fmt.Errorf("sim: service %s: %v", s.name, err)
		}
		ss.scaler.TT = append(ss.scaler.TT, autoscaling.TargetTracking{
			Metric: m, Target: tt.Target,
			ScaleOutCooldown: tt.ScaleOutCooldown.D(), ScaleInCooldown: tt.ScaleInCooldown.D(),
			DisableScaleIn: tt.DisableScaleIn,
		})
		reqs = append(reqs, feedReq{m, st, autoscaling.TTLowPeriods})
	}
	ss.scaler.Steps = steps
	for _, p := range steps {
		reqs = append(reqs, feedReq{p.Alarm.Metric, p.Statistic, p.Alarm.EvaluationPeriods})
	}
	var wins []*autoscaling.Window
	ss.feeds, wins = newFeeds(reqs)
	ss.win.TT, ss.win.Steps = wins[:len(ss.scaler.TT)], wins[len(ss.scaler.TT):]
	for i, sc := range a.Scheduled {
		sch, err := workloads.ParseSchedule(sc.Schedule, w.sc.Start)
		if err != nil {
			return fmt.Errorf("sim: service %s: scheduled %d: %v", s.name, i, err)
		}
		ss.sched = append(ss.sched, sch)
	}
	s.scaling = ss
	s.load.scaled = len(ss.feeds) > 0
	return nil
}

// startScheduled schedules each scheduled action's first firing.
func (s *service) startScheduled(w *world) {
	if s.scaling == nil {
		return
	}
	for i := range s.scaling.sched {
		s.scheduleAction(w, i, -1)
	}
}

// scheduleAction pushes scheduled action i's next firing strictly after
// `after` (-1: the first, which may be at t = 0).
func (s *service) scheduleAction(w *world, i int, after Time) {
	d, ok := s.scaling.sched[i].Next(time.Duration(after) * time.Millisecond)
	if !ok {
		return
	}
	at := Time(d.Milliseconds())
	w.push(Event{At: at, Kind: KindArrival, Op: opScheduledAction, Target: int32(s.idx), Arg: uint32(i), Order: int32(s.idx)})
}

// runScheduled runs scheduled action i: min and/or max capacity change
// and the desired count is clamped into the range at once, cooldowns
// notwithstanding (ECS-SEMANTICS.md §5).
//
// Model assumption: an action that leaves the desired count as it is
// records no activity (activities are changes of capacity).
func (s *service) runScheduled(w *world, i int) {
	sc := &s.sc.Autoscaling.Scheduled[i]
	to := s.scaling.scaler.SetRange(sc.MinCapacity, sc.MaxCapacity, s.desired)
	reason := "scheduled " + sc.Schedule
	if sc.MinCapacity != nil {
		reason += fmt.Sprintf(" min_capacity %d", *sc.MinCapacity)
	}
	if sc.MaxCapacity != nil {
		reason += fmt.Sprintf(" max_capacity %d", *sc.MaxCapacity)
	}
	s.setDesired(w, to, reason)
	s.scheduleAction(w, i, w.now)
}

// scaleTick closes the service's 1-minute datapoints, feeds its alarm
// windows and applies the scaler's decision.
func (s *service) scaleTick(w *world) {
	ss := s.scaling
	if ss == nil || len(ss.feeds) == 0 {
		return
	}
	s.load.advance(w)
	cpu, mem, req := s.load.closeMinute()
	for i := range ss.feeds {
		f := &ss.feeds[i]
		var d autoscaling.Datapoint
		switch f.metric {
		case mCPUUtilization:
			d = cpu
		case mMemoryUtilization:
			d = mem
		case mRequestCountPerTarget:
			d = req
		default:
			panic("sim: service metric " + f.metric)
		}
		f.win.Push(d.Value(f.stat))
	}
	dec, ok := ss.scaler.Evaluate(time.Duration(w.now)*time.Millisecond, s.desired, ss.win, s.scaleInSuspended())
	if ok {
		s.setDesired(w, dec.To, dec.Reason)
	}
}

// scaleInSuspended reports whether Application Auto Scaling holds
// scale-in: ECS suspends it while a deployment is in progress
// (ECS-SEMANTICS.md §5).
func (s *service) scaleInSuspended() bool { return s.dep != nil }
