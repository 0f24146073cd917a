package scheduler

import (
	"errors"
	"strings"
	"testing"
)

// queryCluster: three instances for the cluster query language tests
// [cluster-query-language].
//
//	0: m6i.xlarge  us-east-1a  team=red  i-...00  2 tasks of service:web
//	1: m6i.large   us-east-1b  (no team) i-...01  1 task of service:db
//	2: c6i.xlarge  us-east-1c  team=blue i-...02  no task; custom attribute gen=10
func queryCluster(t *testing.T) *Cluster {
	t.Helper()
	c := NewCluster()
	c.SetGroupName(0, "service:web")
	c.SetGroupName(1, "service:db")
	s0 := spec(m6iXLarge, "us-east-1a", 0)
	s0.Attributes["team"] = "red"
	s0.Attributes["gen"] = "6"
	s1 := spec(m6iLarge, "us-east-1b", 1)
	s1.Attributes["gen"] = "9"
	s2 := spec(c6iXLarge, "us-east-1c", 2)
	s2.Attributes["team"] = "blue"
	s2.Attributes["gen"] = "10"
	c.Add(s0)
	c.Add(s1)
	c.Add(s2)
	c.Reserve(0, Demand{CPU: 256, Memory: 512, Group: 0})
	c.Reserve(0, Demand{CPU: 256, Memory: 512, Group: 0})
	c.Reserve(1, Demand{CPU: 256, Memory: 512, Group: 1})
	return c
}

func TestQueryOperators(t *testing.T) {
	c := queryCluster(t)
	// want: which of instances 0, 1, 2 the expression selects.
	tests := []struct {
		rule, expr string
		want       [3]bool
	}{
		// attribute:NAME with every operator
		{"== compares the attribute's value", "attribute:ecs.instance-type == m6i.large", [3]bool{false, true, false}},
		{"!= holds for other values", "attribute:ecs.instance-type != m6i.large", [3]bool{true, false, true}},
		{"!= holds when the attribute is absent (model assumption)", "attribute:team != red", [3]bool{false, true, true}},
		{"== fails when the attribute is absent", "attribute:team == blue", [3]bool{false, false, true}},
		{"exists: the attribute is set", "attribute:team exists", [3]bool{true, false, true}},
		{"!exists: the attribute is not set", "attribute:team !exists", [3]bool{false, true, false}},
		{"in: the value is in the list", "attribute:ecs.availability-zone in [us-east-1a, us-east-1c]", [3]bool{true, false, true}},
		{"!in: the value is not in the list", "attribute:ecs.availability-zone !in [us-east-1a, us-east-1c]", [3]bool{false, true, false}},
		{"=~ is anchored to the whole value: m6i.* matches m6i.xlarge and m6i.large", "attribute:ecs.instance-type =~ m6i.*", [3]bool{true, true, false}},
		{"=~ does not match a substring", "attribute:ecs.instance-type =~ xlarge", [3]bool{false, false, false}},
		{"!~ negates =~", "attribute:ecs.instance-type !~ m6i.*", [3]bool{false, false, true}},
		{"=~ with alternation in parentheses", `attribute:ecs.instance-type =~ (m6i|c6i)\.xlarge`, [3]bool{true, false, true}},
		{"> compares numbers numerically (10 > 9)", "attribute:gen > 9", [3]bool{false, false, true}},
		{">= numeric", "attribute:gen >= 9", [3]bool{false, true, true}},
		{"< numeric", "attribute:gen < 9", [3]bool{true, false, false}},
		{"<= numeric", "attribute:gen <= 9", [3]bool{true, true, false}},
		{"> on strings compares bytes (model assumption)", "attribute:team > blue", [3]bool{true, false, false}},
		// ec2InstanceId
		{"ec2InstanceId ==", "ec2InstanceId == i-0000000000000001", [3]bool{false, true, false}},
		{"ec2InstanceId in a quoted list", "ec2InstanceId in ['i-0000000000000000', \"i-0000000000000002\"]", [3]bool{true, false, true}},
		{"ec2InstanceId =~", "ec2InstanceId =~ i-0+[12]", [3]bool{false, true, true}},
		// runningTasksCount: numeric
		{"runningTasksCount == 0 finds empty instances", "runningTasksCount == 0", [3]bool{false, false, true}},
		{"runningTasksCount != 0", "runningTasksCount != 0", [3]bool{true, true, false}},
		{"runningTasksCount > 1", "runningTasksCount > 1", [3]bool{true, false, false}},
		{"runningTasksCount >= 1", "runningTasksCount >= 1", [3]bool{true, true, false}},
		{"runningTasksCount < 2", "runningTasksCount < 2", [3]bool{false, true, true}},
		{"runningTasksCount <= 2", "runningTasksCount <= 2", [3]bool{true, true, true}},
		// task:group: the groups of the tasks on the instance
		{"task:group == selects instances hosting the group", "task:group == service:web", [3]bool{true, false, false}},
		{"task:group != keeps away from the group (model assumption)", "task:group != service:web", [3]bool{false, true, true}},
		{"task:group in", "task:group in [service:web, service:db]", [3]bool{true, true, false}},
		{"task:group !in", "task:group !in [service:web, service:db]", [3]bool{false, false, true}},
		{"task:group =~", "task:group =~ service:.*", [3]bool{true, true, false}},
		{"task:group !~", "task:group !~ .*:db", [3]bool{true, false, true}},
		{"task:group exists: runs a task", "task:group exists", [3]bool{true, true, false}},
		{"task:group !exists: runs none", "task:group !exists", [3]bool{false, false, true}},
		// combinators
		{"and", "attribute:ecs.instance-type =~ m6i.* and attribute:ecs.availability-zone != us-east-1a", [3]bool{false, true, false}},
		{"or", "attribute:ecs.instance-type =~ c6i.* or task:group == service:db", [3]bool{false, true, true}},
		{"parentheses", "attribute:ecs.instance-type =~ m6i.* and (attribute:ecs.availability-zone == us-east-1a or attribute:ecs.availability-zone == us-east-1c)", [3]bool{true, false, false}},
		{"and binds tighter than or (model assumption)", "task:group == service:db or attribute:team exists and runningTasksCount == 0", [3]bool{false, true, true}},
		{"not(...)", "not(task:group == service:web)", [3]bool{false, true, true}},
		{"keywords ignore case", "attribute:team == red OR attribute:team == blue", [3]bool{true, false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			e, err := ParseExpression(tc.expr)
			if err != nil {
				t.Fatalf("ParseExpression(%q): %v", tc.expr, err)
			}
			for id := range InstanceID(3) {
				if got := e.Match(c, id); got != tc.want[id] {
					t.Errorf("%q on instance %d = %v, want %v", tc.expr, id, got, tc.want[id])
				}
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	// Each error names the offending token and its byte offset.
	tests := []struct {
		expr   string
		offset int
		token  string
		msg    string
	}{
		{"", 0, "", "empty expression"},
		{"attribute:x", 11, "", "want an operator"},
		{"attribute:x === y", 14, "=", "want a value"},
		{"color == red", 0, "color", "unknown subject"},
		{"agentVersion >= 1.0", 0, "agentVersion", "not modelled"},
		{"runningTasksCount =~ 1", 18, "=~", "not valid for subject runningTasksCount"},
		{"runningTasksCount > many", 20, "many", "integer"},
		{"ec2InstanceId exists", 14, "exists", "not valid"},
		{"attribute:a in b", 15, "b", "want a list"},
		{"attribute:a in [b c]", 18, "c", `want "," or "]"`},
		{"(attribute:a exists", 19, "", `want ")"`},
		{"attribute:a exists attribute:b exists", 19, "attribute:b", `want "and", "or" or the end`},
		{"attribute:a == 'open", 15, "'open", "unterminated"},
		{"attribute:a =~ m6i.[", 15, "m6i.[", "bad regular expression"},
		{"not attribute:a exists", 4, "attribute:a", `want "(" after not`},
		{"attribute:a exists and", 22, "", "want a subject"},
	}
	for _, tc := range tests {
		_, err := ParseExpression(tc.expr)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseExpression(%q) = %v, want a *ParseError", tc.expr, err)
			continue
		}
		if pe.Offset != tc.offset || pe.Token != tc.token || !strings.Contains(pe.Msg, tc.msg) {
			t.Errorf("ParseExpression(%q) = offset %d token %q msg %q; want offset %d token %q msg containing %q",
				tc.expr, pe.Offset, pe.Token, pe.Msg, tc.offset, tc.token, tc.msg)
		}
		if !strings.Contains(err.Error(), "offset") {
			t.Errorf("error text %q does not give the offset", err)
		}
	}
}
