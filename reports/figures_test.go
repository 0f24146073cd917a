package reports

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ecssim/ecssim/sim"
)

var nan32v = float32(math.NaN())

// figuresResult is a hand-built 10-minute run (ten 1-minute periods, 2
// minutes of warmup) exercising every figure: two services (api has no
// utilization datapoints and no pending tasks; web has a missing datapoint
// and pending tasks), an Auto Scaling group provider and FARGATE, a job,
// events with and without a duration, deployments (one still in progress),
// scaling activities of both kinds, and a malformed column (ignored).
func figuresResult() *sim.Result {
	cols := map[string][]float32{
		"service/web/desired_count":      {2, 2, 3, 3, 4, 4, 4, 3, 3, 3},
		"service/web/running_count":      {2, 2, 2, 3, 3, 4, 4, 4, 3, 3},
		"service/web/cpu_utilization":    {50, 60, nan32v, 80, 70, 55, 50, 45, 40, 40},
		"service/web/memory_utilization": {30, 30, nan32v, 31, 31, 32, 32, 32, 31, 31},
		"service/web/pending_count":      {0, 0, 1, 0, 1, 0, 0, 0, 0, 0},
		"service/api/desired_count":      {1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
		"service/api/running_count":      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"service/api/cpu_utilization":    {nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v},
		"service/api/pending_count":      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},

		"capacity_provider/general/instances":                     {1, 1, 1, 2, 2, 2, 2, 2, 2, 1},
		"capacity_provider/general/capacity_provider_reservation": {100, 100, 200, 100, 100, 100, 100, 100, 100, 100},
		"capacity_provider/general/cost_usd_per_hour":             {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1},
		"capacity_provider/FARGATE/tasks":                         {2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
		"capacity_provider/FARGATE/capacity_provider_reservation": {nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v, nan32v},
		"capacity_provider/FARGATE/cost_usd_per_hour":             {0.5, 0.5, 0.5, 0.5, 0.5, nan32v, 0.5, 0.5, 0.5, 0.5},
		"bogus": {1, 2, 3},
	}
	ts := &sim.Timeseries{PeriodSeconds: 60}
	for _, name := range sortedKeys(cols) {
		ts.Columns = append(ts.Columns, name)
		ts.Data = append(ts.Data, cols[name])
	}
	return &sim.Result{
		SchemaVersion: 1,
		Scenario:      sim.ScenarioInfo{Name: "figures", Seed: 1, DurationSeconds: 600, WarmupSeconds: 120},
		Services: map[string]*sim.ServiceResult{
			"web": {
				PlacementWaitSeconds: &sim.Dist{Mean: 20, P50: 10, P95: 45, P99: 80, Max: 95},
				Deployments: []sim.DeploymentResult{
					{TaskDefinition: "web:1", StartedAtSeconds: 0, FinishedAtSeconds: f64(90), State: "COMPLETED"},
					{TaskDefinition: "web:2", StartedAtSeconds: 420, State: "IN_PROGRESS", FailedTasks: 1},
				},
			},
			"api": {},
		},
		Jobs: map[string]*sim.JobResult{
			"etl":   {WaitSeconds: &sim.Dist{Mean: 30, P50: 25, P95: 60, P99: 70, Max: 120}},
			"empty": {},
		},
		CapacityProviders: map[string]*sim.ProviderResult{"general": {}, "FARGATE": {}},
		Activities: []sim.Activity{
			{AtSeconds: 120, Resource: "service/web", From: 2, To: 3, Reason: "alarm_high"},
			{AtSeconds: 170, Resource: "capacity_provider/general", From: 1, To: 2, Reason: "CapacityProviderReservation 200 > 100"},
			{AtSeconds: 240, Resource: "service/web", From: 3, To: 4, Reason: "alarm_high"},
			{AtSeconds: 420, Resource: "service/web", From: 4, To: 3, Reason: "alarm_low"},
			{AtSeconds: 540, Resource: "capacity_provider/general", From: 2, To: 1, Reason: "scale in"},
		},
		Events: []sim.EventMark{
			{AtSeconds: 420, Type: "deploy", Target: "web"},
			{AtSeconds: 300, Type: "az_outage", Target: "us-east-1b", DurationSeconds: 120},
			{AtSeconds: 360, Type: "capacity_shortage", Target: "FARGATE_SPOT", DurationSeconds: 60},
		},
		Series: ts,
	}
}

func figuresByName(t *testing.T, res *sim.Result) map[string]Figure {
	t.Helper()
	figs, err := Figures(res)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]Figure{}
	for _, f := range figs {
		m[f.Name] = f
	}
	return m
}

// The Data of every figure, golden; the numbers are checked directly in
// TestFiguresDataNumbers so that an -update cannot silently accept a break.
func TestFiguresGolden(t *testing.T) {
	figs, err := Figures(figuresResult())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
		golden(t, filepath.Join("figures", f.Name+".txt"), []byte(f.Data))
	}
	if got, want := strings.Join(names, " "), "utilization tasks capacity cpr cost waits"; got != want {
		t.Errorf("figures %q, want %q", got, want)
	}
}

func TestFiguresDataNumbers(t *testing.T) {
	figs := figuresByName(t, figuresResult())
	checks := []struct {
		fig, want, why string
	}{
		// web's CPU: 9 datapoints (one NaN) summing to 490: mean 54.4444.
		{"utilization", "line web cpu_utilization solid #f28e2b: 10 points, 1 missing, min 40 mean 54.4444 max 80", "NaN skipped in the statistics"},
		// The NaN at index 2 splits the line into 2 + 7 points.
		{"utilization", "first 50 60 NaN, last 45 40 40, drawn 9", "all non-NaN points drawn"},
		{"utilization", "warmup 0s to 2m", "warmup band"},
		// api has no utilization datapoint: no line.
		{"tasks", "line api running_count solid #4e79a7: 10 points", "api is the first service: palette blue"},
		{"tasks", "line web pending_count dotted #f28e2b", "pending drawn when any"},
		{"tasks", "event 5m az_outage us-east-1b for 2m", "events in time order"},
		{"tasks", "deployment web web:2 7m to end IN_PROGRESS failed_tasks 1", "an unfinished deployment runs to the end"},
		{"tasks", "activities service/web: 3 (2 out, 1 in), first 2m 2->3, last 7m 4->3", "activity summary"},
		{"capacity", "line FARGATE tasks dashed #4e79a7", "Fargate tasks dashed; FARGATE sorts first"},
		{"capacity", "line general instances solid #f28e2b", "ASG instances solid"},
		{"capacity", "activities capacity_provider/general: 2 (1 out, 1 in)", "provider activities"},
		// general: 0.1 USD/h for 10 minutes = 1/60 USD; FARGATE: 0.5 USD/h
		// for 9 minutes (one NaN) = 0.075 USD.
		{"cost", "layer general cost_usd_per_hour #f28e2b: 10 points, 0 missing, min 0.1 mean 0.1 max 0.1, first 0.1 0.1 0.1, last 0.1 0.1 0.1, area 0.0166667 USD", "area is the bill"},
		{"cost", "area 0.075 USD, drawn 10 steps", "NaN counts as zero"},
		{"waits", "service web #f28e2b: mean 20 p50 10 p95 45 p99 80 max 95 seconds", "service placement wait"},
		// Jobs follow the two services: etl is the second of the sorted jobs
		// (empty, etl), palette index 2 + 1 (teal), though empty has no waits.
		{"waits", "job etl #76b7b2: mean 30", "job colour after the services"},
	}
	for _, c := range checks {
		f, ok := figs[c.fig]
		if !ok {
			t.Errorf("no figure %q", c.fig)
			continue
		}
		if !strings.Contains(f.Data, c.want) {
			t.Errorf("%s (%s): Data lacks %q:\n%s", c.fig, c.why, c.want, f.Data)
		}
	}
	if strings.Contains(figs["utilization"].Data, "line api") {
		t.Error("utilization draws api, which has no datapoint")
	}
	if strings.Contains(figs["cpr"].Data, "FARGATE") {
		t.Error("cpr draws FARGATE, whose reservation is all NaN")
	}
	if strings.Contains(figs["tasks"].Data, "api pending_count") {
		t.Error("tasks draws api's pending, which is always 0")
	}
}

var figureName = regexp.MustCompile(`^[a-z0-9-]+$`)

func TestFiguresEncodings(t *testing.T) {
	figs, err := Figures(figuresResult())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range figs {
		if !figureName.MatchString(f.Name) || seen[f.Name] {
			t.Errorf("figure name %q is not unique or not [a-z0-9-]+", f.Name)
		}
		seen[f.Name] = true
		if f.Title == "" || f.Caption == "" || f.Data == "" {
			t.Errorf("%s: empty title, caption or data", f.Name)
		}
		img, err := png.Decode(bytes.NewReader(f.PNG))
		if err != nil {
			t.Errorf("%s.png: %v", f.Name, err)
		} else if b := img.Bounds(); b.Dx() != 1080 || b.Dy() < 540 {
			t.Errorf("%s.png is %dx%d, want 1080 wide and at least 540 high (9x4.5 in at 120 dpi)", f.Name, b.Dx(), b.Dy())
		}
		checkSVG(t, f.Name, f.SVG)
	}
}

// checkSVG parses svg as XML and checks its root has a width and a height
// and that it embeds its font.
func checkSVG(t *testing.T, name string, svg []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s.svg: %v", name, err)
			return
		}
		if se, ok := tok.(xml.StartElement); ok && root {
			root = false
			attrs := map[string]string{}
			for _, a := range se.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if se.Name.Local != "svg" || attrs["width"] == "" || attrs["height"] == "" {
				t.Errorf("%s.svg root is <%s> width %q height %q", name, se.Name.Local, attrs["width"], attrs["height"])
			}
		}
	}
	if root {
		t.Errorf("%s.svg has no element", name)
	}
	if !bytes.Contains(svg, []byte("@font-face")) {
		t.Errorf("%s.svg does not embed its font", name)
	}
}

func TestFiguresDeterministic(t *testing.T) {
	a, err := Figures(figuresResult())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Figures(figuresResult())
	if len(a) != len(b) {
		t.Fatalf("%d then %d figures", len(a), len(b))
	}
	for i := range a {
		if a[i].Data != b[i].Data || !bytes.Equal(a[i].SVG, b[i].SVG) || !bytes.Equal(a[i].PNG, b[i].PNG) {
			t.Errorf("%s differs between two calls", a[i].Name)
		}
	}
}

func TestFiguresWithoutSeries(t *testing.T) {
	res := figuresResult()
	res.Series = nil
	figs, err := Figures(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 1 || figs[0].Name != "waits" {
		var names []string
		for _, f := range figs {
			names = append(names, f.Name)
		}
		t.Errorf("without series got figures %v, want only waits (not a time series)", names)
	}
	figs, err = Figures(&sim.Result{})
	if err != nil || len(figs) != 0 {
		t.Errorf("an empty result gave %d figures, error %v; want none", len(figs), err)
	}
	// Columns without a datapoint draw nothing either.
	res = &sim.Result{Series: &sim.Timeseries{PeriodSeconds: 60, Columns: []string{"service/a/cpu_utilization"}, Data: [][]float32{{nan32v}}}}
	if figs, err := Figures(res); err != nil || len(figs) != 0 {
		t.Errorf("an all-NaN series gave %d figures, error %v; want none", len(figs), err)
	}
	// A series without a period cannot be placed on the time axis.
	res = &sim.Result{Series: &sim.Timeseries{Columns: []string{"service/a/cpu_utilization"}, Data: [][]float32{{50}}}}
	if figs, err := Figures(res); err != nil || len(figs) != 0 {
		t.Errorf("a series without a period gave %d figures, error %v; want none", len(figs), err)
	}
}

func TestFiguresNilResultPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "reports: ") {
			t.Errorf("Figures(nil) recovered %v, want a reports: panic", r)
		}
	}()
	Figures(nil)
}

// A name keeps its colour in every figure: services by their index among
// the sorted service names, providers among the provider names.
func TestFiguresColoursConsistent(t *testing.T) {
	figs := figuresByName(t, figuresResult())
	web := hexColour(figurePalette[1])
	for _, name := range []string{"utilization", "tasks", "waits"} {
		if !strings.Contains(figs[name].Data, "web") || !strings.Contains(figs[name].Data, web) {
			t.Errorf("%s: web is not %s:\n%s", name, web, figs[name].Data)
		}
	}
	general := hexColour(figurePalette[1])
	for _, name := range []string{"capacity", "cpr", "cost"} {
		if !strings.Contains(figs[name].Data, "general") || !strings.Contains(figs[name].Data, general) {
			t.Errorf("%s: general is not %s", name, general)
		}
	}
}

// decimate keeps every datapoint of a short series, breaks lines at NaN,
// and bounds a long one while keeping its extremes.
func TestDecimate(t *testing.T) {
	segs := decimate([]float32{1, nan32v, 2, 3, nan32v, nan32v, 4}, 60, 2000)
	want := [][]drawPt{{{30, 1}}, {{150, 2}, {210, 3}}, {{390, 4}}} // at the periods' middles
	if len(segs) != len(want) {
		t.Fatalf("segments %v, want %v", segs, want)
	}
	for i := range want {
		if len(segs[i]) != len(want[i]) {
			t.Fatalf("segments %v, want %v", segs, want)
		}
		for j := range want[i] {
			if segs[i][j] != want[i][j] {
				t.Errorf("segment %d point %d = %v, want %v", i, j, segs[i][j], want[i][j])
			}
		}
	}

	// 43,200 datapoints (30 days at 1 minute) with a spike and a dip: the
	// bucket size is ceil(43200/1000) = 44, so 982 buckets of two points.
	long := make([]float32, 43200)
	for i := range long {
		long[i] = 50
	}
	long[20000], long[30001] = 99, 1
	long[40000] = nan32v
	segs = decimate(long, 60, 2000)
	n := countPoints(segs)
	if n > 2000 {
		t.Errorf("drew %d points, want at most 2000", n)
	}
	if len(segs) != 1 {
		t.Errorf("a single NaN inside a bucket broke the line into %d segments", len(segs))
	}
	var hi, lo bool
	for _, p := range segs[0] {
		hi = hi || (p.y == 99 && p.x == 20000.5*60)
		lo = lo || (p.y == 1 && p.x == 30001.5*60)
	}
	if !hi || !lo {
		t.Errorf("the spike (%v) or the dip (%v) was lost", hi, lo)
	}
	for i := 1; i < len(segs[0]); i++ {
		if segs[0][i].x <= segs[0][i-1].x {
			t.Fatalf("points out of time order at %d", i)
		}
	}
	// A bucket of NaNs breaks the line.
	for i := 10000; i < 10100; i++ {
		long[i] = nan32v
	}
	if segs = decimate(long, 60, 2000); len(segs) != 2 {
		t.Errorf("100 missing datapoints gave %d segments, want 2", len(segs))
	}
}

// bucketMeans keeps the area: sum of mean × bucket width = sum of
// datapoints × period, with NaN as 0.
func TestBucketMeansKeepsArea(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, 5003)
	want := 0.0
	for i := range data {
		data[i] = float32(r.Float64() * 3)
		if i%97 == 0 {
			data[i] = nan32v
			continue
		}
		want += float64(data[i]) * 60
	}
	edges, means := bucketMeans(data, len(data)+7, 60, 1000) // 7 periods missing at the end
	if len(means) > 1000 || len(edges) != len(means)+1 {
		t.Fatalf("%d means, %d edges", len(means), len(edges))
	}
	got := 0.0
	for j, m := range means {
		got += m * (edges[j+1] - edges[j])
	}
	if math.Abs(got-want) > 1e-9*want {
		t.Errorf("area %v, want %v", got, want)
	}
	if edges[len(edges)-1] != float64(len(data)+7)*60 {
		t.Errorf("last edge %v", edges[len(edges)-1])
	}
}

func TestTimeAxisTicks(t *testing.T) {
	cases := []struct {
		seconds float64
		unit    string
		labels  string
	}{
		{600, "minutes", "0 1 2 3 4 5 6 7 8 9 10"},                        // 10 majors of 1 minute
		{2 * 3600, "minutes", "0 10 20 30 40 50 60 70 80 90 100 110 120"}, // 120/10 = 12 majors
		{10 * 3600, "hours", "0 1 2 3 4 5 6 7 8 9 10"},
		{48 * 3600, "hours", "0 6 12 18 24 30 36 42 48"},
		{7 * 86400, "days", "0 1 2 3 4 5 6 7"},
		{30 * 86400, "days", "0 5 10 15 20 25 30"},        // 30/2 = 15 > 12, 30/5 = 6
		{365 * 86400, "days", "0 60 120 180 240 300 360"}, // 365/30 > 12, 365/60 = 6.1
	}
	for _, c := range cases {
		a := newTimeAxis(c.seconds)
		var labels []string
		for _, tk := range a.Ticks(0, a.x(c.seconds)) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if a.unit != c.unit || strings.Join(labels, " ") != c.labels {
			t.Errorf("%vs: unit %s labels %q, want %s %q", c.seconds, a.unit, strings.Join(labels, " "), c.unit, c.labels)
		}
	}
}

// benchResult is a 30-day run at a 1-minute period: 10 columns of 43,200
// datapoints (two services with CPU, memory, running and desired; one
// provider with instances and cost).
func benchResult() *sim.Result {
	const n = 43200
	r := rand.New(rand.NewPCG(7, 7))
	ts := &sim.Timeseries{PeriodSeconds: 60}
	add := func(name string, f func(i int) float64) {
		col := make([]float32, n)
		for i := range col {
			col[i] = float32(f(i))
		}
		ts.Columns = append(ts.Columns, name)
		ts.Data = append(ts.Data, col)
	}
	day := func(i int) float64 { return math.Sin(float64(i) / 1440 * 2 * math.Pi) }
	for _, s := range []string{"api", "web"} {
		add("service/"+s+"/cpu_utilization", func(i int) float64 { return 50 + 30*day(i) + 5*r.Float64() })
		add("service/"+s+"/memory_utilization", func(i int) float64 { return 40 + 2*r.Float64() })
		add("service/"+s+"/running_count", func(i int) float64 { return math.Round(10 + 6*day(i)) })
		add("service/"+s+"/desired_count", func(i int) float64 { return math.Round(10 + 6*day(i+5)) })
	}
	add("capacity_provider/general/instances", func(i int) float64 { return math.Round(5 + 3*day(i)) })
	add("capacity_provider/general/cost_usd_per_hour", func(i int) float64 { return 0.2 * math.Round(5+3*day(i)) })
	return &sim.Result{
		Scenario: sim.ScenarioInfo{DurationSeconds: n * 60, WarmupSeconds: 3600},
		Series:   ts,
	}
}

// BenchmarkFigures draws every figure of a 30-day, 1-minute run with 10
// series of 43,200 datapoints (8 service lines, instances and cost).
//
//	go test ./reports -run '^$' -bench Figures -count 6 | benchstat -
func BenchmarkFigures(b *testing.B) {
	res := benchResult()
	b.ResetTimer()
	figs := 0
	for b.Loop() {
		fs, err := Figures(res)
		if err != nil {
			b.Fatal(err)
		}
		figs += len(fs)
	}
	b.ReportMetric(float64(figs)/b.Elapsed().Seconds(), "figures/s")
}

// A 30-day run at a 1-minute period draws at most maxDrawPoints points per
// line and maxAreaSteps steps per cost layer, while Data describes all
// 43,200 datapoints.
func TestFiguresLongRunDecimated(t *testing.T) {
	figs, err := Figures(benchResult())
	if err != nil {
		t.Fatal(err)
	}
	drawn := regexp.MustCompile(`^(line|layer) .*: 43200 points, .*, drawn (\d+)( steps)?$`)
	lines := 0
	for _, f := range figs {
		for _, l := range strings.Split(strings.TrimSpace(f.Data), "\n") {
			if !strings.HasPrefix(l, "line ") && !strings.HasPrefix(l, "layer ") {
				continue
			}
			m := drawn.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("%s: unexpected line %q", f.Name, l)
				continue
			}
			lines++
			n, _ := strconv.Atoi(m[2])
			limit := maxDrawPoints
			if m[1] == "layer" {
				limit = maxAreaSteps
			}
			if n > limit || n < limit/2 {
				t.Errorf("%s: %q draws %d, want between %d and %d", f.Name, l, n, limit/2, limit)
			}
		}
	}
	// utilization 4, tasks 4, capacity 1, cost 1.
	if lines != 10 {
		t.Errorf("%d drawn series, want 10", lines)
	}
}
