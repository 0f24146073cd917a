package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecommendOut: --out writes the run's report folder with a
// Recommendations section in report.html and recommendations.json
// (issue 6: the recommendations "in the HTML report").
func TestRecommendOut(t *testing.T) {
	requireSim(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "pwc.toml")
	code, out, _ := ecssim(t, "examples", "production-web-cluster")
	if code != exitOK {
		t.Fatal("examples")
	}
	os.WriteFile(src, []byte(out), 0o644)
	dst := filepath.Join(dir, "out")
	if code, _, errOut := ecssim(t, "recommend", "--no-such-flag", src); code != exitInvalid {
		t.Fatalf("unknown flag: exit %d %q", code, errOut)
	}
	if code, _, errOut := ecssim(t, "recommend", "--out", dst, src); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	page, err := os.ReadFile(filepath.Join(dst, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2>Recommendations</h2>", "web-app", "Overprovisioned", "256/512"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	b, err := os.ReadFile(filepath.Join(dst, "recommendations.json"))
	var rec map[string]any
	if err != nil || json.Unmarshal(b, &rec) != nil || rec["services"] == nil {
		t.Errorf("recommendations.json: %v %q", err, b)
	}
	for _, f := range []string{"results.json", "timeseries.csv"} {
		if _, err := os.Stat(filepath.Join(dst, f)); err != nil {
			t.Error(err)
		}
	}
}
