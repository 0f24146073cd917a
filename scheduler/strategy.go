package scheduler

import (
	"fmt"
	"strings"
)

// Strategy is one ECS placement strategy [task-placement-strategies]:
//
//	Type "binpack", Field "cpu" or "memory"
//	Type "spread",  Field "instanceId", "host" (the same) or "attribute:NAME"
//	Type "random",  Field ""
//
// Names are matched exactly as the ECS API spells them.
type Strategy struct {
	Type  string
	Field string
}

// The ECS default for services with no strategy: spread over AZs, then over
// instances [task-placement-strategies].
var defaultStrategies = []Strategy{
	{Type: "spread", Field: "attribute:" + AttrAvailabilityZone},
	{Type: "spread", Field: "instanceId"},
}

// DefaultStrategies returns the chain NewPlacer uses when given none.
func DefaultStrategies() []Strategy { return append([]Strategy(nil), defaultStrategies...) }

// MaxStrategies is the ECS quota on placement strategies per service or task.
const MaxStrategies = 5

// ValidateStrategy returns an error naming what is wrong with s, or nil.
func ValidateStrategy(s Strategy) error {
	_, err := compileStrategy(s)
	return err
}

type stageKind uint8

const (
	stageBinpack stageKind = iota
	stageSpreadInstance
	stageSpreadAttr
	stageRandom
)

type resource uint8

const (
	resMemory resource = iota
	resCPU
)

// stage is a compiled strategy.
type stage struct {
	kind stageKind
	res  resource // binpack
	attr string   // spread attribute name
	isAZ bool     // spread on ecs.availability-zone
}

func compileStrategy(s Strategy) (stage, error) {
	switch s.Type {
	case "binpack":
		switch s.Field {
		case "memory":
			return stage{kind: stageBinpack, res: resMemory}, nil
		case "cpu":
			return stage{kind: stageBinpack, res: resCPU}, nil
		}
		return stage{}, fmt.Errorf("binpack field %q: want \"cpu\" or \"memory\"", s.Field)
	case "spread":
		switch {
		case s.Field == "instanceId" || s.Field == "host":
			return stage{kind: stageSpreadInstance}, nil
		case strings.HasPrefix(s.Field, "attribute:") && len(s.Field) > len("attribute:"):
			name := strings.TrimPrefix(s.Field, "attribute:")
			return stage{kind: stageSpreadAttr, attr: name, isAZ: name == AttrAvailabilityZone}, nil
		}
		return stage{}, fmt.Errorf("spread field %q: want \"instanceId\", \"host\" or \"attribute:NAME\"", s.Field)
	case "random":
		if s.Field != "" {
			return stage{}, fmt.Errorf("random takes no field, got %q", s.Field)
		}
		return stage{kind: stageRandom}, nil
	}
	return stage{}, fmt.Errorf("placement strategy type %q: want \"binpack\", \"spread\" or \"random\"", s.Type)
}
