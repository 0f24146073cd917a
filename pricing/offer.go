package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Offer is the set of prices read from AWS Price List files (LoadOfferFile):
// EC2 Linux on-demand prices and Fargate Linux rates. Apply it to a catalog
// with WithOffer.
type Offer struct {
	EC2     []EC2Price         // sorted by region, then type
	Fargate []FargateOfferRate // sorted by region, then arch
	Source  string
}

// FargateOfferRate is one region's Fargate Linux rate from an offer file.
// A zero field means the file did not give it.
type FargateOfferRate struct {
	Region, Arch string
	Rate         FargateRate
}

// offerProduct is one product and its terms in either AWS format.
type offerProduct struct {
	SKU           string            `json:"sku"`
	ProductFamily string            `json:"productFamily"`
	Attributes    map[string]string `json:"attributes"`
}

type offerTerm struct {
	PriceDimensions map[string]struct {
		Unit         string            `json:"unit"`
		PricePerUnit map[string]string `json:"pricePerUnit"`
	} `json:"priceDimensions"`
}

// offerFile is the AWS Price List bulk offer file (offers/v1.0/aws/<service>/
// current/<region>/index.json).
type offerFile struct {
	OfferCode       string                                     `json:"offerCode"`
	Version         string                                     `json:"version"`
	PublicationDate string                                     `json:"publicationDate"`
	Products        map[string]offerProduct                    `json:"products"`
	Terms           map[string]map[string]map[string]offerTerm `json:"terms"`
	// PriceList is the `aws pricing get-products` output: one JSON document
	// per product, as a string.
	PriceList []string `json:"PriceList"`
}

// getProductsItem is one element of get-products' PriceList.
type getProductsItem struct {
	Product     offerProduct `json:"product"`
	ServiceCode string       `json:"serviceCode"`
	Terms       struct {
		OnDemand map[string]offerTerm `json:"OnDemand"`
	} `json:"terms"`
}

// locationRegions maps Price List location names to region codes, for files
// whose products lack the regionCode attribute.
var locationRegions = map[string]string{
	"US East (N. Virginia)":   "us-east-1",
	"US East (Ohio)":          "us-east-2",
	"US West (N. California)": "us-west-1",
	"US West (Oregon)":        "us-west-2",
	"EU (Ireland)":            "eu-west-1",
	"EU (Frankfurt)":          "eu-central-1",
	"EU (London)":             "eu-west-2",
	"EU (Paris)":              "eu-west-3",
	"EU (Stockholm)":          "eu-north-1",
}

// LoadOfferFile reads an AWS Price List file for AmazonEC2 or AmazonECS:
// either the bulk offer file (index.json: "products" and "terms") or the
// output of `aws pricing get-products` ("PriceList"). It keeps:
//
//   - AmazonEC2: products of family "Compute Instance" with operatingSystem
//     "Linux", tenancy "Shared", preInstalledSw "NA" and (when present)
//     capacitystatus "Used", priced per "Hrs" in USD under OnDemand terms;
//   - AmazonECS: the Fargate Linux usage types *-Fargate-vCPU-Hours:perCPU,
//     *-Fargate-GB-Hours, *-Fargate-ARM-vCPU-Hours:perCPU,
//     *-Fargate-ARM-GB-Hours and *-Fargate-EphemeralStorage-GB-Hours
//     (storage applies to both architectures).
//
// Everything else (other OSes, Reserved terms, Spot usage, Windows) is
// skipped. It returns an error for malformed JSON, an unparsable price, a
// product in an AWS Region without a known region code, two different
// prices for the same thing, or a file with no usable price.
func LoadOfferFile(r io.Reader) (*Offer, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("offer file: %w", err)
	}
	var f offerFile
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&f); err != nil {
		return nil, fmt.Errorf("offer file: %w", err)
	}
	b := offerBuilder{ec2: map[priceKey]float64{}, fargate: map[fargateKey]*FargateRate{}, storage: map[string]float64{}}
	source := "AWS Price List"
	switch {
	case f.PriceList != nil:
		for i, doc := range f.PriceList {
			var it getProductsItem
			if err := json.Unmarshal([]byte(doc), &it); err != nil {
				return nil, fmt.Errorf("offer file: PriceList[%d]: %w", i, err)
			}
			if err := b.add(it.Product, it.Terms.OnDemand); err != nil {
				return nil, err
			}
		}
		source += " (aws pricing get-products output)"
	case f.Products != nil:
		onDemand := f.Terms["OnDemand"]
		for _, sku := range sortedKeys(f.Products) {
			if err := b.add(f.Products[sku], onDemand[sku]); err != nil {
				return nil, err
			}
		}
		source += fmt.Sprintf(" offer %s version %s (published %s)", f.OfferCode, f.Version, f.PublicationDate)
	default:
		return nil, fmt.Errorf(`offer file: neither "products" nor "PriceList" found`)
	}
	return b.offer(source)
}

// LoadOfferFileNamed is LoadOfferFile on the named file; errors name it.
func LoadOfferFileNamed(path string) (*Offer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	o, err := LoadOfferFile(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	o.Source += ", file " + path
	return o, nil
}

type offerBuilder struct {
	ec2     map[priceKey]float64
	fargate map[fargateKey]*FargateRate
	storage map[string]float64 // region → storage GB-hour
}

func (b *offerBuilder) add(p offerProduct, terms map[string]offerTerm) error {
	at := p.Attributes
	if lt := at["locationType"]; lt != "" && lt != "AWS Region" {
		return nil
	}
	kind, arch := b.classify(p)
	if kind == "" {
		return nil
	}
	region := at["regionCode"]
	if region == "" {
		region = locationRegions[at["location"]]
	}
	if region == "" {
		return fmt.Errorf("offer file: product %s: no region code for location %q", p.SKU, at["location"])
	}
	price, ok, err := hourlyUSD(p.SKU, terms)
	if err != nil || !ok {
		return err
	}
	set := func(dst *float64, what string) error {
		if *dst != 0 && *dst != price {
			return fmt.Errorf("offer file: %s %s: two prices %g and %g", region, what, *dst, price)
		}
		*dst = price
		return nil
	}
	switch kind {
	case "ec2":
		v := b.ec2[priceKey{region, at["instanceType"]}]
		if err := set(&v, at["instanceType"]); err != nil {
			return err
		}
		b.ec2[priceKey{region, at["instanceType"]}] = v
	case "storage":
		v := b.storage[region]
		if err := set(&v, "Fargate ephemeral storage"); err != nil {
			return err
		}
		b.storage[region] = v
	default: // "vcpu", "gb"
		k := fargateKey{region, arch}
		r := b.fargate[k]
		if r == nil {
			r = &FargateRate{}
			b.fargate[k] = r
		}
		if kind == "vcpu" {
			return set(&r.VCPUHour, "Fargate "+arch+" vCPU")
		}
		return set(&r.GBHour, "Fargate "+arch+" GB")
	}
	return nil
}

// classify says what a product prices: "ec2", "vcpu", "gb", "storage", or ""
// (skip); arch is set for vcpu and gb.
func (b *offerBuilder) classify(p offerProduct) (kind, arch string) {
	at := p.Attributes
	if p.ProductFamily == "Compute Instance" {
		if at["operatingSystem"] != "Linux" || at["tenancy"] != "Shared" ||
			at["preInstalledSw"] != "NA" || at["instanceType"] == "" {
			return "", ""
		}
		if cs := at["capacitystatus"]; cs != "" && cs != "Used" {
			return "", ""
		}
		return "ec2", ""
	}
	ut := at["usagetype"]
	// usagetype is "<region prefix>-<name>", e.g. USE1-Fargate-vCPU-Hours:perCPU.
	name := ut
	if i := strings.Index(ut, "-Fargate-"); i >= 0 {
		name = ut[i+1:]
	}
	switch name {
	case "Fargate-vCPU-Hours:perCPU":
		return "vcpu", ArchX86_64
	case "Fargate-GB-Hours":
		return "gb", ArchX86_64
	case "Fargate-ARM-vCPU-Hours:perCPU":
		return "vcpu", ArchARM64
	case "Fargate-ARM-GB-Hours":
		return "gb", ArchARM64
	case "Fargate-EphemeralStorage-GB-Hours":
		return "storage", ""
	}
	return "", ""
}

// hourlyUSD returns the single USD price per unit of a product's on-demand
// terms; ok is false when there is none (a product without on-demand terms
// or a zero price, which AWS uses for placeholders).
func hourlyUSD(sku string, terms map[string]offerTerm) (float64, bool, error) {
	var found []float64
	for _, tk := range sortedKeys(terms) {
		t := terms[tk]
		for _, dk := range sortedKeys(t.PriceDimensions) {
			d := t.PriceDimensions[dk]
			s, ok := d.PricePerUnit["USD"]
			if !ok {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 {
				return 0, false, fmt.Errorf("offer file: product %s: bad USD price %q", sku, s)
			}
			if v > 0 {
				found = append(found, v)
			}
		}
	}
	if len(found) == 0 {
		return 0, false, nil
	}
	for _, v := range found[1:] {
		if v != found[0] {
			return 0, false, fmt.Errorf("offer file: product %s: several on-demand prices %v", sku, found)
		}
	}
	return found[0], true, nil
}

func (b *offerBuilder) offer(source string) (*Offer, error) {
	o := &Offer{Source: source}
	for k, v := range b.ec2 {
		o.EC2 = append(o.EC2, EC2Price{Region: k.region, Type: k.typ, USDPerHour: v, Source: source})
	}
	sort.Slice(o.EC2, func(i, j int) bool {
		if o.EC2[i].Region != o.EC2[j].Region {
			return o.EC2[i].Region < o.EC2[j].Region
		}
		return o.EC2[i].Type < o.EC2[j].Type
	})
	for k, r := range b.fargate {
		rate := *r
		rate.StorageGBHour = b.storage[k.region]
		rate.Source = source
		o.Fargate = append(o.Fargate, FargateOfferRate{Region: k.region, Arch: k.arch, Rate: rate})
	}
	// Storage alone for a region still overrides that region's storage rate.
	for region, s := range b.storage {
		for _, arch := range []string{ArchX86_64, ArchARM64} {
			if b.fargate[fargateKey{region, arch}] == nil {
				o.Fargate = append(o.Fargate, FargateOfferRate{Region: region, Arch: arch,
					Rate: FargateRate{StorageGBHour: s, Source: source}})
			}
		}
	}
	sort.Slice(o.Fargate, func(i, j int) bool {
		if o.Fargate[i].Region != o.Fargate[j].Region {
			return o.Fargate[i].Region < o.Fargate[j].Region
		}
		return o.Fargate[i].Arch < o.Fargate[j].Arch
	})
	if len(o.EC2) == 0 && len(o.Fargate) == 0 {
		return nil, fmt.Errorf("offer file: no EC2 Linux on-demand or Fargate Linux price found")
	}
	return o, nil
}

// WithOffer returns a clone of c whose prices are overridden by o: each EC2
// price replaces (or adds) that region's price of that type; each Fargate
// field the offer gives replaces the catalog's, the others are kept. It
// returns an error naming the region when a Fargate rate would be left
// without a vCPU or GB price (the offer gives only part of a region the
// catalog does not have). A price for an instance type the catalog does not
// describe is kept, but such a type still fails InstanceType (its ENI limits
// are unknown).
func (c *Catalog) WithOffer(o *Offer) (*Catalog, error) {
	d := c.Clone()
	for _, p := range o.EC2 {
		d.onDemand[priceKey{p.Region, p.Type}] = p
	}
	for _, f := range o.Fargate {
		k := fargateKey{f.Region, f.Arch}
		cur, had := d.fargate[k]
		if f.Rate.VCPUHour > 0 {
			cur.VCPUHour = f.Rate.VCPUHour
		}
		if f.Rate.GBHour > 0 {
			cur.GBHour = f.Rate.GBHour
		}
		if f.Rate.StorageGBHour > 0 {
			cur.StorageGBHour = f.Rate.StorageGBHour
		} else if !had {
			// Model assumption: an offer without a storage rate for a new
			// region uses the us-east-1 rate.
			cur.StorageGBHour = fargateStorageGBHour
		}
		if cur.VCPUHour == 0 || cur.GBHour == 0 {
			if !had && f.Rate.VCPUHour == 0 && f.Rate.GBHour == 0 {
				continue // storage only, for a region without Fargate rates
			}
			return nil, fmt.Errorf("%s: Fargate %s rate in %s lacks its vCPU or GB price", o.Source, f.Arch, f.Region)
		}
		if had {
			cur.Source = o.Source + "; fields not in it: " + cur.Source
		} else {
			cur.Source = o.Source
		}
		d.fargate[k] = cur
	}
	d.reindex()
	return d, nil
}
