package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecssim/ecssim/pricing"
)

// validator checks a decoded, defaulted scenario against SCENARIO.md
// "Validation", the ranges of each key and the quotas of ECS-SEMANTICS.md
// §10, recording every problem at the key path it concerns.
type validator struct {
	s   *Scenario
	p   *problems
	has map[string]bool // key paths present in the file
	dir string          // the scenario file's directory

	cat     *pricing.Catalog
	builtin bool           // pricing.catalog is "builtin"
	tdByRef map[string]int // "family:revision" -> first index
	cpByNm  map[string]int // capacity provider name -> first index
	zones   map[string]bool
	fargate map[int]string // task definition index -> first Fargate user ("service \"web\"")
}

// MaxTasksPerService is the ECS quota on tasks per service
// (ECS-SEMANTICS.md §10 [service-quotas]); max_capacity may not exceed it.
const MaxTasksPerService = 5000

// Quotas of ECS-SEMANTICS.md §10 [service-quotas].
const (
	maxInstancesPerCluster = 5000
	maxServicesPerCluster  = 5000
	maxTasksPerService     = MaxTasksPerService
	maxProvidersInStrategy = 20
	maxPlacementStrategies = 5
	maxPlacementConstr     = 10
)

// errf records a problem at path, unless the value there could not be
// decoded (already reported; its checks would only repeat it).
func (v *validator) errf(path, format string, args ...any) {
	if v.p.bad[path] {
		return
	}
	v.p.at(path, "%s: %s", path, fmt.Sprintf(format, args...))
}

// orList formats "a, b or c" (quoted when q).
func orList(vals []string, q bool) string {
	out := make([]string, len(vals))
	for i, s := range vals {
		if q {
			s = strconv.Quote(s)
		}
		out[i] = s
	}
	if len(out) <= 1 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
}

// enum reports val when it is not one of valid; empty counts as absent
// unless required.
func (v *validator) enum(path, val string, required bool, valid ...string) bool {
	if val == "" && !required && !v.has[path] {
		return true
	}
	if slices.Contains(valid, val) {
		return true
	}
	if val == "" {
		v.errf(path, "is required: one of %s", orList(valid, false))
	} else {
		v.errf(path, "%q is not one of %s", val, orList(valid, false))
	}
	return false
}

func (v *validator) intRange(path string, n, lo, hi int) bool {
	if n < lo || n > hi {
		v.errf(path, "must be between %d and %d, got %d", lo, hi, n)
		return false
	}
	return true
}

func (v *validator) fracRange(path string, f, lo, hi float64) bool {
	if f < lo || f > hi {
		v.errf(path, "must be between %v and %v, got %v", lo, hi, f)
		return false
	}
	return true
}

func (v *validator) nonNeg(path string, f float64) {
	if f < 0 {
		v.errf(path, "must not be negative, got %v", f)
	}
}

func (v *validator) positiveDur(path string, d Duration) {
	if d <= 0 {
		v.errf(path, "must be longer than 0s")
	}
}

func (v *validator) required(path string) bool {
	if !v.has[path] {
		v.errf(path, "is required")
		return false
	}
	return true
}

// forbid reports each key of keys present under base that the context
// does not use (nothing is silently ignored).
func (v *validator) forbid(base, why string, keys ...string) {
	for _, k := range keys {
		if p := joinPath(base, k); v.has[p] {
			v.errf(p, "does not apply %s", why)
		}
	}
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// name checks a name used in dotted paths: [A-Za-z0-9_-]+, at most 255
// characters (the ECS limit for cluster, service and family names).
func (v *validator) name(path, n string) bool {
	if n == "" {
		v.errf(path, "is required")
		return false
	}
	if !nameRE.MatchString(n) || len(n) > 255 {
		v.errf(path, "%q is not a valid name: use 1-255 letters, digits, '-' and '_'", n)
		return false
	}
	return true
}

// file checks that a file named in the scenario exists (relative to the
// scenario's directory).
func (v *validator) file(path, name string) {
	if name == "" {
		v.errf(path, "is required")
		return
	}
	full := name
	if !filepath.IsAbs(full) {
		full = filepath.Join(v.dir, full)
	}
	if st, err := os.Stat(full); err != nil || st.IsDir() {
		v.errf(path, "file %q not found (relative paths are relative to the scenario file)", name)
	}
}

func (v *validator) validate() {
	s := v.s
	v.cat = pricing.Builtin()
	v.builtin = len(s.Pricing.Catalog) == 1 && s.Pricing.Catalog[0] == "builtin"
	v.validateTop()
	v.validatePricing()
	v.validateCluster()
	v.indexTaskDefinitions()
	v.indexCapacityProviders()
	v.validateStrategy("cluster.default_capacity_provider_strategy", s.Cluster.DefaultCapacityProviderStrategy)
	v.validateFargateSpot()
	v.fargate = map[int]string{}
	v.validateServices()
	v.validateJobs()
	v.validateFileContents()
	v.validateTaskDefinitions()
	v.validateEvents()
	v.validateAssertions()
	v.validateRecommend()
}

func (v *validator) validateTop() {
	s := v.s
	if s.Name == "" {
		v.errf("name", "is required")
	}
	if v.required("duration") {
		v.positiveDur("duration", s.Duration)
	}
	if s.Warmup < 0 || (s.Duration > 0 && s.Warmup >= s.Duration) {
		v.errf("warmup", "must be shorter than duration (%v), got %v", s.Duration, s.Warmup)
	}
	// CloudWatch periods [cloudwatch_concepts, "Periods"]: 1, 5, 10 or 30
	// seconds (high resolution) or a multiple of 60 seconds.
	mp := s.MetricsPeriod.D()
	switch {
	case mp == time.Second || mp == 5*time.Second || mp == 10*time.Second || mp == 30*time.Second:
	case mp > 0 && mp%time.Minute == 0:
	default:
		v.errf("metrics_period", "must be 1s, 5s, 10s, 30s or a multiple of 1m (a CloudWatch period), got %v", s.MetricsPeriod)
	}
	if s.Duration > 0 && s.MetricsPeriod > s.Duration {
		v.errf("metrics_period", "must not be longer than duration (%v)", s.Duration)
	}
	if len(s.Services) > maxServicesPerCluster {
		v.errf("services", "at most %d services per cluster, got %d", maxServicesPerCluster, len(s.Services))
	}
}

func (v *validator) validatePricing() {
	s := v.s
	if len(s.Pricing.Catalog) == 0 {
		v.errf("pricing.catalog", `must be "builtin" or one or more paths`)
	}
	if !v.builtin {
		for i, c := range s.Pricing.Catalog {
			p := "pricing.catalog"
			if v.has[indexPath(p, i)] {
				p = indexPath(p, i)
			}
			if c == "builtin" {
				v.errf(p, `"builtin" cannot be mixed with catalog files`)
				continue
			}
			v.file(p, c)
		}
	}
	if s.Pricing.SpotAdvisor != "builtin" {
		v.file("pricing.spot_advisor", s.Pricing.SpotAdvisor)
	}
	if s.Pricing.SpotPriceHistory != "" || v.has["pricing.spot_price_history"] {
		v.file("pricing.spot_price_history", s.Pricing.SpotPriceHistory)
	}
	if d := s.Pricing.FargateSpotDiscount; d != nil {
		v.fracRange("pricing.fargate_spot_discount", *d, 0, 1)
	}
	if v.builtin && !slices.Contains(v.cat.Regions(), s.Region) {
		v.errf("region", "no prices for region %q in the builtin catalog (it has %s)", s.Region, orList(v.cat.Regions(), false))
	}
}

func (v *validator) validateCluster() {
	c := &v.s.Cluster
	if v.has["cluster.name"] {
		v.name("cluster.name", c.Name)
	}
	v.zones = map[string]bool{}
	if len(c.AvailabilityZones) == 0 {
		v.errf("cluster.availability_zones", "needs at least one zone")
	}
	for i, z := range c.AvailabilityZones {
		p := indexPath("cluster.availability_zones", i)
		// Model assumption: a zone name is its region plus letters
		// ("us-east-1a"); zone IDs ("use1-az1") are not accepted.
		suffix, ok := strings.CutPrefix(z, v.s.Region)
		if !ok || suffix == "" || strings.Trim(suffix, "abcdefghijklmnopqrstuvwxyz") != "" {
			v.errf(p, "%q is not a zone of region %s (such as %sa)", z, v.s.Region, v.s.Region)
		}
		if v.zones[z] {
			v.errf(p, "duplicate zone %q", z)
		}
		v.zones[z] = true
	}
}

func (v *validator) validateFargateSpot() {
	f := &v.s.FargateSpot
	v.nonNeg("fargate_spot.interruptions_per_task_hour", f.InterruptionsPerTaskHour)
	for i, w := range f.CapacityShortages {
		v.window(indexPath("fargate_spot.capacity_shortages", i), w)
	}
}

// window checks { at, duration }: at within the run, duration > 0.
func (v *validator) window(p string, w Window) {
	if v.required(p + ".at") {
		v.at(p+".at", w.At)
	}
	if v.required(p + ".duration") {
		v.positiveDur(p+".duration", w.Duration)
	}
}

// at checks a point in simulated time: before the end of the run (Model
// assumption: an event at or after the horizon would never happen, so it
// is an error rather than silently dropped).
func (v *validator) at(p string, d Duration) {
	if v.s.Duration > 0 && d >= v.s.Duration {
		v.errf(p, "%v is not before the end of the run (duration %v)", d, v.s.Duration)
	}
}

// indexTaskDefinitions records family:revision and reports duplicates.
func (v *validator) indexTaskDefinitions() {
	v.tdByRef = map[string]int{}
	for i := range v.s.TaskDefinitions {
		td := &v.s.TaskDefinitions[i]
		p := indexPath("task_definitions", i)
		if !v.name(p+".family", td.Family) {
			continue
		}
		if td.Revision < 1 {
			v.errf(p+".revision", "must be at least 1, got %d", td.Revision)
			continue
		}
		ref := td.Ref()
		if j, dup := v.tdByRef[ref]; dup {
			v.errf(p, "duplicate task definition %q (also task_definitions[%d])", ref, j)
			continue
		}
		v.tdByRef[ref] = i
	}
}

// taskDefIndex resolves "family:revision" or "family" (the highest
// revision); -1 when there is none.
func (s *Scenario) taskDefIndex(ref string) int {
	fam, rev, hasRev := strings.Cut(ref, ":")
	best, bestRev := -1, 0
	for i := range s.TaskDefinitions {
		td := &s.TaskDefinitions[i]
		if td.Family != fam {
			continue
		}
		if hasRev {
			if strconv.Itoa(td.Revision) == rev {
				return i
			}
			continue
		}
		if td.Revision > bestRev {
			best, bestRev = i, td.Revision
		}
	}
	return best
}

// refTaskDef checks a task_definition reference and returns its index or -1.
func (v *validator) refTaskDef(path, ref string) int {
	if ref == "" {
		v.errf(path, "is required")
		return -1
	}
	i := v.s.taskDefIndex(ref)
	if i < 0 {
		var known []string
		for _, td := range v.s.TaskDefinitions {
			known = append(known, td.Ref())
		}
		known = slices.Compact(known)
		if len(known) == 0 {
			v.errf(path, "no task definition %q: the scenario defines none", ref)
		} else {
			v.errf(path, "no task definition %q (defined: %s)", ref, strings.Join(known, ", "))
		}
	}
	return i
}
