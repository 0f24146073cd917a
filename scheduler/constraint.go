package scheduler

import "fmt"

// Constraint is one ECS placement constraint [task-placement-constraints]:
//
//	Type "distinctInstance", Expression "": every task of the group on a
//	    different container instance.
//	Type "memberOf", Expression: a cluster query language expression
//	    (ParseExpression); only instances it selects are candidates.
type Constraint struct {
	Type       string
	Expression string
}

// MaxConstraints is the ECS quota on placement constraints per task.
const MaxConstraints = 10

// Reason says why a task could not be placed; "" on success. The codes are
// stable: reports count placement failures by them.
type Reason string

// Reason codes, in the order of the filters that produce them.
const (
	ReasonNone                 Reason = ""
	ReasonNoContainerInstances Reason = "no_container_instances" // no placeable instance in an allowed pool
	ReasonInsufficientMemory   Reason = "insufficient_memory"
	ReasonInsufficientCPU      Reason = "insufficient_cpu"
	ReasonNoFreePort           Reason = "no_free_port"
	ReasonNoFreeENI            Reason = "no_free_eni"
	ReasonDistinctInstance     Reason = "constraint:distinctInstance"
	ReasonMemberOf             Reason = "constraint:memberOf"
)

type constraintKind uint8

const (
	conDistinct constraintKind = iota
	conMemberOf
)

// filter is a compiled constraint.
type filter struct {
	kind constraintKind
	expr *Expr
}

func compileConstraint(c Constraint) (filter, error) {
	switch c.Type {
	case "distinctInstance":
		if c.Expression != "" {
			return filter{}, fmt.Errorf("distinctInstance takes no expression, got %q", c.Expression)
		}
		return filter{kind: conDistinct}, nil
	case "memberOf":
		if c.Expression == "" {
			return filter{}, fmt.Errorf("memberOf needs an expression")
		}
		e, err := ParseExpression(c.Expression)
		if err != nil {
			return filter{}, err
		}
		return filter{kind: conMemberOf, expr: e}, nil
	}
	return filter{}, fmt.Errorf("placement constraint type %q: want \"distinctInstance\" or \"memberOf\"", c.Type)
}

func (f *filter) reason() Reason {
	if f.kind == conDistinct {
		return ReasonDistinctInstance
	}
	return ReasonMemberOf
}

// allows reports whether the constraint lets a task of group g go on id.
func (f *filter) allows(c *Cluster, id InstanceID, g int32) bool {
	if f.kind == conDistinct {
		return c.groupCount(id, g) == 0
	}
	return f.expr.Match(c, id)
}

// Distinct reports whether the placer has a distinctInstance constraint
// (at most one task of the group per instance).
func (p *Placer) Distinct() bool {
	for i := range p.filters {
		if p.filters[i].kind == conDistinct {
			return true
		}
	}
	return false
}
