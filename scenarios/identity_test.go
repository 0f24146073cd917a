package scenarios

import (
	"strings"
	"testing"
)

func TestSHA256(t *testing.T) {
	src, _ := ExampleSource("web-platform")
	a, err := Parse("a.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Parse("other/dir/b.toml", src)
	if a.SHA256() != b.SHA256() || len(a.SHA256()) != 64 {
		t.Errorf("same scenario, different hashes: %s %s", a.SHA256(), b.SHA256())
	}
	if h1, h2 := a.SHA256(), a.SHA256(); h1 != h2 {
		t.Error("not stable")
	}
	changed, _ := Parse("a.toml", []byte(strings.Replace(string(src), "seed        = 42", "seed        = 43", 1)))
	if changed == nil || changed.SHA256() == a.SHA256() {
		t.Error("changing the seed does not change the hash")
	}
	// Writing a default explicitly does not change the scenario.
	explicit, _ := Parse("a.toml", []byte(strings.Replace(string(src), `metrics_period = "1m"`, `metrics_period = "60s"`, 1)))
	if explicit == nil || explicit.SHA256() != a.SHA256() {
		t.Error("an equal value written differently changes the hash")
	}
}

func TestSHA256KeyOrder(t *testing.T) {
	x, err := Parse("x.toml", []byte("name = \"o\"\nduration = \"1d\"\nseed = 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	y, err := Parse("y.toml", []byte("seed = 5\nduration = \"24h\"\nname = \"o\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if x.SHA256() != y.SHA256() {
		t.Error("key order changes the hash")
	}
}
