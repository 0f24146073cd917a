package planner

import (
	"bytes"
	"encoding/json"

	"github.com/ecssim/ecssim/scenarios"
)

// The types of a sweep (SCENARIO.md "A study file for ecssim sweep"): the
// study as parsed, the runs it expands to, and summary.json.

// Study is a parsed study file.
type Study struct {
	// Path is the study file as given; ScenarioPath the scenario it names,
	// resolved against the study file's directory.
	Path         string
	ScenarioPath string
	// Replications is the number of seeds per grid point, >= 1 (default
	// 1): the scenario's seed + 0, 1, ..., Replications-1.
	Replications int
	// Parallel is the study's `parallel` (0: all cores); --parallel
	// overrides it.
	Parallel int
	// Vary lists the varied keys, first key outermost in the grid.
	Vary []Vary
	// Objective is nil when the study has no [objective].
	Objective *Objective
	// Pareto is nil when the study has no [pareto].
	Pareto *ParetoSpec
	// Metrics lists extra results.json paths kept per run (ecssim
	// addition, key `metrics`), besides those the objective, subject_to
	// and pareto name and the defaults (see Study.MetricPaths).
	Metrics []string

	// Base is the scenario as its file gives it; BaseSeed its seed (the
	// seed of replication 0).
	Base     *scenarios.Scenario
	BaseSeed uint64

	// raw is the scenario file decoded as a TOML document, the tree a
	// variant's values are set in (study_keys.go).
	raw map[string]any
	// scenarioSrc is the scenario file's text.
	scenarioSrc []byte
}

// Vary is one [[vary]] entry: a dotted scenario key and its values.
type Vary struct {
	Key string
	// Values are the TOML values in order, each an int64, float64, string
	// or bool (a range expands to float64 values, or int64 when from, to
	// and step are integers).
	Values []any
	// Line and Col locate the entry's key in the study file (1-based).
	Line, Col int
}

// Objective is the [objective] table: one results.json path to minimize
// or maximize over group means, subject to checks on group means.
type Objective struct {
	Path      string // results.json path, e.g. "cost.monthly_usd"
	Maximize  bool   // false: minimize
	SubjectTo []Check
}

// ParetoSpec is the [pareto] table: two results.json paths, both
// minimized.
type ParetoSpec struct {
	X, Y string
}

// Value is one varied key's value in a run or group.
type Value struct {
	Key   string
	Value any // int64, float64, string or bool
}

// Values are a run's or group's varied values in vary order. They marshal
// as a JSON object whose keys keep that order.
type Values []Value

// MarshalJSON writes {KEY: value, ...} in vary order.
func (vs Values) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(v.Key)
		if err != nil {
			return nil, err
		}
		x, err := json.Marshal(v.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(x)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// RunSpec is one run of a study: a grid point and a replication.
type RunSpec struct {
	// Index is the run's 0-based position: grid position × replications +
	// replication.
	Index int
	// ID is RunID(Index, width, Values, Seed), the name of runs/ID.json.
	ID string
	// Point is the 0-based grid position (the first vary key outermost).
	Point       int
	Values      Values
	Replication int
	Seed        uint64
}

// Summary is summary.json.
type Summary struct {
	Runs   []RunSummary  `json:"runs"`
	Groups []Group       `json:"groups"`
	Best   *Best         `json:"best"`
	Pareto []ParetoPoint `json:"pareto"`
	// RunInfo is the only part that may differ between a sweep and the
	// merge of its shards.
	RunInfo SweepRunInfo `json:"run_info"`
}

// RunSummary is one run in summary.json.
type RunSummary struct {
	ID          string `json:"id"`
	Values      Values `json:"values"`
	Replication int    `json:"replication"`
	Seed        uint64 `json:"seed"`
	// Metrics holds the study's metric paths looked up in the run's
	// results.json; a path that is null there is left out.
	Metrics map[string]float64 `json:"metrics"`
}

// Group is one grid point over its replications.
type Group struct {
	Values Values `json:"values"`
	Runs   int    `json:"runs"`
	// Mean is the mean of each metric over the group's runs that have it.
	Mean map[string]float64 `json:"mean"`
	// CI95 is the half-width of the 95 % confidence interval of each mean,
	// Student's t with n-1 degrees of freedom: t(0.975, n-1) × s / √n; nil
	// (JSON null) for a group of one run. A metric present in fewer than
	// two runs is left out.
	CI95 map[string]float64 `json:"ci95"`
}

// Best is the objective's best group among those whose means meet every
// subject_to check.
type Best struct {
	Values Values             `json:"values"`
	Mean   map[string]float64 `json:"mean"`
}

// ParetoPoint is a non-dominated group: no other group has x and y both
// at most its own with one strictly less.
type ParetoPoint struct {
	Values Values  `json:"values"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
}

// SweepRunInfo describes how summary.json was made.
type SweepRunInfo struct {
	EcssimVersion string  `json:"ecssim_version"`
	GeneratedAt   string  `json:"generated_at"`
	WallSeconds   float64 `json:"wall_seconds"`
	RunsTotal     int     `json:"runs_total"`
	// RunsSimulated counts the runs this invocation simulated; the others
	// were read from existing files (resume, shards, merge).
	RunsSimulated int `json:"runs_simulated"`
}
