package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackCommand: ecssim pack reads CSV items with --bin and VPSolver
// .vbp files, prints bins and a lower bound, and in JSON the fields of
// SCENARIO.md "The outputs of pack". The CSV case is checkable by hand:
// 10 × (2048, 4096) + 5 × (1024, 8192) + 20 × (512, 1024) is 35,840 CPU
// and 112,640 MiB, over bins of (8192, 32768): the CPU volume bound is
// ceil(35840 / 8192) = 5, and 5 bins hold it (the packer reaches the
// bound).
func TestPackCommand(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "items.csv")
	os.WriteFile(csvPath, []byte("cpu,memory,count\n2048,4096,10\n1024,8192,5\n512,1024,20\n"), 0o644)
	code, out, errOut := ecssim(t, "pack", "--bin", "cpu=8192,memory=32768", csvPath)
	if code != exitOK || !strings.Contains(out, "35 items of 3 types in 2 dimensions: 5 bins (lower bound 5)") {
		t.Errorf("csv: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = ecssim(t, "pack", "--format", "json", "--bin", "cpu=8192,memory=32768", csvPath)
	var res struct {
		Dimensions, Items, Bins int
		LowerBound              int `json:"lower_bound"`
		Assignment              [][]int
	}
	if code != exitOK || json.Unmarshal([]byte(out), &res) != nil || res.Dimensions != 2 || res.Items != 35 || res.Bins != 5 || len(res.Assignment) != 5 {
		t.Errorf("json: exit %d, %+v from %q", code, res, out)
	}
	// .vbp: 1 dimension, capacity 10, sizes 6 (×2) and 4 (×2): two bins
	// of 6 + 4.
	vbp := filepath.Join(dir, "x.vbp")
	os.WriteFile(vbp, []byte("1\n10\n2\n6 2\n4 2\n"), 0o644)
	if code, out, errOut := ecssim(t, "pack", "--fast", vbp); code != exitOK || !strings.Contains(out, "2 bins (lower bound 2)") {
		t.Errorf("vbp: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, bad := range [][]string{
		{"pack", csvPath}, // no --bin
		{"pack", "--bin", "cpu=1,memory=x", csvPath},     // bad --bin
		{"pack", "--bin", "cpu=100,memory=100", csvPath}, // items larger than the bin
		{"pack", filepath.Join(dir, "none.csv"), "--bin", "cpu=1,memory=1"},
		{"pack", "--format", "yaml", vbp},
	} {
		if code, _, errOut := ecssim(t, bad...); code != exitInvalid || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", bad, code, errOut)
		}
	}
}
