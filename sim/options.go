package sim

// Options tune a run without changing the scenario's meaning.
type Options struct {
	// Seed, when non-nil, replaces the scenario's seed (--seed).
	Seed *uint64
	// CheckInvariants verifies after every event that no instance is
	// over-allocated and every task is in exactly one state (always on in
	// tests). It slows the run down.
	CheckInvariants bool
	// Progress, when non-nil, is called now and then with the simulated
	// time reached and the horizon, both in milliseconds. It must be cheap.
	Progress func(done, total Time)
	// Version is written to run_info.ecssim_version.
	Version string
}
