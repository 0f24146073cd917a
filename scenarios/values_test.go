package scenarios

import (
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"500ms", 500 * time.Millisecond}, {"90s", 90 * time.Second}, {"5m", 5 * time.Minute},
		{"2h", 2 * time.Hour}, {"7d", 7 * 24 * time.Hour}, {"1.5h", 90 * time.Minute},
		{"2d10h30m", 58*time.Hour + 30*time.Minute}, {"0s", 0},
	} {
		got, err := ParseDuration(c.in)
		if err != nil || got.D() != c.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", c.in, got.D(), err, c.want)
		}
		if back, _ := ParseDuration(got.String()); back != got {
			t.Errorf("%q does not round-trip through %q", c.in, got.String())
		}
	}
	for _, bad := range []string{"", "5", "h", "5 m", "5x", "-5m", "1e3s", "99999999999d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", bad)
		}
	}
}

func TestDistSpecUnmarshalTOML(t *testing.T) {
	var v struct {
		A DistSpec `toml:"a"`
		B DistSpec `toml:"b"`
	}
	if _, err := toml.Decode("a = \"30s\"\nb = { dist = \"lognormal\", median = \"35s\", p95 = \"80s\" }\n", &v); err != nil {
		t.Fatal(err)
	}
	if v.A != Const(30*time.Second) {
		t.Errorf("a = %+v", v.A)
	}
	if v.B != (DistSpec{Dist: "lognormal", Median: Duration(35 * time.Second), P95: Duration(80 * time.Second)}) {
		t.Errorf("b = %+v", v.B)
	}
	if _, err := toml.Decode("a = { dist = \"constant\", valeu = \"1s\" }\n", &v); err == nil {
		t.Error("unknown key accepted")
	}
}
