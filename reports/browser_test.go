package reports

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ecssim/ecssim/scenarios"
	"github.com/ecssim/ecssim/sim"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "save the browser test's screenshot as ../docs/report.png (the README's image)")

// chromiumPath finds the browser: $CHROMIUM, then Debian's chromium and
// the usual names. Off CI a missing browser skips the test; on CI
// (CI=true, whose .ci/run installs Debian's chromium) it fails.
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: CI must install it (apt-get install -y chromium)")
	}
	t.Skip("no chromium on PATH (apt-get install -y chromium); the browser test needs a real browser")
	return ""
}

// TestReportInBrowser opens report.html of the default example in headless
// Chromium: the page must raise no console error or exception, request
// nothing but the file itself and data: URIs, and show every figure at a
// non-zero rendered size with its image decoded. It saves a screenshot of
// the screen at the figures in the test's temporary folder, in
// $ECSSIM_SCREENSHOT_DIR when set (a CI artifact), and with
// `go test ./reports -run Browser -update-screenshot` as docs/report.png
// (the README's image).
func TestReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a browser")
	}
	browser := chromiumPath(t)
	sc, err := scenarios.LoadExample("web-platform")
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteDir(dir, res); err != nil {
		t.Fatal(err)
	}
	page := "file://" + filepath.Join(dir, ReportFile)
	figs, shot := browse(t, browser, page)
	if err := os.WriteFile(filepath.Join(dir, "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d figures rendered; screenshot %s (%d bytes)", len(figs), filepath.Join(dir, "report.png"), len(shot))
	if d := os.Getenv("ECSSIM_SCREENSHOT_DIR"); d != "" { // for a CI artifact
		if err := os.WriteFile(filepath.Join(d, "report.png"), shot, 0o644); err != nil {
			t.Error(err)
		}
	}
	if *updateScreenshot {
		if err := os.WriteFile(filepath.Join("..", "docs", "report.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSweepReportInBrowser: a sweep's report.html (the hand-built study
// of sweep_html_test.go: 2 keys, so 2 effect figures, plus the Pareto
// chart) renders every figure in a real browser, with no error and no
// request off the page.
func TestSweepReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a browser")
	}
	browser := chromiumPath(t)
	st, sum := sweepFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, ReportFile)
	if err := WriteFileAtomic(path, func(w io.Writer) error { return WriteSweepHTML(w, st, sum) }); err != nil {
		t.Fatal(err)
	}
	figs, _ := browse(t, browser, "file://"+path)
	if len(figs) != 3 {
		t.Errorf("%d figures, want 3 (Pareto and one effect per key)", len(figs))
	}
}

// figInfo is one figure as the browser laid it out.
type figInfo struct {
	ID   string
	W, H float64
	NW   float64
	Done bool
}

// browse opens page in a headless browser and checks that every figure
// image loaded and has a size, and that the page logged no error, threw no
// exception and requested nothing beyond file: and data: URLs. It returns
// the figures and a screenshot at the first one.
func browse(t *testing.T, browser, page string) ([]figInfo, []byte) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.WindowSize(1280, 900),
	)
	// Everything, the browser's start included, within 2 minutes.
	bctx, bcancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer bcancel()
	actx, cancel := chromedp.NewExecAllocator(bctx, opts...)
	defer cancel()
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		var p string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				p = "console " + string(e.Type)
			}
		case *runtime.EventExceptionThrown:
			p = "exception: " + e.ExceptionDetails.Text
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
				p = "network request: " + u
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil { // starts the browser
		t.Fatalf("browser: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 60*time.Second)
	defer tcancel()
	err := chromedp.Do(tctx, chromedp.WaitReady("body"))
	var sizes string
	if err == nil {
		sizes, err = chromedp.Run(tctx, chromedp.Evaluate[string](`JSON.stringify(Array.from(document.querySelectorAll("figure img")).map(i => {
			const r = i.getBoundingClientRect();
			return {id: i.parentElement.id, w: r.width, h: r.height, nw: i.naturalWidth, done: i.complete};
		}))`))
	}
	var shot []byte
	if err == nil {
		// The screen a reader sees at the figures.
		_, err = chromedp.Run(tctx, chromedp.Evaluate[bool](`document.querySelector("figure").scrollIntoView(); true`))
	}
	if err == nil {
		shot, err = chromedp.Run(tctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	var figs []figInfo
	if err := json.Unmarshal([]byte(sizes), &figs); err != nil {
		t.Fatalf("figure sizes %q: %v", sizes, err)
	}
	if len(figs) == 0 {
		t.Fatal("the report shows no figure")
	}
	for _, f := range figs {
		if !f.Done || f.W <= 0 || f.H <= 0 || f.NW <= 0 {
			t.Errorf("figure %s: rendered %gx%g, natural width %g, complete %v", f.ID, f.W, f.H, f.NW, f.Done)
		}
	}
	for _, p := range problems {
		t.Errorf("report.html: %s", p)
	}
	return figs, shot
}
