package pricing

import (
	"fmt"
	"sort"
	"sync"
)

// CatalogDate is the snapshot date of the builtin catalog's prices and facts.
const CatalogDate = "2026-01"

// Catalog is a dated set of prices (Fargate, EC2 on-demand, EC2 Spot via the
// Spot Advisor) and instance-type facts.
//
// A Catalog is safe for concurrent reads. The catalog returned by Builtin is
// shared and frozen: calling a setter on it panics; Clone it first. Clones
// are independent of each other and of Builtin.
type Catalog struct {
	date         string
	types        map[string]InstanceType
	names        []string // sorted keys of types
	regions      []string // sorted
	onDemand     map[priceKey]EC2Price
	fargate      map[fargateKey]FargateRate
	spotDiscount float64
	advisor      *SpotAdvisor
	frozen       bool
}

type priceKey struct{ region, typ string }

// EC2Price is one EC2 Linux on-demand price row of a catalog.
type EC2Price struct {
	Region     string
	Type       string
	USDPerHour float64
	Source     string
}

var (
	builtinOnce sync.Once
	builtin     *Catalog
)

// Builtin returns the catalog embedded in the binary, dated CatalogDate
// ("2026-01"). It is built once and shared; do not modify it (setters
// panic): use Clone or WithSpotAdvisor for a private copy.
//
// Contents:
//   - Fargate Linux rates for us-east-1, us-west-2, eu-west-1 and
//     eu-central-1, x86_64 and arm64 (eu-central-1 arm64 = x86 × 0.8,
//     as AWS prices Graviton 20 % lower); Fargate Spot discount 0.69.
//   - 35 instance types (m5, m6i, m7i, c6i, c7i, r6i, m6g, m7g: large to
//     4xlarge; t3: large to 2xlarge) with vCPU, memory, architecture, ENI
//     and trunk-ENI limits.
//   - EC2 Linux on-demand prices in us-east-1 and us-west-2 only (the same
//     figures in both). eu-west-1 and eu-central-1 have Fargate rates but no
//     EC2 prices: ecssim embeds only published values it is sure of, so a
//     scenario that runs EC2 capacity there is a validation error naming the
//     missing price (OnDemandRate returns ok=false); supply a price file.
//   - Spot Instance Advisor savings and interruption buckets (os Linux) for
//     every instance type in every catalog region, derived from the AWS Spot
//     Advisor feed of June 2025 (spot_advisor_2025-06.csv).
func Builtin() *Catalog {
	builtinOnce.Do(func() {
		builtin = newBuiltin()
		builtin.frozen = true
	})
	return builtin
}

func newBuiltin() *Catalog {
	c := &Catalog{
		date:         CatalogDate,
		types:        map[string]InstanceType{},
		onDemand:     map[priceKey]EC2Price{},
		fargate:      builtinFargate(),
		spotDiscount: DefaultFargateSpotDiscount,
	}
	for _, row := range builtinEC2Rows() {
		if _, dup := c.types[row.typ.Name]; dup {
			panic("pricing: duplicate builtin instance type " + row.typ.Name)
		}
		c.types[row.typ.Name] = row.typ
		for _, region := range ec2Regions {
			src := srcOnDemandUSE1
			if region == "us-west-2" {
				src = srcOnDemandUSW2
			}
			c.onDemand[priceKey{region, row.typ.Name}] = EC2Price{
				Region: region, Type: row.typ.Name, USDPerHour: row.usdPerHour, Source: src,
			}
		}
	}
	adv, err := builtinSpotAdvisor()
	if err != nil {
		panic("pricing: embedded Spot Advisor snapshot: " + err.Error())
	}
	c.advisor = adv
	c.reindex()
	return c
}

// reindex recomputes the sorted name and region lists from the maps.
func (c *Catalog) reindex() {
	c.names = c.names[:0]
	for n := range c.types {
		c.names = append(c.names, n)
	}
	sort.Strings(c.names)
	set := map[string]bool{}
	for k := range c.fargate {
		set[k.region] = true
	}
	for k := range c.onDemand {
		set[k.region] = true
	}
	c.regions = c.regions[:0]
	for r := range set {
		c.regions = append(c.regions, r)
	}
	sort.Strings(c.regions)
}

// Clone returns an independent, modifiable copy of c.
func (c *Catalog) Clone() *Catalog {
	d := &Catalog{
		date:         c.date,
		types:        make(map[string]InstanceType, len(c.types)),
		onDemand:     make(map[priceKey]EC2Price, len(c.onDemand)),
		fargate:      make(map[fargateKey]FargateRate, len(c.fargate)),
		spotDiscount: c.spotDiscount,
		advisor:      c.advisor, // immutable once loaded; shared
		names:        append([]string(nil), c.names...),
		regions:      append([]string(nil), c.regions...),
	}
	for k, v := range c.types {
		d.types[k] = v
	}
	for k, v := range c.onDemand {
		d.onDemand[k] = v
	}
	for k, v := range c.fargate {
		d.fargate[k] = v
	}
	return d
}

func (c *Catalog) mustBeMutable(op string) {
	if c.frozen {
		panic("pricing: " + op + " on the shared Builtin catalog; call Clone first")
	}
}

// Date returns the snapshot date of the catalog ("2026-01" for Builtin).
func (c *Catalog) Date() string { return c.date }

// Regions returns the regions that have any price in the catalog (Fargate or
// EC2), sorted. A region listed here may still lack EC2 prices; see
// EC2Regions.
func (c *Catalog) Regions() []string { return append([]string(nil), c.regions...) }

// EC2Regions returns the regions with at least one EC2 on-demand price,
// sorted.
func (c *Catalog) EC2Regions() []string { return regionsOf(c.onDemand) }

// regionsOf returns the distinct regions among m's keys, sorted.
func regionsOf[V any](m map[priceKey]V) []string {
	set := map[string]bool{}
	for k := range m {
		set[k.region] = true
	}
	return sortedKeys(set)
}

// HasRegion reports whether the catalog has any price for region.
func (c *Catalog) HasRegion(region string) bool {
	i := sort.SearchStrings(c.regions, region)
	return i < len(c.regions) && c.regions[i] == region
}

// InstanceType returns the facts of the named instance type; ok is false
// when the catalog does not know it.
func (c *Catalog) InstanceType(name string) (InstanceType, bool) {
	t, ok := c.types[name]
	return t, ok
}

// InstanceTypes returns every instance type of the catalog, sorted by name.
func (c *Catalog) InstanceTypes() []InstanceType {
	out := make([]InstanceType, len(c.names))
	for i, n := range c.names {
		out[i] = c.types[n]
	}
	return out
}

// FargateRate returns the Fargate Linux rate for region and CPU architecture
// ("x86_64" or "arm64"; the task-definition spellings "X86_64" and "ARM64"
// are accepted too). With spot, the vCPU and memory rates are the on-demand
// ones × (1 − FargateSpotDiscount()). ok is false for an unknown region or
// architecture.
func (c *Catalog) FargateRate(region, arch string, spot bool) (FargateRate, bool) {
	a, ok := normalizeArch(arch)
	if !ok {
		return FargateRate{}, false
	}
	r, ok := c.fargate[fargateKey{region, a}]
	if !ok {
		return FargateRate{}, false
	}
	if spot {
		r = r.spotRate(c.spotDiscount)
	}
	return r, true
}

// FargateSpotDiscount returns the Fargate Spot discount in use, a fraction
// 0-1 (DefaultFargateSpotDiscount unless overridden).
func (c *Catalog) FargateSpotDiscount() float64 { return c.spotDiscount }

// SetFargateSpotDiscount overrides the Fargate Spot discount (the scenario's
// pricing.fargate_spot_discount), a fraction 0-1. It panics on the shared
// Builtin catalog and on a value outside [0, 1] (the scenario validator
// reports those as user errors first).
func (c *Catalog) SetFargateSpotDiscount(d float64) {
	c.mustBeMutable("SetFargateSpotDiscount")
	if !(d >= 0 && d <= 1) {
		panic(fmt.Sprintf("pricing: Fargate Spot discount %g outside [0, 1]", d))
	}
	c.spotDiscount = d
}

// OnDemandRate returns the EC2 Linux on-demand price of typ in region, USD
// per hour; ok is false when the catalog has no such price.
func (c *Catalog) OnDemandRate(region, typ string) (usdPerHour float64, ok bool) {
	p, ok := c.onDemand[priceKey{region, typ}]
	return p.USDPerHour, ok
}

// EC2Prices returns every EC2 on-demand price row, sorted by region then
// type.
func (c *Catalog) EC2Prices() []EC2Price {
	out := make([]EC2Price, 0, len(c.onDemand))
	for _, p := range c.onDemand {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].Type < out[j].Type
	})
	return out
}

// EC2Rate returns the hourly price of typ in region for the given market:
// OnDemandRate, or SpotRate when spot is true.
func (c *Catalog) EC2Rate(region, typ string, spot bool) (usdPerHour float64, ok bool) {
	if spot {
		return c.SpotRate(region, typ)
	}
	return c.OnDemandRate(region, typ)
}

// SpotAdvice returns the Spot Advisor savings (percent, 0-100) and
// interruption-frequency bucket (0..4 = <5%, 5-10%, 10-15%, 15-20%, >20%) of
// typ in region for os Linux; ok is false when the catalog's advisor data
// has no entry.
func (c *Catalog) SpotAdvice(region, typ string) (savingsPct float64, bucket int, ok bool) {
	if c.advisor == nil {
		return 0, 0, false
	}
	a, ok := c.advisor.Advice(region, typ)
	return a.SavingsPct, a.Bucket, ok
}

// SpotRate returns the EC2 Spot price of typ in region, USD per hour:
// on-demand × (1 − savings/100) with the Spot Advisor savings (ECS-SEMANTICS
// §7). ok is false when either the on-demand price or the advice is missing.
func (c *Catalog) SpotRate(region, typ string) (usdPerHour float64, ok bool) {
	od, ok := c.OnDemandRate(region, typ)
	if !ok {
		return 0, false
	}
	s, _, ok := c.SpotAdvice(region, typ)
	if !ok {
		return 0, false
	}
	return od * (1 - s/100), true
}

// SpotAdvisor returns the advisor data in use (nil when none).
func (c *Catalog) SpotAdvisor() *SpotAdvisor { return c.advisor }

// WithSpotAdvisor returns a clone of c whose Spot advice comes from a alone
// (the scenario's pricing.spot_advisor); a nil a removes all advice.
func (c *Catalog) WithSpotAdvisor(a *SpotAdvisor) *Catalog {
	d := c.Clone()
	d.advisor = a
	return d
}
