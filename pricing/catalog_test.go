package pricing

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestBuiltinBasics(t *testing.T) {
	c := Builtin()
	if c.Date() != "2026-01" {
		t.Errorf("Date = %q", c.Date())
	}
	if Builtin() != c {
		t.Error("Builtin is not built once")
	}
	wantRegions := []string{"eu-central-1", "eu-west-1", "us-east-1", "us-west-2"}
	if got := c.Regions(); !reflect.DeepEqual(got, wantRegions) {
		t.Errorf("Regions = %v, want %v", got, wantRegions)
	}
	if got := c.EC2Regions(); !reflect.DeepEqual(got, []string{"us-east-1", "us-west-2"}) {
		t.Errorf("EC2Regions = %v", got)
	}
	if !c.HasRegion("eu-west-1") || c.HasRegion("ap-south-1") {
		t.Error("HasRegion wrong")
	}
	types := c.InstanceTypes()
	// 8 families × 4 sizes + 3 t3 sizes.
	if len(types) != 35 {
		t.Errorf("%d instance types, want 35", len(types))
	}
	if !sort.SliceIsSorted(types, func(i, j int) bool { return types[i].Name < types[j].Name }) {
		t.Error("InstanceTypes not sorted by name")
	}
	for _, ty := range types {
		if ty.Source == "" || !strings.Contains(ty.Source, "2026-01") {
			t.Errorf("%s: source %q lacks a date", ty.Name, ty.Source)
		}
		if !strings.HasPrefix(ty.Name, ty.Family+".") {
			t.Errorf("%s: family %q", ty.Name, ty.Family)
		}
		for _, region := range c.EC2Regions() {
			if _, ok := c.OnDemandRate(region, ty.Name); !ok {
				t.Errorf("no on-demand price for %s in %s", ty.Name, region)
			}
		}
	}
	for _, p := range c.EC2Prices() {
		if !strings.Contains(p.Source, "2026-01") {
			t.Errorf("%s %s: price source %q lacks a date", p.Region, p.Type, p.Source)
		}
	}
	if got := BuiltinInstanceTypeNames(); len(got) != 35 || got[0] != "c6i.2xlarge" {
		t.Errorf("BuiltinInstanceTypeNames = %v", got)
	}
}

// Instance-type facts: EC2 User Guide (instance type specifications and
// "Maximum IP addresses per network interface"), ECS Developer Guide
// [eni-trunking-supported-instance-types] and [task-networking-awsvpc].
func TestInstanceTypeFacts(t *testing.T) {
	c := Builtin()
	cases := []struct {
		name            string
		vcpu            int
		gib             float64
		arch            string
		enis, ips       int
		trunk           int
		tasks, tasksTrk int // TaskENIs(false), TaskENIs(true)
	}{
		// large: 3 ENIs × 10 IPv4; awsvpc tasks = 3 − 1 = 2; trunking 10.
		{"m5.large", 2, 8, "x86_64", 3, 10, 10, 2, 10},
		{"m6i.xlarge", 4, 16, "x86_64", 4, 15, 20, 3, 20},
		{"m7i.2xlarge", 8, 32, "x86_64", 4, 15, 40, 3, 40},
		{"c6i.4xlarge", 16, 32, "x86_64", 8, 30, 60, 7, 60},
		{"c7i.large", 2, 4, "x86_64", 3, 10, 10, 2, 10},
		{"r6i.large", 2, 16, "x86_64", 3, 10, 10, 2, 10},
		{"r6i.4xlarge", 16, 128, "x86_64", 8, 30, 60, 7, 60},
		{"m6g.xlarge", 4, 16, "arm64", 4, 15, 20, 3, 20},
		{"m7g.4xlarge", 16, 64, "arm64", 8, 30, 60, 7, 60},
		// t3: no trunking, so trunking on changes nothing: 3 − 1 = 2, 4 − 1 = 3.
		{"t3.large", 2, 8, "x86_64", 3, 12, 0, 2, 2},
		{"t3.xlarge", 4, 16, "x86_64", 4, 15, 0, 3, 3},
		{"t3.2xlarge", 8, 32, "x86_64", 4, 15, 0, 3, 3},
	}
	for _, tc := range cases {
		ty, ok := c.InstanceType(tc.name)
		if !ok {
			t.Errorf("%s missing", tc.name)
			continue
		}
		if ty.Name != tc.name || ty.VCPU != tc.vcpu || ty.MemoryGiB != tc.gib || ty.Arch != tc.arch ||
			ty.MaxENIs != tc.enis || ty.IPv4PerENI != tc.ips || ty.TrunkENIs != tc.trunk {
			t.Errorf("%s = %+v", tc.name, ty)
		}
		if got := ty.TaskENIs(false); got != tc.tasks {
			t.Errorf("%s TaskENIs(false) = %d, want %d", tc.name, got, tc.tasks)
		}
		if got := ty.TaskENIs(true); got != tc.tasksTrk {
			t.Errorf("%s TaskENIs(true) = %d, want %d", tc.name, got, tc.tasksTrk)
		}
		if strings.HasPrefix(tc.name, "t3") != strings.Contains(ty.Source, "no awsvpc trunking") {
			t.Errorf("%s: source %q", tc.name, ty.Source)
		}
		if tc.trunk > 0 && !strings.Contains(ty.Source, "check before relying on it") {
			t.Errorf("%s: trunk figure not flagged: %q", tc.name, ty.Source)
		}
	}
	if _, ok := c.InstanceType("m6i.metal"); ok {
		t.Error("unknown type: ok = true")
	}
	if got := (InstanceType{}).TaskENIs(false); got != 0 {
		t.Errorf("zero type TaskENIs = %d", got)
	}
}

// Registration (SCENARIO.md "Identity", model assumption): CPU = vCPU × 1024,
// memory = GiB × 1024 − reserved_memory.
func TestRegisteredResources(t *testing.T) {
	ty, _ := Builtin().InstanceType("m6i.xlarge")
	if got := ty.RegisteredCPU(); got != 4096 { // 4 × 1024
		t.Errorf("RegisteredCPU = %d", got)
	}
	if got := ty.RegisteredMemory(0); got != 16384 { // 16 × 1024
		t.Errorf("RegisteredMemory(0) = %d", got)
	}
	if got := ty.RegisteredMemory(256); got != 16128 { // 16384 − 256
		t.Errorf("RegisteredMemory(256) = %d", got)
	}
	if got := ty.RegisteredMemory(1 << 20); got != 0 {
		t.Errorf("RegisteredMemory(huge) = %d, want 0", got)
	}
	c, _ := Builtin().InstanceType("c6i.large")
	if c.RegisteredCPU() != 2048 || c.RegisteredMemory(0) != 4096 {
		t.Errorf("c6i.large registers %d / %d", c.RegisteredCPU(), c.RegisteredMemory(0))
	}
}

// EC2 Linux on-demand prices, us-east-1 (Amazon EC2 On-Demand pricing,
// 2026-01; ECS-SEMANTICS §9); us-west-2 has the same figures; eu-west-1 and
// eu-central-1 have none, so a scenario there is a validation error.
func TestOnDemandRates(t *testing.T) {
	c := Builtin()
	cases := map[string][4]float64{
		"m5":  {0.096, 0.192, 0.384, 0.768},
		"m6i": {0.096, 0.192, 0.384, 0.768},
		"m7i": {0.1008, 0.2016, 0.4032, 0.8064},
		"c6i": {0.085, 0.17, 0.34, 0.68},
		"c7i": {0.08925, 0.1785, 0.357, 0.714},
		"r6i": {0.126, 0.252, 0.504, 1.008},
		"m6g": {0.077, 0.154, 0.308, 0.616},
		"m7g": {0.0816, 0.1632, 0.3264, 0.6528},
	}
	sizes := []string{"large", "xlarge", "2xlarge", "4xlarge"}
	for fam, prices := range cases {
		for i, size := range sizes {
			for _, region := range []string{"us-east-1", "us-west-2"} {
				got, ok := c.OnDemandRate(region, fam+"."+size)
				if !ok || got != prices[i] {
					t.Errorf("OnDemandRate(%s, %s.%s) = %g %v, want %g", region, fam, size, got, ok, prices[i])
				}
			}
		}
	}
	for typ, want := range map[string]float64{"t3.large": 0.0832, "t3.xlarge": 0.1664, "t3.2xlarge": 0.3328} {
		if got, ok := c.OnDemandRate("us-east-1", typ); !ok || got != want {
			t.Errorf("OnDemandRate(us-east-1, %s) = %g, want %g", typ, got, want)
		}
	}
	for _, region := range []string{"eu-west-1", "eu-central-1", "mars-1"} {
		if _, ok := c.OnDemandRate(region, "m6i.large"); ok {
			t.Errorf("OnDemandRate(%s) ok = true; the builtin catalog has no EC2 price there", region)
		}
		if _, ok := c.SpotRate(region, "m6i.large"); ok {
			t.Errorf("SpotRate(%s) ok = true", region)
		}
	}
	if _, ok := c.OnDemandRate("us-east-1", "m6i.metal"); ok {
		t.Error("unknown type: ok = true")
	}
	if got, ok := c.EC2Rate("us-east-1", "m6i.xlarge", false); !ok || got != 0.192 {
		t.Errorf("EC2Rate on-demand = %g", got)
	}
}

// EC2 Spot = on-demand × (1 − savings/100), savings from the Spot Advisor
// (ECS-SEMANTICS §7, SCENARIO.md "Spot").
func TestSpotRates(t *testing.T) {
	c := Builtin()
	cases := []struct {
		region, typ string
		want        float64
	}{
		// m6i.xlarge us-east-1: s = 55 → 0.192 × 0.45 = 0.0864.
		{"us-east-1", "m6i.xlarge", 0.0864},
		// m5.large us-east-1: s = 66 → 0.096 × 0.34 = 0.03264.
		{"us-east-1", "m5.large", 0.03264},
		// m6g.large us-west-2: s = 62 → 0.077 × 0.38 = 0.02926.
		{"us-west-2", "m6g.large", 0.02926},
		// r6i.4xlarge us-west-2: s = 59 → 1.008 × 0.41 = 0.41328.
		{"us-west-2", "r6i.4xlarge", 0.41328},
	}
	for _, tc := range cases {
		got, ok := c.SpotRate(tc.region, tc.typ)
		if !ok || !near(got, tc.want) {
			t.Errorf("SpotRate(%s, %s) = %g %v, want %g", tc.region, tc.typ, got, ok, tc.want)
		}
		if got2, ok := c.EC2Rate(tc.region, tc.typ, true); !ok || got2 != got {
			t.Errorf("EC2Rate spot = %g, want %g", got2, got)
		}
	}
}

// Fargate Linux rates (AWS Fargate pricing, 2026-01; ECS-SEMANTICS §9).
func TestFargateRates(t *testing.T) {
	c := Builtin()
	cases := []struct {
		region, arch string
		vcpu, gb     float64
	}{
		{"us-east-1", "x86_64", 0.04048, 0.004445},
		{"us-east-1", "X86_64", 0.04048, 0.004445},
		{"us-west-2", "x86_64", 0.04048, 0.004445},
		{"eu-west-1", "x86_64", 0.04048, 0.004445},
		// ARM (Graviton) is priced 20 % lower: 0.04048 × 0.8 = 0.032384,
		// published rounded to 0.03238; 0.004445 × 0.8 = 0.003556 → 0.00356.
		{"us-east-1", "arm64", 0.03238, 0.00356},
		{"us-east-1", "ARM64", 0.03238, 0.00356},
		{"eu-west-1", "arm64", 0.03238, 0.00356},
		{"eu-central-1", "x86_64", 0.04656, 0.00511},
		// eu-central-1 ARM = x86 × 0.8: 0.04656 × 0.8 = 0.037248, 0.00511 × 0.8 = 0.004088.
		{"eu-central-1", "arm64", 0.037248, 0.004088},
	}
	for _, tc := range cases {
		r, ok := c.FargateRate(tc.region, tc.arch, false)
		if !ok || !near(r.VCPUHour, tc.vcpu) || !near(r.GBHour, tc.gb) || r.StorageGBHour != 0.000111 {
			t.Errorf("FargateRate(%s, %s) = %+v %v, want %g / %g / 0.000111", tc.region, tc.arch, r, ok, tc.vcpu, tc.gb)
		}
		if !strings.Contains(r.Source, "2026-01") {
			t.Errorf("FargateRate(%s, %s) source %q lacks a date", tc.region, tc.arch, r.Source)
		}
	}
	// ARM is cheaper than x86 for the same task everywhere.
	for _, region := range c.Regions() {
		x, _ := c.FargateRate(region, "x86_64", false)
		a, _ := c.FargateRate(region, "arm64", false)
		if !(a.VCPUHour < x.VCPUHour && a.GBHour < x.GBHour) {
			t.Errorf("%s: ARM %+v not below x86 %+v", region, a, x)
		}
	}
	for _, bad := range [][2]string{{"mars-1", "x86_64"}, {"us-east-1", "i386"}, {"us-east-1", ""}, {"us-east-1", "Arm64"}} {
		if _, ok := c.FargateRate(bad[0], bad[1], false); ok {
			t.Errorf("FargateRate(%q, %q) ok = true", bad[0], bad[1])
		}
		if _, ok := c.FargateRate(bad[0], bad[1], true); ok {
			t.Errorf("FargateRate(%q, %q, spot) ok = true", bad[0], bad[1])
		}
	}
}

// Fargate Spot = on-demand × (1 − discount); default discount 0.69
// (ECS-SEMANTICS §7), overridable by pricing.fargate_spot_discount.
func TestFargateSpotRates(t *testing.T) {
	b := Builtin()
	if b.FargateSpotDiscount() != 0.69 {
		t.Fatalf("default discount = %g", b.FargateSpotDiscount())
	}
	// 0.04048 × 0.31 = 0.0125488; 0.004445 × 0.31 = 0.00137795 (AWS shows
	// about 0.0126 / 0.00139); storage keeps 0.000111 (model assumption).
	r, ok := b.FargateRate("us-east-1", "x86_64", true)
	if !ok || !near(r.VCPUHour, 0.0125488) || !near(r.GBHour, 0.00137795) || r.StorageGBHour != 0.000111 {
		t.Errorf("Fargate Spot us-east-1 = %+v", r)
	}
	// ARM Spot: 0.03238 × 0.31 = 0.0100378; 0.00356 × 0.31 = 0.0011036.
	r, _ = b.FargateRate("us-east-1", "arm64", true)
	if !near(r.VCPUHour, 0.0100378) || !near(r.GBHour, 0.0011036) {
		t.Errorf("Fargate Spot ARM us-east-1 = %+v", r)
	}

	c := b.Clone()
	c.SetFargateSpotDiscount(0.5)
	// 0.04048 × 0.5 = 0.02024; 0.004445 × 0.5 = 0.0022225.
	r, _ = c.FargateRate("us-east-1", "x86_64", true)
	if !near(r.VCPUHour, 0.02024) || !near(r.GBHour, 0.0022225) {
		t.Errorf("Fargate Spot with 0.5 = %+v", r)
	}
	c.SetFargateSpotDiscount(0)
	r, _ = c.FargateRate("us-east-1", "x86_64", true)
	od, _ := c.FargateRate("us-east-1", "x86_64", false)
	if r.VCPUHour != od.VCPUHour || r.GBHour != od.GBHour {
		t.Errorf("discount 0: spot %+v != on-demand %+v", r, od)
	}
	// The override did not leak into Builtin.
	if b.FargateSpotDiscount() != 0.69 {
		t.Errorf("Builtin discount changed to %g", b.FargateSpotDiscount())
	}
}

func TestBuiltinIsFrozen(t *testing.T) {
	mustPanic(t, "SetFargateSpotDiscount on Builtin", func() { Builtin().SetFargateSpotDiscount(0.5) })
	c := Builtin().Clone()
	mustPanic(t, "discount > 1", func() { c.SetFargateSpotDiscount(1.5) })
	mustPanic(t, "discount < 0", func() { c.SetFargateSpotDiscount(-0.1) })
	// A clone of a clone is independent.
	c.SetFargateSpotDiscount(0.6)
	d := c.Clone()
	d.SetFargateSpotDiscount(0.1)
	if c.FargateSpotDiscount() != 0.6 || d.FargateSpotDiscount() != 0.1 {
		t.Error("clones share the discount")
	}
	// WithSpotAdvisor returns a modifiable clone.
	e := Builtin().WithSpotAdvisor(Builtin().SpotAdvisor())
	e.SetFargateSpotDiscount(0.2)
	if !reflect.DeepEqual(e.Regions(), Builtin().Regions()) || len(e.InstanceTypes()) != 35 {
		t.Error("clone lost data")
	}
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("%s: no panic", what)
		} else if s, ok := r.(string); !ok || !strings.HasPrefix(s, "pricing: ") {
			t.Errorf("%s: panic %v lacks the pricing: prefix", what, r)
		}
	}()
	f()
}
