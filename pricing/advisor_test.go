package pricing

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite spot_advisor_2025-06.csv from ../../shared/data/spot/spot-advisor-data.json")

// sharedAdvisorPath is the AWS Spot Advisor feed shared with the project
// (June 2025), relative to this package directory.
const sharedAdvisorPath = "../../shared/data/spot/spot-advisor-data.json"

func loadShared(t *testing.T) *SpotAdvisor {
	t.Helper()
	if _, err := os.Stat(sharedAdvisorPath); err != nil {
		t.Skipf("shared Spot Advisor data absent (%s): %v", sharedAdvisorPath, err)
	}
	a, err := LoadSpotAdvisorFile(sharedAdvisorPath)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSpotAdvisorSnapshot is the snapshot's generator and its check: the
// embedded CSV must equal what the shared feed gives for every builtin type
// in every builtin region. Run with -update to rewrite it.
func TestSpotAdvisorSnapshot(t *testing.T) {
	a := loadShared(t)
	regions, types := builtinRegions(), builtinTypeNames()
	for _, r := range regions {
		for _, typ := range types {
			if _, ok := a.Advice(r, typ); !ok {
				t.Errorf("shared feed has no Linux entry for %s %s", r, typ)
			}
		}
	}
	want := renderAdvisorSnapshot(a, regions, types)
	if *update {
		if err := os.WriteFile("spot_advisor_2025-06.csv", want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote spot_advisor_2025-06.csv (%d bytes)", len(want))
		return
	}
	if !bytes.Equal(spotAdvisorSnapshot, want) {
		t.Fatalf("embedded spot_advisor_2025-06.csv differs from the shared feed; " +
			"regenerate: go test ./pricing -run TestSpotAdvisorSnapshot -update")
	}
}

// Spot Advisor entries read by hand from spot-advisor-data.json
// (spot_advisor[region]["Linux"][type]); the catalog must give the same.
func TestSpotAdviceFromFeed(t *testing.T) {
	c := Builtin()
	cases := []struct {
		region, typ string
		s           float64
		r           int
	}{
		{"us-east-1", "m5.large", 66, 3},
		{"us-east-1", "m6i.xlarge", 55, 1},
		{"us-east-1", "m6g.large", 60, 2},
		{"us-west-2", "c7i.xlarge", 59, 4},
		{"eu-west-1", "m6i.large", 54, 0},
		{"eu-central-1", "t3.2xlarge", 59, 0},
	}
	for _, tc := range cases {
		s, r, ok := c.SpotAdvice(tc.region, tc.typ)
		if !ok || s != tc.s || r != tc.r {
			t.Errorf("SpotAdvice(%s, %s) = %g, %d, %v; want %g, %d, true", tc.region, tc.typ, s, r, ok, tc.s, tc.r)
		}
	}
	if _, _, ok := c.SpotAdvice("us-east-1", "m5.metal"); ok {
		t.Error("SpotAdvice for a type outside the snapshot: ok = true")
	}
	if _, _, ok := c.SpotAdvice("mars-1", "m5.large"); ok {
		t.Error("SpotAdvice for an unknown region: ok = true")
	}
	// Every builtin type has advice in every builtin region.
	for _, region := range c.Regions() {
		for _, typ := range c.InstanceTypes() {
			if _, _, ok := c.SpotAdvice(region, typ.Name); !ok {
				t.Errorf("no builtin Spot advice for %s %s", region, typ.Name)
			}
		}
	}
}

func TestLoadSpotAdvisorSharedFile(t *testing.T) {
	a := loadShared(t)
	// The feed covers 33 regions; ecssim keeps os Linux only.
	if got := len(a.Regions()); got < 30 {
		t.Errorf("regions = %d, want the feed's 33", got)
	}
	e, ok := a.Advice("us-east-1", "m6i.xlarge")
	if !ok || e.SavingsPct != 55 || e.Bucket != 1 {
		t.Errorf("us-east-1 m6i.xlarge = %+v %v, want {55 1} true", e, ok)
	}
	c := Builtin().WithSpotAdvisor(a)
	// A type outside the builtin catalog has advice now, but no Spot price
	// (no on-demand price to discount).
	if _, _, ok := c.SpotAdvice("us-east-1", "m5.metal"); !ok {
		t.Error("advice for m5.metal from the full feed: ok = false")
	}
	if _, ok := c.SpotRate("us-east-1", "m5.metal"); ok {
		t.Error("SpotRate without an on-demand price: ok = true")
	}
}

func TestLoadSpotAdvisor(t *testing.T) {
	const good = `{"ranges":[{"index":0,"label":"<5%"},{"index":4,"label":">20%"}],
	  "instance_types":{"m6i.large":{"cores":2,"ram_gb":8}},
	  "spot_advisor":{"us-east-1":{"Linux":{"m6i.large":{"s":40,"r":4}},
	                               "Windows":{"m6i.large":{"s":10,"r":0}}}}}`
	a, err := LoadSpotAdvisor(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() != 1 {
		t.Fatalf("Len = %d, want 1 (Linux only)", a.Len())
	}
	c := Builtin().WithSpotAdvisor(a)
	s, b, ok := c.SpotAdvice("us-east-1", "m6i.large")
	if !ok || s != 40 || b != 4 {
		t.Errorf("advice = %g %d %v, want 40 4 true", s, b, ok)
	}
	// m6i.large 0.096 × (1 − 0.40) = 0.0576.
	if r, ok := c.SpotRate("us-east-1", "m6i.large"); !ok || !near(r, 0.0576) {
		t.Errorf("SpotRate = %g %v, want 0.0576", r, ok)
	}
	// The replacement is total: advice the new data lacks is gone.
	if _, _, ok := c.SpotAdvice("us-west-2", "m6i.large"); ok {
		t.Error("WithSpotAdvisor kept builtin advice")
	}
	// Builtin is untouched.
	if s, _, _ := Builtin().SpotAdvice("us-east-1", "m6i.large"); s != 63 {
		t.Errorf("Builtin advice changed to %g", s)
	}
	if _, _, ok := Builtin().WithSpotAdvisor(nil).SpotAdvice("us-east-1", "m6i.large"); ok {
		t.Error("WithSpotAdvisor(nil) kept advice")
	}

	bad := map[string]string{
		"not json":      `{`,
		"no advisor":    `{"ranges":[]}`,
		"bad bucket":    `{"spot_advisor":{"r1":{"Linux":{"x.large":{"s":40,"r":5}}}}}`,
		"bad savings":   `{"spot_advisor":{"r1":{"Linux":{"x.large":{"s":140,"r":1}}}}}`,
		"missing field": `{"spot_advisor":{"r1":{"Linux":{"x.large":{"s":40}}}}}`,
		"other ranges":  `{"ranges":[{"index":0,"label":"<10%"}],"spot_advisor":{}}`,
	}
	for name, in := range bad {
		if _, err := LoadSpotAdvisor(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParseAdvisorSnapshotErrors(t *testing.T) {
	h := snapshotHeader + "\n"
	for name, in := range map[string]string{
		"no header": "a,b,1,1,s\n",
		"bad pct":   h + "r,t,x,1,s\n",
		"bad bkt":   h + "r,t,5,9,s\n",
		"dup":       h + "r,t,5,1,s\nr,t,6,1,s\n",
	} {
		if _, err := parseAdvisorSnapshot([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
