package scenarios

// resolve fills the fields tagged `toml:"-"` of a valid scenario.
func resolve(s *Scenario) {
	for i := range s.Services {
		sv := &s.Services[i]
		sv.TaskDef = s.TaskDefinitionByRef(sv.TaskDefinition)
		sv.Strategy = s.effectiveStrategy(sv.LaunchType, sv.CapacityProviderStrategy)
	}
	for i := range s.Jobs {
		j := &s.Jobs[i]
		j.TaskDef = s.TaskDefinitionByRef(j.TaskDefinition)
		j.Strategy = s.effectiveStrategy(j.LaunchType, j.CapacityProviderStrategy)
	}
}

// effectiveStrategy is own, else the cluster default; nil with a launch
// type.
func (s *Scenario) effectiveStrategy(launchType string, own []StrategyItem) []StrategyItem {
	if launchType != "" {
		return nil
	}
	if own != nil {
		return own
	}
	return s.Cluster.DefaultCapacityProviderStrategy
}

// TaskDefinitionByRef returns the task definition "family:revision", or
// for "family" the one with the highest revision; nil when none matches.
func (s *Scenario) TaskDefinitionByRef(ref string) *TaskDefinition {
	if i := s.taskDefIndex(ref); i >= 0 {
		return &s.TaskDefinitions[i]
	}
	return nil
}
