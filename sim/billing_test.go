package sim

import (
	"fmt"
	"testing"
)

// Billing tests: SCENARIO.md "Billing and cost" and ECS-SEMANTICS.md §1
// and §9. Rates (us-east-1, the builtin catalog, from AWS Fargate pricing
// and Amazon EC2 On-Demand pricing): Fargate Linux x86 0.04048 USD per
// vCPU-hour and 0.004445 per GB-hour; m6i.xlarge 0.192 USD/hour; Fargate
// Spot = on-demand × (1 − 0.69) = × 0.31.
const (
	fargateVCPUHour = 0.04048
	fargateGBHour   = 0.004445
	m6iXlargeHour   = 0.192
	fargateSpotMult = 0.31
	// A 512 CPU / 1024 MiB Fargate task: 0.5 × 0.04048 + 1 × 0.004445
	// = 0.02024 + 0.004445 = 0.024685 USD/hour.
	fargate512x1024Hour = 0.5*fargateVCPUHour + 1*fargateGBHour
)

// fargateServiceScenario is one Fargate service of `tasks` tasks of 512 CPU
// and 1024 MiB, startup 0 s, on the given provider.
func fargateServiceScenario(duration, warmup, provider string, tasks int, extra string) string {
	return fmt.Sprintf(`
name = "fargate-bill"
region = "us-east-1"
duration = %q
warmup = %q
[[task_definitions]]
family = "web"
cpu = 512
memory = 1024
startup_time = "0s"
[[services]]
name = "web"
task_definition = "web"
desired_count = %d
capacity_provider_strategy = [ { capacity_provider = %q, weight = 1 } ]
%s`, duration, warmup, tasks, provider, extra)
}

// TestFargateServiceBill: Fargate bills each task from the start of PENDING
// to STOPPED, per second (AWS Fargate pricing). Two tasks placed at t = 0
// (Fargate always places; startup 0 s) and still running at the 2 h horizon
// bill 2 × 7200 s × 0.024685/3600 = 2 × 2 h × 0.024685 = 0.09874 USD; all
// of it is the service's (no idle on Fargate). monthly_usd with no warmup
// = 0.09874 × 730 / 2 = 36.04010. Fargate Spot is the same at × 0.31:
// 0.0306094 and 11.172431.
func TestFargateServiceBill(t *testing.T) {
	for _, tc := range []struct {
		provider string
		mult     float64
	}{
		{"FARGATE", 1},
		{"FARGATE_SPOT", fargateSpotMult},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			r := runScenario(t, fargateServiceScenario("2h", "0s", tc.provider, 2, ""), 1)
			want := 2 * 2 * fargate512x1024Hour * tc.mult // 0.09874 × mult
			wantClose(t, "total_usd", r.Cost.TotalUSD, want, 1e-9)
			wantClose(t, "by_capacity_provider["+tc.provider+"]", r.Cost.ByCapacityProvider[tc.provider], want, 1e-9)
			wantClose(t, "by_service[web]", r.Cost.ByService["web"], want, 1e-9)
			wantClose(t, "idle_usd", r.Cost.IdleUSD, 0, 1e-9)
			wantClose(t, "monthly_usd", r.Cost.MonthlyUSD, want*730/2, 1e-9)
			if len(r.Cost.ByCapacityProvider) != 1 {
				t.Errorf("by_capacity_provider = %v, want only %s", r.Cost.ByCapacityProvider, tc.provider)
			}
			p := r.CapacityProviders[tc.provider]
			if p == nil || p.TaskHours == nil {
				t.Fatalf("capacity_providers[%s] missing task_hours: %+v", tc.provider, p)
			}
			// 2 tasks × 2 h; 2 × 0.5 vCPU × 2 h; 2 × 1 GB × 2 h.
			wantClose(t, "task_hours", *p.TaskHours, 4, 1e-9)
			wantClose(t, "vcpu_hours", *p.VCPUHours, 2, 1e-9)
			wantClose(t, "gb_hours", *p.GBHours, 4, 1e-9)
			checkCostIdentity(t, r)
		})
	}
}

// TestMonthlyProjectionUsesWindow: monthly_usd = cost accrued in [warmup,
// end) × 730 h / (duration − warmup), while total_usd is the whole run.
// Four Fargate tasks run from 0; a scale event at 2 h (= warmup) sets
// desired 2, so two tasks drain for stop_timeout 30 s (a STOPPING task
// keeps its billing) and stop at 2 h 0 min 30 s.
//
//	total  = 0.024685 × (2 tasks × 10 h + 2 tasks × (2 h + 30 s))
//	       = 0.024685 × (20 + 4.0166667) h = 0.592850 USD
//	window = 0.024685 × (2 × 8 h + 2 × 30 s) = 0.024685 × 16.0166667
//	monthly = window × 730 / 8
//
// (The two stopped tasks cost rate × their life, so under the model
// assumption that a cost accrues evenly over its life their in-window part
// is exactly rate × 30 s.)
func TestMonthlyProjectionUsesWindow(t *testing.T) {
	ev := `
[[events]]
at = "2h"
type = "scale"
service = "web"
desired_count = 2
`
	r := runScenario(t, fargateServiceScenario("10h", "2h", "FARGATE", 4, ev), 1)
	h := fargate512x1024Hour
	stopHours := 30.0 / 3600
	wantTotal := h * (2*10 + 2*(2+stopHours))
	window := h * (2*8 + 2*stopHours)
	wantClose(t, "total_usd", r.Cost.TotalUSD, wantTotal, 1e-9)
	wantClose(t, "monthly_usd", r.Cost.MonthlyUSD, window*730/8, 1e-9)
	checkCostIdentity(t, r)
}

// ec2BillScenario: one on-demand group of 2 m6i.xlarge (4096 CPU units
// registered each) held at desired_capacity for 10 h, launch_time 90 s,
// with the services in svc.
func ec2BillScenario(warmup, svc string) string {
	return fmt.Sprintf(`
name = "ec2-bill"
region = "us-east-1"
duration = "10h"
warmup = %q
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "general", weight = 1 } ]
[[capacity_providers]]
name = "general"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 2
max_size = 2
desired_capacity = 2
launch_time = "90s"
[[task_definitions]]
family = "small"
cpu = 1024
memory = 512
network_mode = "bridge"
[[task_definitions]]
family = "large"
cpu = 3072
memory = 512
network_mode = "bridge"
%s`, warmup, svc)
}

// TestEC2BillSplit: EC2 bills instances from launch (launch time included)
// to termination, per second; each instance-second is split among the
// services and jobs whose tasks hold it by reserved CPU share, the rest is
// idle_usd (SCENARIO.md "Billing and cost").
//
// Total for every case: 2 instances × 10 h × 0.192 = 3.84 USD, and
// monthly_usd = 3.84 × 730 / 10 = 280.32 (warmup 0) or, with warmup 1 h,
// (2 × 9 h × 0.192) × 730 / 9 = 280.32 as well (a constant cost rate).
// Tasks are wanted at t = 0 and placed when the instances register at 90 s;
// an instance held from 90 s to the horizon costs 0.192 × 35910 s / 3600
// = 1.9152 USD.
//
//   - alone: one 1024-CPU task is the only holder of its instance, so the
//     service pays the whole 1.9152; idle = 3.84 − 1.9152 = 1.9248 (the
//     other instance, and 90 s of launch on this one).
//   - shared: binpack on cpu puts a 1024-CPU task ("a") and a 3072-CPU task
//     ("b") on the same instance (ECS-SEMANTICS.md §2.3: least remaining
//     CPU that fits, ties by lowest id): a pays 1/4 × 1.9152 = 0.4788, b
//     pays 3/4 × 1.9152 = 1.4364, idle 1.9248.
func TestEC2BillSplit(t *testing.T) {
	held := m6iXlargeHour * (36000 - 90) / 3600 // 1.9152
	total := 2 * 10 * m6iXlargeHour             // 3.84
	for _, tc := range []struct {
		name, warmup, svc string
		want              map[string]float64
	}{
		{"alone", "0s", `
[[services]]
name = "a"
task_definition = "small"
desired_count = 1
`, map[string]float64{"a": held}},
		{"alone-warmup", "1h", `
[[services]]
name = "a"
task_definition = "small"
desired_count = 1
`, map[string]float64{"a": held}},
		{"shared", "0s", `
[[services]]
name = "a"
task_definition = "small"
desired_count = 1
placement_strategy = [ { type = "binpack", field = "cpu" } ]
[[services]]
name = "b"
task_definition = "large"
desired_count = 1
placement_strategy = [ { type = "binpack", field = "cpu" } ]
`, map[string]float64{"a": held / 4, "b": held * 3 / 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runScenario(t, ec2BillScenario(tc.warmup, tc.svc), 1)
			wantClose(t, "total_usd", r.Cost.TotalUSD, total, 1e-9)
			wantClose(t, "by_capacity_provider[general]", r.Cost.ByCapacityProvider["general"], total, 1e-9)
			wantClose(t, "monthly_usd", r.Cost.MonthlyUSD, 2*m6iXlargeHour*730, 1e-9)
			sum := 0.0
			for name, want := range tc.want {
				wantClose(t, "by_service["+name+"]", r.Cost.ByService[name], want, 1e-9)
				sum += want
			}
			wantClose(t, "idle_usd", r.Cost.IdleUSD, total-sum, 1e-9)
			checkCostIdentity(t, r)
			p := r.CapacityProviders["general"]
			if p.InstanceHours == nil {
				t.Fatal("instance_hours is null")
			}
			// instance_hours after warmup: 2 × (10 h − warmup).
			wantHours := 20.0
			if tc.warmup == "1h" {
				wantHours = 18
			}
			wantClose(t, "instance_hours", *p.InstanceHours, wantHours, 1e-9)
		})
	}
}

// TestBillingMinimums: Fargate bills at least one minute a task and EC2 at
// least 60 s an instance (AWS Fargate pricing: "per second with a 1-minute
// minimum"; EC2 "Instance billing": per-second, 60 s minimum), and at the
// horizon every meter stops with its minimum applied.
func TestBillingMinimums(t *testing.T) {
	t.Run("fargate-job", func(t *testing.T) {
		// A FARGATE job of 256 CPU / 512 MiB running 10 s, submitted at
		// 1 h and 2 h (rate(1 hour) first fires at start + 1 h; 3 h is the
		// horizon, excluded). Each bills 60 s at 0.25 × 0.04048 + 0.5 ×
		// 0.004445 = 0.0123425 USD/h: 2 × 0.0123425 / 60 = 0.000411417.
		r := runScenario(t, `
name = "fargate-min"
duration = "3h"
[[task_definitions]]
family = "tiny"
cpu = 256
memory = 512
startup_time = "0s"
[[jobs]]
name = "tick"
task_definition = "tiny"
schedule = "rate(1 hour)"
duration = "10s"
launch_type = "FARGATE"
`, 1)
		want := 2 * (0.25*fargateVCPUHour + 0.5*fargateGBHour) / 60
		j := jobResult(t, r, "tick")
		if j.Submitted != 2 || j.Completed != 2 {
			t.Errorf("submitted %d completed %d, want 2 and 2", j.Submitted, j.Completed)
		}
		wantClose(t, "total_usd", r.Cost.TotalUSD, want, 1e-9)
		wantClose(t, "by_job[tick]", r.Cost.ByJob["tick"], want, 1e-9)
		checkCostIdentity(t, r)
	})
	t.Run("ec2-horizon", func(t *testing.T) {
		// Two instances launched at 0 and cut off by a 30 s horizon bill
		// 60 s each: 2 × 0.192 × 60 / 3600 = 0.0064 USD, all idle.
		r := runScenario(t, `
name = "ec2-min"
duration = "30s"
metrics_period = "10s"
[cluster]
default_capacity_provider_strategy = [ { capacity_provider = "general", weight = 1 } ]
[[capacity_providers]]
name = "general"
instance_types = ["m6i.xlarge"]
market = "on_demand"
min_size = 2
max_size = 2
desired_capacity = 2
`, 1)
		want := 2 * m6iXlargeHour * 60 / 3600
		wantClose(t, "total_usd", r.Cost.TotalUSD, want, 1e-9)
		wantClose(t, "idle_usd", r.Cost.IdleUSD, want, 1e-9)
	})
}
