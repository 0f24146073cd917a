package sim

import (
	"math"
	"strings"
	"testing"
)

// TestServiceMinuteDatapoint pins the 1-minute service datapoints the
// scaling alarms read (ECS developer guide "Amazon ECS service utilization
// metrics": Average = used / (reserved × tasks), Minimum and Maximum are
// the least and most used task; ECS samples every 20 s; the ALB's
// RequestCountPerTarget is requests per target in the minute, Sum).
//
// One minute of 4 RUNNING tasks of 1 vCPU / 1024 MiB, 2 of them healthy,
// 100 requests/s at 0.02 vCPU-s each (2 vCPUs), memory_base 256 MiB and
// 1 MiB per request/s:
//   - served = min(2, 2 healthy × 1) = 2 vCPUs; Average 2/(4 × 1) = 50 %;
//     Maximum a healthy task, 1 vCPU of 1 = 100 %; Minimum a task not yet
//     healthy, 0 %.
//   - memory: healthy task 256 + 100/2 = 306 MiB (29.88 %), the others 256
//     (25 %), average (4 × 256 + 100)/4 = 281 MiB = 27.44 %.
//   - SampleCount 4 tasks × 60 s / 20 s = 12; Sum = 50 × 12 = 600.
//   - RequestCountPerTarget = 100/s / 2 healthy × 60 s = 3000.
func TestServiceMinuteDatapoint(t *testing.T) {
	l := &loadModel{memBase: 256, memPerRPS: 1, rpsMode: true,
		demand: 2, rps: 100, running: 4, healthy: 2,
		rv: 4, rm: 4 * 1024, hv: [2]float64{2, 0}, hm: 2 * 1024, healthySet: [2]int{2, 0}}
	l.minute.reset()
	l.addMinute(float64(Minute), l.served())
	cpu, mem, req := l.closeMinute()
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"cpu Average", cpu.Average, 50}, {"cpu Maximum", cpu.Maximum, 100}, {"cpu Minimum", cpu.Minimum, 0},
		{"cpu SampleCount", cpu.SampleCount, 12}, {"cpu Sum", cpu.Sum, 600},
		{"mem Average", mem.Average, 100 * 281.0 / 1024}, {"mem Maximum", mem.Maximum, 100 * 306.0 / 1024},
		{"mem Minimum", mem.Minimum, 25},
		{"RequestCountPerTarget Sum", req.Sum, 3000}, {"RequestCountPerTarget Average", req.Average, 3000},
	} {
		wantClose(t, c.what, c.got, c.want, 1e-12)
	}
	// The next minute with no running task has no datapoint
	// (INSUFFICIENT_DATA), and no healthy target means no request count.
	l.running, l.healthy, l.rv, l.rm, l.hv, l.hm = 0, 0, 0, 0, [2]float64{}, 0
	l.addMinute(float64(Minute), l.served())
	cpu, mem, req = l.closeMinute()
	if cpu.Present() || mem.Present() || req.Present() || !math.IsNaN(cpu.Value(0)) {
		t.Errorf("a minute without running tasks gave datapoints %+v %+v %+v", cpu, mem, req)
	}
}

// TestStepGroupScalingOnCPUUtilization: the threshold scaler on the
// group's CPUUtilization (ECS developer guide "Amazon ECS CloudWatch
// metrics": CPU units used by tasks / CPU units registered). Two
// m6i.xlarge register at once (2 × 4096 units); 4 tasks of 1024 start at
// once and serve 40 s later (healthy_after); demand is 3 vCPUs, so the
// tasks use 3 × 1024 = 3072 units: 37.5 % once healthy.
//   - minute [0, 1m): 3072 for 20 s of 60 → 12.5 %; [1m, 2m) and
//     [2m, 3m): 37.5 %. scale_out = { threshold = 30 } over 3 periods sees
//     2 of 3 at 3m and 3 of 3 at the 4m tick: +1 → 3 instances at 240 s.
//   - Then 3072 / 12288 = 25 %: neither ≥ 30 nor ≤ 10; the 300 s cooldown
//     would hold a repeat anyway. One activity.
//
// The same with metrics_period = "5m": scaling alarms read 1-minute
// datapoints whatever the reporting period (SCENARIO.md "Service auto
// scaling").
func TestStepGroupScalingOnCPUUtilization(t *testing.T) {
	for _, period := range []string{"1m", "5m"} {
		t.Run("metrics_period="+period, func(t *testing.T) { stepOnCPUUtilization(t, period) })
	}
}

func stepOnCPUUtilization(t *testing.T, period string) {
	r := runScenario(t, `
name = "steputil"
duration = "30m"
metrics_period = "`+period+`"
[cluster]
availability_zones = ["us-east-1a"]
default_capacity_provider_strategy = [ { capacity_provider = "g", weight = 1 } ]
[[capacity_providers]]
name = "g"
instance_types = ["m6i.xlarge"]
min_size = 1
max_size = 10
desired_capacity = 2
launch_time = "0s"
  [[capacity_providers.step_scaling]]
  metric = "CPUUtilization"
  scale_out = { threshold = 30, adjustment = 1 }
  scale_in  = { threshold = 10, adjustment = -1 }
  evaluation_periods = 3
[[task_definitions]]
family = "app"
cpu = 1024
memory = 2048
network_mode = "bridge"
startup_time = { dist = "constant", value = "0s" }
healthy_after = "40s"
[[services]]
name = "app"
task_definition = "app"
desired_count = 4
  [services.load]
  cpu = 3.0
`, 1)
	acts := r.Activities
	if len(acts) != 1 {
		t.Fatalf("activities %+v, want one", acts)
	}
	a := acts[0]
	if a.AtSeconds != 240 || a.From != 2 || a.To != 3 || !strings.HasPrefix(a.Reason, "alarm_high 3/3 CPUUtilization 37.5 >= 30") {
		t.Errorf("activity %+v, want at 240 s 2 -> 3 with reason alarm_high 3/3 CPUUtilization 37.5 >= 30", a)
	}
}

// TestTargetTrackingOnRequestCount: ALBRequestCountPerTarget tracks
// requests per healthy task per minute (ECS-SEMANTICS.md §5; the ALB
// metric's Sum). 100 requests/s over 2 Fargate tasks that serve from 40 s:
//   - minute [0, 1m): 50 requests/s per target for 20 s = 1000, not above
//     the target 1000; [1m, 2m) and [2m, 3m): 3000. Three of three above
//     the target first at the 4m tick: ceil(2 × 3000 / 1000) = 6 at 240 s.
//   - Six tasks: 100/6 × 60 = 1000 per target, at the target: no scale-out;
//     not below 900: no scale-in. One activity.
func TestTargetTrackingOnRequestCount(t *testing.T) {
	r := runScenario(t, `
name = "alb"
duration = "1h"
[[task_definitions]]
family = "web"
cpu = 512
memory = 1024
startup_time = { dist = "constant", value = "0s" }
healthy_after = "40s"
[[services]]
name = "web"
task_definition = "web"
desired_count = 2
  [services.load]
  requests_per_second = 100
  cpu_per_request = "1ms"
  [services.autoscaling]
  min_capacity = 1
  max_capacity = 20
    [[services.autoscaling.target_tracking]]
    metric = "ALBRequestCountPerTarget"
    target = 1000
`, 1)
	if len(r.Activities) != 1 {
		t.Fatalf("activities %+v, want one", r.Activities)
	}
	a := r.Activities[0]
	if a.AtSeconds != 240 || a.From != 2 || a.To != 6 || a.Reason != "alarm_high 3/3 RequestCountPerTarget 3000 > 1000" {
		t.Errorf("activity %+v, want at 240 s 2 -> 6, alarm_high 3/3 RequestCountPerTarget 3000 > 1000", a)
	}
}

// TestTargetTrackingOnMemory: ECSServiceAverageMemoryUtilization. Each
// task holds memory_base 600 MiB of its 1024 MiB whatever the load, so the
// metric is 600/1024 = 58.59 % from the first minute (running tasks count
// before they are healthy) and more tasks never lower it:
//   - 3 of 3 above 50 at the 3m tick: ceil(2 × 58.59 / 50) = 3.
//   - The 300 s scale-out cooldown proposes from 2 (3 again) until 8m,
//     then ceil(3 × 58.59 / 50) = 4 at 480 s, and so on, every 300 s.
func TestTargetTrackingOnMemory(t *testing.T) {
	r := runScenario(t, `
name = "mem"
duration = "10m"
[[task_definitions]]
family = "web"
cpu = 512
memory = 1024
[[services]]
name = "web"
task_definition = "web"
desired_count = 2
  [services.load]
  cpu = 0.1
  memory_base = 600
  [services.autoscaling]
  min_capacity = 1
  max_capacity = 20
    [[services.autoscaling.target_tracking]]
    metric = "ECSServiceAverageMemoryUtilization"
    target = 50
`, 1)
	want := []Activity{
		{AtSeconds: 180, Resource: "service/web", From: 2, To: 3, Reason: "alarm_high 3/3 MemoryUtilization 58.59 > 50"},
		{AtSeconds: 480, Resource: "service/web", From: 3, To: 4, Reason: "alarm_high 3/3 MemoryUtilization 58.59 > 50"},
	}
	if len(r.Activities) != len(want) {
		t.Fatalf("activities %+v, want %+v", r.Activities, want)
	}
	for i := range want {
		if r.Activities[i] != want[i] {
			t.Errorf("activity %d = %+v, want %+v", i, r.Activities[i], want[i])
		}
	}
}
