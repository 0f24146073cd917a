package reports

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

// hostile is a name a scenario may not contain (names are
// [A-Za-z0-9_-]+) but reasons and results.json files handed to `ecssim
// report` may: the HTML must show it as text.
const hostile = `</script><script>alert("x")</script><img src=x onerror=alert(1)>`

// TestHTMLEscapesHostileStrings: html/template escapes every string from
// the scenario or the results (a service name, an activity reason, a
// warning), in text, in attributes and inside the embedded JSON block, so
// none of them can open a tag or end the script block.
func TestHTMLEscapesHostileStrings(t *testing.T) {
	res := goldenResult()
	res.Services[hostile] = res.Services["web"]
	res.Activities = append(res.Activities, sim.Activity{AtSeconds: 60, Resource: "service/" + hostile, From: 1, To: 2, Reason: hostile})
	res.Warnings = append(res.Warnings, hostile)
	var b bytes.Buffer
	if err := WriteHTML(&b, res, []Figure{{Name: "x", Title: hostile, Caption: hostile, SVG: []byte("<svg/>")}}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script>alert", "<img src=x"} { // a tag opened: escaped text may still read "onerror=alert"
		if strings.Contains(page, bad) {
			t.Errorf("report.html contains %q unescaped", bad)
		}
	}
	if n := strings.Count(page, "</script>"); n != 1 {
		t.Errorf("%d </script> tags, want 1 (the results block's own)", n)
	}
	// The embedded results block is valid JSON and holds the hostile
	// name intact.
	m := regexp.MustCompile(`(?s)<script type="application/json" id="results">(.*)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no results block")
	}
	var back sim.Result
	if err := json.Unmarshal([]byte(m[1]), &back); err != nil {
		t.Fatalf("results block is not JSON: %v", err)
	}
	if _, ok := back.Services[hostile]; !ok {
		t.Error("the results block lost the hostile service name")
	}
}

// TestHTMLLoadsNothingFromTheNetwork: the page is one self-contained file:
// no src or href that is not a data: URI or a fragment, no @import, no
// url() outside data: URIs.
func TestHTMLLoadsNothingFromTheNetwork(t *testing.T) {
	res := goldenResult()
	res.Scenario.Region, res.Scenario.PricingDate = "us-east-1", "2026-01"
	var b bytes.Buffer
	if err := WriteHTML(&b, res, []Figure{{Name: "f", Title: "F", SVG: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, m := range regexp.MustCompile(`(?i)\b(src|href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[2], "data:") && !strings.HasPrefix(m[2], "#") {
			t.Errorf("%s=%q loads from outside the file", m[1], m[2])
		}
	}
	if strings.Contains(page, "@import") || regexp.MustCompile(`url\((?:["']?)(?:https?:|//)`).MatchString(page) {
		t.Error("the CSS loads from the network")
	}
	for _, want := range []string{"<h1>ecssim results: ", "region us-east-1", "prices as of", "id=\"fig-f\"", "Cost", "Services"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// TestTableFitsTerminal: the terminal report is readable in 80 columns
// (issue: "The terminal table is readable in 80 columns"): text wraps and
// wide tables split into parts that repeat the key column.
func TestTableFitsTerminal(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, goldenResult()); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(b.String(), "\n") {
		if n := len([]rune(line)); n > termWidth {
			t.Errorf("line %d is %d columns: %q", i+1, n, line)
		}
	}
}

func TestWrapText(t *testing.T) {
	got := wrapText("aaa bbb ccc dddddddddd e", 7)
	want := []string{"aaa bbb", "ccc", "dddddddddd", "e"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrapText = %q, want %q", got, want)
	}
}

// TestDiffSmallChangesShow: a change below a unit's display precision
// still shows (two significant digits), never "0.0" beside a non-zero %.
func TestDiffSmallChangesShow(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		row         DiffRow
		delta, perc string
	}{
		{DiffRow{Unit: "percent", Delta: p(-0.036), Percent: p(-0.07)}, "-0.036", "-0.1%"},
		{DiffRow{Unit: "usd", Delta: p(-0.41), Percent: p(-0.032)}, "-0.41", "-0.03%"},
		{DiffRow{Unit: "count", Delta: p(-1), Percent: p(-50)}, "-1", "-50.0%"},
		{DiffRow{Unit: "percent", Delta: p(0), Percent: p(0)}, "0.0", "0.0%"},
		{DiffRow{Unit: "usd", Delta: p(1e-5), Percent: p(1e-4)}, "+1e-05", "+0.0001%"},
	} {
		if d, pc := diffDelta(c.row), diffPercent(c.row); d != c.delta || pc != c.perc {
			t.Errorf("%+v: %q %q, want %q %q", c.row, d, pc, c.delta, c.perc)
		}
	}
}
