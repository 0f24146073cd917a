package sim

// unmodelledWarnings lists the parts of the scenario this version of the
// simulator reads but does not act on yet, so a run never ignores
// configuration silently. Each becomes a warning in the result and on
// stderr. Everything the scenario format names is modelled now except
// the deploy events, which start() warns about one by one.
func (w *world) unmodelledWarnings() []string {
	return nil
}
