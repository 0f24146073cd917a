package scenarios

import (
	"strings"
	"testing"
	"time"
)

const ruleBase = `name = "r"
duration = "1d"
[[capacity_providers]]
name = "od"
instance_types = ["m6i.xlarge"]
max_size = 4
[[task_definitions]]
family = "web"
cpu = 256
memory = 512
[[task_definitions]]
family = "ec2"
cpu = 1024
memory = 2048
network_mode = "bridge"
`

// TestValidationRules: each rule of SCENARIO.md "Validation" (and the ECS
// rules behind it) rejects a scenario that breaks it. Each case appends to
// ruleBase (one on-demand group "od" of m6i.xlarge; task definitions web
// 256/512 awsvpc and ec2 1024/2048 bridge) and names the message it needs.
// withBase adds src to ruleBase: top-level keys (src not starting with a
// table header) go first.
func withBase(src string) []byte {
	if !strings.HasPrefix(src, "[") {
		return []byte(src + ruleBase)
	}
	return []byte(ruleBase + src)
}

func TestValidationRules(t *testing.T) {
	cases := []struct {
		rule, src, want string
	}{
		{"min_size ≤ desired_capacity ≤ max_size [AWS Auto Scaling, CreateAutoScalingGroup]",
			"[[capacity_providers]]\nname = \"g\"\ninstance_types = [\"m6i.large\"]\nmin_size = 2\nmax_size = 4\ndesired_capacity = 5\n",
			"capacity_providers[1].desired_capacity: must be between min_size 2 and max_size 4, got 5"},
		{"min_capacity ≤ desired_count ≤ max_capacity [service-auto-scaling]",
			"[[services]]\nname = \"s\"\ntask_definition = \"web\"\ndesired_count = 9\n[services.autoscaling]\nmin_capacity = 1\nmax_capacity = 4\n",
			"services[0].desired_count: 9 is outside the autoscaling range 1-4"},
		{"managed termination protection needs managed scaling [cluster-auto-scaling]",
			"[[capacity_providers]]\nname = \"g\"\ninstance_types = [\"m6i.large\"]\nmax_size = 1\nmanaged_termination_protection = true\n",
			"capacity_providers[1].managed_termination_protection: needs managed scaling"},
		{"step scaling is exclusive with managed scaling (SCENARIO.md)",
			"[[capacity_providers]]\nname = \"g\"\ninstance_types = [\"m6i.large\"]\nmax_size = 1\n[capacity_providers.managed_scaling]\n[[capacity_providers.step_scaling]]\nmetric = \"CPUReservation\"\nscale_out = { threshold = 80, adjustment = 1 }\n",
			"capacity_providers[1].step_scaling[0]: step scaling is exclusive with managed scaling"},
		{"a region without prices is an error naming it (SCENARIO.md)",
			"region = \"xx-east-9\"\n",
			`region: no prices for region "xx-east-9"`},
		{"an instance type without a price is an error naming it (SCENARIO.md)",
			"[[capacity_providers]]\nname = \"g\"\ninstance_types = [\"m9.huge\"]\nmax_size = 1\n",
			`capacity_providers[1].instance_types[0]: instance type "m9.huge" is not in the builtin catalog`},
		{"names match [A-Za-z0-9_-]+ (SCENARIO.md)",
			"[[jobs]]\nname = \"nightly etl\"\ntask_definition = \"web\"\nschedule = \"rate(1 hour)\"\nduration = \"1m\"\n",
			`jobs[0].name: "nightly etl" is not a valid name`},
		{"FARGATE and FARGATE_SPOT are reserved provider names [CreateCapacityProvider]",
			"[[capacity_providers]]\nname = \"FARGATE\"\ninstance_types = [\"m6i.large\"]\nmax_size = 1\n",
			`capacity_providers[1].name: "FARGATE" is reserved`},
		{"a provider name cannot start with aws, ecs or fargate [CreateCapacityProvider]",
			"[[capacity_providers]]\nname = \"ecs-pool\"\ninstance_types = [\"m6i.large\"]\nmax_size = 1\n",
			`cannot start with "aws", "ecs" or "fargate"`},
		{"launch_type is exclusive with capacity_provider_strategy [CreateService]",
			"[[services]]\nname = \"s\"\ntask_definition = \"web\"\nlaunch_type = \"FARGATE\"\ncapacity_provider_strategy = [ { capacity_provider = \"FARGATE\" } ]\n",
			"services[0].capacity_provider_strategy: is exclusive with launch_type"},
		{"a job needs exactly one of schedule, arrivals, trace (SCENARIO.md)",
			"[[jobs]]\nname = \"j\"\ntask_definition = \"web\"\nschedule = \"rate(1 hour)\"\narrivals = { process = \"poisson\", rate_per_hour = 1 }\nduration = \"1m\"\n",
			"jobs[0].arrivals: a job needs exactly one of schedule, arrivals or trace"},
		{"duration does not go with a trace (SCENARIO.md)",
			"[[jobs]]\nname = \"j\"\ntask_definition = \"web\"\ntrace = { file = \"jobs.csv\" }\nduration = \"1m\"\n",
			"jobs[0].duration: does not apply with a trace"},
		{"a missing trace file is an error",
			"[[jobs]]\nname = \"j\"\ntask_definition = \"web\"\ntrace = { file = \"nope.csv\" }\n",
			`jobs[0].trace.file: file "nope.csv" not found`},
		{"schedules are EventBridge expressions [EventBridge schedule expressions]",
			"[[jobs]]\nname = \"j\"\ntask_definition = \"web\"\nschedule = \"every day\"\nduration = \"1m\"\n",
			"jobs[0].schedule: "},
		{"placement strategy types are binpack, spread, random [task-placement-strategies]",
			"[[services]]\nname = \"s\"\ntask_definition = \"ec2\"\ncapacity_provider_strategy = [ { capacity_provider = \"od\" } ]\nplacement_strategy = [ { type = \"pack\", field = \"cpu\" } ]\n",
			"services[0].placement_strategy[0]: "},
		{"at most 5 placement strategies [service-quotas]",
			"[[services]]\nname = \"s\"\ntask_definition = \"ec2\"\ncapacity_provider_strategy = [ { capacity_provider = \"od\" } ]\nplacement_strategy = [" + strings.Repeat("{ type = \"random\" },", 6) + "]\n",
			"services[0].placement_strategy: at most 5 placement strategies, got 6"},
		{"at most 10 placement constraints [service-quotas]",
			"[[services]]\nname = \"s\"\ntask_definition = \"ec2\"\ncapacity_provider_strategy = [ { capacity_provider = \"od\" } ]\nplacement_constraints = [" + strings.Repeat("{ type = \"distinctInstance\" },", 11) + "]\n",
			"services[0].placement_constraints: at most 10 placement constraints, got 11"},
		{"memberOf needs an expression [task-placement-constraints]",
			"[[services]]\nname = \"s\"\ntask_definition = \"ec2\"\ncapacity_provider_strategy = [ { capacity_provider = \"od\" } ]\nplacement_constraints = [ { type = \"memberOf\" } ]\n",
			"services[0].placement_constraints[0].expression: is required for memberOf"},
		{"Fargate takes no placement strategies [task-placement]",
			"[[services]]\nname = \"s\"\ntask_definition = \"web\"\nplacement_strategy = [ { type = \"random\" } ]\n",
			"services[0].placement_strategy: Fargate tasks take no placement strategies"},
		{"ephemeral storage is 21-200 GiB [fargate-task-storage]",
			"[[task_definitions]]\nfamily = \"big\"\ncpu = 256\nmemory = 512\nephemeral_storage = 300\n",
			"task_definitions[2].ephemeral_storage: must be between 21 and 200, got 300"},
		{"tasks per service ≤ 5000 [service-quotas]",
			"[[services]]\nname = \"s\"\ntask_definition = \"web\"\ndesired_count = 5001\n",
			"services[0].desired_count: must be between 0 and 5000, got 5001"},
		{"capacity providers per strategy ≤ 20 [service-quotas]",
			"[cluster]\ndefault_capacity_provider_strategy = [" + strings.Repeat("{ capacity_provider = \"FARGATE\" },", 21) + "]\n",
			"cluster.default_capacity_provider_strategy: at most 20 capacity providers per strategy, got 21"},
		{"an outage names a zone of the cluster",
			"[[events]]\nat = \"1h\"\ntype = \"az_outage\"\nzone = \"us-east-1z\"\nduration = \"1h\"\n",
			`events[0].zone: "us-east-1z" is not a zone of the cluster`},
		{"a Spot event needs FARGATE_SPOT or a spot group",
			"[[events]]\nat = \"1h\"\ntype = \"spot_interruptions\"\ncapacity_provider = \"od\"\nfraction = 0.5\n",
			`events[0].capacity_provider: "od" is not a spot group`},
		{"an event key of another type is not silently ignored",
			"[[events]]\nat = \"1h\"\ntype = \"az_outage\"\nzone = \"us-east-1a\"\nduration = \"1h\"\nfraction = 0.5\n",
			"events[0].fraction: does not apply to an event of type az_outage"},
		{"a pool shortage names Spot pools of the catalog (SCENARIO.md [[events]])",
			"[[capacity_providers]]\nname = \"sp\"\ninstance_types = [\"c6i.xlarge\"]\nmarket = \"spot\"\nmax_size = 1\n[[events]]\nat = \"1h\"\ntype = \"spot_capacity_shortage\"\ncapacity_provider = \"sp\"\nduration = \"1h\"\ninstance_types = [\"c9z.xlarge\"]\n",
			`events[0].instance_types[0]: "c9z.xlarge" is not an instance type of the catalog`},
		{"a pool shortage is not a FARGATE_SPOT shortage",
			"[[events]]\nat = \"1h\"\ntype = \"spot_capacity_shortage\"\ncapacity_provider = \"FARGATE_SPOT\"\nduration = \"1h\"\ninstance_types = [\"c6i.xlarge\"]\n",
			"events[0].instance_types: applies to an Auto Scaling group's Spot pools, not to FARGATE_SPOT"},
		{"instance_types is for shortages only",
			"[[events]]\nat = \"1h\"\ntype = \"instance_failure\"\ncapacity_provider = \"od\"\ncount = 1\ninstance_types = [\"m6i.xlarge\"]\n",
			"events[0].instance_types: does not apply to an event of type instance_failure"},
		{"an event after the end never happens",
			"[[events]]\nat = \"2d\"\ntype = \"instance_failure\"\ncapacity_provider = \"od\"\ncount = 1\n",
			"events[0].at: 2d is not before the end of the run"},
		{"interruptions set exactly one source",
			"[[capacity_providers]]\nname = \"sp\"\ninstance_types = [\"c6i.xlarge\"]\nmarket = \"spot\"\nmax_size = 1\n[capacity_providers.interruptions]\nfrequency = \"<5%\"\nper_instance_hour = 0.001\n",
			"capacity_providers[1].interruptions: set exactly one of frequency, per_instance_hour or from_advisor = true"},
		{"on-demand groups allocate by lowest_price or prioritized [EC2 Auto Scaling allocation strategies]",
			"[[capacity_providers]]\nname = \"g\"\ninstance_types = [\"m6i.large\"]\nmax_size = 1\nallocation_strategy = \"capacity_optimized\"\n",
			`capacity_providers[1].allocation_strategy: "capacity_optimized" is not one of lowest_price or prioritized`},
		{"assertions are PATH OP NUMBER (SCENARIO.md)",
			"[[assertions]]\ncheck = \"cost.monthly_usd is small\"\n",
			`assertions[0].check: "cost.monthly_usd is small" is not PATH OP NUMBER`},
		{"a diurnal curve needs a peak",
			"[[services]]\nname = \"s\"\ntask_definition = \"web\"\n[services.load]\ncpu = { pattern = \"diurnal\", min = 1, max = 2 }\n",
			"services[0].load.cpu.peak: is required"},
		{"metrics_period is a CloudWatch period [cloudwatch_concepts]",
			"metrics_period = \"45s\"\n",
			"metrics_period: must be 1s, 5s, 10s, 30s or a multiple of 1m"},
		{"a rolling deployment needs maximum_percent above minimum_healthy_percent [deployment-type-ecs]",
			"[[services]]\nname = \"s\"\ntask_definition = \"web\"\n[services.deployment]\nminimum_healthy_percent = 100\nmaximum_percent = 100\n",
			"services[0].deployment.maximum_percent: 100 must be above minimum_healthy_percent 100"},
		{"awsvpc trunking needs a type that supports it [container-instance-eni]",
			"[[capacity_providers]]\nname = \"g\"\ninstance_types = [\"t3.large\"]\nmax_size = 1\nawsvpc_trunking = true\n",
			"capacity_providers[1].awsvpc_trunking: t3.large does not support awsvpc trunking"},
		{"an ARM64 task does not run on x86_64 instances",
			"[[task_definitions]]\nfamily = \"arm\"\ncpu = 256\nmemory = 512\ncpu_architecture = \"ARM64\"\n[[services]]\nname = \"s\"\ntask_definition = \"arm\"\ncapacity_provider_strategy = [ { capacity_provider = \"od\" } ]\n",
			`services[0].task_definition: arm:1 is ARM64 but capacity provider "od" launches m6i.xlarge (x86_64)`},
		{"a launch_type EC2 task must fit some instance type",
			"[[task_definitions]]\nfamily = \"huge\"\ncpu = 8192\nmemory = 4096\n[[jobs]]\nname = \"j\"\ntask_definition = \"huge\"\nlaunch_type = \"EC2\"\nschedule = \"rate(1 hour)\"\nduration = \"1m\"\n",
			"jobs[0].task_definition: huge:1 (cpu 8192, memory 4096 MiB, X86_64) fits no instance type of the cluster"},
		{"Fargate stop timeout is at most 120 s [task_definition_parameters]",
			"[[task_definitions]]\nfamily = \"slow\"\ncpu = 256\nmemory = 512\nstop_timeout = \"5m\"\n[[services]]\nname = \"s\"\ntask_definition = \"slow\"\n",
			"task_definitions[2].stop_timeout: at most 120s on Fargate"},
		{"a time of day is not a start",
			"start = 07:00:00\n",
			"start: want a date and time"},
		{"a lognormal needs median ≤ p95 (workloads.LogNormal)",
			"[[task_definitions]]\nfamily = \"ln\"\ncpu = 256\nmemory = 512\nstartup_time = { dist = \"lognormal\", median = \"2m\", p95 = \"1m\" }\n",
			"task_definitions[2].startup_time: lognormal: p95 1m0s is below the median 2m0s"},
		{"a distribution uses only its own keys",
			"[[task_definitions]]\nfamily = \"ln\"\ncpu = 256\nmemory = 512\nstartup_time = { dist = \"exponential\", mean = \"1m\", p95 = \"1m\" }\n",
			`task_definitions[2].startup_time.p95: does not apply to dist "exponential"`},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			_, err := Parse("testdata/r.toml", withBase(c.src))
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("errors:\n%v\nwant one containing %q", err, c.want)
			}
		})
	}
}

// TestValidFeatures: scenarios that use the rules' allowed side.
func TestValidFeatures(t *testing.T) {
	cases := []struct{ name, src string }{
		{"a trace job, relative to the scenario file", "[[jobs]]\nname = \"j\"\ntask_definition = \"web\"\ntrace = { file = \"jobs.csv\" }\n"},
		{"a local datetime start is UTC", "start = 2026-03-02T08:00:00\n"},
		{"a string start", "start = \"2026-03-02T08:00:00Z\"\n"},
		{"a number is a constant curve", "[[services]]\nname = \"s\"\ntask_definition = \"web\"\n[services.load]\ncpu = 1.5\n"},
		{"steps with AWS bounds", "[[services]]\nname = \"s\"\ntask_definition = \"web\"\n[[services.autoscaling.step_scaling]]\nmetric = \"CPUUtilization\"\ncomparison = \">=\"\nthreshold = 70\nsteps = [ { lower = 0, upper = 10, adjustment = 1 }, { lower = 10, adjustment = 3 } ]\n[services.autoscaling]\nmin_capacity = 0\nmax_capacity = 5\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse("testdata/r.toml", withBase(c.src))
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "a local datetime start is UTC" && !s.Start.Equal(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) {
				t.Errorf("start = %v", s.Start)
			}
		})
	}
}
