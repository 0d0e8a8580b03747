package eni

import (
	"reflect"
	"testing"
)

func TestParseCQL(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []cqlTerm // nil: not evaluated
	}{
		{"attribute:ecs.instance-type == t2.small", []cqlTerm{{"ecs.instance-type", "==", []string{"t2.small"}}}},
		{"attribute:ecs.instance-type==t2.small", []cqlTerm{{"ecs.instance-type", "==", []string{"t2.small"}}}},
		{"attribute:stack equals 'prod'", []cqlTerm{{"stack", "==", []string{"prod"}}}},
		{`attribute:stack != "prod"`, []cqlTerm{{"stack", "!=", []string{"prod"}}}},
		{"attribute:stack not_equals prod", []cqlTerm{{"stack", "!=", []string{"prod"}}}},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
			[]cqlTerm{{"ecs.availability-zone", "in", []string{"us-east-1a", "us-east-1b"}}}},
		{"attribute:ecs.availability-zone !in ['us-east-1a']", []cqlTerm{{"ecs.availability-zone", "!in", []string{"us-east-1a"}}}},
		{"attribute:ecs.availability-zone not_in [us-east-1a,us-east-1b]",
			[]cqlTerm{{"ecs.availability-zone", "!in", []string{"us-east-1a", "us-east-1b"}}}},
		{"attribute:ecs.capability.task-eni exists", []cqlTerm{{"ecs.capability.task-eni", "exists", nil}}},
		{"attribute:gpu !exists && attribute:ecs.os-type == linux",
			[]cqlTerm{{"gpu", "!exists", nil}, {"ecs.os-type", "==", []string{"linux"}}}},
		{"attribute:team == 'a b' AND attribute:x not_exists", []cqlTerm{{"team", "==", []string{"a b"}}, {"x", "!exists", nil}}},
		// Not evaluated: other subjects and operators, or, not, parentheses,
		// unquoted values with spaces, malformed lists.
		{"attribute:ecs.instance-type =~ g2.*", nil},
		{"task:group == databases", nil},
		{"agentVersion < 1.14.5", nil},
		{"attribute:a == b or attribute:c == d", nil},
		{"attribute:a == b || attribute:c == d", nil},
		{"not(attribute:a == b)", nil},
		{"(attribute:a == b) and attribute:c == d", nil},
		{"attribute:team == a b", nil},
		{"attribute:a in [b c]", nil},
		{"attribute:a in [b, c", nil},
		{"attribute:a == 'b", nil},
		{"attribute:a ==", nil},
		{"attribute:a == b and", nil},
		{"", nil},
	} {
		got, ok := parseCQL(c.expr)
		if ok != (c.want != nil) || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %+v %v; want %+v", c.expr, got, ok, c.want)
		}
	}
}
