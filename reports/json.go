package reports

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/ecssim/ecssim/sim"
)

// WriteJSON writes res as results.json: indented by two spaces, map keys
// sorted, '<', '>' and '&' kept as written (reasons such as "100 > 60" stay
// readable), and a trailing newline. The output is a pure function of res.
// A nil map or list of the contract (services, jobs, capacity_providers,
// activities, assertions, the cost breakdowns, the per-service maps and
// deployments) is written as {} or [], never null or omitted. It fails when
// res holds a NaN or infinite number, which JSON cannot hold.
func WriteJSON(w io.Writer, res *sim.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(normalized(res)); err != nil { // Encode adds the newline
		return fmt.Errorf("reports: writing results.json: %w", err)
	}
	return nil
}

// normalized returns a shallow copy of res whose nil maps and lists are
// empty, so that results.json always shows every field of the contract.
// res itself is not modified.
func normalized(res *sim.Result) *sim.Result {
	if res == nil {
		panic("reports: nil result")
	}
	r := *res
	r.Cost.ByCapacityProvider = orEmpty(r.Cost.ByCapacityProvider)
	r.Cost.ByService = orEmpty(r.Cost.ByService)
	r.Cost.ByJob = orEmpty(r.Cost.ByJob)
	if r.Activities == nil {
		r.Activities = []sim.Activity{}
	}
	if r.Assertions == nil {
		r.Assertions = []sim.AssertionResult{}
	}
	r.Services = make(map[string]*sim.ServiceResult, len(res.Services))
	for name, s := range res.Services {
		if s == nil {
			panic("reports: nil service result " + name)
		}
		c := *s
		c.PlacementFailures = orEmpty(c.PlacementFailures)
		c.RunningByCapacityProvider = orEmpty(c.RunningByCapacityProvider)
		if c.Deployments == nil {
			c.Deployments = []sim.DeploymentResult{}
		}
		r.Services[name] = &c
	}
	r.Jobs = make(map[string]*sim.JobResult, len(res.Jobs))
	for name, j := range res.Jobs {
		if j == nil {
			panic("reports: nil job result " + name)
		}
		c := *j
		c.FailedToPlaceByReason = orEmpty(c.FailedToPlaceByReason)
		r.Jobs[name] = &c
	}
	r.CapacityProviders = orEmpty(r.CapacityProviders)
	return &r
}

func orEmpty[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}
