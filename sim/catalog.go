package sim

import (
	"github.com/ecssim/ecssim/pricing"
	"github.com/ecssim/ecssim/scenarios"
)

// catalogFor builds the price catalog a scenario's [pricing] table names:
// the builtin catalog, overridden by AWS price files when `catalog` lists
// paths, with the Spot Advisor data of `spot_advisor` and the Fargate Spot
// discount override. It returns warnings for inputs it does not use yet.
func catalogFor(sc *scenarios.Scenario) (*pricing.Catalog, []string, error) {
	cat := pricing.Builtin()
	var warnings []string
	for _, c := range sc.Pricing.Catalog {
		if c == "builtin" || c == "" {
			continue
		}
		o, err := pricing.LoadOfferFileNamed(sc.ResolvePath(c))
		if err != nil {
			return nil, nil, err
		}
		if cat, err = cat.WithOffer(o); err != nil {
			return nil, nil, err
		}
	}
	if a := sc.Pricing.SpotAdvisor; a != "" && a != "builtin" {
		adv, err := pricing.LoadSpotAdvisorFile(sc.ResolvePath(a))
		if err != nil {
			return nil, nil, err
		}
		cat = cat.WithSpotAdvisor(adv)
	}
	if sc.Pricing.SpotPriceHistory != "" {
		// Model assumption (until a later issue reads it): Spot prices
		// come from the Spot Advisor savings; the run says so.
		warnings = append(warnings, "pricing.spot_price_history is not read yet: EC2 Spot prices come from the Spot Advisor savings")
	}
	if d := sc.Pricing.FargateSpotDiscount; d != nil {
		if cat == pricing.Builtin() {
			cat = cat.Clone()
		}
		cat.SetFargateSpotDiscount(*d)
	}
	return cat, warnings, nil
}

// Catalog returns the price catalog a run of sc uses (the builtin one with
// sc's price files and Spot Advisor data), without the warnings a run
// reports; for planners that cost what they would simulate.
func Catalog(sc *scenarios.Scenario) (*pricing.Catalog, error) {
	cat, _, err := catalogFor(sc)
	return cat, err
}
