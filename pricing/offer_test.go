package pricing

import (
	"encoding/json"
	"strings"
	"testing"
)

// A hand-written bulk offer file in the AWS Price List layout (products,
// terms.OnDemand[sku][term].priceDimensions[rate].pricePerUnit.USD). The
// prices are made up so the override is visible.
const ec2OfferFile = `{
 "formatVersion": "v1.0", "offerCode": "AmazonEC2", "version": "20260101000000",
 "publicationDate": "2026-01-01T00:00:00Z",
 "products": {
  "SKU1": {"sku": "SKU1", "productFamily": "Compute Instance", "attributes": {
    "location": "EU (Ireland)", "locationType": "AWS Region", "regionCode": "eu-west-1",
    "instanceType": "m6i.large", "operatingSystem": "Linux", "tenancy": "Shared",
    "preInstalledSw": "NA", "capacitystatus": "Used", "usagetype": "EU-BoxUsage:m6i.large"}},
  "SKU2": {"sku": "SKU2", "productFamily": "Compute Instance", "attributes": {
    "location": "EU (Ireland)", "locationType": "AWS Region",
    "instanceType": "m6i.large", "operatingSystem": "Windows", "tenancy": "Shared",
    "preInstalledSw": "NA", "capacitystatus": "Used"}},
  "SKU3": {"sku": "SKU3", "productFamily": "Compute Instance", "attributes": {
    "location": "US East (N. Virginia)", "locationType": "AWS Region",
    "instanceType": "m6i.large", "operatingSystem": "Linux", "tenancy": "Shared",
    "preInstalledSw": "NA", "capacitystatus": "UnusedCapacityReservation"}},
  "SKU4": {"sku": "SKU4", "productFamily": "Compute Instance", "attributes": {
    "location": "US East (N. Virginia)", "locationType": "AWS Region",
    "instanceType": "m6i.large", "operatingSystem": "Linux", "tenancy": "Shared",
    "preInstalledSw": "NA", "capacitystatus": "Used"}},
  "SKU5": {"sku": "SKU5", "productFamily": "Storage", "attributes": {"location": "Somewhere"}}
 },
 "terms": {"OnDemand": {
  "SKU1": {"SKU1.T": {"priceDimensions": {"SKU1.T.R": {"unit": "Hrs", "pricePerUnit": {"USD": "0.1070000000"}}}}},
  "SKU2": {"SKU2.T": {"priceDimensions": {"SKU2.T.R": {"unit": "Hrs", "pricePerUnit": {"USD": "0.1990000000"}}}}},
  "SKU3": {"SKU3.T": {"priceDimensions": {"SKU3.T.R": {"unit": "Hrs", "pricePerUnit": {"USD": "0.5000000000"}}}}},
  "SKU4": {"SKU4.T": {"priceDimensions": {"SKU4.T.R": {"unit": "Hrs", "pricePerUnit": {"USD": "0.1000000000"}}}}}
 }, "Reserved": {}}
}`

func TestLoadOfferFileEC2(t *testing.T) {
	o, err := LoadOfferFile(strings.NewReader(ec2OfferFile))
	if err != nil {
		t.Fatal(err)
	}
	// Kept: SKU1 (Linux, Shared, Used, eu-west-1) and SKU4 (us-east-1 via the
	// location name); skipped: Windows, an unused reservation, storage.
	if len(o.EC2) != 2 || o.EC2[0].Region != "eu-west-1" || o.EC2[0].USDPerHour != 0.107 ||
		o.EC2[1].Region != "us-east-1" || o.EC2[1].USDPerHour != 0.1 {
		t.Fatalf("EC2 = %+v", o.EC2)
	}
	if !strings.Contains(o.Source, "AmazonEC2") || !strings.Contains(o.Source, "2026-01-01") {
		t.Errorf("Source = %q", o.Source)
	}
	c, err := Builtin().WithOffer(o)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := c.OnDemandRate("eu-west-1", "m6i.large"); !ok || r != 0.107 {
		t.Errorf("eu-west-1 m6i.large = %g %v", r, ok)
	}
	if r, _ := c.OnDemandRate("us-east-1", "m6i.large"); r != 0.1 {
		t.Errorf("us-east-1 m6i.large = %g, want the override 0.1", r)
	}
	// Spot now works in eu-west-1 too: s = 54 → 0.107 × 0.46 = 0.04922.
	if r, ok := c.SpotRate("eu-west-1", "m6i.large"); !ok || !near(r, 0.04922) {
		t.Errorf("eu-west-1 Spot = %g %v", r, ok)
	}
	if got := c.EC2Regions(); len(got) != 3 {
		t.Errorf("EC2Regions = %v", got)
	}
	// Builtin is untouched.
	if _, ok := Builtin().OnDemandRate("eu-west-1", "m6i.large"); ok {
		t.Error("WithOffer changed Builtin")
	}
}

// The `aws pricing get-products --service-code AmazonECS` layout: PriceList
// holds one JSON document per product, as a string.
func TestLoadOfferFileFargateGetProducts(t *testing.T) {
	item := func(ut, region, usd string) string {
		b, _ := json.Marshal(map[string]any{
			"product": map[string]any{"sku": ut, "productFamily": "Compute",
				"attributes": map[string]string{"usagetype": ut, "regionCode": region, "locationType": "AWS Region"}},
			"serviceCode": "AmazonECS",
			"terms": map[string]any{"OnDemand": map[string]any{ut + ".T": map[string]any{
				"priceDimensions": map[string]any{ut + ".T.R": map[string]any{
					"unit": "hours", "pricePerUnit": map[string]string{"USD": usd}}}}}},
		})
		return string(b)
	}
	list := []string{
		item("APS3-Fargate-vCPU-Hours:perCPU", "ap-south-1", "0.04256"),
		item("APS3-Fargate-GB-Hours", "ap-south-1", "0.00467"),
		item("APS3-Fargate-EphemeralStorage-GB-Hours", "ap-south-1", "0.000120"),
		item("USE1-Fargate-ARM-vCPU-Hours:perCPU", "us-east-1", "0.03000"),
		item("USE1-SpotUsage-Fargate-vCPU-Hours:perCPU", "us-east-1", "0.01"), // skipped
		item("USE1-Fargate-Windows-OS-Hours:perCPU", "us-east-1", "0.046"),    // skipped
	}
	doc, _ := json.Marshal(map[string]any{"PriceList": list})
	o, err := LoadOfferFile(strings.NewReader(string(doc)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Builtin().WithOffer(o)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := c.FargateRate("ap-south-1", "x86_64", false)
	if !ok || r.VCPUHour != 0.04256 || r.GBHour != 0.00467 || r.StorageGBHour != 0.00012 {
		t.Errorf("ap-south-1 = %+v %v", r, ok)
	}
	if !c.HasRegion("ap-south-1") {
		t.Error("new region not listed")
	}
	// us-east-1 ARM: vCPU overridden, GB and storage kept from the catalog.
	r, _ = c.FargateRate("us-east-1", "arm64", false)
	if r.VCPUHour != 0.03 || r.GBHour != 0.00356 || r.StorageGBHour != 0.000111 {
		t.Errorf("us-east-1 ARM = %+v", r)
	}
	// ap-south-1 ARM only had storage and no catalog rate: still absent.
	if _, ok := c.FargateRate("ap-south-1", "arm64", false); ok {
		t.Error("storage-only region got an ARM rate")
	}
}

func TestLoadOfferFileErrors(t *testing.T) {
	bad := map[string]string{
		"not json": `{`,
		"empty":    `{}`,
		"no price": `{"products": {}, "terms": {}}`,
		"bad usd": `{"products": {"S": {"sku": "S", "productFamily": "Compute Instance", "attributes": {
			"regionCode": "us-east-1", "instanceType": "m6i.large", "operatingSystem": "Linux",
			"tenancy": "Shared", "preInstalledSw": "NA"}}},
			"terms": {"OnDemand": {"S": {"S.T": {"priceDimensions": {"R": {"pricePerUnit": {"USD": "abc"}}}}}}}}`,
		"unknown location": `{"products": {"S": {"sku": "S", "productFamily": "Compute Instance", "attributes": {
			"location": "Moon Base", "instanceType": "m6i.large", "operatingSystem": "Linux",
			"tenancy": "Shared", "preInstalledSw": "NA"}}}, "terms": {"OnDemand": {}}}`,
	}
	for name, in := range bad {
		if _, err := LoadOfferFile(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A GB price alone for a region the catalog lacks leaves a rate without vCPU.
	o := &Offer{Source: "test", Fargate: []FargateOfferRate{{Region: "ap-south-1", Arch: "x86_64",
		Rate: FargateRate{GBHour: 0.005}}}}
	if _, err := Builtin().WithOffer(o); err == nil || !strings.Contains(err.Error(), "ap-south-1") {
		t.Errorf("incomplete Fargate rate: err = %v", err)
	}
}
