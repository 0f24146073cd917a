package pricing

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// SpotAdvice is one Spot Instance Advisor entry.
type SpotAdvice struct {
	SavingsPct float64 // savings over on-demand, percent, at most 100 (may be negative)
	Bucket     int     // interruption frequency bucket 0..4 (see FrequencyLabel)
}

// SpotAdvisor holds Spot Instance Advisor data for os Linux: savings and
// interruption bucket per region and instance type. It is immutable once
// loaded and safe for concurrent reads.
type SpotAdvisor struct {
	entries map[priceKey]SpotAdvice
	source  string
}

// Advice returns the entry for typ in region; ok is false when there is none.
func (a *SpotAdvisor) Advice(region, typ string) (SpotAdvice, bool) {
	if a == nil {
		return SpotAdvice{}, false
	}
	e, ok := a.entries[priceKey{region, typ}]
	return e, ok
}

// Len returns the number of (region, instance type) entries.
func (a *SpotAdvisor) Len() int { return len(a.entries) }

// Source describes where the data comes from.
func (a *SpotAdvisor) Source() string { return a.source }

// Regions returns the regions with at least one entry, sorted.
func (a *SpotAdvisor) Regions() []string { return regionsOf(a.entries) }

// advisorOS is the operating system ecssim reads from the advisor feed.
const advisorOS = "Linux"

// advisorFile is the part of the Spot Instance Advisor JSON that ecssim reads.
type advisorFile struct {
	Ranges []struct {
		Index int    `json:"index"`
		Label string `json:"label"`
	} `json:"ranges"`
	SpotAdvisor map[string]map[string]map[string]struct {
		S *float64 `json:"s"`
		R *int     `json:"r"`
	} `json:"spot_advisor"`
}

// LoadSpotAdvisor reads the AWS Spot Instance Advisor JSON (the feed behind
// aws.amazon.com/ec2/spot/instance-advisor, format of
// spot-advisor-data.json: "ranges", "instance_types",
// "spot_advisor"[region][os][type] = {"s": savings %, "r": bucket}) and
// keeps the os "Linux" entries. It returns an error for malformed JSON, a
// missing "spot_advisor" object, ranges whose labels differ from the five
// known buckets, or an entry with s above 100 or r outside 0..4. Negative
// savings are kept: the feed has a few (a Spot price above on-demand, for
// example ca-central-1 p5.48xlarge at -62 %).
func LoadSpotAdvisor(r io.Reader) (*SpotAdvisor, error) {
	var f advisorFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("spot advisor: %w", err)
	}
	if f.SpotAdvisor == nil {
		return nil, errors.New(`spot advisor: no "spot_advisor" object`)
	}
	for _, rg := range f.Ranges {
		if rg.Index < 0 || rg.Index >= NumBuckets || frequencyLabels[rg.Index] != rg.Label {
			return nil, fmt.Errorf("spot advisor: range %d %q is not one of ecssim's buckets %v",
				rg.Index, rg.Label, frequencyLabels)
		}
	}
	a := &SpotAdvisor{entries: map[priceKey]SpotAdvice{}, source: "Spot Instance Advisor JSON, os Linux"}
	// Sorted traversal so that the first error reported is deterministic.
	for _, region := range sortedKeys(f.SpotAdvisor) {
		types := f.SpotAdvisor[region][advisorOS]
		for _, typ := range sortedKeys(types) {
			e := types[typ]
			if e.S == nil || e.R == nil {
				return nil, fmt.Errorf("spot advisor: %s %s: missing \"s\" or \"r\"", region, typ)
			}
			if !(*e.S <= 100) { // also rejects NaN
				return nil, fmt.Errorf("spot advisor: %s %s: savings %g%% above 100", region, typ, *e.S)
			}
			if *e.R < 0 || *e.R >= NumBuckets {
				return nil, fmt.Errorf("spot advisor: %s %s: bucket %d outside 0..%d", region, typ, *e.R, NumBuckets-1)
			}
			a.entries[priceKey{region, typ}] = SpotAdvice{SavingsPct: *e.S, Bucket: *e.R}
		}
	}
	return a, nil
}

// LoadSpotAdvisorFile is LoadSpotAdvisor on the named file; errors name it.
func LoadSpotAdvisorFile(path string) (*SpotAdvisor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := LoadSpotAdvisor(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	a.source = path + " (os Linux)"
	return a, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The builtin Spot Advisor snapshot: savings and bucket of every builtin
// instance type in every builtin region, os Linux, derived from the AWS Spot
// Advisor feed of June 2025. Regenerate it from
// ../../shared/data/spot/spot-advisor-data.json with
//
//	go test ./pricing -run TestSpotAdvisorSnapshot -update
//
//go:embed spot_advisor_2025-06.csv
var spotAdvisorSnapshot []byte

// snapshotSource is the source column of every snapshot row.
const snapshotSource = "AWS Spot Instance Advisor feed (spot-advisor-data.json via alexei-led/spotinfo), os Linux, 2025-06"

const snapshotHeader = "region,instance_type,savings_pct,bucket,source"

func builtinSpotAdvisor() (*SpotAdvisor, error) {
	a, err := parseAdvisorSnapshot(spotAdvisorSnapshot)
	if err != nil {
		return nil, err
	}
	a.source = "builtin snapshot: " + snapshotSource
	return a, nil
}

// parseAdvisorSnapshot reads the CSV written by renderAdvisorSnapshot.
func parseAdvisorSnapshot(b []byte) (*SpotAdvisor, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	r.FieldsPerRecord = 5
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != snapshotHeader {
		return nil, fmt.Errorf("snapshot header must be %q", snapshotHeader)
	}
	a := &SpotAdvisor{entries: map[priceKey]SpotAdvice{}}
	for i, rec := range recs[1:] {
		s, err := strconv.ParseFloat(rec[2], 64)
		if err != nil || !(s <= 100) {
			return nil, fmt.Errorf("snapshot row %d: bad savings %q", i+1, rec[2])
		}
		bkt, err := strconv.Atoi(rec[3])
		if err != nil || bkt < 0 || bkt >= NumBuckets {
			return nil, fmt.Errorf("snapshot row %d: bad bucket %q", i+1, rec[3])
		}
		k := priceKey{rec[0], rec[1]}
		if _, dup := a.entries[k]; dup {
			return nil, fmt.Errorf("snapshot row %d: duplicate %s %s", i+1, rec[0], rec[1])
		}
		a.entries[k] = SpotAdvice{SavingsPct: s, Bucket: bkt}
	}
	return a, nil
}

// renderAdvisorSnapshot writes the snapshot CSV: one row per (region, type)
// of the given lists that a has, regions then types in the given order.
func renderAdvisorSnapshot(a *SpotAdvisor, regions, types []string) []byte {
	var b bytes.Buffer
	b.WriteString("# Spot Instance Advisor snapshot for the builtin catalog (ecssim pricing).\n")
	b.WriteString("# Derived from the AWS Spot Instance Advisor feed of June 2025, os Linux,\n")
	b.WriteString("# as embedded by alexei-led/spotinfo (shared/data/spot/spot-advisor-data.json).\n")
	b.WriteString("# bucket: 0 <5%, 1 5-10%, 2 10-15%, 3 15-20%, 4 >20% interrupted per month.\n")
	b.WriteString("# Generated; do not edit. Regenerate: go test ./pricing -run TestSpotAdvisorSnapshot -update\n")
	b.WriteString(snapshotHeader + "\n")
	w := csv.NewWriter(&b)
	for _, region := range regions {
		for _, typ := range types {
			e, ok := a.Advice(region, typ)
			if !ok {
				continue
			}
			_ = w.Write([]string{region, typ,
				strconv.FormatFloat(e.SavingsPct, 'f', -1, 64), strconv.Itoa(e.Bucket), snapshotSource})
		}
	}
	w.Flush()
	return b.Bytes()
}

// builtinRegions returns the regions of the builtin catalog, sorted, without
// building it (the snapshot generator needs them before the snapshot exists).
func builtinRegions() []string {
	set := map[string]bool{}
	for k := range builtinFargate() {
		set[k.region] = true
	}
	for _, r := range ec2Regions {
		set[r] = true
	}
	return sortedKeys(set)
}

// builtinTypeNames returns the builtin instance type names, sorted, without
// building the catalog.
func builtinTypeNames() []string {
	var names []string
	for _, r := range builtinEC2Rows() {
		names = append(names, r.typ.Name)
	}
	sort.Strings(names)
	return names
}
